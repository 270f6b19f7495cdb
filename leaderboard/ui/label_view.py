"""One label shown on a page: the PNG preview, PNG and SVG downloads, and the embed snippets that
link to the label's record (the label page and the model page both use it)."""

from __future__ import annotations

import streamlit as st

from label.embed import embed_snippets
from label.model import CARD_WIDTH_PX, Label
from label.render import PNG_SIZE_PX, render_png, render_svg


@st.cache_data(show_spinner=False, max_entries=512)
def png_of(svg: str) -> bytes:
    return render_png(svg=svg)


def show_label(label: Label, model: str, stem: str, key: str) -> None:
    """Preview, downloads (files ``<stem>.png`` and ``.svg``) and embed snippets of ``label``."""
    svg = render_svg(label)
    png = png_of(svg)
    left, right = st.columns([1, 2])
    with left:
        st.image(
            png,
            width=CARD_WIDTH_PX,
            output_format="PNG",
            caption=f"Label preview (PNG, {PNG_SIZE_PX[0]} × {PNG_SIZE_PX[1]} px)",
            alt=label.title,  # what the label says, for a screen reader
        )
    with right:
        with st.container(horizontal=True):
            st.download_button(
                "PNG", png, file_name=f"{stem}.png", mime="image/png", icon=":material/download:", key=f"{key}_png"
            )
            st.download_button(
                "SVG", svg, file_name=f"{stem}.svg", mime="image/svg+xml", icon=":material/download:", key=f"{key}_svg"
            )
        embed = embed_snippets(model, f"{stem}.png", label.link)
        st.markdown("**Embed** (put the PNG next to your model card):")
        st.code(embed.markdown, language="markdown", wrap_lines=True)
        st.code(embed.html, language="html", wrap_lines=True)
