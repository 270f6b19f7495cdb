"""Labels: formatting, fitting untrusted names, escaping, fonts, status and record, QR code,
golden SVG and PNG renders, the fast PNG path against plain cairosvg, the ZIP."""

import io
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from collections import namedtuple
from pathlib import Path

import cairosvg
import pandas as pd
import pytest
import segno
from PIL import Image, ImageChops

import label.fonts as fonts
from label.fonts import BOLD, FontError, check_fonts, text_width
from label.model import (
    CONTENT_WIDTH_PX,
    NAME_FONT_PX,
    STATUS_COLOURS,
    STATUS_FONT_PX,
    STATUS_WIDTH_PX,
    clean_id,
    clean_text,
    custom_labels_url,
    label_for_row,
    make_label,
    wrap_name,
)
from label.qr import MAX_QR_URL_CHARS
from label.render import PNG_SIZE_PX, label_qr, labels_zip, render_png, render_svg
from label.select import CustomRating, custom_label
from leaderboard.links import model_page_url, record_id, status_text

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
    "org/m?x=1&record=deadbeef#frag",
    "org/--><!--static--><!--dynamic-->",
]


def label(model="openai-community/gpt2", stars=3, task="text_generation", energy=2.37, **kw):
    kw.setdefault("run_id", f"2025-02/{task}/{model}")
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


def custom(model="my-org/my-model", **kw):
    return custom_label(
        model=model,
        task="text_generation",
        scored=kw.pop("scored", "2026-01"),
        hardware=kw.pop("hardware", "NVIDIA H100 80GB"),
        energy_wh=kw.pop("energy_wh", 12.5),
        stars=kw.pop("stars", 4),
        base_url=BASE_URL,
        **kw,
    )


def rated(stars=3, provisional=False, is_rated=True, board="NVIDIA H100 80GB"):
    """How custom values were rated (``label.select.rate_custom``'s answer), built without a dataset."""
    return CustomRating(
        stars,
        provisional,
        0 if provisional else 12,
        "",
        rated=is_rated,
        cohort="2025-12",
        board=board,
        p_stars=None if provisional or not is_rated else (0.0, 0.39, 0.52, 0.09, 0.0),
    )


GOLDEN_CASES = {
    "1-star": label(stars=1, energy=3426.38, model="meta-llama/Llama-2-13b-hf", model_class="A"),
    "2-star": label(stars=2, task="asr", energy=86.68, model="openai/whisper-large-v3"),
    "3-star": label(
        stars=3,
        task="reasoning",
        energy=6586.3,
        model="openai/gpt-oss-120b (medium)",
        scored="2025-12",
        model_class="C",
        sureness="3★ 56% likely · 2★ 42%",
    ),
    "4-star": label(stars=4, task="image_classification", energy=0.74, model="microsoft/beit-base-patch16-224"),
    "5-star": label(stars=5, energy=1.31, model="distilbert/distilgpt2", model_class="A"),
    "long-name": label(stars=4, model="org/" + "very-long-model-name-" * 10, model_class="B"),
    "provisional": label(
        stars=5, task="reasoning", energy=40.1, model="org/lonely", scored="2025-12", mark="Provisional"
    ),
    "provisional-spec": label(
        stars=5, task="reasoning", energy=40.1, model="org/lonely", scored="2025-12", mark="Provisional", variant="spec"
    ),
    "custom-h100": custom(rating=rated(), model_class="A", hardware="H100"),
    "custom-not-rated": custom(rating=rated(0, is_rated=False, board="RTX 4090"), model_class="A"),
    "custom-not-rated-spec": custom(rating=rated(0, is_rated=False, board="RTX 4090"), model_class="A", variant="spec"),
    "hostile": label(stars=2, model="<script>alert('x')</script> & \"q\" 🚀", hardware="<b>GPU</b> & co"),
    "status-accepted": label(stars=4, model="my-org/tiny-llm", status="accepted", run_id="submission/abc#1"),
    "status-pending": label(stars=3, model="my-org/tiny-llm", status="pending", run_id="pending/abc#2"),
    "status-random-weights": label(
        stars=5,
        task="text_classification",
        energy=0.33,
        model="google-bert/bert-base-uncased",
        scored="2026-11",
        hardware="NVIDIA H200",
        status="random weights",
        run_id="2026-11/text_classification/google-bert/bert-base-uncased",
    ),
    "status-custom": custom(),
    "no-record": label(stars=3, model="openai-community/gpt2", run_id=None),
    "spec-variant": label(stars=5, energy=1.31, model="distilbert/distilgpt2", variant="spec"),
    "spec-variant-random-weights": label(
        stars=5, model="google-bert/bert-base-uncased", status="random weights", variant="spec"
    ),
}
PNG_CASES = [
    "1-star",
    "3-star",
    "provisional",
    "provisional-spec",
    "custom-h100",
    "custom-not-rated",
    "custom-not-rated-spec",
    "5-star",
    "long-name",
    "hostile",
    "status-accepted",
    "status-pending",
    "status-random-weights",
    "status-custom",
    "no-record",
    "spec-variant",
]


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


