"""The label's data model and all of its formatting, in one place.

A ``Label`` holds already formatted, already fitted strings: the template only places them.
Untrusted text (model names come from submissions) is bounded here: control characters are
dropped, and each text is wrapped and/or ellipsized to the width it has on the card.
Escaping happens in the template (jinja2 autoescape).

Two variants: ``"full"`` (default) adds where the number comes from: the result's status and its
evidence (``leaderboard.evidence``), its record id and, beside them, a QR code of the link; ``"spec"``
is the reference design of SPEC §6 alone. Both link to the model page of the record
(``leaderboard.links``); a custom (self-reported) label links to the page that says what a custom
label is (``custom_labels_url``).

Every variant names the model class where the task has classes, and prints *Provisional* (a group
with nothing to compare) or *Not rated* (custom values on no known board, or stars given by hand)
where the stars are so: the full variant on its line under the stars, the spec variant under them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from label.fonts import BOLD, MEDIUM, REGULAR, has_glyph, text_width
from leaderboard.evidence import KINDS_BY_ID, of_status
from leaderboard.evidence import words as evidence_words
from leaderboard.formatting import energy_wh, month_name, run_label, task_name
from leaderboard.groups import is_round_harness
from leaderboard.harnesses import harness_short_name
from leaderboard.links import LABEL_PAGE_PATH, model_page_url, record_id, status_text
from leaderboard.rating import P_STAR_COLUMNS
from leaderboard.tasks import MAX_STARS, MODEL_CLASSES
from leaderboard.uncertainty import sureness_words

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

VARIANTS = ("full", "spec")
# The full variant's bottom block: the QR code in a square box at the left, the status, the record
# id and the button in a column beside it.
QR_BOX_X_PX = PADDING_PX
QR_BOX_Y_PX = 274
QR_BOX_PX = 74
STATUS_X_PX = QR_BOX_X_PX + QR_BOX_PX + 8  # 98
STATUS_WIDTH_PX = CARD_WIDTH_PX - PADDING_PX - STATUS_X_PX  # 146
STATUS_FONT_PX = 11
SURENESS_FONT_PX = 10  # the line under the stars (full variant): how sure they are
SURENESS_WIDTH_PX = CONTENT_WIDTH_PX  # the line under the stars has the card's width (nothing beside it)
RECORD_FONT_PX = 10  # the record id's line: 'Record' and 16 hex digits fit STATUS_WIDTH_PX
FULL_BUTTON_TEXT_WIDTH_PX = STATUS_WIDTH_PX - 16
# Status colours on white (each at least 4.5:1); a random-weights estimate is red, never green.
STATUS_COLOURS = {
    "published": "#237A3B",
    "accepted": "#1D5FA8",
    "pending": "#9A5B00",
    "custom": "#5B4B8A",
    "random weights": "#C62828",
}
DEFAULT_STATUS_COLOUR = "#313131"
NO_RECORD_TEXT = {"custom": "No leaderboard record"}
# What a label prints where its stars are not a rating among published results (every variant).
PROVISIONAL = "Provisional"
NOT_RATED = "Not rated"
MARKS = (PROVISIONAL, NOT_RATED)
CLASS_FONT_PX = 12
CLASS_WIDTH_PX = CONTENT_WIDTH_PX - 48  # right of the "Model" caption
# The label page in its custom mode, which says what a custom (self-reported) label is.
CUSTOM_LABELS_QUERY = "mode=Custom+values"


def custom_labels_url(base_url: str) -> str:
    """Where a custom label links: the label page's custom mode, which explains self-reported labels."""
    return f"{base_url.rstrip('/')}/{LABEL_PAGE_PATH}?{CUSTOM_LABELS_QUERY}"


def class_text(model_class: str | None) -> str:
    """'Class A (up to 20 B params)' for a class of ``leaderboard.tasks.MODEL_CLASSES``, else ''."""
    known = MODEL_CLASSES.get(model_class) if isinstance(model_class, str) else None
    if known is None:
        return ""
    if known.max_params_b is None:
        size = f"over {known.min_params_b:g} B"
    elif known.min_params_b == 0:
        size = f"up to {known.max_params_b:g} B"
    else:
        size = f"{known.min_params_b:g}–{known.max_params_b:g} B"
    return f"Class {known.id} ({size} params)"


