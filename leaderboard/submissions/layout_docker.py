"""The AI Energy Score Docker image's summary (``GPU_ENERGY_SUMMARY.json``: units, total, ``<phase>_wh``)
and its ``GPU_ENERGY_WH.txt``: the figure when no report is there, otherwise checked against it.
"""

from __future__ import annotations

import math

from leaderboard.runfolder import (
    DOCKER_PHASE_SUFFIX,
    DOCKER_SUMMARY,
)
from leaderboard.submissions.consistency import (
    compare_energy,
)
from leaderboard.submissions.model import Phase
from leaderboard.submissions.optimum_report import (
    EnergyRead,
    stated_energy,
    unit_factor,
)
from leaderboard.submissions.reading import (
    ROUNDED_TEXT_REL,
    Reading,
    agree,
)
from leaderboard.tasks import PHASES
from leaderboard.untrusted import (
    number,
    obj,
)

DOCKER_LAYOUT = f"AI Energy Score Docker {DOCKER_SUMMARY}"


def docker_read(name: str, raw: object) -> tuple[dict[str, float], float | None, str]:
    data = obj(raw, name)
    unit = data.get("units")
    factor = unit_factor(unit, name)
    phases = {
        phase: number(data.get(f"{phase}{DOCKER_PHASE_SUFFIX}"), f"{name} → {phase}{DOCKER_PHASE_SUFFIX}") * factor
        for phase in PHASES
        if data.get(f"{phase}{DOCKER_PHASE_SUFFIX}") is not None
    }
    total = number(data.get("total"), f"{name} → total") * factor if data.get("total") is not None else None
    return phases, total, str(unit)


def with_docker(reading: Reading, name: str, raw: object, report: EnergyRead | None, num: int) -> None:
    phases, total, unit = docker_read(name, raw)
    reading.units.add(unit)
    if phases and total is not None and not agree(total, sum(phases.values()), ROUNDED_TEXT_REL):
        reading.sums_off.append(
            f"{name}: total {total:.6g} Wh is not the sum of its phases ({sum(phases.values()):.6g} Wh)"
        )
    if reading.layout == DOCKER_LAYOUT:
        if not phases and total is not None:
            phases = {"total": total}
        reading.phases = [Phase(k, wh, wh * 1000.0 / num) for k, wh in phases.items()]
    elif report is not None:
        stated = stated_energy(report)
        if phases:
            reading.disagreements += compare_energy("the report", stated, name, phases, ROUNDED_TEXT_REL)
        elif total is not None and not agree(sum(stated.values()), total, ROUNDED_TEXT_REL):
            reading.disagreements.append(
                f"total: {sum(stated.values()):.6g} Wh in the report, {total:.6g} Wh in {name}"
            )


def wh_text_value(body: bytes) -> float:
    """The number of Wh a ``GPU_ENERGY_WH.txt`` holds, or NaN when it holds no number."""
    try:
        return float(body.decode("utf-8").strip()) if len(body) <= 100 else math.nan
    except (UnicodeDecodeError, ValueError):
        return math.nan


def with_wh_text(reading: Reading, member: tuple[str, bytes], docker: tuple[str, object] | None) -> None:
    name, body = member
    value = wh_text_value(body)
    if not math.isfinite(value):
        reading.disagreements.append(f"{name} holds {body[:40]!r}, not a number of Wh")
        return
    total = sum(p.gpu_energy_wh for p in reading.phases)
    if docker is not None:
        phases, stated, _ = docker_read(docker[0], docker[1])
        total = stated if stated is not None else sum(phases.values())
    if not agree(value, total, ROUNDED_TEXT_REL):
        reading.disagreements.append(f"total: {value:.6g} Wh in {name}, {total:.6g} Wh counted")
