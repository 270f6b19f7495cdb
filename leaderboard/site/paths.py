"""The static site's URL scheme, defined once: every page, label and data file's path in the built
folder, and the links between them. The builder, the templates' link helpers, the link checker and
the tests all ask this module; nothing else spells a path of the site.

The scheme is a public contract (labels' QR codes and model cards link into it):

    index.html                                     the overview of every task
    <task>/                                        a task board (``text_generation/``)
    model/<org>/<name>/                            a model page (every result, labels, citation)
    model/ and model.html                          answer the app's ``model?id=<org/name>&record=<id>``
    label/<org>/<name>/<task>.svg|.png             the model's current official label of a task
    label/<org>/<name>/<task>-<effort>.svg|.png    … of a reasoning effort
    label/record/<record id>.svg|.png              one result's label, forever
    data/results.csv|json|parquet                  the rated table (``python -m leaderboard export``)
    data/<task>.json                               one task board's lists
    stability/                                     how sure the stars are (``leaderboard.stability``)
    data/stability.json                            the same report as data
    404.html, sitemap.xml

Paths here are file paths inside the built folder (``model/openai-community/gpt2/index.html``);
``href`` turns one into a relative link from another page, so the site works under any base path,
and ``public`` into an absolute address under the site's public address. Model ids are Hub ids
(``leaderboard.schema.HUB_ID_PATTERN``): ``model_parts`` refuses anything else, so no id from the
data can climb out of its folder (no ``..``, no leading ``/``, no backslash).
"""

from __future__ import annotations

import posixpath
import unicodedata
from urllib.parse import quote, unquote

from leaderboard.errors import ValidationError
from leaderboard.links import RECORD_ID_CHARS
from leaderboard.schema import HUB_ID_PATTERN
from leaderboard.tasks import TASKS_BY_ID

INDEX = "index.html"
NOT_FOUND = "404.html"
SITEMAP = "sitemap.xml"
# The app's model-page address ``<public_url>/model?id=…&record=…`` (``leaderboard.links``): a static
# host serves ``/model`` from ``model.html`` (GitHub Pages) or redirects it to ``/model/`` (most others).
MODEL_REDIRECTS = ("model/index.html", "model.html")
STYLESHEET = "assets/site.css"
BOARD_STYLESHEET = "assets/board.css"  # the ranked lists' stylesheet, shared with the app (leaderboard.board)
SCRIPT = "assets/site.js"
STABILITY = "stability/index.html"
STABILITY_DATA = "data/stability.json"
DATA_FORMATS = ("csv", "json", "parquet")
LABEL_FORMATS = ("svg", "png")
# Marks a folder this command built (kept for the people who look in it; the manifest is what counts).
BUILD_MARK = ".aies-site"
# Every file the last build wrote, with its SHA-256: a rebuild removes only files listed here that it no
# longer writes (and only while they hold the bytes it wrote); every other file in the folder stays.
MANIFEST = ".aies-site-manifest.json"
# Names Windows reserves for devices, alone or with any extension ('nul.txt', 'COM1.tar.gz'), in any case.
WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"{d}{i}" for d in ("COM", "LPT") for i in (*"123456789", "¹", "²", "³"))}
)
# GitHub Pages runs Jekyll on a folder without this file, which hides paths that begin with '_'.
NO_JEKYLL = ".nojekyll"


def is_model_id(model_id: object) -> bool:
    """Whether ``model_id`` is a Hub id ``org/name`` as a whole (a trailing newline is not)."""
    return isinstance(model_id, str) and HUB_ID_PATTERN.fullmatch(model_id) is not None


def model_parts(model_id: str) -> tuple[str, str]:
    """``(org, name)`` of a Hub id, or ``ValidationError``: anything else never becomes a path."""
    if not is_model_id(model_id):
        raise ValidationError(f"model id {str(model_id)[:100]!r} is not a Hub id org/name: it has no page on the site")
    org, name = model_id.split("/")
    if {org, name} & {".", ".."}:  # the pattern already refuses these; said twice, as it guards the file system
        raise ValidationError(f"model id {model_id!r} is not a Hub id org/name")
    return org, name


