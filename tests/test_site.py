"""The static site (``python -m leaderboard site``): its URL scheme, every internal link of a built site,
the same bytes from the same data, the stable label URLs, the boards' lists, escaping, and the command's
one-line errors."""

import gzip
import hashlib
import json
import os
import re
import subprocess
import sys

import pytest

from leaderboard.board import render_list
from leaderboard.errors import ValidationError
from leaderboard.links import record_id
from leaderboard.results import Results
from leaderboard.schema import validate_frame
from leaderboard.site import paths
from leaderboard.site.boards import task_board
from leaderboard.site.build import SiteOptions, Written, build_site, write_site
from leaderboard.site.linkcheck import check_links, folder_files
from leaderboard.sources import load_results
from leaderboard.tasks import TASKS_BY_ID
from tests.builders import make_frame, row
from tests.conftest import ROOT

PUBLIC = "https://example.org/energy"
APP = "https://app.example.org/space"
HARDWARE = "NVIDIA H100 80GB"
GPT2 = "openai-community/gpt2"
GPT2_RECORD = record_id("2025-02/text_generation/openai-community/gpt2")
OPTIONS = SiteOptions(PUBLIC, APP, HARDWARE)


@pytest.fixture(scope="module")
def results():
    return load_results().results


@pytest.fixture(scope="module")
def site(results):
    return build_site(results, OPTIONS)


def text(site, path):
    return site.files[path].decode("utf-8")


# --- the URL scheme --------------------------------------------------------------------------------------------------


def test_paths_of_the_scheme():
    assert paths.board("text_generation") == "text_generation/index.html"
    assert paths.model_page(GPT2) == "model/openai-community/gpt2/index.html"
    assert paths.stable_label(GPT2, "text_generation", None, "svg") == "label/openai-community/gpt2/text_generation.svg"
    assert (
        paths.stable_label("openai/gpt-oss-20b", "reasoning", "low", "png")
        == "label/openai/gpt-oss-20b/reasoning-low.png"
    )
    assert paths.record_label(GPT2_RECORD, "png") == f"label/record/{GPT2_RECORD}.png"
    assert paths.results_data("parquet") == "data/results.parquet"
    assert paths.board_data("asr") == "data/asr.json"


def test_links_are_relative_so_the_site_works_under_any_base_path():
    board = paths.board("text_generation")
    assert paths.href(board, paths.model_page(GPT2), "abc") == "../model/openai-community/gpt2/#abc"
    assert paths.href(board, paths.INDEX) == "../"
    assert paths.href(paths.INDEX, paths.INDEX) == "./"
    assert paths.href(paths.model_page(GPT2), paths.STYLESHEET) == "../../../assets/site.css"
    assert paths.href("model.html", paths.model_page(GPT2)) == "model/openai-community/gpt2/"
    assert paths.href("model/index.html", paths.model_page(GPT2)) == "openai-community/gpt2/"
    assert paths.public(PUBLIC + "/", paths.model_page(GPT2), "r") == f"{PUBLIC}/model/openai-community/gpt2/#r"


@pytest.mark.parametrize(
    "model", ["../etc", "a/../b", "/a/b", "a/b/c", "a/b\n", "..", "a\\b/c", "a b/c", ".a/b", "a/", "", None, "a/.."]
)
def test_a_model_id_that_is_not_a_hub_id_never_becomes_a_path(model):
    with pytest.raises(ValidationError):
        paths.model_page(model)


def test_record_ids_and_tasks_are_checked_before_they_become_paths():
    with pytest.raises(ValidationError):
        paths.record_label("../../etc/passwd", "svg")
    with pytest.raises(ValidationError):
        paths.board("../x")


def test_path_parts_are_percent_encoded_in_links():
    assert paths.url_path("model/org/naïve/index.html") == "model/org/na%C3%AFve/"
    assert paths.file_of("model/org/na%C3%AFve/") == "model/org/naïve/index.html"


# --- the built site --------------------------------------------------------------------------------------------------


def test_every_internal_link_and_asset_resolves(site):
    report = check_links(site.files, PUBLIC)
    assert report.broken == []
    assert report.internal > 4000  # boards, model pages, labels, records' fragments, the sitemap


