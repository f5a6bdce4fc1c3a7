"""Briefings as a hostile contributor writes them: safe bodies, bounded builds, a site never lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import xml.dom.minidom
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from conftest import SiteFactory, briefing, record
from test_resilience import PROPERTY
from trilat_site.core import bodycheck
from trilat_site.core.bodycheck import check_body
from trilat_site.core.loader import load_briefings, parse_briefing
from trilat_site.core.settings import SiteSettings
from trilat_site.core.text import comparison_key
from trilat_site.site.feeds import atom_feed
from trilat_site.site.sanitize import sanitize, unforeseen

SETTINGS = SiteSettings()
TRILAT = str(Path(sys.executable).with_name("trilat"))
GOOD = {"briefings/good.md": briefing("Good one", "2017-01-01")}
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")


def problems_of(body: str, settings: SiteSettings = SETTINGS) -> list[str]:
    data = briefing("T", body=body).encode()
    result = parse_briefing(data, path="briefings/x.md", src_rel="x.md", settings=settings)
    return [str(p) for p in result.problems]


def assert_inert(article: Any) -> None:
    """No element, attribute or address in the article can run script or cover the page."""
    for el in article.find_all(True):
        assert el.name not in ("script", "iframe", "object", "embed", "base", "meta", "form", "style", "svg"), el
        for name, value in el.attrs.items():
            assert not name.lower().startswith("on"), el
            text = " ".join(value) if isinstance(value, list) else value
            if name in ("href", "src", "cite", "action", "formaction", "srcdoc"):
                squeezed = "".join(text.split()).lower()
                assert not squeezed.startswith(DANGEROUS_SCHEMES), el
            if name == "style":
                assert "position" not in text and "inset" not in text, el
            if name == "id":
                assert not text.startswith("__"), el


# -- the sanitiser: one test per vector ---------------------------------------------------

VECTORS = {
    "script": ("<script>alert(1)</script>", "the <script> element is not allowed in a briefing"),
    "img-onerror": ("<img src=x onerror=alert(1)>", "the event handler attribute 'onerror' on <img> runs script"),
    "iframe-srcdoc": ('<iframe srcdoc="<script>alert(1)</script>"></iframe>', "the <iframe> element is not allowed in a briefing"),
    "svg-onload": ("<svg onload=alert(1)></svg>", "the <svg> element is not allowed in a briefing"),
    "javascript-link": (
        "[x](javascript:alert(1))",
        "the address 'javascript:alert(1' uses 'javascript:', which runs or embeds content: link with http, https or mailto",
    ),
    "data-link": (
        "[x](data:text/html,hi)",
        "the address 'data:text/html,hi' uses 'data:', which runs or embeds content: link with http, https or mailto",
    ),
    "attr-list-onerror": ('![i](https://example.org/i.png){ onerror="alert(1)" }', "the event handler attribute 'onerror' runs script"),
    "attr-list-overlay": (
        'Click anywhere.\n{ style="position:fixed;inset:0" }',
        "the style properties position, inset can move content over the page: only text-align and vertical-align are kept",
    ),
    "base-href": ('<base href="https://evil.example/">', "the <base> element is not allowed in a briefing"),
    "meta-refresh": (
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
        "the <meta> element is not allowed in a briefing",
    ),
    "closing-layout": ("</div></article>", "the end tag </div> closes no element the briefing opened"),
    "theme-config-id": ('<div id="__config">{}</div>', "the id '__config' on <div> is reserved for the theme (ids starting with '__')"),
    "entity-scheme": ('<a href="&#106;avascript:alert(1)">x</a>', "the address '&#106;avascript:alert(1)' uses 'javascript:', which runs or embeds content: link with http, https or mailto"),
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    factory = SiteFactory(tmp_path_factory.mktemp("hostile") / "proj")
    files: dict[str, str | bytes] = dict(GOOD)
    for name, (body, _) in VECTORS.items():
        files[f"briefings/{name}.md"] = briefing(name, body=f"Before.\n\n{body}\n\nAfter.")
    result = factory.build(files)
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.parametrize("vector", sorted(VECTORS))
def test_a_body_cannot_run_script_and_the_removal_is_a_located_warning(hostile_site: Any, vector: str) -> None:
    body, reason = VECTORS[vector]
    article = hostile_site.content(f"briefings/{vector}")
    assert_inert(article)
    assert "Before." in article.get_text() and "After." in article.get_text()
    # The briefing() helper's body starts on line 11; the vector is two lines further.
    line = 13 + body.count("\n")
    assert f"WARNING -  trilat: briefings/{vector}.md:{line}: removed from the page: {reason}" in hostile_site.stderr
    assert "Traceback" not in hostile_site.stderr


def test_the_whole_published_page_stays_inert(hostile_site: Any) -> None:
    for vector in VECTORS:
        page = hostile_site.html(f"briefings/{vector}")
        bases = page.find_all("base")
        assert bases == [], vector
        assert not page.find("meta", attrs={"http-equiv": True}), vector
        # The layout is whole: the article is still inside the page's main container.
        assert page.select_one("main article.md-content__inner"), vector


def test_check_reports_exactly_what_the_build_reports(hostile_site: Any) -> None:
    proc = subprocess.run(
        [TRILAT, "check", "--format", "json", "--strict"],
        cwd=hostile_site.root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    checked = {f"{p['path']}:{p['line']}: {p['message']}" for p in json.loads(proc.stdout)}
    built = {
        line.split("trilat: ", 1)[1]
        for line in hostile_site.stderr.splitlines()
        if line.startswith("WARNING -  trilat: briefings/")
    }
    assert checked == built


def test_strict_builds_fail_on_a_removal(site: SiteFactory) -> None:
    result = site.build({**GOOD, "briefings/x.md": briefing(body="<script>x</script>")}, "", "--strict")
    assert result.returncode != 0
    assert "briefings/x.md:11: removed from the page: the <script> element is not allowed" in result.stderr


def test_sites_that_trust_every_author_can_opt_out(site: SiteFactory) -> None:
    result = site.build(
        {**GOOD, "briefings/x.md": briefing(body='<span onclick="go()">chart</span>')}, "sanitize: false", "--strict"
    )
    assert result.returncode == 0, result.stderr
    assert result.content("briefings/x").select_one("span[onclick]")


def test_ordinary_markdown_loses_nothing() -> None:
    body = (
        "# Title {#t .lead}\n\nText[^1] *a* **b** `<script>` <https://x.org> [l](other.md#a \"t\")\n\n"
        "| a | b |\n|:-|-:|\n| 1 | 2 |\n\n!!! note \"N\"\n    body\n\n```html\n<script>alert(1)</script>\n```\n\n"
        "> q\n\n---\n\n1. a\n2. b\n\n<details><summary>More</summary>Hidden <abbr title=\"x\">X</abbr></details>\n\n"
        "[^1]: Note.\n"
    )
    assert problems_of(body) == []
    import markdown

    html = markdown.markdown(
        body, extensions=["toc", "tables", "fenced_code", "admonition", "footnotes", "attr_list"],
        extension_configs={"toc": {"permalink": True}},
    )
    assert unforeseen(html) == []
    cleaned = BeautifulSoup(sanitize(html), "html.parser")
    original = BeautifulSoup(html, "html.parser")
    assert [e.name for e in cleaned.find_all(True)] == [e.name for e in original.find_all(True)]


# -- property-based: arbitrary Markdown and HTML fragments -----------------------------------

FRAGMENTS = st.sampled_from(
    [
        "<script>", "</script>", "<img src=x onerror=alert(1)>", "<a href='javascript:x'>", "</a>", "<div>",
        "</div>", "<svg onload=x>", "<iframe srcdoc='x'>", "<p style='position:fixed'>", "{ onclick=x }",
        "{: .md-dialog #__search }", "[x](", "javascript:alert(1)", ")", "![i](", "data:x", "<!--", "-->",
        "`", "```", "\n", "\n\n", "- ", "> ", "    ", "*", "_", "[", "]", "<", ">", '"', "'", "=", "&#106;",
        "text", "<b>", "</b>", "<base href=//e>", "<meta http-equiv=refresh>", "<style>", "<textarea>",
        "<a href=https://ok.example>", "[^1]", "[^1]: n", "#", "!!! note", "{", "}", "<details>", "<br/>",
    ]
)  # fmt: skip


@PROPERTY
@given(st.lists(FRAGMENTS, max_size=40))
def test_arbitrary_bodies_never_raise_and_never_keep_an_event_handler(parts: list[str]) -> None:
    import markdown

    body = "".join(parts)
    issues = check_body(body)
    for issue in issues:
        assert 0 <= issue.offset <= len(body) and issue.message.isprintable()
    if any(i.severity.value == "error" for i in issues):
        return
    html = markdown.markdown(body, extensions=["toc", "tables", "fenced_code", "admonition", "footnotes", "attr_list"])
    cleaned = sanitize(html)
    assert_inert(BeautifulSoup(cleaned, "html.parser"))
    if unforeseen(html):
        # What the sanitiser removes, the source check saw: the check and the build agree.
        assert any(i.message.startswith(bodycheck.REMOVED) for i in issues), (body, unforeseen(html))


# -- bounded conversion ------------------------------------------------------------------

PATHOLOGICAL = {
    "brackets": ("[" * 16000 + "](" * 10, "this paragraph has too many '[' that are never closed"),
    "divs": ("<div>" * 40000, "HTML elements are nested 65 deep in the body (at most 64)"),
    "dash-list": ("- " * 500 + "item", "the body is nested 500 levels deep here"),
    "numbered-list": ("1. " * 600, "the body is nested 600 levels deep here"),
    "emphasis": ("*" * 3000 + "a" + "*" * 3000, "this paragraph has 6,000 emphasis markers"),
    "admonitions": ("".join("    " * i + "!!! note\n\n" for i in range(600)), "the body is nested 33 levels deep here"),
    "tab-lists": ("".join("\t" * i + "- x\n" for i in range(2000)), "the body is nested 33 levels deep here"),
    "quotes": (">" * 4000 + " x", "the body is nested 4000 levels deep here"),
    "headings": ("## h\n\n" * 300_000, "the body has more than 500 headings"),
    "footnotes": ("".join(f"x[^{i}]\n\n[^{i}]: n\n\n" for i in range(30_000)), "the body has more than 1000 footnote"),
    "unclosed-tags": (" <a word" * 20000, "the body has so many unclosed HTML tags"),
    "backtick-runs": ("".join("`" * i + " x " for i in range(1, 1200)), "the body has so many unclosed HTML tags ('<' without '>'), backtick runs"),
    "open-fences": ("".join("`" * (3 + i) + "\nx\n\n" for i in range(400)) + "word " * 40000, "backtick runs or code fences"),
    "images": (" ![a" * 100 + " word" * 200000, "this paragraph has too many '[' that are never closed"),
}


@pytest.mark.parametrize("kind", sorted(PATHOLOGICAL))
def test_pathological_bodies_are_refused_with_a_located_error(kind: str) -> None:
    body, message = PATHOLOGICAL[kind]
    assert len(body.encode()) < 2 * 1024 * 1024
    found = [p for p in problems_of(body) if ": warning: " not in p]
    assert len(found) == 1 and message in found[0], found
    assert found[0].startswith("briefings/x.md:")


def test_a_pathological_body_fails_the_build_quickly_with_no_traceback(site: SiteFactory) -> None:
    files = {**GOOD, "briefings/deep.md": briefing(body="- " * 500 + "item")}
    site.write(files)
    result = site.run("build")  # the fixture's own timeout bounds it
    assert result.returncode != 0
    assert "briefings/deep.md:11: the body is nested 500 levels deep here" in result.stderr
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr


def test_bodies_at_every_limit_build(site: SiteFactory) -> None:
    at_limit = {
        "nesting": "".join("    " * i + "- x\n" for i in range(bodycheck.MAX_NESTING)),
        "headings": "".join(f"## h{i}\n\n" for i in range(bodycheck.MAX_HEADINGS)),
        "footnotes": "".join(f"x[^{i}]\n\n[^{i}]: n\n\n" for i in range(bodycheck.MAX_FOOTNOTES // 2)),
        "emphasis": "*a " * (bodycheck.MAX_EMPHASIS // 2) + "b" + " c*" * (bodycheck.MAX_EMPHASIS // 2),
        "html": "<div>" * bodycheck.MAX_HTML_DEPTH + "x" + "</div>" * bodycheck.MAX_HTML_DEPTH,
    }
    for name, body in at_limit.items():
        assert [p for p in problems_of(body) if ": warning: " not in p] == [], name
    result = site.build({f"briefings/{n}.md": briefing(n, body=b) for n, b in at_limit.items()})
    assert result.returncode == 0, result.stderr


def test_a_conversion_failure_is_located_not_a_traceback(site: SiteFactory) -> None:
    extension = (
        "from markdown.extensions import Extension\nfrom markdown.preprocessors import Preprocessor\n\n"
        "class Boom(Preprocessor):\n    def run(self, lines):\n"
        "        if any('boom' in line for line in lines):\n            raise ValueError('cannot read this')\n"
        "        return lines\n\n"
        "class BoomExtension(Extension):\n    def extendMarkdown(self, md):\n"
        "        md.preprocessors.register(Boom(md), 'boom', 100)\n\n"
        "def makeExtension(**kw):\n    return BoomExtension(**kw)\n"
    )
    root = site.write({**GOOD, "briefings/x.md": briefing(body="boom"), "boomext.py": extension})
    with (root / "mkdocs.yml").open("a") as config:
        config.write("markdown_extensions:\n  - boomext\n")
    result = site.run("build")
    assert result.returncode != 0
    assert "briefings/x.md:1: Markdown could not convert the body: ValueError: cannot read this" in result.stderr
    assert "Traceback" not in result.stderr


# -- only regular files ------------------------------------------------------------------


def test_a_fifo_is_a_located_error_and_nothing_waits_for_it(site: SiteFactory) -> None:
    root = site.write(GOOD)
    os.mkfifo(root / "briefings" / "x.md")
    os.mkfifo(root / "briefings" / "_data" / "people.yml") if (root / "briefings" / "_data").is_dir() else None
    corpus = load_briefings(root, SETTINGS)
    assert [str(p) for p in corpus.problems] == [
        "briefings/x.md:1: is a named pipe (FIFO), not a regular file: briefings must be regular files"
    ]
    check = subprocess.run(
        [TRILAT, "check"], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert check.returncode == 1 and "briefings/x.md:1: is a named pipe (FIFO)" in check.stdout
    result = site.run("build")
    assert result.returncode != 0 and "briefings/x.md:1: is a named pipe (FIFO)" in result.stderr


def test_a_fifo_registry_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "briefings" / "_data").mkdir(parents=True)
    os.mkfifo(tmp_path / "briefings" / "_data" / "people.yml")
    corpus = load_briefings(tmp_path, SETTINGS)
    assert [str(p) for p in corpus.problems] == [
        "briefings/_data/people.yml:1: is a named pipe (FIFO), not a regular file: keep the registry as a regular file here"
    ]


# -- characters --------------------------------------------------------------------------

CONTROLS = [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, 0x85, 0x9F)]


@pytest.mark.parametrize("ch", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_control_characters_are_located_errors_and_feeds_stay_xml(ch: str) -> None:
    escaped = json.dumps(ch)  # a YAML double-quoted escape, as "\a" or "\x01" would be
    data = briefing(title=escaped, tags=f"[{escaped}]").encode()
    result = parse_briefing(data, path="briefings/x.md", src_rel="x.md", settings=SETTINGS)
    assert result.briefing is None
    messages = [str(p) for p in result.problems]
    assert messages[0].startswith(f"briefings/x.md:2: title contains U+{ord(ch):04X}"), messages
    assert messages[0].endswith("a control character: remove it")
    # The feed writer, given such text anyway, still writes well-formed XML.
    b = record("x", 1, title=f"A{ch}B", authors=())
    feed = atom_feed(
        title=f"F{ch}",
        feed_url="https://e.org/feed.xml",
        page_url="https://e.org/",
        author="E",
        entries=[b],
        url_of=lambda _: "https://e.org/x/",
        updated_of=lambda x: x.date,
        authors_of=lambda _: [(f"Ann{ch}Lee", None)],
        language_of=lambda _: "en",
        settings=SETTINGS,
    )
    xml.dom.minidom.parseString(feed.encode("utf-8"))


@pytest.mark.parametrize(
    "field, value, reason",
    [
        ("title", "Invoice \u202efdp.exe summary", "U+202E (RIGHT-TO-LEFT OVERRIDE), a bidirectional control"),
        ("summary", "A \u2066isolated\u2069 word", "U+2066 (LEFT-TO-RIGHT ISOLATE), a bidirectional control"),
        ("tags", "[alli\u200bances]", "U+200B (ZERO WIDTH SPACE), an invisible character"),
        ("slug", "a\u200db", "is not usable in a URL"),
    ],
)
def test_direction_and_invisible_characters_are_refused(field: str, value: str, reason: str) -> None:
    data = briefing(**{field: json.dumps(value) if field != "tags" else value}).encode()
    result = parse_briefing(data, path="briefings/x.md", src_rel="x.md", settings=SETTINGS)
    assert result.briefing is None
    assert any(reason in p.message for p in result.problems), [str(p) for p in result.problems]
    assert all(p.message.isprintable() for p in result.problems)


def test_tags_are_compared_as_readers_see_them() -> None:
    assert comparison_key("Alliances") == comparison_key("ａｌｌｉａｎｃｅｓ") == comparison_key("alli\u200dances")
    data = briefing(tags="[Alliances, alliances, ａｌｌｉａｎｃｅｓ]").encode()
    result = parse_briefing(data, path="briefings/x.md", src_rel="x.md", settings=SETTINGS)
    assert [str(p) for p in result.problems] == [
        "briefings/x.md:9: tags[1]: 'alliances' is the same as 'Alliances': remove one",
        "briefings/x.md:9: tags[2]: 'ａｌｌｉａｎｃｅｓ' is the same as 'Alliances': remove one",
    ]


def test_the_body_refuses_direction_controls_but_keeps_joiners() -> None:
    assert problems_of("Family: 👨\u200d👩\u200d👧") == []
    assert problems_of("Invoice \u202efdp.exe") == [
        "briefings/x.md:11: the body contains U+202E (RIGHT-TO-LEFT OVERRIDE), a bidirectional control, "
        "which reorders the text around it: remove it"
    ]


# -- file names --------------------------------------------------------------------------


def test_odd_file_names_are_located_errors_shown_escaped(site: SiteFactory) -> None:
    root = site.write(GOOD)
    folder = os.fsencode(root / "briefings")
    for name in (b"caf\xe9.md", b"two\nlines.md", b"x\xe2\x80\xaey.md"):
        with open(os.path.join(folder, name), "wb") as f:
            f.write(briefing().encode())
    (root / "briefings" / "upper.MD").write_text(briefing())
    (root / "briefings" / "long.markdown").write_text(briefing())
    proc = subprocess.run(
        [TRILAT, "check", "--format", "json"],
        cwd=root, capture_output=True, timeout=60,
    )  # fmt: skip
    found = json.loads(proc.stdout.decode("utf-8"))  # valid UTF-8 JSON
    assert [(p["path"], p["message"]) for p in found] == [
        ("briefings/caf\\xe9.md", "the file name is not UTF-8 text: rename it"),
        (
            "briefings/long.markdown",
            "is not read as a briefing: briefings are named *.md in lower case; rename it to long.md, "
            "or start its name with '_' to keep it out of the site",
        ),
        ("briefings/two\\nlines.md", "the file name contains U+000A (LINE FEED), a control character: rename it"),
        (
            "briefings/upper.MD",
            "is not read as a briefing: briefings are named *.md in lower case; rename it to upper.md, "
            "or start its name with '_' to keep it out of the site",
        ),
        (
            "briefings/x\\u202ey.md",
            "the file name contains U+202E (RIGHT-TO-LEFT OVERRIDE), a bidirectional control, which reorders "
            "the text around it: rename it",
        ),
    ]
    text = subprocess.run(
        [TRILAT, "check"], cwd=root, capture_output=True, text=True, timeout=60
    ).stdout
    assert all(line.startswith("briefings/") for line in text.splitlines()), "no forged lines"


def test_one_slug_rule_for_files_and_new_briefings(tmp_path: Path) -> None:
    from trilat_site.cli.scaffold import slug_for_title

    (tmp_path / "briefings").mkdir()
    (tmp_path / "briefings" / "été 2017 énergie.md").write_text(briefing())
    corpus = load_briefings(tmp_path, SETTINGS)
    assert [b.slug for b in corpus.briefings] == [slug_for_title("été 2017 énergie")] == ["ete-2017-energie"]


# -- root causes first -------------------------------------------------------------------


def test_a_broken_registry_comes_first_and_its_effects_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "briefings" / "_data").mkdir(parents=True)
    (tmp_path / "briefings" / "_data" / "people.yml").write_text("- id: ann\n  name: [Ann\n")
    for n in "abc":
        (tmp_path / "briefings" / f"{n}.md").write_text(briefing(n, people="[ann]"))
    corpus = load_briefings(tmp_path, SETTINGS)
    assert [str(p) for p in corpus.problems] == [
        "briefings/_data/people.yml:3: YAML syntax error: did not find expected ',' or ']' (while parsing a flow "
        "sequence): check the indentation, and quote values that contain ': ' or start with a special character",
        "briefings/_data/people.yml:3: 3 references in 3 briefings cannot be checked until this is fixed "
        "(the first: briefings/a.md:9)",
    ]


def test_links_to_a_refused_briefing_are_one_line_after_its_error(tmp_path: Path) -> None:
    (tmp_path / "briefings").mkdir()
    (tmp_path / "briefings" / "z.md").write_text(briefing("Z", date="2017-02-30"))
    for n in "abcdef":
        (tmp_path / "briefings" / f"{n}.md").write_text(briefing(n, related="[z]"))
    corpus = load_briefings(tmp_path, SETTINGS)
    assert [str(p) for p in corpus.problems] == [
        "briefings/z.md:3: date: '2017-02-30' is not a real date: that month has no day 30",
        "briefings/z.md:3: 6 related links in 6 briefings cannot be checked until this is fixed "
        "(the first: briefings/a.md:9)",
    ]


# -- never lose the site -------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if ".staging-" in p.name or ".old-" in p.name)


@pytest.fixture
def published(site: SiteFactory) -> tuple[SiteFactory, dict[str, bytes]]:
    result = site.build({**GOOD, "briefings/b.md": briefing("B", "2017-02-01")})
    assert result.returncode == 0, result.stderr
    return site, snapshot(result.site)


def test_a_broken_briefing_leaves_the_previous_site_byte_identical(published: Any) -> None:
    site, before = published
    result = site.build({"briefings/bad.md": briefing(date="2017-02-30")})
    assert result.returncode != 0
    assert snapshot(result.site) == before
    assert leftovers(site.root) == []


def test_a_build_failing_late_leaves_the_previous_site_byte_identical(published: Any) -> None:
    site, before = published
    # Passes the briefing checks, fails on a warning only --strict turns into a failure at the very end.
    result = site.build({"briefings/c.md": briefing("C", body="[x](missing.md)")}, "", "--strict")
    assert result.returncode != 0
    assert snapshot(result.site) == before
    assert leftovers(site.root) == []


HOOK = """\
import os, time
def on_post_page(output, page, config):
    if page.file.src_uri.startswith("briefings/"):
        open(os.environ["TRILAT_TEST_MARK"], "w").close()
        time.sleep(60)
    return output
