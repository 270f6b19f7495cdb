"""AI Energy Score app: the router. Pages live in leaderboard/ui/."""

import streamlit as st

from leaderboard.errors import EnergyScoreError
from leaderboard.ui.pages import PAGES

st.set_page_config(page_title="AI Energy Score", page_icon="⚡", layout="wide")
try:
    st.navigation(PAGES).run()
except EnergyScoreError as exc:  # a setting, the data or the store that cannot be used: said, not a traceback
    st.error(str(exc), icon=":material/error:")
