"""AppTest for every page: no exception, filters change the rows, the URL restores the view."""

import hashlib
import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.boardhtml import BoardList, ModelRow, Row, parse_lists, parse_model_results
from tests.conftest import ROOT

APP = str(ROOT / "streamlit_app.py")
LABEL_PAGE = "leaderboard/ui/label_page.py"


@pytest.fixture(autouse=True)
def _fresh_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def app(page: str | None = None, **params) -> AppTest:
    """A fresh session with these query parameters, like following a link: the whole app, or one
    page script run on its own (AppTest cannot open a multipage app on a page other than the default)."""
    at = AppTest.from_file(str(ROOT / page) if page else APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def lists(at) -> list[BoardList]:
    """The task board's ranked lists, read back from the HTML the page rendered."""
    return [b for h in at.get("html") for b in parse_lists(h.proto.body)]


def rows(at) -> list[Row]:
    return [r for b in lists(at) for r in b.rows]


def notice(at) -> str:
    """The link notice as a reader sees it: its values are Markdown-escaped text (markdown_literal)."""
    return re.sub(r"\\(.)", r"\1", " ".join(w.value for w in at.warning)).replace("\u2060", "")


def test_overview_lists_every_task():
    at = app()
    body = " ".join(h.proto.body for h in at.get("html"))
    assert body.count("<tr data-task=") == 11
    assert "GPU energy (Wh per 1,000 queries), lowest – highest" in body
    # A task opens its board, its most efficient model that model's page (same tab: relative links).
    # A task with classes opens on all of them: the board its row sums up.
    assert '<a href="?task=Text%20Generation&amp;class=All">Text Generation</a>' in body
    assert '<a href="?task=Automatic%20Speech%20Recognition">Automatic Speech Recognition</a>' in body
    assert '<a href="model?id=distilbert/distilgpt2">distilbert/<wbr>distilgpt2</a>' in body
    at = app(show="All results")  # what is shown stays when a task is opened
    body = " ".join(h.proto.body for h in at.get("html"))
    assert '<a href="?show=All%20results&amp;task=Text%20Generation&amp;class=All">Text Generation</a>' in body
    assert not at.warning


OVERVIEW_ROW = re.compile(
    r'<tr data-task="(?P<task>[^"]+)">\s*<td class="aies-model"><a href="\?(?P<query>[^"]+)">[^<]*</a></td>\s*'
    r'<td class="aies-count">(?P<models>\d+)</td>\s*<td class="aies-range">(?P<low>[^ ]+) – (?P<high>[^<]+)</td>\s*'
    r'<td class="aies-best"><a href="model\?id=(?P<best>[^"]+)">'
)


def test_overview_ranges_are_those_of_the_boards_they_open():
    from urllib.parse import parse_qsl

    from leaderboard.formatting import energy_wh

    body = " ".join(h.proto.body for h in app().get("html"))
    found = list(OVERVIEW_ROW.finditer(body.replace("&amp;", "&")))
    assert len(found) == 11
    for m in found:
        board = app(**dict(parse_qsl(m["query"])))
        shown = rows(board)
        energies = [r.energy for r in shown]
        assert (energy_wh(min(energies)), energy_wh(max(energies))) == (m["low"], m["high"]), m["task"]
        assert len({r.model for r in shown}) == int(m["models"]), m["task"]
        assert min(shown, key=lambda r: r.energy).model == m["best"], m["task"]


def test_a_task_board_opens_on_its_latest_round_and_first_class():
    at = app(task="Text Generation")
    # The December 2025 round listed the February 2025 models beside its own, with their February stars.
    only, february = lists(at)
    assert february.title == "Class A · February 2025 round · NVIDIA H100 80GB" and len(february.rows) == 32
    assert only.title == "Class A · December 2025 round · NVIDIA H100 80GB"
    assert "these 12 results of class A in the December 2025 round" in only.caption
    assert [r.rank for r in only.rows] == list(range(1, 13))
    energies = [r.energy for r in only.rows]
    assert energies == sorted(energies)
    assert at.segmented_control(key="class").value == "A"
    assert at.selectbox(key="round").value == "latest"
    at = app(task="Object Detection")  # another task's latest round
    assert lists(at)[0].title == "February 2025 round · NVIDIA H100 80GB"


def test_changing_task_class_round_and_search_changes_rows():
    at = app()
    at.selectbox(key="task").set_value("asr").run()
    assert len(rows(at)) == 13 and len(lists(at)) == 1  # no classes, one round
    at.selectbox(key="task").set_value("text_generation").run()
    assert len(rows(at)) == 12 + 32  # class A of the December 2025 round and the February models it listed
    at.segmented_control(key="class").set_value("all").run()
    assert len(rows(at)) == 62 and [b.title.split(" · ")[0] for b in lists(at)] == ["Class A", "Class B", "Class C"] * 2
    at.selectbox(key="round").set_value("2025-12").run()
    assert len(rows(at)) == 22
    at.selectbox(key="round").set_value("all").run()
    assert len(rows(at)) == 62 and len(lists(at)) == 6  # the official board: published on the H100 only
    assert not any("H200" in b.title for b in lists(at))
    at.segmented_control(key="show").set_value("all").run()
    assert len(rows(at)) == 69  # + 7 measured here on H200s (generate, graph decode, 2 GPUs)
    assert any("H200" in b.title for b in lists(at))
    at.segmented_control(key="show").set_value("official").run()
    at.segmented_control(key="class").set_value("B").run()
    assert {b.title.split(" · ")[0] for b in lists(at)} == {"Class B"}
    at.segmented_control(key="class").set_value("all").run()
    at.selectbox(key="round").set_value("2025-12").run()
    assert len(rows(at)) == 22
    at.text_input(key="q").input("gemma").run()
    found = rows(at)
    assert len(found) == 4 and all("gemma" in r.model for r in found)
    assert not at.exception


def test_a_task_switch_resets_class_and_round_to_the_new_tasks_defaults():
    at = app(task="Text Generation", **{"class": "C"}, round="February 2025")
    assert at.selectbox(key="round").value == "2025-02"
    at.selectbox(key="task").set_value("reasoning").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="round").value == "latest" and at.segmented_control(key="class").value == "C"
    assert [b.title for b in lists(at)] == ["Class C · December 2025 round · NVIDIA H100 80GB"]
    assert not at.warning  # nothing was dropped: the round went back to the latest, not refused


