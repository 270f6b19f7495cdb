"""The energy an optimum-benchmark report states (``benchmark_report.json``, ``benchmark.json``'s
report): GPU Wh per counted phase, single or repeated (``measures``), in the units it names, with the
efficiency and latency recorded beside it; and what a report with no config beside it still says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from leaderboard.errors import SubmissionError
from leaderboard.runfolder import (
    ENERGY_UNITS_TO_WH,
    MAX_REPEATS,
    NOT_COUNTED_PHASE_KEYS,
    REPORT_PHASE_KEYS,
)
from leaderboard.submissions.evidence import (
    Efficiency,
)
from leaderboard.submissions.model import Check
from leaderboard.submissions.reading import (
    Refused,
    agree,
)
from leaderboard.submissions.repeats import MAX_SPREAD, judge_repeats
from leaderboard.untrusted import (
    UNCHANGED,
    number,
    obj,
)


@dataclass(frozen=True)
class Parts:
    """One energy record's fields in Wh (None: not recorded): CodeCarbon's CPU, RAM and GPU, and their total."""

    cpu_wh: float | None
    ram_wh: float | None
    gpu_wh: float
    total_wh: float | None


@dataclass
class EnergyRead:
    """Counted phases read from one file: single readings (Wh of one pass) and repeated ones; beside
    them every field the evidence rules read (``evidence_optimum``): each phase's stated record and
    its repeats' records (``parts``, ``measure_parts``), its efficiency, or why it has none
    (``efficiency_missing``: phase -> what was found), and its latency."""

    single: dict[str, float] = field(default_factory=dict)
    repeated: dict[str, list[float]] = field(default_factory=dict)
    units: set[str] = field(default_factory=set)
    sums_off: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    cpu_ram: list[tuple[float, float]] = field(default_factory=list)
    efficiency: list[Efficiency] = field(default_factory=list)
    latency_s: dict[str, float] = field(default_factory=dict)
    parts: dict[str, Parts] = field(default_factory=dict)
    measure_parts: dict[str, list[Parts]] = field(default_factory=dict)
    efficiency_missing: dict[str, str] = field(default_factory=dict)
    throughput: dict[str, tuple[str, float]] = field(default_factory=dict)  # phase -> (unit, value)
    memory_mb: dict[str, dict[str, float]] = field(default_factory=dict)  # phase -> max_* field -> MB


def unit_factor(unit: object, where: str) -> float:
    if not isinstance(unit, str) or unit not in ENERGY_UNITS_TO_WH:
        raise Refused(
            "Energy units known",
            f"{where} has energy in unknown unit {str(unit)[:20]!r} (known, exactly as written: "
            f"{', '.join(ENERGY_UNITS_TO_WH)}). {UNCHANGED}",
        )
    return ENERGY_UNITS_TO_WH[unit]


def _energy_record(energy: object, where: str, read: EnergyRead) -> float:
    """GPU Wh of one optimum-benchmark energy record; notes a total that is not cpu + ram + gpu."""
    return _record_parts(energy, where, read).gpu_wh


def _record_parts(energy: object, where: str, read: EnergyRead) -> Parts:
    """One optimum-benchmark energy record's fields in Wh; notes a total that is not cpu + ram + gpu."""
    data = obj(energy, where)
    unit = data.get("unit")
    factor = unit_factor(unit, where)
    read.units.add(str(unit))
    if data.get("gpu") is None:
        raise Refused(
            "Counted phases present",
            f"{where} has no GPU energy (found keys: {', '.join(map(str, list(data)[:10])) or 'none'}). "
            "Zip the whole run folder that the benchmark wrote.",
        )
    gpu = number(data.get("gpu"), f"{where} → gpu")
    cpu_ram = {k: number(data[k], f"{where} → {k}") for k in ("cpu", "ram") if data.get(k) is not None}
    parts = [gpu, *cpu_ram.values()]
    if len(cpu_ram) == 2:
        read.cpu_ram.append((cpu_ram["cpu"], cpu_ram["ram"]))
    total: float | None = None
    if data.get("total") is not None:
        total = number(data.get("total"), f"{where} → total")
        if not agree(total, sum(parts)):
            read.sums_off.append(f"{where}: total {total:.6g} is not cpu + ram + gpu = {sum(parts):.6g} {unit}")

    def wh(x: float | None) -> float | None:
        return None if x is None else x * factor

    return Parts(wh(cpu_ram.get("cpu")), wh(cpu_ram.get("ram")), gpu * factor, wh(total))


