"""Chart builders: panel titles in words with their band edges, stars on every bar, units, escaped text."""

import pytest

from leaderboard.charts import CONFIG, compare_chart, distribution_chart, log_ticks, task_chart
from leaderboard.results import Results
from leaderboard.schema import validate_frame
from tests.builders import make_frame, row


def test_task_chart_panels_bars_and_titles_in_words():
    frame, _ = validate_frame(
        make_frame(
            [row(task="asr", energy=e) for e in (0.6, 3.0, 7.4, 9.9, 12.5)]
            + [row(task="asr", energy=1.0, cohort="2025-12")]
        )
    )
    fig = task_chart(Results.from_frame(frame))
    bars = [t for t in fig.data if t.type == "bar"]
    assert all(text.endswith("★") for t in bars for text in t.text)  # every bar says its stars: no legend needed
    assert fig.layout.showlegend is False
    titles = [a.text for a in fig.layout.annotations]
    assert titles[0] == "<b>December 2025 round</b><br>NVIDIA H100 80GB"  # the latest round first; one result: no bands
    assert titles[1].startswith("<b>February 2025 round</b><br>NVIDIA H100 80GB<br>")
    assert "star bands end at 2.98 · 5.36 · 7.74 · 10.1 Wh" in titles[1]  # the dotted lines' values, one line
    assert len([s for s in fig.layout.shapes if s.line.dash == "dot"]) == 4
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
    from leaderboard.charts import compare_chart, distribution_chart

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
    for chart in (task_chart, distribution_chart, compare_chart):
        texts = list(_strings(chart(results).to_dict()))
        assert not any("<a" in t or "<b>H100" in t or "<i>" in t for t in texts), chart.__name__
        joined = "\n".join(texts)
        assert escaped_model in joined, chart.__name__
        if chart is task_chart:
            assert escaped_hardware in joined, chart.__name__
        templates = [t.hovertemplate or "" for t in chart(results).data]
        assert not any("H100" in t or "evil" in t for t in templates), chart.__name__  # never in a template
    fig = task_chart(results)
    assert any(a.text.startswith(f"<b>February 2025 round</b><br>{escaped_hardware}") for a in fig.layout.annotations)
    assert escaped_model in list(fig.data[0].y) and [c[1] for c in fig.data[0].customdata] == [escaped_hardware]


@pytest.mark.parametrize(
    ("lo", "hi", "ticks"),
    [
        (3.0, 81.0, ["5 Wh", "10 Wh", "20 Wh", "50 Wh"]),
        (0.05, 0.4, ["0.05 Wh", "0.1 Wh", "0.2 Wh"]),
        (0.8, 130.0, ["1 Wh", "3 Wh", "10 Wh", "30 Wh", "100 Wh"]),
        (0.01, 3000.0, ["0.01 Wh", "0.1 Wh", "1 Wh", "10 Wh", "100 Wh", "1,000 Wh"]),
        (4.2, 6.1, ["4.2 Wh", "6.1 Wh"]),  # no 1-2-5 value twice inside: the ends
        (0.0, 1.0, []),
    ],
)
def test_log_ticks_read_in_full_with_their_unit(lo, hi, ticks):
    got = log_ticks(lo, hi)
    assert got["ticktext"] == ticks
    assert all(lo <= v <= hi for v in got["tickvals"])


def test_charts_hide_the_mode_bar_and_leave_room_for_the_axis_title():
    results = Results.from_frame(
        make_frame([row(task="asr", model=f"o/m{i}", energy=e) for i, e in enumerate((0.9, 4.0, 22.0))])
    )
    assert CONFIG["displayModeBar"] is False
    for fig in (task_chart(results), distribution_chart(results), compare_chart(results)):
        layout = fig.layout
        assert layout.margin.b >= 50
        axis = layout.yaxis if fig is not None and layout.yaxis.type == "log" else layout.xaxis
        assert axis.automargin and list(axis.ticktext) and all(t.endswith(" Wh") for t in axis.ticktext)
