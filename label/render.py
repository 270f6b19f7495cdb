"""Render labels: SVG from the jinja2 template (autoescaped, strict), PNG from that SVG with
cairosvg at 2x (520 x 728 px), and a ZIP of many labels.

The PNG is the SVG drawn by cairosvg, made faster in three ways that change no pixel (a test
compares with plain cairosvg). The template puts what every label of a variant shares (frame,
header, captions, icons, dividers) first, after ``<!--static-->``: that layer is drawn once and
copied under each label. Then, after ``<!--dynamic-->``, elements with few distinct values (a
month, a task, the hardware, the stars, the status, the button), each after ``<!--tile-->``: each
is drawn once over the shared layer and the rectangle of pixels it changed is copied after (their
rectangles must not meet, else cairosvg draws them). Last, after ``<!--own-->``, what is unique to
the label (QR code, name, energy, record id), drawn by cairosvg, except the QR code's path: its
runs sit on whole PNG pixels and are filled with cairo directly instead of being parsed by
cairosvg (6 to 12 ms a label). Document order is painting order throughout. An SVG without these
marks is drawn whole by cairosvg.
"""

from __future__ import annotations

import io
import math
import multiprocessing
import os
import re
import struct
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
from markupsafe import Markup

from label.fonts import (  # sets FONTCONFIG_FILE before cairo draws text
    BOLD,
    MEDIUM,
    REGULAR,
    check_fonts,
    end_x,
    middle_x,
    text_width,
)
from label.model import (
    CARD_HEIGHT_PX,
    CARD_WIDTH_PX,
    QR_BOX_PX,
    QR_BOX_X_PX,
    QR_BOX_Y_PX,
    RECORD_FONT_PX,
    STATUS_X_PX,
    Label,
)
from label.qr import QrCode, qr_code
from label.webfonts import font_style
from label.webfonts import prepare as prepare_fonts
from leaderboard.tasks import MAX_STARS

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
PNG_SCALE = 2
PNG_SIZE_PX = (CARD_WIDTH_PX * PNG_SCALE, CARD_HEIGHT_PX * PNG_SCALE)
PNG_ZLIB_LEVEL = 1
STATIC_MARK = "<!--static-->"
DYNAMIC_MARK = "<!--dynamic-->"
TILE_MARK = "<!--tile-->"
OWN_MARK = "<!--own-->"
DESC_END = "</desc>\n"  # the embedded fonts' <style> follows the description, before the static layer
_HREF = re.compile(r'href="[^"]*"')
_QR_ELEMENT = re.compile(r'<path id="qr" d="([^"]*)" fill="#([0-9A-F]{6})" shape-rendering="crispEdges"/>\n?')
_HALF = r"(\d{1,4}(?:\.5)?)"  # a multiple of 0.5 px: one PNG pixel at 2x
_QR_RUN = re.compile(rf"M{_HALF} {_HALF}h{_HALF}v{_HALF}h-\3z")
_QR_PATH = re.compile(rf"(?:M{_HALF} {_HALF}h{_HALF}v{_HALF}h-\3z)+")

# Vertical positions (px) of each variant. "spec" is SPEC §6's reference layout; "full" tightens it
# to free the bottom block for the QR code, the status and the record id beside the button.
_POSITIONS: dict[str, dict[str, Any]] = {
    "spec": {
        "model_y": 70,
        "name_y": 89,
        "row_icon_y": (127, 151, 175),
        "row_text_y": (138, 162, 186),
        "divider_y": (214.5, 272.5),
        "energy_icon_y": 233,
        "energy_caption_y": (241, 255),
        "energy_value_y": 249,
        "stars_y": 283,
        "score_text_y": 297,
        "button_x": 16,
        "button_y": 316,
        "button_w": 228,
    },
    "full": {
        "model_y": 66,
        "name_y": 84,
        "row_icon_y": (112, 134, 156),
        "row_text_y": (123, 145, 167),
        "divider_y": (181.5, 229.5),
        "energy_icon_y": 195,
        "energy_caption_y": (203, 217),
        "energy_value_y": 211,
        "stars_y": 240,
        "score_text_y": 254,
        "status_x": STATUS_X_PX,
        "status_y": 284,
        "button_x": STATUS_X_PX,
        "button_y": 316,
        "button_w": CARD_WIDTH_PX - 16 - STATUS_X_PX,
    },
}


