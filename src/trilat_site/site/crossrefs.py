"""Where the links of a briefing's body lead, said in words for readers on paper.

MkDocs turns a link between briefing files into a relative URL ("../other/"), which means
nothing once printed. Each link of a converted body is resolved against the page it sits on
and gets a `data-trilat-target` attribute with what a printout should show after it: the
title and address of the briefing it names, or the address of any other page or document.
The print stylesheet (`trilat.css`) and the PDF edition (`pdf.css`) print that attribute.
The PDF, a file read away from the site, also gets absolute addresses for its links.

The body is HTML that Python-Markdown wrote, so a tag-level pass is enough: an `<a>` whose
attributes this pass cannot read is left as it is, and only ever gains an attribute.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

from markupsafe import escape

from ..core.index import SiteIndex
from ..core.model import Briefing
from . import urls
from .urls import SiteAddress

_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_HREF = re.compile(r"""\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
# Relative links are resolved against a stand-in host, so that a path climbing above the
# site's root stays at the root, as a browser would keep it.
_BASE = "https://site.invalid/"

ATTRIBUTE = "data-trilat-target"


def slugs_named(body: str) -> set[str]:
    """Every path segment of the body's links, read as `annotate` reads them: a link to a briefing
    names its slug in one (or is the page's own), so the briefings whose titles the annotated
    body prints are among these."""
    found = set()
    for match in _LINK.finditer(body):
        href_match = _HREF.search(match.group(1))
        if href_match is None:
            continue
        href = html.unescape(next(g for g in href_match.groups() if g is not None))
        for segment in urlsplit(href.strip()).path.split("/"):
            found.add(segment.removesuffix(".html"))
    return found


def edition_titles(index: SiteIndex, slug: str) -> tuple[tuple[str, str], ...]:
    """The titles a link to a briefing may print: each of its editions' (a body links to the
    original's page or to a translation's), by language, for keys of what a body prints."""
    return tuple(sorted((language, b.title) for language, b in index.editions(slug).items()))


class CrossReferences:
    """Resolves the links of briefing bodies against the site's pages."""

    def __init__(self, briefings: Iterable[Briefing], address: SiteAddress) -> None:
        self.address = address
        self._briefings = {urls.url_for(urls.edition(b), address.directory_urls): b for b in briefings}

    def _absolute(self, site_url: str) -> str:
        return self.address.site_url.rstrip("/") + "/" + site_url if self.address.site_url else ""

    def annotate(self, body: str, page_path: str, *, from_file: str | None = None) -> str:
        """`body` with the printed target of each link; `page_path` is the page it belongs to.

        With `from_file` (an output file name such as the PDF's), links are rewritten for a
        document read away from the page: absolute where the site has an address, else
        relative to that file.
        """
        here = urls.url_for(page_path, self.address.directory_urls)

        def one(match: re.Match[str]) -> str:
            attrs, text = match.group(1), match.group(2)
            if ATTRIBUTE in attrs:
                return match.group(0)
            href_match = _HREF.search(attrs)
            if href_match is None:
                return match.group(0)
            raw = next(g for g in href_match.groups() if g is not None)
            href = html.unescape(raw).strip()
            shown = " ".join(html.unescape(_TAGS.sub("", text)).split())
            target, new_href = self._target(href, here, from_file, shown)
            if new_href is not None:
                attrs = (
                    attrs[: href_match.start()] + f' href="{escape(new_href)}"' + attrs[href_match.end() :]
                )
            if target and target != shown:
                attrs = f' {ATTRIBUTE}="{escape(target)}"' + attrs
            return f"<a{attrs}>{text}</a>"

        return _LINK.sub(one, body)

    def _target(self, href: str, here: str, from_file: str | None, shown: str) -> tuple[str, str | None]:
        """What to print for a link, and its new href for a detached document (None: keep it)."""
        parts = urlsplit(href)
        if parts.scheme in ("http", "https"):
            return href, None
        if parts.scheme or parts.netloc or not href or href.startswith("#"):
            # mailto:, in-page anchors (footnotes) and the like say what they are already.
            return "", None
        joined = urljoin(_BASE + here, href)
        if not joined.startswith(_BASE):
            return "", None
        site_url = joined[len(_BASE) :]
        target = urlsplit(site_url)
        absolute = self._absolute(site_url)
        new_href = None
        if from_file is not None:
            new_href = absolute or urls.relative_url(from_file, site_url)
        briefing = self._briefings.get(target.path)
        if briefing is not None and briefing.title.casefold() != shown.casefold():
            title = f"“{briefing.title}”"
            return (f"{title}, {absolute}" if absolute else title), new_href
        return absolute, new_href
