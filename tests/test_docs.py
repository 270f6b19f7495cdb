"""Docs that run: every setting is documented, the README's commands exist."""

import re
import subprocess

from leaderboard.settings import SETTINGS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_in_the_readme():
    for setting in SETTINGS:
        assert f"`{setting.env}`" in README, setting.env
        assert f"`{setting.secrets_key}`" in README, setting.secrets_key


def quick_start():
    return README[README.index("## Quick start") : README.index("\n## ", README.index("## Quick start") + 1)]


def test_quick_start_commands_are_the_ones_ci_runs_and_the_newcomer_script_measures():
    # scripts/newcomer reads the commands from the README, so what it measures is what is written.
    proc = subprocess.run(
        ["bash", "scripts/newcomer", "--print-commands"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["bash scripts/app", "bash scripts/test"]
    assert "a second terminal" in quick_start()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "bash scripts/test\n" in ci  # every step: lint, types, unit, runner, campaign, e2e
    app = (ROOT / "scripts" / "app").read_text()
    assert 'exec "$PY" -m streamlit run streamlit_app.py "$@"' in app  # the app on the embedded data


def test_the_quick_start_writes_down_no_figure_that_changes_with_the_code():
    """Test counts, download sizes and times change with the code and the machine: scripts/newcomer
    measures them. The only duration written is the CPU index's probe timeout, read from its script."""
    text = quick_start()
    assert not re.search(r"\d[\d,]*\s+(?:\w+\s+)?tests\b", text), "a test count"
    assert not re.search(r"\d[\d,.]*\s*[KMG]i?B\b", text), "a size"
    (timeout,) = re.findall(r"timeout=(\d+)", (ROOT / "scripts" / "lib.sh").read_text())
    assert set(re.findall(r"(\d[\d,.]*)\s*s\b", text)) == {timeout}


def test_the_test_command_runs_and_reports_every_step():
    script = (ROOT / "scripts" / "test").read_text()
    assert "ALL_STEPS=(lint types unit runner campaign e2e)" in script
    for step in ("lint", "types", "unit", "runner", "campaign", "e2e"):
        assert f"step_{step}()" in script
    assert 'exit "$failed"' in script  # a failed step fails the whole run, after every step ran


def test_the_commands_after_the_quick_start_say_how_to_get_the_environments_python():
    """The README's later commands call `python`: before the first of them it says how that is the
    environment's (activate it, or name its interpreter)."""
    import re

    start = README.index("## Quick start")
    first_command = re.compile(r"^python3? ", re.M).search(README, start)
    assert first_command is not None
    told = README.index("source .venv/bin/activate", start)
    assert told < first_command.start()
    assert ".venv/bin/python -m leaderboard" in README[told : told + 600]
