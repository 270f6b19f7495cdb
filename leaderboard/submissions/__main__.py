"""Maintainers' command line for submissions.

python -m leaderboard.submissions check FILE.zip [--task T --model M --class C --hardware H --effort E]
                                                        validate a zip; exit 0 if valid, 1 if not
python -m leaderboard.submissions list [--status S]     every submission, oldest first (newest last)
python -m leaderboard.submissions show ID               the record, the other forms sent with its zip, the decision
python -m leaderboard.submissions accept ID [--by NAME] [--cohort YYYY-MM] [--ack CHECK --reason TEXT]...
python -m leaderboard.submissions reject ID --reason TEXT [--by NAME]
python -m leaderboard.submissions push                  retry pushing queued accepted results to the Hub

ID is a submission's id (16 hex digits) or its start, at least 8 digits, that no other id shares.
Accept checks the stored zip again with today's checker (its failed checks refuse it; each warning it
raises needs an --ack with its --reason). A decision is final: accepting or rejecting what another maintainer already decided otherwise exits
with status 2 and names the recorded decision.

Everything printed that came from a zip or a form goes through ``printable``: control and bidi
characters are shown as escapes, so an uploaded model id cannot rewrite the terminal. Accept and
reject can be run again after an interruption; they complete what was left.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import TextIO

from leaderboard import settings
from leaderboard.errors import EnergyScoreError, ValidationError
from leaderboard.formatting import plural
from leaderboard.submissions import MAX_ZIP_BYTES, Claim, Report, check_zip
from leaderboard.submissions.publish import HubPublisher, publish_queued
from leaderboard.submissions.store import configured_store
from leaderboard.submissions.text import printable
from leaderboard.submissions.workflow import accept, joining_cohort, reject
from leaderboard.tasks import MODEL_CLASSES, REASONING_EFFORTS, TASK_IDS

ICONS = {"pass": "ok  ", "fail": "FAIL", "warn": "warn"}


def print_report(report: Report, out: TextIO = sys.stdout) -> None:
    def say(line: str = "") -> None:
        print(printable(line), file=out)

    for c in report.checks:
        say(f"[{ICONS[c.status]}] {c.name}: {c.message}")
    if report.parsed:
        p = report.parsed
        say()
        for line in (
            f"layout: {p.layout}",
            f"model: {p.model or '(not recorded)'}",
            f"task: {p.task or '(not recorded)'}",
            f"queries: {p.num_queries:,}",
            f"GPU: {p.gpu_count or '?'} x {p.gpu_name or '(not recorded)'}",
        ):
            say(line)
        say(f"{'phase':<12}{'GPU Wh (whole pass)':>22}{'GPU Wh per 1,000 queries':>28}")
        for ph in p.phases:
            say(f"{ph.name:<12}{ph.gpu_energy_wh:>22,.4f}{ph.gpu_energy_wh_per_1k:>28,.2f}")
        say(f"{'total':<12}{sum(ph.gpu_energy_wh for ph in p.phases):>22,.4f}{p.gpu_energy_wh_per_1k:>28,.2f}")
        if p.failed_repeats and p.all_repeats_wh_per_1k is not None:
            say(f"{'(all repeats, failed ones included)':<34}{p.all_repeats_wh_per_1k:>28,.2f}")
    say()
    say(f"{'VALID' if report.valid else 'INVALID'}  sha256 {report.sha256}")


def ack_pairs(checks: list[str], reasons: list[str]) -> dict[str, str]:
    """``--ack CHECK --reason TEXT`` pairs, in order; every acknowledged check needs its own reason."""
    if len(checks) != len(reasons):
        raise ValidationError(
            f"{len(checks)} --ack and {len(reasons)} --reason given: give each --ack CHECK its own --reason TEXT."
        )
    if len(set(checks)) != len(checks):
        raise ValidationError("A check is acknowledged twice: give each --ack once, with one --reason.")
    return dict(zip(checks, reasons, strict=True))


def publisher() -> HubPublisher | None:
    repo = settings.get("hub_results_repo")
    if not repo:
        return None
    from huggingface_hub import HfApi

    return HubPublisher(repo, HfApi(token=os.environ.get("HF_TOKEN")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m leaderboard.submissions", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="Validate a zip of benchmark logs and print the parsed figures.")
    c.add_argument("zip", type=Path)
    c.add_argument("--task", choices=TASK_IDS, help="Check the logs against this task (as the form would).")
    c.add_argument("--model", help="Check the logs against this model id.")
    c.add_argument("--class", dest="model_class", choices=tuple(MODEL_CLASSES), help="Model class (A, B, C).")
    c.add_argument("--hardware", help="Check the logs against this board, e.g. 'NVIDIA H100 80GB'.")
    c.add_argument("--effort", choices=REASONING_EFFORTS, help="Check the logs against this reasoning effort.")
    ls = sub.add_parser("list", help="List submissions.")
    ls.add_argument("--status", choices=("pending", "accepted", "rejected"))
    for name in ("show", "accept", "reject"):
        p = sub.add_parser(name)
        p.add_argument("id")
        if name != "show":
            p.add_argument("--by", default=getpass.getuser(), help="Maintainer name (default: your user name).")
    sub.choices["accept"].add_argument("--cohort", help="Cohort to join (default: the current cohort).")
    sub.choices["accept"].add_argument(
        "--ack",
        action="append",
        default=[],
        metavar="CHECK",
        help="A warning's check name you have checked; give each its --reason (repeat the pair per warning).",
    )
    sub.choices["accept"].add_argument(
        "--reason",
        action="append",
        default=[],
        help="Your reason for the --ack before it (recorded with the decision).",
    )
    sub.choices["reject"].add_argument("--reason", required=True)
    sub.add_parser("push", help="Retry pushing queued accepted results to the Hub.")
    args = parser.parse_args(argv)
    store = configured_store()
    try:
        if args.command == "check":
            if not args.zip.is_file():
                print(f"error: {args.zip} is not a file.", file=sys.stderr)
                return 2
            if args.zip.stat().st_size > MAX_ZIP_BYTES:
                print(f"error: {args.zip} is larger than {MAX_ZIP_BYTES // (1024 * 1024)} MB.", file=sys.stderr)
                return 1
            claim = Claim(args.task, args.model, args.model_class, args.hardware, reasoning_effort=args.effort)
            report = check_zip(args.zip.read_bytes(), claim)
            print_report(report)
            return 0 if report.valid else 1
        if args.command == "list":
            for r in store.newest_last():
                status = store.status(r.id)
                if args.status and status != args.status:
                    continue
                others = len(store.resubmissions(r.id))
                print(
                    printable(
                        f"{r.id}  {status:<9} {r.submitted}  {r.form.task:<20} {r.form.model}  "
                        f"{r.parsed.gpu_energy_wh_per_1k:,.2f} Wh/1k queries"
                        + (f"  (+{plural(others, 'other form')}: show {r.id})" if others else "")
                    )
                )
            return 0
        sub_id = store.find(args.id) if args.command in ("show", "accept", "reject") else ""
        if args.command == "show":
            decision = store.decision(sub_id)
            shown = {
                "record": store.record(sub_id).to_json(),
                "resubmissions": [r.to_json() for r in store.resubmissions(sub_id)],
                "decision": decision.to_json() if decision else None,
            }
            print("\n".join(printable(line) for line in json.dumps(shown, indent=2, ensure_ascii=False).split("\n")))
            return 0
        if args.command == "accept":
            cohort = args.cohort or joining_cohort()
            acks = ack_pairs(args.ack, args.reason)
            outcome = accept(
                store,
                sub_id,
                by=args.by,
                cohort=cohort,
                publisher=publisher(),
                acks=acks,
            )
            print(f"accepted {sub_id} into cohort {outcome.row.cohort}")
            for name, reason in acks.items():
                print(printable(f"acknowledged [{name}]: {reason}"))
            if others := len(store.resubmissions(sub_id)):
                print(f"note: this zip was also submitted with {plural(others, 'other form')}: show {sub_id}")
            if outcome.error:
                print(printable(f"push to the Hub failed, queued for retry: {outcome.error}"), file=sys.stderr)
            elif outcome.pushed:
                print("pushed to the Hub")
            return 0
        if args.command == "reject":
            decision = reject(store, sub_id, by=args.by, reason=args.reason)
            print(printable(f"rejected {sub_id} ({decision.time}): {decision.reason}"))
            return 0
        if args.command == "push":
            pub = publisher()
            if pub is None:
                print(f"error: set {settings.SETTINGS_BY_NAME['hub_results_repo'].env} to push.", file=sys.stderr)
                return 2
            pushed, error = publish_queued(store, pub)
            print(f"pushed {len(pushed)}" + (f"; failed, still queued: {error}" if error else ""))
            return 1 if error else 0
    except EnergyScoreError as exc:
        print(printable(f"error: {exc}"), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
