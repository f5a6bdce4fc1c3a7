"""The `trilat` command for editors: new, check, list and report, without MkDocs."""

from __future__ import annotations

from .commands import main

__all__ = ["main"]
