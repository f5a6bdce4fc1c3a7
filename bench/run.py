"""Build-time and memory benchmark of the trilat plugin against a floor and two baselines.

For each corpus size N it builds, each in its own process:

- ours:  `mkdocs build` of the trilat project (Material, search, trilat);
- floor: bench/floor.py, front matter + Markdown + one Jinja template per briefing;
- plain: `mkdocs build` of the same files as ordinary pages kept out of the nav, no trilat;
- blog:  `mkdocs build` of the same briefings as mkdocs-material blog posts, with tags;
- languages (with --languages): `mkdocs build` of the trilat project as a site in English,
  Korean and Japanese, a share of its briefings (--translated) translated into each.

Then, once: the loader, validation and index alone at 10,000 briefings; a `mkdocs serve`
style rebuild at 1,000 after editing one briefing; a cProfile of `mkdocs build` at 1,000.

    python bench/run.py                # N = 100, 1000, 5000; 3 repeats
    python bench/run.py --quick        # N = 100, 1000; 1 repeat
    python bench/run.py --huge         # adds N = 10000
    python bench/run.py --preview      # adds edit → preview over HTTP (bench/preview.py) at each N
    python bench/run.py --sizes 1000 --builders ours languages --no-extras
                                       # three languages against one, at 1,000 briefings
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import inspect
import itertools
import json
import os
import platform
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import corpus  # noqa: E402

BUILDERS = ("ours", "floor", "plain", "blog", "languages")
# What a run builds unless told otherwise: the three-language build is asked for by name.
DEFAULT_BUILDERS = ("ours", "floor", "plain", "blog")
LABELS = {
    "ours": "trilat (ours)",
    "floor": "Python floor",
    "plain": "MkDocs, plain pages",
    "blog": "Material blog + tags",
    "languages": "trilat, en + ko + ja",
}
LAYOUT_OF = {
    "ours": "trilat",
    "floor": "trilat",
    "plain": "plain",
    "blog": "blog",
    "languages": corpus.LANGUAGE_LAYOUT,
}
SERVE_URL = "http://127.0.0.1:8000/"
MB = 1024 * 1024


# -- measuring a child process --------------------------------------------------------------


@dataclass
class Run:
    wall: float
    cpu: float
    peak_kb: int


class ChildFailed(RuntimeError):
    pass


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


# Linux starts a process's ru_maxrss at the peak RSS of the process that spawned it
# (exec records the replaced address space's high-water mark), so a child spawned by
# this runner, which holds whole corpora, would report the runner's peak as its own.
# A small launcher process spawns the build instead and reports its wait4 rusage.
_LAUNCHER = """
import json, os, subprocess, sys, time
log, cmd = sys.argv[1], sys.argv[2:]
with open(log, "wb") as out:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
cpu = usage.ru_utime + usage.ru_stime
print(json.dumps({"wall": wall, "cpu": cpu, "peak_kb": usage.ru_maxrss, "code": os.waitstatus_to_exitcode(status)}))
"""


def run_child(cmd: list[str], log: Path) -> Run:
    """Wall time from spawn to exit, and the build process's own peak RSS.

    The build writes to a file, never a pipe: a pipe would need reading while waiting.
    """
    launcher = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, str(log), *cmd],
        capture_output=True,
        text=True,
        env=child_env(),
        check=False,
    )
    if launcher.returncode != 0:
        raise ChildFailed(f"launcher failed for {' '.join(cmd)}:\n{launcher.stderr}")
    result = json.loads(launcher.stdout)
    if result["code"] != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise ChildFailed(f"{' '.join(cmd)} exited with {result['code']}:\n{tail}")
    return Run(result["wall"], result["cpu"], result["peak_kb"])  # KiB on Linux


def tree_bytes(root: Path) -> int:
    total = 0
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            total += os.lstat(os.path.join(dirpath, name)).st_size
    return total


# -- corpora ----------------------------------------------------------------------------


@dataclass
class Corpus:
    n: int
    root: Path
    briefings: list[corpus.Briefing]

    def project(self, layout: str) -> Path:
        return self.root / layout


def _stamp(n: int, seed: int, translated: float) -> str:
    digest = hashlib.sha256((BENCH / "corpus.py").read_bytes()).hexdigest()[:16]
    return f"{n} {seed} {translated} {digest}"


def prepare(
    work: Path,
    n: int,
    seed: int,
    layouts: tuple[str, ...] = corpus.LAYOUTS,
    translated: float = corpus.TRANSLATED,
) -> Corpus:
    """Generates once per size, seed and generator version; later runs reuse the files."""
    root = work / f"n{n}"
    orgs, people, briefings = corpus.generate(n, seed)
    stamp = root / "stamp.txt"
    if (
        not stamp.is_file()
        or stamp.read_text() != _stamp(n, seed, translated)
        or not all((root / layout / "mkdocs.yml").is_file() for layout in layouts)
    ):
        if root.exists():
            shutil.rmtree(root)
        for layout in layouts:
            corpus.write_layout(root / layout, layout, orgs, people, briefings, seed=seed, translated=translated)
        stamp.write_text(_stamp(n, seed, translated))
    return Corpus(n, root, briefings)


def translation_count(c: Corpus) -> int:
    """The translations in the three-language project (0 when it was not written)."""
    folder = c.project(corpus.LANGUAGE_LAYOUT) / "briefings"
    return sum(1 for language in corpus.LANGUAGES[1:] for _ in folder.rglob(f"*.{language}.md"))


def command(builder: str, c: Corpus) -> tuple[list[str], Path]:
    """The command line of one build and the folder it writes."""
    if builder == "floor":
        out = c.root / "floor-site"
        return [sys.executable, str(BENCH / "floor.py"), str(c.project("trilat")), str(out)], out
    project = c.project(LAYOUT_OF[builder])
    site = project / "site"
    cmd = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--clean",
        "-f",
        str(project / "mkdocs.yml"),
        "-d",
        str(site),
    ]
    return cmd, site


def briefing_pages(builder: str, c: Corpus, site: Path) -> list[Path]:
    """Where each layout writes the page of each briefing."""
    pages = []
    for b in c.briefings:
        if builder in ("ours", "languages"):
            pages.append(site / "briefings" / b.slug / "index.html")
        elif builder == "floor":
            pages.append(site / f"{b.slug}.html")
        elif builder == "plain":
            pages.append(site / "briefings" / b.year_dir / b.slug / "index.html")
        else:
            pages.append(site / "blog" / b.date.strftime("%Y/%m/%d") / b.slug / "index.html")
    missing = [p for p in pages if not p.is_file()]
    if missing:
        raise ChildFailed(f"{builder}: {len(missing)} briefing pages missing, e.g. {missing[0]}")
    return pages


@dataclass
class Result:
    builder: str
    n: int
    walls: list[float]
    cpus: list[float]
    peaks_kb: list[int]
    site_bytes: int
    page_bytes: float

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)

    @property
    def peak_mb(self) -> float:
        return max(self.peaks_kb) / 1024


def measure(builder: str, c: Corpus, repeat: int, logs: Path) -> Result:
    cmd, site = command(builder, c)
    runs = [run_child(cmd, logs / f"{builder}-{c.n}-{i}.log") for i in range(repeat)]
    pages = briefing_pages(builder, c, site)
    return Result(
        builder,
        c.n,
        [r.wall for r in runs],
        [r.cpu for r in runs],
        [r.peak_kb for r in runs],
        tree_bytes(site),
        statistics.fmean(p.stat().st_size for p in pages),
    )


# -- in-child measurements -----------------------------------------------------------------


def _build_index(briefings: Any, settings: Any, registry: Any) -> Any:
    from trilat_site.core.index import build_index

    # The registry argument arrived with the people and organisation pages.
    if len(inspect.signature(build_index).parameters) >= 3:
        return build_index(briefings, settings, registry)
    return build_index(briefings, settings)


def child_loader(project: Path) -> dict[str, Any]:
    """Loader + validation + index + page specs, timed phase by phase in a fresh process."""
    before_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    from trilat_site.core.loader import load_briefings
    from trilat_site.core.settings import SiteSettings
    from trilat_site.site.pages import site_pages

    settings = SiteSettings()
    after_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    loaded = load_briefings(project, settings)
    t1 = time.perf_counter()
    if loaded.errors:
        raise SystemExit(f"{len(loaded.errors)} errors, first: {loaded.errors[0]}")
    index = _build_index(loaded.briefings, settings, loaded.registry)
    t2 = time.perf_counter()
    specs = site_pages(index)
    t3 = time.perf_counter()
    return {
        "briefings": len(loaded.briefings),
        "pages": len(specs),
        "load_s": t1 - t0,
        "index_s": t2 - t1,
        "pages_s": t3 - t2,
        "index_total_s": t2 - t0,
        "total_s": t3 - t0,
        "rss_start_mb": before_import / 1024,
        "rss_after_import_mb": after_import / 1024,
        "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


@dataclass
class Timers:
    """Inclusive seconds and calls per label; Markdown time is also split by who asked for it."""

    seconds: dict[str, float] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    plugin_depth: int = 0

    def add(self, label: str, seconds: float) -> None:
        self.seconds[label] = self.seconds.get(label, 0.0) + seconds
        self.calls[label] = self.calls.get(label, 0) + 1

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()

    def wrap(self, label: str, fn: Callable[..., Any], *, plugin: bool = False) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            if plugin:
                self.plugin_depth += 1
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.add(label, time.perf_counter() - start)
                if plugin:
                    self.plugin_depth -= 1

        timed.__dict__.update(getattr(fn, "__dict__", {}))
        return timed


def _instrument(timers: Timers) -> None:
    """Wraps, in this process only, the functions whose time the rebuild is split into."""
    import markdown
    import mkdocs.commands.build as mk_build

    import trilat_site.mkdocs.plugin as plugin_module

    convert = markdown.Markdown.convert

    def timed_convert(self: markdown.Markdown, source: str) -> str:
        start = time.perf_counter()
        try:
            return convert(self, source)
        finally:
            spent = time.perf_counter() - start
            timers.add("markdown.convert (all)", spent)
            if timers.plugin_depth:
                timers.add("markdown.convert inside trilat events", spent)

    markdown.Markdown.convert = timed_convert  # type: ignore[method-assign]
    for name in ("_populate_page", "_build_page", "_build_theme_template"):
        if hasattr(mk_build, name):
            setattr(mk_build, name, timers.wrap(f"mkdocs.{name}", getattr(mk_build, name)))
    for name in ("load_briefings", "build_index", "site_pages"):
        if hasattr(plugin_module, name):
            setattr(
                plugin_module, name, timers.wrap(f"trilat on_files: {name}", getattr(plugin_module, name))
            )
    renderer = getattr(plugin_module, "Renderer", None)
    if renderer is not None and hasattr(renderer, "render"):
        renderer.render = timers.wrap("trilat Renderer.render (Jinja)", renderer.render)


def _time_events(config: Any, timers: Timers) -> None:
    """Wraps each registered plugin event of a loaded config, once per plugin instance."""
    plugins = config.plugins
    for event, methods in plugins.events.items():
        for i, method in enumerate(methods):
            if getattr(method, "_bench_timed", False):
                continue
            origin = plugins._event_origins.get(method, "?")
            is_ours = origin == "trilat"
            wrapped = timers.wrap(f"{origin}.on_{event}", method, plugin=is_ours)
            wrapped._bench_timed = True  # type: ignore[attr-defined]
            methods[i] = wrapped
            plugins._event_origins[wrapped] = origin


def _edit(path: Path, n: int) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text + f"\nAn editor's note added while previewing, revision {n}.\n", encoding="utf-8")


def _split(timers: Timers, wall: float) -> dict[str, Any]:
    seconds = dict(sorted(timers.seconds.items(), key=lambda kv: -kv[1]))
    ours = sum(s for label, s in seconds.items() if label.startswith("trilat.on_"))
    md_inside = seconds.get("markdown.convert inside trilat events", 0.0)
    return {
        "wall_s": wall,
        "trilat_events_s": ours,
        "trilat_outside_markdown_s": ours - md_inside,
        "markdown_s": seconds.get("markdown.convert (all)", 0.0),
        "seconds": seconds,
        "calls": dict(timers.calls),
    }


def child_serve(project: Path) -> dict[str, Any]:
    """What `mkdocs serve` does on a change: build, edit one briefing, build again."""
    timers = Timers()
    _instrument(timers)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site_dir = tempfile.mkdtemp(prefix="trilat-serve-")
    config_file = str(project / "mkdocs.yml")

    def get_config() -> Any:
        config = load_config(config_file=config_file, site_dir=site_dir)
        config.site_url = SERVE_URL
        return config

    briefings = project / "briefings"
    edited = [
        p
        for p in sorted(briefings.rglob("*.md"))
        if not any(part.startswith(("_", ".")) for part in p.relative_to(briefings).parts)
    ]
    target = edited[len(edited) // 2]
    original = target.read_bytes()
    out: dict[str, Any] = {"edited": str(target.relative_to(project))}
    try:
        config = get_config()
        config.plugins.on_startup(command="serve", dirty=False)
        _time_events(config, timers)
        start = time.perf_counter()
        build(config, serve_url=SERVE_URL)
        out["first_build"] = _split(timers, time.perf_counter() - start)

        # The same config object and plugin instances, as serve's first builder call keeps them.
        _edit(target, 1)
        timers.reset()
        start = time.perf_counter()
        build(config, serve_url=SERVE_URL)
        out["rebuild_same_config"] = _split(timers, time.perf_counter() - start)

        # What MkDocs 1.6 serve does on later changes: it reloads mkdocs.yml, and keeps a
        # plugin instance only if the plugin defines on_startup or on_shutdown.
        _edit(target, 2)
        config2 = get_config()
        out["plugin_instance_kept_on_reload"] = config2.plugins["trilat"] is config.plugins["trilat"]
        _time_events(config2, timers)
        timers.reset()
        start = time.perf_counter()
        build(config2, serve_url=SERVE_URL)
        out["rebuild_reloaded_config"] = _split(timers, time.perf_counter() - start)
    finally:
        target.write_bytes(original)
        shutil.rmtree(site_dir, ignore_errors=True)
    return out


def child_main(kind: str, project: Path) -> None:
    result = child_loader(project) if kind == "loader" else child_serve(project)
    print("BENCH-JSON " + json.dumps(result))


def loader_runs(project: Path, repeat: int, logs: Path) -> tuple[dict[str, Any], Run]:
    """The run with the median total; the first may read the files from disk, later ones from the page cache."""
    runs = [run_json_child("loader", project, logs / f"loader-{i}.log") for i in range(repeat)]
    runs.sort(key=lambda r: r[0]["index_total_s"])
    data, run = runs[(len(runs) - 1) // 2]
    data["totals_s"] = [r[0]["index_total_s"] for r in runs]
    data["rss_peak_mb"] = max(r[0]["rss_peak_mb"] for r in runs)
    return data, run


def run_json_child(kind: str, project: Path, log: Path) -> tuple[dict[str, Any], Run]:
    run = run_child([sys.executable, str(BENCH / "run.py"), "--child", kind, str(project)], log)
    for line in log.read_text().splitlines():
        if line.startswith("BENCH-JSON "):
            return json.loads(line[len("BENCH-JSON ") :]), run
    raise ChildFailed(f"{kind}: no result in {log}")


# -- profile -----------------------------------------------------------------------------


def _package(filename: str) -> str:
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins (C)"
    parts = Path(filename).parts
    if "site-packages" in parts:
        top = parts[parts.index("site-packages") + 1]
        return top.removesuffix(".py")
    if "trilat_site" in parts:
        return "trilat_site"
    if "lib" in parts and any(p.startswith("python3") for p in parts):
        return "stdlib"
    return parts[-1]


def profile(c: Corpus, work: Path, logs: Path) -> dict[str, Any]:
    prof = work / f"build-n{c.n}.prof"
    project = c.project("trilat")
    cmd = [
        sys.executable,
        "-m",
        "cProfile",
        "-o",
        str(prof),
        "-m",
        "mkdocs",
        "build",
        "-f",
        str(project / "mkdocs.yml"),
        "-d",
        str(project / "site"),
    ]
    run = run_child(cmd, logs / f"profile-{c.n}.log")
    stats = pstats.Stats(str(prof))
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for _, _, tt, _, _ in raw.values())
    by_package: dict[str, float] = {}
    for (filename, _, _), (_, _, tt, _, _) in raw.items():
        key = _package(filename)
        by_package[key] = by_package.get(key, 0.0) + tt

    def name(key: tuple[str, int, str]) -> str:
        filename, line, func = key
        return f"{func} ({_package(filename)}:{Path(filename).name}:{line})" if line else func

    top_self = sorted(raw.items(), key=lambda kv: -kv[1][2])[:20]
    ours = sorted(((k, v) for k, v in raw.items() if "trilat_site" in k[0]), key=lambda kv: -kv[1][3])[:20]
    return {
        "wall_s_profiled": run.wall,
        "total_self_s": total,
        "by_package": dict(sorted(by_package.items(), key=lambda kv: -kv[1])),
        "top_self": [(name(k), v[1], v[2], v[3]) for k, v in top_self],
        "trilat_cumulative": [(name(k), v[1], v[2], v[3]) for k, v in ours],
        "file": str(prof),
    }


# -- report -------------------------------------------------------------------------------


def _fmt_ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def size_table(results: dict[str, Result]) -> list[str]:
    lines = [
        "| build | wall s (median) | runs, wall s | CPU s (median) | peak RSS MB | site MB | KB per briefing page |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for builder in BUILDERS:
        r = results.get(builder)
        if r is None:
            continue
        runs = ", ".join(f"{w:.2f}" for w in r.walls)
        lines.append(
            f"| {LABELS[builder]} | {r.wall:.2f} | {runs} | {r.cpu:.2f} | {r.peak_mb:.0f} | "
            f"{r.site_bytes / MB:.1f} | {r.page_bytes / 1024:.1f} |"
        )
    ours, floor, plain, blog, languages = (results.get(b) for b in BUILDERS)
    notes = []
    if ours and languages:
        notes.append(f"three languages/one time **{_fmt_ratio(languages.wall, ours.wall)}**")
        notes.append(f"CPU {_fmt_ratio(languages.cpu, ours.cpu)}")
        notes.append(f"peak memory {_fmt_ratio(languages.peak_mb, ours.peak_mb)}")
    if ours and floor:
        notes.append(f"ours/floor time **{_fmt_ratio(ours.wall, floor.wall)}**")
    if ours and blog:
        notes.append(f"blog/ours time **{_fmt_ratio(blog.wall, ours.wall)}**")
    if ours and plain:
        notes.append(f"ours/plain time {_fmt_ratio(ours.wall, plain.wall)}")
        notes.append(f"ours/plain peak memory **{_fmt_ratio(ours.peak_mb, plain.peak_mb)}**")
    if notes:
        lines += ["", "; ".join(notes) + "."]
    return lines


def report(
    all_results: dict[int, dict[str, Result]],
    loader: tuple[dict[str, Any], Run] | None,
    serve: dict[str, Any] | None,
    prof: dict[str, Any] | None,
    meta: dict[str, str],
    argv: list[str],
) -> str:
    lines = [
        "# trilat build benchmark",
        "",
        f"Command: `python bench/run.py{' ' + ' '.join(argv) if argv else ''}`",
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in meta.items()),
        "",
        "Wall time is the whole process, start-up included; CPU is its user + system time, which other",
        "work on the machine disturbs less than wall time; peak RSS is the build process's ru_maxrss.",
    ]
    for n, results in sorted(all_results.items()):
        lines += ["", f"## N = {n}", "", *size_table(results)]
    sizes = sorted(all_results)
    if len(sizes) > 1:
        lines += ["", "## Scaling", ""]
        pairs = list(itertools.pairwise(sizes))
        for small, big in pairs:
            parts = []
            for builder in BUILDERS:
                a = all_results[small].get(builder)
                b = all_results[big].get(builder)
                if a and b:
                    parts.append(f"{LABELS[builder]} {b.wall / a.wall:.2f} (CPU {b.cpu / a.cpu:.2f})")
            lines.append(f"- t({big})/t({small}): " + "; ".join(parts))
    if loader is not None:
        data, run = loader
        lines += [
            "",
            f"## Loader + validation + index, N = {data['briefings']}",
            "",
            f"- load_briefings (reading, validation, cross-checks) {data['load_s']:.2f} s + "
            f"build_index {data['index_s']:.2f} s = **{data['index_total_s']:.2f} s** "
            f"(median; runs {', '.join(f'{t:.2f}' for t in data['totals_s'])})",
            f"- then site_pages, planning {data['pages']} pages from the index: {data['pages_s']:.2f} s "
            f"({data['total_s']:.2f} s in all)",
            f"- peak RSS **{data['rss_peak_mb']:.0f} MB** (after imports {data['rss_after_import_mb']:.0f} MB; "
            f"so {data['rss_peak_mb'] - data['rss_after_import_mb']:.0f} MB for the data); "
            f"whole process {run.wall:.2f} s",
        ]
    if serve is not None:
        lines += ["", "## Serve rebuild, N = 1000 (one briefing edited)", ""]
        lines.append(f"Edited: `{serve['edited']}`.")
        lines.append("")
        lines.append("| | wall s | trilat events s | trilat outside Markdown s | Markdown (all pages) s |")
        lines.append("| --- | ---: | ---: | ---: | ---: |")
        for key, label in (
            ("first_build", "first build"),
            ("rebuild_same_config", "rebuild, same config and plugin instance"),
            ("rebuild_reloaded_config", "rebuild as MkDocs 1.6 serve does it (mkdocs.yml reloaded)"),
        ):
            s = serve[key]
            lines.append(
                f"| {label} | {s['wall_s']:.2f} | {s['trilat_events_s']:.2f} | "
                f"{s['trilat_outside_markdown_s']:.2f} | {s['markdown_s']:.2f} |"
            )
        lines.append("")
        lines.append(
            f"Plugin instance kept when mkdocs.yml is reloaded: {serve['plugin_instance_kept_on_reload']}."
        )
        lines += ["", "Rebuild with the same config, inclusive seconds per step (steps nest):", ""]
        rebuild = serve["rebuild_same_config"]
        for label, seconds in list(rebuild["seconds"].items())[:16]:
            lines.append(f"- {label}: {seconds:.3f} s ({rebuild['calls'][label]} calls)")
    if prof is not None:
        lines += [
            "",
            "## cProfile of `mkdocs build`, N = 1000",
            "",
            f"Profiled wall time {prof['wall_s_profiled']:.1f} s; self time by package:",
            "",
        ]
        total = prof["total_self_s"]
        for pkg, seconds in list(prof["by_package"].items())[:10]:
            lines.append(f"- {pkg}: {seconds:.2f} s ({100 * seconds / total:.0f} %)")
        lines += [
            "",
            "Top self time:",
            "",
            "| function | calls | self s | cumulative s |",
            "| --- | ---: | ---: | ---: |",
        ]
        for fname, calls, tt, ct in prof["top_self"][:15]:
            lines.append(f"| `{fname}` | {calls} | {tt:.2f} | {ct:.2f} |")
        lines += ["", "trilat_site by cumulative time:", "", "| function | calls | self s | cumulative s |"]
        lines.append("| --- | ---: | ---: | ---: |")
        for fname, calls, tt, ct in prof["trilat_cumulative"][:15]:
            lines.append(f"| `{fname}` | {calls} | {tt:.2f} | {ct:.2f} |")
    return "\n".join(lines) + "\n"


def machine() -> dict[str, str]:
    # Asked of a child, so that --trilat-src (PYTHONPATH) is honoured exactly as in the builds.
    source = Path(
        subprocess.run(
            [sys.executable, "-c", "import trilat_site; print(trilat_site.__file__)"],
            capture_output=True,
            text=True,
            check=True,
            env=child_env(),
        ).stdout.strip()
    ).parent
    try:
        rev = subprocess.run(
            ["git", "-C", str(source), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        rev = "unknown"
    return {
        "CPU cores": str(os.cpu_count()),
        "Python": platform.python_version(),
        "MkDocs": importlib.metadata.version("mkdocs"),
        "Material": importlib.metadata.version("mkdocs-material"),
        "Markdown": importlib.metadata.version("markdown"),
        "trilat_site": f"{source} @ {rev}",
        "load average at start": f"{os.getloadavg()[0]:.2f}",
    }


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="N = 100 and 1000, one run each")
    parser.add_argument("--huge", action="store_true", help="also N = 10000")
    parser.add_argument("--repeat", type=int, default=3, help="runs per build; the median is reported")
    parser.add_argument("--sizes", type=int, nargs="+", help="corpus sizes, replacing the defaults")
    parser.add_argument("--builders", nargs="+", choices=BUILDERS, default=list(DEFAULT_BUILDERS))
    parser.add_argument(
        "--languages",
        action="store_true",
        help="also build the three-language site (the `languages` builder)",
    )
    parser.add_argument(
        "--translated",
        type=float,
        default=corpus.TRANSLATED,
        help="for the languages builder: each briefing's chance of a Korean, and of a Japanese, translation",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=BENCH / "out", help="corpora, sites, logs")
    parser.add_argument("--loader-n", type=int, default=10_000)
    parser.add_argument("--no-extras", action="store_true", help="skip the loader, serve and profile runs")
    parser.add_argument("--output", type=Path, help="also write the Markdown report here")
    parser.add_argument(
        "--preview",
        action="store_true",
        help="also edit → preview over HTTP at each N (bench/preview.py, make serve's command, one round)",
    )
    parser.add_argument(
        "--trilat-src",
        type=Path,
        help="benchmark the trilat_site package in this folder (e.g. an exported commit's src/)",
    )
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PROJECT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(args.child[0], Path(args.child[1]))
        return

    if args.trilat_src:
        paths = [str(args.trilat_src.resolve()), os.environ.get("PYTHONPATH", "")]
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    sizes = args.sizes or ([100, 1000] if args.quick else [100, 1000, 5000])
    if args.huge and 10_000 not in sizes:
        sizes.append(10_000)
    repeat = 1 if args.quick else args.repeat
    work: Path = args.work.resolve()
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    meta = machine()
    print("Machine: " + ", ".join(f"{k} {v}" for k, v in meta.items()), flush=True)

    all_results: dict[int, dict[str, Result]] = {}
    corpora: dict[int, Corpus] = {}
    builders = list(dict.fromkeys([*args.builders, *(["languages"] if args.languages else [])]))
    layouts = tuple(dict.fromkeys([*corpus.LAYOUTS, *(LAYOUT_OF[b] for b in builders)]))
    for n in sizes:
        c = corpora[n] = prepare(work, n, args.seed, layouts, args.translated)
        all_results[n] = {}
        if "languages" in builders:
            print(f"N={n}: {translation_count(c)} translations in the three-language site", flush=True)
        for builder in builders:
            r = measure(builder, c, repeat, logs)
            all_results[n][builder] = r
            print(f"N={n} {builder}: {r.wall:.2f} s, CPU {r.cpu:.2f} s, {r.peak_mb:.0f} MB", flush=True)
        print("\n".join(["", f"N = {n}", *size_table(all_results[n]), ""]), flush=True)

    loader = serve = prof = None
    if not args.no_extras:
        big = prepare(work, args.loader_n, args.seed, ("trilat",), args.translated)
        loader = loader_runs(big.project("trilat"), repeat, logs)
        print(
            f"loader at {args.loader_n}: {loader[0]['total_s']:.2f} s, {loader[0]['rss_peak_mb']:.0f} MB",
            flush=True,
        )
        mid = corpora.get(1000) or prepare(work, 1000, args.seed, translated=args.translated)
        serve, _ = run_json_child("serve", mid.project("trilat"), logs / "serve.log")
        print(
            "serve rebuild: "
            + json.dumps({k: v for k, v in serve["rebuild_same_config"].items() if k.endswith("_s")}),
            flush=True,
        )
        prof = profile(mid, work, logs)

    if args.preview:
        import preview

        found = [preview.run(n, args.seed, 1, preview.COMMAND, 600) for n in sizes]
        print("\n".join(["", "Edit → preview over HTTP (wall s; in brackets, done s and processor s):", *preview.table(found)]))

    # Other work on a shared machine shows up here before it shows up as noise in the medians.
    meta["load average at end"] = f"{os.getloadavg()[0]:.2f}"
    text = report(all_results, loader, serve, prof, meta, argv)
    print()
    print(text)
    (work / "results.md").write_text(text, encoding="utf-8")
    if args.output:
        args.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
