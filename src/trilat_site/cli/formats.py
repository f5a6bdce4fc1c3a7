"""Problems as the `trilat` command prints them: text lines, or GitHub Actions annotations."""

from __future__ import annotations

from ..core.problems import Problem, Severity


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
