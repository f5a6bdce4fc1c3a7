"""Jinja rendering of page specs, with site overrides and autoescaping everywhere."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.support import NullTranslations
from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateSyntaxError,
    pass_context,
    select_autoescape,
)
from jinja2.bccache import Bucket
from jinja2.runtime import Context
from markupsafe import Markup

from ..core.index import (
    Entry,
    SiteIndex,
    changed_entries,
    event_anchor,
    iso_instant,
    listing_key,
    note_lookups,
    registry_lookups,
)
from ..core.model import Briefing, PartialDate, Period, Registry
from . import citation, svg, urls
from .bylines import translator_bylines, worded
from .crossrefs import CrossReferences
from .i18n import SOURCE_LANGUAGE, install_words, localized, translations
from .metadata import alternates as metadata_alternates
from .metadata import head_meta
from .pages import Crossing, PageSpec, group_by_year, page_languages
from .repo import RepoLinks
from .urls import Links, SiteAddress


def builtin_templates() -> Path:
    """The templates shipped with the package.

    A wheel carries them inside the package; a source checkout (and an editable
    install) keeps them in the repository's top-level `templates/` folder.
    """
    packaged = Path(__file__).parents[1] / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates"


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory, for environments made again and again (`mkdocs serve`
    makes the theme's and the plugin's on every rebuild). Jinja keys each by the template's name
    and checks its source, so an edited template is compiled again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class TemplateFailed(Exception):
    """A template could not be read, compiled or rendered. `report` says where, as briefing
    problems do (file:line), from the project's folder."""

    def __init__(self, path: Path, line: int | None, message: str, page: str | None) -> None:
        super().__init__(message)
        self.path, self.line, self.message, self.page = path, line, message, page

    def report(self, project_dir: Path) -> str:
        try:
            shown = self.path.resolve().relative_to(project_dir.resolve()).as_posix()
        except ValueError:
            shown = str(self.path)
        where = f"{shown}:{self.line}" if self.line else shown
        during = f" (rendering {self.page})" if self.page else ""
        return f"{where}: {self.message}{during}"


class _NotText(TemplateSyntaxError):
    """A template file that is not UTF-8 text."""


class _TemplateLoader(FileSystemLoader):
    """Jinja's file loader, saying which file is not UTF-8 text (Jinja's own error names no file)."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            for folder in self.searchpath:
                path = Path(folder, *template.split("/"))
                if path.is_file():
                    line = path.read_bytes()[: exc.start].count(b"\n") + 1
                    raise _NotText(
                        f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x}): save the file as UTF-8",
                        line,
                        template,
                        str(path),
                    ) from None
            raise


def _template_frames(exc: BaseException, folders: Sequence[str]) -> Iterator[tuple[str, int]]:
    """The template files and lines an exception passed through, outermost first. Jinja gives
    a template's frames its file name and line."""
    roots = [Path(f).resolve() for f in folders]
    for frame, line in traceback.walk_tb(exc.__traceback__):
        name = frame.f_code.co_filename
        if name.endswith(".py") or name.startswith("<"):
            continue
        path = Path(name).resolve()
        if any(path.is_relative_to(root) for root in roots):
            yield str(path), line


def template_failure(exc: Exception, env: Environment, page: str | None = None) -> TemplateFailed | None:
    """The template and line an error in rendering comes from, or None when it comes from no
    template (the plugin's own code: a traceback is what finds that)."""
    folders = list(getattr(env.loader, "searchpath", []))
    if isinstance(exc, _NotText):
        return TemplateFailed(Path(exc.filename or exc.name or ""), exc.lineno, exc.message or "", page)
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return TemplateFailed(Path(exc.filename), exc.lineno, f"{(exc.message or '').rstrip('.')}: fix the template's syntax", page)
    frames = list(_template_frames(exc, folders))
    if not frames:
        return None
    path, line = frames[-1]
    message = str(exc) or type(exc).__name__
    if not isinstance(exc, TemplateSyntaxError):
        message = f"{type(exc).__name__}: {message}" if not message.startswith("'") else message
    return TemplateFailed(Path(path), line, message, page)


