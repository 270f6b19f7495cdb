"""The registry of log layouts: which reader reads a zip's files into the typed parsed run.

Each reader (``reading.Reader``) says whether a set of files is its layout and reads it (``Logs``:
the parsed run, how it was set up, its pipeline), adding the checks the reading decides. The first
reader whose test matches reads the files; the optimum-benchmark family's reader (optimum-benchmark's
layouts, the Docker summary and this project's runner: ``layout_optimum``) reads whatever no other
reader claims. Adding a layout is one module that defines its ``READER`` and one line in ``READERS``.
"""

from __future__ import annotations

import posixpath

from leaderboard.errors import SubmissionError
from leaderboard.runfolder import PARSED_FILES, run_folder_of
from leaderboard.submissions import layout_optimum, layout_v2
from leaderboard.submissions.archive import Archive
from leaderboard.submissions.model import Check
from leaderboard.submissions.reading import Files, Loaded, Logs, Reader
from leaderboard.untrusted import load_json

__all__ = ["FALLBACK", "READERS", "Files", "Loaded", "Reader", "parse_logs", "parsed_files", "parsed_names"]

READERS: list[Reader] = [
    layout_v2.READER,
]
FALLBACK = layout_optimum.READER


def parsed_names() -> tuple[str, ...]:
    """The file names a zip's reading reads whole: the run folder's and every registered layout's."""
    extra = [f for reader in [*READERS, FALLBACK] for f in reader.files if f not in PARSED_FILES]
    return (*PARSED_FILES, *dict.fromkeys(extra))


def parsed_files(archive: Archive) -> dict[str, tuple[str, bytes]]:
    """basename -> (member name, bytes) of the parsed files, all from one run folder."""
    found: dict[str, tuple[str, bytes]] = {}
    for member, body in archive.members.items():
        base = posixpath.basename(member)
        if base in found:
            raise SubmissionError(
                f"The zip holds two files named {base} ({found[base][0]}, {member}): "
                "upload one run folder per submission."
            )
        found[base] = (member, body)
    folders = {run_folder_of(m) for m, _ in found.values()}
    if len(folders) > 1:
        raise SubmissionError(
            f"The benchmark's files are in {len(folders)} folders ({', '.join(sorted(f or '.' for f in folders))}): "
            "upload one run folder per submission."
        )
    return found


def parse_logs(archive: Archive, checks: list[Check], readers: list[Reader] | None = None) -> Logs:
    """Read the zip's parsed files with the first reader that claims them."""
    files: Files = parsed_files(archive)
    loaded: Loaded = {b: (m, load_json(m, body)) for b, (m, body) in files.items() if b.endswith(".json")}
    for reader in [*(READERS if readers is None else readers), FALLBACK]:
        if reader.matches(loaded):
            return reader.read(archive, files, loaded, checks)
    raise AssertionError("the fallback reader matches everything")
