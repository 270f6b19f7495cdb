"""Reading an uploaded zip in memory, never extracting it, within named limits.

    MAX_ZIP_BYTES           50 MB uploaded
    MAX_MEMBERS             2,000 members
    MAX_UNCOMPRESSED_BYTES  200 MB in all, counted from what is actually read
    MAX_RATIO               100: a member may not inflate more than 100x (zip bombs)
    MAX_JSON_BYTES          20 MB for one JSON file that is parsed

Rejected outright, with a message naming the member: absolute paths, ``..``, symlinks, encrypted
members, nested zips, names that are not UTF-8, invalid or truncated JSON, NaN or infinite numbers.
"""

from __future__ import annotations

import io
import json
import posixpath
import stat
import zipfile
from dataclasses import dataclass, field
from typing import NoReturn

from leaderboard.errors import SubmissionError
from leaderboard.runfolder import PARSED_FILES

MAX_ZIP_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 2_000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_JSON_BYTES = 20 * 1024 * 1024


@dataclass
class Archive:
    """What was read from an upload: the parsed files' bytes by path, and every member name."""

    members: dict[str, bytes] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)


def read_zip(data: bytes) -> Archive:
    """Read the zip in memory within the limits; raise ``SubmissionError`` naming the problem."""
    if len(data) > MAX_ZIP_BYTES:
        raise SubmissionError(
            f"The upload is {len(data) / 1e6:.1f} MB; the limit is {MAX_ZIP_BYTES // (1024 * 1024)} MB. "
            "Zip only the run folder the benchmark wrote (logs and JSON reports)."
        )
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise SubmissionError(
            f"The upload is not a readable zip file ({exc}). Zip the run folder again and upload that."
        ) from None
    if len(infos) > MAX_MEMBERS:
        raise SubmissionError(f"The zip has {len(infos)} members; the limit is {MAX_MEMBERS}. Zip only the run folder.")
    out = Archive()
    total = 0
    for info in infos:
        name = info.filename
        if not info.flag_bits & 0x800 and any(ord(ch) > 127 for ch in name):
            raise SubmissionError(
                f"Member name {name.encode('cp437', 'replace')!r} is not UTF-8. "
                "Rename the file with plain characters and zip again."
            )
        if info.flag_bits & 0x1:
            raise SubmissionError(f"Member {name!r} is encrypted. Upload a zip without a password.")
        if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or "\\" in name:
            raise SubmissionError(
                f"Member {name!r} has an absolute or Windows path. Zip the folder with relative paths."
            )
        if ".." in name.split("/"):
            raise SubmissionError(f"Member {name!r} points outside the zip ('..'). Zip the folder with relative paths.")
        mode = info.external_attr >> 16
        if info.create_system == 3 and stat.S_ISLNK(mode):
            raise SubmissionError(f"Member {name!r} is a symbolic link. Zip the files themselves, not links to them.")
        if name.endswith("/"):
            continue
        if name.lower().endswith((".zip", ".jar", ".whl")):
            raise SubmissionError(
                f"Member {name!r} is a nested archive. Upload one zip of the run folder, not zips inside it."
            )
        if (
            info.compress_size
            and info.file_size / max(info.compress_size, 1) > MAX_RATIO
            and info.file_size > 1_000_000
        ):
            raise SubmissionError(
                f"Member {name!r} inflates {info.file_size / info.compress_size:.0f}x (limit {MAX_RATIO}x): "
                "this looks like a zip bomb. Upload the real run folder."
            )
        total += info.file_size
        if total > MAX_UNCOMPRESSED_BYTES:
            raise SubmissionError(
                f"The zip expands to more than {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB. "
                "Leave model weights and datasets out: zip only logs and reports."
            )
        out.names.append(name)
        base = posixpath.basename(name)
        if base in PARSED_FILES:
            out.members[name] = _read_member(zf, info)
        else:
            _check_member_head(zf, info)
    return out


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Read at most the declared size (+1 to catch a lying header), never more than the limits."""
    limit = min(info.file_size, MAX_JSON_BYTES)
    if info.file_size > MAX_JSON_BYTES:
        raise SubmissionError(
            f"{info.filename} is {info.file_size / 1e6:.0f} MB; a report over "
            f"{MAX_JSON_BYTES // (1024 * 1024)} MB is not a benchmark report."
        )
    try:
        with zf.open(info) as fh:
            data = fh.read(limit + 1)
    except (zipfile.BadZipFile, RuntimeError, OSError, EOFError) as exc:
        raise SubmissionError(
            f"{info.filename} cannot be read from the zip ({exc}). Zip the run folder again."
        ) from None
    if len(data) > info.file_size:
        raise SubmissionError(f"{info.filename} holds more data than its header says: the zip is corrupt or crafted.")
    if data[:4] == b"PK\x03\x04":
        raise SubmissionError(f"{info.filename} is a zip inside the zip. Upload one zip of the run folder.")
    return data


def _check_member_head(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Peek at a member that is not parsed: refuse archives hidden under another name."""
    if info.file_size < 4:
        return
    try:
        with zf.open(info) as fh:
            head = fh.read(4)
    except (zipfile.BadZipFile, RuntimeError, OSError, EOFError) as exc:
        raise SubmissionError(
            f"{info.filename} cannot be read from the zip ({exc}). Zip the run folder again."
        ) from None
    if head == b"PK\x03\x04":
        raise SubmissionError(f"{info.filename} is a zip inside the zip. Upload one zip of the run folder.")


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number JSON allows")


def load_json(name: str, data: bytes) -> object:
    """Parse a member's bytes as strict JSON (UTF-8, no NaN/Infinity), or ``SubmissionError``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SubmissionError(f"{name} is not UTF-8 text. Upload the file the benchmark wrote, unchanged.") from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        kind = "truncated" if exc.pos >= len(text.rstrip()) else "invalid"
        raise SubmissionError(
            f"{name} is {kind} JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). "
            "Upload the file the benchmark wrote, unchanged."
        ) from None
    except ValueError as exc:
        raise SubmissionError(
            f"{name} contains NaN or Infinity ({exc}). A finished run writes finite numbers; rerun the benchmark."
        ) from None
