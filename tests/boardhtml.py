"""Read the board's ranked lists back from their HTML (templates/board_list.html.j2), as a reader sees them."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Row:
    record: str
    rank: int = 0
    model: str = ""
    model_href: str = ""
    energy: float = 0.0
    stars_label: str = ""
    label_href: str = ""
    tags: list[str] = field(default_factory=list)

    @property
    def stars(self) -> int:
        return int(self.stars_label.split()[0])


@dataclass
class BoardList:
    title: str = ""
    caption: str = ""
    rows: list[Row] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lists: list[BoardList] = []
        self._cell: str | None = None
        self._in: str | None = None  # title, caption, tag
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        cls = a.get("class", "")
        if tag == "section" and "aies-list" in cls:
            self.lists.append(BoardList())
        elif "aies-list-title" in cls:
            self._in, self._text = "title", ""
        elif "aies-list-caption" in cls:
            self._in, self._text = "caption", ""
        elif tag == "tr" and "data-record" in a:
            self.lists[-1].rows.append(Row(a["data-record"], energy=float(a["data-energy"])))
        elif tag == "td":
            self._cell, self._text = cls, ""
        elif tag == "a" and self._cell == "aies-model":
            self.lists[-1].rows[-1].model_href = a["href"]
            self._in, self._text = "model", ""
        elif tag == "a" and self._cell == "aies-label":
            self.lists[-1].rows[-1].label_href = a["href"]
        elif tag == "span" and "aies-tag" in cls:
            self._in, self._text = "tag", ""
        elif tag == "span" and a.get("role") == "img":
            self.lists[-1].rows[-1].stars_label = a.get("aria-label", "")

    def handle_data(self, data: str) -> None:
        self._text += data

    def handle_endtag(self, tag: str) -> None:
        if self._in == "title" and tag.startswith("h"):
            self.lists[-1].title, self._in = self._text.strip(), None
        elif self._in == "caption" and tag == "p":
            self.lists[-1].caption, self._in = self._text.strip(), None
        elif self._in == "model" and tag == "a":
            self.lists[-1].rows[-1].model, self._in = self._text.strip(), None
        elif self._in == "tag" and tag == "span":
            self.lists[-1].rows[-1].tags.append(self._text.strip())
            self._in = None
        elif tag == "td" and self._cell == "aies-rank":
            self.lists[-1].rows[-1].rank = int(self._text.strip())
            self._cell = None
        elif tag == "td":
            self._cell = None


def parse_lists(html: str) -> list[BoardList]:
    parser = _Parser()
    parser.feed(html)
    return parser.lists


@dataclass
class ModelRow:
    """A row of a model page's results table (templates/model_results.html.j2), from its attributes."""

    record: str
    status: str
    task: str
    cohort: str
    hardware: str
    energy: float
    stars: int
    focused: bool
    text: str = ""


class _ModelParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ModelRow] = []
        self._in_row = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "tr" and "data-record" in a:
            self.rows.append(
                ModelRow(
                    a["data-record"],
                    a["data-status"],
                    a["data-task"],
                    a["data-cohort"],
                    a["data-hardware"],
                    float(a["data-energy"]),
                    int(a["data-stars"]),
                    "aies-target" in a.get("class", ""),
                )
            )
            self._in_row = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._in_row = False

    def handle_data(self, data: str) -> None:
        if self._in_row:
            self.rows[-1].text += data


def parse_model_results(html: str) -> list[ModelRow]:
    parser = _ModelParser()
    parser.feed(html)
    return [r for r in parser.rows]
