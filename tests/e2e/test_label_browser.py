"""Real headless Chromium: the label page's PNG download is byte-for-byte the CLI's PNG and has the
model page's file name; a board typed as free text is read as a known board; the label SVG, drawn by
Chromium with no Inter installed, is the PNG within a small pixel difference (and is not without its
embedded fonts)."""

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
    from label.render import label_stem
    from leaderboard.sources import load_results

    row = load_results().results.model("openai/whisper-large-v3").task("asr").frame.iloc[0]
    assert download.suggested_filename == f"{label_stem(row)}.png"  # the model page's name for it too
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


def test_a_board_typed_as_free_text_is_read_as_a_known_board(server, page):
    page.goto(f"{server}/label?mode=Custom+values&task=Text+Generation")
    page.get_by_label("Model name").fill("my-org/my-model")
    page.get_by_label("Model name").press("Enter")
    page.get_by_role("combobox", name="Hardware").click()
    page.keyboard.type("H100")
    page.keyboard.press("Enter")
    energy = page.get_by_label("GPU energy (Wh per 1,000 queries)")
    energy.fill("50")
    energy.press("Enter")
    page.get_by_text("3 stars. 'H100' read as NVIDIA H100 80GB").wait_for(timeout=60_000)
    assert page.get_by_text("range 4.20–81.82 Wh per 1,000 queries").count() == 1


LABELS = ["1-star", "3-star", "long-name", "hostile", "status-random-weights", "provisional-spec", "custom-not-rated"]


@pytest.fixture(scope="module")
def bare_chromium(browser):
    """Chromium with the system's fonts only (no Inter: checked) and a page at device scale 2, started by
    the session's Playwright (one per process)."""
    from harness.label_screenshots import launch_without_label_fonts

    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, env=env, check=True).stdout
    assert "Inter" not in families.split(), "Inter is installed on this machine: the test would prove nothing"
    bare = launch_without_label_fonts(browser.browser_type)
    yield bare.new_page(device_scale_factor=2)
    bare.close()


@pytest.mark.parametrize("name", LABELS)
def test_the_svg_in_chromium_without_inter_is_the_png(bare_chromium, name):
    from harness.label_screenshots import MAX_MEAN_DIFF, MAX_STRONG_SHARE, pixel_difference, svg_in_chromium
    from label.render import render_png, render_svg
    from tests.test_label import GOLDEN_CASES

    label = GOLDEN_CASES[name]
    png = render_png(label)
    mean, strong = pixel_difference(svg_in_chromium(bare_chromium, render_svg(label)), png)
    print(f"{name}: mean {mean:.2f}, strong {strong * 100:.2f}%")
    assert mean <= MAX_MEAN_DIFF and strong <= MAX_STRONG_SHARE, (mean, strong)
    # Without its fonts Chromium draws a fallback face: the same measure sees it.
    bare_mean, bare_strong = pixel_difference(svg_in_chromium(bare_chromium, render_svg(label, embed_fonts=False)), png)
    print(f"{name} without fonts: mean {bare_mean:.2f}, strong {bare_strong * 100:.2f}%")
    assert bare_mean > MAX_MEAN_DIFF or bare_strong > MAX_STRONG_SHARE, (bare_mean, bare_strong)


def test_the_label_preview_says_what_it_shows(server, page):
    page.goto(f"{server}/model?id=openai-community/gpt2")
    preview = page.get_by_test_id("stImage").first.locator("img")
    preview.wait_for(timeout=60_000)
    alt = preview.get_attribute("alt") or ""
    assert "openai-community/gpt2" in alt and "star" in alt, alt
