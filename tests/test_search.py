"""Site search: what the Pagefind bundle holds, how it is kept up to date, and how it fails."""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import SiteFactory, briefing
from trilat_site.site.pagefind import NICENESS, PagefindService, SearchIndex, plan_shards, search_view


def bundle_pages(site_dir: Path) -> dict[str, dict[str, Any]]:
    """Every page in the bundle, by URL, as Pagefind stores it: content, filters and metadata."""
    pages = {}
    for fragment in sorted((site_dir / "pagefind").glob("*/fragment/*.pf_fragment")):
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
    for asset in ("pagefind.js", "pagefind-component-ui.js", "pagefind-component-ui.css", "shards.json"):
        assert (built / "pagefind" / asset).is_file()
    manifest = json.loads((built / "pagefind" / "shards.json").read_text())
    for asset in ("pagefind-entry.json", "pagefind-worker.js", "wasm.en.pagefind"):
        assert (built / "pagefind" / manifest["root"] / asset).is_file(), "searches start from the root"
    for shard in manifest["languages"]["en"]:
        entry = json.loads((built / "pagefind" / shard / "pagefind-entry.json").read_text())
        assert set(entry["languages"]) == {"en", "en" + manifest["listing"]}
        assert not (built / "pagefind" / shard / "pagefind-worker.js").exists(), "Pagefind's code is in the root"
    # The search dialog loads the site's API over the shards, which wraps Pagefind's own.
    api = (built / "pagefind" / manifest["api"] / "pagefind.js").read_text(encoding="utf-8")
    assert 'from "../pagefind.js"' in api and "export function createInstance" in api


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
    """Records what a SearchIndex asks of Pagefind: the pages sent, and each index built."""

    def __init__(self) -> None:
        self.added: list[str] = []
        self.built: list[list[str]] = []
        self.live: dict[int, dict[str, str]] = {}
        self._next = 0

    def new_index(self) -> int:
        self._next += 1
        self.live[self._next] = {}
        return self._next

    def add(self, index_id: int, url: str, html: str) -> None:
        self.added.append(url if "<body></body>" not in html else f"empty {url}")
        # As Pagefind: a page sent again keeps its place, a new one goes last.
        self.live[index_id][url] = html

    def files(self, index_id: int, done: Any) -> None:
        pages = [url for url, html in self.live[index_id].items() if "<body></body>" not in html]
        self.built.append(pages)
        entry = json.dumps({"version": "test", "languages": {}}).encode()
        done({"pagefind-entry.json": entry, "pagefind.js": b"", f"fragment/{index_id}.pf_fragment": b""})

    def delete(self, index_id: int) -> None:
        del self.live[index_id]

    def wait(self) -> None:
        pass

    def close(self) -> None:
        pass


def test_shards_end_where_their_pages_say() -> None:
    """A page added or removed changes the shard it is in, not those after it."""
    rng = random.Random(7)
    pages = [f"/briefings/b{rng.randrange(10**9)}/" for _ in range(3000)]
    plan = plan_shards(pages, 300)
    assert plan == plan_shards(list(pages), 300), "the same pages, the same shards"
    assert [url for _, members in plan for url in members] == pages, "runs of the pages, in their order"
    sizes = [len(members) for _, members in plan]
    assert all(225 <= size <= 600 for size in sizes[:-1]) and 8 <= len(plan) <= 14, sizes
    changed = []
    for trial in range(200):
        edited = list(pages)
        if trial % 2:
            edited.insert(rng.randrange(len(edited)), f"/briefings/new{trial}/")
        else:
            del edited[rng.randrange(len(edited))]
        changed.append(len(set(plan_shards(edited, 300)) - set(plan)))
    assert max(changed) <= 3 and changed.count(1) >= 180, changed
    assert [len(m) for _, m in plan_shards([f"/{i}/" for i in range(40)], 4)] != [3] * 13, "tiny shards vary too"
    # Pages of two kinds never share a shard: each is ranked among pages like it.
    mixed = [f"/briefings/{i}/" for i in range(10)] + [f"/people/{i}/" for i in range(10)]
    kinds = plan_shards(mixed, 100, lambda url: url.split("/")[1])
    assert [members for _, members in kinds] == [tuple(mixed[:10]), tuple(mixed[10:])]


