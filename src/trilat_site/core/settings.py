"""What a site declares about its briefings: every plugin option, its default and its rule, once.

`SiteSettings` is the one place the options are declared. The MkDocs adapter builds its
config class from these fields and the `trilat` command reads mkdocs.yml with
`settings_from_options`, so the build and the command apply the same rules; a test holds
the README's table of options against the fields.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .fields import COUNTRY, THEME, Shape
from .model import Country, Theme
from .problems import unknown_key
from .slugs import SLUG_RE
from .text import field_problem

DEFAULT_THEMES: tuple[Theme, ...] = (
    Theme(
        "security",
        "Security",
        "Deterrence, North Korea's nuclear and missile programmes, alliance coordination, "
        "maritime security and the regional balance of power.",
        "material/shield-outline",
    ),
    Theme(
        "energy",
        "Energy",
        "Energy markets, supply security and the case for trilateral cooperation on oil, "
        "gas and nuclear power.",
        "material/lightning-bolt-outline",
    ),
    Theme(
        "cyber",
        "Cyber and emerging domains",
        "Cyber threats and information sharing, and the norms that govern the nuclear, "
        "cyber and space domains.",
        "material/shield-lock-outline",
    ),
)

DEFAULT_COUNTRIES: tuple[Country, ...] = (
    Country("us", "United States", "U.S."),
    Country("rok", "Republic of Korea (South Korea)", "South Korea"),
    Country("japan", "Japan"),
    Country("china", "People's Republic of China", "China"),
    Country("dprk", "Democratic People's Republic of Korea (North Korea)", "North Korea"),
)


# BCP 47 as sites write it: a language, then script, region or variant subtags.
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def _option(
    default: Any,
    doc: str,
    *,
    minimum: int | None = None,
    pattern: re.Pattern[str] | None = None,
    text: str | None = None,
) -> Any:
    """`text` names what a free-text option holds (its default is None, for "not set")."""
    return field(default=default, metadata={"doc": doc, "minimum": minimum, "pattern": pattern, "text": text})


@dataclass(frozen=True)
class SiteSettings:
    """The trilat plugin's options, with their defaults; independent of any site generator."""

    briefings_dir: str = _option("briefings", "folder of briefings, relative to mkdocs.yml")
    themes: tuple[Theme, ...] = _option(
        DEFAULT_THEMES, "the theme registry; declared themes replace the default security, energy and cyber"
    )
    countries: tuple[Country, ...] = _option(
        DEFAULT_COUNTRIES, "countries added to (or renaming) the core us, rok, japan, china and dprk"
    )
    per_page: int = _option(20, "briefings per listing page before the listing paginates", minimum=1)
    home_latest: int = _option(5, "briefings listed on the home page", minimum=1)
    related_limit: int = _option(5, "at most this many related briefings per page", minimum=1)
    git_history: bool = _option(
        True, "date each briefing's last update from Git, and read the revisions `revision_history` lists"
    )
    history_limit: int = _option(5, "revisions listed per briefing, newest first", minimum=1)
    revision_history: bool = _option(
        False, "show readers each briefing's Git commits (dates and messages) under \"Revision history\""
    )
    edit_links: bool = _option(
        False,
        "link each briefing to its file on the repository host (\"Edit this briefing\", \"View source\") "
        "and show the repository in the header",
    )
    feed_limit: int = _option(50, "entries per Atom feed, newest first; 0 for every briefing", minimum=0)
    templates_dir: str = _option(
        "templates", "folder, relative to mkdocs.yml, whose templates replace the built-in ones of the same name"
    )
    language: str = _option(
        "en",
        "the briefings' language unless one sets its own, a BCP 47 tag (`en`, `ko`, `ja`): citations, "
        "feeds and page metadata say it",
        pattern=LANGUAGE_RE,
    )
    share_cards: bool = _option(
        True, "draw a share picture (`og:image`, 1200×630 PNG) for each briefing and one for the site"
    )
    search: bool = _option(
        True, "build the Pagefind search index and put its search box in the header; false builds without search"
    )
    search_shard_pages: int = _option(
        300,
        "pages per search index shard, on average: each is indexed as soon as its pages are written, "
        "and a preview indexes again only the shards an edit changed",
        minimum=1,
    )
    sanitize: bool = _option(
        True,
        "remove script, event handlers, dangerous addresses and positioning styles from each briefing's "
        "converted body; false only when every author is trusted",
    )
    pdf: bool = _option(True, "make a PDF edition of every published briefing")
    pdf_cache_dir: str = _option(
        ".cache/trilat-pdf",
        "folder, relative to mkdocs.yml and apart from docs_dir and site_dir, that keeps PDFs between builds",
    )
    pdf_timeout: int = _option(
        60, "seconds of processor time one PDF may take before it is given up with a warning", minimum=1
    )
    pdf_workers: int = _option(
        0,
        "processes making PDFs side by side (one fewer while serving); 0 for one per processor core",
        minimum=0,
    )
    convert_workers: int = _option(
        0,
        "processes converting briefing bodies side by side while a build reads its pages; 0 for one per "
        "processor core, 1 to convert them in the build's own process",
        minimum=0,
    )
    license: str | None = _option(
        None, "the licence the briefings are published under, e.g. CC BY 4.0: in the footer and metadata",
        text="the licence's name",
    )
    license_url: str | None = _option(
        None, "where the licence's terms can be read (an http:// or https:// address)", text="an address"
    )
    theme_ids: frozenset[str] = field(init=False, repr=False, compare=False)
    country_ids: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "theme_ids", frozenset(t.id for t in self.themes))
        object.__setattr__(self, "country_ids", frozenset(c.id for c in self.countries))

    def theme(self, theme_id: str) -> Theme:
        return next(t for t in self.themes if t.id == theme_id)

    def country(self, country_id: str) -> Country:
        return next(c for c in self.countries if c.id == country_id)


