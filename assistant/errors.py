"""Kindly's errors: one base type that carries its exit code and a hint on what to do."""

from __future__ import annotations

import difflib
from typing import Iterable

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class KindlyError(Exception):
    """An error the user can act on; the command line prints it as one line."""

    exit_code = EXIT_FAILURE

    def __init__(self, what: str, fix: str = "") -> None:
        super().__init__(what)
        self.what = what.rstrip(".")
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.what}. {self.fix}".strip() if self.fix else f"{self.what}."


class UsageError(KindlyError):
    """The command line was used wrongly."""

    exit_code = EXIT_USAGE


class DataFileError(KindlyError):
    """An intents, voices or content file is malformed; lists every problem found."""

    exit_code = EXIT_USAGE

    def __init__(self, problems: list[str], fix: str = "Fix the file and start Kindly again.") -> None:
        self.problems = problems
        what = problems[0] if len(problems) == 1 else f"{len(problems)} problems in data files: " + "; ".join(problems)
        super().__init__(what, fix)


class AudioError(KindlyError):
    """An audio file or device cannot be used."""


class ModelError(KindlyError):
    """A speech model is missing or broken."""


class StorageError(KindlyError):
    """The database cannot be read or written."""


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """A 'did you mean …?' hint for an unknown name, or an empty string."""
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"Did you mean '{close[0]}'?" if close else ""
