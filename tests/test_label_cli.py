import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

import pytest
from PIL import Image

from tests.conftest import ROOT


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "label", "render", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_png_and_svg_of_a_published_result(tmp_path):
    png, svg = tmp_path / "gpt2.png", tmp_path / "gpt2.svg"
    proc = run("--task", "text_generation", "--model", "openai-community/gpt2", "--out", str(png))
    assert proc.returncode == 2 and "--cohort" in proc.stderr and "2026-11" in proc.stderr  # H100 and H200 results
    assert (
        run(
            "--task", "text_generation", "--model", "openai-community/gpt2", "--cohort", "2025-02", "--out", str(png)
        ).returncode
        == 0
    )
    with Image.open(png) as image:
        assert image.size == (520, 728)
    proc = run(
        "--task",
        "text_generation",
        "--model",
        "openai-community/gpt2",
        "--cohort",
        "2025-02",
        "--format",
        "svg",
        "--out",
        str(svg),
    )
    assert proc.returncode == 0, proc.stderr
    assert "openai-community/gpt2" in svg.read_text() and "2.15 Wh" in svg.read_text()
    ET.fromstring(svg.read_text())


def test_all_labels_of_a_task_as_zip(tmp_path):
    out = tmp_path / "asr.zip"
    proc = run("--task", "asr", "--all", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    names = zipfile.ZipFile(out).namelist()
    assert len(names) == 26 and sum(n.endswith(".png") for n in names) == 13


def test_custom_values_are_rated_against_the_current_group(tmp_path):
    out = tmp_path / "custom.svg"
    proc = run(
        "--task",
        "text_generation",
        "--model",
        "my-org/my-model",
        "--energy-wh-per-1k",
        "1.0",
        "--class",
        "A",
        "--round",
        "2025-12",
        "--out",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    assert "5 stars. Rated against the 12 published results" in proc.stderr
    text = out.read_text()
    assert "December 2025" in text and "1.00 Wh" in text
    assert text.count('fill="#3EA45A"/>') >= 5  # lowest energy of the group: 5 stars (+ header mark)


def test_stars_by_hand(tmp_path):
    out = tmp_path / "hand.svg"
    assert (
        run("--task", "asr", "--model", "x/y", "--energy-wh-per-1k", "5", "--stars", "2", "--out", str(out)).returncode
        == 0
    )
    assert out.read_text().count('fill="#EFEFEF"/>') == 3


def test_errors_name_the_argument_and_accepted_values(tmp_path):
    out = str(tmp_path / "x.png")
    proc = run("--task", "painting", "--model", "x", "--out", out)
    assert proc.returncode == 2 and "--task" in proc.stderr and "text_generation" in proc.stderr
    proc = run("--task", "asr", "--model", "nobody/nothing", "--out", out)
    assert proc.returncode == 2 and "--model 'nobody/nothing'" in proc.stderr
    proc = run("--task", "reasoning", "--model", "openai/gpt-oss-20b", "--out", out)
    assert proc.returncode == 2 and "--effort" in proc.stderr and "/low" in proc.stderr
    proc = run("--task", "asr", "--model", "x/y", "--energy-wh-per-1k", "-3", "--out", out)
    assert proc.returncode == 2 and "finite positive" in proc.stderr
    proc = run("--task", "text_generation", "--model", "x/y", "--energy-wh-per-1k", "3", "--out", out)
    assert proc.returncode == 2 and "--class" in proc.stderr
    proc = run("--task", "asr", "--model", "x/y", "--energy-wh-per-1k", "3", "--date", "Feb 25", "--out", out)
    assert proc.returncode == 2 and "--round 'Feb 25'" in proc.stderr
    proc = run("--task", "asr", "--model", "x/y", "--energy-wh-per-1k", "3", "--round", "2025-12", "--out", out)
    assert proc.returncode == 2 and "no published round rated asr" in proc.stderr and "2025-02" in proc.stderr
    proc = run("--task", "asr", "--model", "openai/whisper-large-v3", "--out", str(tmp_path / "x.gif"))
    assert proc.returncode == 2 and ".png or .svg" in proc.stderr
    proc = run("--task", "asr", "--stars", "9", "--model", "x", "--out", out)
    assert proc.returncode == 2 and "--stars" in proc.stderr
    assert not list(tmp_path.iterdir())  # nothing written on error


def test_unwritable_out_and_out_of_range_values_are_one_line_errors(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for out in (str(blocker / "label.png"), str(tmp_path / "missing" / "label.svg"), str(tmp_path)):
        proc = run("--task", "asr", "--model", "x/y", "--energy-wh-per-1k", "5", "--format", "png", "--out", out)
        errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
        assert proc.returncode == 2 and len(errors) == 1 and errors[0].startswith("error: --out")
        assert "cannot be written" in errors[0] and "Traceback" not in proc.stderr
    out = str(tmp_path / "x.svg")
    for energy in ("1e308", "1e7", "1e-9", "nan", "inf"):
        proc = run("--task", "asr", "--model", "x/y", "--energy-wh-per-1k", energy, "--out", out)
        assert proc.returncode == 2 and "from 0.0001 to 1,000,000" in proc.stderr, proc.stderr
    for month in ("0000-01", "1999-12", "2999-01", "2025-13"):
        proc = run("--task", "asr", "--model", "x/y", "--energy-wh-per-1k", "5", "--date", month, "--out", out)
        assert proc.returncode == 2 and "--round" in proc.stderr and "from 2024" in proc.stderr, proc.stderr
    assert not (tmp_path / "x.svg").exists()


@pytest.mark.parametrize(
    "energy, ok",
    [(0.0001, True), (1_000_000.0, True), (2.15, True), (0.00009, False), (1_000_001.0, False), (-1.0, False)],
)
def test_label_energy_bounds(energy, ok):
    from label.select import check_energy
    from leaderboard.errors import ValidationError

    if ok:
        assert check_energy(energy) == energy
    else:
        with pytest.raises(ValidationError):
            check_energy(energy)


def test_label_month_bounds():
    from datetime import date

    from label.select import check_month
    from leaderboard.errors import ValidationError

    today = date(2026, 11, 30)
    assert check_month("2024-01", today) == "2024-01" and check_month("2027-12", today) == "2027-12"
    for bad in ("2023-12", "2028-01", "0000-01", "2025-00", "Feb 25"):
        with pytest.raises(ValidationError):
            check_month(bad, today)


def test_the_labels_link_names_the_public_address_or_says_it_is_the_local_app(tmp_path, monkeypatch):
    svg = tmp_path / "asr.svg"
    args = ("--task", "asr", "--model", "openai/whisper-large-v3", "--format", "svg", "--out", str(svg))
    proc = run(*args)
    assert proc.returncode == 0, proc.stderr
    assert "labels link to http://localhost:8501" in proc.stderr and "AIES_PUBLIC_URL" in proc.stderr
    assert "localhost:8501/model?id=openai/whisper-large-v3" in svg.read_text()
    monkeypatch.setenv("AIES_PUBLIC_URL", "https://energy.example.org/board/")
    proc = run(*args)
    assert proc.returncode == 0 and "labels link to" not in proc.stderr
    assert "https://energy.example.org/board/model?id=openai/whisper-large-v3" in svg.read_text()
    for bad in ("javascript:alert(1)", "https://x.example/a b", 'https://x.example/"><script>', "ftp://x.example"):
        monkeypatch.setenv("AIES_PUBLIC_URL", bad)
        proc = run(*args)
        assert proc.returncode != 0 and "AIES_PUBLIC_URL" in proc.stderr and "Traceback" not in proc.stderr, bad
