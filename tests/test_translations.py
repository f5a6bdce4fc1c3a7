"""Korean and Japanese editions: translations as files, their checks, and the site in each language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import briefing
from trilat_site.core.index import build_index
from trilat_site.core.loader import load_briefings
from trilat_site.core.settings import SettingsError, SiteSettings, settings_from_options

LANGUAGES = SiteSettings(languages=("en", "ko", "ja"))


def translation(of: str = "good", language: str = "ko", **extra: str) -> str:
    """A valid translation file; `extra` adds front matter lines verbatim."""
    lines = [
        "---",
        f"translation_of: {of}",
        f"language: {language}",
        "title: 좋은 브리핑",
        "date: 2017-05-01",
        "summary: 한 가지를 밝힌다.",
    ]
    lines += [f"{k}: {v}" for k, v in extra.items()]
    return "\n".join(lines) + "\n---\n\n본문.\n"


GOOD = {
    "good.md": briefing("Good one", "2017-01-01", tags="[alliances]", countries="[us, rok]"),
    "other.md": briefing("Other one", "2017-02-01"),
}


def _load(root: Path, files: dict[str, str], settings: SiteSettings = LANGUAGES):
    folder = root / "briefings"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {**GOOD, **files}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return load_briefings(root, settings)


BAD = {
    "no-original": (
        {"good.ko.md": translation(of="godo")},
        "briefings/good.ko.md:2: translation_of: 'godo' names no briefing (did you mean 'good'?): "
        "give the slug of the original briefing",
    ),
    "undeclared-language": (
        {"good.fr.md": translation(language="fr")},
        "briefings/good.fr.md:3: language: 'fr' is not one of the site's languages (en, ko, ja): declare it "
        "under plugins: trilat: languages in mkdocs.yml, or correct it",
    ),
    "original-language": (
        {"good.en.md": translation(language="en")},
        "briefings/good.en.md:3: language: 'en' is the language of the original, briefings/good.md: "
        "a translation is in another language",
    ),
    "into-the-first-language": (
        {"kor.md": briefing("Korean one", "2017-01-01", language="ko"), "kor.en.md": translation("kor", "en")},
        "briefings/kor.en.md:3: language: 'en' is the site's first language, whose pages are the originals: "
        "a translation is into another of the site's languages (ko, ja)",
    ),
    "two-into-one-language": (
        {"good.ko.md": translation(), "good-again.ko.md": translation()},
        "briefings/good.ko.md:2: translation_of: 'good' already has a translation into 'ko', "
        "briefings/good-again.ko.md:2: remove one, or correct its language",
    ),
    "slug": (
        {"good.ko.md": translation(slug="good-ko")},
        "briefings/good.ko.md:7: slug: a translation shares its original's slug: remove it here "
        "(and change it in the original if it should change)",
    ),
    "related": (
        {"good.ko.md": translation(related="[other]")},
        "briefings/good.ko.md:7: related: a translation shares its original's related briefings: remove it "
        "here (and change it in the original if it should change)",
    ),
    "no-language": (
        {"good.ko.md": translation().replace("language: ko\n", "")},
        "briefings/good.ko.md:1: missing required key 'language': add the translation's language, one of "
        "the site's languages, e.g. language: ko",
    ),
    "translators-without-original": (
        {"third.md": briefing("Third", "2017-03-01", translators="\n  - name: A. Translator")},
        "briefings/third.md:10: translators: only a translation has translators: add translation_of, "
        "or remove translators",
    ),
    "before-the-original": (
        {"good.ko.md": translation().replace("2017-05-01", "2016-12-31")},
        "briefings/good.ko.md:5: date (2016-12-31) is before the original's (2017-01-01, briefings/good.md): "
        "a translation is published on or after its original",
    ),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_a_bad_translation_is_a_located_error_and_loses_nothing(tmp_path, kind: str) -> None:
    files, expected = BAD[kind]
    corpus = _load(tmp_path, files)
    assert [str(p) for p in corpus.errors] == [expected]
    assert not corpus.warnings
    originals = {b.slug for b in corpus.briefings if not b.is_translation}
    assert originals >= {"good", "other"}, "no valid briefing may be lost"


def test_a_translation_of_a_refused_original_is_one_line_at_the_original(tmp_path) -> None:
    corpus = _load(tmp_path, {"good.md": briefing(themes="[nope]"), "good.ko.md": translation()})
    assert [str(p) for p in corpus.errors] == [
        "briefings/good.md:5: themes[0]: unknown theme 'nope'; allowed: cyber, energy, security (declare more "
        "under plugins: trilat: themes in mkdocs.yml)",
        "briefings/good.md:5: 1 translation in 1 briefing cannot be checked until this is fixed "
        "(the first: briefings/good.ko.md:2)",
    ]
    assert {b.slug for b in corpus.briefings} == {"other"}


def test_a_translation_of_a_draft_waits_with_a_warning(tmp_path) -> None:
    corpus = _load(
        tmp_path, {"drafty.md": briefing("Drafty", "2017-01-01", draft="true"), "drafty.ko.md": translation("drafty")}
    )
    assert not corpus.errors
    assert [str(p) for p in corpus.warnings] == [
        "briefings/drafty.ko.md:2: translation_of: 'drafty' is a draft, so this translation is left out "
        "until it is published"
    ]
    index = build_index(corpus.briefings, LANGUAGES)
    assert "drafty" not in index.by_slug
    assert index.editions("drafty") == {}
    assert "drafty" not in index.in_language("ko").by_slug


def test_a_translation_takes_what_it_does_not_give_from_its_original(tmp_path) -> None:
    corpus = _load(
        tmp_path,
        {
            "good.ko.md": translation(),
            "good.ja.md": translation(language="ja", tags="[同盟]", translators="\n  - name: 編集部\n    collective: true"),
        },
    )
    assert not corpus.errors and not corpus.warnings
    by = {(b.slug, b.language): b for b in corpus.briefings}
    original, ko, ja = by[("good", None)], by[("good", "ko")], by[("good", "ja")]
    assert ko.title == "좋은 브리핑" and ko.summary == "한 가지를 밝힌다."
    assert ko.themes == original.themes == ("security",)
    assert ko.countries == ("us", "rok") and ko.sources == original.sources
    assert ko.tags == ("alliances",) and ja.tags == ("同盟",)
    assert ko.translation_of == "good" and ko.slug == "good"
    assert [t.name for t in ja.translators] == ["編集部"] and ko.translators == ()


def test_each_language_lists_its_edition_or_else_the_original(tmp_path) -> None:
    corpus = _load(tmp_path, {"good.ko.md": translation()})
    index = build_index(corpus.briefings, LANGUAGES)
    assert [b.title for b in index.briefings] == ["Other one", "Good one"]
    ko = index.in_language("ko")
    assert ko.language == "ko"
    # Newest first by each edition's own date: the translation is what is new to Korean readers.
    assert [(b.title, b.language) for b in ko.briefings] == [("좋은 브리핑", "ko"), ("Other one", None)]
    assert [b.title for b in index.in_language("ja").briefings] == ["Other one", "Good one"]
    assert set(index.editions("good")) == {"en", "ko"}
    assert index.original(index.editions("good")["ko"]).title == "Good one"
    # The Korean view names themes and countries in Korean.
    assert ko.settings.theme("security").title == "안보"
    assert ko.settings.country("rok").label == "한국"


def test_without_languages_a_site_has_its_one_language(tmp_path) -> None:
    settings = settings_from_options({})
    assert settings.languages == ("en",) and not settings.multilingual
    assert settings_from_options({"language": "ko"}).languages == ("ko",)
    # A translation on a site of one language is a located error, not a page.
    corpus = _load(tmp_path, {"good.ko.md": translation()}, SiteSettings())
    assert [str(p) for p in corpus.errors] == [
        "briefings/good.ko.md:3: language: 'ko' is not one of the site's languages (en): declare it under "
        "plugins: trilat: languages in mkdocs.yml, or correct it"
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"languages": ["ko", "ja"]},
            "trilat: language 'en' is not among languages (ko, ja): add it to languages, or set language to one of them",
        ),
        ({"languages": ["en", "ko", "en"]}, "trilat: languages[2]: 'en' is listed twice: remove one"),
        (
            {"languages": ["en", "xx-notalanguage"]},
            "trilat: languages[1]: 'xx-notalanguage' is not a language tag Babel knows: write a BCP 47 tag "
            "such as en, ko or ja",
        ),
        ({"languages": "en"}, "trilat: languages must be a list of language tags, e.g. [en, ko, ja]"),
        (
            {"languages": ["en", "ko"], "site_translations": {"ja": {"site_name": "サイト"}}},
            "trilat: site_translations: 'ja' is not among languages (en, ko)",
        ),
        (
            {"languages": ["en", "ko"], "site_translations": {"ko": {"name": "사이트"}}},
            "trilat: site_translations.ko: unknown key 'name' (did you mean 'site_name'?); allowed: site_name, "
            "site_description",
        ),
    ],
)
def test_bad_languages_are_clear_errors(options: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        settings_from_options(options)
    assert str(caught.value) == message


# -- the site in each language ---------------------------------------------------------------

SITE = {
    "briefings/good.md": briefing(
        "Good one", "2017-03-09", summary="It finds one thing.", countries="[us, rok]", period='"2017-03"'
    ),
    "briefings/other.md": briefing("Other one", "2017-02-01", people="[park-geun-hye, xi-jinping]"),
    "briefings/_data/people.yml": (
        "- id: park-geun-hye\n  name: Park Geun-hye\n  family: Park\n  given: Geun-hye\n  native_name: 박근혜\n"
        "- id: xi-jinping\n  name: Xi Jinping\n  native_name: 习近平\n"
    ),
    "briefings/good.ko.md": translation(tags="[동맹]").replace("본문.", "본문. [다른 브리핑](other.md)"),
}
TWO = "languages: [en, ko]\nsite_translations:\n  ko: {site_name: 테스트 사이트}\n"


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    from conftest import SiteFactory

    factory = SiteFactory(tmp_path_factory.mktemp("two") / "proj")
    result = factory.build(SITE, TWO)
    assert result.returncode == 0, result.stderr
    return result


def _alternates(soup) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in soup.select('head link[rel="alternate"][hreflang]')}


def test_each_language_has_its_pages_under_its_prefix(two) -> None:
    site = two.site
    for path in ("ko/index.html", "ko/briefings/index.html", "ko/briefings/good/index.html",
                 "ko/themes/security/index.html", "ko/countries/rok/index.html", "ko/timeline/index.html",
                 "ko/coverage/index.html", "ko/feed.xml", "ko/themes/security/feed.xml"):
        assert (site / path).is_file(), path
    # No page is made up for a briefing nobody translated.
    assert not (site / "ko/briefings/other").exists()
    assert two.html("ko/").html["lang"] == "ko"
    assert two.html("ko/briefings/good/").html["lang"] == "ko"
    assert two.html("briefings/good/").html["lang"] == "en"
    assert two.html("ko/briefings/").title.string == "브리핑 - 테스트 사이트"


def test_editions_name_each_other_both_ways(two) -> None:
    base = "https://example.org/site/"
    both = {
        "en": f"{base}briefings/good/",
        "ko": f"{base}ko/briefings/good/",
        "x-default": f"{base}briefings/good/",
    }
    assert _alternates(two.html("briefings/good/")) == both
    assert _alternates(two.html("ko/briefings/good/")) == both
    # A briefing with no Korean edition has no alternates, nor a tag only the translation gives;
    # a listing has one in each language.
    assert _alternates(two.html("briefings/other/")) == {}
    (korean_tag,) = [p.parent.name for p in (two.site / "ko/tags").glob("*/index.html")]
    assert not (two.site / "tags" / korean_tag).exists()
    assert _alternates(two.html(f"ko/tags/{korean_tag}/")) == {}
    assert _alternates(two.html("ko/themes/security/")) == {
        "en": f"{base}themes/security/",
        "ko": f"{base}ko/themes/security/",
        "x-default": f"{base}themes/security/",
    }


def test_the_switcher_goes_to_the_same_page_or_else_home(two) -> None:
    def targets(path: str) -> list[tuple[str, str | None]]:
        nav = two.html(path).select_one("nav.trilat-languages")
        assert nav is not None
        return [(item.get_text(strip=True), item.get("href")) for item in nav.select("a, span[aria-current]")]

    assert targets("briefings/good/") == [("English", None), ("한국어", "../../ko/briefings/good/")]
    assert targets("ko/briefings/good/") == [("English", "../../../briefings/good/"), ("한국어", None)]
    # The Korean site has no page for an untranslated briefing: its switcher goes to the Korean home.
    assert targets("briefings/other/") == [("English", None), ("한국어", "../../ko/")]


def test_a_listing_shows_each_edition_and_marks_originals(two) -> None:
    items = two.content("ko/briefings/").select("li.trilat-item")
    titles = [(li.select_one("a").get_text(), li.select_one("a")["href"], li.select_one("a").get("lang")) for li in items]
    assert titles == [("좋은 브리핑", "good/", None), ("Other one", "../../briefings/other/", "en")]
    assert items[1].select_one(".trilat-original-only").get_text() == "영어 원문만"
    assert items[1].select_one("a")["hreflang"] == "en"
    assert items[1].select_one(".trilat-item__summary")["lang"] == "en"
    assert items[0].select_one(".trilat-item__summary").get("lang") is None
    assert items[0].select_one(".trilat-original-only") is None
    # The Korean words and dates of the interface.
    assert "분석 기간 2017년 3월 · 발행 2017년 5월 1일" in items[0].get_text(" ", strip=True)
    # The English listing is as it always was.
    english = two.content("briefings/").select("li.trilat-item a.trilat-item__title")
    assert [a.get_text() for a in english] == ["Good one", "Other one"]
    assert "covers March 2017 · published 9 March 2017" in two.content("briefings/").get_text(" ", strip=True)


def test_a_translation_says_it_is_one(two) -> None:
    page = two.content("ko/briefings/good/")
    notice = page.select_one(".trilat-translation")
    assert notice is not None
    assert notice.get_text(" ", strip=True) == (
        "영어 원문 을 테스트 사이트 편집부 이(가) 번역했습니다( 2017년 5월 1일 ). 원문 발행일: 2017년 3월 9일 ."
    )
    # The site's editors in the page's words; the reference keeps the name they publish under.
    assert page.select_one(".trilat-byline").get_text(" ", strip=True) == "작성: 테스트 사이트 편집부"
    assert two.content("briefings/good/").select_one(".trilat-byline").get_text(" ", strip=True) == "By Test Site editors"
    assert notice.select_one("a")["href"] == "../../../briefings/good/"
    assert page.h1.get_text() == "좋은 브리핑"
    # What the translation does not give is its original's; a body link to the original file
    # goes to the original's page.
    assert [a.get_text() for a in page.select(".trilat-countries a")] == ["미국", "한국"]
    body_link = next(a for a in page.select("a") if a.get_text() == "다른 브리핑")
    assert body_link["href"] == "../../../briefings/other/"
    # Its reference is worded and dated in its language; the original's keeps the English form.
    assert page.select_one(".trilat-citation").get_text() == (
        "Test Site editors. “좋은 브리핑.” Test Site, 2017년 5월 1일. https://example.org/site/ko/briefings/good/"
    )
    assert two.content("briefings/good/").select_one(".trilat-citation").get_text() == (
        "Test Site editors. “Good one.” Test Site, 9 March 2017. https://example.org/site/briefings/good/"
    )
    head = two.html("ko/briefings/good/").head
    assert head.select_one('meta[name="citation_language"]')["content"] == "ko"
    data = json.loads(head.select_one('script[type="application/ld+json"]').string)
    assert data["inLanguage"] == "ko"
    assert data["translationOfWork"] == {"@type": "Report", "url": "https://example.org/site/briefings/good/"}
    original = json.loads(two.html("briefings/good/").head.select_one('script[type="application/ld+json"]').string)
    assert original["inLanguage"] == "en"
    assert original["workTranslation"] == [
        {"@type": "Report", "url": "https://example.org/site/ko/briefings/good/", "inLanguage": "ko"}
    ]


def test_each_language_has_its_feed(two) -> None:
    import feedparser

    ko = (two.site / "ko/feed.xml").read_text(encoding="utf-8")
    assert '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ko">' in ko
    parsed = feedparser.parse(ko)
    assert [(e.title, e.link) for e in parsed.entries] == [
        ("좋은 브리핑", "https://example.org/site/ko/briefings/good/"),
        ("Other one", "https://example.org/site/briefings/other/"),
    ]
    # The original among the Korean entries says its own language.
    assert '<entry xml:lang="en">' in ko and ko.count("<entry") == 2
    english = (two.site / "feed.xml").read_text(encoding="utf-8")
    assert 'xml:lang="en"' in english and "좋은 브리핑" not in english
    assert parsed.feed.title == "테스트 사이트"
    assert two.content("ko/about/").h1.get_text() == "테스트 사이트 소개"
    head_feed = two.html("ko/").select_one('link[type="application/atom+xml"]')
    assert (head_feed["href"], head_feed["title"]) == ("feed.xml", "테스트 사이트")


def test_the_sitemap_lists_each_pages_editions(two) -> None:
    import xml.etree.ElementTree as ET

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(two.site / "sitemap.xml").getroot()
    found = {
        url.findtext("s:loc", namespaces=ns): {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)
        }
        for url in root.findall("s:url", ns)
    }
    base = "https://example.org/site/"
    good = {"en": f"{base}briefings/good/", "ko": f"{base}ko/briefings/good/", "x-default": f"{base}briefings/good/"}
    assert found[f"{base}briefings/good/"] == good
    assert found[f"{base}ko/briefings/good/"] == good
    assert found[f"{base}briefings/other/"] == {}


def test_a_site_of_one_language_is_as_it_was(site) -> None:
    files = {k: v for k, v in SITE.items() if ".ko." not in k}
    one = site.build(files)
    assert one.returncode == 0, one.stderr
    before = {p.relative_to(one.site): p.read_bytes() for p in sorted(one.site.rglob("*")) if p.is_file()}
    said = site.build(files, "languages: [en]\n")
    assert said.returncode == 0, said.stderr
    after = {p.relative_to(said.site): p.read_bytes() for p in sorted(said.site.rglob("*")) if p.is_file()}
    assert before.keys() == after.keys()
    assert [str(k) for k in before if before[k] != after[k] and k.name != "sitemap.xml.gz"] == []
    page = (one.site / "briefings/good/index.html").read_text(encoding="utf-8")
    assert "hreflang" not in page and "trilat-languages" not in page
    assert "xhtml" not in (one.site / "sitemap.xml").read_text(encoding="utf-8")
    assert not (one.site / "ko").exists()


def test_a_bad_translation_fails_the_build_with_its_location(site) -> None:
    result = site.build({**SITE, "briefings/good.ja.md": translation(language="ja")}, TWO)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert (
        "briefings/good.ja.md:3: language: 'ja' is not one of the site's languages (en, ko): declare it under "
        "plugins: trilat: languages in mkdocs.yml, or correct it"
    ) in result.stderr


# -- the catalogues ------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def _extracted() -> set[object]:
    """Every message the templates and the page plan use, as `pybabel extract -F babel.cfg` finds them."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options = parse_mapping_cfg(f)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    return {
        message[2]
        for message in extract_from_dir(ROOT, method_map, options, keywords=keywords)
        if "src/" in message[0] or message[0].startswith("templates/")
    }


