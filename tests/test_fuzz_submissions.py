"""The checker is total: mutated zips of every layout (fixed seed, bounded count and time) never raise,
are judged within a second each, give storable figures, and are read as ``zipfile`` reads them.
``bench/fuzz_submissions.py`` runs the same fuzzer for longer."""

from harness import fuzz
from tests.conftest import REFERENCE

REFERENCE_REPORT = REFERENCE / "optimum-benchmark" / "energy_star_dev_text_generation_benchmark_report.json"


def test_mutated_zips_of_every_layout_never_raise():
    outcome = fuzz.run(seconds=120, seed=20251130, reference_report=REFERENCE_REPORT.read_bytes(), max_inputs=5000)
    assert outcome.inputs == 5000
    assert dict(outcome.escaped) == {}, outcome.escaped
    assert outcome.problems == []
    assert outcome.slowest_s < fuzz.MAX_SECONDS_PER_INPUT
    # The mutations reach past the zip reader: into every layout's checks, valid and not.
    assert outcome.valid > 100
    reached = {name for name, _ in outcome.checks}
    assert {"Files agree", "Phases add up", "Repeats complete", "Protocol", "Checksums match"} <= reached
    assert ("Zip readable and safe", "fail") in outcome.checks and (
        "Benchmark report readable",
        "fail",
    ) in outcome.checks
