"""Labels: formatting, fitting untrusted names, escaping, fonts, golden SVG and PNG renders."""

import io
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from PIL import Image, ImageChops

import label.fonts as fonts
from label.fonts import BOLD, FontError, check_fonts, text_width
from label.model import CONTENT_WIDTH_PX, NAME_FONT_PX, clean_text, make_label, wrap_name
from label.render import PNG_SIZE_PX, labels_zip, render_png, render_svg

GOLDEN = Path(__file__).parent / "golden" / "labels"
BASE_URL = "https://example.org/leaderboard"
SVG_NS = "{http://www.w3.org/2000/svg}"
HOSTILE = [
    "<script>alert('x')</script>",
    "org/a&b <b>bold</b> \"quoted\" 'single'",
    "org/rocket 🚀 model 🔥",
    "org/שלום-עולם مرحبا",
    "org/\u202etxt.exe\u202c-bidi-override",
    "x" * 200,
    "org/" + "very-long-model-name-" * 10,
    "]]></text><text>injected",
]


def label(model="openai-community/gpt2", stars=3, task="text_generation", energy=2.37, **kw):
    return make_label(
        model=model,
        task_id=task,
        scored=kw.pop("scored", "2025-02"),
        hardware=kw.pop("hardware", "NVIDIA H100 80GB"),
        energy_wh_per_1k=energy,
        stars=stars,
        base_url=BASE_URL,
        **kw,
    )


GOLDEN_CASES = {
    "1-star": label(stars=1, energy=3426.38, model="meta-llama/Llama-2-13b-hf"),
    "2-star": label(stars=2, task="asr", energy=86.68, model="openai/whisper-large-v3"),
    "3-star": label(stars=3, task="reasoning", energy=6586.3, model="openai/gpt-oss-120b (medium)", scored="2025-12"),
    "4-star": label(stars=4, task="image_classification", energy=0.74, model="microsoft/beit-base-patch16-224"),
    "5-star": label(stars=5, energy=1.31, model="distilbert/distilgpt2"),
    "long-name": label(stars=4, model="org/" + "very-long-model-name-" * 10),
    "hostile": label(stars=2, model="<script>alert('x')</script> & \"q\" 🚀", hardware="<b>GPU</b> & co"),
}


def visible_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]


@pytest.mark.parametrize("name", list(GOLDEN_CASES))
def test_golden_svg(name):
    svg = render_svg(GOLDEN_CASES[name])
    ET.fromstring(svg)  # every SVG parses as XML
    path = GOLDEN / f"{name}.svg"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(svg, encoding="utf-8")
        pytest.fail(f"golden {path.name} was missing: written now, check it and commit it")
    assert svg == path.read_text(encoding="utf-8")


def pixel_mismatch(a: bytes, b: bytes, tolerance: int = 24) -> float:
    """Share of pixels where any channel differs by more than ``tolerance``."""
    ia, ib = Image.open(io.BytesIO(a)).convert("RGBA"), Image.open(io.BytesIO(b)).convert("RGBA")
    assert ia.size == ib.size
    bands = ImageChops.difference(ia, ib).split()
    worst = bands[0]
    for band in bands[1:]:
        worst = ImageChops.lighter(worst, band)  # per pixel: the largest channel difference
    return sum(worst.histogram()[tolerance + 1 :]) / (ia.size[0] * ia.size[1])


@pytest.mark.parametrize("name", ["1-star", "5-star", "long-name", "hostile"])
def test_golden_png(name):
    png = render_png(GOLDEN_CASES[name])
    assert Image.open(io.BytesIO(png)).size == PNG_SIZE_PX == (520, 728)
    path = GOLDEN / f"{name}.png"
    if not path.exists():
        path.write_bytes(png)
        pytest.fail(f"golden {path.name} was missing: written now, check it and commit it")
    assert pixel_mismatch(png, path.read_bytes()) <= 0.002


