"""The reasoning effort the form claims, against what the logs record (the check ``EFFORT_CHECK``).

Like the class and the hardware, the effort comes from the logs where a layout records it:

    optimum-benchmark (AI Energy Score configs)  scenario → reasoning_params → reasoning_effort, read
                                                 only with scenario → reasoning on; reasoning: false
                                                 records a run without one
    this project's runner                        its summary's settings → reasoning_effort (the config's
                                                 settings must say the same: "Files agree")
    v2 runner (ai_energy_benchmarks)             not recorded: its report's config holds the model,
                                                 dataset, samples and devices only

A form effort the logs contradict fails (another effort, or reasoning off); logs that record an effort
the form does not name fail too (the result would be filed under another entry). Where the layout does
not record it, a claimed effort is a warning a maintainer must acknowledge: it rests on the form alone.
"""

from __future__ import annotations

from leaderboard.submissions.model import Check, Claim
from leaderboard.submissions.reading import Logs

EFFORT_CHECK = "Reasoning effort as claimed"
MAX_SHOWN_EFFORT_CHARS = 40  # a logged effort is untrusted text: shown cut, as its repr


def effort_check(logs: Logs, claim: Claim, checks: list[Check]) -> None:
    """Add ``EFFORT_CHECK`` when the form makes a claim (a task is given) and either side names an effort."""
    claimed = claim.reasoning_effort or None
    logged = logs.parsed.reasoning_effort
    if claim.task is None and claimed is None:
        return  # no form: nothing is claimed (``check`` on the command line without a claim)
    shown = repr(logged[:MAX_SHOWN_EFFORT_CHARS]) if logged is not None else ""
    if logged is not None and claimed == logged:
        checks.append(Check(EFFORT_CHECK, "pass", f"{logged}, as the logs record."))
    elif logged is not None:
        said = f"effort {claimed!r}" if claimed else "no reasoning effort"
        checks.append(
            Check(
                EFFORT_CHECK,
                "fail",
                f"The form says {said}; the logs ran at reasoning effort {shown}. Pick the effort the benchmark "
                "ran with (the Reasoning task asks for it): each effort is its own entry.",
            )
        )
    elif claimed is None:
        return
    elif logs.setup.chat_template is False:
        checks.append(
            Check(
                EFFORT_CHECK,
                "fail",
                f"The form says effort {claimed!r}; the logs ran with reasoning off (no chat template with "
                "reasoning), so no effort was applied. Submit the logs of a run at that effort, or pick none.",
            )
        )
    else:
        checks.append(
            Check(
                EFFORT_CHECK,
                "warn",
                f"The logs ({logs.parsed.layout}) do not record the reasoning effort: {claimed!r} rests on the form "
                "alone. A maintainer must confirm it with the submitter before the result joins the board.",
            )
        )