def _star_path(size: float = 20.0, inner_ratio: float = 0.45) -> str:
    """A five-pointed star filling a ``size`` box, as an SVG path (the project's own shape)."""
    r_out, r_in, cx, cy = size / 2, size / 2 * inner_ratio, size / 2, size / 2 + 0.5
    points = []
    for k in range(10):
        r = r_out if k % 2 == 0 else r_in
        angle = -math.pi / 2 + k * math.pi / 5
        points.append(f"{cx + r * math.cos(angle):.2f} {cy + r * math.sin(angle):.2f}")
    return "M" + "L".join(points) + "Z"


@lru_cache(maxsize=4)
def _layout(variant: str) -> dict[str, Any]:
    """Positions of ``variant``; the header's mark and title are centred together."""
    title_w = text_width("AI Energy Score", REGULAR, 18)
    group_w = 20 + 8 + title_w
    mark_x = (CARD_WIDTH_PX - group_w) / 2
    positions = _POSITIONS[variant]
    return {
        **positions,
        "mark_x": f"{mark_x:.2f}",
        "title_x": f"{mark_x + 28:.2f}",
        "star_path": _star_path(),
        "button_text_x": f"{positions['button_x'] + positions['button_w'] / 2:g}",
        "record_font_px": RECORD_FONT_PX,
    }


_FACES = {"Regular": REGULAR, "Medium": MEDIUM, "Bold": BOLD}


def _end_x(text: str, face: str, size_px: float, right_px: float) -> str:
    return f"{end_x(text, _FACES[face], size_px, right_px):.2f}"


def _middle_x(text: str, face: str, size_px: float, centre_px: float | str) -> str:
    return f"{middle_x(text, _FACES[face], size_px, float(centre_px)):.2f}"


@lru_cache(maxsize=2)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.globals.update(end_x=_end_x, middle_x=_middle_x)
    return env


@lru_cache(maxsize=4)
def _static_part(variant: str) -> Markup:
    """What every label of ``variant`` shares, rendered from positions alone (never from a label)."""
    return Markup(_environment().get_template("label-static.svg.j2").render(layout=_layout(variant)))


def label_qr(label: Label) -> QrCode | None:
    """The QR code the label shows (full variant): its link, in the bottom block's box."""
    if label.variant != "full":
        return None
    return qr_code(label.link, QR_BOX_X_PX, QR_BOX_Y_PX, QR_BOX_PX)


def render_svg(label: Label, *, embed_fonts: bool = True) -> str:
    """The label as SVG text (deterministic: same label, same bytes). With ``embed_fonts`` (default) it
    carries the faces it draws, cut to its characters (``label.webfonts``), so it draws the same with no
    font installed; without, it names them only (what the PNG path needs: cairosvg draws with the
    shipped files)."""
    svg = (
        _environment()
        .get_template("label.svg.j2")
        .render(
            label=label,
            layout=_layout(label.variant),
            static=_static_part(label.variant),
            qr=label_qr(label),
            max_stars=MAX_STARS,
            fonts="",
        )
    )
    if not embed_fonts:
        return svg
    return svg.replace(DESC_END, DESC_END + font_style(svg), 1)


def _new_surface(pixels: bytes | bytearray | None = None) -> Any:
    """A 520 x 728 ARGB32 cairo surface: over ``pixels`` if a bytearray, over a copy of them if
    bytes, else transparent."""
    import cairocffi as cairo

    width, height = PNG_SIZE_PX
    stride = cairo.ImageSurface.format_stride_for_width(cairo.FORMAT_ARGB32, width)
    if isinstance(pixels, bytearray):
        data = pixels
    else:
        data = bytearray(pixels) if pixels is not None else bytearray(stride * height)
    return cairo.ImageSurface.create_for_data(data, cairo.FORMAT_ARGB32, width, height, stride)


def unhinted_text_metrics() -> None:
    """Make cairosvg place glyphs at their true advances, as ``label.fonts.text_width`` measures them and as
    a browser does, instead of advances rounded to whole device pixels (an image surface's default, which
    spreads a 12 px line by up to a pixel per word). cairosvg takes the hint metrics of a text without a
    ``text-rendering`` attribute from ``TEXT_HINT_METRICS[None]``, absent by default; its own values for
    the attribute stay as they are. Done on import of this module, before any label is drawn."""
    import cairocffi as cairo
    import cairosvg.surface

    cairosvg.surface.TEXT_HINT_METRICS.setdefault(None, cairo.HINT_METRICS_OFF)  # type: ignore[call-overload, unused-ignore]


