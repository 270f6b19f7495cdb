"""Benchmark fixture (bench/leaderboard_bench.py), the floor of the stack: a one-dataframe Streamlit app showing a table of the same size as the
leaderboard's text-generation view (62 rows), read from the same Parquet file."""

import pandas as pd
import streamlit as st

df = pd.read_parquet("data/results.parquet")
view = df[df["task"] == "text_generation"]
st.dataframe(view.assign(stars="★★★★★")[["stars", *view.columns]], hide_index=True)
