"""Reading an uploaded zip in memory, never extracting it, with one reading only and named limits.

The zip format is read here, not by ``zipfile``: ``zipfile`` is lenient (it skips data before the
archive, takes the last of two members with one name, trusts the central directory's count, and
builds the whole member list before any limit can be checked), and every leniency is a second way
to read the same upload. This reader accepts exactly one layout, so that what a reviewer unzips is
what was checked:

* The end-of-central-directory record is the last 22 bytes plus its comment, and is read first:
  the member count, the directory's size and offset are checked against the limits and against
  each other before any member is looked at. ZIP64, split archives and a second end record are
  refused.
* Members, their local headers and the central directory cover the upload byte for byte: no data
  before the first member, between members, or after the end record; no two members overlapping
  (the overlapping-member zip bomb). The local header repeats the central one (name, method,
  flags, sizes and CRC, or a data descriptor that does).
* Names are UTF-8 (flagged) or ASCII, relative, without ``..``, ``.``, empty parts, drive letters,
  control, format (bidi, zero-width) or separator characters, and unique after Unicode NFKC
  normalization and case folding. A backslash is read as a separator (Windows PowerShell's
  ``Compress-Archive`` writes ``run\\benchmark_report.json``) before those rules apply. Links,
  devices, encrypted members and members compressed with anything but stored or deflate are refused.
* A parsed member (``read_zip``'s ``parsed``: ``leaderboard.runfolder.PARSED_FILES`` and the
  registered layouts' own files, ``readers.parsed_names``) is inflated within its declared size,
  must end its deflate stream exactly and match its CRC-32. Other members are not inflated beyond
  their first bytes (a nested archive is refused); a crashed run's ``*.log`` is read for its error.

Named limits, checked before the work they bound:

    MAX_ZIP_BYTES           50 MB uploaded
    MAX_MEMBERS             2,000 members (read from the end record: a larger directory is never parsed)
    MAX_UNCOMPRESSED_BYTES  200 MB declared in all
    MAX_RATIO               100: a member over 1 MB may not declare more than 100x its compressed size
    MAX_NAME_CHARS          300 characters in a member name
    MAX_JSON_BYTES          2 MB for one parsed file; MAX_JSON_TOTAL_BYTES 4 MB for all of them
    MAX_JSON_DEPTH          64 nested arrays or objects
    MAX_JSON_VALUES         200,000 values in one file
    MAX_NUMBER_CHARS        40 characters in one number (a 400-digit integer is refused, 1e400 too)
    MAX_LOG_BYTES           256 kB read from the end of a log
    MAX_CSV_ROWS            1,000 rows in one parsed CSV file; MAX_CSV_COLUMNS 300 columns

The parsed members' JSON and CSV are read by ``leaderboard.untrusted`` (``load_json``, ``load_csv``),
whose limits (depth, values, number length, CSV rows and columns) are listed above.
"""

from __future__ import annotations

import posixpath
import re
import stat
import struct
import unicodedata
import zlib
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import NoReturn

from leaderboard.errors import SubmissionError
from leaderboard.runfolder import LOG_SUFFIX, PARSED_FILES

MAX_ZIP_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 2_000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_MIN_BYTES = 1_000_000  # small members may compress better than MAX_RATIO (a file of zeros)
MAX_NAME_CHARS = 300
MAX_JSON_BYTES = 2 * 1024 * 1024
MAX_JSON_TOTAL_BYTES = 4 * 1024 * 1024
MAX_LOG_BYTES = 256 * 1024
MAX_LOGS_READ = 5
PEEK_INPUT_BYTES = 64 * 1024  # compressed bytes fed to read a member's first bytes
MAX_EXTRACT_VERSION = 45  # zip 4.5: what standard tools write at most without ZIP64 or encryption
MAX_LOG_SCAN_BYTES = 16 * 1024 * 1024  # a log is inflated at most this far

