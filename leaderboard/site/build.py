"""Build the static site: every page, label and data file as bytes by path (``build_site``), then write
them into a folder (``write_site``). The same results give the same bytes: files are made in a fixed
order, with no dates, and the assets' version is a hash of their content, so a CDN re-fetches only
what changed.

Pages come from the jinja2 templates in ``templates/site/`` (autoescaped, strict). Each page gets
``link(path, fragment="")``, the relative link from it to another path of the site
(``leaderboard.site.paths.href``), so the site works under any base path.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from label.model import CARD_HEIGHT_PX, CARD_WIDTH_PX, label_for_row
from label.render import render_many
from leaderboard import links
from leaderboard.board import render_list
from leaderboard.board import style as board_style
from leaderboard.errors import ValidationError
from leaderboard.exports import export_csv, export_json, export_parquet, quality_csv, quality_json, quality_parquet
from leaderboard.formatting import energy_short, energy_wh, month_name, plural, task_name
from leaderboard.quality import QualityTable
from leaderboard.results import Results
from leaderboard.schema import hub_url
from leaderboard.search import MAX_QUERY_CHARS
from leaderboard.site import paths
from leaderboard.site.boards import Board, task_board
from leaderboard.site.model_pages import SCALE_NOTE, model_page, round_name, stable_labels
from leaderboard.stability import render_report, stability
from leaderboard.svg_charts import StripRow, strip_chart
from leaderboard.tasks import MAX_STARS, TASKS_BY_ID, board_cohorts
from leaderboard.uncertainty import HARNESS_SPREADS

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates" / "site"
ASSETS = ROOT / "assets" / "site"
# The app's pages the site links to (``leaderboard/ui/pages.py`` names them): what needs a server.


@dataclass(frozen=True)
class SiteOptions:
    """public_url: the site's own address (labels, embed snippets and the sitemap use it); app_url:
    the Streamlit app's address (Submit, custom labels); official_hardware: the official board's GPU."""

    public_url: str
    app_url: str
    official_hardware: str


@dataclass(frozen=True)
class LeftOut:
    """A model the site leaves out (its results too: no page, no label, no row), and why."""

    model: str
    rows: int
    reason: str


@dataclass(frozen=True)
class Site:
    files: dict[str, bytes]
    pages: int
    labels: int
    models: int
    left_out: tuple[LeftOut, ...] = ()  # models whose id cannot be a path of the site, each with why


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["energy"] = energy_wh
    env.filters["task_name"] = task_name
    env.filters["round_name"] = round_name
    env.filters["month_name"] = month_name  # a Round box's options: the label says it is a round
    env.filters["wbr"] = _break_after_org
    env.filters["list_id"] = _list_id
    return env


def _break_after_org(model: str) -> Markup:
    """A model id that may break after its organisation on a narrow screen: 'org/<wbr>name', escaped."""
    org, slash, name = str(model).partition("/")
    return Markup("{}{}<wbr>{}").format(org, slash, name)


def _list_id(key: str) -> str:
    """An HTML id from a list's key (its rating group in words): 'list-class-a-round-2025-12-…'."""
    return "list-" + "-".join("".join(c if c.isascii() and c.isalnum() else " " for c in key.lower()).split())