def rendered(env: Environment, name: str, context: dict[str, Any], page: str | None = None) -> str:
    """`name` rendered with `context`; TemplateFailed when a template fails (see `template_failure`)."""
    try:
        return env.get_template(name).render(context)
    except Exception as exc:
        failed = template_failure(exc, env, page)
        if failed is None:
            raise
        raise failed from None


def _page_named(spec: PageSpec) -> str:
    """The page as an error names it: a briefing's by its file."""
    if isinstance(spec.subject, Briefing):
        return f"the page of {spec.subject.path}"
    return f"the page /{spec.location}/" if spec.location else "the home page"


def make_environment(
    override_dirs: Iterable[Path | str] = (), compiled: CompiledTemplates | None = None
) -> Environment:
    """Templates are found in the site's override folders first, then the built-in ones."""
    search = [str(d) for d in override_dirs if Path(d).is_dir()]
    search.append(str(builtin_templates()))
    env = Environment(
        loader=_TemplateLoader(search),
        bytecode_cache=compiled,
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    # The templates' own words are English; other languages render with `i18n.localized`.
    install_words(env, NullTranslations())
    env.filters["iso"] = _iso
    env.filters["long_date"] = _long_date
    env.filters["period"] = _period
    env.filters["day"] = _day
    env.filters["group_by_year"] = group_by_year
    env.filters["listing_key"] = listing_key
    env.filters["lang_attr"] = _lang_attr
    return env


@functools.cache
def language_name(tag: str, in_language: str | None = None) -> str:
    """A language's name, in its own language unless another is given (한국어, 日本語, English)."""
    try:
        locale = Locale.parse(tag, sep="-")
        name = locale.get_display_name(Locale.parse(in_language, sep="-") if in_language else locale)
    except (UnknownLocaleError, ValueError):
        return tag
    return name[:1].upper() + name[1:] if name else tag


def _lang_attr(text: str) -> Markup:
    """A lang attribute for Korean or Japanese script; Han characters alone are ambiguous."""
    if any("\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" for ch in text):
        return Markup(' lang="ko"')
    if any("\u3040" <= ch <= "\u30ff" for ch in text):
        return Markup(' lang="ja"')
    return Markup("")


def _as_partial(value: dt.date | PartialDate) -> PartialDate:
    return value if isinstance(value, PartialDate) else PartialDate.from_date(value)


def _iso(value: dt.date | PartialDate | Period) -> str:
    """ISO 8601, for <time datetime>: a Git time in full, a date at its precision, a period as an interval."""
    if isinstance(value, dt.date):
        return iso_instant(value)
    return value.iso()


def _long_date(value: dt.date | PartialDate) -> str:
    """Dates are written out in English words so output never depends on the locale."""
    return _as_partial(value).display()


def _period(value: Period) -> str:
    return value.display()


def _day(value: dt.date) -> dt.date:
    """The day of a Git time (UTC), or the date itself."""
    return value.date() if isinstance(value, dt.datetime) else value


def _frozen(value: Any) -> Any:
    """A hashable stand-in for a page context: records are frozen already, containers become tuples."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple((k, _frozen(v)) for k, v in value.items())
    return value


def templates_fingerprint(env: Environment, skip: Iterable[str] = ()) -> tuple[tuple[str, int], ...]:
    """Every template file and its modification time, but for the templates named in `skip`
    (in every folder: a site's own copy of a template hides the built-in one): an edited
    template invalidates the cache."""
    loader = env.loader
    if not isinstance(loader, FileSystemLoader):
        return ()
    skipped = set(skip)
    found = []
    for folder in loader.searchpath:
        root = Path(folder)
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.relative_to(root).as_posix() not in skipped:
                found.append((str(path), path.stat().st_mtime_ns))
    return tuple(found)


# A part of a page: what it renders to, the registry entries its rendering looked up, and the
# template of the page kind it was made on (see RenderCache.begin).
Part = tuple[Any, frozenset[Entry], str | None]


@dataclass
class RenderCache:
    """Rendered fragments kept across `mkdocs serve` rebuilds.

    A page whose template, content and context are equal to last time's is not rendered
    again; any change of the site-wide inputs (`generation`) empties the cache, a change of the
    registry drops what looked up a changed entry, and what a build did not ask for is dropped
    at the start of the next.
    """

    generation: Any = None
    registry: Registry | None = None
    # Each with the registry entries its rendering looked up, which a page using it again
    # looked up too (see registry_lookups).
    entries: dict[Any, tuple[str, frozenset[Entry]]] = field(default_factory=dict)
    used: set[Any] = field(default_factory=set)
    # Parts of pages (see Fragments) by the page they are in, as its last rendering left them:
    # a page not rendered again in a build keeps its parts for the next. Each part is kept with
    # the template of the page kind it was made on (`rendering` then), if any.
    parts: dict[Any, dict[Any, Part]] = field(default_factory=dict)
    parts_now: dict[Any, dict[Any, Part]] = field(default_factory=dict)
    # While a list, each part made afresh, as (page, key, part): what another process made for
    # this one to adopt (see ListingItems.made).
    fresh: list[tuple[Any, Any, Part]] | None = None
    # The page kind's template being rendered, while one is (see Renderer._render).
    rendering: str | None = None
    # The page kinds' own templates, by name (see `begin`).
    own: Mapping[str, Any] | None = None

    def begin(self, generation: Any, registry: Registry | None = None, own: Mapping[str, Any] | None = None) -> None:
        """A build starts with the site-wide inputs `generation` and, when given, the page kinds'
        own templates `own` (those no other template includes, imports or extends, by name, with
        what they are now), which `generation` leaves out.

        A part is made from the templates of the page it was made on: the site-wide ones, and
        its kind's own template, which is rendered for that kind's pages only. So a change to
        one kind's template drops the parts made on that kind's pages and no others.
        """
        if generation != self.generation:
            self.generation = generation
            self.entries.clear()
            self.parts.clear()
        else:
            self.entries = {k: v for k, v in self.entries.items() if k in self.used}
            self.parts.update(self.parts_now)
            changed: set[Entry] = set()
            if registry != self.registry:
                changed = changed_entries(self.registry or Registry(), registry or Registry())
                self.entries = {k: v for k, v in self.entries.items() if v[1].isdisjoint(changed)}
            before, now = self.own or {}, own or {}
            rewritten = {name for name in before.keys() | now.keys() if before.get(name) != now.get(name)}
            if changed or rewritten:
                self.parts = {
                    page: {k: v for k, v in parts.items() if v[1].isdisjoint(changed) and v[2] not in rewritten}
                    for page, parts in self.parts.items()
                }
        self.registry = registry
        self.own = own
        self.used = set()
        self.parts_now = {}

    def get(self, key: Any, make: Callable[[], str]) -> str:
        self.used.add(key)
        found = self.entries.get(key)
        if found is None:
            found = self.entries[key] = _made(make)
        note_lookups(found[1])
        return found[0]

    def part(self, page: Any, key: Any, make: Callable[[], Any]) -> Any:
        now = self.parts_now.setdefault(page, {})
        found = now.get(key)
        if found is None:
            found = self.parts.get(page, {}).get(key)
            if found is None:
                found = (*_made(make), self.rendering)
                if self.fresh is not None:
                    self.fresh.append((page, key, found))
            now[key] = found
        note_lookups(found[1])
        return found[0]


def _made(make: Callable[[], Any]) -> tuple[Any, frozenset[Entry]]:
    with registry_lookups() as looked_up:
        made = make()
    return made, frozenset(looked_up)


class Fragments:
    """`fragment(key, macro, *args)` for templates: the macro's output, kept across `mkdocs serve`
    rebuilds while `key` (the records it shows) is equal.

    A page listing every source or every event is rewritten whenever one briefing's title
    changes; its sections for the other sources are the same text as last time. The key is
    the template's own and is completed here with all a macro can read besides its arguments:
    the template, the page's language and where the page is (its links are relative to it). The
    site-wide inputs (settings, the templates shared between page kinds) empty the cache when they
    change, a change to a page kind's own template drops the parts made on that kind's pages,
    and a registry change those that looked up a changed entry (`RenderCache.begin`). In a build
    that keeps nothing (`mkdocs build`), the macro is called.
    """

    def __init__(self, cache: RenderCache | None) -> None:
        self._cache = cache

    @pass_context
    def __call__(self, context: Context, key: Any, macro: Callable[..., Any], *args: Any) -> Any:
        try:
            hash(key)
        except TypeError:
            # In every build, not only where the key is used: a site's template fails alike in both.
            raise TypeError(
                f"fragment()'s key must be records, text, numbers and tuples of them, not {type(key).__name__}"
            ) from None
        if self._cache is None:
            return macro(*args)
        link = context.get("link")
        where = (link.prefix, link.here) if isinstance(link, Links) else None
        return self._cache.part((context.name, context.get("page_language"), where), key, lambda: macro(*args))


def _subject_variables(spec: PageSpec) -> dict[str, Any]:
    """The page's subject under the name its template knows it by (`briefing`, `theme`…)."""
    subject = spec.subject
    if subject is None:
        return {}
    if isinstance(subject, Crossing):
        return {"theme": subject.theme, "country": subject.country}
    return {spec.kind.value: subject}


class ListingItems:
    """A briefing's entry in the listings, rendered once for each place it is linked from.

    A briefing is on many listing pages (the list of every briefing; its themes', countries',
    people's, organisations', tags' and crossings' lists; the home page), and a new briefing
    shifts every later page of each. The built-in
    `briefing_item` of `_macros.html` reads only the briefing, the page's language and the
    address its link has from the page: pages alike in those share the entry, in one build and,
    under `mkdocs serve`, from one rebuild to the next while the briefing is unchanged (kept in
    `parts`, which the site-wide inputs empty). A site's own `_macros.html` decides for itself
    whether to call this. Entries a worker process makes come back to the build's process
    (`made`, `adopt`).
    """

    def __init__(self, parts: RenderCache) -> None:
        self._parts = parts

    def __call__(self, b: Briefing, link: Links, render: Callable[[Briefing, Links], Any]) -> Any:
        # One place per briefing, language and address: its entry as the briefing is now.
        return self._parts.part((ListingItems, b.path, link.prefix, link.briefing(b)), b, lambda: render(b, link))

    @staticmethod
    def made(parts: RenderCache) -> list[tuple[tuple[str, str, str], Part]]:
        """The entries `parts` made afresh since its `fresh` list was started, without their
        records: what a process that writes pages for another gives back (see `adopt`)."""
        return [(page[1:], found) for page, _, found in parts.fresh or () if page[0] is ListingItems]

    @staticmethod
    def adopt(
        parts: RenderCache,
        made: Iterable[tuple[tuple[str, str, str], Part]],
        records: Mapping[str, Briefing],
    ) -> None:
        """Entries another process made (`made`) kept in `parts` as if made here, under this
        process's own record of each briefing (`records`, by path), as the build now has it."""
        for (path, prefix, url), found in made:
            b = records.get(path)
            if b is not None:
                parts.parts_now.setdefault((ListingItems, path, prefix, url), {}).setdefault(b, found)


class Renderer:
    """Renders one page spec at a time, with links relative to that page."""

    def __init__(
        self,
        env: Environment,
        index: SiteIndex,
        address: SiteAddress,
        repo: RepoLinks | None = None,
        cache: RenderCache | None = None,
        description: str = "",
        pages: Sequence[PageSpec] = (),
        parts: RenderCache | None = None,
        own_templates: Mapping[str, Any] | None = None,
    ) -> None:
        """`cache` keeps whole pages across rebuilds, `parts` the parts templates keep (`fragment`);
        the same cache may do both. `own_templates` are the page kinds' templates no other
        template includes, imports or extends (by name: their file and its digest): a change
        to one of them drops only the parts made on its kind's pages (RenderCache.begin)."""
        self.env = env
        self.prefixes = page_languages(pages)
        # What a listing needs to mark an original shown among another language's editions.
        env.globals["original_language"] = lambda b: b.language or index.settings.language
        env.globals["language_name"] = language_name
        self._envs: dict[str, Environment] = {}
        self.cache = cache
        self.description = description
        # The registry is not site-wide here: what each entry and part looked up of it is known.
        site = (address, repo, index.settings, description)
        if cache is not None:
            cache.begin((*site, templates_fingerprint(env)), index.registry)
        if parts is not None and parts is not cache:
            own = dict(own_templates or {})
            parts.begin((*site, templates_fingerprint(env, own)), index.registry, own)
        self._parts = parts
        # A build that keeps nothing for the next still renders each listing entry once.
        env.globals["listing_item"] = ListingItems(parts if parts is not None else RenderCache())
        env.globals["fragment"] = Fragments(parts)
        self.repo = repo
        self.index = index
        self.address = address
        self.crossrefs = CrossReferences(index.every_edition(), address)

    def env_for(self, spec: PageSpec) -> Environment:
        """The templates as the page's language words them."""
        settings = self.index.settings
        if not settings.multilingual:
            # A site of one language keeps the templates' own words, whatever its language.
            return self.env
        language = spec.language or settings.default_language
        found = self._envs.get(language)
        if found is None:
            found = self._envs[language] = localized(self.env, language)
        return found

    def _script_words(self, spec: PageSpec | None) -> bool:
        """Whether the page gives the script its words: a page in another language than the
        templates' own, whose words the script has."""
        settings = self.index.settings
        if spec is None or not settings.multilingual:
            return False
        language = spec.language or settings.default_language
        return language.split("-")[0].lower() != SOURCE_LANGUAGE

    def index_for(self, spec: PageSpec | None) -> SiteIndex:
        """The index as the page's language sees it."""
        if spec is None or not spec.language:
            return self.index
        return self.index.in_language(spec.language)

    def head(self, spec: PageSpec | None, pdf: str | None = None, url: str | None = None) -> str:
        """The metadata a page adds to its <head>: `pdf` is the output file of its PDF edition, if
        any; a page the plugin does not make is given by its URL."""
        directory_urls = self.address.directory_urls
        links = Links(spec.path, directory_urls, spec.language) if spec is not None else Links.at(url or "", directory_urls)
        index = self.index_for(spec)

        def make() -> str:
            prefixes = self.prefixes.get(spec.path, (spec.language,)) if spec is not None else ("",)
            meta = head_meta(spec, index, self.address, links, pdf=pdf, prefixes=prefixes)
            env = self.env_for(spec) if spec is not None else self.env
            context = {"meta": meta, "script_words": self._script_words(spec)}
            return rendered(env, "head.html", context, _page_named(spec) if spec is not None else links.here)

        if self.cache is None:
            return make()
        if spec is None:
            key: tuple[Any, ...] = ("head", links.here)
        else:
            # The languages the page exists in: its alternates and JSON-LD name them.
            key = ("head", spec.kind, spec.location, spec.subject, _frozen(spec.context), pdf, self.prefixes.get(spec.path))
        return self.cache.get(key, make)

    def alternates(self, spec: PageSpec | None) -> list[tuple[str, str]]:
        """The page's editions in every language, as (hreflang, address), and `x-default`."""
        if spec is None:
            return []
        links = Links(spec.path, self.address.directory_urls, spec.language)
        prefixes = self.prefixes.get(spec.path, (spec.language,))
        return metadata_alternates(spec, self.index.settings.languages, prefixes, self.address, links)

    def switcher(self, spec: PageSpec | None) -> list[dict[str, Any]]:
        """The header's language switcher: each language by its own name, going to this page in
        that language where it exists, else to that language's home page; empty for a site of
        one language."""
        settings = self.index.settings
        if not settings.multilingual:
            return []
        path = spec.path if spec is not None else urls.HOME
        here = spec.language if spec is not None else ""
        links = Links(path, self.address.directory_urls, here)
        exists = self.prefixes.get(path, (here,)) if spec is not None else ("",)
        out = []
        for tag, prefix in zip(settings.languages, ("", *settings.languages[1:]), strict=True):
            out.append(
                {
                    "tag": tag,
                    "name": language_name(tag),
                    "href": links.page_in(path if prefix in exists else urls.HOME, prefix),
                    "current": prefix == here,
                    "same_page": prefix in exists,
                }
            )
        return out

    def _theme_map(self, index: SiteIndex) -> Markup:
        args = (index.settings.themes, dict(index.theme_counts()), index.theme_links())
        if not index.settings.multilingual:
            return svg.theme_map(*args)
        words = translations(index.language)
        return svg.theme_map(*args, words.gettext, words.ngettext)

    def render(self, spec: PageSpec, content: str = "", pdf: str | None = None) -> str:
        """The page's content; `pdf` is the output file of its PDF edition, if it has one."""
        if isinstance(spec.subject, Briefing):
            # The body's links say where they lead when printed (see crossrefs).
            content = self.crossrefs.annotate(content, spec.location)
        if self.cache is None:
            return self._render(spec, content, pdf)
        # The converted body stands in the key by its digest: the cache outlives the build,
        # and thousands of bodies would otherwise be kept twice over.
        digest = hashlib.blake2b(content.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        # A translation's page says when and in what language its original was published.
        original = self.index.original(spec.subject) if isinstance(spec.subject, Briefing) else None
        key = (spec.kind, spec.location, spec.title, spec.subject, digest, _frozen(spec.context), pdf, original)
        return self.cache.get(key, lambda: self._render(spec, content, pdf))

    def _render(self, spec: PageSpec, content: str, pdf: str | None = None) -> str:
        link = Links(spec.path, self.address.directory_urls, spec.language)
        index = self.index_for(spec)
        text = index.settings.site_text(spec.language) if spec.language else None
        context: dict[str, Any] = {
            **spec.context,
            **_subject_variables(spec),
            "person_of": index.person,
            "organization_of": index.organization,
            "tag_of": index.tag,
            "event_anchor": event_anchor,
            "page_title": spec.title,
            "content": Markup(content),
            "link": link,
            "settings": index.settings,
            "theme_of": index.settings.theme,
            "country_of": index.settings.country,
            # In a language after the first, the site's name and description in it where given.
            "site_name": (text.site_name if text and text.site_name else self.address.name),
            "site_description": (text.site_description if text and text.site_description else self.description),
            # Feeds need the site's absolute address (see data_plan).
            "has_feeds": bool(self.address.site_url),
            "theme_map": lambda: self._theme_map(index),
        }
        context["page_language"] = spec.language or index.settings.default_language
        if isinstance(spec.subject, Briefing):
            b = spec.subject
            ctx = citation.CitationContext.of(b, index, self.address)
            if b.is_translation:
                original = index.original(b)
                context["original"] = original
                context["original_language"] = original.language or index.settings.language
                context["translators"] = translator_bylines(b, index, self.address.name)
            else:
                context["original"] = None
            context["byline"] = ctx.authors
            if index.settings.multilingual:
                # The site's editors in the page's words, under the site's name in its language.
                words = translations(context["page_language"]).gettext
                for key in ("byline", "translators"):
                    if key in context:
                        context[key] = worded(context[key], words, context["site_name"])
            context["language"] = ctx.language
            context["cite"] = {
                # A translation's reference in its language's words and dates.
                "formatted": citation.formatted(b, ctx, b.language if b.is_translation and index.settings.multilingual else None),
                "bibtex": citation.bibtex(b, ctx),
                "ris": citation.ris(b, ctx),
            }
            context["edit_url"] = self.repo.edit(b.path) if self.repo else None
            context["page_url"] = ctx.url
            context["pdf"] = link.file(pdf) if pdf else None
            context["view_url"] = self.repo.view(b.path) if self.repo else None
        if self._parts is None:
            return rendered(self.env_for(spec), spec.kind.template, context, _page_named(spec))
        # What the kind's template makes is kept as made on its pages (see RenderCache.begin).
        self._parts.rendering = spec.kind.template
        try:
            return rendered(self.env_for(spec), spec.kind.template, context, _page_named(spec))
        finally:
            self._parts.rendering = None
