"""Hostile, huge, odd or arbitrary input: refused with located messages, never obeyed, never a crash."""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SiteFactory, briefing
from trilat_site.cli.siteconfig import parse_mkdocs_yml
from trilat_site.core.fields import FRONT_MATTER
from trilat_site.core.loader import MAX_FILE_BYTES, load_briefings, parse_briefing, read_body
from trilat_site.core.model import Organization, Person, Registry
from trilat_site.core.problems import Problem, Severity
from trilat_site.core.registry import load_registry
from trilat_site.core.settings import SiteSettings

SETTINGS = SiteSettings()
REGISTRY = Registry(people=(Person("ann", "Ann"),), organizations=(Organization("nbr", "NBR"),))
GOOD = {"briefings/good.md": briefing("Good one", "2017-01-01")}


def parse(data: bytes, name: str = "briefings/x.md") -> tuple[Any, list[Problem]]:
    result = parse_briefing(
        data, path=name, src_rel=name.split("/", 1)[1], settings=SETTINGS, registry=REGISTRY
    )
    return result.briefing, list(result.problems)


def measured(fn: Callable[[], Any]) -> tuple[Any, float, int]:
    """fn's result, the seconds it took and the peak memory it allocated, in bytes."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = fn()
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, elapsed, peak


# -- YAML: safe and bounded --------------------------------------------------------------


def test_yaml_tags_never_construct_objects(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    data = f'---\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n---\n'.encode()
    record, problems = parse(data)
    assert record is None
    assert [str(p) for p in problems] == [
        "briefings/x.md:2: the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed: "
        "remove it"
    ]
    parse_mkdocs_yml(f'x: !!python/object/apply:os.system ["touch {marker}"]\nplugins: [trilat]\n')
    assert not marker.exists()


MiB = 1024 * 1024

HOSTILE_YAML = {
    # Nine levels of nine aliases: 9**9 values if expanded.
    "alias-expansion": (
        "a: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
        ),
        2,
        "YAML anchors and aliases (&name, *name) are not allowed in front matter: write the value out",
    ),
    "deep-flow-nesting": (
        "title: " + "[" * 30_000 + "]" * 30_000 + "\n",
        2,
        "front matter is nested more than 16 levels deep",
    ),
    "deep-flow-nesting-past-the-parser-limit": (
        "title: " + "{a: " * 2000 + "}" * 2000 + "\n",
        2,
        "front matter is nested more than 16 levels deep",
    ),
    "deep-block-nesting": (
        "".join(f"{'  ' * i}k{i}:\n" for i in range(200)),
        18,
        "front matter is nested more than 16 levels deep",
    ),
    "huge-front-matter": (
        "title: " + "x" * (1 * MiB) + "\n",
        2,
        "front matter is larger than 64 KiB: keep it to metadata and move text into the body",
    ),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_YAML))
def test_hostile_yaml_is_refused_quickly_in_bounded_memory(kind: str) -> None:
    front, line, message = HOSTILE_YAML[kind]
    data = f"---\n{front}---\nbody\n".encode()
    (record, problems), elapsed, peak = measured(lambda: parse(data))
    assert record is None
    assert [(p.path, p.line, p.message) for p in problems] == [("briefings/x.md", line, message)]
    assert elapsed < 10, "generous: it takes milliseconds"
    assert peak < 8 * len(data) + 16 * MiB, f"peak {peak} bytes"


def test_a_very_large_file_is_refused_before_it_is_read_as_text() -> None:
    data = b"---\ntitle: A\n---\n" + b"word " * (MAX_FILE_BYTES // 4)
    (record, problems), elapsed, peak = measured(lambda: parse(data))
    assert record is None
    assert [str(p) for p in problems] == [
        "briefings/x.md:1: is larger than 2 MiB: split it into several briefings"
    ]
    assert elapsed < 10
    assert peak < 1 * MiB, "the bytes are never decoded or copied"


def test_a_huge_file_in_the_folder_is_never_read_whole(tmp_path: Path) -> None:
    (tmp_path / "briefings" / "_data").mkdir(parents=True)
    for name in ("briefings/huge.md", "briefings/_data/people.yml"):
        with (tmp_path / name).open("wb") as f:
            f.write(b"---\n")
            f.truncate(1024 * MiB)  # sparse: a gigabyte that costs no disk
    corpus, elapsed, peak = measured(lambda: load_briefings(tmp_path, SETTINGS))
    assert [str(p) for p in corpus.problems] == [
        "briefings/_data/people.yml:1: is larger than 4 MiB: split it",
        "briefings/huge.md:1: is larger than 2 MiB: split it into several briefings",
    ]
    assert elapsed < 10
    assert peak < 32 * MiB, f"peak {peak} bytes"


def test_a_huge_registry_is_refused_with_a_located_message(tmp_path: Path) -> None:
    data = tmp_path / "briefings" / "_data"
    data.mkdir(parents=True)
    (data / "people.yml").write_text("- " + "[x, " * 20 + "y" + "]" * 20 + "\n")
    (data / "organizations.yml").write_text("[" + "1, " * 60_000 + "1]\n")
    (_, problems), elapsed, _ = measured(lambda: load_registry(tmp_path, SETTINGS))
    assert [str(p) for p in problems] == [
        "briefings/_data/organizations.yml:1: front matter has more than 50000 values: keep it to metadata",
        "briefings/_data/people.yml:1: front matter is nested more than 16 levels deep",
    ]
    assert elapsed < 20


def test_hostile_yaml_in_a_project_fails_the_build_with_the_located_message(site: SiteFactory) -> None:
    front = HOSTILE_YAML["alias-expansion"][0]
    result = site.build({**GOOD, "briefings/lol.md": f"---\n{front}---\n"})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert (
        "briefings/lol.md:2: YAML anchors and aliases (&name, *name) are not allowed in front matter"
        in result.stderr
    )


# -- Escaping: whatever a briefing says lands as text --------------------------------------

EVIL = "<script>alert(1)</script>"
HOSTILE = {
    "title": f"Title {EVIL} & \"quotes\" 'apostrophes' </title><img src=x onerror=alert(2)>",
    "summary": f'Summary {EVIL} " onmouseover="alert(3) </textarea>',
    "tag": f"tag {EVIL}",
    "author": f'Author <b onclick="alert(4)">x</b> {EVIL}',
    "affiliation": f"Institute {EVIL}",
    "source": f'Source {EVIL} "><svg onload=alert(5)>',
    "publisher": f"Publisher {EVIL}",
    "event": f"Event {EVIL}",
    "url": 'https://example.org/a?q="><script>alert(6)</script>&x=1',
}


def _yaml_value(text: str) -> str:
    return yaml.safe_dump(text, default_style='"', width=10_000).strip()


def hostile_briefing() -> str:
    q = {k: _yaml_value(v) for k, v in HOSTILE.items()}
    return (
        "---\n"
        f"title: {q['title']}\n"
        "date: 2017-04-01\n"
        f"summary: {q['summary']}\n"
        "themes: [security]\n"
        f"tags: [{q['tag']}]\n"
        f"authors:\n  - name: {q['author']}\n    affiliation: {q['affiliation']}\n"
        f"sources:\n  - title: {q['source']}\n    publisher: {q['publisher']}\n"
        f"    author: {q['author']}\n    url: {q['url']}\n    type: {q['event']}\n"
        f'events:\n  - date: "2017-03"\n    title: {q["event"]}\n'
        "---\n\nBody text.\n"
    )


def test_every_string_a_briefing_supplies_is_escaped_where_it_lands(site: SiteFactory) -> None:
    result = site.build({"briefings/evil.md": hostile_briefing(), "briefings/other.md": briefing("Other")})
    assert result.returncode == 0, result.stderr
    for page in result.site.rglob("*.html"):
        raw = page.read_text(encoding="utf-8")
        for marker in ("<script>alert", "<img src=x", "<svg onload", "<b onclick", "</title><img"):
            assert marker not in raw, f"{marker!r} unescaped in {page.relative_to(result.site)}"
        assert '" onmouseover="' not in raw, page

    page = result.html("briefings/evil")
    title = HOSTILE["title"]
    assert page.select_one("article h1").get_text() == title, "escaped exactly once"
    assert page.title.get_text() == f"{title} - Test Site"
    assert page.find("meta", attrs={"name": "description"})["content"] == HOSTILE["summary"]
    article = page.select_one("article")
    text = article.get_text()
    for key in ("summary", "tag", "author", "affiliation", "source", "publisher", "event"):
        assert HOSTILE[key] in text, key
    source_link = article.select_one(".trilat-sources a")
    assert source_link["href"] == HOSTILE["url"]
    assert source_link.get_text() == f"“{HOSTILE['source']}”"

    for listing in ("briefings", "themes/security", ""):
        items = result.content(listing).select(".trilat-item__title")
        assert title in [a.get_text() for a in items], listing
    related = result.content("briefings/other").select(".trilat-related a")
    assert [a.get_text() for a in related] == [title]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "  javascript:alert(1)",
        "java\\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "https:/evil",
    ],
)
def test_unsafe_source_urls_are_refused_with_a_located_error(url: str) -> None:
    data = (
        "---\ntitle: T\ndate: 2017-01-01\nsummary: S.\nthemes: [security]\n"
        f'sources:\n  - title: A source\n    url: "{url}"\n---\n'
    ).encode()
    record, problems = parse(data)
    assert record is None
    [problem] = problems
    assert (problem.path, problem.line, problem.severity) == ("briefings/x.md", 8, Severity.ERROR)
    assert problem.message.startswith("sources[0].url: '")
    assert "is not a web address: use a full http:// or https:// URL" in problem.message


def test_a_javascript_url_fails_the_build_with_its_location(site: SiteFactory) -> None:
    bad = briefing(sources='\n  - title: X\n    url: "javascript:alert(1)"')
    result = site.build({**GOOD, "briefings/bad.md": bad})
    assert result.returncode != 0
    assert (
        "briefings/bad.md:8: sources[0].url: 'javascript:alert(1)' is not a web address: use a full "
        "http:// or https:// URL, or leave url out" in result.stderr.splitlines()
    )


# -- Paths: nothing read or written outside the briefings and the output -----------------


def _snapshot(root: Path, skip: Path) -> dict[str, bytes]:
    """Every file below `root` but those of the output folder `skip` and of the project's card cache."""
    cache = skip.parent / ".cache" / "trilat"
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and not p.is_symlink() and skip not in p.parents and cache not in p.parents
    }


