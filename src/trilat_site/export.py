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

from .citation import CitationContext, csl_item
from .feeds import atom_feed
from .index import SiteIndex
from .model import Briefing
from .pages import briefing_path, theme_path, url_for

EXPORT_VERSION = 1
SCHEMA_FILE = Path(__file__).with_name("briefings.schema.json")


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

    def citation(self, b: Briefing) -> CitationContext:
        return CitationContext(self.name, self.url(briefing_path(b.slug)) if self.site_url else "")


def _partial(value: Any) -> str | None:
    return value.iso() if value is not None else None


def briefing_record(b: Briefing, index: SiteIndex, address: SiteAddress) -> dict[str, Any]:
    settings = index.settings
    return {
        "slug": b.slug,
        "url": address.url(briefing_path(b.slug)),
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
    }


def export_document(index: SiteIndex, address: SiteAddress) -> dict[str, Any]:
    return {
        "$schema": address.file_url("briefings.schema.json"),
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
        "briefings.json": _json(export_document(index, address)),
        "briefings.csl.json": _json([csl_item(b, address.citation(b)) for b in index.briefings]),
        "briefings.schema.json": SCHEMA_FILE.read_bytes(),
    }
    if address.site_url:
        for name, feed in feed_paths(index).items():
            theme_id = feed.removeprefix("themes/").removesuffix("/feed.xml") if feed != "feed.xml" else None
            entries = index.by_theme.get(theme_id, ()) if theme_id else index.briefings
            page = theme_path(theme_id) if theme_id else ""
            files[feed] = atom_feed(
                title=name,
                feed_url=address.file_url(feed),
                page_url=address.url(page),
                author=address.name,
                entries=entries[:feed_limit] if feed_limit else entries,
                url_of=lambda b: address.url(briefing_path(b.slug)),
                updated_of=index.updated,
                settings=index.settings,
            ).encode("utf-8")
    return files


def feed_paths(index: SiteIndex) -> dict[str, str]:
    """Feed title → output path: one for every briefing, one per theme."""
    feeds = {"All briefings": "feed.xml"}
    for theme in index.settings.themes:
        feeds[f"{theme.title} briefings"] = f"themes/{theme.id}/feed.xml"
    return feeds
