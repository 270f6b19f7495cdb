"""Command line:

python -m leaderboard export [--task T] [--format csv|json] [--quality] [--out FILE]
python -m leaderboard site --out DIR [--public-url URL] [--app-url URL] [--force]
python -m leaderboard stability [--task T] [--published] [--format text|json] [--out FILE]
python -m leaderboard disclose --model M --task T [--record ID] [--format card|spdx|annex|all] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from leaderboard import settings
from leaderboard.cli import run_cli
from leaderboard.errors import ValidationError
from leaderboard.exports import export_csv, export_json
from leaderboard.formatting import plural
from leaderboard.site.paths import MANIFEST
from leaderboard.sources import Loaded, load_results
from leaderboard.submissions.store import configured_store
from leaderboard.submissions.text import printable
from leaderboard.tasks import TASK_IDS

LOCAL_SITE_URL = "http://localhost:8000"  # python -m harness.static_server's default port
MAX_LEFT_OUT_SHOWN = 20  # models left out of the site named one per line; the rest counted


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m leaderboard", description="AI Energy Score leaderboard tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    export = sub.add_parser("export", help="Write the rated results table (GPU energy in Wh per 1,000 queries).")
    export.add_argument("--task", choices=TASK_IDS, help="Only this task (default: all tasks).")
    export.add_argument("--format", choices=("csv", "json"), default="csv", help="Output format (default csv).")
    export.add_argument(
        "--quality",
        action="store_true",
        help="Write the quality table instead (third-party figures with their source, match kind and licence).",
    )
    export.add_argument("--out", help="Output file (default: standard output).")
    site = sub.add_parser(
        "site", help="Write the read path (overview, task boards, model pages, labels, data) as a static site."
    )
    site.add_argument("--out", required=True, help="Folder to write (new, empty, or a site built here before).")
    site.add_argument(
        "--force",
        action="store_true",
        help="Write into a folder that holds other files and no site manifest; every file the site does not write "
        "is kept.",
    )
    site.add_argument(
        "--public-url",
        help="The site's public address: labels, embed snippets and the sitemap point at it "
        f"(default: the public_url setting, AIES_PUBLIC_URL; unset: {LOCAL_SITE_URL}, where "
        "python -m harness.static_server DIR serves it).",
    )
    site.add_argument(
        "--app-url",
        help="The Streamlit app's address, which the site links to for Submit and custom labels (default: the "
        f"app_url setting, AIES_APP_URL; unset: {settings.LOCAL_APP_URL}).",
    )
    stab = sub.add_parser(
        "stability",
        help="How sure the stars are, per rating group and in all: sure / not sure, flips under the measured noise, "
        "without a group's extreme, under a quantile rule.",
    )
    stab.add_argument("--task", choices=TASK_IDS, help="Only this task (default: all tasks).")
    stab.add_argument("--published", action="store_true", help="Only the published results (default: every rated one).")
    stab.add_argument(
        "--format", choices=("text", "json"), default="text", help="Markdown tables or JSON (default text)."
    )
    stab.add_argument("--out", help="Output file (default: standard output).")
    disc = sub.add_parser(
        "disclose",
        help="An energy disclosure of one rated result: a model-card snippet, an SPDX 3.0 energyConsumption element, "
        "an EU AI Act Annex XI 1(2)(e) entry.",
    )
    disc.add_argument("--model", required=True, help="Model id, e.g. openai-community/gpt2.")
    disc.add_argument("--task", required=True, choices=TASK_IDS, help="Task id.")
    disc.add_argument(
        "--record", help="Record id (16 hex digits) or run id (default: the model's official published result)."
    )
    disc.add_argument(
        "--format", choices=("card", "spdx", "annex", "all"), default="all", help="What to write (default all)."
    )
    disc.add_argument("--out", help="Output file (default: standard output).")
    return parser


def _load() -> Loaded:
    loaded = load_results(accepted=configured_store().accepted_rows())
    if loaded.warning:
        print(loaded.warning, file=sys.stderr)
    for rejected in loaded.rejected:
        print(f"left out {rejected.message()}", file=sys.stderr)
    return loaded


def _write(text: str, out: str | None, what: str) -> None:
    if out:
        with open(out, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        print(f"wrote {what} to {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def export(args: argparse.Namespace) -> int:
    if args.quality:
        from leaderboard.exports import quality_csv, quality_json
        from leaderboard.quality import QualityTable
        from leaderboard.sources import load_quality

        table = load_quality()
        for refused in table.refused:
            print(printable(f"quality data left out: {refused[:500]}"), file=sys.stderr)
        if args.task:
            table = QualityTable(
                tuple(r for r in table.rows if r.task == args.task), table.metrics, table.refused, table.label
            )
        text = quality_csv(table) if args.format == "csv" else quality_json(table)
        _write(text, args.out, f"{len(table.rows)} quality rows")
        return 0
    loaded = _load()
    results = loaded.results.task(args.task) if args.task else loaded.results
    text = export_csv(results) if args.format == "csv" else export_json(results)
    _write(text, args.out, f"{len(results)} rows")
    return 0


def stability_command(args: argparse.Namespace) -> int:
    from leaderboard.stability import stability, text_table

    statuses = ("published",) if args.published else None
    results = _load().results
    report = stability(results, task=args.task, **({"statuses": statuses} if statuses else {}))
    text = text_table(report) if args.format == "text" else json.dumps(report.to_json(), indent=1) + "\n"
    _write(text, args.out, f"the stability of {report.total.groups} rating groups")
    return 0


def site(args: argparse.Namespace) -> int:
    from leaderboard.site.build import SiteOptions, build_site, check_out_dir, write_site
    from leaderboard.site.linkcheck import check_links

    start = time.perf_counter()
    out = Path(args.out)
    check_out_dir(out, force=args.force)  # before the build: a wrong --out fails at once
    configured = settings.public_url()
    public_url = settings.web_address(args.public_url, "--public-url") if args.public_url else None
    public_url = public_url or configured or LOCAL_SITE_URL
    app_url = settings.web_address(args.app_url, "--app-url") if args.app_url else settings.address("app_url")
    if app_url is None:
        app_url = settings.LOCAL_APP_URL
        print(
            f"note: the site links to the app (Submit, custom labels) at {app_url}; set AIES_APP_URL or --app-url "
            "to the app's address.",
            file=sys.stderr,
        )
    options = SiteOptions(public_url, app_url, settings.required("official_hardware"))
    from leaderboard.sources import load_quality

    quality = load_quality()
    for refused in quality.refused:
        print(printable(f"quality data left out: {refused[:500]}"), file=sys.stderr)
    built = build_site(_load().results, options, quality)
    report = check_links(built.files, public_url, app_url)
    if report.broken:
        shown = "; ".join(str(b) for b in report.broken[:5])
        raise ValidationError(
            f"the built site has {len(report.broken)} broken internal links ({shown}); nothing written."
        )
    written = write_site(built, out, force=args.force)
    for left in built.left_out[:MAX_LEFT_OUT_SHOWN]:
        print(
            printable(f"left out {left.model[:120]!r} ({plural(left.rows, 'result')}): {left.reason}"), file=sys.stderr
        )
    if len(built.left_out) > MAX_LEFT_OUT_SHOWN:
        print(f"left out {len(built.left_out) - MAX_LEFT_OUT_SHOWN} more models (no page, no label)", file=sys.stderr)
    if written.kept:
        print(
            f"kept {plural(written.kept, 'file')} an earlier build wrote and this one does not, changed since "
            f"(listed no more in {out / MANIFEST})",
            file=sys.stderr,
        )
    if not args.public_url and not configured:
        print(
            f"note: no public address (AIES_PUBLIC_URL or --public-url): labels, embed snippets and the sitemap point "
            f"at {LOCAL_SITE_URL}, where python -m harness.static_server {out} serves the site.",
            file=sys.stderr,
        )
    if public_url == app_url:
        print(
            f"note: the site's public address is the app's ({public_url}): set AIES_PUBLIC_URL or --public-url to the "
            "site's address so that labels, embed snippets and the sitemap point at the site.",
            file=sys.stderr,
        )
    print(
        f"wrote the site to {out}: {built.pages} pages, {built.models} model pages, {built.labels} labels, "
        f"{len(built.files)} files ({written.written} written, {written.unchanged} unchanged, {written.removed} removed); "
        f"{plural(len(built.left_out), 'model')} left out; "
        f"{report.internal} internal links resolve; {time.perf_counter() - start:.1f} s",
        file=sys.stderr,
    )
    return 0


def disclose_command(args: argparse.Namespace) -> int:
    from label.render import label_stem
    from leaderboard.disclosure import disclose, find_result, render

    results = _load().results
    row = find_result(
        results,
        model=args.model,
        task=args.task,
        record=args.record,
        official_hardware=settings.required("official_hardware"),
    )
    base_url = settings.public_url()
    if base_url is None:
        base_url = settings.LOCAL_APP_URL
        print(
            f"the record link points at {base_url} (the local app); set AIES_PUBLIC_URL to the leaderboard's address",
            file=sys.stderr,
        )
    stem = label_stem(row)
    text = render(disclose(results, row, base_url, f"{stem}.png"), args.format)
    _write(text, args.out, f"the {args.format} disclosure of record {stem.rsplit('-', 1)[-1]}")
    print(
        f"the model card shows the label {stem}.png: put it beside the card (python -m label render --task {args.task} "
        f"--model {args.model} --run-id '{row['run_id']}' --out {stem}.png)",
        file=sys.stderr,
    )
    return 0


COMMANDS = {"export": export, "site": site, "stability": stability_command, "disclose": disclose_command}


def main(argv: list[str] | None = None) -> int:
    return run_cli(build_parser(), lambda args: COMMANDS[args.command](args), argv)


if __name__ == "__main__":
    raise SystemExit(main())
