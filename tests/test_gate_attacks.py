"""The attack catalogue (bench/gate_attacks.py): no case reaches a board unheld."""

from bench import gate_attacks


def test_no_attack_case_gets_through(capsys):
    assert gate_attacks.main() == 0
    out = capsys.readouterr().out
    assert f"{len(gate_attacks.CASES)} cases:" in out and "0 through to a board" in out
    assert len(gate_attacks.CASES) >= 84


def test_every_rewrite_of_a_genuine_folder_is_detected_not_merely_held():
    """The forgeries built from genuine v2 and runner folders are each refused, or held by a warning their
    honest twin does not raise; the honest twins themselves are valid."""
    for family in ("v2 real", "runner real"):
        assert gate_attacks.check_zip(gate_attacks.BASELINES[family]()[1], gate_attacks.REAL_CLAIM).valid
    for _kind, name, build, claim in gate_attacks.V2_RUNNER_CASES:
        family, data = build()
        baseline = gate_attacks.warnings(gate_attacks.check_zip(gate_attacks.BASELINES[family]()[1], claim))
        result, _ = gate_attacks.outcome(gate_attacks.check_zip(data, claim), baseline)
        assert result != "not detected", name