unhinted_text_metrics()


def _draw(svg_text: str, surface: Any) -> None:
    """Draw an SVG with cairosvg onto ``surface`` (a 520 x 728 cairo image surface), over what is there."""
    from cairosvg.parser import Tree
    from cairosvg.surface import PNGSurface

    class OnSurface(PNGSurface):  # type: ignore[misc, unused-ignore]  # cairosvg is untyped: strict mode calls this subclassing Any
        def _create_surface(self, width: float, height: float) -> tuple[Any, float, float]:
            return surface, surface.get_width(), surface.get_height()

    OnSurface(
        Tree(bytestring=svg_text.encode("utf-8")), None, 96, output_width=PNG_SIZE_PX[0], output_height=PNG_SIZE_PX[1]
    )


def _pixels(surface: Any) -> np.ndarray:
    """The surface's pixels as (height, width) uint32, a view."""
    surface.flush()
    height, stride = surface.get_height(), surface.get_stride()
    return np.frombuffer(surface.get_data(), np.uint32).reshape(height, stride // 4)[:, : surface.get_width()]


@lru_cache(maxsize=4)
def _static_pixels(static_svg: str) -> bytes:
    """The shared layer, drawn once per distinct text (one per variant)."""
    surface = _new_surface()
    _draw(static_svg, surface)
    surface.flush()
    return bytes(surface.get_data())


@lru_cache(maxsize=512)
def _tile(static_svg: str, root: str, element: str) -> tuple[int, int, int, int, np.ndarray] | None:
    """One element drawn over the shared layer: (top, bottom, left, right, pixels) of the rectangle
    of every pixel it changed, or None if it changed none. Elements with few distinct values (a
    month, a task, the stars, a status, the button) are drawn once and copied after."""
    static = _new_surface(_static_pixels(static_svg))
    before = _pixels(static).copy()
    _draw(root + element + "</svg>", static)
    after = _pixels(static)
    changed = after != before
    rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
    if not len(rows):
        return None
    top, bottom, left, right = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    return top, bottom, left, right, after[top:bottom, left:right].copy()


def _qr_rects(path: str) -> list[tuple[float, float, float, float]] | None:
    """The runs of a QR path as rectangles, if the path is only runs on whole PNG pixels (every
    number a multiple of 0.5 px); else None and cairosvg draws it."""
    if not _QR_PATH.fullmatch(path):
        return None
    return [(float(x), float(y), float(w), float(h)) for x, y, w, h in _QR_RUN.findall(path)]


def _fill_rects(surface: Any, rects: Iterable[tuple[float, float, float, float]], rgb_hex: str) -> None:
    """Fill rectangles (card px) the way cairosvg fills a crisp-edged path of them."""
    import cairocffi as cairo

    ctx = cairo.Context(surface)
    ctx.scale(PNG_SCALE, PNG_SCALE)
    ctx.set_antialias(cairo.ANTIALIAS_NONE)
    r, g, b = (int(rgb_hex[i : i + 2], 16) / 255 for i in (0, 2, 4))
    ctx.set_source_rgba(r, g, b, 1)
    for x, y, w, h in rects:
        ctx.rectangle(x, y, w, h)
    ctx.fill()


def _draw_label_svg(svg: str) -> Any:
    """A cairo surface with the SVG drawn on it: the shared layer copied, the tiles copied, then the
    label's own elements drawn (see the module docstring). Falls back to cairosvg for the whole SVG,
    or for the tiles, when the marks or the tiles' rectangles are not as the template makes them."""
    root_end = svg.find(">") + 1
    static_at, dynamic_at, end = svg.find(STATIC_MARK), svg.find(DYNAMIC_MARK), svg.rfind("</svg>")
    own_at = svg.find(OWN_MARK)
    marks_ok = 0 < root_end <= static_at < dynamic_at < own_at < end and all(
        svg.count(mark) == 1 for mark in (STATIC_MARK, DYNAMIC_MARK, OWN_MARK)
    )
    if not marks_ok:
        surface = _new_surface()
        _draw(svg, surface)
        return surface
    root = svg[:root_end]
    static_svg = root + svg[static_at + len(STATIC_MARK) : dynamic_at] + "</svg>"
    before_tiles, *tiles = svg[dynamic_at + len(DYNAMIC_MARK) : own_at].split(TILE_MARK)
    own = svg[own_at + len(OWN_MARK) : end]
    pixels = bytearray(_static_pixels(static_svg))
    canvas = np.frombuffer(pixels, np.uint32).reshape(PNG_SIZE_PX[1], PNG_SIZE_PX[0])
    # The button's link changes no pixel: tiles are drawn and cached without it.
    placed = [_tile(static_svg, root, _HREF.sub('href=""', tile)) for tile in tiles]
    boxes = [p for p in placed if p is not None]
    if before_tiles.strip() or _overlap([box[:4] for box in boxes]):
        own = "".join(tiles) + own  # not as the template makes them: cairosvg draws them, in order
    else:
        for top, bottom, left, right, tile_pixels in boxes:
            canvas[top:bottom, left:right] = tile_pixels
    surface = _new_surface(pixels)
    own = own.lstrip("\n")
    qr = _QR_ELEMENT.match(own)
    rects = _qr_rects(qr.group(1)) if qr else None
    if qr and rects is not None:  # first of the label's own elements: filling it first keeps the order
        _fill_rects(surface, rects, qr.group(2))
        own = own[qr.end() :]
    _draw(root + own + "</svg>", surface)
    return surface


def _overlap(boxes: list[tuple[int, int, int, int]]) -> bool:
    """Whether any two (top, bottom, left, right) rectangles share a pixel."""
    return any(
        a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3] for i, a in enumerate(boxes) for b in boxes[i + 1 :]
    )


