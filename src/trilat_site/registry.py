"""The entity registries: `_data/people.yml` and `_data/organizations.yml` in the briefings folder."""

from __future__ import annotations

from pathlib import Path

from .model import Organization, Person, Registry, SiteSettings
from .problems import Problem, did_you_mean, one_of
from .schema import SLUG_RE
from .textfile import decode
from .yamltree import YamlProblem, YList, YMap, YScalar, parse_tree

DATA_DIR = "_data"
PEOPLE_FILE = "people.yml"
ORGANIZATIONS_FILE = "organizations.yml"
MAX_REGISTRY_BYTES = 4 * 1024 * 1024

ORGANIZATION_KEYS = ("id", "name", "short_name", "native_name", "country", "description")
PERSON_KEYS = ("id", "name", "role", "organization", "native_name", "description")


def _entries(
    path: Path, rel: str, keys: tuple[str, ...], problems: list[Problem]
) -> list[tuple[int, dict[str, tuple[int, str]]]]:
    """Each entry as (line, {key: (line, text)}), with every problem of the file recorded."""
    if path.is_symlink() or (path.parent.is_symlink() and path.exists()):
        # Following it could read any file on the machine into the site's messages.
        problems.append(Problem(rel, 1, "is a symbolic link: keep the registry as a regular file here"))
        return []
    if not path.is_file():
        return []
    with path.open("rb") as stream:
        data = stream.read(MAX_REGISTRY_BYTES + 1)
    if len(data) > MAX_REGISTRY_BYTES:
        problems.append(Problem(rel, 1, "is larger than 4 MiB: split it"))
        return []
    text = decode(data)
    if isinstance(text, tuple):
        problems.append(Problem(rel, *text))
        return []
    try:
        root = parse_tree(text, max_bytes=MAX_REGISTRY_BYTES)
    except YamlProblem as exc:
        problems.append(Problem(rel, exc.line, exc.message))
        return []
    if root is None:
        return []
    if not isinstance(root, YList):
        problems.append(Problem(rel, root.line, "must be a list of entries, each starting with '- id: ...'"))
        return []
    out = []
    for i, item in enumerate(root.items):
        if not isinstance(item, YMap):
            problems.append(Problem(rel, item.line, f"entry {i + 1} must be a mapping (id: ..., name: ...)"))
            continue
        fields: dict[str, tuple[int, str]] = {}
        for key, (line, node) in item.entries.items():
            if key not in keys:
                problems.append(
                    Problem(
                        rel, line, f"unknown key '{key}'{did_you_mean(key, keys)}; allowed: {', '.join(keys)}"
                    )
                )
            elif not isinstance(node, YScalar) or (node.value is None and not node.quoted):
                problems.append(Problem(rel, node.line, f"{key} must be text"))
            else:
                fields[key] = (node.line, node.raw.strip())
        missing = [k for k in ("id", "name") if not fields.get(k, (0, ""))[1]]
        if missing:
            problems.append(Problem(rel, item.line, f"entry {i + 1} needs {' and '.join(missing)}"))
            continue
        line, ident = fields["id"]
        if not SLUG_RE.match(ident):
            problems.append(
                Problem(rel, line, f"id '{ident}' must be lowercase ASCII letters, digits and hyphens")
            )
            continue
        out.append((item.line, fields))
    return out


def _check_unique(
    rel: str, entries: list[tuple[int, dict[str, tuple[int, str]]]], problems: list[Problem]
) -> None:
    seen: dict[str, int] = {}
    for _, fields in entries:
        line, ident = fields["id"]
        if ident in seen:
            problems.append(Problem(rel, line, f"id '{ident}' is already declared on line {seen[ident]}"))
        seen.setdefault(ident, line)


def _value(fields: dict[str, tuple[int, str]], key: str) -> str | None:
    return fields[key][1] if key in fields and fields[key][1] else None


def load_registry(project_dir: Path | str, settings: SiteSettings) -> tuple[Registry, list[Problem]]:
    base = Path(project_dir) / settings.briefings_dir / DATA_DIR
    prefix = f"{settings.briefings_dir}/{DATA_DIR}"
    problems: list[Problem] = []
    org_rel = f"{prefix}/{ORGANIZATIONS_FILE}"
    people_rel = f"{prefix}/{PEOPLE_FILE}"
    org_entries = _entries(base / ORGANIZATIONS_FILE, org_rel, ORGANIZATION_KEYS, problems)
    people_entries = _entries(base / PEOPLE_FILE, people_rel, PERSON_KEYS, problems)
    _check_unique(org_rel, org_entries, problems)
    _check_unique(people_rel, people_entries, problems)

    organizations = []
    for _, f in org_entries:
        country = _value(f, "country")
        if country is not None and country not in settings.country_ids:
            problems.append(
                Problem(
                    org_rel,
                    f["country"][0],
                    f"unknown country '{country}'{did_you_mean(country, settings.country_ids)}; "
                    f"allowed: {one_of(settings.country_ids)}",
                )
            )
        organizations.append(
            Organization(
                id=f["id"][1],
                name=f["name"][1],
                short_name=_value(f, "short_name"),
                native_name=_value(f, "native_name"),
                country=country,
                description=_value(f, "description"),
            )
        )
    org_ids = {o.id for o in organizations}
    people = []
    for _, f in people_entries:
        org = _value(f, "organization")
        if org is not None and org not in org_ids:
            problems.append(
                Problem(
                    people_rel,
                    f["organization"][0],
                    f"unknown organisation '{org}'{did_you_mean(org, org_ids)}: declare it in {org_rel}",
                )
            )
        people.append(
            Person(
                id=f["id"][1],
                name=f["name"][1],
                role=_value(f, "role"),
                organization=org,
                native_name=_value(f, "native_name"),
                description=_value(f, "description"),
            )
        )
    return Registry(tuple(people), tuple(organizations)), problems
