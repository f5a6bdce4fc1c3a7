"""What site search costs: at build time, in memory, and in the bytes a reader's browser fetches.

Builds one synthetic corpus (bench/corpus.py) three ways, each in its own process:

- pagefind: the trilat site as it ships, with its Pagefind search;
- none:     the same with `search: false`, so the difference is what indexing adds;
- material: `search: false` plus Material's own search plugin, as the site searched before.

With --repeat N the three are built in N rounds, one of each per round (the order turning
from round to round), and each round's difference between search and none is printed: this
machine's speed drifts by a tenth over minutes, which builds of one kind after the other
would count as a difference between the kinds. For each it prints wall and CPU time and the
peak memory of the build's whole process tree (the Python build plus the Pagefind binary,
sampled every SAMPLE seconds), and the Pagefind binary's own CPU time and peak. Then it serves the Pagefind and Material sites and measures in
Chromium (`TRILAT_CHROMIUM`, else the system's): the bytes a briefing page costs without
searching, and the bytes each query fetches in the search dialog, split into the index data
(Pagefind's shards.json, index chunks, fragments, metadata and filters; Material's
search_index.json) and the code that reads it; and what the /briefings/ filter fetches.

--ranking builds the corpus once more with its whole index in one shard and compares, in
Chromium, the first ten results of a set of queries with the sharded index's.

--serve measures what search costs a preview (`mkdocs serve`), in one process as serve
runs it: a first build, then edits (a briefing's title, the same again, a new briefing, its
deletion), each rebuilt, with the shards indexed again and the pages sent to Pagefind; and
what a save costs search alone when only the edited page is written (as a preview that
writes only changed pages would): the first save in a shard, then the next.

    python bench/search.py                      # N = 5,000 (about 10 minutes here)
    python bench/search.py --count 1000 --query "missile defence" --query THAAD
    python bench/search.py --ranking --serve --skip-builds

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
    pagefind_cpu: float = 0.0
    ran: float = 0.0
    """Seconds the build's main thread ran (last sample): its work, at the speed the machine gave it."""
    waited: float = 0.0
    """Seconds the build's main thread was ready to run and waited for a core (last sample)."""


# How often a build's memory is sampled. Reading /proc for every thread of the tree costs
# processor time the build then lacks: sampled every 20 ms, a 5,000-briefing build took about
# 12 s longer (68.4 s against 56.9 s without search, 80.5 s against 68.0 s with it). A build's
# peak is a plateau of seconds, which a quarter-second sample does not miss (the peaks were
# the same within 8 MB).
SAMPLE = 0.25


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


def _cpu_s(pid: int) -> float:
    """CPU time (user + system) a process has used so far."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def _sched_s(pid: int) -> tuple[float, float]:
    """How long the process's main thread has run, and how long it has been ready to run without a
    core to run on (Linux schedstat): what the Pagefind binary beside it takes from the build,
    apart from the machine's own drift."""
    try:
        with open(f"/proc/{pid}/schedstat") as f:
            ran, waited = f.read().split()[:2]
        return int(ran) / 1e9, int(waited) / 1e9
    except (OSError, ValueError):
        return 0.0, 0.0


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
    ran = waited = 0.0
    # The Pagefind binary's CPU time, as last seen before it exits (then it counts as the build's).
    pagefind_cpu: dict[int, float] = {}
    while proc.poll() is None:
        total = 0
        for pid in _tree(proc.pid):
            rss, command = _rss_kb(pid)
            total += rss
            if command.startswith("pagefind"):
                pagefind_peak = max(pagefind_peak, rss)
                pagefind_cpu[pid] = max(pagefind_cpu.get(pid, 0.0), _cpu_s(pid))
        peak = max(peak, total)
        ran, waited = _sched_s(proc.pid) if proc.poll() is None else (ran, waited)
        time.sleep(SAMPLE)
    wall = time.perf_counter() - start
    log.close()
    if proc.returncode != 0:
        raise SystemExit(f"{name}: the build failed, see {project / 'build.log'}")
    # CPU time is the caller's to take, from os.times() around the call.
    return Build(name, wall, 0.0, peak / 1024, pagefind_peak / 1024, site, sum(pagefind_cpu.values()), ran, waited)


