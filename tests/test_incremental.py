"""Preview rebuilds: what `mkdocs serve --dirty` writes through the plugin's caches is, byte for
byte, what a clean `mkdocs build` of the same files writes.

The serving side runs in this process as `mkdocs serve --dirty` runs it: one plugin instance
started for `serve`, then a fresh configuration and a dirty build into the same folder for each
change. Every clean build is a `mkdocs build` of its own, in a fresh process.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import mkdocs.utils
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.config_options import Plugins
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer

from conftest import SiteFactory, briefing
from trilat_site.mkdocs import incremental, writing
from trilat_site.mkdocs.conversion import Conversions
from trilat_site.mkdocs.incremental import Incremental
from trilat_site.mkdocs.material import shells
from trilat_site.mkdocs.plugin import SETTLE, TrilatPlugin
from trilat_site.site.render import ListingItems, RenderCache, builtin_templates

PEOPLE = "- id: kim\n  name: Kim Ji-won\n  organization: asan\n- id: sato\n  name: Sato Kenji\n"
ORGS = "- id: asan\n  name: Asan Institute\n"


def _files() -> dict[str, str]:
    return {
        "briefings/_data/people.yml": PEOPLE,
        "briefings/_data/organizations.yml": ORGS,
        "docs/about.md": "# About\n\nThe programme.\n",
        "briefings/a.md": briefing("Alpha", "2017-01-02", people="[kim]", body="## Findings\n\nFirst body."),
        "briefings/b.md": briefing(
            "Beta", "2017-02-03", themes="[security, energy]", people="[sato]", body="See [the first](a.md)."
        ),
        "briefings/c.md": briefing("Gamma", "2017-03-04", themes="[energy]", organizations="[asan]"),
        "briefings/sub/e.md": briefing("Epsilon", "2017-04-05", people="[kim, sato]", countries="[rok]"),
    }


def _plugin_caches() -> list[Plugins]:
    # MkDocs keeps a plugin that has on_startup for the life of the process (that is how it
    # survives serve rebuilds): each test starts from a new one.
    return [option for _, option in MkDocsConfig._schema if isinstance(option, Plugins)]


@contextmanager
def serving(root: Path, site_dir: Path, dirty: bool = True) -> Iterator[Callable[[], None]]:
    """A `rebuild()` that does what `mkdocs serve --dirty` (or plain `mkdocs serve`) does on each change."""
    for option in _plugin_caches():
        option.plugin_cache.clear()

    def config() -> MkDocsConfig:
        return load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir))

    first = config()
    first.plugins.on_startup(command="serve", dirty=dirty)

    def rebuild() -> None:
        again = config()
        build(again, serve_url=again.site_url, dirty=dirty)
        # The server completes the search bundle after serving the pages: compare the site once it has.
        again.plugins["trilat"].settle_search()

    try:
        yield rebuild
    finally:
        first.plugins.on_shutdown()
        for option in _plugin_caches():
            option.plugin_cache.clear()


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _differences(served: Path, clean: Path) -> list[str]:
    a, b = _tree(served), _tree(clean)
    missing = [f"only in the clean build: {n}" for n in sorted(b.keys() - a.keys())]
    extra = [f"only in the served site: {n}" for n in sorted(a.keys() - b.keys())]
    changed = [f"differs: {n}" for n in sorted(a.keys() & b.keys()) if a[n] != b[n]]
    return missing + extra + changed


def _edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _template(root: Path, marker: str) -> None:
    own = root / "templates" / "briefing.html"
    own.parent.mkdir(exist_ok=True)
    text = (builtin_templates() / "briefing.html").read_text(encoding="utf-8")
    own.write_text(text + f"\n<p class='edited'>{marker}</p>\n", encoding="utf-8")


# Each edit an editor makes while previewing, in turn; after each, the served site is compared.
EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("title", lambda root: _edit(root, "briefings/a.md", "title: Alpha", "title: Alpha renamed")),
    ("body", lambda root: _edit(root, "briefings/c.md", "Some body text.", "## New section\n\nOther text.")),
    ("themes", lambda root: _edit(root, "briefings/c.md", "themes: [energy]", "themes: [security]")),
    ("related", lambda root: _edit(root, "briefings/a.md", "people: [kim]", "people: [kim]\nrelated: [c]")),
    ("source", lambda root: _edit(root, "briefings/a.md", "title: A source", "title: Another source")),
    ("registry", lambda root: _edit(root, "briefings/_data/people.yml", "Kim Ji-won", "Kim Ji-won (KIDA)")),
    ("organisation", lambda root: _edit(root, "briefings/_data/organizations.yml", "Asan Institute", "Asan")),
    # A page that comes to name a person is rewritten when that person changes next.
    ("people", lambda root: _edit(root, "briefings/c.md", "organizations: [asan]", "organizations: [asan]\npeople: [sato]")),
    ("registry, newly named", lambda root: _edit(root, "briefings/_data/people.yml", "Sato Kenji", "Sato Kenji (JIIA)")),
    ("new template", lambda root: _template(root, "first")),
    ("template", lambda root: _template(root, "second")),
    (
        "new briefing",
        lambda root: (root / "briefings" / "d.md").write_text(
            briefing("Delta", "2017-05-06", people="[sato]", body="After [Beta](b.md)."), encoding="utf-8"
        ),
    ),
    ("deleted briefing", lambda root: (root / "briefings" / "b.md").unlink()),
    ("own page", lambda root: _edit(root, "docs/about.md", "The programme.", "The research programme.")),
]


def _chain(
    site: SiteFactory,
    edits: list[tuple[str, Callable[[Path], None]]],
    options: str = "",
    setup: Callable[[Path], None] | None = None,
    dirty: bool = True,
) -> list[str]:
    """Builds, then edits and rebuilds through the serving path; the first edit whose served
    site is not the clean build's, with what differs, or nothing."""
    root = site.write(_files(), options)
    if setup is not None:
        setup(root)
    served = root.parent / "served"
    clean = root.parent / "clean"
    with serving(root, served, dirty) as rebuild:
        for name, edit in [("first build", lambda root: None), *edits]:
            edit(root)
            rebuild()
            shutil.rmtree(clean, ignore_errors=True)
            result = site.run("build", "--site-dir", str(clean))
            assert result.returncode == 0, result.stderr
            differences = _differences(served, clean)
            if differences:
                return [name, *differences]
    return []


