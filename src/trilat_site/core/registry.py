"""The entity registries: `_data/people.yml` and `_data/organizations.yml` in the briefings folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .fields import ORGANIZATION, PERSON, Kind, Shape
from .model import Person, Registry
from .problems import InputError, Problem
from .schema import Checker, References
from .settings import SiteSettings
from .textfile import NotRegularFile, decode, read_regular
from .yamltree import YList, YMap, parse_tree

DATA_DIR = "_data"
PEOPLE_FILE = "people.yml"
ORGANIZATIONS_FILE = "organizations.yml"
MAX_REGISTRY_BYTES = 4 * 1024 * 1024
MAX_IMAGE_BYTES = 1024 * 1024
# What each picture format starts with: a file whose bytes do not match its name is refused,
# so nothing but a picture is ever published under a picture's name.
_IMAGE_MAGIC = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".webp": (b"RIFF",),
}


def _read(path: Path, rel: str, problems: list[Problem]) -> YList | None:
    """The file's list of entries, or None (with its problem recorded) when there is none to read."""
    if path.is_symlink() or (path.parent.is_symlink() and path.exists()):
        # Following it could read any file on the machine into the site's messages.
        problems.append(Problem(rel, 1, "is a symbolic link: keep the registry as a regular file here"))
        return None
    try:
        data = read_regular(path, MAX_REGISTRY_BYTES + 1)
    except FileNotFoundError:
        return None
    except NotRegularFile as exc:
        if not path.is_dir():
            problems.append(Problem(rel, 1, f"{exc.strerror}: keep the registry as a regular file here"))
        return None
    except OSError as exc:
        problems.append(Problem(rel, 1, f"cannot be read: {exc.strerror}"))
        return None
    if len(data) > MAX_REGISTRY_BYTES:
        problems.append(Problem(rel, 1, "is larger than 4 MiB: split it"))
        return None
    try:
        root = parse_tree(decode(data), max_bytes=MAX_REGISTRY_BYTES)
    except InputError as exc:
        problems.append(exc.at(rel, 1))
        return None
    if root is None:
        return None
    if not isinstance(root, YList):
        problems.append(Problem(rel, root.line, "must be a list of entries, each starting with '- id: ...'"))
        return None
    return root


def image_problem(folder: Path, rel: str) -> str | None:
    """Why the file `rel` below `folder` cannot be published as a picture, or None."""
    path = folder
    for part in (".", *rel.split("/")):
        path = path / part
        if path.is_symlink():
            # Following it could publish any file on the machine.
            return "is a symbolic link, or lies in one: keep pictures as regular files below the registry folder"
    if not path.is_file():
        return "does not exist: put the picture there, or leave photo out"
    with path.open("rb") as stream:
        head = stream.read(16)
    if path.stat().st_size > MAX_IMAGE_BYTES:
        return "is larger than 1 MiB: make the picture smaller"
    suffix = path.suffix.lower()
    if not head.startswith(_IMAGE_MAGIC[suffix]) or (suffix == ".webp" and head[8:12] != b"WEBP"):
        return f"is not a {suffix[1:].upper()} picture: save it in the format its name says"
    return None


def _entries(root: YList | None, shape: Shape, check: Checker, folder: Path) -> list[Any]:
    """The records of every valid entry, each problem of the others recorded."""
    if root is None:
        return []
    records = []
    seen: dict[str, int] = {}
    for i, item in enumerate(root.items):
        if not isinstance(item, YMap):
            check.error(item.line, f"entry {i + 1} must be a mapping (id: ..., name: ...)")
            continue
        nodes = check.fields(item, "", shape)
        assert nodes is not None
        before = check.errors
        values = {name: check.value(shape[name], node, name) for name, node in nodes.items()}
        check.combination(item, nodes, values, "", shape)
        for f in shape.fields:
            if f.kind is Kind.IMAGE and values.get(f.name):
                problem = image_problem(folder, values[f.name])
                if problem:
                    check.error(nodes[f.name].line, f"{f.name}: {values[f.name]} {problem}")
                    values[f.name] = None
        missing = [k for k in shape.required if not values.get(k)]
        if missing and check.errors == before:
            check.error(item.line, f"entry {i + 1} needs {' and '.join(missing)}")
        if missing or values.get("id") is None:
            continue
        ident, line = values["id"], nodes["id"].line
        if ident in seen:
            check.error(line, f"id '{ident}' is already declared on line {seen[ident]}")
            continue
        seen[ident] = line
        records.append(shape.make({k: v for k, v in values.items() if v is not None}))
    return records


def photo_file(project_dir: Path | str, settings: SiteSettings, person: Person) -> Path | None:
    """Where a person's picture is on disk (checked when the registry was read)."""
    if not person.photo:
        return None
    return Path(project_dir) / settings.briefings_dir / DATA_DIR / person.photo


def load_registry(project_dir: Path | str, settings: SiteSettings) -> tuple[Registry, list[Problem]]:
    base = Path(project_dir) / settings.briefings_dir / DATA_DIR
    prefix = f"{settings.briefings_dir}/{DATA_DIR}"
    problems: list[Problem] = []
    org_rel = f"{prefix}/{ORGANIZATIONS_FILE}"
    people_rel = f"{prefix}/{PEOPLE_FILE}"
    broken: list[tuple[str, str]] = []
    for kind, rel in (("organization", org_rel), ("person", people_rel)):
        before = len(problems)
        root = _read(base / Path(rel).name, rel, problems)
        if len(problems) > before:
            broken.append((kind, rel))
        if kind == "organization":
            org_root = root
        else:
            people_root = root

    references = References.of(settings, Registry(broken=tuple(broken)))
    organizations = _entries(org_root, ORGANIZATION, Checker(org_rel, 0, references, problems), base)
    # People name organisations of this registry, so they are checked against it.
    references = References.of(settings, Registry(organizations=tuple(organizations), broken=tuple(broken)))
    people = _entries(people_root, PERSON, Checker(people_rel, 0, references, problems), base)
    return Registry(tuple(people), tuple(organizations), tuple(broken)), problems
