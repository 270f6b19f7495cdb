"""The label's data model and all of its formatting, in one place.

A ``Label`` holds already formatted, already fitted strings: the template only places them.
Untrusted text (model names come from submissions) is bounded here: control characters are
dropped, and each text is wrapped and/or ellipsized to the width it has on the card.
Escaping happens in the template (jinja2 autoescape).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from label.fonts import BOLD, MEDIUM, has_glyph, text_width
from leaderboard.formatting import energy_wh, month_name, run_label, task_name

CARD_WIDTH_PX = 260
CARD_HEIGHT_PX = 364
PADDING_PX = 16
CONTENT_WIDTH_PX = CARD_WIDTH_PX - 2 * PADDING_PX  # 228
NAME_FONT_PX = 16
VALUE_FONT_PX = 12
ENERGY_FONT_PX = 14
BUTTON_FONT_PX = 12
VALUE_WIDTH_PX = 150  # right-aligned values start after the row captions
ENERGY_WIDTH_PX = 100
BUTTON_TEXT_WIDTH_PX = CONTENT_WIDTH_PX - 16
MAX_INPUT_CHARS = 300  # longer input is cut before fitting (it could never show anyway)
ELLIPSIS = "…"
BREAK_AFTER = set("/-_. ")


@dataclass(frozen=True)
class Label:
    """Everything the label template shows, formatted and fitted.

    name_lines: the model name on one or two lines.
    scored: scoring month, e.g. "February 2025".  task: task display name.
    hardware: GPU name.  energy: e.g. "2.37 Wh" (GPU energy per 1,000 queries).
    stars: 1..5.  link: the leaderboard entry.  link_text: what the button says.
    title: accessible title of the SVG (model, task, stars).
    """

    name_lines: tuple[str, ...]
    scored: str
    task: str
    hardware: str
    energy: str
    stars: int
    link: str
    link_text: str
    title: str


def clean_text(text: str, family: str = MEDIUM) -> str:
    """Drop control and format characters (including bidi overrides), collapse whitespace, bound
    length, and show characters the label font cannot draw (emoji, scripts Inter lacks) as '?'
    rather than as empty boxes."""
    text = "".join(
        ch
        for ch in str(text)[: MAX_INPUT_CHARS * 2]
        if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn") or ch == " "
    )
    text = re.sub(r"\s+", " ", text).strip()[:MAX_INPUT_CHARS]
    return "".join(ch if ch == " " or has_glyph(ch, family) else "?" for ch in text)


def fit(text: str, family: str, size_px: float, width_px: float) -> str:
    """``text`` if it fits in ``width_px``, else its longest prefix that fits with an ellipsis."""
    if text_width(text, family, size_px) <= width_px:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix p such that p + "…" fits
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid].rstrip() + ELLIPSIS, family, size_px) <= width_px:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ELLIPSIS


def wrap_name(name: str, width_px: float = CONTENT_WIDTH_PX) -> tuple[str, ...]:
    """The model name on at most two lines. If it does not fit on one, the provider goes on the
    first line and the name on the second when that fits; else break after the last '/', '-', '_',
    '.' or space that fits (or anywhere), and ellipsize the second line."""
    if text_width(name, BOLD, NAME_FONT_PX) <= width_px:
        return (name,)
    # The longest first line that fits, preferring a break opportunity.
    fits = 1
    while fits < len(name) and text_width(name[: fits + 1], BOLD, NAME_FONT_PX) <= width_px:
        fits += 1
    slash = name.find("/") + 1
    if 0 < slash <= fits and text_width(name[slash:], BOLD, NAME_FONT_PX) <= width_px:
        cut = slash  # provider on the first line, name on the second
    else:
        breaks = [i + 1 for i, ch in enumerate(name[:fits]) if ch in BREAK_AFTER and i + 1 < len(name)]
        cut = breaks[-1] if breaks and breaks[-1] >= fits // 3 else fits
    first, rest = name[:cut].rstrip(), name[cut:].lstrip()
    return (first, fit(rest, BOLD, NAME_FONT_PX, width_px)) if rest else (first,)


def button_text(host_and_path: str) -> str:
    """'Learn more: <address>' when the address fits the button, else a plain 'Learn more'."""
    text = f"Learn more: {host_and_path}"
    if text_width(text, MEDIUM, BUTTON_FONT_PX) <= BUTTON_TEXT_WIDTH_PX:
        return text
    return fit("Learn more on the leaderboard", MEDIUM, BUTTON_FONT_PX, BUTTON_TEXT_WIDTH_PX)


def leaderboard_link(base_url: str, task_id: str, model: str) -> str:
    """The leaderboard view of this model: its task, searched by model id."""
    query = urlencode({"task": task_name(task_id), "q": model}, quote_via=quote)
    return f"{base_url.rstrip('/')}/?{query}"


def make_label(
    *,
    model: str,
    task_id: str,
    scored: str,
    hardware: str,
    energy_wh_per_1k: float,
    stars: int,
    base_url: str,
    model_id: str | None = None,
) -> Label:
    """Build a label from raw values. ``scored`` is a month ``YYYY-MM``; energy in Wh per 1,000 queries.
    ``model`` is the name shown; ``model_id`` (default: ``model``) is what the link searches for."""
    if not 1 <= int(stars) <= 5:
        raise ValueError(f"stars must be 1..5, not {stars!r}")
    model = clean_text(model, BOLD) or "(unnamed model)"
    hardware = clean_text(hardware) or "unknown hardware"
    link = leaderboard_link(base_url, task_id, clean_text(model_id) if model_id else model)
    host_and_path = re.sub(r"^https?://", "", base_url.rstrip("/"))
    return Label(
        name_lines=wrap_name(model),
        scored=fit(month_name(scored), MEDIUM, VALUE_FONT_PX, VALUE_WIDTH_PX),
        task=fit(task_name(task_id), MEDIUM, VALUE_FONT_PX, VALUE_WIDTH_PX),
        hardware=fit(hardware, MEDIUM, VALUE_FONT_PX, VALUE_WIDTH_PX),
        energy=fit(f"{energy_wh(energy_wh_per_1k)} Wh", MEDIUM, ENERGY_FONT_PX, ENERGY_WIDTH_PX),
        stars=int(stars),
        link=link,
        link_text=button_text(host_and_path),
        title=f"AI Energy Score label: {model[:120]}, {task_name(task_id)}, {int(stars)} of 5 stars",
    )


def label_for_row(row, base_url: str) -> Label:
    """The label of one rated result row (a mapping or namedtuple with the dataset's columns)."""
    get = row.get if hasattr(row, "get") else lambda k: getattr(row, k)
    return make_label(
        model=run_label(get("model"), get("reasoning_effort")),
        model_id=get("model"),
        task_id=get("task"),
        scored=get("cohort"),
        hardware=get("hardware"),
        energy_wh_per_1k=float(get("gpu_energy_wh_per_1k")),
        stars=int(get("stars")),
        base_url=base_url,
    )
