"""Two engines: MkDocs 1.6 and ProperDocs, the maintained fork of MkDocs 1.x, build the same site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SiteFactory, briefing

pytest.importorskip("properdocs", reason="ProperDocs is a test extra: pip install -e '.[test]'")

_GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_mkdocs_and_properdocs_build_the_same_site(site: SiteFactory, tmp_path: Path) -> None:
    site.write(
        {
            "briefings/alpha.md": briefing("Alpha", "2017-04-01", themes="[security, energy]", people="[ann]"),
            "briefings/2016/beta.md": briefing("Beta", "2016-05-01", body="See [Alpha](../alpha.md)."),
            "briefings/_data/people.yml": "- id: ann\n  name: Ann Example\n  native_name: 佐橋亮\n",
            "docs/about.md": "# About\n\nThe site's own page.\n",
        }
    )
    built = {}
    for engine in ("mkdocs", "properdocs"):
        result = site.run("build", "--strict", "--site-dir", str(tmp_path / engine), engine=engine)
        assert result.returncode == 0, f"{engine}:\n{result.stderr}"
        built[engine] = _tree(tmp_path / engine)

    mkdocs, properdocs = built["mkdocs"], built["properdocs"]
    assert set(mkdocs) == set(properdocs)
    assert len([name for name in mkdocs if name.startswith("briefings/")]) >= 2
    generators = {
        engine: {m.group() for page in files.values() for m in _GENERATOR.finditer(page)}
        for engine, files in built.items()
    }
    assert generators["mkdocs"] != generators["properdocs"], "each engine names itself"
    assert any(b"ProperDocs" in g for g in generators["properdocs"])
    differ = [
        name for name in mkdocs if _GENERATOR.sub(b"", mkdocs[name]) != _GENERATOR.sub(b"", properdocs[name])
    ]
    assert not differ, f"apart from the generator tag, these differ: {differ}"
