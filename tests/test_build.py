"""End-to-end: tiny sites built with the real `mkdocs build`, checked in their HTML."""

from __future__ import annotations

from conftest import briefing
from test_search import bundle_text


def _links(soup, selector: str = "a") -> list[str]:
    return [a.get("href") for a in soup.select(selector)]


def test_every_url_exists_and_pages_link_each_other(site) -> None:
    result = site.build(
        {
            "briefings/alpha.md": briefing("Alpha", "2017-04-01", themes="[security, energy]"),
            "briefings/beta.md": briefing("Beta", "2017-05-01", themes="[security]"),
            "briefings/2016/gamma.md": briefing("Gamma", "2016-01-01", themes="[cyber]", slug="gamma-x"),
        },
        "",
        "--strict",
    )
    assert result.returncode == 0, result.stderr
    for path in (
        "briefings/alpha",
        "briefings/beta",
        "briefings/gamma-x",
        "themes/security",
        "themes/energy",
        "themes/cyber",
        "themes",
        "briefings",
        "",
    ):
        result.html(path)

    alpha = result.content("briefings/alpha")
    assert alpha.h1.get_text(strip=True) == "Alpha"
    chips = alpha.select(".trilat-chips a")
    assert [a.get_text(strip=True) for a in chips] == ["Security", "Energy"]
    assert [a["href"] for a in chips] == ["../../themes/security/", "../../themes/energy/"]
    assert "Some body text." in alpha.get_text()
    assert alpha.select_one(".trilat-sources li").get_text(" ", strip=True).startswith("“A source”")

    security = result.content("themes/security")
    titles = [a.get_text(strip=True) for a in security.select(".trilat-item__title")]
    assert titles == ["Beta", "Alpha"], "newest first"
    assert _links(security, ".trilat-item__title") == ["../../briefings/beta/", "../../briefings/alpha/"]
    assert "It finds one thing." in security.get_text()


def test_every_briefing_is_on_each_of_its_theme_pages(site) -> None:
    result = site.build(
        {
            f"briefings/b{i}.md": briefing(f"B{i}", f"2017-01-{i + 1:02d}", themes=themes)
            for i, themes in enumerate(["[security]", "[security, cyber]", "[energy, cyber]"])
        }
    )
    assert result.returncode == 0, result.stderr
    expected = {"security": {"B0", "B1"}, "cyber": {"B1", "B2"}, "energy": {"B2"}}
    for theme, titles in expected.items():
        page = result.content(f"themes/{theme}")
        assert {a.get_text(strip=True) for a in page.select(".trilat-item__title")} == titles


def test_briefings_index_groups_by_year_newest_first(site) -> None:
    result = site.build(
        {
            "briefings/a.md": briefing("Old", "2015-03-01"),
            "briefings/b.md": briefing("Mid", "2016-03-01"),
            "briefings/c.md": briefing("New", "2016-09-01"),
        }
    )
    page = result.content("briefings")
    years = [h.get_text(strip=True) for h in page.select("section.trilat-year h2")]
    assert years == ["2016", "2015"]
    first = page.select("section.trilat-year")[0]
    assert [a.get_text(strip=True) for a in first.select(".trilat-item__title")] == ["New", "Mid"]


def test_home_shows_latest_briefings_and_theme_counts(site) -> None:
    result = site.build(
        {f"briefings/b{i}.md": briefing(f"B{i}", f"2017-01-{i + 1:02d}") for i in range(7)},
        "home_latest: 3",
    )
    home = result.content("")
    latest = home.select(".trilat-latest .trilat-item__title")
    assert [a.get_text(strip=True) for a in latest] == ["B6", "B5", "B4"]
    counts = {
        li.a.get_text(strip=True): li.select_one(".trilat-count").get_text(strip=True)
        for li in home.select(".trilat-home-themes li")
    }
    assert counts == {
        "Security": "7 briefings",
        "Energy": "0 briefings",
        "Cyber and emerging domains": "0 briefings",
    }


