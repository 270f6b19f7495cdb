"""Real headless Chromium on the Submit page: upload, attest, submit, see the id; a broken zip is named;
a hostile zip shows its failure as text (no markup rendered, nothing fetched); a runner zip is
submittable as it comes; a new upload resets the form to that upload."""

import pytest
from playwright.sync_api import expect

from harness.zips import energy_star_files, make_zip, runner_files
from leaderboard.submissions.store import Store

pytestmark = pytest.mark.e2e

HOSTILE_GPU = "![x](http://127.0.0.1:9/evil.png)"
HOSTILE_MODEL = "[click](http://evil.example/) **b** <b>raw</b>"


def shown(locator):
    """What a reader sees: the text without the invisible word joiners that keep URLs from linking."""
    return locator.inner_text().replace("\u2060", "")


def upload(page, tmp_path, name, files):
    path = tmp_path / name
    path.write_bytes(make_zip(files))
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))


def attest_and_submit(page):
    page.get_by_label("Contact (e-mail or Hub user name)").fill("dev@example.org")
    page.get_by_label("Contact (e-mail or Hub user name)").press("Enter")
    for name in ("Public Data Sharing", "Data Integrity", "Model Representation"):
        page.get_by_text(name).first.click()
        page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stBaseButton-primary]').disabled", timeout=30_000
    )
    page.get_by_role("button", name="Submit", exact=True).click()
    confirmation = page.get_by_text("Your submission id is")
    confirmation.wait_for(timeout=30_000)
    return confirmation.inner_text()


def test_upload_attest_submit_and_confirm(server, page, tmp_path, store_dir):
    page.goto(f"{server}/submit")
    upload(page, tmp_path, "run.zip", energy_star_files(model="browser-org/browser-model-7b"))
    page.get_by_text("Provisional stars").wait_for(timeout=60_000)
    assert page.get_by_role("button", name="Submit", exact=True).is_disabled()  # nothing ticked yet
    confirmation = attest_and_submit(page)
    ids = [i for i in Store(store_dir).ids() if Store(store_dir).record(i).form.model == "browser-org/browser-model-7b"]
    assert len(ids) == 1 and ids[0] in confirmation


def test_broken_zip_shows_the_named_error(server, page, tmp_path):
    page.goto(f"{server}/submit")
    upload(page, tmp_path, "broken.zip", {"run/benchmark_report.json": '{"prefill": {"energy": '})
    error = page.get_by_test_id("stAlertContentError").first
    error.wait_for(timeout=60_000)
    assert "benchmark_report.json is truncated JSON" in shown(error)
    assert page.get_by_role("button", name="Submit", exact=True).is_disabled()


def test_hostile_zip_shows_the_named_failure_as_text(server, page, tmp_path):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{server}/submit")
    upload(page, tmp_path, "hostile.zip", energy_star_files(model=HOSTILE_MODEL, gpu=HOSTILE_GPU))
    error = page.get_by_test_id("stAlertContentError").first
    error.wait_for(timeout=60_000)
    page.wait_for_timeout(1_000)
    errors = " ".join(shown(e) for e in page.get_by_test_id("stAlertContentError").all())
    assert "does not name a GPU board" in errors  # the named check
    assert HOSTILE_GPU in errors  # shown as typed
    captions = " ".join(shown(c) for c in page.get_by_test_id("stCaptionContainer").all())
    assert HOSTILE_MODEL in captions  # the form's complaint about the model id, as typed
    html = page.content()
    assert "evil.png" not in " ".join(page.eval_on_selector_all("img", "els => els.map(e => e.src)"))
    assert not page.eval_on_selector_all("a", "els => els.filter(e => e.href.includes('evil.example')).length")
    assert "<b>raw</b>" not in html.replace("&lt;b&gt;raw&lt;/b&gt;", "")
    assert not any("127.0.0.1:9" in url or "evil.example" in url for url in requests)
    gpu_line = shown(page.get_by_test_id("stMarkdownContainer").filter(has_text="GPU:").last)
    assert f"GPU: 1 × {HOSTILE_GPU}" in gpu_line  # as text, not an image
    assert page.get_by_role("button", name="Submit", exact=True).is_disabled()


