"""Model page (``/model?id=<hub id>[&record=<record id>]``): every result of one model, how its energy
and stars moved across rounds, its labels, its energy disclosure (``leaderboard.disclosure``), its energy
at scale, and how to cite it."""

from __future__ import annotations

import base64
import difflib
import html
from urllib.parse import quote

import streamlit as st

from label.model import label_for_row
from label.render import label_stem
from leaderboard import disclosure, formatting, impact, settings
from leaderboard.board import history_chart, model_results, render_model_results
from leaderboard.board import style as board_style
from leaderboard.citation import CitedResult, bibtex
from leaderboard.links import record_id
from leaderboard.pareto import model_quality, render_model_quality
from leaderboard.schema import HUB_ID_PATTERN, hub_url
from leaderboard.submissions.text import markdown_literal
from leaderboard.tasks import MAX_STARS
from leaderboard.ui.data import loaded, name_tab, public_address, quality
from leaderboard.ui.label_view import show_label

PAGE_STYLE = """
h1 { font-size: 2rem !important; overflow-wrap: anywhere; }
@media (max-width: 640px) { h1 { font-size: 1.5rem !important; } }
"""


def similar_models(requested: str, models: list[str], limit: int = 6) -> list[str]:
    """Ids that contain what was asked for, then ids or names that look like it (typos)."""
    asked = requested.lower()
    ids = {m.lower(): m for m in models}
    names = {m.split("/")[-1].lower(): m for m in models}
    found = [m for m in models if asked and asked in m.lower()]
    found += [ids[i] for i in difflib.get_close_matches(asked, list(ids), n=limit, cutoff=0.6)]
    found += [names[n] for n in difflib.get_close_matches(asked.split("/")[-1], list(names), n=limit, cutoff=0.6)]
    return list(dict.fromkeys(found))[:limit]


data = loaded()
results = data.results
base_url, _ = public_address()
models = sorted(results.values("model"))

requested = st.query_params.get("id", "")
st.html(f"<style>{PAGE_STYLE}{board_style()}</style>")
heading = st.container()  # the page's title comes first; the picker below it only opens another model
if requested and requested not in models:
    # The link stays as it was (the id in the address); the page says what is wrong and what to do next.
    shown = requested[:100]
    message = "is not a Hub model id (org/name)" if not HUB_ID_PATTERN.match(shown) else "has no result here yet"
    st.error(f"Model {markdown_literal(repr(shown))} {message}.", icon=":material/search:")
    close = similar_models(shown, models)
    # Plain links, so each opens in this tab; ids are escaped like any text from the data.
    links = ", ".join(f'<a href="model?id={quote(m, safe="/")}">{html.escape(m)}</a>' for m in close)
    st.html(
        f'<p class="aies-next">{f"Did you mean {links}? " if close else ""}Or <a href="label">make a label with your '
        'own figures</a> for it, or <a href="submit">submit its benchmark logs</a> to put it on the board.</p>'
    )
    requested = ""
model_id = st.selectbox(
    "Another model" if requested else "Model",
    models,
    index=models.index(requested) if requested else None,
    key="model_id",
    placeholder="Choose a model (type to search)",
    width=420,
)
if model_id is None:
    heading.title("Model page")
    st.info("Choose a model above to see all of its results, its labels and its energy at scale.")
    st.stop()
if st.query_params.get("id") != model_id:
    st.query_params["id"] = model_id
    st.query_params.pop("record", None)

# The model's official published result first (latest round, official board), then the rest, each marked.
mine = results.model(model_id).published_first(settings.required("official_hardware"))
frame = mine.frame
listed = model_results(mine, results)
name_tab(model_id)
with heading:
    # A Hub id has nothing Markdown reads (letters, digits, '-', '_', '.', '/'): shown as it is, so a copy of
    # the heading is the id; anything else is shown as literal text.
    st.title(model_id if HUB_ID_PATTERN.match(model_id) else markdown_literal(model_id))
    st.caption(
        f"{formatting.plural(len(mine), 'result')} in {formatting.plural(len(mine.tasks()), 'task')} · "
        f"GPU energy per 1,000 queries, rated 1–{MAX_STARS} stars against the models of the same task, class, round "
        "and hardware · [Model on the Hugging Face Hub]"
        f"({hub_url(model_id)})"
    )

record = st.query_params.get("record", "")
focus = mine.record(record) if record else None
if record and (focus is None or focus.frame.empty):
    st.warning(
        f"Record {markdown_literal(repr(record[:20]))} is not a result of {markdown_literal(model_id)}; all of its "
        "results are shown.",
        icon=":material/link:",
    )
    focus = None
if focus is not None:
    pinned = next(r for r in listed if r.run_id == str(focus.frame["run_id"].iloc[0]))
    st.success(
        f"**Record {record}**: {pinned.title}, {pinned.energy_text} Wh per 1,000 queries, {pinned.stars_text} "
        f"({pinned.stars} of {MAX_STARS}), rank {pinned.rank} of {pinned.group_size} in "
        f"{markdown_literal(pinned.where)} · {pinned.status_text}.",
        icon=":material/push_pin:",
    )

st.subheader("Results")
st.html(render_model_results(listed, focus=record if focus is not None else None))
st.caption(
    "The official published result first (the latest round on the official board), then other published and "
    "accepted results, then estimates. Rank: within the result's rating group, 1 = lowest GPU energy."
)
if (frame["status"] == "random weights").any():
    st.caption(
        "Random-weights estimates were measured by this project's runner on the model's architecture with random "
        "weights: the work per query is the same, but they are estimates on boards of their own, not published results."
    )

