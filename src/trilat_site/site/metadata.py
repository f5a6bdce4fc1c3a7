"""What a page says about itself in <head>: feeds, scholarly and social metadata, JSON-LD."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..core.index import SiteIndex, iso_instant
from ..core.model import Briefing, Theme
from . import urls
from .bylines import Contributor
from .cards import HEIGHT, WIDTH
from .citation import CitationContext, sorted_name
from .export import site_feeds, site_name_in
from .pages import PageSpec
from .urls import Links, SiteAddress

_JSON_IN_SCRIPT = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)
# Open Graph names a locale as language_TERRITORY; a bare language tag gets its usual territory.
_LIKELY_TERRITORY = {"en": "US", "ko": "KR", "ja": "JP", "zh": "CN", "fr": "FR", "de": "DE", "es": "ES"}


def json_for_script(data: Any) -> Markup:
    """JSON that cannot close its <script> element or open a comment, whatever the strings hold."""
    return Markup(json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_JSON_IN_SCRIPT))


def og_locale(language: str) -> str | None:
    """`en` → `en_US`, `en-GB` → `en_GB`; None when no territory can be told."""
    parts = language.split("-")
    territory = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    territory = territory or _LIKELY_TERRITORY.get(parts[0].lower())
    return f"{parts[0].lower()}_{territory}" if territory else None


@dataclass(frozen=True)
class HeadMeta:
    feeds: list[tuple[str, str]] = field(default_factory=list)
    names: list[tuple[str, str]] = field(default_factory=list)
    properties: list[tuple[str, str]] = field(default_factory=list)
    json_ld: Markup | None = None
    license: str | None = None
    alternates: list[tuple[str, str]] = field(default_factory=list)
    """(hreflang, href) of the page in each language it exists in, and `x-default`."""


def _json_ld_author(c: Contributor, address: SiteAddress) -> dict[str, Any]:
    if c.collective:
        org: dict[str, Any] = {"@type": "Organization", "name": c.name}
        if c.organization is not None:
            if c.organization.url:
                org["url"] = c.organization.url
        elif c.site_byline and address.site_url:
            org["url"] = address.url(urls.HOME)
        return org
    person: dict[str, Any] = {"@type": "Person", "name": c.name}
    if c.split is not None:
        person["familyName"] = c.split.family_with_particle
        if c.split.given:
            person["givenName"] = c.split.given
    if c.affiliation:
        person["affiliation"] = {"@type": "Organization", "name": c.affiliation}
    if c.person is not None:
        if address.site_url:
            person["url"] = address.url(urls.person(c.person.id))
        same_as = [c.person.orcid_url] if c.person.orcid_url else []
        same_as += [link.url for link in c.person.links]
        if same_as:
            person["sameAs"] = same_as
    return person


def _json_ld(
    b: Briefing, index: SiteIndex, address: SiteAddress, ctx: CitationContext, pdf_url: str = ""
) -> dict[str, Any]:
    settings = index.settings
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Report",
        "headline": b.title,
        "name": b.title,
        "description": b.summary,
        "datePublished": b.date.isoformat(),
        "dateModified": iso_instant(index.updated(b)),
        "temporalCoverage": b.subject_period.iso(),
        "inLanguage": ctx.language,
        "author": [_json_ld_author(c, address) for c in ctx.authors],
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
    if address.site_url:
        # Editions name each other: a translation its original, an original its translations.
        if b.is_translation:
            data["translationOfWork"] = {"@type": "Report", "url": address.briefing_url(b.slug)}
        else:
            others = [e for e in index.editions(b.slug).values() if e.is_translation]
            if others:
                data["workTranslation"] = [
                    {"@type": "Report", "url": address.briefing_url(e), "inLanguage": e.language} for e in others
                ]
    if ctx.url:
        data["url"] = ctx.url
        data["mainEntityOfPage"] = ctx.url
        if settings.share_cards:
            data["image"] = address.file_url(urls.edition_card(b))
    if pdf_url:
        data["encoding"] = [
            {"@type": "MediaObject", "contentUrl": pdf_url, "encodingFormat": "application/pdf"}
        ]
    if settings.license_url:
        data["license"] = settings.license_url
    return data


def _image(address: SiteAddress, path: str, alt: str) -> list[tuple[str, str]]:
    return [
        ("og:image", address.file_url(path)),
        ("og:image:type", "image/png"),
        ("og:image:width", str(WIDTH)),
        ("og:image:height", str(HEIGHT)),
        ("og:image:alt", alt),
    ]


def alternates(
    spec: PageSpec, languages: tuple[str, ...], prefixes: tuple[str, ...], address: SiteAddress, links: Links
) -> list[tuple[str, str]]:
    """The page in every language it exists in (`prefixes`, "" for the first), and `x-default`
    (the first language's page): absolute where the site has an address."""

    def href(prefix: str) -> str:
        path = spec.path
        return address.url(urls.in_language(path, prefix)) if address.site_url else links.page_in(path, prefix)

    found = [(tag, href(prefix)) for tag, prefix in zip(languages, ("", *languages[1:]), strict=True) if prefix in prefixes]
    if len(found) < 2:
        # A page in one language only (an untranslated briefing, a tag only a translation
        # gives) has no alternates.
        return []
    if "" in prefixes:
        found.append(("x-default", href("")))
    return found


def head_meta(
    spec: PageSpec | None,
    index: SiteIndex,
    address: SiteAddress,
    links: Links,
    *,
    pdf: str | None = None,
    prefixes: tuple[str, ...] = ("",),
) -> HeadMeta:
    """The feed and licence links on every page; Open Graph on every page the plugin makes;
    citation, Twitter and JSON-LD on briefings.

    The feed is linked relative to the page, so it is the one of the host the page is read
    on: the feed of every briefing, and on a theme's page that theme's feed as well. `pdf` is
    the output file of the briefing's PDF edition, announced to indexers at its absolute
    address (which needs a site_url).
    """
    settings = index.settings
    feeds: list[tuple[str, str]] = []
    if address.site_url:
        theme = spec.subject.id if spec is not None and isinstance(spec.subject, Theme) else None
        feeds = [
            (feed.title, links.file(urls.in_language(feed.path, links.prefix)))
            for feed in site_feeds(index, site_name_in(address, index))
            if feed.theme_id is None or feed.theme_id == theme
        ]
    license = settings.license_url
    if spec is None:
        return HeadMeta(feeds=feeds, license=license)
    others = alternates(spec, settings.languages, prefixes, address, links) if settings.multilingual else []
    cards = settings.share_cards and bool(address.site_url)
    if not isinstance(spec.subject, Briefing):
        properties = [
            ("og:type", "website"),
            ("og:title", spec.title if spec.path != urls.HOME else address.name),
            ("og:site_name", address.name),
        ]
        if spec.description:
            properties.append(("og:description", spec.description))
        locale = og_locale(spec.language or settings.language)
        properties += [("og:locale", locale)] if locale else []
        if address.site_url:
            properties.insert(0, ("og:url", address.url(spec.location)))
        names = []
        if cards:
            properties += _image(address, urls.card(), address.name)
            names = [("twitter:card", "summary_large_image")]
        return HeadMeta(feeds, names, properties, license=license, alternates=others)
    b = spec.subject
    ctx = CitationContext.of(b, index, address)
    url = ctx.url
    names = [("citation_title", b.title)]
    # Google Scholar reads citation_author as a person's name: collective authors (the site's
    # editors above all) are not people, and the institution is named below.
    for c in ctx.authors:
        if c.collective:
            continue
        names.append(("citation_author", sorted_name(c)))
        if c.affiliation:
            names.append(("citation_author_institution", c.affiliation))
        if c.person is not None and c.person.orcid_url:
            names.append(("citation_author_orcid", c.person.orcid_url))
    names += [
        ("citation_publication_date", b.date.strftime("%Y/%m/%d")),
        ("citation_publisher", address.name),
        ("citation_technical_report_institution", address.name),
        ("citation_language", ctx.language),
    ]
    names += [("citation_keywords", "; ".join(b.tags))] if b.tags else []
    if url:
        names.append(("citation_abstract_html_url", url))
    pdf_url = address.file_url(pdf) if pdf and address.site_url else ""
    if pdf_url:
        names.append(("citation_pdf_url", pdf_url))
    names += [
        ("twitter:card", "summary_large_image" if cards else "summary"),
        ("twitter:title", b.title),
        ("twitter:description", b.summary),
    ]
    properties = [
        ("og:type", "article"),
        ("og:title", b.title),
        ("og:description", b.summary),
        ("og:site_name", address.name),
    ]
    locale = og_locale(ctx.language)
    properties += [("og:locale", locale)] if locale else []
    if cards:
        properties += _image(address, urls.edition_card(b), b.title)
    properties += [
        ("article:published_time", b.date.isoformat()),
        ("article:modified_time", iso_instant(index.updated(b))),
    ]
    properties += [("article:tag", t) for t in b.tags]
    if url:
        properties.insert(0, ("og:url", url))
    return HeadMeta(
        feeds, names, properties, json_for_script(_json_ld(b, index, address, ctx, pdf_url)), license, others
    )
