"""Model search: one table of queries held against the rule in Python (leaderboard.search, the app) and
in JavaScript (assets/site/search.js, the static site, run in Node)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from leaderboard import search
from leaderboard.results import Results
from tests.builders import make_frame, row

ROOT = Path(__file__).resolve().parents[1]
SEARCH_JS = ROOT / "assets" / "site" / "search.js"

MODELS = (
    "meta-llama/Llama-3.1-8B",
    "meta-llama/Llama-3.1-70B-Instruct",
    "openai-community/gpt2",
    "distilbert/distilgpt2",
    "openai/whisper-large-v3",
    "google/gemma-3-4b-pt",
)

# (query, the models it finds)
FINDS = [
    ("", MODELS),
    ("llama 3.1", MODELS[:2]),
    ("Llama-3.1", MODELS[:2]),
    ("LLAMA_3.1", MODELS[:2]),
    ("llama3.1 8b", MODELS[:1]),
    ("gpt-2", ("openai-community/gpt2", "distilbert/distilgpt2")),
    ("gpt2", ("openai-community/gpt2", "distilbert/distilgpt2")),
    ("GPT 2", ("openai-community/gpt2", "distilbert/distilgpt2")),
    ("openai community gpt2", ("openai-community/gpt2",)),
    ("https://huggingface.co/openai-community/gpt2", ("openai-community/gpt2",)),
    ("https://huggingface.co/openai-community/gpt2/tree/main", ("openai-community/gpt2",)),
    ("  huggingface.co/openai-community/gpt2?library=transformers  ", ("openai-community/gpt2",)),
    ("https://www.hf.co/openai/whisper-large-v3#model-card", ("openai/whisper-large-v3",)),
    ("HTTPS://HUGGINGFACE.CO/google", ("google/gemma-3-4b-pt",)),
    ("whisper.large", ("openai/whisper-large-v3",)),
    ("lla.a", ()),  # literal, not a pattern
    ("lamma 3.1", ()),
    ("gtp2", ()),
    ("x" * 500, ()),
]

# (query, the suggestions offered)
SUGGESTS = [
    ("gtp2", ["openai-community/gpt2"]),
    ("lamma 3.1 8b", ["meta-llama/Llama-3.1-8B"]),
    ("https://huggingface.co/openai-community/gtp2", ["openai-community/gpt2"]),
    ("wisper large v3", ["openai/whisper-large-v3"]),
    ("gema 3 4b", ["google/gemma-3-4b-pt"]),
    ("zzzzqqqq", []),
    ("", []),
    ("g" * (search.MAX_SUGGEST_KEY_CHARS + 1), []),  # too long to be worth comparing
]


@pytest.mark.parametrize(("query", "found"), FINDS)
def test_python_finds(query: str, found: tuple[str, ...]) -> None:
    assert tuple(m for m in MODELS if search.matches(query, m)) == found


@pytest.mark.parametrize(("query", "expected"), SUGGESTS)
def test_python_suggests(query: str, expected: list[str]) -> None:
    assert search.suggestions(query, MODELS) == expected


def test_query_is_read_only_up_to_its_limit() -> None:
    assert search.query_text("a" * 10_000) == "a" * search.MAX_QUERY_CHARS
    assert search.query_text("https://huggingface.co/") == "https://huggingface.co/"  # no id: literal text


def test_results_search_uses_the_rule() -> None:
    results = Results.from_frame(make_frame([row(model=m, energy=1.0 + i) for i, m in enumerate(MODELS)]))
    models = results.values("model")
    for query, _ in FINDS:
        assert results.search(query).values("model") == [m for m in models if search.matches(query, m)], query


def _node(script: str) -> object:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.fail("Node.js is needed to test the site's search (assets/site/search.js): install nodejs")
    done = subprocess.run([node, "-e", script], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def test_site_search_is_the_same_rule() -> None:
    queries = [q for q, _ in FINDS] + [q for q, _ in SUGGESTS] + ["İstanbul", "  Gpt-2 ", "hf.co/x/y/z"]
    script = f"""
const s = require({json.dumps(str(SEARCH_JS))});
const models = {json.dumps(MODELS)};
const queries = {json.dumps(queries)};
console.log(JSON.stringify({{
  limits: [s.MAX_QUERY_CHARS, s.MAX_SUGGEST_KEY_CHARS, s.SUGGEST_CUTOFF, s.MAX_SUGGESTIONS],
  keys: queries.map(q => s.queryKey(q)),
  finds: queries.map(q => models.filter(m => s.matches(q, m))),
  suggests: queries.map(q => s.suggestions(q, models)),
  ratios: models.map(m => queries.map(q => s.ratio(s.queryKey(q), s.key(m)))),
}}));
"""
    got = _node(script)
    assert isinstance(got, dict)
    assert got["limits"] == [
        search.MAX_QUERY_CHARS,
        search.MAX_SUGGEST_KEY_CHARS,
        search.SUGGEST_CUTOFF,
        search.MAX_SUGGESTIONS,
    ]
    assert got["keys"] == [search.query_key(q) for q in queries]
    assert got["finds"] == [[m for m in MODELS if search.matches(q, m)] for q in queries]
    assert got["suggests"] == [search.suggestions(q, MODELS) for q in queries]
    import difflib

    assert got["ratios"] == [
        [difflib.SequenceMatcher(None, search.query_key(q), search.key(m), autojunk=False).ratio() for q in queries]
        for m in MODELS
    ]
