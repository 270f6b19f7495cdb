"""Quality beside energy: the registry (data/quality/) loads and joins as PROVENANCE.md says, bad files are
refused naming the row and field, the Pareto front respects each metric's direction, a result without
quality is never ranked best, stars stay energy-only, and licences travel into the exports."""

from __future__ import annotations

import csv
import io
import json
import shutil
import uuid
from pathlib import Path

import pandas as pd
import pytest

from leaderboard import settings
from leaderboard.board import board_lists, render_list
from leaderboard.exports import quality_csv, quality_json, quality_parquet
from leaderboard.pareto import (
    Point,
    coverage,
    front,
    model_quality,
    render_model_quality,
    result_figures,
    standing,
)
from leaderboard.quality import (
    MAX_FILE_BYTES,
    NO_QUALITY,
    QUALITY_COLUMNS,
    Metric,
    QualityError,
    QualityTable,
    load_folder,
    normalise_model,
    parse_rows,
)
from leaderboard.results import Results
from leaderboard.schema import validate_frame
from leaderboard.sources import HubSource, LocalSource, load_quality, load_results
from tests.builders import make_frame, row

REGISTRY = settings.ROOT / "data" / "quality"
OLL = "Open LLM Leaderboard v2 average (%)"
WER = "Open ASR en short-form mean WER (%)"


def quality_row(
    model: str = "org/model",
    round: str = "2025-02",  # noqa: A002 - the registry's column name
    metric: str = "Score (%)",
    value: str = "50.0",
    higher_is_better: str = "true",
    match: str = "exact",
    reason: str = "",
    source: str = "owner/repo@abc:file.csv",
    licence: str = "CC0-1.0 (repo LICENSE)",
    source_model_id: str = "",
    **extra: str,
) -> dict[str, str]:
    return {
        "model": model,
        "round": round,
        "metric": metric,
        "value": value,
        "higher_is_better": higher_is_better,
        "source_model_id": source_model_id or model,
        "match": match,
        "reason": reason,
        "source": source,
        "licence": licence,
        **extra,
    }


