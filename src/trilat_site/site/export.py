"""Machine-readable output: the briefings export, CSL-JSON and the Atom feeds.

Export format version 1 is described by `briefings.schema.json` (JSON Schema,
shipped beside this module and published at the site root). A change that removes
or retypes a field bumps `version`; adding optional fields does not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.index import SiteIndex
from ..core.model import Briefing
from . import urls
from .citation import CitationContext, csl_item
from .feeds import atom_feed
from .urls import SiteAddress

EXPORT_VERSION = 1
SCHEMA_PATH = Path(__file__).with_name(urls.SCHEMA_FILE)


def _partial(value: Any) -> str | None:
    return value.iso() if value is not None else None


def briefing_record(b: Briefing, index: SiteIndex, address: SiteAddress) -> dict[str, Any]:
    settings = index.settings
    return {
        "slug": b.slug,
        "url": address.url(urls.briefing(b.slug)),
        "path": urls.url_for(urls.briefing(b.slug), address.directory_urls),
        "title": b.title,
        "date": b.date.isoformat(),
        "updated": index.updated(b).isoformat(),
        "summary": b.summary,
        "themes": [{"id": t, "title": settings.theme(t).title} for t in b.themes],
        "countries": [{"id": c, "name": settings.country(c).name} for c in b.countries],
        "people": list(b.people),
        "organizations": list(b.organizations),
        "tags": list(b.tags),
        "authors": [{"name": a.name, "affiliation": a.affiliation} for a in b.authors],
        "sources": [
            {
                "title": s.title,
                "author": s.author,
                "affiliation": s.affiliation,
                "publisher": s.publisher,
                "date": _partial(s.date),
                "type": s.type,
                "url": s.url,
            }
            for s in b.sources
        ],
        "events": [{"date": e.date.iso(), "title": e.title} for e in b.events],
        "related": [link.briefing.slug for link in index.related[b.slug] if link.explicit],
        "changes": [{"date": c.date.isoformat(), "note": c.note} for c in b.changes_newest_first],
    }


def export_document(index: SiteIndex, address: SiteAddress) -> dict[str, Any]:
    return {
        "$schema": address.file_url(urls.SCHEMA_FILE),
        "version": EXPORT_VERSION,
        "site": {"name": address.name, "url": address.site_url},
        "briefings": [briefing_record(b, index, address) for b in index.briefings],
    }


def _json(data: Any) -> bytes:
    # Compact: machines read these files, and thousands of briefings make them megabytes.
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def data_files(index: SiteIndex, address: SiteAddress, *, feed_limit: int) -> dict[str, bytes]:
    """Output file name → UTF-8 content; feeds only when the site has an absolute address.

    Bytes, not text: they are held until MkDocs writes them, and non-ASCII text would
    take two to four bytes per character in memory.
    """
    files = {
        urls.EXPORT_FILE: _json(export_document(index, address)),
        urls.CSL_FILE: _json([csl_item(b, CitationContext.of(b, address)) for b in index.briefings]),
        urls.SCHEMA_FILE: SCHEMA_PATH.read_bytes(),
    }
    if address.site_url:
        for feed in site_feeds(index):
            entries = index.by_theme.get(feed.theme_id, ()) if feed.theme_id else index.briefings
            files[feed.path] = atom_feed(
                title=feed.title,
                feed_url=address.file_url(feed.path),
                page_url=address.url(urls.theme(feed.theme_id) if feed.theme_id else urls.HOME),
                author=address.name,
                entries=entries[:feed_limit] if feed_limit else entries,
                url_of=lambda b: address.url(urls.briefing(b.slug)),
                updated_of=index.updated,
                settings=index.settings,
            ).encode("utf-8")
    return files


@dataclass(frozen=True)
class Feed:
    title: str
    path: str
    theme_id: str | None = None


def site_feeds(index: SiteIndex) -> list[Feed]:
    """The Atom feeds: one of every briefing, one per theme."""
    feeds = [Feed("All briefings", urls.feed())]
    feeds += [Feed(f"{t.title} briefings", urls.feed(t.id), t.id) for t in index.settings.themes]
    return feeds
