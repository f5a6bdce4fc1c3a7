"""Rendering without MkDocs, and the cache that spares `mkdocs serve` re-rendering unchanged pages."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from conftest import record as make
from trilat_site.core.index import build_index
from trilat_site.core.model import Briefing, Source
from trilat_site.core.settings import SiteSettings
from trilat_site.site.pages import PageKind, site_pages
from trilat_site.site.render import RenderCache, Renderer, make_environment
from trilat_site.site.urls import SiteAddress

ADDRESS = SiteAddress("Site", "https://example.org/", True)


def render_all(
    briefings: list[Briefing], cache: RenderCache | None, body: str = "<p>body</p>"
) -> dict[str, str]:
    index = build_index(briefings, SiteSettings())
    renderer = Renderer(make_environment(), index, ADDRESS, None, cache)
    return {spec.path: renderer.render(spec, body) + renderer.head(spec) for spec in site_pages(index)}


def test_cached_pages_equal_fresh_ones_and_follow_changes() -> None:
    briefings = [make("a", 0), make("b", 1, tags=("x",))]
    cache = RenderCache()
    first = render_all(briefings, cache)
    assert first == render_all(briefings, None)
    assert render_all(briefings, cache) == first

    renamed = [dataclasses.replace(briefings[0], title="A, revised"), briefings[1]]
    again = render_all(renamed, cache)
    assert again == render_all(renamed, None)
    assert "A, revised" in again["briefings/a"] and "A, revised" in again["briefings/b"], "related links too"


def test_cache_drops_pages_no_longer_built() -> None:
    cache = RenderCache()
    render_all([make("a", 0), make("b", 1)], cache)
    render_all([make("a", 0)], cache)
    render_all([make("a", 0)], cache)
    assert not any("briefings/b" in str(key) for key in cache.entries)


def test_cache_follows_the_converted_body_and_keeps_only_its_digest() -> None:
    briefings = [make("a", 0)]
    cache = RenderCache()
    render_all(briefings, cache, "<p>first wording</p>")
    edited = render_all(briefings, cache, "<p>second wording</p>")
    assert "second wording" in edited["briefings/a"] and "first wording" not in edited["briefings/a"]
    assert not any("wording" in str(key) for key in cache.entries), "bodies are not kept in the keys"


def test_parts_are_kept_until_their_page_is_rendered_again_and_follow_their_records() -> None:
    # Under `mkdocs serve --dirty` there is no page cache, only the parts templates keep.
    one, other = Source("One report", "Ministry"), Source("Other report", "Institute")
    briefings = [make("a", 0, sources=(one,)), make("b", 1, sources=(one, other)), make("c", 2, sources=(other,))]
    parts = RenderCache()
    made: list[object] = []
    keep = parts.part

    def counted(page: object, key: object, make: object) -> object:
        return keep(page, key, lambda: made.append(key) or make())  # type: ignore[operator]

    parts.part = counted  # type: ignore[method-assign]

    def sources_page(bs: list[Briefing], cache: RenderCache | None, rendered: bool = True) -> str:
        index = build_index(bs, SiteSettings())
        renderer = Renderer(make_environment(), index, ADDRESS, None, None, parts=cache)
        spec = next(s for s in site_pages(index) if s.kind is PageKind.SOURCES)
        return renderer.render(spec) if rendered else ""

    first = sources_page(briefings, parts)
    assert first == sources_page(briefings, None) and len(made) == 2
    sources_page(briefings, parts, rendered=False)  # a rebuild that does not write the page
    made.clear()
    assert sources_page(briefings, parts) == first and made == [], "kept though the last rebuild did not render it"

    renamed = [briefings[0], dataclasses.replace(briefings[1], title="B, revised"), briefings[2]]
    made.clear()
    again = sources_page(renamed, parts)
    assert again == sources_page(renamed, None) and "B, revised" in again
    assert len(made) == 2, "both sources list b"
    fewer = [briefings[0], briefings[2]]
    made.clear()
    assert sources_page(fewer, parts) == sources_page(fewer, None) and len(made) == 2
    sources_page(fewer, parts, rendered=False)  # the next rebuild begins
    kept = [str(part) for page in parts.parts.values() for part in page.values()]
    assert kept and not any("B, revised" in part for part in kept), "only what the page's last rendering used is kept"


def test_the_registry_entries_a_page_looked_up_are_noted_with_it_and_with_each_part_it_keeps(tmp_path: Path) -> None:
    # Under `mkdocs serve --dirty` a changed person rewrites the pages that looked them up.
    from trilat_site.core.index import registry_lookups
    from trilat_site.core.model import Author, Organization, Person, Registry

    registry = Registry(
        people=(Person("ann", "Ann", organization="nbr"), Person("bob", "Bob"), Person("cy", "Cy")),
        organizations=(Organization("nbr", "NBR"),),
    )
    briefings = [make("a", 0, people=("cy",), authors=(Author(person="ann"),)), make("b", 1)]
    index = build_index(briefings, SiteSettings(), registry)
    # A site's own sources page keeps a part whose macro names a person the records do not.
    (tmp_path / "sources.html").write_text(
        '{% macro who() %}{{ person_of("bob").name }}{% endmacro %}<p>{{ fragment("who", who) }}</p>', "utf-8"
    )
    parts = RenderCache()

    def looked_up(path: str) -> set[object]:
        renderer = Renderer(make_environment([tmp_path]), index, ADDRESS, None, None, parts=parts)
        spec = next(s for s in site_pages(index) if s.path == path)
        with registry_lookups() as seen:
            assert "Bob" in renderer.render(spec) or path != "sources"
            renderer.head(spec)
        return seen

    # The byline (its author and her organisation) and the people it is indexed under.
    assert looked_up("briefings/a") == {("person", "ann"), ("organization", "nbr"), ("person", "cy")}
    assert looked_up("briefings/b") == set()
    assert looked_up("sources") == {("person", "bob")}
    made = parts.part
    parts.part = lambda page, key, make: made(page, key, lambda: pytest.fail("the part is kept"))  # type: ignore[method-assign]
    assert looked_up("sources") == {("person", "bob")}, "a kept part brings what its rendering looked up"


def test_a_registry_change_drops_only_the_kept_parts_that_looked_up_a_changed_entry(tmp_path: Path) -> None:
    from trilat_site.core.model import Person, Registry

    (tmp_path / "sources.html").write_text(
        '{% macro who(id) %}{{ person_of(id).name }}{% endmacro %}{% macro plain() %}Sources{% endmacro %}'
        '<p>{{ fragment("who", who, "bob") }} {{ fragment("plain", plain) }}</p>',
        "utf-8",
    )
    parts = RenderCache()
    made: list[object] = []
    keep = parts.part
    parts.part = lambda page, key, make: keep(page, key, lambda: made.append(key) or make())  # type: ignore[method-assign]

    def sources(*people: Person) -> str:
        index = build_index([make("a", 0)], SiteSettings(), Registry(people=people))
        renderer = Renderer(make_environment([tmp_path]), index, ADDRESS, None, None, parts=parts)
        made.clear()
        return renderer.render(next(s for s in site_pages(index) if s.kind is PageKind.SOURCES))

    assert sources(Person("bob", "Bob"), Person("cy", "Cy")) == "<p>Bob Sources</p>" and made == ["who", "plain"]
    assert sources(Person("bob", "Bob"), Person("cy", "Cy Renamed")) == "<p>Bob Sources</p>" and made == []
    assert sources(Person("bob", "Bob Renamed"), Person("cy", "Cy Renamed")) == "<p>Bob Renamed Sources</p>"
    assert made == ["who"], "only the part that looked bob up is made again"


@pytest.mark.parametrize("language", ["en", "ko", "ja"])
def test_the_templates_words_are_what_jinjas_own_gettext_gives(language: str) -> None:
    """Words kept once looked up (i18n.install_words) read as the i18n extension's own would:
    translated, formatted with their variables, which are escaped where the template
    autoescapes, with `%%` a percent sign either way."""
    from jinja2 import DictLoader, Environment

    from trilat_site.site.i18n import install_words, translations

    sources = {
        "page.html": "{{ _('Sources') }}|{{ _('Sources') }}|{{ gettext('100%% <b>') }}|"
        "{% trans count=2 %}{{ count }} briefing{% pluralize %}{{ count }} briefings{% endtrans %}|"
        "{% trans date='<1 May>' %}updated {{ date }}{% endtrans %}",
    }
    sources["page.txt"] = sources["page.html"]
    ours, theirs = (
        Environment(loader=DictLoader(sources), autoescape=lambda name: name.endswith(".html"), extensions=["jinja2.ext.i18n"])
        for _ in range(2)
    )
    install_words(ours, translations(language))
    theirs.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    for name in ("page.html", "page.txt", "page.html"):
        mine = ours.get_template(name).render()
        assert mine == theirs.get_template(name).render()
        assert mine.count("|") == 4 and "100%" in mine
    # A message is the template's own text; what fills it is escaped where the template autoescapes.
    assert "&lt;1 May&gt;" in ours.get_template("page.html").render()
    assert "<1 May>" in ours.get_template("page.txt").render()
