"""Stand-ins for WeasyPrint that worker processes can import by name (tests of the press)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from trilat_site.site.pdfpress import Job, Outcome


def quick(job: Job) -> Outcome:
    """A 'PDF' made at once: the document's text, so that a test can tell which job made it."""
    Path(job.target).write_bytes(b"%PDF " + Path(job.source).read_bytes())
    return Outcome(True)


def crash_if_marked(job: Job) -> Outcome:
    """Kills its worker on a document that says CRASH, as a segfault or the OOM killer would."""
    if "CRASH" in Path(job.source).read_text(encoding="utf-8"):
        os._exit(3)
    time.sleep(0.05)
    return quick(job)


def slow(job: Job) -> Outcome:
    """A job that outlasts the test that starts it."""
    time.sleep(120)
    return quick(job)
