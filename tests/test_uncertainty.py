"""How sure a star is: uncertainties and their sources, P(star), the stability report, and where they show."""

from __future__ import annotations

import json
import math
import statistics
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from label.model import label_for_row
from label.render import render_svg
from leaderboard import evidence, uncertainty
from leaderboard.board import board_lists, model_results, render_list
from leaderboard.charts import task_chart
from leaderboard.harnesses import AIEB_PYTORCH, ENERGY_STAR_DEV, RUNNER_GENERATE, RUNNER_GRAPH
from leaderboard.rating import DRAWS, RULE, GroupKey, group_codes, seeds_of
from leaderboard.results import Results
from leaderboard.schema import ResultRow, validate_frame
from leaderboard.sources import LocalSource
from leaderboard.stability import group_stability, stability, text_table
from tests.builders import make_frame, row
from tests.conftest import DATA_DIR, ROOT

# Three Monte Carlo standard errors of a probability estimated from DRAWS draws (at its widest, p = 0.5).
MC_TOLERANCE = 3 * math.sqrt(0.25 / DRAWS)


def rated(rows: list[dict]) -> Results:
    good, rejected = validate_frame(make_frame(rows))
    assert not rejected, [r.message() for r in rejected]
    return Results.from_frame(good)


@pytest.fixture(scope="module")
def embedded() -> Results:
    return Results.from_frame(LocalSource(DATA_DIR).load())


# --- where an uncertainty comes from -------------------------------------------------------------


def test_harness_spreads_are_the_committed_runs_coefficients_of_variation():
    sys.path.insert(0, str(ROOT / "bench" / "gpu"))
    import report  # bench/gpu/report.py reads bench/gpu/results

    runs = report.harness_runs()
    kinds = {AIEB_PYTORCH: "official", RUNNER_GENERATE: "eager", RUNNER_GRAPH: "graph"}
    for harness, kind in kinds.items():
        per_model = {m: [r[1] for r in rows] for (k, m), rows in runs.items() if k == kind}
        cvs = {m: statistics.stdev(v) / statistics.fmean(v) for m, v in per_model.items()}
        worst = max(cvs, key=lambda m: cvs[m])
        spread = uncertainty.SPREAD_BY_HARNESS[harness]
        assert spread.rel_sd == pytest.approx(cvs[worst], abs=5e-4), harness
        assert spread.runs == len(per_model[worst])
    # No harness without repeat runs on record gets a figure.
    assert uncertainty.SPREAD_BY_HARNESS[ENERGY_STAR_DEV].rel_sd is None


@pytest.mark.parametrize(
    "totals, rel, n",
    [
        ([100.0, 100.0], 0.0, 2),
        ([90.0, 110.0], statistics.stdev([90, 110]) / 100, 2),
        ([1.0, 2.0, 3.0], 0.5, 3),
    ],
)
def test_own_repeats_give_the_coefficient_of_variation_of_one_repeat(totals, rel, n):
    u = uncertainty.from_repeats(totals)
    assert u is not None and u.source == uncertainty.REPEATS and u.n == n
    assert u.rel == pytest.approx(rel, abs=1e-6)
    assert f"from its {n} repeats" in u.words()


@pytest.mark.parametrize("totals", [[], [5.0], [0.0, 0.0], [float("nan"), 3.0]])
def test_too_few_repeats_give_no_figure(totals):
    assert uncertainty.from_repeats(totals) is None


