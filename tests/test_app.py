"""AppTest for every page: no exception, filters change the rows, the URL restores the view."""

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

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


def table(at):
    return at.dataframe[0].value


def test_overview_lists_every_task():
    at = app()
    overview = table(at)
    assert len(overview) == 11
    assert "Lowest GPU energy (Wh/1k queries)" in overview.columns
    assert not at.warning


def test_changing_task_class_cohort_and_search_changes_rows():
    at = app()
    at.selectbox(key="task").set_value("asr").run()
    assert len(table(at)) == 13
    at.selectbox(key="task").set_value("text_generation").run()
    assert len(table(at)) == 62  # the official board: published on the H100 only
    assert not table(at)["hardware"].str.contains("H200").any()
    at.segmented_control(key="show").set_value("all").run()
    assert len(table(at)) == 69  # + 7 measured here on H200s (generate, graph decode, 2 GPUs)
    at.segmented_control(key="show").set_value("official").run()
    at.multiselect(key="class").set_value(["B"]).run()
    rows = table(at)
    assert len(rows) > 0 and set(rows["model_class"]) == {"B"}
    at.multiselect(key="class").set_value([]).run()
    at.multiselect(key="cohort").set_value(["2025-12"]).run()
    assert len(table(at)) == 22
    at.text_input(key="q").input("gemma").run()
    rows = table(at)
    assert len(rows) == 4 and rows["model_url"].str.contains("gemma").all()
    assert not at.exception


def test_filters_use_readable_labels_in_the_url():
    # Bound widgets keep the displayed label in the URL: ?task=Text+Generation&sort=Highest+first
    at = app(task="Reasoning")
    assert at.selectbox(key="task").value == "reasoning"
    assert at.query_params["task"] == "Reasoning"


def test_query_string_restores_the_view():
    at = app(task="Text Generation", cohort="2025-12", **{"class": "C"}, sort="Highest first", q="glm")
    assert at.selectbox(key="task").value == "text_generation"
    assert at.multiselect(key="cohort").value == ["2025-12"]
    assert at.selectbox(key="sort").value == "desc"
    rows = table(at)
    assert len(rows) == 3
    assert rows["gpu_energy_wh_per_1k"].is_monotonic_decreasing


def test_invalid_query_values_are_ignored():
    at = app(task="painting", cohort="1999-01", emin="nan")
    assert at.selectbox(key="task").value == "all"
    assert at.multiselect(key="cohort").value == []


def test_energy_range_filter():
    at = app(task="Automatic Speech Recognition", emin="10", emax="100")
    energies = table(at)["gpu_energy_wh_per_1k"]
    assert len(energies) > 0 and energies.between(10, 100).all()


def test_ratio_callout_and_units():
    at = app(task="Automatic Speech Recognition")
    callout = at.info[0].value
    assert "×" in callout and "Wh per 1,000 queries" in callout


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


def test_broken_hub_setting_shows_message_and_embedded_data(monkeypatch):
    monkeypatch.setenv("AIES_RESULTS_DATASET", "no-such-org/no-such-results")
    at = app(task="Automatic Speech Recognition")
    assert len(at.warning) == 1
    message = at.warning[0].value
    assert "AIES_RESULTS_DATASET" in message and "no-such-org/no-such-results" in message
    assert len(table(at)) == 13


def test_chart_and_download_tabs_run_lazily():
    at = app(task="Text Generation")
    assert len(at.get("plotly_chart")) == 0  # only the open tab runs
    at = app(task="Text Generation", view="Chart")
    assert len(at.get("plotly_chart")) == 1 and len(at.dataframe) == 0
    at = app(task="Automatic Speech Recognition", view="Download & cite")
    assert [b.label for b in at.get("download_button")] == ["Current view (CSV)", "Whole dataset (Parquet)"]


def test_about_page():
    at = app()
    at.switch_page("leaderboard/ui/about_page.py").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "watt-hours" in text and "provisional" in text


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
    links = table(at)["label"].tolist()
    assert all(link.startswith("label?task=Automatic%20Speech%20Recognition&scored=2025-02") for link in links)


def test_switching_pages_keeps_a_usable_task():
    at = app()  # leaderboard: task "all", a value the label page lacks
    at.switch_page(LABEL_PAGE).run()
    assert not at.exception
    assert at.selectbox(key="task").value == "text_generation"


def test_submit_page_without_upload_explains_what_to_upload():
    at = app("leaderboard/ui/submit_page.py")
    assert any("GPU_ENERGY_SUMMARY.json" in i.value for i in at.info)


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
    at = app(task="Text Generation")
    assert "pending-org/pending-model" not in " ".join(table(at)["model_url"])
    at = app(task="Text Generation", pending="true", show="All results")
    rows = table(at)
    pending = rows[rows["model_url"].str.contains("pending-org")]
    assert len(pending) == 1 and pending["status"].item() == "pending"
    assert len(rows) == 70  # the 69 text-generation results and the pending one


