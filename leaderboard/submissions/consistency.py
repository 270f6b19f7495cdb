"""The rules that hold between a run's files, whatever the layout: "Files agree" (model, task,
number of queries, GPUs and per-phase energies stated the same wherever stated), "Checksums match"
(the SHA-256 the runner recorded against the files read) and "Phases add up" (totals and means that
are the sums and means of their parts), and "NVML cross-check" (this project's own reading of a v2
run's window against CodeCarbon's). The layouts' readers collect what disagrees; these checks judge it.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from leaderboard.hardware import hardware_matches
from leaderboard.runfolder import (
    CHECKSUMS,
    NVML_CROSSCHECK,
)
from leaderboard.runsummary import (
    RunSummary,
)
from leaderboard.submissions.model import Check
from leaderboard.submissions.reading import MAX_GPUS, SAME_NUMBER_REL, agree
from leaderboard.tasks import same_logs
from leaderboard.untrusted import UNCHANGED, number, obj


@dataclass(frozen=True)
class FileFacts:
    """One file's statement of the run's identity, for the cross-file check."""

    source: str
    model: str | None
    task: str | None
    num_queries: int | None
    gpu_names: tuple[str, ...] | None


def disagreements(facts: list[FileFacts]) -> list[str]:
    out: list[str] = []

    def compare(label: str, values: list[tuple[str, Any]], same: Callable[[Any, Any], bool]) -> None:
        present = [(src, v) for src, v in values if v is not None]
        for src, v in present[1:]:
            if not same(present[0][1], v):
                out.append(f"{label}: {present[0][1]!r} in {present[0][0]}, {v!r} in {src}")

    compare("model", [(f.source, f.model) for f in facts], lambda a, b: a == b)
    compare("task", [(f.source, f.task) for f in facts], same_logs)
    compare("queries", [(f.source, f.num_queries) for f in facts], lambda a, b: a == b)
    compare(
        "GPUs",
        [(f.source, f.gpu_names) for f in facts],
        lambda a, b: (
            len(a) == len(b) and all(hardware_matches(x, y) for x, y in zip(sorted(a), sorted(b), strict=True))
        ),
    )
    return out


def compare_energy(a_name: str, a: Mapping[str, float], b_name: str, b: Mapping[str, float], rel: float) -> list[str]:
    if set(a) != set(b):
        return [f"phases: {', '.join(sorted(a)) or 'none'} in {a_name}, {', '.join(sorted(b)) or 'none'} in {b_name}"]
    return [
        f"{phase}: {a[phase]:.6g} Wh in {a_name}, {b[phase]:.6g} Wh in {b_name}"
        for phase in sorted(a)
        if not agree(a[phase], b[phase], rel)
    ]


def consistency_checks(
    disagreements: list[str],
    sums_off: list[str],
    files: Mapping[str, tuple[str, bytes]],
    names: list[str],
    checks: list[Check],
    *,
    summary_name: str = "",
    summary: RunSummary | None = None,
) -> None:
    """The checks every layout's reading ends with, in order: "Files agree" (``disagreements``: what
    two files state differently), "Checksums match", "Phases add up" (``sums_off``: totals and means
    that are not the sums and means of their parts)."""
    if disagreements:
        checks.append(
            Check(
                "Files agree",
                "fail",
                "; ".join(disagreements[:6]) + ". The files are not from one run: upload the run folder unchanged.",
            )
        )
    else:
        checks.append(Check("Files agree", "pass", f"The {len(files)} files read state the same run."))
    checksums_check(files, names, summary_name, summary, checks)
    if sums_off:
        checks.append(Check("Phases add up", "fail", "; ".join(sums_off[:6]) + f". {UNCHANGED}"))
    else:
        checks.append(Check("Phases add up", "pass", "Every stated total is the sum of its parts."))


_SUM_LINE = re.compile(r"^([0-9a-f]{64}) [ *](\S.*)$")
# No run folder holds more files than this: a longer list of checksums is not a runner's. Each file is
# hashed once however often the lists name it, so the check is linear in the upload.
MAX_CHECKSUM_ENTRIES = 200


def checksums_check(
    files: Mapping[str, tuple[str, bytes]],
    names: list[str],
    summary_name: str,
    summary: RunSummary | None,
    checks: list[Check],
) -> None:
    """The SHA-256 the runner recorded (summary's files_sha256, SHA256SUMS) against the files read."""
    recorded: list[tuple[str, str, str]] = []  # (where, file name, sha256)
    if summary is not None:
        recorded += [(f"{summary_name} → files_sha256", n, h) for n, h in summary.files_sha256.items()]
    problems: list[str] = []
    if CHECKSUMS in files:
        member, body = files[CHECKSUMS]
        try:
            lines = [ln for ln in body.decode("utf-8-sig").splitlines() if ln.strip()]  # a BOM: Windows editors
        except UnicodeDecodeError:
            lines, problems = [], [f"{member} is not UTF-8 text"]
        if len(lines) > MAX_CHECKSUM_ENTRIES:
            problems.append(
                f"{member} lists {len(lines):,} files, more than a run folder holds ({MAX_CHECKSUM_ENTRIES})"
            )
        for i, line in enumerate(lines[:MAX_CHECKSUM_ENTRIES]):
            m = _SUM_LINE.match(line)
            if m is None:
                problems.append(f"{member} line {i + 1} is not '<sha256>  <file>'")
            else:
                recorded.append((member, m.group(2), m.group(1)))
    if not recorded and not problems:
        return
    if len(recorded) > 2 * MAX_CHECKSUM_ENTRIES:
        problems.append(f"the runner's checksums name {len(recorded):,} files, more than a run folder holds")
        recorded = recorded[: 2 * MAX_CHECKSUM_ENTRIES]
    basenames = {posixpath.basename(n) for n in names}
    digests: dict[str, str] = {}  # basename -> SHA-256, each file hashed once
    checked = 0
    for where, file_name, sha in recorded:
        base = posixpath.basename(file_name)
        if base in files:
            checked += 1
            if base not in digests:
                digests[base] = hashlib.sha256(files[base][1]).hexdigest()
            if digests[base] != sha.lower():
                problems.append(
                    f"{base} is not the file {where} vouches for (SHA-256 differs): it was changed after the run"
                )
        elif base not in basenames:
            problems.append(f"{where} lists {base[:80]!r}, which is not in the zip")
    if problems:
        checks.append(Check("Checksums match", "fail", "; ".join(problems[:6]) + ". Upload the run folder unchanged."))
    else:
        checks.append(Check("Checksums match", "pass", f"{checked} file(s) match the SHA-256 the runner recorded."))


# Our NVML reading of the same window may differ from CodeCarbon's by the counter's ~100 ms updates.
CROSSCHECK_REL = 0.02


def nvml_crosscheck(loaded: Mapping[str, tuple[str, object]], gpu_wh: float, checks: list[Check]) -> list[str]:
    """ "NVML cross-check": this project's NVML reading of a v2 run's window (``--harness aies-v2``,
    ``nvml_crosscheck.json``) against CodeCarbon's; returns what the two files state differently."""
    if NVML_CROSSCHECK not in loaded:
        return []
    member, raw = loaded[NVML_CROSSCHECK]
    data = obj(raw, member)
    official = number(data.get("official_gpu_energy_wh"), f"{member} → official_gpu_energy_wh")
    ours = number(data.get("nvml_gpu_energy_wh"), f"{member} → nvml_gpu_energy_wh")
    per_gpu = data.get("nvml_per_gpu_wh")
    problems = []
    if not agree(official, gpu_wh, SAME_NUMBER_REL):
        problems.append(f"total: {gpu_wh:.6g} Wh in the report, {official:.6g} Wh in {member}")
    if isinstance(per_gpu, list) and per_gpu:
        values = [number(v, f"{member} → nvml_per_gpu_wh[{i}]") for i, v in enumerate(per_gpu[:MAX_GPUS])]
        if not agree(sum(values), ours):
            problems.append(f"{member}: nvml_per_gpu_wh does not add up to nvml_gpu_energy_wh")
    if data.get("meter") == "fake":
        checks.append(
            Check(
                "NVML cross-check", "warn", "The runner's fake meter (a CPU test run) read the window: no cross-check."
            )
        )
    elif gpu_wh > 0 and abs(ours - gpu_wh) <= CROSSCHECK_REL * gpu_wh:
        checks.append(
            Check(
                "NVML cross-check",
                "pass",
                f"NVML read {ours:.4g} Wh over the same window, CodeCarbon {gpu_wh:.4g} Wh: the two records agree "
                "(the uploader's runner wrote this file: it corroborates the other records, it proves nothing alone).",
            )
        )
    else:
        checks.append(
            Check(
                "NVML cross-check",
                "warn",
                f"NVML read {ours:.4g} Wh over the same window, CodeCarbon {gpu_wh:.4g} Wh: more than "
                f"{CROSSCHECK_REL:.0%} apart. Reviewers will ask why.",
            )
        )
    return problems
