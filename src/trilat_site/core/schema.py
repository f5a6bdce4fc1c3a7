"""Checking located YAML nodes against a shape of `fields.py`: every problem found, located.

One checker reads every shape — a briefing's front matter, its sources, authors and events,
the registries' people and organisations — so each kind of value is read, and each kind of
mistake is worded, the same way wherever it appears.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .fields import FRONT_MATTER, REFERENCE_NAMES, TRANSLATION_REQUIRED, Field, Kind, Shape
from .model import Briefing, PartialDate, Period, Registry
from .names import splittable
from .problems import InputError, Problem, Severity, did_you_mean, one_of, unknown_key
from .settings import LANGUAGE_RE, SiteSettings
from .slugs import SLUG_RE, check_slug, slugify
from .text import comparison_key, field_problem
from .yamltree import YList, YMap, YNode, YScalar

_NEVER_BLANK = frozenset(
    {Kind.DATE, Kind.PARTIAL_DATE, Kind.PERIOD, Kind.SLUG, Kind.ID, Kind.LANGUAGE, Kind.ORCID, Kind.IMAGE}
)
_OWN_RULE = frozenset({Kind.SLUG, Kind.ID})
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_ORCID_RE = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
_PATH_PART = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")


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


def parse_period(text: str) -> Period:
    """A Period from a partial date or `START/END`; InputError (without a line) if it is not one."""
    parts = text.strip().split("/")
    if len(parts) > 2 or not all(p.strip() for p in parts):
        raise InputError(
            f"'{text}' is not a date or a range: write YYYY, YYYY-MM or YYYY-MM-DD, "
            "or two of them as START/END (e.g. 2017-03/2017-05)"
        )
    start, end = (parse_partial_date(p) for p in (parts[0], parts[-1]))
    if len(parts) == 2 and start == end:
        raise InputError(f"'{text}' starts and ends on the same date: write {start.iso()}")
    if start.as_date() > end.last_day():
        raise InputError(f"'{text}' ends ({end.iso()}) before it starts ({start.iso()}): write the earlier date first")
    return Period(start, end)


def parse_orcid(text: str) -> str:
    """The bare iD of an ORCID iD or its address; InputError if it is not one or its check digit is wrong."""
    match = _ORCID_RE.match(text.strip())
    if not match:
        raise InputError(f"'{text}' is not an ORCID iD: write four groups of four digits, e.g. 0000-0002-1825-0097")
    ident = match.group(1)
    digits = ident.replace("-", "")
    total = 0
    for digit in digits[:-1]:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    if digits[-1] != ("X" if check == 10 else str(check)):
        raise InputError(f"'{text}' is not an ORCID iD: its last character does not check; copy it from orcid.org")
    return ident


def check_image_path(text: str) -> str:
    """A picture's path below the registry folder, in a form that cannot leave it."""
    parts = text.split("/")
    if not all(_PATH_PART.match(p) for p in parts) or not text.lower().endswith(IMAGE_SUFFIXES):
        raise InputError(
            f"'{text}' is not a picture's path below the registry folder: use letters, digits, '.', '-' "
            "and '_' in folder and file names, and a .jpg, .jpeg, .png or .webp file"
        )
    return text