def test_a_symlinked_briefing_file_is_refused(site: SiteFactory, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(briefing("Outside"))
    site.write(GOOD)
    (site.root / "briefings" / "link.md").symlink_to(outside)
    corpus = load_briefings(site.root, SETTINGS)
    assert [str(p) for p in corpus.problems] == [
        "briefings/link.md:1: is a symbolic link: briefings must be regular files in the folder"
    ]
    assert "Outside" not in {b.title for b in corpus.briefings}
    result = site.run("build")
    assert result.returncode != 0
    assert "briefings/link.md:1: is a symbolic link" in result.stderr


def test_a_symlinked_folder_is_refused(site: SiteFactory, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.md").write_text(briefing("Secret"))
    site.write(GOOD)
    (site.root / "briefings" / "more").symlink_to(outside, target_is_directory=True)
    corpus = load_briefings(site.root, SETTINGS)
    assert [str(p) for p in corpus.problems] == [
        "briefings/more:1: is a symbolic link to a folder: move the briefings here instead"
    ]
    assert "Secret" not in {b.title for b in corpus.briefings}


def test_a_symlinked_registry_is_refused(site: SiteFactory, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yml"
    secret.write_text("- id: spy\n  name: Not for the site\n")
    site.write(GOOD)
    (site.root / "briefings" / "_data").mkdir()
    (site.root / "briefings" / "_data" / "people.yml").symlink_to(secret)
    corpus = load_briefings(site.root, SETTINGS)
    assert [str(p) for p in corpus.problems] == [
        "briefings/_data/people.yml:1: is a symbolic link: keep the registry as a regular file here"
    ]
    assert corpus.registry.people == ()


@pytest.mark.parametrize(
    "slug", ["../x", "../../etc/passwd", "/etc", "..", "a/b", "a\\\\b", "x%2F..", "%2e%2e", "x\\u0000", "Ａ"]
)
def test_slugs_that_could_leave_the_output_folder_are_refused(slug: str) -> None:
    record, problems = parse(
        f'---\ntitle: T\ndate: 2017-01-01\nsummary: S.\nthemes: [security]\nslug: "{slug}"\n---\n'.encode()
    )
    assert record is None
    errors = [p for p in problems if p.severity is Severity.ERROR]
    assert [p.line for p in errors] == [6]
    assert errors[0].message.startswith("slug '")
    assert errors[0].message.endswith(
        "is not usable in a URL: use lowercase ASCII letters, digits and single hyphens, e.g. slug: energy-alliance"
    )


def test_nothing_is_written_outside_the_output_folder(site: SiteFactory, tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        **GOOD,
        "briefings/2017/a..b.md": briefing("Dots"),
        "briefings/2017/%2e%2e.md": briefing("Encoded dots", slug="encoded"),
        "briefings/2017/index.html.md": briefing("Looks like a page", slug="looks-like"),
        "briefings/2017/b.md": briefing("B", body="[up](../../../../outside.md) ![img](/etc/passwd)"),
    }
    site.write(files)
    before = _snapshot(tmp_path, site.root / "site")
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    assert _snapshot(tmp_path, site.root / "site") == before
    assert sorted(p.name for p in (result.site / "briefings").iterdir() if p.is_dir()) == [
        "a-b",
        "b",
        "encoded",
        "good",
        "looks-like",
    ]
    site_dir = result.site.resolve()
    for p in result.site.rglob("*"):
        assert site_dir in p.resolve().parents


def test_a_failed_build_writes_nothing_outside_the_output_folder(site: SiteFactory, tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    site.write({**GOOD, "briefings/bad.md": briefing(slug="../../outside/pwned")})
    (site.root / "briefings" / "up").symlink_to(tmp_path / "outside", target_is_directory=True)
    before = _snapshot(tmp_path, site.root / "site")
    result = site.run("build")
    assert result.returncode != 0
    assert "briefings/bad.md:9: slug '../../outside/pwned' is not usable in a URL" in result.stderr
    assert "briefings/up:1: is a symbolic link to a folder" in result.stderr
    assert _snapshot(tmp_path, site.root / "site") == before
    assert list((tmp_path / "outside").iterdir()) == []


# -- Encodings and line endings ----------------------------------------------------------

TEXT = "---\ntitle: Café – 日本\ndate: 2017-01-01\nsummary: S.\nthemes: [security]\nsources: [{title: X}]\n---\n\nFirst line.\nSecond line.\n"


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: t.encode("utf-8-sig"),
        lambda t: t.replace("\n", "\r\n").encode("utf-8"),
        lambda t: t.replace("\n", "\r\n").encode("utf-8-sig"),
        lambda t: t.replace("\n", "\r").encode("utf-8"),
        lambda t: t.replace("\n", "\r").encode("utf-8-sig"),
    ],
    ids=["utf8", "utf8-bom", "crlf", "crlf-bom", "cr", "cr-bom"],
)
def test_editor_encodings_and_line_endings_are_read(encode: Callable[[str], bytes], tmp_path: Path) -> None:
    record, problems = parse(encode(TEXT))
    assert problems == []
    assert record.title == "Café – 日本"
    (tmp_path / "briefings").mkdir()
    (tmp_path / "briefings" / "x.md").write_bytes(encode(TEXT))
    assert read_body(tmp_path, record) == "\nFirst line.\nSecond line.\n"
    broken = encode(TEXT.replace("date: 2017-01-01", "date: 2017-02-30"))
    _, problems = parse(broken)
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [(3, "date")], "lines count any ending"


@pytest.mark.parametrize(
    "encoding, line, message",
    [
        ("utf-16", 1, "is UTF-16 text: save the file as UTF-8 in your editor"),
        ("utf-16-le", 1, "is UTF-16 text: save the file as UTF-8 in your editor"),
        ("utf-16-be", 1, "is UTF-16 text: save the file as UTF-8 in your editor"),
        (
            "latin-1",
            2,
            "is not UTF-8 text (byte 0xe9 cannot be read): save the file as UTF-8 in your editor",
        ),
        ("cp1252", 2, "is not UTF-8 text (byte 0xe9 cannot be read): save the file as UTF-8 in your editor"),
    ],
)
def test_other_encodings_get_a_clear_error(encoding: str, line: int, message: str) -> None:
    text = TEXT.replace(" – 日本", "")
    record, problems = parse(text.encode(encoding))
    assert record is None
    assert [(p.path, p.line, p.message) for p in problems] == [("briefings/x.md", line, message)]


def test_a_bom_and_crlf_briefing_builds(site: SiteFactory) -> None:
    data = TEXT.replace("\n", "\r\n").encode("utf-8-sig")
    result = site.build({"briefings/a.md": data}, "", "--strict")
    assert result.returncode == 0, result.stderr
    page = result.content("briefings/a")
    assert page.h1.get_text() == "Café – 日本"
    assert "First line.\nSecond line." in page.get_text()
    assert "\r" not in (result.site / "briefings" / "a" / "index.html").read_text(encoding="utf-8")


# -- Arbitrary input: a record or located errors, never an exception -----------------------


def assert_record_or_located_errors(data: bytes) -> None:
    path = "briefings/x.md"
    result = parse_briefing(data, path=path, src_rel="x.md", settings=SETTINGS, registry=REGISTRY)
    lines = data.count(b"\n") + data.count(b"\r") + 1
    for problem in result.problems:
        assert problem.path == path
        assert 1 <= problem.line <= lines, (problem, lines)
        assert problem.message and problem.message.isprintable(), "one problem, one line"
    errors = [p for p in result.problems if p.severity is Severity.ERROR]
    if result.briefing is None:
        assert errors, "a refused file says why"
    else:
        assert errors == []
        assert result.briefing.path == path and result.briefing.slug


# A fixed, quick sample in the suite; TRILAT_HYPOTHESIS_EXAMPLES=5000 explores afresh each run.
_EXPLORE = os.environ.get("TRILAT_HYPOTHESIS_EXAMPLES")
PROPERTY = settings(
    max_examples=int(_EXPLORE or 150),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=_EXPLORE is None,
    database=None,
)


@PROPERTY
@given(st.binary(max_size=600), st.booleans())
def test_random_bytes(data: bytes, fenced: bool) -> None:
    assert_record_or_located_errors(b"---\n" + data + b"\n---\n" if fenced else data)


YAMLISH = st.sampled_from(
    [
        *(f"{k}:" for k in FRONT_MATTER.keys),
        " ",
        "  ",
        "\n",
        "\r\n",
        "\t",
        "- ",
        ": ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "'",
        '"',
        "#",
        "&a",
        "*a",
        "!",
        "!!str",
        "!!python/name:x",
        "|",
        ">-",
        "?",
        "---",
        "...",
        "%YAML 1.2",
        "null",
        "~",
        "yes",
        "No",
        "2017-01-01",
        "2017-02-30",
        "2017-03",
        "1e999",
        "0x1F",
        "security",
        "cyber",
        "rok",
        "ann",
        "nbr",
        "javascript:x",
        "https://e.org",
        "../x",
        "index",
        "\\",
        "\x00",
        "\ufeff",
        "é",
        "日本",
        "\u2028",
    ]
)


@PROPERTY
@given(st.lists(YAMLISH, max_size=60))
def test_random_yamlish_front_matter(tokens: list[str]) -> None:
    assert_record_or_located_errors(("---\n" + "".join(tokens) + "\n---\nBody\n").encode("utf-8", "replace"))


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=30)
    | st.dates()
    | st.sampled_from(["security", "rok", "ann", "nbr", "2017-03", "https://e.org/x", "javascript:x"])
)
KEYS = st.sampled_from([*FRONT_MATTER.keys, "title", "name", "url", "date", "id"]) | st.text(max_size=8)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
)