@pytest.mark.parametrize("name", PNG_CASES)
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
    assert svg.count("<!--static-->") == svg.count("<!--dynamic-->") == 1  # no fake layer marks
    (anchor,) = root.iter(f"{SVG_NS}a")
    assert anchor.get("href") == lbl.link == model_page_url(BASE_URL, clean_id(name), lbl_run_id(name))
    assert "<" not in lbl.link and '"' not in lbl.link and " " not in lbl.link


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_on_custom_labels_are_bounded_too(name):
    lbl = custom(model=name)
    svg = render_svg(lbl)
    ET.fromstring(svg)
    assert "<script" not in svg and "<b>" not in svg
    assert lbl.link == custom_labels_url(BASE_URL)  # no record: the page that says what a custom label is
    qr = label_qr(lbl)
    assert qr is None or qr.url == lbl.link
    assert_same_pixels_as_cairosvg(svg)


def lbl_run_id(name):
    return f"2025-02/text_generation/{name}"


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
    link = model_page_url(BASE_URL, "distilbert/distilgpt2", "2025-02/text_generation/distilbert/distilgpt2")
    assert f'href="{link.replace("&", "&amp;")}"' in svg
    assert link == "https://example.org/leaderboard/model?id=distilbert/distilgpt2&record=" + record_id(
        "2025-02/text_generation/distilbert/distilgpt2"
    )


@pytest.mark.parametrize("variant, stars_y", [("full", 240), ("spec", 283)])
def test_stars_are_counted_in_the_svg(variant, stars_y):
    for stars in range(1, 6):
        svg = render_svg(label(stars=stars, variant=variant))
        star_fills = re.findall(rf'<path transform="translate\(\d+ {stars_y}\)" d="[^"]+" fill="(#[0-9A-F]+)"/>', svg)
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


# --- where the number comes from: status, record id, link and QR code -------------------------


def svg_text_colours(svg: str) -> dict[str, str]:
    """Visible text -> its fill (own or its group's)."""
    root = ET.fromstring(svg)
    colours = {}
    for parent in root.iter():
        for child in parent:
            if child.tag == f"{SVG_NS}text":
                colours["".join(child.itertext())] = child.get("fill") or parent.get("fill")
    return colours


