"""The package's shape, held by tests: four layers whose imports point down, with no cycles;
one URL scheme the templates never bypass; the front matter described once, in step with the
README and the export's JSON Schema; the plugin options and their defaults in one place."""

from __future__ import annotations

import ast
import dataclasses
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from trilat_site.core import fields
from trilat_site.core.model import Briefing
from trilat_site.core.settings import OPTIONS, SiteSettings

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "trilat_site"
TEMPLATES = ROOT / "templates"
README = (ROOT / "README.md").read_text(encoding="utf-8")

ENGINES = {"mkdocs", "properdocs", "material"}
# What each layer may import: itself, the layers below it, and these third-party packages.
LAYERS = {
    "core": ({"core"}, {"yaml"}),
    "site": ({"core", "site"}, {"jinja2", "markupsafe"}),
    "cli": ({"core", "site", "cli"}, {"click", "yaml"}),
    "mkdocs": ({"core", "site", "mkdocs"}, {"jinja2", "markupsafe", *ENGINES}),
}


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        yield ".".join(parts), path


def _imports(name: str, path: Path) -> Iterator[tuple[str, int, bool]]:
    """(module imported, line, at run time) for every import of a module; relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    for node in ast.walk(tree):
        runtime = id(node) not in typing_only
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno, runtime
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
                # `from .x import y` may name a module x.y or an attribute of x: both are given
                # as x.y, and whoever reads them knows which modules exist.
                for alias in node.names:
                    yield f"{module}.{alias.name}", node.lineno, runtime
            else:
                yield node.module or "", node.lineno, runtime


def test_every_module_belongs_to_a_layer() -> None:
    for name, _ in _modules():
        parts = name.split(".")
        assert len(parts) == 1 or parts[1] in LAYERS or parts[1] == "templates", name


def test_imports_point_down_and_only_the_adapter_knows_the_engine() -> None:
    wrong = []
    for name, path in _modules():
        parts = name.split(".")
        if len(parts) < 2 or parts[1] not in LAYERS:
            continue
        layers, third_party = LAYERS[parts[1]]
        for module, line, _ in _imports(name, path):
            top, _, rest = module.partition(".")
            if top == "trilat_site":
                layer = rest.split(".")[0]
                if layer and layer not in layers:
                    wrong.append(f"{path.relative_to(ROOT)}:{line}: {parts[1]} imports {module}")
            elif top in ENGINES | {"jinja2", "markupsafe", "click"} and top not in third_party:
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {parts[1]} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles_between_modules() -> None:
    modules = dict(_modules())
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for module, _, runtime in _imports(name, path):
            # `from .x import y` may name a module x.y or an attribute y of x.
            target = module if module in modules else module.rpartition(".")[0]
            if runtime and target in modules and target != name and not name.startswith(target + "."):
                graph[name].add(target)
    done: set[str] = set()

    def visit(node: str, trail: list[str]) -> None:
        if node in trail:
            raise AssertionError("import cycle: " + " → ".join([*trail[trail.index(node) :], node]))
        if node in done:
            return
        for nxt in sorted(graph[node]):
            visit(nxt, [*trail, node])
        done.add(node)

    for name in sorted(graph):
        visit(name, [])


def test_the_import_reader_sees_engine_and_upward_imports(tmp_path: Path) -> None:
    """The rules above are not vacuous: an engine import, or a relative import upwards, is found."""
    path = tmp_path / "probe.py"
    path.write_text("from mkdocs.plugins import BasePlugin\nfrom ..site import urls\n")
    found = [m for m, _, _ in _imports("trilat_site.core.probe", path)]
    assert found == ["mkdocs.plugins", "trilat_site.site.urls"]


# -- one URL scheme -------------------------------------------------------------------------

# Paths the URL scheme owns; a template that writes one builds a URL behind its back.
_LITERAL_PATHS = re.compile(
    r"""['"/](briefings|themes|countries|people|organizations|tags|about|sources|timeline|coverage|page)/"""
    r"""|feed\.xml|briefings(\.csl|\.schema)?\.json|url\(['"]"""
)


_COMMENTS = re.compile(r"\{#.*?#\}|/\*.*?\*/", re.S)


