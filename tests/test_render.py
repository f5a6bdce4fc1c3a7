"""Rendering without MkDocs, and the cache that spares `mkdocs serve` re-rendering unchanged pages."""

from __future__ import annotations

import dataclasses

from conftest import record as make
from trilat_site.core.index import build_index
from trilat_site.core.model import Briefing
from trilat_site.core.settings import SiteSettings
from trilat_site.site.pages import site_pages
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
