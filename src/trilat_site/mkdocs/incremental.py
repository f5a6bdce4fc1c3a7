"""`mkdocs serve --dirty` made exact: a rebuild writes the pages an edit changed, and only those.

MkDocs 1.6 rebuilds the whole site on every change `mkdocs serve` sees. With `--dirty` it
skips each file whose `File.is_modified()` is false, which for its own files compares
modification times and for generated files is always true; it never removes an output,
and a page it skips is not read, so the navigation of the pages it does write loses that
page's title. MkDocs has no better hook for this, so the plugin answers `is_modified` for
every file it plans (`PlannedFile`), with what it knows of the page:

- every page is still read (converted, or given its last conversion: `conversion.py`), so
  titles, metadata, tables of contents and anchors are all in place for the pages written;
- a page is written again when its key changed: the key of a page holds everything its
  output is made from that is particular to it (its page spec: subject, context, title;
  the digest of its converted body; the titles of the briefings its links print, in each
  of their editions; its PDF edition; the languages it exists in, which its alternates and
  switcher name; a translation's original, whose date and language it states), and a page
  also counts as changed when its last rendering looked up a person or organisation whose
  registry entry changed (`core.index.registry_lookups`). Everything else a page is made
  from (the configuration, the theme and template folders, the navigation with its titles)
  is site-wide: when it changed, every page is written again;
- a file the plugin generates (the exports, stylesheet and script) is written when its
  content changed; MkDocs' own pages from docs/ are always read and written;
- an output the previous build planned and this one does not (a deleted briefing's page,
  its PDF, a listing's page that no longer exists) is removed at the end of the build.

What a skipped page would have become is what it already is: `tests/test_incremental.py`
holds every output of a chain of rebuilds against clean builds of the same files, byte
for byte. This only works when the plugin knows everything that makes a page: when any
other plugin or hook takes part in building pages, every page is written, as MkDocs
does, and the log says why once.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

log = get_plugin_logger("trilat")

# Events a plugin takes part in making pages with; the others (startup, shutdown, serve,
# build_error) do not touch the site.
_BUILD_EVENTS = (
    "config",
    "pre_build",
    "files",
    "nav",
    "env",
    "pre_page",
    "page_read_source",
    "page_markdown",
    "page_content",
    "page_context",
    "post_page",
    "template_context",
    "pre_template",
    "post_template",
    "post_build",
)
# MkDocs warns on every --dirty build that the navigation may be wrong; under the plugin it is not.
_DIRTY_WARNING = "A 'dirty' build is being performed"


class PlannedFile(File):
    """A file the plugin plans, or one of the site's own pages while the plugin keeps the site.

    `modified` is what `is_modified` answers, which MkDocs asks only under `--dirty`.
    """

    modified: bool = True
    # Set while a worker process may write the page (see writing.py): whether it did.
    elsewhere: Callable[[str], bool] | None = None
    # Set while the plugin may write the page itself (TrilatPlugin._write_directly): whether it did.
    direct: Callable[[PlannedFile], bool] | None = None

    def is_modified(self) -> bool:
        # MkDocs asks as it reaches the page, in its order: the worker's page is taken in now,
        # or the plugin writes it now.
        if self.modified and self.elsewhere is not None:
            written, self.elsewhere = self.elsewhere(self.src_uri), None
            self.modified = not written
        if self.modified and self.direct is not None:
            direct, self.direct = self.direct, None
            self.modified = not direct(self)
        return self.modified


def _kept_page(file: File) -> PlannedFile:
    """A site's own page as a PlannedFile: read and written on every build."""
    return PlannedFile(
        file.src_uri,
        file.src_dir,
        file.dest_dir,
        file.use_directory_urls,
        dest_uri=file.dest_uri,
        inclusion=file.inclusion,
    )


def _digest(content: str | bytes) -> bytes:
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    return hashlib.blake2b(data, digest_size=16).digest()


class _QuietDirtyWarning(logging.Filter):
    def __init__(self, incremental: Incremental) -> None:
        super().__init__()
        self._incremental = incremental

    def filter(self, record: logging.LogRecord) -> bool:
        return not (self._incremental.active and str(record.msg).startswith(_DIRTY_WARNING))