_EOCD = struct.Struct("<4s4H2IH")  # signature, disk, cd disk, entries on disk, entries, cd size, cd offset, comment
_CDH = struct.Struct("<4s4B4H3I5H2I")  # central directory header (46 bytes)
_LFH = struct.Struct("<4s5H3I2H")  # local file header (30 bytes)
_EOCD_SIG, _CDH_SIG, _LFH_SIG, _DD_SIG = b"PK\x05\x06", b"PK\x01\x02", b"PK\x03\x04", b"PK\x07\x08"
_ZIP64_LOCATOR_SIG = b"PK\x06\x07"
_STORED, _DEFLATED = 0, 8
_FLAG_ENCRYPTED, _FLAG_DESCRIPTOR, _FLAG_UTF8, _FLAG_STRONG = 0x1, 0x8, 0x800, 0x40
_ALLOWED_FLAGS = 0x2 | 0x4 | _FLAG_DESCRIPTOR | _FLAG_UTF8  # deflate level bits, data descriptor, UTF-8 name
_EXTRA_ZIP64, _EXTRA_UNICODE_PATH = 0x0001, 0x7075
_ARCHIVE_SUFFIXES = (".zip", ".jar", ".whl", ".tar", ".tgz", ".gz", ".bz2", ".xz", ".zst", ".7z", ".rar")
_ARCHIVE_HEADS = (_LFH_SIG, b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"BZh", b"\xfd7zXZ", b"(\xb5/\xfd")
_AGAIN = "Zip the run folder again with a standard zip tool and upload that file unchanged."


@dataclass(frozen=True)
class Member:
    """One member as the central directory and its local header describe it."""

    name: str
    method: int
    flags: int
    crc: int
    compressed_size: int
    size: int
    header_offset: int
    data_offset: int = 0

    @property
    def is_dir(self) -> bool:
        return self.name.endswith("/")


@dataclass
class Archive:
    """What was read from an upload: every member name, and the bytes of the parsed files."""

    data: bytes = b""
    members: dict[str, bytes] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    entries: dict[str, Member] = field(default_factory=dict)

    def log_tail(self, name: str) -> str:
        """The last ``MAX_LOG_BYTES`` of a member's first ``MAX_LOG_SCAN_BYTES``, as text (for a crashed
        run's error), or ''."""
        member = self.entries.get(name)
        if member is None or member.is_dir:
            return ""
        return _tail(self.data, member, MAX_LOG_BYTES, MAX_LOG_SCAN_BYTES).decode("utf-8", "replace")


def _fail(message: str) -> NoReturn:
    raise SubmissionError(message)


def read_zip(data: bytes, parsed: Collection[str] = PARSED_FILES) -> Archive:
    """Read the zip in memory within the limits; raise ``SubmissionError`` naming the problem.
    ``parsed``: the file names read whole (the registered layouts' files: ``readers.parsed_names``)."""
    if len(data) > MAX_ZIP_BYTES:
        _fail(
            f"The upload is {len(data) / 1e6:.1f} MB; the limit is {MAX_ZIP_BYTES // (1024 * 1024)} MB. "
            "Zip only the run folder the benchmark wrote (logs and JSON reports)."
        )
    eocd_at, count, cd_size, cd_offset = _end_record(data)
    members = _central_directory(data, count, cd_offset, cd_size)
    _check_coverage(data, members, cd_offset)
    out = Archive(data=data)
    parsed_total = 0
    for member in members:
        out.names.append(member.name)
        out.entries[member.name] = member
        if member.is_dir:
            continue
        if posixpath.basename(member.name) in parsed:
            if member.size > MAX_JSON_BYTES:
                _fail(
                    f"{member.name} is {member.size / 1e6:.1f} MB; a report over "
                    f"{MAX_JSON_BYTES // (1024 * 1024)} MB is not a benchmark report. Upload the run folder's own files."
                )
            parsed_total += member.size
            if parsed_total > MAX_JSON_TOTAL_BYTES:
                _fail(
                    f"The reports and configs add up to more than {MAX_JSON_TOTAL_BYTES // (1024 * 1024)} MB: "
                    "these are not a benchmark's files. Upload the run folder's own files."
                )
            body = _inflate(data, member, member.size, check=True)
            if body.startswith(_ARCHIVE_HEADS):
                _fail(f"{member.name} is an archive inside the zip. Upload one zip of the run folder.")
            out.members[member.name] = body
        else:
            head = _inflate(data, member, 8, check=False) if member.size else b""
            if head.startswith(_ARCHIVE_HEADS):
                _fail(f"{member.name} is an archive inside the zip. Upload one zip of the run folder.")
    return out


