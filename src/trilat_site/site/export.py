"""Machine-readable output: the briefings export, CSL-JSON and the Atom feeds.

Export format version 2 is described by `briefings.schema.json` (JSON Schema,
shipped beside this module and published at the site root). A change that removes
or retypes a field bumps `version`; adding optional fields does not.

The exports list each briefing once, as its original. Its translations are in the original's
record (`translations`, records of the same shape, each with its own address, PDF, words and
`translation_of`), so that a reader of the export keyed by slug meets each slug once; in the
CSL file, which citation managers read item by item, each translation is an item of its own,
in its language, with the original's title as `original-title`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.index import SiteIndex, iso_instant
from ..core.model import Briefing
from . import urls
from .bylines import Contributor, translator_bylines
from .citation import CitationContext, csl_item
from .feeds import atom_feed
from .urls import SiteAddress

EXPORT_VERSION = 2
SCHEMA_PATH = Path(__file__).with_name(urls.SCHEMA_FILE)


def _partial(value: Any) -> str | None:
    return value.iso() if value is not None else None


def author_record(c: Contributor) -> dict[str, Any]:
    """One byline entry, resolved: registry names looked up, a person's name split."""
    split = None if c.collective else c.split
    return {
        "name": c.name,
        "person": c.person.id if c.person else None,
        "organization": c.organization.id if c.organization else None,
        "family": split.family_with_particle if split else None,
        "given": (split.given or None) if split else None,
        "affiliation": c.affiliation,
        "collective": c.collective,
    }


def translations_of(b: Briefing, index: SiteIndex) -> list[Briefing]:
    """An original's published translations, in the order of the site's languages."""
    order = index.settings.languages
    found = [e for e in index.editions(b.slug).values() if e.is_translation and e.language in order]
    return sorted(found, key=lambda e: order.index(e.language or ""))


def briefing_record(
    b: Briefing, index: SiteIndex, address: SiteAddress, *, pdf: bool = False
) -> dict[str, Any]:
    """One edition's record; an original's holds its translations' (each named, as its page names
    them, in its language)."""
    if b.is_translation and b.language:
        index = index.in_language(b.language)
    settings = index.settings
    ctx = CitationContext.of(b, index, address)
    period = b.period
    record = {
        "slug": b.slug,
        "url": address.url(urls.edition(b)),
        "path": urls.url_for(urls.edition(b), address.directory_urls),
        "title": b.title,
        "date": b.date.isoformat(),
        "updated": iso_instant(index.updated(b)),
        "period": {"start": period.start.iso(), "end": period.end.iso()} if period else None,
        "language": ctx.language,
        "summary": b.summary,
        "themes": [{"id": t, "title": settings.theme(t).title} for t in b.themes],
        "countries": [{"id": c, "name": settings.country(c).name} for c in b.countries],
        "people": list(b.people),
        "organizations": list(b.organizations),
        "tags": list(b.tags),
        # The byline as written: a briefing without authors has none here (the site's editors).
        "authors": [author_record(c) for c in ctx.authors if not c.site_byline],
        "sources": [
            {
                "title": s.title,
                "author": s.author,
                "affiliation": s.affiliation,
                "publisher": s.publisher,
                "date": _partial(s.date),
                "type": s.type,
                "url": s.url,
                "via": s.via,
            }
            for s in b.sources
        ],
        "events": [{"date": e.date.iso(), "title": e.title} for e in b.events],
        "related": [link.briefing.slug for link in index.related[b.slug] if link.explicit],
        "changes": [{"date": c.date.isoformat(), "note": c.note} for c in b.changes_newest_first],
    }
    if pdf:
        record["pdf"] = address.file_url(urls.edition_pdf(b))
    if b.is_translation:
        record["translation_of"] = b.translation_of
        # As the front matter gives them: empty when the site's editors translated it.
        record["translators"] = [
            author_record(c) for c in translator_bylines(b, index, address.name) if not c.site_byline
        ]
    else:
        editions = [briefing_record(t, index, address, pdf=pdf) for t in translations_of(b, index)]
        if editions:
            record["translations"] = editions
    return record


def export_document(index: SiteIndex, address: SiteAddress, *, pdf: bool = False) -> dict[str, Any]:
    return {
        "$schema": address.file_url(urls.SCHEMA_FILE),
        "version": EXPORT_VERSION,
        "site": {"name": address.name, "url": address.site_url},
        "briefings": [briefing_record(b, index, address, pdf=pdf) for b in index.briefings],
    }