@PROPERTY
@given(
    st.dictionaries(KEYS, VALUES, max_size=12),
    st.sampled_from(["block", "flow", "unicode"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.booleans(),
)
def test_random_mappings_dumped_with_yaml(front: dict[Any, Any], style: str, newline: str, bom: bool) -> None:
    text = yaml.safe_dump(
        front,
        default_flow_style=style == "flow",
        allow_unicode=style == "unicode",
        sort_keys=False,
    )
    data = ("---\n" + text + "---\nBody\n").replace("\n", newline).encode("utf-8")
    assert_record_or_located_errors(b"\xef\xbb\xbf" + data if bom else data)


@PROPERTY
@given(
    title=st.text(min_size=1, max_size=40),
    summary=st.text(min_size=1, max_size=40),
    tags=st.lists(st.text(max_size=10), max_size=3),
    date=st.dates(min_value=dt.date(1000, 1, 1)),
)
def test_valid_looking_briefings_round_trip_their_text(
    title: str, summary: str, tags: list[str], date: dt.date
) -> None:
    front = {"title": title, "date": date, "summary": summary, "themes": ["security"], "tags": tags}
    dumped = yaml.safe_dump(front, allow_unicode=True)
    data = ("---\n" + dumped + "---\n").encode("utf-8")
    result = parse_briefing(data, path="briefings/x.md", src_rel="x.md", settings=SETTINGS)
    assert_record_or_located_errors(data)
    if result.briefing is not None:
        # What YAML itself reads back: PyYAML may fold a line break it wrote unquoted.
        reread = yaml.safe_load(dumped)
        assert result.briefing.title == reread["title"].strip()
        assert result.briefing.summary == reread["summary"].strip()
        assert result.briefing.date == date


# -- mkdocs serve survives a bad edit ----------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`mkdocs serve` in the background, its output collected line by line."""

    def __init__(self, root: Path) -> None:
        self.port = _free_port()
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}"],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(queue.Empty):
                self.output.append(self.lines.get(timeout=0.2))
            if text in "".join(self.output):
                return
            assert self.proc.poll() is None, "".join(self.output)
        raise AssertionError(f"{text!r} not in the output:\n{''.join(self.output)}")

    @property
    def base(self) -> str:
        """The URL the site is served at, whose path follows site_url."""
        found = re.search(r"Serving on (http://\S+?)/?$", "".join(self.output), re.M)
        assert found, "".join(self.output)
        return found[1]

    def get(self, path: str, timeout: float = 10) -> tuple[int, str]:
        """GET a path below the site's URL, or from the server's root when it starts with '//'."""
        url = f"http://127.0.0.1:{self.port}{path[1:]}" if path.startswith("//") else self.base + path
        try:
            with urllib.request.urlopen(url, timeout=timeout) as r:
                return r.status, r.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, ""

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


@pytest.fixture
def server(site: SiteFactory) -> Iterator[Callable[[], Server]]:
    started: list[Server] = []

    def start() -> Server:
        started.append(Server(site.root))
        return started[-1]

    yield start
    for s in started:
        s.stop()


def _wait_until(check: Callable[[], bool], timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return False


def test_mkdocs_serve_survives_a_bad_edit(site: SiteFactory, server: Callable[[], Server]) -> None:
    site.write({**GOOD, "briefings/a.md": briefing("First version")})
    srv = server()
    srv.wait_for("Serving on")
    status, html = srv.get("/briefings/a/")
    assert status == 200 and "First version" in html

    (site.root / "briefings/a.md").write_text(briefing("Broken", date="2017-02-30"))
    srv.wait_for("briefings/a.md:3: date: '2017-02-30' is not a real date: that month has no day 30")
    srv.wait_for("An error happened during the rebuild")
    assert "Traceback" not in "".join(srv.output)
    assert srv.proc.poll() is None
    status, _ = srv.get("//livereload/0/0")  # answered at once: the server is up and serving
    assert status == 200

    (site.root / "briefings/a.md").write_text(briefing("Second version"))
    assert _wait_until(lambda: "Second version" in srv.get("/briefings/a/", timeout=30)[1]), "".join(
        srv.output
    )
    assert "Traceback" not in "".join(srv.output)


# -- Reproducible output ---------------------------------------------------------------


def test_output_is_byte_identical_whatever_the_folder_and_file_order(
    site: SiteFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The sitemap dates each page with the build day; fix it so a run across midnight still compares.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    files: dict[str, str | bytes] = {
        f"briefings/{2015 + i % 3}/b{i}.md": briefing(
            f"B{i} – {'日本' if i % 2 else 'Café'}",
            f"2017-01-{i + 1:02d}",
            tags=f"[x, t{i % 2}]",
            themes="[security, energy]" if i % 2 else "[cyber]",
            related=f"[b{(i + 1) % 7}]",
            countries="[rok, japan]",
        )
        for i in range(7)
    }
    files["briefings/d.md"] = briefing("Draft", draft="true")
    first = site.build(files)
    assert first.returncode == 0, first.stderr
    other = SiteFactory(tmp_path / "an other" / "déjà vu")
    second = other.build(dict(reversed(list(files.items()))))
    assert second.returncode == 0, second.stderr

    def snapshot(result: Any) -> dict[str, bytes]:
        return {
            p.relative_to(result.site).as_posix(): p.read_bytes()
            for p in result.site.rglob("*")
            if p.is_file()
        }

    a, b = snapshot(first), snapshot(second)
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []
    assert gzip.decompress(a["sitemap.xml.gz"]) == a["sitemap.xml"]
    for content in a.values():
        assert str(tmp_path).encode() not in content, "no absolute path leaks into the output"
