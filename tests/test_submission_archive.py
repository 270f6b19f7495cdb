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
    for i, (name, body) in enumerate(energy_star_files(codecarbon=False).items()):
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
    first = make_zip(energy_star_files(folder="a/", codecarbon=False))
    return first + make_zip(
        energy_star_files(folder="a/", codecarbon=False, phases={"prefill": 0.0001, "decode": 0.0001})
    )


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
    data = make_zip(energy_star_files(codecarbon=False))
    archive = read_zip(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.namelist() == archive.names
        assert {n: zf.read(n) for n in archive.members} == archive.members


def test_read_zip_raises_only_submission_errors():
    for data in (b"", b"PK\x03\x04", b"PK\x05\x06" + b"\x00" * 18, zlib.compress(b"x" * 100)):
        with pytest.raises(SubmissionError):
            read_zip(data)


# --- each rule of the reader on its own (so that none can go missing unnoticed) ---------------------------


def test_realistic_extras_comments_and_folder_entries_are_read():
    """What zip tools write besides the files: extended timestamps and Unix ids in extra fields (in the
    local header too), per-file comments, folder entries, a zip comment up to its 65,535-byte maximum."""
    timestamps = struct.pack("<2HB I", 0x5455, 5, 1, 1_700_000_000) + struct.pack(
        "<2HBBIBI", 0x7875, 11, 1, 4, 1000, 4, 1000
    )
    m = [RawMember(x.name, x.data, extra=timestamps, comment=b"a comment") for x in members()]
    assert check_zip(raw_zip([RawMember("run/", "", method=0, external_attr=0o40755 << 16)] + m)).valid
    buffer = io.BytesIO(make_zip(energy_star_files(codecarbon=False)))
    with zipfile.ZipFile(buffer, "a") as zf:
        zf.comment = b"c" * 65535
    assert check_zip(buffer.getvalue()).valid


@pytest.mark.parametrize(
    "extra, expected",
    [
        (struct.pack("<2H", 0x0001, 0), "ZIP64 sizes"),  # an extra field of exactly one empty record
        (struct.pack("<2H", 0x7075, 0), "second name"),
    ],
)
def test_extra_fields_in_the_local_header_alone_are_read(extra, expected):
    m = members()
    central_extra_free = RawMember(m[1].name, m[1].data)
    central_extra_free.extra = b""
    data = bytearray(raw_zip([m[0], central_extra_free, m[2]]))
    assert check_zip(bytes(data)).valid
    for where in ("central", "local"):
        member = RawMember(m[1].name, m[1].data, extra=extra)
        built = raw_zip([m[0], member, m[2]])
        if where == "local":  # strip the extra from the directory entry: only the local header has it
            cd = built.rfind(b"PK\x01\x02", 0, built.rfind(b"PK\x01\x02"))
            built = built[: cd + 30] + struct.pack("<H", 0) + built[cd + 32 :]
            at = built.find(member.name, cd)
            built = built[: at + len(member.name)] + built[at + len(member.name) + len(extra) :]
            eocd = built.rfind(b"PK\x05\x06")
            size = struct.unpack_from("<I", built, eocd + 12)[0] - len(extra)
            built = built[: eocd + 12] + struct.pack("<I", size) + built[eocd + 16 :]
        assert expected in refused(built), where


def test_the_last_member_may_not_be_followed_by_data():
    assert "between its last member and its central directory" in refused(raw_zip(members(), tail_gap=b"hidden"))


def test_directory_offsets_that_skip_the_start():
    assert "data before the first member" in refused(raw_zip(members(), offset_delta=3))


def test_end_records_at_the_edges():
    assert "data after the zip archive's end record" in refused(b"PK\x05\x06" + b"x" * 30)
    assert "data after the zip archive's end record" in refused(
        make_zip(energy_star_files(codecarbon=False)) + b"PK\x05\x06"
    )
    assert "(data before the archive)" in refused(raw_zip(members(), cd_offset_delta=-1))
    assert "(data that overlaps its end record)" in refused(raw_zip(members(), cd_offset_delta=1))


def test_damaged_directory_entries():
    data = bytearray(raw_zip(members()))
    first = data.find(b"PK\x01\x02")
    data[first + 3] = 3  # not a directory entry signature
    assert "central directory is damaged or holds fewer than 3 members" in refused(bytes(data))
    data = bytearray(raw_zip(members()))
    last = data.rfind(b"PK\x01\x02")
    struct.pack_into("<H", data, last + 32, 40)  # a comment that runs into the end record
    assert "The zip's central directory is damaged." in refused(bytes(data))
    short = bytearray(raw_zip(members()[:1]))
    eocd = short.rfind(b"PK\x05\x06")
    cut = short[:eocd] + b"PK\x01\x02" + b"\x00" * 16  # a second entry cut short
    cd = short.find(b"PK\x01\x02")
    cut += struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, 2, 2, len(cut) - cd, cd, 0)
    assert "central directory is damaged or holds fewer than 2 members" in refused(bytes(cut))


