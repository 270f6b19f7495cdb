"""The label SVG is self-contained: it carries every face it draws, cut to the characters it draws
(WOFF data URIs in @font-face rules under the family names its text uses, with their weights, no
layout tables), references nothing outside itself but its link, keeps its title, description and
text, and stays small. The browser test (tests/e2e/test_label_browser.py) draws it in Chromium."""

import base64
import io
import re
import xml.etree.ElementTree as ET

import pytest
from fontTools.ttLib import TTFont

from label.fonts import BOLD, MEDIUM, REGULAR
from label.render import render_svg
from label.webfonts import DROPPED_TABLES, FACE_WEIGHTS, drawn_chars, font_style, subset_chars
from tests.test_label import GOLDEN_CASES, HOSTILE, label

SVG_NS = "{http://www.w3.org/2000/svg}"
FACE = re.compile(
    r"@font-face\{font-family:'(?P<family>[^']+)';font-weight:(?P<weight>\d+);font-style:normal;"
    r"src:url\(data:font/woff;base64,(?P<data>[A-Za-z0-9+/=]+)\) format\('woff'\)\}"
)
MAX_SVG_BYTES = 45_000  # the full label with a long name (its dense QR code is 21 KB of it) measured 41.3 KB


def faces(svg: str) -> dict[str, tuple[int, TTFont]]:
    style = ET.fromstring(svg).find(f"{SVG_NS}style")
    assert style is not None, "no <style> with the fonts"
    found = {
        m["family"]: (int(m["weight"]), TTFont(io.BytesIO(base64.b64decode(m["data"]))))
        for m in FACE.finditer(style.text)
    }
    assert FACE.sub("", style.text) == ""  # nothing in the style but these rules
    return found


CASES = {**GOLDEN_CASES, **{f"hostile-{i}": label(model=name) for i, name in enumerate(HOSTILE)}}


@pytest.mark.parametrize("name", list(CASES))
def test_every_drawn_character_is_in_an_embedded_face_of_its_family(name):
    svg = render_svg(CASES[name])
    embedded = faces(svg)
    drawn = drawn_chars(svg)
    assert set(drawn) == set(embedded) <= {REGULAR, MEDIUM, BOLD}
    for family, chars in drawn.items():
        weight, font = embedded[family]
        assert weight == FACE_WEIGHTS[family]
        assert font.flavor == "woff"
        cmap = font.getBestCmap()
        assert set(map(ord, chars)) <= set(cmap), f"{family} lacks {set(chars) - set(map(chr, cmap))}"
        assert not set(DROPPED_TABLES) & set(font.keys())  # no kerning: cairosvg draws at the advances
        assert len(cmap) <= len(subset_chars(family, chars)) + 2  # cut to what it draws (and shares)


@pytest.mark.parametrize("name", ["1-star", "spec-variant", "custom-h100", "hostile"])
def test_the_svg_references_nothing_outside_itself_but_its_link_and_keeps_its_text(name):
    lbl = CASES[name]
    svg = render_svg(lbl)
    root = ET.fromstring(svg)
    urls = set(re.findall(r'(?:href|src)="([^"]*)"', svg)) | set(re.findall(r"url\(([^)]*)\)", svg))
    assert {u for u in urls if not u.startswith("data:")} == {lbl.link.replace("&", "&amp;")}
    assert root.find(f"{SVG_NS}title").text == lbl.title and root.find(f"{SVG_NS}desc").text == lbl.desc
    assert root.get("aria-labelledby") == "label-title" and root.get("aria-describedby") == "label-desc"
    assert any(lbl.energy == "".join(t.itertext()) for t in root.iter(f"{SVG_NS}text"))  # text, not paths
    assert "text-anchor" not in svg  # placed by its start: a browser anchors by advance, cairosvg by ink


def test_embedding_is_deterministic_and_without_it_the_svg_only_names_the_fonts():
    lbl = GOLDEN_CASES["3-star"]
    assert render_svg(lbl) == render_svg(lbl)
    bare = render_svg(lbl, embed_fonts=False)
    assert "@font-face" not in bare and "<style>" not in bare
    assert render_svg(lbl) == bare.replace("</desc>\n", "</desc>\n" + font_style(bare), 1)


@pytest.mark.parametrize("name", list(GOLDEN_CASES))
def test_a_label_svg_stays_small(name):
    assert len(render_svg(GOLDEN_CASES[name]).encode()) <= MAX_SVG_BYTES


def test_characters_beyond_the_common_repertoire_are_cut_from_the_whole_face():
    svg = render_svg(label(model="org/Ωμέγα-Жук"))  # Greek and Cyrillic: Inter has them
    _weight, font = faces(svg)[BOLD]
    assert {ord(c) for c in "ΩμέγαЖук"} <= set(font.getBestCmap())
