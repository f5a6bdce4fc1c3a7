"""The briefing front matter schema: located YAML nodes in, a `Briefing` or problems out."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .model import Author, Briefing, Event, PartialDate, Registry, SiteSettings, Source
from .problems import Problem, Severity, did_you_mean, one_of
from .yamltree import YList, YMap, YNode, YScalar

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
RESERVED_SLUGS = frozenset({"index", "page"})

REQUIRED = ("title", "date", "summary", "themes")
OPTIONAL = (
    "slug",
    "authors",
    "countries",
    "organizations",
    "people",
    "tags",
    "sources",
    "related",
    "events",
    "draft",
    "updated",
)
KNOWN_KEYS = REQUIRED + OPTIONAL
SOURCE_KEYS = ("title", "publisher", "author", "affiliation", "date", "url", "type")
AUTHOR_KEYS = ("name", "affiliation")
EVENT_KEYS = ("date", "title")

_HINTS = {
    "title": 'add a title, e.g. title: "Energy security after the shale boom"',
    "date": "add the publication date as date: YYYY-MM-DD",
    "summary": "add one or two plain sentences that say what the briefing finds",
    "themes": "add a list of theme ids, e.g. themes: [security]",
}


def parse_partial_date(text: str) -> PartialDate | str:
    """A PartialDate, or the reason the text is not one."""
    match = _DATE_RE.match(text.strip())
    if not match:
        return f"'{text}' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY"
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if month is not None and not 1 <= month <= 12:
        return f"'{text}' is not a real date: the month must be 01 to 12"
    if day is not None:
        try:
            dt.date(year, month or 1, day)
        except ValueError:
            return f"'{text}' is not a real date: that month has no day {day}"
    return PartialDate(year, month, day)


@dataclass
class _Checker:
    """Collects the problems of one file; `offset` maps front matter lines to file lines."""

    path: str
    offset: int
    settings: SiteSettings
    problems: list[Problem]

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line + self.offset, message))

    def warn(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line + self.offset, message, Severity.WARNING))

    # -- scalars -----------------------------------------------------------------

    def text(self, node: YNode, where: str, *, required: bool = True) -> str | None:
        if not isinstance(node, YScalar):
            self.error(node.line, f"{where} must be text, not {node.kind}")
            return None
        if node.value is None and not node.quoted:
            if required:
                self.error(node.line, f"{where} is empty: give it a value")
            return None
        # YAML would read `title: Yes` as a boolean and `title: 1984` as a number;
        # for a text field the words the editor typed are what they meant.
        value = node.raw.strip()
        if required and not value:
            self.error(node.line, f"{where} is empty: give it a value")
            return None
        return value or None

    def partial_date(self, node: YNode, where: str) -> PartialDate | None:
        raw = self.text(node, where)
        if raw is None:
            return None
        parsed = parse_partial_date(raw)
        if isinstance(parsed, str):
            self.error(node.line, f"{where}: {parsed}")
            return None
        return parsed

    def full_date(self, node: YNode, where: str) -> dt.date | None:
        parsed = self.partial_date(node, where)
        if parsed is None:
            return None
        if not parsed.is_full:
            self.error(node.line, f"{where}: '{parsed.iso()}' needs a day: write YYYY-MM-DD")
            return None
        return parsed.as_date()

    def boolean(self, node: YNode, where: str) -> bool | None:
        if isinstance(node, YScalar) and isinstance(node.value, bool):
            return node.value
        shown = f"'{node.raw}'" if isinstance(node, YScalar) else node.kind
        self.error(node.line, f"{where} must be true or false, not {shown}")
        return None

    # -- containers ----------------------------------------------------------------

    def items(self, node: YNode, where: str) -> list[YNode]:
        if isinstance(node, YList):
            return node.items
        if isinstance(node, YScalar) and node.value is None and not node.quoted:
            return []
        self.error(node.line, f"{where} must be a list (one '- item' per line, or [a, b]), not {node.kind}")
        return []

    def text_list(self, node: YNode, where: str) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(self.items(node, where)):
            value = self.text(item, f"{where}[{i}]")
            if value is None:
                continue
            if value in seen:
                self.error(item.line, f"{where}[{i}]: '{value}' is listed twice: remove one")
                continue
            seen[value] = i
            out.append((item.line, value))
        return out

    def id_list(self, node: YNode, where: str, allowed: frozenset[str], what: str, hint: str) -> list[str]:
        out = []
        for i, (line, value) in enumerate(self.text_list(node, where)):
            if value not in allowed:
                listed = f"; allowed: {one_of(allowed)}" if 0 < len(allowed) <= 15 else ""
                self.error(
                    line,
                    f"{where}[{i}]: unknown {what} '{value}'{did_you_mean(value, allowed)}{listed}{hint}",
                )
            else:
                out.append(value)
        return out

    def mapping(
        self, node: YNode, where: str, keys: tuple[str, ...], required: tuple[str, ...]
    ) -> dict[str, YNode] | None:
        if not isinstance(node, YMap):
            self.error(node.line, f"{where} must be a mapping with keys {', '.join(keys)}, not {node.kind}")
            return None
        fields: dict[str, YNode] = {}
        for name, (line, value) in node.entries.items():
            if name not in keys:
                self.error(
                    line,
                    f"{where}: unknown key '{name}'{did_you_mean(name, keys)}; allowed: {', '.join(keys)}",
                )
            else:
                fields[name] = value
        ok = True
        for name in required:
            if name not in fields:
                self.error(node.line, f"{where}: missing '{name}'")
                ok = False
        return fields if ok else None

    def records(
        self,
        node: YNode,
        where: str,
        keys: tuple[str, ...],
        required: tuple[str, ...],
        build: Callable[[dict[str, YNode], str], Any],
    ) -> list[Any]:
        out = []
        for i, item in enumerate(self.items(node, where)):
            fields = self.mapping(item, f"{where}[{i}]", keys, required)
            if fields is not None:
                record = build(fields, f"{where}[{i}]")
                if record is not None:
                    out.append(record)
        return out

    # -- records ---------------------------------------------------------------------

    def author(self, fields: dict[str, YNode], where: str) -> Author | None:
        name = self.text(fields["name"], f"{where}.name")
        affiliation = self.optional_text(fields, "affiliation", where)
        return Author(name, affiliation) if name else None

    def optional_text(self, fields: dict[str, YNode], key: str, where: str) -> str | None:
        node = fields.get(key)
        return None if node is None else self.text(node, f"{where}.{key}", required=False)

    def source(self, fields: dict[str, YNode], where: str) -> Source | None:
        title = self.text(fields["title"], f"{where}.title")
        date = None
        if "date" in fields:
            date = self.partial_date(fields["date"], f"{where}.date")
        url = self.optional_text(fields, "url", where)
        if url is not None:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                self.error(
                    fields["url"].line,
                    f"{where}.url: '{url}' is not a web address: use a full http:// or https:// URL, "
                    "or leave url out",
                )
                url = None
        if title is None:
            return None
        return Source(
            title=title,
            publisher=self.optional_text(fields, "publisher", where),
            author=self.optional_text(fields, "author", where),
            affiliation=self.optional_text(fields, "affiliation", where),
            date=date,
            url=url,
            type=self.optional_text(fields, "type", where),
        )

    def event(self, fields: dict[str, YNode], where: str) -> Event | None:
        date = self.partial_date(fields["date"], f"{where}.date")
        title = self.text(fields["title"], f"{where}.title")
        return Event(date, title) if date and title else None


def slug_from_filename(stem: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")


def check_slug(slug: str) -> str | None:
    """The reason a slug is unsafe or unusable, or None."""
    if not SLUG_RE.match(slug):
        return (
            f"slug '{slug}' is not usable in a URL: use lowercase ASCII letters, digits "
            "and single hyphens, e.g. slug: energy-alliance"
        )
    if slug in RESERVED_SLUGS:
        return f"slug '{slug}' is reserved for the site's own pages: choose another"
    return None


def validate_front_matter(
    root: YNode | None,
    *,
    path: str,
    src_rel: str,
    offset: int,
    settings: SiteSettings,
    registry: Registry,
    problems: list[Problem],
) -> Briefing | None:
    """Check every key of one front matter, adding all problems found; a Briefing if none was an error."""
    check = _Checker(path, offset, settings, problems)
    before = sum(1 for p in problems if p.severity is Severity.ERROR)
    if root is None or (isinstance(root, YScalar) and root.value is None):
        check.error(0, "front matter is empty: " + "; ".join(_HINTS[k] for k in REQUIRED))
        return None
    if not isinstance(root, YMap):
        check.error(
            root.line, f"front matter must be a mapping of keys to values (key: value), not {root.kind}"
        )
        return None

    fields: dict[str, YNode] = {}
    for name, (line, node) in root.entries.items():
        if name in KNOWN_KEYS:
            fields[name] = node
        else:
            check.error(
                line,
                f"unknown key '{name}'{did_you_mean(name, KNOWN_KEYS)}; "
                f"allowed keys: {', '.join(KNOWN_KEYS)}",
            )
    for name in REQUIRED:
        if name not in fields:
            check.error(0, f"missing required key '{name}': {_HINTS[name]}")

    def get(name: str, fn: Callable[[YNode, str], Any], default: Any = None) -> Any:
        node = fields.get(name)
        return default if node is None else fn(node, name)

    title = get("title", check.text)
    date = get("date", check.full_date)
    summary = get("summary", check.text)
    theme_hint = " (declare more under plugins: trilat: themes in mkdocs.yml)"
    themes = get(
        "themes",
        lambda n, w: check.id_list(n, w, settings.theme_ids, "theme", theme_hint),
        [],
    )
    if (
        "themes" in fields
        and not themes
        and not any(p.severity is Severity.ERROR and p.path == path for p in problems[before:])
    ):
        check.error(
            fields["themes"].line, f"themes is empty: list at least one of {one_of(settings.theme_ids)}"
        )

    stem = src_rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    slug_node = fields.get("slug")
    slug = check.text(slug_node, "slug") if slug_node is not None else slug_from_filename(stem)
    if slug is not None:
        reason = check_slug(slug)
        if reason:
            if slug_node is None:
                reason = (
                    f"the file name gives {reason[0].lower()}{reason[1:]}; or set slug in the front matter"
                )
            check.error(slug_node.line if slug_node else 0, reason)
            slug = None

    authors = get("authors", lambda n, w: check.records(n, w, AUTHOR_KEYS, ("name",), check.author), [])
    country_hint = " (declare more under plugins: trilat: countries in mkdocs.yml)"
    countries = get(
        "countries",
        lambda n, w: check.id_list(n, w, settings.country_ids, "country", country_hint),
        [],
    )
    data = f"{settings.briefings_dir}/_data"
    organizations = get(
        "organizations",
        lambda n, w: check.id_list(
            n, w, registry.organization_ids, "organisation", f" (declare it in {data}/organizations.yml)"
        ),
        [],
    )
    people = get(
        "people",
        lambda n, w: check.id_list(
            n, w, registry.person_ids, "person", f" (declare it in {data}/people.yml)"
        ),
        [],
    )
    tags = [v for _, v in get("tags", check.text_list, [])]
    sources = get("sources", lambda n, w: check.records(n, w, SOURCE_KEYS, ("title",), check.source), [])
    related_items = get("related", check.text_list, [])
    events = get("events", lambda n, w: check.records(n, w, EVENT_KEYS, EVENT_KEYS, check.event), [])
    draft = get("draft", check.boolean, False)
    updated = get("updated", check.full_date)

    if date and updated and updated < date:
        check.error(
            fields["updated"].line,
            f"updated ({updated.isoformat()}) is before date ({date.isoformat()}): "
            "updated is the day of the last revision",
        )
    if "sources" not in fields or not sources:
        line = fields["sources"].line if "sources" in fields else 0
        check.warn(line, "no sources: list what the briefing draws on under 'sources'")

    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    if errors > before:
        return None
    return Briefing(
        path=path,
        src_rel=src_rel,
        slug=slug,
        title=title,
        date=date,
        summary=summary,
        themes=tuple(themes),
        authors=tuple(authors),
        countries=tuple(countries),
        organizations=tuple(organizations),
        people=tuple(people),
        tags=tuple(tags),
        sources=tuple(sources),
        related=tuple(value for _, value in related_items),
        events=tuple(events),
        draft=bool(draft),
        updated=updated,
        line=1,
    )


def related_lines(root: YNode | None) -> dict[str, int]:
    """Lines of each `related` entry, for errors found only once every file is read."""
    if not isinstance(root, YMap) or "related" not in root.entries:
        return {}
    node = root.entries["related"][1]
    if not isinstance(node, YList):
        return {}
    return {item.raw.strip(): item.line for item in node.items if isinstance(item, YScalar)}
