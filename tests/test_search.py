"""Site search: what the Pagefind bundle holds, how it is kept up to date, and how it fails."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import SiteFactory, briefing
from trilat_site.site.pagefind import SearchIndex


def bundle_pages(site_dir: Path) -> dict[str, dict[str, Any]]:
    """Every page in the bundle, by URL, as Pagefind stores it: content, filters and metadata."""
    pages = {}
    for fragment in sorted((site_dir / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes()).decode("utf-8")
        page = json.loads(data[data.index("{") :])
        pages[page["url"]] = page
    return pages


def bundle_text(site_dir: Path) -> str:
    """Everything the bundle's index files hold, decompressed, for grepping."""
    parts = []
    for path in sorted((site_dir / "pagefind").rglob("*")):
        if path.suffix in {".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter"}:
            parts.append(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
    return "\n".join(parts)


PEOPLE = (
    "- id: park-geun-hye\n  name: Park Geun-hye\n  native_name: 박근혜\n"
    "  role: President of the Republic of Korea\n  organization: asan\n"
    "- id: ryo-sahashi\n  name: Ryo Sahashi\n  native_name: 佐橋亮\n"
)
ORGS = "- id: asan\n  name: Asan Institute for Policy Studies\n  country: rok\n  native_name: 아산정책연구원\n"


def corpus() -> dict[str, str]:
    files: dict[str, str] = {
        "briefings/_data/people.yml": PEOPLE,
        "briefings/_data/organizations.yml": ORGS,
        "briefings/draft.md": briefing("Secret draft", "2017-01-09", body="Unpublished zanzibarite.", draft="true"),
        "docs/about.md": "# About the programme\n\nWe write about quasiperiodic summits.\n",
    }
    for i in range(5):
        files[f"briefings/b{i}.md"] = briefing(
            f"Briefing {i}",
            f"2017-01-0{i + 1}",
            summary=f"Summary number {i}.",
            themes="[energy]" if i == 4 else "[security]",
            countries="[rok, japan]" if i % 2 else "[us]",
            people="[park-geun-hye]" if i == 1 else "[]",
            body=f"## Findings\n\nThe body of briefing {i} mentions THAAD.\n",
            sources=f"\n  - title: Source of {i}\n    publisher: Publisher {i}",
        )
    return files


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = SiteFactory(tmp_path_factory.mktemp("search") / "proj").build(corpus(), "per_page: 2", "--strict")
    assert result.returncode == 0, result.stderr
    return result.site


def test_search_indexes_briefings_people_organisations_themes_and_own_pages_not_lists(built: Path) -> None:
    pages = bundle_pages(built)
    assert set(pages) == {
        *(f"/briefings/b{i}/" for i in range(5)),
        "/people/park-geun-hye/",
        "/people/ryo-sahashi/",
        "/organizations/asan/",
        "/themes/security/",
        "/themes/energy/",
        "/themes/cyber/",
        *(f"/countries/{c}/" for c in ("us", "rok", "japan", "china", "dprk")),
        "/about/",
    }, "never the home page, /briefings/, later pages of a list, crossings or the list pages"

    b1 = pages["/briefings/b1/"]
    assert b1["meta"] == {
        "title": "Briefing 1",
        "type": "Briefing",
        "date": "2 January 2017",
        "iso": "2017-01-02",
        "summary": "Summary number 1.",
    }
    assert b1["filters"] == {
        "Type": ["Briefing"],
        "Theme": ["Security"],
        "Country": ["Republic of Korea (South Korea)", "Japan"],
        "Year": ["2017"],
    }
    text = b1["content"]
    for words in ("Briefing 1", "Summary number 1.", "The body of briefing 1 mentions THAAD", "Source of 1", "Publisher 1"):
        assert words in text
    for left_out in ("Cite this briefing", "@techreport", "Related briefings", "Park Geun-hye", "Countries", "Next in"):
        assert left_out not in text, f"{left_out!r} is not searched on a briefing"

    park = pages["/people/park-geun-hye/"]
    assert park["meta"]["title"] == "Park Geun-hye" and park["filters"] == {"Type": ["Person"]}
    assert "박근혜" in park["content"].split() and "Asan Institute for Policy Studies" in park["content"]
    assert "Briefing 1" not in park["content"], "the list of briefings is not searched"

    asan = pages["/organizations/asan/"]
    assert asan["filters"] == {"Type": ["Organization"], "Country": ["Republic of Korea (South Korea)"]}
    assert "아산정책연구원" in asan["content"].split() and "Park Geun-hye" not in asan["content"]
    assert pages["/themes/energy/"]["filters"] == {"Type": ["Theme"]}
    assert "Briefing 4" not in pages["/themes/energy/"]["content"]
    assert "quasiperiodic" in pages["/about/"]["content"] and pages["/about/"]["filters"] == {"Type": ["Page"]}


def test_drafts_are_never_in_the_search_bundle(built: Path) -> None:
    text = bundle_text(built)
    assert "zanzibarite" not in text and "Secret draft" not in text
    assert "THAAD".lower() in text.lower(), "the bundle is readable as grepped"


def test_pages_carry_search_markup_and_the_header_its_search_button(built: Path) -> None:
    page = (built / "briefings" / "b1" / "index.html").read_text(encoding="utf-8")
    assert page.count("data-pagefind-body") == 1
    assert 'data-trilat-search="../../pagefind/"' in page
    assert "search/search_index.json" not in page and not (built / "search").exists()
    for asset in ("pagefind.js", "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-entry.json"):
        assert (built / "pagefind" / asset).is_file()


def test_a_site_that_keeps_material_search_is_told_which_to_use(site: SiteFactory) -> None:
    root = site.write({"briefings/a.md": briefing("A")})
    config = (root / "mkdocs.yml").read_text().replace("plugins:\n", "plugins:\n  - search\n")
    (root / "mkdocs.yml").write_text(config)
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    assert "Material's search plugin ('- search' under plugins in mkdocs.yml) builds a second" in result.stderr
    assert "Remove '- search' from plugins" in result.stderr
    assert (result.site / "pagefind" / "pagefind.js").is_file()
    assert site.run("build", "--strict").returncode == 1, "strict builds fail on the warning"


@pytest.mark.parametrize("binary", ["missing", "not-executable"])
def test_without_a_runnable_pagefind_the_build_fails_saying_how_to_install_it(
    site: SiteFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, binary: str
) -> None:
    path = tmp_path / "pagefind"
    if binary == "not-executable":
        path.write_text("not a program\n")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(path))
    result = site.build({"briefings/a.md": briefing("A")})
    assert result.returncode == 1
    assert f"trilat: search: the Pagefind binary {path} cannot run" in result.stderr
    assert "pip install 'pagefind[extended]'" in result.stderr and "search: false" in result.stderr
    assert "Traceback" not in result.stderr


