"""The theme's navigation, rendered once for all the pages it does not list.

mkdocs-material renders the whole navigation (the sidebar and the tabs) into every page,
which is a good part of the time spent on each page. On a page the navigation does not
list, nothing in it is marked active and it shows no table of contents, so the HTML
depends only on where each of its links points from that page. Thousands of briefings
and later listing pages share a handful of such link sets; each is rendered once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

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


class NavMemo:
    """Called from the theme partials as `trilat_memo(name, page, nav)` around their markup.

    One instance per build: a new navigation, or new templates, start afresh.
    """

    def __init__(self, asset_urls: Iterable[str] = ()) -> None:
        self._nav: Navigation | None = None
        self._listed: set[int] = set()
        self._targets: list[str] = []
        self._assets = list(asset_urls)
        self._html: dict[tuple[str, tuple[str, ...]], str] = {}

    def __call__(
        self, name: str, page: Page | None, nav: Navigation | None, caller: Callable[[], str]
    ) -> str:
        if page is None or nav is None:
            return caller()
        if nav is not self._nav:
            self._nav = nav
            self._listed = {id(p) for p in nav.pages}
            # The home link and the logo are in the markup too; the homepage is among the pages.
            self._targets = _targets(nav.items) + self._assets + [""]
            self._html.clear()
        if id(page) in self._listed:
            return caller()
        key = (name, tuple(normalize_url(url, page) for url in self._targets))
        html = self._html.get(key)
        if html is None:
            html = self._html[key] = caller()
        return html
