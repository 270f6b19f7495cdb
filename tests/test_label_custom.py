"""Custom labels: the board read from free text (with 'did you mean'), the round rated against, the
stars against the December 2025 class A board, provisional and not rated on every variant, the link
that says what a custom label is; the label's words (the unit once, the model class, the evidence);
one file name for a result's label wherever it is downloaded."""

import xml.etree.ElementTree as ET

import pytest

from label.model import NOT_RATED, PROVISIONAL, custom_labels_url, label_for_row, make_label
from label.render import label_stem, render_svg
from label.select import check_round, custom_label, default_round, rate_custom, task_rounds
from leaderboard.errors import ValidationError
from leaderboard.hardware import resolve_board
from leaderboard.results import OFFICIAL_STATUSES
from leaderboard.sources import load_results

BASE_URL = "https://example.org/leaderboard"
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def results():
    """The board's own results (published and accepted), as the label page rates against them."""
    return load_results().results.statuses(*OFFICIAL_STATUSES)


def texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG_NS}text")]


@pytest.mark.parametrize(
    "typed, board, exact, offered",
    [
        ("NVIDIA H100 80GB", "NVIDIA H100 80GB", True, ()),
        ("nvidia h100 80gb", "NVIDIA H100 80GB", True, ()),
        ("H100 80GB", "NVIDIA H100 80GB", True, ()),
        ("NVIDIA H100-80GB", "NVIDIA H100 80GB", True, ()),  # the label's own spelling
        ("NVIDIA H100 80GB HBM3", "NVIDIA H100 80GB", True, ()),  # NVML's
        ("H100", "NVIDIA H100 80GB", False, ("NVIDIA H100 PCIe", "NVIDIA H100 NVL")),
        ("NVIDIA H100", "NVIDIA H100 80GB", False, ("NVIDIA H100 PCIe", "NVIDIA H100 NVL")),
        ("h100 pcie", "NVIDIA H100 PCIe", True, ()),
        ("A100", "NVIDIA A100 80GB", False, ("NVIDIA A100 80GB PCIe", "NVIDIA A100 40GB", "NVIDIA A100 40GB PCIe")),
        ("H200", "NVIDIA H200", True, ()),
        ("RTX 4090", None, False, ()),
        ("MI300", None, False, ("AMD Instinct MI300X",)),
        ("h10", None, False, ("NVIDIA H100 80GB", "NVIDIA H100 PCIe", "NVIDIA H100 NVL")),
        ("NVIDIA", None, False, ()),  # a vendor alone is no board
        ("", None, False, ()),
    ],
)
def test_free_text_is_read_as_a_known_board_with_did_you_mean(typed, board, exact, offered):
    choice = resolve_board(typed)
    assert (choice.board.name if choice.board else None) == board
    assert choice.exact is exact and choice.did_you_mean == offered
    if board is None:
        assert "no known board: not rated" in choice.words()
    elif not exact:
        assert f"read as {board}" in choice.words() and all(o in choice.words() for o in offered)


@pytest.mark.parametrize("typed", ["H100", "NVIDIA H100", "nvidia h100 80gb", "H100 80GB", "NVIDIA H100 80GB"])
def test_class_a_text_generation_at_50_wh_gets_3_stars_on_the_december_2025_board(results, typed):
    rating = rate_custom(results, task="text_generation", model_class="A", hardware=typed, energy_wh=50.0)
    assert rating.rated and not rating.provisional and rating.stars == 3
    assert rating.cohort == "2025-12" and rating.board == "NVIDIA H100 80GB" and rating.group_size == 12
    assert (round(rating.low_wh, 2), round(rating.high_wh, 2)) == (4.20, 81.82)
    assert "range 4.20–81.82 Wh per 1,000 queries" in rating.explanation
    label = custom_label(
        model="my-org/m",
        task="text_generation",
        scored="2026-01",
        hardware=typed,
        energy_wh=50.0,
        stars=0,
        base_url=BASE_URL,
        model_class="A",
        rating=rating,
    )
    shown = texts(render_svg(label))
    assert label.stars == 3 and label.mark == ""
    assert "December 2025" in shown and "NVIDIA H100 80GB" in shown and "Class A (up to 20 B params)" in shown
    assert label.link == custom_labels_url(BASE_URL) == f"{BASE_URL}/label?mode=Custom+values"


def rated_label(results, hardware, variant, energy=50.0, model_class="A"):
    rating = rate_custom(results, task="text_generation", model_class=model_class, hardware=hardware, energy_wh=energy)
    label = custom_label(
        model="my-org/m",
        task="text_generation",
        scored="2026-01",
        hardware=hardware,
        energy_wh=energy,
        stars=0,
        base_url=BASE_URL,
        model_class=model_class,
        rating=rating,
        variant=variant,
    )
    return rating, label


@pytest.mark.parametrize("variant", ["full", "spec"])
def test_an_unknown_board_is_rated_nowhere_and_every_variant_says_not_rated(results, variant):
    rating, label = rated_label(results, "RTX 4090", variant)
    assert not rating.rated and rating.stars == 0 and rating.mark == NOT_RATED
    svg = render_svg(label)
    assert any(t.startswith(NOT_RATED) for t in texts(svg))
    assert svg.count('fill="#EFEFEF"/>') == 5  # no star filled
    assert "not rated" in label.title and "not rated" in label.desc


