"""Submit page: upload zipped benchmark logs, see them checked and previewed, attest, submit.

Untrusted text (check messages, model ids, GPU names: all from the zip or the form) is shown only
in tables (plain text) or through ``markdown_literal`` (alerts, captions and metrics render
Markdown). The form's widgets are keyed by the upload's SHA-256, so a new upload starts a fresh form
whose defaults (model, task, hardware) come from that upload and whose claims are the ones checked.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from leaderboard import formatting
from leaderboard.errors import EnergyScoreError
from leaderboard.results import Results
from leaderboard.submissions import ATTESTATIONS, MAX_ZIP_BYTES, Claim, Form, Report, check_zip, hardware_matches
from leaderboard.submissions.store import configured_store
from leaderboard.submissions.text import markdown_literal, model_id_problem
from leaderboard.submissions.workflow import PRECISIONS, form_problems, joining_cohort, submit
from leaderboard.tasks import MODEL_CLASSES, REASONING_EFFORTS, TASK_IDS, TASKS_BY_ID
from leaderboard.ui.data import loaded, name_tab

STATUS = {"pass": "Pass", "fail": "Fail", "warn": "Warning"}
OTHER_HARDWARE = "Other…"


REPORTS = "submit_reports"  # session state: the reports of this session's uploads, by (zip SHA-256, claim)
DIGESTS = "submit_digests"  # session state: each upload's SHA-256, by the uploader's file id
MAX_REPORTS = 8  # reports kept per session (the oldest goes first): a few claims of the current upload


def judged(data: bytes, file_id: str, claim: Claim) -> Report:
    """The report of this upload for this claim, judged once per (zip SHA-256, claim) in this session: a
    rerun that changed neither the upload nor the claim reads it back and judges nothing."""
    digests: dict[str, str] = st.session_state.setdefault(DIGESTS, {})
    if file_id not in digests:
        digests.clear()  # one upload at a time: a new one replaces the last
        digests[file_id] = hashlib.sha256(data).hexdigest()
    reports: dict[tuple[str, Claim], Report] = st.session_state.setdefault(REPORTS, {})
    key = (digests[file_id], claim)
    if key not in reports:
        with st.spinner("Checking the logs…"):
            reports[key] = check_zip(data, claim)
        while len(reports) > MAX_REPORTS:
            del reports[next(iter(reports))]
    return reports[key]


def show_report(report: Report, task_id: str, model_class: str | None, hardware: str, results: Results) -> None:
    """The checks of an upload, its failures named, and a preview of the result with its provisional stars."""
    st.dataframe(
        [{"Status": STATUS[c.status], "Check": c.name, "Result": c.message} for c in report.checks],
        hide_index=True,
        width="stretch",
        height=38 + 35 * len(report.checks),
        column_config={
            "Status": st.column_config.TextColumn(width=80),
            "Check": st.column_config.TextColumn(width=200),
        },
    )
    # Every failure and warning in full (the table's column cuts long advice, most on a phone).
    for failure in report.failures:
        st.error(f"**{markdown_literal(failure.name)}**: {markdown_literal(failure.message)}")
    for warning in (c for c in report.checks if c.status == "warn"):
        st.warning(f"**{markdown_literal(warning.name)}**: {markdown_literal(warning.message)}")

    if report.parsed:
        p = report.parsed
        st.subheader("Preview")
        with st.container(horizontal=True):
            st.metric("GPU energy (Wh per 1,000 queries)", formatting.energy_wh(p.gpu_energy_wh_per_1k))
            st.metric("Queries", f"{p.num_queries:,}")
        # The GPU's name as text that wraps (a metric cuts a long board name on a phone).
        gpu = f"{p.gpu_count or '?'} × {p.gpu_name or 'not recorded'}"
        st.markdown(f"**GPU**: {markdown_literal(gpu)}")
        if p.failed_repeats and p.all_repeats_wh_per_1k is not None:
            st.caption(
                f"{len(p.failed_repeats)} of {p.repeats} repeats failed and are left out: the mean of all repeats would "
                f"be {formatting.energy_wh(p.all_repeats_wh_per_1k)} Wh per 1,000 queries."
            )
        st.dataframe(
            [
                {
                    "Phase": ph.name,
                    "GPU energy, whole pass (Wh)": ph.gpu_energy_wh,
                    "GPU energy (Wh per 1,000 queries)": ph.gpu_energy_wh_per_1k,
                    "Repeats": ph.repeats,
                }
                for ph in p.phases
            ],
            hide_index=True,
            width="stretch",
        )
        cohort = joining_cohort()
        if not report.valid or not hardware.strip():
            st.caption(
                "Provisional stars show here once the logs pass every check"
                + (" and the hardware is named." if not hardware.strip() else ".")
            )
            return
        try:
            rated = results.rate_candidate(
                task=task_id,
                model_class=model_class,
                cohort=cohort,
                hardware=hardware.strip(),
                harness=p.harness,
                energy_wh=p.gpu_energy_wh_per_1k,
            )
            group = markdown_literal(
                f"{formatting.task_name(task_id)}{f', class {model_class}' if model_class else ''}, the "
                f"{formatting.month_name(cohort)} round, {hardware.strip()}"
            )
            note = (
                f"against the {rated.peers} results of {group}"
                if rated.peers
                else f"provisional: no results yet in {group}"
            )
            st.info(
                f"Provisional stars: **{formatting.star_glyphs(rated.stars)}** ({note}). Final stars are set when "
                "maintainers accept the result."
            )
        except EnergyScoreError as exc:
            st.warning(markdown_literal(str(exc)))


name_tab("Submit results")
st.html("<style>[data-testid='stHeading'] h2 { font-size: 1.6rem !important; }</style>")  # sections under the h1
st.title("Submit results")
st.markdown(
    "Run the benchmark on your model, zip the **whole run folder** it wrote, and upload it here. "
    "The logs are checked at once; maintainers review every submission before it joins the board."
)
# Open until a zip is uploaded: a first visit needs it most.
with st.expander(
    "How to produce the logs", icon=":material/terminal:", expanded=st.session_state.get("upload") is None
):
    st.markdown(
        "**The official benchmark** (the harness of the December 2025 round), on an NVIDIA GPU: follow "
        "[AIEnergyScore](https://github.com/huggingface/AIEnergyScore) and zip the results folder it writes "
        "(`benchmark_report.json`, `GPU_ENERGY_SUMMARY.json`, `emissions/` …).\n\n"
        "**Or this project's runner** from a clone of this repository (`pip install -r requirements-runner.txt`):"
    )
    st.code(
        "python -m runner run --harness aies-v2 --task text_generation --model ORG/NAME --zip   # the official harness\n"
        "python -m runner run --task text_generation --model ORG/NAME --zip                    # the runner's own loop",
        language="bash",
    )
    st.markdown(
        "Upload the zip as it comes: files changed after the run fail their checksums. Use the task's full "
        "1,000-query dataset and the model's own weights; anything else is shown as off-protocol."
    )

upload = st.file_uploader(
    f"Zip of the benchmark run folder (at most {MAX_ZIP_BYTES // (1024 * 1024)} MB)", type=["zip"], key="upload"
)
if upload is None:
    st.info(
        "Accepted: the results folder of the official benchmark (the December 2025 round's runner: "
        "`GPU_ENERGY_SUMMARY.json` with its `benchmark_report.json`), the earlier official benchmark's folders "
        "(the February 2025 round: `benchmark_report.json` with its config, or the `GPU_ENERGY_SUMMARY.json` "
        "its Docker image writes beside the config), or this project's runner output (`python -m runner run … "
        "--zip`). Every warning holds a result until a maintainer has checked it. The form below fills in "
        "from the logs once they are uploaded."
    )

data = upload.getvalue() if upload is not None else None
first_look = judged(data, upload.file_id, Claim()) if upload is not None and data is not None else None
parsed = first_look.parsed if first_look is not None else None
# Every widget below belongs to this upload; before one, the form is shown but cannot be filled in.
key = first_look.sha256[:16] if first_look is not None else "none"
locked = parsed is None  # nothing uploaded, or logs this page cannot read: nothing to claim yet

st.header("About the model")
with st.container(horizontal=True):
    # The logs' model where it is a Hub id (a run of a local folder logs its path: not a claim to pre-fill).
    logged_model = parsed.model if parsed and parsed.model and model_id_problem(parsed.model) is None else ""
    model = st.text_input(
        "Model id",
        value=logged_model,
        max_chars=200,
        key=f"s_model_{key}",
        placeholder="org/name",
        disabled=locked,
    )
    task_default = TASK_IDS.index(parsed.task) if parsed and parsed.task in TASK_IDS else 0
    task_id = st.selectbox(
        "Task", TASK_IDS, index=task_default, format_func=formatting.task_name, key=f"s_task_{key}", disabled=locked
    )
if parsed and parsed.model and not logged_model:
    st.caption(
        f"The logs name the model {markdown_literal(repr(parsed.model[:80]))}, not a Hub id: type the model's Hub "
        "id (org/name)."
    )
with st.container(horizontal=True):
    model_class = (
        st.selectbox(
            "Model class",
            list(MODEL_CLASSES),
            key=f"s_class_{key}",
            help="A: up to 20 B parameters · B: 20–66 B · C: over 66 B",
            disabled=locked,
        )
        if TASKS_BY_ID[task_id].has_classes
        else None
    )
    precision = st.selectbox(
        "Precision / quantization",
        PRECISIONS,
        key=f"s_precision_{key}",
        index=PRECISIONS.index("FP32") if not TASKS_BY_ID[task_id].has_classes else 1,
        disabled=locked,
    )
    effort = (
        st.selectbox(
            "Reasoning effort",
            [None, *REASONING_EFFORTS],
            key=f"s_effort_{key}",
            format_func=lambda e: "none" if e is None else e,
            disabled=locked,
        )
        if task_id == "reasoning"
        else None
    )
results = loaded().results
boards = [*results.values("hardware"), OTHER_HARDWARE]
logged_gpu = parsed.gpu_name if parsed and parsed.gpu else None
# The logs' GPU picks the board; logs that name no GPU pick nothing (no claim the logs do not make).
default_board = next(
    (i for i, b in enumerate(boards[:-1]) if logged_gpu and hardware_matches(b, logged_gpu)),
    len(boards) - 1 if logged_gpu else None,
)
with st.container(horizontal=True):
    board = st.selectbox(
        "Hardware",
        boards,
        index=default_board,
        key=f"s_board_{key}",
        help="Results are rated only against results from the same hardware.",
        placeholder="The GPU the benchmark ran on",
        disabled=locked,
    )
    hardware = (
        st.text_input("Other hardware", value=logged_gpu or "", max_chars=100, key=f"s_hw_{key}", disabled=locked)
        if board == OTHER_HARDWARE
        else board or ""
    )
    contact = st.text_input("Contact (e-mail or Hub user name)", max_chars=200, key=f"s_contact_{key}", disabled=locked)

form = Form(
    model=model.strip(),
    task=task_id,
    model_class=model_class,
    precision=precision,
    reasoning_effort=effort,
    contact=contact,
    hardware=hardware.strip(),
)
# The form's claims, judged once per claim (``judged``): ``accept`` later judges the same claim again.
report = judged(data, upload.file_id, form.claim(joining_cohort())) if upload is not None and data is not None else None

st.header("Validation")
if report is None:
    st.caption("The checks of your logs show here once a zip is uploaded.")
else:
    show_report(report, task_id, model_class, hardware, results)

st.header("Attestations")
attested = {
    # Readable before an upload (a disabled box fades its text): the Submit button is what waits for the logs.
    name: st.checkbox(f"**{name}**: {text}", key=f"s_att_{i}_{key}")
    for i, (name, text) in enumerate(ATTESTATIONS)
}
problems = form_problems(form)
for problem in problems if not locked else []:
    st.caption(f"• {markdown_literal(problem)}")
ready = report is not None and report.valid and all(attested.values()) and not problems
if st.button("Submit", type="primary", disabled=not ready, key=f"s_submit_{key}") and data and report:
    try:
        stored = submit(configured_store(), data, report, form, attested)
    except EnergyScoreError as exc:
        st.error(markdown_literal(str(exc)))
    else:
        if stored.created:
            st.success(
                f"Submitted. Your submission id is **{stored.id}**. Maintainers will review it; keep the id "
                "to ask about it.",
                icon=":material/check_circle:",
            )
        elif stored.resubmission is not None:
            st.info(
                f"This exact zip was already submitted on {stored.record.submitted}: submission id "
                f"**{stored.id}**. Your form was kept beside the first one; maintainers see both."
            )
        else:
            st.info(
                f"This exact zip was already submitted on {stored.record.submitted} with this form: submission "
                f"id **{stored.id}**. Nothing new was stored."
            )
elif not ready:
    st.caption(
        "Submitting needs logs that pass validation, a complete form and all three attestations."
        if not locked
        else "Upload the zip of your run folder above: the form fills in from its logs, then you can submit."
    )