def test_the_latest_round_says_which_earlier_results_it_lists_beside_its_own():
    at = app(task="Text Generation")
    assert any("lists 32 results of the February 2025 round beside its own" in c.value for c in at.caption)
    at = app(task="Text Generation", round="All rounds")
    assert not any("beside its own" in c.value for c in at.caption)
    at = app(task="Text Generation", q="gpt2")  # a February model, found on the latest round's board
    found = {r.model for r in rows(at)}
    assert {"openai-community/gpt2", "distilbert/distilgpt2"} <= found and all("gpt2" in m for m in found)


def test_a_search_that_finds_nothing_offers_the_nearest_model_ids():
    at = app(task="Text Generation", q="gtp2")
    assert not rows(at)
    (info,) = at.info
    assert info.value == "No results match these filters."
    body = " ".join(h.proto.body for h in at.get("html"))
    assert (
        '<p class="aies-did-you-mean">Did you mean <a href="?task=Text%20Generation&amp;q=openai-community%2Fgpt2"'
        in body
    )
    at = app(task="Text Generation", q="https://huggingface.co/openai-community/gpt2/tree/main")
    assert {r.model for r in rows(at)} == {
        "openai-community/gpt2",
        *(f"openai-community/gpt2-{s}" for s in ("medium", "large", "xl")),
    }
    at = app(q="llama 3.1")  # the overview searches too
    assert any("Text Generation" in h.proto.body for h in at.get("html"))


def test_a_search_says_how_many_more_match_in_other_classes_or_rounds():
    at = app(task="Text Generation", q="gemma", round="December 2025")
    assert len(rows(at)) == 3
    assert any(
        c.value.startswith("4 more results") and "class **All** or **All rounds**" in c.value for c in at.caption
    )
    at = app(task="Text Generation", q="gemma", round="All rounds")  # only the control not yet on All is named
    assert any("more result" in c.value and "choose class **All** to list" in c.value for c in at.caption)
    at = app(task="Text Generation", q="gemma", round="All rounds", **{"class": "All"})
    assert len(rows(at)) == 7 and not any("more result" in c.value for c in at.caption)


