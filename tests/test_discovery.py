"""Entity, source, timeline and coverage pages; feeds, citations, metadata and export."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import jsonschema
import pytest
from bs4 import BeautifulSoup

from conftest import briefing
from test_search import bundle_pages, bundle_text
from trilat_site.core.settings import SiteSettings
from trilat_site.core.slugs import tag_slug
from trilat_site.site.svg import LABEL_SIZE, theme_map

PEOPLE = """\
- id: ryo-sahashi
  name: Ryo Sahashi
  native_name: 佐橋亮
  role: Co-chair
  organization: jcie
- id: nobody
  name: Nobody Cited
"""
ORGS = """\
- id: jcie
  name: Japan Center for International Exchange
  short_name: JCIE
  country: japan
- id: nbr
  name: The National Bureau of Asian Research
"""
SOURCE = "\n  - title: Workshop Summary\n    publisher: NBR\n    date: '2017-03'\n    type: Workshop summary"
HOSTILE = '"</script><script>alert(1)</script> & <b>\\"x\\"</b>]]>"'


def corpus(**overrides: str) -> dict[str, str]:
    files = {
        "briefings/_data/people.yml": PEOPLE,
        "briefings/_data/organizations.yml": ORGS,
        "briefings/a.md": briefing(
            "Alpha",
            "2017-04-01",
            themes="[security, cyber]",
            countries="[rok, japan]",
            people="[ryo-sahashi]",
            organizations="[jcie]",
            events="\n  - date: '2017-03'\n    title: Seoul workshop\n  - date: '2017-05-09'\n    title: Election",
        ),
        "briefings/b.md": briefing(
            "Beta",
            "2017-05-01",
            themes="[energy, security]",
            countries="[us]",
            organizations="[nbr]",
            sources="\n  - title: A source\n    publisher: A publisher" + SOURCE,
            events="\n  - date: '2017-03'\n    title: Seoul workshop",
        ),
        "briefings/c.md": briefing("Draft", "2017-06-01", draft="true"),
    }
    files.update(overrides)
    return files


@pytest.fixture
def built(site):
    result = site.build(corpus(), "", "--strict")
    assert result.returncode == 0, result.stderr
    return result


def test_entity_pages_list_their_briefings_and_link_each_other(built) -> None:
    person = built.content("people/ryo-sahashi")
    assert person.h1.get_text(strip=True) == "Ryo Sahashi"
    facts = person.select_one(".trilat-facts").get_text(" ", strip=True)
    assert "佐橋亮" in facts and "Co-chair" in facts
    assert person.select_one('.trilat-facts a[href="../../organizations/jcie/"]')
    assert [a.get_text() for a in person.select(".trilat-item__title")] == ["Alpha"]

    org = built.content("organizations/jcie")
    assert org.select_one('a[href="../../people/ryo-sahashi/"]')
    assert org.select_one('a[href="../../countries/japan/"]')
    assert [a.get_text() for a in org.select(".trilat-item__title")] == ["Alpha"]
    assert "No published briefing names Nobody Cited" in built.content("people/nobody").get_text()

    rok = built.content("countries/rok")
    assert [a.get_text() for a in rok.select(".trilat-item__title")] == ["Alpha"]
    alpha = built.content("briefings/a")
    assert alpha.select_one('.trilat-indexed a[href="../../people/ryo-sahashi/"]')
    assert alpha.select_one('.trilat-countries a[href="../../countries/rok/"]')


def test_sources_page_lists_each_source_once_with_its_briefings(built) -> None:
    page = built.content("sources")
    sections = page.select("section.trilat-source")
    assert [s.h2.get_text() for s in sections] == ["A source", "Workshop Summary"]
    assert {a.get_text() for a in sections[0].select("ul a")} == {"Alpha", "Beta"}
    assert [a.get_text() for a in sections[1].select("ul a")] == ["Beta"]
    facts = sections[1].select_one(".trilat-facts").get_text(" ", strip=True)
    assert "NBR" in facts and "March 2017" in facts and "Workshop summary" in facts


def test_timeline_groups_events_by_year_at_their_precision(built) -> None:
    page = built.content("timeline")
    items = page.select(".trilat-timeline li")
    assert [i.select_one(".trilat-event-title").get_text() for i in items] == ["Seoul workshop", "Election"]
    assert items[0].select_one("time").get_text() == "March 2017"
    assert items[1].select_one("time").get_text() == "9 May 2017"
    assert {a.get_text() for a in items[0].select(".trilat-event-briefings a")} == {"Alpha", "Beta"}
    link = built.content("briefings/a").select_one(".trilat-events a")["href"]
    assert link.startswith("../../timeline/#") and items[0]["id"] == link.split("#")[1]


def test_coverage_counts_link_to_each_crossing(built) -> None:
    table = built.content("coverage").select_one("table.trilat-coverage")
    security = next(tr for tr in table.select("tbody tr") if tr.th.get_text(strip=True) == "Security")
    links = security.select("td a")
    assert {a["href"]: a.get_text() for a in links} == {
        "../themes/security/countries/us/": "1",
        "../themes/security/countries/rok/": "1",
        "../themes/security/countries/japan/": "1",
    }
    crossing = built.content("themes/security/countries/rok")
    assert [a.get_text() for a in crossing.select(".trilat-item__title")] == ["Alpha"]


def test_theme_map_svg_with_text_alternative(built) -> None:
    svg = built.content("themes").select_one("svg.trilat-map")
    assert svg["role"] == "img"
    desc = svg.find("desc").get_text()
    assert "Security: 2 briefings" in desc and "Security and Energy share 1 briefing" in desc
    assert not built.html("themes").select("script[src*='cdn'], svg script")


def test_explore_pages_are_reachable_from_the_navigation(built) -> None:
    home = built.html("")
    hrefs = {a["href"] for a in home.select("nav.md-nav--primary a[href]")}
    for target in ("countries/", "people/", "organizations/", "sources/", "timeline/", "coverage/"):
        assert target in hrefs, target


def test_atom_feeds_list_exactly_the_published_briefings(built) -> None:
    feed = feedparser.parse((built.site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert [e.title for e in feed.entries] == ["Beta", "Alpha"]
    assert feed.entries[0].id == "https://example.org/site/briefings/b/"
    assert feed.entries[0].link == "https://example.org/site/briefings/b/"
    assert feed.entries[0].summary == "It finds one thing."
    assert feed.entries[0].updated == "2017-05-01T00:00:00Z"
    # Named for the site in a reader's list of subscriptions; in the site's language.
    assert feed.feed.title == "Test Site"
    assert feed.feed.language == "en"
    energy = feedparser.parse((built.site / "themes" / "energy" / "feed.xml").read_bytes())
    assert [e.title for e in energy.entries] == ["Beta"]
    assert energy.feed.title == "Test Site: Energy"
    # Advertised on every page relative to it, so it is the feed of whichever host serves the page.
    link = built.html("briefings/a").select_one('link[rel="alternate"][type="application/atom+xml"]')
    assert link["href"] == "../../feed.xml" and link["title"] == "Test Site"
    # A theme's page announces its own feed as well, and links it in its text.
    theme = built.html("themes/energy")
    announced = [(x["title"], x["href"]) for x in theme.select('link[type="application/atom+xml"]')]
    assert announced == [("Test Site", "../../feed.xml"), ("Test Site: Energy", "feed.xml")]
    assert [x["href"] for x in built.html("themes/security").select('link[type="application/atom+xml"]')] == [
        "../../feed.xml",
        "feed.xml",
    ]
    assert len(built.html("briefings/a").select('link[type="application/atom+xml"]')) == 1
    assert theme.select_one('.trilat-follow a[type="application/atom+xml"]')["href"] == "feed.xml"
    footer = {a.get_text(strip=True): a["href"] for a in theme.select(".md-footer .trilat-footer a")}
    assert footer["Atom feed"] == "../../feed.xml"


def test_no_site_url_warns_and_skips_feeds(site) -> None:
    site.write(corpus())
    yml = site.root / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("site_url: https://example.org/site/\n", ""))
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    assert "site_url is not set in mkdocs.yml, so the Atom feeds are skipped" in result.stderr
    assert not (result.site / "feed.xml").exists()
    assert json.loads((result.site / "briefings.json").read_text())["briefings"][0]["url"] == "briefings/b/"


def test_citation_block_and_scholarly_metadata(built) -> None:
    page = built.html("briefings/a")
    cite = page.select_one(".trilat-cite")
    assert cite.select_one(".trilat-citation").get_text() == (
        "Test Site editors. “Alpha.” Test Site, 1 April 2017. https://example.org/site/briefings/a/"
    )
    bib = cite.select("pre code")[0].get_text()
    assert bib.startswith("@techreport{a,") and "title = {Alpha}," in bib
    assert cite.select("pre code")[1].get_text().startswith("TY  - RPRT")
    meta = {m["name"]: m["content"] for m in page.select("meta[name^=citation_]")}
    assert meta["citation_title"] == "Alpha"
    assert meta["citation_publication_date"] == "2017/04/01"
    og = {m["property"]: m["content"] for m in page.select("meta[property]")}
    assert og["og:url"] == "https://example.org/site/briefings/a/" and og["og:type"] == "article"
    assert page.select_one('link[rel="canonical"]')["href"] == "https://example.org/site/briefings/a/"
    assert page.select_one('meta[name="twitter:card"]')["content"] == "summary_large_image"
    assert og["og:image"] == "https://example.org/site/assets/trilat/cards/a.png"
    assert og["og:locale"] == "en_US"


def test_json_ld_parses_and_carries_the_right_fields(built) -> None:
    script = built.html("briefings/a").select_one('script[type="application/ld+json"]')
    data = json.loads(script.string)
    assert data["@type"] == "Report"
    assert data["headline"] == "Alpha"
    assert data["datePublished"] == "2017-04-01"
    assert data["isBasedOn"][0]["name"] == "A source"
    assert {a["name"] for a in data["about"]} >= {"Security", "Japan"}


def test_export_validates_and_leaves_drafts_out(built) -> None:
    data = json.loads((built.site / "briefings.json").read_text())
    schema = json.loads((built.site / "briefings.schema.json").read_text())
    jsonschema.validate(data, schema)
    assert [b["slug"] for b in data["briefings"]] == ["b", "a"]
    csl = json.loads((built.site / "briefings.csl.json").read_text())
    assert [i["id"] for i in csl] == ["b", "a"] and csl[0]["type"] == "report"
    for name in ("feed.xml", "briefings.json", "sitemap.xml"):
        assert "Draft" not in (built.site / name).read_text(), name
    assert "Draft" not in bundle_text(built.site), "nor in the search bundle"


def test_hostile_title_stays_escaped_everywhere(site) -> None:
    result = site.build(corpus(**{"briefings/a.md": briefing(HOSTILE, summary=HOSTILE, tags=f"[{HOSTILE}]")}))
    assert result.returncode == 0, result.stderr
    raw = (result.site / "briefings" / "a" / "index.html").read_text()
    assert "<script>alert(1)" not in raw and "</script><script>" not in raw
    title = '</script><script>alert(1)</script> & <b>"x"</b>]]>'
    page = result.html("briefings/a")
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["headline"] == title
    assert page.select_one('meta[name="citation_title"]')["content"] == title
    feed = feedparser.parse((result.site / "feed.xml").read_bytes())
    assert not feed.bozo
    assert [e.title for e in feed.entries if e.title == title]
    export = json.loads((result.site / "briefings.json").read_text())
    assert title in [b["title"] for b in export["briefings"]]


def test_every_internal_link_resolves(built) -> None:
    site_dir: Path = built.site
    pages = [p for p in site_dir.rglob("*.html") if p.name != "404.html"]
    missing = []
    for page in pages:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(page.read_text(), "html.parser")
        base = "/" + page.relative_to(site_dir).as_posix()
        for a in soup.select("a[href]"):
            href = a["href"]
            if urlsplit(href).scheme or href.startswith(("mailto:", "#")):
                continue
            target = urlsplit(urljoin(base, href))
            path = site_dir / target.path.lstrip("/")
            if target.path.endswith("/"):
                path = path / "index.html"
            if not path.exists():
                missing.append(f"{base} -> {href}")
                continue
            if target.fragment and path.suffix == ".html":
                ids = {el.get("id") for el in BeautifulSoup(path.read_text(), "html.parser").select("[id]")}
                if target.fragment not in ids:
                    missing.append(f"{base} -> {href} (anchor)")
    assert missing == []


def test_tags_have_pages_and_an_index(site) -> None:
    result = site.build(
        {
            "briefings/a.md": briefing("Alpha", "2017-04-01", tags="[North Korea, THAAD, 북한]"),
            "briefings/b.md": briefing("Beta", "2017-05-01", tags="[north korea]"),
        },
        "",
        "--strict",
    )
    assert result.returncode == 0, result.stderr
    alpha = result.content("briefings/a")
    tags = {a.get_text(): a["href"] for a in alpha.select(".trilat-indexed a.trilat-tag")}
    korean = tag_slug("북한")
    assert tags == {
        "North Korea": "../../tags/north-korea/",
        "THAAD": "../../tags/thaad/",
        "북한": f"../../tags/{korean}/",
    }
    page = result.content("tags/north-korea")
    assert page.h1.get_text() == "North Korea", "named as most briefings spell it (a tie: the first in order)"
    assert [a.get_text() for a in page.select(".trilat-item__title")] == ["Beta", "Alpha"]
    assert result.content(f"tags/{korean}").h1.get_text() == "북한"
    index = result.content("tags")
    assert [li.a.get_text() for li in index.select(".trilat-tag-index li")] == [
        "North Korea",
        "THAAD",
        "북한",
    ]
    assert [li.select_one(".trilat-count").get_text() for li in index.select(".trilat-tag-index li")] == [
        "2 briefings",
        "1 briefing",
        "1 briefing",
    ]
    # Tag pages are lists of briefings: search finds the briefings themselves.
    assert not any("/tags/" in url for url in bundle_pages(result.site))


def test_about_page_has_a_default_and_takes_the_sites_own_words(site) -> None:
    result = site.build(
        corpus(), "license: CC BY 4.0\nlicense_url: https://creativecommons.org/licenses/by/4.0/"
    )
    assert result.returncode == 0, result.stderr
    about = result.content("about")
    assert about.h1.get_text() == "About Test Site"
    text = " ".join(about.get_text().split())
    assert "How the briefings are written" in text
    assert "2 briefings, published between 1 April 2017 and 1 May 2017" in text
    links = {a.get_text(" ", strip=True): a["href"] for a in about.select("a")}
    assert links["Atom feed of every briefing"] == "../feed.xml"
    assert links["one JSON file"] == "../briefings.json"
    assert links["JSON Schema"] == "../briefings.schema.json"
    assert links["CC BY 4.0"] == "https://creativecommons.org/licenses/by/4.0/"
    tabs = [a.get_text(strip=True) for a in result.html("about").select(".md-tabs a")]
    assert tabs[-1] == "About", "About comes last in the navigation"

    own = site.build(corpus(**{"docs/about.md": "# About the programme\n\n## Method\n\nHow we work.\n"}))
    assert own.returncode == 0, own.stderr
    about = own.content("about")
    assert about.h1.get_text() == "About the programme"
    assert "How we work." in about.get_text() and "How the briefings are written" not in about.get_text()
    assert about.select_one("#trilat-about-reuse"), "what the build knows is added after the site's words"
    toc = [a.get_text(strip=True) for a in own.html("about").select(".md-sidebar--secondary nav a")]
    assert toc == ["Method", "What the site holds", "Follow, cite and reuse"]


def test_footer_links_to_about_feed_data_and_licence(site) -> None:
    result = site.build(
        corpus(), "license: CC BY 4.0\nlicense_url: https://creativecommons.org/licenses/by/4.0/"
    )
    assert result.returncode == 0, result.stderr
    for path, prefix in (("briefings/a", "../../"), ("", ""), ("404.html", "/site/")):
        footer = result.html(path).select_one("footer .trilat-footer")
        links = {a.get_text(strip=True): a["href"] for a in footer.select("a")}
        assert links == {
            "About": f"{prefix}about/",
            "Atom feed": f"{prefix}feed.xml",
            "Data (JSON)": f"{prefix}briefings.json",
            "Citations (CSL-JSON)": f"{prefix}briefings.csl.json",
            "Licence: CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/",
        }, path
    page = result.html("briefings/a")
    assert (
        page.select_one('head link[rel="license"]')["href"] == "https://creativecommons.org/licenses/by/4.0/"
    )
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    plain = site.build(corpus())
    assert not plain.html("briefings/a").select('link[rel="license"]')
    assert "Licence" not in plain.html("").select_one("footer").get_text()


def test_readers_see_the_changes_editors_describe(site) -> None:
    changes = "\n  - date: 2017-06-01\n    note: Adds the June figures.\n  - date: 2017-05-02\n    note: Corrects a date."
    result = site.build(
        corpus(**{"briefings/a.md": briefing("Alpha", "2017-04-01", changes=changes)}), "", "--strict"
    )
    assert result.returncode == 0, result.stderr
    alpha = result.content("briefings/a")
    meta = alpha.select_one(".trilat-meta")
    assert "updated 1 June 2017" in meta.get_text(" ", strip=True)
    assert meta.select_one("a")["href"] == "#trilat-changes"
    items = [li.get_text(" ", strip=True) for li in alpha.select(".trilat-changes li")]
    assert items == ["1 June 2017 : Adds the June figures.", "2 May 2017 : Corrects a date."]
    assert "First published 1 April 2017." in alpha.select_one(".trilat-changes").get_text()
    export = json.loads((result.site / "briefings.json").read_text())
    record = next(b for b in export["briefings"] if b["slug"] == "a")
    assert record["updated"] == "2017-06-01"
    assert record["changes"] == [
        {"date": "2017-06-01", "note": "Adds the June figures."},
        {"date": "2017-05-02", "note": "Corrects a date."},
    ]
    # The page's contents list the sections the template adds, after the text's own.
    toc = [a.get_text(strip=True) for a in result.html("briefings/a").select(".md-sidebar--secondary nav a")]
    assert toc[-3:] == ["Related briefings", "Cite this briefing", "Changes to this briefing"]
    assert "Sources" in toc


def test_coverage_cells_are_shaded_by_count(built) -> None:
    table = built.content("coverage").select_one("table.trilat-coverage")
    shades = {
        (tr.th.get_text(strip=True), i): td["class"][0]
        for tr in table.select("tbody tr")
        for i, td in enumerate(tr.select("td"))
    }
    # Security meets each of three countries once, the most at any crossing: the darkest shade.
    assert shades[("Security", 0)] == "trilat-shade-4" and shades[("Energy", 1)] == "trilat-shade-0"
    heads = [th.get_text(strip=True) for th in table.select("thead th")]
    assert heads == ["Theme", "U.S.", "South Korea", "Japan", "China", "North Korea"]
    wrap = built.content("coverage").select_one(".trilat-table-wrap")
    assert wrap["tabindex"] == "0" and wrap["role"] == "region"


def test_theme_map_is_cut_to_what_it_draws() -> None:
    themes = SiteSettings().themes
    svg = BeautifulSoup(
        str(theme_map(themes, {"security": 9, "energy": 4, "cyber": 4}, {})), "html.parser"
    ).svg
    left, top, width, height = (float(v) for v in svg["viewbox"].split())
    for text in svg.select("text.trilat-map__label"):
        x, y = float(text["x"]), float(text["y"])
        half = len(text.get_text()) * 0.6 * LABEL_SIZE / 2
        assert left <= x - half and x + half <= left + width, text.get_text()
        assert top <= y - LABEL_SIZE and y <= top + height, text.get_text()
    nodes = [float(c["cy"]) + float(c["r"]) for c in svg.select("circle")]
    assert top + height - max(nodes) < 2 * LABEL_SIZE + 10, "no empty band under the picture"
