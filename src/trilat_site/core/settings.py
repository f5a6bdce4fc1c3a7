"""What a site declares about its briefings: every plugin option, its default and its rule, once.

`SiteSettings` is the one place the options are declared. The MkDocs adapter builds its
config class from these fields and the `trilat` command reads mkdocs.yml with
`settings_from_options`, so the build and the command apply the same rules; a test holds
the README's table of options against the fields.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from babel import Locale, UnknownLocaleError

from .fields import COUNTRY, THEME, Kind, Shape
from .model import Briefing, Country, SiteText, Theme
from .problems import unknown_key
from .slugs import SLUG_RE
from .text import field_problem

# The default registries are data, as a site's own themes and countries are: their names in
# Korean and Japanese are declared with them, in the shape a site uses for its own.
DEFAULT_THEMES: tuple[Theme, ...] = (
    Theme(
        "security",
        "Security",
        "Deterrence, North Korea's nuclear and missile programmes, alliance coordination, "
        "maritime security and the regional balance of power.",
        "material/shield-outline",
        (
            (
                "ko",
                (
                    ("title", "안보"),
                    (
                        "description",
                        "억지, 북한의 핵·미사일 프로그램, 동맹 간 공조, 해양 안보, 그리고 지역 세력 균형.",
                    ),
                ),
            ),
            (
                "ja",
                (
                    ("title", "安全保障"),
                    (
                        "description",
                        "抑止、北朝鮮の核・ミサイル開発、同盟間の連携、海洋安全保障、そして地域の勢力均衡。",
                    ),
                ),
            ),
        ),
    ),
    Theme(
        "energy",
        "Energy",
        "Energy markets, supply security and the case for trilateral cooperation on oil, "
        "gas and nuclear power.",
        "material/lightning-bolt-outline",
        (
            (
                "ko",
                (
                    ("title", "에너지"),
                    ("description", "에너지 시장, 공급 안보, 그리고 석유·가스·원자력 분야 3국 협력의 필요성."),
                ),
            ),
            (
                "ja",
                (
                    ("title", "エネルギー"),
                    (
                        "description",
                        "エネルギー市場、供給の安全保障、そして石油・ガス・原子力をめぐる3か国協力の意義。",
                    ),
                ),
            ),
        ),
    ),
    Theme(
        "cyber",
        "Cyber and emerging domains",
        "Cyber threats and information sharing, and the norms that govern the nuclear, "
        "cyber and space domains.",
        "material/shield-lock-outline",
        (
            (
                "ko",
                (
                    ("title", "사이버·신흥 영역"),
                    ("description", "사이버 위협과 정보 공유, 그리고 핵·사이버·우주 영역을 규율하는 규범."),
                ),
            ),
            (
                "ja",
                (
                    ("title", "サイバー・新興領域"),
                    ("description", "サイバー脅威と情報共有、そして核・サイバー・宇宙の各領域を律する規範。"),
                ),
            ),
        ),
    ),
)

DEFAULT_COUNTRIES: tuple[Country, ...] = (
    Country(
        "us",
        "United States",
        "U.S.",
        (
            ("ko", (("name", "미국"),)),
            ("ja", (("name", "アメリカ合衆国"), ("short_name", "米国"))),
        ),
    ),
    Country(
        "rok",
        "Republic of Korea (South Korea)",
        "South Korea",
        (
            ("ko", (("name", "대한민국"), ("short_name", "한국"))),
            ("ja", (("name", "大韓民国（韓国）"), ("short_name", "韓国"))),
        ),
    ),
    Country("japan", "Japan", None, (("ko", (("name", "일본"),)), ("ja", (("name", "日本"),)))),
    Country(
        "china",
        "People's Republic of China",
        "China",
        (
            ("ko", (("name", "중화인민공화국(중국)"), ("short_name", "중국"))),
            ("ja", (("name", "中華人民共和国（中国）"), ("short_name", "中国"))),
        ),
    ),
    Country(
        "dprk",
        "Democratic People's Republic of Korea (North Korea)",
        "North Korea",
        (
            ("ko", (("name", "조선민주주의인민공화국(북한)"), ("short_name", "북한"))),
            ("ja", (("name", "朝鮮民主主義人民共和国（北朝鮮）"), ("short_name", "北朝鮮"))),
        ),
    ),
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
    languages: tuple[str, ...] = _option(
        (),
        "the site's languages, in order, as BCP 47 tags, e.g. `[en, ko, ja]`: the first at today's paths, "
        "each other under its own prefix (`/ko/`); `language` must be among them",
    )
    site_translations: tuple[tuple[str, SiteText], ...] = _option(
        (),
        "the site's name and description in each language after the first: "
        "`{ko: {site_name: ..., site_description: ...}}`",
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
        "processes converting briefing bodies side by side while a build reads its pages, and writing pages "
        "side by side when `make serve` rebuilds many; 0 for one per processor core, 1 to do both in the "
        "build's own process",
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
        if not self.languages:
            # One language, the briefings': a site that says nothing of languages is as it was.
            object.__setattr__(self, "languages", (self.language,))

    @property
    def default_language(self) -> str:
        """The language of the pages at the site's own paths (the others have a prefix)."""
        return self.languages[0]

    @property
    def multilingual(self) -> bool:
        return len(self.languages) > 1

    def language_of(self, b: Briefing) -> str:
        """The site language whose pages hold the record: a translation's own; an original's when
        the site declares it, else the default language (the page then says the briefing's own)."""
        language = b.language or self.language
        return language if language in self.languages else self.default_language

    def site_text(self, language: str) -> SiteText | None:
        """The site's name and description in a language after the first, if the site gives them."""
        return next((text for lang, text in self.site_translations if lang == language), None)

    def in_language(self, language: str) -> SiteSettings:
        """The same settings, the themes and countries named in `language` where they say how."""
        return _in_language(self, language)

    def theme(self, theme_id: str) -> Theme:
        return self._themes_by_id[theme_id]

    def country(self, country_id: str) -> Country:
        return self._countries_by_id[country_id]

    # Looked up for every related briefing's reason, tens of thousands of times at 5,000 briefings.
    @functools.cached_property
    def _themes_by_id(self) -> dict[str, Theme]:
        return {t.id: t for t in reversed(self.themes)}

    @functools.cached_property
    def _countries_by_id(self) -> dict[str, Country]:
        return {c.id: c for c in reversed(self.countries)}