def _end_record(data: bytes) -> tuple[int, int, int, int]:
    """Find and check the one end-of-central-directory record; returns (offset, count, cd size, cd offset)."""
    if not data.startswith(_LFH_SIG) and not data.startswith(_EOCD_SIG):
        if _EOCD_SIG in data[-(_EOCD.size + 65_535) :]:
            _fail(f"The upload has data before the zip archive (it starts with {data[:4]!r}). {_AGAIN}")
        _fail(f"The upload is not a zip file. {_AGAIN}")
    window_start = max(0, len(data) - _EOCD.size - 65_535)
    aligned: list[int] = []
    at = len(data)
    while (at := data.rfind(_EOCD_SIG, window_start, at)) >= 0:
        if at + _EOCD.size <= len(data):
            comment_len = _EOCD.unpack_from(data, at)[7]
            if at + _EOCD.size + comment_len == len(data):
                aligned.append(at)
    if not aligned:
        if data.rfind(_EOCD_SIG, window_start) >= 0:
            _fail(f"The upload has data after the zip archive's end record. {_AGAIN}")
        _fail(f"The upload is not a complete zip file (no end record: truncated?). {_AGAIN}")
    if len(aligned) > 1:
        _fail(f"The upload holds {len(aligned)} zip end records, so it can be read in two ways. {_AGAIN}")
    eocd_at = aligned[0]
    _, disk, cd_disk, on_disk, count, cd_size, cd_offset, _ = _EOCD.unpack_from(data, eocd_at)
    if eocd_at >= 20 and data[eocd_at - 20 : eocd_at - 16] == _ZIP64_LOCATOR_SIG or 0xFFFF in (count, on_disk):
        _fail(f"The zip is in ZIP64 format, which a folder of logs never needs. {_AGAIN}")
    if disk or cd_disk or on_disk != count:
        _fail(f"The zip is split over several disks. {_AGAIN}")
    if count > MAX_MEMBERS:
        _fail(f"The zip has {count} members; the limit is {MAX_MEMBERS}. Zip only the run folder.")
    if count == 0:
        _fail("The zip is empty. Zip the run folder that the benchmark wrote.")
    if cd_offset + cd_size != eocd_at:
        where = "before the archive" if cd_offset + cd_size < eocd_at else "that overlaps its end record"
        _fail(f"The zip's central directory does not end where its end record starts (data {where}). {_AGAIN}")
    return eocd_at, count, cd_size, cd_offset


def _central_directory(data: bytes, count: int, cd_offset: int, cd_size: int) -> list[Member]:
    members: list[Member] = []
    seen: dict[str, str] = {}
    total = 0
    pos, end = cd_offset, cd_offset + cd_size
    for _ in range(count):
        if pos + _CDH.size > end or data[pos : pos + 4] != _CDH_SIG:
            _fail(f"The zip's central directory is damaged or holds fewer than {count} members. {_AGAIN}")
        (
            _,
            _,
            system,
            needs,
            _,
            flags,
            method,
            _,
            _,
            crc,
            csize,
            usize,
            nlen,
            elen,
            clen,
            disk,
            _,
            ext_attr,
            offset,
        ) = _CDH.unpack_from(data, pos)
        raw_name = data[pos + _CDH.size : pos + _CDH.size + nlen]
        extra = data[pos + _CDH.size + nlen : pos + _CDH.size + nlen + elen]
        pos += _CDH.size + nlen + elen + clen
        if pos > end or len(raw_name) != nlen:
            _fail(f"The zip's central directory is damaged. {_AGAIN}")
        name = _member_name(raw_name, flags)
        if needs > MAX_EXTRACT_VERSION:
            _fail(
                f"Member {name!r} needs zip version {needs / 10:.1f} to be read; a folder of logs needs 2.0. {_AGAIN}"
            )
        if flags & (_FLAG_ENCRYPTED | _FLAG_STRONG) or method == 99:
            _fail(f"Member {name!r} is encrypted. Upload a zip without a password.")
        if flags & ~_ALLOWED_FLAGS:
            _fail(f"Member {name!r} uses zip features a folder of logs never needs (flags {flags:#06x}). {_AGAIN}")
        if method not in (_STORED, _DEFLATED):
            _fail(f"Member {name!r} is compressed with method {method}; only stored and deflate are read. {_AGAIN}")
        _check_extra(extra, name)
        mode = ext_attr >> 16
        if system == 3 and stat.S_ISLNK(mode):
            _fail(f"Member {name!r} is a symbolic link. Zip the files themselves, not links to them.")
        if system == 3 and stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
            _fail(f"Member {name!r} is not a regular file (a device, pipe or socket). Zip only files.")
        if disk != 0:
            _fail(f"Member {name!r} lives on another disk of a split zip. {_AGAIN}")
        if name.endswith("/") and (usize or csize > 2):
            _fail(f"Member {name!r} is a folder that holds data. {_AGAIN}")
        if name.lower().endswith(_ARCHIVE_SUFFIXES):
            _fail(f"Member {name!r} is a nested archive. Upload one zip of the run folder, not archives inside it.")
        if method == _STORED and csize != usize:
            _fail(f"Member {name!r} is stored uncompressed but its two sizes differ: the zip is corrupt or crafted.")
        if usize > RATIO_MIN_BYTES and usize > MAX_RATIO * csize:
            _fail(
                f"Member {name!r} inflates {usize / max(csize, 1):.0f}x (limit {MAX_RATIO}x): "
                "this looks like a zip bomb. Upload the real run folder."
            )
        total += usize
        if total > MAX_UNCOMPRESSED_BYTES:
            _fail(
                f"The zip expands to more than {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB. "
                "Leave model weights and datasets out: zip only logs and reports."
            )
        key = _name_key(name)
        if key in seen:
            other = seen[key]
            same = "twice" if other == name else f"twice ({other!r} and {name!r} are the same name to a file system)"
            _fail(f"The zip holds {name!r} {same}: one reading would hide the other. {_AGAIN}")
        seen[key] = name
        members.append(Member(name, method, flags, crc, csize, usize, offset))
    if pos != end:
        _fail(f"The zip's central directory holds more than the {count} members its end record counts. {_AGAIN}")
    files = {key: name for key, name in seen.items() if not key.endswith("/")}
    for key, name in seen.items():
        if key.endswith("/") and key[:-1] in files:
            _fail(f"{files[key[:-1]]!r} is a file and also a folder in the zip. {_AGAIN}")
        parent = posixpath.dirname(key.rstrip("/"))
        while parent:
            if parent in files:
                _fail(f"{files[parent]!r} is a file and also the folder of {name!r}. {_AGAIN}")
            parent = posixpath.dirname(parent)
    return members


