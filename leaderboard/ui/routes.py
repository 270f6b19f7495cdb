"""The app's pages as plain data: their files, titles, icons and URL paths (``pages.py`` makes them
Streamlit pages; ``data.public_address`` strips their paths from the address the app is opened at)."""

from __future__ import annotations

from dataclasses import dataclass

from leaderboard import links


@dataclass(frozen=True)
class Route:
    script: str
    title: str
    icon: str
    url_path: str
    default: bool = False


ROUTES = (
    Route(
        "leaderboard/ui/leaderboard_page.py",
        "Leaderboard",
        ":material/leaderboard:",
        links.LEADERBOARD_PAGE_PATH,
        default=True,
    ),
    Route("leaderboard/ui/model_page.py", "Model", ":material/search:", links.MODEL_PAGE_PATH),
    Route("leaderboard/ui/label_page.py", "Label", ":material/label:", links.LABEL_PAGE_PATH),
    Route("leaderboard/ui/submit_page.py", "Submit", ":material/upload:", links.SUBMIT_PAGE_PATH),
    Route("leaderboard/ui/stability_page.py", "How sure", ":material/query_stats:", links.STABILITY_PAGE_PATH),
    Route("leaderboard/ui/about_page.py", "About", ":material/info:", links.ABOUT_PAGE_PATH),
)
PAGE_PATHS = frozenset(r.url_path for r in ROUTES)
