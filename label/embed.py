"""How to embed a label in a model card: a Markdown and an HTML snippet of the label image, linked to
its page (the app's label view and the static site's model pages show them)."""

from __future__ import annotations

import html
from dataclasses import dataclass

from label.model import CARD_HEIGHT_PX, CARD_WIDTH_PX


@dataclass(frozen=True)
class Embed:
    markdown: str
    html: str


def embed_snippets(model: str, image_url: str, link: str) -> Embed:
    """Snippets that show the label at ``image_url`` and open ``link`` when clicked."""
    alt = f"AI Energy Score label for {model}"
    markdown_alt = alt.replace("]", "").replace("[", "")
    return Embed(
        markdown=f"[![{markdown_alt}]({image_url})]({link})",
        html=(
            f'<a href="{html.escape(link)}"><img src="{html.escape(image_url)}" alt="{html.escape(alt)}" '
            f'width="{CARD_WIDTH_PX}" height="{CARD_HEIGHT_PX}"></a>'
        ),
    )
