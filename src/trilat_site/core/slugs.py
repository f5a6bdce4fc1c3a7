"""URL names: the one rule that turns a file name or a title into a slug, and what a slug may be."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

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


def _unwritten(text: str) -> bool:
    """Whether the text has letters or digits `slugify` cannot write (Hangul, kana, Han…)."""
    return any(
        not ch.isascii() and not unicodedata.combining(ch) and ch.isalnum()
        for ch in unicodedata.normalize("NFKD", text)
    )


@lru_cache(maxsize=4096)
def tag_slug(text: str) -> str:
    """A free-text tag's URL name: one tag page per slug.

    Tags that differ only in case, accents, spacing or punctuation ("North Korea",
    "north-korea") share their slug, and so their page. A tag with letters `slugify` cannot
    write gets a digest of its words as well, so that "북한" has a page of its own (tag-1a2b3c4d)
    and "북한 policy" does not merge with "policy" (policy-5e6f7a8b); so does a tag whose slug
    is reserved.
    """
    base = slugify(text)
    if base and base not in RESERVED_SLUGS and not _unwritten(text):
        return base
    words = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    digest = hashlib.blake2b(words.encode("utf-8"), digest_size=4).hexdigest()
    return f"{base}-{digest}" if base else f"tag-{digest}"
