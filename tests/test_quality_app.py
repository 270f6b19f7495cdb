"""The app shows quality beside energy: the board's quality column and chart (the site's SVG, as an
image), the quality sort (no quality data last), and the model page's figures against the front."""

from __future__ import annotations

import base64
import re

from streamlit.testing.v1 import AppTest

from tests.boardhtml import parse_lists
from tests.conftest import ROOT
from tests.test_app import APP, _fresh_caches  # noqa: F401 - the app tests fixture: fresh caches for each test

MODEL_PAGE = "leaderboard/ui/model_page.py"


def app(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / page) if page else APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def board_html(at: AppTest) -> str:
    return "".join(h.proto.body for h in at.get("html") if "aies-list" in h.proto.body)


def test_the_board_has_the_quality_column_and_the_chart_as_an_image():
    at = app(task="Text Generation", round="February 2025", **{"class": "A"})
    html = board_html(at)
    assert "Quality: Open LLM Leaderboard v2 average (%)" in html
    assert html.count(">no quality data<") == 4
    (image,) = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)"', html)
    svg = base64.b64decode(image[0]).decode("utf-8")
    assert "<svg" in svg and "Open LLM Leaderboard v2 average (%)" in svg
    assert image[1].startswith("On the Pareto front (11 of the 28 results")
    assert "distilbert/distilgpt2 (1.31 Wh, 4.00)" in image[1]


def test_the_quality_sort_puts_no_quality_data_last():
    at = app(
        task="Text Generation",
        round="February 2025",
        sort="Best quality first (no quality data last)",
        **{"class": "A"},
    )
    (board,) = parse_lists(board_html(at))
    models = [r.model for r in board.rows]
    assert models[0] == "microsoft/phi-4"  # the best OLL v2 average of the group, 29.48
    assert set(models[-4:]) == {
        "facebook/opt-125m",
        "openai-community/openai-gpt",
        "facebook/opt-2.7b",
        "Salesforce/xLAM-7b-r",
    }
    assert board.rows[0].rank == 32  # ranks stay the energy's: phi-4 uses the most of the group


def test_the_model_page_places_the_result_against_its_group_front():
    at = app(MODEL_PAGE, id="tiiuae/falcon-7b")
    html = "".join(h.proto.body for h in at.get("html"))
    assert "openai-community/gpt2 uses 86% less energy for a higher score" in html
    assert "MPL-2.0" in html and "not placed: no quality data for this metric" in html


def test_figures_mapped_by_hand_can_be_hidden_on_the_board():
    shown = board_html(app(task="Image Classification"))
    assert ">by hand<" in shown and "<img" in shown
    hidden = board_html(app(task="Image Classification", nohand="true"))
    assert ">by hand<" not in hidden and "<img" not in hidden
    assert hidden.count(">no quality data<") == 23
