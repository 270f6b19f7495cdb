"""The board's ranked lists: one per rating group, ranked within it, titled in words, rendered escaped."""

from leaderboard.board import board_lists, render_list
from leaderboard.harnesses import RUNNER_GRAPH
from leaderboard.results import Results
from tests.boardhtml import parse_lists
from tests.builders import make_frame, row


def results(*rows: dict) -> Results:
    return Results.from_frame(make_frame(list(rows)))


def links(board):
    return render_list(board, model_href=lambda r: f"model?id={r.model}", label_href=lambda r: f"label/{r.record}")


def test_one_list_per_rating_group_latest_round_first_then_class():
    scope = results(
        row("text_generation", "a/feb-a", 2.0, "A", "2025-02"),
        row("text_generation", "a/dec-b", 5.0, "B", "2025-12"),
        row("text_generation", "a/dec-a2", 3.0, "A", "2025-12"),
        row("text_generation", "a/dec-a1", 1.0, "A", "2025-12"),
    )
    titles = [b.title for b in board_lists(scope, scope)]
    assert titles == [
        "Class A · December 2025 round · NVIDIA H100 80GB",
        "Class B · December 2025 round · NVIDIA H100 80GB",
        "Class A · February 2025 round · NVIDIA H100 80GB",
    ]
    first = board_lists(scope, scope)[0]
    assert [(r.model, r.rank) for r in first.rows] == [("a/dec-a1", 1), ("a/dec-a2", 2)]
    assert [r.bar_percent for r in first.rows] == [33.3, 100.0]  # relative to the group's highest
    assert "3.0× the GPU energy" in (first.headline or "")


def test_ranks_and_group_size_count_the_whole_group_whatever_is_shown_and_sort_keeps_them():
    scope = results(*(row("asr", f"o/m{i}", float(i)) for i in range(1, 6)))
    view = scope.energy_between(3.0, None)
    (only,) = board_lists(view, scope, sort="desc")
    assert [r.rank for r in only.rows] == [5, 4, 3]
    assert [r.bar_percent for r in only.rows] == [100.0, 80.0, 60.0]  # a filter never stretches a bar
    assert only.group_size == 5 and "Showing 3 of them (filtered)" in only.caption
    assert only.title == "February 2025 round · NVIDIA H100 80GB"  # no class for this task


def test_a_group_of_one_says_its_stars_are_provisional():
    scope = results(row("asr", "o/alone", 1.0))
    (only,) = board_lists(scope, scope)
    assert "nothing to compare it with" in only.caption and only.headline is None
    assert only.rows[0].provisional


def test_a_harness_that_is_not_the_rounds_is_named_in_the_title():
    scope = results(row("text_generation", "o/m", 1.0, "A", "2026-11", "NVIDIA H200", harness=RUNNER_GRAPH))
    (only,) = board_lists(scope, scope)
    assert only.title == "Class A · November 2026 round · NVIDIA H200 · AI Energy Score runner (CUDA-graph decode)"


def test_the_rendered_list_escapes_every_text_from_the_data():
    hostile = '<script>alert(1)</script>"/x'
    scope = results(row("asr", "org/ok", 1.0, hardware=hostile), row("asr", "org/two", 2.0, hardware=hostile))
    html = links(board_lists(scope, scope)[0])
    assert "<script>" not in html and "&lt;script&gt;" in html
    (parsed,) = parse_lists(html)
    assert hostile in parsed.title  # shown as text, exactly
    assert [r.model for r in parsed.rows] == ["org/ok", "org/two"]
    assert [r.stars for r in parsed.rows] == [5, 1]


def test_estimates_and_efforts_are_marked_on_their_row():
    scope = results(
        row("reasoning", "o/r", 1.0, "A", "2025-12", effort="high"),
        row("reasoning", "o/r", 0.5, "A", "2025-12", effort="low"),
    )
    parsed = parse_lists(links(board_lists(scope, scope)[0]))[0]
    assert sorted(t for r in parsed.rows for t in r.tags if "effort" in t) == ["high effort", "low effort"]


def test_an_empty_view_has_no_lists():
    scope = results(row("asr", "o/m", 1.0))
    assert board_lists(scope.search("nothing-matches"), scope) == []


def test_a_models_history_chart_is_inline_svg_with_its_text_escaped():
    from leaderboard.board import history_chart, model_results

    hostile = 'NVIDIA <script>x</script> & "co"'
    everything = results(
        row("asr", "o/m", 2.0, hardware=hostile),
        row("asr", "o/m", 1.0, cohort="2025-12", hardware=hostile),
        row("asr", "o/other", 4.0),
    )
    listed = model_results(everything.model("o/m"), everything)
    svg = history_chart("o/m", listed)
    assert svg.startswith("<svg") and "<script>" not in svg and "&lt;script&gt;" in svg
    assert "GPU energy (Wh per 1,000 queries, log scale)" in svg and "2 Wh · " in svg and "1 Wh · " in svg
    assert history_chart("o/m", listed[:1]) == ""  # one round: nothing to chart across rounds


def test_model_ids_may_break_after_a_slash_and_stay_escaped():
    from leaderboard.board import breakable

    assert str(breakable("org/a_b<i>")) == "org/<wbr>a_<wbr>b&lt;i&gt;"
