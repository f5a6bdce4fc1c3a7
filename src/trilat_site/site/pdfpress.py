"""The press: PDFs made by WeasyPrint in worker processes, bounded in time, memory and reach.

WeasyPrint lays out about a page a second per core, so PDFs are made by a pool of worker
processes (one per core by default) while the build goes on. Each worker

- refuses every resource a document asks for (images, stylesheets, fonts, attachments,
  over any protocol but `data:`): a PDF is made from the HTML it is given and the system's
  fonts, so no body can make the build reach the network or read a file;
- gives a PDF up after `Job.timeout` seconds of processor time;
- runs within an address-space limit (`MEMORY_LIMIT`), so a pathological body fails with
  MemoryError instead of exhausting the machine.

A worker that dies (a crash, the kernel's OOM killer) breaks Python's process pool and every
job it held; those jobs are run again, one at a time, so the one that kills its worker is
found and reported as such and no other is lost. Only a few jobs are handed to the pool at
once for that reason, the rest wait in the press's own queue.

This module imports only the standard library at the top: it is what worker processes
import, and WeasyPrint is imported there, never in the build's own process.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from multiprocessing import get_context
from pathlib import Path
from typing import Any

# Generous for a briefing (a 60-page document peaks near 400 MB), small beside the machine.
MEMORY_LIMIT = 2 * 1024**3
# Tagged PDF for accessibility (PDF/UA-1: structure tree, language, document title shown).
PDF_VARIANT = "pdf/ua-1"
# Jobs handed to the pool per worker; the others wait in the press's queue (see above).
_IN_FLIGHT_PER_WORKER = 2


@dataclass(frozen=True)
class Job:
    """One PDF to make: the HTML document in `source`, the PDF to write at `target`."""

    source: str
    target: str
    base_url: str | None
    timeout: float
    variant: str | None = PDF_VARIANT


@dataclass(frozen=True)
class Outcome:
    """What became of a job: made, or why not (`reason`, one of REASONS) with a `message`."""

    ok: bool
    message: str = ""
    notes: tuple[str, ...] = ()
    """What WeasyPrint said while making it (a refused image, an unknown CSS property)."""
    reason: str = ""

    @property
    def lasting(self) -> bool:
        """Whether the document itself is at fault, so that making it again would fail again;
        a timeout or a dead worker may not be its fault."""
        return self.reason in ("failed", "memory")


REASONS = ("failed", "memory", "timeout", "crashed", "unreadable", "unavailable")


# -- in the worker --------------------------------------------------------------------------


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Timeout


def _follow_parent(parent: int) -> None:
    # A build killed outright (SIGKILL, SIGTERM) cannot stop its workers: they stop themselves,
    # even when the build died before this worker had started.
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def start_worker(nice: int = 0, parent: int | None = None) -> None:
    """Initialiser of each worker process; `parent` is the build's process."""
    threading.Thread(target=_follow_parent, args=(parent or os.getppid(),), daemon=True).start()
    if nice:
        with contextlib.suppress(OSError):
            os.nice(nice)
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass  # not on this system: the time limit still holds


