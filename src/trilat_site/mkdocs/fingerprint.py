"""Values that say whether the site-wide inputs of a build changed: configuration, themes, templates, navigation.

A page kind's own template (`briefing.html`, which no other template includes) is the one
exception: it counts for the pages of its kind only (`page_templates`), so changing it
rewrites those pages and not the whole site.

Each is a plain, comparable value (tuples of text and numbers) computed from what the build
actually uses. Anything whose text holds a memory address (an object without a value-like
representation) makes the fingerprint differ from every other build's, which only ever
costs a full rebuild, never a stale page.
"""

from __future__ import annotations

import hashlib
import sysconfig
import types
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateSyntaxError, meta
from mkdocs.structure.nav import Link, Section

# Files up to this size are fingerprinted by content, bigger ones by size and modification time.
_READ_LIMIT = 256 * 1024
_INSTALLED = tuple(
    str(Path(p).resolve()) for p in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
)


def stable(value: Any) -> Any:
    """A comparable stand-in for a configuration value."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Mapping):
        return ("{", tuple(sorted(((str(k), stable(v)) for k, v in value.items()), key=lambda kv: kv[0])))
    if isinstance(value, list | tuple):
        return ("[", tuple(stable(v) for v in value))
    if isinstance(value, set | frozenset):
        return ("set", tuple(sorted(repr(stable(v)) for v in value)))
    if isinstance(value, types.ModuleType):
        # A hook: its code is what counts.
        path = getattr(value, "__file__", None)
        return ("module", value.__name__, file_digest(Path(path)) if path else None)
    if isinstance(value, types.FunctionType | type):
        return ("code", value.__module__, value.__qualname__)
    return (type(value).__qualname__, repr(value))


def config_fingerprint(config: Any) -> Any:
    """Every configuration value (mkdocs.yml after every plugin's on_config), theme and plugins included."""
    out = []
    for key, value in config.items():
        if key.startswith("_"):
            continue
        if key == "plugins":
            value = [
                (name, type(plugin).__qualname__, stable(dict(plugin.config)))
                for name, plugin in value.items()
            ]
        elif key == "theme":
            value = (value.name, stable(dict(value)), tuple(value.dirs), stable(value.static_templates))
        out.append((key, stable(value)))
    return tuple(out)


def markdown_fingerprint(config: Any) -> Any:
    """What a page's conversion depends on besides its Markdown and the site's files."""
    return (
        stable(config["markdown_extensions"]),
        stable(config["mdx_configs"]),
        stable(config["validation"]),
        config["use_directory_urls"],
    )


def file_digest(path: Path) -> str | None:
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return None


# Template source → the templates it names. Parsing is most of what page_templates costs, and
# each rebuild under `mkdocs serve` asks again about the same sources.
_REFERENCES: dict[tuple[Any, ...], frozenset[str | None]] = {}
_REFERENCES_KEPT = 1024


def _references(env: Environment, source: str) -> frozenset[str | None]:
    # The syntax an environment parses by is its extensions and delimiters.
    key = (
        tuple(sorted(env.extensions)),
        env.block_start_string,
        env.variable_start_string,
        env.comment_start_string,
        source,
    )
    found = _REFERENCES.get(key)
    if found is None:
        if len(_REFERENCES) >= _REFERENCES_KEPT:
            _REFERENCES.clear()
        found = _REFERENCES[key] = frozenset(meta.find_referenced_templates(env.parse(source)))
    return found


def page_templates(env: Environment, names: Iterable[str]) -> dict[str, Any]:
    """Of the page kinds' templates `names`, those no other template includes, imports or
    extends, each with the file the environment loads for it and that file's digest. None
    when a template names another by an expression, which could be any of them."""
    referenced: set[str] = set()
    # The .html files are the templates; the scripts and styles beside them are copied as they are.
    for name in env.list_templates(extensions=["html"]):
        try:
            source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
            found = _references(env, source)
        except TemplateSyntaxError:
            return {}  # the build reports it
        if None in found:
            return {}
        referenced |= found  # type: ignore[arg-type]
    out: dict[str, Any] = {}
    for name in sorted(set(names) - referenced):
        try:
            _, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        except Exception:  # a kind whose template is missing fails the build elsewhere
            continue
        out[name] = (filename, file_digest(Path(filename)) if filename else None)
    return out


def folders_fingerprint(folders: Iterable[str | Path], skip: Iterable[str] = ()) -> Any:
    """The files of template and theme folders, but for the names in `skip` (see page_templates).
    An installed package's folder counts by its path: it does not change under a running build."""
    skipped = set(skip)
    out: list[Any] = []
    for folder in folders:
        resolved = str(Path(folder).resolve())
        if resolved.startswith(_INSTALLED):
            out.append((resolved, "installed"))
            continue
        root = Path(folder)
        if not root.is_dir():
            out.append((resolved, "missing"))
            continue
        for path in sorted(root.rglob("*")):
            try:
                info = path.stat()
            except OSError:
                continue
            if not path.is_file():
                continue
            rel = path.relative_to(root).as_posix()
            if rel in skipped:
                continue
            if info.st_size <= _READ_LIMIT:
                out.append((resolved, rel, file_digest(path)))
            else:
                out.append((resolved, rel, info.st_size, info.st_mtime_ns))
    return tuple(out)


def nav_fingerprint(items: Iterable[Any]) -> Any:
    """The navigation every page shows: titles, addresses, structure and the listed pages' metadata."""
    out: list[Any] = []
    for item in items:
        if isinstance(item, Section):
            out.append(("section", item.title, nav_fingerprint(item.children)))
        elif isinstance(item, Link):
            out.append(("link", item.title, item.url))
        else:
            out.append(("page", item.title, item.url, item.file.src_uri, stable(dict(item.meta))))
    return tuple(out)