def csv_text(rows: list[dict[str, str]], columns: tuple[str, ...] = QUALITY_COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def registry(tmp_path: Path, files: dict[str, str], *, metrics: bool = True) -> Path:
    folder = tmp_path / f"quality-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    if metrics:
        shutil.copy(REGISTRY / "metrics.csv", folder / "metrics.csv")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def rated(rows: list[dict]) -> Results:
    good, rejected = validate_frame(make_frame(rows))
    assert not rejected
    return Results.from_frame(good)


# --- the embedded registry --------------------------------------------------------------------------------


def test_the_embedded_registry_loads_whole_with_its_provenance():
    table = load_folder(REGISTRY)
    assert table.refused == ()
    counts = pd.Series([r.task for r in table.rows]).value_counts().to_dict()
    assert counts == {
        "text_generation": 124,
        "reasoning": 36,
        "image_classification": 22,
        "sentence_similarity": 19,
        "asr": 13,
    }
    assert "## quality-asr.csv" in table.provenance
    assert all(r.licence and r.source for r in table.rows)
    # An empty value is no quality data, with its reason: never zero.
    empty = [r for r in table.rows if r.value is None]
    assert empty and all(r.match == "none" and r.reason for r in empty)
    assert table.metric(WER).higher_is_better is False
    assert table.metric("ImageNet-1k top-1 (%)").correct_answer_rate is True
    assert not table.metric(OLL).correct_answer_rate


@pytest.mark.parametrize(
    ("published", "model", "effort"),
    [
        ("openai/gpt-oss-120b high", "openai/gpt-oss-120b", "high"),
        ("openai/gpt-oss-20b medium", "openai/gpt-oss-20b", "medium"),
        ("ibm-granite/*granite-4.0-h-tiny", "ibm-granite/granite-4.0-h-tiny", None),
        ("distilbert/distilgpt2", "distilbert/distilgpt2", None),
    ],
)
def test_model_ids_are_normalised_as_the_results_are(published, model, effort):
    assert normalise_model(published) == (model, effort)


def test_the_embedded_registry_joins_the_results_as_provenance_says():
    """Coverage per task and round: results with a figure of any metric / results."""
    results = load_results().results
    table = load_quality(REGISTRY)
    got = {(task, cohort): (n, total) for task, cohort, n, total in coverage(results.frame, table)}
    assert got[("text_generation", "2025-02")] == (35, 40)
    assert got[("text_generation", "2025-12")] == (6, 22)
    assert got[("reasoning", "2025-12")] == (6, 18)
    assert got[("sentence_similarity", "2025-02")] == (19, 19)
    assert got[("asr", "2025-02")] == (7, 13)
    assert got[("image_classification", "2025-02")] == (16, 23)  # a duplicated id, unmapped, counts twice
    figures = result_figures(results.frame, table)
    by_run = {run: {f.metric.name: f for f in fs} for run, fs in figures.items()}
    # The effort suffix and the stray '*' were split off: the rows join.
    assert by_run["2025-12/reasoning/openai/gpt-oss-120b/medium"]["HELM Capabilities v1.15.0 mean score (0-1)"].value
    assert (
        by_run["2025-12/reasoning/openai/gpt-oss-120b/high"]["HELM Capabilities v1.15.0 mean score (0-1)"].value is None
    )
    tiny = next(r for r in by_run if r.startswith("2025-12/text_generation/ibm-granite/granite-4.0-h-tiny"))
    assert by_run[tiny][OLL].value is None and "not in source" in by_run[tiny][OLL].reason
    # The FP16 entry of a duplicated model was chosen; the other is in the reason.
    gpt2 = by_run["2025-02/text_generation/openai-community/gpt2"][OLL]
    assert gpt2.value == pytest.approx(6.33) and "float16" in gpt2.reason
    whisper = by_run["2025-02/asr/openai/whisper-tiny"][WER]
    assert whisper.value is None and whisper.text == NO_QUALITY and "not mapped" in whisper.reason


# --- bad files are refused, naming the row and the field ------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"licence": ""}, "line 3 (model 'org/b'): licence is empty (every row must name its licence)"),
        ({"source": ""}, "line 3 (model 'org/b'): source is empty"),
        ({"match": "none"}, "value is given but match is none"),
        ({"value": ""}, "value is empty but match is exact"),
        ({"value": "", "match": "none"}, "reason is empty (a none row must say why)"),
        ({"match": "mapped-by-hand"}, "reason is empty (a mapped-by-hand row must say why)"),
        ({"match": "fuzzy"}, "match 'fuzzy' is not one of exact, renamed, mapped-by-hand, none"),
        ({"value": "abc"}, "value 'abc' is not a number"),
        ({"value": "nan"}, "value 'nan' is not a finite number"),
        ({"round": "Feb 25"}, "round 'Feb 25' is not a month YYYY-MM"),
        ({"higher_is_better": "yes"}, "higher_is_better 'yes' is not true or false"),
        ({"higher_is_better": "false"}, "higher_is_better differs from quality-asr.csv line 2"),
        ({"model": "not an id"}, "model 'not an id' is not a Hub model id"),
        ({"model": "org/a"}, "a second row for 'org/a', round 2025-02"),
        ({"reason": "evil\u202etext"}, "reason holds a control or invisible formatting character"),
        ({"task": "text_generation"}, "task 'text_generation' is not the task the file name says ('asr')"),
    ],
)
def test_a_bad_row_refuses_the_file_naming_the_row_and_field(tmp_path, changes, expected):
    rows = [quality_row(model="org/a"), quality_row(**{"model": "org/b", "value": "60.0", **changes})]
    columns = (*QUALITY_COLUMNS, "task") if "task" in changes else QUALITY_COLUMNS
    good = quality_row(model="org/c", metric="Other (%)")
    folder = registry(tmp_path, {"quality-asr.csv": csv_text(rows, columns), "quality-reasoning.csv": csv_text([good])})
    table = load_folder(folder)
    assert len(table.refused) == 1
    assert table.refused[0].startswith("quality-asr.csv refused: 1 bad row(s).")
    assert expected in table.refused[0]
    # The bad file is refused whole; the good one loads.
    assert [r.model for r in table.rows] == ["org/c"]


