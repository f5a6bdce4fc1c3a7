"""The site's URL scheme: every page's path and every output file's name comes from here.

A page is addressed by its `path`, relative to the site's root and without a trailing
slash ("briefings/energy-alliance", "" for home). `url_for` turns a path into the URL the
site uses, with or without directory URLs; `Links` gives templates their links, relative to
the page they are on. Nothing else in the package or its templates spells a path out, so a
change of scheme is a change here.

A site of several languages serves its first at these paths and each other under a prefix
named by its tag (`ko/briefings/<slug>`, `ko/feed.xml`): a page's path is the same in every
language, and `in_language` places it. A briefing's original has its page at the first
language's paths whatever language it is written in; a translation has its page under the
prefix of its own language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..core.slugs import tag_slug

HOME = ""
BRIEFINGS = "briefings"
THEMES = "themes"
COUNTRIES = "countries"
PEOPLE = "people"
ORGANIZATIONS = "organizations"
TAGS = "tags"
ABOUT = "about"
SOURCES = "sources"
TIMELINE = "timeline"
COVERAGE = "coverage"

ASSETS = "assets/trilat"
EXPORT_FILE = "briefings.json"
CSL_FILE = "briefings.csl.json"
SCHEMA_FILE = "briefings.schema.json"
FEED_FILE = "feed.xml"
# The folder Pagefind writes its search bundle (scripts, index and fragments) into.
SEARCH_BUNDLE = "pagefind"
# In the bundle (site/pagefind.py): which shards' folders hold each language's index, and the
# folder of the empty index every search starts from and merges the shards into.
SEARCH_SHARDS = "shards.json"
SEARCH_ROOT = "root"
# In the bundle: the site's search API over the shards (templates/pagefind-shards.js, as
# `pagefind.js`), which Pagefind's search dialog loads in place of Pagefind's own.
SEARCH_API = "merged"


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


class _HasSlug(Protocol):
    @property
    def slug(self) -> str: ...


class _Edition(Protocol):
    @property
    def slug(self) -> str: ...

    @property
    def language(self) -> str | None: ...

    @property
    def translation_of(self) -> str | None: ...


class _HasPhoto(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def photo(self) -> str | None: ...


def _slug(item: str | _HasSlug) -> str:
    return item if isinstance(item, str) else item.slug


def _id(item: str | _HasId) -> str:
    return item if isinstance(item, str) else item.id


def in_language(path: str, prefix: str) -> str:
    """A page's path (or an output file's name) in the language whose prefix is `prefix`; the
    site's first language has none."""
    if not prefix:
        return path
    return f"{prefix}/{path}" if path else prefix


def edition_prefix(b: _Edition) -> str:
    """The language prefix of a briefing edition's page: a translation's language, else none."""
    return (b.language or "") if b.translation_of is not None else ""


def briefing(slug: str) -> str:
    return f"{BRIEFINGS}/{slug}"


def edition(b: _Edition) -> str:
    """The page of one edition of a briefing, its original or a translation."""
    return in_language(briefing(b.slug), edition_prefix(b))


def briefing_pdf(slug: str) -> str:
    """A briefing's PDF edition, as an output file name: in the folder of its page, named after it."""
    return f"{briefing(slug)}/{slug}.pdf"


def edition_pdf(b: _Edition) -> str:
    """The PDF of one edition of a briefing, in the folder of that edition's page
    (`ko/briefings/<slug>/<slug>.pdf` for a Korean translation)."""
    return in_language(briefing_pdf(b.slug), edition_prefix(b))


def theme(theme_id: str) -> str:
    return f"{THEMES}/{theme_id}"


def country(country_id: str) -> str:
    return f"{COUNTRIES}/{country_id}"


def person(person_id: str) -> str:
    return f"{PEOPLE}/{person_id}"


def organization(organization_id: str) -> str:
    return f"{ORGANIZATIONS}/{organization_id}"


def tag(slug: str) -> str:
    return f"{TAGS}/{slug}"


def crossing(theme_id: str, country_id: str) -> str:
    return f"{theme(theme_id)}/{country(country_id)}"