def test_search_index_indexes_again_only_the_shards_a_change_is_in(tmp_path: Path) -> None:
    service = FakeService()
    index = SearchIndex(lambda: service, shard_pages=4)  # type: ignore[arg-type, return-value]
    index.keep_documents = True  # as under `mkdocs serve`
    pages = {f"/p{i:02d}/": f"page {i}" for i in range(24)}

    def build(written: dict[str, str]) -> tuple[list[str], list[list[str]]]:
        service.added.clear()
        service.built.clear()
        index.begin(written, tmp_path / "bundle")
        for url, html in written.items():  # as a build writes them
            if index.wants(url):
                index.page(url, html)
        index.finish(lambda url: None)
        return list(service.added), list(service.built)

    def shards(written: dict[str, str]) -> list[list[str]]:
        return [list(members) for _, members in plan_shards(list(written), 4)]

    def on_disk() -> dict[str, int]:
        bundle = tmp_path / "bundle"
        return {p.relative_to(bundle).as_posix(): p.stat().st_mtime_ns for p in bundle.rglob("*") if p.is_file()}

    def lingering() -> list[str]:
        """Files of shards that are gone, or of a shard's earlier index."""
        fragments = [name for name in on_disk() if "/fragment/" in name]
        folders = [name.split("/")[0] for name in fragments]
        return [name for name in fragments if folders.count(name.split("/")[0]) != 1 or name.split("/")[0] not in index._order]

    added, built = build(pages)
    assert added == list(pages) and built == shards(pages), "each shard indexed once, in order"
    assert len(built) >= 4
    assert not service.live, "a first build lets every shard go once indexed"
    written = on_disk()
    assert build(pages) == ([], []), "nothing changed, nothing sent"
    assert on_disk() == written, "nor written again"
    manifest = json.loads((tmp_path / "bundle" / "shards.json").read_text())
    assert manifest["languages"] == {} and manifest["root"] is None, "the fake index has no language"

    pages["/p05/"] = "page 5, edited"
    home = next(s for s in shards(pages) if "/p05/" in s)
    assert build(pages) == (home, [home]), "its shard alone is indexed again"
    assert index.indexed_this_build == [plan_shards(list(pages), 4)[shards(pages).index(home)][0]]
    pages["/p05/"] = "page 5, edited again"
    assert build(pages) == (["/p05/"], [home]), "the shard last indexed keeps its pages: one is sent"

    # A page removed, a page added among the others: the shards whose pages changed, and only
    # those, are indexed again, in the order a clean build gives them.
    for change in ("remove", "add"):
        before = shards(pages)
        if change == "remove":
            del pages["/p06/"]
        else:
            pages = {**dict(list(pages.items())[:10]), "/new/": "new", **dict(list(pages.items())[10:])}
        added, built = build(pages)
        assert built == [s for s in shards(pages) if s not in before], change
        assert 1 <= len(built) < len(before) / 2, change
        assert lingering() == [], change
        assert build(pages) == ([], [])