def test_filters_use_readable_labels_in_the_url():
    # Bound widgets keep the displayed label in the URL: ?task=Text+Generation&sort=Highest+first
    at = app(task="Reasoning")
    assert at.selectbox(key="task").value == "reasoning"
    assert at.query_params["task"] == "Reasoning"


def test_query_string_restores_the_view():
    at = app(task="Text Generation", round="Latest round", **{"class": "C"}, sort="Highest GPU energy first", q="glm")
    assert at.selectbox(key="task").value == "text_generation"
    assert at.selectbox(key="round").value == "latest"
    assert at.segmented_control(key="class").value == "C"
    assert at.selectbox(key="sort").value == "desc"
    found = rows(at)
    assert len(found) == 3
    assert [r.energy for r in found] == sorted((r.energy for r in found), reverse=True)
    ranks = [r.rank for r in found]
    assert ranks == sorted(ranks, reverse=True)  # sorting never changes a rank: 1 is the lowest energy


def test_invalid_query_values_are_ignored():
    at = app(task="painting", round="1999-01", emin="nan")
    assert at.selectbox(key="task").value == "all"
    at = app(task="Text Generation", round="1999-01")
    assert at.selectbox(key="round").value == "latest"
    assert "round=1999-01" in notice(at)  # shown as text (its Markdown escapes the "-")


def test_energy_range_filter():
    at = app(task="Automatic Speech Recognition", emin="10", emax="100")
    energies = [r.energy for r in rows(at)]
    assert len(energies) > 0 and all(10 <= e <= 100 for e in energies)
    (only,) = lists(at)
    assert "Showing" in only.caption and "(filtered)" in only.caption
    assert {r.rank for r in only.rows} != set(range(1, len(only.rows) + 1))  # ranks count the whole group


def test_ratio_callout_and_units():
    at = app(task="Automatic Speech Recognition")
    caption = lists(at)[0].caption
    assert "×" in caption and "Wh per 1,000 queries" in caption


def test_compare_shows_picked_models_side_by_side():
    at = app(
        view="Compare",
        cmp=[
            "openai/whisper-large-v3 · Automatic Speech Recognition · 2025-02",
            "openai/gpt-oss-20b (low) · Reasoning · 2025-12",
        ],
    )
    compared = at.dataframe[0].value
    assert sorted(compared["task"]) == ["asr", "reasoning"]


def test_compare_ranks_are_the_boards_ranks_within_the_whole_rating_group():
    picked = ["openai-community/gpt2", "meta-llama/Meta-Llama-3.1-8B"]
    at = app(view="Compare", cmp=[f"{m} · Text Generation · 2025-02" for m in picked])
    compared = at.dataframe[0].value
    ranks = dict(zip(compared["model"], compared["rank"], strict=True))
    board = app(task="Text Generation", round="February 2025", **{"class": "A"})
    (group,) = lists(board)
    on_board = {r.model: r.rank for r in group.rows}
    assert ranks == {m: on_board[m] for m in picked}
    assert ranks["openai-community/gpt2"] == 3 and ranks["meta-llama/Meta-Llama-3.1-8B"] == 22


def test_broken_hub_setting_shows_message_and_embedded_data(monkeypatch):
    monkeypatch.setenv("AIES_RESULTS_DATASET", "no-such-org/no-such-results")
    at = app(task="Automatic Speech Recognition")
    assert len(at.warning) == 1
    message = at.warning[0].value
    assert "AIES_RESULTS_DATASET" in message and "no-such-org/no-such-results" in message
    assert len(rows(at)) == 13


def test_chart_and_download_tabs_run_lazily():
    at = app(task="Text Generation")
    assert len(at.get("plotly_chart")) == 0  # only the open tab runs
    at = app(task="Text Generation", view="Chart")
    assert len(at.get("plotly_chart")) == 1 and not rows(at)
    at = app(task="Automatic Speech Recognition", view="Download & cite")
    assert [b.label for b in at.get("download_button")] == ["Current view (CSV)", "Whole dataset (Parquet)"]