OPTIONS: tuple[dataclasses.Field[Any], ...] = tuple(f for f in dataclasses.fields(SiteSettings) if f.init)
DEFAULTS = SiteSettings()


class SettingsError(Exception):
    """An option that keeps the settings from being read; the message says what to fix."""


def merge_countries(declared: tuple[Country, ...]) -> tuple[Country, ...]:
    """The five core countries always exist; a site may rename them or add more."""
    by_id = {c.id: c for c in DEFAULT_COUNTRIES}
    for country in declared:
        by_id[country.id] = country
    return tuple(by_id.values())


def _scalar(option: dataclasses.Field[Any], value: Any) -> Any:
    name, default = option.name, option.default
    what = option.metadata["text"]
    if what is not None:
        if not isinstance(value, str) or not value.strip():
            raise SettingsError(f"trilat: {name} must be text: {what}")
        if name.endswith("_url") and not value.strip().startswith(("http://", "https://")):
            raise SettingsError(f"trilat: {name} must be an http:// or https:// address, not {value!r}")
        return value.strip()
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise SettingsError(f"trilat: {name} must be true or false, not {value!r}")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingsError(f"trilat: {name} must be a whole number, not {value!r}")
        minimum = option.metadata["minimum"]
        if minimum is not None and value < minimum:
            raise SettingsError(f"trilat: {name} must be at least {minimum}")
        return value
    pattern = option.metadata["pattern"]
    if pattern is not None:
        if not isinstance(value, str) or not pattern.match(value.strip()):
            raise SettingsError(f"trilat: {name} must be a language tag such as en, ko or ja, not {value!r}")
        return value.strip()
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"trilat: {name} must be a folder name")
    return value.strip().rstrip("/") or default


def _items(options: Mapping[str, Any], key: str, shape: Shape) -> tuple[Any, ...]:
    """A list option whose entries are mappings of `shape`, as records."""
    value = options.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        raise SettingsError(f"trilat: {key} must be a list of entries, each starting with '- id: ...'")
    records = []
    for i, item in enumerate(value):
        where = f"{key}[{i}]"
        if not isinstance(item, Mapping):
            raise SettingsError(f"trilat: {where} must be a mapping with keys {', '.join(shape.keys)}")
        for name in item:
            if name not in shape.keys:
                raise SettingsError(f"trilat: {where}: {unknown_key(str(name), shape.keys)}")
        values = {}
        for f in shape.fields:
            text = item.get(f.name)
            if text is None and not f.required:
                continue
            if not isinstance(text, str) or (f.required and not text.strip()):
                raise SettingsError(f"trilat: {where}.{f.name} must be text")
            reason = field_problem(text)
            if reason:
                raise SettingsError(f"trilat: {where}.{f.name} {reason}")
            values[f.name] = text
        if not SLUG_RE.match(values["id"]):
            raise SettingsError(
                f"trilat: {shape.name} id '{values['id']}' must be lowercase letters, digits and hyphens"
            )
        records.append(shape.make(values))
    ids = [r.id for r in records]
    if len(set(ids)) != len(ids):
        raise SettingsError(f"trilat: a {shape.name} id is declared twice in mkdocs.yml")
    return tuple(records)


def settings_from_options(options: Mapping[str, Any]) -> SiteSettings:
    """The plugin's options as SiteSettings; options not given take their defaults.

    Keys that are not options are left to the site generator, which reports them itself.
    """
    values: dict[str, Any] = {}
    for option in OPTIONS:
        if option.name in ("themes", "countries") or options.get(option.name) is None:
            continue
        values[option.name] = _scalar(option, options[option.name])
    # Declared themes replace the defaults; declared countries add to them.
    values["themes"] = _items(options, "themes", THEME) or DEFAULT_THEMES
    values["countries"] = merge_countries(_items(options, "countries", COUNTRY))
    return SiteSettings(**values)
