"""How to cite one result (BibTeX): the model page of the app and of the static site both show it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from leaderboard.formatting import energy_wh, task_name
from leaderboard.tasks import MAX_STARS


@dataclass(frozen=True)
class CitedResult:
    """What a citation names: the model, its task, GPU energy (Wh per 1,000 queries), hardware, stars,
    cohort (``YYYY-MM``), the record id and the address it was read at."""

    model: str
    task: str
    energy_wh_per_1k: float
    hardware: str
    stars: int
    cohort: str
    record: str
    link: str


def bibtex(result: CitedResult) -> str:
    """A ``@misc`` entry whose key is made of the model id (letters, digits, '_') and the record id."""
    key = re.sub(r"[^A-Za-z0-9_]", "_", result.model).strip("_") or "model"
    return f"""@misc{{ai_energy_score_{key}_{result.record},
  title        = {{AI Energy Score: {result.model}, {task_name(result.task)}}},
  note         = {{{energy_wh(result.energy_wh_per_1k)} Wh of GPU energy per 1,000 queries on \
{result.hardware}, {result.stars} of {MAX_STARS} stars, cohort {result.cohort}, record {result.record}}},
  howpublished = {{\\url{{{result.link}}}}},
  year         = {{{result.cohort[:4]}}}
}}"""
