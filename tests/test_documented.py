"""The front matter and the registries, described once in `core/fields.py`, as the README and the
export's JSON Schema describe them: a key added in one place and not the others fails here."""

from __future__ import annotations

import json
import re
from pathlib import Path

from trilat_site.core import fields

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SCHEMA = json.loads((ROOT / "src" / "trilat_site" / "site" / "briefings.schema.json").read_text(encoding="utf-8"))


def _table(header: str) -> list[list[str]]:
    lines = README.splitlines()
    start = lines.index(header)
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def test_the_readme_front_matter_table_is_the_field_table() -> None:
    rows = _table("| key | required | what it holds |")
    assert [row[0].strip("`") for row in rows] == list(fields.FRONT_MATTER.keys)
    for row in rows:
        f = fields.FRONT_MATTER[row[0].strip("`")]
        assert row[1].startswith("yes") == f.required, row
        assert row[2] == f.doc, f"README says {row[2]!r} of {f.name}, fields.py says {f.doc!r}"


def test_the_readme_registry_table_names_every_registry_key() -> None:
    rows = _table("| registry | key | what it holds |")
    for registry, shape in (("people", fields.PERSON), ("organisations", fields.ORGANIZATION)):
        documented = {key for row in rows if row[0] == registry for key in re.findall(r"`(\w+)`", row[1])}
        assert documented == set(shape.keys), registry


def test_the_export_schema_describes_the_front_matter() -> None:
    briefing = SCHEMA["$defs"]["briefing"]["properties"]
    # Drafts are never exported, so `draft` is the one key the export leaves out.
    assert set(fields.FRONT_MATTER.keys) - {"draft"} <= set(briefing)
    for key, shape in (("sources", fields.SOURCE), ("authors", fields.AUTHOR), ("events", fields.EVENT)):
        assert set(briefing[key]["items"]["properties"]) == set(shape.keys), key
    assert "Git" in briefing["updated"]["description"]
