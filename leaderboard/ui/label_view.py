"""One label shown on a page: the PNG preview, PNG and SVG downloads, and the embed snippets that
link to the label's record (the label page and the model page both use it)."""

from __future__ import annotations

import base64

import streamlit as st
from markupsafe import escape

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
        # An <img> with the label's words as its alt text (st.image has none for a screen reader).
        st.html(
            f'<figure style="margin:0"><img src="data:image/png;base64,{base64.b64encode(png).decode()}" '
            f'width="{CARD_WIDTH_PX}" style="max-width:100%;height:auto" alt="{escape(label.title)}">'
            f'<figcaption style="font-size:0.85rem;color:#555">Label preview (PNG, {PNG_SIZE_PX[0]} × '
            f"{PNG_SIZE_PX[1]} px)</figcaption></figure>"
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