def test_png_comparison_sees_a_different_label():
    assert pixel_mismatch(render_png(GOLDEN_CASES["1-star"]), render_png(GOLDEN_CASES["5-star"])) > 0.002


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_are_escaped_and_fit_the_card(name):
    lbl = label(model=name)
    svg = render_svg(lbl)
    root = ET.fromstring(svg)  # well-formed: nothing broke out of its element
    assert len(list(root.iter(f"{SVG_NS}script"))) == 0
    assert "<script" not in svg and "<b>" not in svg
    assert 1 <= len(lbl.name_lines) <= 2
    for line in lbl.name_lines:
        assert text_width(line, BOLD, NAME_FONT_PX) <= CONTENT_WIDTH_PX
        assert line in visible_texts(svg)
    assert "\u202e" not in svg  # bidi overrides are dropped


def test_200_character_name_wraps_then_ellipsizes():
    lines = wrap_name("x" * 200)
    assert len(lines) == 2 and lines[1].endswith("…")


def test_name_breaks_after_the_provider_when_it_does_not_fit():
    assert wrap_name("mistralai/Mistral-Nemo-Instruct-2407") == ("mistralai/", "Mistral-Nemo-Instruct-2407")
    assert wrap_name("org/" + "long-name-" * 8)[0].startswith("org/long-name-")  # greedy when the rest is too long
    assert wrap_name("openai-community/gpt2") == ("openai-community/gpt2",)


def test_characters_without_a_glyph_show_as_question_marks():
    assert clean_text("a🚀b") == "a?b"
    assert clean_text("a\x00b\u202ec  d") == "abc d"


def test_label_names_everything_the_spec_requires():
    svg = render_svg(GOLDEN_CASES["5-star"])
    texts = visible_texts(svg)
    for expected in (
        "distilbert/distilgpt2",
        "February 2025",
        "Text Generation",
        "NVIDIA H100 80GB",
        "1.31 Wh",
        "Energy Score",
    ):
        assert expected in texts, expected
    assert 'href="https://example.org/leaderboard/?task=Text%20Generation&amp;q=distilbert%2Fdistilgpt2"' in svg


def test_stars_are_counted_in_the_svg():
    for stars in range(1, 6):
        svg = render_svg(label(stars=stars))
        star_fills = re.findall(r'<path transform="translate\(\d+ 283\)" d="[^"]+" fill="(#[0-9A-F]+)"/>', svg)
        assert star_fills == ["#3EA45A"] * stars + ["#EFEFEF"] * (5 - stars)


def test_invalid_stars_are_refused():
    with pytest.raises(ValueError, match="1..5"):
        label(stars=6)


def test_svg_render_is_deterministic():
    assert render_svg(GOLDEN_CASES["hostile"]) == render_svg(GOLDEN_CASES["hostile"])


@pytest.fixture
def uncached_font_check():
    check_fonts.cache_clear()  # check_fonts runs once per process; these tests need it again
    yield
    check_fonts.cache_clear()


def test_missing_font_file_is_a_clear_error(tmp_path, monkeypatch, uncached_font_check):
    monkeypatch.setattr(fonts, "FONT_DIR", tmp_path)
    with pytest.raises(FontError, match="missing"):
        check_fonts()


def test_a_font_other_than_the_shipped_one_is_refused(monkeypatch, uncached_font_check):
    monkeypatch.setitem(fonts.PROBE_ADVANCE_PX, fonts.MEDIUM, 1467.0)  # what a system font measures
    with pytest.raises(FontError, match="Inter Medium"):
        check_fonts()


def test_fontconfig_points_at_the_shipped_fonts():
    assert os.environ["FONTCONFIG_FILE"].endswith("assets/fonts/fonts.conf")
    assert (fonts.FONT_DIR / "OFL.txt").read_text().count("Open Font License") >= 1
    check_fonts()


def test_zip_holds_png_and_svg_per_label_with_unique_names():
    progress = []
    data = labels_zip(
        [("org/a", label(stars=1)), ("org/a", label(stars=2)), ("../etc/passwd", label())], progress=progress.append
    )
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert progress == [1, 2, 3]
    assert sorted(names) == sorted(
        ["org_a.png", "org_a.svg", "org_a-2.png", "org_a-2.svg", "etc_passwd.png", "etc_passwd.svg"]
    )