def test_under_serve_the_pages_are_written_before_their_shards_are_compared_or_sent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit's page is served as soon as it is written: whether a changed shard reads the
    same to Pagefind (two parses a changed page), and sending it again, wait for `finish`,
    which `mkdocs serve` runs after the pages; one page that reads differently settles it."""
    import trilat_site.site.pagefind as pagefind

    parsed: list[str] = []
    view = pagefind.search_view
    monkeypatch.setattr(pagefind, "search_view", lambda html: parsed.append(html) or view(html))
    service = FakeService()
    index = SearchIndex(lambda: service, shard_pages=4)  # type: ignore[arg-type, return-value]
    index.keep_documents = True  # as under `mkdocs serve`
    body = '<div data-pagefind-body><h1>Page {i}</h1><p>{words}</p></div><ul class="list"><li>{listed}</li></ul>'

    def pages(words: str, listed: str) -> dict[str, str]:
        return {f"/p{i:02d}/": _page(body.format(i=i, words=words, listed=listed)) for i in range(24)}

    def build(written: dict[str, str], *, streamed: bool = False) -> tuple[list[str], list[list[str]]]:
        service.added.clear()
        service.built.clear()
        parsed.clear()
        index.begin(written, tmp_path / "bundle")
        for url, html in written.items():
            index.page(url, html)
        if not streamed:
            assert (service.added, service.built, parsed) == ([], [], []), "nothing until the pages are written"
        index.finish(lambda url: None)
        return list(service.added), list(service.built)

    first = pages("words", "old")
    shards = [list(members) for _, members in plan_shards(list(first), 4)]
    assert build(first, streamed=True) == (list(first), shards), "a first build streams its pages to Pagefind"
    # Only what search leaves out changed on every page (a template's list, say): nothing is sent.
    assert build(pages("words", "new")) == ([], [])
    assert len(parsed) == 2 * len(first), "each changed page compared with its last document, once"
    # Every page changed for search: each shard is settled by its first page and sent again.
    assert build(pages("other words", "new")) == (list(first), shards)
    assert len(parsed) == 2 * len(shards), "no page compared once its shard is known to change"


def test_search_index_sends_a_shard_in_order_when_its_pages_come_out_of_it(tmp_path: Path) -> None:
    """`mkdocs build --dirty` writes some pages; the others are read back, after the rest."""
    service = FakeService()
    index = SearchIndex(lambda: service, shard_pages=4)  # type: ignore[arg-type, return-value]
    pages = {f"/p{i:02d}/": f"page {i}" for i in range(24)}
    plan = [list(members) for _, members in plan_shards(list(pages), 4)]
    shard = next(members for members in plan if len(members) >= 3)
    skipped = shard[1]
    index.begin(pages, tmp_path / "bundle")
    for url in pages:
        if url != skipped:
            index.page(url, pages[url])
    read: list[str] = []
    index.finish(lambda url: read.append(url) or pages.get(url))
    assert sorted(service.built) == sorted(plan), "every shard in its order"
    assert read == [skipped, shard[0]], "the page not written, then the one sent before it"
    assert service.added.count(shard[0]) == 2 and service.added.count(skipped) == 1


@pytest.mark.parametrize("options", ["", "search_shard_pages: 3"], ids=["one shard", "shards"])
def test_a_serve_rebuild_writes_the_bundle_a_clean_build_writes(tmp_path: Path, options: str) -> None:
    """Rebuilds in one process, as `mkdocs serve` makes them, against clean builds of the same files."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    files = corpus()
    served = SiteFactory(tmp_path / "served")
    root = served.write(files, options)

    def config_of(project: Path, site_dir: Path) -> Any:
        return load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site_dir))

    config = config_of(root, tmp_path / "served-site")
    config.plugins.on_startup(command="serve", dirty=False)
    plugin = config.plugins["trilat"]
    try:
        build(config)
        # The server completes the bundle after the build, so the pages are served first.
        assert plugin._search_finishing is not None
        plugin.settle_search()
        first = plugin._search.sent_this_build
        shards = len(plugin._search.indexed_this_build)
        assert shards >= (4 if options else 1)
        b1 = files["briefings/b1.md"]
        edits = [
            # Its title is in the lists and related briefings of other pages, which search leaves out.
            ("title", "briefings/b2.md", briefing("Briefing 2, retitled", "2017-01-03", body="Now about hydrofoils.")),
            ("date", "briefings/b1.md", b1.replace("2017-01-02", "2016-12-30")),
            ("delete", "briefings/b3.md", None),
            ("new", "briefings/b9.md", briefing("A new briefing", "2017-01-10", body="Fresh words.")),
            ("same again", "briefings/b9.md", briefing("A new briefing", "2017-01-10", body="Fresh words.")),
        ]
        for kind, name, text in edits:
            if text is None:
                (root / name).unlink()
                files.pop(name)
            else:
                (root / name).write_text(text, encoding="utf-8")
                files[name] = text
            build(config)
            plugin.settle_search()
            indexed = plugin._search.indexed_this_build
            if kind == "title":
                assert plugin._search.sent_this_build < first / 2, "an edit re-sends the pages it changed"
                assert len(indexed) == 1, "the edited briefing's shard alone is indexed again"
            elif kind == "same again":
                assert plugin._search.sent_this_build == 0 and indexed == []
            else:
                assert 1 <= len(indexed) <= (2 if options else 1), kind
            clean = SiteFactory(tmp_path / f"clean-{kind}").build(files, options)
            assert clean.returncode == 0, clean.stderr
            ours = {p.relative_to(tmp_path / "served-site"): p.read_bytes() for p in (tmp_path / "served-site" / "pagefind").rglob("*") if p.is_file()}
            theirs = {p.relative_to(clean.site): p.read_bytes() for p in (clean.site / "pagefind").rglob("*") if p.is_file()}
            assert sorted(ours) == sorted(theirs), kind
            assert [str(k) for k in ours if ours[k] != theirs[k]] == [], kind
        assert "hydrofoils" in bundle_text(tmp_path / "served-site")
        assert "/briefings/b3/" not in bundle_pages(tmp_path / "served-site")
    finally:
        config.plugins.on_shutdown()


