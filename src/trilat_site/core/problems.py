"""Located problems: the one shape every complaint about input takes.

Two conventions, one for each need. A leaf reader (decoding a file, splitting off its
front matter, parsing YAML, reading a date) stops at the first thing it cannot read
and raises `InputError` with the line; a validator that can go on collects every
`Problem` it finds, so an editor sees all of them at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """`path` is relative to the project root so that editors can click it."""

    path: str
    line: int
    message: str
    severity: Severity = Severity.ERROR
    cause: str | None = field(default=None, compare=False)
    """The file whose own error makes this one follow (a registry that failed to load, a
    refused briefing): such problems are folded into one line at that file."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity.value,
            "message": self.message,
        }


class InputError(Exception):
    """What a leaf reader raises: the reason, and the line within the text it read.

    `line` is None when the reader saw no lines (a date read from one value): the caller
    knows where that value stands.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def at(self, path: str, line: int, offset: int = 0) -> Problem:
        """The problem in `path`, at this error's line (moved by `offset`) or else at `line`."""
        return Problem(path, (self.line + offset) if self.line is not None else line, self.message)


class BriefingErrors(Exception):
    """Raised with every error of every file, so an editor fixes them in one pass."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        # In the order given: the loader puts root causes (registries) first.
        self.problems = tuple(problems)
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"{count} {noun} in briefings:"]
        lines.extend(str(p) for p in self.problems)
        return "\n".join(lines)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' hint, or nothing when no choice is close."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def one_of(choices: Iterable[str]) -> str:
    return ", ".join(sorted(choices))


def unknown_key(name: str, allowed: Iterable[str], *, label: str = "allowed") -> str:
    """The message for a key no shape declares, in the order the shape declares its keys."""
    keys = list(allowed)
    return f"unknown key '{name}'{did_you_mean(name, keys)}; {label}: {', '.join(keys)}"
