"""Addresses and names of results that leave the app: the model page of a result, its record id,
and what each result status means to a reader (on the page, in tables and on labels).

The public address (setting ``public_url``) is the base of every link; the model page lives at
``<public_url>/model?id=<hub id>`` and a record's view adds ``&record=<record id>``.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

# The app's pages' paths (leaderboard/ui/routes.py makes them pages; the static site links to them).
LEADERBOARD_PAGE_PATH = "leaderboard"
MODEL_PAGE_PATH = "model"
LABEL_PAGE_PATH = "label"
SUBMIT_PAGE_PATH = "submit"
ABOUT_PAGE_PATH = "about"
STABILITY_PAGE_PATH = "stability"
RECORD_ID_CHARS = 16  # 64 bits: a key in links, tables and exports, never shortened

# Result statuses (``Results`` computes them) and what they mean, for people.
STATUS_TEXT: dict[str, str] = {
    "published": "Published round",
    "accepted": "Accepted submission",
    "pending": "Pending submission (unverified)",
    "random weights": "Random-weights estimate",
    "custom": "Self-reported values",
}


def record_id(run_id: str) -> str:
    """A stable id of one result: the first 16 hex digits (64 bits) of the SHA-256 of its run id."""
    return hashlib.sha256(run_id.encode("utf-8")).hexdigest()[:RECORD_ID_CHARS]


def model_page_url(base_url: str, model: str, run_id: str | None = None) -> str:
    """The model page of ``model``; with ``run_id``, the view of that record."""
    query = f"id={quote(model, safe='/')}"  # Hub ids keep their '/' readable
    if run_id:
        query += f"&record={record_id(run_id)}"
    return f"{base_url.rstrip('/')}/{MODEL_PAGE_PATH}?{query}"


def status_text(status: str) -> str:
    return STATUS_TEXT.get(status, status)
