"""The page plan: which pages the index gives, of which kind, about what, where, and with what context.

Each kind of page has one small function here; what a kind is (its template, whether
search indexes it, whether the navigation lists it) is said once, on `PageKind`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ..core.index import Instant, RelatedLink, SiteIndex, Timeline, paginate
from ..core.model import Briefing, Country, Organization, Person, Tag, Theme
from ..core.slugs import tag_slug
from . import urls
from .i18n import words


def N_(message: str) -> str:
    """Marks words for the catalogues that are looked up later, where the language is known."""
    return message


# The navigation section of the ways into the briefings; the other languages' navigations
# name it from the catalogues (mkdocs/langnav.py).
EXPLORE = N_("Explore")


class PageKind(Enum):
    HOME = "home"
    ABOUT = "about"
    BRIEFING = "briefing"
    BRIEFINGS = "briefings"
    THEMES = "themes"
    THEME = "theme"
    COUNTRIES = "countries"
    COUNTRY = "country"
    PEOPLE = "people"
    PERSON = "person"
    ORGANIZATIONS = "organizations"
    ORGANIZATION = "organization"
    TAGS = "tags"
    TAG = "tag"
    SOURCES = "sources"
    TIMELINE = "timeline"
    COVERAGE = "coverage"
    CROSSING = "crossing"

    @property
    def template(self) -> str:
        return f"{self.value}.html"

    @property
    def searchable(self) -> bool:
        """Whether search indexes the page: lists of what search finds on its own pages stay out."""
        return self not in _UNSEARCHED

    @property
    def in_nav(self) -> bool:
        """Whether the site's navigation lists the (first) page of this kind."""
        return self in _IN_NAV

    @property
    def nav_group(self) -> str | None:
        """The navigation section the page is gathered under, if any."""
        return EXPLORE if self in _EXPLORE else None

    @property
    def nav_last(self) -> bool:
        """Listed after everything else: what the site is, rather than what it holds."""
        return self is PageKind.ABOUT

# A theme's or country's page is found by its description; the pages that only list
# briefings, people, organisations, sources or events are not found at all.
_UNSEARCHED = frozenset(
    {
        PageKind.HOME,
        PageKind.BRIEFINGS,
        PageKind.THEMES,
        PageKind.COUNTRIES,
        PageKind.PEOPLE,
        PageKind.ORGANIZATIONS,
        PageKind.SOURCES,
        PageKind.TIMELINE,
        PageKind.COVERAGE,
        PageKind.CROSSING,
        PageKind.TAGS,
        PageKind.TAG,
    }
)
_EXPLORE = (
    PageKind.COUNTRIES,
    PageKind.PEOPLE,
    PageKind.ORGANIZATIONS,
    PageKind.TAGS,
    PageKind.SOURCES,
    PageKind.TIMELINE,
    PageKind.COVERAGE,
)
_IN_NAV = frozenset(
    {PageKind.HOME, PageKind.BRIEFINGS, PageKind.THEMES, PageKind.THEME, *_EXPLORE, PageKind.ABOUT}
)


@dataclass(frozen=True, slots=True)
class Crossing:
    """A theme and a country, whose briefings a crossing page lists."""

    theme: Theme
    country: Country


Subject = Briefing | Theme | Country | Person | Organization | Tag | Crossing | None


# How many pages either side of the current one the pager links (see Pager.shown).
PAGER_REACH = 2


@dataclass(frozen=True, slots=True)
class Pager:
    number: int
    count: int
    previous: str | None
    next: str | None
    paths: tuple[str, ...]

    @property
    def shown(self) -> tuple[tuple[int, str] | None, ...]:
        """The pages the pager links by number: the first, the last and those within
        `PAGER_REACH` of this one, None where pages are left out. A listing of hundreds of
        pages would otherwise print hundreds of links on each of them."""
        near = range(max(1, self.number - PAGER_REACH), min(self.count, self.number + PAGER_REACH) + 1)
        numbers = sorted({1, self.count, *near})
        out: list[tuple[int, str] | None] = []
        for before, n in zip([0, *numbers], numbers, strict=False):
            if n - before == 2:
                # One page left out costs as much room as the gap that says so: link it.
                out.append((before + 1, self.paths[before]))
            elif n - before > 2:
                out.append(None)
            out.append((n, self.paths[n - 1]))
        return tuple(out)


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One page the site gets. `context` holds the template's own variables, nothing code reads."""

    kind: PageKind
    path: str
    title: str
    subject: Subject = None
    context: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""
    number: int = 1
    """The page's number within its listing; later pages are neither listed nor searched."""
    filed_under: str | None = None
    """For a page the navigation does not list: the path of the page it belongs under (a
    briefing under the briefings, a person under the people), so a reader sees where they are."""
    language: str = ""
    """The prefix of the page's language when it is not the site's first (see urls.in_language);
    `path` and `filed_under` are the same in every language."""

    @property
    def location(self) -> str:
        """Where the page is: its path in its language."""
        return urls.in_language(self.path, self.language)

    @property
    def filed_under_location(self) -> str | None:
        return urls.in_language(self.filed_under, self.language) if self.filed_under is not None else None

    @property
    def in_nav(self) -> bool:
        # MkDocs' navigation is the first language's; each other language's is a copy of it
        # made of that language's pages (mkdocs/langnav.py).
        return self.kind.in_nav and self.number == 1 and not self.language

    @property
    def searchable(self) -> bool:
        return self.kind.searchable and self.number == 1