def test_a_metric_against_metrics_csv_is_refused(tmp_path):
    folder = registry(tmp_path, {"quality-asr.csv": csv_text([quality_row(metric=WER, higher_is_better="true")])})
    (refused,) = load_folder(folder).refused
    assert "line 2" in refused and "metrics.csv says lower is better" in refused


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("quality-asr.csv", "model,round,metric\norg/a,2025-02,x\n", "lacks the column(s) value, higher_is_better"),
        ("quality-speech.csv", csv_text([quality_row()]), "'speech' is not a task of the registry"),
        ("quality-asr.csv", "x" * (MAX_FILE_BYTES + 1), "at most 2,000,000"),
    ],
)
def test_a_malformed_file_is_refused_with_what_to_do(tmp_path, name, text, expected):
    (refused,) = load_folder(registry(tmp_path, {name: text})).refused
    assert expected in refused


def test_the_bad_rows_named_are_bounded(tmp_path):
    rows = [quality_row(model=f"org/m{i}", licence="") for i in range(100)]
    (refused,) = load_folder(registry(tmp_path, {"quality-asr.csv": csv_text(rows)})).refused
    assert "100 bad row(s)" in refused and "… and 80 more bad row(s)" in refused
    assert refused.count("licence is empty") == 20


# --- a maintainer adds a source with a file alone --------------------------------------------------------


def test_a_new_source_needs_no_code(tmp_path):
    rows = [
        quality_row(model="org/fast", metric="COCO box mAP (%)", value="30.0"),
        quality_row(model="org/slow", metric="COCO box mAP (%)", value="40.0"),
        quality_row(model="org/none", metric="COCO box mAP (%)", value="", match="none", reason="not in source"),
    ]
    table = load_folder(registry(tmp_path, {"quality-object_detection.csv": csv_text(rows)}))
    assert table.refused == () and table.task_metrics("object_detection") == ("COCO box mAP (%)",)
    results = rated(
        [
            row(task="object_detection", model="org/fast", energy=1.0),
            row(task="object_detection", model="org/slow", energy=2.0),
            row(task="object_detection", model="org/none", energy=0.5),
        ]
    )
    (listed,) = board_lists(results, results, quality=table)
    assert listed.quality_metrics == ("COCO box mAP (%)",)
    html = render_list(listed, model_href=lambda r: "#", label_href=lambda r: "#")
    assert "Quality: COCO box mAP (%)" in html and NO_QUALITY in html


# --- the front ----------------------------------------------------------------------------------------------


def points(*figures: tuple[str, float, float]) -> list[Point]:
    return [Point(name, name, energy, value) for name, energy, value in figures]


@pytest.mark.parametrize(
    ("higher_is_better", "figures", "on_front"),
    [
        (True, [("a", 1, 10), ("b", 2, 20), ("c", 3, 15)], ["a", "b"]),  # c: b uses less for more
        (False, [("a", 1, 10), ("b", 2, 20), ("c", 3, 15)], ["a"]),  # WER: a is cheaper and lower
        (False, [("a", 1, 30), ("b", 2, 20), ("c", 3, 25)], ["a", "b"]),
        (True, [("a", 1, 10), ("b", 1, 10)], ["a", "b"]),  # equal on both: neither beats the other
        (True, [("a", 1, 10), ("b", 1, 12)], ["b"]),  # same energy, better score
        (True, [("a", 1, 10), ("b", 2, 10)], ["a"]),  # same score, less energy
        (True, [("a", 5, 10)], ["a"]),
    ],
)
def test_the_front_respects_the_metric_direction(higher_is_better, figures, on_front):
    assert [p.run_id for p in front(points(*figures), higher_is_better)] == on_front


def test_standing_names_the_cheapest_result_that_beats_it():
    pts = points(("a", 6.0, 30), ("b", 10.0, 35), ("c", 20.0, 25))
    metric = Metric("Score (%)", True)
    text = standing(pts[2], pts, metric).text
    assert text.startswith(
        "a uses 70% less energy for a higher score (6.00 vs 20.00 Wh per 1,000 queries; 30.00 vs 25.00)"
    )
    assert standing(pts[1], pts, metric).on_front
    wer = Metric(WER, False)
    assert "for a lower score" in standing(pts[1], points(("a", 6.0, 30), ("b", 10.0, 35)) + [], wer).text
    assert standing(None, pts, metric).text == f"not placed: {NO_QUALITY} for this metric"


# --- on the board: never ranked best without quality; stars stay energy-only ---------------------------------