class _Notes(logging.Handler):
    """What WeasyPrint says while making one PDF, kept for the build's log instead of stderr."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.notes: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):
            self.notes.append(" ".join(record.getMessage().split())[:300])


@contextlib.contextmanager
def _listening() -> Iterator[_Notes]:
    handler = _Notes()
    loggers = [logging.getLogger(name) for name in ("weasyprint", "weasyprint.progress")]
    for logger in loggers:
        logger.addHandler(handler)
        logger.propagate = False
    try:
        yield handler
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


@functools.cache
def _local_only_fetcher() -> Any:
    """A WeasyPrint URL fetcher that fetches `data:` URLs and refuses every other."""
    from weasyprint.urls import URLFetcher, URLFetchingError

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise URLFetchingError(
                f"not fetched: a PDF edition uses no resource from elsewhere ({url[:200]})"
            )

    return LocalOnly()


def _first_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__


def make_pdf(job: Job) -> Outcome:
    """Make one PDF; never raises. Runs in a worker process."""
    try:
        from weasyprint import HTML

        fetcher = _local_only_fetcher()
    except Exception as exc:  # missing system libraries surface as OSError from cffi
        return Outcome(False, f"WeasyPrint cannot start: {_first_line(exc)}", reason="unavailable")
    try:
        document = Path(job.source).read_text(encoding="utf-8")
    except OSError as exc:
        return Outcome(False, f"its HTML document could not be read: {exc.strerror}", reason="unreadable")
    target = Path(job.target)
    partial_file = target.with_name(f".{target.name}.{os.getpid()}.part")
    with _listening() as heard:
        # Processor time, not wall time: a loaded machine must not fail a PDF that is merely slow.
        previous = signal.signal(signal.SIGPROF, _alarm)
        signal.setitimer(signal.ITIMER_PROF, job.timeout)
        try:
            HTML(string=document, base_url=job.base_url, url_fetcher=fetcher).write_pdf(
                partial_file, pdf_variant=job.variant
            )
        except _Timeout:
            outcome = Outcome(
                False,
                f"WeasyPrint took more than {job.timeout:g} s of processor time",
                tuple(heard.notes),
                "timeout",
            )
        except MemoryError:
            limit = MEMORY_LIMIT // 1024**2
            outcome = Outcome(False, f"WeasyPrint needed more than {limit} MB", tuple(heard.notes), "memory")
        except Exception as exc:
            outcome = Outcome(False, f"WeasyPrint failed: {_first_line(exc)}", tuple(heard.notes), "failed")
        else:
            outcome = Outcome(True, notes=tuple(heard.notes))
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, previous)
    if outcome.ok:
        # Whole or not at all: a reader of the cache never sees half a PDF.
        os.replace(partial_file, target)
    else:
        with contextlib.suppress(OSError):
            partial_file.unlink()
    return outcome


# -- in the build ---------------------------------------------------------------------------


@dataclass
class _Entry:
    job: Job
    future: Future[Outcome]
    started: bool = False


@dataclass
class PdfPress:
    """A pool of worker processes with a queue of its own, started when first needed.

    `render` is the function workers run (`make_pdf`; tests give others). `nice` lowers
    the workers' priority, for `mkdocs serve`, where the editor's rebuilds come first.
    """

    workers: int = 0
    nice: int = 0
    render: Callable[[Job], Outcome] = make_pdf
    _queue: deque[_Entry] = field(default_factory=deque, init=False)
    _suspects: deque[_Entry] = field(default_factory=deque, init=False)
    _running: int = field(default=0, init=False)
    _pool: ProcessPoolExecutor | None = field(default=None, init=False)
    # Reentrant: a pool future that is already done runs its callback in the submitting thread.
    _lock: threading.RLock = field(default_factory=threading.RLock, init=False)

    def __post_init__(self) -> None:
        self.workers = self.workers or os.cpu_count() or 1

    def submit(self, job: Job, *, first: bool = False) -> Future[Outcome]:
        """Queue a job (at the front with `first`); the future never raises."""
        entry = _Entry(job, Future())
        with self._lock:
            if first:
                self._queue.appendleft(entry)
            else:
                self._queue.append(entry)
            self._pump()
        return entry.future

    def shutdown(self, *, wait: bool = False) -> None:
        """Cancel what has not started; with `wait`, wait for what has."""
        with self._lock:
            pending = [*self._queue, *self._suspects]
            self._queue.clear()
            self._suspects.clear()
            pool, self._pool = self._pool, None
        for entry in pending:
            entry.future.cancel()
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=True)

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # Fresh interpreters: a fork of the build would copy its memory and threads.
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=get_context("spawn"),
                initializer=start_worker,
                initargs=(self.nice, os.getpid()),
            )
        return self._pool

    def _pump(self) -> None:
        """Hand queued jobs to the pool; suspects of a crash go one at a time, alone."""
        while True:
            if self._suspects:
                if self._running:
                    return
                entry, alone = self._suspects.popleft(), True
            elif self._queue and self._running < _IN_FLIGHT_PER_WORKER * self.workers:
                entry, alone = self._queue.popleft(), False
            else:
                return
            if not entry.started:
                if not entry.future.set_running_or_notify_cancel():
                    continue
                entry.started = True
            self._running += 1
            try:
                inner = self._ensure_pool().submit(self.render, entry.job)
            except BrokenProcessPool:
                self._running -= 1
                self._drop_pool()
                self._suspects.appendleft(entry)
                continue
            inner.add_done_callback(partial(self._done, entry, alone))
            if alone:
                return

    def _drop_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _done(self, entry: _Entry, alone: bool, inner: Future[Outcome]) -> None:
        outcome: Outcome | None = None
        with self._lock:
            self._running -= 1
            try:
                outcome = inner.result()
            except BrokenProcessPool:
                self._drop_pool()
                if alone:
                    outcome = Outcome(
                        False, "the process making it stopped (it crashed or was killed)", reason="crashed"
                    )
                else:
                    self._suspects.append(entry)
            except Exception as exc:  # the pool could not hand the job over, say
                outcome = Outcome(
                    False, f"it could not be handed to a worker: {_first_line(exc)}", reason="crashed"
                )
            self._pump()
        if outcome is not None:
            entry.future.set_result(outcome)