def test_runner_zip_is_submittable_as_it_comes(server, page, tmp_path, store_dir):
    page.goto(f"{server}/submit")
    upload(page, tmp_path, "runner.zip", runner_files(model="openai-community/gpt2"))
    page.get_by_text("Provisional stars").wait_for(timeout=60_000)
    expect(page.get_by_label("Model id")).to_have_value("openai-community/gpt2", timeout=30_000)  # from the zip
    assert page.get_by_test_id("stAlertContentError").count() == 0  # "Model as claimed" passes
    confirmation = attest_and_submit(page)
    [sub_id] = [i for i in Store(store_dir).ids() if Store(store_dir).record(i).form.model == "openai-community/gpt2"]
    assert sub_id in confirmation
    record = Store(store_dir).record(sub_id)
    assert record.parsed.layout == "AI Energy Score runner" and record.form.hardware == "NVIDIA H100 80GB"


def test_a_new_upload_resets_the_form_and_its_check(server, page, tmp_path):
    page.goto(f"{server}/submit")
    bad = energy_star_files(model="org/first", gpu="NVIDIA H200", phases={"prefill": 0.01})  # decode missing
    upload(page, tmp_path, "first.zip", bad)
    page.get_by_test_id("stAlertContentError").first.wait_for(timeout=60_000)
    hardware = page.get_by_role("combobox", name="Hardware", exact=True)
    expect(hardware).to_have_value("NVIDIA H200", timeout=30_000)
    upload(page, tmp_path, "second.zip", energy_star_files(model="org/second"))
    page.get_by_text("Provisional stars").wait_for(timeout=60_000)
    page.wait_for_timeout(1_000)
    expect(hardware).to_have_value("NVIDIA H100 80GB", timeout=30_000)  # the box follows the new upload
    expect(page.get_by_label("Model id")).to_have_value("org/second", timeout=30_000)
    assert page.get_by_test_id("stAlertContentError").count() == 0  # and so does the check
    assert "NVIDIA H100 80GB" in shown(page.get_by_text("Provisional stars"))


def test_logs_that_name_no_gpu_default_no_hardware(server, page, tmp_path):
    """The form never makes a claim the logs do not make: no GPU in the logs, no board picked."""
    page.goto(f"{server}/submit")
    upload(page, tmp_path, "nogpu.zip", energy_star_files(model="org/no-gpu", gpu=[]))
    page.get_by_test_id("stAlertContentError").first.wait_for(timeout=60_000)  # "GPU is a GPU" fails
    hardware = page.get_by_role("combobox", name="Hardware", exact=True)
    expect(hardware).to_have_value("", timeout=30_000)


def test_before_an_upload_the_page_says_how_to_produce_logs_and_shows_the_form_locked(server, page):
    page.goto(f"{server}/submit")
    expect(page.get_by_text("The official benchmark", exact=False).first).to_be_visible(timeout=60_000)
    expect(page.get_by_text("python -m runner run --harness aies-v2", exact=False).first).to_be_visible()
    expect(page.get_by_role("link", name="AIEnergyScore")).to_have_attribute(
        "href", "https://github.com/huggingface/AIEnergyScore"
    )
    expect(page.get_by_label("Model id")).to_be_disabled()
    expect(page.get_by_role("button", name="Submit", exact=True)).to_be_disabled()
    expect(page.get_by_text("the form fills in from its logs", exact=False)).to_be_visible()


def test_at_390_px_every_warnings_whole_advice_shows(server, browser, tmp_path):
    from harness.zips import v2_files
    from leaderboard.submissions import Claim, check_zip

    files = v2_files(dataset="x/y")  # an off-protocol dataset: a warning, not a failure
    advice = [c.message for c in check_zip(make_zip(files), Claim()).checks if c.status == "warn"]
    assert advice
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{server}/submit")
        upload(page, tmp_path, "off-protocol.zip", files)
        page.get_by_text("Provisional stars").wait_for(timeout=60_000)
        alerts = page.get_by_test_id("stAlertContentWarning")
        texts = [shown(a) for a in alerts.all()]
        for message in advice:
            assert any(message in t for t in texts), (message, texts)
        for alert in alerts.all():
            box = alert.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
            assert alert.evaluate("e => e.scrollWidth <= e.clientWidth + 1")  # wrapped, not cut
    finally:
        context.close()
