"""Untrusted text shown safely: escaped for the terminal, literal for Streamlit's Markdown; Hub ids."""

import subprocess
import sys

import pytest

from harness.zips import energy_star_files, make_zip
from leaderboard.submissions.text import markdown_literal, model_id_problem, printable
from tests.conftest import ROOT

HOSTILE_MODEL = "org/m\x1b[2J\x1b[H\x1b[32mVALID\x1b[0m\u202egnp.exe\r\nVALID"


@pytest.mark.parametrize(
    "text, shown",
    [
        ("plain org/model → 3.5 Wh", "plain org/model → 3.5 Wh"),
        ("\x1b[2J", "\\x1b[2J"),
        ("a\nb\rc\td", "a\\x0ab\\x0dc\\x09d"),
        ("\u202eevil", "\\u202eevil"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("line\u2028sep", "line\\u2028sep"),
        ("\x85c1", "\\x85c1"),
        ("\U000e0041tag", "\\U000e0041tag"),
    ],
)
def test_printable_escapes_what_a_terminal_would_act_on(text, shown):
    assert printable(text) == shown


@pytest.mark.parametrize(
    "text",
    [
        "![x](http://127.0.0.1:9/e.png)",
        "[click](https://evil.example)",
        "**bold** _it_",
        ":red[alarm] :smile:",
        "$x^2$",
    ],
)
def test_markdown_literal_escapes_every_markup_character(text):
    literal = markdown_literal(text)
    for ch in "![]()*_:$^":
        assert ch not in literal.replace("\\" + ch, "")  # every one of them is escaped
    assert literal.replace("\\", "").replace("\u2060", "") == text
    for autolink in ("http://", "https://", "www.", ":smile:", "a@"):
        assert autolink not in literal.replace("\\", "")  # nothing GFM would make a link or an emoji


def test_markdown_literal_breaks_bare_urls_and_addresses():
    shown = markdown_literal("see https://evil.example or www.evil.example or me@evil.example").replace("\\", "")
    assert "https\u2060://" in shown and "www\u2060.evil" in shown and "me\u2060@evil" in shown


@pytest.mark.parametrize(
    "model, problem",
    [
        ("openai-community/gpt2", None),
        ("meta-llama/Llama-3.1-8B-Instruct", None),
        ("org/model_v1.0", None),
        ("org/mоdel", "CYRILLIC SMALL LETTER O"),
        ("οrg/model", "GREEK SMALL LETTER OMICRON"),
        ("org/model\u200b", "ZERO WIDTH SPACE"),
        ("org/model ", "must be a Hub id"),
        ("gpt2", "must be a Hub id"),
        ("org/model/extra", "must be a Hub id"),
        ("org/.model", "must be a Hub id"),
        ("org/model-", "must be a Hub id"),
        ("org/mo..del", "must be a Hub id"),
        ("", "Give the model's Hub id"),
    ],
)
def test_model_ids_follow_the_hub_rules(model, problem):
    found = model_id_problem(model)
    assert (found is None) if problem is None else (problem in found)


def test_check_prints_no_terminal_control_from_the_zip(tmp_path):
    path = tmp_path / "hostile.zip"
    path.write_bytes(make_zip(energy_star_files(model=HOSTILE_MODEL)))
    proc = subprocess.run(
        [sys.executable, "-m", "leaderboard.submissions", "check", str(path), "--model", "org/model"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    out = proc.stdout
    assert "\x1b" not in out and "\r" not in out and "\u202e" not in out
    assert "\\x1b[2J" in out and "\\u202e" in out
    lines = out.splitlines()
    assert lines[-1].startswith("INVALID")  # the fake VALID stays inside its escaped line
    assert not any(line.startswith("VALID") for line in lines) and proc.returncode == 1