def test_every_result_says_where_its_uncertainty_comes_from(embedded):
    frame = embedded.frame
    assert set(frame[uncertainty.SOURCE_COLUMN]) <= set(uncertainty.SOURCES)
    feb = frame[frame["cohort"] == "2025-02"]
    dec = frame[frame["cohort"] == "2025-12"]
    runner = frame[frame["status"] == "random weights"]
    # February: optimum-benchmark energy_star_dev has no repeat runs on record: unknown, never zero.
    assert (feb[uncertainty.SOURCE_COLUMN] == uncertainty.UNKNOWN).all() and feb[uncertainty.REL_COLUMN].isna().all()
    assert feb["p_shown"].isna().all()
    # December: the v2 harness's measured spread.
    assert (dec[uncertainty.SOURCE_COLUMN] == uncertainty.HARNESS).all()
    assert (dec[uncertainty.REL_COLUMN] == 0.127).all()
    # This project's runs: their own repeats, as the dataset stores them.
    assert (runner[uncertainty.SOURCE_COLUMN] == uncertainty.REPEATS).all()
    assert (runner[uncertainty.N_COLUMN] >= 2).all()
    assert set(frame["evidence"]) == {evidence.PUBLISHED, evidence.REPRODUCED}
    assert (runner["evidence"] == evidence.REPRODUCED).all()


def test_a_stored_harness_figure_is_not_trusted_over_the_harness_table():
    frame = make_frame([row(task="asr", energy=1.0), row(task="asr", energy=2.0)])
    frame[uncertainty.SOURCE_COLUMN] = uncertainty.HARNESS
    frame[uncertainty.REL_COLUMN] = 0.0001  # a dataset claiming near-certainty for a harness with no figure
    results = Results.from_frame(validate_frame(frame)[0])
    assert results.frame[uncertainty.REL_COLUMN].isna().all()


@pytest.mark.parametrize(
    "column, value, problem",
    [
        ("uncertainty_source", "guess", "uncertainty_source 'guess' must be one of"),
        ("energy_rel_uncertainty", -0.1, "energy_rel_uncertainty"),
        ("energy_rel_uncertainty", 50.0, "energy_rel_uncertainty"),
        ("evidence", "trust me", "evidence 'trust me' must be one of"),
        ("evidence_note", "a\u202eb", "evidence_note contains control characters"),
    ],
)
def test_bad_uncertainty_or_evidence_cells_are_rejected_rows_naming_the_column(column, value, problem):
    frame = make_frame([row(energy=1.0, **{column: value})])
    good, rejected = validate_frame(frame)
    assert good.empty and problem in rejected[0].message()


def test_repeats_without_a_count_are_rejected():
    frame = make_frame([row(energy=1.0, uncertainty_source="repeats", energy_rel_uncertainty=0.05)])
    _, rejected = validate_frame(frame)
    assert "uncertainty_n of at least 2" in rejected[0].message()


def test_a_submitted_runs_own_repeats_are_its_uncertainty(tmp_path):
    from harness.zips import make_zip, runner_files
    from leaderboard.submissions import Claim, check_zip
    from leaderboard.submissions.store import Store
    from leaderboard.submissions.workflow import result_row, submit
    from tests.test_store import ALL_ATTESTED, form

    values = {"prefill": [1.0, 1.1, 0.9], "decode": [10.0, 11.0, 9.5]}
    data = make_zip(runner_files(values_wh_per_1k=values))
    claim = Claim(task="text_generation", model="openai-community/gpt2", model_class="A", hardware="NVIDIA H100 80GB")
    report = check_zip(data, claim)
    assert report.parsed is not None
    totals = [1.0 + 10.0, 1.1 + 11.0, 0.9 + 9.5]
    assert list(report.parsed.repeat_totals_wh_per_1k) == pytest.approx(totals)
    store = Store(tmp_path / "store")
    stored = submit(store, data, report, form(model="openai-community/gpt2"), ALL_ATTESTED)
    row = result_row(store.record(stored.id), "2025-12", stored.id)
    assert row.uncertainty_source == "repeats" and row.uncertainty_n == 3
    assert row.energy_rel_uncertainty == pytest.approx(statistics.stdev(totals) / statistics.fmean(totals), abs=1e-6)
    assert row.evidence == evidence.CROSS_CHECKED and row.evidence_note is None


# --- P(star) --------------------------------------------------------------------------------------


def probabilities(energies, rels, groups=None):
    n = len(energies)
    codes = np.zeros(n, int) if groups is None else np.asarray(groups)
    seeds = seeds_of(pd.Series([f"run-{i}" for i in range(n)]))
    return RULE.probabilities(np.asarray(energies, float), np.asarray(rels, float), codes, seeds)