"""


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["SIGINT", "SIGTERM", "SIGKILL"])
def test_an_interrupted_build_leaves_the_previous_site_byte_identical(published: Any, how: signal.Signals) -> None:
    site, before = published
    root = site.write({"hook.py": HOOK, "briefings/c.md": briefing("C")})
    with (root / "mkdocs.yml").open("a") as config:
        config.write("hooks:\n  - hook.py\n")
    mark = root / "halfway"
    env = {**os.environ, "TRILAT_TEST_MARK": str(mark), "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "build"], cwd=root, env=env, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not mark.exists():
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.stderr else ""
            time.sleep(0.1)
        assert any(".staging-" in p.name for p in root.iterdir()), "pages are being written beside the site"
        proc.send_signal(how)
        proc.wait(timeout=60)
    finally:
        proc.kill()
        proc.wait()
    assert snapshot(root / "site") == before
    if how is signal.SIGKILL:
        assert len(leftovers(root)) == 1, "a killed process cannot clean up"
        (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text().replace("hooks:\n  - hook.py\n", ""))
        assert site.run("build").returncode == 0
    assert leftovers(root) == []


def test_concurrent_builds_each_swap_in_a_complete_site(site: SiteFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    files = {f"briefings/b{i}.md": briefing(f"B{i}", f"2017-01-{i + 1:02d}") for i in range(12)}
    reference = site.build(files)
    assert reference.returncode == 0, reference.stderr
    expected = snapshot(reference.site)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    procs = [
        subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=site.root, env=env) for _ in range(3)
    ]
    assert [p.wait(timeout=300) for p in procs] == [0, 0, 0]
    assert snapshot(reference.site) == expected
    assert leftovers(site.root) == []
