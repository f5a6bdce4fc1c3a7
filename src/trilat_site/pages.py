"""Page specifications: which pages the index gives, where they live, and what they show.

A page is addressed by its `path` ("briefings/energy-alliance", "" for home);
`url_for` turns a path into the URL the site uses, with or without directory
URLs, so the same specs serve any host that can write a file per page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .gcpause import without_gc
from .index import RelatedLink, SiteIndex, Timeline, paginate
from .model import Briefing

_KIND_LABELS = {
    "theme": ("theme", "themes"),
    "country": ("country", "countries"),
    "tag": ("tag", "tags"),
    "person": ("person", "people"),
    "organization": ("organisation", "organisations"),
}


def briefing_path(slug: str) -> str:
    return f"briefings/{slug}"


def theme_path(theme_id: str) -> str:
    return f"themes/{theme_id}"


def country_path(country_id: str) -> str:
    return f"countries/{country_id}"


def person_path(person_id: str) -> str:
    return f"people/{person_id}"


def organization_path(organization_id: str) -> str:
    return f"organizations/{organization_id}"


def crossing_path(theme_id: str, country_id: str) -> str:
    return f"themes/{theme_id}/countries/{country_id}"


# Pages grouped under "Explore" in the automatic navigation, in this order.
EXPLORE = (
    "countries/index.md",
    "people/index.md",
    "organizations/index.md",
    "sources.md",
    "timeline.md",
    "coverage.md",
)


def listing_path(base: str, number: int) -> str:
    """Page 1 of a listing is the listing itself; later pages live under page/N."""
    if number == 1:
        return base
    return f"{base}/page/{number}" if base else f"page/{number}"


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


@dataclass(frozen=True, slots=True)
class Pager:
    number: int
    count: int
    previous: str | None
    next: str | None
    paths: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One page the site gets: `src_uri` is its source name for the host generator."""

    path: str
    src_uri: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    in_nav: bool = False
    searchable: bool = True
    """Lists that only repeat briefing titles (later pages, crossings) stay out of the search index."""


def related_reason(link: RelatedLink, index: SiteIndex) -> str:
    if link.explicit:
        return "Linked by the authors"
    other = link.briefing
    tags = {t.casefold(): t for t in other.tags}
    names = {
        "theme": lambda v: index.settings.theme(v).title,
        "country": lambda v: index.settings.country(v).name,
        "tag": lambda v: tags.get(v, v),
        "person": lambda v: v,
        "organization": lambda v: v,
    }
    parts = []
    for kind in ("tag", "person", "organization", "theme", "country"):
        values = [names[kind](v) for k, v in link.shared if k == kind]
        if values:
            singular, plural = _KIND_LABELS[kind]
            parts.append(f"{plural if len(values) > 1 else singular}: {', '.join(values)}")
    return "Shares " + "; ".join(parts)


def _listing(
    base: str,
    src_base: str,
    title: str,
    template: str,
    items: Sequence[Briefing],
    per_page: int,
    context: dict[str, Any],
    in_nav: bool,
    description: str = "",
) -> list[PageSpec]:
    chunks = paginate(items, per_page)
    paths = tuple(listing_path(base, n) for n in range(1, len(chunks) + 1))
    specs = []
    for n, chunk in enumerate(chunks, start=1):
        pager = Pager(
            number=n,
            count=len(chunks),
            previous=paths[n - 2] if n > 1 else None,
            next=paths[n] if n < len(chunks) else None,
            paths=paths,
        )
        src = src_base if n == 1 else f"{listing_path(base, n)}.md"
        page_title = title if n == 1 else f"{title} (page {n})"
        specs.append(
            PageSpec(
                path=paths[n - 1],
                src_uri=src,
                title=page_title,
                template=template,
                context={**context, "items": list(chunk), "pager": pager, "total": len(items)},
                description=description,
                in_nav=in_nav and n == 1,
                searchable=n == 1 and template not in _UNSEARCHED,
            )
        )
    return specs


_UNSEARCHED = frozenset({"briefings.html", "crossing.html"})


def group_by_year(items: Sequence[Briefing]) -> list[tuple[int, list[Briefing]]]:
    groups: list[tuple[int, list[Briefing]]] = []
    for b in items:
        if not groups or groups[-1][0] != b.date.year:
            groups.append((b.date.year, []))
        groups[-1][1].append(b)
    return groups


