"""Searching models by name, the one rule the app and the static site share.

A query matches a model id when the query's *key* is part of the id's key. A key is the text in lower
case with every character other than the ASCII letters and digits left out, so case and separators
(``-``, ``_``, ``.``, ``/``, spaces) never matter: ``llama 3.1``, ``Llama-3.1`` and ``LLAMA_3.1`` all
find ``meta-llama/Llama-3.1-8B``, ``gpt-2`` finds ``openai-community/gpt2``. A pasted Hugging Face Hub
address (``https://huggingface.co/org/name``, ``hf.co/org/name``, with or without ``www.``, trailing
parts such as ``/tree/main``, a query or a fragment) is read as the model id ``org/name`` it names.

When nothing matches, the nearest model ids are offered ("did you mean"): each id is scored by the
similarity ratio of ``difflib.SequenceMatcher`` (2 × matched characters / both lengths, autojunk off)
between the query's key and the id's key or its name's key (after the last ``/``), whichever is
higher; ids scoring at least ``SUGGEST_CUTOFF`` are offered, best first (ties by id), at most
``MAX_SUGGESTIONS``.

The query is anyone's text: only its first ``MAX_QUERY_CHARS`` characters are read, and a key longer
than ``MAX_SUGGEST_KEY_CHARS`` gets no suggestion, so the work is bounded by the number of models.

The site's search (assets/site/search.js) implements this same rule and these same constants;
tests/test_search.py holds both to one table of queries.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

MAX_QUERY_CHARS = 100
MAX_SUGGEST_KEY_CHARS = 60
SUGGEST_CUTOFF = 0.6
MAX_SUGGESTIONS = 3

_HUB_URL = re.compile(r"^(?:https?://)?(?:www\.)?(?:huggingface\.co|hf\.co)/+([^/?#\s]+)(?:/+([^/?#\s]+))?", re.I)
_NOT_KEY = re.compile(r"[^a-z0-9]")


def query_text(query: str | None) -> str:
    """The model id text a query stands for: the query itself, or the ``org/name`` of a Hub address."""
    text = (query or "")[:MAX_QUERY_CHARS].strip()
    hub = _HUB_URL.match(text)
    if hub:
        return "/".join(part for part in hub.groups() if part)
    return text


def key(text: str) -> str:
    """``text`` in lower case with everything but ASCII letters and digits left out."""
    return _NOT_KEY.sub("", text.lower())


def query_key(query: str | None) -> str:
    """The key a query is matched by (empty: the query matches everything)."""
    return key(query_text(query))


def matches(query: str | None, model_id: str) -> bool:
    """Whether ``query`` finds ``model_id``."""
    return query_key(query) in key(model_id)


def suggestions(query: str | None, model_ids: Iterable[str]) -> list[str]:
    """The model ids nearest to a query that found nothing, best first (see the module docstring)."""
    wanted = query_key(query)
    if not wanted or len(wanted) > MAX_SUGGEST_KEY_CHARS:
        return []
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq1(wanted)
    scored = []
    for model in dict.fromkeys(model_ids):
        best = 0.0
        for candidate in {key(model), key(model.rpartition("/")[2])}:
            if not candidate:
                continue
            matcher.set_seq2(candidate)
            best = max(best, matcher.ratio())
        if best >= SUGGEST_CUTOFF:
            scored.append((-best, model))
    return [model for _, model in sorted(scored)[:MAX_SUGGESTIONS]]