def report_energy(report: object, name: str) -> EnergyRead:
    """Counted phases of an optimum-benchmark report (``measures``: one reading per repeat)."""
    data = obj(report, name)
    read = EnergyRead()
    seen: dict[str, str] = {}
    for key, body in data.items():
        if key not in REPORT_PHASE_KEYS:
            if isinstance(body, dict) and key not in NOT_COUNTED_PHASE_KEYS and body.get("energy"):
                read.ignored.append(key[:60])
            continue
        if body is None:
            continue
        section = obj(body, f"{name} → {key}")
        phase = REPORT_PHASE_KEYS[key]
        measures = section.get("measures")
        energy = section.get("energy")
        if measures is None and energy is None:
            continue
        if phase in seen:
            raise SubmissionError(
                f"{name} has both {seen[phase]} and {key}, two readings of the {phase} phase. {UNCHANGED}"
            )
        seen[phase] = key
        if measures is not None:
            if not isinstance(measures, list) or not measures:
                raise SubmissionError(f"{name} → {key} → measures must be a non-empty list. {UNCHANGED}")
            if len(measures) > MAX_REPEATS:
                raise SubmissionError(
                    f"{name} → {key} → measures holds {len(measures):,} repeats (at most {MAX_REPEATS:,}). {UNCHANGED}"
                )
            values = []
            read.measure_parts[phase] = []
            for i, m in enumerate(measures):
                where = f"{name} → {key} → measures[{i}]"
                item = obj(m, where)
                parts = _record_parts(item.get("energy") if "unit" not in item else item, where, read)
                read.measure_parts[phase].append(parts)
                values.append(parts.gpu_wh)
            read.repeated[phase] = values
            if energy is not None:
                read.parts[phase] = _record_parts(energy, f"{name} → {key} → energy", read)
                stated = read.parts[phase].gpu_wh
                mean = sum(values) / len(values)
                if not agree(stated, mean):
                    read.sums_off.append(
                        f"{name} → {key}: energy {stated:.6g} Wh is not the mean of its measures ({mean:.6g} Wh)"
                    )
        else:
            read.parts[phase] = _record_parts(energy, f"{name} → {key} → energy", read)
            read.single[phase] = read.parts[phase].gpu_wh
        _efficiency(section, phase, f"{name} → {key}", read)
        _latency(section, phase, f"{name} → {key} → latency", read)
        _throughput_and_memory(section, phase, f"{name} → {key}", read)
    return read


MEMORY_FIELDS = ("max_ram", "max_global_vram", "max_process_vram", "max_reserved", "max_allocated")


def _throughput_and_memory(section: Mapping[str, object], phase: str, where: str, read: EnergyRead) -> None:
    """A phase's ``throughput`` (work per second) and ``memory`` maxima (MB), when recorded."""
    raw = section.get("throughput")
    if raw is not None:
        data = obj(raw, f"{where} → throughput")
        unit, value = data.get("unit"), data.get("value")
        if isinstance(unit, str) and value is not None:
            read.throughput[phase] = (unit[:40], number(value, f"{where} → throughput → value"))
    raw = section.get("memory")
    if raw is not None:
        data = obj(raw, f"{where} → memory")
        if data.get("unit") == "MB":
            read.memory_mb[phase] = {
                k: number(data[k], f"{where} → memory → {k}") for k in MEMORY_FIELDS if data.get(k) is not None
            }


