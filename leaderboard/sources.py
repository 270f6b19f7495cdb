"""Where results come from: the embedded dataset (``LocalSource``) or a Hub dataset (``HubSource``).

Both return raw frames; ``load_results`` validates them, rates them and falls back to the
embedded data with a one-line message when the configured Hub dataset cannot be loaded.

Before ``datasets.load_dataset`` is asked for a Hub dataset (it retries an unreachable Hub for
about 25 s), ``HUB_GATE`` asks the Hub endpoint for the dataset with a hard deadline
(``HUB_PROBE_DEADLINE_S``) in a daemon thread, so no failure (unresolvable name, refused
connection, an endpoint that never answers) costs more than the deadline. A failure is remembered
for the ``hub_retry_s`` setting: loads within that time fail at once, without the network.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from leaderboard import settings
from leaderboard.errors import EnergyScoreError, SourceError
from leaderboard.quality import (
    METRICS_FILE,
    QualityError,
    QualityTable,
    frame_records,
    load_folder,
    load_records,
    parse_metrics,
)
from leaderboard.results import Results
from leaderboard.schema import Rejected, ResultRow, validate_frame


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
        frames = []
        for f in self.files():
            try:
                frames.append(pd.read_parquet(f))
            except (OSError, ValueError) as exc:  # pyarrow's errors are both (ArrowInvalid, ArrowIOError)
                first_line = (str(exc).splitlines() or [type(exc).__name__])[0]
                raise SourceError(f"Could not read {f}: {first_line[:200]}") from exc
        return pd.concat(frames, ignore_index=True)


DEFAULT_HUB_ENDPOINT = "https://huggingface.co"
HUB_PROBE_DEADLINE_S = 1.0
"""The longest a load waits for the Hub to answer before it falls back. The command line starts in
about 0.5 s, so a failing ``python -m leaderboard export`` stays within 2 s; a healthy Hub answers
the probe in well under a second."""

_TRUE_VALUES = {"1", "ON", "YES", "TRUE"}

Probe = Callable[[str, str, str, float], str | None]
"""``probe(endpoint, repo_id, revision, timeout_s)``: None when the Hub answered, else why not."""


def hub_endpoint(environ: Mapping[str, str] | None = None) -> str:
    """The Hub address, read from ``HF_ENDPOINT`` now (``huggingface_hub`` reads it at import)."""
    environ = os.environ if environ is None else environ
    endpoint = environ.get("HF_ENDPOINT", DEFAULT_HUB_ENDPOINT).strip().rstrip("/")
    if not endpoint.startswith(("http://", "https://")):
        raise SourceError(f"HF_ENDPOINT = {endpoint[:100]!r} is not an http:// or https:// address; fix or unset it.")
    return endpoint


def offline_variable(environ: Mapping[str, str] | None = None) -> str | None:
    """The variable that puts the Hub clients in offline mode, or None when they may use the network.

    Mirrors ``datasets``: ``HF_DATASETS_OFFLINE`` when it is set, else ``HF_HUB_OFFLINE``."""
    environ = os.environ if environ is None else environ
    for name in ("HF_DATASETS_OFFLINE", "HF_HUB_OFFLINE"):
        value = environ.get(name)
        if value is not None:
            return name if value.strip().upper() in _TRUE_VALUES else None
    return None


def _unwrap(exc: BaseException) -> BaseException:
    """The error under urllib's ``URLError`` wrapper (a refused connection, a failed lookup...)."""
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        return exc.reason
    return exc


def _failure_kind(exc: BaseException, endpoint: str) -> str:
    """One short clause naming why a request to ``endpoint`` failed."""
    host = urllib.parse.urlsplit(endpoint).netloc or endpoint
    reason = _unwrap(exc)
    if isinstance(reason, socket.gaierror):
        return f"the name {host} could not be resolved (name not resolved)"
    if isinstance(reason, ConnectionRefusedError):
        return f"{host} refused the connection (connection refused)"
    if isinstance(reason, TimeoutError):
        return f"{endpoint} did not answer in time (timed out)"
    if isinstance(reason, (ConnectionResetError, ConnectionAbortedError, EOFError, http.client.HTTPException)):
        return f"{host} closed the connection without an HTTP answer (connection closed)"
    if isinstance(reason, ssl.SSLError):
        return f"the TLS handshake with {host} failed (TLS error: {reason.reason or reason})"
    first_line = (str(reason).strip().splitlines() or [""])[0][:150]
    return f"{type(reason).__name__} while asking {host}: {first_line}".rstrip(": ")