def test_without_uncertainty_every_star_is_certain_and_the_rules_star():
    energies = [1.0, 2.0, 3.5, 7.0, 10.0]
    p = probabilities(energies, [0.0] * 5)
    stars, _ = RULE.stars(np.array(energies), np.full(5, 1.0), np.full(5, 10.0))
    assert np.array_equal(p.argmax(axis=1) + 1, stars) and np.allclose(p.max(axis=1), 1.0)


def test_probabilities_sum_to_one_and_are_deterministic():
    energies, rels = [1.0, 1.9, 2.1, 3.0, 5.0], [0.1] * 5
    first, second = probabilities(energies, rels), probabilities(energies, rels)
    assert np.array_equal(first, second)
    assert np.allclose(first.sum(axis=1), 1.0)


def test_a_middle_result_matches_the_lognormal_probability_of_crossing_its_edge():
    # The ends are exact (u = 0): the bands stay at 2, 4, 6, 8; the middle result (4.2) varies by 10%.
    # P(4 stars) = P(drawn < 4) = Phi(ln(4 / 4.2) / sigma), P(3 stars) = P(4 <= drawn < 6).
    sigma = math.sqrt(math.log1p(0.1**2))
    p = probabilities([0.0001, 4.2, 10.0], [0.0, 0.1, 0.0])[1]
    phi = lambda x: 0.5 * (1 + math.erf(x / math.sqrt(2)))  # noqa: E731
    four = phi(math.log(4 / 4.2) / sigma)
    three = phi(math.log(6 / 4.2) / sigma) - four
    assert p[3] == pytest.approx(four, abs=MC_TOLERANCE)
    assert p[2] == pytest.approx(three, abs=MC_TOLERANCE)


def test_the_ends_move_the_bands_too():
    # Only the highest result varies, and widely: the middle result's band moves with it.
    p = probabilities([1.0, 5.5, 10.0], [0.0, 0.0, 0.5])[1]
    assert 0.1 < p[2] < 0.9  # 3 stars (as published) is not sure although 5.5 itself is exact


def test_an_unknown_uncertainty_makes_its_whole_group_unknown_and_no_other():
    p = probabilities([1.0, 2.0, 3.0, 1.0, 2.0], [0.1, np.nan, 0.1, 0.1, 0.1], groups=[0, 0, 0, 1, 1])
    assert np.isnan(p[:3]).all() and not np.isnan(p[3:]).any()


def test_a_groups_probabilities_do_not_depend_on_other_groups():
    alone = probabilities([1.0, 2.0, 3.0], [0.1] * 3)
    seeds = seeds_of(pd.Series(["run-0", "run-1", "run-2", "other-a", "other-b"]))
    together = RULE.probabilities(
        np.array([1.0, 2.0, 3.0, 50.0, 70.0]), np.full(5, 0.1), np.array([0, 0, 0, 1, 1]), seeds
    )
    assert np.array_equal(alone, together[:3])


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.floats(0.01, 1000.0), min_size=2, max_size=8),
    st.floats(0.0, 0.3),
    st.floats(0.1, 100.0),
)
def test_scaling_every_energy_leaves_the_probabilities_unchanged(energies, rel, scale):
    before = probabilities(energies, [rel] * len(energies))
    after = probabilities([e * scale for e in energies], [rel] * len(energies))
    assert np.allclose(before, after, atol=1e-12)


def test_the_published_stars_are_still_the_rules_stars(embedded):
    feb = embedded.frame[embedded.frame["cohort"] == "2025-02"]
    assert (feb["stars"] == feb["published_stars"].astype(int)).all() and len(feb) == 166


