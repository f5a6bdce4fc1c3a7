"""Every shape of input, declared once: the briefing front matter and the records inside it.

The checker (`schema.py`), the registry reader, the "did you mean" hints, the allowed-keys
messages and the records built all come from these tables; tests hold them against the
README and the export's JSON Schema, so the description cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .model import Author, Briefing, Change, Country, Event, Organization, Person, Source, Theme


class Kind(StrEnum):
    """How a value is written and read."""

    TEXT = "text"
    DATE = "date"  # YYYY-MM-DD
    PARTIAL_DATE = "partial date"  # YYYY, YYYY-MM or YYYY-MM-DD
    FLAG = "flag"  # true or false
    SLUG = "slug"  # a URL name
    ID = "id"  # a registry entry's id
    URL = "url"  # http:// or https://
    TEXTS = "texts"  # a list of free text, each once
    REF = "ref"  # the id of something declared elsewhere (`refers_to`)
    REFS = "refs"  # a list of such ids
    RECORDS = "records"  # a list of mappings of `shape`


LIST_KINDS = frozenset({Kind.TEXTS, Kind.REFS, Kind.RECORDS})


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    doc: str
    """What the field holds, as the README's table says it."""
    required: bool = False
    hint: str = ""
    """How to add the field when it is missing."""
    refers_to: str | None = None
    """For REF and REFS: 'theme', 'country', 'person' or 'organization'."""
    shape: Shape | None = None
    """For RECORDS: the shape of each item."""

    def absent(self) -> Any:
        """The value of a field that is not given."""
        if self.kind in LIST_KINDS:
            return ()
        return False if self.kind is Kind.FLAG else None