def _png_rows(surface: Any) -> np.ndarray:
    """PNG scanlines of a cairo ARGB32 surface: a filter byte (0, none) then straight RGBA pixels.
    Cairo keeps premultiplied BGRA in native order (little-endian here); partly transparent pixels
    (the card's rounded corners) are unpremultiplied the way Pillow's "BGRa" mode does it."""
    surface.flush()
    width, height, stride = surface.get_width(), surface.get_height(), surface.get_stride()
    bgra = np.frombuffer(surface.get_data(), np.uint8).reshape(height, stride // 4, 4)[:, :width]
    rows = np.empty((height, 1 + 4 * width), np.uint8)
    rows[:, 0] = 0
    rgba = rows[:, 1:].reshape(height, width, 4)
    rgba[..., 0], rgba[..., 1], rgba[..., 2], rgba[..., 3] = bgra[..., 2], bgra[..., 1], bgra[..., 0], bgra[..., 3]
    alpha = rgba[..., 3]
    partial = (alpha - np.uint8(1)) < 254  # 1..254; at 0 premultiplied colours are 0 already
    if partial.any():
        a = alpha[partial].astype(np.uint32)[:, None]
        rgba[partial, :3] = np.minimum(rgba[partial, :3].astype(np.uint32) * 255 // a, 255).astype(np.uint8)
    return rows


def _png_file(rows: np.ndarray, width: int, height: int, level: int = PNG_ZLIB_LEVEL) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit, RGBA, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows.data, level))
        + chunk(b"IEND", b"")
    )


def render_png(label: Label | None = None, *, svg: str | None = None) -> bytes:
    """The label as a 520 x 728 PNG (2x): its SVG drawn by cairosvg (see the module docstring).

    The pixels are written unfiltered in one zlib stream at level 1: cairo's own PNG writer (zlib
    level 6, adaptive filters) took 11 ms of a 25 ms render here, this takes under 5 ms for a file
    of about the same size (flat colours compress well unfiltered).
    """
    check_fonts()
    if svg is None:
        if label is None:
            raise ValueError("render_png needs a label or its SVG")
        svg = render_svg(label, embed_fonts=False)  # cairosvg draws with the shipped files
    surface = _draw_label_svg(svg)
    try:
        rows = _png_rows(surface)
        return _png_file(rows, surface.get_width(), surface.get_height())
    finally:
        surface.finish()


def encode_png(rgba: bytes, width: int, height: int, level: int = PNG_ZLIB_LEVEL) -> bytes:
    """A PNG of 8-bit straight RGBA pixels: no row filter, one zlib stream at ``level``."""
    rows = np.zeros((height, 1 + 4 * width), np.uint8)
    rows[:, 1:] = np.frombuffer(rgba, np.uint8).reshape(height, 4 * width)
    return _png_file(rows, width, height, level)


