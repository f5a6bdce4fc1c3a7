"""Every shape of input, declared once: the briefing front matter and the records inside it.

The checker (`schema.py`), the registry reader, the "did you mean" hints, the allowed-keys
messages and the records built all come from these tables; tests hold them against the
README and the export's JSON Schema, so the description cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any

from .model import Author, Briefing, Change, Country, Event, Link, Organization, Person, Source, Theme


class Kind(StrEnum):
    """How a value is written and read."""

    TEXT = "text"
    DATE = "date"  # YYYY-MM-DD
    PARTIAL_DATE = "partial date"  # YYYY, YYYY-MM or YYYY-MM-DD
    FLAG = "flag"  # true or false
    SLUG = "slug"  # a URL name
    ID = "id"  # a registry entry's id
    URL = "url"  # http:// or https://
    PERIOD = "period"  # a partial date, or START/END of two
    LANGUAGE = "language"  # a BCP 47 tag: en, ko, ja, en-GB
    ORCID = "orcid"  # an ORCID iD, with its check digit
    IMAGE = "image"  # a picture's path below the registry folder
    TEXTS = "texts"  # a list of free text, each once
    REF = "ref"  # the id of something declared elsewhere (`refers_to`)
    REFS = "refs"  # a list of such ids
    RECORDS = "records"  # a list of mappings of `shape`
    TRANSLATIONS = "translations"  # language tag → the record's text fields in that language


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
    needs: str | None = None
    """Another key of the same mapping that must be given too (`given` needs `family`)."""
    excludes: tuple[str, ...] = ()
    """Keys of the same mapping that must not be given with this one."""
    in_translation: str = "own"
    """In a translation's front matter: "own" (its own value), "inherited" (the original's unless
    the translation gives one) or "refused" (the original's only: an error to give)."""

    def absent(self) -> Any:
        """The value of a field that is not given."""
        if self.kind in LIST_KINDS or self.kind is Kind.TRANSLATIONS:
            return ()
        return False if self.kind is Kind.FLAG else None


@dataclass(frozen=True)
class Shape:
    """A mapping's fields, in the order messages list them, and the record it makes."""

    name: str
    fields: tuple[Field, ...]
    build: Callable[..., Any]
    one_of: tuple[str, ...] = ()
    """Keys of which exactly one must be given (an author is a name, a person or an organisation)."""

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @cached_property
    def linked(self) -> tuple[Field, ...]:
        """Fields with a rule about another key (`needs`, `excludes`); checked for every mapping."""
        return tuple(f for f in self.fields if f.needs or f.excludes)

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
        Field("name", Kind.TEXT, "the author's name, as the byline shows it"),
        Field(
            "person",
            Kind.REF,
            "a person id of `people.yml`: the byline links to their page and takes their names from there",
            refers_to="person",
        ),
        Field(
            "organization",
            Kind.REF,
            "an organisation id of `organizations.yml`: the organisation is the (collective) author",
            refers_to="organization",
        ),
        Field("family", Kind.TEXT, "the family name, for a name the rule cannot split", needs="name"),
        Field("given", Kind.TEXT, "the given names, with `family`", needs="family"),
        Field("affiliation", Kind.TEXT, "the author's institution", excludes=("organization",)),
        Field(
            "collective",
            Kind.FLAG,
            "`true` when `name` is a group (an editorial team), not a person",
            needs="name",
            excludes=("family",),
        ),
    ),
    Author,
    one_of=("name", "person", "organization"),
)

