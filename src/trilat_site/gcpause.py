"""Pausing Python's cyclic garbage collector while a build allocates its records.

Loading, indexing and planning pages create hundreds of thousands of small objects
that all stay alive, and none of them form reference cycles. Each allocation burst
makes the collector scan them again and again for cycles it cannot find: about a
sixth of the loader's and index's time at 10,000 briefings. Reference counting
still frees everything as usual while the collector is paused.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def without_gc(fn: Callable[P, R]) -> Callable[P, R]:
    """Run `fn` with the cyclic collector paused, restoring whatever state it was in."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return wrapper
