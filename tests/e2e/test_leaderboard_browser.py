"""Real headless Chromium against a running server: the official board by default, grouped views,
shared links (valid and not), the model page and its label, and the phone layout."""

import re

import pytest

from harness.browser import TABLE, table_text
from leaderboard.links import record_id

pytestmark = pytest.mark.e2e


def test_the_default_view_is_the_published_official_board(server, page):
    page.goto(f"{server}/?task=Text+Generation")
    page.get_by_text("Text Generation: 62 results").wait_for(timeout=60_000)
    page.get_by_text("Showing the current official leaderboard").wait_for(timeout=10_000)
    cells = " ".join(table_text(page))
    assert "H200" not in cells and "Random-weights" not in cells
    headers = page.locator(f"{TABLE} [role='columnheader']").all_text_contents()
    assert headers[:3] == ["Model", "GPU energy (Wh/1k queries)", "Stars"]
    assert "Status" in headers and "Label" in headers and "Rated among" in headers
    assert page.locator('[data-testid="stException"]').count() == 0


def test_all_results_are_one_choice_away_and_grouped_by_rating_group(server, page):
    page.goto(f"{server}/?task=Text+Generation&show=All+results&q=openai-community/gpt2")
    page.get_by_text("Text Generation: 6 results").wait_for(timeout=60_000)
    page.get_by_text("rating groups (Rated among)").first.wait_for(timeout=10_000)
    cells = table_text(page)
    assert (
        "Text Generation · class A · round 2026-11 · NVIDIA H200 · AI Energy Score runner (CUDA-graph decode)" in cells
    )
    assert "Text Generation · class A · round 2026-11 · NVIDIA H200 · AI Energy Score runner (generate)" in cells
    assert "Random-weights estimate" in cells and "Published round" in cells


def test_shared_link_restores_the_view(server, page):
    page.goto(f"{server}/?task=Reasoning&class=C&sort=Highest+first")
    page.get_by_text("Reasoning: 8 results").wait_for(timeout=60_000)
    cells = table_text(page)
    assert cells[0].endswith(
        "model?id=openai/gpt-oss-120b&record=" + record_id("2025-12/reasoning/openai/gpt-oss-120b/high")
    )


def test_a_link_with_invalid_values_shows_what_was_dropped(server, page):
    page.goto(f"{server}/?task=Text+Generation&class=Z&emin=abc")
    notice = page.get_by_text("Some values in this link were dropped")
    notice.wait_for(timeout=60_000)
    assert "class=Z" in notice.inner_text() and "emin=abc" in notice.inner_text()
    page.get_by_text("Text Generation: 62 results").wait_for(timeout=10_000)


def test_model_page_of_gpt2_and_its_label_download(server, page, tmp_path):
    run = "2025-02/text_generation/openai-community/gpt2"
    page.goto(f"{server}/model?id=openai-community/gpt2&record={record_id(run)}")
    page.get_by_text(f"Record {record_id(run)}").wait_for(timeout=60_000)
    assert "2.15 Wh per 1,000 queries" in page.get_by_test_id("stAlertContentSuccess").inner_text()
    cells = table_text(page)
    assert "Random-weights estimate" in cells and "Published round" in cells
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="PNG", exact=True).click()
    download = info.value
    assert re.fullmatch(r"openai-community_gpt2-text_generation-2025-02-[0-9a-f]{16}\.png", download.suggested_filename)
    saved = tmp_path / "label.png"
    download.save_as(saved)
    assert saved.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # The link the label and the embed carry opens this same record.
    embed = page.locator("code").filter(has_text="[![").first.inner_text()
    link = re.search(r"\]\((https?://[^)]+model\?id=[^)]+)\)$", embed.strip()).group(1)
    assert link.endswith(f"model?id=openai-community/gpt2&record={record_id(run)}")
    page.goto(f"{server}/{link[link.index('model?') :]}")
    page.get_by_text(f"Record {record_id(run)}").wait_for(timeout=60_000)


def test_phone_layout_shows_model_energy_and_stars_first(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{server}/?task=Text+Generation")
        page.get_by_text("Text Generation: 62 results").wait_for(timeout=60_000)
        table_text(page)  # the grid's cells (and headers) are drawn
        headers = page.locator(f"{TABLE} [role='columnheader']").all_text_contents()
        assert headers[:3] == ["Model", "GPU energy (Wh/1k queries)", "Stars"]
        grid = page.get_by_test_id("stDataFrame").first.bounding_box()
        # The grid fits the screen, and the first three columns (160 + 115 + 55 px) fit the grid.
        assert grid is not None and grid["x"] >= 0 and grid["x"] + grid["width"] <= 390 and grid["width"] >= 330
    finally:
        context.close()


def test_an_unknown_model_keeps_its_link_and_a_similar_one_is_one_click_away(server, page):
    page.goto(f"{server}/model?id=openai-community/gpt3")
    page.get_by_text("has no result here yet").wait_for(timeout=60_000)
    assert "id=openai-community%2Fgpt3" in page.url or "id=openai-community/gpt3" in page.url
    with page.context.expect_page() as opened:  # the app's Markdown links open a tab of their own
        page.get_by_role("link", name="openai-community/gpt2").first.click()
    other = opened.value
    other.get_by_role("heading", name="openai-community/gpt2").wait_for(timeout=60_000)
    assert "id=openai-community/gpt2" in other.url
