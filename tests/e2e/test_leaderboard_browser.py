"""Real headless Chromium against a running server: the official board by default, grouped views,
shared links (valid and not), the model page and its label, and the phone layout."""

import re

import pytest

from harness.browser import BOARD_ROWS, board_rows
from leaderboard.links import record_id

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width,height", [(1440, 900), (390, 844)])
def test_the_first_result_row_is_in_the_first_screen(server, browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 600)
    page = context.new_page()
    try:
        page.goto(f"{server}/?task=Text+Generation")
        rows = board_rows(page)
        assert rows[0].split()[0] == "1"  # ranked, lowest GPU energy first
        page.get_by_role("heading", name="Class A · December 2025 round · NVIDIA H100 80GB").wait_for(timeout=10_000)
        first = page.locator(BOARD_ROWS).first.bounding_box()
        assert first is not None and first["y"] + first["height"] <= height, first  # no scrolling needed
        # Model, GPU energy and stars are all on screen, side by side, on a phone too.
        for cell in ("td.aies-model", "td.aies-energy", "td.aies-stars"):
            box = page.locator(f"{BOARD_ROWS} {cell}").first.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (cell, box)
        headers = page.locator("table.aies-table th").all_inner_texts()[:4]
        assert headers == ["#", "Model", "GPU energy (Wh per 1,000 queries)", "Stars (of 5)"]
        cells = " ".join(rows)
        assert "H200" not in cells and "Random-weights" not in cells
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()


def test_all_results_are_one_choice_away_each_rating_group_a_titled_list(server, page):
    page.goto(f"{server}/?task=Text+Generation&show=All+results&q=openai-community/gpt2&round=All+rounds")
    board_rows(page)
    titles = page.locator(".aies-list-title").all_inner_texts()
    assert "Class A · November 2026 round · NVIDIA H200 · AI Energy Score runner (CUDA-graph decode)" in titles
    assert "Class A · November 2026 round · NVIDIA H200 · AI Energy Score runner (generate)" in titles
    assert titles[0] == "Class A · February 2025 round · NVIDIA H100 80GB"  # the published list first
    assert "Random-weights estimate" in " ".join(board_rows(page))


def test_shared_link_restores_the_view(server, page):
    page.goto(f"{server}/?task=Reasoning&class=C&sort=Highest+GPU+energy+first")
    board_rows(page)
    first = page.locator(f"{BOARD_ROWS} td.aies-model a").first
    assert first.get_attribute("href") == (
        "model?id=openai/gpt-oss-120b&record=" + record_id("2025-12/reasoning/openai/gpt-oss-120b/high")
    )
    assert "high effort" in page.locator(BOARD_ROWS).first.inner_text()


def test_a_row_opens_its_model_page_in_one_click_in_the_same_tab(server, page):
    page.goto(f"{server}/?task=Text+Generation&round=February+2025&q=openai-community/gpt2")
    board_rows(page)
    pages_before = len(page.context.pages)
    page.locator(f"{BOARD_ROWS} td.aies-model a", has_text=re.compile(r"^openai-community/gpt2$")).click()
    page.get_by_role("heading", name="openai-community/gpt2").wait_for(timeout=60_000)
    assert "/model?id=openai-community/gpt2&record=" in page.url and len(page.context.pages) == pages_before


def test_a_link_with_invalid_values_shows_what_was_dropped(server, page):
    page.goto(f"{server}/?task=Text+Generation&class=Z&emin=abc")
    notice = page.get_by_text("Some values in this link were dropped")
    notice.wait_for(timeout=60_000)
    assert "class=Z" in notice.inner_text() and "emin=abc" in notice.inner_text()
    assert len(board_rows(page)) == 12 + 32  # the rest of the view: class A of the latest round, as it listed it
    page.goto(f"{server}/?task=%5BLog+in+again%5D(https://evil.example)")  # a link's value is shown as text
    notice = page.get_by_text("Some values in this link were dropped")
    notice.wait_for(timeout=60_000)
    assert "task=[Log in again](https://evil.example)" in notice.inner_text().replace("\u2060", "")
    assert notice.locator("a").count() == 0