def _member_name(raw: bytes, flags: int) -> str:
    if flags & _FLAG_UTF8:
        try:
            name = raw.decode("utf-8")
        except UnicodeDecodeError:
            _fail(f"Member name {raw[:80]!r} is flagged UTF-8 but is not. Rename the file and zip again.")
    elif raw.isascii():
        name = raw.decode("ascii")
    else:
        _fail(
            f"Member name {raw.decode('cp437', 'replace')[:80]!r} is not UTF-8. "
            "Rename the file with plain characters and zip again."
        )
    shown = ascii(name[:80])
    if len(name) > MAX_NAME_CHARS:
        _fail(
            f"Member name {shown}… is longer than {MAX_NAME_CHARS} characters. Zip the run folder with its own names."
        )
    for ch in name:
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            _fail(
                f"Member name {shown} holds the invisible or control character U+{ord(ch):04X} "
                f"({unicodedata.name(ch, 'unnamed')}). Rename the file with plain characters and zip again."
            )
    name = name.replace("\\", "/")  # Windows PowerShell's Compress-Archive separates with backslashes
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        _fail(f"Member {shown} has an absolute or Windows path. Zip the folder with relative paths.")
    parts = name.rstrip("/").split("/") if name.endswith("/") else name.split("/")
    if ".." in parts:
        _fail(f"Member {shown} points outside the zip ('..'). Zip the folder with relative paths.")
    if any(p in ("", ".") for p in parts):
        _fail(f"Member {shown} has an empty or '.' part in its path. Zip the folder with plain relative paths.")
    return name


