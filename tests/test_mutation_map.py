"""bench/mutation.py's map of modules to their tests names files that exist (the tracing check of
whether each listed test file calls the module is ``python bench/mutation.py --map``)."""

from bench.mutation import DEFAULT_MODULES, KNOWN, TESTS
from tests.conftest import ROOT


def test_every_module_and_test_file_in_the_map_exists():
    for module, test_files in TESTS.items():
        assert (ROOT / module).is_file(), module
        assert test_files and all((ROOT / t).is_file() for t in test_files), module
        assert len(set(test_files)) == len(test_files), module


def test_every_mutated_module_has_tests():
    assert set(DEFAULT_MODULES) <= set(TESTS)
    assert {module for module, _, _ in KNOWN} <= set(TESTS)
    checked = {
        "leaderboard/submissions/store.py",
        "leaderboard/results.py",
        "leaderboard/formatting.py",
        "leaderboard/charts.py",
        "leaderboard/links.py",
        "leaderboard/submissions/workflow.py",
        "leaderboard/submissions/record.py",
        "leaderboard/submissions/layout_v2.py",
    }
    assert checked <= set(DEFAULT_MODULES)