@dataclass(frozen=True)
class Label:
    """Everything the label template shows, formatted and fitted.

    name_lines: the model name on one or two lines.
    scored: scoring month, e.g. "February 2025".  task: task display name.
    hardware: GPU name.  energy: e.g. "2.37 Wh" (GPU energy per 1,000 queries).
    stars: 1..MAX_STARS.  link: the model page of the record (or of the model, for custom values).
    link_text: what the button says.  title: accessible title of the SVG (model, task, stars, status).
    variant: "full" (status, record id and QR code) or "spec" (the reference design only).
    status: the result's status key ("published", "accepted", "pending", "random weights", "custom").
    status_lines: its readers' name on one or two lines.  status_colour: their colour.
    record: the record id (16 hex digits, ``leaderboard.links.record_id``), "" when there is no record.
    record_text: the line under the status ("Record 1a2b3c4d5e6f7a8b"), "" for none.
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
    variant: str
    status: str
    status_lines: tuple[str, ...]
    status_colour: str
    record: str
    record_text: str
    sureness: str = ""  # how sure the stars are, in a few words (full variant; "" in the spec variant)
    model_class: str = ""  # 'Class A (up to 20 B params)' where the task has classes, else ""
    mark: str = ""  # PROVISIONAL, NOT_RATED or "" (every variant says it)
    mark_line: str = ""  # the mark's own line under the stars (spec variant; the full one says it in sureness)
    desc: str = ""  # the SVG's description: every figure and where it comes from, in a sentence or two


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


def wrap_text(text: str, family: str, size_px: float, width_px: float, max_lines: int = 2) -> tuple[str, ...]:
    """``text`` on at most ``max_lines`` lines, broken at spaces; the last line is ellipsized."""
    lines: list[str] = []
    words = text.split(" ")
    while words and len(lines) < max_lines - 1:
        line = words.pop(0)
        while words and text_width(f"{line} {words[0]}", family, size_px) <= width_px:
            line = f"{line} {words.pop(0)}"
        if text_width(line, family, size_px) > width_px:
            words.insert(0, line)  # one word too long for a line: it is ellipsized below
            break
        lines.append(line)
    if words:
        lines.append(fit(" ".join(words), family, size_px, width_px))
    return tuple(lines)


def button_text(host_and_path: str, width_px: float = BUTTON_TEXT_WIDTH_PX) -> str:
    """'Learn more: <address>' when the address fits the button, else a shorter 'Learn more…'."""
    for text in (f"Learn more: {host_and_path}", "Learn more on the leaderboard"):
        if text_width(text, MEDIUM, BUTTON_FONT_PX) <= width_px:
            return text
    return fit("Learn more", MEDIUM, BUTTON_FONT_PX, width_px)


def clean_id(text: str) -> str:
    """A model id for a link: no control or format characters, no spaces around, bounded."""
    return "".join(ch for ch in str(text)[:MAX_INPUT_CHARS] if unicodedata.category(ch)[0] != "C").strip()


def _present(value: object) -> str | None:
    """``value`` if it is a non-empty string (not None, NaN or pandas' NA), else None."""
    return value if isinstance(value, str) and value else None


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
    status: str = "published",
    run_id: str | None = None,
    variant: str = "full",
    harness: str | None = None,
    sureness: str | None = None,
    evidence: str | None = None,
    model_class: str | None = None,
    mark: str = "",
) -> Label:
    """Build a label from raw values. ``scored`` is a month ``YYYY-MM``; energy in Wh per 1,000 queries.
    ``model`` is the name shown; ``model_id`` (default: ``model``) is the model page the link opens,
    at the record of ``run_id`` when given. ``status`` is the result's status (``leaderboard.links``).
    ``variant``: "full" (status, record id, QR code) or "spec" (the reference design). ``harness``: the
    name of the code that measured, given where it is not the one its round used (shown after the status
    and in the title). ``sureness``: how sure the stars are in a few words
    (``uncertainty.sureness_words``); ``evidence``: what backs the result (``leaderboard.evidence``),
    named after the status where it says more than the status does (default: the status's own,
    ``leaderboard.evidence.of_status``); both on the full variant only. ``model_class``: the result's
    class where its task has classes. ``mark``: ``PROVISIONAL``, ``NOT_RATED`` (then ``stars`` may be 0:
    all empty) or ''."""
    if mark not in ("", *MARKS):
        raise ValueError(f"mark must be one of {', '.join(MARKS)} or empty, not {mark!r}")
    if not (0 if mark == NOT_RATED else 1) <= int(stars) <= MAX_STARS:
        raise ValueError(f"stars must be 1..{MAX_STARS}, not {stars!r}")
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {', '.join(VARIANTS)}, not {variant!r}")
    if status == "custom":
        link = custom_labels_url(base_url)
    else:
        link = model_page_url(base_url, clean_id(model_id or model) or "(unnamed model)", run_id or None)
    model = clean_text(model, BOLD) or "(unnamed model)"
    hardware = clean_text(hardware) or "unknown hardware"
    status = clean_text(status)[:40] or "published"
    record = record_id(run_id) if run_id else ""
    readers_status = clean_text(status_text(status))
    evidence = evidence if evidence in KINDS_BY_ID else of_status(status)
    if evidence.lower() not in readers_status.lower():  # 'Published round' says 'published' already
        readers_status += f"; {evidence_words(evidence).lower()}"
    if harness:
        readers_status += f"; {clean_text(harness)[:40]}"
    host_and_path = re.sub(r"^https?://", "", base_url.rstrip("/"))
    full = variant == "full"
    if mark and not sureness:
        sureness = sureness_words(int(stars), None, True) if mark == PROVISIONAL else NOT_RATED
    shown_class = class_text(model_class) if _task_has_classes(task_id) else ""
    stars_words = (
        "not rated"
        if mark == NOT_RATED
        else f"{int(stars)} of {MAX_STARS} stars{' (provisional)' if mark == PROVISIONAL else ''}"
    )
    energy_text = f"{energy_wh(energy_wh_per_1k)} Wh"
    return Label(
        name_lines=wrap_name(model),
        scored=fit(month_name(scored), MEDIUM, VALUE_FONT_PX, VALUE_WIDTH_PX),
        task=fit(task_name(task_id), MEDIUM, VALUE_FONT_PX, VALUE_WIDTH_PX),
        hardware=fit(hardware, MEDIUM, VALUE_FONT_PX, VALUE_WIDTH_PX),
        energy=fit(energy_text, MEDIUM, ENERGY_FONT_PX, ENERGY_WIDTH_PX),
        stars=int(stars),
        link=link,
        link_text=button_text(host_and_path, FULL_BUTTON_TEXT_WIDTH_PX if full else BUTTON_TEXT_WIDTH_PX),
        title=(
            f"AI Energy Score label: {model[:120]}, {task_name(task_id)}"
            f"{f', class {model_class}' if shown_class else ''}, {stars_words}; "
            f"{readers_status}{f', record {record}' if record else ''}"
        ),
        variant=variant,
        status=status,
        status_lines=wrap_text(readers_status, BOLD, STATUS_FONT_PX, STATUS_WIDTH_PX) if full else (),
        status_colour=STATUS_COLOURS.get(status, DEFAULT_STATUS_COLOUR),
        record=record,
        record_text=(f"Record {record}" if record else NO_RECORD_TEXT.get(status, "")) if full else "",
        sureness=fit(clean_text(sureness or ""), MEDIUM, SURENESS_FONT_PX, SURENESS_WIDTH_PX) if full else "",
        model_class=fit(shown_class, REGULAR, CLASS_FONT_PX, CLASS_WIDTH_PX),
        mark=mark,
        mark_line="" if full else mark,
        desc=(
            f"Inference GPU energy per 1,000 queries: {energy_text} on {hardware[:80]}, scored "
            f"{month_name(scored)}, {task_name(task_id)}{f', {shown_class.lower()}' if shown_class else ''}: {stars_words}. "
            f"{readers_status}. Learn more: {link}"
        ),
    )


