"""Atom 1.0 feeds: absolute URLs, stable entry ids, deterministic output."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from xml.sax import saxutils

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
_EPOCH = dt.date(2000, 1, 1)


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom_feed(
    *,
    title: str,
    feed_url: str,
    page_url: str,
    author: str,
    entries: Sequence[Briefing],
    url_of: Callable[[Briefing], str],
    updated_of: Callable[[Briefing], dt.date],
    settings: SiteSettings,
) -> str:
    updated = max((updated_of(b) for b in entries), default=_EPOCH)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <id>{escape(feed_url)}</id>",
        f"  <title>{escape(title)}</title>",
        f"  <updated>{_stamp(updated)}</updated>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(feed_url)}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(page_url)}/>',
        f"  <author><name>{escape(author)}</name></author>",
    ]
    for b in entries:
        url = url_of(b)
        out += [
            "  <entry>",
            f"    <id>{escape(url)}</id>",
            f'    <title type="text">{escape(b.title)}</title>',
            f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
            f"    <published>{_stamp(b.date)}</published>",
            f"    <updated>{_stamp(updated_of(b))}</updated>",
        ]
        out += [f"    <author><name>{escape(a.name)}</name></author>" for a in b.authors]
        for theme_id in b.themes:
            label = settings.theme(theme_id).title
            out.append(f"    <category term={quoteattr(theme_id)} label={quoteattr(label)}/>")
        out += [f'    <summary type="text">{escape(b.summary)}</summary>', "  </entry>"]
    out.append("</feed>")
    return "\n".join(out) + "\n"