def board_case(tmp_path, hib: str = "true"):
    metric = "Score (%)" if hib == "true" else WER
    rows = [
        quality_row(model="org/low", value="20", metric=metric, higher_is_better=hib),
        quality_row(model="org/high", value="40", metric=metric, higher_is_better=hib),
        quality_row(model="org/zero", value="0", metric=metric, higher_is_better=hib),
        quality_row(
            model="org/missing", value="", match="none", reason="not in source", metric=metric, higher_is_better=hib
        ),
    ]
    table = load_folder(registry(tmp_path, {"quality-asr.csv": csv_text(rows)}))
    assert table.refused == ()
    results = rated(
        [
            row(model="org/missing", energy=0.1),  # the lowest energy of the group, and no quality data
            row(model="org/low", energy=1.0),
            row(model="org/high", energy=2.0),
            row(model="org/zero", energy=3.0),
            row(model="org/unlisted", energy=0.2),  # no row at all in the source
        ]
    )
    return table, results


@pytest.mark.parametrize(
    ("hib", "best_first"),
    [("true", ["org/high", "org/low", "org/zero"]), ("false", ["org/zero", "org/low", "org/high"])],
)
def test_a_row_without_quality_is_never_ranked_best(tmp_path, hib, best_first):
    table, results = board_case(tmp_path, hib)
    (listed,) = board_lists(results, results, sort="quality", quality=table)
    order = [r.model for r in listed.rows]
    assert order[:3] == best_first  # a zero is a figure (ranked by it); no quality data comes after every figure
    assert order[3:] == ["org/missing", "org/unlisted"]
    cells = {r.model: r.quality[0] for r in listed.rows}
    assert cells["org/missing"].text == NO_QUALITY and cells["org/missing"].sort_value is None
    assert cells["org/unlisted"].text == NO_QUALITY and "no row for this model" in cells["org/unlisted"].title
    assert not cells["org/missing"].on_front and not cells["org/unlisted"].on_front
    (chart,) = listed.quality_charts
    assert chart.points == 3 and chart.results == 5
    assert "org/missing" not in str(chart.svg) and "org/missing" not in chart.front_text
    html = render_list(listed, model_href=lambda r: "#", label_href=lambda r: "#")
    assert html.count(f">{NO_QUALITY}<") == 2 and 'data-quality=""' in html


def test_stars_and_ranks_stay_energy_only(tmp_path):
    table, results = board_case(tmp_path)
    (plain,) = board_lists(results, results)
    (with_quality,) = board_lists(results, results, quality=table)
    assert [(r.model, r.rank, r.stars) for r in plain.rows] == [(r.model, r.rank, r.stars) for r in with_quality.rows]
    assert plain.quality_metrics == () and with_quality.quality_metrics == ("Score (%)",)


def test_a_task_without_a_source_gets_no_quality_column():
    results = load_results().results.task("text_classification")
    lists = board_lists(results, results, quality=load_quality(REGISTRY))
    assert lists and all(b.quality_metrics == () and b.quality_charts == () for b in lists)
    assert "aies-quality" not in render_list(lists[0], model_href=lambda r: "#", label_href=lambda r: "#")


def test_metrics_are_never_mixed_in_one_chart():
    """February class C has both text-generation metrics: one chart each, with its own points."""
    results = load_results().results.task("text_generation").cohort("2025-02")
    lists = board_lists(results, results, quality=load_quality(REGISTRY))
    class_c = next(b for b in lists if b.model_class == "C")
    assert class_c.quality_metrics == (OLL, "HELM Capabilities v1.15.0 mean score (0-1)")
    assert [c.metric for c in class_c.quality_charts] == [OLL]  # HELM has one figure here: no front to draw
    assert all(len(r.quality) == 2 for r in class_c.rows)


def test_the_february_class_a_front():
    results = load_results().results.task("text_generation").cohort("2025-02")
    lists = board_lists(results, results, quality=load_quality(REGISTRY))
    class_a = next(b for b in lists if b.model_class == "A")
    (chart,) = class_a.quality_charts
    names = [p.label for p in chart.front]
    assert names[0] == "distilbert/distilgpt2" and names[-1] == "microsoft/phi-4"
    # Every point off the front is beaten by one on it; no point on it is beaten by any.
    energies = [p.energy_wh_per_1k for p in chart.front]
    values = [p.value for p in chart.front]
    assert energies == sorted(energies) and values == sorted(values)