def test_a_link_with_invalid_values_says_what_it_dropped():
    at = app(task="Text Generation", **{"class": "Z"}, emin="abc")
    notice = " ".join(w.value for w in at.warning)
    assert "class=Z" in notice and "emin=abc" in notice
    assert len(table(at)) == 62  # the rest of the view still applies
    at = app(task="Text Generation", emin="100", emax="1")
    notice = " ".join(w.value for w in at.warning)
    assert "emin=100" in notice and "emax=1" in notice and "minimum is above the maximum" in notice
    assert len(table(at)) == 62
    at = app(task="Painting")
    assert "task=Painting" in " ".join(w.value for w in at.warning)


def test_a_view_spanning_rating_groups_ranks_within_each_group():
    at = app(task="Text Generation", **{"class": "B"})
    rows = table(at)
    assert set(rows["group"]) == {
        "Text Generation · class B · round 2025-02 · NVIDIA H100 80GB",
        "Text Generation · class B · round 2025-12 · NVIDIA H100 80GB",
    }
    for _, group in rows.groupby("group"):
        assert sorted(group["rank"]) == list(range(1, len(group) + 1))  # ranks restart in each group
        assert group["gpu_energy_wh_per_1k"].is_monotonic_increasing
    assert "spans 2 rating groups" in " ".join(c.value for c in at.caption)
    # The callout compares within one group, never across.
    assert any("round 20" in i.value and "the most energy-hungry" in i.value for i in at.info)


def test_stars_are_numbers_and_counts_are_plural_aware():
    at = app(task="Text Generation", q="distilgpt2")
    assert table(at)["stars"].dtype.kind in "iu"
    assert any(h.value.endswith(": 1 result") for h in at.subheader)


MODEL_PAGE = "leaderboard/ui/model_page.py"


def test_model_page_shows_every_result_with_its_group_and_the_record_asked_for():
    from leaderboard.links import record_id

    run = "2025-02/text_generation/openai-community/gpt2"
    at = app(MODEL_PAGE, id="openai-community/gpt2", record=record_id(run))
    rows = at.dataframe[0].value
    assert set(rows["task"]) == {"text_generation"}
    published = rows[rows["status"] == "published"].iloc[0]
    assert published["gpu_energy_wh_per_1k"] == pytest.approx(2.15, abs=0.005)
    assert published["group"] == "Text Generation · class A · round 2025-02 · NVIDIA H100 80GB"
    assert (rows["status"] == "random weights").sum() == 2  # the H200 estimates, marked as such
    assert any(f"Record {record_id(run)}" in s.value and "2.15" in s.value for s in at.success)
    assert at.selectbox(key="label_run").value == run  # its label is the one offered
    assert [m.label for m in at.metric][:1] == ["GPU energy per year (kWh)"]
    gpu_kwh = float(at.metric[0].value.replace(",", ""))
    assert gpu_kwh == pytest.approx(published["gpu_energy_wh_per_1k"] * 1_000_000 / 1000 * 365 / 1000, rel=1e-3)


def test_model_page_opens_on_the_published_result():
    """gpt2's first row, and the label offered, is its published H100 result, not a cheaper H200 estimate."""
    at = app(MODEL_PAGE, id="openai-community/gpt2")
    rows = at.dataframe[0].value
    first = rows.iloc[0]
    assert first["status"] == "published" and first["hardware"] == "NVIDIA H100 80GB"
    assert first["gpu_energy_wh_per_1k"] == pytest.approx(2.15, abs=0.005)
    assert list(rows["status"]) == ["published", "random weights", "random weights"]
    assert at.selectbox(key="label_run").value == "2025-02/text_generation/openai-community/gpt2"


def test_model_page_names_an_unknown_model_or_record_as_text():
    at = app(MODEL_PAGE, id="[evil](https://example.com)/x")
    assert at.error and "\\[evil\\]\\(https" in at.error[0].value  # escaped: shown as text, not a link
    at = app(MODEL_PAGE, id="openai-community/gpt2", record="zzzz")
    assert "is not a result of" in at.warning[0].value


def test_an_unknown_model_keeps_the_link_and_offers_next_steps():
    at = app(MODEL_PAGE, id="openai-community/gpt3")
    assert "has no result here yet" in at.error[0].value
    assert at.query_params["id"] == "openai-community/gpt3"  # the address is kept as it was
    text = " ".join(m.value for m in at.markdown)
    assert "[openai-community/gpt2](model?id=openai-community/gpt2)" in text  # a similar id, one click away
    assert "(label)" in text and "(submit)" in text


def test_label_page_finds_any_model_and_opens_its_official_result():
    at = app(LABEL_PAGE, task="Object Detection")
    at.selectbox(key="find").select("openai-community/gpt2").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="task").value == "text_generation"
    assert at.selectbox(key="scored").value == "2025-02"
    assert at.selectbox(key="model").value == "2025-02/text_generation/openai-community/gpt2"
