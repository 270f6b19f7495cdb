"""Real headless Chromium against a running server: open, pick a task, see the rated table."""

import pytest

from harness.browser import TABLE, table_text

pytestmark = pytest.mark.e2e


def test_pick_a_task_and_see_the_rated_table(server, page):
    page.goto(server)
    page.wait_for_selector(TABLE, timeout=60_000)  # the all-tasks overview
    page.get_by_role("combobox", name="Task").click()
    page.get_by_role("option", name="Automatic Speech Recognition").click()
    page.get_by_text("Automatic Speech Recognition: 13 results").wait_for(timeout=30_000)
    cells = table_text(page)
    headers = page.locator(f"{TABLE} [role='columnheader']").all_text_contents()
    assert "GPU energy (Wh/1k queries)" in headers and "Stars" in headers
    assert "https://huggingface.co/openai/whisper-large-v3" in cells  # the model link
    assert "★★★★★" in cells
    page.wait_for_url("**task=Automatic+Speech+Recognition**", timeout=10_000)  # the view is in the URL
    assert page.locator('[data-testid="stException"]').count() == 0


def test_shared_link_restores_the_view(server, page):
    page.goto(f"{server}/?task=Reasoning&class=C&sort=Highest+first")
    page.get_by_text("Reasoning: 8 results").wait_for(timeout=60_000)
    cells = table_text(page)
    assert cells[:2] == ["8", "https://huggingface.co/openai/gpt-oss-120b"]  # highest energy first
