"""What a page says about itself in <head>: feeds, scholarly and social metadata, JSON-LD."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..core.index import SiteIndex
from ..core.model import Briefing
from .citation import CitationContext, author_names
from .export import site_feeds
from .pages import PageSpec
from .urls import Links, SiteAddress

_JSON_IN_SCRIPT = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def json_for_script(data: Any) -> Markup:
    """JSON that cannot close its <script> element or open a comment, whatever the strings hold."""
    return Markup(json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_JSON_IN_SCRIPT))


@dataclass(frozen=True)
class HeadMeta:
    feeds: list[tuple[str, str]] = field(default_factory=list)
    names: list[tuple[str, str]] = field(default_factory=list)
    properties: list[tuple[str, str]] = field(default_factory=list)
    json_ld: Markup | None = None
    license: str | None = None


def _json_ld(b: Briefing, index: SiteIndex, address: SiteAddress, url: str) -> dict[str, Any]:
    settings = index.settings
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Report",
        "headline": b.title,
        "name": b.title,
        "description": b.summary,
        "datePublished": b.date.isoformat(),
        "dateModified": index.updated(b).isoformat(),
        "inLanguage": "en",
        "author": [
            {
                "@type": "Person",
                "name": a.name,
                **(
                    {"affiliation": {"@type": "Organization", "name": a.affiliation}} if a.affiliation else {}
                ),
            }
            for a in b.authors
        ]
        or [{"@type": "Organization", "name": author_names(b, CitationContext.of(b, address))[0]}],
        "publisher": {"@type": "Organization", "name": address.name},
        "about": [{"@type": "Thing", "name": settings.theme(t).title} for t in b.themes]
        + [{"@type": "Country", "name": settings.country(c).name} for c in b.countries],
        "keywords": list(b.tags),
        "isBasedOn": [
            {
                "@type": "CreativeWork",
                "name": s.title,
                **({"author": {"@type": "Person", "name": s.author}} if s.author else {}),
                **({"publisher": {"@type": "Organization", "name": s.publisher}} if s.publisher else {}),
                **({"datePublished": s.date.iso()} if s.date else {}),
                **({"url": s.url} if s.url else {}),
            }
            for s in b.sources
        ],
    }
    if url:
        data["url"] = url
        data["mainEntityOfPage"] = url
    if settings.license_url:
        data["license"] = settings.license_url
    return data


def head_meta(spec: PageSpec | None, index: SiteIndex, address: SiteAddress, links: Links) -> HeadMeta:
    """The feed and licence links on every page; citation, Open Graph, Twitter and JSON-LD on briefings.

    The feed is linked relative to the page, so it is the one of the host the page is read
    on. Only the feed of every briefing is a <link>: Material looks for a sitemap.xml beside
    each alternate link, which a theme's folder has not; a theme's page links its own feed
    in its text instead.
    """
    feeds: list[tuple[str, str]] = []
    if address.site_url:
        feeds = [(feed.title, links.file(feed.path)) for feed in site_feeds(index) if feed.theme_id is None]
    license = index.settings.license_url
    if spec is None or not isinstance(spec.subject, Briefing):
        return HeadMeta(feeds=feeds, license=license)
    b = spec.subject
    ctx = CitationContext.of(b, address)
    url = ctx.url
    names = [("citation_title", b.title)]
    names += [("citation_author", a) for a in author_names(b, ctx)]
    names += [
        ("citation_publication_date", b.date.strftime("%Y/%m/%d")),
        ("citation_publisher", address.name),
        ("citation_technical_report_institution", address.name),
        ("citation_language", "en"),
    ]
    names += [("citation_keywords", "; ".join(b.tags))] if b.tags else []
    if url:
        names.append(("citation_abstract_html_url", url))
    names += [("twitter:card", "summary"), ("twitter:title", b.title), ("twitter:description", b.summary)]
    properties = [
        ("og:type", "article"),
        ("og:title", b.title),
        ("og:description", b.summary),
        ("og:site_name", address.name),
        ("article:published_time", b.date.isoformat()),
        ("article:modified_time", index.updated(b).isoformat()),
    ]
    properties += [("article:tag", t) for t in b.tags]
    if url:
        properties.insert(0, ("og:url", url))
    return HeadMeta(feeds, names, properties, json_for_script(_json_ld(b, index, address, url)), license)