def safe_filename(text: str, limit: int = 120) -> str:
    """A file name from a model id: letters, digits, '.', '-' and '_' only."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "label"
    return name[:limit]


def label_stem(row: Any) -> str:
    """The file name (without suffix) of a result's label, the same wherever it is downloaded (the label
    page, the model page): '<model>-<task>[-<effort>]-<cohort>-<record id>', e.g.
    'openai-community_gpt2-text_generation-2025-02-1a2b3c4d5e6f7a8b'."""
    from leaderboard.links import record_id

    get = row.get if hasattr(row, "get") else lambda k, default=None: getattr(row, k, default)
    effort = get("reasoning_effort", None)
    parts = [str(get("model")), str(get("task")), *([effort] if isinstance(effort, str) and effort else [])]
    return safe_filename("-".join([*parts, str(get("cohort")), record_id(str(get("run_id")))]), limit=200)


ZIP_DATE = (2025, 1, 1, 0, 0, 0)  # every member's timestamp: the same labels give the same ZIP bytes
PARALLEL_MIN_LABELS = 64  # fewer are drawn in this process: starting workers would cost more
MAX_WORKERS = 4


def _render(label: Label, formats: tuple[str, ...]) -> tuple[str, bytes | None]:
    svg = render_svg(label)
    return svg, render_png(svg=svg) if "png" in formats else None


def _render_chunk(chunk: list[Label], formats: tuple[str, ...]) -> list[tuple[str, bytes | None]]:
    return [_render(label, formats) for label in chunk]


def _can_fork() -> bool:
    """Whether this process may fork workers: POSIX, and no other Python thread (a fork copies locks
    that other threads may hold, e.g. a web server's)."""
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def zip_workers(count: int) -> int:
    """How many processes draw ``count`` labels: one per available core (at most ``MAX_WORKERS``)
    when there are at least ``PARALLEL_MIN_LABELS`` and this process may fork, else 1 (this one)."""
    if count < PARALLEL_MIN_LABELS or not _can_fork():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, MAX_WORKERS))


def _renders(labels: list[Label], formats: tuple[str, ...], workers: int) -> Iterator[tuple[str, bytes | None]]:
    """(SVG, PNG or None) of each label, in order; in ``workers`` forked processes when more than one."""
    if workers <= 1:
        for label in labels:
            yield _render(label, formats)
        return
    if "svg" in formats:
        prepare_fonts()  # the faces cut once here, before the fork, not once in every worker
    size = max(1, min(16, len(labels) // (workers * 4)))
    chunks = [labels[i : i + size] for i in range(0, len(labels), size)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for rendered in pool.map(_render_chunk, chunks, [formats] * len(chunks)):
            yield from rendered


def render_many(labels: list[Label], workers: int | None = None) -> Iterator[tuple[str, bytes]]:
    """(SVG, PNG) of each label, in order, drawn by ``workers`` processes (default ``zip_workers``, as for
    the ZIP): the static site's labels. The bytes are the same however many draw them."""
    workers = zip_workers(len(labels)) if workers is None else (workers if _can_fork() else 1)
    for svg, png in _renders(labels, ("png", "svg"), workers):
        assert png is not None
        yield svg, png


def labels_zip(
    items: Iterable[tuple[str, Label]],
    formats: tuple[str, ...] = ("png", "svg"),
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> bytes:
    """A ZIP with one file per label and format; ``items`` are (file stem, label) pairs.
    ``progress`` is called with the number of labels done. ``workers``: processes that draw the
    labels (default: ``zip_workers``; 1 where this process may not fork); the bytes are the same
    however many draw them."""
    items = list(items)
    labels = [label for _, label in items]
    workers = zip_workers(len(labels)) if workers is None else (workers if _can_fork() else 1)
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:

        def add(name: str, data: bytes | str, compress_type: int) -> None:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            zf.writestr(info, data, compress_type=compress_type)

        rendered = _renders(labels, formats, workers)
        for done, ((stem, _label), (svg, png)) in enumerate(zip(items, rendered, strict=True), start=1):
            stem = safe_filename(stem)
            unique, n = stem, 2
            while unique in used:
                unique, n = f"{stem}-{n}", n + 1
            used.add(unique)
            if "svg" in formats:
                add(f"{unique}.svg", svg, zipfile.ZIP_DEFLATED)
            if png is not None:
                add(f"{unique}.png", png, zipfile.ZIP_STORED)  # PNG is compressed already: stored
            if progress:
                progress(done)
    return buffer.getvalue()