def test_the_template_catalogue_holds_every_message() -> None:
    from babel.messages.pofile import read_po

    from trilat_site.site.i18n import LOCALE_DIR

    with (LOCALE_DIR / "trilat.pot").open("rb") as f:
        pot = {m.id for m in read_po(f) if m.id}
    assert _extracted() == pot, "run the pybabel extract command of the README (Korean and Japanese editions)"


@pytest.mark.parametrize("language", ["ko", "ja"])
def test_the_korean_and_japanese_catalogues_are_complete(language: str) -> None:
    import re

    from babel.messages.pofile import read_po

    from trilat_site.site.i18n import LOCALE_DIR, catalogue_path

    with (LOCALE_DIR / "trilat.pot").open("rb") as f:
        pot = {m.id for m in read_po(f) if m.id}
    with catalogue_path(language).open("rb") as f:
        catalogue = read_po(f, locale=language)
    entries = {m.id: m for m in catalogue if m.id}
    assert set(entries) == pot, f"update {catalogue_path(language)}: pybabel update"
    placeholders = re.compile(r"%\(\w+\)[sd]")
    for msgid, m in entries.items():
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        assert all(s.strip() for s in strings), f"{language}: no translation of {msgid!r}"
        assert not m.fuzzy, f"{language}: fuzzy translation of {msgid!r}"
        source = msgid[0] if isinstance(msgid, tuple) else msgid
        for s in strings:
            assert sorted(placeholders.findall(s)) == sorted(placeholders.findall(source)), (language, msgid)