_KIND_LABELS = {
    "theme": (N_("theme"), N_("themes")),
    "country": (N_("country"), N_("countries")),
    "tag": (N_("tag"), N_("tags")),
    "person": (N_("person"), N_("people")),
    "organization": (N_("organisation"), N_("organisations")),
}


def related_reason(link: RelatedLink, index: SiteIndex) -> str:
    """Why a briefing is related, when the index found it; authors' own links need no reason."""
    if link.explicit:
        return ""
    shared: dict[str, list[str]] = {}
    for kind, value in link.shared:
        shared.setdefault(kind, []).append(value)
    if "tag" in shared:
        tags = {tag_slug(t): t for t in link.briefing.tags}
        shared["tag"] = [tags.get(v, v) for v in shared["tag"]]
    if "theme" in shared:
        shared["theme"] = [index.settings.theme(v).title for v in shared["theme"]]
    if "country" in shared:
        shared["country"] = [index.settings.country(v).name for v in shared["country"]]
    _ = words(index)
    parts = []
    for kind in ("tag", "person", "organization", "theme", "country"):
        values = shared.get(kind)
        if values:
            singular, plural = _KIND_LABELS[kind]
            parts.append(f"{_(plural) if len(values) > 1 else _(singular)}: {_(', ').join(values)}")
    return _("Shares %(what)s") % {"what": _("; ").join(parts)}


def group_by_year(items: Sequence[Briefing]) -> list[tuple[int, list[Briefing]]]:
    """Briefings in the order of their periods, under the last year each analyses."""
    groups: list[tuple[int, list[Briefing]]] = []
    for b in items:
        year = b.subject_period.end.year
        if not groups or groups[-1][0] != year:
            groups.append((year, []))
        groups[-1][1].append(b)
    return groups


def _listing(
    kind: PageKind,
    base: str,
    title: str,
    items: Sequence[Briefing],
    per_page: int,
    *,
    subject: Subject = None,
    context: Mapping[str, Any] | None = None,
    description: str = "",
    filed_under: str | None = None,
    _: Callable[[str], str] = str,
) -> Iterator[PageSpec]:
    """A paginated list of briefings: its first page at `base`, the others under base/page/N.

    The later pages are filed under the first; the first under `filed_under`, if anything.
    """
    chunks = paginate(items, per_page)
    paths = tuple(urls.listing(base, n) for n in range(1, len(chunks) + 1))
    for n, chunk in enumerate(chunks, start=1):
        pager = Pager(
            number=n,
            count=len(chunks),
            previous=paths[n - 2] if n > 1 else None,
            next=paths[n] if n < len(chunks) else None,
            paths=paths,
        )
        yield PageSpec(
            kind=kind,
            path=paths[n - 1],
            title=title if n == 1 else _("%(title)s (page %(number)d)") % {"title": title, "number": n},
            subject=subject,
            context={**(context or {}), "items": list(chunk), "pager": pager, "total": len(items)},
            description=description,
            number=n,
            filed_under=filed_under if n == 1 else paths[0],
        )


# -- one function per kind -----------------------------------------------------------------