def _name_key(name: str) -> str:
    """Names that a file system may treat as one: NFKC-normalized, case-folded, without trailing dots
    or spaces in a part (Windows drops them)."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    trail = "/" if folded.endswith("/") else ""
    return "/".join(part.rstrip(". ") for part in folded.rstrip("/").split("/")) + trail


def _check_extra(extra: bytes, name: str) -> None:
    pos = 0
    while pos + 4 <= len(extra):
        tag, size = struct.unpack_from("<2H", extra, pos)
        if tag == _EXTRA_ZIP64:
            _fail(f"Member {name!r} uses ZIP64 sizes, which a folder of logs never needs. {_AGAIN}")
        if tag == _EXTRA_UNICODE_PATH:
            _fail(f"Member {name!r} carries a second name (Info-ZIP Unicode path). {_AGAIN}")
        pos += 4 + size
    if pos != len(extra):
        _fail(f"Member {name!r} has a damaged extra field. {_AGAIN}")


def _check_coverage(data: bytes, members: list[Member], cd_offset: int) -> None:
    """Every byte before the central directory belongs to exactly one member, in order."""
    expected = 0
    for i, member in sorted(enumerate(members), key=lambda im: im[1].header_offset):
        if member.header_offset != expected:
            what = "data before the first member" if expected == 0 else "members that overlap or a gap between them"
            _fail(f"The zip has {what} (at byte {min(expected, member.header_offset):,}). {_AGAIN}")
        if member.header_offset + _LFH.size > cd_offset or data[member.header_offset : member.header_offset + 4] != (
            _LFH_SIG
        ):
            _fail(f"Member {member.name!r} has no local header where the directory says. {_AGAIN}")
        _, _, flags, method, _, _, crc, csize, usize, nlen, elen = _LFH.unpack_from(data, member.header_offset)
        name_at = member.header_offset + _LFH.size
        if data[name_at : name_at + nlen].replace(b"\\", b"/") != member.name.encode("utf-8"):
            _fail(f"Member {member.name!r} has another name in its local header. {_AGAIN}")
        _check_extra(data[name_at + nlen : name_at + nlen + elen], member.name)
        if method != member.method or (flags ^ member.flags) & (_FLAG_ENCRYPTED | _FLAG_DESCRIPTOR | _FLAG_UTF8):
            _fail(f"Member {member.name!r} has a local header that disagrees with the directory. {_AGAIN}")
        descriptor = bool(member.flags & _FLAG_DESCRIPTOR)
        if not descriptor and (crc, csize, usize) != (member.crc, member.compressed_size, member.size):
            _fail(f"Member {member.name!r} has sizes or a CRC in its local header that disagree with the directory.")
        data_at = name_at + nlen + elen
        end = data_at + member.compressed_size
        if descriptor:
            end = _descriptor_end(data, end, member)
        if end > cd_offset:
            _fail(f"Member {member.name!r} runs into the central directory. {_AGAIN}")
        members[i] = Member(
            member.name,
            member.method,
            member.flags,
            member.crc,
            member.compressed_size,
            member.size,
            member.header_offset,
            data_at,
        )
        expected = end
    if expected != cd_offset:
        _fail(f"The zip has data between its last member and its central directory. {_AGAIN}")


def _descriptor_end(data: bytes, at: int, member: Member) -> int:
    """The end of a member's data descriptor (with or without its signature), which must repeat the
    directory's CRC and sizes."""
    fields = (member.crc, member.compressed_size, member.size)
    if data[at : at + 4] == _DD_SIG and len(data) >= at + 16 and struct.unpack_from("<3I", data, at + 4) == fields:
        return at + 16
    if len(data) >= at + 12 and struct.unpack_from("<3I", data, at) == fields:
        return at + 12
    _fail(f"Member {member.name!r} has a data descriptor that disagrees with the directory. {_AGAIN}")


def _inflate(data: bytes, member: Member, limit: int, *, check: bool) -> bytes:
    """The first ``limit`` bytes of a member; with ``check``, the whole member (``limit`` is its size),
    verified: no more data than declared, a deflate stream that ends exactly, and its CRC-32."""
    raw = memoryview(data)[member.data_offset : member.data_offset + member.compressed_size]
    if member.method == _STORED:
        out = bytes(raw[:limit])
    else:
        inflater = zlib.decompressobj(-15)
        try:
            # A peek feeds only the stream's start: zlib copies whatever input it does not consume.
            out = inflater.decompress(raw if check else raw[:PEEK_INPUT_BYTES], limit + 1 if check else limit)
        except zlib.error as exc:
            _fail(f"{member.name} is damaged in the zip ({exc}). {_AGAIN}")
        if check and len(out) > member.size:
            _fail(f"{member.name} holds more data than its header says: the zip is corrupt or crafted.")
        if check and (not inflater.eof or inflater.unused_data):
            _fail(f"{member.name} is damaged in the zip (its compressed data does not end cleanly). {_AGAIN}")
    if check and (len(out) != member.size or zlib.crc32(out) != member.crc):
        _fail(f"{member.name} is damaged in the zip (its size or CRC-32 does not match). {_AGAIN}")
    return out


def _tail(data: bytes, member: Member, keep: int, cap: int) -> bytes:
    """The last ``keep`` bytes of a member's first ``cap`` bytes, inflated in chunks (bounded memory)."""
    raw = memoryview(data)[member.data_offset : member.data_offset + member.compressed_size]
    if member.method == _STORED:
        return bytes(raw[:cap][-keep:])
    inflater, tail, produced = zlib.decompressobj(-15), b"", 0
    try:
        for start in range(0, len(raw), 1 << 16):
            pending: bytes | memoryview = raw[start : start + (1 << 16)]
            while pending:
                chunk = inflater.decompress(pending, min(1 << 20, cap - produced))
                pending = inflater.unconsumed_tail
                produced += len(chunk)
                tail = (tail + chunk)[-keep:]
                if produced >= cap or inflater.eof:
                    return tail
                if not chunk:
                    break
    except zlib.error:
        pass  # a damaged log still shows what could be read of it
    return tail


def is_log(name: str) -> bool:
    return name.lower().endswith(LOG_SUFFIX)