def test_about_page():
    at = app()
    at.switch_page("leaderboard/ui/about_page.py").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "watt-hours" in text and "provisional" in text
    assert "the address is `http://localhost:8501`" in text  # no setting, no browser: the local app


def test_about_page_names_the_public_address_labels_link_to_and_the_static_site(monkeypatch):
    monkeypatch.setenv("AIES_PUBLIC_URL", "https://energy.example.org/board")
    monkeypatch.setenv("AIES_SITE_URL", "https://energy.example.org/board")
    at = app("leaderboard/ui/about_page.py")
    text = " ".join(m.value for m in at.markdown)
    assert "`https://energy.example.org/board` (the public_url setting (AIES_PUBLIC_URL))" in text
    assert "static site at `https://energy.example.org/board`" in text
    at = app(task="Text Generation")
    assert "[The same boards as a fast static site](https://energy.example.org/board)" in at.caption[0].value
    monkeypatch.setenv("AIES_SITE_URL", "javascript:alert(1)")
    at = app(task="Text Generation")  # a bad setting is named, never linked, and the page goes on
    assert "AIES_SITE_URL" in at.warning[0].value and "static site" not in at.caption[0].value
    assert len(rows(at)) == 12 + 32


def test_label_page_shows_a_published_label():
    at = app(LABEL_PAGE, task="Reasoning", model="openai/gpt-oss-20b (low)")
    assert at.selectbox(key="task").value == "reasoning"
    assert at.selectbox(key="model").value == "2025-12/reasoning/openai/gpt-oss-20b/low"
    assert [b.label for b in at.get("download_button")] == ["PNG", "SVG"]
    codes = [c.value for c in at.code]
    assert any(c.startswith("[![AI Energy Score label for openai/gpt-oss-20b (low)]") for c in codes)
    assert any("model?id=openai/gpt-oss-20b&record=" in c for c in codes)  # the record on its model page


def test_label_page_builds_the_zip_of_a_task():
    at = app(LABEL_PAGE, task="Object Detection")
    at.button(key="build_zip").click().run()
    assert not at.exception
    assert "Download ZIP" in [b.label for b in at.get("download_button")]


def test_label_page_custom_values_are_rated_and_explained():
    at = app(LABEL_PAGE, mode="Custom values", task="Text Generation")
    assert any("Enter the model name" in i.value for i in at.info)
    at.text_input(key="c_model").input("my-org/<b>secret</b>-model").run()
    at.number_input(key="c_energy").set_value(1.0).run()
    assert not at.exception
    assert any("5 stars" in i.value and "Rated against" in i.value for i in at.info)
    at.checkbox(key="c_by_hand").check().run()
    at.slider(key="c_stars").set_value(2).run()
    assert not at.exception and not at.error


def test_leaderboard_rows_link_to_their_label():
    at = app(task="Automatic Speech Recognition")
    found = rows(at)
    assert all(r.label_href.startswith("label?task=Automatic%20Speech%20Recognition&scored=2025-02") for r in found)
    # One click from a row to its model page, on the record, in the same tab (a relative link).
    assert all(r.model_href == f"model?id={r.model}&record={r.record}" for r in found)


def test_switching_pages_keeps_a_usable_task():
    at = app()  # leaderboard: task "all", a value the label page lacks
    at.switch_page(LABEL_PAGE).run()
    assert not at.exception
    assert at.selectbox(key="task").value == "text_generation"


def test_submit_page_without_upload_explains_what_to_upload():
    at = app("leaderboard/ui/submit_page.py")
    assert any("GPU_ENERGY_SUMMARY.json" in i.value for i in at.info)
    assert at.expander[0].label == "How to produce the logs" and "python -m runner run" in at.code[0].value
    # The whole form is on the page before an upload, and nothing in it can be filled in or sent yet.
    assert at.text_input(key="s_model_none").disabled and at.selectbox(key="s_task_none").disabled
    assert at.selectbox(key="s_board_none").value is None  # no hardware claimed that no logs name
    assert len(at.checkbox) == 3  # the attestations, readable before an upload
    assert at.button(key="s_submit_none").disabled


