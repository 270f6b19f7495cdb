"""SHA256SUMS as an honest submitter's editor may leave it: a UTF-8 byte order mark, Windows line ends."""

from harness.zips import make_zip, runner_files
from leaderboard.submissions import check_zip


def checksums(report):
    return next(c for c in report.checks if c.name == "Checksums match")


def test_a_byte_order_mark_and_windows_line_ends_are_read():
    raw = runner_files()
    raw["run/SHA256SUMS"] = b"\xef\xbb\xbf" + raw["run/SHA256SUMS"].replace(b"\n", b"\r\n")
    report = check_zip(make_zip(raw))
    assert checksums(report).status == "pass", checksums(report).message
    assert report.valid


def test_a_byte_order_mark_does_not_hide_a_changed_file():
    raw = runner_files()
    raw["run/SHA256SUMS"] = b"\xef\xbb\xbf" + raw["run/SHA256SUMS"]
    raw["run/energy_score_summary.json"] += b" "
    assert (
        "energy_score_summary.json is not the file run/SHA256SUMS vouches for"
        in checksums(check_zip(make_zip(raw))).message
    )