def _json(data: Any) -> bytes:
    # Compact: machines read these files, and thousands of briefings make them megabytes.
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def data_plan(
    index: SiteIndex, address: SiteAddress, *, feed_limit: int, pdf: bool = False
) -> dict[str, Callable[[], bytes]]:
    """Output file name → what makes its UTF-8 content; feeds only when the site has an absolute
    address. The names are known before the content is made: `mkdocs serve` makes and writes
    these files after the pages. With `pdf`, every briefing's entry names its PDF edition.

    Bytes, not text: they are held until MkDocs writes them, and non-ASCII text would
    take two to four bytes per character in memory.
    """
    plan: dict[str, Callable[[], bytes]] = {
        urls.EXPORT_FILE: lambda: _json(export_document(index, address, pdf=pdf)),
        urls.CSL_FILE: lambda: _json(csl_items(index, address, pdf=pdf)),
        urls.SCHEMA_FILE: SCHEMA_PATH.read_bytes,
    }
    if address.site_url:
        for language in index.settings.languages:
            plan.update(_feeds(index.in_language(language), address, feed_limit))
    return plan


def csl_items(index: SiteIndex, address: SiteAddress, *, pdf: bool = False) -> list[dict[str, Any]]:
    """Every briefing as CSL-JSON, each original followed by its translations."""

    def pdf_of(b: Briefing) -> str | None:
        return address.file_url(urls.edition_pdf(b)) if pdf else None

    items = []
    for b in index.briefings:
        items.append(csl_item(b, CitationContext.of(b, index, address), pdf_of(b)))
        for t in translations_of(b, index):
            view = index.in_language(t.language or "")
            translators = [c for c in translator_bylines(t, view, address.name) if not c.site_byline]
            items.append(csl_item(t, CitationContext.of(t, view, address), pdf_of(t), original=b, translators=translators))
    return items


def _feeds(index: SiteIndex, address: SiteAddress, feed_limit: int) -> dict[str, Callable[[], bytes]]:
    """The feeds of one language: each briefing in that language's edition, else its original
    (whose entry then says its own language)."""
    prefix = "" if index.language == index.settings.default_language else index.language
    return {
        urls.in_language(feed.path, prefix): functools.partial(_feed, index, address, feed_limit, feed, prefix)
        for feed in site_feeds(index, site_name_in(address, index))
    }


def _feed(index: SiteIndex, address: SiteAddress, feed_limit: int, feed: Feed, prefix: str) -> bytes:
    settings = index.settings
    path = urls.in_language(feed.path, prefix)
    # Feeds are about what is new: publication order, not the order of the periods analysed.
    entries = [b for b in index.briefings if feed.theme_id is None or feed.theme_id in b.themes]
    return atom_feed(
        title=feed.title,
        feed_url=address.file_url(path),
        page_url=address.url(urls.in_language(urls.theme(feed.theme_id) if feed.theme_id else urls.HOME, prefix)),
        author=address.name,
        entries=entries[:feed_limit] if feed_limit else entries,
        url_of=lambda b: address.url(urls.edition(b)),
        updated_of=index.updated,
        authors_of=lambda b: [
            (c.name, address.url(urls.in_language(urls.person(c.person.id), prefix)) if c.person else None)
            for c in CitationContext.of(b, index, address).authors
            if not c.site_byline
        ],
        settings=settings,
        language_of=lambda b: b.language or settings.language,
        language=index.language if prefix else None,
    ).encode("utf-8")


def site_name_in(address: SiteAddress, index: SiteIndex) -> str:
    """The site's name in the index's language, where the site gives one."""
    text = index.settings.site_text(index.language)
    return text.site_name if text is not None and text.site_name else address.name


@dataclass(frozen=True)
class Feed:
    title: str
    path: str
    theme_id: str | None = None


def site_feeds(index: SiteIndex, site_name: str) -> list[Feed]:
    """The Atom feeds: one of every briefing, titled with the site's name, and one per theme."""
    feeds = [Feed(site_name, urls.feed())]
    feeds += [Feed(f"{site_name}: {t.title}", urls.feed(t.id), t.id) for t in index.settings.themes]
    return feeds
