"""Under `mkdocs serve --dirty`, a rebuild's pages written on two cores.

MkDocs writes a build's pages one after another, each through the theme's page template and
the plugin's, while the machine's other cores wait, and its server answers no request until
the rebuild ends. Some edits rewrite thousands of pages: a change to the site's briefing
template (every briefing page), a new or deleted briefing (every later page of each listing it
is in), a renamed person who is in many briefings (each page showing their name). When a
rebuild has many pages to write, the plugin forks a worker as MkDocs starts writing them
(`parallel.Workers`; `fork` copies the whole prepared build): MkDocs writes from the first page
onwards, the worker from the last backwards, each taking the next under a shared lock, until
they meet.

The worker writes a page with MkDocs' own `_build_page`, the same events and templates, into
the same file. What else a page gives the build (its search document, its shell, what it
logged) comes back with it; MkDocs asks each page whether it is modified as it reaches it
(`PlannedFile.is_modified`), and for a page the worker wrote that is when its part is taken in
and the answer is no, so the build's process sees every page in MkDocs' own order, as if it had
written them all. A worker that fails on a page, dies or falls silent costs only time: the
build's process writes what it did not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .conversion import collect_only, replay
from .incremental import PlannedFile
from .parallel import Workers, can_fork_serving

# Fewer pages than this are written faster than a worker is forked and fed.
MIN_PAGES = 64
# A page takes well under a second to write: a worker silent this long is given up.
SILENCE = 20.0


@dataclass
class PageWritten:
    """What a page the worker wrote gives the build, besides its file."""

    # What the plugin keeps of the page for the build's process (see TrilatPlugin._write_elsewhere).
    kept: Any
    records: tuple[logging.LogRecord, ...] = ()


class PageWriters:
    """The worker writing part of one rebuild's pages."""

    def __init__(self) -> None:
        self._workers: Workers[PageWritten] | None = None

    def begin(
        self,
        files: list[PlannedFile],
        write: Callable[[str], Any],
        take_in: Callable[[str, Any], None],
        cores: int,
    ) -> bool:
        """Starts a worker on `files` (the pages to write, in MkDocs' order), if they are many.

        `write(src)` runs in the worker: it writes the page and returns what its on_post_page
        kept; `take_in(src, kept)` runs in the build's process as MkDocs reaches the page.
        """
        self.close()
        if cores < 2 or len(files) < MIN_PAGES or not can_fork_serving():
            return False
        collector: list[Any] = []

        def elsewhere(src: str) -> PageWritten:
            # In the worker: what it logs is kept, to be logged by the build's own process.
            if not collector:
                collector.append(collect_only())
            collector[0].records = []
            kept = write(src)
            records = tuple(collector[0].records)
            for record in records:
                record.msg, record.args = record.getMessage(), None
                record.exc_info = record.exc_text = record.stack_info = None
            return PageWritten(kept, records)

        workers = self._workers = Workers([f.src_uri for f in files], elsewhere, 1, silence=SILENCE)

        def taken(src: str) -> bool:
            written = workers.take(src)
            if written is None:
                return False
            replay(written.records)
            take_in(src, written.kept)
            return True

        for file in files:
            file.elsewhere = taken
        return True

    def close(self) -> None:
        if self._workers is not None:
            self._workers.close()
            self._workers = None
