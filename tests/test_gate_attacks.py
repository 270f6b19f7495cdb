"""The attack catalogue (bench/gate_attacks.py): no case reaches a board unheld."""

from bench import gate_attacks


def test_no_attack_case_gets_through(capsys):
    assert gate_attacks.main() == 0
    out = capsys.readouterr().out
    assert f"{len(gate_attacks.CASES)} cases:" in out and "0 through to a board" in out
    assert len(gate_attacks.CASES) >= 66
