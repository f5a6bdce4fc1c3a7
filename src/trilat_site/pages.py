"""Page specifications: which pages the index gives, where they live, and what they show.

A page is addressed by its `path` ("briefings/energy-alliance", "" for home);
`url_for` turns a path into the URL the site uses, with or without directory
URLs, so the same specs serve any host that can write a file per page.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .index import RelatedLink, SiteIndex, paginate
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
    """A link from one page's URL to another's that works under any site prefix."""
    from_dir = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url)
    start = from_dir.rstrip("/") or "."
    target = to_url or "."
    rel = posixpath.relpath(target.rstrip("/") or ".", start)
    if to_url.endswith("/") or not to_url:
        rel = rel.rstrip("/") + "/" if rel != "." else "./"
    return rel


@dataclass(frozen=True)
class Pager:
    number: int
    count: int
    previous: str | None
    next: str | None
    paths: tuple[str, ...]


@dataclass(frozen=True)
class PageSpec:
    """One page the site gets: `src_uri` is its source name for the host generator."""

    path: str
    src_uri: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    in_nav: bool = False


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
            )
        )
    return specs


def group_by_year(items: Sequence[Briefing]) -> list[tuple[int, list[Briefing]]]:
    groups: list[tuple[int, list[Briefing]]] = []
    for b in items:
        if not groups or groups[-1][0] != b.date.year:
            groups.append((b.date.year, []))
        groups[-1][1].append(b)
    return groups


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
            context={"counts": index.theme_counts()},
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
    specs.append(
        PageSpec(
            path="",
            src_uri="index.md",
            title="Home",
            template="home.html",
            context={
                "latest": list(index.briefings[: settings.home_latest]),
                "counts": index.theme_counts(),
                "total": len(index.briefings),
            },
            in_nav=True,
        )
    )
    return specs
