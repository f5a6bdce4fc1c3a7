"""What site search costs: at build time, in memory, and in the bytes a reader's browser fetches.

Builds one synthetic corpus (bench/corpus.py) three ways, each in its own process:

- pagefind: the trilat site as it ships, with its Pagefind search;
- none:     the same with `search: false`, so the difference is what indexing adds;
- material: `search: false` plus Material's own search plugin, as the site searched before.

For each it prints wall and CPU time and the peak memory of the build's whole process tree
(the Python build plus the Pagefind binary, sampled every 20 ms). Then it serves the
Pagefind and Material sites and measures in Chromium (`TRILAT_CHROMIUM`, else the
system's): the bytes a briefing page costs without searching, and the bytes one query
fetches, split into the index data (Pagefind's index chunks, fragments, metadata and
filters; Material's search_index.json) and the code that reads it.

    python bench/search.py                      # N = 5,000 (about 5 minutes here)
    python bench/search.py --count 1000 --query "missile defence"

Needs the test extras and the browser test tools (`make test` installs them).
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "tests"))
import corpus  # noqa: E402

MB = 1024 * 1024
KIB = 1024


@dataclass
class Build:
    name: str
    wall: float
    cpu: float
    peak_mb: float
    pagefind_peak_mb: float
    site: Path


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as f:
                    todo += [int(p) for p in f.read().split()]
        except OSError:
            pass
    return pids


def _rss_kb(pid: int) -> tuple[int, str]:
    try:
        with open(f"/proc/{pid}/status") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
        return int(fields.get("VmRSS", "0 kB").split()[0]), fields.get("Name", "").strip()
    except (OSError, ValueError):
        return 0, ""


def build(name: str, project: Path) -> Build:
    """`mkdocs build` of `project`, its wall and CPU time and the peak of its process tree's memory."""
    site = project / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = (project / "build.log").open("w")
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--clean", "-d", str(site)],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    peak = pagefind_peak = 0
    while proc.poll() is None:
        total = 0
        for pid in _tree(proc.pid):
            rss, command = _rss_kb(pid)
            total += rss
            if command.startswith("pagefind"):
                pagefind_peak = max(pagefind_peak, rss)
        peak = max(peak, total)
        time.sleep(0.02)
    wall = time.perf_counter() - start
    log.close()
    if proc.returncode != 0:
        raise SystemExit(f"{name}: the build failed, see {project / 'build.log'}")
    # CPU time is the caller's to take, from os.times() around the call.
    return Build(name, wall, 0.0, peak / 1024, pagefind_peak / 1024, site)


def project_for(base: Path, name: str) -> Path:
    """A copy of the corpus project whose mkdocs.yml searches the given way."""
    project = base / name
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(base / "trilat", project, ignore=shutil.ignore_patterns("site"))
    config = json.loads((project / "mkdocs.yml").read_text())
    trilat = next(p for p in config["plugins"] if isinstance(p, dict) and "trilat" in p)
    if name != "pagefind":
        trilat["trilat"]["search"] = False
    if name == "material":
        config["plugins"].insert(0, "search")
    (project / "mkdocs.yml").write_text(json.dumps(config, indent=2) + "\n")
    return project


# -- in the browser --------------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _kind(url: str) -> str:
    for suffix, kind in (
        (".pf_index", "index"),
        (".pf_fragment", "fragments"),
        (".pf_meta", "meta"),
        (".pf_filter", "filters"),
        ("search_index.json", "index"),
        ("pagefind-entry.json", "meta"),
    ):
        if suffix in url:
            return kind
    return "code"