@dataclass(frozen=True)
class Shape:
    """A mapping's fields, in the order messages list them, and the record it makes."""

    name: str
    fields: tuple[Field, ...]
    build: Callable[..., Any]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    def __getitem__(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def make(self, values: Mapping[str, Any], **extra: Any) -> Any:
        return self.build(**{f.name: values.get(f.name, f.absent()) for f in self.fields}, **extra)


AUTHOR = Shape(
    "author",
    (
        Field("name", Kind.TEXT, "the author's name", required=True),
        Field("affiliation", Kind.TEXT, "the author's institution"),
    ),
    Author,
)

SOURCE = Shape(
    "source",
    (
        Field("title", Kind.TEXT, "the document's title", required=True),
        Field("publisher", Kind.TEXT, "who published it"),
        Field("author", Kind.TEXT, "who wrote it"),
        Field("affiliation", Kind.TEXT, "the author's institution"),
        Field("date", Kind.PARTIAL_DATE, "when it was published: YYYY, YYYY-MM or YYYY-MM-DD"),
        Field("url", Kind.URL, "where it can be read: an http:// or https:// address"),
        Field("type", Kind.TEXT, "what kind of document it is, e.g. Workshop summary"),
    ),
    Source,
)

EVENT = Shape(
    "event",
    (
        Field("date", Kind.PARTIAL_DATE, "when it happened: YYYY, YYYY-MM or YYYY-MM-DD", required=True),
        Field("title", Kind.TEXT, "what happened", required=True),
    ),
    Event,
)

CHANGE = Shape(
    "change",
    (
        Field("date", Kind.DATE, "the day of the revision: YYYY-MM-DD", required=True),
        Field("note", Kind.TEXT, "what it changed, in a sentence for readers", required=True),
    ),
    Change,
)

FRONT_MATTER = Shape(
    "front matter",
    (
        Field(
            "title",
            Kind.TEXT,
            "non-empty text",
            required=True,
            hint='add a title, e.g. title: "Energy security after the shale boom"',
        ),
        Field(
            "date",
            Kind.DATE,
            "publication date, `YYYY-MM-DD`",
            required=True,
            hint="add the publication date as date: YYYY-MM-DD",
        ),
        Field(
            "summary",
            Kind.TEXT,
            "one or two plain-text sentences",
            required=True,
            hint="add one or two plain sentences that say what the briefing finds",
        ),
        Field(
            "themes",
            Kind.REFS,
            "non-empty list of theme ids the site declares (default: `security`, `energy`, `cyber`)",
            required=True,
            hint="add a list of theme ids, e.g. themes: [security]",
            refers_to="theme",
        ),
        Field(
            "slug",
            Kind.SLUG,
            "the URL name, `/briefings/<slug>/`; defaults to the file name. Lowercase ASCII letters, "
            "digits and single hyphens; `index` and `page` are reserved",
        ),
        Field("authors", Kind.RECORDS, "list of `{name, affiliation}` (`name` required)", shape=AUTHOR),
        Field(
            "countries",
            Kind.REFS,
            "list of country ids: `us`, `rok`, `japan`, `china`, `dprk` and any the site adds",
            refers_to="country",
        ),
        Field(
            "organizations",
            Kind.REFS,
            "list of organisation ids declared in `briefings/_data/organizations.yml`",
            refers_to="organization",
        ),
        Field(
            "people",
            Kind.REFS,
            "list of person ids declared in `briefings/_data/people.yml`",
            refers_to="person",
        ),
        Field("tags", Kind.TEXTS, "list of free strings"),
        Field(
            "sources",
            Kind.RECORDS,
            "list of `{title, publisher, author, affiliation, date, url, type}` (`title` required; "
            "`url` must be `http://` or `https://`)",
            shape=SOURCE,
        ),
        Field("related", Kind.TEXTS, 'slugs of other briefings, shown first under "Related briefings"'),
        Field("events", Kind.RECORDS, "list of `{date, title}`: dated happenings the briefing discusses", shape=EVENT),
        Field("draft", Kind.FLAG, "`true` keeps the briefing out of the site (it is still checked)"),
        Field("updated", Kind.DATE, "date of the last revision, `YYYY-MM-DD`, not before `date`"),
        Field(
            "changes",
            Kind.RECORDS,
            "list of `{date, note}`: revisions as readers should know them, e.g. "
            "`{date: 2018-02-01, note: Adds the February sanctions figures.}`",
            shape=CHANGE,
        ),
    ),
    Briefing,
)

ORGANIZATION = Shape(
    "organisation",
    (
        Field("id", Kind.ID, "how briefings refer to it", required=True),
        Field("name", Kind.TEXT, "its full name", required=True),
        Field("short_name", Kind.TEXT, "an abbreviation, e.g. JCIE"),
        Field("native_name", Kind.TEXT, "its name in its own language"),
        Field("country", Kind.REF, "a country id", refers_to="country"),
        Field("description", Kind.TEXT, "a sentence on what it is"),
    ),
    Organization,
)

PERSON = Shape(
    "person",
    (
        Field("id", Kind.ID, "how briefings refer to them", required=True),
        Field("name", Kind.TEXT, "their name", required=True),
        Field("role", Kind.TEXT, "their role"),
        Field("organization", Kind.REF, "an organisation id", refers_to="organization"),
        Field("native_name", Kind.TEXT, "their name in native script"),
        Field("description", Kind.TEXT, "a sentence on who they are"),
    ),
    Person,
)

# What each kind of id is called in messages, and where more can be declared.
REFERENCE_NAMES = {"theme": "theme", "country": "country", "person": "person", "organization": "organisation"}

THEME = Shape(
    "theme",
    (
        Field("id", Kind.ID, "used in URLs (/themes/<id>/) and in briefings' `themes` lists", required=True),
        Field("title", Kind.TEXT, "the theme's name", required=True),
        Field("description", Kind.TEXT, "a sentence shown on the theme's page"),
        Field("icon", Kind.TEXT, "a Material icon name, e.g. material/shield-outline"),
    ),
    Theme,
)

COUNTRY = Shape(
    "country",
    (
        Field("id", Kind.ID, "used in URLs (/countries/<id>/) and in briefings' `countries` lists", required=True),
        Field("name", Kind.TEXT, "the country's name", required=True),
        Field("short_name", Kind.TEXT, "a shorter name for tables and lists, e.g. South Korea"),
    ),
    Country,
)
