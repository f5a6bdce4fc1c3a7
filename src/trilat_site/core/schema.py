"""Checking located YAML nodes against a shape of `fields.py`: every problem found, located.

One checker reads every shape — a briefing's front matter, its sources, authors and events,
the registries' people and organisations — so each kind of value is read, and each kind of
mistake is worded, the same way wherever it appears.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .fields import FRONT_MATTER, REFERENCE_NAMES, Field, Kind, Shape
from .model import Briefing, PartialDate, Registry
from .problems import InputError, Problem, Severity, did_you_mean, one_of, unknown_key
from .settings import SiteSettings
from .slugs import SLUG_RE, check_slug, slugify
from .yamltree import YList, YMap, YNode, YScalar

_NEVER_BLANK = frozenset({Kind.DATE, Kind.PARTIAL_DATE, Kind.SLUG, Kind.ID})
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(text: str) -> PartialDate:
    """A PartialDate from YYYY, YYYY-MM or YYYY-MM-DD; InputError (without a line) if it is not one."""
    match = _DATE_RE.match(text.strip())
    if not match:
        raise InputError(f"'{text}' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if month is not None and not 1 <= month <= 12:
        raise InputError(f"'{text}' is not a real date: the month must be 01 to 12")
    if day is not None:
        try:
            dt.date(year, month or 1, day)
        except ValueError:
            raise InputError(f"'{text}' is not a real date: that month has no day {day}") from None
    return PartialDate(year, month, day)


@dataclass(frozen=True)
class References:
    """The ids each kind of reference may name, and where more are declared."""

    allowed: Mapping[str, frozenset[str]]
    hints: Mapping[str, str]

    @classmethod
    def of(cls, settings: SiteSettings, registry: Registry) -> References:
        data = f"{settings.briefings_dir}/_data"
        return cls(
            {
                "theme": settings.theme_ids,
                "country": settings.country_ids,
                "person": registry.person_ids,
                "organization": registry.organization_ids,
            },
            {
                "theme": " (declare more under plugins: trilat: themes in mkdocs.yml)",
                "country": " (declare more under plugins: trilat: countries in mkdocs.yml)",
                "person": f" (declare it in {data}/people.yml)",
                "organization": f" (declare it in {data}/organizations.yml)",
            },
        )


def _child(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


@dataclass
class Checker:
    """Collects the problems of one file; `offset` maps the parsed text's lines to the file's."""

    path: str
    offset: int
    references: References
    problems: list[Problem]

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line + self.offset, message))

    def warn(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line + self.offset, message, Severity.WARNING))

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    # -- one value -------------------------------------------------------------------

    def value(self, f: Field, node: YNode, where: str) -> Any:
        """The field's value read from its node, or None (after reporting why) if it cannot be."""
        kind = f.kind
        if kind is Kind.RECORDS:
            assert f.shape is not None
            return tuple(self.records(node, where, f.shape))
        if kind is Kind.TEXTS:
            return tuple(value for _, value in self.text_list(node, where))
        if kind is Kind.REFS:
            assert f.refers_to is not None
            return tuple(self.ref_list(node, where, f.refers_to))
        if kind is Kind.FLAG:
            return self.flag(node, where)
        # A date, slug or id left empty is a mistake; other optional text may be left blank.
        text = self.text(node, where, required=f.required or kind in _NEVER_BLANK)
        if text is None:
            return None
        if kind is Kind.DATE or kind is Kind.PARTIAL_DATE:
            return self.date(text, node, where, full=kind is Kind.DATE)
        if kind is Kind.URL:
            parts = urlsplit(text)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                self.error(
                    node.line,
                    f"{where}: '{text}' is not a web address: use a full http:// or https:// URL, "
                    "or leave url out",
                )
                return None
        elif kind is Kind.SLUG:
            reason = check_slug(text)
            if reason:
                self.error(node.line, reason)
                return None
        elif kind is Kind.ID:
            if not SLUG_RE.match(text):
                self.error(node.line, f"id '{text}' must be lowercase ASCII letters, digits and hyphens")
                return None
        elif kind is Kind.REF:
            assert f.refers_to is not None
            return text if self.known(text, node.line, where, f.refers_to) else None
        return text

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

    def date(self, text: str, node: YNode, where: str, *, full: bool) -> Any:
        try:
            parsed = parse_partial_date(text)
        except InputError as exc:
            self.error(node.line, f"{where}: {exc.message}")
            return None
        if not full:
            return parsed
        if not parsed.is_full:
            self.error(node.line, f"{where}: '{parsed.iso()}' needs a day: write YYYY-MM-DD")
            return None
        return parsed.as_date()

    def flag(self, node: YNode, where: str) -> bool | None:
        if isinstance(node, YScalar) and isinstance(node.value, bool):
            return node.value
        shown = f"'{node.raw}'" if isinstance(node, YScalar) else node.kind
        self.error(node.line, f"{where} must be true or false, not {shown}")
        return None

    def known(self, value: str, line: int, where: str, refers_to: str) -> bool:
        allowed = self.references.allowed[refers_to]
        if value in allowed:
            return True
        listed = f"; allowed: {one_of(allowed)}" if 0 < len(allowed) <= 15 else ""
        self.error(
            line,
            f"{where}: unknown {REFERENCE_NAMES[refers_to]} '{value}'{did_you_mean(value, allowed)}"
            f"{listed}{self.references.hints[refers_to]}",
        )
        return False

    # -- lists and mappings --------------------------------------------------------------

    def items(self, node: YNode, where: str) -> list[YNode]:
        if isinstance(node, YList):
            return node.items
        if isinstance(node, YScalar) and node.value is None and not node.quoted:
            return []
        self.error(node.line, f"{where} must be a list (one '- item' per line, or [a, b]), not {node.kind}")
        return []

    def text_list(self, node: YNode, where: str) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        seen: set[str] = set()
        for i, item in enumerate(self.items(node, where)):
            value = self.text(item, f"{where}[{i}]")
            if value is None:
                continue
            if value in seen:
                self.error(item.line, f"{where}[{i}]: '{value}' is listed twice: remove one")
                continue
            seen.add(value)
            out.append((item.line, value))
        return out

    def ref_list(self, node: YNode, where: str, refers_to: str) -> list[str]:
        return [
            value
            for i, (line, value) in enumerate(self.text_list(node, where))
            if self.known(value, line, f"{where}[{i}]", refers_to)
        ]

    def fields(self, node: YNode, where: str, shape: Shape, *, label: str = "allowed") -> dict[str, YNode] | None:
        """The mapping's nodes by key, every unknown key reported; None if it is no mapping."""
        if not isinstance(node, YMap):
            self.error(node.line, f"{where} must be a mapping with keys {', '.join(shape.keys)}, not {node.kind}")
            return None
        found: dict[str, YNode] = {}
        for name, (line, value) in node.entries.items():
            if name in shape.keys:
                found[name] = value
            else:
                prefix = f"{where}: " if where else ""
                self.error(line, prefix + unknown_key(name, shape.keys, label=label))
        return found

    def mapping(self, node: YNode, where: str, shape: Shape) -> dict[str, Any] | None:
        """A mapping of `shape` read into values; None unless every required value could be read.

        An optional value that cannot be read is reported and left out, so the record still
        counts (a source with a bad address is still a source).
        """
        found = self.fields(node, where, shape)
        if found is None:
            return None
        missing = [name for name in shape.required if name not in found]
        for name in missing:
            self.error(node.line, f"{where}: missing '{name}'")
        values = {name: self.value(shape[name], value, _child(where, name)) for name, value in found.items()}
        if missing or any(values[name] is None for name in shape.required):
            return None
        return {name: value for name, value in values.items() if value is not None}

    def records(self, node: YNode, where: str, shape: Shape) -> list[Any]:
        out = []
        for i, item in enumerate(self.items(node, where)):
            values = self.mapping(item, f"{where}[{i}]", shape)
            if values is not None:
                out.append(shape.make(values))
        return out


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
    check = Checker(path, offset, References.of(settings, registry), problems)
    before = check.errors
    shape = FRONT_MATTER
    if root is None or (isinstance(root, YScalar) and root.value is None):
        check.error(0, "front matter is empty: " + "; ".join(shape[k].hint for k in shape.required))
        return None
    if not isinstance(root, YMap):
        check.error(root.line, f"front matter must be a mapping of keys to values (key: value), not {root.kind}")
        return None

    nodes = check.fields(root, "", shape, label="allowed keys")
    assert nodes is not None
    for name in shape.required:
        if name not in nodes:
            check.error(0, f"missing required key '{name}': {shape[name].hint}")
    values: dict[str, Any] = {}
    for name, node in nodes.items():
        mark = check.errors
        values[name] = check.value(shape[name], node, name)
        if name == "themes" and not values[name] and check.errors == mark:
            check.error(node.line, f"themes is empty: list at least one of {one_of(settings.theme_ids)}")

    # Rules across fields, or beyond what one value's kind says.
    if "slug" not in nodes:
        stem = src_rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        slug = slugify(stem)
        reason = check_slug(slug)
        if reason:
            check.error(0, f"the file name gives {reason[0].lower()}{reason[1:]}; or set slug in the front matter")
        values["slug"] = slug
    date, updated = values.get("date"), values.get("updated")
    if date and updated and updated < date:
        check.error(
            nodes["updated"].line,
            f"updated ({updated.isoformat()}) is before date ({date.isoformat()}): "
            "updated is the day of the last revision",
        )
    for i, change in enumerate(values.get("changes") or ()):
        if date and change.date < date:
            check.error(
                _item_line(nodes["changes"], i, "date"),
                f"changes[{i}].date ({change.date.isoformat()}) is before date ({date.isoformat()}): "
                "a change is made after the briefing is published",
            )
    if not values.get("sources"):
        line = nodes["sources"].line if "sources" in nodes else 0
        check.warn(line, "no sources: list what the briefing draws on under 'sources'")

    if check.errors > before:
        return None
    return shape.make(values, path=path, src_rel=src_rel)


def _item_line(node: YNode, i: int, key: str) -> int:
    """The line of `key` in the i-th mapping of a list, else of the list."""
    if isinstance(node, YList) and i < len(node.items):
        item = node.items[i]
        if isinstance(item, YMap) and key in item.entries:
            return item.entries[key][1].line
    return node.line


def related_lines(root: YNode | None) -> dict[str, int]:
    """Lines of each `related` entry, for errors found only once every file is read."""
    if not isinstance(root, YMap) or "related" not in root.entries:
        return {}
    node = root.entries["related"][1]
    if not isinstance(node, YList):
        return {}
    return {item.raw.strip(): item.line for item in node.items if isinstance(item, YScalar)}