@pytest.mark.parametrize(
    "status", ["published", "accepted", "pending", "random weights"], ids=lambda s: s.replace(" ", "-")
)
def test_label_shows_the_status_and_record_of_a_result_row(status):
    run_id = f"2025-02/asr/org/m#{status}"
    row = {
        "run_id": run_id,
        "status": status,
        "model": "org/m",
        "task": "asr",
        "cohort": "2025-02",
        "hardware": "NVIDIA H100 80GB",
        "gpu_energy_wh_per_1k": 1.5,
        "stars": 4,
        "reasoning_effort": None,
        "provisional": False,
    }
    lbl = label_for_row(row, BASE_URL)
    svg = render_svg(lbl)
    texts = visible_texts(svg)
    assert lbl.status == status and lbl.record == record_id(run_id)
    assert f"Record {record_id(run_id)}" in texts
    evidence = {"published": "", "accepted": "; logs cross-checked", "pending": "; self-reported"}
    assert " ".join(lbl.status_lines) == status_text(status) + evidence.get(status, "; reproduced")
    assert lbl.status_lines[0] in texts
    assert svg_text_colours(svg)[lbl.status_lines[0]] == STATUS_COLOURS[status]
    assert lbl.link == model_page_url(BASE_URL, "org/m", run_id)
    assert label_qr(lbl).url == lbl.link
    assert status_text(status) in lbl.title and record_id(run_id) in lbl.title
    for line in lbl.status_lines:
        assert text_width(line, BOLD, STATUS_FONT_PX) <= STATUS_WIDTH_PX


def test_pandas_rows_and_namedtuples_give_the_same_label():
    row = {
        "run_id": "2025-12/reasoning/openai/gpt-oss-20b/low",
        "status": "published",
        "model": "openai/gpt-oss-20b",
        "task": "reasoning",
        "cohort": "2025-12",
        "hardware": "NVIDIA H100 80GB",
        "gpu_energy_wh_per_1k": 120.0,
        "stars": 4,
        "reasoning_effort": "low",
        "provisional": False,
    }
    frame = pd.DataFrame([row])
    by_series = label_for_row(frame.iloc[0], BASE_URL)
    by_tuple = label_for_row(next(frame.itertuples()), BASE_URL)
    assert by_series == by_tuple == label_for_row(row, BASE_URL)
    assert by_series.name_lines == ("openai/gpt-oss-20b (low)",)
    assert by_series.link == model_page_url(BASE_URL, "openai/gpt-oss-20b", row["run_id"])  # the id, not the title


def test_a_row_without_status_or_run_id_is_published_with_no_record():
    Row = namedtuple("Row", "model task cohort hardware gpu_energy_wh_per_1k stars reasoning_effort")
    for row in (
        Row("org/m", "asr", "2025-02", "NVIDIA H100 80GB", 1.5, 3, None),
        {"model": "org/m", "task": "asr", "cohort": "2025-02", "hardware": "NVIDIA H100 80GB",
         "gpu_energy_wh_per_1k": 1.5, "stars": 3, "reasoning_effort": None, "status": pd.NA, "run_id": None},
    ):  # fmt: skip
        lbl = label_for_row(row, BASE_URL)
        assert lbl.status == "published" and lbl.record == "" and lbl.record_text == ""
        assert lbl.link == model_page_url(BASE_URL, "org/m") and "record=" not in lbl.link
        assert "Published round" in visible_texts(render_svg(lbl))


def test_random_weights_estimate_is_unmistakable():
    lbl = GOLDEN_CASES["status-random-weights"]
    svg = render_svg(lbl)
    assert lbl.status_lines == ("Random-weights estimate;", "reproduced")  # and measured by the maintainers
    assert lbl.status_lines[0] in visible_texts(svg)
    assert svg_text_colours(svg)[lbl.status_lines[0]] == "#C62828"
    assert len({STATUS_COLOURS["random weights"], *STATUS_COLOURS.values()}) == len(STATUS_COLOURS)  # its own colour
    assert "Random-weights estimate" in ET.fromstring(svg).find(f"{SVG_NS}title").text
    # The spec variant has no status line, but its title still says so.
    spec = render_svg(GOLDEN_CASES["spec-variant-random-weights"])
    assert "Random-weights estimate" not in visible_texts(spec)
    assert "Random-weights estimate" in ET.fromstring(spec).find(f"{SVG_NS}title").text


