"""Fixes to mkdocs-material's pages, so every site the plugin builds is valid and accessible.

Most fixes are partial overrides in the built-in `templates/material/` folder, which the
plugin puts on the theme's template path after a site's own `custom_dir`, so a site still
has the last word. What no partial reaches (markup written directly by the theme's
`base.html`) is corrected in the finished page by `tidy_page`.
"""

from __future__ import annotations

from pathlib import Path

from .render import builtin_templates

# Material's base.html gives its two toggle checkboxes autocomplete="off" so that Firefox
# does not restore an open drawer or search on reload; the HTML standard allows the
# attribute only on text-like inputs. The plugin's script unchecks them on load instead.
_INVALID = (
    ('type="checkbox" id="__drawer" autocomplete="off"', 'type="checkbox" id="__drawer"'),
    ('type="checkbox" id="__search" autocomplete="off"', 'type="checkbox" id="__search"'),
)


def material_overrides() -> Path:
    """The folder of Material partials the plugin ships."""
    return builtin_templates() / "material"


def tidy_page(html: str) -> str:
    for old, new in _INVALID:
        html = html.replace(old, new, 1)
    return html
