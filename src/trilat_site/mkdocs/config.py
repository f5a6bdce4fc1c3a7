"""The plugin's options as MkDocs sees them, made from `SiteSettings`, where each is declared once.

MkDocs checks their types and reports unknown options itself; `settings_from_options`
then applies the rules it shares with the `trilat` command.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from ..core.fields import COUNTRY, THEME, Kind, Shape
from ..core.settings import OPTIONS


def _item_config(shape: Shape) -> type[Config]:
    """A config class for one entry of a list option (a theme, a country)."""
    attrs: dict[str, Any] = {
        f.name: c.Type(str) if f.required else c.Optional(c.Type(dict if f.kind is Kind.TRANSLATIONS else str))
        for f in shape.fields
    }
    return type(f"{shape.name.title()}Item", (Config,), attrs)


def _option(name: str, default: Any) -> c.BaseConfigOption[Any]:
    if name == "themes":
        # Absent means the default themes; a list replaces them.
        return c.Optional(c.ListOfItems(c.SubConfig(_item_config(THEME))))
    if name == "countries":
        return c.ListOfItems(c.SubConfig(_item_config(COUNTRY)), default=[])
    if name == "languages":
        # Absent means the one language of `language`; the rules are settings_from_options's.
        return c.Optional(c.Type(list))
    if name == "site_translations":
        return c.Optional(c.Type(dict))
    if default is None:
        return c.Optional(c.Type(str))
    return c.Type(type(default), default=default)


TrilatConfig: type[Config] = type(
    "TrilatConfig", (Config,), {option.name: _option(option.name, option.default) for option in OPTIONS}
)
TrilatConfig.__doc__ = "The trilat plugin's options in mkdocs.yml; see `core/settings.py` for each."


def options_of(config: Config) -> dict[str, Any]:
    """The validated options as plain values, for `settings_from_options`."""
    out: dict[str, Any] = {}
    for option in OPTIONS:
        value = config[option.name]
        if option.name in ("themes", "countries"):
            value = [dict(item) for item in value] if value else None
        elif option.name in ("languages", "site_translations") and not value:
            value = None
        out[option.name] = value
    return out