def test_model_page_of_gpt2_and_its_label_download(server, page, tmp_path):
    run = "2025-02/text_generation/openai-community/gpt2"
    page.goto(f"{server}/model?id=openai-community/gpt2&record={record_id(run)}")
    page.get_by_test_id("stAlertContentSuccess").get_by_text(f"Record {record_id(run)}").wait_for(timeout=60_000)
    assert "2.15 Wh per 1,000 queries" in page.get_by_test_id("stAlertContentSuccess").inner_text()
    page.locator("table.aies-model-results tbody tr").first.wait_for(timeout=60_000)
    results = page.locator("table.aies-model-results tbody tr").all_inner_texts()
    assert "Published round" in results[0] and "NVIDIA H100 80GB" in results[0]  # the official result first
    assert all("Random-weights estimate" in r and "NVIDIA H200" in r for r in results[1:])
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
    # No public_url setting: the label links to the address the app was opened at, and that link works as is.
    assert link == f"{server}/model?id=openai-community/gpt2&record={record_id(run)}"
    page.goto(link)
    page.get_by_test_id("stAlertContentSuccess").get_by_text(f"Record {record_id(run)}").wait_for(timeout=60_000)


def test_an_unknown_model_keeps_its_link_and_a_similar_one_is_one_click_away(server, page):
    page.goto(f"{server}/model?id=openai-community/gpt3")
    page.get_by_text("has no result here yet").wait_for(timeout=60_000)
    assert "id=openai-community%2Fgpt3" in page.url or "id=openai-community/gpt3" in page.url
    page.get_by_role("link", name="openai-community/gpt2", exact=True).click()  # in this tab
    page.get_by_role("heading", name="openai-community/gpt2").wait_for(timeout=60_000)
    assert "id=openai-community/gpt2" in page.url and len(page.context.pages) == 1


def test_gpt2s_model_page_opens_on_its_published_h100_result(server, page):
    page.goto(f"{server}/model?id=openai-community/gpt2")
    rows = page.locator("table.aies-model-results tbody tr")
    rows.first.wait_for(timeout=60_000)
    first = rows.first.inner_text()
    assert "Published round" in first and "NVIDIA H100 80GB" in first and "2.15" in first
    assert (
        page.get_by_role("combobox", name="Result").input_value() == "Text Generation · 2025-02 · NVIDIA H100 80GB"
    )  # its label


def test_a_dark_system_preference_still_reads_dark_text_on_a_light_page(server, browser):
    context = browser.new_context(color_scheme="dark", viewport={"width": 1000, "height": 700})
    page = context.new_page()
    try:
        page.goto(f"{server}/?task=Text+Generation")
        board_rows(page)
        background = page.evaluate("getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor")
        header = page.evaluate("getComputedStyle(document.querySelector('table.aies-table th')).color")
        assert background == "rgb(255, 255, 255)" and header == "rgb(49, 51, 63)"
    finally:
        context.close()


def test_the_overview_opens_a_tasks_board_in_one_click(server, page):
    page.goto(f"{server}/")
    page.locator("table.aies-overview").get_by_role("link", name="Reasoning", exact=True).click()
    page.get_by_role("heading", name="Class A · December 2025 round · NVIDIA H100 80GB").wait_for(timeout=60_000)
    assert "task=Reasoning" in page.url and len(page.context.pages) == 1


def test_a_near_miss_offers_the_nearest_model_id_in_one_click(server, page):
    page.goto(f"{server}/?task=Text+Generation&q=gtp2")
    suggestion = page.get_by_role("link", name="openai-community/gpt2", exact=True)
    suggestion.wait_for(timeout=60_000)
    suggestion.click()
    page.wait_for_selector(BOARD_ROWS, timeout=60_000)
    assert "openai-community/gpt2" in " ".join(board_rows(page))


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/?task=Text+Generation", "Text Generation · AI Energy Score"),
        ("/model?id=openai-community/gpt2", "openai-community/gpt2 · AI Energy Score"),
        ("/submit", "Submit results · AI Energy Score"),
    ],
)
def test_each_tab_names_its_page(server, page, path, title):
    page.goto(server + path)
    page.wait_for_function(f"() => document.title === {title!r}", timeout=60_000)
