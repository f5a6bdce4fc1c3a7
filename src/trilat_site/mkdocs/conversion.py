"""The Markdown conversion of the pages the plugin generates: guarded, sanitised, made once per change.

MkDocs converts a page in `Page.render` and reports an exception there with a traceback.
The plugin replaces that one method on the page objects it generated (nowhere else):

- a briefing's conversion is guarded: any failure of Markdown or of a Markdown extension
  becomes `briefings/x.md:1: …` with the reason, never a traceback (`core/bodycheck.py`
  refuses the shapes known to fail before conversion starts); the converted HTML and the
  table of contents are cleaned (`site/sanitize.py`) right after conversion, so no plugin,
  the search index included, ever reads what the sanitiser removes;
- a page with no Markdown of its own (every listing) gets what Python-Markdown gives an
  empty text, without building a Markdown converter for it;
- what `Page.render` leaves on the page (content, table of contents, anchors, links to
  anchors) and what it logged is kept as a `Converted`. While serving, a briefing whose
  file, Markdown settings and link targets are unchanged is given its last conversion
  again, its warnings logged again, as a clean build would log them; and a build with
  many bodies to convert converts them on the other cores (`parallel.py`).

A conversion reads the files of the site only through `Files.get_file_from_path` (MkDocs
resolves links between pages with it): the answers it got are part of what it was made
from, and it is reused only while every one of them is the same.
"""

from __future__ import annotations

import copy
import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import nh3
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.toc import get_toc
from mkdocs.utils import meta

from ..core.bodycheck import MAX_REPORTED, REMOVED
from ..site.crossrefs import slugs_named
from ..site.sanitize import sanitize, unforeseen

log = get_plugin_logger("trilat")

# Headings in the table of contents are plain text; Material prints them as they are.
_TEXT_ONLY = nh3.Cleaner(tags=set(), attributes={}, strip_comments=True)

# What a link lookup found: the target's URL and whether it is left out of the site, or nothing.
Found = tuple[str, bool] | None


def _clean_toc(items: Any) -> None:
    for item in items:
        item.title = _TEXT_ONLY.clean(item.title)
        _clean_toc(item.children)


def _copy_link(item: Any) -> Any:
    copied = copy.copy(item)
    copied.children = [_copy_link(child) for child in item.children]
    return copied


def copy_toc(toc: Any) -> Any:
    """A table of contents whose entries can be changed without changing `toc`'s (a deep copy
    costs ten times as much, at thousands of pages a rebuild)."""
    copied = copy.copy(toc)
    copied.items = [_copy_link(item) for item in toc.items]
    return copied


def _toc_text(items: Any) -> str:
    return "".join(f"{item.level}\0{item.id}\0{item.title}\0[{_toc_text(item.children)}]" for item in items)


@dataclass(frozen=True)
class Body:
    """A briefing's body, as the page converts it."""

    path: str
    """The briefing's file, for messages."""
    read: Callable[[], str] | None
    """Reads the text the page converts; None: MkDocs has read it, as for any page."""
    digest: str | None
    """The file's content digest when the briefing was loaded; None: the conversion is not kept."""
    sanitizing: bool
    foreseen: bool
    """The source check already warned about removals in this briefing."""