def test_search_false_builds_without_pagefind(site: SiteFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/nonexistent/pagefind")
    result = site.build({"briefings/a.md": briefing("A")}, "search: false", "--strict")
    assert result.returncode == 0, result.stderr
    assert not (result.site / "pagefind").exists()
    page = (result.site / "briefings" / "a" / "index.html").read_text(encoding="utf-8")
    assert "trilat-search" not in page and "data-pagefind" in page
    listing = (result.site / "briefings" / "index.html").read_text(encoding="utf-8")
    assert "<form class=\"trilat-filter\"" not in listing, "the /briefings/ filter asks the search bundle"


# -- mkdocs serve: the index follows edits without indexing every page again ------------------


class FakeService:
    """Records what a SearchIndex asks of Pagefind."""

    def __init__(self) -> None:
        self.added: list[str] = []
        self.restarts = 0
        self.writes = 0

    def add(self, url: str, html: str) -> None:
        self.added.append(url if "<body></body>" not in html else f"empty {url}")

    def restart_index(self) -> None:
        self.restarts += 1

    def write(self, bundle: Path) -> None:
        self.writes += 1

    def close(self) -> None:
        pass


def test_search_index_sends_only_changed_pages_and_keeps_a_clean_build_s_order(tmp_path: Path) -> None:
    service = FakeService()
    index = SearchIndex(lambda: service)  # type: ignore[arg-type, return-value]
    pages = {"/a/": "A", "/b/": "B", "/c/": "C"}

    def build(urls: list[str], written: dict[str, str]) -> list[str]:
        service.added.clear()
        index.begin(urls)
        for url in urls:  # as a build writes them
            if index.wants(url):
                index.page(url, written[url])
        index.finish(tmp_path, lambda url: pages.get(url))
        return list(service.added)

    assert build(["/a/", "/b/", "/c/"], pages) == ["/a/", "/b/", "/c/"]
    assert build(["/a/", "/b/", "/c/"], pages) == [], "nothing changed, nothing sent"
    pages["/b/"] = "B, edited"
    assert build(["/a/", "/b/", "/c/"], pages) == ["/b/"]
    del pages["/c/"]
    assert build(["/a/", "/b/"], pages) == ["empty /c/"], "a deleted page is emptied, not re-indexed"
    assert service.restarts == 0
    pages["/c/"] = "C again"
    pages["/new/"] = "New"
    # A page in the middle: Pagefind numbers pages in the order they came, so it starts afresh.
    assert build(["/new/", "/a/", "/b/", "/c/"], pages) == ["/new/", "/a/", "/b/", "/c/"]
    assert service.restarts == 1
    assert build(["/new/", "/a/", "/b/", "/c/"], pages) == []
    assert service.writes == 6


def test_a_serve_rebuild_writes_the_bundle_a_clean_build_writes(tmp_path: Path) -> None:
    """Rebuilds in one process, as `mkdocs serve` makes them, against clean builds of the same files."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    files = corpus()
    served = SiteFactory(tmp_path / "served")
    root = served.write(files)

    def config_of(project: Path, site_dir: Path) -> Any:
        return load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site_dir))

    config = config_of(root, tmp_path / "served-site")
    config.plugins.on_startup(command="serve", dirty=False)
    plugin = config.plugins["trilat"]
    try:
        build(config)
        first = plugin._search.sent_this_build
        edits = [
            ("briefings/b2.md", briefing("Briefing 2, retitled", "2017-01-03", body="Now about hydrofoils.")),
            ("briefings/b3.md", None),
            ("briefings/b9.md", briefing("A new briefing", "2017-01-10", body="Fresh words.")),
        ]
        for name, text in edits:
            if text is None:
                (root / name).unlink()
                files.pop(name)
            else:
                (root / name).write_text(text, encoding="utf-8")
                files[name] = text
            build(config)
            if name == "briefings/b2.md":
                assert plugin._search.sent_this_build < first / 2, "an edit re-sends the pages it changed"
            clean = SiteFactory(tmp_path / f"clean-{Path(name).stem}").build(files)
            assert clean.returncode == 0, clean.stderr
            ours = {p.relative_to(tmp_path / "served-site"): p.read_bytes() for p in (tmp_path / "served-site" / "pagefind").rglob("*") if p.is_file()}
            theirs = {p.relative_to(clean.site): p.read_bytes() for p in (clean.site / "pagefind").rglob("*") if p.is_file()}
            assert sorted(ours) == sorted(theirs), name
            assert [str(k) for k in ours if ours[k] != theirs[k]] == [], name
        assert "hydrofoils" in bundle_text(tmp_path / "served-site")
        assert "/briefings/b3/" not in bundle_pages(tmp_path / "served-site")
    finally:
        config.plugins.on_shutdown()