@dataclass(frozen=True)
class References:
    """The ids each kind of reference may name, and where more are declared."""

    allowed: Mapping[str, frozenset[str]]
    hints: Mapping[str, str]
    unavailable: Mapping[str, str] = dataclasses.field(default_factory=dict)
    """Kinds whose registry file could not be read, and that file."""

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
            dict(registry.broken),
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
        # A slug or id has its own, stricter rule, whose message shows the value.
        text = self.text(node, where, required=f.required or kind in _NEVER_BLANK, chars=kind not in _OWN_RULE)
        if text is None:
            return None
        if kind is Kind.DATE or kind is Kind.PARTIAL_DATE:
            return self.date(text, node, where, full=kind is Kind.DATE)
        readers = {Kind.PERIOD: parse_period, Kind.ORCID: parse_orcid, Kind.IMAGE: check_image_path}
        if kind in readers:
            try:
                return readers[kind](text)
            except InputError as exc:
                self.error(node.line, f"{where}: {exc.message}")
                return None
        if kind is Kind.LANGUAGE and not LANGUAGE_RE.match(text):
            self.error(
                node.line,
                f"{where}: '{text}' is not a language tag: write a BCP 47 tag such as en, ko, ja or en-GB",
            )
            return None
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

    def text(self, node: YNode, where: str, *, required: bool = True, chars: bool = True) -> str | None:
        if not isinstance(node, YScalar):
            self.error(node.line, f"{where} must be text, not {node.kind}")
            return None
        if node.value is None and not node.quoted:
            if required:
                self.error(node.line, f"{where} is empty: give it a value")
            return None
        # YAML would read `title: Yes` as a boolean and `title: 1984` as a number;
        # for a text field the words the editor typed are what they meant.
        # Before stripping: Python counts some control characters as spaces.
        reason = field_problem(node.raw) if chars else None
        if reason:
            self.error(node.line, f"{where} {reason}")
            return None
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
        cause = self.references.unavailable.get(refers_to)
        if cause is not None:
            # Not this file's mistake: reported once, at the registry that failed.
            self.problems.append(
                Problem(self.path, line + self.offset, f"{where}: '{value}' cannot be checked", cause=cause)
            )
            return False
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
        # Compared as readers see them: "Alliances" and "alliances" are one tag.
        seen: dict[str, str] = {}
        for i, item in enumerate(self.items(node, where)):
            value = self.text(item, f"{where}[{i}]")
            if value is None:
                continue
            first = seen.setdefault(comparison_key(value), value)
            if first is not value:
                same = "is listed twice" if first == value else f"is the same as '{first}'"
                self.error(item.line, f"{where}[{i}]: '{value}' {same}: remove one")
                continue
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
        complete = self.combination(node, found, values, where, shape)
        if missing or not complete or any(values[name] is None for name in shape.required):
            return None
        return {name: value for name, value in values.items() if value is not None}

    def combination(
        self, node: YNode, found: Mapping[str, YNode], values: Mapping[str, Any], where: str, shape: Shape
    ) -> bool:
        """The rules between a mapping's keys (`one_of`, `needs`, `excludes`); False if it is no record.

        A name that no rule can split into family and given names is a warning: citations would
        have to give it whole.
        """
        prefix = f"{where}: " if where else ""
        for f in shape.linked:
            name = f.name
            if name not in found or (f.kind is Kind.FLAG and not values.get(name)):
                continue
            if f.needs and f.needs not in found:
                self.error(found[name].line, f"{prefix}{name} needs {f.needs}: add {f.needs}, or leave {name} out")
            for other in f.excludes:
                if other in found:
                    self.error(found[name].line, f"{prefix}{name} and {other} cannot both be given: remove one")
        if shape.one_of:
            chosen = [name for name in shape.one_of if name in found]
            listed = f"{', '.join(shape.one_of[:-1])} or {shape.one_of[-1]}"
            if not chosen:
                self.error(node.line, f"{prefix}give one of {listed}")
                return False
            if len(chosen) > 1:
                self.error(found[chosen[1]].line, f"{prefix}give only one of {listed}, not {' and '.join(chosen)}")
                return False
        name = values.get("name")
        if (
            isinstance(name, str)
            and "family" not in found
            and "family" in shape.keys
            and not values.get("collective")
            and not splittable(name)
        ):
            self.warn(
                found["name"].line,
                f"{prefix}name '{name}' cannot be split into family and given names by rule: "
                "add family and given, which citations need",
            )
        return True

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
    # A translation gives its own words and takes the rest from its original (see fields.py).
    translation = "translation_of" in nodes
    for name in TRANSLATION_REQUIRED if translation else shape.required:
        if name not in nodes:
            check.error(0, f"missing required key '{name}': {shape[name].hint}")
    values: dict[str, Any] = {}
    for name, node in nodes.items():
        if translation and shape[name].in_translation == "refused":
            what = {"related": "related briefings"}.get(name, name)
            check.error(
                node.line,
                f"{name}: a translation shares its original's {what}: remove it here "
                "(and change it in the original if it should change)",
            )
            continue
        mark = check.errors
        values[name] = check.value(shape[name], node, name)
        if name == "themes" and not values[name] and check.errors == mark:
            check.error(node.line, f"themes is empty: list at least one of {one_of(settings.theme_ids)}")
    check.combination(root, nodes, values, "", shape)
    if translation and values.get("language") and values["language"] not in settings.languages:
        check.error(
            nodes["language"].line,
            f"language: '{values['language']}' is not one of the site's languages "
            f"({', '.join(settings.languages)}): declare it under plugins: trilat: languages in mkdocs.yml, "
            "or correct it",
        )

    if "translators" in nodes and not translation:
        check.error(
            nodes["translators"].line,
            "translators: only a translation has translators: add translation_of, or remove translators",
        )

    # Rules across fields, or beyond what one value's kind says.
    if translation:
        # Its slug is its original's, checked once every file is read (loader._cross_check).
        values["slug"] = values.get("translation_of") or ""
        values.setdefault("themes", ())
    elif "slug" not in nodes:
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
    if not values.get("sources") and not translation:
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


def key_lines(root: YNode | None) -> dict[str, int]:
    """The line (counted from the front matter's first) of each top-level key."""
    if not isinstance(root, YMap):
        return {}
    return {name: line for name, (line, _) in root.entries.items()}


def related_lines(root: YNode | None) -> dict[str, int]:
    """Lines of each `related` entry, for errors found only once every file is read."""
    if not isinstance(root, YMap) or "related" not in root.entries:
        return {}
    node = root.entries["related"][1]
    if not isinstance(node, YList):
        return {}
    return {item.raw.strip(): item.line for item in node.items if isinstance(item, YScalar)}