def test_member_rules_one_by_one():
    m = members()
    assert "lives on another disk" in refused(raw_zip([m[0], RawMember(m[1].name, m[1].data, disk=1), m[2]]))
    stored_lie = RawMember(m[1].name, m[1].data, method=0, size=len(m[1].data) + 1)
    assert "stored uncompressed but its two sizes differ" in refused(raw_zip([m[0], stored_lie, m[2]]))
    assert "is a folder that holds data" in refused(
        raw_zip([RawMember("run/", b"", method=8, payload=b"\x03\x00\x00")])
    )
    assert "empty or '.' part" in refused(raw_zip([RawMember("", "x")]))


def test_local_headers_must_repeat_the_directory():
    m = members()
    for change in ({"local_method": 0}, {"local_flags": 0x800}, {"local_flags": 0x8}):
        assert "local header that disagrees with the directory" in refused(
            raw_zip([m[0], RawMember(m[1].name, m[1].data, **change), m[2]])
        )
    data = bytearray(raw_zip(m))
    data[data.find(b"PK\x03\x04", 4) + 3] = 5  # the second member's local header signature
    assert "has no local header where the directory says" in refused(bytes(data))
    big = RawMember(
        m[2].name,
        m[2].data,
        compressed_size=len(m[2].payload) + 500,
        local_sizes=(m[2].crc, len(m[2].payload) + 500, m[2].size),
    )
    assert "runs into the central directory" in refused(raw_zip([m[0], m[1], big]))


def test_descriptors_that_disagree_or_run_off_the_end():
    m = members()
    lying = RawMember(
        m[1].name, m[1].data, descriptor=True, descriptor_fields=(m[1].crc, m[1].compressed_size, m[1].size + 1)
    )
    assert "data descriptor that disagrees with the directory" in refused(raw_zip([m[0], lying, m[2]]))
    unsigned = RawMember(m[1].name, m[1].data, descriptor=True, descriptor_signature=False, descriptor_fields=(0, 0, 0))
    assert "data descriptor that disagrees" in refused(raw_zip([m[0], unsigned, m[2]]))
    beyond = RawMember(m[2].name, m[2].data, descriptor=True, compressed_size=10**6)
    assert "data descriptor that disagrees" in refused(raw_zip([m[0], m[1], beyond]))
    # A descriptor 'found' in the zip comment's last bytes is not read past the end of the upload.
    tail = RawMember(m[2].name, m[2].data, descriptor=True)
    data = raw_zip([m[0], m[1], tail], comment=b"xxPK\x07\x08")
    comment_sig = len(data) - 4
    size = comment_sig - (data.find(tail.name) + len(tail.name))
    assert "data descriptor that disagrees" in refused(
        raw_zip(
            [m[0], m[1], RawMember(m[2].name, m[2].data, descriptor=True, compressed_size=size)],
            comment=b"xxPK\x07\x08",
        )
    )


def test_a_deflate_stream_with_data_after_its_end_is_refused():
    m = members()
    padded = RawMember(
        m[1].name, m[1].data, payload=m[1].payload + b"after", crc=m[1].crc, compressed_size=len(m[1].payload) + 5
    )
    assert "does not end cleanly" in refused(raw_zip([m[0], padded, m[2]]))


def test_json_edges():
    def with_report(text):
        files = energy_star_files(codecarbon=False)
        files["run/benchmark_report.json"] = text
        return make_zip(files)

    assert "truncated JSON" in refused_text(with_report('{"prefill": [1, 2'))
    assert "lone surrogate" in refused_text(
        with_report('{"\\ud800": 1, "prefill": {"energy": {"unit": "kWh", "gpu": 0.01}}}')
    )
    assert "lone surrogate" in refused_text(
        with_report('{"x": [["\\udfff"]], "prefill": {"energy": {"unit": "kWh", "gpu": 0.01}}}')
    )


def refused_text(data):
    report = check_zip(data)
    assert not report.valid and all(c.name != CHECKER_ERROR for c in report.checks)
    return " ".join(c.message for c in report.failures)