def test_pending_submissions_are_shown_only_on_request(tmp_path, monkeypatch):
    from harness.zips import energy_star_files, make_zip
    from leaderboard.submissions import ATTESTATIONS, Form, check_zip
    from leaderboard.submissions.store import Store
    from leaderboard.submissions.workflow import submit

    monkeypatch.setenv("AIES_STORE_DIR", str(tmp_path))
    data = make_zip(energy_star_files(model="pending-org/pending-model"))
    submit(
        Store(tmp_path),
        data,
        check_zip(data),
        Form("pending-org/pending-model", "text_generation", "A", "BF16", None, "x@example.org", "NVIDIA H100 80GB"),
        {name: True for name, _ in ATTESTATIONS},
    )
    at = app(task="Text Generation", round="All rounds")
    assert "pending-org/pending-model" not in [r.model for r in rows(at)]
    at = app(task="Text Generation", pending="true", show="All results", round="All rounds", **{"class": "All"})
    found = rows(at)
    pending = [r for r in found if r.model == "pending-org/pending-model"]
    assert len(pending) == 1 and "Pending submission (unverified)" in pending[0].tags
    assert len(found) == 70  # the 69 text-generation results and the pending one


def test_a_link_with_invalid_values_says_what_it_dropped():
    at = app(task="Text Generation", **{"class": "Z"}, emin="abc")
    notice = " ".join(w.value for w in at.warning)
    assert "class=Z" in notice and "emin=abc" in notice
    assert len(rows(at)) == 12 + 32  # the rest of the view still applies
    at = app(task="Text Generation", emin="100", emax="1")
    notice = " ".join(w.value for w in at.warning)
    assert "emin=100" in notice and "emax=1" in notice and "minimum is above the maximum" in notice
    assert len(rows(at)) == 12 + 32
    at = app(task="Painting")
    assert "task=Painting" in " ".join(w.value for w in at.warning)


def test_a_link_naming_options_by_their_ids_says_so_instead_of_silently_showing_another_view():
    """The bound widgets read their options' labels only (task=Text+Generation, round=February+2025, class=All):
    task=text_generation, round=2025-02, class=all or sort=desc is named as dropped."""
    at = app(task="text_generation")
    assert "task=text_generation (not one of: All tasks (overview), Text Generation," in notice(at)
    at = app(task="Text Generation", round="2025-02", sort="desc", **{"class": "all"})
    assert "round=2025-02 (not one of: Latest round, December 2025, February 2025, All rounds)" in notice(at)
    assert "class=all (not one of: A, B, C, All)" in notice(at) and "sort=desc" in notice(at)
    assert len(rows(at)) == 12 + 32


def test_a_link_names_an_order_a_choice_of_results_a_tab_or_a_toggle_it_does_not_know():
    at = app(task="Text Generation", sort="cheapest", show="everything", view="chart", pending="maybe")
    for dropped in ("sort=cheapest", "show=everything", "view=chart", "pending=maybe"):
        assert dropped in notice(at), (dropped, notice(at))
    assert len(rows(at)) == 12 + 32


def test_a_dropped_link_value_is_shown_as_text_never_as_a_link():
    at = app(task="[Log in again](https://evil.example)", hw="**H100** ![x](https://evil.example/x.png)")
    markdown = at.warning[0].value
    assert "\\[Log in again\\]\\(https" in markdown and "](https://evil" not in markdown
    assert "\\*\\*H100\\*\\*" in markdown and "![x]" not in markdown
    assert "task=[Log in again](https://evil.example) (not one of" in notice(at)


def test_an_energy_bound_given_twice_is_checked_as_the_value_the_filter_uses():
    """A repeated parameter: the number input reads its last value, so the check reads that one too."""
    at = app(task="Text Generation", emin=["1", "abc"])
    assert "emin=abc" in notice(at)
    at = app(task="Text Generation", emin=["1", "100"], emax="2")
    assert "minimum is above the maximum" in notice(at)
    assert len(rows(at)) == 12 + 32
    at = app(task="Text Generation", emin=["abc", "1"])
    assert not at.warning and at.number_input(key="emin").value == 1.0