def project_for(base: Path, name: str) -> Path:
    """A copy of the corpus project whose mkdocs.yml searches the given way (`pagefind…`: the site's search)."""
    project = base / name
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(base / "trilat", project, ignore=shutil.ignore_patterns("site"))
    config = json.loads((project / "mkdocs.yml").read_text())
    trilat = next(p for p in config["plugins"] if isinstance(p, dict) and "trilat" in p)
    if not name.startswith("pagefind"):
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
        ("shards.json", "meta"),
    ):
        if suffix in url:
            return kind
    return "code"


class Served:
    """A built site on 127.0.0.1, and Chromium, where nothing may come from another host."""

    def __init__(self, site: Path) -> None:
        from playwright.sync_api import sync_playwright

        from browser.support import find_chromium

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(executable_path=find_chromium())

    def tab(self) -> tuple[Any, list[tuple[str, int]]]:
        """A fresh tab (nothing cached) and the list its responses go to: URL, bytes with headers."""
        base = self.base
        context = self.browser.new_context(viewport={"width": 1280, "height": 900})
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
        fetched: list[tuple[str, int]] = []

        def finished(request: Any) -> None:
            sizes = request.sizes()
            fetched.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))

        # Every response the page and its workers receive.
        context.on("requestfinished", finished)
        return context.new_page(), fetched

    def close(self) -> None:
        self.browser.close()
        self.playwright.stop()
        self.server.shutdown()
        self.server.server_close()


def _by_kind(fetched: list[tuple[str, int]]) -> dict[str, int]:
    by_kind: dict[str, int] = {}
    for url, size in fetched:
        by_kind[_kind(url)] = by_kind.get(_kind(url), 0) + size
    return by_kind


def browse(site: Path, briefing_path: str, queries: list[str], material: bool) -> dict[str, Any]:
    served = Served(site)
    out: dict[str, Any] = {"queries": {}}
    try:
        for query in queries:
            page, fetched = served.tab()
            page.goto(served.base + briefing_path, wait_until="networkidle")
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
            first = time.perf_counter() - start
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1000)
            out["queries"][query] = {
                "bytes": _by_kind(fetched[seen:]),
                "requests": len(fetched) - seen,
                "first_result_s": first,
            }
            page.context.close()
            if material:
                break
        if not material:
            # The /briefings/ filter: a theme chosen on a fresh page, and what answering it fetched.
            page, fetched = served.tab()
            page.goto(served.base + "briefings/", wait_until="networkidle")
            seen = len(fetched)
            page.locator("form.trilat-filter select[name=theme]").select_option(index=1)
            page.locator(".trilat-filter__results .trilat-item__title").first.wait_for(timeout=120_000)
            page.wait_for_load_state("networkidle")
            out["filter"] = {"bytes": _by_kind(fetched[seen:]), "requests": len(fetched) - seen}
            page.context.close()
    finally:
        served.close()
    return out


# -- ranking: shards against one index ---------------------------------------------------------

# As the site's search dialog does it (templates/trilat.js): the root, then every shard merged
# in; or, for the reference, one Pagefind bundle of the whole site.
_SEARCH_JS = """async ([queries, reference]) => {
  const pagefind = await import(new URL(reference || "pagefind/pagefind.js", location.href).href);
  if (reference) {
    await pagefind.options({ basePath: new URL(".", new URL(reference, location.href)).pathname, baseUrl: "/" });
  } else {
    const bundle = new URL("pagefind/", location.href);
    const manifest = await (await fetch(new URL("shards.json", bundle))).json();
    const shards = manifest.languages[manifest["default"]].map(f => new URL(f, bundle).pathname);
    await pagefind.options({ basePath: new URL(manifest.root, bundle).pathname, baseUrl: "/" });
    for (const shard of shards) await pagefind.mergeIndex(shard, { baseUrl: "/" });
  }
  const out = {};
  for (const query of queries) {
    const found = await pagefind.search(query);
    const top = await Promise.all(found.results.slice(0, 20).map(r => r.data()));
    out[query] = { count: found.results.length, top: top.map(d => d.url) };
  }
  return out;
}"""