def test_the_link_checker_finds_a_missing_file_a_missing_fragment_and_a_link_out_of_the_site(site):
    files = dict(site.files)
    page = paths.board("asr")
    html = text(site, page)
    files[page] = (
        html.replace("</main>", '<a href="../nowhere/">x</a><a href="../../../x">y</a></main>')
        .replace(f"#{record_id('2025-02/asr/openai/whisper-large-v3')}", "#0000000000000000", 1)
        .encode()
    )
    broken = {(b.page, b.url, b.reason) for b in check_links(files, PUBLIC).broken}
    assert (page, "../nowhere/", "no file nowhere/index.html") in broken
    assert (page, "../../../x", "leaves the site") in broken
    assert any(url.endswith("#0000000000000000") and "no element" in reason for _, url, reason in broken)


def test_the_same_data_gives_the_same_bytes(results, site):
    again = build_site(results, OPTIONS)
    assert list(again.files) == list(site.files)
    assert [p for p in site.files if site.files[p] != again.files[p]] == []


def test_the_stable_label_url_holds_the_models_current_official_label(site):
    svg = text(site, "label/openai-community/gpt2/text_generation.svg")
    assert "2.15 Wh" in svg and "February 2025" in svg and "Published round" in svg
    assert f"Record {GPT2_RECORD}" in svg
    # The label links to the app's model-page address, which the site answers (model/ and model.html).
    assert f"{PUBLIC}/model?id=openai-community/gpt2&amp;record={GPT2_RECORD}" in svg
    assert site.files["label/openai-community/gpt2/text_generation.png"][:8] == b"\x89PNG\r\n\x1a\n"
    assert (
        site.files["label/openai-community/gpt2/text_generation.svg"] == site.files[f"label/record/{GPT2_RECORD}.svg"]
    )
    # gpt2's random-weights estimates have record labels but are never its official label.
    estimates = [f"label/record/{record_id(r)}.svg" for r in ("2026-11/text_generation/openai-community/gpt2",)]
    assert all(p in site.files for p in estimates)
    assert not any(p.startswith("label/openai-community/gpt2/") and "text_generation" not in p for p in site.files)


def test_the_model_page_lists_results_official_first_and_embeds_the_stable_label(site):
    page = text(site, paths.model_page(GPT2))
    assert page.index(f'id="{GPT2_RECORD}"') < page.index(
        f'id="{record_id("2026-11/text_generation/openai-community/gpt2")}"'
    )
    stable = f"{PUBLIC}/label/openai-community/gpt2/text_generation.png"
    assert (
        f"[![AI Energy Score label for openai-community/gpt2]({stable})]({PUBLIC}/model/openai-community/gpt2/)" in page
    )
    assert "Energy at scale" in page and "783.4" in page  # 2.15 Wh/1k × 1,000,000 a day × 365
    assert f"ai_energy_score_openai_community_gpt2_{GPT2_RECORD}" in page
    assert "GPU energy (Wh per 1,000 queries)" in page


def test_the_model_page_discloses_its_first_result_and_its_labels_are_self_contained(site):
    import html as html_module

    import yaml

    page = text(site, paths.model_page(GPT2))
    section = page[page.index('<h2 id="disclosure">') : page.index("<h2>Energy at scale")]
    blocks = {
        m[1]: html_module.unescape(m[2])
        for m in re.finditer(r'<details class="disclosure" id="disclosure-(\w+)">.*?<code>(.*?)</code>', section, re.S)
    }
    assert list(blocks) == ["card", "spdx", "annex"]
    meta = yaml.safe_load(blocks["card"].split("---\n")[1])["ai_energy_score"]
    assert meta["record"] == GPT2_RECORD and meta["record_url"] == f"{PUBLIC}/model?id={GPT2}&record={GPT2_RECORD}"
    stable = f"{PUBLIC}/label/openai-community/gpt2/text_generation.png"
    assert f"]({stable})]({meta['record_url']})" in blocks["card"]  # the label's stable address and its record
    assert json.loads(blocks["spdx"])["ai_inferenceEnergyConsumption"][0]["ai_energyQuantity"] == "0.000002146239"
    assert "Annex XI, Section 1, point 2(e)" in blocks["annex"] and "| measured |" in blocks["annex"]
    svg = text(site, paths.record_label(GPT2_RECORD, "svg"))
    assert "@font-face{font-family:'Inter Bold'" in svg and "data:font/woff;base64," in svg


