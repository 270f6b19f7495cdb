"""The one rule (DESIGN.md): only streamlit_app.py and leaderboard/ui/ import Streamlit."""

import ast

from tests.conftest import ROOT

# Test tooling may drive the app too: the tests and the shared harness (tests/ and bench/ use it).
ALLOWED = ("streamlit_app.py", "leaderboard/ui/", "tests/", "harness/")


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
    offenders = [
        rel
        for rel, path in project_files()
        if not rel.startswith(ALLOWED)
        and any(m == "streamlit" or m.startswith("streamlit.") for m in imported_modules(path))
    ]
    assert offenders == []


def test_the_check_sees_an_offender(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from streamlit import session_state\n")
    assert "streamlit" in list(imported_modules(bad))


HEAVY = ("torch", "transformers", "pynvml", "runner")


def test_heavy_runner_dependencies_stay_in_the_runner():
    offenders = [
        rel
        for rel, path in project_files()
        if not rel.startswith(("runner/", "tests/", "bench/"))
        and any(m.split(".")[0] in HEAVY for m in imported_modules(path))
    ]
    assert offenders == []


def test_runner_imports_torch_only_inside_functions():
    for rel, path in project_files():
        if rel.startswith("runner/"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
            names = [a.name for n in top if isinstance(n, ast.Import) for a in n.names] + [
                n.module for n in top if isinstance(n, ast.ImportFrom) and n.module
            ]
            assert not [m for m in names if m.split(".")[0] in ("torch", "transformers", "pynvml")], rel


def test_bench_and_the_product_never_import_tests():
    """Benchmarks share tooling with the tests through harness/, never by importing tests/."""
    offenders = [
        rel
        for rel, path in project_files()
        if not rel.startswith("tests/") and any(m == "tests" or m.startswith("tests.") for m in imported_modules(path))
    ]
    assert offenders == []