def _page(body: str, lang: str = "en") -> str:
    return f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>T</title></head><body>{body}</body></html>'


def test_a_change_only_to_what_search_leaves_out_is_no_change_for_search() -> None:
    """What decides, under `mkdocs serve`, whether a page whose HTML changed is indexed again."""
    page = (
        '<div data-pagefind-body><h1>Title</h1><p>Body words.</p>'
        '<p class="meta" data-pagefind-ignore data-pagefind-sort="order:{order}">Published'
        ' <a data-pagefind-filter="Theme">{theme}</a></p>'
        '<section data-pagefind-ignore><h2 id="related">Related</h2><ul><li>{related}</li></ul></section></div>'
        '<ul class="list"><li><a href="x">{listed}</a></li></ul>'
    )
    before = _page(page.format(order="k1", theme="Energy", related="Old title", listed="Old title"))
    assert search_view(before) is not None
    alike = _page(page.format(order="k1", theme="Energy", related="New title", listed="New title"))
    assert search_view(alike) == search_view(before), "a list and an ignored section are not searched"
    for change in ({"order": "k2"}, {"theme": "Security"}):
        other = _page(page.format(**{"order": "k1", "theme": "Energy", "related": "Old title", "listed": "Old title", **change}))
        assert search_view(other) != search_view(before), f"{change}: Pagefind reads it, inside an ignored element"
    assert search_view(before.replace("Body words", "Other words")) != search_view(before)
    assert search_view(before.replace("<h1>Title</h1>", "<h1>Title</h1><img src='a.png'>")) != search_view(before)
    # What it cannot follow for certain counts whole.
    assert search_view(_page("<p>No body element.</p>")) is None
    assert search_view(_page("<div data-pagefind-body><p>Unclosed</div>")) is None


def test_each_language_has_its_shards(tmp_path: Path) -> None:
    """Pagefind keeps an index per language; the manifest lists, per language, the shards that have one."""
    index = SearchIndex(shard_pages=2)
    pages = {f"/en/{i}/": _page(f'<div data-pagefind-body><h1>Page {i}</h1><p>Alliance {i}.</p></div>') for i in range(6)}
    pages |= {f"/ko/{i}/": _page(f'<div data-pagefind-body><h1>문서 {i}</h1><p>동맹 {i}.</p></div>', "ko") for i in range(3)}
    try:
        index.begin(pages, tmp_path / "bundle")
        for url, html in pages.items():
            index.page(url, html)
        index.finish(lambda url: None)
    finally:
        index.close()
    manifest = json.loads((tmp_path / "bundle" / "shards.json").read_text())
    plan = {name: members for name, members in plan_shards(list(pages), 2)}
    assert manifest["default"] == "en"
    for lang in ("en", "ko"):
        folders = manifest["languages"][lang]
        assert folders == [f"{name}/" for name, members in plan.items() if any(m.startswith(f"/{lang}/") for m in members)]
        for folder in folders:
            entry = json.loads((tmp_path / "bundle" / folder / "pagefind-entry.json").read_text())
            assert lang in entry["languages"]


@pytest.mark.skipif(shutil.which("nice") is None, reason="no POSIX nice here")
def test_pagefind_indexes_at_a_lower_priority_than_the_build() -> None:
    # Where the build and the indexer want the same core, the build goes first.
    service = PagefindService()
    try:
        index = service.new_index()
        service.add(index, "/a/", "<html><body><p>Alliance</p></body></html>")
        service.wait()
        # Asked once the binary has answered: `nice` sets the priority, then runs the binary.
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, service._proc.pid) == min(19, mine + NICENESS)
    finally:
        service.close()