@dataclass
class Converted:
    """What `Page.render` leaves on a page and what it logged, to give the page again."""

    content: str
    toc: Any
    title: str | None
    anchors: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None
    """Anchors linked to, by the target page's source name."""
    records: tuple[logging.LogRecord, ...] = ()
    lookups: dict[str, Found] = field(default_factory=dict)
    digest: bytes = b""
    """Of the content and the table of contents: equal digests, equal pages."""
    named: frozenset[str] = frozenset()
    """Every path segment of the content's links: the briefings whose titles its cross-references print."""

    def seal(self) -> Converted:
        data = self.content + "\0" + _toc_text(self.toc) + "\0" + (self.title or "")
        self.digest = hashlib.blake2b(data.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        self.named = frozenset(slugs_named(self.content))
        return self

    def portable(self) -> Converted:
        """For another process: log records reduced to their text."""
        for record in self.records:
            record.msg, record.args = record.getMessage(), None
            record.exc_info = record.exc_text = record.stack_info = None
        return self


def _found(file: Any) -> Found:
    return None if file is None else (file.url, file.inclusion.is_excluded())


class _Lookups:
    """The site's files as a conversion sees them, with every lookup it made written down."""

    def __init__(self, files: Any) -> None:
        self._files = files
        self.seen: dict[str, Found] = {}

    def get_file_from_path(self, path: str) -> Any:
        file = self._files.get_file_from_path(path)
        # As `Files.get_file_from_path` looks it up, so it can be looked up again directly.
        self.seen[PurePath(path).as_posix()] = _found(file)
        return file

    def __getattr__(self, name: str) -> Any:
        return getattr(self._files, name)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


# MkDocs' loggers do not propagate to the root logger; Markdown's and others' do.
_LOGGERS = ("mkdocs", "")


@contextmanager
def collected() -> Iterator[_Collector]:
    """What is logged meanwhile, kept as well as handled as usual."""
    collector = _Collector()
    loggers = [logging.getLogger(name) for name in _LOGGERS]
    for logger in loggers:
        logger.addHandler(collector)
    try:
        yield collector
    finally:
        for logger in loggers:
            logger.removeHandler(collector)


def collect_only() -> _Collector:
    """In a worker process: what is logged is kept, to be logged by the build's own process."""
    collector = _Collector()
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers = [collector]
    return collector


def replay(records: tuple[logging.LogRecord, ...]) -> None:
    """Logs the records again, through the handlers of their loggers (strict mode counts them)."""
    for record in records:
        logging.getLogger(record.name).handle(record)


# What `Page.render` makes of an empty text, whatever the extensions: Markdown converts nothing.
EMPTY = Converted("", get_toc([]), None, frozenset(), None).seal()


def give(page: Any, converted: Converted, files: Any) -> None:
    """Puts a conversion on the page as `Page.render` would have."""
    page.content = converted.content
    # Shared with the conversion, which is given again on the next build: whatever changes a
    # page's table of contents (the template's own sections, added to the pages written) copies
    # it first (`copy_toc`), so most pages of a rebuild, never written, cost no copy.
    page.toc = converted.toc
    page._title_from_render = converted.title
    page.present_anchor_ids = converted.anchors
    if converted.links_to_anchors is not None:
        links = {}
        by_src = files.src_uris
        for src, anchors in converted.links_to_anchors.items():
            target = by_src.get(src)
            if target is not None:
                links[target] = anchors
        page.links_to_anchors = links


def still_valid(converted: Converted, files: Any) -> bool:
    """Every link of the conversion still resolves as it did."""
    by_src = files.src_uris
    return all(_found(by_src.get(path)) == found for path, found in converted.lookups.items())


def convert(
    page: Any, render: Callable[[Any, Any], None], config: Any, files: Any, body: Body | None
) -> Converted:
    """Runs MkDocs' own `Page.render` on the page; for a briefing, guarded and sanitised."""
    lookups = _Lookups(files)
    if body is None:
        render(config, lookups)
    else:
        _guarded(page, render, config, lookups, body)
    links = getattr(page, "links_to_anchors", None)
    return Converted(
        page.content or "",
        page.toc,
        page._title_from_render,
        page.present_anchor_ids,
        None if links is None else {target.src_uri: dict(anchors) for target, anchors in links.items()},
        lookups=lookups.seen,
    )


def _guarded(page: Any, render: Callable[[Any, Any], None], config: Any, files: Any, body: Body) -> None:
    path = body.path
    try:
        render(config, files)
    except PluginError:
        raise
    except RecursionError:
        raise PluginError(
            f"{path}:1: the body is nested too deeply for Markdown to convert: flatten its lists, "
            "quotes and admonitions"
        ) from None
    except Exception as exc:
        raise PluginError(
            f"{path}:1: Markdown could not convert the body: {type(exc).__name__}: {exc}"
        ) from None
    if not body.sanitizing:
        return
    if not body.foreseen:
        for reason in unforeseen(page.content or "")[:MAX_REPORTED]:
            log.warning(
                f"{path}:1: {REMOVED}: {reason} (made by a Markdown extension, which trilat check cannot see)"
            )
    page.content = sanitize(page.content or "")
    _clean_toc(page.toc)


def page_markdown(source: str) -> str:
    """The Markdown MkDocs converts for a page whose file holds `source` (`Page.read_source`)."""
    return meta.get_data(source)[0]


class Conversions:
    """The conversions of one build's generated pages; while serving, kept for the next build."""

    def __init__(self) -> None:
        self.keep = False
        """Keep conversions (with what they logged) for the next build: `mkdocs serve`."""
        self._kept: dict[str, tuple[Any, Converted]] = {}
        self._used: dict[str, Converted] = {}
        self._hits: dict[str, Converted] = {}
        self._bodies: dict[str, Body] = {}
        self._setting: Any = None
        self._workers: Any = None
        self.converted = 0
        """Bodies this build converted (not given again)."""

    def begin(self, config: Any, files: Any, bodies: dict[str, Body], workers: int) -> None:
        """The build's briefing bodies, in the order MkDocs reads the pages; when many need
        converting and there are cores to spare, workers start on them now."""
        from mkdocs.structure.pages import Page

        from .fingerprint import markdown_fingerprint
        from .parallel import MIN_BODIES, Workers, can_fork

        self.close()
        self._setting = markdown_fingerprint(config)
        self._used, self._hits, self._bodies = {}, {}, bodies
        self.converted = 0
        misses = []
        for src, body in bodies.items():
            if body.read is None:
                continue
            kept = self._kept.get(src)
            file = files.src_uris.get(src)  # a source URI already
            fresh = kept is not None and file is not None and kept[0] == self._key(src, file.url, body)
            if fresh and kept is not None and still_valid(kept[1], files):
                self._hits[src] = kept[1]
                continue
            misses.append(src)
        if workers < 2 or len(misses) < MIN_BODIES or not can_fork():
            return

        worker_log: list[_Collector] = []

        def elsewhere(src: str) -> Converted:
            # Runs in a worker: what it logs is kept, to be logged by the build's own process.
            if not worker_log:
                worker_log.append(collect_only())
            collector = worker_log[0]
            collector.records = []
            body = bodies[src]
            file = files.get_file_from_path(src)
            page = file.page if file.page is not None else Page(None, file, config)
            page.markdown = page_markdown(body.read())
            converted = convert(page, page.render, config, files, body).seal()
            converted.records = tuple(collector.records)
            return converted.portable()

        self._workers = Workers(misses, elsewhere, workers - 1)
        log.debug(f"{len(misses)} bodies to convert, with {workers - 1} worker processes")

    def _key(self, src: str, url: str, body: Body) -> Any:
        if body.digest is None:
            return None
        return (self._setting, src, url, body.digest, body.sanitizing, body.foreseen)

    def install(self, page: Any, body: Body | None) -> None:
        """`page.render` of a generated page: `body` for a briefing's, None for a page without a body."""
        render = page.render

        def replacement(config: Any, files: Any) -> None:
            self._render(page, render, body, config, files)

        page.render = replacement

    def _render(
        self, page: Any, render: Callable[[Any, Any], None], body: Body | None, config: Any, files: Any
    ) -> None:
        src = page.file.src_uri
        if body is None:
            if (page.markdown or "").strip():
                converted = convert(page, render, config, files, None)
            else:
                converted = EMPTY
                give(page, converted, files)
        elif body.read is None:
            # MkDocs read the page's Markdown, which another plugin may have changed: converted as it is.
            converted = convert(page, render, config, files, body)
        else:
            found = self._hits.pop(src, None)
            if found is None and self._workers is not None:
                found = self._workers.take(src)
            if found is not None:
                converted = found
                give(page, converted, files)
                replay(converted.records)
            else:
                page.markdown = page_markdown(body.read())
                converted = self._here(page, render, config, files, body)
            key = self._key(src, page.file.url, body)
            if self.keep and key is not None:
                self._kept[src] = (key, converted)
        self._used[src] = converted

    def _here(
        self, page: Any, render: Callable[[Any, Any], None], config: Any, files: Any, body: Body
    ) -> Converted:
        self.converted += 1
        if not self.keep:
            return convert(page, render, config, files, body)
        with collected() as collector:
            converted = convert(page, render, config, files, body)
        converted.records = tuple(collector.records)
        # Kept apart from the page's own, which is changed afterwards (see `give`).
        converted.toc = copy_toc(converted.toc)
        return converted.seal()

    def used(self, src: str) -> Converted | None:
        """The conversion this build gave the page."""
        return self._used.get(src)

    def finish(self) -> None:
        """Every page is read: workers stop, and what no page used any more is forgotten."""
        self.close()
        self._hits = {}
        if self.keep:
            self._kept = {src: kept for src, kept in self._kept.items() if src in self._used}

    def close(self) -> None:
        if self._workers is not None:
            self._workers.close()
            self._workers = None

    def forget(self) -> None:
        self.close()
        self._kept.clear()
