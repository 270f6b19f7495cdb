"""Real headless Chromium: upload a valid zip, attest, submit, see the id; a broken zip is named."""

import pytest

from harness.zips import energy_star_files, make_zip
from leaderboard.storage import Store

pytestmark = pytest.mark.e2e


def test_upload_attest_submit_and_confirm(server, page, tmp_path, store_dir):
    run = tmp_path / "run.zip"
    run.write_bytes(make_zip(energy_star_files(model="browser-org/browser-model-7b")))
    page.goto(f"{server}/submit")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(run))
    page.get_by_text("Provisional stars").wait_for(timeout=60_000)
    submit = page.get_by_role("button", name="Submit", exact=True)
    assert submit.is_disabled()  # nothing ticked yet
    page.get_by_label("Contact (e-mail or Hub user name)").fill("dev@example.org")
    page.get_by_label("Contact (e-mail or Hub user name)").press("Enter")
    for name in ("Public Data Sharing", "Data Integrity", "Model Representation"):
        page.get_by_text(name).first.click()
        page.wait_for_timeout(300)
    submit.wait_for(state="visible")
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stBaseButton-primary]').disabled", timeout=30_000
    )
    submit.click()
    confirmation = page.get_by_text("Your submission id is")
    confirmation.wait_for(timeout=30_000)
    [sub_id] = Store(store_dir).ids()
    assert sub_id in confirmation.inner_text()


def test_broken_zip_shows_the_named_error(server, page, tmp_path):
    broken = tmp_path / "broken.zip"
    broken.write_bytes(make_zip({"run/benchmark_report.json": '{"prefill": {"energy": '}))
    page.goto(f"{server}/submit")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(broken))
    error = page.get_by_test_id("stAlertContentError").first
    error.wait_for(timeout=60_000)
    assert "benchmark_report.json is truncated JSON" in error.inner_text()
    assert page.get_by_role("button", name="Submit", exact=True).is_disabled()
