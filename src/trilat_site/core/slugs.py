"""URL names: the one rule that turns a file name or a title into a slug, and what a slug may be."""

from __future__ import annotations

import re
import unicodedata

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = frozenset({"index", "page"})


def slugify(text: str) -> str:
    """ASCII letters and digits joined by single hyphens; '' when nothing usable is left.

    Accents go (é → e); any other non-ASCII character separates words like a space, so
    `été 2017 énergie` gives `ete-2017-energie` whether it is a file name or a title.
    """
    ascii_text = "".join(
        ch if ch.isascii() else "" if unicodedata.combining(ch) else " "
        for ch in unicodedata.normalize("NFKD", text)
    )
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def check_slug(slug: str) -> str | None:
    """The reason a slug is unsafe or unusable, or None."""
    if not SLUG_RE.match(slug):
        return (
            f"slug '{slug}' is not usable in a URL: use lowercase ASCII letters, digits "
            "and single hyphens, e.g. slug: energy-alliance"
        )
    if slug in RESERVED_SLUGS:
        return f"slug '{slug}' is reserved for the site's own pages: choose another"
    return None