def briefing_page(index: SiteIndex, b: Briefing, reasons: dict[Any, str] | None = None) -> PageSpec:
    """`reasons`, shared by one index's briefing pages, keeps each reason worded once: thousands
    of related links share a few combinations of themes and countries."""
    older, newer = index.neighbours[b.slug]
    reasons = {} if reasons is None else reasons
    related = []
    for link in index.related[b.slug]:
        # The reason reads the shared features, and the linked briefing's tags to spell its tags.
        key = (link.explicit, link.shared, link.briefing.tags if any(kind == "tag" for kind, _value in link.shared) else None)
        reason = reasons.get(key)
        if reason is None:
            reason = reasons[key] = related_reason(link, index)
        related.append((link, reason))
    return PageSpec(
        PageKind.BRIEFING,
        urls.briefing(b.slug),
        b.title,
        subject=b,
        context={
            "related": related,
            "older": older,
            "newer": newer,
            "first_theme": index.settings.theme(b.themes[0]),
            "updated": index.updated(b),
            # Commit messages are written for editors; readers see them only when the site says so.
            "history": index.history.of(b.path) if index.settings.revision_history else None,
        },
        description=b.summary,
        filed_under=urls.BRIEFINGS,
    )


def briefings_pages(index: SiteIndex) -> Iterator[PageSpec]:
    _ = words(index)
    return _listing(
        PageKind.BRIEFINGS,
        urls.BRIEFINGS,
        _("Briefings"),
        index.by_period,
        index.settings.per_page,
        # The filter's years are in the page, so it is whole before its data arrives.
        context={"years": sorted({y for b in index.briefings for y in b.subject_period.years}, reverse=True)},
        description=_("Every briefing, by the period it analyses, latest first, grouped by year."),
        _=_,
    )


def themes_page(index: SiteIndex) -> PageSpec:
    _ = words(index)
    return PageSpec(
        PageKind.THEMES,
        urls.THEMES,
        _("Themes"),
        context={"counts": index.theme_counts(), "links": index.theme_links()},
        description=_("The themes the briefings are organised by."),
    )


def theme_pages(index: SiteIndex, theme: Theme) -> Iterator[PageSpec]:
    _ = words(index)
    return _listing(
        PageKind.THEME,
        urls.theme(theme.id),
        theme.title,
        index.by_theme.get(theme.id, ()),
        index.settings.per_page,
        subject=theme,
        description=theme.description or "",
        _=_,
    )


def countries_page(index: SiteIndex) -> PageSpec:
    _ = words(index)
    counts = [(c, len(index.by_country.get(c.id, ()))) for c in index.settings.countries]
    return PageSpec(
        PageKind.COUNTRIES,
        urls.COUNTRIES,
        _("Countries"),
        context={"countries": counts},
        description=_("Briefings by the countries they involve."),
    )


def country_pages(index: SiteIndex, country: Country) -> Iterator[PageSpec]:
    _ = words(index)
    return _listing(
        PageKind.COUNTRY,
        urls.country(country.id),
        country.name,
        index.by_country.get(country.id, ()),
        index.settings.per_page,
        subject=country,
        description=_("Briefings involving %(country)s.") % {"country": country.name},
        filed_under=urls.COUNTRIES,
        _=_,
    )


def _by_and_about(
    kind: PageKind,
    base: str,
    title: str,
    authored: Sequence[Briefing],
    mentioned: Sequence[Briefing],
    per_page: int,
    *,
    subject: Subject,
    context: Mapping[str, Any],
    description: str,
    filed_under: str | None = None,
    _: Callable[[str], str] = str,
) -> Iterator[PageSpec]:
    """A person's or organisation's briefings: those they wrote first, then those that name them.

    One paginated list, so a page never grows with a prolific author; each page splits its
    share into "Author of" and "Mentioned in".
    """
    wrote = {b.slug for b in authored}
    items = [*authored, *(b for b in mentioned if b.slug not in wrote)]
    totals = {"authored_total": len(authored), "mentioned_total": len(items) - len(authored)}
    listing = _listing(
        kind,
        base,
        title,
        items,
        per_page,
        subject=subject,
        context=context,
        description=description,
        filed_under=filed_under,
        _=_,
    )
    for spec in listing:
        chunk = spec.context["items"]
        first = (spec.number - 1) * per_page
        cut = max(0, min(len(chunk), len(authored) - first))
        grouped = {"authored": chunk[:cut], "mentioned": chunk[cut:], **totals}
        yield dataclasses.replace(spec, context={**spec.context, **grouped})


def people_page(index: SiteIndex) -> PageSpec:
    _ = words(index)
    rows = [
        (
            p,
            index.organization(p.organization),
            len(index.by_author.get(p.id, ())),
            len(index.by_person.get(p.id, ())),
        )
        for p in index.people
    ]
    return PageSpec(
        PageKind.PEOPLE,
        urls.PEOPLE,
        _("People"),
        context={"people": rows},
        description=_("The people the briefings discuss and draw on."),
    )


