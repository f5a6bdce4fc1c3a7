"""Edit → preview, measured as an editor meets it: save a file, then read the page over HTTP.

For a synthetic corpus of N briefings (bench/corpus.py), this starts the preview server
(`mkdocs serve` by default), waits until the home page is served (the first build), then
makes five kinds of edit in turn and, for each, polls the page the edit shows on until the
change is there:

- title:    a briefing's title changes; its page shows the new title;
- new:      a briefing is added; its page appears;
- delete:   that briefing is removed; its page answers 404 and the briefings list drops it;
- registry: a person's name changes in _data/people.yml; their page shows the new name;
- template: the site's own templates/briefing.html changes; a briefing page shows the change.

Each time runs from the moment the file is written to the first response that shows the
change, so it includes noticing the change, rebuilding and serving. Beside it: when the server
was done with the edit (work it does after serving the page, such as writing the search
index, included), and the processor seconds its processes (the server, its workers, Pagefind)
spent on the edit: on a shared machine they say more than the wall time does. Each edit starts
once the server is idle. Nothing here depends on the
project's code: any command that serves the project on a port can be measured.

    python bench/preview.py --count 1000                    # mkdocs serve --dirty (make serve), three rounds
    python bench/preview.py --count 5000 --rounds 1
    python bench/preview.py --count 1000 --no-search        # the site built with search: false
    python bench/preview.py --count 1000 --command "mkdocs serve"   # every page rebuilt on each change
    python bench/preview.py --count 1000 --command "properdocs serve --dirty"
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import corpus  # noqa: E402

KINDS = ("title", "new", "delete", "registry", "template")
POLL = 0.02
# The server is idle once its processes use under IDLE_CPU processor seconds per IDLE_POLL
# for IDLE_QUIET seconds.
IDLE_POLL, IDLE_CPU, IDLE_QUIET = 0.1, 0.02, 0.5
COMMAND = "mkdocs serve --dirty"
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def _wait(check: Callable[[], bool], timeout: float) -> float:
    """Seconds until `check()` holds, polling; raises if it never does."""
    start = time.perf_counter()
    while not check():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the change never showed")
        time.sleep(POLL)
    return time.perf_counter() - start


def _cpu_seconds(root: int) -> float:
    """Processor seconds of a process and every live descendant, and of the children they reaped (Linux)."""
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        times[pid] = sum(int(f) for f in fields[11:15]) / _TICKS
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0.0)
        todo += children.get(pid, [])
    return total


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())


class Preview:
    """A preview server on a project, and the edits an editor makes to it."""

    def __init__(self, project: Path, command: str, timeout: float) -> None:
        self.project = project
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.timeout = timeout
        argv = [*shlex.split(command), "-a", f"127.0.0.1:{self.port}"]
        if argv[0] in ("mkdocs", "properdocs"):
            argv = [sys.executable, "-m", *argv]
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        self.log = project.parent / "serve.log"
        started = time.perf_counter()
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                argv, cwd=project, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
            )
        _wait(lambda: _get(self.base)[0] == 200, timeout)
        self.first_build = time.perf_counter() - started
        self.first_cpu = self.cpu()
        self.cpu_spent: dict[str, list[float]] = {}
        self.settled: dict[str, list[float]] = {}

    def cpu(self) -> float:
        return _cpu_seconds(self.process.pid)

    def close(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)

    def shows(self, path: str, text: str) -> Callable[[], bool]:
        def check() -> bool:
            status, body = _get(self.base + path)
            return status == 200 and text in body

        return check

    def gone(self, path: str) -> Callable[[], bool]:
        return lambda: _get(self.base + path)[0] == 404

    def idle(self, since: float) -> float:
        """Seconds from `since` (a perf_counter) to the last moment the server was still working:
        it counts as done once its processes use no processor time for half a second."""
        busy_until, last = time.perf_counter(), self.cpu()
        while True:
            time.sleep(IDLE_POLL)
            now = self.cpu()
            if now - last > IDLE_CPU:
                busy_until, last = time.perf_counter(), now
            elif time.perf_counter() - busy_until >= IDLE_QUIET:
                return max(0.0, busy_until - since)

    def timed(self, kind: str, edit: Callable[[], None], check: Callable[[], bool]) -> float:
        # Whatever the server still does from the last edit (a PDF, say) is not this edit's.
        self.idle(time.perf_counter())
        before = self.cpu()
        start = time.perf_counter()
        edit()
        try:
            spent = _wait(check, self.timeout)
        except TimeoutError:
            tail = self.log.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise TimeoutError(f"{kind}: the change never showed; the server said:\n{tail}") from None
        self.settled.setdefault(kind, []).append(max(spent, self.idle(start)))
        self.cpu_spent.setdefault(kind, []).append(self.cpu() - before)
        return spent


def _briefing_files(project: Path) -> list[Path]:
    return sorted(p for p in (project / "briefings").rglob("*.md") if not p.name.startswith("_"))


def _slug(path: Path) -> str:
    match = re.search(r"^slug: (\S+)$", path.read_text(encoding="utf-8"), re.M)
    return match.group(1) if match else path.stem


def measure_round(preview: Preview, project: Path, n: int) -> dict[str, float]:
    times: dict[str, float] = {}
    target = _briefing_files(project)[n]
    slug = _slug(target)
    text = target.read_text(encoding="utf-8")
    title = f"Edited title {n} {time.time_ns()}"
    times["title"] = preview.timed(
        "title",
        lambda: _write(target, re.sub(r"^title: .*$", f'title: "{title}"', text, count=1, flags=re.M)),
        preview.shows(f"briefings/{slug}/", title),
    )

    new = target.with_name(f"zz-new-{n}.md")
    new_title = f"A new briefing {n} {time.time_ns()}"
    new_text = re.sub(r"^slug: .*\n", "", text, flags=re.M)
    new_text = re.sub(r"^title: .*$", f'title: "{new_title}"', new_text, count=1, flags=re.M)
    new_text = re.sub(r"^related:\n(?:  - .*\n)*", "", new_text, count=1, flags=re.M)
    times["new"] = preview.timed("new", lambda: _write(new, new_text), preview.shows(f"briefings/zz-new-{n}/", new_title))

    def deleted() -> bool:
        return preview.gone(f"briefings/zz-new-{n}/")() and new_title not in _get(preview.base + "briefings/")[1]

    times["delete"] = preview.timed("delete", lambda: new.unlink(), deleted)

    people = project / "briefings" / "_data" / "people.yml"
    registry = people.read_text(encoding="utf-8")
    match = re.search(r"^- id: (\S+)\n  name: (.+)$", registry, re.M)
    assert match, "people.yml holds no person"
    person, name = match.group(1), match.group(2).strip().strip('"')
    renamed = f"{name} Edited{n}"
    times["registry"] = preview.timed(
        "registry",
        lambda: _write(people, registry.replace(match.group(0), f"- id: {person}\n  name: {renamed}", 1)),
        preview.shows(f"people/{person}/", renamed),
    )

    template = project / "templates" / "briefing.html"
    marker = f"<p class=\"bench-marker\">revision {n} {time.time_ns()}</p>"
    base = template.read_text(encoding="utf-8")
    base = re.sub(r'<p class="bench-marker">[^<]*</p>\n', "", base)
    times["template"] = preview.timed(
        "template",
        lambda: _write(template, marker + "\n" + base), preview.shows(f"briefings/{slug}/", marker)
    )
    return times


def run(count: int, seed: int, rounds: int, command: str, timeout: float, search: bool = True) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="trilat-preview-") as tmp:
        project = corpus.write_project(Path(tmp) / "project", count, seed, "trilat")
        if not search:
            config = project / "mkdocs.yml"
            config.write_text(config.read_text().replace('"pdf": false', '"pdf": false, "search": false'))
        # The site's own copy of a template, to edit as a site maintainer would.
        from trilat_site.site.render import builtin_templates

        _write(project / "templates" / "briefing.html", (builtin_templates() / "briefing.html").read_text("utf-8"))
        preview = Preview(project, command, timeout)
        try:
            rounds_done = [measure_round(preview, project, n) for n in range(rounds)]
        finally:
            preview.close()
    medians = {kind: statistics.median(r[kind] for r in rounds_done) for kind in KINDS}
    cpu = {kind: statistics.median(preview.cpu_spent[kind]) for kind in KINDS}
    settled = {kind: statistics.median(preview.settled[kind]) for kind in KINDS}
    return {
        "count": count,
        "first_build": preview.first_build,
        "first_cpu": preview.first_cpu,
        "rounds": rounds_done,
        "median": medians,
        "settled": settled,
        "cpu": cpu,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, action="append", help="briefings (repeat for several); default 1000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3, help="edits of each kind, in turn; the median is shown")
    parser.add_argument("--command", default=COMMAND, help="the preview server, without its address")
    parser.add_argument("--no-search", dest="search", action="store_false", help="build with search: false")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args(argv)
    for line in table([run(n, args.seed, args.rounds, args.command, args.timeout, args.search) for n in args.count or [1000]]):
        print(line, flush=True)


def table(results: list[dict[str, object]]) -> list[str]:
    """Wall time from saving to the change showing, median of the rounds; in brackets, when the
    server was done with the edit and the processor seconds it spent."""
    lines = [
        f"| N | first build served | {' | '.join(KINDS)} | slowest / first build |",
        f"| ---: | ---: | {' | '.join('---:' for _ in KINDS)} | ---: |",
    ]
    for result in results:
        medians, cpu, settled = result["median"], result["cpu"], result["settled"]
        assert isinstance(medians, dict) and isinstance(cpu, dict) and isinstance(settled, dict)
        first = float(result["first_build"])  # type: ignore[arg-type]
        first_cpu = float(result["first_cpu"])  # type: ignore[arg-type]
        cells = " | ".join(f"{medians[k]:.2f} s ({settled[k]:.1f} s, {cpu[k]:.1f})" for k in KINDS)
        ratio = max(medians.values()) / first
        lines.append(f"| {result['count']:,} | {first:.1f} s ({first_cpu:.1f}) | {cells} | {ratio:.2f} |")
    return lines


if __name__ == "__main__":
    main()
