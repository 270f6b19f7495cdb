"""Label page: preview and download the energy label of a published result or of custom values."""

from __future__ import annotations

import streamlit as st

from label.model import label_for_row
from label.render import label_stem, labels_zip, safe_filename
from label.select import ENERGY_RANGE_WH_PER_1K, custom_label, default_round, rate_custom, task_rounds
from leaderboard import formatting, settings
from leaderboard.errors import EnergyScoreError
from leaderboard.hardware import OFFICIAL_HARDWARE, board_names, resolve_board
from leaderboard.results import OFFICIAL_STATUSES
from leaderboard.tasks import MODEL_CLASSES, TASK_IDS, TASKS_BY_ID
from leaderboard.ui.data import loaded, public_address
from leaderboard.ui.filters import sanitize
from leaderboard.ui.label_view import show_label

CUSTOM_LABEL_HEADING = "What a custom label is"
CUSTOM_LABEL_TEXT = (
    "A custom label shows **self-reported values**: a figure you measured yourself, not a result on the leaderboard. "
    "Nobody here has checked it, so the label says *Self-reported values* and has no record id. Its stars are "
    "cut from a published round's results of the same task, class and board (the range of that group, in equal "
    "bands); a board the registry does not know is rated nowhere and the label says *not rated*, as it does for "
    "stars entered by hand. A group with no published result gives 5 stars marked *provisional*. To put a model on "
    "the board with a record anyone can check, [submit its benchmark logs](submit)."
)
base_url, _ = public_address()
data = loaded()
# Published labels are for the board's own results; estimates and pending ones are on model pages.
results = data.results.statuses(*OFFICIAL_STATUSES)
if data.warning:
    st.warning(data.warning, icon=":material/warning:")

st.title("Energy label")
st.caption("A label for a model card: GPU energy per 1,000 queries and its stars, in PNG or SVG.")
mode = (
    st.segmented_control(
        "Label for", ["Published result", "Custom values"], key="mode", bind="query-params", default="Published result"
    )
    or "Published result"
)

if mode == "Published result":
    # One search box across every model: it opens the model's official result (latest round, official
    # board first), whatever task and round were picked before.
    def _open_model() -> None:
        found = st.session_state.get("find")
        if not found:
            return
        best = results.model(found).published_first(settings.required("official_hardware")).frame.iloc[0]
        st.session_state["task"], st.session_state["scored"] = str(best["task"]), str(best["cohort"])
        st.session_state["model"] = str(best["run_id"])

    st.selectbox(
        "Find a model",
        sorted(results.values("model")),
        index=None,
        key="find",
        placeholder="Type a model id, e.g. gpt2",
        on_change=_open_model,
        help="Opens the model's official published result; pick another task or round below.",
    )

tasks = [t for t in TASK_IDS if t in set(results.tasks())] if mode == "Published result" else list(TASK_IDS)
sanitize("task", tasks)
task_id = st.selectbox("Task", tasks, key="task", bind="query-params", format_func=formatting.task_name)