@pytest.mark.parametrize(
    ("language", "day", "month", "year"),
    [("en", "9 March 2017", "March 2017", "2017"), ("ko", "2017년 3월 9일", "2017년 3월", "2017년"), ("ja", "2017年3月9日", "2017年3月", "2017年")],
)
def test_dates_are_written_each_languages_way(language: str, day: str, month: str, year: str) -> None:
    import datetime as dt

    from trilat_site.core.model import PartialDate
    from trilat_site.site.i18n import long_date

    assert long_date(dt.date(2017, 3, 9), language) == day
    assert long_date(PartialDate(2017, 3, None), language) == month
    assert long_date(PartialDate(2017, None, None), language) == year


def test_the_exports_list_each_briefing_once_with_its_translations(two) -> None:
    import jsonschema

    data = json.loads((two.site / "briefings.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, json.loads((two.site / "briefings.schema.json").read_text(encoding="utf-8")))
    assert data["version"] == 2
    assert [b["slug"] for b in data["briefings"]] == ["good", "other"]
    good, other = data["briefings"]
    assert "translations" not in other and "translation_of" not in good
    (ko,) = good["translations"]
    assert {k: ko[k] for k in ("slug", "translation_of", "language", "title", "date", "url", "path", "translators")} == {
        "slug": "good",
        "translation_of": "good",
        "language": "ko",
        "title": "좋은 브리핑",
        "date": "2017-05-01",
        "url": "https://example.org/site/ko/briefings/good/",
        "path": "ko/briefings/good/",
        "translators": [],
    }
    # What it does not give is its original's, named in its language; its tags are its own.
    assert ko["themes"] == [{"id": "security", "title": "안보"}]
    assert [c["id"] for c in ko["countries"]] == ["us", "rok"] and ko["tags"] == ["동맹"]
    assert good["language"] == "en" and good["url"] == "https://example.org/site/briefings/good/"

    csl = json.loads((two.site / "briefings.csl.json").read_text(encoding="utf-8"))
    assert [i["id"] for i in csl] == ["good", "good.ko", "other"]
    item = csl[1]
    assert (item["title"], item["language"], item["original-title"]) == ("좋은 브리핑", "ko", "Good one")
    assert item["original-date"] == {"date-parts": [[2017, 3, 9]]}
    assert item["issued"] == {"date-parts": [[2017, 5, 1]]}
    assert item["URL"] == "https://example.org/site/ko/briefings/good/"
    assert "translator" not in item, "the site's editors translated it"
    assert csl[0]["language"] == "en" and "original-title" not in csl[0]


def test_a_csl_translation_names_its_translators(site) -> None:
    files = {**SITE, "briefings/good.ko.md": translation(translators="\n  - name: 김철수\n  - name: 편집부\n    collective: true")}
    result = site.build(files, TWO)
    assert result.returncode == 0, result.stderr
    csl = {i["id"]: i for i in json.loads((result.site / "briefings.csl.json").read_text(encoding="utf-8"))}
    assert csl["good.ko"]["translator"] == [{"family": "김", "given": "철수"}, {"literal": "편집부"}]
    (ko,) = json.loads((result.site / "briefings.json").read_text(encoding="utf-8"))["briefings"][0]["translations"]
    assert [(t["name"], t["collective"]) for t in ko["translators"]] == [("김철수", False), ("편집부", True)]


def test_korean_pages_name_people_in_korean_where_the_registry_does(two) -> None:
    assert two.content("ko/people/park-geun-hye/").h1.get_text() == "박근혜"
    assert two.content("people/park-geun-hye/").h1.get_text() == "Park Geun-hye"
    # A name in Han characters is not Korean writing: the romanised name stays.
    assert two.content("ko/people/xi-jinping/").h1.get_text() == "Xi Jinping"
    names = [a.get_text() for a in two.content("ko/people/").select("ul.trilat-entities > li > a:first-child")]
    assert sorted(names) == ["Xi Jinping", "박근혜"]


def test_native_names_by_script() -> None:
    from trilat_site.core.model import written_in

    assert written_in("박근혜", "ko") and not written_in("박근혜", "ja")
    assert written_in("佐橋亮", "ja") and written_in("さはし", "ja") and not written_in("佐橋亮", "ko")
    assert not written_in("Park", "ko") and not written_in("佐橋亮", "en")


def test_the_command_tells_editions_apart_and_counts_briefings_once(site) -> None:
    from test_cli import run

    root = site.write(SITE, TWO)
    code, out, err = run(root, "list")
    assert code == 0, err
    rows = out.splitlines()
    assert any(" good [ko] " in row and "좋은 브리핑" in row for row in rows)
    assert sum(" good " in row and "[ko]" not in row for row in rows) == 1
    code, out, err = run(root, "report")
    assert out.splitlines()[0].endswith(": 2 published briefings, 0 drafts")


def test_a_translation_links_to_another_translation_by_its_file(site) -> None:
    files = {
        "briefings/good.md": briefing("Good one", "2017-03-09"),
        "briefings/other.md": briefing("Other one", "2017-02-01"),
        "briefings/other.ko.md": translation("other"),
        "briefings/good.ko.md": translation().replace("본문.", "[번역본](other.ko.md), [원문](other.md)"),
    }
    result = site.build(files, "languages: [en, ko]\n", "--strict")
    assert result.returncode == 0, result.stderr
    links = {a.get_text(): a["href"] for a in result.content("ko/briefings/good/").select("a")}
    assert links["번역본"] == "../other/"
    assert links["원문"] == "../../../briefings/other/"


# -- the navigation in each language -------------------------------------------------------------

THREE = "languages: [en, ko, ja]\nsite_translations:\n  ko: {site_name: 테스트 사이트}\n"
THREE_SITE = {
    **SITE,
    "briefings/good.ja.md": translation(language="ja").replace("좋은 브리핑", "良いブリーフィング"),
    # A page of the site's own, written in English only.
    "docs/guide.md": "# Reading guide\n\nHow to read the briefings.\n",
}


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    from conftest import SiteFactory

    factory = SiteFactory(tmp_path_factory.mktemp("three") / "proj")
    result = factory.build(THREE_SITE, THREE)
    assert result.returncode == 0, result.stderr
    return result


def _tabs(soup) -> list[tuple[str, str, bool, str | None]]:
    tabs = soup.select_one("nav.md-tabs")
    assert tabs is not None
    return [
        (
            a.get_text(" ", strip=True),
            a["href"],
            "md-tabs__item--active" in a.parent["class"],
            (a.select_one("[lang]") or {}).get("lang"),
        )
        for a in tabs.select("a.md-tabs__link")
    ]


def _sidebar(soup) -> list[tuple[str, str | None, bool]]:
    nav = soup.select_one("nav.md-nav--primary")
    assert nav is not None
    found = []
    for li in nav.select("li.md-nav__item"):
        link = li.find(["a", "label"])
        found.append((link.get_text(" ", strip=True), link.get("href"), "md-nav__item--active" in li["class"]))
    return found


def test_each_language_has_its_navigation(three) -> None:
    assert _tabs(three.html("ko/briefings/good/")) == [
        ("Reading guide", "../../../guide/", False, "en"),
        ("홈", "../../", False, None),
        ("브리핑", "../", True, None),
        ("주제", "../../themes/", False, None),
        ("둘러보기", "../../countries/", False, None),
        ("소개", "../../about/", False, None),
    ]
    assert _tabs(three.html("ja/countries/rok/")) == [
        ("Reading guide", "../../../guide/", False, "en"),
        ("ホーム", "../../", False, None),
        ("ブリーフィング", "../../briefings/", False, None),
        ("テーマ", "../../themes/", False, None),
        ("探索", "../", True, None),
        ("このサイトについて", "../../about/", False, None),
    ]
    sidebar = _sidebar(three.html("ko/briefings/good/"))
    # The briefing's own entry under its section, with its contents; each theme by its Korean name.
    assert ("좋은 브리핑", None, True) in sidebar
    assert ("브리핑", "../", True) in sidebar
    assert ("안보", "../../themes/security/", False) in sidebar
    assert ("둘러보기", None, False) in sidebar
    assert not any(href and href.startswith("../../../") and "guide" not in href for _, href, _ in sidebar)
    # A listed page is the current one in its own language's navigation; the logo goes home.
    korean_theme = three.html("ko/themes/security/")
    assert ("안보", "./", True) in _sidebar(korean_theme)
    assert korean_theme.select_one("a.md-logo")["href"] == "../../"
    # The site's name as the language gives it, in the header, the drawer and the title; a
    # language the site gives no name in keeps the site's own.
    assert korean_theme.select_one(".md-header__topic .md-ellipsis").get_text(strip=True) == "테스트 사이트"
    assert korean_theme.select_one("label.md-nav__title").get_text(strip=True) == "테스트 사이트"
    assert korean_theme.title.string == "안보 - 테스트 사이트"
    assert three.html("ja/").select_one(".md-header__topic .md-ellipsis").get_text(strip=True) == "Test Site"
    assert three.html("themes/security/").title.string == "Security - Test Site"
    # A page of a tag only a Korean edition has is filed in the Korean navigation.
    (korean_tag,) = [p.parent.name for p in (three.site / "ko/tags").glob("*/index.html")]
    assert [t for t in _tabs(three.html(f"ko/tags/{korean_tag}/")) if t[2]] == [
        ("둘러보기", "../../countries/", True, None)
    ]
    assert ("태그", "../", True) in _sidebar(three.html(f"ko/tags/{korean_tag}/"))
    # The page of the site's own, in English only, is marked as English.
    guide = three.html("ko/").select_one('nav.md-nav--primary a[href="../guide/"] [lang]')
    assert (guide.get_text(strip=True), guide["lang"]) == ("Reading guide", "en")


def test_the_first_languages_navigation_is_as_it_was(three) -> None:
    english = three.html("briefings/good/")
    assert _tabs(english) == [
        ("Reading guide", "../../guide/", False, None),
        ("Home", "../..", False, None),
        ("Briefings", "../", True, None),
        ("Themes", "../../themes/", False, None),
        ("Explore", "../../countries/", False, None),
        ("About", "../../about/", False, None),
    ]
    assert ("Security", "../../themes/security/", False) in _sidebar(english)


# -- the script's words, and the briefings filter, in each language ---------------------------------


def _script_words(soup) -> dict[str, str] | None:
    given = soup.select_one("script#trilat-words")
    return json.loads(given.string) if given is not None else None


def test_the_script_speaks_the_pages_language(three) -> None:
    korean = _script_words(three.html("ko/briefings/good/"))
    assert korean is not None
    assert korean["showMore"] == "더 보기"
    assert korean["published"] == "발행 %(published)s"
    assert korean["matchesOther"] == "%(criteria)s에 해당하는 브리핑 %(count)s건."
    assert korean["copied"] == "%(what)s을(를) 클립보드에 복사했습니다."
    assert korean["Theme"] == "주제"
    japanese = _script_words(three.html("ja/"))
    assert japanese is not None and japanese["showMore"] == "さらに表示"
    # English pages keep the script's own words, and are as they were.
    assert _script_words(three.html("briefings/good/")) is None
    assert _script_words(three.html("briefings/")) is None
    # The copy buttons name what they copy in the page's language.
    button = three.content("ko/briefings/good/").select_one("button[data-trilat-copy=trilat-citation]")
    assert button["data-trilat-what"] == "인용 정보"


def test_the_scripts_own_words_are_the_templates_english() -> None:
    """The English words trilat.js keeps are those the catalogues translate (_script_words.html)."""
    import re

    from trilat_site.site.render import make_environment

    rendered = json.loads(make_environment().get_template("_script_words.html").render())
    script = (ROOT / "templates" / "trilat.js").read_text(encoding="utf-8")
    own = re.search(r"var WORDS = (\{.*?\});", script, re.DOTALL)
    assert own is not None
    assert json.loads(own.group(1)) == rendered


def test_the_briefings_filter_is_offered_in_each_language(three) -> None:
    listing = three.html("ko/briefings/")
    form = listing.select_one("form.trilat-filter")
    assert form is not None
    assert form["data-bundle"] == "../../pagefind/"
    options = {o["value"]: (o.get_text(), o.get("data-filter")) for o in form.select("option") if o["value"]}
    assert options["security"] == ("안보", None)
    # The filter asks the Korean index with the words the Korean pages give it.
    page = three.html("ko/briefings/good/")
    given = {e["data-pagefind-filter"] for e in page.select("[data-pagefind-filter]")}
    assert "Type:브리핑" in given and f"Country:{options['rok'][1]}" in given
    assert _script_words(listing)["briefing"] == "브리핑"
    assert [e.get_text() for e in page.select('[data-pagefind-filter="Theme"]')] == ["안보"]
    # The briefings not yet translated are in the English index: the note links to its filter.
    others = listing.select_one(".trilat-filter__others")
    assert others is not None and others.has_attr("hidden")
    assert (others.a["href"], others.a["hreflang"], others.a.get_text()) == ("../../briefings/", "en", "영어 목록")
    english = three.html("briefings/")
    assert english.select_one(".trilat-filter__others") is None
    assert "Type:Briefing" in {e["data-pagefind-filter"] for e in three.html("briefings/good/").select("[data-pagefind-filter]")}


# -- share cards ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("prefix", "title", "period"), [("ko", "좋은 브리핑", "2017년 3월"), ("ja", "良いブリーフィング", "2017年3月")])
def test_a_translation_has_its_own_share_card(three, prefix: str, title: str, period: str) -> None:
    import io
    import os

    from PIL import Image

    from trilat_site.site.cards import HEIGHT, WIDTH, CardMaker, briefing_card, find_face

    page = three.html(f"{prefix}/briefings/good/")
    image = page.head.select_one('meta[property="og:image"]')["content"]
    assert image == f"https://example.org/site/assets/trilat/cards/{prefix}/good.png"
    assert json.loads(page.head.select_one('script[type="application/ld+json"]').string)["image"] == image
    # The original keeps its own card, and its page its address.
    english = three.html("briefings/good/").head.select_one('meta[property="og:image"]')["content"]
    assert english == "https://example.org/site/assets/trilat/cards/good.png"
    drawn = (three.site / f"assets/trilat/cards/{prefix}/good.png").read_bytes()
    assert Image.open(io.BytesIO(drawn)).size == (WIDTH, HEIGHT)
    assert drawn != (three.site / "assets/trilat/cards/good.png").read_bytes()
    if find_face(prefix) is None:
        if os.environ.get("CI"):
            pytest.fail(f"no {prefix} font: .ci/run installs fonts-noto-cjk")
        pytest.skip(f"no font for {prefix} (install fonts-noto-cjk)")
    # Its words in its language, the site's name as that language gives it: drawn the same way
    # every time, the title in its own script (not left off for want of a font).
    site_name = "테스트 사이트" if prefix == "ko" else "Test Site"
    maker = CardMaker(three.root / "elsewhere")
    expected = briefing_card(site_name, title, (period, "안보" if prefix == "ko" else "安全保障"), prefix)
    assert maker.draw(expected) == drawn
    assert maker.missing_fonts == set()
    untitled = briefing_card(site_name, "", (period, "안보" if prefix == "ko" else "安全保障"), prefix)
    assert maker.draw(untitled) != drawn


def test_the_footer_is_in_the_pages_language(three) -> None:
    def footer(path: str) -> list[tuple[str, str]]:
        return [(a.get_text(strip=True), a["href"]) for a in three.html(path).select("footer .trilat-footer a")]

    assert footer("ko/briefings/good/") == [
        ("소개", "../../about/"),
        ("Atom 피드", "../../feed.xml"),
        ("데이터 (JSON)", "../../../briefings.json"),
        ("인용 데이터 (CSL-JSON)", "../../../briefings.csl.json"),
    ]
    assert footer("ja/")[:2] == [("このサイトについて", "about/"), ("Atomフィード", "feed.xml")]
    assert footer("briefings/good/")[:2] == [("About", "../../about/"), ("Atom feed", "../../feed.xml")]


def test_a_nav_the_site_writes_is_followed_in_each_language(site) -> None:
    """A `nav:` in mkdocs.yml: the same entries in each language, its pages that language's under
    their own titles, and the site's own words (its sections, links, pages) marked as English."""
    root = site.write(THREE_SITE, THREE)
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "nav:\n  - Start: index.md\n  - All briefings: briefings/index.md\n"
        "  - Elsewhere: https://example.com/\n  - Reading:\n      - guide.md\n      - about.md\n",
        encoding="utf-8",
    )
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    assert _tabs(result.html("ko/briefings/good/")) == [
        ("홈", "../../", False, None),
        ("브리핑", "../", True, None),
        ("Elsewhere", "https://example.com/", False, "en"),
        ("Reading", "../../../guide/", False, "en"),
    ]
    assert ("소개", "../../about/", False) in _sidebar(result.html("ko/briefings/good/"))
    assert _tabs(result.html("briefings/good/"))[:2] == [
        ("Start", "../..", False, None),
        ("All briefings", "../", True, None),
    ]
