"""Tooling shared by the tests and the benchmarks: builders of benchmark-log zips (``zips``), and a
Streamlit server with headless Chromium plus the one-dataframe floor app (``browser``, ``floor_app``).
Not part of the product: nothing in leaderboard/, label/ or runner/ imports it."""