# --- the model page ---------------------------------------------------------------------------------------------


def test_the_model_page_places_each_figure_against_its_group_front():
    results = load_results().results
    table = load_quality(REGISTRY)
    lines = model_quality(results.model("tiiuae/falcon-7b").frame, results.frame, table)
    oll = next(line for line in lines if line.figure.metric.name == OLL)
    assert not oll.standing.on_front
    assert oll.standing.text.startswith("openai-community/gpt2 uses 86% less energy for a higher score")
    assert oll.per_correct_text is None  # an average of normalised scores is no rate of correct answers
    html = render_model_quality(lines)
    assert "MPL-2.0" in html and "match: same id" in html and NO_QUALITY in html
    beit = model_quality(results.model("google/efficientnet-b7").frame, results.frame, table)
    (top1,) = beit
    assert top1.per_correct_text is not None and "per 1,000 correct answers" in top1.per_correct_text
    assert top1.figure.match == "mapped-by-hand" and "keras" in top1.figure.reason


# --- exports and sources ------------------------------------------------------------------------------------------


def test_licences_travel_into_the_exports():
    table = load_quality(REGISTRY)
    licence_of = {(r.task, r.published_model, r.metric): r.licence for r in table.rows}
    exported = pd.read_csv(io.StringIO(quality_csv(table)), dtype=str, keep_default_na=False)
    assert len(exported) == len(table.rows)
    assert (exported["licence"] != "").all() and (exported["source"] != "").all()
    for r in exported.itertuples():
        assert r.licence == licence_of[(r.task, r.published_model, r.metric)]
    records = json.loads(quality_json(table))
    assert {r["licence"] for r in records} == set(licence_of.values())
    assert all(r["value"] is None for r in records if r["match"] == "none")  # null, never 0
    parquet = pd.read_parquet(io.BytesIO(quality_parquet(table)))
    assert parquet["licence"].tolist() == exported["licence"].tolist()
    assert parquet["value"].isna().sum() == sum(r.value is None for r in table.rows)


def test_the_site_writes_the_quality_table_and_its_provenance():
    from leaderboard.site.build import SiteOptions, build_site
    from leaderboard.site.paths import QUALITY_PROVENANCE, quality_data

    everything = load_results().results
    results = Results(
        everything.frame[everything.frame["model"].isin(["openai-community/gpt2", "distilbert/distilgpt2"])]
    )
    table = load_quality(REGISTRY)
    site = build_site(results, SiteOptions("https://site.example", "https://app.example", "NVIDIA H100 80GB"), table)
    assert site.files[QUALITY_PROVENANCE].decode("utf-8") == table.provenance
    assert b"MPL-2.0" in site.files[quality_data("csv")]
    board = site.files["text_generation/index.html"].decode("utf-8")
    assert "Quality: Open LLM Leaderboard v2 average (%)" in board and "<svg" in board
    page = site.files["model/openai-community/gpt2/index.html"].decode("utf-8")
    assert "Quality beside energy" in page and "float16" in page


def test_a_hub_quality_dataset_is_read_and_a_bad_one_falls_back(tmp_path):
    rows = [quality_row(model="org/a", task="asr", metric=WER, higher_is_better="false", value="7.5")]
    good = tmp_path / f"org--quality-{uuid.uuid4().hex}"
    good.mkdir()
    pd.DataFrame(rows).to_parquet(good / "quality.parquet", index=False)
    table = load_quality(HubSource(str(good)))
    assert table.refused == () and [(r.model, r.value) for r in table.rows] == [("org/a", 7.5)]
    bad = tmp_path / f"org--quality-{uuid.uuid4().hex}"
    bad.mkdir()
    pd.DataFrame([{**rows[0], "licence": ""}]).to_parquet(bad / "quality.parquet", index=False)
    fallback = load_quality(HubSource(str(bad)))
    assert len(fallback.rows) == len(load_folder(REGISTRY).rows)
    assert "line 2 (model 'org/a'): licence is empty" in fallback.refused[0]
    assert "AIES_QUALITY_DATASET" in fallback.refused[0]


def test_a_local_source_folder_is_read_as_a_registry(tmp_path):
    folder = registry(tmp_path, {"quality-asr.csv": csv_text([quality_row(metric=WER, higher_is_better="false")])})
    assert len(load_quality(LocalSource(folder)).rows) == 1


