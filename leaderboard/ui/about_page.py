"""About page: methodology and FAQ."""

import streamlit as st

from leaderboard.rating import N_BANDS
from leaderboard.tasks import MODEL_CLASSES, TASKS
from leaderboard.ui.data import name_tab, public_address, setting_address

name_tab("About")
st.title("About AI Energy Score")

st.markdown(
    """
AI Energy Score compares AI models by **how much GPU energy they use to do the same job**.
Every model of a task answers the same fixed set of 1,000 queries, one at a time, on the same
kind of GPU, and the GPU energy of that run is measured. Lower is better.

### The number: GPU energy per 1,000 queries, in watt-hours

The figure on every page is **watt-hours (Wh) of GPU energy per 1,000 queries**, summed over
the phases that do the work (preparing the inputs, reading the prompt, generating the answer;
or one forward pass; or one image-generation call). Loading the model is not counted, and
neither is CPU or memory energy: only the GPU's own energy counter.

For scale: 1 Wh is what a 10 W LED bulb uses in six minutes. A model that scores 100 Wh per
1,000 queries uses 0.1 Wh, or 360 joules, for each query.

### The stars

Within a **rating group**, the lowest energy gets 5 stars and the highest 1 star. The range
from the lowest to the highest energy is cut into {bands} bands of equal width; each result
gets the stars of the band it falls in. A value exactly on a band edge goes to the band with
fewer stars. The dotted lines on each task's chart are those edges, so you can see when one
very hungry model stretches the range and crowds everyone else into the top bands.

A rating group is one task, one model class, one round and one kind of hardware. A group
with one result, or where all results are equal, gives 5 stars marked **provisional**: there
is nothing yet to compare with.

Stars are relative: 5 stars means "among the most efficient of its group", not a fixed
amount of energy. Compare energies, not stars, across groups.
""".format(bands=N_BANDS)
)

st.markdown("### Tasks")
# A list, not a five-column table: it reads whole on a phone.
st.markdown(
    "\n".join(
        f"- **{t.display_name}** (`{t.id}`): queries from `{t.hub_dataset}`; measured phases "
        f"{', '.join(t.phases)}; {t.protocol.summary()}."
        for t in TASKS
    )
)

st.markdown("### Model classes (text generation and reasoning)")
st.table(
    {
        "Class": list(MODEL_CLASSES),
        "Meaning": [c.meaning for c in MODEL_CLASSES.values()],
        "GPUs per run": ["1" if c.max_gpus == 1 else "several (energy summed)" for c in MODEL_CLASSES.values()],
    }
)

st.markdown("""
Large language models differ by orders of magnitude in size, so they are rated only against
models of a similar class. The class is set when a result is published.

### Rounds

A round (the data's `cohort`) is one publication of the leaderboard (`2025-02` for February 2025,
`2025-12` for December 2025).
When a new round is published, results of earlier rounds keep their stars and the new round's
results are rated among themselves, because methods and software change between rounds.

### Hardware

Published results were measured on an **NVIDIA H100 80GB**. Energy depends on the GPU, so
results from other hardware are rated only against results from the same hardware. The board
also holds a few results measured by this project's own benchmark runner on an **NVIDIA H200**
with random weights of each model's architecture (status "random weights"): same work per query
as the real model, rated on their own board, never against the H100 results.

### FAQ

**Why GPU energy only?** It is the largest part of inference energy and the part that can be
measured the same way everywhere, from the GPU's own counter.

**Why 1,000 queries?** The per-query figures are tiny; per 1,000 queries they are readable and
the run is long enough to measure accurately.

**Reasoning effort?** Reasoning models can think for longer or shorter; the effort (low, medium,
high) is part of the entry, and each effort is its own result.

**How do results get in?** Model developers run the benchmark on their model, zip the logs and
submit them with three attestations (the data may be shared publicly, the logs are unaltered,
the model tested is the production model). Maintainers check and accept them; they then
appear in the current round.

**Can I use the data?** Yes: download the current view as CSV or the whole dataset as
Parquet from the leaderboard page, and cite it with the block shown there.
""")

st.markdown("### Labels and their links")
address, where = public_address()
st.markdown(
    "Every label carries a QR code and a link to the page of its record, `<address>/model?id=<model>&record=<record "
    f"id>`. Here the address is `{address.replace('`', '')}` ({where}). A deployment sets its own public "
    "address with the setting `AIES_PUBLIC_URL` (or `public_url` in `.streamlit/secrets.toml`), so labels made here "
    "lead back to it wherever they are shown."
)
site_url = setting_address("site_url")
if site_url:
    st.markdown(
        f"The boards, model pages and labels are also published as a static site at `{site_url}` (setting "
        "`AIES_SITE_URL`): it loads fast anywhere and keeps each model's current label at a stable address."
    )