try:
    if mode == "Published result":
        cohorts = results.task(task_id).values("cohort")
        sanitize("scored", cohorts)
        cohort = st.selectbox(
            "Round",
            cohorts[::-1],
            key="scored",
            bind="query-params",
            format_func=lambda c: f"{c} ({formatting.month_name(c)})",
        )
        view = results.task(task_id).cohort(cohort).sorted("asc")
        rows, titles = view.frame, view.titles()
        sanitize("model", list(titles))
        run_id = st.selectbox("Model", list(titles), key="model", bind="query-params", format_func=lambda r: titles[r])
        row = rows[rows["run_id"] == run_id].iloc[0]
        if row["provisional"]:
            st.info(
                "Provisional: this is the only result in its rating group, so it has 5 stars with nothing "
                "to compare it with."
            )
        show_label(label_for_row(row, base_url), titles[run_id], label_stem(row), "dl")

        st.divider()
        st.markdown(
            f"**All labels for {formatting.task_name(task_id)}, round {cohort}** ({len(rows)} labels, PNG and SVG)"
        )
        zip_key = ("zip", task_id, cohort, len(rows))
        if st.button("Build ZIP", key="build_zip"):
            bar = st.progress(0.0, text="Rendering labels…")
            items = [(label_stem(r), label_for_row(r, base_url)) for r in rows.itertuples()]

            def advance(done: int) -> None:
                bar.progress(done / len(items), text=f"{done} of {len(items)} labels")

            st.session_state["label_zip"] = (zip_key, labels_zip(items, progress=advance))
            bar.empty()
        built = st.session_state.get("label_zip")
        if built and built[0] == zip_key:
            st.download_button(
                "Download ZIP",
                built[1],
                file_name=f"labels-{task_id}-{cohort}.zip",
                mime="application/zip",
                icon=":material/download:",
                key="dl_zip",
            )
    else:
        task = TASKS_BY_ID[task_id]
        st.markdown(f"##### {CUSTOM_LABEL_HEADING}")
        st.markdown(CUSTOM_LABEL_TEXT)
        model = st.text_input("Model name", key="c_model", max_chars=200, placeholder="my-org/my-model")
        with st.container(horizontal=True):
            model_class = st.selectbox("Model class", list(MODEL_CLASSES), key="c_class") if task.has_classes else None
            hardware = (
                st.selectbox(
                    "Hardware",
                    list(board_names()),
                    key="c_hw",
                    accept_new_options=True,
                    help="A known board, or type its name (e.g. H100): it is read as the known board it names.",
                )
                or OFFICIAL_HARDWARE
            )
            rounds = list(task_rounds(task_id))[::-1]
            cohort = st.selectbox(
                "Round rated against",
                rounds,
                index=rounds.index(default_round(task_id)),
                key="c_round",
                format_func=lambda c: f"{formatting.month_name(c)} ({c})",
                help="The published round whose results the stars are cut from (default: the newest round).",
            )
        choice = resolve_board(str(hardware)[:100])
        if choice.board is None:
            st.warning(choice.words() + " The label says *not rated*.", icon=":material/memory:")
        elif not choice.exact:
            st.info(choice.words() + ".", icon=":material/memory:")
        energy = st.number_input(
            "GPU energy (Wh per 1,000 queries)",
            min_value=ENERGY_RANGE_WH_PER_1K[0],  # the range a label can show: the box keeps values in it
            max_value=ENERGY_RANGE_WH_PER_1K[1],
            value=None,
            format="%.4f",
            key="c_energy",
            placeholder="e.g. 2.37",
        )
        by_hand = st.checkbox(
            "Enter the stars by hand",
            key="c_by_hand",
            help="Otherwise they are rated against the round's group on the same board. Stars by hand are not "
            "rated: the label says so.",
        )
        if not model.strip() or energy is None or energy <= 0:
            st.info("Enter the model name and a GPU energy above 0 Wh per 1,000 queries to see the label.")
        else:
            rating = None
            stars = 0
            if by_hand:
                stars = st.slider("Stars", 1, 5, 3, key="c_stars")
                st.caption("Stars entered by hand: they are not rated against any published result; the label says so.")
            else:
                rating = rate_custom(
                    results,
                    task=task_id,
                    model_class=model_class,
                    hardware=str(hardware),
                    energy_wh=energy,
                    cohort=cohort,
                )
                (st.info if rating.rated else st.warning)(rating.summary)
            label = custom_label(
                model=model,
                task=task_id,
                scored=cohort,
                hardware=str(hardware),
                energy_wh=energy,
                stars=stars,
                base_url=base_url,
                model_class=model_class,
                rating=rating,
            )
            show_label(label, model, safe_filename(model), "dl")
except EnergyScoreError as exc:
    st.error(str(exc))
