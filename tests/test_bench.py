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


def test_the_three_language_corpus_adds_valid_translations_to_the_same_originals(tmp_path: Path) -> None:
    generate(tmp_path / "one", 40)
    for name in ("a", "b"):
        subprocess.run(
            [sys.executable, str(BENCH / "corpus.py"), str(tmp_path / name), "--count", "40",
             "--layout", "trilat-languages", "--translated", "0.5"],
            check=True,
            capture_output=True,
        )
    settings = SiteSettings(languages=("en", "ko", "ja"))
    corpus = load_briefings(tmp_path / "a", settings)
    assert [str(p) for p in corpus.errors + corpus.warnings] == []
    translations = [b for b in corpus.briefings if b.is_translation]
    assert {b.language for b in translations} == {"ko", "ja"} and 20 <= len(translations) <= 60
    # The originals are the one-language corpus's, byte for byte; the same seed, the same files.
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one" / "briefings").rglob("*.md")}
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a" / "briefings").rglob("*.md")}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b" / "briefings").rglob("*.md")}
    assert {k: v for k, v in a.items() if not k.name.endswith((".ko.md", ".ja.md"))} == one
    assert a == b
