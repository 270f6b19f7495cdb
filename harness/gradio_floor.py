"""Benchmark fixture (bench/site_bench.py): the floor of the original leaderboard's stack, a one-table
Gradio page showing the text-generation rows of the same Parquet file. Run with an interpreter that has
gradio (requirements-bench.txt): python harness/gradio_floor.py PORT"""

import sys

import gradio as gr
import pandas as pd

df = pd.read_parquet("data/results.parquet")
view = df[df["task"] == "text_generation"]
with gr.Blocks() as demo:
    gr.Dataframe(view.assign(stars="★★★★★")[["stars", *view.columns]])
demo.launch(server_name="127.0.0.1", server_port=int(sys.argv[1]), share=False, show_error=True)