@functools.cache
def _in_language(settings: SiteSettings, language: str) -> SiteSettings:
    if language == settings.default_language:
        return settings
    return dataclasses.replace(
        settings,
        themes=tuple(t.in_language(language) for t in settings.themes),
        countries=tuple(c.in_language(language) for c in settings.countries),
    )


OPTIONS: tuple[dataclasses.Field[Any], ...] = tuple(f for f in dataclasses.fields(SiteSettings) if f.init)
DEFAULTS = SiteSettings()
# Options that are lists or mappings, read by their own rules below.
_STRUCTURED = frozenset({"themes", "countries", "languages", "site_translations"})


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
        values: dict[str, Any] = {}
        for f in shape.fields:
            if f.kind is Kind.TRANSLATIONS:
                values[f.name] = _translations(item.get(f.name), f"{where}.{f.name}", shape)
                continue
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


def known_language(tag: str) -> bool:
    """Whether Babel knows the language of a BCP 47 tag (en, ko, ja, en-GB, zh-Hant)."""
    try:
        Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return False
    return True


def _translations(value: Any, where: str, shape: Shape) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """A theme's or country's names in other languages: `{ko: {title: ..., description: ...}}`."""
    if value is None:
        return ()
    names = tuple(f.name for f in shape.fields if f.kind is Kind.TEXT)
    if not isinstance(value, Mapping):
        raise SettingsError(f"trilat: {where} must map language tags to {{{', '.join(names)}}}")
    out = []
    for language, texts in value.items():
        if not isinstance(language, str) or not LANGUAGE_RE.match(language):
            raise SettingsError(f"trilat: {where}: {language!r} is not a language tag such as ko or ja")
        if not isinstance(texts, Mapping):
            raise SettingsError(f"trilat: {where}.{language} must be a mapping with keys {', '.join(names)}")
        pairs = []
        for key, text in texts.items():
            if key not in names:
                raise SettingsError(f"trilat: {where}.{language}: {unknown_key(str(key), names)}")
            if not isinstance(text, str) or not text.strip():
                raise SettingsError(f"trilat: {where}.{language}.{key} must be text")
            reason = field_problem(text)
            if reason:
                raise SettingsError(f"trilat: {where}.{language}.{key} {reason}")
            pairs.append((str(key), text.strip()))
        out.append((language, tuple(pairs)))
    return tuple(out)


