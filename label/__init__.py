"""Energy labels: a label data model, formatting, SVG from a jinja2 template, PNG via cairosvg (UI-free).

A label shows where its number comes from (the result's status, its record id and a QR
code of the record's model page); ``variant="spec"`` is the reference design alone.
"""
