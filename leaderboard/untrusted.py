"""Reading untrusted JSON: typed readers that return the value as its type or raise
``SubmissionError`` naming where it is, never another exception.

Every file a submitter uploads, and every record read back from the store, is read through these:
a list where an object belongs, a string where a number belongs, a number too large for a float, is
a refusal naming the field (``benchmark_report.json → prefill → energy → gpu must be a number``).
Numbers are finite; booleans are never numbers; a whole number may be written 1000 or 1000.0.

Bytes become JSON (``load_json``) or CSV rows (``load_csv``) within named limits, checked before the
work they bound:

    MAX_JSON_DEPTH          64 nested arrays or objects
    MAX_JSON_VALUES         200,000 values in one file
    MAX_NUMBER_CHARS        40 characters in one number (a 400-digit integer is refused, 1e400 too)
    MAX_CSV_ROWS            1,000 rows in one CSV file; MAX_CSV_COLUMNS 300 columns

JSON is strict: UTF-8, no NaN or Infinity, finite numbers, no key twice in one object, no lone
surrogate escapes. Depth, value count and number lengths are checked on a skeleton of the text (its
strings blanked out) before ``json.loads`` runs, so parsing is bounded in time and memory. The
limits on a zip's size and members are the archive reader's (``leaderboard.submissions.archive``).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import re
from collections.abc import Mapping
from typing import NoReturn

from leaderboard.errors import SubmissionError

UNCHANGED = "Upload the files the benchmark wrote, unchanged."
MAX_JSON_DEPTH = 64
MAX_JSON_VALUES = 200_000
MAX_NUMBER_CHARS = 40
MAX_CSV_ROWS = 1_000
MAX_CSV_COLUMNS = 300


def at(path: str, key: str | int) -> str:
    """Where a member of ``path`` is: ``path → key`` for an object's key, ``path[i]`` for a list's item."""
    return f"{path} → {key}" if isinstance(key, str) else f"{path}[{key}]"


def obj(value: object, where: str) -> Mapping[str, object]:
    """``value`` as a JSON object, or ``SubmissionError`` naming where it is."""
    if not isinstance(value, dict):
        raise SubmissionError(f"{where} must be a JSON object, not {type(value).__name__}. {UNCHANGED}")
    return value


def number(value: object, where: str) -> float:
    """A finite JSON number (not a boolean), as float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SubmissionError(f"{where} must be a number, not {shown(value)}. {UNCHANGED}")
    try:
        result = float(value)
    except OverflowError:
        raise SubmissionError(f"{where} is too large a number ({str(value)[:20]}…). {UNCHANGED}") from None
    if not math.isfinite(result):
        raise SubmissionError(f"{where} is not a finite number. {UNCHANGED}")
    return result


def opt_number(value: object, where: str) -> float | None:
    return None if value is None else number(value, where)


def integer(value: object, where: str) -> int:
    """A whole JSON number (1000 or 1000.0), as int."""
    result = number(value, where)
    if result != int(result):
        raise SubmissionError(f"{where} must be a whole number, not {result!r}. {UNCHANGED}")
    return int(result)


