"""The read path as a static site: ``python -m leaderboard site --out DIR`` writes the overview, the
task boards, the model pages, the labels and the data as plain files that any static host serves
(``leaderboard.site.build``). The URL scheme is ``leaderboard.site.paths``."""