def test_the_apps_model_address_is_answered_with_and_without_javascript(site):
    for page in paths.MODEL_REDIRECTS:
        html = text(site, page)
        assert 'data-page="model-redirect"' in html
        assert f'data-id="{GPT2}"' in html  # the script looks the id up among the listed pages
        assert len(re.findall(r"data-id=", html)) == site.models


def test_the_board_opens_on_the_latest_official_round_first_class(results):
    board = task_board(results, "text_generation", HARDWARE)
    first = board.lists[0]
    assert board.default_key == first.board_list.key
    assert (first.model_class, first.cohort, first.hardware, first.official) == ("A", "2025-12", HARDWARE, True)
    assert first.board_list.title == "Class A · December 2025 round · NVIDIA H100 80GB"
    assert "these 12 results of class A in the December 2025 round on NVIDIA H100 80GB" in first.board_list.caption
    rows = first.board_list.rows
    assert [r.rank for r in rows] == sorted(r.rank for r in rows)
    assert [r.energy_wh_per_1k for r in rows] == sorted(r.energy_wh_per_1k for r in rows)
    estimates = [s for s in board.lists if not s.official]
    assert estimates and all(s.hardware != HARDWARE for s in estimates)
    assert board.lists.index(estimates[0]) > max(board.lists.index(s) for s in board.lists if s.official)


def test_a_board_page_shares_the_apps_list_rendering_and_is_light(site, results):
    page = text(site, paths.board("text_generation"))
    board = task_board(results, "text_generation", HARDWARE)
    here = paths.board("text_generation")
    first = render_list(
        board.lists[0].board_list,
        model_href=lambda r: paths.href(here, paths.model_page(r.model), r.record),
        label_href=lambda r: paths.href(here, paths.record_label(r.record, "svg")),
        heading_level=2,
    )
    assert first in page  # the app's template, the site's links
    assert page.count('<th scope="col"') == 5 * len(board.lists)
    assert "GPU energy (Wh per 1,000 queries)" in page
    files = (paths.board("text_generation"), paths.STYLESHEET, paths.BOARD_STYLESHEET, paths.SCRIPT)
    assert sum(len(gzip.compress(site.files[p], 9)) for p in files) <= 150_000


def test_each_board_has_its_json(site):
    data = json.loads(site.files[paths.board_data("reasoning")])
    assert data["task"] == "reasoning" and data["lists"][0]["board_list"]["key"] == data["default_key"]
    first = data["lists"][0]["board_list"]["rows"][0]
    assert first["model_page"].startswith("model/") and first["label_svg"].startswith("label/record/")


def test_data_files_are_the_exports(site):
    csv_text = text(site, paths.results_data("csv"))
    assert csv_text.startswith("task,model,model_class,")
    assert len(json.loads(site.files[paths.results_data("json")])) == len(csv_text.strip().splitlines()) - 1
    assert site.files[paths.results_data("parquet")][:4] == b"PAR1"
    sitemap = text(site, paths.SITEMAP)
    assert f"<loc>{PUBLIC}/model/openai-community/gpt2/</loc>" in sitemap and f"<loc>{PUBLIC}/</loc>" in sitemap


def test_ids_that_differ_only_in_case_get_one_page_the_spelling_with_most_results():
    frame, _ = validate_frame(
        make_frame(
            [
                row(task="asr", model="Org/Model", energy=1.0),
                row(task="asr", model="org/model", energy=2.0),
                row(task="image_classification", model="org/model", energy=3.0),
                row(task="asr", model="org/other", energy=4.0),
            ]
        )
    )
    built = build_site(Results.from_frame(frame), SiteOptions(PUBLIC, APP, HARDWARE))
    assert [(o.model, o.rows) for o in built.left_out] == [("Org/Model", 1)] and built.models == 2
    assert "another spelling of 'org/model'" in built.left_out[0].reason
    assert "model/org/model/index.html" in built.files and not any(
        p.startswith(("model/Org/", "label/Org/")) for p in built.files
    )
    lowered = [path.casefold() for path in built.files]
    assert len(lowered) == len(set(lowered))  # no two files that a case-insensitive disk would merge
    assert check_links(built.files, PUBLIC).broken == []


