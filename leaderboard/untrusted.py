"""Reading untrusted JSON: typed readers that return the value as its type or raise
``SubmissionError`` naming where it is, never another exception.

Every file a submitter uploads, and every record read back from the store, is read through these:
a list where an object belongs, a string where a number belongs, a number too large for a float, is
a refusal naming the field (``benchmark_report.json → prefill → energy → gpu must be a number``).
Numbers are finite; booleans are never numbers; a whole number may be written 1000 or 1000.0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from leaderboard.errors import SubmissionError

UNCHANGED = "Upload the files the benchmark wrote, unchanged."


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
