"""Pausing Python's cyclic garbage collector while a build allocates its records.

Loading, indexing and planning pages create hundreds of thousands of small objects
that all stay alive, and none of them form reference cycles. Each allocation burst
makes the collector scan them again and again for cycles it cannot find: about a
sixth of the loader's and index's time at 10,000 briefings. Reference counting
still frees everything as usual while the collector is paused. The drivers (the
MkDocs adapter, the `trilat` command) hold the pause around the whole chain, so
the collector does not wake between its stages.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off for the block, then back in whatever state it was in."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class IdleCollections:
    """A server's full collections held back while it rebuilds, and made once it is idle again.

    A full collection scans every object the process holds: at 5,000 briefings a preview
    server holds millions (its caches, the last build's pages) and each full collection takes
    about a second, two or three of them in every rebuild. Young objects are still collected
    as usual while a rebuild runs; what a rebuild leaves in cycles (the last build's pages)
    is collected by one full collection a moment after it ends, once the editor's browser
    has the page. Full collections stay held until then: restored at the end of the rebuild,
    the collector's own count would start one at the next allocation, in whichever thread,
    while the server is answering the browser (it serves nothing during a rebuild).
    """

    def __init__(self, delay: float = 1.5) -> None:
        self._delay = delay
        self._held: tuple[int, int, int] | None = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._releases = 0

    def hold(self) -> None:
        with self._lock:
            self._releases += 1
            self._cancel()
            if self._held is None:
                self._held = gc.get_threshold()
                gc.set_threshold(self._held[0], self._held[1], 1 << 30)

    def release(self) -> None:
        with self._lock:
            if self._held is None:
                return
            self._cancel()
            self._releases += 1
            self._timer = threading.Timer(self._delay, self._collect, (self._releases,))
            self._timer.daemon = True
            self._timer.start()

    def _collect(self, release: int) -> None:
        with self._lock:
            # A rebuild that began meanwhile holds them again.
            if self._held is None or release != self._releases:
                return
            gc.set_threshold(*self._held)
            self._held = None
            self._timer = None
        gc.collect()

    def close(self) -> None:
        with self._lock:
            self._cancel()
            if self._held is not None:
                gc.set_threshold(*self._held)
                self._held = None

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