def test_text_from_the_data_is_escaped_and_ids_that_are_not_hub_ids_get_nothing():
    frame, rejected = validate_frame(
        make_frame(
            [
                row(task="asr", model="good/model", energy=1.0, hardware='H100 <img src=x onerror="alert(1)">'),
                row(task="asr", model="good/other", energy=2.0, hardware='H100 <img src=x onerror="alert(1)">'),
                row(task="asr", model="../../evil", energy=3.0),
            ]
        )
    )
    built = build_site(Results.from_frame(frame), SiteOptions(PUBLIC, APP, HARDWARE))
    assert [(o.model, o.reason) for o in built.left_out] == [("../../evil", "not a Hub id org/name")]
    assert built.models == 2
    pages = b"".join(data for path, data in built.files.items() if path.endswith((".html", ".xml", ".svg")))
    assert b"<img src=x" not in pages and b"&lt;img src=x" in pages
    # The data files hold the data as it is (JSON is read as data, never as markup).
    assert json.loads(built.files[paths.board_data("asr")])["lists"][0]["board_list"]["hardware"].startswith(
        "H100 <img"
    )
    assert not any("evil" in path for path in built.files)
    assert check_links(built.files, PUBLIC).broken == []


def site_of(*models, task="asr"):
    """The site of one result per model (energies 1, 2, 3 … Wh in order)."""
    frame, _ = validate_frame(make_frame([row(task=task, model=m, energy=float(i + 1)) for i, m in enumerate(models)]))
    return build_site(Results.from_frame(frame), OPTIONS)


def _record_of_ordinary(model):
    """A model id named like the label file of the result of 'org/ordinary': 'record/<its record>.svg'."""
    return model if "{record}" not in model else model.format(record=record_id("2025-02/asr/org/ordinary"))


@pytest.mark.parametrize(
    "model, why",
    [
        # 'index.html/x' is a Hub-shaped id, but its page would be model/index.html/x/, under the model list's
        # own model/index.html: one of them could not be written
        ("index.html/x", "'model/index.html'"),
        ("INDEX.HTML/x", "'model/index.html'"),  # the same folder on a case-insensitive disk
        # its stable label's folder label/record/<record>.svg/ would be the label file of org/ordinary's result
        ("record/{record}.svg", "'label/record/"),
    ],
)
def test_a_model_whose_paths_clash_is_left_out_named_and_the_rest_is_built(model, why):
    model = _record_of_ordinary(model)
    frame, _ = validate_frame(
        make_frame([row(task="asr", model="org/ordinary", run_id="2025-02/asr/org/ordinary"), row(model=model)])
    )
    built = build_site(Results.from_frame(frame), OPTIONS)
    [left] = built.left_out
    assert left.model == model and left.rows == 1 and why in left.reason
    assert "model/org/ordinary/index.html" in built.files and built.models == 1
    assert model not in built.files[paths.results_data("csv")].decode()  # its rows are left out too
    assert check_links(built.files, PUBLIC).broken == []


@pytest.mark.parametrize(
    "model, why",
    [
        ("org/CON", "device name on Windows"),
        ("org/nul.txt", "device name on Windows"),
        ("aux/model", "device name on Windows"),
        ("org/Com1", "device name on Windows"),
        ("org/LPT9.tar.gz", "device name on Windows"),
        ("org/COM¹", "device name on Windows"),
        ("org/model.", "ends with a dot or a space"),
        ("org./model", "ends with a dot or a space"),
    ],
)
def test_names_that_are_not_portable_are_left_out_with_the_reason(model, why):
    built = site_of("org/ordinary", model)
    [left] = built.left_out
    assert left.model == model and why in left.reason
    assert not any(
        p.casefold().startswith((f"model/{model.casefold()}/", f"label/{model.casefold()}/")) for p in built.files
    )