def test_a_view_spanning_rating_groups_shows_one_titled_ranked_list_per_group():
    at = app(task="Text Generation", **{"class": "B"}, round="All rounds")
    titles = [b.title for b in lists(at)]
    assert titles == [
        "Class B · December 2025 round · NVIDIA H100 80GB",  # the latest round first
        "Class B · February 2025 round · NVIDIA H100 80GB",
    ]
    for board in lists(at):
        assert [r.rank for r in board.rows] == list(range(1, len(board.rows) + 1))  # ranks restart in each list
        assert [r.energy for r in board.rows] == sorted(r.energy for r in board.rows)
        assert "the most energy-hungry" in board.caption.lower()  # each list's spread is its own
    at = app(task="Text Generation", **{"class": "B"}, round="All rounds", sort="Highest GPU energy first")
    for board in lists(at):  # "highest first" sorts within each list
        assert [r.energy for r in board.rows] == sorted((r.energy for r in board.rows), reverse=True)


def test_stars_are_read_out_and_rows_that_differ_look_different():
    at = app(task="Reasoning", **{"class": "C"})
    found = rows(at)
    assert all(1 <= r.stars <= 5 for r in found)
    oss = [r for r in found if r.model == "openai/gpt-oss-120b"]
    assert len(oss) == 3 and sorted(t for r in oss for t in r.tags) == ["high effort", "low effort", "medium effort"]


MODEL_PAGE = "leaderboard/ui/model_page.py"


def model_rows(at) -> list[ModelRow]:
    return [r for h in at.get("html") for r in parse_model_results(h.proto.body)]


def test_model_page_shows_every_result_with_its_group_and_the_record_asked_for():
    from leaderboard.links import record_id

    run = "2025-02/text_generation/openai-community/gpt2"
    at = app(MODEL_PAGE, id="openai-community/gpt2", record=record_id(run))
    found = model_rows(at)
    assert {r.task for r in found} == {"text_generation"}
    published = next(r for r in found if r.status == "published")
    assert published.energy == pytest.approx(2.15, abs=0.005) and published.focused
    assert "Class A · February 2025 round · NVIDIA H100 80GB" in published.text
    assert sum(r.status == "random weights" for r in found) == 2  # the H200 estimates, marked as such
    assert sum(r.focused for r in found) == 1
    pinned = " ".join(s.value for s in at.success)
    assert f"Record {record_id(run)}" in pinned and "2.15" in pinned and "rank 3 of 32" in pinned
    assert at.selectbox(key="label_run").value == run  # its label is the one offered
    assert [m.label for m in at.metric][:1] == ["GPU energy per year (kWh)"]
    gpu_kwh = float(at.metric[0].value.replace(",", ""))
    assert gpu_kwh == pytest.approx(published.energy * 1_000_000 / 1000 * 365 / 1000, rel=1e-3)


def test_model_page_opens_on_the_published_result():
    """gpt2's first row, and the label offered, is its published H100 result, not a cheaper H200 estimate;
    every row says its round, hardware and status in words (they differ in nothing else a phone shows)."""
    at = app(MODEL_PAGE, id="openai-community/gpt2")
    found = model_rows(at)
    first = found[0]
    assert first.status == "published" and first.hardware == "NVIDIA H100 80GB"
    assert first.energy == pytest.approx(2.15, abs=0.005)
    assert [r.status for r in found] == ["published", "random weights", "random weights"]
    assert "Published round" in first.text and "February 2025 round" in first.text
    assert all("Random-weights estimate" in r.text and "NVIDIA H200" in r.text for r in found[1:])
    assert at.selectbox(key="label_run").value == "2025-02/text_generation/openai-community/gpt2"
    options = at.selectbox(key="label_run").options
    assert len(set(options)) == len(options) == 3  # the two H200 estimates differ by their harness
    at = app(MODEL_PAGE, id="meta-llama/Llama-3.1-8B")
    assert at.title[0].value == "meta-llama/Llama-3.1-8B"  # a copy of the heading is the id, nothing hidden in it


def test_model_page_names_an_unknown_model_or_record_as_text():
    at = app(MODEL_PAGE, id="[evil](https://example.com)/x")
    assert at.error and "\\[evil\\]\\(https" in at.error[0].value  # escaped: shown as text, not a link
    at = app(MODEL_PAGE, id="openai-community/gpt2", record="zzzz")
    assert "is not a result of" in at.warning[0].value


