"""The rated table as files: CSV (spreadsheet-safe), JSON and Parquet, the same bytes for the same
results. ``python -m leaderboard export`` and the static site's ``data/`` both write these."""

from __future__ import annotations

import io
import json

from leaderboard.quality import QualityTable
from leaderboard.results import Results, csv_safe, export_frame


def export_csv(results: Results) -> str:
    """The rated table as CSV (``export_frame``), every text cell guarded by ``csv_safe``."""
    return str(csv_safe(export_frame(results)).to_csv(index=False, float_format="%.6f"))


def export_json(results: Results) -> str:
    """The rated table as a JSON list of records (missing values as null)."""
    frame = export_frame(results)
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


def export_parquet(results: Results) -> bytes:
    """The rated table as Parquet (no index; the bytes depend on the rows only)."""
    buffer = io.BytesIO()
    export_frame(results).to_parquet(buffer, index=False, compression="zstd")
    return buffer.getvalue()


# --- the quality table (leaderboard.quality): every row carries its source and licence ----------------------


def quality_csv(table: QualityTable) -> str:
    """The quality table as CSV (``QualityTable.frame``, with ``source`` and ``licence`` on every row), every
    text cell guarded by ``csv_safe``; an empty value is no quality data, never zero."""
    return str(csv_safe(table.frame()).to_csv(index=False))


def quality_json(table: QualityTable) -> str:
    """The quality table as a JSON list of records (no quality data as null)."""
    frame = table.frame()
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


def quality_parquet(table: QualityTable) -> bytes:
    """The quality table as Parquet (no index; ``licence`` and ``source`` on every row)."""
    buffer = io.BytesIO()
    table.frame().to_parquet(buffer, index=False, compression="zstd")
    return buffer.getvalue()