def test_the_server_rebuilds_as_soon_as_its_watcher_reports_a_change(site: SiteFactory, tmp_path: Path) -> None:
    root = site.write(_files())
    (root / "templates").mkdir()
    out = tmp_path / "out"
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(out))
    # MkDocs' own wait for further changes, which its half-second polling makes idle.
    assert server.build_delay == 0.1
    with serving(root, out) as rebuild:
        rebuild()
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(out))
        try:
            assert config.plugins.on_serve(server, config=config, builder=lambda: None) is server
        finally:
            server.server_close()
    assert server.build_delay == SETTLE < 0.1
    assert server._watched_paths.keys() >= {str(root / "briefings"), str(root / "templates")}


def test_every_edit_served_is_what_a_clean_build_writes(site: SiteFactory) -> None:
    assert _chain(site, EDITS) == []


def _translation(of: str, language: str, title: str, date: str, body: str = "본문.", **extra: str) -> str:
    lines = ["---", f"translation_of: {of}", f"language: {language}", f"title: {title}", f"date: {date}",
             "summary: 번역된 요약.", *(f"{k}: {v}" for k, v in extra.items())]
    return "\n".join(lines) + "\n---\n\n" + body + "\n"


LANGUAGES = "languages: [en, ko, ja]\n"


def _translations(root: Path) -> None:
    (root / "briefings" / "a.ko.md").write_text(
        _translation("a", "ko", "알파", "2017-02-01", body="[베타](b.md)와 함께 읽는다."), encoding="utf-8"
    )
    (root / "briefings" / "b.ja.md").write_text(_translation("b", "ja", "ベータ", "2017-03-01"), encoding="utf-8")