def text(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise SubmissionError(f"{where} must be text, not {shown(value)}. {UNCHANGED}")
    return value


def opt_text(value: object, where: str) -> str | None:
    return None if value is None else text(value, where)


def shown(value: object) -> str:
    """A value as a refusal names it: a container by its type, anything else by its first 40 characters."""
    return type(value).__name__ if isinstance(value, (dict, list)) else repr(value)[:40]


def finite_or_none(value: float | None) -> float | None:
    """A number as strict JSON can hold it: an infinite or NaN one is ``None``."""
    return value if value is not None and math.isfinite(value) else None


def _fail(message: str) -> NoReturn:
    raise SubmissionError(message)


# --- strict, bounded JSON and CSV ----------------------------------------------------------------------

# A JSON string from its opening quote: possessive, so a match never backtracks (linear in its length).
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_LONG_NUMBER = re.compile(rb"[-+0-9.eE]{%d,}" % (MAX_NUMBER_CHARS + 1))
_BRACKETS_ONLY = bytes(b for b in range(256) if b not in b"[]{}")


class _JsonLimit(ValueError):
    """A bound on JSON that the text exceeds."""


def _reject_constant(name: str) -> NoReturn:
    raise _JsonLimit(f"contains {name}, which is not a number JSON allows")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _JsonLimit(f"holds the number {text[:20]}, beyond the range of a double")
    return value


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            raise _JsonLimit(f"has the key {key[:40]!r} twice in one object, so it can be read in two ways")
        out[key] = value
    return out


def _without_strings(raw: bytes) -> bytes:
    """``raw`` with every string's contents removed, in one pass: each byte is scanned once (a search
    that restarts at every quote is quadratic on a long unterminated string full of escaped quotes).
    An unterminated string ends the skeleton: nothing after it is JSON structure."""
    parts: list[bytes] = []
    pos = 0
    while (quote := raw.find(b'"', pos)) >= 0:
        parts.append(raw[pos:quote])
        m = _STRING.match(raw, quote)
        parts.append(b'""')
        if m is None:
            return b"".join(parts)
        pos = m.end()
    parts.append(raw[pos:])
    return b"".join(parts)


def _skeleton_limits(raw: bytes) -> str | None:
    skeleton = _without_strings(raw)
    containers = skeleton.count(b"{") + skeleton.count(b"[")
    if containers + skeleton.count(b",") > MAX_JSON_VALUES:
        return f"holds more than {MAX_JSON_VALUES:,} values"
    brackets = skeleton.translate(None, _BRACKETS_ONLY)
    depth = max(itertools.accumulate(1 if b in b"[{" else -1 for b in brackets), default=0)
    if depth > MAX_JSON_DEPTH:
        return f"is nested {depth:,} levels deep (limit {MAX_JSON_DEPTH})"
    if _LONG_NUMBER.search(skeleton):
        return f"holds a number longer than {MAX_NUMBER_CHARS} characters"
    return None


def _check_strings(value: object) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            item.encode("utf-8")  # a lone surrogate (\\ud800) raises UnicodeEncodeError
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def load_json(name: str, data: bytes) -> object:
    """Parse a member's bytes as strict, bounded JSON, or raise ``SubmissionError`` naming the file."""
    unchanged = "Upload the file the benchmark wrote, unchanged."
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _fail(f"{name} is not UTF-8 text. {unchanged}")
    limit = _skeleton_limits(data)
    if limit:
        _fail(f"{name} {limit}: it is not a benchmark report. {unchanged}")
    try:
        value = json.loads(
            text,
            parse_constant=_reject_constant,
            parse_float=_finite_float,
            object_pairs_hook=_unique_keys,
        )
        _check_strings(value)
    except json.JSONDecodeError as exc:
        kind = "truncated" if exc.pos >= len(text.rstrip()) else "invalid"
        _fail(f"{name} is {kind} JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). {unchanged}")
    except _JsonLimit as exc:
        _fail(f"{name} {exc}. {unchanged}")
    except UnicodeEncodeError:
        _fail(f"{name} holds a broken Unicode escape (a lone surrogate). {unchanged}")
    except (ValueError, RecursionError) as exc:
        _fail(f"{name} is not valid JSON ({type(exc).__name__}). {unchanged}")
    return value


def load_csv(name: str, data: bytes) -> list[dict[str, str]]:
    """Parse a member's bytes as a CSV file with a header row, within ``MAX_CSV_ROWS`` and
    ``MAX_CSV_COLUMNS``: one dict per data row, or ``SubmissionError`` naming the file and the line."""
    unchanged = "Upload the file the benchmark wrote, unchanged."
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _fail(f"{name} is not UTF-8 text. {unchanged}")
    if "\x00" in text:
        _fail(f"{name} holds NUL characters: it is not a CSV file. {unchanged}")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[dict[str, str]] = []
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            _fail(f"{name} has no header row. {unchanged}")
        if len(header) > MAX_CSV_COLUMNS:
            _fail(f"{name} has {len(header):,} columns; the limit is {MAX_CSV_COLUMNS}. {unchanged}")
        if len(set(header)) != len(header):
            _fail(f"{name} names a column twice in its header. {unchanged}")
        for line in reader:
            if not line:
                continue
            if len(rows) >= MAX_CSV_ROWS:
                _fail(f"{name} has more than {MAX_CSV_ROWS:,} rows. {unchanged}")
            if len(line) != len(header):
                _fail(
                    f"{name} line {reader.line_num} has {len(line)} fields; its header has {len(header)}. {unchanged}"
                )
            rows.append(dict(zip(header, line, strict=True)))
    except csv.Error as exc:
        _fail(f"{name} is not valid CSV (line {reader.line_num}: {exc}). {unchanged}")
    return rows