def test_parse_rows_needs_a_task_where_the_file_names_none():
    with pytest.raises(QualityError, match="task is empty"):
        parse_rows([quality_row()], "hub", task=None, metrics={})


def test_an_empty_table_changes_nothing():
    results = load_results().results.task("asr")
    lists = board_lists(results, results, quality=QualityTable())
    assert all(b.quality_metrics == () for b in lists)


def test_the_command_line_exports_the_quality_table_with_its_licences(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "asr-quality.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "leaderboard", "export", "--quality", "--task", "asr", "--out", str(out)],
        cwd=settings.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    exported = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(exported) == 13 and set(exported["task"]) == {"asr"}
    assert set(exported["licence"]) == {"Apache-2.0 (repo LICENSE)"}
    assert (exported.loc[exported["match"] == "none", "value"] == "").all()


def test_figures_mapped_by_hand_can_be_hidden_and_read_as_no_quality_data():
    table = load_quality(REGISTRY).hiding("mapped-by-hand")
    results = load_results().results.task("image_classification").cohort("2025-02")
    (listed,) = board_lists(results, results, quality=table)
    assert all(r.quality[0].value is None for r in listed.rows)  # every ImageNet figure was mapped by hand
    assert listed.quality_charts == ()
    beit = next(r for r in listed.rows if r.model == "microsoft/beit-base-patch16-224")
    assert beit.quality[0].text == NO_QUALITY and "figure hidden: mapped by hand" in beit.quality[0].title
    text = load_results().results.task("text_generation").cohort("2025-02")
    lists = board_lists(text, text, quality=table)
    qwen = next(r for b in lists for r in b.rows if r.model == "Qwen/Qwen2.5-72B-Instruct")
    assert [c.text for c in qwen.quality] == ["47.98"]  # the exact figure stays; HELM's, by hand, goes with its column


def test_a_gap_within_the_metric_noise_is_read_as_a_tie():
    pts = points(("a", 6.0, 30.0), ("b", 10.0, 28.5), ("c", 12.0, 20.0))
    metric = Metric("Score (%)", True, noise=4.0)
    assert standing(pts[1], pts, metric).text.endswith("a gap in score within the metric's noise (±4): a tie in effect")
    assert "noise" not in standing(pts[2], pts, metric).text
    assert load_quality(REGISTRY).metric(OLL).noise == 4.0


def test_a_bad_metrics_file_is_refused_naming_the_line(tmp_path):
    folder = registry(tmp_path, {}, metrics=False)
    (folder / "metrics.csv").write_text(
        "metric,higher_is_better,correct_answer_rate,noise,note\nX (%),true,maybe,,\n", encoding="utf-8"
    )
    (refused,) = load_folder(folder).refused
    assert refused == "metrics.csv line 2: correct_answer_rate is not true or false."


def test_beyond_the_noise_the_cheapest_clear_winner_is_named_too():
    results = load_results().results
    lines = model_quality(results.model("tiiuae/falcon-7b").frame, results.frame, load_quality(REGISTRY))
    oll = next(line for line in lines if line.figure.metric.name == OLL)
    assert "6.33 vs 5.17), a gap in score within the metric's noise (±4): a tie in effect" in oll.standing.text
    assert oll.standing.text.endswith(
        "Beyond the noise, HuggingFaceTB/SmolLM2-1.7B-Instruct uses 51% less energy for a higher score (15.02 vs 5.17)"
    )


@pytest.mark.parametrize(("higher_is_better", "better_up"), [(True, "b"), (False, "a")])
def test_the_chart_puts_the_better_score_up_in_the_metric_direction(higher_is_better, better_up):
    import re

    from leaderboard.svg_charts import QualityPoint, quality_chart

    svg = str(
        quality_chart(
            [QualityPoint("a", 1.0, 10.0, 1), QualityPoint("b", 10.0, 20.0, 2)], "M", higher_is_better, "title"
        )
    )
    y = {name: float(cy) for cy, name in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"[^>]*><title>(\w):', svg)}
    assert min(y, key=lambda name: y[name]) == better_up  # smaller y is higher on the page
    assert ("higher is better" if higher_is_better else "lower is better") in svg
