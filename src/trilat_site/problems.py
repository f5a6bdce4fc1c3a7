"""Located problems: the one shape every complaint about input takes."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """`path` is relative to the project root so that editors can click it."""

    path: str
    line: int
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity.value,
            "message": self.message,
        }


class BriefingErrors(Exception):
    """Raised with every error of every file, so an editor fixes them in one pass."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(problems))
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


def format_problem(problem: Problem) -> str:
    if problem.severity is Severity.WARNING:
        return f"{problem.path}:{problem.line}: warning: {problem.message}"
    return str(problem)


def _escape_workflow(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def github_annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command, shown on the file's line in a pull request."""
    level = "warning" if problem.severity is Severity.WARNING else "error"
    return (
        f"::{level} file={_escape_workflow(problem.path, prop=True)},line={problem.line},"
        f"title=trilat check::{_escape_workflow(problem.message)}"
    )