LINK = Shape(
    "link",
    (
        Field("title", Kind.TEXT, "what the page is, e.g. NBR profile", required=True),
        Field("url", Kind.URL, "its http:// or https:// address", required=True),
    ),
    Link,
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
        Field(
            "via",
            Kind.TEXT,
            "who publishes the copy `url` points to, when it is not the publisher (a republication)",
            needs="url",
        ),
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
            in_translation="inherited",
        ),
        Field(
            "period",
            Kind.PERIOD,
            "the time the briefing analyses: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or a range `START/END` "
            "such as `2017-03/2017-05`",
            in_translation="inherited",
        ),
        Field(
            "slug",
            Kind.SLUG,
            "the URL name, `/briefings/<slug>/`; defaults to the file name. Lowercase ASCII letters, "
            "digits and single hyphens; `index` and `page` are reserved",
            in_translation="refused",
        ),
        Field(
            "authors",
            Kind.RECORDS,
            "list of authors, each `{person: ID}`, `{organization: ID}` or `{name, family, given, affiliation, "
            "collective}` (see [Authors](#authors)); without it, the site's editors",
            shape=AUTHOR,
            in_translation="inherited",
        ),
        Field(
            "countries",
            Kind.REFS,
            "list of country ids: `us`, `rok`, `japan`, `china`, `dprk` and any the site adds",
            refers_to="country",
            in_translation="inherited",
        ),
        Field(
            "organizations",
            Kind.REFS,
            "list of organisation ids declared in `briefings/_data/organizations.yml`",
            refers_to="organization",
            in_translation="inherited",
        ),
        Field(
            "people",
            Kind.REFS,
            "list of person ids declared in `briefings/_data/people.yml`",
            refers_to="person",
            in_translation="inherited",
        ),
        Field("tags", Kind.TEXTS, "list of free strings", in_translation="inherited"),
        Field(
            "sources",
            Kind.RECORDS,
            "list of `{title, publisher, author, affiliation, date, url, type, via}` (`title` required; "
            "`url` must be `http://` or `https://`)",
            shape=SOURCE,
            in_translation="inherited",
        ),
        Field(
            "related",
            Kind.TEXTS,
            'slugs of other briefings, shown first under "Related briefings"',
            in_translation="refused",
        ),
        Field(
            "events",
            Kind.RECORDS,
            "list of `{date, title}`: dated happenings the briefing discusses",
            shape=EVENT,
            in_translation="inherited",
        ),
        Field(
            "language",
            Kind.LANGUAGE,
            "the briefing's language, a BCP 47 tag such as `en`, `ko` or `ja`; defaults to the site's `language`; "
            "a translation must give it, one of the site's `languages`",
            hint="add the translation's language, one of the site's languages, e.g. language: ko",
        ),
        Field("draft", Kind.FLAG, "`true` keeps the briefing out of the site (it is still checked)"),
        Field("updated", Kind.DATE, "date of the last revision, `YYYY-MM-DD`, not before `date`"),
        Field(
            "changes",
            Kind.RECORDS,
            "list of `{date, note}`: revisions as readers should know them, e.g. "
            "`{date: 2018-02-01, note: Adds the February sanctions figures.}`",
            shape=CHANGE,
        ),
        Field(
            "translation_of",
            Kind.SLUG,
            "makes the file a translation: the slug of the original briefing (see "
            "[Korean and Japanese editions](#korean-and-japanese-editions))",
        ),
        Field(
            "translators",
            Kind.RECORDS,
            "a translation's translators, each like an entry of `authors`; without it, the site's editors",
            shape=AUTHOR,
        ),
    ),
    Briefing,
)

# What a translation must give: its own words, its language and its original.
TRANSLATION_REQUIRED = ("title", "date", "summary", "translation_of", "language")

ORGANIZATION = Shape(
    "organisation",
    (
        Field("id", Kind.ID, "how briefings refer to it", required=True),
        Field("name", Kind.TEXT, "its full name", required=True),
        Field("short_name", Kind.TEXT, "an abbreviation, e.g. JCIE"),
        Field("native_name", Kind.TEXT, "its name in its own language"),
        Field("country", Kind.REF, "a country id", refers_to="country"),
        Field("description", Kind.TEXT, "a sentence on what it is"),
        Field("url", Kind.URL, "its website: an http:// or https:// address"),
    ),
    Organization,
)

PERSON = Shape(
    "person",
    (
        Field("id", Kind.ID, "how briefings refer to them", required=True),
        Field("name", Kind.TEXT, "their name", required=True),
        Field("family", Kind.TEXT, "their family name, when the rule cannot split `name`"),
        Field("given", Kind.TEXT, "their given names, with `family`", needs="family"),
        Field("role", Kind.TEXT, "their role"),
        Field("organization", Kind.REF, "an organisation id: their affiliation", refers_to="organization"),
        Field(
            "affiliation",
            Kind.TEXT,
            "their institution as text, when it is not an organisation of the registry",
            excludes=("organization",),
        ),
        Field("native_name", Kind.TEXT, "their name in native script"),
        Field("description", Kind.TEXT, "a sentence on who they are"),
        Field("bio", Kind.TEXT, "a short biography, shown on their page"),
        Field("photo", Kind.IMAGE, "a JPEG, PNG or WebP picture below `_data/`, e.g. `photos/ryo-sahashi.jpg`"),
        Field("orcid", Kind.ORCID, "their ORCID iD, e.g. `0000-0002-1825-0097`"),
        Field("links", Kind.RECORDS, "profile pages: a list of `{title, url}`", shape=LINK),
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
        Field(
            "translations",
            Kind.TRANSLATIONS,
            "its title and description in the site's other languages, e.g. `{ko: {title: 안보}}`",
        ),
    ),
    Theme,
)

COUNTRY = Shape(
    "country",
    (
        Field("id", Kind.ID, "used in URLs (/countries/<id>/) and in briefings' `countries` lists", required=True),
        Field("name", Kind.TEXT, "the country's name", required=True),
        Field("short_name", Kind.TEXT, "a shorter name for tables and lists, e.g. South Korea"),
        Field(
            "translations",
            Kind.TRANSLATIONS,
            "its name and short name in the site's other languages, e.g. `{ko: {name: 대한민국, short_name: 한국}}`",
        ),
    ),
    Country,
)
