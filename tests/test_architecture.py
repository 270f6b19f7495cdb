"""The one rule (DESIGN.md): only streamlit_app.py and leaderboard/ui/ import Streamlit; and the layering:
no import runs upward (the core, then submissions, runner and label, then the ui)."""

import ast

from tests.conftest import ROOT

# Test tooling may drive the app too: the tests and the shared harness (tests/ and bench/ use it).
ALLOWED = ("streamlit_app.py", "leaderboard/ui/", "tests/", "harness/")


def imported_modules(path, *, names=False):
    """The modules a file imports; with ``names``, ``from leaderboard import ui`` also as ``leaderboard.ui``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            if names:
                yield from (f"{node.module}.{alias.name}" for alias in node.names)


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


# --- no import runs upward ---------------------------------------------------------------------------------------------
# The packages, each with the packages its modules may import (its own and those below it):
#
#     leaderboard (the core: tasks, rating, results, run folder, …)   nothing above it
#     leaderboard.submissions, runner, label                          the core
#     leaderboard.ui                                                  the core, submissions, label
#     leaderboard.site (the static site)                              the core, label
#     streamlit_app.py                                                the ui
#
# A package's command-line entry (``__main__.py``) is its public face and may reach the submission store
# (and the leaderboard's, the static site it builds). A campaign's final step (runner/campaign/collect.py) is the
# runner's one way into the submission path: it submits through the checker and the store like the Submit page.
MAY_IMPORT = {
    "leaderboard": {"leaderboard"},
    "leaderboard.submissions": {"leaderboard", "leaderboard.submissions"},
    "runner": {"leaderboard", "runner"},
    "label": {"leaderboard", "label"},
    "leaderboard.ui": {"leaderboard", "leaderboard.submissions", "label", "leaderboard.ui"},
    "leaderboard.site": {"leaderboard", "label", "leaderboard.site"},
    "streamlit_app": {"leaderboard", "leaderboard.ui"},
}
ENTRIES = {
    "leaderboard/__main__.py": {"leaderboard.submissions", "leaderboard.site", "label"},
    "label/__main__.py": {"leaderboard.submissions"},
    "runner/campaign/collect.py": {"leaderboard.submissions"},
}
PACKAGES = sorted(MAY_IMPORT, key=len, reverse=True)  # the longest name first: leaderboard.ui before leaderboard


def package_of(module: str) -> str | None:
    """The package a dotted module name belongs to (None: not the project's)."""
    return next((p for p in PACKAGES if module == p or module.startswith(p + ".")), None)


def upward_imports(rel, path):
    own = package_of(rel.removesuffix(".py").replace("/", "."))
    if own is None:
        return []
    allowed = MAY_IMPORT[own] | ENTRIES.get(rel, set())
    return sorted(
        {m for m in imported_modules(path, names=True) if (p := package_of(m)) is not None and p not in allowed}
    )


def test_no_import_runs_upward():
    offenders = {
        rel: bad
        for rel, path in project_files()
        if rel.startswith(("leaderboard/", "label/", "runner/", "streamlit_app.py"))
        and (bad := upward_imports(rel, path))
    }
    assert offenders == {}


def test_the_layering_check_sees_an_upward_import(tmp_path):
    core = tmp_path / "core.py"
    core.write_text("from leaderboard.submissions.store import Store\nfrom leaderboard import ui\n")
    assert upward_imports("leaderboard/core.py", core) == [
        "leaderboard.submissions.store",
        "leaderboard.submissions.store.Store",
        "leaderboard.ui",
    ]
    assert upward_imports("leaderboard/submissions/x.py", core) == ["leaderboard.ui"]
    assert upward_imports("leaderboard/ui/x.py", core) == []
    assert upward_imports("leaderboard/__main__.py", core) == ["leaderboard.ui"]
    runner = tmp_path / "runner.py"
    runner.write_text("import label.model\nfrom leaderboard.runfolder import RUNNER_SUMMARY\n")
    assert upward_imports("runner/x.py", runner) == ["label.model"]
