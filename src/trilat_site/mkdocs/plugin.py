"""The MkDocs adapter: wires loader → index → page plan → templates into MkDocs' events.

This folder is the only code that imports MkDocs (ProperDocs, the maintained fork of
MkDocs 1.x, answers to the same imports). The plugin translates MkDocs' config into
`SiteSettings`, adds the planned pages as `File.generated` virtual files, hands MkDocs
each briefing's body when its page is converted, and renders each page's content once
every other plugin has read it (see the README, "Architecture").
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import TemplateNotFound
from markupsafe import escape
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import AnchorLink

from ..core.gcpause import IdleCollections, collector_paused
from ..core.history import History, HistoryCache, read_history
from ..core.index import Entry, SiteIndex, build_index, changed_entries, iso_instant, registry_lookups
from ..core.loader import BodyUnreadable, BriefingCache, load_briefings, read_body
from ..core.model import Briefing
from ..core.problems import BriefingErrors
from ..core.settings import SettingsError, SiteSettings, settings_from_options
from ..site import urls
from ..site.assets import asset_files, missing_fonts_note
from ..site.cards import CardMaker
from ..site.crossrefs import edition_titles
from ..site.export import data_plan
from ..site.footer import FooterLink, footer_links
from ..site.i18n import translations
from ..site.pagefind import PagefindFailed, PagefindUnavailable, SearchIndex, search_body, search_document
from ..site.pages import PageKind, PageSpec, page_last_change, site_pages
from ..site.pdf import CacheFolderError, PdfCache, PdfEditions, PdfReport, cache_folder, engine_stamp
from ..site.pdfpress import PdfPress
from ..site.render import (
    CompiledTemplates,
    ListingItems,
    RenderCache,
    Renderer,
    TemplateFailed,
    make_environment,
)
from ..site.repo import RepoLinks
from .config import TrilatConfig, options_of
from .conversion import REMOVED, Body, Conversions, copy_toc
from .fingerprint import config_fingerprint, folders_fingerprint, nav_fingerprint, page_templates
from .incremental import Incremental, PlannedFile
from .langnav import language_navs
from .material import THEME_NAME, overrides_dir, quiet_alternate_lookups, tidy_page
from .material.navmemo import NavMemo
from .material.shells import LAYOUT, Shells, shell_key
from .nav import arrange, file_unlisted
from .staging import StagedOutput
from .writing import PageWriters

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

    from ..core.model import Registry

log = get_plugin_logger("trilat")

# Seconds MkDocs' server waits for further changes before a rebuild (see on_serve).
SETTLE = 0.02

CSS_URI = "assets/trilat/trilat.css"
# Only sites of several languages have a language switcher, and this stylesheet for it.
LANGUAGES_CSS_URI = "assets/trilat/trilat-languages.css"
JS_URI = "assets/trilat/trilat.js"
# Share cards are drawn once and kept here, beside mkdocs.yml, from one build to the next.
CARD_CACHE = ".cache/trilat/cards"
# The language the theme gives a page: Pagefind keeps an index per language.
_HTML_LANG = re.compile(r'<html\b[^>]*?\slang="([^"]*)"')

# While serving, PDFs are made at a lower priority than the editor's rebuilds.
SERVE_NICENESS = 10

# Events through which another plugin would change the Markdown MkDocs reads for a page.
_SOURCE_EVENTS = ("on_pre_page", "on_page_read_source", "on_page_markdown")

# Pages whose words a site may write in its docs folder (docs/index.md introduces the home
# page, docs/about.md is the About page's text); the plugin adds what it generates around them.
_SITE_WRITTEN = {PageKind.HOME: ("index.md",), PageKind.ABOUT: ("about.md", "about/index.md")}

# Pages that head a folder of others: MkDocs' `navigation.indexes` makes them the section's page.
_SECTION_INDEXES = frozenset(
    {PageKind.BRIEFINGS, PageKind.THEMES, PageKind.COUNTRIES, PageKind.PEOPLE, PageKind.ORGANIZATIONS, PageKind.TAGS}
)


def source_uri(spec: PageSpec) -> str:
    """The page's source name among MkDocs' files.

    A briefing keeps its file's place below the briefings folder, so that MkDocs resolves
    Markdown links between briefing files (`[x](other.md)`) as it does between pages.
    """
    if isinstance(spec.subject, Briefing):
        return f"{urls.BRIEFINGS}/{spec.subject.src_rel}"
    if spec.kind is PageKind.HOME:
        return urls.in_language("index.md", spec.language)
    if spec.kind in _SECTION_INDEXES and spec.number == 1:
        return f"{spec.location}/index.md"
    return f"{spec.location}.md"


# The sections a template adds after a page's own text (sources, citation…): headings of
# its own, with ids the templates give the "trilat-" prefix.
_TEMPLATE_SECTION = re.compile(r'<h2 id="(trilat-[\w-]+)">([^<]*)</h2>')
_TOC_KINDS = frozenset({PageKind.BRIEFING, PageKind.ABOUT})
# Pages whose built-in templates keep their sections across rebuilds (`fragment`): written by
# the build's own process, where what is kept lives, never by a worker (see _write_elsewhere).
_PARTS_KEPT = frozenset({PageKind.SOURCES, PageKind.TIMELINE})


def add_template_sections(page: Page, html: str) -> None:
    """List the template's sections in the page's table of contents after the text's own, so a
    reader can jump to the sources or the citation from the contents, on a phone too."""
    found = [AnchorLink(title.strip(), anchor, 2) for anchor, title in _TEMPLATE_SECTION.findall(html)]
    if not found:
        return
    # The page's table of contents may be its conversion's, kept for the next build.
    page.toc = copy_toc(page.toc)
    items = page.toc.items
    # A text under one h1 has its sections as that heading's children, which the theme lists.
    target = items[0].children if len(items) == 1 and items[0].level == 1 else items
    target.extend(found)


def _page_source(body: str) -> str:
    """A briefing's body as the Markdown MkDocs converts for its page."""
    # MkDocs reads a text starting with '---' or 'Key: value' as page metadata; a blank
    # first line stops that. Most bodies have one already and are passed on uncopied.
    return body if body.startswith("\n") else "\n" + body


def settings_from(config: Any) -> SiteSettings:
    """The same rules `trilat check` applies to mkdocs.yml, on the options MkDocs validated."""
    try:
        return settings_from_options(options_of(config))
    except SettingsError as exc:
        raise PluginError(str(exc)) from None


class TrilatPlugin(BasePlugin[TrilatConfig]):  # type: ignore[type-var]
    def __init__(self) -> None:
        # Lives as long as the plugin, so `mkdocs serve` re-reads only changed briefings.
        self._cache = BriefingCache()
        self._specs: dict[str, PageSpec] = {}
        # Per page: its converted content while the page is being written.
        self._converted: dict[str, str] = {}
        self._renderer: Renderer | None = None
        # Only `mkdocs serve` rebuilds; a one-off build has nothing to reuse the pages for.
        self._render_cache: RenderCache | None = None
        self._own_templates: dict[str, Any] = {}
        self._serving = False
        self._cards: CardMaker | None = None
        # Under `mkdocs serve --dirty`: the registry entries each page's content and head looked
        # up when last rendered (see registry_lookups); a changed entry rewrites the pages that did.
        self._lookups: dict[str, tuple[frozenset[Entry], frozenset[Entry]]] = {}
        # The pages this build writes: their records until they are written, and what they look up.
        self._rewritten: dict[str, tuple[frozenset[Entry], frozenset[Entry]]] = {}
        self._looking: dict[str, tuple[set[Entry], set[Entry]]] = {}
        # Related briefings' reasons by settings and language (see site_pages), kept while serving.
        self._reasons: tuple[Any, dict[Any, dict[Any, str]]] = (None, {})
        # Pagefind's index; under `mkdocs serve` it outlives rebuilds and takes only changed pages.
        self._search = SearchIndex()
        # Site-relative URL ("/briefings/x/") → output file, for the pages search indexes.
        self._searched: dict[str, str] = {}
        # Under `mkdocs serve` the bundle is completed after the build (see on_post_build).
        self._search_worker: ThreadPoolExecutor | None = None
        self._search_finishing: Future[None] | None = None
        self._foreseen: set[str] = set()
        # The PDF editions' work outlives rebuilds too (the press, the PDFs being made);
        # `_pdf` is set for the builds that make PDFs.
        self._pdf_work: PdfEditions | None = None
        self._pdf: PdfEditions | None = None
        self._staging = StagedOutput()
        # Conversions, and what `mkdocs serve --dirty` wrote, outlive rebuilds (see incremental.py).
        self._conversions = Conversions()
        self._incremental = Incremental()
        # What the theme printed around each page written, while serving (see material/shells.py).
        self._shells = Shells()
        # Per page being written: its head (see Renderer.head), when made before the theme
        # renders the page, and whether the page was given its shell.
        self._heads: dict[str, str] = {}
        self._given: set[str] = set()
        # The worker writing some of a rebuild's pages (see writing.py); in the worker, what
        # on_post_page keeps of the page it writes, for the build's process.
        self._writers = PageWriters()
        self._worker_kept: dict[str, Any] | None = None
        self._history = HistoryCache()
        self._kept: dict[str, tuple[Any, Any]] = {}
        # Under `mkdocs serve --dirty`: the exports this rebuild writes after its pages (key, plan, files).
        self._late_exports: tuple[Any, dict[str, Callable[[], bytes]], dict[str, PlannedFile]] | None = None
        self._collections = IdleCollections()
        self._built = False
        # The theme's and the plugin's templates, compiled once while serving.
        self._compiled = CompiledTemplates()
        self._registry: Registry | None = None
        self._nav: Navigation | None = None
        # The navigation of each language after the first, by its prefix (see langnav.py).
        self._language_navs: dict[str, Navigation] = {}
        self._footers: dict[str, tuple[FooterLink, ...]] = {}
        # The briefings' Markdown is read by the plugin when converted, unless another plugin takes part.
        self._own_sources = True
        self._theme_env: Environment | None = None
        # The configuration of the build whose pages are being written.
        self._building: MkDocsConfig | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._serving = command == "serve"
        self._search.keep_documents = self._serving
        self._render_cache = RenderCache() if self._serving else None
        self._conversions.keep = self._serving
        self._incremental.close()
        self._incremental = Incremental(enabled=self._serving and dirty)
        if self._serving and not dirty:
            log.info(
                "mkdocs serve rebuilds every page on each change; `mkdocs serve --dirty` (make serve) "
                "rebuilds only the pages a change affects, with the same result"
            )
        # `mkdocs build` and `gh-deploy` write into a staging folder swapped in at the end;
        # `mkdocs serve` builds into its own temporary folder, and --dirty adds to site_dir.
        self._staging = StagedOutput(enabled=command in ("build", "gh-deploy") and not dirty)

    def on_shutdown(self) -> None:
        self.settle_search()
        if self._search_worker is not None:
            self._search_worker.shutdown()
            self._search_worker = None
        self._collections.close()
        self._search.close()
        self._conversions.close()
        self._writers.close()
        self._incremental.close()
        if self._pdf_work is not None:
            self._pdf_work.close()
            self._pdf_work = None
        self._staging.finish()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # The plugin instance outlives `mkdocs serve` rebuilds: per-build state starts here,
        # once the last build's search bundle is complete.
        self.settle_search()
        if self._serving and self._built:
            self._collections.hold()
        self._settings = settings_from(self.config)
        self._project_dir = Path(config.config_file_path or ".").resolve().parent
        self._specs = {}
        self._converted = {}
        self._heads, self._given = {}, set()
        self._late_exports = None
        self._renderer = None
        self._searched = {}
        self._pdf = None
        self._nav = None
        self._language_navs = {}
        self._incremental.begin(config, self)
        self._own_sources = not any(
            any(callable(getattr(plugin, event, None)) for event in _SOURCE_EVENTS)
            for plugin in config.plugins.values()
            if plugin is not self
        )
        # Material's search plugin registers as 'material/search' whatever mkdocs.yml calls it.
        if self._settings.search and any(name in config.plugins for name in ("search", "material/search")):
            log.warning(
                "Material's search plugin ('- search' under plugins in mkdocs.yml) builds a second "
                "search index that the site does not use: the trilat plugin's Pagefind search is the "
                "site's search. Remove '- search' from plugins (or set `search: false` in the trilat "
                "options to keep Material's search instead)"
            )
        if not self._settings.edit_links:
            # The repository is for editors: without edit_links readers are shown neither the
            # theme's link to it in the header and drawer nor any edit or source link.
            config.repo_url = None
            config.edit_uri = None
            config.edit_uri_template = None
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        if self._settings.multilingual and LANGUAGES_CSS_URI not in config.extra_css:
            config.extra_css.append(LANGUAGES_CSS_URI)
        if JS_URI not in [str(script) for script in config.extra_javascript]:
            # Deferred: the script only improves a page that is complete without it, and
            # needs the whole document, so it need not hold up the first paint.
            script = ExtraScriptValue(JS_URI)
            script.defer = True
            config.extra_javascript.append(script)
        overrides = str(overrides_dir())
        if config.theme.name == THEME_NAME and overrides not in config.theme.dirs:
            # After a site's own custom_dir and before Material's: the site keeps the last word.
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, overrides)
        return config

    def on_serve(self, server, /, *, config: MkDocsConfig, builder):  # type: ignore[no-untyped-def]
        server.watch(str(self._project_dir / self._settings.briefings_dir))
        templates = self._project_dir / self._settings.templates_dir
        if templates.is_dir():
            server.watch(str(templates))
        # MkDocs' server waits a tenth of a second after a change for further changes before it
        # rebuilds. Its watcher polls each folder every half second, so what one save (or one
        # checkout) changed in a folder is reported at once: the wait caught nothing and
        # delayed every preview by as much.
        if isinstance(getattr(server, "build_delay", None), float):
            server.build_delay = min(server.build_delay, SETTLE)
        return server

    def _index(self) -> SiteIndex:
        """Every briefing read, checked and indexed; PluginError with every problem if any."""
        settings = self._settings
        corpus = load_briefings(self._project_dir, settings, self._cache)
        for warning in corpus.warnings:
            log.warning(str(warning))
        self._foreseen = {w.path for w in corpus.warnings if w.message.startswith(REMOVED)}
        if corpus.errors:
            raise PluginError(BriefingErrors(corpus.errors).report())
        if settings.git_history:
            history = read_history(self._project_dir, settings.briefings_dir, settings.history_limit, self._history)
            if history.reason:
                log.info(f"no revision history ({history.reason}); dates come from the front matter")
        else:
            history = History({}, "git_history is off")
        return build_index(corpus.briefings, settings, corpus.registry, history)

    @event_priority(100)
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Every briefing is checked before MkDocs empties site_dir (right after this event),
        # so a broken briefing fails the build with the site still in place.
        with collector_paused():
            self._site_index = self._index()
        self._staging.begin(config)

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        # Loading, indexing and planning allocate many objects and no cycles: see gcpause.
        with collector_paused():
            index = self._site_index
            if not self._serving or self._reasons[0] != index.settings:
                self._reasons = (index.settings, {})
            specs = site_pages(index, self._reasons[1])
        repo = RepoLinks.from_config(config.repo_url, config.edit_uri, Path(config.docs_dir).name)
        env = make_environment([self._project_dir / self._settings.templates_dir], self._compiled)
        address = urls.SiteAddress(config.site_name, config.site_url or None, config.use_directory_urls)
        # Under --dirty a page is rendered again only when what it is made from changed: the render
        # cache would only hold every page's fragments a second time. The parts its templates keep
        # (the sources' and the timeline's sections) are kept either way.
        render_cache = None if self._incremental.active else self._render_cache
        # A change to briefing.html rewrites the briefings' pages, not every page (see _decide),
        # and keeps the parts other kinds of page made (RenderCache.begin).
        self._own_templates = page_templates(env, {kind.template for kind in PageKind}) if self._serving else {}
        self._renderer = Renderer(
            env,
            index,
            address,
            repo,
            render_cache,
            description=config.site_description or "",
            pages=specs,
            parts=self._render_cache,
            own_templates=self._own_templates,
        )
        self._pdf = self._pdf_editions(config, env, index, address)
        for spec in specs:
            src = source_uri(spec)
            # A site's own docs/index.md and about.md are in its first language.
            written = () if spec.language else _SITE_WRITTEN.get(spec.kind, ())
            own = [name for name in written if files.src_uris.get(name) is not None]
            if own:
                self._specs[own[0]] = spec
                continue
            if files.src_uris.get(src) is not None:
                raise PluginError(
                    f"trilat: {config.docs_dir}/{src} has the name of a page the plugin "
                    "generates: rename or remove it"
                )
            file = PlannedFile.generated(
                config,
                src,
                # A briefing's body is read when its page is converted.
                content="",
                inclusion=InclusionLevel.INCLUDED if spec.in_nav else InclusionLevel.NOT_IN_NAV,
            )
            file.dest_uri = urls.dest_for(spec.location, config.use_directory_urls)
            files.append(file)
            self._specs[src] = spec
        assets = [("trilat.css", CSS_URI), ("trilat.js", JS_URI)]
        if self._settings.multilingual:
            assets.append(("trilat-languages.css", LANGUAGES_CSS_URI))
        for name, uri in assets:
            asset = env.loader.get_source(env, name)[0] if env.loader else ""
            files.append(self._static(config, uri, asset))
        if self._settings.search and env.loader:
            # What the search dialog loads as Pagefind's API: it searches the index's shards
            # as one index (see the template); overridable like the theme's own script.
            self._search.api_script = env.loader.get_source(env, "pagefind-shards.js")[0].encode("utf-8")
        if not address.site_url:
            log.warning(
                "site_url is not set in mkdocs.yml, so the Atom feeds are skipped: set it to the site's address"
            )
        pdf = self._pdf is not None
        plan = data_plan(index, address, feed_limit=self._settings.feed_limit, pdf=pdf)
        # Every edition: the other languages' feeds and the exports hold the translations.
        key = (tuple(index.every_edition()), index.registry, index.history, index.settings, address, pdf)
        for name in plan:
            if files.src_uris.get(name) is not None:
                raise PluginError(f"trilat: {config.docs_dir}/{name} has the name of a file the plugin generates")
        kept = self._kept.get("exports")
        if self._incremental.active and self._built and (kept is None or kept[0] != key):
            # A rebuild of `mkdocs serve --dirty` that changes the exports and feeds (a title,
            # a new briefing) makes and writes them once it has ended, with the search bundle
            # (`_after_pages`): the edited page is served half a second sooner at 5,000
            # briefings, and they are never more than the one save behind.
            late = {name: self._static(config, name, None) for name in plan}
            self._late_exports = (key, plan, late)
            for file in late.values():
                files.append(file)
        else:
            exports = self._reused("exports", key, lambda: {name: make() for name, make in plan.items()})
            for name, content in exports.items():
                files.append(self._static(config, name, content))
        # og:image needs an absolute address: without site_url no card is drawn.
        drawn = bool(self._settings.share_cards and address.site_url)

        def assets() -> tuple[dict[str, Path], str | None]:
            cards = self._card_maker() if drawn else None
            found = asset_files(index, address, self._project_dir, config.site_description, cards)
            return found, missing_fonts_note(cards) if cards is not None else None

        published, note = self._reused(
            "assets",
            # Every edition: a translation has its own card.
            (tuple(index.every_edition()), index.people, index.settings, address, config.site_description, drawn),
            assets,
            # Drawn cards and pictures are files: a rebuild uses them only while they are there.
            lambda found: all(path.is_file() for path in found[0].values()),
        )
        for name, path in published.items():
            if files.src_uris.get(name) is not None:
                raise PluginError(f"trilat: {config.docs_dir}/{name} has the name of a file the plugin generates")
            files.append(File.generated(config, name, abs_src_path=str(path)))
        if note:
            log.info(note)
        if config.theme.name == THEME_NAME:
            quiet_alternate_lookups(files, config)
        return self._incremental.keep_pages(files)

    def _card_maker(self) -> CardMaker:
        """The share-card maker: one a serving session keeps, so unchanged cards are named at once."""
        folder = self._project_dir / CARD_CACHE
        maker = self._cards if self._serving and self._cards is not None and self._cards.cache_dir == folder else None
        if maker is None:
            maker = CardMaker(folder)
            self._cards = maker if self._serving else None
        maker.begin()
        return maker

    def _reused(
        self, name: str, key: Any, make: Callable[[], Any], usable: Callable[[Any], bool] | None = None
    ) -> Any:
        """What `make` gave the last build of this server, if `key` (all it is made from) is equal."""
        if not self._serving:
            return make()
        kept = self._kept.get(name)
        if kept is not None and kept[0] == key and (usable is None or usable(kept[1])):
            return kept[1]
        value = make()
        self._kept[name] = (key, value)
        return value

    def _static(self, config: MkDocsConfig, name: str, content: str | bytes | None) -> PlannedFile:
        """A file the plugin generates whole: written again under `mkdocs serve --dirty` when it
        changed; without content, one the plugin writes itself after the pages (`_after_pages`)."""
        if content is None:
            file = PlannedFile.generated(config, name, content=b"")
            self._incremental.static_later(file)
            return file
        file = PlannedFile.generated(config, name, content=content)
        self._incremental.static(file, content)
        return file

    def _pdf_editions(
        self, config: MkDocsConfig, env: Environment, index: SiteIndex, address: urls.SiteAddress
    ) -> PdfEditions | None:
        """The PDF editions of this build, if the site makes them (see the README, "PDF editions")."""
        settings = self._settings
        if not settings.pdf:
            return None
        stamp = engine_stamp()
        if stamp is None:
            log.warning("no PDF editions: WeasyPrint is not installed: pip install weasyprint, or set pdf: false")
            return None
        try:
            # The site's own folder, not the staging folder this build writes into.
            site_dir = self._staging.site_dir(config)
            folder = cache_folder(self._project_dir, settings.pdf_cache_dir, site_dir, Path(config.docs_dir))
        except CacheFolderError as exc:
            raise PluginError(str(exc)) from None
        if self._pdf_work is None:
            self._pdf_work = PdfEditions(
                lambda: PdfPress(**self._press_options()),
                serving=self._serving,
                report_late=lambda report: self._log_pdf(report, summary=False),
            )
        self._pdf_work.begin(env, index, address, settings, PdfCache(folder), stamp)
        return self._pdf_work

    def _press_options(self) -> dict[str, int]:
        workers = self._settings.pdf_workers or os.cpu_count() or 1
        if not self._serving:
            return {"workers": workers}
        # The editor's rebuilds keep a core of their own and the first claim on the others.
        return {"workers": max(1, workers - 1), "nice": SERVE_NICENESS}

    @staticmethod
    def _log_pdf(report: PdfReport, *, summary: bool = True) -> None:
        """What became of the PDFs; one made in the background while serving gets no summary."""
        for note in report.notes:
            log.info(note)
        for problem in report.problems:
            log.warning(str(problem))
        if summary and (report.made or report.cached or report.problems or report.pending):
            log.info(report.summary())

    def _pdf_of(self, spec: PageSpec | None) -> str | None:
        """The output file of the page's PDF edition, if it has one."""
        if self._pdf is None or spec is None or not isinstance(spec.subject, Briefing):
            return None
        return self._pdf.output(spec.subject)

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        if not config.nav:
            arrange(nav, self._specs)
        file_unlisted(nav, self._specs, files)
        self._nav = nav
        if self._settings.multilingual:
            self._language_navs = language_navs(
                nav, self._specs, files, self._settings.languages, lambda prefix: translations(prefix).gettext
            )
        # MkDocs reads the pages next: the bodies to convert are known, and can go to other cores.
        bodies = {}
        for file in files.documentation_pages(inclusion=lambda level: level.is_in_serve()):
            spec = self._specs.get(file.src_uri)
            if spec is not None and isinstance(spec.subject, Briefing) and file.generated_by is not None:
                bodies[file.src_uri] = self._body(spec.subject)
        workers = self._settings.convert_workers or os.cpu_count() or 1
        self._conversions.begin(config, files, bodies, workers)
        return nav

    def _body(self, b: Briefing) -> Body:
        def read() -> str:
            try:
                digest = self._cache.digests.get(b.path) if self._conversions.keep else None
                return _page_source(read_body(self._project_dir, b, digest))
            except BodyUnreadable as exc:
                raise PluginError(f"{exc}: it changed during the build; build again") from None

        return Body(
            b.path,
            read if self._own_sources else None,
            self._cache.digests.get(b.path) if self._conversions.keep and self._own_sources else None,
            self._settings.sanitize,
            b.path in self._foreseen,
        )

    def _generated(self, page: Page) -> PageSpec | None:
        """The spec of a page the plugin generates (not a site's own docs/index.md)."""
        spec = self._specs.get(page.file.src_uri)
        return spec if spec is not None and page.file.generated_by is not None else None

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        spec = self._generated(page)
        if spec is None:
            return page
        if not isinstance(spec.subject, Briefing):
            self._conversions.install(page, None)
            return page
        body = self._body(spec.subject)
        if body.read is None:
            # Another plugin may read or change the page's Markdown: MkDocs reads it, as for any page.
            try:
                page.file.content_string = _page_source(read_body(self._project_dir, spec.subject))
            except BodyUnreadable as exc:
                raise PluginError(f"{exc}: it changed during the build; build again") from None
        self._conversions.install(page, body)
        return page

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        if env.bytecode_cache is None:
            env.bytecode_cache = self._compiled
        self._building = config
        # Every page is read: what each is made from is known, and what to write again under --dirty.
        self._conversions.finish()
        if self._incremental.enabled:
            self._decide(config, files, env)
        self._theme_env = env
        extra = config.extra if isinstance(config.extra, dict) else {}
        assets = [url for url in (config.theme.get("logo"), extra.get("homepage")) if isinstance(url, str)]
        env.globals["trilat_memo"] = NavMemo(assets, language_of=self._page_language)
        # The theme's header puts the search box there when the site has a bundle to search.
        env.globals["trilat_search"] = {"bundle": f"{urls.SEARCH_BUNDLE}/"} if self._settings.search else None
        if self._settings.search:
            self._begin_search(files, Path(config.site_dir) / urls.SEARCH_BUNDLE)
        address = urls.SiteAddress(config.site_name, config.site_url or None, config.use_directory_urls)
        env.globals["trilat_footer"] = footer_links(self._settings, address)
        # The other languages' pages get their own (see _language_context).
        self._footers = {prefix: footer_links(self._settings, address, prefix) for prefix in self._settings.languages[1:]}
        if self._settings.multilingual and self._renderer is not None:
            # The sitemap (overrides/sitemap.xml, MkDocs' own with one addition) lists each
            # page's editions in the other languages, as the pages' <head> does.
            renderer = self._renderer
            env.globals["trilat_alternates"] = lambda src: renderer.alternates(self._specs.get(src))
        if self._incremental.active and self._pdf is None:
            self._write_elsewhere(config, files, env)
        if self._shells.active:
            for file in files.documentation_pages():
                if isinstance(file, PlannedFile) and file.generated_by is not None and file.modified:
                    file.direct = self._write_directly
        return env

    def _write_elsewhere(self, config: MkDocsConfig, files: Files, env: Environment) -> None:
        """Many pages to write: a worker process writes some of them (see writing.py)."""
        from mkdocs.commands.build import _build_page

        # As MkDocs lists a served build's pages; the templates read nothing of the list itself.
        pages = files.documentation_pages(inclusion=lambda level: level.is_in_serve())
        todo = [
            f
            for f in pages
            if isinstance(f, PlannedFile)
            and f.generated_by is not None
            and f.modified
            and getattr(self._specs.get(f.src_uri), "kind", None) not in _PARTS_KEPT
        ]
        nav = self._nav
        parts = self._render_cache
        # The listing entries the worker makes come back to be kept here (ListingItems.adopt).
        records = {b.path: b for b in self._site_index.every_edition()} if parts is not None else {}

        def write(src: str) -> dict[str, Any]:
            # In the worker: MkDocs' own writing of the page, which is not part of its plugin API.
            self._worker_kept = {}
            if parts is not None:
                parts.fresh = []
            file = files.src_uris[src]
            assert isinstance(file, PlannedFile)
            file.elsewhere = file.direct = None
            if not self._write_directly(file):
                _build_page(file.page, config, pages, nav, env, excluded=file.inclusion.is_excluded())
            kept, self._worker_kept = self._worker_kept, None
            kept["shell"] = self._shells.kept(file.abs_dest_path)
            if parts is not None:
                kept["parts"] = ListingItems.made(parts)
            return kept

        def take_in(src: str, kept: dict[str, Any]) -> None:
            self._shells.adopt(files.src_uris[src].abs_dest_path, kept.get("shell"))
            if "lookups" in kept:
                self._lookups[src] = kept["lookups"]
            if "search" in kept:
                self._search_page(*kept["search"])
            if parts is not None and kept.get("parts"):
                ListingItems.adopt(parts, kept["parts"], records)

        cores = self._settings.convert_workers or os.cpu_count() or 1
        if self._writers.begin(todo, write, take_in, cores):
            log.debug(f"{len(todo)} pages to write, with a worker process")

    def _decide(self, config: MkDocsConfig, files: Files, env: Environment) -> None:
        """Which generated pages `mkdocs serve --dirty` writes again (see incremental.py)."""
        index = self._site_index
        templates = getattr(self._renderer.env.loader, "searchpath", []) if self._renderer is not None else []
        own = self._own_templates
        site = (
            config_fingerprint(config),
            folders_fingerprint(config.theme.dirs),
            folders_fingerprint(templates, skip=own),
            nav_fingerprint(self._nav.items if self._nav is not None else ()),
            # The other languages' navigations show their pages' titles.
            tuple((prefix, nav_fingerprint(nav.items)) for prefix, nav in self._language_navs.items()),
        )
        slugs = {b.slug for b in index.briefings}
        # The languages each page exists in: its alternates, its switcher and a briefing's
        # JSON-LD name them, so a translation added or removed changes its original's page.
        languages = self._renderer.prefixes if self._renderer is not None else {}
        keys = {}
        for src, spec in self._specs.items():
            converted = self._conversions.used(src)
            if converted is None:
                continue
            linked: tuple[Any, ...] = ()
            original = None
            if isinstance(spec.subject, Briefing):
                # The titles its links print (crossrefs), of the briefings its body names (on a
                # site of several languages, of each of their editions a link may lead to).
                linked = tuple((slug, edition_titles(index, slug)) for slug in sorted(converted.named) if slug in slugs)
                # A translation's page says when and in what language its original was published.
                original = index.original(spec.subject) if spec.subject.is_translation else None
            # Last: the page's own template (see page_templates).
            keys[src] = (
                spec,
                converted.digest,
                linked,
                self._pdf_of(spec),
                languages.get(spec.path),
                original,
                own.get(spec.kind.template),
            )
        touched: set[str] = set()
        if self._registry is not None and self._registry != index.registry:
            # The pages whose last rendering looked up a changed entry, and any not rendered yet.
            changed = changed_entries(self._registry, index.registry)

            def looked_up(src: str) -> bool:
                found = self._lookups.get(src)
                return found is None or not (found[0].isdisjoint(changed) and found[1].isdisjoint(changed))

            touched = {src for src in self._specs if looked_up(src)}
        self._registry = index.registry
        pdfs = [pdf for pdf in map(self._pdf_of, self._specs.values()) if pdf is not None]
        count = self._incremental.decide(files, site, keys, touched, pdfs, config)
        # A page written again has its record made afresh as it is written (here or by the worker):
        # until then it has none, which any registry change would count as touched.
        rewritten = {f.src_uri for f in files if isinstance(f, PlannedFile) and f.modified}
        self._rewritten = {src: self._lookups[src] for src in rewritten if src in self._lookups}
        self._lookups = {src: found for src, found in self._lookups.items() if src in self._specs and src not in rewritten}
        self._looking = {}
        # Shells are the theme's output, so only where the pages extend the plugin's main.html.
        main = env.get_template("main.html").filename
        self._shells.begin(site, self._incremental.active and main == str(overrides_dir() / "main.html"))
        log.debug(f"{count} pages to write, {self._conversions.converted} bodies converted")

    def _searchable(self, file: File) -> bool:
        spec = self._specs.get(file.src_uri)
        if spec is not None:
            return spec.searchable
        # The site's own pages from docs/ are found by their words, as the briefings are.
        return True

    def _begin_search(self, files: Files, bundle: Path) -> None:
        """Starts Pagefind with the pages it will get, in the order MkDocs writes them."""
        pages = [file for file in files.documentation_pages() if self._searchable(file)]
        self._searched = {"/" + file.url: file.abs_dest_path for file in pages}
        # Briefings share shards only with briefings (see plan_shards).
        briefings = {
            "/" + file.url for file in pages if isinstance(getattr(self._specs.get(file.src_uri), "subject", None), Briefing)
        }
        self._search.shard_pages = self._settings.search_shard_pages
        try:
            self._search.begin(self._searched, bundle, lambda url: "briefing" if url in briefings else "page")
        except (PagefindUnavailable, PagefindFailed) as exc:
            self._search.close()
            raise PluginError(f"trilat: search: {exc}") from None

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self._generated(page)
        if spec is not None:
            # MkDocs' theme templates print page metadata without escaping it.
            page.meta = {"title": str(escape(spec.title))}
            if spec.description:
                page.meta["description"] = str(escape(spec.description))
            repo = self._renderer.repo if self._renderer is not None else None
            if isinstance(spec.subject, Briefing) and repo is not None:
                page.edit_url = repo.edit(spec.subject.path)
        else:
            # The site's own pages: their front matter reaches the same unescaped template slots.
            for key in ("title", "description"):
                if isinstance(page.meta.get(key), str):
                    page.meta[key] = str(escape(page.meta[key]))
        planned = self._specs.get(page.file.src_uri)  # the home page too, when docs/index.md is its intro
        if planned is not None and self._renderer is not None:
            # The sitemap's lastmod: when the page's briefings last changed, not the build date.
            changed = page_last_change(planned, self._renderer.index)
            if changed is not None:
                page.update_date = iso_instant(changed)
        return markdown

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self._specs.get(page.file.src_uri)
        if spec is None or self._renderer is None:
            if self._settings.search and self._searchable(page.file):
                # A page of the site's own: its words are what search finds it by.
                return search_body(html, page.title or "")
            return html
        if page.file.generated_by is not None:
            # Converted: the Markdown, which MkDocs would keep to the end, is let go.
            page.markdown = ""
            page.file.content_string = ""
            if self._pdf is not None and isinstance(spec.subject, Briefing):
                # As early as the converted body exists, so the PDF is made while the build goes on.
                with self._template_errors():
                    self._pdf.submit(spec.subject, html)
        return html

    @contextlib.contextmanager
    def _template_errors(self) -> Iterator[None]:
        """A site's template that fails is reported as a briefing is, by file and line."""
        try:
            yield
        except TemplateFailed as exc:
            raise PluginError(exc.report(self._project_dir)) from None

    @event_priority(-100)
    def on_page_context(self, context: dict, /, *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:  # type: ignore[type-arg]
        """Renders the whole page once every other plugin has read its converted content.

        The listings, related briefings, citations and history are added only now, so no
        page holds its full HTML for the length of the build.
        """
        spec = self._specs.get(page.file.src_uri)
        if spec is not None and spec.language in self._language_navs:
            # The theme renders the navigation of the page's language (see langnav.py).
            context["nav"] = self._language_navs[spec.language]
        if self._renderer is not None and self._settings.multilingual:
            self._language_context(context, spec)
        if spec is None or self._renderer is None:
            return context
        shell = self._render_content(page, spec, context)
        if shell is not None:
            context["trilat_layout"] = LAYOUT
            context["trilat_shell"] = shell
            self._given.add(page.file.src_uri)
        return context

    def _render_content(self, page: Page, spec: PageSpec, context: dict[str, Any]) -> tuple[str, str] | None:
        """The page's content rendered into `page.content` (its converted body kept for
        on_post_page); what the theme printed around it when it was last written, if the page
        can have it again (see material/shells.py)."""
        assert self._renderer is not None
        src = page.file.src_uri
        own = page.content or ""
        self._converted[src] = own
        looked_up: tuple[set[Entry], set[Entry]] = (set(), set())
        if self._incremental.active:
            self._looking[src] = looked_up
        with self._template_errors(), registry_lookups(looked_up[0]):
            page.content = self._renderer.render(spec, own, self._pdf_of(spec))
        if spec.kind in _TOC_KINDS:
            add_template_sections(page, page.content)
        if not self._shells.active:
            return None
        dest = page.file.abs_dest_path
        # The head goes into the page after the theme rendered it (on_post_page), made there
        # if not here. A page written again for its kind's template alone has the head it
        # had: everything else particular to it is in its key (see incremental.py).
        last = self._shells.key_of(dest) if src in self._incremental.template_only else None
        if isinstance(last, tuple) and src in self._rewritten:
            head_digest = last[-1]
            looked_up[1].update(self._rewritten[src][1])
        else:
            with self._template_errors(), registry_lookups(looked_up[1]):
                head = self._heads[src] = self._renderer.head(spec, self._pdf_of(spec), page.url)
            head_digest = hashlib.blake2b(head.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        key = (shell_key(page, context), spec.language, head_digest)
        return self._shells.reuse(dest, key, page.content)

    def _write_directly(self, file: PlannedFile) -> bool:
        """Writes a page of a --dirty build whose content alone changed, as MkDocs would have
        written it, without MkDocs' page pipeline; False when MkDocs is to write it.

        MkDocs asks each page whether it is modified as it reaches it (`PlannedFile.is_modified`).
        A page that gets its shell back (material/shells.py) is the shell around its new
        content: MkDocs' own part in writing it (its context, the theme's template choosing the
        shell's layout, the plugins' events, which are only this plugin's while it keeps the site,
        and a file truncated then written) cost as much as rendering the content. The page is
        made here by the same steps, each the plugin's own or the theme's template: the context
        the shell's key reads (`_language_context`), the content, the page's template, on_post_page,
        and its bytes encoded as MkDocs encodes them.
        """
        page, src = file.page, file.src_uri
        spec = self._specs.get(src)
        env = self._theme_env
        if (
            page is None
            or spec is None
            or env is None
            or self._renderer is None
            or file.inclusion.is_excluded()
            or not self._shells.has(file.abs_dest_path)
        ):
            return False
        context: dict[str, Any] = {}
        if self._settings.multilingual:
            self._language_context(context, spec)
        toc = page.toc
        shell = self._render_content(page, spec, context)
        if shell is None:
            # Written by MkDocs after all, through the theme: its content is rendered again there.
            page.content, page.toc = self._converted.pop(src), toc
            self._looking.pop(src, None)
            self._heads.pop(src, None)
            return False
        self._given.add(src)
        template = env.get_template(page.meta.get("template", "main.html"))
        output = template.render({"page": page, "trilat_layout": LAYOUT, "trilat_shell": shell})
        assert self._building is not None
        output = self.on_post_page(output, page=page, config=self._building)
        data = output.encode("utf-8", errors="xmlcharrefreplace")
        # The file is the page as last written (its checksum was checked): overwritten in place, as
        # truncating it first makes the file system release and allocate its blocks anew, which
        # costs several times the write.
        with open(file.abs_dest_path, "r+b") as out:
            out.write(data)
            out.truncate()
        return True

    def _page_language(self, page: Page) -> str:
        spec = self._specs.get(page.file.src_uri)
        return spec.language if spec is not None else ""

    def _language_context(self, context: dict[str, Any], spec: PageSpec | None) -> None:
        """What the theme's header and language partial need on a site of several languages:
        the switcher, and the page's language where the theme speaks it (see overrides)."""
        assert self._renderer is not None
        context["trilat_languages"] = self._renderer.switcher(spec)
        if spec is not None and spec.language in self._footers:
            context["trilat_footer"] = self._footers[spec.language]
            text = self._settings.site_text(spec.language)
            if text is not None and text.site_name:
                # The theme's header, drawer, footer and <title> (see overrides) name the site so.
                context["trilat_site_name"] = escape(text.site_name)
        tag = spec.language if spec is not None and spec.language else None
        if tag is not None and self._theme_speaks(tag):
            context["trilat_language"] = tag

    def _theme_speaks(self, tag: str) -> bool:
        env = self._theme_env
        if env is None or env.loader is None:
            return False
        try:
            env.loader.get_source(env, f"partials/languages/{tag}.html")
        except TemplateNotFound:
            return False
        return True

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        src = page.file.src_uri
        content = page.content or ""
        converted = self._converted.pop(src, None)
        if converted is not None:
            # The page is written: it goes back to its converted Markdown, as MkDocs keeps it.
            page.content = converted
        head = self._heads.pop(src, None)
        looked_up = self._looking.pop(src, None)
        if src in self._given:
            # Its shell is the page as last written: tidied, with its head in it.
            self._given.discard(src)
        else:
            output = tidy_page(output)
            if self._renderer is not None:
                if head is None:
                    spec = self._specs.get(src)
                    with self._template_errors(), registry_lookups(looked_up[1] if looked_up else None):
                        head = self._renderer.head(spec, self._pdf_of(spec), page.url)
                at = output.find("</head>")
                if at >= 0 and head.strip():
                    output = output[:at] + head + output[at:]
        if self._shells.active:
            self._shells.written(page.file.abs_dest_path, output, content)
        if looked_up is not None:
            record = self._lookups[src] = (frozenset(looked_up[0]), frozenset(looked_up[1]))
            if self._worker_kept is not None:
                self._worker_kept["lookups"] = record
        url = "/" + page.file.url
        if self._settings.search and self._search.wants(url):
            # Pagefind reads the page's content on its own core while MkDocs writes the next page.
            lang = _HTML_LANG.search(output, 0, 2000)
            document = search_document(content, page.title or "", lang.group(1) if lang else "en")
            if self._worker_kept is not None:
                self._worker_kept["search"] = (url, document)
            else:
                self._search_page(url, document)
        return output

    def _search_page(self, url: str, document: str) -> None:
        try:
            self._search.page(url, document)
        except PagefindFailed as exc:
            raise PluginError(f"trilat: search: {exc}") from None

    # Last of all plugins: the site is whole only once every other plugin has written its part.
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        # Every page is written: the worker has ended, or ends now.
        self._writers.close()
        # The PDFs being made are waited for only now, after the pages (never while serving).
        if self._pdf is not None:
            self._log_pdf(self._pdf.finish(Path(config.site_dir)))
        self._incremental.written(config)
        late, self._late_exports = self._late_exports, None
        if self._serving and (self._settings.search or late is not None):
            # MkDocs' server answers no request until the rebuild ends: the search shards the
            # change touched, and the exports it changed, are written right after, in the
            # background, and the next rebuild starts once they are (settle_search).
            if self._search_worker is None:
                self._search_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="trilat-search")
            self._search_finishing = self._search_worker.submit(self._after_pages, late)
        elif self._settings.search:
            self._finish_search()
            self._search.close()
        self._staging.built()
        self._built = True
        self._collections.release()

    def _after_pages(self, late: tuple[Any, dict[str, Callable[[], bytes]], dict[str, PlannedFile]] | None) -> None:
        """What `mkdocs serve` completes after a rebuild's pages: the exports, then search."""
        if late is not None:
            key, plan, files = late
            try:
                made = {name: make() for name, make in plan.items()}
                for name, file in files.items():
                    self._incremental.write_late(file.abs_dest_path, made[name])
            except Exception as exc:  # the pages are served: the next rebuild makes them afresh
                self._kept.pop("exports", None)
                log.error(f"trilat: the exports and feeds were not written: {exc}")
            else:
                self._kept["exports"] = (key, made)
        if self._settings.search:
            self._finish_search()

    def _finish_search(self) -> None:
        try:
            self._search.finish(self._written)
        except (PagefindUnavailable, PagefindFailed) as exc:
            self._search.close()
            raise PluginError(f"trilat: search: {exc}") from None

    def settle_search(self) -> None:
        """Waits for what `mkdocs serve` completes after the pages (the exports an edit changed,
        the search bundle), if any; a failure is logged (the pages are served already) and the
        next build makes them afresh."""
        finishing, self._search_finishing = self._search_finishing, None
        if finishing is None:
            return
        try:
            finishing.result()
        except PluginError as exc:
            log.error(str(exc))

    def _written(self, url: str) -> str | None:
        path = self._searched.get(url)
        try:
            return Path(path).read_text(encoding="utf-8") if path else None
        except OSError:
            return None

    def on_build_error(self, *, error: Exception) -> None:
        # What Pagefind holds may not match any site now: the next build starts it afresh.
        self._search.close()
        self._conversions.close()
        self._writers.close()
        self._incremental.failed()
        self._collections.release()
        if self._pdf_work is not None and not self._serving:
            self._pdf_work.close()
        self._staging.failed()

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        # 404.html is a theme template, not a page: on_post_page never sees it.
        return tidy_page(output_content)