def test_pending_candidates_carry_their_probabilities(embedded):
    dec = embedded.frame[(embedded.frame["cohort"] == "2025-12") & (embedded.frame["task"] == "text_generation")]
    peer = dec[dec["model_class"] == "A"].iloc[0]
    candidate = ResultRow(
        run_id="2025-12/text_generation/org/new@sub",
        task="text_generation",
        model="org/new",
        provider="org",
        model_class="A",
        reasoning_effort=None,
        cohort="2025-12",
        test_date="2025-12",
        hardware=str(peer["hardware"]),
        gpu_energy_wh_per_1k=30.0,
        source="submission sub",
        harness=AIEB_PYTORCH,
    )
    mine = embedded.with_pending([candidate]).statuses("pending").frame.iloc[0]
    p = [mine[f"p_star_{s}"] for s in range(1, 6)]
    assert sum(p) == pytest.approx(1.0) and mine["p_shown"] == p[int(mine["stars"]) - 1]
    assert mine["evidence"] == evidence.SELF_REPORTED


# --- where it shows -------------------------------------------------------------------------------


def two_groups() -> Results:
    # One task, class, round and board, two harnesses: two rating groups.
    common = dict(task="text_generation", model_class="A", cohort="2026-11", hardware="NVIDIA H200")
    return rated(
        [row(energy=e, harness=RUNNER_GENERATE, **common) for e in (1.0, 2.0, 5.0)]
        + [row(energy=e, harness=RUNNER_GRAPH, **common) for e in (0.5, 0.6, 2.5, 9.0)]
    )


def test_one_chart_panel_per_rating_group_with_its_own_band_edges():
    results = two_groups()
    figure = task_chart(results).to_dict()
    titles = [a["text"] for a in figure["layout"]["annotations"]]
    assert len(titles) == 2
    assert any("generate" in t for t in titles) and any("CUDA-graph" in t for t in titles)
    by_axis: dict[str, list[float]] = {}
    for shape in figure["layout"]["shapes"]:
        by_axis.setdefault(shape["xref"], []).append(shape["x0"])
    edges = sorted(sorted(v) for v in by_axis.values())
    assert edges == sorted([RULE.edges(1.0, 5.0), RULE.edges(0.5, 9.0)])
    # Each bar's stars are the stars of its own group's bands.
    for trace in figure["data"]:
        stars = int(trace["text"][0].rstrip("★"))
        assert all(s == f"{stars}★" for s in trace["text"])


def test_rating_groups_are_keys_not_sentences():
    results = two_groups()
    keys = set(results.frame["group_key"])
    assert len(keys) == 2 and len(set(results.group_labels())) == 2
    for key in keys:
        parsed = GroupKey.from_id(key)
        assert parsed.id == key and parsed.task == "text_generation"
    assert len(set(group_codes(results.frame))) == 2


def unsure_group() -> Results:
    # v2-harness results (±12.7%) of the December 2025 round: 4.3 sits just above the 4.2 edge.
    common = dict(task="text_generation", model_class="A", cohort="2025-12", harness=AIEB_PYTORCH)
    return rated([row(energy=e, **common) for e in (1.0, 4.3, 10.0, 17.0)])


def test_a_board_row_whose_star_is_not_sure_says_the_likeliest_other_star():
    results = unsure_group()
    (board,) = board_lists(results, results)
    rows = {r.energy_wh_per_1k: r for r in board.rows}
    unsure = rows[4.3]
    assert unsure.sure is False and unsure.sure_note is not None
    other, p_other = unsure.likeliest_other or (0, 0.0)
    assert unsure.sure_note == f"{other}★ is {round(p_other * 100)}% likely"
    html = render_list(board, model_href=lambda r: "#", label_href=lambda r: "#")
    assert unsure.sure_note in html and 'data-p-shown="' in html
    # No decoration where the star is sure.
    assert rows[1.0].sure is True and rows[1.0].sure_note is None
    assert "less than 90% likely" in (board.sureness or "")


def test_a_board_with_unknown_uncertainty_says_so_in_words():
    results = rated([row(task="asr", energy=e) for e in (1.0, 2.0, 3.0)])
    (board,) = board_lists(results, results)
    assert all(r.sure is None and r.sure_note is None for r in board.rows)
    assert (board.sureness or "").startswith("How sure these stars are is unknown")


