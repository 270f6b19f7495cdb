"""The zip reader: one reading only, every limit checked before the work it bounds, every refusal named.

Zips are built field by field (``harness.zips.raw_zip``) so that each header can lie."""

import io
import json
import stat
import struct
import time
import zipfile
import zlib

import pytest

from harness.zips import RawMember, energy_star_files, make_zip, raw_zip
from leaderboard.errors import SubmissionError
from leaderboard.submissions import check_zip
from leaderboard.submissions.archive import MAX_MEMBERS, read_zip
from leaderboard.submissions.checks import CHECKER_ERROR


def members(**overrides):
    """The energy_star run folder as raw members; ``overrides``: index -> RawMember keyword changes."""
    out = []
    for i, (name, body) in enumerate(energy_star_files().items()):
        data = body if isinstance(body, str) else json.dumps(body)
        out.append(RawMember(name, data, **overrides.get(f"m{i}", {})))
    return out


def refused(data):
    report = check_zip(data)
    assert not report.valid and report.parsed is None
    assert all(c.name != CHECKER_ERROR for c in report.checks)
    return " ".join(c.message for c in report.failures)


def test_the_raw_builder_writes_zips_the_reader_and_zipfile_agree_on():
    data = raw_zip(members())
    archive = read_zip(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None and zf.namelist() == archive.names
        for name, body in archive.members.items():
            assert zf.read(name) == body
    assert check_zip(data).valid


def test_data_descriptors_with_and_without_signature_are_read():
    for signature in (True, False):
        data = raw_zip([RawMember(m.name, m.data, descriptor=True, descriptor_signature=signature) for m in members()])
        assert check_zip(data).valid


def _two_archives():
    first = make_zip(energy_star_files(folder="a/"))
    return first + make_zip(energy_star_files(folder="a/", phases={"prefill": 0.0001, "decode": 0.0001}))


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"MZ junk" + raw_zip(members()), "data before the zip archive"),
        (raw_zip(members(), prefix=b"junk"), "data before the zip archive"),
        (raw_zip(members()) + b"trailing", "data after the zip archive's end record"),
        (raw_zip(members(), gap=b"hidden"), "gap between them"),
        (_two_archives(), "central directory does not end where its end record starts"),
        (raw_zip(members(), comment=raw_zip([RawMember("x", "y")])[-22:]), "2 zip end records"),
        (raw_zip(members(), cd_offset_delta=-1), "central directory does not end where"),
        (raw_zip(members(), count=4), "holds fewer than 4 members"),
        (raw_zip(members(), count=2), "more than the 2 members its end record counts"),
        (raw_zip(members(), count=0xFFFF), "ZIP64"),
        (raw_zip(members(), eocd_fields={"disk": 1}), "split over several disks"),
        (raw_zip([]), "The zip is empty"),
        (raw_zip(members(), header_offsets={1: 0}), "members that overlap"),
    ],
)
def test_archive_structure_allows_one_reading_only(data, expected):
    assert expected in refused(data)


@pytest.mark.parametrize(
    "names, expected",
    [
        (["run/benchmark_report.json", "run/benchmark_report.json"], "twice"),
        (["run/benchmark_report.json", "run/BENCHMARK_report.json"], "the same name to a file system"),
        (["run/café.log", "run/cafe\u0301.log"], "the same name to a file system"),  # NFC and NFD
        (["run/ﬁle.log", "run/file.log"], "the same name to a file system"),  # NFKC ligature
        (["run/benchmark_report.json", "run/benchmark_report.json."], "the same name to a file system"),
        (["run/a", "run/a/b.log"], "is a file and also the folder"),
        (["run/a", "run/a/"], "is a file and also a folder"),
        (["run/benchmark_report.json\x00.txt"], "U+0000"),
        (["run/report\u202egnp.json"], "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        (["run/bench\u200dmark_report.json"], "U+200D"),
        (["run/bench\u2028mark.log"], "U+2028"),
        (["run/\x1b[2Jreport.json"], "U+001B"),
        (["run//benchmark_report.json"], "empty or '.' part"),
        (["run/./benchmark_report.json"], "empty or '.' part"),
        (["run/../benchmark_report.json"], "points outside the zip"),
        (["\\run\\benchmark_report.json"], "absolute or Windows path"),
        (["run/" + "x" * 400], "longer than 300 characters"),
    ],
)
def test_ambiguous_or_invisible_names_are_refused(names, expected):
    data = raw_zip([RawMember(n, "" if n.endswith("/") else "{}" if i == 0 else "x") for i, n in enumerate(names)])
    assert expected in refused(data)


def test_names_must_be_utf8_or_ascii():
    assert "is not UTF-8" in refused(raw_zip([RawMember(b"run/caf\x82.log", "x", flags=0)]))
    assert "flagged UTF-8 but is not" in refused(raw_zip([RawMember(b"run/caf\xff.log", "x", flags=0x800)]))


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"local_name": "run/benchmark_report.jsom"}, "another name in its local header"),
        ({"local_sizes": (0, 1, 2)}, "disagree with the directory"),
        ({"crc": 12345}, "size or CRC-32 does not match"),
        ({"size": 10}, "holds more data than its header says"),
        ({"method": 12}, "method 12"),
        ({"method": 99}, "is encrypted"),
        ({"flags": 0x1}, "is encrypted"),
        ({"extra": struct.pack("<2HQ", 0x0001, 8, 1)}, "ZIP64 sizes"),
        ({"extra": struct.pack("<2H", 0x7075, 4) + b"abcd"}, "second name"),
        ({"extra": b"\x01"}, "damaged extra field"),
        ({"flags": 0x20}, "flags 0x0020"),  # compressed patched data: zipfile cannot read it
        ({"flags": 0x2000}, "flags 0x2000"),
        ({"external_attr": (stat.S_IFLNK | 0o777) << 16}, "symbolic link"),
        ({"external_attr": (stat.S_IFIFO | 0o644) << 16}, "not a regular file"),
    ],
)
def test_headers_that_lie_are_refused(change, expected):
    assert expected in refused(raw_zip(members(m1=change)))


