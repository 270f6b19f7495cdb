"""What every command line of the project shares: the project's errors become one line and exit 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from leaderboard.errors import EnergyScoreError


def run_cli(
    parser: argparse.ArgumentParser, handler: Callable[[argparse.Namespace], int], argv: list[str] | None = None
) -> int:
    args = parser.parse_args(argv)
    try:
        return handler(args)
    except EnergyScoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