def _asset_version(assets: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(assets):
        digest.update(name.encode() + b"\0" + assets[name])
    return digest.hexdigest()[:10]


class _Pages:
    """Renders templates into ``files``, each with the links of its own place in the site."""

    def __init__(self, options: SiteOptions, common: dict[str, Any]) -> None:
        self.env = _environment()
        self.options = options
        self.common = common
        self.files: dict[str, bytes] = {}

    def render(self, template: str, path: str, *, absolute: bool = False, **context: Any) -> None:
        """``absolute``: links from the site's root path (the public address's path, no host: a 404 page
        is served at any depth, where relative links would not resolve, and on whatever host serves it)."""
        link: Callable[..., str] = (
            partial(paths.public, urlsplit(self.options.public_url).path) if absolute else partial(paths.href, path)
        )
        text = self.env.get_template(template).render(
            **self.common, **context, path=path, link=link, root=paths.root_of(path)
        )
        self.files[path] = text.encode("utf-8")


def _overview(official: Results) -> tuple[list[dict[str, Any]], str]:
    rows = []
    strips = []
    for item in official.overview().to_dict("records"):
        low, high = float(item["Lowest GPU energy (Wh/1k queries)"]), float(item["Highest GPU energy (Wh/1k queries)"])
        rows.append(
            {
                "task": item["task"],
                "name": item["Task"],
                "models": int(item["Models"]),
                "results": int(item["Results"]),
                "low": energy_wh(low),
                "high": energy_wh(high),
                "best": str(item["Most efficient model"]),
                # The board opens on every class and round the official board lists: the lists this row sums up.
                "query": "?class=all&cohort=all" if TASKS_BY_ID[str(item["task"])].has_classes else "?cohort=all",
            }
        )
        strips.append(StripRow(str(item["Task"]), low, high, f"{energy_short(low)}–{energy_short(high)} Wh"))
    chart = strip_chart(strips, "Range of GPU energy per task on the official board (Wh per 1,000 queries, log scale)")
    return rows, str(chart)


def _listed(board: Board) -> str:
    """The rounds a board's *Latest round* shows, space-separated: the latest official round and the earlier
    ones it lists beside its own (``tasks.board_cohorts``), as the app's board shows them."""
    if not board.lists:
        return ""
    latest = board.lists[0].cohort  # the default list's: the latest round on the official hardware
    return " ".join(sorted({c for c in board_cohorts(board.task) if c in board.cohorts} | {latest}, reverse=True))


def _board_json(board: Board) -> bytes:
    data = dataclasses.asdict(board)
    for item, site_list in zip(data["lists"], board.lists, strict=True):
        for row, board_row in zip(item["board_list"]["rows"], site_list.board_list.rows, strict=True):
            row["p_shown"] = board_row.p_shown
            row["sure"] = board_row.sure
            row["model_page"] = paths.url_path(paths.model_page(row["model"]))
            row["label_svg"] = paths.url_path(paths.record_label(row["record"], "svg"))
        for chart in item["board_list"]["quality_charts"]:
            chart.pop("svg", None)  # the chart is the page's; the data keep the front in words
    return (json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _page_models(results: Results) -> tuple[list[str], list[LeftOut]]:
    """The models that get a page, and those left out with why. A page needs a Hub id (``paths.is_model_id``)
    whose names are the same on every system (``paths.name_problem``: no Windows device name, no trailing
    dot or space), one spelling each: ids that differ only in case or Unicode normal form (``paths.portable_key``)
    would be one folder on a case-insensitive or normalising disk, so the spelling with the most results keeps
    the page (then the first in order) and the others are left out."""
    counts = results.frame["model"].value_counts()
    left_out: list[LeftOut] = []
    chosen: dict[str, str] = {}
    for model in sorted(results.values("model")):
        if not paths.is_model_id(model):
            left_out.append(LeftOut(model, int(counts[model]), "not a Hub id org/name"))
            continue
        problem = next(filter(None, map(paths.name_problem, model.split("/"))), None)
        if problem is not None:
            left_out.append(LeftOut(model, int(counts[model]), f"{problem}: its folder would not be portable"))
            continue
        key = paths.portable_key(model)
        if key not in chosen or int(counts[model]) > int(counts[chosen[key]]):
            chosen[key] = model
    kept = set(chosen.values())
    for model in sorted(m for m in results.values("model") if paths.is_model_id(m) and m not in kept):
        if any(o.model == model for o in left_out):
            continue
        left_out.append(
            LeftOut(
                model,
                int(counts[model]),
                f"another spelling of {chosen[paths.portable_key(model)]!r} (case or Unicode form only): one "
                "folder on a case-insensitive or normalising disk",
            )
        )
    return sorted(kept), left_out


def build_site(results: Results, options: SiteOptions, quality: QualityTable | None = None) -> Site:
    """Every file of the site, by path. A model whose id cannot be a path of the site (``_page_models``), or
    whose paths would clash with another file's or folder's (``_clashes``), is left out with its results and
    named in ``Site.left_out``; the rest of the site is built."""
    models, left_out = _page_models(results)
    while True:
        kept = results if not left_out else Results(results.frame[results.frame["model"].isin(set(models))])
        files, owners, pages, labels = _files(kept, options, models, quality)
        clashes = _clashes(files, owners, kept)
        if not clashes:
            break
        counts = kept.frame["model"].value_counts()
        for model, reason in clashes.items():
            left_out.append(LeftOut(model, int(counts[model]), reason))
            models.remove(model)
    return Site(
        files=dict(sorted(files.items())),
        pages=pages,
        labels=labels,
        models=len(models),
        left_out=tuple(sorted(left_out, key=lambda o: o.model)),
    )


def _clashes(files: dict[str, bytes], owners: dict[str, str], results: Results) -> dict[str, str]:
    """The models to leave out, with why, so that no two names of the site are one on any disk: a file that
    is also a folder (``model/index.html`` and ``model/index.html/x/``), or two files or two folders spelt
    differently with one ``paths.portable_key`` (one name on a case-insensitive or normalising disk).
    ``owners``: the model whose page or label each file is. Of two models, the one with fewer results (then
    the later id) goes; a clash that no model makes is the scheme's own fault, and stops the build."""
    names: dict[str, tuple[str, str]] = {}  # portable key of each file and folder -> (its spelling, a file)
    is_folder: dict[str, str] = {}  # portable key of each folder -> a file inside it
    pairs: list[tuple[str, str]] = []
    for path in files:
        parts = path.split("/")
        for n in range(1, len(parts) + 1):
            name = "/".join(parts[:n])
            key = paths.portable_key(name)
            spelt, first = names.setdefault(key, (name, path))
            if spelt != name:
                pairs.append((first, path))
            if n < len(parts):
                is_folder.setdefault(key, path)
    pairs += [(path, is_folder[paths.portable_key(path)]) for path in files if paths.portable_key(path) in is_folder]
    counts = results.frame["model"].value_counts()
    out: dict[str, str] = {}
    for a, b in pairs:
        involved = sorted({owners[p] for p in (a, b) if p in owners}, key=lambda m: (-int(counts[m]), m))
        if not involved:
            raise ValidationError(f"the site's paths {a!r} and {b!r} clash; nothing written. Please report it.")
        if out.keys() & set(involved):
            continue  # leaving out a model already chosen settles this clash too
        mine, other = (a, b) if owners.get(a) == involved[-1] else (b, a)
        out[involved[-1]] = f"its path {mine!r} and {other!r} would be one name, or a file and a folder, on some disks"
    return out


def _files(
    results: Results, options: SiteOptions, models: list[str], quality: QualityTable | None = None
) -> tuple[dict[str, bytes], dict[str, str], int, int]:
    """The site's files by path, the model each model page and stable label belongs to, the number of
    pages and of labels."""
    hardware = options.official_hardware
    assets = {name: (ASSETS / name).read_bytes() for name in ("site.css", "site.js")}
    assets["site.js"] = (ASSETS / "search.js").read_bytes() + b"\n" + assets["site.js"]  # the search rule first
    assets["board.css"] = board_style().encode("utf-8")
    tasks = results.tasks()
    official = results.official(hardware)
    pages = _Pages(
        options,
        {
            "tasks": [(t, task_name(t)) for t in tasks],
            "app_url": options.app_url.rstrip("/"),
            "app_submit": f"{options.app_url.rstrip('/')}/{links.SUBMIT_PAGE_PATH}",
            "app_label": f"{options.app_url.rstrip('/')}/{links.LABEL_PAGE_PATH}",
            "public_url": options.public_url.rstrip("/"),
            "asset_version": _asset_version(assets),
            "paths": paths,
            "max_stars": MAX_STARS,
            "card": (CARD_WIDTH_PX, CARD_HEIGHT_PX),
            "hub_url": hub_url,
            "official_hardware": hardware,
            "scale_note": SCALE_NOTE,
            "max_query_chars": MAX_QUERY_CHARS,
        },
    )
    files = pages.files
    owners: dict[str, str] = {}
    files[paths.STYLESHEET] = assets["site.css"]
    files[paths.SCRIPT] = assets["site.js"]
    files[paths.BOARD_STYLESHEET] = assets["board.css"]
    files[paths.NO_JEKYLL] = b""
    files[paths.BUILD_MARK] = (
        f"Built by python -m leaderboard site. A rebuild rewrites the files {paths.MANIFEST} lists and no others.\n"
    ).encode()

    overview, chart = _overview(official)
    pages.render(
        "index.html.j2",
        paths.INDEX,
        overview=overview,
        chart=chart,
        counts=(plural(len(official), "result"), plural(len(official.values("model")), "model")),
    )
    for task in tasks:
        board = task_board(results, task, hardware, quality)
        here = paths.board(task)
        pages.render(
            "board.html.j2",
            here,
            board=board,
            task=TASKS_BY_ID[task],
            render_list=render_list,
            listed=_listed(board),
            model_href=lambda row, here=here: paths.href(here, paths.model_page(row.model), row.record),
            label_href=lambda row, here=here: paths.href(here, paths.record_label(row.record, "svg")),
        )
        files[paths.board_data(task)] = _board_json(board)

    report = stability(results)
    total = report.total
    pages.render(
        "stability.html.j2",
        paths.STABILITY,
        report_html=Markup(render_report(report)),
        spreads=HARNESS_SPREADS,
        summary=f"{total.sure} of {total.results} stars are sure, {total.not_sure} are not, and for {total.unknown} "
        "it cannot be told: their uncertainty is unknown.",
    )
    files[paths.STABILITY_DATA] = (json.dumps(report.to_json(), indent=1, ensure_ascii=False) + "\n").encode("utf-8")

    stable = stable_labels(results, hardware)
    for model in models:
        page = model_page(results, model, hardware, options.public_url, stable, quality)
        pages.render("model.html.j2", page.path, page=page)
        owners[page.path] = model
    for redirect in paths.MODEL_REDIRECTS:
        pages.render("models.html.j2", redirect, models=models)
    pages.render("404.html.j2", paths.NOT_FOUND, absolute=True)
    sitemap = [
        paths.INDEX,
        *(paths.board(t) for t in tasks),
        paths.STABILITY,
        *(paths.model_page(m) for m in models),
    ]
    pages.render("sitemap.xml.j2", paths.SITEMAP, urls=[paths.public(options.public_url, p) for p in sitemap])
    page_count = len(files) - 5

    files[paths.results_data("csv")] = export_csv(results).encode("utf-8")
    files[paths.results_data("json")] = export_json(results).encode("utf-8")
    files[paths.results_data("parquet")] = export_parquet(results)
    if quality is not None and quality.rows:
        files[paths.quality_data("csv")] = quality_csv(quality).encode("utf-8")
        files[paths.quality_data("json")] = quality_json(quality).encode("utf-8")
        files[paths.quality_data("parquet")] = quality_parquet(quality)
        if quality.provenance:
            files[paths.QUALITY_PROVENANCE] = quality.provenance.encode("utf-8")

    labels = 0
    rows = list(results.frame.sort_values("run_id", kind="stable").itertuples(index=False))
    made = [label_for_row(row, options.public_url) for row in rows]
    for row, label, (svg_text, png) in zip(rows, made, render_many(made), strict=True):
        svg = svg_text.encode("utf-8")
        record = label.record
        files[paths.record_label(record, "svg")] = svg
        files[paths.record_label(record, "png")] = png
        labels += 1
        if str(row.run_id) in stable:
            model, effort, task = stable[str(row.run_id)]
            for fmt, data in (("svg", svg), ("png", png)):
                files[paths.stable_label(model, task, effort, fmt)] = data
                owners[paths.stable_label(model, task, effort, fmt)] = model
            labels += 1
    return files, owners, page_count, labels


@dataclass(frozen=True)
class Written:
    """What a write did: files written, unchanged, removed (an earlier build's, no longer written), and
    kept (an earlier build's, no longer written, changed since: left where they are)."""

    written: int
    unchanged: int
    removed: int
    kept: int = 0


MAX_MANIFEST_BYTES = 64 * 1024 * 1024  # a manifest of a site of ~500,000 files; a larger one is not ours
FORCE_FLAG = "--force"  # writes into a folder with other files, keeping every file it does not write


def read_manifest(out: Path) -> dict[str, str] | None:
    """The files the last build wrote into ``out`` (path -> SHA-256), or None where there is no manifest.
    A manifest that is not one this command writes is a one-line ``ValidationError``."""
    path = out / paths.MANIFEST
    if path.is_symlink() or not path.is_file():
        return None
    where = f"{str(path)!r} is not a manifest this command wrote"
    fix = f"remove it, and rebuild with {FORCE_FLAG} (files the site does not write are kept)."
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise ValidationError(f"{where} (larger than {MAX_MANIFEST_BYTES // (1024 * 1024)} MB): {fix}")
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError):
        raise ValidationError(f"{where} (not JSON): {fix}") from None
    listed = data.get("files") if isinstance(data, dict) else None
    if not isinstance(listed, dict) or not all(
        isinstance(k, str) and _inside(k) and isinstance(v, str) and len(v) == 64 for k, v in listed.items()
    ):
        raise ValidationError(f"{where} (its files are not paths inside the folder with their SHA-256): {fix}")
    return dict(listed)


def _inside(rel: str) -> bool:
    """Whether ``rel`` is a relative path of a file inside the folder (no '..', '.', empty or absolute part)."""
    parts = rel.split("/")
    return (
        "\\" not in rel and "\0" not in rel and all(p not in ("", ".", "..") for p in parts) and rel != paths.MANIFEST
    )


def check_out_dir(out: Path, *, force: bool = False) -> None:
    """``ValidationError`` (one line) when ``out`` cannot take the site: a file, a link to nowhere, a folder
    that cannot be written, or a folder with files that no earlier build of this command made (no
    manifest, ``paths.MANIFEST``), unless ``force``."""
    if out.is_symlink() and not out.exists():
        raise ValidationError(
            f"--out {str(out)!r} is a symbolic link to {os.readlink(out)[:100]!r}, which does not exist: give a folder."
        )
    if out.exists() and not out.is_dir():
        raise ValidationError(f"--out {str(out)!r} is a file: give a folder (new, empty, or a site built before).")
    existing = next(p for p in (out, *out.absolute().parents) if p.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK):
        raise ValidationError(
            f"--out {str(out)!r} cannot be written ({existing} is not a folder you can write to). "
            "Give a folder you can write to."
        )
    if out.is_dir() and read_manifest(out) is None and any(out.iterdir()) and not force:
        raise ValidationError(
            f"--out {str(out)!r} is a folder with other files in it and no {paths.MANIFEST} (the list of the files "
            f"an earlier build wrote): give a new or empty folder, or pass {FORCE_FLAG} to write the site into it "
            "(every file it does not write is kept)."
        )


def _link_on_the_way(out: Path, rel: str) -> Path | None:
    """The first symbolic link on the way from ``out`` to ``rel`` (its folders, the file, the name it is first
    written to), or None: a file written or removed through one would land outside the folder."""
    here = out
    for part in rel.split("/")[:-1]:
        here = here / part
        if here.is_symlink():
            return here
        if not here.exists():
            return None  # nothing below a missing folder exists yet
    target = here / rel.rsplit("/", 1)[-1]
    return next((p for p in (target, target.with_name(f".{target.name}.tmp")) if p.is_symlink()), None)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write(target: Path, data: bytes) -> None:
    """Write ``data`` whole to ``target``: to a temporary file beside it, then put in place in one step."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)


def _manifest(listed: dict[str, str]) -> bytes:
    body = {"format": "aies-site-manifest", "files": dict(sorted(listed.items()))}
    return (json.dumps(body, indent=1, sort_keys=True) + "\n").encode("utf-8")


def write_site(site: Site, out: Path, *, force: bool = False) -> Written:
    """Write ``site`` into ``out``: files whose bytes changed are rewritten (others keep their time); files
    the last build wrote (its manifest, ``paths.MANIFEST``) that this one does not are removed, while they
    still hold the bytes it wrote; every other file in the folder (a ``.git``, a ``CNAME``, one changed by
    hand) stays. Refused (``check_out_dir``) for a folder with other files and no manifest unless ``force``.
    The manifest lists every file of both builds while the files are written, then this build's: a write
    cut short never leaves a file of the site unlisted. ``ValidationError`` when ``out`` is not a folder for
    it or cannot be written."""
    check_out_dir(out, force=force)
    previous = read_manifest(out) or {}
    gone = sorted(set(previous) - set(site.files))
    link = next(filter(None, (_link_on_the_way(out, rel) for rel in [*site.files, *gone, paths.MANIFEST])), None)
    if link is not None:
        raise ValidationError(
            f"--out {str(out)!r} holds a symbolic link, {link.relative_to(out).as_posix()[:100]} -> "
            f"{os.readlink(link)[:100]}: a rebuild would write through it, outside the folder. Remove the link, or "
            "give another folder."
        )
    now = {rel: _sha256(data) for rel, data in site.files.items()}
    written = unchanged = removed = kept = 0
    try:
        out.mkdir(parents=True, exist_ok=True)
        _write(out / paths.MANIFEST, _manifest({**previous, **now}))
        for rel, data in site.files.items():
            target = out / rel
            if target.is_file() and target.read_bytes() == data:
                unchanged += 1
                continue
            _write(target, data)
            written += 1
        for rel in gone:
            target = out / rel
            if not target.is_file():
                continue
            if _sha256(target.read_bytes()) != previous[rel]:
                kept += 1  # changed since the build wrote it: someone's now
                continue
            target.unlink()
            removed += 1
            for folder in target.parents:  # the folders it leaves empty, up to the site's own
                if folder == out or any(folder.iterdir()):
                    break
                folder.rmdir()
        _write(out / paths.MANIFEST, _manifest(now))
    except OSError as exc:
        raise ValidationError(
            f"--out {str(out)!r} cannot be written ({exc.strerror or type(exc).__name__}: {exc.filename or out}). "
            "Give a folder you can write to."
        ) from None
    return Written(written, unchanged, removed, kept)