# The edits of a site in three languages: each rebuilt page, listing, feed and export in every
# language must be what a clean build writes.
LANGUAGE_EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("translation's title", lambda root: _edit(root, "briefings/a.ko.md", "title: 알파", "title: 알파 개정")),
    ("translation's body", lambda root: _edit(root, "briefings/a.ko.md", "함께 읽는다.", "함께 다시 읽는다.")),
    (
        "new translation",
        lambda root: (root / "briefings" / "c.ko.md").write_text(
            _translation("c", "ko", "감마", "2017-03-05", body="[알파](a.ko.md) 참조."), encoding="utf-8"
        ),
    ),
    ("deleted translation", lambda root: (root / "briefings" / "b.ja.md").unlink()),
    ("original's themes", lambda root: _edit(root, "briefings/a.md", "themes: [security]", "themes: [energy]")),
    ("original's title", lambda root: _edit(root, "briefings/a.md", "title: Alpha", "title: Alpha renamed")),
    ("original's date", lambda root: _edit(root, "briefings/a.md", "date: 2017-01-02", "date: 2017-01-03")),
    ("original's people", lambda root: _edit(root, "briefings/a.md", "people: [kim]", "people: [sato]")),
    ("registry", lambda root: _edit(root, "briefings/_data/people.yml", "Kim Ji-won", "Kim Ji-won\n  native_name: 김지원")),
    ("deleted original and translation", lambda root: [(root / "briefings" / n).unlink() for n in ("c.md", "c.ko.md")]),
]


