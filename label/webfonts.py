"""The label fonts inside the SVG, so that a browser, an image viewer or a converter with no Inter
installed draws the label as the PNG shows it.

Each SVG carries, in a ``<style>`` of ``@font-face`` rules, the shipped Inter faces it uses
(``label.fonts``) cut down to the characters its text draws, as WOFF (zlib) data URIs under the
family names the template already names ('Inter Regular', 'Inter Medium', 'Inter Bold', with their
weights, so that no browser synthesises bold). The text stays text: selectable, searchable, read out
with the SVG's title and description. Cut with fontTools' subsetter (the maintained library for it):

    shared          each subset also holds the characters of the words a label draws in its face from a
                    small vocabulary (months, tasks, boards, the letters of Hub ids, …): labels share them
    REPERTOIRE      the characters a label commonly draws (Latin, Latin-1, Latin Extended-A and B, the
                    label's own symbols): each face is cut to them once per process, and each label's
                    subset is cut from that (45 ms for three faces from the whole font, a few from it)
    no layout       GPOS, GSUB, GDEF and kern are dropped: cairosvg draws glyph by glyph at their
                    advances (``label.fonts.text_width``), so a browser must not kern either
    no hinting      the PNG is drawn at 2x; hints only grow the file

cairosvg ignores ``@font-face`` (it draws with the shipped files through fontconfig), so the PNG is
unchanged by it, and the fast PNG path never reads the style (it sits before ``<!--static-->``).
"""

from __future__ import annotations

import base64
import io
import xml.etree.ElementTree as ET
from functools import lru_cache

from label.fonts import BOLD, FONT_DIR, MEDIUM, REGULAR

FACE_FILES = {REGULAR: "Inter-Regular.otf", MEDIUM: "Inter-Medium.otf", BOLD: "Inter-Bold.otf"}
FACE_WEIGHTS = {REGULAR: 400, MEDIUM: 500, BOLD: 700}
REPERTOIRE = frozenset([*range(0x20, 0x7F), *range(0xA0, 0x250)] + [ord(c) for c in "…★☆·–—×±‘’“”•≤≥→€™"])
DROPPED_TABLES = ("GPOS", "GSUB", "GDEF", "kern", "STAT", "DSIG", "BASE", "JSTF", "MATH")
SVG_NS = "{http://www.w3.org/2000/svg}"
SUBSET_CACHE = 2048  # (face, characters) subsets kept per process: a site's labels share most of them


def _options() -> object:
    from fontTools import subset

    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.desubroutinize = True
    options.notdef_outline = True
    options.name_IDs = [1, 2, 4, 6]
    options.drop_tables += list(DROPPED_TABLES)
    return options


def _cut(font_bytes: bytes, unicodes: list[int], flavor: str | None) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(font_bytes), recalcTimestamp=False, recalcBBoxes=False, lazy=True)  # same bytes
    for table in DROPPED_TABLES:  # dropped before the subsetter reads them (Inter's GPOS alone takes 1 s)
        if table in font:
            del font[table]
    subsetter = subset.Subsetter(_options())  # type: ignore[arg-type, unused-ignore]
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    font.flavor = flavor
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@lru_cache(maxsize=3)
def _whole(family: str) -> bytes:
    return (FONT_DIR / FACE_FILES[family]).read_bytes()


@lru_cache(maxsize=3)
def _repertoire(family: str) -> bytes:
    """The face cut to ``REPERTOIRE`` (once per process): what most labels' subsets are cut from."""
    return _cut(_whole(family), sorted(REPERTOIRE), None)


def prepare() -> None:
    """Cut every face to ``REPERTOIRE`` now: called before forking workers, so that they share the cuts."""
    for family in FACE_FILES:
        _repertoire(family)
    shared_chars()


@lru_cache(maxsize=1)
def shared_chars() -> dict[str, frozenset[str]]:
    """Characters each face's subset always includes: every character of the words the label draws in
    that face from a small vocabulary (captions, months, tasks, classes, known boards, statuses, record
    ids, how sure, the marks; the letters, digits and punctuation of Hub ids for the Bold name). Labels
    then share their subsets: a few cuts per process instead of three per label (the site's 216 labels:
    0.7 s instead of 4.8 s at load 5, about 4 KB more a label)."""
    import calendar
    import string

    from label.model import MARKS, NO_RECORD_TEXT, class_text
    from leaderboard.evidence import KINDS
    from leaderboard.hardware import BOARDS
    from leaderboard.links import STATUS_TEXT
    from leaderboard.tasks import MODEL_CLASSES, TASKS

    digits = "0123456789"
    regular = [
        digits + "AI Energy Score Model Scored Task Hardware GPU energy per 1,000 queries Energy Score Record abcdef",
        *(class_text(c) for c in MODEL_CLASSES),
        *NO_RECORD_TEXT.values(),
    ]
    medium = [
        digits + " ,.Wh★%·:…× likely How sure: unknown nothing to compare stars given by hand no known board",
        *calendar.month_name[1:],
        *(t.display_name for t in TASKS),
        *(b.name for b in BOARDS),
        *MARKS,
        "Learn more: on the leaderboard",
    ]
    model_ids = string.ascii_letters + digits + "-._/() ,…"  # Hub ids, '(effort)', a name cut short
    bold = [model_ids, *STATUS_TEXT.values(), *(k.words.lower() for k in KINDS), *MARKS, ";"]
    return {family: frozenset("".join(words)) for family, words in ((REGULAR, regular), (MEDIUM, medium), (BOLD, bold))}


def subset_chars(family: str, drawn: str) -> str:
    """The characters ``family``'s subset holds for a label that draws ``drawn`` (with ``shared_chars``,
    sorted and unique)."""
    return "".join(sorted(set(drawn) | shared_chars().get(family, frozenset())))


@lru_cache(maxsize=SUBSET_CACHE)
def face_data(family: str, chars: str) -> str:
    """The face cut to ``chars`` (sorted, unique), as base64 WOFF."""
    codes = sorted({ord(c) for c in chars})
    source = _repertoire(family) if REPERTOIRE.issuperset(codes) else _whole(family)
    return base64.b64encode(_cut(source, codes, "woff")).decode("ascii")


def drawn_chars(svg: str) -> dict[str, str]:
    """Each label face's characters that ``svg`` draws (text of its ``<text>`` elements, by the first
    family each one names or inherits), sorted and unique. Title and description are not drawn."""
    root = ET.fromstring(svg)
    found: dict[str, set[str]] = {}

    def walk(element: ET.Element, family: str | None) -> None:
        named = element.get("font-family")
        if named:
            family = named.split(",")[0].strip().strip("'\"")
        if element.tag == f"{SVG_NS}text" and family in FACE_FILES:
            found.setdefault(family, set()).update("".join(element.itertext()))
        for child in element:
            walk(child, family)

    walk(root, None)
    return {family: "".join(sorted(chars)) for family, chars in found.items() if chars}


def font_style(svg: str) -> str:
    """A ``<style>`` of ``@font-face`` rules with the faces ``svg`` draws, cut to what it draws."""
    rules = [
        f"@font-face{{font-family:'{family}';font-weight:{FACE_WEIGHTS[family]};font-style:normal;"
        f"src:url(data:font/woff;base64,{face_data(family, subset_chars(family, chars))}) format('woff')}}"
        for family, chars in sorted(drawn_chars(svg).items())
    ]
    return f"<style>{''.join(rules)}</style>\n" if rules else ""
