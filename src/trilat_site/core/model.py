"""Immutable records: what a validated briefing and the site's registries are."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

_MONTHS = tuple(calendar.month_name)


@dataclass(frozen=True, order=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day.

    Sources and events are often dated only to a month; showing them at a
    precision they do not have would invent facts.
    """

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    @property
    def is_full(self) -> bool:
        return self.day is not None

    def as_date(self) -> dt.date:
        """The earliest day the partial date covers, for sorting and feeds."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        """The latest day the partial date covers."""
        if self.day is not None:
            return self.as_date()
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def display(self) -> str:
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{_MONTHS[self.month]} {self.year}"
        return f"{self.day} {_MONTHS[self.month]} {self.year}"

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __str__(self) -> str:
        return self.iso()


@dataclass(frozen=True, slots=True)
class Period:
    """The time a briefing analyses: one partial date, or a range of two (`start` not after `end`)."""

    start: PartialDate
    end: PartialDate

    @classmethod
    def of(cls, day: PartialDate) -> Period:
        return cls(day, day)

    @property
    def years(self) -> range:
        return range(self.start.year, self.end.year + 1)

    def iso(self) -> str:
        """ISO 8601: a date, or an interval `start/end` (as schema.org's temporalCoverage writes it)."""
        return self.start.iso() if self.start == self.end else f"{self.start.iso()}/{self.end.iso()}"

    def display(self) -> str:
        """`March 2017`, `March–May 2017`, `17 April – 9 May 2017`, `2016–2017`."""
        start, end = self.start, self.end
        if start == end:
            return start.display()
        same_shape = (start.month is None) == (end.month is None) and (start.day is None) == (end.day is None)
        if same_shape and start.year == end.year and start.month is not None:
            if start.day is None:
                return f"{_MONTHS[start.month]}–{end.display()}"
            if start.month == end.month:
                return f"{start.day}–{end.display()}"
            return f"{start.day} {_MONTHS[start.month]} – {end.display()}"
        first, last = start.display(), end.display()
        return f"{first}–{last}" if " " not in first + last else f"{first} – {last}"

    def sort_key(self) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        """Latest end first when sorted in reverse: an end known only to the month or year counts
        as that month's or year's close, a start as its opening."""
        end = (self.end.year, self.end.month or 13, self.end.day or 32)
        start = (self.start.year, self.start.month or 0, self.start.day or 0)
        return end, start

    def __str__(self) -> str:
        return self.iso()


@dataclass(frozen=True, slots=True)
class Author:
    """One entry of a byline, as written: a registry `person` or `organization`, or a `name`.

    `collective` marks a name that is a group (an editorial team, a task force), which
    citations treat as an organisation and never split into names.
    """

    name: str | None = None
    affiliation: str | None = None
    person: str | None = None
    organization: str | None = None
    family: str | None = None
    given: str | None = None
    collective: bool = False


@dataclass(frozen=True, slots=True)
class Source:
    """A document a briefing draws on, with the bibliographic facts it gives."""

    title: str
    publisher: str | None = None
    author: str | None = None
    affiliation: str | None = None
    date: PartialDate | None = None
    url: str | None = None
    type: str | None = None
    via: str | None = None
    """Who publishes the copy `url` points to, when it is not the publisher (a republication)."""

    @property
    def key(self) -> str:
        """Identity across briefings: the same document cited twice is one source."""
        return f"{self.title.casefold().strip()}|{(self.publisher or '').casefold().strip()}"


@dataclass(frozen=True, slots=True)
class Event:
    date: PartialDate
    title: str


@dataclass(frozen=True, slots=True)
class Tag:
    """A free-text tag as the site shows it: its page's slug and the spelling most briefings use."""

    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class Change:
    """A revision as the editors describe it to readers: its day and what it changed."""

    date: dt.date
    note: str


Translations = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
"""A record's words in other languages: ((language, ((field, text), ...)), ...)."""


def _translated(record: Any, language: str) -> Any:
    for lang, texts in record.translations:
        if lang == language:
            return dataclasses.replace(record, **dict(texts), translations=())
    return record


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    description: str | None = None
    icon: str | None = None
    translations: Translations = ()

    def in_language(self, language: str) -> Theme:
        """The theme as pages in `language` name it (as declared, where no translation is given)."""
        return _translated(self, language)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Country:
    id: str
    name: str
    short_name: str | None = None
    translations: Translations = ()

    @property
    def label(self) -> str:
        """The name where space is short: lists, tables, a briefing's header."""
        return self.short_name or self.name

    def in_language(self, language: str) -> Country:
        """The country as pages in `language` name it; a translated name leaves the short name
        behind unless the translation gives one too."""
        for lang, texts in self.translations:
            if lang == language:
                names = dict(texts)
                if "name" in names:
                    names.setdefault("short_name", None)  # type: ignore[arg-type]
                return dataclasses.replace(self, **names, translations=())
        return self


@dataclass(frozen=True, slots=True)
class SiteText:
    """The site's own name and description in a language after the first."""

    site_name: str | None = None
    site_description: str | None = None


@dataclass(frozen=True, slots=True)
class Briefing:
    """One validated briefing; `path` is relative to the project root, `src_rel` to the briefings folder.

    The Markdown body is not kept: it is read again from the file when its page is
    converted (`loader.read_body`), so a build never holds every body at once.
    """

    path: str
    src_rel: str
    slug: str
    title: str
    date: dt.date
    summary: str
    themes: tuple[str, ...]
    period: Period | None = None
    authors: tuple[Author, ...] = ()
    countries: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    related: tuple[str, ...] = ()
    events: tuple[Event, ...] = ()
    language: str | None = None
    draft: bool = False
    updated: dt.date | None = None
    changes: tuple[Change, ...] = ()
    translation_of: str | None = None
    """For a translation: the slug of its original, whose slug it shares once resolved."""
    translators: tuple[Author, ...] = ()

    @property
    def is_translation(self) -> bool:
        return self.translation_of is not None

    @property
    def last_modified(self) -> dt.date:
        return max([self.updated or self.date, *(c.date for c in self.changes)])

    @property
    def changes_newest_first(self) -> tuple[Change, ...]:
        return tuple(sorted(self.changes, key=lambda c: c.date, reverse=True))

    @property
    def subject_period(self) -> Period:
        """The period the briefing analyses; without `period`, the time it was published."""
        return self.period or Period.of(PartialDate.from_date(self.date))

    def __hash__(self) -> int:
        # Equal briefings share their path and slug; hashing every field (the sources, the
        # events) would make each use as a cache key cost as much as a comparison.
        return hash((self.path, self.slug))


@dataclass(frozen=True)
class Organization:
    id: str
    name: str
    short_name: str | None = None
    native_name: str | None = None
    country: str | None = None
    description: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str | None = None
    organization: str | None = None
    native_name: str | None = None
    description: str | None = None
    family: str | None = None
    given: str | None = None
    affiliation: str | None = None
    bio: str | None = None
    photo: str | None = None
    """A path below the registry folder (`_data/`), checked to be an image there."""
    orcid: str | None = None
    """The bare iD (0000-0002-1825-0097); `orcid_url` is its address."""
    links: tuple[Link, ...] = ()

    @property
    def orcid_url(self) -> str | None:
        return f"https://orcid.org/{self.orcid}" if self.orcid else None


def written_in(text: str, language: str) -> bool:
    """Whether a name reads as written in a language's own script: Hangul for Korean; kana, or
    Han characters without Hangul, for Japanese (a Chinese name in Han characters is read in
    Japanese as written, and is left in its romanised form on Korean pages)."""
    hangul = any("\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" for ch in text)
    kana = any("\u3040" <= ch <= "\u30ff" for ch in text)
    han = any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text)
    base = language.split("-")[0].lower()
    if base == "ko":
        return hangul
    if base == "ja":
        return kana or (han and not hangul)
    return False


@dataclass(frozen=True)
class Registry:
    """The people and organisations briefings refer to by id, declared once in `_data/`."""

    people: tuple[Person, ...] = ()
    organizations: tuple[Organization, ...] = ()
    broken: tuple[tuple[str, str], ...] = ()
    """(kind, file) of each registry file that could not be read at all: references of
    that kind cannot be checked, and are reported once, at the file."""

    def in_language(self, language: str) -> Registry:
        """The registry as pages in `language` name its entries: by their native name where it
        is written in that language's script (박근혜 on Korean pages, 佐橋亮 on Japanese ones)."""
        people = tuple(
            dataclasses.replace(p, name=p.native_name, family=None, given=None)
            if p.native_name and written_in(p.native_name, language)
            else p
            for p in self.people
        )
        organizations = tuple(
            dataclasses.replace(o, name=o.native_name) if o.native_name and written_in(o.native_name, language) else o
            for o in self.organizations
        )
        return Registry(people, organizations, self.broken)

    # Asked once per briefing: computed once per registry.
    @cached_property
    def person_ids(self) -> frozenset[str]:
        return frozenset(p.id for p in self.people)

    @cached_property
    def organization_ids(self) -> frozenset[str]:
        return frozenset(o.id for o in self.organizations)