def test_custom_values_are_self_reported_with_no_record():
    lbl = custom()
    texts = visible_texts(render_svg(lbl))
    assert lbl.status == "custom" and lbl.record == ""
    assert "Self-reported values" in texts and "No leaderboard record" in texts
    assert lbl.link == custom_labels_url(BASE_URL) == label_qr(lbl).url == f"{BASE_URL}/label?mode=Custom+values"


def test_spec_variant_is_the_reference_design_linking_to_the_model_page():
    spec, full = GOLDEN_CASES["spec-variant"], GOLDEN_CASES["5-star"]
    svg = render_svg(spec)
    texts = visible_texts(svg)
    assert (
        spec.link == full.link == model_page_url(BASE_URL, "distilbert/distilgpt2", lbl_run_id("distilbert/distilgpt2"))
    )
    assert 'id="qr"' not in svg and label_qr(spec) is None
    assert not any(t.startswith("Record ") or t == "Published round" for t in texts)
    assert "Learn more on the leaderboard" in texts  # as before: the address does not fit
    assert ET.fromstring(svg).find(f"{SVG_NS}a/{SVG_NS}rect").get("width") == "228"  # the spec's full-width button


def test_unknown_variant_is_refused():
    with pytest.raises(ValueError, match="variant"):
        label(variant="fancy")


def qr_module_is_dark(png: bytes, qr) -> list[list[bool]]:
    """Sample the PNG at the centre of every module of ``qr``."""
    image = Image.open(io.BytesIO(png)).convert("L")
    scale = PNG_SIZE_PX[0] / 260
    return [
        [
            image.getpixel(
                (int((qr.x_px + (c + 0.5) * qr.module_px) * scale), int((qr.y_px + (r + 0.5) * qr.module_px) * scale))
            )
            < 128
            for c in range(qr.modules)
        ]
        for r in range(qr.modules)
    ]


@pytest.mark.parametrize(
    "name", ["1-star", "long-name", "hostile", "status-random-weights", "status-custom", "no-record"]
)
def test_qr_code_drawn_is_segnos_matrix_for_the_link_cell_for_cell(name):
    lbl = GOLDEN_CASES[name]
    qr = label_qr(lbl)
    assert qr is not None and qr.url == lbl.link
    expected = segno.make_qr(lbl.link, error="l")  # the library's own symbol for the link
    assert qr.modules == expected.symbol_size(border=0)[0]
    png = render_png(lbl)
    assert qr_module_is_dark(png, qr) == [[bool(v) for v in row] for row in expected.matrix]
    # Every module is whole PNG pixels, inside the card, with a light quiet zone of 4 modules around it.
    assert (qr.module_px * 2) % 1 == 0 and (qr.x_px * 2) % 1 == 0 and (qr.y_px * 2) % 1 == 0
    assert qr.module_px >= 1.0
    image = Image.open(io.BytesIO(png)).convert("L")
    quiet = 4 * qr.module_px
    box = [
        int(v * 2)
        for v in (qr.x_px - quiet, qr.y_px - quiet, qr.x_px + qr.size_px + quiet, qr.y_px + qr.size_px + quiet)
    ]
    inner = [int(v * 2) for v in (qr.x_px, qr.y_px, qr.x_px + qr.size_px, qr.y_px + qr.size_px)]
    ring = [
        image.getpixel((x, y))
        for y in range(box[1], box[3])
        for x in range(box[0], box[2])
        if not (inner[0] <= x < inner[2] and inner[1] <= y < inner[3])
    ]
    assert min(ring) > 200


def test_qr_code_decodes_to_the_link():
    zxingcpp = pytest.importorskip("zxingcpp", reason="the zxing-cpp decoder is not installed")
    for name in ("1-star", "long-name", "status-random-weights", "status-custom"):
        lbl = GOLDEN_CASES[name]
        decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(render_png(lbl))).convert("RGB"))
        assert [d.text for d in decoded] == [lbl.link], name


