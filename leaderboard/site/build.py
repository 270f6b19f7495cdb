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
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from label.model import CARD_HEIGHT_PX, CARD_WIDTH_PX, label_for_row
from label.render import render_png, render_svg
from leaderboard import links
from leaderboard.board import render_list
from leaderboard.board import style as board_style
from leaderboard.errors import ValidationError
from leaderboard.exports import export_csv, export_json, export_parquet
from leaderboard.formatting import energy_short, energy_wh, plural, task_name
from leaderboard.results import Results
from leaderboard.schema import hub_url
from leaderboard.site import paths
from leaderboard.site.boards import Board, task_board
from leaderboard.site.model_pages import SCALE_NOTE, model_page, round_name, stable_labels
from leaderboard.stability import render_report, stability
from leaderboard.svg_charts import StripRow, strip_chart
from leaderboard.tasks import MAX_STARS, TASKS_BY_ID
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
class Site:
    files: dict[str, bytes]
    pages: int
    labels: int
    models: int
    left_out: int  # models whose id is not a Hub id, or another spelling of one (case only): no page, no label


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
        """``absolute``: links as full addresses under the public address (a 404 page is served at
        any depth, where relative links would not resolve)."""
        link: Callable[..., str] = (
            partial(paths.public, self.options.public_url) if absolute else partial(paths.href, path)
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
            }
        )
        strips.append(StripRow(str(item["Task"]), low, high, f"{energy_short(low)}–{energy_short(high)} Wh"))
    chart = strip_chart(strips, "Range of GPU energy per task on the official board (Wh per 1,000 queries, log scale)")
    return rows, str(chart)


