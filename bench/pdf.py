"""What the PDF editions cost: cold, warm, one briefing edited, and while serving.

On the benchmark's seeded corpus (bench/corpus.py), each build in its own process:

- without PDFs (`pdf: false`): the build the others are compared with;
- cold: PDFs on, empty cache; CPU per PDF is (cold CPU - CPU without PDFs) / N, counting the
  worker processes, and its wall time is that of every core busy;
- warm: PDFs on, every PDF in the cache;
- one edited: PDFs on, warm cache, one briefing changed before each build (one PDF made);
- serve (with --serve): `mkdocs serve`, one briefing edited, the time until the page served
  over HTTP shows the edit, with PDFs off and then on (the PDFs of the first build are being
  made in the background meanwhile).

    python bench/pdf.py                 # N = 1000, 3 runs of each warm build
    python bench/pdf.py --count 100     # a quick look
    python bench/pdf.py --serve         # adds the edit-to-preview times of mkdocs serve
    python bench/pdf.py --serve-only    # only those, on the corpus of an earlier run
    python bench/pdf.py --warm-only     # the warm builds again, on the corpus and cache of an earlier run
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import corpus  # noqa: E402
from run import Run, child_env, machine, run_child  # noqa: E402


def set_options(project: Path, **options: object) -> None:
    """Sets the trilat plugin's options in the corpus's mkdocs.yml (JSON, which is YAML)."""
    path = project / "mkdocs.yml"
    config = json.loads(path.read_text())
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "trilat" in plugin:
            plugin["trilat"].update(options)
    path.write_text(json.dumps(config, indent=2) + "\n")


def build(project: Path, log: Path) -> Run:
    cmd = [sys.executable, "-m", "mkdocs", "build", "--clean", "-f", str(project / "mkdocs.yml")]
    return run_child(cmd, log)


def edit(project: Path, slug: str, mark: str) -> Path:
    path = next((project / "briefings").rglob(f"{slug}.md"))
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\nEdited for the benchmark: {mark}.\n")
    return path


def made(log: Path) -> str:
    lines = [line for line in log.read_text().splitlines() if "PDF editions:" in line]
    return lines[-1].split("trilat: ")[-1] if lines else "no PDF line"


def serve_edit(project: Path, slug: str, logs: Path, label: str) -> float:
    """Seconds from saving an edit to the served page showing it (the median of three edits)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (logs / f"serve-{label}.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env=child_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
        # A process started in the background inherits SIGINT ignored: give it back, so
        # that SIGINT stops it as Ctrl-C does.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    url = f"http://127.0.0.1:{port}/briefings/{slug}/"
    try:
        deadline = time.monotonic() + 600
        while True:
            try:
                urllib.request.urlopen(url, timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"mkdocs serve did not come up: see {log.name}") from None
                time.sleep(0.5)
        times = []
        for _ in range(3):
            time.sleep(2)  # the watcher settles
            mark = f"{label}-{time.time_ns()}"
            start = time.perf_counter()
            edit(project, slug, mark)
            # A request made during a rebuild is answered when the rebuild is done.
            while mark not in urllib.request.urlopen(url, timeout=600).read().decode():
                if time.perf_counter() - start > 300:
                    raise RuntimeError("the edit never showed")
                time.sleep(0.05)
            times.append(time.perf_counter() - start)
        return statistics.median(times)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
        log.close()


def serve_times(project: Path, edited: str, logs: Path) -> str:
    set_options(project, pdf=False)
    off = serve_edit(project, edited, logs, "off")
    set_options(project, pdf=True)
    on = serve_edit(project, edited, logs, "on")
    return (
        f"mkdocs serve, a briefing edited, until the served page shows it: {off:.2f} s without PDFs, "
        f"{on:.2f} s with PDFs ({on - off:+.2f} s) while the first build's PDFs are made in the background."
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each warm build; the median is reported"
    )
    parser.add_argument("--workers", type=int, default=0, help="pdf_workers (0: one per core)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--serve", action="store_true", help="also time edit-to-preview under mkdocs serve")
    parser.add_argument(
        "--serve-only", action="store_true", help="only that, on the corpus of an earlier run"
    )
    parser.add_argument(
        "--warm-only", action="store_true", help="no cold build: the corpus and cache of an earlier run"
    )
    parser.add_argument("--work", type=Path, default=BENCH / "out" / "pdf")
    args = parser.parse_args(argv)

    work: Path = args.work.resolve()
    logs = work / "logs"
    project = work / f"n{args.count}"
    logs.mkdir(parents=True, exist_ok=True)
    if not ((args.serve_only or args.warm_only) and project.is_dir()):
        shutil.rmtree(project, ignore_errors=True)
        corpus.write_project(project, args.count, args.seed)
    cache = project / ".cache" / "trilat-pdf"
    slugs = sorted(p.stem for p in (project / "briefings").rglob("*.md") if not p.name.startswith("_"))
    edited = slugs[len(slugs) // 2]
    meta = machine()
    print("Machine: " + ", ".join(f"{k} {v}" for k, v in meta.items()), flush=True)
    if args.serve_only:
        print(serve_times(project, edited, logs))
        return

    set_options(project, pdf=False)
    build(project, logs / "warmup.log")  # file system caches, .pyc files
    cold = None
    if not args.warm_only:
        set_options(project, pdf=True, pdf_workers=args.workers)
        shutil.rmtree(cache, ignore_errors=True)
        cold = build(project, logs / "cold.log")
        print(f"cold: {cold.wall:.1f} s, CPU {cold.cpu:.1f} s; {made(logs / 'cold.log')}", flush=True)

    # In rounds, so that the load of a shared machine weighs on each kind of build alike.
    plain: list[Run] = []
    warm: list[Run] = []
    one: list[Run] = []
    for i in range(args.repeat):
        set_options(project, pdf=False)
        plain.append(build(project, logs / f"nopdf-{i}.log"))
        set_options(project, pdf=True, pdf_workers=args.workers)
        warm.append(build(project, logs / f"warm-{i}.log"))
        edit(project, edited, f"build {i}")
        one.append(build(project, logs / f"one-{i}.log"))
        print(
            f"round {i}: without PDFs {plain[-1].wall:.2f} s, warm {warm[-1].wall:.2f} s "
            f"({made(logs / f'warm-{i}.log')}), one edited {one[-1].wall:.2f} s ({made(logs / f'one-{i}.log')})",
            flush=True,
        )
    plain_wall = statistics.median(r.wall for r in plain)
    plain_cpu = statistics.median(r.cpu for r in plain)
    warm_wall = statistics.median(r.wall for r in warm)
    one_wall = statistics.median(r.wall for r in one)
    warm_cpu = statistics.median(r.cpu for r in warm)
    one_cpu = statistics.median(r.cpu for r in one)
    rows = [
        "| build | wall | CPU | over the build without PDFs |",
        "| --- | ---: | ---: | ---: |",
        f"| without PDFs | {plain_wall:.2f} s | {plain_cpu:.2f} s | — |",
        f"| warm, nothing changed | {warm_wall:.2f} s | {warm_cpu:.2f} s | "
        f"{(warm_wall - plain_wall) / plain_wall:+.1%} (CPU {(warm_cpu - plain_cpu) / plain_cpu:+.1%}) |",
        f"| warm, one briefing edited | {one_wall:.2f} s | {one_cpu:.2f} s | "
        f"{(one_wall - plain_wall) / plain_wall:+.1%} (CPU {(one_cpu - plain_cpu) / plain_cpu:+.1%}) |",
    ]
    if cold is not None:
        rows.insert(
            3, f"| cold, empty cache | {cold.wall:.1f} s | {cold.cpu:.1f} s | {cold.wall / plain_wall:.1f}× |"
        )
    lines = [f"N = {args.count}, pdf_workers = {args.workers or os.cpu_count()}", "", *rows, ""]
    if cold is not None:
        per_pdf = (cold.cpu - plain_cpu) / args.count
        lines.append(
            f"Cold: {per_pdf:.2f} s of CPU per PDF (all processes), "
            f"{cold.wall / args.count:.2f} s of wall time per PDF with every core busy."
        )
    if args.serve:
        lines.append(serve_times(project, edited, logs))
    meta["load average at end"] = f"{os.getloadavg()[0]:.2f}"
    lines += ["", "Machine: " + ", ".join(f"{k} {v}" for k, v in meta.items())]
    text = "\n".join(lines)
    print("\n" + text)
    (work / "results.md").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
