"""The parts of the PDF editions on their own: printed link targets, the press, the cache, serving."""

from __future__ import annotations

import os
import time
from concurrent.futures import Future
from pathlib import Path

import pytest

import pdf_helpers
from conftest import record
from trilat_site.core.index import build_index
from trilat_site.core.settings import SiteSettings
from trilat_site.site.crossrefs import CrossReferences
from trilat_site.site.pdf import KEEP_UNUSED, PdfCache, PdfEditions, PdfReport
from trilat_site.site.pdfpress import Job, Outcome, PdfPress, make_pdf
from trilat_site.site.render import make_environment
from trilat_site.site.urls import SiteAddress

ADDRESS = SiteAddress("Test Site", "https://example.org/site/", True)


# -- printed link targets --------------------------------------------------------------------


@pytest.fixture
def refs() -> CrossReferences:
    return CrossReferences([record("beta", 1, title='Beta & "friends" <b>'), record("gamma", 2)], ADDRESS)


def test_a_link_to_a_briefing_prints_its_title_and_address(refs: CrossReferences) -> None:
    out = refs.annotate('<p>See <a href="../beta/">the other one</a>.</p>', "briefings/alpha")
    assert out == (
        '<p>See <a data-trilat-target="“Beta &amp; &#34;friends&#34; &lt;b&gt;”, '
        'https://example.org/site/briefings/beta/" href="../beta/">the other one</a>.</p>'
    )


def test_a_link_that_names_its_briefing_prints_only_the_address(refs: CrossReferences) -> None:
    out = refs.annotate('<a href="../gamma/#part">GAMMA</a>', "briefings/alpha")
    assert 'data-trilat-target="https://example.org/site/briefings/gamma/#part"' in out


def test_other_links_print_their_address_unless_they_show_it(refs: CrossReferences) -> None:
    page = "briefings/alpha"
    assert 'data-trilat-target="https://example.org/site/themes/energy/"' in refs.annotate(
        "<a href='../../themes/energy/'>energy</a>", page
    )
    assert 'data-trilat-target="https://example.com/a?b=1&amp;c=2"' in refs.annotate(
        '<a class="x" href="https://example.com/a?b=1&amp;c=2"><em>a</em> page</a>', page
    )
    for untouched in (
        '<a href="https://example.com/">https://example.com/</a>',
        '<a href="#fn:1" class="footnote-ref">1</a>',
        '<a href="mailto:a@example.org">write</a>',
        "<a name='x'>no href</a>",
        '<a title="a>b" href="../beta/">odd</a>',
    ):
        assert refs.annotate(untouched, page) == untouched


def test_a_detached_document_gets_absolute_links_or_links_from_its_own_place(refs: CrossReferences) -> None:
    pdf = "briefings/alpha/alpha.pdf"
    out = refs.annotate('<a href="../beta/">x</a> <a href="#s">s</a>', "briefings/alpha", from_file=pdf)
    assert 'href="https://example.org/site/briefings/beta/"' in out and 'href="#s"' in out
    local = CrossReferences([record("beta", 1)], SiteAddress("Test Site", None, False))
    out = local.annotate('<a href="beta.html">x</a>', "briefings/alpha", from_file=pdf)
    assert 'href="../beta.html"' in out and 'data-trilat-target="“BETA”"' in out


# -- the press -------------------------------------------------------------------------------


def _job(folder: Path, name: str, text: str) -> Job:
    source = folder / f"{name}.html"
    source.write_text(text, encoding="utf-8")
    return Job(str(source), str(folder / f"{name}.pdf"), None, 10.0)


def test_a_worker_that_dies_takes_only_its_own_job_with_it(tmp_path: Path) -> None:
    press = PdfPress(2, render=pdf_helpers.crash_if_marked)
    try:
        jobs = {f"j{i}": _job(tmp_path, f"j{i}", "CRASH" if i == 3 else f"doc {i}") for i in range(8)}
        futures = {name: press.submit(job) for name, job in jobs.items()}
        outcomes = {name: f.result(timeout=120) for name, f in futures.items()}
    finally:
        press.shutdown()
    assert [n for n, o in outcomes.items() if not o.ok] == ["j3"]
    assert outcomes["j3"].reason == "crashed" and not outcomes["j3"].lasting
    assert (tmp_path / "j5.pdf").read_bytes() == b"%PDF doc 5"


