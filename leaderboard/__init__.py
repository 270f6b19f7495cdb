"""AI Energy Score leaderboard core: tasks, schema, rating, results and their sources (UI-free)."""

__version__ = "0.1.0"
