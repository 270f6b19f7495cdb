"""Command line: render energy labels.

    python -m label render --task T --model M [--cohort C] [--effort E] [--run-id ID]
                           [--format png|svg] [--variant full|spec] --out FILE
    python -m label render [--task T] --all [--variant full|spec] --out FILE.zip
    python -m label render --task T --model M --energy-wh-per-1k X [--class A|B|C]
                           [--hardware H] [--round YYYY-MM] [--stars N] --out FILE

With --energy-wh-per-1k the label shows custom values (an unpublished model); its stars are rated in
the group of a published round (--round, default: the newest round the registry knows that rated the
task) on the board --hardware names (free text read by the hardware registry, with 'did you mean';
an unknown board is rated nowhere and the label says *not rated*), unless --stars gives them by hand
(then not rated either). --variant spec draws the reference design alone (no status, record id or QR
code).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from label.model import VARIANTS, label_for_row
from label.render import labels_zip, render_png, render_svg
from label.select import check_energy, check_month, custom_label, find_result, rate_custom
from leaderboard import settings
from leaderboard.cli import run_cli
from leaderboard.errors import ValidationError
from leaderboard.hardware import OFFICIAL_HARDWARE, board_names
from leaderboard.sources import load_results
from leaderboard.submissions.store import configured_store
from leaderboard.tasks import MODEL_CLASSES, REASONING_EFFORTS, TASK_IDS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m label", description="Render AI Energy Score labels.")
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("render", help="Render one label (PNG or SVG) or all labels of a task (ZIP).")
    r.add_argument("--task", choices=TASK_IDS, help="Task id.")
    r.add_argument("--model", help="Model id, e.g. openai-community/gpt2.")
    r.add_argument("--cohort", help="Leaderboard round, e.g. 2025-02 (when the model has several).")
    r.add_argument("--effort", choices=REASONING_EFFORTS, help="Reasoning effort (reasoning task).")
    r.add_argument("--run-id", help="Exact result id (when a model has several results).")
    r.add_argument("--all", action="store_true", help="Every label of --task (or of every task) as a ZIP.")
    r.add_argument("--format", choices=("png", "svg"), help="Output format (default: from --out's suffix).")
    r.add_argument("--out", required=True, help="Output file (.png, .svg, or .zip with --all).")
    r.add_argument(
        "--variant",
        choices=VARIANTS,
        default="full",
        help="full (default): with the result's status, record id and a QR code; spec: the reference design.",
    )
    custom = r.add_argument_group("custom values (unpublished models)")
    custom.add_argument("--energy-wh-per-1k", type=float, help="GPU energy in Wh per 1,000 queries.")
    custom.add_argument(
        "--class", dest="model_class", choices=tuple(MODEL_CLASSES), help="Model class (text generation and reasoning)."
    )
    custom.add_argument(
        "--hardware",
        default=OFFICIAL_HARDWARE,
        help=f"GPU board, e.g. 'H100' or 'NVIDIA H100 80GB' (default: {OFFICIAL_HARDWARE}); known boards: "
        f"{', '.join(board_names())}.",
    )
    custom.add_argument(
        "--round",
        "--date",
        dest="round",
        help="The published round the stars are cut from, YYYY-MM (default: the newest round that rated the task); "
        "with --stars, the month the label shows (default: this month).",
    )
    custom.add_argument("--stars", type=int, choices=range(1, 6), help="Stars by hand (default: computed).")
    return parser


def output_format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    suffix = Path(args.out).suffix.lower().lstrip(".")
    if suffix in ("png", "svg"):
        return suffix
    raise ValidationError(f"--out {args.out!r}: give a .png or .svg file, or --format png|svg.")


def write_out(path: str, data: bytes) -> None:
    """Write the output file, or a one-line ``ValidationError`` saying why it cannot be written."""
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise ValidationError(
            f"--out {path!r} cannot be written ({exc.strerror or type(exc).__name__}). "
            "Give a file in a folder that exists and that you can write to."
        ) from None


def render(args: argparse.Namespace) -> int:
    base_url = settings.public_url()
    if base_url is None:
        base_url = settings.LOCAL_APP_URL
        print(
            f"labels link to {base_url} (the local app); set AIES_PUBLIC_URL to the address people open "
            "this leaderboard at",
            file=sys.stderr,
        )
    loaded = load_results(accepted=configured_store().accepted_rows())
    if loaded.warning:
        print(loaded.warning, file=sys.stderr)
    results = loaded.results
    if args.all:
        if not args.out.lower().endswith(".zip"):
            raise ValidationError(f"--out {args.out!r}: --all writes a ZIP; name the file *.zip.")
        rows = (results.task(args.task) if args.task else results).sorted("asc").frame
        items = [(f"{r.task}/{r.run_id}", label_for_row(r, base_url, variant=args.variant)) for r in rows.itertuples()]
        write_out(args.out, labels_zip(items))
        print(f"wrote {len(items)} labels (PNG and SVG) to {args.out}", file=sys.stderr)
        return 0
    if not args.task or not args.model:
        raise ValidationError("--task and --model are required (or --all for every label).")
    fmt = output_format(args)
    if args.energy_wh_per_1k is not None:
        check_energy(args.energy_wh_per_1k)
        rating = None
        if args.stars is None:
            if args.round:
                check_month(args.round)
            rating = rate_custom(
                results,
                task=args.task,
                model_class=args.model_class,
                hardware=args.hardware,
                energy_wh=args.energy_wh_per_1k,
                cohort=args.round,
            )
            print(rating.summary, file=sys.stderr)
            scored = rating.cohort
        else:
            scored = check_month(args.round or date.today().strftime("%Y-%m"))
            print("stars given by hand: the label says they are not rated", file=sys.stderr)
        label = custom_label(
            model=args.model,
            task=args.task,
            scored=scored,
            hardware=args.hardware,
            energy_wh=args.energy_wh_per_1k,
            stars=args.stars or 0,
            base_url=base_url,
            variant=args.variant,
            model_class=args.model_class,
            rating=rating,
        )
    else:
        row = find_result(
            results, task=args.task, model=args.model, cohort=args.cohort, effort=args.effort, run_id=args.run_id
        )
        label = label_for_row(row, base_url, variant=args.variant)
    write_out(args.out, render_svg(label).encode("utf-8") if fmt == "svg" else render_png(label))
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_cli(build_parser(), render, argv)


if __name__ == "__main__":
    raise SystemExit(main())
