"""Immutable records: what a validated briefing and the site's registries are."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import cached_property

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
class Author:
    name: str
    affiliation: str | None = None


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


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    description: str | None = None
    icon: str | None = None


@dataclass(frozen=True)
class Country:
    id: str
    name: str
    short_name: str | None = None

    @property
    def label(self) -> str:
        """The name where space is short: lists, tables, a briefing's header."""
        return self.short_name or self.name


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
    authors: tuple[Author, ...] = ()
    countries: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    related: tuple[str, ...] = ()
    events: tuple[Event, ...] = ()
    draft: bool = False
    updated: dt.date | None = None
    changes: tuple[Change, ...] = ()

    @property
    def last_modified(self) -> dt.date:
        return max([self.updated or self.date, *(c.date for c in self.changes)])

    @property
    def changes_newest_first(self) -> tuple[Change, ...]:
        return tuple(sorted(self.changes, key=lambda c: c.date, reverse=True))

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


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str | None = None
    organization: str | None = None
    native_name: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Registry:
    """The people and organisations briefings refer to by id, declared once in `_data/`."""

    people: tuple[Person, ...] = ()
    organizations: tuple[Organization, ...] = ()

    # Asked once per briefing: computed once per registry.
    @cached_property
    def person_ids(self) -> frozenset[str]:
        return frozenset(p.id for p in self.people)

    @cached_property
    def organization_ids(self) -> frozenset[str]:
        return frozenset(o.id for o in self.organizations)
