"""Choosing briefings and problems for the `trilat` command: pure filters, no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..core.index import newest_first
from ..core.model import Briefing
from ..core.problems import Problem


def within(path: str, wanted: str) -> bool:
    """Whether a project-relative path is `wanted` or lies in the folder `wanted`."""
    return path == wanted or path.startswith(wanted.rstrip("/") + "/")


def select_problems(problems: Iterable[Problem], wanted: Sequence[str]) -> list[Problem]:
    """The problems of the given files and folders (project-relative), or all when none is given."""
    if not wanted:
        return list(problems)
    return [p for p in problems if any(within(p.path, w) for w in wanted)]


def select_briefings(
    briefings: Iterable[Briefing],
    *,
    themes: Sequence[str] = (),
    countries: Sequence[str] = (),
    years: Sequence[int] = (),
    drafts: bool = False,
) -> list[Briefing]:
    """Newest first; each filter keeps briefings matching any of its values, and all filters apply."""
    return newest_first(
        b
        for b in briefings
        if (drafts or not b.draft)
        and (not themes or any(t in b.themes for t in themes))
        and (not countries or any(c in b.countries for c in countries))
        and (not years or b.date.year in years)
    )
