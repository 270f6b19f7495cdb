"""AI Energy Score app: the router. Pages live in leaderboard/ui/."""

import streamlit as st

from leaderboard.errors import EnergyScoreError
from leaderboard.ui.pages import PAGES

# Each page names the browser tab itself (``leaderboard.ui.data.page_title``): the page, task or model.
st.set_page_config(page_icon="⚡", layout="wide")
try:
    st.navigation(PAGES).run()
except EnergyScoreError as exc:  # a setting, the data or the store that cannot be used: said, not a traceback
    st.error(str(exc), icon=":material/error:")
