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
    assert titles == ["<b>round 2025-02<br>NVIDIA H100 80GB</b>", "<b>round 2025-12<br>NVIDIA H100 80GB</b>"]
    edge_texts = [a.text for a in fig.layout.annotations if a.text.endswith(" Wh")]
    assert edge_texts and len(edge_texts) <= 4
    assert (
        "Wh per 1,000 queries" in fig.layout.xaxis2.title.text or "Wh per 1,000 queries" in fig.layout.xaxis.title.text
    )


def _strings(value):
    """Every string in a figure's JSON (data and layout)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def test_text_from_the_data_shows_as_text_in_every_chart():
    from leaderboard.charts import compare_chart, distribution_chart, model_history_chart

    model = 'evil/<a href="https://x.example">click</a>'
    hardware = "<b>H100</b> & <i>co</i> %{x}"
    frame, _ = validate_frame(
        make_frame(
            [
                row(task="asr", model=model, energy=1.0, hardware=hardware),
                row(task="asr", model=model, energy=2.0, hardware=hardware, cohort="2025-12"),
                row(task="asr", energy=3.0, hardware=hardware),
            ]
        )
    )
    results = Results.from_frame(frame)
    escaped_model = 'evil/&lt;a href="https://x.example"&gt;click&lt;/a&gt;'
    escaped_hardware = "&lt;b&gt;H100&lt;/b&gt; &amp; &lt;i&gt;co&lt;/i&gt; %{x}"
    for chart in (task_chart, distribution_chart, compare_chart, model_history_chart):
        texts = list(_strings(chart(results.model(model) if chart is model_history_chart else results).to_dict()))
        assert not any("<a" in t or "<b>H100" in t or "<i>" in t for t in texts), chart.__name__
        joined = "\n".join(texts)
        assert escaped_model in joined or chart is model_history_chart, chart.__name__  # the model page names it
        if chart in (task_chart, model_history_chart):
            assert escaped_hardware in joined, chart.__name__
        templates = [t.hovertemplate or "" for t in chart(results).data]
        assert not any("H100" in t or "evil" in t for t in templates), chart.__name__  # never in a template
    fig = task_chart(results)
    assert f"<b>round 2025-02<br>{escaped_hardware}</b>" in [a.text for a in fig.layout.annotations]
    assert escaped_model in list(fig.data[0].y) and [c[1] for c in fig.data[0].customdata] == [escaped_hardware]
