"""The project's exception tree. The UI catches ``EnergyScoreError`` and shows its message.

    EnergyScoreError                 base: every message says what went wrong and what to do
    ├── UnknownTaskError             a task id not in the registry
    ├── SettingError                 a setting holds a value that cannot be used
    ├── SourceError                  a results dataset could not be loaded
    └── ValidationError              dataset rows or user input failed validation
"""


class EnergyScoreError(Exception):
    """Base of every error this project raises on purpose."""


class UnknownTaskError(EnergyScoreError, ValueError):
    """A task id that is not in ``leaderboard.tasks.TASKS``."""


class SettingError(EnergyScoreError, ValueError):
    """A setting (environment variable or secrets entry) holds an unusable value."""


class SourceError(EnergyScoreError):
    """The configured results dataset could not be loaded."""


class ValidationError(EnergyScoreError, ValueError):
    """Rows or input failed validation; the message names the rows and fields."""