def listing(base: str, number: int) -> str:
    """Page 1 of a listing is the listing itself; later pages live under page/N."""
    if number == 1:
        return base
    return f"{base}/page/{number}" if base else f"page/{number}"


def feed(theme_id: str | None = None) -> str:
    """The Atom feed of every briefing, or of one theme's, as an output file name."""
    return f"{theme(theme_id)}/{FEED_FILE}" if theme_id else FEED_FILE


def card(slug: str | None = None, prefix: str = "") -> str:
    """A briefing's share picture (og:image), or the site's own without a slug; a translation's
    is in a folder named by its language prefix (`assets/trilat/cards/ko/<slug>.png`)."""
    # Slugs never start with '_', so the site's picture cannot take a briefing's name; nor
    # does a picture's name ever end without '.png', so a language's folder takes none.
    folder = f"{ASSETS}/cards/{prefix}/" if prefix else f"{ASSETS}/cards/"
    return f"{folder}{slug or '_site'}.png"


def edition_card(b: _Edition) -> str:
    """The share picture of a briefing edition: a translation has its own, in its language."""
    return card(b.slug, edition_prefix(b))


def photo(person_id: str, source: str) -> str:
    """A person's picture, as an output file name; `source` is its path in the registry (`photos/x.jpg`)."""
    suffix = source.rsplit(".", 1)[-1].lower()
    return f"{ASSETS}/photos/{person_id}.{suffix}"


def url_for(path: str, directory_urls: bool) -> str:
    if not path:
        return "" if directory_urls else "index.html"
    return f"{path}/" if directory_urls else f"{path}.html"


def dest_for(path: str, directory_urls: bool) -> str:
    """The output file a page path is written to."""
    if not path:
        return "index.html"
    return f"{path}/index.html" if directory_urls else f"{path}.html"


def relative_url(from_url: str, to_url: str) -> str:
    """A link from one page's URL to another's that works under any site prefix.

    Both are site-relative URLs of our own making (no '..', no '//'), so the shared folders
    can be counted off directly; this runs for every link of every page.
    """
    here = from_url.split("/")[:-1]  # the folder a page's URL resolves links against
    there = to_url.split("/")
    folders, name = there[:-1], there[-1]
    shared = 0
    for a, b in zip(here, folders, strict=False):
        if a != b:
            break
        shared += 1
    parts = [".."] * (len(here) - shared) + folders[shared:]
    if name:
        parts.append(name)
        return "/".join(parts)
    return "/".join(parts) + "/" if parts else "./"


@dataclass(frozen=True)
class SiteAddress:
    """Where the site lives: absolute URLs need `site_url`; without it they stay relative."""

    name: str
    site_url: str | None
    directory_urls: bool

    def url(self, path: str) -> str:
        relative = url_for(path, self.directory_urls)
        if not self.site_url:
            return relative
        return self.site_url.rstrip("/") + "/" + relative

    def file_url(self, name: str) -> str:
        return self.site_url.rstrip("/") + "/" + name if self.site_url else name

    def briefing_url(self, b: str | _Edition) -> str:
        """The absolute address of a briefing's page (a record: that edition's), or '' when the
        site has none."""
        if not self.site_url:
            return ""
        return self.url(briefing(b) if isinstance(b, str) else edition(b))