def person_pages(index: SiteIndex, person: Person) -> Iterator[PageSpec]:
    _ = words(index)
    return _by_and_about(
        PageKind.PERSON,
        urls.person(person.id),
        person.name,
        index.by_author.get(person.id, ()),
        index.by_person.get(person.id, ()),
        index.settings.per_page,
        subject=person,
        context={"organization": index.organization(person.organization)},
        description=person.description or person.role or "",
        filed_under=urls.PEOPLE,
        _=_,
    )


def organizations_page(index: SiteIndex) -> PageSpec:
    _ = words(index)
    rows = [
        (o, len(index.by_author_organization.get(o.id, ())), len(index.by_organization.get(o.id, ())))
        for o in index.organizations
    ]
    return PageSpec(
        PageKind.ORGANIZATIONS,
        urls.ORGANIZATIONS,
        _("Organizations"),
        context={"organizations": rows},
        description=_("The organisations the briefings discuss and draw on."),
    )


def organization_pages(index: SiteIndex, org: Organization) -> Iterator[PageSpec]:
    _ = words(index)
    settings = index.settings
    return _by_and_about(
        PageKind.ORGANIZATION,
        urls.organization(org.id),
        org.name,
        index.by_author_organization.get(org.id, ()),
        index.by_organization.get(org.id, ()),
        settings.per_page,
        subject=org,
        context={
            "members": [p for p in index.people if p.organization == org.id],
            "country": settings.country(org.country) if org.country else None,
        },
        description=org.description or "",
        filed_under=urls.ORGANIZATIONS,
        _=_,
    )


def tags_page(index: SiteIndex) -> PageSpec:
    _ = words(index)
    return PageSpec(
        PageKind.TAGS,
        urls.TAGS,
        _("Tags"),
        context={"tags": [(t, len(index.by_tag[t.slug])) for t in index.tags]},
        description=_("Every tag the briefings use, with its briefings."),
    )


def tag_pages(index: SiteIndex, tag: Tag) -> Iterator[PageSpec]:
    _ = words(index)
    return _listing(
        PageKind.TAG,
        urls.tag(tag.slug),
        tag.name,
        index.by_tag[tag.slug],
        index.settings.per_page,
        subject=tag,
        description=_("Briefings tagged %(tag)s.") % {"tag": tag.name},
        filed_under=urls.TAGS,
        _=_,
    )


def sources_page(index: SiteIndex) -> PageSpec:
    _ = words(index)
    return PageSpec(
        PageKind.SOURCES,
        urls.SOURCES,
        _("Sources"),
        context={"sources": list(index.sources)},
        description=_("Every source document the briefings draw on, with the briefings that cite it."),
    )


@dataclass(frozen=True, slots=True)
class TimelineYear:
    """One year of the timeline: the events the briefings date to it, and the briefings that analyse it.

    `briefings` holds at most `per_page` of them, latest period first, so the page does not grow
    with the archive; `covering` says how many there are in all.
    """

    year: int
    events: tuple[Timeline, ...]
    briefings: tuple[Briefing, ...]
    covering: int


def timeline_page(index: SiteIndex) -> PageSpec:
    _ = words(index)
    events: dict[int, list[Timeline]] = {}
    for item in index.events:
        events.setdefault(item.event.date.year, []).append(item)
    covering = dict(index.by_year)
    shown = index.settings.per_page
    years = [
        TimelineYear(
            year, tuple(events.get(year, ())), covering.get(year, ())[:shown], len(covering.get(year, ()))
        )
        for year in sorted(events.keys() | covering.keys())
    ]
    return PageSpec(
        PageKind.TIMELINE,
        urls.TIMELINE,
        _("Timeline"),
        context={"years": years},
        description=_("Every event the briefings discuss, and the briefings that analyse each year, in order."),
    )


def coverage_page(index: SiteIndex) -> PageSpec:
    _ = words(index)
    crossings = index.crossings()
    return PageSpec(
        PageKind.COVERAGE,
        urls.COVERAGE,
        _("Coverage"),
        context={"crossings": crossings, "most": max(crossings.values(), default=0)},
        description=_("How many briefings sit at each crossing of theme and country."),
    )


def crossing_pages(index: SiteIndex, theme: Theme, country: Country) -> Iterator[PageSpec]:
    _ = words(index)
    items = [b for b in index.by_theme.get(theme.id, ()) if country.id in b.countries]
    return _listing(
        PageKind.CROSSING,
        urls.crossing(theme.id, country.id),
        _("%(theme)s: %(country)s") % {"theme": theme.title, "country": country.name},
        items,
        index.settings.per_page,
        subject=Crossing(theme, country),
        filed_under=urls.COVERAGE,
        _=_,
    )


