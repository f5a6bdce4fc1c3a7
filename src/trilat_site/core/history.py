"""What Git knows about each briefing file: one `git log` for the whole corpus.

A build outside a repository (a tarball) or in a shallow clone (whose history is
cut short and would date every file to the tip commit) gets no history, and the
pages fall back to the front matter's dates, so the output stays deterministic.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

_RECORD = "\x1e"
_FIELD = "\x1f"


@dataclass(frozen=True)
class Revision:
    time: dt.datetime
    """When it was committed, in UTC: the same instant wherever it is shown or exported."""
    message: str
    commit: str

    @property
    def date(self) -> dt.date:
        return self.time.date()


@dataclass(frozen=True)
class FileHistory:
    """Revisions newest first, capped; `count` is how many there were in all."""

    revisions: tuple[Revision, ...]
    count: int

    @property
    def last_updated(self) -> dt.datetime:
        return self.revisions[0].time


@dataclass(frozen=True)
class History:
    files: Mapping[str, FileHistory]
    reason: str | None = None

    def of(self, path: str) -> FileHistory | None:
        return self.files.get(path)


def parse_log(output: str, limit: int) -> dict[str, FileHistory]:
    """Parse `git log --name-only` records (see `read_history`) into per-file histories."""
    revisions: dict[str, list[Revision]] = {}
    counts: dict[str, int] = {}
    for record in output.split(_RECORD):
        if not record.strip():
            continue
        header, _, names = record.partition("\n")
        commit, date, message = [*header.split(_FIELD), "", "", ""][:3]
        try:
            # %aI is strict ISO 8601 with the author's offset; Python 3.10 reads no 'Z'.
            when = dt.datetime.fromisoformat(date.strip().replace("Z", "+00:00")).astimezone(dt.UTC)
        except ValueError:
            continue
        for name in names.splitlines():
            name = name.strip()
            if not name:
                continue
            counts[name] = counts.get(name, 0) + 1
            kept = revisions.setdefault(name, [])
            if len(kept) < limit:
                kept.append(Revision(when, message.strip(), commit[:12]))
    return {name: FileHistory(tuple(revs), counts[name]) for name, revs in revisions.items()}


def _git(args: Iterable[str], cwd: Path) -> str | None:
    try:
        proc = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout if proc.returncode == 0 else None


@dataclass
class HistoryCache:
    """The last history read, and the commit it was read at: `mkdocs serve` reads it again only
    after a commit (editing a file changes no history), which at thousands of commits saves the
    `git log` of every rebuild."""

    key: tuple[str, str, int] | None = None
    history: History | None = None


def read_history(project_dir: Path, briefings_dir: str, limit: int, cache: HistoryCache | None = None) -> History:
    """Histories keyed by path relative to the project (as `Briefing.path`), or none with a reason."""
    inside = _git(["rev-parse", "--is-inside-work-tree"], project_dir)
    if inside is None or inside.strip() != "true":
        return History({}, "not a Git repository")
    if (_git(["rev-parse", "--is-shallow-repository"], project_dir) or "").strip() == "true":
        return History({}, "a shallow clone: fetch the whole history (e.g. fetch-depth: 0) to show it")
    key = None
    if cache is not None:
        head = _git(["rev-parse", "--verify", "--quiet", "HEAD"], project_dir)
        key = (head.strip(), briefings_dir, limit) if head else None
        if key is not None and key == cache.key and cache.history is not None:
            return cache.history
    history = _log(project_dir, briefings_dir, limit)
    if cache is not None:
        cache.key, cache.history = key, history
    return history


def _log(project_dir: Path, briefings_dir: str, limit: int) -> History:
    output = _git(
        [
            "-c",
            "core.quotepath=off",
            "log",
            "--no-merges",
            "--no-renames",
            # The author date: when the change was made. A rebase or cherry-pick keeps it, where
            # it would give every commit it rewrites the same committer date, the moment it ran.
            f"--format={_RECORD}%H{_FIELD}%aI{_FIELD}%s",
            "--name-only",
            "--relative",
            "--",
            briefings_dir,
        ],
        project_dir,
    )
    if output is None:
        return History({}, "git log failed")
    return History(parse_log(output, limit))
