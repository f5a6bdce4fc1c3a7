"""The shipped briefings: valid, covering the themes, cited, and in their own words."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from trilat_site.core.loader import load_briefings, read_body
from trilat_site.core.settings import SiteSettings

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT.parent / "shared" / "sources"
RUN = 10  # consecutive shared words that count as copying
QUOTE_MAX_WORDS = 8

_QUOTED = re.compile(r"[\"“][^\"”\n]{0,200}[\"”]")


def words(text: str) -> list[str]:
    text = text.replace("’", "'").replace("‘", "'")
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower())


def unquoted(text: str) -> tuple[str, list[str]]:
    """The text with short quotations removed, and the quotations that are too long."""
    too_long = [q for q in _QUOTED.findall(text) if len(words(q)) > QUOTE_MAX_WORDS]
    return _QUOTED.sub(" ", text), too_long


def shared_runs(text: str, source_words: list[str], n: int = RUN) -> list[str]:
    grams = {tuple(source_words[i : i + n]) for i in range(len(source_words) - n + 1)}
    mine = words(text)
    return [" ".join(mine[i : i + n]) for i in range(len(mine) - n + 1) if tuple(mine[i : i + n]) in grams]


@pytest.fixture(scope="module")
def corpus():
    # The site's languages, as mkdocs.yml declares them.
    return load_briefings(ROOT, SiteSettings(languages=("en", "ko", "ja")))


def test_shipped_briefings_are_valid(corpus) -> None:
    assert [str(p) for p in corpus.problems] == []
    assert len(corpus.published) >= 10


def test_the_overview_and_a_briefing_of_each_theme_are_in_korean_and_japanese(corpus) -> None:
    editions = {(b.slug, b.language) for b in corpus.published if b.is_translation}
    for slug in (
        "trilateral-agenda-2017-overview",
        "north-korea-missile-ranges-and-decoupling",
        "energy-security-buyers-market-and-energy-alliance",
        "cyber-information-sharing",
    ):
        assert {(slug, "ko"), (slug, "ja")} <= editions, slug


def test_every_core_theme_has_three_briefings(corpus) -> None:
    for theme in ("security", "energy", "cyber"):
        assert sum(theme in b.themes for b in corpus.published) >= 3, theme


def test_every_briefing_cites_sources(corpus) -> None:
    for b in corpus.published:
        assert b.sources, b.path


def test_every_briefing_says_what_period_it_analyses_and_who_wrote_it(corpus) -> None:
    for b in corpus.published:
        assert b.period is not None, b.path
        assert b.period.end.last_day() < b.date, f"{b.path}: analyses a time after its publication"
        # A person in a byline is a person of the registry; the editors are a collective author.
        assert all(a.person or a.collective or a.organization for a in b.authors), b.path


def test_every_source_can_be_checked(corpus) -> None:
    for b in corpus.published:
        for s in b.sources:
            assert s.url and s.url.startswith("https://"), f"{b.path}: {s.title}"
            if s.publisher == "The Diplomat":
                # Read at the Stimson Center, which republished it; dated as its note says.
                assert s.date is not None and s.date.iso() == "2017-04-27" and s.via == "the Stimson Center"


@pytest.mark.skipif(
    not SOURCES.is_dir() and not os.environ.get("CI"), reason="../shared/sources is not beside the project"
)
def test_no_briefing_copies_a_run_of_ten_words_from_a_source(corpus) -> None:
    # The prose an editor writes: title, summary and body. Source titles and event names
    # in the front matter are bibliographic data and may repeat a source's wording.
    source_words = [w for f in sorted(SOURCES.glob("*.txt")) for w in words(f.read_text(encoding="utf-8"))]
    failures = []
    for b in corpus.briefings:
        text, too_long = unquoted("\n".join((b.title, b.summary, read_body(ROOT, b))))
        failures += [f"{b.path}: quotation longer than {QUOTE_MAX_WORDS} words: {q}" for q in too_long]
        failures += [f"{b.path}: copied run: {run}" for run in shared_runs(text, source_words)]
    assert failures == []


def test_overlap_check_catches_a_copied_sentence() -> None:
    source = words("one two three four five six seven eight nine ten eleven")
    assert shared_runs("x one two three four five six seven eight nine ten y", source)
    assert not shared_runs('x "one two three four" five six seven eight nine y', source[:9])
