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
    assert "bash scripts/test unit" in ci and "bash scripts/test e2e" in ci