def test_listings_paginate_and_nav_never_lists_briefings(site) -> None:
    files = {f"briefings/b{i:02d}.md": briefing(f"B{i:02d}", f"2017-01-{i + 1:02d}") for i in range(25)}
    result = site.build(files, "per_page: 10")
    assert result.returncode == 0, result.stderr
    first = result.content("briefings")
    assert len(first.select(".trilat-item")) == 10
    third = result.content("briefings/page/3")
    assert [a.get_text(strip=True) for a in third.select(".trilat-item__title")] == [
        f"B{i:02d}" for i in range(4, -1, -1)
    ]
    assert result.content("themes/security/page/2").select(".trilat-item")
    pager = first.select_one(".trilat-pager")
    assert pager.select_one('a[rel="next"]')["href"] == "page/2/"

    page = result.html("briefings/b03")
    nav_links = " ".join(_links(page, "nav.md-nav a"))
    assert "b01" not in nav_links and "b02" not in nav_links
    tabs = [a.get_text(strip=True) for a in page.select(".md-tabs a")]
    assert tabs == ["Home", "Briefings", "Themes", "Explore", "About"]


def test_a_long_listings_pager_links_the_first_last_and_nearby_pages(site) -> None:
    files = {f"briefings/b{i:02d}.md": briefing(f"B{i:02d}", f"2017-01-{i + 1:02d}") for i in range(25)}
    result = site.build(files, "per_page: 2")
    assert result.returncode == 0, result.stderr

    def shown(path: str) -> list[str]:
        pager = result.content(path).select_one(".trilat-pager")
        return [el.get_text(strip=True) for el in pager.select("a:not([rel]), span[aria-current], .trilat-pager__gap")]

    assert shown("briefings/page/7") == ["1", "…", "5", "6", "7", "8", "9", "…", "13"]
    assert shown("briefings") == ["1", "2", "3", "…", "13"]
    # One page left out would take the room of the gap: it is linked instead.
    assert shown("briefings/page/5") == ["1", "2", "3", "4", "5", "6", "7", "…", "13"]
    seventh = result.content("briefings/page/7").select_one(".trilat-pager")
    assert seventh.select_one("[aria-current=page]").get_text() == "7"
    assert [a["href"] for a in seventh.select("a:not([rel])")][:2] == ["../../", "../5/"]
    assert seventh.select_one(".trilat-pager__gap")["aria-hidden"] == "true"


