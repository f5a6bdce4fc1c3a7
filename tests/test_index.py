"""The cross-link index without MkDocs: ordering, ranking, neighbours, pagination."""

from __future__ import annotations

import gc
import re
from pathlib import Path

import pytest

from conftest import record as make
from trilat_site.core.gcpause import collector_paused
from trilat_site.core.index import CANDIDATES_PER_FEATURE, build_index, paginate
from trilat_site.core.model import Event, PartialDate
from trilat_site.core.settings import SiteSettings
from trilat_site.core.slugs import tag_slug
from trilat_site.site.pages import PageKind, related_reason, site_pages
from trilat_site.site.urls import relative_url

SETTINGS = SiteSettings()


def test_newest_first_with_stable_ties() -> None:
    index = build_index([make("b", 1), make("a", 1), make("c", 5)], SETTINGS)
    assert [b.slug for b in index.briefings] == ["c", "a", "b"]
    assert [y for y, _ in index.by_year] == [2017]


def test_authorship_is_kept_apart_from_mentions_and_counted_once() -> None:
    from trilat_site.core.model import Author

    twice = (Author(person="ann"), Author(person="ann"), Author(organization="nbr"))
    index = build_index([make("a", 1, authors=twice), make("b", 2, people=("ann",))], SETTINGS)
    assert [b.slug for b in index.by_author["ann"]] == ["a"]
    assert [b.slug for b in index.by_person["ann"]] == ["b"]
    assert [b.slug for b in index.by_author_organization["nbr"]] == ["a"]


def test_drafts_are_left_out_of_every_structure() -> None:
    index = build_index([make("a", 1), make("d", 2, draft=True)], SETTINGS)
    assert "d" not in index.by_slug
    assert [b.slug for b in index.by_theme["security"]] == ["a"]


def test_related_explicit_first_then_by_score() -> None:
    a = make("a", 0, related=("z",), tags=("THAAD",), countries=("rok",))
    b = make("b", 1, tags=("thaad",))  # tags match whatever their case
    c = make("c", 2, countries=("rok",))
    z = make("z", 3, themes=("energy",))
    index = build_index([a, b, c, z], SETTINGS)
    links = index.related["a"]
    assert [(link.briefing.slug, link.explicit) for link in links] == [
        ("z", True),
        ("b", False),
        ("c", False),
    ]
    assert related_reason(links[1], index) == "Shares tag: thaad; theme: Security"
    assert (
        related_reason(links[2], index) == "Shares theme: Security; country: Republic of Korea (South Korea)"
    )


def test_reasons_kept_from_another_plan_are_worded_as_this_one_words_them() -> None:
    import dataclasses

    from trilat_site.core.settings import DEFAULT_THEMES

    items = [make("a", 0, tags=("THAAD",), countries=("rok",)), make("b", 1, tags=("thaad",)), make("c", 2)]
    renamed = dataclasses.replace(
        SETTINGS, themes=tuple(dataclasses.replace(t, title=f"{t.title} matters") for t in DEFAULT_THEMES)
    )

    def reasons(specs: list) -> dict:
        return {s.path: [r for _link, r in s.context["related"]] for s in specs if s.kind is PageKind.BRIEFING}

    kept: dict = {}
    first = reasons(site_pages(build_index(items, SETTINGS), kept))
    assert first["briefings/a"] == ["Shares tag: thaad; theme: Security", "Shares theme: Security"]
    # The same briefings under other settings: nothing worded for the first plan is taken.
    again = reasons(site_pages(build_index(items, renamed), kept))
    assert again == reasons(site_pages(build_index(items, renamed)))
    assert again["briefings/a"][0] == "Shares tag: thaad; theme: Security matters"
    assert reasons(site_pages(build_index(items, SETTINGS), kept)) == first


def test_related_respects_the_limit_and_never_links_to_itself() -> None:
    items = [make(f"b{i}", i) for i in range(20)]
    index = build_index(items, SiteSettings(related_limit=3))
    for b in items:
        slugs = [link.briefing.slug for link in index.related[b.slug]]
        assert len(slugs) == 3 and b.slug not in slugs and len(set(slugs)) == 3