def test_a_link_too_long_for_a_readable_qr_code_gets_none():
    long_name = "org/" + "שלום" * 70  # percent-encoded: about 1,700 characters
    lbl = label(model=long_name)
    assert len(lbl.link) > MAX_QR_URL_CHARS and label_qr(lbl) is None
    assert 'id="qr"' not in render_svg(lbl)
    hub_longest = "a" * 96 + "/" + "b" * 96  # the longest Hub id still gets one, modules of at least 1 px
    qr = label_qr(label(model=hub_longest))
    assert qr is not None and qr.module_px >= 1.0 and qr.size_px <= 74


def assert_same_pixels_as_cairosvg(svg: str) -> None:
    """The fast PNG path draws what plain cairosvg draws from the same SVG (cairo's own PNG writer
    rounds unpremultiplied corner pixels its own way: 1 level)."""
    ours = render_png(svg=svg)
    plain = cairosvg.svg2png(bytestring=svg.encode(), output_width=PNG_SIZE_PX[0], output_height=PNG_SIZE_PX[1])
    assert pixel_mismatch(ours, plain, tolerance=1) == 0


@pytest.mark.parametrize("name", list(GOLDEN_CASES))
def test_fast_png_draws_exactly_what_cairosvg_draws(name):
    assert_same_pixels_as_cairosvg(render_svg(GOLDEN_CASES[name]))


def test_an_svg_without_layer_marks_is_drawn_whole():
    svg = render_svg(GOLDEN_CASES["hostile"]).replace("<!--static-->", "").replace("<!--dynamic-->", "")
    assert pixel_mismatch(render_png(svg=svg), render_png(GOLDEN_CASES["hostile"]), tolerance=0) == 0


def test_zip_is_the_same_bytes_in_parallel_and_every_time():
    items = [(f"org/m{i}", label(model=f"org/model-{i}", stars=1 + i % 5, energy=1 + i)) for i in range(12)]
    serial = labels_zip(items, workers=1)
    assert labels_zip(items, workers=2) == serial == labels_zip(items, workers=1)
    names = zipfile.ZipFile(io.BytesIO(serial)).namelist()
    assert len(names) == 24


def test_numpy_mask_choice_is_segnos_own():
    import random
    import string

    from label.qr import best_mask
    from leaderboard.sources import load_results

    frame = load_results().results.frame
    urls = [label_for_row(row, BASE_URL).link for _, row in frame.iloc[::4].iterrows()]
    rnd = random.Random(7)
    alphabet = string.ascii_letters + string.digits + "/-_.%&="
    urls += [f"{BASE_URL}/model?id={''.join(rnd.choices(alphabet, k=rnd.randint(1, 400)))}" for _ in range(60)]
    for url in urls:
        auto = segno.make_qr(url, error="l")
        for applied in (0, 3):
            assert best_mask(segno.make_qr(url, error="l", mask=applied).matrix, applied) == auto.mask, url


def test_record_ids_are_64_bits_and_fit_the_label():
    from label.fonts import REGULAR
    from label.model import RECORD_FONT_PX, STATUS_WIDTH_PX

    rid = record_id("2025-02/text_generation/openai-community/gpt2")
    assert re.fullmatch("[0-9a-f]{16}", rid)  # the key of a link: 64 bits, never 8 hex digits
    assert model_page_url("", "openai-community/gpt2", "2025-02/text_generation/openai-community/gpt2").endswith(
        f"&record={rid}"
    )
    widest = max("0123456789abcdef", key=lambda c: text_width(c, REGULAR, RECORD_FONT_PX))
    assert text_width(f"Record {widest * 16}", REGULAR, RECORD_FONT_PX) <= STATUS_WIDTH_PX
