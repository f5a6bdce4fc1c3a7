"""The theme's page around a page's content, taken from the page as last written, under `mkdocs serve --dirty`.

Material renders its whole page template for every page MkDocs writes: the header, the
navigation, the table of contents, the footer. That is about two milliseconds a page, most
of what a page written again costs. Many edits change what is inside a page and nothing the
theme prints around it: a change to the site's own briefing template (every briefing page),
a new briefing (every later page of each listing it enters shifts by one), a renamed person
(the pages of the briefings that index them). Such a page becomes the page already written,
with its content swapped.

What the theme prints around the content is made of the site (configuration, theme and
template folders, navigation: the site-wide key of incremental.py; when it changed, nothing
is reused) and of what the page's template reads of the page and of its context besides its
content (`shell_key`). The page's template is the plugin's `main.html`, which extends
`trilat-shell.html` instead of Material's `base.html` when the plugin gives the page its
shell (`LAYOUT`): the shell's two parts and the new content, nothing else. A page gets its
shell back only when its key is the one it was written with, the file on disk is still the
one written (its checksum), the old content was found in it exactly once and `tidy_page` has
nothing to change in either content. Anything else, and the theme renders the page as always:
`tests/test_incremental.py` holds what is served against clean builds, byte for byte.

A page that can have its shell back is written by the plugin itself as MkDocs reaches it
(`TrilatPlugin._write_directly`, from `PlannedFile.is_modified`): once its content is rendered,
MkDocs' own steps (the page's context, the theme's template choosing the shell's layout, the
plugins' events, which are only the plugin's own while it keeps the site, a file truncated and
written again) would cost as much again. The same steps are taken there, the page's template
rendered and its bytes encoded as MkDocs does, and the file, checked to be the one written, is
overwritten in place.
"""

from __future__ import annotations

import zlib
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import tidy_untouched

# The template a page given its shell renders (see overrides/main.html and overrides/trilat-shell.html).
LAYOUT = "trilat-shell.html"


def _encoded(html: str) -> bytes:
    # As MkDocs writes a page (mkdocs.commands.build._build_page).
    return html.encode("utf-8", errors="xmlcharrefreplace")


def _digest(data: bytes) -> bytes:
    # What tells a page changed on disk by something else since it was written: a checksum is
    # enough (whoever can write there can write anything), and each page given its shell is
    # summed twice (read back, written), a fifth of the time a cryptographic hash takes.
    return zlib.crc32(data).to_bytes(4, "big") + len(data).to_bytes(8, "big")


def _toc(items: Any) -> tuple[Any, ...]:
    return tuple((item.title, item.id, item.level, _toc(item.children)) for item in items)


def _link(item: Any) -> tuple[Any, ...] | None:
    return (
        None if item is None else (item.title, getattr(item, "url", None), getattr(item, "is_section", False))
    )


def shell_key(page: Any, context: dict[str, Any]) -> Hashable:
    """What Material's templates and the plugin's overrides read, besides the content, of a
    page and of the context the plugin gives it (everything else they read is site-wide)."""
    content = page.content or ""
    return (
        page.title,
        tuple(sorted((str(k), repr(v)) for k, v in page.meta.items())),
        page.url,
        page.canonical_url,
        page.abs_url,
        page.edit_url,
        page.update_date,
        page.is_homepage,
        _toc(page.toc),
        # partials/content.html prints the title when the content has no heading of its own.
        "<h1" in content,
        _link(page.previous_page),
        _link(page.next_page),
        _link(page.parent),
        tuple(_link(item) for item in page.ancestors),
        # The plugin's own context (see its on_page_context): the language switcher, and the
        # page's language, site name and footer links in it. Which navigation the page shows
        # follows from its language, which the plugin adds to the key.
        repr(context.get("trilat_languages")),
        repr(context.get("trilat_language")),
        repr(context.get("trilat_site_name")),
        repr(context.get("trilat_footer")),
    )


@dataclass(frozen=True)
class _Written:
    key: Hashable
    before: int  # bytes of the file before the content
    after: int  # bytes of the file after it
    digest: bytes


class Shells:
    """The shells of the pages last written, kept for one serving session."""

    def __init__(self) -> None:
        self._site: Any = None
        self._written: dict[str, _Written] = {}
        self._keys: dict[str, Hashable] = {}
        # The pages given their shell in this build, with where their content sat in it.
        self._given: dict[str, _Written] = {}
        self.active = False
        self.reused = 0

    def begin(self, site: Any, active: bool) -> None:
        """A build's pages are about to be written; `site` is the site-wide key of incremental.py."""
        if not active or site != self._site:
            self._written = {}
        self._site = site if active else None
        self.active = active
        self._keys = {}
        self._given = {}
        self.reused = 0

    def reuse(self, dest: str, key: Hashable, content: str) -> tuple[str, str] | None:
        """The shell of the page written to `dest`, if its key is `key`; it will hold `content`."""
        if not self.active:
            return None
        self._keys[dest] = key
        written = self._written.get(dest)
        if written is None or written.key != key or not tidy_untouched(content):
            return None
        try:
            data = Path(dest).read_bytes()
        except OSError:
            return None
        if _digest(data) != written.digest:
            return None
        self.reused += 1
        self._given[dest] = written
        return data[: written.before].decode("utf-8"), data[len(data) - written.after :].decode("utf-8")

    def has(self, dest: str) -> bool:
        """Whether the page written to `dest` left a shell that `reuse` may give back."""
        return self.active and dest in self._written

    def key_of(self, dest: str) -> Hashable | None:
        """The key the page last written to `dest` was written with."""
        written = self._written.get(dest)
        return None if written is None else written.key

    def kept(self, dest: str) -> _Written | None:
        """What is kept of the page written to `dest`, for another process (see writing.py)."""
        return self._written.get(dest)

    def adopt(self, dest: str, written: _Written | None) -> None:
        """The page written to `dest` by another process, with what it kept of it."""
        self._keys.pop(dest, None)
        self._given.pop(dest, None)
        self._written.pop(dest, None)
        if written is not None:
            self._written[dest] = written

    def written(self, dest: str, output: str, content: str) -> None:
        """The page as it is written to `dest`, with `content` in it, for the next build to reuse."""
        key = self._keys.pop(dest, None)
        given = self._given.pop(dest, None)
        if key is None:
            return
        self._written.pop(dest, None)
        if not content:
            return
        data, inner = _encoded(output), _encoded(content)
        if given is not None and len(data) == given.before + len(inner) + given.after and data.startswith(inner, given.before):
            # The shell given in `reuse` around the new content: where it sits is known, and
            # its content was checked there.
            at = given.before
        else:
            if not tidy_untouched(content):
                return
            at = data.find(inner)
            if at < 0 or data.find(inner, at + 1) >= 0:
                return
        self._written[dest] = _Written(key, at, len(data) - at - len(inner), _digest(data))
