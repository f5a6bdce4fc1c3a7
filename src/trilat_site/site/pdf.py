"""The PDF edition of each published briefing and of each of its translations: its document,
its key, its cache and its making.

A briefing's PDF is made from one HTML document: the `pdf.html` template (overridable like
every template) with the converted body, the head metadata WeasyPrint turns into the PDF's
own (title, authors, subject, keywords, creation date, language) and the `pdf.css`
stylesheet inline. A translation's PDF is worded in its language, as its page is: the
template's words from that language's catalogue, dates in its form, themes, countries and
people named in it, and the line that says from which original and by whom it was translated.

The PDF's key in the cache is a digest of everything that document is made from, so that a
build finds a PDF without rendering its document: the briefing's record (and a translation's
original), its last change and converted body, the titles of the briefings its body may link
to, the site's name, address, settings and registries, every template and catalogue, the code
that makes documents and the engine's versions. The cache is a folder outside the site that
builds and `mkdocs serve` rebuilds share (and CI keeps). A PDF not in it is made by the press
(`pdfpress`), in worker processes, while the build goes on.

The document carries no build time and no path of this machine, and the creation date is the
briefing's last change, so the same briefing gives the same bytes on every build.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import importlib.metadata
import os
import re
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from ..core.index import SiteIndex, event_anchor
from ..core.model import Briefing
from ..core.problems import Problem, Severity
from ..core.settings import SiteSettings
from . import citation, urls
from .bylines import translator_bylines, worded
from .crossrefs import CrossReferences, edition_titles, slugs_named
from .i18n import localized, translations
from .pdfpress import PDF_VARIANT, Job, Outcome, PdfPress
from .render import language_name, rendered
from .urls import DocumentLinks, SiteAddress

TEMPLATE = "pdf.html"
STYLESHEET = "pdf.css"
# What the PDFs say about their maker (the /Creator entry).
GENERATOR = "trilat-site"
# Cache entries no build has used for this long are removed.
KEEP_UNUSED = dt.timedelta(days=30)


def N_(message: str) -> str:
    """Marks a message for the catalogues (babel.cfg reads this module); translated where used."""
    return message


# The running footer's page numbers, in the document's language (a CSS content value: see
# `page_numbers`).
PAGE_NUMBERS = N_("Page %(number)s of %(count)s")

_ENGINE_PACKAGES = ("weasyprint", "pydyf")
_ENTRY = re.compile(r"[0-9a-f]{32}\.(?:pdf|failed)")
_JOB = re.compile(r"[0-9a-f]{32}\.html")


def engine_stamp() -> str | None:
    """The versions of what lays PDFs out, part of every key; None when WeasyPrint is not installed."""
    try:
        versions = [f"{name} {importlib.metadata.version(name)}" for name in _ENGINE_PACKAGES]
    except importlib.metadata.PackageNotFoundError:
        return None
    return "; ".join([*versions, PDF_VARIANT or "pdf"])


@functools.cache
def code_digest() -> bytes:
    """The code that makes documents (this folder: URLs, citations, filters, the press; the
    catalogues of the translations' words; and the records): a change to it makes every PDF
    again. The command and the adapter do not count."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.blake2b(digest_size=16)
    catalogues = sorted(package.joinpath("site", "locale").rglob("*.po"))
    for path in [*sorted(package.joinpath("site").glob("*.py")), *catalogues, package / "core" / "model.py"]:
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


def templates_digest(env: Environment) -> bytes:
    """Every template a document may use, by name and content (a site's overrides included)."""
    digest = hashlib.blake2b(digest_size=16)
    for folder in getattr(env.loader, "searchpath", ()):
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


def page_numbers(language: str | None) -> Markup:
    """The footer's "Page 1 of 3" as CSS writes it in a page's margin, in `language` (None: the
    templates' own words): quoted strings around the page counters, in the language's order."""
    words = translations(language).gettext(PAGE_NUMBERS) if language else PAGE_NUMBERS
    parts: list[str] = []
    for piece in re.split(r"(%\((?:number|count)\)s)", words):
        if piece == "%(number)s":
            parts.append("counter(page)")
        elif piece == "%(count)s":
            parts.append("counter(pages)")
        elif piece:
            # A CSS string: backslashes and quotes escaped, nothing else in a catalogue needs it.
            parts.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return Markup(" ".join(parts))


class CacheFolderError(ValueError):
    """The cache folder is where a build would lose it or write where it must not."""


def cache_folder(project_dir: Path, setting: str, site_dir: Path, docs_dir: Path) -> Path:
    """The cache folder `setting` names (relative to the project), checked against the site's folders.

    Inside site_dir every build would empty it; inside docs_dir MkDocs would publish it.
    """
    folder = (project_dir / setting).resolve()
    for name, other in (("site_dir", site_dir.resolve()), ("docs_dir", docs_dir.resolve())):
        if folder.is_relative_to(other) or other.is_relative_to(folder):
            raise CacheFolderError(
                f"trilat: pdf_cache_dir '{setting}' overlaps {name}: "
                "name a folder of its own, such as .cache/trilat-pdf"
            )
    return folder


@dataclass(frozen=True)
class PdfCache:
    """PDFs by key (`<key>.pdf`), lasting failures by key (`<key>.failed`), job documents in `jobs/`."""

    folder: Path

    def pdf(self, key: str) -> Path:
        return self.folder / f"{key}.pdf"

    def job(self, key: str) -> Path:
        return self.folder / "jobs" / f"{key}.html"

    def failure(self, key: str) -> tuple[str, str] | None:
        """The reason and message of a lasting failure of this document, if it had one."""
        try:
            reason, _, message = (
                self.folder.joinpath(f"{key}.failed").read_text(encoding="utf-8").partition("\n")
            )
        except (OSError, UnicodeDecodeError):
            return None
        return reason, message

    def remember_failure(self, key: str, reason: str, message: str) -> None:
        _write_atomically(self.folder / f"{key}.failed", f"{reason}\n{message}".encode())

    def write_job(self, key: str, document: str) -> Path:
        path = self.job(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, document.encode("utf-8"))
        return path

    def used(self, key: str) -> None:
        """Marks an entry as wanted, so that pruning keeps it."""
        with contextlib.suppress(OSError):
            os.utime(self.pdf(key))

    def prune(self, now: float | None = None) -> None:
        """Removes entries unused for KEEP_UNUSED, and job documents left by interrupted builds.

        Only files named as the cache names them: the folder is the site's choice, and may
        hold other files.
        """
        now = time.time() if now is None else now
        for folder, names, limit in (
            (self.folder, _ENTRY, KEEP_UNUSED.total_seconds()),
            (self.folder / "jobs", _JOB, 86400.0),
        ):
            with contextlib.suppress(OSError), os.scandir(folder) as entries:
                for entry in entries:
                    with contextlib.suppress(OSError):
                        if (
                            names.fullmatch(entry.name)
                            and entry.is_file()
                            and now - entry.stat().st_mtime > limit
                        ):
                            os.unlink(entry.path)


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.part")
    partial.write_bytes(data)
    os.replace(partial, path)


def _deliver(source: Path, site_dir: Path, name: str) -> None:
    """Puts a cached PDF into the site: a hard link where the file system allows, else a copy.

    A thousand copies cost a build more than a second; nothing writes to a built PDF in place.
    """
    dest = site_dir / name
    dest.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        dest.unlink()
    try:
        os.link(source, dest)
    except OSError:
        shutil.copyfile(source, dest)


@dataclass
class Edition:
    """One edition's PDF in this build: from the cache, being made, or known to fail."""

    briefing: Briefing
    key: str
    cached: bool = False
    future: Future[Outcome] | None = None
    failure: tuple[str, str] | None = None
    """The reason and message of a failure the cache remembers."""


@dataclass
class PdfReport:
    """What a build did with its PDFs, for its log."""

    made: int = 0
    cached: int = 0
    pending: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"PDF editions: {self.made} made, {self.cached} from the cache"
        if self.problems:
            text += f", {len(self.problems)} not made"
        return text + (f", {self.pending} being made in the background" if self.pending else "")


class PdfEditions:
    """The build's share of the work: documents, keys, cache look-ups, and the PDFs it writes.

    One instance lives as long as the plugin, so that `mkdocs serve` keeps its press and
    the PDFs being made across rebuilds. With `serving`, a build never waits for a PDF: the
    ones being made are written into the site when they are done, and those of the briefing
    just edited are made first.
    """

    def __init__(
        self,
        press_factory: Callable[[], PdfPress],
        *,
        serving: bool = False,
        report_late: Callable[[PdfReport], None] | None = None,
    ) -> None:
        self._press_factory = press_factory
        self._report_late = report_late
        self._press: PdfPress | None = None
        self.serving = serving
        self._lock = threading.Lock()
        self._generation = 0
        self._builds = 0
        self._being_made: dict[str, Future[Outcome]] = {}
        self._unavailable: str | None = None
        self._editions: dict[str, Edition] = {}

    def begin(
        self,
        env: Environment,
        index: SiteIndex,
        address: SiteAddress,
        settings: SiteSettings,
        cache: PdfCache,
        stamp: str,
    ) -> None:
        """A new build: what every PDF of it depends on besides its briefing."""
        with self._lock:
            self._generation += 1
            self._builds += 1
        self._env = env
        self._index = index
        self._address = address
        self._settings = settings
        self._cache = cache
        self._stamp = stamp
        # A translation's body links to the other editions in its language (see crossrefs).
        self._crossrefs = CrossReferences(index.every_edition(), address)
        self._stylesheet = Markup(env.loader.get_source(env, STYLESHEET)[0]) if env.loader else Markup("")
        self._slugs = {b.slug for b in index.briefings}
        self._envs: dict[str, Environment] = {}
        inputs = hashlib.blake2b(digest_size=16)
        for part in (stamp, address, settings, index.registry):
            inputs.update(repr(part).encode("utf-8", "surrogatepass") + b"\0")
        inputs.update(code_digest() + templates_digest(env))
        self._inputs = inputs
        self._editions = {}
        cache.folder.mkdir(parents=True, exist_ok=True)

    # -- the document ---------------------------------------------------------------------

    def _language(self, b: Briefing) -> str | None:
        """The site language a translation's PDF is worded in; None for an original, worded as
        the pages of the site's first language are."""
        return b.language if b.is_translation and self._settings.multilingual else None

    def _env_for(self, language: str | None) -> Environment:
        if language is None:
            return self._env
        found = self._envs.get(language)
        if found is None:
            found = self._envs[language] = localized(self._env, language)
        return found

    def document(self, b: Briefing, body: str) -> str:
        """The HTML document the PDF is made from."""
        address = self._address
        language = self._language(b)
        # A translation's themes, countries and people as its language names them.
        index = self._index.in_language(language) if language else self._index
        name = urls.edition_pdf(b)
        ctx = citation.CitationContext.of(b, index, address)
        settings = index.settings
        text = settings.site_text(language) if language else None
        link = DocumentLinks(name, address, urls.edition_prefix(b))
        context: dict[str, Any] = {
            "briefing": b,
            "content": Markup(self._crossrefs.annotate(body, urls.edition(b), from_file=name)),
            "stylesheet": self._stylesheet,
            "page_numbers": page_numbers(language),
            "lang": ctx.language,
            "generator": GENERATOR,
            "site_name": text.site_name if text and text.site_name else address.name,
            "site_url": address.site_url or "",
            "page_url": ctx.url,
            "pdf_url": address.file_url(name) if address.site_url else "",
            "updated": index.updated(b),
            "byline": ctx.authors,
            "keywords": [settings.theme(t).title for t in b.themes] + list(b.tags),
            "cite": citation.formatted(b, ctx, language),
            "link": link,
            "settings": settings,
            "theme_of": settings.theme,
            "country_of": settings.country,
            "person_of": index.person,
            "organization_of": index.organization,
            "event_anchor": event_anchor,
            "original": None,
        }
        if b.is_translation:
            original = index.original(b)
            context["original"] = original
            context["original_language"] = original.language or settings.language
            context["language_name"] = language_name
            # Without translators of its own, the site's editors translated it (as on its page).
            context["translators"] = translator_bylines(b, index, address.name)
        if language is not None:
            # The site's editors in the document's words, as on its page.
            words = translations(language).gettext
            for key in ("byline", "translators"):
                if key in context:
                    context[key] = worded(context[key], words, context["site_name"])
        return rendered(self._env_for(language), TEMPLATE, context, f"the PDF of {b.path}")

    def key(self, b: Briefing, body: str) -> str:
        """The digest of everything the briefing's document is made from (see the module)."""
        digest = self._inputs.copy()
        index = self._index
        linked = [(slug, edition_titles(index, slug)) for slug in sorted(slugs_named(body) & self._slugs)]
        # A translation's document says when its original was published, and in what language.
        original = index.original(b) if b.is_translation else None
        for part in (b, original, index.updated(b), linked, body):
            digest.update(repr(part).encode("utf-8", "surrogatepass") + b"\0")
        return digest.hexdigest()

    # -- the work -------------------------------------------------------------------------

    def submit(self, b: Briefing, body: str) -> None:
        """The briefing's PDF: found in the cache, known to fail, or handed to the press."""
        key = self.key(b, body)
        edition = Edition(b, key)
        self._editions[urls.edition_pdf(b)] = edition
        cache = self._cache
        if cache.pdf(key).is_file():
            cache.used(key)
            edition.cached = True
            return
        edition.failure = cache.failure(key)
        if edition.failure is not None or self._unavailable:
            return
        with self._lock:
            future = self._being_made.get(key)
        if future is None or future.cancelled():
            job = Job(
                str(cache.write_job(key, self.document(b, body))),
                str(cache.pdf(key)),
                self._address.briefing_url(b) or None,
                float(self._settings.pdf_timeout),
            )
            if self._press is None:
                self._press = self._press_factory()
            # While serving, what was edited since the first build is what the editor looks at.
            future = self._press.submit(job, first=self.serving and self._builds > 1)
            with self._lock:
                self._being_made[key] = future
            future.add_done_callback(lambda _, key=key: self._made(key))
        edition.future = future

    def _made(self, key: str) -> None:
        with self._lock:
            self._being_made.pop(key, None)
        with contextlib.suppress(OSError):
            self._cache.job(key).unlink()

    def output(self, b: Briefing) -> str | None:
        """The PDF's output file name, if the edition's page should link to it."""
        name = urls.edition_pdf(b)
        edition = self._editions.get(name)
        if edition is None or not (edition.cached or edition.future is not None):
            return None
        return name

    def finish(self, site_dir: Path) -> PdfReport:
        """Writes this build's PDFs into the site; waits for those being made unless serving."""
        report = PdfReport()
        cache = self._cache
        for name, edition in self._editions.items():
            if edition.failure is not None:
                reason, message = edition.failure
                report.problems.append(_problem(edition.briefing, message, reason))
            elif edition.cached:
                _deliver(cache.pdf(edition.key), site_dir, name)
                report.cached += 1
            elif edition.future is None or edition.future.cancelled():
                continue  # WeasyPrint cannot start: said once, below
            elif self.serving and not edition.future.done():
                report.pending += 1
                generation = self._generation
                edition.future.add_done_callback(
                    lambda future, e=edition, g=generation: self._late(future, e, g, site_dir)
                )
            else:
                self._settle(edition, edition.future.result(), site_dir, report)
        if self.serving:
            self._forget_unwanted()
        else:
            self.close()
            cache.prune()
        return report

    def _settle(self, edition: Edition, outcome: Outcome, site_dir: Path, report: PdfReport) -> None:
        b = edition.briefing
        report.notes += [f"{b.path}: PDF edition: {note}" for note in outcome.notes]
        if outcome.ok:
            _deliver(self._cache.pdf(edition.key), site_dir, urls.edition_pdf(b))
            report.made += 1
        elif outcome.reason == "unavailable":
            if self._unavailable is None:
                self._unavailable = outcome.message
                report.problems.append(
                    Problem(
                        "mkdocs.yml",
                        1,
                        f"trilat: no PDF editions: {outcome.message}; install WeasyPrint's system "
                        "libraries (see the README, 'PDF editions') or set pdf: false",
                        Severity.WARNING,
                    )
                )
        else:
            if outcome.lasting:
                self._cache.remember_failure(edition.key, outcome.reason, outcome.message)
            report.problems.append(_problem(b, outcome.message, outcome.reason))

    def _late(self, future: Future[Outcome], edition: Edition, generation: int, site_dir: Path) -> None:
        """A PDF made in the background while serving: into the site, if its build is still current."""
        if future.cancelled() or generation != self._generation:
            return
        report = PdfReport()
        with contextlib.suppress(OSError):
            self._settle(edition, future.result(), site_dir, report)
        if self._report_late is not None:
            self._report_late(report)

    def _forget_unwanted(self) -> None:
        """While serving, PDFs of an earlier state of a briefing are no longer worth making."""
        wanted = {e.key for e in self._editions.values()}
        with self._lock:
            stale = [f for k, f in self._being_made.items() if k not in wanted]
        for future in stale:
            future.cancel()

    def close(self) -> None:
        """Stops the press; what has not started is cancelled."""
        press, self._press = self._press, None
        if press is not None:
            press.shutdown(wait=not self.serving)


_HINTS = {
    "timeout": "shorten the body (a very long table, say) or raise pdf_timeout in mkdocs.yml",
    "memory": "shorten the body (a very long table, say)",
    "failed": "simplify the markup of the body that the message names",
    "crashed": "build again, and simplify the body if it happens again",
}


def _problem(b: Briefing, message: str, reason: str = "failed") -> Problem:
    hint = _HINTS.get(reason, "build again")
    return Problem(
        b.path, 1, f"no PDF edition: {message}; the page is published without one: {hint}", Severity.WARNING
    )
