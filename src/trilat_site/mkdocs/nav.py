"""The site's navigation in MkDocs' terms: generated pages in the plan's order, grouped as the kinds say."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mkdocs.structure.nav import Section

from ..site.pages import PageSpec

if TYPE_CHECKING:
    from mkdocs.structure.nav import Navigation


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