quality_html = render_model_quality(model_quality(frame, results.frame, quality()))
if quality_html:
    st.subheader("Quality beside energy")
    st.html(quality_html)
    st.caption(
        "Third-party quality figures, measured by others with other settings than the energy; each is compared "
        "only with the same metric in the same rating group, and never enters the stars."
    )

chart = history_chart(model_id, listed)
if chart:
    st.subheader("Across rounds")
    # As an image: the page's HTML allows no inline SVG. The alt text says what the chart shows.
    encoded = base64.b64encode(chart.encode("utf-8")).decode("ascii")
    alt = html.escape(
        ", ".join(f"{r.chart_label(with_task=True)}: {r.energy_text} Wh, {r.stars_label}" for r in listed)
    )
    st.html(f'<div class="aies-chart"><img src="data:image/svg+xml;base64,{encoded}" alt="{alt}"></div>')

st.subheader("Labels")
# Each result by its task (and effort), round and hardware, and the harness where it is not the round's:
# two results that differ only in how they were measured never read alike.
titles = {
    r.run_id: " · ".join([r.title, r.cohort, r.hardware, *([r.harness_note] if r.harness_note else [])]) for r in listed
}
runs = list(titles)
default_run = str(focus.frame["run_id"].iloc[0]) if focus is not None else runs[0]
run_id = st.selectbox("Result", runs, index=runs.index(default_run), format_func=lambda r: titles[r], key="label_run")
row = frame[frame["run_id"] == run_id].iloc[0]
label = label_for_row(row, base_url)
stem = label_stem(row)
show_label(label, model_id, stem, "model")
link = label.link

st.subheader("Disclosure")
st.caption(
    "This result as a model card, an SBOM or a regulator takes it: a model-card snippet (metadata and a section with "
    "the label), an SPDX 3.0 AI-profile energyConsumption element, and an entry for the EU AI Act, Annex XI, "
    "Section 1, point 2(e) (known or estimated energy consumption). Each states its boundary: the measured GPU "
    "energy, then every other factor as a declared assumption with its source. The command line writes the same: "
    f"`python -m leaderboard disclose --model {model_id} --task {row['task']} --record {record_id(run_id)}`."
)
disclosed = disclosure.disclose(results, row, base_url, f"{stem}.png")
for tab, (fmt, title, language, suffix) in zip(
    st.tabs(["Model card", "SPDX 3.0 (JSON-LD)", "EU AI Act Annex XI"]),
    (
        ("card", "Model card", "markdown", "md"),
        ("spdx", "SPDX", "json", "jsonld"),
        ("annex", "Annex XI", "markdown", "md"),
    ),
    strict=True,
):
    with tab:
        text = disclosure.render(disclosed, fmt)
        st.code(text, language=language, wrap_lines=True)
        st.download_button(
            f"{title} ({suffix})",
            text,
            file_name=f"{stem}-{fmt}.{suffix}",
            mime="application/ld+json" if fmt == "spdx" else "text/markdown",
            icon=":material/download:",
            key=f"disclose_{fmt}",
        )

st.subheader("Energy at scale (estimate)")
with st.container(horizontal=True):
    per_day = st.number_input(
        "Queries per day",
        min_value=0,
        max_value=int(impact.MAX_QUERIES_PER_DAY),
        value=impact.DEFAULT_QUERIES_PER_DAY,
        step=100_000,
        key="per_day",
    )
    pue = st.number_input(
        "Data-centre PUE",
        min_value=1.0,
        max_value=5.0,
        value=impact.DEFAULT_PUE,
        step=0.05,
        key="pue",
        help=f"Default: {impact.PUE_SOURCE}.",
    )
    grid = st.number_input(
        "Grid carbon intensity (g CO₂e/kWh)",
        min_value=0.0,
        max_value=2000.0,
        value=impact.DEFAULT_GRID_G_PER_KWH,
        step=10.0,
        key="grid",
        help=f"Default: {impact.GRID_SOURCE}.",
    )
scale = impact.at_scale(float(row["gpu_energy_wh_per_1k"]), float(per_day), float(pue), float(grid))
with st.container(horizontal=True):
    st.metric("GPU energy per year (kWh)", f"{scale.gpu_kwh_per_year:,.1f}")
    st.metric("At the meter per year (kWh)", f"{scale.meter_kwh_per_year:,.1f}")
    st.metric("Emissions per year (kg CO₂e)", f"{scale.kg_co2e_per_year:,.1f}")
st.caption(
    f"Estimates for the result chosen above ({formatting.energy_wh(row['gpu_energy_wh_per_1k'])} Wh per 1,000 "
    "queries). GPU energy per year = Wh per 1,000 queries × queries per day ÷ 1,000 × 365 ÷ 1,000; at the meter = "
    "GPU energy × PUE; emissions = energy at the meter × grid carbon intensity. The score counts GPU energy only "
    f"(no CPU, memory or network), so these are lower bounds. Default PUE {impact.DEFAULT_PUE}: "
    f"{impact.PUE_SOURCE}; default grid intensity {impact.DEFAULT_GRID_G_PER_KWH:g} g CO₂e/kWh: {impact.GRID_SOURCE}."
)

st.subheader("Cite")
st.code(
    bibtex(
        CitedResult(
            model=model_id,
            task=str(row["task"]),
            energy_wh_per_1k=float(row["gpu_energy_wh_per_1k"]),
            hardware=str(row["hardware"]),
            stars=int(row["stars"]),
            cohort=str(row["cohort"]),
            record=record_id(run_id),
            link=link,
        )
    ),
    language="bibtex",
)