def test_a_corrupted_byte_in_a_deflate_stream_is_named():
    for offset in range(0, 40, 3):
        m = members()
        payload = bytearray(m[1].payload)
        payload[offset] ^= 0xFF
        m[1] = RawMember(m[1].name, m[1].data, payload=bytes(payload), crc=m[1].crc, compressed_size=len(payload))
        message = refused(raw_zip(m))
        assert "run/benchmark_report.json is damaged in the zip" in message or "more data than" in message


def test_a_descriptor_that_disagrees_is_refused():
    m = members()
    m[1] = RawMember(m[1].name, m[1].data, descriptor=True, crc=m[1].crc ^ 1)
    assert "data descriptor" in refused(raw_zip(m)) or "CRC-32" in refused(raw_zip(m))


def test_members_needing_a_newer_zip_version_are_refused():
    data = bytearray(raw_zip(members()))
    at = data.find(b"PK\x01\x02")
    data[at + 6] = 255  # version needed to extract: 25.5 (zipfile refuses it too)
    assert "needs zip version 25.5" in refused(bytes(data))


def test_zip64_end_locator_is_refused():
    data = bytearray(raw_zip(members()))
    eocd = data.rfind(b"PK\x05\x06")
    data[eocd:eocd] = b"PK\x06\x07" + b"\x00" * 16
    assert "ZIP64" in refused(bytes(data))


def test_folder_holding_data_is_refused():
    assert "is a folder that holds data" in refused(raw_zip([RawMember("run/", "data", method=0)]))


def test_zip_bomb_is_refused_from_the_directory():
    data = make_zip({"run/benchmark_report.json": b"0" * (20 * 1024 * 1024)})
    assert len(data) < 100_000
    assert "looks like a zip bomb" in refused(data)


def test_too_many_members_and_too_much_data():
    many = make_zip({f"run/f{i}.txt": "x" for i in range(MAX_MEMBERS + 1)})
    assert f"{MAX_MEMBERS + 1} members; the limit is {MAX_MEMBERS}" in refused(many)
    # 5 x 45 MB declared in a small zip: the declared total is refused before anything is inflated.
    m = [
        RawMember(f"run/part{i}.bin", b"", payload=b"\x03\x00", size=45 * 2**20, compressed_size=2**20)
        for i in range(5)
    ]
    assert "expands to more than 200 MB" in refused(raw_zip(m))


def test_a_million_member_directory_is_refused_at_once():
    """The end record is read first: a directory of 1,000,000 entries (52 MB) is never parsed whole."""
    head = struct.Struct("<4s2B5H3I5H2I")
    body = b"".join(
        head.pack(b"PK\x01\x02", 20, 3, 20, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0) + b"%06d" % i
        for i in range(1_000_000)
    )
    local = struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 0, 0, 0, 0, 0, 0, 6, 0) + b"000000"
    for count in (1_000_000 % 65536, 2000):  # the count field holds 16 bits: the true count, or a lie
        data = local + body + struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count, count, len(body), len(local), 0)
        assert len(data) > 50_000_000
        start = time.perf_counter()
        message = refused(data)
        assert time.perf_counter() - start < 0.5
        assert "the limit is 2000" in message or "more than the 2000 members" in message


def test_stored_bytes_are_exactly_what_was_checked():
    """For an accepted zip, zipfile (what a reviewer unzips with) reads the same names and bytes."""
    data = make_zip(energy_star_files())
    archive = read_zip(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.namelist() == archive.names
        assert {n: zf.read(n) for n in archive.members} == archive.members


def test_read_zip_raises_only_submission_errors():
    for data in (b"", b"PK\x03\x04", b"PK\x05\x06" + b"\x00" * 18, zlib.compress(b"x" * 100)):
        with pytest.raises(SubmissionError):
            read_zip(data)
