"""Briefing bodies converted on the other cores while the build's own process reads the pages.

MkDocs reads (converts) every page in one loop, one page after another, then writes them.
Converting the bodies is about half of a build's work, and each conversion depends only on
the body, the Markdown settings and the site's files, all known once the navigation is.
So, when a build has many bodies to convert, the plugin forks worker processes right
before MkDocs' loop starts (`fork` copies the whole prepared build, nothing is set up
twice): the build's process converts the bodies from the first onwards as its loop reaches
them, the workers from the last backwards, each taking the next one under a shared lock,
until they meet. When the loop reaches a body a worker took, it waits for that worker's
`Converted` (content, table of contents, anchors and the records it logged, which the
build's process logs then, at the page's place in the order, so `--strict` counts them).

Nothing here changes what a page becomes: a worker runs MkDocs' own `Page.render` on the
same body with the same settings and files. A worker that fails on a body, dies or falls
silent only costs time: the build's process converts what it did not deliver. Workers are
forked only from a process running no other thread (fork copies one thread), so
`mkdocs serve` forks for its first build and converts a rebuild's few bodies itself.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

# Fewer bodies than this are converted faster than a worker is forked and fed.
MIN_BODIES = 48
# A worker that delivers nothing for this long is given up; its bodies are converted here.
SILENCE = 120.0

T = TypeVar("T")


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def can_fork_serving() -> bool:
    """Whether a worker may be forked from `mkdocs serve`, whose server runs threads of its own.

    A forked child has the forking thread alone, and any lock another thread held stays held
    in it. A worker that writes pages touches none of the server's locks: it renders, writes
    files and logs into memory (`conversion.collect_only`); the locks it does take (the
    logging module's, the import lock) are made afresh in a child by Python itself. That holds
    on Linux; elsewhere (macOS' system libraries are not safe to use after such a fork) pages
    are written in the server's process.
    """
    return hasattr(os, "fork") and sys.platform.startswith("linux")


class Workers(Generic[T]):
    """Worker processes converting `jobs` (source names, in the order MkDocs reads the pages) from the end."""

    def __init__(self, jobs: Sequence[str], convert: Callable[[str], T], count: int, silence: float = SILENCE) -> None:
        context = multiprocessing.get_context("fork")
        self._silence = silence
        self._index = {src: i for i, src in enumerate(jobs)}
        # [the next job the build's process may take, the last job the workers may take]
        self._bounds = context.RawArray("q", [0, len(jobs) - 1])
        self._lock = context.Lock()
        self._received: dict[int, T | None] = {}
        self._arrived = threading.Condition()
        self._pids: list[int] = []
        self._conns: list[multiprocessing.connection.Connection] = []
        self._closed = False
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        for _ in range(count):
            reader, writer = context.Pipe(duplex=False)
            with warnings.catch_warnings():
                # Python 3.12 and later warn of any fork while other threads run; see can_fork_serving.
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
            if pid == 0:  # pragma: no cover - the worker process; its coverage is not collected
                reader.close()
                self._work(writer, jobs, convert)
            writer.close()
            self._pids.append(pid)
            self._conns.append(reader)
        self._pipes = list(self._conns)
        # Results are read as they come, so that a worker never waits on a full pipe.
        self._reader = threading.Thread(target=self._receive, name="trilat-conversions", daemon=True)
        self._reader.start()

    def _work(self, conn: Any, jobs: Sequence[str], convert: Callable[[str], T]) -> None:  # pragma: no cover
        code = 0
        try:
            # What the worker inherited is only read: the collector leaves it alone.
            gc.freeze()
            while (i := self._take_last()) is not None:
                converted: T | None
                try:
                    converted = convert(jobs[i])
                except BaseException:
                    converted = None  # the build's process converts it, and reports what fails
                conn.send((i, converted))
        except BaseException:
            code = 1
        finally:
            with contextlib.suppress(Exception):
                conn.close()
            os._exit(code)

    def _take_last(self) -> int | None:
        with self._lock:
            first, last = self._bounds
            if last < first:
                return None
            self._bounds[1] = last - 1
            return int(last)

    def take(self, src: str) -> T | None:
        """A worker's conversion of the page, or None when the build's process is to convert it."""
        i = self._index.get(src)
        if i is None or self._closed:
            return None
        with self._lock:
            first, last = self._bounds
            if i <= last:
                self._bounds[0] = max(first, i + 1)
                return None
        return self._wait(i)

    def _receive(self) -> None:
        conns = list(self._conns)
        while conns:
            for conn in multiprocessing.connection.wait(conns):
                try:
                    j, converted = conn.recv()  # type: ignore[union-attr]
                except (EOFError, OSError):
                    conns.remove(conn)  # type: ignore[arg-type]
                    continue
                with self._arrived:
                    self._received[j] = converted
                    self._arrived.notify_all()
        with self._arrived:
            self._conns = []
            self._arrived.notify_all()

    def _wait(self, i: int) -> T | None:
        with self._arrived:
            while i not in self._received and self._conns and not self._closed:
                if not self._arrived.wait(timeout=self._silence):
                    break  # silent for too long: converted here, and the workers are stopped below
            if i in self._received:
                return self._received.pop(i)
        self.close()
        return None

    def close(self) -> None:
        """Waits for the workers, which end once every body is taken; stops any that does not."""
        if self._closed:
            return
        self._closed = True
        deadline = time.monotonic() + 2.0
        for pid in self._pids:
            with contextlib.suppress(OSError):
                while os.waitpid(pid, os.WNOHANG)[0] == 0:
                    if time.monotonic() > deadline:
                        os.kill(pid, signal.SIGKILL)
                        os.waitpid(pid, 0)
                        break
                    time.sleep(0.005)
        self._pids = []
        # The workers are gone, so their pipes are at an end: the reader stops.
        self._reader.join(timeout=5)
        for conn in self._pipes:
            conn.close()
        with self._arrived:
            self._received.clear()
