"""The theme's navigation, rendered once for all the pages it does not list.

mkdocs-material renders the whole navigation (the sidebar and the tabs) into every page,
which is a good part of the time spent on each page. A page the navigation does not list
is filed under a listed one (`nav.file_unlisted`): its navigation depends only on where
each link points from that page and on which items are its ancestors, except for the
page's own entry, with its table of contents, in the section it is filed under. Thousands
of briefings and later listing pages share a handful of such navigations; each is
rendered once, with a slot where each page's own entry is rendered in. On a site of several
languages each language has its navigation (see mkdocs/langnav.py), and its own memo.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from mkdocs.structure.nav import Link, Section
from mkdocs.utils import normalize_url

if TYPE_CHECKING:
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page


def _targets(items: Iterable[Any]) -> list[str]:
    urls: list[str] = []
    for item in items:
        if isinstance(item, Section):
            urls += _targets(item.children)
        elif isinstance(item, Link) or getattr(item, "url", None) is not None:
            urls.append(item.url)
    return urls


_SLOT = re.compile(r"<!--trilat-here (\S+) (\d+)-->")


@dataclass(frozen=True)
class Here:
    """Where, in the navigation, a page it does not list has its own entry rendered."""

    path: str
    level: int


class NavMemo:
    """Called from the theme partials as `trilat_memo(name, page, nav)` around their markup.

    The markup is a call block taking one argument: None for the whole navigation, or a
    `Here` for the entry of the page alone, which `slot(path, level)` marks the place of.
    One instance per build: a new navigation, or new templates, start afresh.
    """

    def __init__(
        self,
        asset_urls: Iterable[str] = (),
        *,
        memoize: bool = True,
        language_of: Callable[[Page], str] = lambda page: "",
    ) -> None:
        # Per navigation (one per language): the navigation, kept so that its id stays its
        # own, the pages it lists, and where its links point.
        self._navs: dict[int, tuple[Navigation, set[int], list[str]]] = {}
        self._assets = list(asset_urls)
        self._html: dict[tuple[str, int, str, tuple[int, ...], tuple[str, ...]], str] = {}
        # Off only to check that the memo changes nothing (tests/test_build.py).
        self._memoize = memoize
        # The theme words its navigation in the page's language (see partials/language.html).
        self._language_of = language_of

    @staticmethod
    def slot(path: str, level: int) -> Markup:
        """The place of the current page's own entry, filled in for each page."""
        return Markup(f"<!--trilat-here {path} {level}-->")

    def __call__(
        self, name: str, page: Page | None, nav: Navigation | None, caller: Callable[[Here | None], str]
    ) -> str:
        if page is None or nav is None:
            return caller(None)
        known = self._navs.get(id(nav))
        if known is None or known[0] is not nav:
            # The home link and the logo are in the markup too; the homepage is among the pages.
            known = self._navs[id(nav)] = (nav, {id(p) for p in nav.pages}, _targets(nav.items) + self._assets + [""])
        _, listed, targets = known
        if id(page) in listed:
            return caller(None)
        if not self._memoize:
            return self._fill(caller(None), caller)
        ancestors = tuple(id(item) for item in page.ancestors)
        key = (
            name,
            id(nav),
            self._language_of(page),
            ancestors,
            tuple(normalize_url(url, page) for url in targets),
        )
        html = self._html.get(key)
        if html is None:
            html = self._html[key] = caller(None)
        return self._fill(html, caller)

    @staticmethod
    def _fill(html: str, caller: Callable[[Here | None], str]) -> str:
        if "<!--trilat-here " not in html:
            return html
        return _SLOT.sub(lambda m: str(caller(Here(m.group(1), int(m.group(2))))), html)