def test_templates_never_spell_out_a_path() -> None:
    found = []
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix not in (".html", ".js", ".xml", ".css"):
            continue
        # Comments explain; they do not link. Blanked out line for line, so numbers hold.
        text = _COMMENTS.sub(lambda m: "\n" * m.group().count("\n"), path.read_text(encoding="utf-8"))
        for n, line in enumerate(text.splitlines(), start=1):
            if _LITERAL_PATHS.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not found, "use the link.* helpers of site/urls.py:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "line", ["<a href=\"{{ url('briefings/' ~ b.slug) }}\">", 'href="{{ base }}feed.xml"', "fetch('briefings.json')"]
)
def test_the_path_check_catches_concatenated_urls(line: str) -> None:
    assert _LITERAL_PATHS.search(line)


# -- one description of the front matter ------------------------------------------------------


def _readme_table(heading: str) -> list[list[str]]:
    """Rows of the first Markdown table after a line that starts with `heading`."""
    lines = README.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    rows = []
    for line in lines[start:]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:
            break
    return [row for row in rows[2:]]


def test_the_front_matter_table_of_the_readme_is_the_field_table() -> None:
    rows = _readme_table("| key | required | what it holds |")
    shape = fields.FRONT_MATTER
    assert [row[0].strip("`") for row in rows] == list(shape.keys)
    for row in rows:
        field = shape[row[0].strip("`")]
        assert row[1].startswith("yes") == field.required, row
        assert row[2] == field.doc, f"README says {row[2]!r} of {field.name}, fields.py says {field.doc!r}"


def test_the_readme_registry_table_names_every_registry_key() -> None:
    rows = _readme_table("| registry | key | what it holds |")
    for registry, shape in (("people", fields.PERSON), ("organisations", fields.ORGANIZATION)):
        documented = {key for row in rows if row[0] == registry for key in re.findall(r"`(\w+)`", row[1])}
        assert documented == set(shape.keys), registry


def test_records_are_made_from_their_shapes() -> None:
    for shape in (fields.FRONT_MATTER, fields.SOURCE, fields.AUTHOR, fields.EVENT, fields.PERSON, fields.ORGANIZATION):
        names = {f.name for f in dataclasses.fields(shape.build)}
        assert set(shape.keys) <= names, shape.name
    # A briefing record holds the front matter and where it came from, nothing else.
    assert {f.name for f in dataclasses.fields(Briefing)} == {*fields.FRONT_MATTER.keys, "path", "src_rel"}


def test_the_export_schema_describes_the_front_matter() -> None:
    schema = json.loads((PACKAGE / "site" / "briefings.schema.json").read_text(encoding="utf-8"))
    briefing = schema["$defs"]["briefing"]["properties"]
    # Drafts are never exported, so `draft` is the one key the export leaves out.
    assert set(fields.FRONT_MATTER.keys) - {"draft"} <= set(briefing)
    for key, shape in (("sources", fields.SOURCE), ("authors", fields.AUTHOR), ("events", fields.EVENT)):
        assert set(briefing[key]["items"]["properties"]) == set(shape.keys), key
    assert "Git" in briefing["updated"]["description"]


# -- one place for the options -------------------------------------------------------------------


def test_the_options_table_of_the_readme_is_the_settings() -> None:
    rows = _readme_table("| option | default | what it does |")
    assert [row[0].strip("`") for row in rows] == [o.name for o in OPTIONS]
    defaults = SiteSettings()
    for row, option in zip(rows, OPTIONS, strict=True):
        value = getattr(defaults, option.name)
        if isinstance(value, bool):
            shown = "`true`" if value else "`false`"
        elif isinstance(value, int | str):
            shown = f"`{value}`"
        else:
            shown = row[1]  # lists: the README names them in words
        assert row[1] == shown, f"README gives {row[1]} as the default of {option.name}"
        assert row[2] == option.metadata["doc"], option.name


def test_the_mkdocs_config_is_made_from_the_settings() -> None:
    from trilat_site.mkdocs.config import TrilatConfig

    schema = dict(TrilatConfig._schema)  # type: ignore[attr-defined]
    assert list(schema) == [o.name for o in OPTIONS]
    for option in OPTIONS:
        default = schema[option.name].default
        # Lists and mappings are absent unless given; settings_from_options gives their defaults.
        if option.name not in ("themes", "countries", "languages", "site_translations"):
            assert default == option.default, option.name
