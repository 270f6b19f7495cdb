import csv
import io
import re

import pandas as pd
import pytest

from leaderboard.errors import UnknownTaskError
from leaderboard.results import Results, csv_cell, csv_safe, export_frame, star_glyphs
from tests.builders import make_frame, row


@pytest.fixture
def results():
    return Results.from_frame(
        make_frame(
            [
                row(task="text_generation", model="meta/llama-big", model_class="A", energy=10.0),
                row(task="text_generation", model="meta/Llama-small", model_class="A", energy=1.0),
                row(task="text_generation", model="mist/ral", model_class="B", energy=50.0, cohort="2025-12"),
                row(task="asr", model="openai/whisper", energy=0.5),
                row(task="asr", model='=HYPERLINK("x")', energy=2.0),
            ]
        )
    )


def test_chainable_filters(results):
    tg = results.task("text_generation")
    assert len(tg) == 3
    assert len(tg.model_class("A")) == 2
    assert len(tg.cohort("2025-12")) == 1
    assert len(tg.search("LLAMA")) == 2  # case-insensitive
    assert len(tg.search("lla.a")) == 0  # literal text, not a pattern
    assert len(results.energy_between(1.0, 10.0)) == 3
    assert len(results.hardware("NVIDIA H200")) == 0
    assert len(results.model_class()) == 5  # no values: no filter


def test_filtering_never_changes_stars(results):
    tg = results.task("text_generation")
    assert tg.model_class("A").search("big").frame["stars"].tolist() == [1]


def test_unknown_task_names_the_accepted_ids(results):
    with pytest.raises(UnknownTaskError, match="text_generation"):
        results.task("painting")


def test_sort_and_rank(results):
    table = results.task("text_generation").sorted("desc").table()
    assert table["gpu_energy_wh_per_1k"].tolist() == [50.0, 10.0, 1.0]
    # Ranks count within each rating group: mist/ral is alone in class B, 2025-12.
    assert table["rank"].tolist() == [1, 2, 1]
    assert table["group"].tolist() == [
        "Text Generation · class B · cohort 2025-12 · NVIDIA H100 80GB",
        "Text Generation · class A · cohort 2025-02 · NVIDIA H100 80GB",
        "Text Generation · class A · cohort 2025-02 · NVIDIA H100 80GB",
    ]
    grouped = results.task("text_generation").sorted("asc").by_group().table()
    assert grouped["model"].tolist() == ["meta/Llama-small", "meta/llama-big", "mist/ral"]  # largest group first
    assert table["model_url"].iloc[0] == "https://huggingface.co/mist/ral"


def test_overview_and_ratio(results):
    overview = results.overview().set_index("task")
    assert overview.loc["asr", "Most efficient model"] == "openai/whisper"
    assert overview.loc["text_generation", "Models"] == 3
    assert results.task("asr").max_min_ratio() == pytest.approx(4.0)
    assert results.task("asr").search("whisper").max_min_ratio() is None


def test_export_frame_columns(results):
    out = export_frame(results)
    assert list(out.columns) == [
        "task",
        "model",
        "model_class",
        "reasoning_effort",
        "cohort",
        "hardware",
        "harness",
        "gpu_energy_wh_per_1k",
        "stars",
        "provisional",
    ]
    assert out["task"].tolist()[:3] == ["text_generation"] * 3  # SPEC task order


def test_csv_safe_neutralises_formulas(results):
    safe = csv_safe(export_frame(results))
    assert '\'=HYPERLINK("x")' in safe["model"].tolist()
    assert "openai/whisper" in safe["model"].tolist()


@pytest.mark.parametrize(
    "cell, safe",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ('RTX;=HYPERLINK("http://x","y")', 'RTX;\'=HYPERLINK("http://x","y")'),
        ("H100, -2+3", "H100, '-2+3"),
        ("a\t@x", "a\t'@x"),
        ("a\n+x", "a\n'+x"),
        ("a\r\n=x", "a\r\n'=x"),
        ("  =x", "  '=x"),
        ("org/model-v2", "org/model-v2"),
        ("2 × NVIDIA H200", "2 × NVIDIA H200"),
        ("Text Generation · class A · cohort 2025-02", "Text Generation · class A · cohort 2025-02"),
    ],
)
def test_csv_safe_neutralises_every_piece_a_spreadsheet_could_split_off(cell, safe):
    assert csv_cell(cell) == safe


def test_no_csv_field_starts_a_formula_whatever_the_separator():
    hostile = ['RTX;=HYPERLINK("x")', "a,-1+1", "b\t@c", "=x", "-y", "ok;  +z", "c\r\n=d"]
    frame = pd.DataFrame({"model": hostile, "energy": [-1.5] * len(hostile)})
    text = csv_safe(frame).to_csv(index=False)
    for separator in (",", ";", "\t"):
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=separator):
            for field in record:
                for piece in re.split("[\r\n]", field):
                    assert not re.match("[ ]*[-=+@\t\r]", piece) or piece == "-1.5", piece  # a number is a number


def test_star_glyphs():
    assert star_glyphs(3) == "★★★☆☆"
    assert star_glyphs(5) == "★★★★★"
