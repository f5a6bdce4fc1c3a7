"""Lighthouse scores of the repository's own site, as a reader's browser would give them.

Builds the site with `mkdocs build --strict` for the address it is served at (as the
browser tests do), serves it on 127.0.0.1 and runs Lighthouse (tests/browser/node_modules,
installed by `make test`) on the system's Chromium, three times per page and form factor,
and prints the median of each category with the Core Web Vitals behind the performance
score. Chromium resolves no host but 127.0.0.1, so nothing outside the machine is asked.

    .venv/bin/python bench/lighthouse.py                   # six pages, mobile and desktop, 3 runs each
    .venv/bin/python bench/lighthouse.py --runs 1          # one run each, for a quick look
    .venv/bin/python bench/lighthouse.py --only briefing   # one page kind
    .venv/bin/python bench/lighthouse.py --json out.json   # also write every run's figures
    .venv/bin/python bench/lighthouse.py --uncompressed    # served as python -m http.server does

The scores depend on the machine's load: run it alone, never beside other benchmarks.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser.support import BuiltSite, build_site, find_chromium, page_types  # noqa: E402

LIGHTHOUSE = ROOT / "tests" / "browser" / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
KINDS = ("home", "briefing", "briefings", "theme", "timeline", "coverage")
# What the browser tests' Chromium is held to as well: no request leaves the machine.
CHROME_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
)
AUDITS = {
    "cumulative-layout-shift": ("CLS", "{:.3f}"),
    "largest-contentful-paint": ("LCP", "{:.0f} ms"),
    "total-blocking-time": ("TBT", "{:.0f} ms"),
    "first-contentful-paint": ("FCP", "{:.0f} ms"),
}


_COMPRESSED = (".html", ".css", ".js", ".json", ".xml", ".svg")


class _PlainHost(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


class _Host(http.server.SimpleHTTPRequestHandler):
    """A static host as readers meet one: text gzip-compressed, as GitHub Pages and every CDN do.

    Lighthouse estimates load times from the bytes sent, so an uncompressing test server
    would have it judge a slower site than anyone publishes.
    """

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants and path.is_file() and path.suffix in _COMPRESSED):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve(directory: Path, compress: bool = True) -> Iterator[str]:
    handler = _Host if compress else _PlainHost
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(directory)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def lighthouse(url: str, form_factor: str, chromium: str) -> dict[str, Any]:
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": chromium}
    proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}:\n{proc.stderr[-2000:]}")
    report = json.loads(proc.stdout)
    scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    numbers = {a: report["audits"][a]["numericValue"] for a in AUDITS}
    failing = sorted(
        f"{c}: {ref['id']}"
        for c in CATEGORIES
        for ref in report["categories"][c]["auditRefs"]
        if ref["weight"] > 0 and (report["audits"][ref["id"]]["score"] or 0) < 1 and c != "performance"
    )
    return {"scores": scores, "numbers": numbers, "failing": failing}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per page and form factor (median taken)")
    parser.add_argument("--only", action="append", choices=KINDS, help="page kinds to run (default: all six)")
    parser.add_argument("--form-factor", action="append", choices=("mobile", "desktop"))
    parser.add_argument("--json", type=Path, help="write every run's figures to this file")
    parser.add_argument(
        "--uncompressed", action="store_true", help="serve without gzip, as a bare dev server"
    )
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None or not LIGHTHOUSE.is_file():
        raise SystemExit(
            "needs Chromium and Lighthouse: run `make test` first (it runs npm ci in tests/browser)"
        )
    kinds = args.only or list(KINDS)
    form_factors = args.form_factor or ["mobile", "desktop"]
    version = subprocess.run(
        ["node", str(LIGHTHOUSE), "--version"], capture_output=True, text=True
    ).stdout.strip()
    chrome = subprocess.run([chromium, "--version"], capture_output=True, text=True).stdout.strip()
    served = "uncompressed" if args.uncompressed else "gzip-compressed"
    print(f"Lighthouse {version}, {chrome}; {served}; median of {args.runs} run(s), [each run's score]")
    everything: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp, serve(Path(tmp) / "site", not args.uncompressed) as base_url:
        build_site(ROOT / "mkdocs.yml", Path(tmp) / "site", base_url)
        paths = page_types(BuiltSite(Path(tmp) / "site", base_url), ROOT / "docs")
        width = 5 + (5 * args.runs if args.runs > 1 else 0)
        header = f"{'page':<10} {'form':<8} " + " ".join(f"{c[:width]:<{width}}" for c in CATEGORIES)
        header += "".join(f" {label:>9}" for label, _ in AUDITS.values())
        print(header)
        for form_factor in form_factors:
            for kind in kinds:
                runs = [lighthouse(base_url + paths[kind], form_factor, chromium) for _ in range(args.runs)]
                everything[f"{kind}/{form_factor}"] = runs
                scores = {c: statistics.median(r["scores"][c] for r in runs) for c in CATEGORIES}
                numbers = {a: statistics.median(r["numbers"][a] for r in runs) for a in AUDITS}
                spread = {c: sorted(r["scores"][c] for r in runs) for c in CATEGORIES}
                line = f"{kind:<10} {form_factor:<8} " + " ".join(
                    f"{f'{scores[c]:g}' + (' ' + ','.join(map(str, spread[c])) if args.runs > 1 else ''):<{width}}"
                    for c in CATEGORIES
                )
                line += "".join(f" {fmt.format(numbers[a]):>9}" for a, (_, fmt) in AUDITS.items())
                print(line, flush=True)
                failing = sorted({f for r in runs for f in r["failing"]})
                if failing:
                    print(f"{'':<19} below 100: {', '.join(failing)}")
    if args.json:
        args.json.write_text(json.dumps(everything, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