def _item_targets(result, path: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Where each listing entry of the page at `path` leads, as site paths."""
    from urllib.parse import urljoin

    base = "https://x.test/" + path.strip("/") + "/"
    return [urljoin(base, a["href"])[len("https://x.test/") :] for a in result.content(path).select(".trilat-item__title")]


def test_each_listing_entry_links_its_briefing_from_wherever_the_listing_is(site, monkeypatch) -> None:
    """An entry is rendered once for each address its link has (ListingItems): listings at every
    depth, in the same build, each link the briefing's own page."""
    files = {f"briefings/b{i}.md": briefing(f"B{i}", f"2017-01-0{i + 1}", people="[kim]") for i in range(3)}
    files["briefings/_data/people.yml"] = "- id: kim\n  name: Kim Ji-won\n"
    result = site.build(files, "per_page: 1")
    assert result.returncode == 0, result.stderr
    for path in ("briefings", "briefings/page/2", "themes/security", "themes/security/page/3", "people/kim/page/2"):
        targets = _item_targets(result, path)
        assert targets and all((result.site / t / "index.html").is_file() for t in targets), (path, targets)
    assert _item_targets(result, "briefings/page/2") == ["briefings/b1/"]
    assert _item_targets(result, "themes/security/page/3") == ["briefings/b0/"]


def test_related_briefings_explicit_first_then_ranked_with_reasons(site) -> None:
    result = site.build(
        {
            "briefings/a.md": briefing("A", "2017-01-01", related="[c]", tags="[THAAD]"),
            "briefings/b.md": briefing("B", "2017-01-02", tags="[THAAD]"),
            "briefings/c.md": briefing("C", "2017-01-03", themes="[energy]"),
            "briefings/d.md": briefing("D", "2017-01-04", themes="[cyber]"),
        }
    )
    related = result.content("briefings/a").select(".trilat-related li")
    assert [li.a.get_text(strip=True) for li in related] == ["C", "B"]
    assert related[0].select_one(".trilat-why") is None, "the authors' own links need no reason"
    assert related[1].select_one(".trilat-why").get_text(strip=True) == "Shares tag: THAAD; theme: Security"


def test_previous_and_next_within_the_first_theme(site) -> None:
    result = site.build(
        {
            "briefings/a.md": briefing("A", "2017-01-01"),
            "briefings/b.md": briefing("B", "2017-01-02", themes="[security, energy]"),
            "briefings/x.md": briefing("X", "2017-01-03", themes="[energy]"),
            "briefings/c.md": briefing("C", "2017-01-04"),
        }
    )
    nav = result.content("briefings/b").select_one(".trilat-neighbours")
    assert nav.select_one('a[rel="prev"]')["href"] == "../a/"
    assert nav.select_one('a[rel="next"]')["href"] == "../c/"


def test_drafts_are_not_published(site) -> None:
    result = site.build(
        {
            "briefings/a.md": briefing("Published", "2017-01-01"),
            "briefings/b.md": briefing("Secret draft", "2017-01-02", draft="true"),
        }
    )
    assert result.returncode == 0, result.stderr
    assert not (result.site / "briefings" / "b").exists()
    assert "Secret draft" not in bundle_text(result.site)
    assert "Secret draft" not in result.content("themes/security").get_text()


def test_briefing_links_to_another_by_its_file(site) -> None:
    result = site.build(
        {
            "briefings/2017/a.md": briefing("A", body="See [the other](../2016/b.md)."),
            "briefings/2016/b.md": briefing("B", slug="bee"),
        },
        "",
        "--strict",
    )
    assert result.returncode == 0, result.stderr
    link = result.content("briefings/a").select_one(".trilat-briefing p a[href*='bee']")
    assert link["href"] == "../bee/"


def test_hostile_front_matter_is_escaped(site) -> None:
    title = '"<script>alert(1)</script> & <b>x</b>"'
    result = site.build(
        {"briefings/a.md": briefing(title, summary='"Say \\"hi\\" <img src=x onerror=alert(1)>"')}
    )
    assert result.returncode == 0, result.stderr
    raw = (result.site / "briefings" / "a" / "index.html").read_text()
    assert "<script>alert(1)" not in raw
    assert "<img src=x" not in raw
    page = result.html("briefings/a")
    assert page.select_one("article h1").get_text() == "<script>alert(1)</script> & <b>x</b>"
    assert "<script>alert(1)" not in (result.site / "themes" / "security" / "index.html").read_text()


def test_site_templates_override_the_built_in_ones(site) -> None:
    result = site.build(
        {
            "briefings/a.md": briefing("A"),
            "templates/theme.html": "<h1>{{ page_title }}</h1><p class='custom'>{{ total }} custom</p>\n",
        }
    )
    assert result.returncode == 0, result.stderr
    assert result.content("themes/security").select_one(".custom").get_text() == "1 custom"


def test_the_site_docs_index_becomes_the_home_introduction(site) -> None:
    result = site.build({"briefings/a.md": briefing("A"), "docs/index.md": "# Welcome\n\nOur intro.\n"})
    home = result.content("")
    assert home.h1.get_text(strip=True).startswith("Welcome")
    assert "Our intro." in home.get_text()
    assert home.select(".trilat-latest .trilat-item")


def test_declared_themes_and_countries(site) -> None:
    options = """\
themes:
  - id: trade
    title: Trade
    description: Trade policy.
countries:
  - id: australia
    name: Australia
"""
    result = site.build(
        {"briefings/a.md": briefing("A", themes="[trade]", countries="[australia, rok]")}, options
    )
    assert result.returncode == 0, result.stderr
    assert result.content("themes/trade").select_one(".trilat-lead").get_text() == "Trade policy."
    assert not (result.site / "themes" / "security").exists()
    countries = result.content("briefings/a").select(".trilat-country")
    # A country's short name where space is short, its full name on hover and on its own page.
    assert [c.get_text() for c in countries] == ["Australia", "South Korea"]
    assert [c.get("title") for c in countries] == [None, "Republic of Korea (South Korea)"]


def test_build_is_byte_identical_across_runs_and_folders(site, tmp_path) -> None:
    files = {f"briefings/b{i}.md": briefing(f"B{i}", f"2017-01-{i + 1:02d}", tags="[x]") for i in range(5)}
    first = site.build(files)
    assert first.returncode == 0
    snapshot = {p.relative_to(first.site): p.read_bytes() for p in first.site.rglob("*") if p.is_file()}
    from conftest import SiteFactory

    other = SiteFactory(tmp_path / "elsewhere" / "deeper").build(files)
    again = {p.relative_to(other.site): p.read_bytes() for p in other.site.rglob("*") if p.is_file()}
    assert snapshot.keys() == again.keys()
    differing = [str(k) for k in snapshot if snapshot[k] != again[k] and k.name != "sitemap.xml.gz"]
    assert differing == []


PROBE_HOOK = """
import json
from pathlib import Path

seen = {}


def on_post_page(output, page, config):
    seen[page.url] = {"content": page.content, "output": output}
    return output


def on_post_build(config):
    Path(config.config_file_path).with_name("probe.json").write_text(json.dumps(seen))
"""


def test_other_plugins_get_a_page_s_converted_content_and_the_written_page_has_everything(site) -> None:
    import json

    people = "- id: kim\n  name: Kim Ji-won\n  role: Senior fellow\n"
    files = {
        "briefings/_data/people.yml": people,
        "briefings/a.md": briefing(
            "Alpha",
            summary="Summit diplomacy <resumed> quickly.",
            body="## Missile warning data\n\nThe three share launch data.",
            people="[kim]",
        ),
        "probe.py": PROBE_HOOK,
    }
    root = site.write(files)
    with (root / "mkdocs.yml").open("a") as config:
        config.write("hooks:\n  - probe.py\n")
    result = site.run("build")
    assert result.returncode == 0, result.stderr

    # The written page has everything; later plugins see the page's converted Markdown.
    probe = json.loads((root / "probe.json").read_text())["briefings/a/"]
    assert "trilat-cite" in probe["output"] and "Missile warning data" in probe["output"]
    assert "Summit diplomacy &lt;resumed&gt; quickly." in probe["output"]
    assert "trilat-cite" not in probe["content"] and "Summit diplomacy" not in probe["content"]
    assert probe["content"].startswith('<h2 id="missile-warning-data">')


def test_the_navigation_is_the_same_whether_rendered_once_or_for_every_page(site) -> None:
    # A hook after the plugin's on_env puts back a navigation rendered for every page.
    people = "- id: kim\n  name: Kim Ji-won\n"
    files = {
        "briefings/_data/people.yml": people,
        "docs/about.md": "# About\n\nThe programme.\n",
        "docs/guide/index.md": "# Guide\n",
        **{
            f"briefings/{'sub/' if i % 2 else ''}b{i}.md": briefing(
                f"B{i}", f"2017-01-{i + 1:02d}", people="[kim]", countries="[rok]"
            )
            for i in range(5)
        },
    }
    memo = site.build(files, "per_page: 2")
    assert memo.returncode == 0, memo.stderr
    built = {p.relative_to(memo.site): p.read_bytes() for p in memo.site.rglob("*.html")}
    (site.root / "plain.py").write_text(
        "from trilat_site.mkdocs.material.navmemo import NavMemo\n"
        "def on_env(env, config, files):\n"
        "    env.globals['trilat_memo'] = NavMemo(memoize=False)\n"
        "    return env\n"
    )
    with (site.root / "mkdocs.yml").open("a") as config:
        config.write("hooks:\n  - plain.py\n")
    plain = site.run("build")
    assert plain.returncode == 0, plain.stderr
    again = {p.relative_to(plain.site): p.read_bytes() for p in plain.site.rglob("*.html")}
    assert len(built) > 20 and built.keys() == again.keys()
    assert [str(k) for k in built if built[k] != again[k]] == []


def test_content_another_plugin_adds_before_the_body_is_kept(site) -> None:
    hook = (
        "def on_page_content(html, page, config, files):\n"
        "    return '<p>Added by another plugin.</p>' + html\n"
    )
    root = site.write({"briefings/a.md": briefing("Alpha", body="## Findings\n\nThe body."), "hook.py": hook})
    with (root / "mkdocs.yml").open("a") as config:
        config.write("hooks:\n  - hook.py\n")
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    text = result.content("briefings/a/").get_text(" ", strip=True)
    # The summary is shown once, by the template.
    assert "In brief: It finds one thing. Added by another plugin. Findings The body." in text


def test_every_page_is_filed_under_its_tab(site) -> None:
    """Pages the navigation does not list still show where they are: their tab is the current one,
    their section is open in the sidebar, and a briefing has its own entry there with its contents."""
    files = {
        "briefings/_data/people.yml": "- id: kim\n  name: Kim Ji-won\n  organization: asan\n",
        "briefings/_data/organizations.yml": "- id: asan\n  name: Asan Institute\n",
        **{
            f"briefings/b{i}.md": briefing(
                f"B{i}",
                f"2017-01-{i + 1:02d}",
                people="[kim]",
                organizations="[asan]",
                countries="[rok]",
                body="## Findings\n\nText.\n\n## Our assessment\n\nMore.",
            )
            for i in range(3)
        },
    }
    result = site.build(files, "per_page: 2")
    assert result.returncode == 0, result.stderr
    expected = {
        "briefings/b1": "Briefings",
        "briefings/page/2": "Briefings",
        "themes/security": "Themes",
        "themes/security/page/2": "Themes",
        "countries/rok": "Explore",
        "countries/rok/page/2": "Explore",
        "people/kim": "Explore",
        "organizations/asan": "Explore",
        "themes/security/countries/rok": "Explore",
    }
    for path, tab in expected.items():
        page = result.html(path)
        active = [li.get_text(strip=True) for li in page.select(".md-tabs__item--active")]
        assert active == [tab], path
    briefing_page = result.html("briefings/b1")
    entry = briefing_page.select_one("nav.md-nav--primary .md-nav__item--active a.md-nav__link--active")
    assert entry is not None and entry.get_text(strip=True) == "B1"
    drawer_toc = briefing_page.select("nav.md-nav--primary nav.md-nav--secondary a")
    titles = [a.get_text(strip=True) for a in drawer_toc]
    assert titles[:3] == ["Findings", "Our assessment", "Sources"] and titles[-1] == "Cite this briefing"
    assert [a["href"] for a in drawer_toc][:3] == ["#findings", "#our-assessment", "#trilat-sources"]
    # The section is open in the sidebar (and the drawer), and the table of contents' title
    # is a label of the page entry's toggle, which exists.
    assert briefing_page.select_one("nav.md-nav--primary input.md-nav__toggle[checked]") is not None
    assert briefing_page.select_one("input#__toc") is not None
    person = result.html("people/kim")
    assert (
        person.select_one("nav.md-nav--primary a.md-nav__link--active").get_text(strip=True) == "Kim Ji-won"
    )
