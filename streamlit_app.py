"""AI Energy Score app: the router. Pages live in leaderboard/ui/."""

import streamlit as st

from leaderboard.ui.pages import PAGES

st.set_page_config(page_title="AI Energy Score", page_icon="⚡", layout="wide")
st.navigation(PAGES).run()
