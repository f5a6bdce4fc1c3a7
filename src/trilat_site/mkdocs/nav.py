"""The site's navigation in MkDocs' terms: generated pages in the plan's order, grouped as the kinds say."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mkdocs.structure.nav import Section

from ..site.pages import PageSpec

if TYPE_CHECKING:
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page


def _src(item: object) -> str | None:
    file = getattr(item, "file", None)
    return file.src_uri if file is not None else None


def arrange(nav: Navigation, specs: Mapping[str, PageSpec]) -> None:
    """Automatic navigation sorts files by name: list generated pages in the plan's order instead,
    and gather each kind's `nav_group` (the ways into the briefings: countries, people…) in one section.
    """
    order = {src: i for i, src in enumerate(specs)}

    def reorder(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, Section):
                reorder(item.children)
        positions = [i for i, item in enumerate(items) if _src(item) in order]
        ranked = sorted((items[i] for i in positions), key=lambda item: order[_src(item) or ""])
        for i, item in zip(positions, ranked, strict=True):
            items[i] = item

    reorder(nav.items)

    def grouped(item: object) -> tuple[str, int] | None:
        """A page's group and place in the plan, or those of a section's index page."""
        children = item.children if isinstance(item, Section) else [item]
        for child in children:
            src = _src(child) or ""
            spec = specs.get(src)
            if spec is not None and spec.kind.nav_group:
                return spec.kind.nav_group, order[src]
        return None

    groups: dict[str, list[tuple[int, Any]]] = {}
    for item in nav.items:
        found = grouped(item)
        if found is not None:
            groups.setdefault(found[0], []).append((found[1], item))
    for name, ranked in groups.items():
        members = [item for _, item in sorted(ranked, key=lambda pair: pair[0])]
        at = nav.items.index(members[0])
        section = Section(name, members)
        for item in members:
            item.parent = section
            nav.items.remove(item)
        nav.items.insert(at, section)
    last = [
        item for item in nav.items if (spec := specs.get(_src(item) or "")) is not None and spec.kind.nav_last
    ]
    for item in last:
        nav.items.remove(item)
        nav.items.append(item)


def file_unlisted(nav: Navigation, specs: Mapping[str, PageSpec], files: Files) -> None:
    """Give each page the navigation does not list the item it is filed under as its parent.

    MkDocs marks a page's ancestors active while the page is built, so the theme then shows
    a briefing's tab as the current one, opens its section in the sidebar and the phone's
    drawer, and puts it in the breadcrumbs, as for any listed page. A page filed under a
    section's index page (briefings/index.md) goes under the section itself, so that the
    section is not named twice in the breadcrumbs.
    """
    listed = {id(p) for p in nav.pages}
    src_of = {spec.location: src for src, spec in specs.items()}

    by_src = files.src_uris  # the plan's names are source URIs already: no path to normalise

    def page_of(src: str | None) -> Page | None:
        file = by_src.get(src) if src is not None else None
        return file.page if file is not None else None

    for src, spec in specs.items():
        page = page_of(src)
        if page is None or id(page) in listed or page.parent is not None:
            continue
        # A listing's later pages are filed under its first, which may itself be filed away.
        target, seen, home = spec.filed_under_location, set(), None
        while target is not None and target not in seen and target in src_of:
            seen.add(target)
            candidate = page_of(src_of[target])
            if candidate is not None and id(candidate) in listed:
                home = candidate
                break
            target = specs[src_of[target]].filed_under_location
        if home is not None:
            page.parent = home.parent if home.is_index and home.parent is not None else home