def _board_json(board: Board) -> bytes:
    data = dataclasses.asdict(board)
    for item, site_list in zip(data["lists"], board.lists, strict=True):
        for row, board_row in zip(item["board_list"]["rows"], site_list.board_list.rows, strict=True):
            row["p_shown"] = board_row.p_shown
            row["sure"] = board_row.sure
            row["model_page"] = paths.url_path(paths.model_page(row["model"]))
            row["label_svg"] = paths.url_path(paths.record_label(row["record"], "svg"))
    return (json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _page_models(results: Results) -> list[str]:
    """The models that get a page: Hub ids (``paths.is_model_id``), one spelling each. Ids that differ only in
    case name one repository on the Hub, and their pages would be one file on a case-insensitive disk: the
    spelling with the most results keeps the page (then the first in order), the others are left out."""
    counts = results.frame["model"].value_counts()
    chosen: dict[str, str] = {}
    for model in sorted(m for m in results.values("model") if paths.is_model_id(m)):
        key = model.casefold()
        if key not in chosen or int(counts[model]) > int(counts[chosen[key]]):
            chosen[key] = model
    return sorted(chosen.values())


def build_site(results: Results, options: SiteOptions) -> Site:
    """Every file of the site, by path. Models whose id is not a Hub id get no page (``paths``)."""
    hardware = options.official_hardware
    assets = {name: (ASSETS / name).read_bytes() for name in ("site.css", "site.js")}
    assets["board.css"] = board_style().encode("utf-8")
    models = _page_models(results)
    left_out = len(results.values("model")) - len(models)
    if left_out:
        results = Results(results.frame[results.frame["model"].isin(set(models))])
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
        },
    )
    files = pages.files
    files[paths.STYLESHEET] = assets["site.css"]
    files[paths.SCRIPT] = assets["site.js"]
    files[paths.BOARD_STYLESHEET] = assets["board.css"]
    files[paths.NO_JEKYLL] = b""
    files[paths.BUILD_MARK] = b"Built by python -m leaderboard site: a rebuild replaces every file in this folder.\n"

    overview, chart = _overview(official)
    pages.render(
        "index.html.j2",
        paths.INDEX,
        overview=overview,
        chart=chart,
        counts=(plural(len(official), "result"), plural(len(official.values("model")), "model")),
    )
    for task in tasks:
        board = task_board(results, task, hardware)
        here = paths.board(task)
        pages.render(
            "board.html.j2",
            here,
            board=board,
            task=TASKS_BY_ID[task],
            render_list=render_list,
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
        page = model_page(results, model, hardware, options.public_url, stable)
        pages.render("model.html.j2", page.path, page=page)
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

    labels = 0
    for row in results.frame.sort_values("run_id", kind="stable").itertuples(index=False):
        label = label_for_row(row, options.public_url)
        svg = render_svg(label).encode("utf-8")
        png = render_png(svg=svg.decode("utf-8"))
        record = label.record
        files[paths.record_label(record, "svg")] = svg
        files[paths.record_label(record, "png")] = png
        labels += 1
        if str(row.run_id) in stable:
            model, effort, task = stable[str(row.run_id)]
            files[paths.stable_label(model, task, effort, "svg")] = svg
            files[paths.stable_label(model, task, effort, "png")] = png
            labels += 1
    folders = {path.rsplit("/", n)[0] for path in files for n in range(1, path.count("/") + 1)}
    clash = next((path for path in sorted(files) if path in folders), None)
    if clash is not None:
        inside = next(path for path in sorted(files) if path.startswith(clash + "/"))
        raise ValidationError(
            f"the site's file {clash!r} would also be the folder of {inside!r} (a model id from the data names it); "
            "nothing written."
        )
    return Site(
        files=dict(sorted(files.items())), pages=page_count, labels=labels, models=len(models), left_out=left_out
    )


@dataclass(frozen=True)
class Written:
    written: int
    unchanged: int
    removed: int


def check_out_dir(out: Path) -> None:
    """``ValidationError`` (one line) when ``out`` cannot take the site: a file, a folder with other
    files than a site this command built (it would be emptied), or one holding a symbolic link (a file
    written through it would land outside the folder)."""
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
    if out.is_dir() and any(out.iterdir()) and not (out / paths.BUILD_MARK).is_file():
        raise ValidationError(
            f"--out {str(out)!r} is a folder with other files in it: give a new or empty folder, or one this "
            "command built before (a rebuild replaces its files)."
        )
    link = _first_link(out) if out.is_dir() else None
    if link is not None:
        raise ValidationError(
            f"--out {str(out)!r} holds a symbolic link, {link.relative_to(out).as_posix()[:100]} -> "
            f"{os.readlink(link)[:100]}: a rebuild would write through it, outside the folder. Remove the link, or "
            "give another folder."
        )


def _first_link(folder: Path) -> Path | None:
    """The first symbolic link inside ``folder`` (links are not followed), or None."""
    for top, dirs, files in os.walk(folder):
        for name in sorted(dirs + files):
            if os.path.islink(os.path.join(top, name)):
                return Path(top, name)
    return None


def write_site(site: Site, out: Path) -> Written:
    """Write ``site`` into ``out``: files whose bytes changed are rewritten (others keep their time),
    files of an earlier build that this one lacks are removed. ``ValidationError`` when ``out`` is
    not a folder for it or cannot be written."""
    check_out_dir(out)
    written = unchanged = removed = 0
    try:
        out.mkdir(parents=True, exist_ok=True)
        for rel, data in site.files.items():
            target = out / rel
            if target.is_file() and target.read_bytes() == data:
                unchanged += 1
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, target)
            written += 1
        for path in sorted(out.rglob("*"), reverse=True):
            rel = path.relative_to(out).as_posix()
            if path.is_file() and rel not in site.files:
                path.unlink()
                removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                shutil.rmtree(path)
    except OSError as exc:
        raise ValidationError(
            f"--out {str(out)!r} cannot be written ({exc.strerror or type(exc).__name__}: {exc.filename or out}). "
            "Give a folder you can write to."
        ) from None
    return Written(written, unchanged, removed)