def browse(site: Path, briefing_path: str, query: str, material: bool) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from browser.support import find_chromium

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    out: dict[str, Any] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=find_chromium())
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
            # Every response the page and its workers receive: bytes on the wire, headers included.
            fetched: list[tuple[str, int]] = []

            def finished(request: Any) -> None:
                sizes = request.sizes()
                fetched.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))

            context.on("requestfinished", finished)
            page = context.new_page()
            page.goto(base + briefing_path, wait_until="networkidle")
            page.wait_for_timeout(1000)
            out["page_bytes"] = sum(size for _, size in fetched)
            out["page_requests"] = len(fetched)
            seen = len(fetched)
            start = time.perf_counter()
            if material:
                page.locator("input.md-search__input").click()
                page.locator("input.md-search__input").press_sequentially(query, delay=20)
                page.locator(".md-search-result__item").first.wait_for(timeout=120_000)
            else:
                page.locator("button.trilat-search").click()
                page.locator("dialog.pf-modal input.pf-input").press_sequentially(query, delay=20)
                page.locator("dialog.pf-modal a.pf-result-link").first.wait_for(timeout=120_000)
            out["first_result_s"] = time.perf_counter() - start
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1000)
            by_kind: dict[str, int] = {}
            for url, size in fetched[seen:]:
                by_kind[_kind(url)] = by_kind.get(_kind(url), 0) + size
            out["query_bytes"] = by_kind
            out["query_requests"] = len(fetched) - seen
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--query", default="alliance")
    parser.add_argument("--work", type=Path, default=BENCH / "out" / "search")
    parser.add_argument("--repeat", type=int, default=1, help="builds of each kind; the median is shown")
    args = parser.parse_args()

    base = args.work / f"n{args.count}"
    if not (base / "trilat" / "mkdocs.yml").is_file():
        corpus.write_project(base / "trilat", args.count, args.seed)
    builds: dict[str, Build] = {}
    for name in ("none", "pagefind", "material"):
        project = project_for(base, name)
        runs = []
        for _ in range(args.repeat):
            before = os.times()
            run = build(name, project)
            after = os.times()
            run.cpu = (after.children_user + after.children_system) - (before.children_user + before.children_system)
            runs.append(run)
        runs.sort(key=lambda r: r.wall)
        builds[name] = runs[len(runs) // 2]
        b = builds[name]
        print(f"{name:9} build {b.wall:6.1f} s  cpu {b.cpu:6.1f} s  peak (tree) {b.peak_mb:6.0f} MB"
              + (f"  of which Pagefind {b.pagefind_peak_mb:4.0f} MB" if b.pagefind_peak_mb else ""), flush=True)

    none, ours = builds["none"], builds["pagefind"]
    print(f"\nindexing adds {ours.wall - none.wall:+.1f} s ({(ours.wall / none.wall - 1) * 100:+.1f} %) wall, "
          f"{ours.peak_mb - none.peak_mb:+.0f} MB peak")
    bundle = ours.site / "pagefind"
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    print(f"bundle: {size / MB:.1f} MB in {sum(1 for _ in bundle.rglob('*.pf_fragment'))} fragments and "
          f"{sum(1 for _ in bundle.rglob('*.pf_index'))} index chunks")
    material_index = builds["material"].site / "search" / "search_index.json"
    print(f"Material's search_index.json: {material_index.stat().st_size / MB:.1f} MB")
    export = ours.site / "briefings.json"
    print(f"briefings.json (read by the /briefings/ filter): {export.stat().st_size / MB:.1f} MB")

    listed = json.loads(export.read_text())["briefings"]
    slug = listed[len(listed) // 2]["slug"]
    print(f"\nin Chromium, on /briefings/{slug}/, query {args.query!r}:")
    for name in ("material", "pagefind"):
        seen = browse(builds[name].site, f"briefings/{slug}/", args.query, material=name == "material")
        data = sum(v for k, v in seen["query_bytes"].items() if k != "code")
        parts = ", ".join(f"{k} {v / KIB:.0f}" for k, v in sorted(seen["query_bytes"].items()))
        print(
            f"{name:9} page without searching {seen['page_bytes'] / KIB:7.0f} KiB ({seen['page_requests']} requests); "
            f"one query {sum(seen['query_bytes'].values()) / KIB:7.0f} KiB in {seen['query_requests']} requests, "
            f"index data {data / KIB:.0f} KiB ({parts} KiB); first result after {seen['first_result_s']:.1f} s"
        )


if __name__ == "__main__":
    main()