def test_related_candidates_are_bounded_for_huge_themes() -> None:
    # Only the nearest neighbours in time are looked at, so ranking stays linear.
    items = [make(f"b{i:04d}", i) for i in range(2000)]
    index = build_index(items, SETTINGS)
    middle = index.related["b1000"]
    assert all(abs(int(link.briefing.slug[1:]) - 1000) <= CANDIDATES_PER_FEATURE for link in middle)
    assert [link.briefing.slug for link in middle] == ["b0999", "b1001", "b0998", "b1002", "b0997"]


def test_neighbours_within_the_first_theme() -> None:
    items = [
        make("a", 0),
        make("x", 1, themes=("energy",)),
        make("b", 2, themes=("security", "energy")),
        make("c", 3),
    ]
    index = build_index(items, SETTINGS)
    older, newer = index.neighbours["b"]
    assert (older.slug, newer.slug) == ("a", "c")
    assert index.neighbours["a"][0] is None
    assert index.neighbours["c"][1] is None
    assert index.neighbours["x"] == (None, index.by_slug["b"])


def test_pagination() -> None:
    items = [make(f"b{i}", i) for i in range(7)]
    assert [len(p) for p in paginate(items, 3)] == [3, 3, 1]
    assert paginate([], 3) == [[]]


def test_page_specs_cover_every_url() -> None:
    items = [make(f"b{i}", i) for i in range(5)]
    specs = site_pages(build_index(items, SiteSettings(per_page=2)))
    paths = {s.path for s in specs}
    assert {"", "briefings", "briefings/page/2", "briefings/page/3", "themes", "themes/security"} <= paths
    assert {f"briefings/b{i}" for i in range(5)} <= paths
    assert "themes/energy" in paths, "a theme with no briefing still has its page"


def test_relative_urls() -> None:
    assert relative_url("briefings/a/", "themes/security/") == "../../themes/security/"
    assert relative_url("", "briefings/") == "briefings/"
    assert relative_url("briefings/", "") == "../"
    assert relative_url("briefings/a.html", "themes/x.html") == "../themes/x.html"
    assert relative_url("index.html", "briefings/a.html") == "briefings/a.html"
    assert relative_url("briefings/a/", "briefings/a/") == "./"
    assert relative_url("briefings/a/", "briefings.csl.json") == "../../briefings.csl.json"
    assert relative_url("themes/security/countries/rok/", "coverage/") == "../../../../coverage/"
    assert relative_url("themes/x/", "themes/x/feed.xml") == "feed.xml"
    assert relative_url("briefings/a.html", "index.html") == "../index.html"


def test_the_collector_pause_is_undone_even_on_error() -> None:
    seen: list[bool] = []

    def work() -> None:
        with collector_paused():
            seen.append(gc.isenabled())
            raise ValueError("bad input")

    assert gc.isenabled()
    with pytest.raises(ValueError):
        work()
    assert gc.isenabled() and seen == [False]
    gc.disable()
    try:
        with pytest.raises(ValueError):
            work()
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize(
    ("tag", "slug"),
    [
        ("THAAD", "thaad"),
        ("North Korea", "north-korea"),
        ("north-korea", "north-korea"),
        ("  North   KOREA ", "north-korea"),
        ("Énergie", "energie"),
        ("LNG and oil markets", "lng-and-oil-markets"),
    ],
)
def test_tags_that_differ_only_in_case_accents_or_spacing_share_a_slug(tag: str, slug: str) -> None:
    assert tag_slug(tag) == slug


def test_tags_slugify_cannot_write_get_a_stable_digest() -> None:
    korean, japanese = tag_slug("북한"), tag_slug("北朝鮮")
    assert korean.startswith("tag-") and japanese.startswith("tag-") and korean != japanese
    assert tag_slug("北朝鮮") == japanese, "the same words always give the same page"
    mixed = tag_slug("北朝鮮 policy")
    assert mixed.startswith("policy-") and mixed != tag_slug("policy"), "no merging with the English tag"
    assert tag_slug("!!!").startswith("tag-")
    assert tag_slug("index") != "index" and tag_slug("page") != "page", "the reserved names stay free"
    for slug in (korean, japanese, mixed, tag_slug("!!!"), tag_slug("index")):
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug


def test_tags_are_grouped_by_slug_and_named_as_most_briefings_spell_them() -> None:
    index = build_index(
        [
            make("a", 1, tags=("North Korea", "north korea")),
            make("b", 2, tags=("North Korea",)),
            make("c", 3, tags=("north-korea", "北朝鮮")),
            make("d", 4, tags=("THAAD",)),
        ],
        SETTINGS,
    )
    assert [(t.slug, t.name) for t in index.tags] == [
        ("north-korea", "North Korea"),
        ("thaad", "THAAD"),
        (tag_slug("北朝鮮"), "北朝鮮"),
    ]
    assert [b.slug for b in index.by_tag["north-korea"]] == ["c", "b", "a"], (
        "each briefing once, newest first"
    )
    assert index.tag("north korea").name == "North Korea"
    specs = {s.path: s for s in site_pages(index)}
    assert specs["tags"].kind is PageKind.TAGS
    assert specs["tags/north-korea"].title == "North Korea"
    assert specs["tags/north-korea"].filed_under == "tags"


def test_timeline_puts_events_known_only_by_year_after_the_years_dated_ones() -> None:
    events = (
        Event(PartialDate(2017), "Sometime in 2017"),
        Event(PartialDate(2017, 2), "February"),
        Event(PartialDate(2017, 3, 9), "Ninth of March"),
        Event(PartialDate(2017, 3), "March"),
        Event(PartialDate(2016), "The year before"),
    )
    index = build_index([make("a", 1, events=events)], SETTINGS)
    assert [t.event.title for t in index.events] == [
        "The year before",
        "February",
        "March",
        "Ninth of March",
        "Sometime in 2017",
    ]


def test_unlisted_pages_are_filed_under_a_listed_one() -> None:
    items = [make(f"b{i}", i) for i in range(3)]
    specs = site_pages(build_index(items, SiteSettings(per_page=2)))
    listed = {s.path for s in specs if s.in_nav}
    for spec in specs:
        if not spec.in_nav and spec.kind is not PageKind.HOME:
            target = spec.filed_under
            while target is not None and target not in listed:
                target = next(s.filed_under for s in specs if s.path == target)
            assert target in listed, spec.path


def test_a_servers_full_collections_wait_until_it_is_idle() -> None:
    """Restored as a rebuild ends, the collector's count would start a full collection (a
    second at 5,000 briefings) while the server answers the browser: it waits for the timer."""
    import gc
    import time

    from trilat_site.core.gcpause import IdleCollections

    before = gc.get_threshold()
    collections = IdleCollections(delay=0.2)
    try:
        collections.hold()
        held = gc.get_threshold()
        assert held[2] > before[2]
        collections.release()
        assert gc.get_threshold() == held, "still held as the rebuild ends"
        waited = time.monotonic()
        while gc.get_threshold() != before and time.monotonic() - waited < 10:
            time.sleep(0.05)
        assert gc.get_threshold() == before, "restored once idle"
        # A rebuild that starts before the timer keeps them held.
        collections.hold()
        collections.release()
        collections.hold()
        time.sleep(0.6)
        assert gc.get_threshold() == held
    finally:
        collections.close()
    assert gc.get_threshold() == before


def test_a_served_rebuild_reads_again_only_the_briefings_whose_files_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file whose status (size, times, inode) is the one it was read with is not read again;
    any write changes its change time, so an edit that keeps its size and modification time
    is still seen; a file written in the last seconds is read every time (see `unchanged`)."""
    import os

    from conftest import briefing
    from trilat_site.core import loader

    (tmp_path / "briefings").mkdir()
    path = tmp_path / "briefings" / "a.md"
    path.write_text(briefing("Alpha"), encoding="utf-8")
    read: list[Path] = []
    real = loader._read_limited
    monkeypatch.setattr(loader, "_read_limited", lambda p: read.append(p) or real(p))
    cache = loader.BriefingCache()
    settings = SiteSettings()

    def titles() -> list[str]:
        corpus = loader.load_briefings(tmp_path, settings, cache)
        assert not corpus.errors, corpus.errors
        return [b.title for b in corpus.briefings]

    # "Just written", however slow the machine: any change in the last 1,000 seconds.
    monkeypatch.setattr(loader, "_RACY_NS", 10**12)
    assert titles() == ["Alpha"] and len(read) == 1
    assert titles() == ["Alpha"] and len(read) == 2, "just written: read again"
    monkeypatch.setattr(loader, "_RACY_NS", 0)
    assert titles() == ["Alpha"] and len(read) == 3
    assert titles() == ["Alpha"] and len(read) == 3, "unchanged: not read again"
    before = os.stat(path)
    path.write_text(briefing("Omega"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size and os.stat(path).st_mtime_ns == before.st_mtime_ns
    assert titles() == ["Omega"] and len(read) == 4
