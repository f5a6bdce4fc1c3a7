"""Tiny sites in temporary folders, built with the real `mkdocs build`."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from trilat_site.core.model import Briefing

MKDOCS_YML = """\
site_name: Test Site
site_url: https://example.org/site/
theme:
  name: material
  features: [navigation.tabs, navigation.indexes]
plugins:
  - trilat:
{plugin_options}
"""


def record(slug: str, day: int, themes: tuple[str, ...] = ("security",), **kw: Any) -> Briefing:
    """A validated briefing record, for tests of the index and rendering without files."""
    return Briefing(
        path=f"briefings/{slug}.md",
        src_rel=f"{slug}.md",
        slug=slug,
        title=kw.pop("title", slug.upper()),
        date=dt.date(2017, 1, 1) + dt.timedelta(days=day),
        summary="S.",
        themes=tuple(themes),
        **kw,
    )


def briefing(
    title: str = "A briefing",
    date: str = "2017-04-01",
    summary: str = "It finds one thing.",
    themes: str = "[security]",
    body: str = "Some body text.",
    sources: str = "\n  - title: A source\n    publisher: A publisher",
    **extra: str,
) -> str:
    """A valid briefing file; `extra` adds front matter lines verbatim (key: value)."""
    lines = [
        "---",
        f"title: {title}",
        f"date: {date}",
        f"summary: {summary}",
        f"themes: {themes}",
    ]
    if sources:
        lines.append(f"sources: {sources}")
    lines += [f"{k}: {v}" for k, v in extra.items()]
    return "\n".join(lines) + "\n---\n\n" + body + "\n"


@dataclass
class Result:
    root: Path
    returncode: int
    stdout: str
    stderr: str

    @property
    def site(self) -> Path:
        return self.root / "site"

    def html(self, url_path: str) -> BeautifulSoup:
        path = (
            self.site / url_path.strip("/") / "index.html"
            if not url_path.endswith(".html")
            else (self.site / url_path)
        )
        assert path.is_file(), f"{path} was not built; stderr:\n{self.stderr}"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def content(self, url_path: str) -> BeautifulSoup:
        article = self.html(url_path).select_one("article.md-content__inner")
        assert article is not None
        return article


class SiteFactory:
    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, files: dict[str, str | bytes], options: str = "") -> Path:
        (self.root / "docs").mkdir(parents=True, exist_ok=True)
        (self.root / "briefings").mkdir(parents=True, exist_ok=True)
        options = textwrap.dedent(options)
        if not re.search(r"^pdf\s*:", options, re.MULTILINE):
            # A PDF takes a second to make: only the tests about PDFs make them.
            options = options.rstrip("\n") + "\npdf: false"
        plugin_options = textwrap.indent(options.strip("\n"), "      ")
        (self.root / "mkdocs.yml").write_text(MKDOCS_YML.format(plugin_options=plugin_options))
        for name, content in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return self.root

    def build(self, files: dict[str, str | bytes], options: str = "", *args: str) -> Result:
        self.write(files, options)
        return self.run("build", *args)

    def run(self, *args: str, engine: str = "mkdocs") -> Result:
        """`mkdocs ARGS` in the site's folder, or the same command of another engine (properdocs)."""
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
        proc = subprocess.run(
            [sys.executable, "-m", engine, *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        return Result(self.root, proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def site(tmp_path: Path) -> SiteFactory:
    return SiteFactory(tmp_path / "proj")
