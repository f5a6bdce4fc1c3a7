"""What a page says about itself in <head>: feeds, scholarly and social metadata, JSON-LD."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from .citation import author_names
from .export import SiteAddress, feed_paths
from .index import SiteIndex
from .model import Briefing
from .pages import PageSpec, briefing_path

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
        or [{"@type": "Organization", "name": author_names(b, address.citation(b))[0]}],
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
    return data


def head_meta(spec: PageSpec | None, index: SiteIndex, address: SiteAddress) -> HeadMeta:
    """Feed links on every page; citation, Open Graph, Twitter and JSON-LD on briefings."""
    feeds: list[tuple[str, str]] = []
    if address.site_url:
        paths = feed_paths(index)
        feeds.append(("All briefings", address.file_url(paths["All briefings"])))
        theme = spec.context.get("theme") if spec is not None else None
        if theme is not None and spec is not None and spec.template == "theme.html":
            feeds.append((f"{theme.title} briefings", address.file_url(f"themes/{theme.id}/feed.xml")))
    if spec is None or "briefing" not in spec.context:
        return HeadMeta(feeds=feeds)
    b: Briefing = spec.context["briefing"]
    url = address.url(briefing_path(b.slug)) if address.site_url else ""
    names = [("citation_title", b.title)]
    names += [("citation_author", a) for a in author_names(b, address.citation(b))]
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
    return HeadMeta(feeds, names, properties, json_for_script(_json_ld(b, index, address, url)))