def _efficiency(section: Mapping[str, object], phase: str, where: str, read: EnergyRead) -> None:
    """A phase's ``efficiency`` (work per kWh) with the energy it was computed from, when recorded."""
    raw, energy = section.get("efficiency"), section.get("energy")
    if energy is None:
        return
    if raw is None:
        read.efficiency_missing[phase] = "efficiency is null" if "efficiency" in section else "no efficiency"
        return
    eff, data = obj(raw, f"{where} → efficiency"), obj(energy, f"{where} → energy")
    unit, value = eff.get("unit"), eff.get("value")
    if not isinstance(unit, str) or value is None:
        read.efficiency_missing[phase] = f"efficiency has no unit or value (keys: {', '.join(map(str, list(eff)[:6]))})"
        return
    to_kwh = unit_factor(data.get("unit"), f"{where} → energy") / 1000.0
    total = data.get("total")
    read.efficiency.append(
        Efficiency(
            phase,
            unit[:40],
            number(value, f"{where} → efficiency → value"),
            number(total, f"{where} → energy → total") * to_kwh if total is not None else 0.0,
            number(data.get("gpu"), f"{where} → energy → gpu") * to_kwh,
        )
    )


def _latency(section: Mapping[str, object], phase: str, where: str, read: EnergyRead) -> None:
    """The mean latency of a phase's calls (s), when recorded in seconds."""
    raw = section.get("latency")
    if raw is None:
        return
    data = obj(raw, where)
    values = data.get("values")
    if data.get("unit") == "s" and isinstance(values, list) and 0 < len(values) <= MAX_REPEATS:
        read.latency_s[phase] = sum(number(v, f"{where} → values[{i}]") for i, v in enumerate(values)) / len(values)


def stated_energy(read: EnergyRead) -> dict[str, float]:
    """A report's figure per phase as it states it (repeats averaged, failed ones included), Wh."""
    return {**read.single, **{k: sum(v) / len(v) for k, v in read.repeated.items()}}


def judge_without_config(report_file: tuple[str, object], checks: list[Check]) -> None:
    """A report with no config beside it is refused, but what it states is still judged and shown: its
    figures per measured pass (the number of queries is unknown) and its failed repeats."""
    name, raw = report_file
    try:
        report = report_energy(raw, name)
    except SubmissionError as exc:
        checks.append(Check("Benchmark report readable", "fail", str(exc)))
        return
    if report.sums_off:
        checks.append(Check("Phases add up", "fail", "; ".join(report.sums_off[:6]) + f". {UNCHANGED}"))
    single = sum(report.single.values())
    if len({len(v) for v in report.repeated.values()}) > 1:
        checks.append(Check("Repeats complete", "fail", f"The phases hold different numbers of repeats. {UNCHANGED}"))
    elif report.repeated:
        verdict = judge_repeats(dict(report.repeated), unit="Wh")
        all_wh = sum(verdict.mean_all.values()) + single
        if not verdict.agree:
            checks.append(
                Check(
                    "Repeats complete",
                    "fail",
                    f"The complete repeats disagree: their totals differ by a factor of {verdict.spread:,.3g} (at "
                    f"most {MAX_SPREAD:g} within one run). Rerun the benchmark.",
                )
            )
        elif verdict.failed:
            named = "; ".join(f"measures[{i}]: {why}" for i, why in sorted(verdict.failed.items())[:12])
            good = (
                f"the {len(verdict.good)} complete repeats give {sum(verdict.mean_good.values()) + single:,.2f} Wh per "
                "measured pass"
                if verdict.good
                else "no repeat is complete"
            )
            checks.append(
                Check(
                    "Repeats complete",
                    "warn" if verdict.enough else "fail",
                    f"{len(verdict.failed)} of {verdict.count} repeats failed and would be excluded whole ({named}); "
                    f"{good}, the mean of all {verdict.count} {all_wh:,.2f} Wh. Per 1,000 queries it cannot be told: "
                    "the number of queries is in the missing config.",
                )
            )
        else:
            checks.append(
                Check(
                    "Repeats complete",
                    "pass",
                    f"All {verdict.count} repeats are complete: {all_wh:,.2f} Wh per measured pass (per 1,000 "
                    "queries unknown without the config).",
                )
            )
    elif report.single:
        checks.append(
            Check(
                "Figures read",
                "pass",
                f"{single:,.4g} Wh of GPU energy per measured pass (per 1,000 queries unknown without the config).",
            )
        )
