"""Command line: ``python -m leaderboard export [--task T] [--format csv|json] [--out FILE]``."""

from __future__ import annotations

import argparse
import json
import sys

from leaderboard.cli import run_cli
from leaderboard.results import csv_safe, export_frame
from leaderboard.sources import load_results
from leaderboard.submissions.store import configured_store
from leaderboard.tasks import TASK_IDS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m leaderboard", description="AI Energy Score leaderboard tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    export = sub.add_parser("export", help="Write the rated results table (GPU energy in Wh per 1,000 queries).")
    export.add_argument("--task", choices=TASK_IDS, help="Only this task (default: all tasks).")
    export.add_argument("--format", choices=("csv", "json"), default="csv", help="Output format (default csv).")
    export.add_argument("--out", help="Output file (default: standard output).")
    return parser


def export(args: argparse.Namespace) -> int:
    loaded = load_results(accepted=configured_store().accepted_rows())
    if loaded.warning:
        print(loaded.warning, file=sys.stderr)
    for rejected in loaded.rejected:
        print(f"left out {rejected.message()}", file=sys.stderr)
    results = loaded.results.task(args.task) if args.task else loaded.results
    frame = export_frame(results)
    if args.format == "csv":
        text = csv_safe(frame).to_csv(index=False, float_format="%.6f")
    else:
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")
        text = json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        print(f"wrote {len(frame)} rows to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_cli(build_parser(), export, argv)


if __name__ == "__main__":
    raise SystemExit(main())