def _task_has_classes(task_id: str) -> bool:
    from leaderboard.tasks import TASKS_BY_ID

    task = TASKS_BY_ID.get(task_id)
    return bool(task and task.has_classes)


def _named_harness(task: object, cohort: object, harness: object) -> str | None:
    """The harness's name where it is not the one the result's round used, else None (also for a row
    that names no harness: dataset rows always do, see ``leaderboard.schema.validate_frame``)."""
    if harness is None or is_round_harness(str(task), str(cohort), harness):
        return None
    return harness_short_name(harness if isinstance(harness, str) else None)


def label_for_row(row: Any, base_url: str, *, variant: str = "full") -> Label:
    """The label of one rated result row (a mapping, pandas row or namedtuple with the dataset's
    columns). Its ``status`` and ``run_id`` say where the number comes from; a row without them is
    taken as published, with no record id."""
    get = row.get if hasattr(row, "get") else lambda k, default=None: getattr(row, k, default)
    return make_label(
        model=run_label(get("model"), get("reasoning_effort")),
        model_id=get("model"),
        task_id=get("task"),
        scored=get("cohort"),
        hardware=get("hardware"),
        energy_wh_per_1k=float(get("gpu_energy_wh_per_1k")),
        stars=int(get("stars")),
        base_url=base_url,
        status=_present(get("status", None)) or "published",
        harness=_named_harness(get("task"), get("cohort"), _present(get("harness", None))),
        run_id=_present(get("run_id", None)),
        variant=variant,
        sureness=sureness_words(int(get("stars")), _p_stars(get), bool(get("provisional", False))),
        evidence=_present(get("evidence", None)),
        model_class=_present(get("model_class", None)),
        mark=PROVISIONAL if _true(get("provisional", False)) else "",
    )


def _true(value: object) -> bool:
    """A row's flag: True only for a true value (not None, NaN or pandas' NA)."""
    try:
        return bool(value) and value == value  # NaN != NaN
    except (TypeError, ValueError):  # pandas' NA has no truth value
        return False


def _p_stars(get: Any) -> tuple[float, ...] | None:
    values = [get(c, None) for c in P_STAR_COLUMNS]
    try:
        p = tuple(float(v) for v in values)
    except (TypeError, ValueError):
        return None
    return None if any(math.isnan(x) for x in p) else p
