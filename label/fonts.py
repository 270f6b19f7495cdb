"""The label's fonts: Inter (SIL Open Font License, ``assets/fonts/OFL.txt``) through the
project's own fontconfig file, so that output is the same on every machine.

Importing this module points fontconfig at ``assets/fonts/fonts.conf`` (only the shipped
fonts). It must happen before anything in the process draws text with cairo, because
fontconfig reads its configuration once. ``check_fonts`` proves the right faces were found
by measuring a probe string against the shipped files' known advances; it raises
``FontError`` instead of letting cairo fall back to another font.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from leaderboard.errors import FontError

FONT_DIR = Path(__file__).resolve().parents[1] / "assets" / "fonts"
FONTS_CONF = FONT_DIR / "fonts.conf"
FONT_FILES = ("Inter-Regular.otf", "Inter-Medium.otf", "Inter-Bold.otf")

os.environ["FONTCONFIG_FILE"] = str(FONTS_CONF)

# Each shipped file has a family name of its own (fonts.conf): the SVG names faces by family.
REGULAR = "Inter Regular"
MEDIUM = "Inter Medium"
BOLD = "Inter Bold"
# Advance of PROBE at 100 px in each shipped file (a fingerprint of the files, not a tolerance):
# any other font, or a fontconfig that never read fonts.conf, measures differently.
PROBE = "AI Energy Score 0123456789"
PROBE_ADVANCE_PX = {REGULAR: 1385.1, MEDIUM: 1403.7, BOLD: 1441.2}


@lru_cache(maxsize=1)
def _context() -> Any:
    import cairocffi as cairo

    ctx = cairo.Context(cairo.ImageSurface(cairo.FORMAT_ARGB32, 1, 1))
    options = cairo.FontOptions()
    options.set_hint_metrics(cairo.HINT_METRICS_OFF)  # true advances, not rounded to whole pixels
    ctx.set_font_options(options)
    return ctx


def text_width(text: str, family: str, size_px: float) -> float:
    """Advance width of ``text`` in px, measured the way cairosvg draws it (glyph by glyph)."""
    return sum(_advances(family, size_px, ch) for ch in text)


@lru_cache(maxsize=16384)
def _advances(family: str, size_px: float, ch: str) -> float:
    """One character's advance (fitting a name measures each character many times)."""
    ctx = _context()
    ctx.select_font_face(family)
    ctx.set_font_size(size_px)
    advance: float = ctx.text_extents(ch)[4]
    return advance


@lru_cache(maxsize=16384)
def ink_extent(text: str, family: str, size_px: float) -> tuple[float, float]:
    """(x bearing, width) of the ink of ``text`` in px: what cairosvg anchors an end- or middle-anchored
    text by (a browser anchors by the advance, which differs by the last glyph's side bearing)."""
    ctx = _context()
    ctx.select_font_face(family)
    ctx.set_font_size(size_px)
    x_bearing, _y_bearing, width, *_rest = ctx.text_extents(text)
    return float(x_bearing), float(width)


def end_x(text: str, family: str, size_px: float, right_px: float) -> float:
    """Where ``text`` starts so that its ink ends at ``right_px`` (as cairosvg's text-anchor="end")."""
    x_bearing, width = ink_extent(text, family, size_px)
    return right_px - (width + x_bearing)


def middle_x(text: str, family: str, size_px: float, centre_px: float) -> float:
    """Where ``text`` starts so that its ink is centred on ``centre_px`` (cairosvg's "middle")."""
    x_bearing, width = ink_extent(text, family, size_px)
    return centre_px - (width / 2 + x_bearing)


@lru_cache(maxsize=4096)
def has_glyph(ch: str, family: str) -> bool:
    """Whether the shipped face draws ``ch`` (cairo maps a missing glyph to index 0)."""
    ctx = _context()
    ctx.select_font_face(family)
    glyphs, _clusters, _flags = ctx.get_scaled_font().text_to_glyphs(0, 0, ch, with_clusters=True)
    return bool(glyphs) and all(glyph[0] != 0 for glyph in glyphs)


@lru_cache(maxsize=1)
def check_fonts() -> None:
    """Raise ``FontError`` unless the three shipped Inter faces are what cairo draws with."""
    missing = [name for name in FONT_FILES if not (FONT_DIR / name).is_file()]
    if missing:
        raise FontError(
            f"Label font files missing from {FONT_DIR}: {', '.join(missing)}. "
            "Restore assets/fonts/ from the repository."
        )
    if os.environ.get("FONTCONFIG_FILE") != str(FONTS_CONF):
        raise FontError(
            f"FONTCONFIG_FILE is {os.environ.get('FONTCONFIG_FILE')!r}, not {FONTS_CONF}; "
            "import label.fonts before anything else draws text."
        )
    for family, expected in PROBE_ADVANCE_PX.items():
        measured = text_width(PROBE, family, 100)
        if abs(measured - expected) > 0.005 * expected:
            raise FontError(
                f"Cairo does not draw with the shipped font {family}: "
                f"probe width {measured:.1f} px, expected {expected:.1f} px. Fontconfig was probably "
                f"initialised before label.fonts set FONTCONFIG_FILE={FONTS_CONF}; import label first."
            )