@without_gc
def site_pages(index: SiteIndex) -> list[PageSpec]:
    """Every page the index gives: briefings, listings, themes and home."""
    settings = index.settings
    specs: list[PageSpec] = []
    for b in index.briefings:
        older, newer = index.neighbours[b.slug]
        related = [(link, related_reason(link, index)) for link in index.related[b.slug]]
        specs.append(
            PageSpec(
                path=briefing_path(b.slug),
                src_uri=f"briefings/{b.src_rel}",
                title=b.title,
                template="briefing.html",
                context={
                    "briefing": b,
                    "related": related,
                    "older": older,
                    "newer": newer,
                    "first_theme": settings.theme(b.themes[0]),
                    "updated": index.updated(b),
                    "history": index.history.of(b.path),
                },
                description=b.summary,
            )
        )
    specs += _listing(
        "briefings",
        "briefings/index.md",
        "Briefings",
        "briefings.html",
        index.briefings,
        settings.per_page,
        {},
        in_nav=True,
        description="Every briefing, newest first, grouped by year.",
    )
    specs.append(
        PageSpec(
            path="themes",
            src_uri="themes/index.md",
            title="Themes",
            template="themes.html",
            context={"counts": index.theme_counts(), "links": index.theme_links()},
            description="The themes the briefings are organised by.",
            in_nav=True,
        )
    )
    for theme in settings.themes:
        specs += _listing(
            theme_path(theme.id),
            f"themes/{theme.id}.md",
            theme.title,
            "theme.html",
            index.by_theme.get(theme.id, ()),
            settings.per_page,
            {"theme": theme},
            in_nav=True,
            description=theme.description,
        )
    specs += _entity_pages(index)
    specs.append(
        PageSpec(
            path="",
            src_uri="index.md",
            title="Home",
            template="home.html",
            context={
                "latest": list(index.briefings[: settings.home_latest]),
                "counts": index.theme_counts(),
                "links": index.theme_links(),
                "total": len(index.briefings),
            },
            in_nav=True,
        )
    )
    return specs


def _entity_pages(index: SiteIndex) -> list[PageSpec]:
    """Countries, people, organisations, sources, timeline and the theme × country coverage."""
    settings, registry = index.settings, index.registry
    per_page = settings.per_page
    specs: list[PageSpec] = []
    country_counts = [(c, len(index.by_country.get(c.id, ()))) for c in settings.countries]
    specs.append(
        PageSpec(
            "countries",
            "countries/index.md",
            "Countries",
            "countries.html",
            {"countries": country_counts},
            "Briefings by the countries they involve.",
            in_nav=True,
        )
    )
    for country in settings.countries:
        specs += _listing(
            country_path(country.id),
            f"countries/{country.id}.md",
            country.name,
            "country.html",
            index.by_country.get(country.id, ()),
            per_page,
            {"country": country},
            in_nav=False,
            description=f"Briefings involving {country.name}.",
        )
    people = sorted(registry.people, key=lambda p: (p.name.casefold(), p.id))
    organizations = sorted(registry.organizations, key=lambda o: (o.name.casefold(), o.id))
    org_by_id = {o.id: o for o in registry.organizations}
    specs.append(
        PageSpec(
            "people",
            "people/index.md",
            "People",
            "people.html",
            {
                "people": [
                    (p, org_by_id.get(p.organization or ""), len(index.by_person.get(p.id, ())))
                    for p in people
                ]
            },
            "The people the briefings discuss and draw on.",
            in_nav=True,
        )
    )
    for person in people:
        specs += _listing(
            person_path(person.id),
            f"people/{person.id}.md",
            person.name,
            "person.html",
            index.by_person.get(person.id, ()),
            per_page,
            {"person": person, "organization": org_by_id.get(person.organization or "")},
            in_nav=False,
            description=person.role or "",
        )
    specs.append(
        PageSpec(
            "organizations",
            "organizations/index.md",
            "Organizations",
            "organizations.html",
            {"organizations": [(o, len(index.by_organization.get(o.id, ()))) for o in organizations]},
            "The organisations the briefings discuss and draw on.",
            in_nav=True,
        )
    )
    for org in organizations:
        members = [p for p in people if p.organization == org.id]
        specs += _listing(
            organization_path(org.id),
            f"organizations/{org.id}.md",
            org.name,
            "organization.html",
            index.by_organization.get(org.id, ()),
            per_page,
            {
                "organization": org,
                "members": members,
                "country": settings.country(org.country) if org.country else None,
            },
            in_nav=False,
            description=org.description or "",
        )
    specs.append(
        PageSpec(
            "sources",
            "sources.md",
            "Sources",
            "sources.html",
            {"sources": list(index.sources)},
            "Every source document the briefings draw on, with the briefings that cite it.",
            in_nav=True,
        )
    )
    specs.append(
        PageSpec(
            "timeline",
            "timeline.md",
            "Timeline",
            "timeline.html",
            {"years": _events_by_year(index)},
            "Every event the briefings discuss, in order.",
            in_nav=True,
        )
    )
    crossings = index.crossings()
    specs.append(
        PageSpec(
            "coverage",
            "coverage.md",
            "Coverage",
            "coverage.html",
            {"crossings": crossings},
            "How many briefings sit at each crossing of theme and country.",
            in_nav=True,
        )
    )
    for theme in settings.themes:
        for country in settings.countries:
            if crossings.get((theme.id, country.id)):
                items = [b for b in index.by_theme.get(theme.id, ()) if country.id in b.countries]
                specs += _listing(
                    crossing_path(theme.id, country.id),
                    f"{crossing_path(theme.id, country.id)}.md",
                    f"{theme.title}: {country.name}",
                    "crossing.html",
                    items,
                    per_page,
                    {"theme": theme, "country": country},
                    in_nav=False,
                )
    return specs


def _events_by_year(index: SiteIndex) -> list[tuple[int, list[Timeline]]]:
    years: list[tuple[int, list[Timeline]]] = []
    for item in index.events:
        if not years or years[-1][0] != item.event.date.year:
            years.append((item.event.date.year, []))
        years[-1][1].append(item)
    return years
