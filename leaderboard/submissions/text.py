"""Untrusted text from a zip or a form: shown safely, and model ids held to the Hub's rules.

printable(text)        for a terminal: control, format (bidi, zero-width) and separator
                       characters become visible escapes (\\x1b, \\u202e), so a model id cannot
                       clear the screen or print a fake verdict
markdown_literal(text) for Streamlit, whose alerts and captions render Markdown: every ASCII
                       punctuation character is backslash-escaped (CommonMark allows that for
                       each of them), so no link, image, emphasis, colour, emoji or maths is made
                       from untrusted text, and a newline becomes a space
model_id_problem(id)   why an id is not a Hub model id (ASCII ``org/name``), or None
"""

from __future__ import annotations

import re
import string
import unicodedata

_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_MD_SPECIAL = frozenset(string.punctuation)
_NO_AUTOLINK = frozenset(":.@")
_WORD_JOINER = "\u2060"

# A Hub repository id: ASCII letters, digits, '-', '_' and '.', each part 1-96 characters, starting
# and ending with a letter, digit or '_'; no '--' or '..', not ending in '.git'
# (huggingface_hub's validate_repo_id, with the ASCII the Hub itself requires).
_HUB_PART = r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?"
_HUB_ID = re.compile(rf"{_HUB_PART}/{_HUB_PART}", re.ASCII)


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str) -> str:
    """``text`` with every control, format, private, unassigned and separator character escaped."""
    return "".join(_escape(ch) if unicodedata.category(ch) in _UNSAFE_CATEGORIES else ch for ch in str(text))


def markdown_literal(text: str) -> str:
    """``text`` as Markdown that renders to its characters (on one line), with nothing made a link,
    an image, an emoji or markup."""
    out = []
    for ch in printable(text):
        if ch in _NO_AUTOLINK:
            out.append(_WORD_JOINER)
        out.append("\\" + ch if ch in _MD_SPECIAL else ch)
    return "".join(out)


def model_id_problem(model: str) -> str | None:
    """None for a valid Hub model id; otherwise what is wrong, naming the bad character."""
    shown = printable(model[:80])
    if not model:
        return "Give the model's Hub id, like org/name."
    for ch in model:
        if not ch.isascii():
            return (
                f"Model id {shown!r} holds {ch!r} (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}): "
                "Hub ids are ASCII, so this is a look-alike of another id. Type the id with plain letters."
            )
    if not _HUB_ID.fullmatch(model) or "--" in model or ".." in model or model.endswith(".git"):
        return (
            f"Model id {shown!r} must be a Hub id like org/name (letters, digits, '-', '_', '.'; "
            "each part at most 96 characters, starting and ending with a letter or digit)."
        )
    return None
