"""Chart builders: readable band-edge labels, stars on every bar, a legend across the top, units."""

import math

import pytest

from leaderboard.charts import EDGE_LABEL_GAP, edge_label_lines, task_chart
from leaderboard.rating import star_bands
from leaderboard.results import Results
from leaderboard.schema import validate_frame
from tests.builders import make_frame, row


def test_edge_labels_never_crowd_one_line():
    # Equal-width bands crowd at the top of a log axis: 7.25 and 9.89 Wh must not share a line.
    edges = star_bands(0.6, 12.5)
    lines = edge_label_lines(edges, 0.5, 20.0)
    lo, hi = math.log10(0.5), math.log10(20.0)
    for line in (0, 1):
        placed = [(math.log10(e) - lo) / (hi - lo) for e, n in zip(edges, lines, strict=True) if n == line]
        assert all(b - a >= EDGE_LABEL_GAP for a, b in zip(placed, placed[1:], strict=False))
    assert lines[0] == 0 and set(lines) <= {0, 1, None}


@pytest.mark.parametrize(
    "edges, expected", [([1.0, 10.0, 100.0], [0, 0, 0]), ([1.0, 1.05, 1.1, 1.15], [0, 1, None, None])]
)
def test_edge_label_lines_table(edges, expected):
    assert edge_label_lines(edges, 0.1, 1000.0) == expected


def test_task_chart_panels_bars_and_legend():
    frame, _ = validate_frame(
        make_frame(
            [row(task="asr", energy=e) for e in (0.6, 3.0, 7.4, 9.9, 12.5)]
            + [row(task="asr", energy=1.0, cohort="2025-12")]
        )
    )
    fig = task_chart(Results.from_frame(frame))
    bars = [t for t in fig.data if t.type == "bar"]
    assert all(text.endswith("★") for t in bars for text in t.text)  # every bar says its stars
    assert fig.layout.legend.orientation == "h"
    titles = [a.text for a in fig.layout.annotations if a.text.startswith("<b>")]
    assert titles == ["<b>cohort 2025-02<br>NVIDIA H100 80GB</b>", "<b>cohort 2025-12<br>NVIDIA H100 80GB</b>"]
    edge_texts = [a.text for a in fig.layout.annotations if a.text.endswith(" Wh")]
    assert edge_texts and len(edge_texts) <= 4
    assert (
        "Wh per 1,000 queries" in fig.layout.xaxis2.title.text or "Wh per 1,000 queries" in fig.layout.xaxis.title.text
    )
