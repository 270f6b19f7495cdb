"""The page registry used by ``streamlit_app.py`` (the pages themselves: ``routes.ROUTES``)."""

import streamlit as st

from leaderboard.ui.routes import ROUTES

PAGES = [st.Page(r.script, title=r.title, icon=r.icon, url_path=r.url_path, default=r.default) for r in ROUTES]
