"""The project's one exception tree. The UI and every command line catch ``EnergyScoreError`` and
show its message; any other exception is a bug.

    EnergyScoreError                 base: every message says what went wrong and what to do
    ├── UnknownTaskError             a task id not in the registry (leaderboard.tasks)
    ├── SettingError                 a setting holds a value that cannot be used (leaderboard.settings)
    ├── SourceError                  a results dataset could not be loaded (leaderboard.sources)
    ├── ValidationError              dataset rows or user input failed validation
    ├── SubmissionError              an uploaded zip or run folder cannot be read (leaderboard.submissions)
    ├── StoreError                   a submission-store operation cannot be done (leaderboard.submissions.store)
    ├── FontError                    the label font is missing or not the shipped one (label.fonts)
    └── RunnerError                  the benchmark runner cannot measure as asked (runner)
        ├── MeterError               the GPU energy counter cannot be used
        └── WorkloadError            the task or model cannot be run as asked
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


class SubmissionError(EnergyScoreError):
    """An upload or run folder cannot be read at all (hostile or broken zip, unreadable JSON)."""


class StoreError(EnergyScoreError):
    """A store operation that cannot be done (unknown id, decision already made, unwritable store)."""


class FontError(EnergyScoreError):
    """The label font (Inter) could not be found or is not the shipped one."""


class RunnerError(EnergyScoreError):
    """The benchmark runner cannot measure as asked; the message says what to do."""


class MeterError(RunnerError):
    """The energy counter cannot be used; the message says why and what to do."""


class WorkloadError(RunnerError):
    """The task or model cannot be run as asked; the message says what to do."""
