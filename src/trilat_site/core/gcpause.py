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