class Links:
    """Links from one page to the others, for its template: `link.briefing(b)`, `link.theme(t)`…

    Each takes a record or its id and returns a URL relative to the page, so the site
    works under any prefix and with or without directory URLs. The links of a page in a
    language after the site's first (`prefix`) go to the pages in that language; a briefing
    record's link goes to that edition's own page.
    """

    def __init__(self, page_path: str, directory_urls: bool, prefix: str = "") -> None:
        self.directory_urls = directory_urls
        self.prefix = prefix
        self.here = url_for(in_language(page_path, prefix), directory_urls)

    @classmethod
    def at(cls, url: str, directory_urls: bool) -> Links:
        """Links from a page known by its site-relative URL ('guide/', 'guide.html')."""
        links = cls("", directory_urls)
        links.here = url
        return links

    def page(self, path: str) -> str:
        """Any page by its path (a pager's later pages, say), in the page's language."""
        return self.page_in(path, self.prefix)

    def page_in(self, path: str, prefix: str) -> str:
        """A page in another language: the language switcher's and the alternates' links."""
        return relative_url(self.here, url_for(in_language(path, prefix), self.directory_urls))

    def file(self, name: str) -> str:
        """An output file that is not a page, by its name from this module."""
        return relative_url(self.here, name)

    def home(self) -> str:
        return self.page(HOME)

    def briefings(self) -> str:
        return self.page(BRIEFINGS)

    def briefings_in(self, prefix: str) -> str:
        """The briefings listing in a language ("" for the site's first)."""
        return self.page_in(BRIEFINGS, prefix)

    def themes(self) -> str:
        return self.page(THEMES)

    def countries(self) -> str:
        return self.page(COUNTRIES)

    def people(self) -> str:
        return self.page(PEOPLE)

    def organizations(self) -> str:
        return self.page(ORGANIZATIONS)

    def tags(self) -> str:
        return self.page(TAGS)

    def about(self) -> str:
        return self.page(ABOUT)

    def sources(self) -> str:
        return self.page(SOURCES)

    def timeline(self, anchor: str | None = None) -> str:
        url = self.page(TIMELINE)
        return f"{url}#{anchor}" if anchor else url

    def coverage(self) -> str:
        return self.page(COVERAGE)

    def briefing(self, item: str | _Edition) -> str:
        """A briefing's page in this page's language, or a record's own edition."""
        if isinstance(item, str):
            return self.page(briefing(item))
        return self.page_in(briefing(item.slug), edition_prefix(item))

    def tag(self, item: str | _HasSlug) -> str:
        """A tag's page, from a tag record or a tag as a briefing spells it."""
        return self.page(tag(tag_slug(item) if isinstance(item, str) else item.slug))

    def pdf(self, item: str | _Edition) -> str:
        """A briefing's PDF edition by its slug (the original's), or a record's own edition's."""
        return self.file(briefing_pdf(item) if isinstance(item, str) else edition_pdf(item))

    def theme(self, item: str | _HasId) -> str:
        return self.page(theme(_id(item)))

    def country(self, item: str | _HasId) -> str:
        return self.page(country(_id(item)))

    def person(self, item: str | _HasId) -> str:
        return self.page(person(_id(item)))

    def organization(self, item: str | _HasId) -> str:
        return self.page(organization(_id(item)))

    def crossing(self, theme_item: str | _HasId, country_item: str | _HasId) -> str:
        return self.page(crossing(_id(theme_item), _id(country_item)))

    def csl(self) -> str:
        return self.file(CSL_FILE)

    def photo(self, person: _HasPhoto) -> str:
        assert person.photo is not None
        return self.file(photo(person.id, person.photo))

    def export(self) -> str:
        return self.file(EXPORT_FILE)

    def search_bundle(self) -> str:
        """The folder of the search bundle, with its trailing slash, as Pagefind's scripts want it."""
        return self.file(f"{SEARCH_BUNDLE}/")

    def schema(self) -> str:
        return self.file(SCHEMA_FILE)

    def feed(self, theme_item: str | _HasId | None = None) -> str:
        """The Atom feed of every briefing, or of a theme's, in the page's language."""
        return self.file(in_language(feed(_id(theme_item) if theme_item is not None else None), self.prefix))


class DocumentLinks(Links):
    """Links for a document read away from the site, such as a PDF edition (`name`, an output file).

    Absolute where the site has an address; without one, relative to the document's place
    in the built site, where they still work.
    """

    def __init__(self, name: str, address: SiteAddress, prefix: str = "") -> None:
        super().__init__(HOME, address.directory_urls, prefix)
        self.here = name
        self.address = address

    def page_in(self, path: str, prefix: str) -> str:
        if self.address.site_url:
            return self.address.url(in_language(path, prefix))
        return super().page_in(path, prefix)

    def file(self, name: str) -> str:
        if self.address.site_url:
            return self.address.file_url(name)
        return super().file(name)