def top_results(site: Path, queries: list[str], reference: str | None = None) -> dict[str, Any]:
    served = Served(site)
    try:
        page, _ = served.tab()
        page.goto(served.base, wait_until="networkidle")
        page.evaluate("() => { window.__searched = null; }")
        page.evaluate(f"() => {{ ({_SEARCH_JS})({json.dumps([queries, reference])}).then(r => {{ window.__searched = r; }}); }}")
        page.wait_for_function("window.__searched !== null", timeout=300_000)
        return page.evaluate("window.__searched")  # type: ignore[no-any-return]
    finally:
        served.close()


def ranking_queries(project: Path) -> list[str]:
    """Topics, a place, a person's and an organisation's names, from the corpus itself."""
    people = (project / "briefings" / "_data" / "people.yml").read_text(encoding="utf-8")
    orgs = (project / "briefings" / "_data" / "organizations.yml").read_text(encoding="utf-8")
    names = [line.split(":", 1)[1].strip().strip('"') for line in people.splitlines() if line.startswith("  name:")]
    org_names = [line.split(":", 1)[1].strip().strip('"') for line in orgs.splitlines() if line.startswith("  name:")]
    return [
        "alliance",
        "missile defence",
        "coast guard cooperation",
        "THAAD",
        "semiconductor supply chains",
        "North Korea",
        "Seoul",
        "energy security",
        names[len(names) // 2],
        org_names[len(org_names) // 2],
    ]


def compare_ranking(base: Path, site: Path) -> None:
    """The sharded index's first results against one Pagefind index of the same pages.

    The reference is Pagefind's own command run over the built site, as a site without
    shards would index it, with its time and peak memory: what one index costs.
    """
    from trilat_site.site.pagefind import find_binary

    reference = site / "pagefind-reference"
    if reference.exists():
        shutil.rmtree(reference)
    command = [str(find_binary()), "--site", str(site), "--output-path", str(reference), "--quiet"]
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    peak, cpu = 0, 0.0
    while proc.poll() is None:
        peak, cpu = max(peak, _rss_kb(proc.pid)[0]), max(cpu, _cpu_s(proc.pid))
        time.sleep(0.02)
    print(f"\none Pagefind index of the built site (pagefind --site): {time.perf_counter() - start:.1f} s, "
          f"{cpu:.1f} s cpu, peak {peak / 1024:.0f} MB", flush=True)
    queries = ranking_queries(base / "trilat")
    one = top_results(site, queries, "pagefind-reference/pagefind.js")
    ours = top_results(site, queries)
    print("ranking, first ten results: one index / shards (pages only one index has are left out)")
    for query in queries:
        mine = ours[query]["top"][:10]
        theirs = [url for url in one[query]["top"] if url.rstrip("/").count("/") < 3 or "/page/" not in url][:10]
        shared = len(set(theirs) & set(mine))
        first = "same first" if theirs[:1] == mine[:1] else f"first {theirs[:1]} / {mine[:1]}"
        print(f"  {query!r:40} results {one[query]['count']:5} / {ours[query]['count']:5}; "
              f"{shared}/10 of the first ten shared; {first}", flush=True)


# -- mkdocs serve --------------------------------------------------------------------------------


def serve_edits(project: Path) -> None:
    """Rebuilds in one process, as `mkdocs serve` runs them, and what search costs in each."""
    import re

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from trilat_site.site import pagefind

    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(project / "serve-site"))
    config.plugins.on_startup(command="serve", dirty=False)
    search: pagefind.SearchIndex = config.plugins["trilat"]._search
    finish_time = [0.0]
    finish = search.finish

    def timed_finish(read_page: Any) -> None:
        start = time.perf_counter()
        finish(read_page)
        finish_time[0] = time.perf_counter() - start

    search.finish = timed_finish  # type: ignore[method-assign]

    def pagefind_cpu() -> float:
        service = search._service
        return _cpu_s(service._proc.pid) if service is not None else 0.0

    def rebuild(what: str) -> None:
        cpu, start = pagefind_cpu(), time.perf_counter()
        mkdocs_build(config)
        wall = time.perf_counter() - start
        print(f"  {what:34} rebuild {wall:6.1f} s; shards indexed {len(search.indexed_this_build):3} of "
              f"{len(search._order)}, pages sent {search.sent_this_build:5}, Pagefind {pagefind_cpu() - cpu:5.2f} s cpu, "
              f"waited for search at the end {finish_time[0]:.2f} s", flush=True)

    files = sorted(p for p in (project / "briefings").rglob("*.md"))
    target = files[len(files) // 3]
    text = target.read_text(encoding="utf-8")

    def retitle(path: Path, title: str) -> None:
        path.write_text(re.sub(r"^title: .*$", f'title: "{title}"', text, count=1, flags=re.M), encoding="utf-8")

    print("\nmkdocs serve, in one process (whole rebuilds, as MkDocs 1.6 makes them):")
    try:
        rebuild("first build")
        retitle(target, "Edited title one")
        rebuild("a briefing's title")
        retitle(target, "Edited title two")
        rebuild("the same briefing again")
        new = target.with_name("zz-bench-new.md")
        retitle(new, "A new briefing")
        rebuild("a new briefing")
        new.unlink()
        rebuild("that briefing deleted")
        target.write_text(text, encoding="utf-8")
        rebuild("the title as it was")

        # What a save costs search alone, when only the edited page is written.
        print("search alone, only the edited page written (a preview that writes only changed pages):")
        urls = list(search._shard_of)
        recent = set(search._recent)
        url = next(u for u in urls[len(urls) // 2 :] if u.startswith("/briefings/") and search._shard_of[u] not in recent)
        document = search._documents[url]
        bundle = project / "serve-site" / "pagefind"
        for n, what in enumerate(("first save in a shard", "next save, same briefing")):
            cpu, start = pagefind_cpu(), time.perf_counter()
            search.begin(urls, bundle)
            search.page(url, document.replace("</h1>", f" edited {n}</h1>", 1))
            search.finish(lambda u: None)
            wall = time.perf_counter() - start
            print(f"  {what:34} {wall:6.2f} s; shards indexed {len(search.indexed_this_build)}, pages sent "
                  f"{search.sent_this_build}, Pagefind {pagefind_cpu() - cpu:5.2f} s cpu", flush=True)
    finally:
        target.write_text(text, encoding="utf-8")
        config.plugins.on_shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--query", action="append", help="a query to measure (repeat for several); default: alliance")
    parser.add_argument("--work", type=Path, default=BENCH / "out" / "search")
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds of one build of each kind; each kind's median is shown"
    )
    parser.add_argument("--ranking", action="store_true", help="compare results with one unsharded index")
    parser.add_argument("--serve", action="store_true", help="measure what search costs mkdocs serve")
    parser.add_argument("--skip-builds", action="store_true", help="only --ranking and --serve, on the last builds")
    args = parser.parse_args()
    queries = args.query or ["alliance"]

    base = args.work / f"n{args.count}"
    if not (base / "trilat" / "mkdocs.yml").is_file():
        corpus.write_project(base / "trilat", args.count, args.seed)
    if not args.skip_builds:
        measure_builds(base, queries, args.repeat)
    if args.ranking:
        compare_ranking(base, base / "pagefind" / "site")
    if args.serve:
        serve_edits(project_for(base, "pagefind-serve"))


KINDS = ("none", "pagefind", "material")


def measure_builds(base: Path, queries: list[str], repeat: int) -> None:
    projects = {name: project_for(base, name) for name in KINDS}
    runs: dict[str, list[Build]] = {name: [] for name in KINDS}
    # Round by round, each round in another order: a machine that slows down or speeds up over
    # the minutes a round takes (other work, a cache warming) then weighs on every kind alike,
    # where a kind's builds one after the other would carry it into that kind's figures.
    for round_ in range(repeat):
        for name in KINDS[round_ % len(KINDS):] + KINDS[: round_ % len(KINDS)]:
            before = os.times()
            run = build(name, projects[name])
            after = os.times()
            run.cpu = (after.children_user + after.children_system) - (before.children_user + before.children_system)
            runs[name].append(run)
            print(f"  round {round_ + 1}: {name:9} {run.wall:6.1f} s (its thread ran {run.ran:5.1f} s and waited "
                  f"{run.waited:4.1f} s for a core)", flush=True)
    builds: dict[str, Build] = {}
    for name in KINDS:
        ordered = sorted(runs[name], key=lambda r: r.wall)
        builds[name] = ordered[len(ordered) // 2]
        b = builds[name]
        print(f"{name:9} build {b.wall:6.1f} s  cpu {b.cpu:6.1f} s  peak (tree) {b.peak_mb:6.0f} MB"
              + (f"  of which Pagefind {b.pagefind_peak_mb:4.0f} MB, {b.pagefind_cpu:.1f} s cpu"
                 if b.pagefind_peak_mb else ""), flush=True)

    none, ours = builds["none"], builds["pagefind"]
    if repeat > 1:
        # Each round's difference, the two builds a few minutes apart at most.
        added = sorted(p.wall / n.wall - 1 for p, n in zip(runs["pagefind"], runs["none"], strict=True))
        print("indexing adds, round by round: " + ", ".join(f"{a * 100:+.1f} %" for a in added)
              + f" (median {added[len(added) // 2] * 100:+.1f} %)")
    print(f"\nindexing adds {ours.wall - none.wall:+.1f} s ({(ours.wall / none.wall - 1) * 100:+.1f} %) wall, "
          f"{ours.cpu - none.cpu:+.1f} s ({(ours.cpu / none.cpu - 1) * 100:+.1f} %) cpu, "
          f"{ours.peak_mb - none.peak_mb:+.0f} MB peak")
    bundle = ours.site / "pagefind"
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    shards = json.loads((bundle / "shards.json").read_text())["languages"]
    print(f"bundle: {size / MB:.1f} MB in {sum(len(v) for v in shards.values())} shards, "
          f"{sum(1 for _ in bundle.rglob('*.pf_fragment'))} fragments and {sum(1 for _ in bundle.rglob('*.pf_index'))} "
          "index chunks")
    material_index = builds["material"].site / "search" / "search_index.json"
    print(f"Material's search_index.json: {material_index.stat().st_size / MB:.1f} MB")
    export = ours.site / "briefings.json"
    print(f"briefings.json (what the /briefings/ filter read before): {export.stat().st_size / MB:.1f} MB")

    listed = json.loads(export.read_text())["briefings"]
    slug = listed[len(listed) // 2]["slug"]
    print(f"\nin Chromium, on /briefings/{slug}/:")
    for name in ("material", "pagefind"):
        seen = browse(builds[name].site, f"briefings/{slug}/", queries, material=name == "material")
        print(f"{name:9} page without searching {seen['page_bytes'] / KIB:7.0f} KiB ({seen['page_requests']} requests)")
        for query, got in seen["queries"].items():
            data = sum(v for k, v in got["bytes"].items() if k != "code")
            parts = ", ".join(f"{k} {v / KIB:.0f}" for k, v in sorted(got["bytes"].items()))
            print(
                f"          query {query!r}: {sum(got['bytes'].values()) / KIB:5.0f} KiB in {got['requests']} requests, "
                f"index data {data / KIB:.0f} KiB ({parts} KiB); first result after {got['first_result_s']:.1f} s"
            )
        if "filter" in seen:
            got = seen["filter"]
            parts = ", ".join(f"{k} {v / KIB:.0f}" for k, v in sorted(got["bytes"].items()))
            print(f"          /briefings/ filter by a theme: {sum(got['bytes'].values()) / KIB:.0f} KiB in "
                  f"{got['requests']} requests ({parts} KiB)")


if __name__ == "__main__":
    main()
