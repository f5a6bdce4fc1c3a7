"""The Python floor: the least work any Python site generator must do for these briefings.

Per briefing: split off the front matter and parse it with the C YAML loader, convert the
body with the `markdown` package and the site's extensions, render one small Jinja
template and write one HTML file. No validation, no cross-links, no theme, no search
index: a full build of the site is measured against this.

    python bench/floor.py bench/out/1000/trilat /tmp/floor-site
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

import markdown
import yaml
from jinja2 import Environment

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import MARKDOWN_EXTENSIONS

PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ meta.title }}</title>
<meta name="description" content="{{ meta.summary }}"></head>
<body>
<h1>{{ meta.title }}</h1>
<p><time>{{ meta.date }}</time> · {{ meta.themes | join(", ") }}</p>
<p>{{ meta.summary }}</p>
{{ content | safe }}
</body>
</html>
"""


def _extensions() -> tuple[list[str], dict[str, dict[str, object]]]:
    names: list[str] = []
    configs: dict[str, dict[str, object]] = {}
    for item in MARKDOWN_EXTENSIONS:
        if isinstance(item, dict):
            for name, config in item.items():
                names.append(name)
                configs[name] = config
        else:
            names.append(item)
    return names, configs


def briefing_files(root: Path) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(("_", ".")))
        found += [Path(dirpath) / f for f in sorted(filenames) if f.endswith(".md")]
    return found


def build(project: Path, out: Path) -> int:
    """Returns the number of pages written."""
    names, configs = _extensions()
    # One converter reset between files: MkDocs builds a new one per page, the floor need not.
    md = markdown.Markdown(extensions=names, extension_configs=configs)
    template = Environment(autoescape=True).from_string(PAGE)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    count = 0
    for path in briefing_files(project / "briefings"):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta = yaml.load(front, Loader=yaml.CSafeLoader)
        html = md.reset().convert(body)
        (out / f"{path.stem}.html").write_text(template.render(meta=meta, content=html), encoding="utf-8")
        count += 1
    return count


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("project", type=Path, help="a project folder written by corpus.py (trilat layout)")
    parser.add_argument("out", type=Path, help="output folder, replaced")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    count = build(args.project, args.out)
    print(f"floor: {count} pages in {time.perf_counter() - start:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