@pytest.mark.parametrize(
    "spellings",
    [
        ("org/x-\u00c5ngstr\u00f6m", "org/x-\u212bngstr\u00f6m"),  # NFC-equivalent: one name on a normalising disk
        ("org/stra\u00dfe", "org/STRASSE"),  # their case-folded forms are equal
        ("org/Model", "org/model", "ORG/MODEL"),
    ],
)
def test_ids_that_are_one_name_on_some_disk_get_one_page(spellings):
    built = site_of(*spellings)
    assert built.models == 1 and len(built.left_out) == len(spellings) - 1
    assert all("another spelling of" in o.reason for o in built.left_out)
    keys = [paths.portable_key(p) for p in built.files]
    assert len(keys) == len(set(keys))  # no two files one name on any disk
    assert check_links(built.files, PUBLIC).broken == []


def test_one_folder_spelt_two_ways_leaves_out_the_model_with_fewer_results():
    frame, _ = validate_frame(
        make_frame(
            [row(task="asr", model="org/a"), row(task="image_classification", model="org/a"), row(model="Org/b")]
        )
    )
    built = build_site(Results.from_frame(frame), OPTIONS)
    assert [o.model for o in built.left_out] == ["Org/b"] and "'model/org/a/index.html'" in built.left_out[0].reason


def test_ordinary_ids_keep_their_urls():
    """Names that only look like device names, or hold dots and dashes inside, are paths as before."""
    ordinary = ("org/console", "org/con-model", "org/com10", "org/lpt", "nul-org/model", "org/model.v2", "org/a.b-c_d")
    built = site_of(*ordinary)
    assert built.left_out == () and built.models == len(ordinary)
    for model in ordinary:
        assert paths.model_page(model) == f"model/{model}/index.html" and paths.model_page(model) in built.files


# --- the command -----------------------------------------------------------------------------------------------------


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "leaderboard", "site", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_the_command_writes_a_site_and_a_rebuild_rewrites_nothing(tmp_path):
    out = tmp_path / "site"
    first = run("--out", str(out), "--public-url", PUBLIC)
    assert first.returncode == 0, first.stderr
    assert "internal links resolve" in first.stderr
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (out / "CNAME").write_text("energy.example.org\n")
    (out / "model" / "mine").mkdir()
    (out / "model" / "mine" / "index.html").write_text("a page of the site's owner")
    again = run("--out", str(out), "--public-url", PUBLIC)
    assert again.returncode == 0, again.stderr
    assert "(0 written" in again.stderr and "0 removed" in again.stderr
    assert (out / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"  # what no build wrote stays
    assert (out / "CNAME").read_text() == "energy.example.org\n"
    assert (out / "model" / "mine" / "index.html").is_file()
    files = folder_files(out)
    assert check_links(files, PUBLIC).broken == []
    assert b"2.15 Wh" in files["label/openai-community/gpt2/text_generation.svg"]


def test_a_rebuild_removes_only_files_its_manifest_lists_and_it_no_longer_writes(tmp_path):
    out = tmp_path / "site"
    before, after = site_of("org/stays", "org/goes"), site_of("org/stays")
    assert write_site(before, out).written == len(before.files)
    manifest = json.loads((out / paths.MANIFEST).read_text())["files"]
    assert manifest == {p: hashlib.sha256(d).hexdigest() for p, d in before.files.items()}
    (out / ".git").mkdir()
    (out / ".git" / "config").write_text("[core]\n")
    (out / "CNAME").write_text("energy.example.org\n")
    changed = "label/org/goes/asr.svg"
    (out / changed).write_text("edited by hand after the build")
    done = write_site(after, out)
    gone = sorted(set(before.files) - set(after.files) - {changed})
    assert gone and done.removed == len(gone) and done.kept == 1
    assert not any((out / p).exists() for p in gone) and not (out / "model" / "org" / "goes").exists()
    assert (out / changed).read_text() == "edited by hand after the build"  # changed since: someone's now
    assert (out / ".git" / "config").is_file() and (out / "CNAME").is_file()
    assert json.loads((out / paths.MANIFEST).read_text())["files"].keys() == after.files.keys()
    assert write_site(after, out) == Written(0, len(after.files), 0, 0)  # the listed file is no longer the site's


@pytest.mark.parametrize(
    "manifest",
    [b"{", b"[]", b'{"files": {"../outside.txt": "' + b"0" * 64 + b'"}}', b'{"files": {"/etc/passwd": "x"}}'],
)
def test_a_manifest_this_command_did_not_write_is_refused_in_one_line(tmp_path, manifest):
    out = tmp_path / "site"
    out.mkdir()
    (out / paths.MANIFEST).write_bytes(manifest)
    (tmp_path / "outside.txt").write_text("someone's file")
    with pytest.raises(ValidationError, match="is not a manifest this command wrote") as err:
        write_site(site_of("org/a"), out)
    assert "\n" not in str(err.value) and "--force" in str(err.value)
    assert (tmp_path / "outside.txt").read_text() == "someone's file"


def test_a_folder_it_did_not_make_is_refused_unless_forced_and_then_its_files_are_kept(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "CNAME").write_text("energy.example.org\n")
    (out / paths.BUILD_MARK).write_text("an older build's mark, with no manifest")
    built = site_of("org/a")
    with pytest.raises(ValidationError, match=f"no {re.escape(paths.MANIFEST)}.*pass --force") as err:
        write_site(built, out)
    assert "\n" not in str(err.value) and sorted(p.name for p in out.iterdir()) == [paths.BUILD_MARK, "CNAME"]
    done = write_site(built, out, force=True)
    assert done.written == len(built.files) and done.removed == 0
    assert (out / "CNAME").read_text() == "energy.example.org\n" and (out / paths.MANIFEST).is_file()
    assert write_site(built, out).unchanged == len(built.files)  # built now: no --force needed


@pytest.mark.parametrize(
    "args, message",
    [
        (["--out", "{d}/f"], "is a file"),
        (["--out", "{d}/f/site"], "cannot be written"),
        (["--out", "{d}/other"], "other files in it and no .aies-site-manifest.json"),
        (["--out", "{d}/dangling"], "a symbolic link to"),
        (["--out", "{d}/s", "--public-url", "ftp://example.org"], "not a web address"),
        (["--out", "{d}/s", "--app-url", "https://x y"], "not a web address"),
    ],
)
def test_bad_arguments_fail_with_one_line(tmp_path, args, message):
    (tmp_path / "f").write_text("a file")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("someone's notes")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    proc = run(*[a.format(d=tmp_path) for a in args])
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], proc.stderr
    assert (tmp_path / "other" / "notes.txt").read_text() == "someone's notes"


