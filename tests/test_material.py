"""The fence around mkdocs-material: our copies of its partials differ from the installed
Material only as `overrides.diff` records, and fixes to markup no partial reaches say when
their target has gone.

When Material is upgraded and a partial changed, `test_partials_differ_from_material_only_as_recorded`
fails. Re-apply the recorded changes to Material's new partials, check the site, then record the
new differences with:

    .venv/bin/python tests/test_material.py --write
"""

from __future__ import annotations

import difflib
import importlib.metadata
import logging
import sys
from pathlib import Path

import material

from conftest import briefing
from trilat_site.mkdocs import material as fence

UPSTREAM = Path(material.__file__).parent / "templates"
OURS = fence.overrides_dir()
RECORD = OURS.parent / "overrides.diff"


def differences(upstream: Path = UPSTREAM, ours: Path = OURS) -> str:
    """A unified diff from Material's partials to ours, file by file, in a stable order."""
    out = []
    for path in sorted(ours.rglob("*.html")):
        rel = path.relative_to(ours).as_posix()
        # A partial of our own, which Material's templates include by name, is all addition.
        source = upstream / rel
        theirs = source.read_text(encoding="utf-8").splitlines(keepends=True) if source.is_file() else []
        mine = path.read_text(encoding="utf-8").splitlines(keepends=True)
        out += difflib.unified_diff(theirs, mine, f"material/{rel}" if theirs else "/dev/null", f"trilat/{rel}")
    return "".join(out)


def test_partials_differ_from_material_only_as_recorded() -> None:
    expected = RECORD.read_text(encoding="utf-8")
    assert differences() == expected, (
        f"mkdocs-material {importlib.metadata.version('mkdocs-material')} changed a partial "
        "we ship a copy of (or our copy changed): re-apply the changes recorded in "
        f"{RECORD.name} and run `python tests/test_material.py --write` (see this file's docstring)"
    )


def test_a_change_in_material_is_caught(tmp_path: Path) -> None:
    changed = tmp_path / "material"
    for path in UPSTREAM.rglob("*.html"):
        target = changed / path.relative_to(UPSTREAM)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    nav = changed / "partials" / "nav.html"
    nav.write_text(nav.read_text(encoding="utf-8").replace("md-nav", "md-nav md-nav--new", 1), encoding="utf-8")
    assert differences(changed) != RECORD.read_text(encoding="utf-8")


def test_a_fix_whose_target_is_gone_says_so_once(caplog) -> None:  # type: ignore[no-untyped-def]
    fence._missed.clear()
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.trilat"):
        for _ in range(3):
            assert fence.tidy_page("<html><body>no toggles</body></html>") == "<html><body>no toggles</body></html>"
    notes = [r.getMessage() for r in caplog.records if "Material fix not applied" in r.getMessage()]
    assert len(notes) == 2, notes  # one per fix, however many pages
    fixed = fence.tidy_page('<input type="checkbox" id="__drawer" autocomplete="off">')
    assert fixed == '<input type="checkbox" id="__drawer">'


def test_the_theme_script_is_materials_own_but_for_the_alternate_lookup(site) -> None:
    result = site.build({"briefings/a.md": briefing("Alpha")})
    assert result.returncode == 0, result.stderr
    [ours] = (result.site / "assets" / "javascripts").glob("bundle.*.min.js")
    theirs = (UPSTREAM / "assets" / "javascripts" / ours.name).read_bytes()
    old, new = fence.ALTERNATE_LOOKUP
    # Byte for byte Material's, but for the one selector; the same length, so its map still fits.
    assert theirs.count(old) == 1, "Material's script changed: check quiet_alternate_lookups"
    assert ours.read_bytes() == theirs.replace(old, new) and len(old) == len(new)
    # A page's alternates (its feed here) match the selector Material's script had, not the new one.
    page = result.html("briefings/a")
    assert page.select("link[rel=alternate]") and not page.select(new.decode().strip('"'))


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    RECORD.write_text(differences(), encoding="utf-8")
    print(f"wrote {RECORD}")
