"""The benchmark's corpus generator writes valid, reproducible projects (the benchmark itself runs on demand)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from trilat_site.core.loader import load_briefings
from trilat_site.core.settings import SiteSettings

BENCH = Path(__file__).resolve().parents[1] / "bench"


def generate(dest: Path, count: int, layout: str = "trilat") -> None:
    subprocess.run(
        [sys.executable, str(BENCH / "corpus.py"), str(dest), "--count", str(count), "--layout", layout],
        check=True,
        capture_output=True,
    )


def test_generated_briefings_are_valid_and_the_same_for_the_same_seed(tmp_path: Path) -> None:
    generate(tmp_path / "a", 30)
    generate(tmp_path / "b", 30)
    corpus = load_briefings(tmp_path / "a", SiteSettings())
    assert [str(p) for p in corpus.errors] == []
    assert len(corpus.briefings) == 30
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a)


def test_generated_project_builds(tmp_path: Path) -> None:
    generate(tmp_path / "p", 12)
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=tmp_path / "p",
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(list((tmp_path / "p" / "site" / "briefings").glob("*/index.html"))) == 12