def test_an_unknown_model_keeps_the_link_and_offers_next_steps():
    at = app(MODEL_PAGE, id="openai-community/gpt3")
    assert "has no result here yet" in at.error[0].value
    assert at.query_params["id"] == "openai-community/gpt3"  # the address is kept as it was
    text = " ".join(h.proto.body for h in at.get("html"))
    assert '<a href="model?id=openai-community/gpt2">openai-community/gpt2</a>' in text  # a similar id, one click
    assert '<a href="label">' in text and '<a href="submit">' in text


def test_label_page_finds_any_model_and_opens_its_official_result():
    at = app(LABEL_PAGE, task="Object Detection")
    at.selectbox(key="find").select("openai-community/gpt2").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="task").value == "text_generation"
    assert at.selectbox(key="scored").value == "2025-02"
    assert at.selectbox(key="model").value == "2025-02/text_generation/openai-community/gpt2"


def test_an_unusable_data_folder_or_store_is_named_on_the_page_not_a_traceback(monkeypatch, tmp_path):
    monkeypatch.setenv("AIES_DATA_DIR", str(tmp_path))  # no Parquet file in it
    at = app()
    assert "No Parquet files in" in at.error[0].value
    (tmp_path / "results.parquet").write_bytes(b"not parquet")
    at = app()
    assert "Could not read" in at.error[0].value and "results.parquet" in at.error[0].value
    monkeypatch.delenv("AIES_DATA_DIR")
    (tmp_path / "store-file").write_text("a file, not a folder")
    monkeypatch.setenv("AIES_STORE_DIR", str(tmp_path / "store-file"))
    at = app()
    assert "AIES_STORE_DIR" in at.error[0].value


def test_a_model_id_from_the_data_makes_no_markdown_link_of_its_own(monkeypatch, tmp_path):
    from tests.builders import make_frame, row

    evil = "org/x) [evil](https://evil.example"
    make_frame([row(task="asr", model=evil, energy=1.0)]).to_parquet(tmp_path / "results.parquet")
    monkeypatch.setenv("AIES_DATA_DIR", str(tmp_path))
    at = app(MODEL_PAGE, id=evil)
    caption = at.caption[0].value
    assert "(https://huggingface.co/org/x%29%20%5Bevil%5D%28https%3A//evil.example)" in caption
    assert "](https://evil.example" not in caption


def test_the_address_labels_link_to_never_carries_credentials_from_the_browsers_address():
    at = AppTest.from_file(str(ROOT / "leaderboard/ui/about_page.py"), default_timeout=60)
    at.context["url"] = "https://reader:pa55word@energy.example.org:8443/board/about"
    at.run()
    text = " ".join(m.value for m in at.markdown)
    assert "the address is `https://energy.example.org:8443/board` (the address this app is opened at)" in text
    assert "pa55word" not in text and "reader" not in text


def test_submit_page_judges_an_upload_once_per_claim(monkeypatch):
    """Each (zip, claim) is judged once: a rerun that changed neither, or changed only what is no claim
    (the contact), judges nothing; a claim seen before is read back."""
    import leaderboard.submissions
    from harness.zips import make_zip, v2_files

    judged: list[object] = []
    real = leaderboard.submissions.check_zip

    def counting(data, claim=None):
        judged.append(claim)
        return real(data, claim)

    monkeypatch.setattr(leaderboard.submissions, "check_zip", counting)
    data = make_zip(v2_files(model="org/model", gpu_wh=15.0))
    at = app("leaderboard/ui/submit_page.py")
    assert judged == []  # nothing uploaded, nothing judged
    at.file_uploader(key="upload").upload("run.zip", data, "application/zip").run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(judged) == 2  # the logs read for the form's defaults (no claim), then the form's claim
    first_claim = judged[-1]
    assert first_claim.task == "text_generation" and first_claim.model == "org/model"
    key = hashlib.sha256(data).hexdigest()[:16]
    at.run()
    at.text_input(key=f"s_contact_{key}").input("dev@example.org").run()
    assert len(judged) == 2, judged[2:]  # reruns that changed no claim judge nothing
    at.text_input(key=f"s_model_{key}").input("org/other").run()
    assert len(judged) == 3 and judged[-1].model == "org/other"
    shown = at.dataframe[0].value  # the checks table of the claim on the form
    assert ("Fail", "Model as claimed") in set(zip(shown["Status"], shown["Check"], strict=True))
    at.text_input(key=f"s_model_{key}").input("org/model").run()
    assert len(judged) == 3  # a claim judged before is read back
    assert not at.exception