class Incremental:
    """What the last `mkdocs serve --dirty` build wrote, and what this one must write again."""

    def __init__(self, enabled: bool = False) -> None:
        self.enabled = enabled
        self.active = False
        self._told = False
        self._site: Any = None
        self._pages: dict[str, Any] = {}
        self._statics: dict[str, bytes] = {}
        self._outputs: set[str] = set()
        self._next_site: Any = None
        self._next_pages: dict[str, Any] = {}
        self._next_statics: dict[str, bytes] = {}
        self._next_outputs: set[str] = set()
        self._filter: _QuietDirtyWarning | None = None
        self._writing = False
        # The pages this build writes again only because their kind's own template changed
        # (the last part of their key): all else they show is what they showed.
        self.template_only: set[str] = set()
        if enabled:
            self._filter = _QuietDirtyWarning(self)
            logging.getLogger("mkdocs.commands.build").addFilter(self._filter)

    def close(self) -> None:
        if self._filter is not None:
            logging.getLogger("mkdocs.commands.build").removeFilter(self._filter)
            self._filter = None

    def begin(self, config: Any, own: object) -> None:
        """A build starts: the plugin keeps the site only if no other plugin takes part in it."""
        self._next_pages, self._next_statics = {}, {}
        if not self.enabled:
            return
        others = sorted(
            name
            for name, plugin in config.plugins.items()
            if plugin is not own and any(callable(getattr(plugin, f"on_{e}", None)) for e in _BUILD_EVENTS)
        )
        self.active = not others
        if others and not self._told:
            self._told = True
            log.info(
                f"every page is written again on each change: the plugins {', '.join(others)} take part in "
                "building pages, and only the trilat plugin's own pages are known well enough to skip"
            )

    def keep_pages(self, files: Files) -> Files:
        """The site's own pages from docs/, read and written on every build (others' titles are in their navigation)."""
        if not self.active:
            return files
        return Files(
            _kept_page(f) if f.is_documentation_page() and f.generated_by is None and type(f) is File else f
            for f in files
        )

    def static(self, file: PlannedFile, content: str | bytes) -> None:
        """A generated file is written again only when its content changed."""
        digest = _digest(content)
        dest = file.abs_dest_path
        self._next_statics[dest] = digest
        if self.active:
            file.modified = self._statics.get(dest) != digest or not os.path.isfile(dest)

    def static_later(self, file: PlannedFile) -> None:
        """A generated file the plugin writes itself after the pages (`write_late`): MkDocs leaves it."""
        dest = file.abs_dest_path
        if dest in self._statics:
            self._next_statics[dest] = self._statics[dest]
        file.modified = False

    def write_late(self, dest: str, content: bytes) -> None:
        """A generated file the plugin writes itself after the build's pages (see the plugin's
        `_after_pages`): written when its content changed, as MkDocs would under --dirty."""
        digest = _digest(content)
        if self._statics.get(dest) != digest or not os.path.isfile(dest):
            folder = os.path.dirname(dest)
            os.makedirs(folder, exist_ok=True)
            # The server answers requests meanwhile: a reader gets the old file or the new, whole.
            partial = os.path.join(folder, f".{os.path.basename(dest)}.partial")
            try:
                with open(partial, "wb") as out:
                    out.write(content)
                os.replace(partial, dest)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(partial)
                raise
        self._statics[dest] = digest

    def decide(
        self,
        files: Files,
        site: Any,
        keys: Mapping[str, Any],
        touched: set[str],
        extra_outputs: Iterable[str],
        config: Any,
    ) -> int:
        """Once every page is read: which of the plugin's pages to write again; returns how many.

        `site` holds the site-wide inputs; `keys` each page's own (by source name), `touched`
        the pages whose last rendering looked up a changed registry entry.
        """
        pages = files.documentation_pages(inclusion=lambda level: level.is_in_serve())
        outputs = {f.abs_dest_path for f in files if f.inclusion.is_in_serve()}
        site_dir = Path(config.site_dir)
        for name in config.theme.static_templates:
            outputs.add(str(site_dir / name))
            if name == "sitemap.xml":
                outputs.add(str(site_dir / "sitemap.xml.gz"))
        outputs.update(str(site_dir / name) for name in extra_outputs)
        self._next_outputs = outputs
        # A failed build leaves what it wrote: until a build succeeds, both count as written.
        self._outputs |= outputs
        self._next_site = site
        self._writing = True
        if not self.active:
            return len(pages)
        rewrite = site != self._site
        self.template_only = set()
        count = 0
        for file in pages:
            if not isinstance(file, PlannedFile):
                continue
            key = keys.get(file.src_uri)
            dest = file.abs_dest_path
            self._next_pages[dest] = key
            if key is not None:
                old = self._pages.get(dest)
                file.modified = rewrite or file.src_uri in touched or old != key or not os.path.isfile(dest)
                if file.modified and not rewrite and file.src_uri not in touched and _template_only(old, key):
                    self.template_only.add(file.src_uri)
            count += file.modified
        return count

    def written(self, config: Any) -> None:
        """The build succeeded: what it planned is what the site holds; what it no longer plans goes."""
        if not self.enabled:
            return
        site_dir = Path(config.site_dir).resolve()
        for path in sorted(self._outputs - self._next_outputs):
            _remove(Path(path), site_dir)
        self._outputs = self._next_outputs
        self._site, self._pages, self._statics = self._next_site, self._next_pages, self._next_statics
        self._writing = False

    def failed(self) -> None:
        """A build failed; if it had begun writing, some pages may be new and others not: the next
        build writes every page."""
        if self._writing:
            self._site, self._pages, self._statics = None, {}, {}
        self._writing = False


def _template_only(old: Any, new: Any) -> bool:
    return isinstance(old, tuple) and isinstance(new, tuple) and old[-1:] != new[-1:] and old[:-1] == new[:-1]


def _remove(path: Path, site_dir: Path) -> None:
    """An output no longer planned, and the folders it leaves empty, never above site_dir."""
    path = path.resolve()
    if not path.is_relative_to(site_dir):
        return
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    parent = path.parent
    while parent != site_dir and parent.is_relative_to(site_dir):
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent
