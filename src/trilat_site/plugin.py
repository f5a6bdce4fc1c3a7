"""The MkDocs adapter: wires loader → index → pages → templates into MkDocs' events.

Everything of value lives in modules that do not import MkDocs (`navmemo` aside, which
works on the theme's navigation); this file only translates MkDocs' config into
`SiteSettings`, adds the generated pages as `File.generated` virtual files, hands MkDocs
each briefing's body when its page is converted, and renders each page's content once
every other plugin has read it (see the README, "Architecture").
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.nav import Section

from .export import SiteAddress, data_files
from .history import History, RepoLinks, read_history
from .index import build_index
from .loader import BodyUnreadable, BriefingCache, load_briefings, read_body
from .model import SiteSettings
from .navmemo import NavMemo
from .pages import EXPLORE, PageSpec, dest_for, site_pages
from .problems import BriefingErrors
from .render import RenderCache, Renderer, make_environment
from .siteconfig import SiteConfigError, settings_from_options
from .theme_fixes import material_overrides, tidy_page

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page


def _group_explore(nav: Navigation) -> None:
    """Gather the ways into the briefings (countries, people, sources…) under one "Explore" tab."""
    wanted = [item for item in nav.items if _section_src(item) in EXPLORE]
    if not wanted:
        return
    wanted.sort(key=lambda item: EXPLORE.index(_section_src(item) or ""))
    at = nav.items.index(wanted[0])
    section = Section("Explore", wanted)
    for item in wanted:
        item.parent = section
        nav.items.remove(item)
    nav.items.insert(at, section)


def _section_src(item: object) -> str | None:
    """A page's source, or the source of a section's index page."""
    if isinstance(item, Section):
        return next((_src(child) for child in item.children if _src(child) in EXPLORE), None)
    return _src(item)


def _src(item: object) -> str | None:
    file = getattr(item, "file", None)
    return file.src_uri if file is not None else None


def _page_source(body: str) -> str:
    """A briefing's body as the Markdown MkDocs converts for its page."""
    # MkDocs reads a text starting with '---' or 'Key: value' as page metadata; a blank
    # first line stops that. Most bodies have one already and are passed on uncopied.
    return body if body.startswith("\n") else "\n" + body


log = get_plugin_logger("trilat")

CSS_URI = "assets/trilat/trilat.css"
JS_URI = "assets/trilat/trilat.js"


class ThemeItem(Config):
    id = c.Type(str)
    """Used in URLs (/themes/<id>/) and in briefings' `themes` lists."""
    title = c.Type(str)
    description = c.Type(str, default="")
    icon = c.Optional(c.Type(str))
    """A Material icon name, e.g. material/shield-outline."""


class CountryItem(Config):
    id = c.Type(str)
    name = c.Type(str)


class TrilatConfig(Config):
    briefings_dir = c.Type(str, default="briefings")
    """Folder of briefings, relative to mkdocs.yml."""
    themes = c.Optional(c.ListOfItems(c.SubConfig(ThemeItem)))
    """The theme registry; when absent: security, energy and cyber."""
    countries = c.ListOfItems(c.SubConfig(CountryItem), default=[])
    """Countries added to (or renaming) the core us, rok, japan, china and dprk."""
    per_page = c.Type(int, default=20)
    """Briefings per listing page before the listing paginates."""
    home_latest = c.Type(int, default=5)
    related_limit = c.Type(int, default=5)
    git_history = c.Type(bool, default=True)
    """Show each briefing's last update and revision history from Git."""
    history_limit = c.Type(int, default=5)
    """Revisions listed per briefing, newest first."""
    feed_limit = c.Type(int, default=50)
    """Entries per Atom feed, newest first; 0 for every briefing."""
    templates_dir = c.Type(str, default="templates")
    """Folder, relative to mkdocs.yml, whose templates replace the built-in ones of the same name."""


def settings_from(config: TrilatConfig) -> SiteSettings:
    """The same rules `trilat check` applies to mkdocs.yml, on the options MkDocs validated."""
    options = {
        "briefings_dir": config.briefings_dir,
        "themes": [dict(t) for t in config.themes] if config.themes else [],
        "countries": [dict(x) for x in config.countries],
        "per_page": config.per_page,
        "home_latest": config.home_latest,
        "related_limit": config.related_limit,
    }
    if config.history_limit < 1:
        raise PluginError("trilat: history_limit must be at least 1")
    try:
        return settings_from_options(options)
    except SiteConfigError as exc:
        raise PluginError(str(exc)) from None


class TrilatPlugin(BasePlugin[TrilatConfig]):
    def __init__(self) -> None:
        # Lives as long as the plugin, so `mkdocs serve` re-reads only changed briefings.
        self._cache = BriefingCache()
        self._specs: dict[str, PageSpec] = {}
        # Per page: the lead added for search, and its converted content while the page is
        # being written.
        self._leads: dict[str, str] = {}
        self._converted: dict[str, str] = {}
        self._renderer: Renderer | None = None
        # Only `mkdocs serve` rebuilds; a one-off build has nothing to reuse the pages for.
        self._render_cache: RenderCache | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._render_cache = RenderCache() if command == "serve" else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._settings = settings_from(self.config)
        self._project_dir = Path(config.config_file_path or ".").resolve().parent
        self._specs = {}
        self._leads = {}
        self._converted = {}
        self._renderer = None
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        if JS_URI not in config.extra_javascript:
            config.extra_javascript.append(JS_URI)
        overrides = str(material_overrides())
        if config.theme.name == "material" and overrides not in config.theme.dirs:
            # After a site's own custom_dir and before Material's: the site keeps the last word.
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, overrides)
        return config

    def on_serve(self, server, /, *, config: MkDocsConfig, builder):  # type: ignore[no-untyped-def]
        server.watch(str(self._project_dir / self._settings.briefings_dir))
        templates = self._project_dir / self.config.templates_dir
        if templates.is_dir():
            server.watch(str(templates))
        return server

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        corpus = load_briefings(self._project_dir, self._settings, self._cache)
        for warning in corpus.warnings:
            log.warning(str(warning))
        if corpus.errors:
            raise PluginError(BriefingErrors(corpus.errors).report())
        history = (
            read_history(self._project_dir, self._settings.briefings_dir, self.config.history_limit)
            if self.config.git_history
            else History({}, "git_history is off")
        )
        if history.reason and self.config.git_history:
            log.info(f"no revision history ({history.reason}); dates come from the front matter")
        index = build_index(corpus.briefings, self._settings, corpus.registry, history)
        repo = RepoLinks.from_config(config.repo_url, config.edit_uri, Path(config.docs_dir).name)
        env = make_environment([self._project_dir / self.config.templates_dir])
        address = SiteAddress(config.site_name, config.site_url or None, config.use_directory_urls)
        self._renderer = Renderer(env, index, address, repo, self._render_cache)
        for spec in site_pages(index):
            existing = files.get_file_from_path(spec.src_uri)
            if existing is not None:
                if spec.path == "":
                    # A site's own docs/index.md becomes the introduction of the home page.
                    self._specs[spec.src_uri] = spec
                    continue
                raise PluginError(
                    f"trilat: {config.docs_dir}/{spec.src_uri} has the name of a page the plugin "
                    "generates: rename or remove it"
                )
            file = File.generated(
                config,
                spec.src_uri,
                # A briefing's body is read when its page is converted (on_pre_page).
                content="",
                inclusion=InclusionLevel.INCLUDED if spec.in_nav else InclusionLevel.NOT_IN_NAV,
            )
            file.dest_uri = dest_for(spec.path, config.use_directory_urls)
            files.append(file)
            self._specs[spec.src_uri] = spec
        for name, uri in (("trilat.css", CSS_URI), ("trilat.js", JS_URI)):
            asset = env.loader.get_source(env, name)[0] if env.loader else ""
            files.append(File.generated(config, uri, content=asset))
        if not address.site_url:
            log.warning(
                "site_url is not set in mkdocs.yml, so the Atom feeds are skipped: set it to the site's address"
            )
        for name, content in data_files(index, address, feed_limit=self.config.feed_limit).items():
            if files.get_file_from_path(name) is not None:
                raise PluginError(
                    f"trilat: {config.docs_dir}/{name} has the name of a file the plugin generates"
                )
            files.append(File.generated(config, name, content=content))
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Automatic navigation sorts files by name; list generated pages in the site's order."""
        order = {src: i for i, src in enumerate(self._specs)}

        def reorder(items: list) -> None:  # type: ignore[type-arg]
            for item in items:
                if isinstance(item, Section):
                    reorder(item.children)
            positions = [i for i, item in enumerate(items) if _src(item) in order]
            ranked = sorted((items[i] for i in positions), key=lambda item: order[_src(item)])
            for i, item in zip(positions, ranked, strict=True):
                items[i] = item

        if not config.nav:
            reorder(nav.items)
            _group_explore(nav)
        return nav

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        spec = self._specs.get(page.file.src_uri)
        briefing = spec.context.get("briefing") if spec is not None else None
        if briefing is not None and page.file.generated_by is not None:
            try:
                page.file.content_string = _page_source(read_body(self._project_dir, briefing))
            except BodyUnreadable as exc:
                raise PluginError(f"{exc}: it changed during the build; build again") from None
        return page

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        extra = config.extra if isinstance(config.extra, dict) else {}
        assets = [url for url in (config.theme.get("logo"), extra.get("homepage")) if isinstance(url, str)]
        env.globals["trilat_memo"] = NavMemo(assets)
        return env

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self._specs.get(page.file.src_uri)
        if spec is not None and page.file.generated_by is not None:
            # MkDocs' theme templates print page metadata without escaping it.
            page.meta = {"title": str(escape(spec.title))}
            if not spec.searchable:
                page.meta["search"] = {"exclude": True}
            if spec.description:
                page.meta["description"] = str(escape(spec.description))
            briefing = spec.context.get("briefing")
            if briefing is not None and self._renderer is not None and self._renderer.repo is not None:
                page.edit_url = self._renderer.repo.edit(briefing.path)
        else:
            # The site's own pages: their front matter reaches the same unescaped template slots.
            for key in ("title", "description"):
                if isinstance(page.meta.get(key), str):
                    page.meta[key] = str(escape(page.meta[key]))
        return markdown

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        output = tidy_page(output)
        converted = self._converted.pop(page.file.src_uri, None)
        if converted is not None:
            # The page is written: it goes back to its converted Markdown, as MkDocs keeps it.
            page.content = converted
        if self._renderer is None:
            return output
        head = self._renderer.head(self._specs.get(page.file.src_uri))
        at = output.find("</head>")
        return output if at < 0 or not head.strip() else output[:at] + head + output[at:]

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        # 404.html is a theme template, not a page: on_post_page never sees it.
        return tidy_page(output_content)

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """What search indexes: the page's own words (its lead, then the converted body).

        The listings, related briefings, citations and history are added only when the page
        is written (`on_page_context`), so search neither parses them nor finds every
        briefing again on each list it appears in, and no page holds its full HTML for the
        length of the build.
        """
        spec = self._specs.get(page.file.src_uri)
        if spec is None or self._renderer is None:
            return html
        if page.file.generated_by is not None:
            # Converted: the Markdown, which MkDocs would keep to the end, is let go.
            page.markdown = ""
            page.file.content_string = ""
        lead = self._renderer.search_lead(spec)
        self._leads[page.file.src_uri] = lead
        return lead + html

    @event_priority(-100)
    def on_page_context(self, context: dict, /, *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:  # type: ignore[type-arg]
        """Renders the whole page once every other plugin (search above all) has read its content."""
        spec = self._specs.get(page.file.src_uri)
        if spec is None or self._renderer is None:
            return context
        own = page.content or ""
        self._converted[page.file.src_uri] = own
        # The template places the lead's facts itself. Another plugin may have added to the
        # content since, in front of the lead too: only the lead is taken out.
        body = own.replace(self._leads.pop(page.file.src_uri, ""), "", 1)
        page.content = self._renderer.render(spec, body)
        return context
