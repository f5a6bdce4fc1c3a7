"""Hostile bodies, timed: each is refused quickly, and bodies at every limit build in bounded time.

    .venv/bin/python bench/hostile.py            # every shape, one build each
    .venv/bin/python bench/hostile.py --check    # also `trilat check` on 1,000 benchmark briefings

For each pathological body of the README's "Limits" table it prints the time the source
check takes and the wall time and peak memory of `mkdocs build` of a one-briefing site
(refused); then the same for bodies just inside each limit (built). Builds run one at a
time in child processes with a timeout, so a regression shows as a TIMEOUT, not a hang.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from trilat_site.core import bodycheck  # noqa: E402

B = bodycheck
REFUSED = {
    "[ * 16000 + ]( * 10": "[" * 16000 + "](" * 10,
    "<div> * 40000": "<div>" * 40000,
    "'- ' * 500 + item": "- " * 500 + "item",
    "'1. ' * 600": "1. " * 600,
    "* * 3000 + a + * * 3000": "*" * 3000 + "a" + "*" * 3000,
    "600 nested admonitions": "".join("    " * i + "!!! note\n\n" for i in range(600)),
    "2,000 tab-nested list items": "".join("\t" * i + "- x\n" for i in range(2000)),
    "1.8 MB of headings": "## h\n\n" * 300_000,
    "1.9 MB of footnotes": "".join(f"x[^{i}]\n\n[^{i}]: n\n\n" for i in range(100_000)),
    "1.9 MB of [": "[" * 1_900_000,
    "' <a word' * 20000": " <a word" * 20000,
    "1,199 backtick runs": "".join("`" * i + " x " for i in range(1, 1200)),
    "400 unclosed fences + 200 KB": "".join("`" * (3 + i) + "\nx\n\n" for i in range(400)) + "word " * 40000,
}
AT_LIMIT = {
    f"nesting {B.MAX_NESTING} x 900": "".join("    " * i + "- x\n" for i in range(B.MAX_NESTING)) * 900,
    f"{B.MAX_HEADINGS} headings": "".join(f"## Heading {i}\n\nText.\n\n" for i in range(B.MAX_HEADINGS)),
    f"{B.MAX_FOOTNOTES // 2} footnotes": "".join(f"x[^{i}]\n\n[^{i}]: n\n\n" for i in range(B.MAX_FOOTNOTES // 2)),
    f"{B.MAX_EMPHASIS} emphasis markers": "*a " * (B.MAX_EMPHASIS // 2) + "b" + " c*" * (B.MAX_EMPHASIS // 2),
    f"HTML depth {B.MAX_HTML_DEPTH} x 2,000": ("<div>" * B.MAX_HTML_DEPTH + "x" + "</div>" * B.MAX_HTML_DEPTH + "\n\n")
    * 2000,
    "bracket work at the limit": "[" * 1400,
    "1.9 MB of plain paragraphs": ("word " * 80 + "\n\n") * 4700,
}
FRONT = "---\ntitle: T\ndate: 2017-01-01\nsummary: S.\nthemes: [security]\nsources: [{title: X}]\n---\n\n"
YML = "site_name: Hostile\nsite_url: https://example.org/\ntheme:\n  name: material\nplugins:\n  - search\n  - trilat\n"


def build(body: str, timeout: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "docs").mkdir()
        (root / "briefings").mkdir()
        (root / "mkdocs.yml").write_text(YML)
        (root / "briefings" / "x.md").write_text(FRONT + body, encoding="utf-8")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, env=env, capture_output=True, timeout=timeout
            )
        except subprocess.TimeoutExpired:
            return f"TIMEOUT after {timeout} s"
        wall = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        return f"{'built' if proc.returncode == 0 else 'refused'} in {wall:5.1f} s (peak RSS of any build so far {peak} MB)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timeout", type=int, default=120)
    parser.add_argument("--check", action="store_true", help="time trilat check on 1,000 benchmark briefings")
    args = parser.parse_args()
    for title, cases in (("refused", REFUSED), ("at the limit", AT_LIMIT)):
        print(f"\n{title}:")
        for name, body in cases.items():
            start = time.perf_counter()
            issues = bodycheck.check_body(body)
            check = time.perf_counter() - start
            errors = [i.message for i in issues if i.severity.value == "error"]
            print(f"  {name:34} {len(body.encode()) / 1e6:5.2f} MB  check {check * 1000:7.1f} ms  "
                  f"{'refused' if errors else 'passes '}  build: {build(body, args.timeout)}")  # fmt: skip
    if args.check:
        sys.path.insert(0, str(HERE))
        import corpus

        with tempfile.TemporaryDirectory() as tmp:
            project = corpus.write_project(Path(tmp) / "c", 1000, seed=7)
            trilat = str(Path(sys.executable).with_name("trilat"))
            times = []
            for _ in range(5):
                start = time.perf_counter()
                subprocess.run([trilat, "check"], cwd=project, capture_output=True, check=True)
                times.append(time.perf_counter() - start)
            print(f"\ntrilat check, 1,000 briefings: median {sorted(times)[2]:.2f} s of 5 runs")


if __name__ == "__main__":
    main()
