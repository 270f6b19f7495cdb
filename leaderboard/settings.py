"""Every setting of the app, declared once: name, environment variable, secrets key, default, help.

A setting is read from the environment first, then from ``.streamlit/secrets.toml``
(the file Streamlit reads), then its default. Reading the file here keeps this module UI-free.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from leaderboard.errors import SettingError
from leaderboard.hardware import OFFICIAL_HARDWARE
from leaderboard.schema import HUB_ID_PATTERN

ROOT = Path(__file__).resolve().parents[1]
EMBEDDED_DATA_DIR = ROOT / "data"
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    secrets_key: str
    default: str | None
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "results_dataset",
        "AIES_RESULTS_DATASET",
        "results_dataset",
        None,
        "Hub dataset `org/name` to read results from. Unset: the embedded dataset in `data/`.",
    ),
    Setting(
        "results_revision",
        "AIES_RESULTS_REVISION",
        "results_revision",
        None,
        "Branch, tag or commit of `results_dataset` to read. Unset: the default branch.",
    ),
    Setting(
        "public_url",
        "AIES_PUBLIC_URL",
        "public_url",
        None,
        "Public address of this leaderboard (the app, or its static site where one is deployed): labels' QR codes "
        "and embed snippets link to `<address>/model?id=…`. Unset: the app uses the address it is opened at; the "
        "label command line uses the local app's address, `http://localhost:8501`, and says so.",
    ),
    Setting(
        "app_url",
        "AIES_APP_URL",
        "app_url",
        None,
        "The Streamlit app's address, where the static site sends visitors to Submit and to make custom labels. "
        "Unset: `http://localhost:8501` (the site build says so).",
    ),
    Setting(
        "site_url",
        "AIES_SITE_URL",
        "site_url",
        None,
        "The static site's address, where one is deployed (`python -m leaderboard site`): the app links to it. "
        "Unset: no link.",
    ),
    Setting(
        "official_hardware",
        "AIES_OFFICIAL_HARDWARE",
        "official_hardware",
        OFFICIAL_HARDWARE,
        "The official board's hardware: the leaderboard opens on the results published on it.",
    ),
    Setting(
        "store_dir",
        "AIES_STORE_DIR",
        "store_dir",
        str(ROOT / "store"),
        "Folder of the submission store (uploads, decisions, accepted results, Hub push queue).",
    ),
    Setting(
        "current_cohort",
        "AIES_CURRENT_COHORT",
        "current_cohort",
        None,
        "Cohort that accepted submissions join, `YYYY-MM`. Unset: the newest round the task registry knows.",
    ),
    Setting(
        "hub_results_repo",
        "AIES_HUB_RESULTS_REPO",
        "hub_results_repo",
        None,
        "Hub dataset `org/name` that accepted results are pushed to (with the token in `HF_TOKEN`).",
    ),
    Setting(
        "data_dir",
        "AIES_DATA_DIR",
        "data_dir",
        str(EMBEDDED_DATA_DIR),
        "Folder of the embedded results dataset (Parquet + dataset card).",
    ),
    Setting(
        "quality_dataset",
        "AIES_QUALITY_DATASET",
        "quality_dataset",
        None,
        "Hub dataset `org/name` of quality figures shown beside the energy (the columns of `data/quality/`, with "
        "`task`). Unset: the embedded copy in `data/quality/`.",
    ),
    Setting(
        "hub_retry_s",
        "AIES_HUB_RETRY_S",
        "hub_retry_s",
        "300",
        "Seconds to remember that the Hub dataset could not be loaded: loads within that time show the "
        "embedded dataset at once. 0: try the Hub on every load.",
    ),
)
SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


def _secrets(path: Path) -> dict[str, object]:
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingError(f"{path} is not valid TOML ({exc}). Fix or remove the file.") from None


def get(name: str, *, environ: Mapping[str, str] | None = None, secrets_file: Path = SECRETS_FILE) -> str | None:
    """The value of setting ``name`` (environment, then secrets file, then default)."""
    setting = SETTINGS_BY_NAME[name]
    env: Mapping[str, str] = os.environ if environ is None else environ
    value: object = env.get(setting.env)
    if isinstance(value, str) and not value.strip():
        value = None
    if value is None:
        value = _secrets(secrets_file).get(setting.secrets_key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return setting.default
    return str(value).strip()


def required(name: str) -> str:
    """The value of a setting that has a default (so it always has a value)."""
    value = get(name)
    if value is None:
        raise SettingError(f"Setting {SETTINGS_BY_NAME[name].env} has no value and no default.")
    return value


def results_dataset(*, environ: Mapping[str, str] | None = None, secrets_file: Path = SECRETS_FILE) -> str | None:
    """The configured Hub results dataset id, validated as ``org/name``, or None."""
    value = get("results_dataset", environ=environ, secrets_file=secrets_file)
    if value is not None and not HUB_ID_PATTERN.match(value):
        setting = SETTINGS_BY_NAME["results_dataset"]
        raise SettingError(f"{setting.env} = {value[:100]!r} is not a Hub dataset id of the form org/name.")
    return value


def quality_dataset(*, environ: Mapping[str, str] | None = None, secrets_file: Path = SECRETS_FILE) -> str | None:
    """The configured Hub quality dataset id, validated as ``org/name``, or None."""
    value = get("quality_dataset", environ=environ, secrets_file=secrets_file)
    if value is not None and not HUB_ID_PATTERN.match(value):
        setting = SETTINGS_BY_NAME["quality_dataset"]
        raise SettingError(f"{setting.env} = {value[:100]!r} is not a Hub dataset id of the form org/name.")
    return value


LOCAL_APP_URL = "http://localhost:8501"  # where `bash scripts/app` serves the app
_PUBLIC_URL = re.compile(r"^https?://[A-Za-z0-9.\-]+(?::([0-9]{1,5}))?(/[A-Za-z0-9._~\-/%]*)?$")


def web_address(value: str, where: str) -> str:
    """``value`` as an address (``http(s)://host[:port][/path]``, no trailing slash); else a one-line error
    naming ``where`` it came from (a setting's variable, a command-line option)."""
    value = value.strip()
    match = _PUBLIC_URL.match(value)
    if len(value) > 300 or not match or not 0 < int(match.group(1) or 80) < 65536:
        raise SettingError(
            f"{where} = {value[:100]!r} is not a web address of the form https://host[/path]. "
            "Give the address people open it at."
        )
    return value.rstrip("/")


def address(name: str, *, environ: Mapping[str, str] | None = None, secrets_file: Path = SECRETS_FILE) -> str | None:
    """An address setting (``public_url``, ``app_url``, ``site_url``), validated, or None where unset."""
    value = get(name, environ=environ, secrets_file=secrets_file)
    return None if value is None else web_address(value, SETTINGS_BY_NAME[name].env)


def public_url(*, environ: Mapping[str, str] | None = None, secrets_file: Path = SECRETS_FILE) -> str | None:
    """The configured public address labels link to, or None."""
    return address("public_url", environ=environ, secrets_file=secrets_file)


def hub_retry_s(*, environ: Mapping[str, str] | None = None, secrets_file: Path = SECRETS_FILE) -> float:
    """Seconds a failed Hub load is remembered before the Hub is asked again (>= 0)."""
    setting = SETTINGS_BY_NAME["hub_retry_s"]
    value = get("hub_retry_s", environ=environ, secrets_file=secrets_file) or str(setting.default)
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise SettingError(
            f"{setting.env} = {value[:100]!r} is not a number of seconds >= 0. "
            f"Set it to e.g. {setting.default}, or 0 to try the Hub on every load."
        )
    return seconds