def test_the_command_names_each_model_it_leaves_out_and_forces_into_a_folder_only_when_told(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    models = ("org/ordinary", "org/CON", "index.html/x", "Org/Ordinary")
    rows = [row(task="asr", model=m, energy=1.0 + i) for i, m in enumerate(models)]
    rows.append(row(task="image_classification", model="org/ordinary"))  # the spelling with most results
    make_frame(rows).to_parquet(data / "results.parquet")
    out = tmp_path / "site"
    out.mkdir()
    (out / "CNAME").write_text("energy.example.org\n")
    env = {**os.environ, "AIES_DATA_DIR": str(data), "AIES_STORE_DIR": str(tmp_path / "store")}
    command = [sys.executable, "-m", "leaderboard", "site", "--out", str(out)]
    refused = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert refused.returncode == 2 and "pass --force" in refused.stderr and not (out / paths.MANIFEST).exists()
    forced = subprocess.run([*command, "--force"], cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert forced.returncode == 0, forced.stderr
    left = [line for line in forced.stderr.splitlines() if line.startswith("left out 'org/CON'")]
    assert len(left) == 1 and "device name on Windows" in left[0] and "(1 result)" in left[0]
    assert "left out 'index.html/x' (1 result): its path" in forced.stderr
    assert "left out 'Org/Ordinary' (1 result): another spelling of 'org/ordinary'" in forced.stderr
    assert "3 models left out" in forced.stderr
    assert (out / "CNAME").read_text() == "energy.example.org\n" and (out / "model/org/ordinary/index.html").is_file()


def test_a_rebuild_never_writes_through_a_symbolic_link_out_of_the_folder(tmp_path):
    frame, _ = validate_frame(make_frame([row(task="asr", model="org/a", energy=1.0)]))
    built = build_site(Results.from_frame(frame), OPTIONS)
    out, outside = tmp_path / "site", tmp_path / "outside"
    write_site(built, out)
    outside.mkdir()
    (outside / "results.csv").write_text("someone's table")
    (outside / "notes.txt").write_text("someone's notes")
    for path in (out / "data").iterdir():
        path.unlink()
    (out / "data").rmdir()
    (out / "data").symlink_to(outside)  # a folder of the site is a link out of it
    (out / ".index.html.tmp").symlink_to(outside / "notes.txt")  # so is the name a file is first written to
    with pytest.raises(ValidationError, match="symbolic link"):
        write_site(built, out)
    assert (outside / "results.csv").read_text() == "someone's table"
    assert (outside / "notes.txt").read_text() == "someone's notes"
    assert sorted(p.name for p in outside.iterdir()) == ["notes.txt", "results.csv"]


def test_a_new_file_is_never_written_through_a_link_planted_at_its_temporary_name(tmp_path):
    out, outside = tmp_path / "site", tmp_path / "notes.txt"
    write_site(site_of("org/a"), out)
    outside.write_text("someone's notes")
    later = site_of("org/a", task="image_classification")
    new = next(p for p in later.files if p.startswith("data/") and not (out / p).exists())
    (out / new).with_name(f".{(out / new).name}.tmp").symlink_to(outside)
    with pytest.raises(ValidationError, match="symbolic link"):
        write_site(later, out)
    assert outside.read_text() == "someone's notes"


def test_where_the_site_and_the_app_share_an_address_the_apps_pages_are_not_broken_links(results):
    built = build_site(results, SiteOptions(APP, APP, HARDWARE))
    report = check_links(built.files, APP, APP)
    assert report.broken == []
    assert f"{APP}/submit" in text(built, paths.INDEX)
    assert check_links(built.files, APP).broken  # without the app's address, its pages look like missing files


def test_the_load_test_runs_a_bounded_smoke_version(site, tmp_path):
    """bench/site_load.py for 2 s with 3 readers against the site and the app: it stops by itself and
    reports views per second, p95 latency and server memory for both."""
    folder = tmp_path / "site"
    for path, data in site.files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    proc = subprocess.run(
        [sys.executable, "bench/site_load.py", "--site", str(folder), "--seconds", "2", "--readers", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if line.startswith(("site ", "app ")))
    assert set(lines) == {"site", "app"}, proc.stdout
    for line in lines.values():
        assert "3 readers 2 s" in line and "views/s" in line and "p95" in line and "MiB peak" in line
        assert re.search(r": [1-9][\d,]* views", line), line
    assert " 0 failed" in lines["site"]
    assert "site/app views per second" in proc.stdout


def test_the_overview_opens_each_board_on_the_lists_its_row_sums_up(site, results):
    """A task's row (range, models, most efficient) is what its board shows when opened from it: every class
    and round of the official board (class=all&cohort=all), the official lists on the official hardware."""
    from leaderboard.formatting import energy_wh

    index = text(site, paths.INDEX)
    found = re.findall(
        r'<th scope="row"><a href="([^"?]+)(\?[^"]*)">[^<]*</a></th>\s*<td class="num wide-col">(\d+)</td>\s*'
        r'<td class="num wide-col">\d+</td>\s*<td class="num">([^<]+)</td>\s*<td class="num">([^<]+)</td>',
        index,
    )
    assert len(found) == 11
    for (href, query, models, low, high), task_id in zip(found, results.official(HARDWARE).tasks(), strict=True):
        assert href == paths.href(paths.INDEX, paths.board(task_id))
        assert query == ("?class=all&amp;cohort=all" if TASKS_BY_ID[task_id].has_classes else "?cohort=all")
        shown = [
            r
            for s in task_board(results, task_id, HARDWARE).lists
            if s.official and s.hardware == HARDWARE
            for r in s.board_list.rows
        ]
        energies = [r.energy_wh_per_1k for r in shown]
        assert (energy_wh(min(energies)), energy_wh(max(energies))) == (low, high), task_id
        assert len({r.model for r in shown}) == int(models), task_id


def test_the_404_page_links_from_the_sites_root_path_on_any_host(site):
    page = text(site, paths.NOT_FOUND)
    assert PUBLIC not in page  # no host: it works wherever it is served
    assert 'href="/' in page and "site.js" in page
