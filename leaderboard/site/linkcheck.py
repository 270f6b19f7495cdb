"""Check a built site: every internal link and asset of every page (``href``, ``src``) and every address
of the sitemap resolves to a file of the site, and a link's ``#fragment`` to an element id of its page.

A link is internal when it is relative, or absolute under the site's public address or its path (the
404 page's links start at the site's root path: it is served at any depth). Other absolute links (the
Hub, the app) are counted, not fetched: the check reads files only.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from leaderboard.site import paths


@dataclass(frozen=True)
class BrokenLink:
    page: str
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.url} ({self.reason})"


@dataclass
class LinkReport:
    internal: int = 0
    external: int = 0
    broken: list[BrokenLink] = field(default_factory=list)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src"):
                self.urls.append(value)
            elif name == "id":
                self.ids.add(value)


def folder_files(folder: Path) -> dict[str, bytes]:
    """The files of a built site on disk, by path (to check a folder as deployed)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _parse(data: bytes) -> _Page:
    page = _Page()
    page.feed(data.decode("utf-8"))
    page.close()
    return page


def check_links(files: Mapping[str, bytes], public_url: str, app_url: str | None = None) -> LinkReport:
    """Every internal link of the site in ``files`` (path -> bytes) that does not resolve. ``app_url``:
    the app's address, whose pages are not the site's even where the two share an address (a link under
    it that names no file of the site is the app's)."""
    report = LinkReport()
    parsed = {p: _parse(data) for p, data in files.items() if p.endswith(".html")}
    base = public_url.rstrip("/") + "/"
    sources = [(page, url) for page, doc in parsed.items() for url in doc.urls]
    if paths.SITEMAP in files:
        sitemap = files[paths.SITEMAP].decode("utf-8")
        sources += [(paths.SITEMAP, loc) for loc in re.findall(r"<loc>([^<]*)</loc>", sitemap)]
    for page, url in sources:
        problem = _resolve(page, url, base, files, parsed, report)
        if problem and app_url and url.startswith(app_url.rstrip("/") + "/"):
            report.internal -= 1
            report.external += 1
            continue
        if problem:
            report.broken.append(BrokenLink(page, url, problem))
    return report


def _resolve(
    page: str, url: str, base: str, files: Mapping[str, bytes], parsed: Mapping[str, _Page], report: LinkReport
) -> str | None:
    """Why ``url`` on ``page`` does not resolve, or None; counts it as internal or external."""
    url = url.replace("&amp;", "&")
    if url.lower().startswith("javascript:"):
        return "a script address"
    root = urlsplit(base).path or "/"  # the 404 page's links: from the site's root path, no host
    if url.startswith(base):
        target_url = "/" + url[len(base) :]
    elif url.startswith(root) and not url.startswith("//"):
        target_url = "/" + url[len(root) :]
    elif urlsplit(url).scheme or url.startswith("//"):
        report.external += 1
        return None
    else:
        target_url = url
    report.internal += 1
    parts = urlsplit(target_url)
    if target_url.startswith("/"):
        joined = parts.path.lstrip("/")
    elif parts.path:
        joined = posixpath.join(posixpath.dirname(paths.url_path(page)), parts.path)
    else:
        joined = paths.url_path(page)  # '#fragment' or '?query': this page
    normal = posixpath.normpath(joined) if joined else ""
    if normal.startswith("../") or normal == "..":
        return "leaves the site"
    if joined.endswith("/") or joined == "":
        normal = "" if normal in (".", "") else normal + "/"
    target = paths.file_of(normal)
    if target not in files:
        return f"no file {target}"
    fragment = unquote(parts.fragment)
    if fragment and target in parsed and fragment not in parsed[target].ids:
        return f"no element #{fragment} in {target}"
    return None
