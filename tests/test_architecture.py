"""The one rule (DESIGN.md): only streamlit_app.py and leaderboard/ui/ import Streamlit."""

import ast

from tests.conftest import ROOT

ALLOWED = ("streamlit_app.py", "leaderboard/ui/", "tests/", "bench/")


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def project_files():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if not rel.startswith((".", "venv")) and "/." not in rel:
            yield rel, path


def test_only_the_ui_imports_streamlit():
    offenders = [rel for rel, path in project_files() if not rel.startswith(ALLOWED)
                 and any(m == "streamlit" or m.startswith("streamlit.") for m in imported_modules(path))]
    assert offenders == []


def test_the_check_sees_an_offender(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from streamlit import session_state\n")
    assert "streamlit" in list(imported_modules(bad))