@pytest.mark.parametrize("variant", ["full", "spec"])
def test_a_known_board_without_published_results_is_provisional_on_every_variant(results, variant):
    rating, label = rated_label(results, "NVIDIA H200", variant)
    assert rating.rated and rating.provisional and rating.stars == 5 and rating.group_size == 0
    assert any(t.startswith(PROVISIONAL) for t in texts(render_svg(label)))
    assert "(provisional)" in label.title


@pytest.mark.parametrize("variant", ["full", "spec"])
def test_stars_given_by_hand_are_not_rated(variant):
    label = custom_label(
        model="x/y",
        task="asr",
        scored="2026-01",
        hardware="H100",
        energy_wh=5.0,
        stars=2,
        base_url=BASE_URL,
        variant=variant,
    )
    assert label.stars == 2 and label.mark == NOT_RATED
    assert any(t.startswith(NOT_RATED) for t in texts(render_svg(label)))


@pytest.mark.parametrize("variant", ["full", "spec"])
def test_a_published_provisional_result_says_so_on_every_variant(variant):
    row = {
        "run_id": "2025-12/reasoning/org/lonely/high",
        "model": "org/lonely",
        "task": "reasoning",
        "cohort": "2025-12",
        "hardware": "NVIDIA H100 80GB",
        "gpu_energy_wh_per_1k": 40.1,
        "stars": 5,
        "provisional": True,
        "model_class": "B",
        "reasoning_effort": "high",
        "status": "published",
    }
    label = label_for_row(row, BASE_URL, variant=variant)
    assert label.mark == PROVISIONAL and any(t.startswith(PROVISIONAL) for t in texts(render_svg(label)))


def test_the_round_defaults_to_the_newest_the_registry_knows_that_rated_the_task():
    assert default_round("text_generation") == default_round("reasoning") == "2025-12"
    assert default_round("asr") == "2025-02"  # December 2025 rated text generation and reasoning only
    assert task_rounds("text_generation") == ("2025-02", "2025-12") and task_rounds("asr") == ("2025-02",)
    assert check_round("text_generation", "2025-02") == "2025-02"
    with pytest.raises(ValidationError, match=r"no published round rated asr then; its rounds are 2025-02"):
        check_round("asr", "2025-12")


def test_an_older_round_is_rated_against_its_own_group(results):
    rating = rate_custom(
        results, task="text_generation", model_class="A", hardware="H100", energy_wh=50.0, cohort="2025-02"
    )
    assert rating.cohort == "2025-02" and rating.group_size > 0 and rating.low_wh != 4.20


@pytest.mark.parametrize(
    "task, model_class, shown",
    [("text_generation", "A", "Class A (up to 20 B params)"), ("reasoning", "B", "Class B (20–66 B params)"),
     ("reasoning", "C", "Class C (over 66 B params)"), ("asr", None, "")],
)  # fmt: skip
def test_the_label_names_the_unit_once_and_the_class_where_the_task_has_classes(task, model_class, shown):
    label = make_label(
        model="org/m",
        task_id=task,
        scored="2025-12" if task != "asr" else "2025-02",
        hardware="NVIDIA H100 80GB",
        energy_wh_per_1k=2.37,
        stars=3,
        base_url=BASE_URL,
        model_class=model_class,
        run_id="r",
    )
    visible = texts(render_svg(label))
    assert label.model_class == shown and (shown in visible) is bool(shown)
    assert [t for t in visible if "Wh" in t] == ["2.37 Wh"]  # the unit once, with the value
    assert "GPU energy" in visible and "per 1,000 queries" in visible


@pytest.mark.parametrize(
    "status, evidence, words",
    [
        ("published", None, "Published round"),
        ("random weights", None, "Random-weights estimate; reproduced"),
        ("accepted", "logs cross-checked", "Accepted submission; logs cross-checked"),
        ("accepted", "held with acknowledged warnings", "Accepted submission; held: warnings acknowledged"),
        ("pending", None, "Pending submission (unverified); self-reported"),
        ("custom", None, "Self-reported values"),
    ],
)
def test_the_full_label_names_the_evidence_after_the_status(status, evidence, words):
    label = make_label(
        model="org/m",
        task_id="asr",
        scored="2025-02",
        hardware="NVIDIA H100 80GB",
        energy_wh_per_1k=1.0,
        stars=3,
        base_url=BASE_URL,
        status=status,
        evidence=evidence,
        run_id=None if status == "custom" else "r",
    )
    shown = " ".join(label.status_lines)  # two lines at most: a longer one is ellipsized, the title has it whole
    assert shown == words or (shown.endswith("…") and words.startswith(shown[:-1]))
    assert words in label.title


def test_a_results_label_has_one_file_name_wherever_it_is_downloaded(results):
    row = results.model("openai-community/gpt2").task("text_generation").frame.iloc[0]
    assert label_stem(row) == "openai-community_gpt2-text_generation-2025-02-b9e79dd91dacf26e"
    effort = results.model("openai/gpt-oss-20b").task("reasoning").frame
    low = effort[effort["reasoning_effort"] == "low"].iloc[0]
    assert label_stem(low).startswith("openai_gpt-oss-20b-reasoning-low-2025-12-")
    # Both pages name their downloads by it (and no other way).
    from tests.conftest import ROOT

    for page in ("leaderboard/ui/label_page.py", "leaderboard/ui/model_page.py"):
        source = (ROOT / page).read_text()
        assert (
            "label_stem(row)" in source
            and "safe_filename(titles" not in source
            and 'record_id(run_id)}")' not in source
        )
