"""The built static site in real headless Chromium, served as a static host serves it: a task board
(filter, sort, search, permalink), a model page reached by the app's link, and a label's stable URL."""

import subprocess
import sys

import pytest

from harness.static_server import static_server
from leaderboard.links import record_id
from tests.conftest import ROOT

pytestmark = pytest.mark.e2e

GPT2_RECORD = record_id("2025-02/text_generation/openai-community/gpt2")
LATEST_CLASS_A = [
    "Class A · December 2025 round · NVIDIA H100 80GB",
    "Class A · February 2025 round · NVIDIA H100 80GB",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "leaderboard", "site", "--out", str(out), "--public-url", "https://example.org/aies"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    with static_server(out) as (url, _):
        yield url


def visible_lists(page):
    return page.locator(".board-list:visible .aies-list-title").all_text_contents()


def visible_models(page):
    return [m.strip() for m in page.locator(".board-list:visible tbody tr:visible td.aies-model a").all_text_contents()]


def test_a_board_filters_sorts_and_keeps_its_state_in_the_url(site, page):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{site}/text_generation/")
    page.get_by_text("Showing 44 results in 2 ranked lists.").wait_for(timeout=10_000)
    # The latest round as it listed itself: the February 2025 models beside the December ones.
    assert visible_lists(page) == LATEST_CLASS_A
    assert visible_models(page)[0] == "tencent/Hunyuan-1.8B-Instruct"

    page.get_by_label("Model class").select_option("all")
    page.get_by_text("Showing 62 results in 6 ranked lists.").wait_for()
    assert page.url.endswith("/text_generation/?class=all")
    page.locator("select[name=cohort]").select_option("2025-12")  # the Round box (quality charts also name rounds)
    page.get_by_text("Showing 22 results in 3 ranked lists.").wait_for()

    energy = page.get_by_role("button", name="GPU energy (Wh per 1,000 queries)").first
    energy.focus()
    page.keyboard.press("Enter")  # sorting from the keyboard
    header = page.locator(".board-list:visible th[data-sort='energy']").first
    assert header.get_attribute("aria-sort") == "descending"
    first_list = page.locator(".board-list:visible").first
    energies = [float(v.replace(",", "")) for v in first_list.locator("tbody tr:visible .aies-num").all_text_contents()]
    assert len(energies) == 12 and energies == sorted(energies, reverse=True)
    assert "order=desc" in page.url

    page.get_by_label("Model", exact=True).fill("gemma")
    page.wait_for_function("() => location.search.includes('q=gemma')")
    assert visible_models(page) and all("gemma" in m.lower() for m in visible_models(page))
    permalink = page.url

    other = page.context.new_page()
    other.goto(permalink)
    other.get_by_text("ranked list").first.wait_for()
    assert visible_models(other) == visible_models(page)
    assert other.get_by_label("Model", exact=True).input_value() == "gemma"
    assert other.locator(".board-list:visible th[data-sort='energy']").first.get_attribute("aria-sort") == "descending"
    assert errors == []


def test_the_apps_permalink_opens_the_same_view_on_the_site(site, page):
    query = "class=All&round=February+2025&show=All+results&sort=Highest+GPU+energy+first"
    page.goto(f"{site}/text_generation/?{query}")
    page.get_by_text("ranked list").first.wait_for(timeout=10_000)
    titles = visible_lists(page)
    assert titles and all("February 2025 round" in t for t in titles)
    assert {t.split(" · ")[0] for t in titles} == {"Class A", "Class B", "Class C"}
    first = page.locator(".board-list:visible").first
    energies = [float(v.replace(",", "")) for v in first.locator("tbody tr:visible .aies-num").all_text_contents()]
    assert energies == sorted(energies, reverse=True)
    assert page.locator("#link-notice").is_hidden()
    page.goto(f"{site}/text_generation/?round=Latest+round")
    page.get_by_text("Showing 44 results in 2 ranked lists.").wait_for(timeout=10_000)


def test_a_link_with_values_not_on_offer_says_what_it_dropped(site, page):
    page.goto(f"{site}/text_generation/?class=Z&show=all&cohort=2026-11&hw=all")
    notice = page.locator("#link-notice")
    notice.wait_for()
    assert "class=Z" in notice.inner_text()
    assert any("November 2026 round" in t for t in visible_lists(page))


def test_an_empty_or_partial_round_in_a_link_is_not_read_as_another_round(site, page):
    page.goto(f"{site}/text_generation/?round=")  # empty: the default view, as in the app
    page.get_by_text("Showing 44 results in 2 ranked lists.").wait_for(timeout=10_000)
    # The latest round as it listed itself: the February 2025 models beside the December ones.
    assert visible_lists(page) == LATEST_CLASS_A
    assert page.locator("#link-notice").is_hidden()
    page.goto(f"{site}/text_generation/?round=F")  # not a round's name: named as dropped, not read as February
    notice = page.locator("#link-notice")
    notice.wait_for()
    assert "=F" in notice.inner_text()
    # The latest round as it listed itself: the February 2025 models beside the December ones.
    assert visible_lists(page) == LATEST_CLASS_A


def test_a_board_at_an_address_with_a_doubled_slash_keeps_its_state_in_the_url(site, page):
    """A base address with a trailing slash joined to a path (https://host/ + /text_generation/): the script keeps
    the view in the URL there too (its path is no host)."""
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{site}//text_generation/?class=all")
    page.get_by_text("Showing 62 results in 6 ranked lists.").wait_for(timeout=10_000)
    page.get_by_label("Model", exact=True).fill("gemma")
    page.wait_for_function("() => location.search.includes('q=gemma')")
    assert page.url.startswith(f"{site}//text_generation/?") and errors == []


def test_the_apps_model_link_opens_the_model_page_at_the_record(site, page):
    page.goto(f"{site}/model?id=openai-community/gpt2&record={GPT2_RECORD}")
    page.wait_for_url(f"**/model/openai-community/gpt2/#{GPT2_RECORD}")
    note = page.locator("#record-note")
    note.wait_for()
    assert "2.15 Wh per 1,000 queries" in note.inner_text()
    row = page.locator(f"tr[id='{GPT2_RECORD}']")
    assert row.evaluate("r => getComputedStyle(r).backgroundColor") != "rgba(0, 0, 0, 0)"  # highlighted
    assert page.locator(".labels img").first.evaluate("i => i.complete && i.naturalWidth > 0")
    page.goto(f"{site}/model.html?id=openai-community/gpt3")
    assert "has no page here" in page.locator("#unknown-model").inner_text()


def test_a_record_in_capitals_lands_on_its_row_and_a_malformed_one_is_named(site, page):
    page.goto(f"{site}/model?id=openai-community/gpt2&record={GPT2_RECORD.upper()}")
    page.wait_for_url(f"**/model/openai-community/gpt2/#{GPT2_RECORD}")
    assert "2.15 Wh per 1,000 queries" in page.locator("#record-note").inner_text()
    page.goto(f"{site}/model?id=openai-community/gpt2&record=<b>zz")
    page.wait_for_url("**/model/openai-community/gpt2/#*")
    note = page.locator("#record-note")
    note.wait_for()
    assert "is not a result of this model" in note.inner_text() and "<b>zz" in note.inner_text()  # as text
    assert page.locator("#record-note b").count() == 0


def test_the_pages_own_anchors_are_not_read_as_records(site, page):
    page.goto(f"{site}/model/openai-community/gpt2/#main")  # where the skip link leads
    page.get_by_role("heading", name="Results").wait_for(timeout=10_000)
    assert page.locator("#record-note").is_hidden()
    page.goto(f"{site}/model/openai-community/gpt2/#0123456789abcdef")
    page.reload()
    note = page.locator("#record-note")
    note.wait_for()
    assert "is not a result of this model" in note.inner_text()


def test_the_stable_label_url_serves_gpt2s_label(site, page):
    response = page.goto(f"{site}/label/openai-community/gpt2/text_generation.svg")
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert "2.15 Wh" in page.content()
    response = page.goto(f"{site}/label/openai-community/gpt2/text_generation.png")
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    missing = page.goto(f"{site}/no/such/page")
    assert missing.status == 404 and "Page not found" in page.content()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("gpt-2", "openai-community/gpt2"),
        ("GPT 2", "openai-community/gpt2"),
        ("https://huggingface.co/openai-community/gpt2/tree/main", "openai-community/gpt2"),
    ],
)
def test_the_boards_search_ignores_case_and_separators_and_reads_a_hub_address(site, page, query, expected):
    page.goto(f"{site}/text_generation/?class=all&cohort=all")
    page.get_by_role("searchbox").fill(query)
    page.get_by_text("Showing").first.wait_for()
    assert expected in visible_models(page)
    assert all("gpt2" in m for m in visible_models(page))


def test_a_search_that_finds_nothing_on_the_site_offers_the_nearest_id(site, page):
    page.goto(f"{site}/text_generation/?class=all&cohort=all")
    page.get_by_role("searchbox").fill("gtp2")
    suggestion = page.locator("#view-suggest a").first
    suggestion.wait_for(timeout=10_000)
    assert suggestion.inner_text() == "openai-community/gpt2"
    suggestion.click()
    assert "openai-community/gpt2" in visible_models(page) and all("gpt2" in m for m in visible_models(page))
    assert page.get_by_role("searchbox").input_value() == "openai-community/gpt2"


def test_the_index_opens_each_board_on_the_lists_its_row_sums_up(site, page):
    page.goto(f"{site}/")
    page.locator("table").get_by_role("link", name="Text Generation", exact=True).click()
    page.get_by_text("Showing 62 results in 6 ranked lists.").wait_for(timeout=10_000)
    energies = [float(v.replace(",", "")) for v in page.locator(".board-list:visible .aies-num").all_text_contents()]
    assert (f"{min(energies):,.2f}", f"{max(energies):,.2f}") == ("1.31", "3,426.38")