def home_page(index: SiteIndex) -> PageSpec:
    _ = words(index)
    return PageSpec(
        PageKind.HOME,
        urls.HOME,
        _("Home"),
        context={
            "latest": list(index.briefings[: index.settings.home_latest]),
            "counts": index.theme_counts(),
            "links": index.theme_links(),
            "total": len(index.briefings),
        },
    )


_SUMMARIES = frozenset(
    {
        PageKind.HOME,
        PageKind.THEMES,
        PageKind.COUNTRIES,
        PageKind.PEOPLE,
        PageKind.ORGANIZATIONS,
        PageKind.SOURCES,
        PageKind.TIMELINE,
        PageKind.COVERAGE,
        PageKind.TAGS,
        PageKind.ABOUT,
    }
)


def page_last_change(spec: PageSpec, index: SiteIndex) -> Instant | None:
    """When a page's briefings last changed: a briefing's own last change, a listing's newest
    among the briefings it shows, a page that sums up every briefing the newest of all; None
    for a page without briefings."""
    if isinstance(spec.subject, Briefing):
        return index.updated(spec.subject)
    if spec.kind in _SUMMARIES:
        return index.latest_change
    return index.last_change(spec.context.get("items", ()))


def about_page(index: SiteIndex) -> PageSpec:
    _ = words(index)
    """What the site is and how its briefings are made; a site's own about.md gives the words."""
    dates = [b.date for b in index.briefings]
    return PageSpec(
        PageKind.ABOUT,
        urls.ABOUT,
        _("About"),
        context={
            "total": len(index.briefings),
            "first": min(dates) if dates else None,
            "last": max(dates) if dates else None,
            "counts": index.theme_counts(),
        },
        description=_("What this site publishes, how its briefings are written, and how to follow and reuse them."),
    )


def site_pages(index: SiteIndex, reasons: dict[Any, dict[Any, str]] | None = None) -> list[PageSpec]:
    """Every page the index gives, in the order the navigation lists them: the first language's,
    then each other language's under its prefix.

    Briefings come in the order /briefings/ lists them: search indexes pages in shards in
    the order they are built, and its /briefings/ filter reads the shards in that order.

    In a language after the first, every page exists, listing each briefing's edition in that
    language where there is one and its original otherwise; a briefing page only for a
    translation (no page is made up for a briefing nobody translated).

    `reasons` keeps the related briefings' reasons as worded for another index (`mkdocs serve`
    plans the site again on every save): a reason reads only the settings and the language
    besides the shared features of its key (see briefing_page).
    """
    reasons = {} if reasons is None else reasons
    specs = _language_pages(index, "", reasons)
    for language in index.settings.languages[1:]:
        view = index.in_language(language)
        specs += [dataclasses.replace(spec, language=language) for spec in _language_pages(view, language, reasons)]
    return specs


def _language_pages(index: SiteIndex, prefix: str, reasons: dict[Any, dict[Any, str]]) -> list[PageSpec]:
    settings = index.settings
    worded = reasons.setdefault((settings, index.language), {})
    specs = [briefing_page(index, b, worded) for b in index.by_period if urls.edition_prefix(b) == prefix]
    specs += briefings_pages(index)
    specs.append(themes_page(index))
    for theme in settings.themes:
        specs += theme_pages(index, theme)
    specs.append(countries_page(index))
    for country in settings.countries:
        specs += country_pages(index, country)
    specs.append(people_page(index))
    for person in index.people:
        specs += person_pages(index, person)
    specs.append(organizations_page(index))
    for org in index.organizations:
        specs += organization_pages(index, org)
    specs.append(tags_page(index))
    for tag in index.tags:
        specs += tag_pages(index, tag)
    specs += [sources_page(index), timeline_page(index)]
    crossings = index.crossings()
    specs.append(coverage_page(index))
    for theme in settings.themes:
        for country in settings.countries:
            if crossings.get((theme.id, country.id)):
                specs += crossing_pages(index, theme, country)
    specs.append(home_page(index))
    specs.append(about_page(index))
    return specs


def page_languages(specs: Sequence[PageSpec]) -> dict[str, tuple[str, ...]]:
    """Each page path and the language prefixes it exists under ("" for the first language), in
    the site's order: the alternates and the language switcher go only where a page is."""
    found: dict[str, list[str]] = {}
    for spec in specs:
        found.setdefault(spec.path, []).append(spec.language)
    return {path: tuple(dict.fromkeys(prefixes)) for path, prefixes in found.items()}
