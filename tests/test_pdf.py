"""The PDF edition of every published briefing: made by WeasyPrint, kept by content, linked and listed."""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from pypdf import PdfReader

from conftest import Result, SiteFactory, briefing

IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
MARKDOWN = "markdown_extensions:\n  - tables\n  - footnotes\n  - toc:\n      permalink: true\n"
KOREAN_TITLE = "한미일 안보협력의 과제"


@pytest.fixture(scope="session")
def weasyprint() -> None:
    """WeasyPrint and its system libraries, or a skip that says how to install them (a failure in CI)."""
    proc = subprocess.run([sys.executable, "-c", "import weasyprint"], capture_output=True, text=True)
    if proc.returncode != 0:
        message = (
            f"WeasyPrint cannot start ({proc.stderr.strip().splitlines()[-1]}): run `make system-packages`"
        )
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


class Requests(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []  # noqa: RUF012 - one list per test server, set by `origin`

    def do_GET(self) -> None:
        self.seen.append(self.path)
        self.send_error(404)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def origin() -> Iterator[tuple[str, list[str]]]:
    """A local server that records every request: nothing of a PDF may come from it."""
    seen: list[str] = []
    handler = type("Recorder", (Requests,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def body(origin: str) -> str:
    return f"""## First section

The [Beta briefing](b.md) agrees, as does [the web](https://example.com/page).[^1]
Tokyo calls it 日米韓協力.

- one point
- another point

| Country | Budget |
|---|---|
| ROK | 40 |

> A quoted view.

![Chart of budgets]({origin}/chart.png)

<img src="file:///etc/hostname" alt="A local file">
<link rel="attachment" href="file:///etc/hostname">

[^1]: The footnote text.
"""


def corpus(origin: str = "http://127.0.0.1:9") -> dict[str, str]:
    return {
        "briefings/a.md": briefing(
            f'"{KOREAN_TITLE}: alliance management"',
            "2017-04-01",
            summary="It finds that Seoul and Tokyo agree on more than they say.",
            themes="[security, energy]",
            countries="[us, rok, japan]",
            tags="[alliances, North Korea]",
            authors="\n  - name: Jane Doe\n    affiliation: Example Institute\n  - name: 김철수",
            sources="\n  - title: Workshop Summary\n    publisher: NBR\n    url: https://example.com/summary.pdf",
            events="\n  - date: '2017-03'\n    title: Seoul workshop",
            updated="2017-06-02",
            body=body(origin),
        ),
        "briefings/b.md": briefing("Beta", "2017-05-01", summary="Beta finds."),
        "briefings/c.md": briefing("Draft one", "2017-06-01", draft="true"),
    }


def build(site: SiteFactory, files: dict[str, str], options: str = "pdf: true", *args: str) -> Result:
    site.write(files, options)
    yml = site.root / "mkdocs.yml"
    if "markdown_extensions" not in yml.read_text():
        yml.write_text(yml.read_text() + MARKDOWN)
    return site.run("build", *args)


def counts(result: Result) -> tuple[int, int]:
    found = re.search(r"PDF editions: (\d+) made, (\d+) from the cache", result.stderr)
    assert found, result.stderr
    return int(found[1]), int(found[2])


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


@pytest.fixture(scope="module")
def built(
    weasyprint: None, origin: tuple[str, list[str]], tmp_path_factory: pytest.TempPathFactory
) -> Result:
    site = SiteFactory(tmp_path_factory.mktemp("pdf") / "proj")
    # The sanitiser would take the <link> and the file: image out of the body before the PDF is
    # made; with it off, as on a site whose authors are all trusted, the PDF's own refusal to
    # fetch anything is what is tested.
    result = build(site, corpus(origin[0]), "pdf: true\nsanitize: false", "--strict")
    assert result.returncode == 0, result.stderr
    return result


# -- which PDFs, and what they hold -------------------------------------------------------------


def test_every_published_briefing_has_a_pdf_and_no_draft_has_one(built: Result) -> None:
    assert sorted(p.relative_to(built.site).as_posix() for p in built.site.rglob("*.pdf")) == [
        "briefings/a/a.pdf",
        "briefings/b/b.pdf",
    ]
    assert counts(built) == (2, 0)
    assert "Traceback" not in built.stderr


def test_pdf_holds_the_briefing(built: Result) -> None:
    text = pdf_text(built.site / "briefings/a/a.pdf")
    for expected in (
        "Test Site",  # the masthead
        f"{KOREAN_TITLE}: alliance management",
        "Jane Doe (Example Institute); 김철수",
        "Published 1 April 2017",
        "Last updated 2 June 2017",
        "Themes Security, Energy",
        "It finds that Seoul and Tokyo agree on more than they say.",
        "First section",
        "Tokyo calls it 日米韓協力.",
        "Country Budget",
        "A quoted view.",
        "The footnote text.",
        "March 2017: Seoul workshop",
        "“Workshop Summary”, NBR. https://example.com/summary.pdf",
        "Cite as",
        f"Doe, Jane, and 김철수. “{KOREAN_TITLE}: alliance management.” Test Site, 1 April 2017.",
        "https://example.org/site/briefings/a/",
        "Page 1 of",
    ):
        assert expected in text, expected
    # In-text links say where they lead: the briefing's title and address, or the address.
    # (Lines may break inside an address, so these are compared without spaces.)
    unspaced = text.replace(" ", "")
    assert "TheBetabriefing(“Beta”,https://example.org/site/briefings/b/)agrees" in unspaced
    assert "theweb(https://example.com/page)" in unspaced


def test_pdf_metadata_is_the_briefings(built: Result) -> None:
    reader = PdfReader(built.site / "briefings/a/a.pdf")
    info = reader.metadata
    assert info["/Title"] == f"{KOREAN_TITLE}: alliance management"
    assert info["/Author"] == "Jane Doe, 김철수"
    assert info["/Subject"] == "It finds that Seoul and Tokyo agree on more than they say."
    assert info["/Keywords"] == "Security, Energy, alliances, North Korea"
    # The last change of the briefing (no Git here: its `updated`), never the time of the build.
    assert info["/CreationDate"] == info["/ModDate"] == "D:20170602"
    assert info["/Creator"] == "trilat-site"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    beta = PdfReader(built.site / "briefings/b/b.pdf").metadata
    assert beta["/Author"] == "Test Site editors" and beta["/CreationDate"] == "D:20170501"


def test_pdf_is_tagged_for_accessibility(built: Result) -> None:
    reader = PdfReader(built.site / "briefings/a/a.pdf")
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert b'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data()
    kinds: set[str] = set()

    def walk(node: object, depth: int = 0) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if "/S" in node:
                kinds.add(str(node["/S"]))
            kids = node.get("/K", [])
            for kid in kids if isinstance(kids, list) else [kids]:
                if depth < 40:
                    walk(kid, depth + 1)

    walk(root["/StructTreeRoot"])
    fonts = {
        font.get_object()["/BaseFont"]: font.get_object()
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("CJK-KR" in name for name in fonts) and any("CJK-JP" in name for name in fonts)
    for name, font in fonts.items():
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert {"/FontFile2", "/FontFile3"} & set(descriptor), f"{name} is not embedded"
    assert {"/H1", "/H2", "/P", "/L", "/LI", "/Table", "/TH", "/TD", "/BlockQuote", "/Link"} <= kinds
    assert all(page["/Tabs"] == "/S" for page in reader.pages)


def test_pdf_links_go_to_the_site_and_the_web(built: Result) -> None:
    uris = {
        annot.get_object()["/A"].get("/URI")
        for page in PdfReader(built.site / "briefings/a/a.pdf").pages
        for annot in page.get("/Annots", [])
        if "/A" in annot.get_object()
    }
    assert {
        "https://example.org/site/briefings/b/",
        "https://example.com/page",
        "https://example.com/summary.pdf",
        "https://example.org/site/briefings/a/a.pdf",
    } <= uris


def test_nothing_is_fetched_or_embedded_from_elsewhere(built: Result, origin: tuple[str, list[str]]) -> None:
    assert origin[1] == []
    reader = PdfReader(built.site / "briefings/a/a.pdf")
    assert (
        "/Names" not in reader.trailer["/Root"] or "/EmbeddedFiles" not in reader.trailer["/Root"]["/Names"]
    )
    images = [
        x
        for page in reader.pages
        for x in page["/Resources"].get("/XObject", {}).values()
        if x.get_object().get("/Subtype") == "/Image"
    ]
    assert images == [], "no image was embedded"
    assert f"briefings/a.md: PDF edition: Failed to load image at '{origin[0]}/chart.png'" in built.stderr
    # A refused image leaves its text alternative.
    assert "Chart of budgets" in pdf_text(built.site / "briefings/a/a.pdf")


# -- the page, its head and the exports ---------------------------------------------------------


def test_page_links_its_pdf_and_announces_it(built: Result) -> None:
    page = built.html("briefings/a")
    link = page.select_one(".trilat-pdf a")
    assert link.get_text(strip=True) == "Download PDF"
    assert link["href"] == "a.pdf" and link["type"] == "application/pdf"
    meta = {m["name"]: m["content"] for m in page.select("meta[name^=citation_]")}
    assert meta["citation_pdf_url"] == "https://example.org/site/briefings/a/a.pdf"
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["encoding"] == [
        {
            "@type": "MediaObject",
            "contentUrl": "https://example.org/site/briefings/a/a.pdf",
            "encodingFormat": "application/pdf",
        }
    ]


def test_exports_list_every_pdf(built: Result) -> None:
    data = json.loads((built.site / "briefings.json").read_text())
    jsonschema.validate(data, json.loads((built.site / "briefings.schema.json").read_text()))
    assert {b["slug"]: b["pdf"] for b in data["briefings"]} == {
        "a": "https://example.org/site/briefings/a/a.pdf",
        "b": "https://example.org/site/briefings/b/b.pdf",
    }
    csl = json.loads((built.site / "briefings.csl.json").read_text())
    assert {i["id"]: i["custom"]["pdf"] for i in csl} == {
        "a": "https://example.org/site/briefings/a/a.pdf",
        "b": "https://example.org/site/briefings/b/b.pdf",
    }


def test_page_links_say_where_they_lead_when_printed(built: Result) -> None:
    content = built.content("briefings/a")
    beta = content.select_one('a[href="../b/"]')
    assert beta["data-trilat-target"] == "“Beta”, https://example.org/site/briefings/b/"
    web = content.select_one('a[href="https://example.com/page"]')
    assert web["data-trilat-target"] == "https://example.com/page"
    assert (
        content.select_one(".trilat-masthead").get_text()
        == "Test Site · https://example.org/site/briefings/a/"
    )


# -- the cache, determinism, options and bad input ----------------------------------------------


def test_rebuilds_take_pdfs_from_the_cache_and_make_the_same_bytes(
    weasyprint: None, site: SiteFactory
) -> None:
    files = corpus()
    first = build(site, files)
    assert first.returncode == 0, first.stderr
    assert counts(first) == (2, 0)
    made = {name: (first.site / name).read_bytes() for name in ("briefings/a/a.pdf", "briefings/b/b.pdf")}

    second = site.run("build")
    assert counts(second) == (0, 2), "every PDF came from the cache"
    assert {name: (second.site / name).read_bytes() for name in made} == made

    files["briefings/b.md"] = briefing("Beta", "2017-05-01", summary="Beta finds more.")
    third = build(site, files)
    assert counts(third) == (1, 1), "only the edited briefing's PDF is made again"
    assert (third.site / "briefings/a/a.pdf").read_bytes() == made["briefings/a/a.pdf"]

    shutil.rmtree(site.root / ".cache")
    files["briefings/b.md"] = briefing("Beta", "2017-05-01", summary="Beta finds.")
    fourth = build(site, files)
    assert counts(fourth) == (2, 0)
    assert {name: (fourth.site / name).read_bytes() for name in made} == made, "same input, same bytes"


def test_pdf_false_makes_no_pdf_and_links_none(site: SiteFactory) -> None:
    result = build(site, corpus(), "pdf: false")
    assert result.returncode == 0, result.stderr
    assert list(result.site.rglob("*.pdf")) == []
    assert not (site.root / ".cache" / "trilat-pdf").exists()
    page = result.html("briefings/a")
    assert page.select_one(".trilat-pdf") is None
    assert page.select_one('meta[name="citation_pdf_url"]') is None
    assert "pdf" not in json.loads((result.site / "briefings.json").read_text())["briefings"][0]
    assert "custom" not in json.loads((result.site / "briefings.csl.json").read_text())[0]


@pytest.mark.parametrize("folder", ["site/pdf", "docs/pdf", "."])
def test_a_cache_folder_the_build_would_empty_or_publish_is_refused(site: SiteFactory, folder: str) -> None:
    result = build(site, corpus(), f"pdf: true\npdf_cache_dir: {folder}")
    assert result.returncode == 1
    assert f"trilat: pdf_cache_dir '{folder}' overlaps" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_pdf_that_takes_too_long_is_a_located_warning_and_loses_nothing(
    weasyprint: None, site: SiteFactory
) -> None:
    rows = "\n".join(f"| {i} | {'cell ' * 12} |" for i in range(4000))
    files = {
        "briefings/big.md": briefing("Big", "2017-01-01", body=f"| n | text |\n|---|---|\n{rows}\n"),
        "briefings/small.md": briefing("Small", "2017-02-01"),
    }
    result = build(site, files, "pdf: true\npdf_timeout: 3")
    assert result.returncode == 0, result.stderr
    assert (
        "WARNING -  trilat: briefings/big.md:1: no PDF edition: WeasyPrint took more than 3 s of processor "
        "time; the page is published without one: shorten the body (a very long table, say) or raise "
        "pdf_timeout in mkdocs.yml"
    ) in result.stderr
    assert "Traceback" not in result.stderr
    assert result.html("briefings/big").select_one("h1").get_text(strip=True) == "Big"
    assert (result.site / "briefings/small/small.pdf").is_file()
    assert not (result.site / "briefings/big/big.pdf").exists()

    strict = site.run("build", "--strict")
    assert strict.returncode == 1
    assert "briefings/big.md:1: no PDF edition" in strict.stderr
    assert "Aborted with 1 warnings in strict mode!" in strict.stdout + strict.stderr


def test_the_build_process_never_imports_weasyprint() -> None:
    code = (
        "import sys, trilat_site.mkdocs.plugin, trilat_site.site.pdf; "
        "print([m for m in sys.modules if m.startswith('weasyprint')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _serve(root: Path, port: int) -> subprocess.Popen[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        # A process started in the background inherits SIGINT ignored: give it back, so
        # that SIGINT stops it as Ctrl-C does.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def test_serve_makes_pdfs_in_the_background(weasyprint: None, site: SiteFactory) -> None:
    import socket
    import time
    import urllib.request

    # A briefing whose PDF takes seconds: the first build is surely done before it is.
    rows = "\n".join(f"| {i} | {'cell ' * 12} |" for i in range(1500))
    big = briefing("Big", "2017-01-01", body=f"| n | text |\n|---|---|\n{rows}\n")
    site.write({**corpus(), "briefings/big.md": big}, "pdf: true")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = _serve(site.root, port)
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(iter(server.stderr.readline, "")), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 120
        while not any("Serving on" in line for line in log):
            assert time.monotonic() < deadline and server.poll() is None, "".join(log)
            time.sleep(0.2)
        text = "".join(log)
        assert "being made in the background" in text, "the build did not wait for its PDFs"
        # mkdocs serve mounts the site at the path of its site_url.
        base = f"http://127.0.0.1:{port}/site/"
        page = urllib.request.urlopen(f"{base}briefings/a/").read().decode()
        assert 'href="a.pdf"' in page
        while True:
            try:
                pdf = urllib.request.urlopen(f"{base}briefings/a/a.pdf").read()
                break
            except OSError:
                assert time.monotonic() < deadline, "".join(log)
                time.sleep(0.5)
        assert pdf.startswith(b"%PDF-")
        assert f"{base}briefings/a/" in pdf_text_of(pdf), "made for the address it is previewed at"
    finally:
        server.send_signal(signal.SIGINT)  # as an editor stops it: the plugin shuts its workers down
        server.wait(timeout=60)


def pdf_text_of(data: bytes) -> str:
    import io

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_without_site_url_or_directory_urls_pdfs_link_relatively(weasyprint: None, site: SiteFactory) -> None:
    hostile = '</title><script>alert(1)</script> & <b>"x"</b>'
    files = {
        "briefings/a.md": briefing(json.dumps(hostile), body="See [Beta](b.md)."),
        "briefings/b.md": briefing("Beta", "2017-05-01"),
    }
    site.write(files, "pdf: true")
    yml = site.root / "mkdocs.yml"
    yml.write_text(
        yml.read_text().replace("site_url: https://example.org/site/\n", "use_directory_urls: false\n")
    )
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    page = result.html("briefings/a.html")
    assert page.select_one(".trilat-pdf a")["href"] == "a/a.pdf"
    assert page.select_one('meta[name="citation_pdf_url"]') is None, "indexers need an absolute address"
    export = json.loads((result.site / "briefings.json").read_text())
    assert {b["slug"]: b["pdf"] for b in export["briefings"]} == {
        "a": "briefings/a/a.pdf",
        "b": "briefings/b/b.pdf",
    }
    reader = PdfReader(result.site / "briefings/a/a.pdf")
    assert reader.metadata["/Title"] == hostile, "a title is text, never markup"
    uris = {a.get_object()["/A"].get("/URI") for p in reader.pages for a in p.get("/Annots", [])}
    assert "../b.html" in uris, "relative to the PDF, where the built site has the page"


# -- the PDF editions of translations -----------------------------------------------------------

KO_TITLE = "한미일 안보협력의 과제"
JA_TITLE = "日米韓安全保障協力の課題"


def translated_corpus() -> dict[str, str]:
    def translation(language: str, title: str, summary: str, body: str, **extra: str) -> str:
        lines = ["---", "translation_of: a", f"language: {language}", f"title: {title}",
                 "date: 2017-05-01", f"summary: {summary}", *(f"{k}: {v}" for k, v in extra.items())]
        return "\n".join(lines) + "\n---\n\n" + body + "\n"

    return {
        "briefings/a.md": briefing(
            "Alliance management",
            "2017-04-01",
            summary="It finds that Seoul and Tokyo agree.",
            themes="[security]",
            countries="[us, rok, japan]",
            authors="\n  - name: Jane Doe",
            period='"2017-03"',
            sources="\n  - title: Workshop Summary\n    publisher: NBR\n    url: https://example.com/summary.pdf",
            events="\n  - date: '2017-03'\n    title: Seoul workshop",
            body="The [Beta briefing](b.md) agrees.",
        ),
        "briefings/a.ko.md": translation(
            "ko", KO_TITLE, "서울과 도쿄의 견해가 일치한다.", "[베타 브리핑](b.md)도 같은 결론이다.",
            translators="\n  - name: 김철수",
        ),
        "briefings/a.ja.md": translation("ja", JA_TITLE, "ソウルと東京の見解は一致する。", "本文。"),
        "briefings/b.md": briefing("Beta", "2017-05-01", summary="Beta finds."),
        "briefings/c.md": briefing("Draft one", "2017-04-15", draft="true"),
        "briefings/c.ko.md": translation("ko", "초안", "초안.", "본문.").replace("translation_of: a", "translation_of: c"),
    }


EDITIONS = ["briefings/a/a.pdf", "briefings/b/b.pdf", "ja/briefings/a/a.pdf", "ko/briefings/a/a.pdf"]


@pytest.fixture(scope="module")
def editions(weasyprint: None, tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Result]:
    """A site in three languages built twice, the second time with the PDFs in the cache."""
    site = SiteFactory(tmp_path_factory.mktemp("editions") / "proj")
    first = build(site, translated_corpus(), "pdf: true\nlanguages: [en, ko, ja]")
    assert first.returncode == 0, first.stderr
    made = {name: (first.site / name).read_bytes() for name in EDITIONS}
    second = site.run("build")
    assert second.returncode == 0, second.stderr
    first.made = made  # type: ignore[attr-defined]
    return first, second


def test_each_translation_has_its_own_pdf_cached_and_the_same_on_every_build(
    editions: tuple[Result, Result],
) -> None:
    first, second = editions
    assert sorted(p.relative_to(first.site).as_posix() for p in first.site.rglob("*.pdf")) == EDITIONS
    assert counts(first) == (4, 0)
    assert counts(second) == (0, 4), "every PDF, translations too, came from the cache"
    assert {name: (second.site / name).read_bytes() for name in EDITIONS} == first.made  # type: ignore[attr-defined]
    assert "Traceback" not in first.stderr


def test_a_translations_page_links_and_announces_its_own_pdf(editions: tuple[Result, Result]) -> None:
    built = editions[0]
    for prefix, label in (("ko/", "PDF 내려받기"), ("ja/", "PDFをダウンロード"), ("", "Download PDF")):
        page = built.html(f"{prefix}briefings/a")
        link = page.select_one(".trilat-pdf a")
        assert (link.get_text(strip=True), link["href"]) == (label, "a.pdf")
        meta = {m["name"]: m["content"] for m in page.select("meta[name^=citation_]")}
        assert meta["citation_pdf_url"] == f"https://example.org/site/{prefix}briefings/a/a.pdf"
    # A briefing with no translation has no PDF in another language, and no page there.
    assert not (built.site / "ko/briefings/b").exists()


def test_a_translations_pdf_speaks_its_language(editions: tuple[Result, Result]) -> None:
    built = editions[0]
    ko = pdf_text(built.site / "ko/briefings/a/a.pdf")
    for expected in (
        KO_TITLE,
        "연구 브리핑",
        "영어 원문을 김철수이(가) 번역했습니다(2017년 5월 1일). 원문 발행일: 2017년 4월 1일.",
        "분석 기간 2017년 3월",
        "발행 2017년 5월 1일",
        "주제 안보",
        "국가 미국, 대한민국, 일본",
        "요약 서울과 도쿄의 견해가 일치한다.",
        "다룬 사건 2017년 3월: Seoul workshop",
        "자료 “Workshop Summary”, NBR. https://example.com/summary.pdf",
        f"인용 표기 Doe, Jane. “{KO_TITLE}.” Test Site, 2017년 5월 1일.",
        "1쪽 중 1쪽",
    ):
        assert expected in ko, expected
    # (Lines may break inside an address, so these are compared without spaces.)
    unspaced = ko.replace(" ", "")
    assert "이브리핑온라인판:https://example.org/site/ko/briefings/a/;이PDF:https://example.org/site/ko/briefings/a/a.pdf" in unspaced
    for english in ("Published", "Sources", "Cite as", "Page 1", "May 2017"):
        assert english not in ko, english
    # Its links say where they lead: an untranslated briefing's original.
    assert "베타브리핑(“Beta”,https://example.org/site/briefings/b/)" in unspaced

    ja = pdf_text(built.site / "ja/briefings/a/a.pdf")
    for expected in (
        JA_TITLE,
        "英語の原文からTest Site 編集部が翻訳（2017年5月1日）。原文の公開日：2017年4月1日。",
        "公開 2017年5月1日",
        "資料",
        f"引用表記 Doe, Jane. “{JA_TITLE}.” Test Site, 2017年5月1日.",
        "1ページ中1ページ目",
    ):
        assert expected in ja, expected
    english = pdf_text(built.site / "briefings/a/a.pdf")
    assert "Published 1 April 2017" in english and "Page 1 of 1" in english and "Translated" not in english


def test_a_translations_pdf_says_its_language_and_embeds_its_fonts(editions: tuple[Result, Result]) -> None:
    built = editions[0]
    for language, cut in (("ko", "CJK-KR"), ("ja", "CJK-JP")):
        reader = PdfReader(built.site / f"{language}/briefings/a/a.pdf")
        assert reader.trailer["/Root"]["/Lang"] == language
        assert reader.metadata["/Title"] == (KO_TITLE if language == "ko" else JA_TITLE)
        fonts = {
            font.get_object()["/BaseFont"]: font.get_object()
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()
        }
        assert any(cut in name for name in fonts), sorted(fonts)
        for name, font in fonts.items():
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert {"/FontFile2", "/FontFile3"} & set(descriptor), f"{name} is not embedded"
    assert PdfReader(built.site / "briefings/a/a.pdf").trailer["/Root"]["/Lang"] == "en"


def test_the_exports_name_each_editions_pdf(editions: tuple[Result, Result]) -> None:
    built = editions[0]
    data = json.loads((built.site / "briefings.json").read_text())
    jsonschema.validate(data, json.loads((built.site / "briefings.schema.json").read_text()))
    a = next(b for b in data["briefings"] if b["slug"] == "a")
    assert a["pdf"] == "https://example.org/site/briefings/a/a.pdf"
    assert [(t["language"], t["pdf"]) for t in a["translations"]] == [
        ("ko", "https://example.org/site/ko/briefings/a/a.pdf"),
        ("ja", "https://example.org/site/ja/briefings/a/a.pdf"),
    ]
    csl = {i["id"]: i for i in json.loads((built.site / "briefings.csl.json").read_text())}
    assert sorted(csl) == ["a", "a.ja", "a.ko", "b"], "no draft, nor its translation"
    assert csl["a.ko"]["custom"]["pdf"] == "https://example.org/site/ko/briefings/a/a.pdf"
    assert csl["a.ko"]["translator"] == [{"family": "김", "given": "철수"}]