def test_the_edited_page_is_written_before_the_exports_it_changed(
    site: SiteFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under `mkdocs serve --dirty` the exports and feeds an edit changed are made once the pages
    are written, in the background, and written before the next rebuild begins."""
    import trilat_site.site.export as export

    release = threading.Event()
    held = threading.Event()
    document = export.export_document

    def slow(*args: object, **kwargs: object) -> object:
        if held.is_set():
            assert release.wait(60)
        return document(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(export, "export_document", slow)
    root = site.write(_files(), "")
    served = root.parent / "served"
    with serving(root, served) as rebuild:
        rebuild()
        held.set()
        _edit(root, "briefings/a.md", "title: Alpha", "title: Alpha renamed")
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(served))
        build(config, serve_url=config.site_url, dirty=True)
        assert "Alpha renamed" in (served / "briefings" / "a" / "index.html").read_text(encoding="utf-8")
        assert "Alpha renamed" not in (served / "briefings.json").read_text(encoding="utf-8"), "not yet"
        release.set()
        config.plugins["trilat"].settle_search()
        for name in ("briefings.json", "briefings.csl.json", "feed.xml"):
            assert "Alpha renamed" in (served / name).read_text(encoding="utf-8"), name


@pytest.mark.parametrize("dirty", [True, False], ids=["serve --dirty", "serve"])
def test_every_edit_of_a_site_in_three_languages_served_is_what_a_clean_build_writes(
    site: SiteFactory, dirty: bool
) -> None:
    # Plain `mkdocs serve` writes every page, through the render cache: it is held to the same.
    found = _chain(site, LANGUAGE_EDITS, LANGUAGES, _translations, dirty)
    assert found == [], "\n".join(found)


def test_a_commit_shows_in_the_pages_served_after_it(site: SiteFactory) -> None:
    """A commit changes a briefing's revision history and dates, not its file: the next rebuild
    (whatever edit starts it) shows them as a clean build does."""
    from test_git import git

    def commit(root: Path, message: str, day: str) -> None:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", message, date=day)

    def init(root: Path) -> None:
        git(root, "init", "-q")
        commit(root, "First drafts", "2017-05-01")

    def commit_and_edit(root: Path) -> None:
        commit(root, "Revise Alpha's findings", "2017-06-01")
        _edit(root, "briefings/c.md", "Some body text.", "Other text.")

    edits: list[tuple[str, Callable[[Path], None]]] = [
        ("edit", lambda root: _edit(root, "briefings/a.md", "First body.", "Revised body.")),
        ("commit, then an edit elsewhere", commit_and_edit),
    ]
    assert _chain(site, edits, "revision_history: true", init) == []


def test_edits_served_in_several_languages_are_what_a_clean_build_writes(site: SiteFactory) -> None:
    """Each language's navigation shows its pages' titles and the site's own pages: an edit to
    any of them reaches every page of that language, as in a clean build."""
    korean = "---\ntranslation_of: a\nlanguage: ko\ntitle: 알파\ndate: 2017-06-01\nsummary: 요약.\n---\n\n본문.\n"

    def setup(root: Path) -> None:
        (root / "briefings" / "a.ko.md").write_text(korean, encoding="utf-8")
        (root / "docs" / "guide.md").write_text("# Guide\n\nHow to read.\n", encoding="utf-8")

    edits: list[tuple[str, Callable[[Path], None]]] = [
        ("translation's title", lambda root: _edit(root, "briefings/a.ko.md", "title: 알파", "title: 알파 개정")),
        ("own page's title", lambda root: _edit(root, "docs/guide.md", "# Guide", "# Reading guide")),
        (
            "new translation",
            lambda root: (root / "briefings" / "c.ko.md").write_text(
                korean.replace("translation_of: a", "translation_of: c"), encoding="utf-8"
            ),
        ),
    ]
    found = _chain(site, edits, "languages: [en, ko]", setup)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    ("mutant", "edit"),
    [
        # A body's conversion kept by its name alone: an edited body is not seen.
        ("conversion key without the file's content", "body"),
        # A page written again only when its converted body changed: a new title is not seen.
        ("page key without the page's spec", "title"),
        # A page not written again when a person it names changed.
        ("registry changes ignored", "registry"),
        # A page not written again when its kind's own template changed.
        ("page key without its template", "template"),
        # A page that came to name a person keeps the look-ups of its earlier rendering.
        ("look-ups kept from before the page was rewritten", "registry, newly named"),
    ],
)
def test_a_cache_keyed_too_coarsely_is_caught(
    site: SiteFactory, monkeypatch: pytest.MonkeyPatch, mutant: str, edit: str
) -> None:
    if mutant.startswith("conversion"):
        key = Conversions._key

        def coarse(self: Conversions, src: str, url: str, body: object) -> object:
            found = key(self, src, url, body)  # type: ignore[arg-type]
            return None if found is None else found[:3]

        monkeypatch.setattr(Conversions, "_key", coarse)
    elif mutant.startswith("look-ups"):
        post_page = TrilatPlugin.on_post_page

        def stale(self: TrilatPlugin, output: str, /, *, page: Any, config: MkDocsConfig) -> str:
            before = self._rewritten.get(page.file.src_uri)
            output = post_page(self, output, page=page, config=config)
            if before is not None:
                self._lookups[page.file.src_uri] = before
            return output

        monkeypatch.setattr(TrilatPlugin, "on_post_page", stale)
    else:
        decide = Incremental.decide

        def coarse_decide(self: Incremental, files, site_key, keys, touched, extra, config):  # type: ignore[no-untyped-def]
            if mutant == "page key without its template":
                keys = {src: key[:-1] for src, key in keys.items()}
            elif mutant.startswith("page key"):
                keys = {src: key[1:] for src, key in keys.items()}
            else:
                touched = set()
            return decide(self, files, site_key, keys, touched, extra, config)

        monkeypatch.setattr(Incremental, "decide", coarse_decide)
    edits = [e for e in EDITS if e[0] == edit or (edit == "registry, newly named" and e[0] == "people")]
    found = _chain(site, edits)
    assert found[:1] == [edit], found
    assert any(line.startswith("differs: briefings/") for line in found[1:]), found


def test_a_page_kinds_template_rewrites_the_pages_of_that_kind_only(site: SiteFactory) -> None:
    root = site.write(_files())
    served = root.parent / "served"

    def written() -> dict[str, int]:
        return {p.relative_to(served).as_posix(): p.stat().st_mtime_ns for p in served.rglob("index.html")}

    with serving(root, served) as rebuild:
        rebuild()
        before = written()
        _template(root, "first")
        rebuild()
        after = written()
    # The site's own page from docs/ (about/) is MkDocs' to write, and it writes it every time.
    again = sorted(name for name in before if after.get(name) != before[name] and name != "about/index.html")
    assert again == ["briefings/a/index.html", "briefings/b/index.html", "briefings/c/index.html", "briefings/e/index.html"]


def _tamper_and_template(root: Path) -> None:
    """Something other than the server changes a page it wrote; then a template edit rewrites it."""
    page = root.parent / "served" / "briefings" / "a" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<body", "<body data-other", 1), encoding="utf-8")
    _template(root, "after")


def test_a_page_whose_content_alone_changed_is_written_in_the_themes_page_as_last_written(
    site: SiteFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A template edit changes what is inside each briefing page and nothing the theme prints
    around it: the theme's page is not rendered again, and the site is the clean build's."""
    given: list[str] = []
    reuse = shells.Shells.reuse

    def counted(self: shells.Shells, dest: str, key: object, content: str) -> tuple[str, str] | None:
        found = reuse(self, dest, key, content)  # type: ignore[arg-type]
        if found is not None:
            given.append(Path(dest).parent.name)
        return found

    monkeypatch.setattr(shells.Shells, "reuse", counted)
    edits = [e for e in EDITS if e[0] in ("new template", "template")]
    assert _chain(site, edits) == []
    assert [given.count(name) for name in ("a", "b", "c", "e")] == [2, 2, 2, 2], given
    # A page changed on disk since it was written is rendered whole.
    given.clear()
    assert _chain(site, [("tampered, then a template edit", _tamper_and_template)]) == []
    assert "a" not in given and {"b", "c", "e"} <= set(given), given


def _searchable_template(marker: str) -> Callable[[Path], None]:
    """The site's own briefing template with words search finds after each body (or none)."""

    def edit(root: Path) -> None:
        own = root / "templates" / "briefing.html"
        own.parent.mkdir(exist_ok=True)
        text = (builtin_templates() / "briefing.html").read_text(encoding="utf-8")
        own.write_text(text.replace("{{ content }}", "{{ content }}" + marker, 1), encoding="utf-8")

    return edit


# Template edits that change what search finds on every briefing page and nothing around it;
# the last makes every page shorter than the one before.
SEARCHABLE_TEMPLATES = [
    ("searchable template", _searchable_template("<p>Words searched for first.</p>")),
    ("searchable template again", _searchable_template("<p>Other words searched for, second and longer.</p>")),
    ("searchable template removed", _searchable_template("")),
]


def test_a_page_given_its_shell_is_written_by_the_plugin_as_mkdocs_would_write_it(
    site: SiteFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MkDocs' own part in writing a page whose content alone changed is left out: the plugin
    writes it, and the site, its search bundle included, is the clean build's."""
    direct: list[str] = []
    by_mkdocs: list[str] = []
    write_directly, write_file = TrilatPlugin._write_directly, mkdocs.utils.write_file

    def counted(self: TrilatPlugin, file: Any) -> bool:
        written = write_directly(self, file)
        if written:
            direct.append(Path(file.abs_dest_path).parent.name)
        return written

    def written(content: bytes, output_path: str) -> None:
        by_mkdocs.append(Path(output_path).parent.name)
        write_file(content, output_path)

    monkeypatch.setattr(TrilatPlugin, "_write_directly", counted)
    monkeypatch.setattr(mkdocs.utils, "write_file", written)
    assert _chain(site, SEARCHABLE_TEMPLATES) == []
    assert [direct.count(name) for name in ("a", "b", "c", "e")] == [3, 3, 3, 3], direct
    # The first build's pages only were written by MkDocs.
    assert [by_mkdocs.count(name) for name in ("a", "b", "c", "e")] == [1, 1, 1, 1], by_mkdocs


def test_a_template_that_fails_on_a_page_the_plugin_writes_is_reported_by_file_and_line(
    site: SiteFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """A briefing template broken after a good build fails on pages the plugin would write
    itself (their shells are kept): the error names the template and line, and once the
    template is mended the served site is a clean build's."""
    root = site.write(_files())
    served, clean = root.parent / "served", root.parent / "clean"
    own = root / "templates" / "briefing.html"
    with serving(root, served) as rebuild:
        rebuild()
        _template(root, "first")
        rebuild()
        own.write_text("<h1>{{ briefing.title }}</h1>\n\n{{ briefing.no_such_field }}\n", encoding="utf-8")
        caplog.clear()
        with pytest.raises(Exception):  # noqa: B017 - MkDocs ends a failed build its own way
            rebuild()
        assert (
            "templates/briefing.html:3: 'trilat_site.core.model.Briefing object' has no attribute 'no_such_field' "
            "(rendering the page of briefings/sub/e.md)"
        ) in caplog.text
        assert "Traceback" not in caplog.text
        _template(root, "mended")
        rebuild()
    result = site.run("build", "--site-dir", str(clean))
    assert result.returncode == 0, result.stderr
    assert _differences(served, clean) == []


def test_a_page_written_by_the_plugin_without_its_last_event_is_caught(
    site: SiteFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The page's on_post_page left out: search keeps what the page said before.
    write_directly, post_page = TrilatPlugin._write_directly, TrilatPlugin.on_post_page
    directly: list[bool] = []

    def flagged(self: TrilatPlugin, file: Any) -> bool:
        directly.append(True)
        try:
            return write_directly(self, file)
        finally:
            directly.pop()

    def skipped(self: TrilatPlugin, output: str, /, *, page: Any, config: MkDocsConfig) -> str:
        return output if directly else post_page(self, output, page=page, config=config)

    monkeypatch.setattr(TrilatPlugin, "_write_directly", flagged)
    monkeypatch.setattr(TrilatPlugin, "on_post_page", skipped)
    found = _chain(site, SEARCHABLE_TEMPLATES[:1])
    assert found[:1] == ["searchable template"], found
    assert any("pagefind/" in line for line in found[1:]), found


@pytest.mark.parametrize(
    ("mutant", "edit"),
    [
        # A page given its old shell when only its table of contents changed (a new section).
        ("shell key without the table of contents", "body"),
        # A page given its old shell from a file something else changed since.
        ("shell taken from disk unchecked", "tampered"),
        # The head kept for every page written again, not only for those whose template alone
        # changed: a briefing whose source was renamed keeps the old name in its JSON-LD.
        ("head kept whatever changed", "source"),
    ],
)
def test_a_shell_reused_too_eagerly_is_caught(
    site: SiteFactory, monkeypatch: pytest.MonkeyPatch, mutant: str, edit: str
) -> None:
    if mutant == "shell key without the table of contents":
        monkeypatch.setattr(shells, "_toc", lambda items: ())
        edits = [e for e in EDITS if e[0] == edit]
    elif mutant == "head kept whatever changed":
        monkeypatch.setattr(incremental, "_template_only", lambda old, new: old is not None)
        edits = [e for e in EDITS if e[0] == edit]
    else:
        monkeypatch.setattr(shells, "_digest", lambda data: b"")
        edits = [(edit, _tamper_and_template)]
    found = _chain(site, edits)
    assert found[:1] == [edit], found
    assert any(line.startswith("differs: briefings/") for line in found[1:]), found


def test_a_part_of_a_page_kept_by_too_coarse_a_key_is_caught(site: SiteFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # The sources' and the timeline's sections, and the listings' entries, kept by their records'
    # hashes, which a briefing's path and slug make: a renamed briefing keeps its old title in the
    # sections and entries that show it.
    part = RenderCache.part
    monkeypatch.setattr(RenderCache, "part", lambda self, page, key, make: part(self, page, hash(key), make))
    found = _chain(site, [e for e in EDITS if e[0] == "title"])
    assert found[:1] == ["title"], found
    lists = {"differs: sources/index.html", "differs: timeline/index.html", "differs: briefings/index.html"}
    assert lists <= set(found[1:]), found


def _theme_note(words: str) -> Callable[[Path], None]:
    """The site's own theme.html, whose pages keep a part it makes with a macro of its own."""

    def edit(root: Path) -> None:
        own = root / "templates" / "theme.html"
        own.parent.mkdir(exist_ok=True)
        text = (builtin_templates() / "theme.html").read_text(encoding="utf-8")
        macro = f'{{% macro note() %}}<p class="note">{words}</p>{{% endmacro %}}\n'
        own.write_text(
            text.replace("{% block intro %}\n", "{% block intro %}\n" + macro + "{{ fragment('note', note) }}\n", 1),
            encoding="utf-8",
        )

    return edit


# A kind's own template edited (briefing.html: the listings' kept entries stay), then another
# whose pages keep a part of their own (theme.html: its part is made again).
OWN_TEMPLATE_EDITS = [
    ("theme note", _theme_note("First note.")),
    ("briefing template", lambda root: _template(root, "first")),
    ("new briefing after it", next(edit for name, edit in EDITS if name == "new briefing")),
    ("theme note edited", _theme_note("Second note.")),
]


def test_a_change_to_one_kinds_template_keeps_the_parts_other_kinds_made(
    site: SiteFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[Any] = []
    part = RenderCache.part

    def counted(self: RenderCache, page: Any, key: Any, make: Callable[[], Any]) -> Any:
        return part(self, page, key, lambda: (made.append(page), make())[1])

    monkeypatch.setattr(RenderCache, "part", counted)
    root = site.write(_files())
    served = root.parent / "served"
    with serving(root, served) as rebuild:
        for _, edit in [("first build", lambda root: None), *OWN_TEMPLATE_EDITS[:2]]:
            edit(root)
            rebuild()
        made.clear()
        OWN_TEMPLATE_EDITS[2][1](root)
        rebuild()
    # After briefing.html changed, a new briefing's listings make its entry and keep the others'.
    entries = {page[1] for page in made if page[0] is ListingItems}
    assert entries == {"briefings/d.md"}, entries
    assert _chain(site, OWN_TEMPLATE_EDITS) == []


def test_parts_kept_whatever_a_kinds_own_template_says_are_caught(site: SiteFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    begin = RenderCache.begin
    monkeypatch.setattr(RenderCache, "begin", lambda self, generation, registry=None, own=None: begin(self, generation, registry))
    found = _chain(site, OWN_TEMPLATE_EDITS)
    assert found[:1] == ["theme note edited"], found
    assert any(line.startswith("differs: themes/") for line in found[1:]), found


def test_pages_written_by_a_worker_process_are_what_a_clean_build_writes(
    site: SiteFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild with many pages to write has a worker process write some of them (see
    writing.py); here every rebuild does, however few its pages."""
    monkeypatch.setattr(writing, "MIN_PAGES", 1)
    taken: list[object] = []
    replay = writing.replay
    monkeypatch.setattr(writing, "replay", lambda records: (taken.append(records), replay(records)))
    adopted: list[object] = []
    adopt = ListingItems.adopt
    monkeypatch.setattr(ListingItems, "adopt", lambda parts, made, records: (adopted.extend(made), adopt(parts, made, records)))
    assert _chain(site, EDITS) == []
    assert len(taken) >= len(EDITS), "the worker wrote pages"
    assert adopted, "the listing entries the worker made were kept by the build's process"
    found = _chain(site, LANGUAGE_EDITS, LANGUAGES, _translations)
    assert found == [], "\n".join(found)


def test_listing_entries_a_worker_made_kept_under_the_wrong_briefing_are_caught(
    site: SiteFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writing, "MIN_PAGES", 1)
    adopt = ListingItems.adopt

    def mixed_up(parts: RenderCache, made: list[Any], records: dict[str, Any]) -> None:
        # Each entry kept as the entry of the next briefing in the list.
        entries = list(made)
        shifted = [(entries[i][0], entries[i - 1][1]) for i in range(len(entries))]
        adopt(parts, shifted, records)

    monkeypatch.setattr(ListingItems, "adopt", mixed_up)
    found = _chain(site, EDITS)
    assert found and any(line.startswith("differs: ") for line in found[1:]), found


def test_a_worker_whose_pages_search_never_gets_is_caught(site: SiteFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writing, "MIN_PAGES", 1)
    begin = writing.PageWriters.begin

    def forgetful(self: writing.PageWriters, files, write, take_in, cores):  # type: ignore[no-untyped-def]
        return begin(self, files, write, lambda src, kept: take_in(src, {"shell": kept.get("shell")}), cores)

    monkeypatch.setattr(writing.PageWriters, "begin", forgetful)
    found = _chain(site, EDITS)
    assert any(line.startswith("differs: pagefind/") for line in found[1:]), found


def test_bodies_converted_on_other_cores_give_the_same_site_and_the_same_warnings(site: SiteFactory) -> None:
    """A build with many bodies converts them in worker processes; nothing a reader gets changes,
    and what a conversion logs is reported once, at its page's place, as without workers."""
    files = {
        f"briefings/b{i:02d}.md": briefing(
            f"B{i}",
            f"2017-01-{i % 28 + 1:02d}",
            body=f"## Part {i}\n\nText with *emphasis* and [a neighbour](b{(i + 1) % 60:02d}.md).\n\n| a | b |\n| - | - |\n| {i} | x |",
        )
        for i in range(60)
    }
    # A link MkDocs cannot resolve: it logs a warning while converting the body.
    files["briefings/b07.md"] = briefing("B7", "2017-01-08", body="See [nowhere](missing.md).")
    site.write(files, "convert_workers: 1")
    alone = site.run("build", "--site-dir", str(site.root.parent / "alone"))
    site.write({}, "convert_workers: 3")
    spread = site.run("build", "--verbose", "--site-dir", str(site.root.parent / "spread"))
    assert "60 bodies to convert, with 2 worker processes" in spread.stderr, spread.stderr
    assert alone.returncode == 0 and spread.returncode == 0, spread.stderr
    assert _differences(site.root.parent / "spread", site.root.parent / "alone") == []

    def warnings(stderr: str) -> list[str]:
        return [line for line in stderr.splitlines() if line.startswith("WARNING")]

    assert len([w for w in warnings(alone.stderr) if "missing.md" in w]) == 1, alone.stderr
    assert warnings(spread.stderr) == warnings(alone.stderr)
    strict = site.run("build", "--strict", "--site-dir", str(site.root.parent / "strict"))
    assert strict.returncode != 0 and "1 warnings in strict mode" in strict.stdout + strict.stderr, (
        strict.stderr
    )
