import pytest

from leaderboard.errors import UnknownTaskError
from leaderboard.results import Results, csv_safe, export_frame, star_glyphs
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


def test_star_glyphs():
    assert star_glyphs(3) == "★★★☆☆"
    assert star_glyphs(5) == "★★★★★"
