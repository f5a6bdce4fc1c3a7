"""The navigation in each of the site's languages after the first.

MkDocs makes one navigation per site, from the first language's pages; the theme renders it
into every page, so a Korean page would show English tabs and sidebar linking to English
pages. Each other language gets a copy of that navigation, made once per build: the same
sections in the same order, each entry the same page in that language (`/ko/briefings/`
for `/briefings/`), titled by that page (the catalogue's words, a theme's own name), and
each section by the catalogue (or the title of its index page in that language). A page
of the site's own, written in docs/ in the first language only, keeps its title and link,
marked as being in that language. The language's pages the navigation does not list are
filed under it as the first language's are (`nav.file_unlisted`), so the theme marks the
current tab and section as it does on the first language's pages.

The plugin gives a page of another language its language's navigation as the theme's
`nav`; the first language's pages get MkDocs' own, untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import escape
from mkdocs.structure.nav import Link, Navigation, Section

from ..site.pages import PageSpec
from .nav import file_unlisted

if TYPE_CHECKING:
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


class FirstLanguageOnly(Link):
    """An entry for a page that exists in the first language only (a site's own page in docs/).

    Its title is read when the theme renders it, after MkDocs has read the page; it is
    marked with the page's language, as the listings mark an untranslated briefing."""

    def __init__(self, page: Page, language: str) -> None:
        # Not Link.__init__: the title is the page's, read late.
        self.page = page
        self.language = language
        self.url = page.url
        self.parent = None

    @property  # type: ignore[override]
    def title(self) -> str:
        # The theme prints navigation titles as HTML: MkDocs' titles are already escaped.
        return _marked(self.page.title, self.language)

    def __repr__(self) -> str:
        return f"FirstLanguageOnly(url={self.url!r}, language={self.language!r})"


def language_navs(
    nav: Navigation,
    specs: Mapping[str, PageSpec],
    files: Files,
    languages: Sequence[str],
    gettext_of: Callable[[str], Callable[[str], str]],
) -> dict[str, Navigation]:
    """Each language after the first (by its prefix) and its navigation, its pages filed under it.

    `specs` are the plugin's pages by source name; `gettext_of(prefix)` is a language's catalogue."""
    where: dict[tuple[Any, ...], str] = {}
    for src, spec in specs.items():
        where.setdefault((spec.kind, spec.path, spec.number, spec.language), src)
    navs: dict[str, Navigation] = {}
    for prefix in languages[1:]:
        copy = _LanguageCopy(prefix, languages[0], gettext_of(prefix), specs, where, files)
        language_nav = Navigation([copy.item(item, None) for item in nav.items], copy.pages)
        language_nav.homepage = copy.counterpart(nav.homepage) if nav.homepage is not None else None
        _link_neighbours(copy.pages)
        file_unlisted(language_nav, {src: spec for src, spec in specs.items() if spec.language == prefix}, files)
        navs[prefix] = language_nav
    return navs


class _LanguageCopy:
    """The first language's navigation, item by item, in the language whose prefix is `prefix`."""

    def __init__(
        self,
        prefix: str,
        first: str,
        gettext: Callable[[str], str],
        specs: Mapping[str, PageSpec],
        where: Mapping[tuple[Any, ...], str],
        files: Files,
    ) -> None:
        self.prefix = prefix
        self.first = first
        self.gettext = gettext
        self.specs = specs
        self.where = where
        self.files = files
        # The language's pages the navigation lists, in its order.
        self.pages: list[Page] = []

    def counterpart(self, page: Page) -> Page | None:
        """The same page of the plugin's in this language, if it is one of the plugin's."""
        spec = self.specs.get(page.file.src_uri)
        if spec is None or spec.language:
            return None
        src = self.where.get((spec.kind, spec.path, spec.number, self.prefix))
        file = self.files.src_uris.get(src) if src is not None else None  # a source URI already
        return file.page if file is not None else None

    def item(self, item: Any, parent: Section | None) -> Any:
        if isinstance(item, Section):
            section = Section(self.section_title(item), [])
            section.parent = parent
            section.children = [self.item(child, section) for child in item.children]
            return section
        if isinstance(item, Link):
            # A link the site's nav gives: its words are the site's, in its first language.
            link = Link(_marked(item.title, self.first), item.url)
            link.parent = parent
            return link
        found = self.counterpart(item)
        if found is None:
            entry = FirstLanguageOnly(item, self.first)
            entry.parent = parent
            return entry
        found.parent = parent
        self.pages.append(found)
        return found

    def section_title(self, section: Section) -> str:
        """The catalogue's word for the section's title, else the title of its index page in the
        language, else its own, marked as the first language's."""
        title = section.title or ""
        translated = self.gettext(title) if title else title
        if translated != title:
            return str(escape(translated))
        for child in section.children:
            if getattr(child, "is_page", False) and child.is_index:
                other = self.counterpart(child)
                spec = self.specs.get(other.file.src_uri) if other is not None else None
                if spec is not None:
                    return str(escape(spec.title))
        return _marked(title, self.first)


def _marked(title: str | None, language: str) -> str:
    """A title the theme prints as HTML, marked as being in `language`."""
    return f'<span lang="{escape(language)}">{title}</span>' if title else title or ""


def _link_neighbours(pages: list[Page]) -> None:
    """The previous and next pages in the language's navigation, as MkDocs links its own."""
    for i, page in enumerate(pages):
        page.previous_page = pages[i - 1] if i > 0 else None
        page.next_page = pages[i + 1] if i + 1 < len(pages) else None
