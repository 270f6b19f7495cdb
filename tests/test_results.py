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
        "Text Generation · class B · December 2025 round · NVIDIA H100 80GB",
        "Text Generation · class A · February 2025 round · NVIDIA H100 80GB",
        "Text Generation · class A · February 2025 round · NVIDIA H100 80GB",
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
        # How sure the star is, the uncertainty it rests on and what backs the result, beside the energy.
        "p_star_1",
        "p_star_2",
        "p_star_3",
        "p_star_4",
        "p_star_5",
        "energy_rel_uncertainty",
        "uncertainty_source",
        "uncertainty_n",
        "uncertainty_note",
        "evidence",
        "evidence_note",
        "status",
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
        ("Text Generation · class A · round 2025-02", "Text Generation · class A · round 2025-02"),
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


def pending(model_class, energy, cohort="2025-12", task="text_generation"):
    from leaderboard.schema import ResultRow
    from leaderboard.tasks import round_harness

    return ResultRow(
        run_id=f"{cohort}/{task}/new/model-{model_class}-{energy}@0123456789abcdef",
        task=task,
        model=f"new/model-{model_class}-{energy}",
        provider="new",
        model_class=model_class,
        reasoning_effort=None,
        cohort=cohort,
        test_date=cohort,
        hardware="NVIDIA H100 80GB",
        gpu_energy_wh_per_1k=energy,
        source="submission 0123456789abcdef",
        harness=round_harness(task, cohort),
    )


@pytest.fixture
def classes():
    """Text generation, cohort 2025-12: class A at 1 and 10 Wh, class C at 100 and 200 Wh."""
    return Results.from_frame(
        make_frame(
            [
                row(task="text_generation", model_class=c, energy=e, cohort="2025-12")
                for c, e in (("A", 1.0), ("A", 10.0), ("C", 100.0), ("C", 200.0))
            ]
        )
    )


def test_a_pending_row_is_rated_and_ranged_within_its_own_class(classes):
    before = classes.frame.set_index("run_id")["stars"]
    view = classes.with_pending([pending("C", 150.0), pending("C", 250.0)])
    rows = view.statuses("pending").frame.set_index("model")
    # Against class C alone (100..200 with it): 150 is in the third band of five; against the whole
    # task (1..200) it would be in the fourth. Its range is its class's, never the task's.
    mid = rows.loc["new/model-C-150.0"]
    assert (mid["stars"], bool(mid["provisional"])) == (3, False)
    assert (mid["group_min_wh_per_1k"], mid["group_max_wh_per_1k"]) == (100.0, 200.0)
    high = rows.loc["new/model-C-250.0"]
    assert (high["stars"], high["group_min_wh_per_1k"], high["group_max_wh_per_1k"]) == (1, 100.0, 250.0)
    assert (view.statuses("published").frame.set_index("run_id")["stars"] == before).all()  # verified stars unchanged
    assert classes.with_pending([]) is classes


def test_a_pending_row_alone_in_its_group_is_provisional(classes):
    alone = classes.with_pending([pending("B", 42.0)]).statuses("pending").frame.iloc[0]
    assert (alone["stars"], bool(alone["provisional"])) == (5, True)
    assert (alone["group_min_wh_per_1k"], alone["group_max_wh_per_1k"]) == (42.0, 42.0)
    rated = classes.rate_candidate(
        task="text_generation",
        model_class="A",
        cohort="2025-12",
        hardware="NVIDIA H100 80GB",
        harness=classes.frame["harness"].iloc[0],
        energy_wh=5.5,
    )
    assert (rated.stars, rated.provisional, rated.peers, rated.group_min_wh, rated.group_max_wh) == (
        3,
        False,
        2,
        1.0,
        10.0,
    )


H100, H200 = "NVIDIA H100 80GB", "NVIDIA H200"


def official_models(rows, hardware=H100, pending_rows=()):
    return set(Results.from_frame(make_frame(rows)).with_pending(list(pending_rows)).official(hardware).frame["model"])


def test_official_lists_each_tasks_latest_round_only():
    rows = [
        row(task="reasoning", model="old/reasoning", cohort="2025-02"),
        row(task="reasoning", model="new/reasoning", cohort="2025-12"),
        row(task="asr", model="old/asr", cohort="2024-06"),
        row(task="asr", model="new/asr", cohort="2025-02"),
        # The December 2025 text-generation round listed February 2025 beside its own cohort.
        row(task="text_generation", model="feb/text", cohort="2025-02"),
        row(task="text_generation", model="dec/text", cohort="2025-12"),
        row(task="text_generation", model="old/text", cohort="2024-06"),
    ]
    assert official_models(rows) == {"new/reasoning", "new/asr", "feb/text", "dec/text"}


def test_official_lists_only_the_official_hardware():
    rows = [row(task="asr", model="on/h100"), row(task="asr", model="on/h200", hardware=H200)]
    assert official_models(rows) == {"on/h100"}
    assert official_models(rows, H200) == {"on/h200"}


def test_official_lists_published_and_accepted_results_never_estimates_or_pending():
    from leaderboard.results import RUNNER_MEASUREMENT

    rows = [
        row(task="text_generation", model="published/m", cohort="2025-12"),
        row(task="text_generation", model="accepted/m", cohort="2025-12", source="submission 0123456789abcdef"),
        row(task="text_generation", model="runner/m", cohort="2025-12", measured_by=RUNNER_MEASUREMENT),
    ]
    assert official_models(rows, pending_rows=[pending("A", 5.0)]) == {"published/m", "accepted/m"}


def test_official_lists_accepted_results_of_a_later_cohort_not_an_older_one():
    def accepted(model, cohort):
        return row(task="asr", model=model, cohort=cohort, source="submission 0123456789abcdef")

    rows = [row(task="asr", model="published/m"), accepted("new/m", "2026-03"), accepted("old/m", "2024-06")]
    assert official_models(rows) == {"published/m", "new/m"}


def test_the_embedded_official_board_is_every_published_result():
    from leaderboard.sources import load_results

    results = load_results().results
    board = results.official(H100)
    assert len(board) == len(results.statuses("published")) == 206
    assert board.task("text_generation").values("cohort") == ["2025-02", "2025-12"]


def test_published_first_puts_the_official_board_then_counted_then_estimates():
    from leaderboard.hardware import OFFICIAL_HARDWARE
    from leaderboard.sources import load_results

    results = load_results().results
    gpt2 = results.model("openai-community/gpt2").published_first(OFFICIAL_HARDWARE).frame
    assert list(gpt2["status"]) == ["published", "random weights", "random weights"]
    assert gpt2["gpu_energy_wh_per_1k"].iloc[1] <= gpt2["gpu_energy_wh_per_1k"].iloc[2]  # then lowest first
    everything = results.published_first(OFFICIAL_HARDWARE).frame
    on_board = everything["run_id"].isin(set(results.official(OFFICIAL_HARDWARE).frame["run_id"]))
    first_off = int((~on_board).to_numpy().argmax())
    assert on_board.iloc[:first_off].all() and not on_board.iloc[first_off:].any()
    assert len(everything) == len(results)
