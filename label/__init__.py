"""Energy labels: a label data model, formatting, SVG from a jinja2 template, PNG via cairosvg (UI-free)."""
