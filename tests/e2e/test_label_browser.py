"""Real headless Chromium: the label page's PNG download is byte-for-byte the CLI's PNG."""

import os
import subprocess
import sys

import pytest

from harness.browser import ROOT

pytestmark = pytest.mark.e2e


def test_downloaded_png_equals_the_cli_output(server, page, tmp_path):
    page.goto(f"{server}/label?task=Automatic+Speech+Recognition&model=openai%2Fwhisper-large-v3")
    page.get_by_test_id("stImage").first.wait_for(timeout=60_000)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="PNG", exact=True).click()
    download = info.value
    assert download.suggested_filename == "openai_whisper-large-v3.png"
    browser_png = tmp_path / "browser.png"
    download.save_as(browser_png)

    cli_png = tmp_path / "cli.png"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "label",
            "render",
            "--task",
            "asr",
            "--model",
            "openai/whisper-large-v3",
            "--out",
            str(cli_png),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        # The app's labels link to the address it was opened at (no public_url set): the CLI, told the same.
        env={**os.environ, "AIES_PUBLIC_URL": server},
    )
    assert proc.returncode == 0, proc.stderr
    assert browser_png.read_bytes() == cli_png.read_bytes()
    assert browser_png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_leaderboard_label_link_opens_the_label(server, page):
    page.goto(f"{server}/label?task=Reasoning&model=openai%2Fgpt-oss-120b+%28high%29")
    page.get_by_test_id("stImage").first.wait_for(timeout=60_000)
    assert page.get_by_role("combobox", name="Model", exact=True).input_value() == "openai/gpt-oss-120b (high)"


def test_the_label_preview_says_what_it_shows(server, page):
    page.goto(f"{server}/model?id=openai-community/gpt2")
    preview = page.get_by_test_id("stImage").first.locator("img")
    preview.wait_for(timeout=60_000)
    alt = preview.get_attribute("alt") or ""
    assert "openai-community/gpt2" in alt and "star" in alt, alt
