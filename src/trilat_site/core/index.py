"""The cross-link index: themes, countries, years, related briefings and neighbours.

Built once per build from the published briefings; pure and deterministic.
Every structure is computed in time linear in the corpus: related briefings are
ranked from posting lists capped to the nearest neighbours in time, so no
briefing is ever compared with every other.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import functools
import hashlib
import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property

from .history import History
from .model import Briefing, Event, Organization, PartialDate, Person, Registry, Source, Tag
from .settings import SiteSettings
from .slugs import tag_slug

Entry = tuple[str, str]
"""A registry entry: ("person", id) or ("organization", id)."""

# Where the entries looked up are noted, while something records them (see registry_lookups).
_looked_up: ContextVar[set[Entry] | None] = ContextVar("trilat_registry_lookups", default=None)


@contextlib.contextmanager
def registry_lookups(into: set[Entry] | None = None) -> Iterator[set[Entry]]:
    """Notes every registry entry looked up (`SiteIndex.person`, `SiteIndex.organization`, in
    any view of the index) while the block runs, in `into` or a new set. Records name people and
    organisations by id; every look-up of what an id stands for goes through those two methods,
    so what a page rendered from them shows of the registry is what this notes. Recordings
    nest: what an inner one notes, the outer one notes too."""
    found = set() if into is None else into
    outer = _looked_up.get()
    token = _looked_up.set(found)
    try:
        yield found
    finally:
        _looked_up.reset(token)
        if outer is not None:
            outer.update(found)


def note_lookups(entries: Iterable[Entry]) -> None:
    """Entries looked up earlier for something used again now (a kept part of a page)."""
    found = _looked_up.get()
    if found is not None:
        found.update(entries)


def changed_entries(old: Registry, new: Registry) -> set[Entry]:
    """The registry entries added, removed or changed from one registry to the next."""
    changed: set[Entry] = set()
    for kind, before, after in (
        ("person", old.people, new.people),
        ("organization", old.organizations, new.organizations),
    ):
        was = {e.id: e for e in before}
        now = {e.id: e for e in after}
        changed.update((kind, i) for i in was.keys() | now.keys() if was.get(i) != now.get(i))
    return changed


# How many neighbours in time each shared feature may contribute as candidates.
CANDIDATES_PER_FEATURE = 20

_WEIGHTS = {"theme": 2, "country": 1, "tag": 3, "person": 2, "organization": 2}
# Neighbours looked at on each side: themes and countries are shared by most briefings
# and say little, so a few of the nearest suffice; specific features look further.
_WINDOW = {
    "theme": 6,
    "country": 6,
    "tag": CANDIDATES_PER_FEATURE // 2,
    "person": CANDIDATES_PER_FEATURE // 2,
    "organization": CANDIDATES_PER_FEATURE // 2,
}


@dataclass(frozen=True, slots=True)
class RelatedLink:
    """`shared` holds (kind, value) features in common; empty for an explicit link."""

    briefing: Briefing
    shared: tuple[tuple[str, str], ...]
    explicit: bool


Instant = dt.datetime | dt.date
"""A last change: the time of a commit where Git knows it (UTC), else a day from the front matter."""


def as_datetime(instant: Instant) -> dt.datetime:
    """An instant to compare with others: a day stands for its first moment, in UTC."""
    if isinstance(instant, dt.datetime):
        return instant
    return dt.datetime(instant.year, instant.month, instant.day, tzinfo=dt.UTC)


def iso_instant(instant: Instant) -> str:
    """A last change in ISO 8601: the full time (UTC) where Git gives one, else the day."""
    if isinstance(instant, dt.datetime):
        return instant.isoformat(timespec="seconds")
    return instant.isoformat()


def newest_first(briefings: Iterable[Briefing]) -> list[Briefing]:
    """By publication date, newest first; briefings of one day by the period they cover, latest first."""
    items = sorted(briefings, key=lambda b: (b.title.casefold(), b.slug))
    # Stable sorts, last key first; `reverse` keeps the order of equal items.
    items.sort(key=lambda b: b.subject_period.sort_key(), reverse=True)
    items.sort(key=lambda b: b.date, reverse=True)
    return items


def latest_period_first(briefings: Iterable[Briefing]) -> list[Briefing]:
    """By the period they analyse, the latest end first, then the latest start, then the newest.

    Ties fall to the slug, which the /briefings/ filter's script compares the same way.
    """
    items = sorted(briefings, key=lambda b: b.slug)
    items.sort(key=lambda b: (b.subject_period.sort_key(), b.date), reverse=True)
    return items


def listing_key(b: Briefing) -> str:
    """The place of `b` in `latest_period_first` as text that sorts ascending, for tools that order
    by one sortable value (the search bundle's sort)."""
    (end, start), day = b.subject_period.sort_key(), b.date

    def later_first(year: int, month: int, day: int) -> str:
        return f"{99_999_999 - (year * 10_000 + month * 100 + day):08d}"

    # A letter first, so that no tool mistakes the key for a number and loses digits.
    return f"k{later_first(*end)}{later_first(*start)}{later_first(day.year, day.month, day.day)}{b.slug}"


def _features(b: Briefing) -> list[tuple[str, str]]:
    return (
        [("theme", t) for t in b.themes]
        + [("country", c) for c in b.countries]
        + [("tag", tag_slug(t)) for t in b.tags]
        + [("person", p) for p in b.people]
        + [("organization", o) for o in b.organizations]
    )


@dataclass(frozen=True)
class SiteIndex:
    """The published briefings and what connects them.

    `briefings` is in publication order (feeds, exports, the latest on the home page); every
    listing a reader browses by time (`by_period`, and the theme, country, person and
    organisation lists) is in the order of the periods the briefings analyse.
    """

    settings: SiteSettings
    briefings: tuple[Briefing, ...]
    by_period: tuple[Briefing, ...]
    by_slug: dict[str, Briefing]
    by_theme: dict[str, tuple[Briefing, ...]]
    by_country: dict[str, tuple[Briefing, ...]]
    by_year: tuple[tuple[int, tuple[Briefing, ...]], ...]
    """Each year some briefing analyses, latest first, with the briefings whose period covers it."""
    related: dict[str, tuple[RelatedLink, ...]]
    neighbours: dict[str, tuple[Briefing | None, Briefing | None]]
    registry: Registry
    by_person: dict[str, tuple[Briefing, ...]]
    """Briefings that name a person among their `people`."""
    by_organization: dict[str, tuple[Briefing, ...]]
    by_author: dict[str, tuple[Briefing, ...]]
    """Briefings a registry person wrote (an `authors` entry `person: id`)."""
    by_author_organization: dict[str, tuple[Briefing, ...]]
    sources: tuple[CitedSource, ...]
    events: tuple[Timeline, ...]
    history: History
    people: tuple[Person, ...]
    """The registry's people, by name."""
    organizations: tuple[Organization, ...]
    """The registry's organisations, by name."""
    tags: tuple[Tag, ...]
    """Every tag a published briefing uses, by name."""
    by_tag: dict[str, tuple[Briefing, ...]]
    """A tag's briefings, newest first, by the tag's slug."""
    _people_by_id: dict[str, Person]
    _organizations_by_id: dict[str, Organization]
    _tags_by_slug: dict[str, Tag]
    language: str = ""
    """The site language this view of the index is for: its listings hold each briefing's edition
    in that language where there is one, else the original (see `in_language`)."""
    _editions: Editions | None = None

    def in_language(self, language: str) -> SiteIndex:
        """The index as pages in `language` see it: the same briefings, each in its `language`
        edition where one exists, themes and countries named in that language."""
        if language == self.language or self._editions is None:
            return self
        return self._editions.view(language)

    def editions(self, slug: str) -> dict[str, Briefing]:
        """Every published edition of a briefing, by the site language of its pages."""
        if self._editions is None:
            b = self.by_slug.get(slug)
            return {self.language: b} if b is not None else {}
        return self._editions.by_slug.get(slug, {})

    def every_edition(self) -> list[Briefing]:
        """Every published edition of every briefing, originals and translations."""
        if self._editions is None:
            return list(self.briefings)
        return [b for slug in self._editions.originals for b in self._editions.by_slug[slug].values()]

    def original(self, b: Briefing) -> Briefing:
        """The original of a translation (a record that is no translation is its own)."""
        if not b.is_translation or self._editions is None:
            return b
        return self._editions.originals[b.slug]

    def person(self, person_id: str) -> Person:
        found = _looked_up.get()
        if found is not None:
            found.add(("person", person_id))
        return self._people_by_id[person_id]

    def organization(self, organization_id: str | None) -> Organization | None:
        if not organization_id:
            return None
        found = _looked_up.get()
        if found is not None:
            found.add(("organization", organization_id))
        return self._organizations_by_id.get(organization_id)

    def updated(self, b: Briefing) -> Instant:
        """The last change: the time of the file's last commit where Git knows it, else `updated`,
        else `date`; never before the publication day."""
        return self._update(b)[0]

    def _update(self, b: Briefing) -> tuple[Instant, dt.datetime]:
        # Asked for every briefing of every listing page (80,000 times at 5,000 briefings),
        # for the feeds and the exports: kept per briefing file, which the index has once.
        found = self._updates.get(b.path)
        if found is None:
            known = self.history.of(b.path)
            if known is None:
                instant: Instant = b.last_modified
            else:
                instant = known.last_updated if known.last_updated >= as_datetime(b.date) else b.date
            found = self._updates[b.path] = (instant, as_datetime(instant))
        return found

    @cached_property
    def _updates(self) -> dict[str, tuple[Instant, dt.datetime]]:
        return {}

    def last_change(self, briefings: Iterable[Briefing]) -> Instant | None:
        """The latest change among some briefings (the first of equals), or None for none."""
        latest: tuple[Instant, dt.datetime] | None = None
        for b in briefings:
            update = self._update(b)
            if latest is None or update[1] > latest[1]:
                latest = update
        return latest[0] if latest is not None else None

    @cached_property
    def latest_change(self) -> Instant | None:
        """The latest change of all: every page that sums up the archive asks for it."""
        return self.last_change(self.briefings)

    def tag(self, text: str) -> Tag:
        """The tag a briefing's free-text tag belongs to (one per slug)."""
        return self._tags_by_slug[tag_slug(text)]

    def theme_counts(self) -> list[tuple[str, int]]:
        return [(t.id, len(self.by_theme.get(t.id, ()))) for t in self.settings.themes]

    def crossings(self) -> dict[tuple[str, str], int]:
        """How many briefings sit at each (theme, country) crossing."""
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for b in self.briefings:
            for t in b.themes:
                for c in b.countries:
                    counts[(t, c)] += 1
        return dict(counts)

    def theme_links(self) -> dict[tuple[str, str], int]:
        """How many briefings share each pair of themes (in the declared order)."""
        order = {t.id: i for i, t in enumerate(self.settings.themes)}
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for b in self.briefings:
            themes = sorted(b.themes, key=order.__getitem__)
            for i, first in enumerate(themes):
                for second in themes[i + 1 :]:
                    counts[(first, second)] += 1
        return dict(counts)


@dataclass(frozen=True, slots=True)
class CitedSource:
    """One source document and the briefings that cite it, newest first."""

    source: Source
    briefings: tuple[Briefing, ...]


@dataclass(frozen=True, slots=True)
class Timeline:
    """One dated event and the briefings that discuss it, newest first."""

    event: Event
    briefings: tuple[Briefing, ...]

    @property
    def anchor(self) -> str:
        return event_anchor(self.event)


def _in_time(date: PartialDate) -> tuple[int, int, int]:
    """Where an event goes on the timeline: one known only to its year after that year's dated
    events ("2017" after "February 2017"); one known to its month before that month's days."""
    return (date.year, date.month or 13, date.day or 0)


def event_anchor(event: Event) -> str:
    """A stable fragment id for an event on the timeline page."""
    digest = hashlib.blake2b(f"{event.date.iso()}|{event.title}".encode(), digest_size=4)
    return f"event-{event.date.iso()}-{digest.hexdigest()}"


@dataclass
class Editions:
    """The published briefings in every language, and the views of the index made from them."""

    settings: SiteSettings
    originals: dict[str, Briefing]
    by_slug: dict[str, dict[str, Briefing]]
    """slug → the site language of its pages → the edition there (the original among them)."""
    registry: Registry
    history: History
    views: dict[str, SiteIndex]

    def view(self, language: str) -> SiteIndex:
        found = self.views.get(language)
        if found is None:
            records = [self.by_slug[slug].get(language, b) for slug, b in self.originals.items()]
            found = self.views[language] = _build(
                records,
                self.settings.in_language(language),
                self.registry if language == self.settings.default_language else self.registry.in_language(language),
                self.history,
                language,
                self,
            )
        return found


def build_index(
    briefings: Iterable[Briefing],
    settings: SiteSettings,
    registry: Registry | None = None,
    history: History | None = None,
) -> SiteIndex:
    """Index the published briefings (drafts are left out here, once, for every page), as the pages of
    the site's default language see them; `SiteIndex.in_language` gives the other languages' views."""
    published = [b for b in briefings if not b.draft]
    originals = {b.slug: b for b in published if not b.is_translation}
    by_slug: dict[str, dict[str, Briefing]] = {slug: {settings.language_of(b): b} for slug, b in originals.items()}
    for b in published:
        if b.is_translation and b.slug in by_slug and b.language is not None:
            by_slug[b.slug].setdefault(b.language, b)
    editions = Editions(settings, originals, by_slug, registry or Registry(), history or History({}), {})
    return editions.view(settings.default_language)


def _build(
    published: list[Briefing],
    settings: SiteSettings,
    registry: Registry,
    history: History,
    language: str,
    editions: Editions,
) -> SiteIndex:
    ordered = tuple(newest_first(published))
    chronicle = tuple(latest_period_first(published))
    by_slug = {b.slug: b for b in ordered}
    by_theme: dict[str, list[Briefing]] = defaultdict(list)
    by_country: dict[str, list[Briefing]] = defaultdict(list)
    by_year: dict[int, list[Briefing]] = defaultdict(list)
    by_person: dict[str, list[Briefing]] = defaultdict(list)
    by_organization: dict[str, list[Briefing]] = defaultdict(list)
    by_author: dict[str, list[Briefing]] = defaultdict(list)
    by_author_organization: dict[str, list[Briefing]] = defaultdict(list)
    by_tag: dict[str, list[Briefing]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    sources: dict[str, tuple[Source, list[Briefing]]] = {}
    events: dict[tuple[str, str], tuple[Event, list[Briefing]]] = {}
    for b in chronicle:
        for t in b.themes:
            by_theme[t].append(b)
        for c in b.countries:
            by_country[c].append(b)
        for p in b.people:
            by_person[p].append(b)
        for o in b.organizations:
            by_organization[o].append(b)
        for person in dict.fromkeys(a.person for a in b.authors if a.person):
            by_author[person].append(b)
        for org in dict.fromkeys(a.organization for a in b.authors if a.organization):
            by_author_organization[org].append(b)
        for t in b.tags:
            slug = tag_slug(t)
            spellings[slug][t] += 1
            # Two spellings of one tag in a briefing list it once.
            if not by_tag[slug] or by_tag[slug][-1] is not b:
                by_tag[slug].append(b)
        for y in b.subject_period.years:
            by_year[y].append(b)
    for b in ordered:
        for s in b.sources:
            sources.setdefault(s.key, (s, []))[1].append(b)
        for e in b.events:
            events.setdefault((e.date.iso(), e.title), (e, []))[1].append(b)
    # A tag is shown as most briefings spell it; ties go to the first in code point order.
    tags = {slug: Tag(slug, min(names, key=lambda n: (-names[n], n))) for slug, names in spellings.items()}
    return SiteIndex(
        settings=settings,
        briefings=ordered,
        by_period=chronicle,
        by_slug=by_slug,
        by_theme={k: tuple(v) for k, v in by_theme.items()},
        by_country={k: tuple(v) for k, v in by_country.items()},
        by_year=tuple((y, tuple(by_year[y])) for y in sorted(by_year, reverse=True)),
        related=related_briefings(chronicle, settings.related_limit),
        neighbours=_neighbours(chronicle, {k: tuple(v) for k, v in by_theme.items()}),
        registry=registry,
        people=tuple(sorted(registry.people, key=lambda p: (p.name.casefold(), p.id))),
        organizations=tuple(sorted(registry.organizations, key=lambda o: (o.name.casefold(), o.id))),
        _people_by_id={p.id: p for p in registry.people},
        _organizations_by_id={o.id: o for o in registry.organizations},
        tags=tuple(sorted(tags.values(), key=lambda t: (t.name.casefold(), t.slug))),
        by_tag={k: tuple(v) for k, v in by_tag.items()},
        _tags_by_slug=tags,
        history=history,
        by_person={k: tuple(v) for k, v in by_person.items()},
        by_organization={k: tuple(v) for k, v in by_organization.items()},
        by_author={k: tuple(v) for k, v in by_author.items()},
        by_author_organization={k: tuple(v) for k, v in by_author_organization.items()},
        sources=tuple(
            CitedSource(s, tuple(bs))
            for s, bs in sorted(sources.values(), key=lambda item: (item[0].title.casefold(), item[0].key))
        ),
        events=tuple(
            Timeline(e, tuple(bs))
            for e, bs in sorted(events.values(), key=lambda item: (_in_time(item[0].date), item[0].title))
        ),
        language=language,
        _editions=editions,
    )


def _neighbours(
    ordered: Sequence[Briefing], by_theme: dict[str, tuple[Briefing, ...]]
) -> dict[str, tuple[Briefing | None, Briefing | None]]:
    """(previous, next) in the time they analyse, within each briefing's first theme: older, then newer."""
    position = {t: {b.slug: i for i, b in enumerate(items)} for t, items in by_theme.items()}
    out: dict[str, tuple[Briefing | None, Briefing | None]] = {}
    for b in ordered:
        items = by_theme[b.themes[0]]
        i = position[b.themes[0]][b.slug]
        older = items[i + 1] if i + 1 < len(items) else None
        newer = items[i - 1] if i > 0 else None
        out[b.slug] = (older, newer)
    return out


def related_briefings(ordered: Sequence[Briefing], limit: int) -> dict[str, tuple[RelatedLink, ...]]:
    """Explicit `related` first, then the best-scored briefings sharing features.

    Each feature's posting list is kept in the order of `ordered` (the periods the briefings
    analyse); a briefing looks only at the
    nearest entries of each list (CANDIDATES_PER_FEATURE for specific features such as
    tags, fewer for themes and countries, which nearly everything shares), which
    bounds the work per briefing whatever the size of the corpus.
    """
    features = tuple(tuple(_features(b)) for b in ordered)
    plan = _related_plan(tuple(b.slug for b in ordered), features, tuple(b.related for b in ordered), limit)
    return {
        b.slug: tuple(RelatedLink(ordered[j], shared, explicit) for j, shared, explicit in links)
        for b, links in zip(ordered, plan, strict=True)
    }


_Feature = tuple[str, str]


# `mkdocs serve` indexes every briefing on each save, and an edit seldom changes what relates
# briefings (a title does not): the last results, by everything they are made of, are kept.
@functools.lru_cache(maxsize=8)
def _related_plan(
    slugs: tuple[str, ...],
    features: tuple[tuple[_Feature, ...], ...],
    related: tuple[tuple[str, ...], ...],
    limit: int,
) -> tuple[tuple[tuple[int, tuple[_Feature, ...], bool], ...], ...]:
    """Per briefing (by position), its related briefings: (position, shared features, explicit)."""
    postings: dict[_Feature, list[int]] = defaultdict(list)
    position = {slug: i for i, slug in enumerate(slugs)}
    # Each posting list is sorted by position in `ordered`, that is by time.
    for i, feats in enumerate(features):
        for f in feats:
            postings[f].append(i)
    out: list[tuple[tuple[int, tuple[_Feature, ...], bool], ...]] = []
    for i, slug in enumerate(slugs):
        links: list[tuple[int, tuple[_Feature, ...], bool]] = []
        for name in related[i]:
            target = position.get(name)
            if target is not None and len(links) < limit:
                links.append((target, (), True))
        explicit = {slugs[link[0]] for link in links} | {slug}
        if len(links) < limit:
            score: dict[int, int] = {}
            for f in features[i]:
                weight = _WEIGHTS[f[0]]
                half = _WINDOW[f[0]]
                plist = postings[f]
                at = bisect.bisect_left(plist, i)
                for j in plist[max(0, at - half) : at + half + 1]:
                    score[j] = score.get(j, 0) + weight
            score.pop(i, None)
            wanted = limit - len(links)
            # Only briefings scoring at least the wanted-th best score can make the cut; the
            # full ordering (score, nearness in time, slug) is applied to those few.
            floor = heapq.nlargest(wanted + len(links), score.values())[-1] if score else 0
            best = sorted(
                (j for j, v in score.items() if v >= floor and slugs[j] not in explicit),
                key=lambda j: (-score[j], abs(j - i), slugs[j]),
            )[:wanted]
            mine = features[i]
            for j in best:
                theirs = set(features[j])
                links.append((j, tuple(f for f in mine if f in theirs), False))
        out.append(tuple(links))
    return tuple(out)


def paginate(items: Sequence[Briefing], per_page: int) -> list[Sequence[Briefing]]:
    """Split a listing into pages; an empty listing still has one (empty) page."""
    if per_page <= 0 or not items:
        return [items]
    return [items[i : i + per_page] for i in range(0, len(items), per_page)]