def test_label_page_rates_custom_values_on_a_known_board_in_the_round_asked_for():
    """Typed board names (accept_new_options) cannot be entered through AppTest: the browser test types 'H100'."""
    at = app(LABEL_PAGE, mode="Custom values", task="Text Generation")
    assert any("What a custom label is" in m.value for m in at.markdown)
    assert at.selectbox(key="c_round").value == "2025-12"  # the newest round the registry knows
    assert at.selectbox(key="c_hw").value == "NVIDIA H100 80GB"
    at.text_input(key="c_model").input("my-org/my-model").run()
    at.number_input(key="c_energy").set_value(50.0).run()
    assert not at.exception
    assert any(i.value.startswith("3 stars.") and "range 4.20–81.82" in i.value for i in at.info)
    at.selectbox(key="c_hw").set_value("NVIDIA H200").run()
    assert any(i.value.startswith("5 stars.") and "provisional" in i.value for i in at.info)
    at.selectbox(key="c_round").set_value("2025-02").run()
    assert any("February 2025 round" in i.value for i in at.info)


def test_model_page_discloses_the_result_picked_for_its_label():
    import yaml

    at = app(MODEL_PAGE, id="openai-community/gpt2")
    assert [t.label for t in at.tabs] == ["Model card", "SPDX 3.0 (JSON-LD)", "EU AI Act Annex XI"]
    codes = {c.language: c.value for c in at.code if c.language in ("markdown", "json")}
    card = next(c.value for c in at.code if c.value.startswith("---\nai_energy_score:"))
    meta = yaml.safe_load(card.split("---\n")[1])
    assert meta["ai_energy_score"]["record"] == "b9e79dd91dacf26e"
    assert "openai-community_gpt2-text_generation-2025-02-b9e79dd91dacf26e.png" in card  # the label's download name
    assert '"ai_energyUnit": "kilowattHour"' in codes["json"]
    assert any("Annex XI, Section 1, point 2(e)" in c.value for c in at.code)
    names = [b.label for b in at.get("download_button")]
    assert {"Model card (md)", "SPDX (jsonld)", "Annex XI (md)"} <= set(names)


def _uploaded(**files_kw):
    from harness.zips import make_zip, v2_files

    data = make_zip(v2_files(**files_kw))
    at = app("leaderboard/ui/submit_page.py")
    at.file_uploader(key="upload").upload("run.zip", data, "application/zip").run()
    assert not at.exception, [e.value for e in at.exception]
    return at, hashlib.sha256(data).hexdigest()[:16]


def test_submit_shows_every_warning_in_full_like_the_failures():
    at, _ = _uploaded(dataset="x/y")
    shown = at.dataframe[0].value
    warnings = [m for s, m in zip(shown["Status"], shown["Result"], strict=True) if s == "Warning"]
    assert warnings and len(at.warning) == len(warnings)
    for advice, alert in zip(warnings, at.warning, strict=True):
        assert re.sub(r"\\(.)", r"\1", alert.value).replace("\u2060", "").endswith(advice), advice
    assert "Provisional stars" in " ".join(i.value for i in at.info)


def test_a_refused_run_shows_no_provisional_stars():
    at, _ = _uploaded(failed=5)
    assert any("Prompts complete" in e.value for e in at.error)
    assert not any("Provisional stars" in i.value for i in at.info)
    assert any("Provisional stars show here once the logs pass every check" in c.value for c in at.caption)


def test_a_logged_local_path_is_not_prefilled_as_the_model_id():
    at, key = _uploaded(model="/home/me/models/gpt2")
    assert at.text_input(key=f"s_model_{key}").value == ""
    assert any("not a Hub id" in c.value for c in at.caption)
    at, key = _uploaded(model="org/model")
    assert at.text_input(key=f"s_model_{key}").value == "org/model"
