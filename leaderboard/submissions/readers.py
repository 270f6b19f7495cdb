"""The registry of log layouts: which reader reads a zip's files into the typed parsed run.

Each reader says whether a set of files is its layout and reads it (``Logs``: the parsed run, how
it was set up, its pipeline), adding the checks the reading decides. The first reader whose test
matches reads the files; optimum-benchmark's layouts, the Docker summary and this project's runner
(``layouts.read_optimum``) read whatever no other reader claims. Adding a layout is one module and
one line in ``READERS``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from leaderboard.submissions.archive import Archive, load_json
from leaderboard.submissions.layout_v2 import is_v2, read_v2
from leaderboard.submissions.layouts import Logs, parsed_files, read_optimum
from leaderboard.submissions.model import Check

Files = Mapping[str, tuple[str, bytes]]
Loaded = Mapping[str, tuple[str, object]]


@dataclass(frozen=True)
class Reader:
    """One layout: its name, whether the parsed files are its layout, and how to read them."""

    name: str
    matches: Callable[[Loaded], bool]
    read: Callable[[Archive, Files, Loaded, list[Check]], Logs]


READERS: list[Reader] = [Reader("AIEnergyScore v2 runner", is_v2, read_v2)]
FALLBACK = Reader("optimum-benchmark, Docker summary, this project's runner", lambda _: True, read_optimum)


def parse_logs(archive: Archive, checks: list[Check], readers: list[Reader] | None = None) -> Logs:
    """Read the zip's parsed files with the first reader that claims them."""
    files = parsed_files(archive)
    loaded = {b: (m, load_json(m, body)) for b, (m, body) in files.items() if b.endswith(".json")}
    for reader in [*(READERS if readers is None else readers), FALLBACK]:
        if reader.matches(loaded):
            return reader.read(archive, files, loaded, checks)
    raise AssertionError("the fallback reader matches everything")
