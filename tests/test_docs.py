"""Docs that run: every setting is documented, the README's commands exist."""

from leaderboard.settings import SETTINGS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_in_the_readme():
    for setting in SETTINGS:
        assert f"`{setting.env}`" in README, setting.env
        assert f"`{setting.secrets_key}`" in README, setting.secrets_key


def test_quick_start_commands_are_the_ones_ci_runs():
    assert "python -m pip install -r requirements.txt && python -m streamlit run streamlit_app.py" in README
    assert "bash scripts/test" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert "bash scripts/test\n" in ci  # every step: lint, types, unit, runner, e2e


def test_the_test_command_runs_and_reports_every_step():
    script = (ROOT / "scripts" / "test").read_text()
    assert "ALL_STEPS=(lint types unit runner e2e)" in script
    for step in ("lint", "types", "unit", "runner", "e2e"):
        assert f"step_{step}()" in script
    assert 'exit "$failed"' in script  # a failed step fails the whole run, after every step ran
