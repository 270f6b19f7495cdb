"""Submissions: zipped benchmark logs in, a validated result (or a report of every failed check) out.

Pure and UI-free: ``check_zip(zip_bytes)`` returns a ``Report``. The package's modules:

    archive    reading an upload in memory within named limits (``MAX_ZIP_BYTES`` …)
    readers    the registry of accepted layouts; each reads a zip's files -> ``ParsedRun``:
               layout_optimum (optimum_config, optimum_report, layout_runner, layout_docker), layout_v2
    reading    what every reader shares (``Reader``, ``Logs``, ``Refused``, repeats judged)
    consistency  the rules between files: files agree, checksums match, phases add up
    checks     the named checks and ``check_zip``
    model      the records: ``Check``, ``Phase``, ``ParsedRun``, ``Report``, ``Claim``
    record     the stored submission: ``Form``, ``SubmissionRecord``, the attestations
    workflow   submit, accept, reject (uses ``store``)
    store      the append-only local store (``store_files``: its file operations)
    publish    pushing accepted results to the Hub dataset
"""

from leaderboard.errors import SubmissionError
from leaderboard.hardware import hardware_matches
from leaderboard.submissions.archive import MAX_ZIP_BYTES
from leaderboard.submissions.checks import check_zip
from leaderboard.submissions.model import Check, Claim, ParsedRun, Phase, Report
from leaderboard.submissions.record import ATTESTATIONS, Form, SubmissionRecord

__all__ = [
    "ATTESTATIONS",
    "MAX_ZIP_BYTES",
    "Check",
    "Claim",
    "Form",
    "ParsedRun",
    "Phase",
    "Report",
    "SubmissionError",
    "SubmissionRecord",
    "check_zip",
    "hardware_matches",
]
