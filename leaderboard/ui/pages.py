"""The page registry used by ``streamlit_app.py``."""

import streamlit as st

PAGES = [
    st.Page(
        "leaderboard/ui/leaderboard_page.py",
        title="Leaderboard",
        icon=":material/leaderboard:",
        default=True,
        url_path="leaderboard",
    ),
    st.Page("leaderboard/ui/model_page.py", title="Model", icon=":material/search:", url_path="model"),
    st.Page("leaderboard/ui/label_page.py", title="Label", icon=":material/label:", url_path="label"),
    st.Page("leaderboard/ui/submit_page.py", title="Submit", icon=":material/upload:", url_path="submit"),
    st.Page("leaderboard/ui/about_page.py", title="About", icon=":material/info:", url_path="about"),
]
