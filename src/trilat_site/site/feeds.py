"""Atom 1.0 feeds: absolute URLs, stable entry ids, deterministic output."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from xml.sax import saxutils

from ..core.index import Instant, as_datetime
from ..core.model import Briefing
from ..core.settings import SiteSettings

# Characters XML 1.0 cannot hold at all. The loader refuses control characters in every
# field; this keeps a feed well-formed whatever a record holds.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(text: str) -> str:
    return saxutils.escape(_NOT_XML.sub("", text))


def quoteattr(text: str) -> str:
    return saxutils.quoteattr(_NOT_XML.sub("", text))


# An empty feed still needs an <updated>; a fixed instant keeps builds reproducible.
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _stamp(instant: Instant) -> str:
    """RFC 3339 in UTC: the commit's time where Git knows it, else the start of the day."""
    return as_datetime(instant).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom_feed(
    *,
    title: str,
    feed_url: str,
    page_url: str,
    author: str,
    entries: Sequence[Briefing],
    url_of: Callable[[Briefing], str],
    updated_of: Callable[[Briefing], Instant],
    authors_of: Callable[[Briefing], Sequence[tuple[str, str | None]]],
    language_of: Callable[[Briefing], str],
    settings: SiteSettings,
    language: str | None = None,
) -> str:
    """An Atom feed; `language` is the feed's own (a language edition's), else the site's."""
    feed_language = language or settings.language
    updated = max((as_datetime(updated_of(b)) for b in entries), default=_EPOCH)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(feed_language)}>',
        f"  <id>{escape(feed_url)}</id>",
        f"  <title>{escape(title)}</title>",
        f"  <updated>{_stamp(updated)}</updated>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(feed_url)}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(page_url)}/>',
        f"  <author><name>{escape(author)}</name></author>",
    ]
    for b in entries:
        url = url_of(b)
        entry_language = language_of(b)
        # An entry in another language than the feed's says so; its text is then read as that.
        lang = f" xml:lang={quoteattr(entry_language)}" if entry_language != feed_language else ""
        out += [
            f"  <entry{lang}>",
            f"    <id>{escape(url)}</id>",
            f'    <title type="text">{escape(b.title)}</title>',
            f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
            f"    <published>{_stamp(b.date)}</published>",
            f"    <updated>{_stamp(updated_of(b))}</updated>",
        ]
        for name, uri in authors_of(b):
            link = f"<uri>{escape(uri)}</uri>" if uri else ""
            out.append(f"    <author><name>{escape(name)}</name>{link}</author>")
        for theme_id in b.themes:
            label = settings.theme(theme_id).title
            out.append(f"    <category term={quoteattr(theme_id)} label={quoteattr(label)}/>")
        out += [f'    <summary type="text">{escape(b.summary)}</summary>', "  </entry>"]
    out.append("</feed>")
    return "\n".join(out) + "\n"