def test_sorting_by_sureness_and_filtering_unsure_stars():
    results = unsure_group()
    order = results.sorted("sure").frame["p_shown"].tolist()
    assert order == sorted(order)
    unsure = results.unsure().frame
    assert len(unsure) >= 1 and (unsure["p_shown"] < uncertainty.SURE_P).all()
    assert results.evidence(evidence.REPRODUCED).frame.empty
    assert len(results.evidence(evidence.PUBLISHED)) == len(results)


def test_the_model_page_shows_the_distribution_and_its_source(embedded):
    mine = embedded.model("google/gemma-3-4b-pt").cohort("2025-12").task("text_generation")
    (result,) = model_results(mine, embedded)
    assert result.p_stars is not None and "★" in result.distribution_text
    assert "assumed from 3 runs of its harness" in result.uncertainty_text
    assert result.evidence_text == "Published"
    feb = model_results(embedded.model("openai-community/gpt2").cohort("2025-02"), embedded)[0]
    assert feb.distribution_text == "unknown" and feb.uncertainty_text.startswith("unknown")


def test_the_full_label_says_how_sure_its_stars_are(embedded):
    frame = embedded.frame
    unsure = frame[(frame["p_shown"] < 0.9)].iloc[0]
    full = label_for_row(unsure, "https://example.org")
    assert "likely" in full.sureness and full.sureness in render_svg(full)
    assert label_for_row(unsure, "https://example.org", variant="spec").sureness == ""
    unknown = frame[frame["cohort"] == "2025-02"].iloc[0]
    assert label_for_row(unknown, "https://example.org").sureness == "How sure: unknown"


# --- the stability report -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "energies, without_highest, without_lowest",
    [
        ([1.0, 2.0, 3.0, 100.0], 2, 0),  # the outlier squeezes the others into the 5-star band
        # Evenly spread: without the highest the bands keep their places; without the lowest every one moves.
        ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 0, 4),
        ([1.0, 2.0], 0, 1),  # one left: provisional 5 stars, which the highest did not have
    ],
)
def test_stars_that_change_without_a_groups_extreme(energies, without_highest, without_lowest):
    results = rated([row(task="asr", energy=e) for e in energies])
    g = group_stability(results.frame)
    assert (g.changed_without_highest, g.changed_without_lowest) == (without_highest, without_lowest)


def test_the_rank_rule_is_a_what_if_beside_the_published_rule():
    results = rated([row(task="asr", energy=e) for e in (1.0, 2.0, 3.0, 100.0)])
    g = group_stability(results.frame)
    assert list(results.sorted("asc").frame["stars"]) == [5, 5, 5, 1]  # the published rule is unchanged
    assert g.changed_under_rank_rule == 2  # ranks 2 and 3 of 4 get 4 and 2 stars


def test_the_published_data_stability_figures(embedded):
    report = stability(embedded, statuses=("published",))
    total = report.total
    assert total.results == 206 and total.sure + total.not_sure + total.unknown == 206
    assert total.unknown == 166  # every February 2025 result: no repeat runs of its harness on record
    assert total.changed_without_highest == 53
    assert total.uncertainty_sources == {"repeats": 0, "harness": 40, "unknown": 166}
    # What-ifs at an assumed spread, as measured for the published stars (4,000 draws each).
    assert 35 <= total.not_sure_if_assumed["5%"] <= 55 and 75 <= total.not_sure_if_assumed["10%"] <= 95
    assert "| **all** | 206 |" in text_table(report)


def test_the_stability_command_writes_json(tmp_path):
    import subprocess

    out = tmp_path / "stability.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "leaderboard",
            "stability",
            "--task",
            "reasoning",
            "--format",
            "json",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text())
    assert list(data["tasks"]) == ["reasoning"] and data["total"]["results"] == 18
    assert all(g["task"] == "reasoning" for g in data["groups"])