def probe_endpoint(endpoint: str, repo_id: str, revision: str, timeout_s: float) -> str | None:
    """Ask the Hub API for the dataset once, without credentials. Any HTTP answer below 500 means the
    Hub is reachable (404 or 401 are left for ``load_dataset`` to report); returns why not otherwise.

    A blocking name lookup ignores ``timeout_s``: callers bound this with a thread (``HubGate``)."""
    url = (
        f"{endpoint}/api/datasets/{urllib.parse.quote(repo_id, safe='/')}"
        f"/revision/{urllib.parse.quote(revision, safe='')}"
    )
    request = urllib.request.Request(url, headers={"User-Agent": "ai-energy-score-leaderboard"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s):  # http(s) only: hub_endpoint() checks
            return None
    except urllib.error.HTTPError as exc:
        exc.close()
        return None if exc.code < 500 else f"{endpoint} answered HTTP {exc.code} (server error)"
    except (OSError, ValueError, http.client.HTTPException) as exc:
        if isinstance(_unwrap(exc), ssl.SSLCertVerificationError):
            return None  # the endpoint answered; whether its certificate is trusted is the Hub client's call
        return _failure_kind(exc, endpoint)


@dataclass
class _Attempt:
    """One probe in flight; loads that ask for the same dataset meanwhile wait on it."""

    done: threading.Event = field(default_factory=threading.Event)
    failure: str | None = None


@dataclass
class HubGate:
    """Bounds and remembers Hub failures per (endpoint, repo id, revision).

    ``check`` returns when the Hub answered within ``deadline_s`` and raises ``SourceError`` when it
    did not or when a failure is remembered from less than ``retry_s`` ago (read with ``clock``)."""

    probe: Probe = probe_endpoint
    deadline_s: float = HUB_PROBE_DEADLINE_S
    clock: Callable[[], float] = time.monotonic
    _failures: dict[tuple[str, str, str], tuple[float, str]] = field(default_factory=dict, repr=False)
    _in_flight: dict[tuple[str, str, str], _Attempt] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def remembered(self, key: tuple[str, str, str], retry_s: float) -> str | None:
        """The failure remembered for ``key`` and its age, while it is younger than ``retry_s``."""
        with self._lock:
            entry = self._failures.get(key)
        if entry is None:
            return None
        age = max(0.0, self.clock() - entry[0])
        if age >= retry_s:
            return None
        return f"{entry[1]}, {age:.0f} s ago; next attempt in {retry_s - age:.0f} s ({_retry_env()})."

    def remember(self, key: tuple[str, str, str], failure: str) -> None:
        with self._lock:
            self._failures[key] = (self.clock(), failure)

    def forget(self, key: tuple[str, str, str]) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def check(self, endpoint: str, repo_id: str, revision: str, retry_s: float) -> None:
        """Return when the Hub answers for ``repo_id`` within the deadline; else raise ``SourceError``."""
        key = (endpoint, repo_id, revision)
        remembered = self.remembered(key, retry_s)
        if remembered:
            raise SourceError(remembered)
        with self._lock:
            attempt = self._in_flight.get(key)
            if attempt is None:
                attempt = self._in_flight[key] = _Attempt()
                threading.Thread(
                    target=self._run, args=(key, attempt), daemon=True, name=f"hub-probe {repo_id}"
                ).start()
        if attempt.done.wait(self.deadline_s):
            failure = attempt.failure
        else:
            failure = f"{endpoint} did not answer within {self.deadline_s:g} s (timed out)"
        if failure is None:
            self.forget(key)
            return
        self.remember(key, failure)
        when = f"next attempt in {retry_s:g} s" if retry_s > 0 else "next attempt on the next load"
        raise SourceError(f"{failure}; {when} ({_retry_env()}).")

    def _run(self, key: tuple[str, str, str], attempt: _Attempt) -> None:
        try:
            attempt.failure = self.probe(key[0], key[1], key[2], self.deadline_s)
        except Exception as exc:  # noqa: BLE001 - a probe that breaks is a failed probe, reported
            attempt.failure = _failure_kind(exc, key[0])
        finally:
            attempt.done.set()
            with self._lock:
                if self._in_flight.get(key) is attempt:
                    del self._in_flight[key]


def _retry_env() -> str:
    return settings.SETTINGS_BY_NAME["hub_retry_s"].env


HUB_GATE = HubGate()
"""The process-wide gate; tests replace it with one that has their clock, probe and deadline."""


@dataclass(frozen=True)
class HubSource:
    """A results dataset on the Hugging Face Hub, read with ``datasets.load_dataset``.

    ``repo_id`` may also be a local dataset folder, which ``load_dataset`` reads the same way
    (without asking the Hub first). For a Hub id, ``HUB_GATE`` bounds an unreachable Hub to
    ``HUB_PROBE_DEADLINE_S`` and remembers the failure for ``hub_retry_s``.
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
        try:
            return self._load()
        except SourceError as exc:
            raise SourceError(f"Could not load {self.label}: {exc}") from (exc.__cause__ or exc)

    def _load(self) -> pd.DataFrame:
        if os.path.isdir(self.repo_id):  # the test load_dataset makes: a local folder, never the Hub
            return self._read()
        offline = offline_variable()
        if offline:  # load_dataset reads only its cache then: no network, no wait
            try:
                return self._read()
            except SourceError as exc:
                raise SourceError(
                    f"{exc} ({offline} is set, so only a cached copy can be read; unset it to read the Hub)"
                ) from exc.__cause__
        retry_s = settings.hub_retry_s()
        key = (hub_endpoint(), self.repo_id, self.revision())
        HUB_GATE.check(*key, retry_s)
        try:
            return self._read()
        except SourceError as exc:
            HUB_GATE.remember(key, str(exc))  # the Hub answered but the load failed: do not repeat it per page
            raise

    def _read(self) -> pd.DataFrame:
        import datasets  # imported here: slow, and only needed for the Hub path

        try:
            ds = datasets.load_dataset(self.repo_id, revision=self.revision_, split="train")
        except Exception as exc:  # noqa: BLE001 - any failure of the third-party loader is reported
            first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise SourceError(f"{type(exc).__name__}: {first_line[:200]}") from exc
        frame: pd.DataFrame = ds.to_pandas()
        return frame


@dataclass(frozen=True)
class Loaded:
    """The outcome of loading: rated results, rows left out, and what was actually read."""

    results: Results
    rejected: list[Rejected] = field(default_factory=list)
    source_label: str = "embedded dataset"
    warning: str | None = None


def load_source(source: LocalSource | HubSource, accepted: Sequence[ResultRow] = ()) -> Loaded:
    """Validate and rate one source's rows together with ``accepted`` result rows (accepted
    submissions, which the caller reads from its store). Raises ``SourceError`` if the source
    cannot be read."""
    raw = source.load()
    if accepted:
        raw = pd.concat([raw, pd.DataFrame([row.to_dict() for row in accepted])], ignore_index=True)
    good, rejected = validate_frame(raw)
    label = source.label + (f" + {len(accepted)} accepted submission(s)" if accepted else "")
    return Loaded(Results.from_frame(good), rejected, label)


def configured_source() -> LocalSource | HubSource:
    """The source named by the settings (may raise ``SettingError``)."""
    repo = settings.results_dataset()
    if repo:
        return HubSource(repo, settings.get("results_revision"))
    return LocalSource(Path(settings.required("data_dir")))


def load_results(source: LocalSource | HubSource | None = None, accepted: Sequence[ResultRow] = ()) -> Loaded:
    """Load the configured source; on failure fall back to the embedded data with a warning."""
    env = settings.SETTINGS_BY_NAME["results_dataset"].env
    try:
        source = source or configured_source()
        return load_source(source, accepted)
    except EnergyScoreError as exc:
        embedded = LocalSource(Path(settings.required("data_dir")))
        if isinstance(source, LocalSource) and source == embedded:
            raise
        loaded = load_source(embedded, accepted)
        warning = f"{exc} Showing the embedded dataset instead; check the setting {env}."
        return Loaded(loaded.results, loaded.rejected, loaded.source_label, warning)


QUALITY_FOLDER = "quality"  # the embedded quality registry, inside the data folder


def embedded_quality_dir() -> Path:
    return Path(settings.required("data_dir")) / QUALITY_FOLDER


def load_quality(source: LocalSource | HubSource | Path | None = None) -> QualityTable:
    """The quality table (``leaderboard.quality``): a registry folder, or a Hub dataset read as results are
    (its rows name their task; the metrics are the embedded ``metrics.csv``'s). Unset: the ``quality_dataset``
    setting, else the embedded copy. A Hub dataset that cannot be read or is refused gives the embedded
    copy, with the reason in ``refused``."""
    folder = embedded_quality_dir()
    if isinstance(source, Path):
        return load_folder(source, f"quality folder {source}")
    if source is None:
        try:
            repo = settings.quality_dataset()
        except EnergyScoreError as exc:
            embedded = load_folder(folder)
            return QualityTable(
                embedded.rows, embedded.metrics, (str(exc), *embedded.refused), embedded.label, embedded.provenance
            )
        if not repo:
            return load_folder(folder)
        source = HubSource(repo)
    if isinstance(source, LocalSource):
        return load_folder(Path(source.path), f"quality folder {source.path}")
    metrics_path = folder / METRICS_FILE
    try:
        metrics = parse_metrics(metrics_path.read_bytes()) if metrics_path.is_file() else {}
    except QualityError:
        metrics = {}
    try:
        table = load_records(frame_records(source.load()), source.label, metrics)
    except EnergyScoreError as exc:
        table = QualityTable((), metrics, (str(exc),), source.label)
    if table.refused:
        embedded = load_folder(folder)
        env = settings.SETTINGS_BY_NAME["quality_dataset"].env
        note = f"{table.refused[0]} Showing the embedded quality data instead; check the setting {env}."
        return QualityTable(
            embedded.rows, embedded.metrics, (note, *embedded.refused), embedded.label, embedded.provenance
        )
    return table
