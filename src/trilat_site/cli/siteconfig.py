"""The site's settings read straight from mkdocs.yml, for tools that must start fast.

Importing MkDocs costs more than checking a thousand briefings, so the `trilat`
command reads the plugin's options itself. The reading is permissive where
mkdocs.yml is legitimately unusual (`!ENV`, `!!python/name:` and other tags
become None, since only the trilat options matter here) and strict where
those options are concerned, with the same rules the plugin applies.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..core.settings import SettingsError, SiteSettings, settings_from_options
from ..core.textfile import read_regular
from ..core.yamltree import SafeBaseLoader

PLUGIN_NAME = "trilat"
MAX_CONFIG_BYTES = 1024 * 1024
MAX_INHERIT_DEPTH = 8


class SiteConfigError(SettingsError):
    """A mkdocs.yml that cannot be read; the message says what to fix."""


class _PermissiveLoader(SafeBaseLoader):  # type: ignore[misc,valid-type]
    """Safe loading that turns any tag it does not know into None instead of failing."""


def _unknown_tag(loader: yaml.BaseLoader, tag_suffix: str, node: yaml.Node) -> None:
    return None


_PermissiveLoader.add_multi_constructor(None, _unknown_tag)


@dataclass(frozen=True)
class SiteConfig:
    """Where the site lives and what it declares; `project_dir` holds mkdocs.yml."""

    config_file: Path
    project_dir: Path
    settings: SiteSettings


def parse_mkdocs_yml(text: str, *, name: str = "mkdocs.yml") -> dict[str, Any]:
    """The top-level mapping of an mkdocs.yml text; tags it cannot know become None."""
    if len(text) > MAX_CONFIG_BYTES:
        raise SiteConfigError(f"{name}: is larger than 1 MiB: is this really the site's mkdocs.yml?")
    try:
        document = yaml.load(text, Loader=_PermissiveLoader)  # a SafeLoader: no object is ever constructed
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise SiteConfigError(f"{name}:{line}: YAML syntax error: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise SiteConfigError(f"{name}:1: YAML error: {exc}") from None
    except RecursionError:
        raise SiteConfigError(f"{name}:1: is nested too deeply to be a site configuration") from None
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise SiteConfigError(f"{name}:1: must be a mapping of settings (site_name: ..., plugins: ...)")
    return document


def plugin_options(document: Mapping[str, Any], *, name: str = "mkdocs.yml") -> dict[str, Any]:
    """The trilat plugin's options in a parsed mkdocs.yml, {} when it is named without options."""
    plugins = document.get("plugins")
    entries: list[tuple[str, Any]] = []
    if isinstance(plugins, Mapping):
        entries = [(str(k), v) for k, v in plugins.items()]
    elif isinstance(plugins, list):
        for item in plugins:
            if isinstance(item, str):
                entries.append((item, None))
            elif isinstance(item, Mapping) and len(item) == 1:
                key, value = next(iter(item.items()))
                entries.append((str(key), value))
            elif isinstance(item, Mapping) and PLUGIN_NAME in item:
                raise SiteConfigError(
                    f"{name}: the trilat plugin's options must be indented below '- trilat:', "
                    "not level with it"
                )
    for plugin, options in entries:
        if plugin == PLUGIN_NAME:
            if options is None:
                return {}
            if not isinstance(options, Mapping):
                raise SiteConfigError(f"{name}: the options of the trilat plugin must be a mapping")
            return dict(options)
    raise SiteConfigError(
        f"{name}: does not use the trilat plugin: add '- trilat' under 'plugins', "
        "or give the right file with --config-file"
    )


def _merge(parent: dict[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    """MkDocs' INHERIT rule: mappings merge key by key, anything else in the child replaces."""
    out = dict(parent)
    for key, value in child.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(dict(out[key]), value)
        else:
            out[key] = value
    return out


def _read_document(path: Path, depth: int = 0) -> dict[str, Any]:
    try:
        # A FIFO in its place would wait for a writer for ever.
        data = read_regular(path, MAX_CONFIG_BYTES + 1, follow_links=True)
    except FileNotFoundError:
        raise SiteConfigError(
            f"{path}: no such file: run trilat in the site's folder or give --config-file"
        ) from None
    except OSError as exc:
        raise SiteConfigError(f"{path}: cannot be read: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SiteConfigError(f"{path}: is not UTF-8 text: save it as UTF-8") from None
    document = parse_mkdocs_yml(text, name=str(path))
    parent = document.pop("INHERIT", None)
    if isinstance(parent, str):
        if depth >= MAX_INHERIT_DEPTH:
            raise SiteConfigError(f"{path}: INHERIT goes more than {MAX_INHERIT_DEPTH} files deep")
        base = _read_document(Path(os.path.normpath(path.parent / parent)), depth + 1)
        document = _merge(base, document)
    return document


def read_site_config(config_file: Path | str = "mkdocs.yml") -> SiteConfig:
    """Read mkdocs.yml (following INHERIT) into the site's settings; SettingsError if impossible."""
    path = Path(config_file)
    document = _read_document(path)
    settings = settings_from_options(plugin_options(document, name=str(path)))
    return SiteConfig(config_file=path, project_dir=path.resolve().parent, settings=settings)