def name_problem(part: str) -> str | None:
    """Why ``part`` (one folder or file name from a model id) would not be the same name on every system, or
    None: a name Windows reserves, with or without an extension, or one ending in a dot or a space (which
    Windows drops, so 'org/model.' would be the folder of 'org/model')."""
    stem = part.split(".", 1)[0].rstrip(" ").upper()
    if stem in WINDOWS_RESERVED:
        return f"{part!r} is a device name on Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with any extension)"
    if part.endswith((".", " ")):
        return f"{part!r} ends with a dot or a space, which Windows drops from a name"
    return None


def portable_key(text: str) -> str:
    """The name ``text`` is on a case-insensitive, Unicode-normalising disk (Windows, macOS): its case-folded
    NFC form. Two paths with one key are one file there."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())


def _task(task_id: str) -> str:
    if task_id not in TASKS_BY_ID:
        raise ValidationError(f"unknown task {str(task_id)[:80]!r}")
    return task_id


def board(task_id: str) -> str:
    return f"{_task(task_id)}/{INDEX}"


def board_data(task_id: str) -> str:
    return f"data/{_task(task_id)}.json"


def results_data(fmt: str) -> str:
    if fmt not in DATA_FORMATS:
        raise ValueError(f"data format must be one of {DATA_FORMATS}, not {fmt!r}")
    return f"data/results.{fmt}"


def model_page(model_id: str) -> str:
    org, name = model_parts(model_id)
    return f"model/{org}/{name}/{INDEX}"


def label_key(task_id: str, effort: str | None = None) -> str:
    """A stable label's file stem: the task id, and ``-<effort>`` for a reasoning effort."""
    return f"{_task(task_id)}-{effort}" if effort else _task(task_id)


def stable_label(model_id: str, task_id: str, effort: str | None, fmt: str) -> str:
    """The model's current official label of a task (and effort): the address for model cards."""
    org, name = model_parts(model_id)
    return f"label/{org}/{name}/{label_key(task_id, effort)}.{_label_format(fmt)}"


def record_label(record: str, fmt: str) -> str:
    """One result's label, at its record id (``leaderboard.links.record_id``) forever."""
    if len(record) != RECORD_ID_CHARS or any(c not in "0123456789abcdef" for c in record):
        raise ValidationError(f"record id {record[:40]!r} is not {RECORD_ID_CHARS} hex digits")
    return f"label/record/{record}.{_label_format(fmt)}"


def _label_format(fmt: str) -> str:
    if fmt not in LABEL_FORMATS:
        raise ValueError(f"label format must be one of {LABEL_FORMATS}, not {fmt!r}")
    return fmt


def url_path(path: str) -> str:
    """A file path as a URL path: each part percent-encoded, and a folder's index as the folder."""
    parts = path.split("/")
    if parts[-1] == INDEX:
        parts[-1] = ""
    return "/".join(quote(p, safe="") for p in parts)


def href(from_path: str, to_path: str, fragment: str = "") -> str:
    """A relative link from the page at ``from_path`` to ``to_path`` (both paths in the site)."""
    here = posixpath.dirname(from_path) or "."
    target = url_path(to_path)
    rel = posixpath.relpath(target.rstrip("/") or ".", here)
    if target == "" or target.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{quote(fragment, safe='')}" if fragment else "")


def root_of(from_path: str) -> str:
    """The site's root seen from the page at ``from_path``: ``./``, ``../``, ``../../``…"""
    depth = from_path.count("/")
    return "../" * depth or "./"


def public(base_url: str, path: str, fragment: str = "") -> str:
    """The absolute address of ``path`` on the site published at ``base_url``."""
    return f"{base_url.rstrip('/')}/{url_path(path)}" + (f"#{quote(fragment, safe='')}" if fragment else "")


def file_of(url_path_: str) -> str:
    """The file a URL path inside the site names (the inverse of ``url_path``): a folder's
    ``index.html``; used by the link checker."""
    path = unquote(url_path_)
    return path + INDEX if path.endswith("/") or path == "" else path


QUALITY_PROVENANCE = "data/quality-provenance.md"


def quality_data(fmt: str) -> str:
    """The quality table (``leaderboard.exports.quality_csv`` …) beside the results' files."""
    if fmt not in DATA_FORMATS:
        raise ValueError(f"data format must be one of {DATA_FORMATS}, not {fmt!r}")
    return f"data/quality.{fmt}"