def test_a_failing_document_is_a_lasting_failure_with_its_reason(tmp_path: Path, monkeypatch) -> None:
    import weasyprint

    def refuse(*args: object, **kwargs: object) -> None:
        raise ValueError("no layout\nfor this")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", refuse)
    outcome = make_pdf(_job(tmp_path, "bad", "<p>x</p>"))
    assert outcome == Outcome(False, "WeasyPrint failed: ValueError: no layout for this", (), "failed")
    assert outcome.lasting
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*.part"))
    missing = make_pdf(Job(str(tmp_path / "none.html"), str(tmp_path / "none.pdf"), None, 10.0))
    assert missing.reason == "unreadable" and not missing.lasting


# -- the cache and the build's share ------------------------------------------------------------


def test_pruning_removes_only_old_entries_of_its_own(tmp_path: Path) -> None:
    cache = PdfCache(tmp_path)
    (tmp_path / "jobs").mkdir()
    names = [
        "a" * 32 + ".pdf",
        "b" * 32 + ".failed",
        "jobs/" + "c" * 32 + ".html",
        "report.pdf",
        "d" * 32 + ".pdf",
    ]
    for name in names:
        (tmp_path / name).write_text("x")
    old = time.time() - KEEP_UNUSED.total_seconds() - 10
    for name in names[:4]:
        os.utime(tmp_path / name, (old, old))
    cache.prune()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == [
        "d" * 32 + ".pdf",
        "report.pdf",
    ]


class FakePress:
    """Hands out futures the test settles itself, as workers would, later."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Job, Future[Outcome], bool]] = []

    def submit(self, job: Job, *, first: bool = False) -> Future[Outcome]:
        future: Future[Outcome] = Future()
        self.jobs.append((job, future, first))
        return future

    def shutdown(self, *, wait: bool = False) -> None:
        pass


def _made(job: Job, future: Future[Outcome]) -> None:
    Path(job.target).write_bytes(b"%PDF-1.7 made")
    future.set_running_or_notify_cancel()
    future.set_result(Outcome(True))


def test_serving_never_waits_and_delivers_pdfs_when_they_are_made(tmp_path: Path) -> None:
    press = FakePress()
    late: list[PdfReport] = []
    editions = PdfEditions(lambda: press, serving=True, report_late=late.append)  # type: ignore[arg-type, return-value]
    b = record("alpha", 1)
    index = build_index([b], SiteSettings())
    cache, site_dir = PdfCache(tmp_path / "cache"), tmp_path / "site"

    def build(body: str) -> PdfReport:
        editions.begin(make_environment(), index, ADDRESS, SiteSettings(), cache, "stamp")
        editions.submit(b, body)
        assert editions.output(b) == "briefings/alpha/alpha.pdf"
        return editions.finish(site_dir)

    first = build("<p>One</p>")
    assert first.pending == 1 and not (site_dir / "briefings/alpha/alpha.pdf").exists()
    job, future, urgent = press.jobs[0]
    assert not urgent
    _made(job, future)
    assert (site_dir / "briefings/alpha/alpha.pdf").read_bytes() == b"%PDF-1.7 made"
    assert late[0].made == 1

    second = build("<p>Two</p>")
    assert press.jobs[1][2], "what the editor just changed is made first"
    third = build("<p>Three</p>")
    assert second.pending == third.pending == 1
    assert press.jobs[1][1].cancelled(), "an earlier state of the briefing is not worth making"

    job, future, _ = press.jobs[2]
    future.set_running_or_notify_cancel()
    future.set_result(Outcome(False, "WeasyPrint failed: ValueError: x", reason="failed"))
    assert "briefings/alpha.md:1: no PDF edition: WeasyPrint failed: ValueError: x" in str(
        late[-1].problems[0]
    )

    # The cache remembers a document WeasyPrint refused: no link, no second attempt, the same warning.
    editions.begin(make_environment(), index, ADDRESS, SiteSettings(), cache, "stamp")
    editions.submit(b, "<p>Three</p>")
    assert editions.output(b) is None
    again = editions.finish(site_dir)
    assert len(press.jobs) == 3
    assert [p.message for p in again.problems] == [p.message for p in late[-1].problems]
    # And one that is back in the cache is delivered at once.
    assert build("<p>One</p>").cached == 1


def test_an_engine_that_cannot_start_is_one_warning_with_the_fix(tmp_path: Path) -> None:
    press = FakePress()
    editions = PdfEditions(lambda: press)  # type: ignore[arg-type, return-value]
    briefings = [record("alpha", 1), record("beta", 2)]
    editions.begin(
        make_environment(),
        build_index(briefings, SiteSettings()),
        ADDRESS,
        SiteSettings(),
        PdfCache(tmp_path),
        "s",
    )
    for b in briefings:
        editions.submit(b, "<p>Body</p>")
    for _, future, _ in press.jobs:
        future.set_running_or_notify_cancel()
        future.set_result(
            Outcome(False, "WeasyPrint cannot start: OSError: no libpango", reason="unavailable")
        )
    report = editions.finish(tmp_path / "site")
    assert [str(p) for p in report.problems] == [
        "mkdocs.yml:1: trilat: no PDF editions: WeasyPrint cannot start: OSError: no libpango; install "
        "WeasyPrint's system libraries (see the README, 'PDF editions') or set pdf: false"
    ]
    assert (report.made, report.cached) == (0, 0) and not (tmp_path / "site").exists()


PRESS_THEN_WAIT = """
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import pdf_helpers
from trilat_site.site.pdfpress import Job, PdfPress
press = PdfPress(1, render=pdf_helpers.slow)
source = Path(sys.argv[2])
source.write_text("x")
press.submit(Job(str(source), str(source) + ".pdf", None, 60.0))
while not press._pool or not press._pool._processes:
    time.sleep(0.05)