def _languages(value: Any, language: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not value:
        raise SettingsError("trilat: languages must be a list of language tags, e.g. [en, ko, ja]")
    tags: list[str] = []
    for i, tag in enumerate(value):
        if not isinstance(tag, str) or not LANGUAGE_RE.match(tag.strip()) or not known_language(tag.strip()):
            raise SettingsError(
                f"trilat: languages[{i}]: {tag!r} is not a language tag Babel knows: "
                "write a BCP 47 tag such as en, ko or ja"
            )
        if tag.strip() in tags:
            raise SettingsError(f"trilat: languages[{i}]: '{tag.strip()}' is listed twice: remove one")
        tags.append(tag.strip())
    if language not in tags:
        raise SettingsError(
            f"trilat: language '{language}' is not among languages ({', '.join(tags)}): "
            "add it to languages, or set language to one of them"
        )
    return tuple(tags)


def _site_translations(value: Any, languages: tuple[str, ...]) -> tuple[tuple[str, SiteText], ...]:
    if value is None:
        return ()
    keys = ("site_name", "site_description")
    if not isinstance(value, Mapping):
        raise SettingsError(
            "trilat: site_translations must map language tags to {site_name, site_description}, "
            "e.g. ko: {site_name: ...}"
        )
    out = []
    for language, texts in value.items():
        if language not in languages[1:]:
            where = "the first of languages, named by site_name in mkdocs.yml" if languages[:1] == (language,) else (
                f"not among languages ({', '.join(languages)})"
            )
            raise SettingsError(f"trilat: site_translations: {language!r} is {where}")
        if not isinstance(texts, Mapping):
            raise SettingsError(f"trilat: site_translations.{language} must be a mapping with keys {', '.join(keys)}")
        found: dict[str, str] = {}
        for key, text in texts.items():
            if key not in keys:
                raise SettingsError(f"trilat: site_translations.{language}: {unknown_key(str(key), keys)}")
            if not isinstance(text, str) or not text.strip():
                raise SettingsError(f"trilat: site_translations.{language}.{key} must be text")
            reason = field_problem(text)
            if reason:
                raise SettingsError(f"trilat: site_translations.{language}.{key} {reason}")
            found[str(key)] = text.strip()
        out.append((language, SiteText(found.get("site_name"), found.get("site_description"))))
    return tuple(out)


def settings_from_options(options: Mapping[str, Any]) -> SiteSettings:
    """The plugin's options as SiteSettings; options not given take their defaults.

    Keys that are not options are left to the site generator, which reports them itself.
    """
    values: dict[str, Any] = {}
    for option in OPTIONS:
        if option.name in _STRUCTURED or options.get(option.name) is None:
            continue
        values[option.name] = _scalar(option, options[option.name])
    # Declared themes replace the defaults; declared countries add to them.
    values["themes"] = _items(options, "themes", THEME) or DEFAULT_THEMES
    values["countries"] = merge_countries(_items(options, "countries", COUNTRY))
    languages = _languages(options.get("languages"), values.get("language", DEFAULTS.language))
    values["languages"] = languages
    values["site_translations"] = _site_translations(
        options.get("site_translations"), languages or (values.get("language", DEFAULTS.language),)
    )
    return SiteSettings(**values)
