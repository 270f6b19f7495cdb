"""Where results come from: the embedded dataset (``LocalSource``) or a Hub dataset (``HubSource``).

Both return raw frames; ``load_results`` validates them, rates them and falls back to the
embedded data with a one-line message when the configured Hub dataset cannot be loaded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from leaderboard import settings
from leaderboard.errors import EnergyScoreError, SourceError
from leaderboard.results import Results
from leaderboard.schema import Rejected, validate_frame


@dataclass(frozen=True)
class LocalSource:
    """A dataset folder in Hugging Face layout: Parquet files plus a dataset card."""

    path: Path

    @property
    def label(self) -> str:
        return "embedded dataset"

    def files(self) -> list[Path]:
        files = sorted(Path(self.path).glob("*.parquet")) + sorted(Path(self.path).glob("data/*.parquet"))
        if not files:
            raise SourceError(f"No Parquet files in {self.path}. Rebuild it with scripts/build_dataset.py.")
        return files

    def revision(self) -> str:
        """A fingerprint of the files' names, sizes and modification times (a cache key)."""
        digest = hashlib.sha256()
        for f in self.files():
            stat = f.stat()
            digest.update(f"{f.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        return digest.hexdigest()[:16]

    def load(self) -> pd.DataFrame:
        return pd.concat([pd.read_parquet(f) for f in self.files()], ignore_index=True)


@dataclass(frozen=True)
class HubSource:
    """A results dataset on the Hugging Face Hub, read with ``datasets.load_dataset``.

    ``repo_id`` may also be a local dataset folder, which ``load_dataset`` reads the same way.
    """

    repo_id: str
    revision_: str | None = None

    @property
    def label(self) -> str:
        rev = f"@{self.revision_}" if self.revision_ else ""
        return f"Hub dataset {self.repo_id}{rev}"

    def revision(self) -> str:
        return self.revision_ or "main"

    def load(self) -> pd.DataFrame:
        import datasets  # imported here: slow to import and only needed for the Hub path

        try:
            ds = datasets.load_dataset(self.repo_id, revision=self.revision_, split="train")
        except Exception as exc:  # noqa: BLE001 - any failure of the third-party loader is reported
            first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise SourceError(
                f"Could not load {self.label}: {type(exc).__name__}: {first_line[:200]}"
            ) from exc
        return ds.to_pandas()


@dataclass(frozen=True)
class Loaded:
    """The outcome of loading: rated results, rows left out, and what was actually read."""

    results: Results
    rejected: list[Rejected] = field(default_factory=list)
    source_label: str = "embedded dataset"
    warning: str | None = None


def load_source(source: LocalSource | HubSource, accepted: Sequence[Mapping[str, object]] = ()) -> Loaded:
    """Validate and rate one source's rows together with ``accepted`` result rows (accepted
    submissions, which the caller reads from its store). Raises ``SourceError`` if the source
    cannot be read."""
    raw = source.load()
    if accepted:
        raw = pd.concat([raw, pd.DataFrame(accepted)], ignore_index=True)
    good, rejected = validate_frame(raw)
    label = source.label + (f" + {len(accepted)} accepted submission(s)" if accepted else "")
    return Loaded(Results.from_frame(good), rejected, label)


def configured_source() -> LocalSource | HubSource:
    """The source named by the settings (may raise ``SettingError``)."""
    repo = settings.results_dataset()
    if repo:
        return HubSource(repo, settings.get("results_revision"))
    return LocalSource(Path(settings.get("data_dir")))


def load_results(source: LocalSource | HubSource | None = None,
                 accepted: Sequence[Mapping[str, object]] = ()) -> Loaded:
    """Load the configured source; on failure fall back to the embedded data with a warning."""
    env = settings.SETTINGS_BY_NAME["results_dataset"].env
    try:
        source = source or configured_source()
        return load_source(source, accepted)
    except EnergyScoreError as exc:
        embedded = LocalSource(Path(settings.get("data_dir")))
        if isinstance(source, LocalSource) and source == embedded:
            raise
        loaded = load_source(embedded, accepted)
        warning = f"{exc} Showing the embedded dataset instead; check the setting {env}."
        return Loaded(loaded.results, loaded.rejected, loaded.source_label, warning)