print(*press._pool._processes, flush=True)
time.sleep(300)
"""


def test_workers_stop_when_the_build_is_killed(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    here = str(Path(__file__).parent)
    build = subprocess.Popen(
        [sys.executable, "-c", PRESS_THEN_WAIT, here, str(tmp_path / "job.html")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        workers = [int(pid) for pid in build.stdout.readline().split()]
        assert workers
    finally:
        build.send_signal(signal.SIGKILL)
        build.wait()
    deadline = time.monotonic() + 20
    alive = workers
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [pid for pid in workers if Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)]
    assert alive == [], "a worker outlived its build"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return "Z"


def test_the_key_follows_everything_the_document_is_made_from(tmp_path: Path) -> None:
    def key(
        titles: dict[str, str], override: str | None = None, body: str = '<a href="../beta/">B</a>'
    ) -> str:
        briefings = [record(slug, i, title=title) for i, (slug, title) in enumerate(titles.items())]
        folder = tmp_path / "templates"
        if override is not None:
            folder.mkdir(exist_ok=True)
            (folder / "pdf.css").write_text(override)
        editions = PdfEditions(FakePress)  # type: ignore[arg-type]
        env = make_environment([folder])
        index = build_index(briefings, SiteSettings())
        editions.begin(env, index, ADDRESS, SiteSettings(), PdfCache(tmp_path / "cache"), "stamp")
        return editions.key(index.by_slug["alpha"], body)

    titles = {"alpha": "Alpha", "beta": "Beta", "gamma": "Gamma"}
    first = key(titles)
    assert key(titles) == first
    assert key({**titles, "gamma": "Gamma, retitled"}) == first, "a briefing it does not link to"
    assert key({**titles, "beta": "Beta, retitled"}) != first, "its link prints the title"
    assert key({**titles, "alpha": "Alpha, retitled"}) != first
    assert key(titles, body='<a href="../beta/">C</a>') != first
    assert key(titles, override="@page { size: letter; }") != first, "a site's own stylesheet"


def test_a_pdf_in_the_cache_is_found_without_rendering_its_document(tmp_path: Path, monkeypatch) -> None:
    press = FakePress()
    editions = PdfEditions(lambda: press)  # type: ignore[arg-type, return-value]
    b = record("alpha", 1)
    cache = PdfCache(tmp_path / "cache")
    editions.begin(make_environment(), build_index([b], SiteSettings()), ADDRESS, SiteSettings(), cache, "s")
    cache.folder.joinpath(editions.key(b, "<p>x</p>") + ".pdf").write_bytes(b"%PDF-1.7 cached")

    def never(*args: object) -> str:
        raise AssertionError("rendered")

    monkeypatch.setattr(editions, "document", never)
    editions.submit(b, "<p>x</p>")
    report = editions.finish(tmp_path / "site")
    assert report.cached == 1 and press.jobs == []
    assert (tmp_path / "site/briefings/alpha/alpha.pdf").read_bytes() == b"%PDF-1.7 cached"
