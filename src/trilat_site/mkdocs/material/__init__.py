"""Everything the plugin knows about mkdocs-material, fenced in one place.

Fixes to Material's pages, so every site the plugin builds is valid and accessible: most
are partial overrides in `overrides/`, which the plugin puts on the theme's template path
after a site's own `custom_dir` (so a site still has the last word); each differs from
Material's own partial only as `overrides.diff` records, and a test holds the two against
the installed Material so an upgrade that changes a partial fails loudly. What no partial
reaches (markup written directly by the theme's `base.html`) is corrected in the finished
page by `tidy_page`. `navmemo` renders Material's navigation once for the pages it does
not list.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger("trilat")

THEME_NAME = "material"

# Material's base.html gives its two toggle checkboxes autocomplete="off" so that Firefox
# does not restore an open drawer or search on reload; the HTML standard allows the
# attribute only on text-like inputs. The plugin's script unchecks them on load instead.
_INVALID = (
    ('type="checkbox" id="__drawer" autocomplete="off"', 'type="checkbox" id="__drawer"'),
    ('type="checkbox" id="__search" autocomplete="off"', 'type="checkbox" id="__search"'),
)
_missed: set[str] = set()


def overrides_dir() -> Path:
    """The folder of Material partials the plugin ships."""
    return Path(__file__).parent / "overrides"


def tidy_page(html: str) -> str:
    for old, new in _INVALID:
        if old in html:
            html = html.replace(old, new, 1)
        elif old not in _missed:
            # A Material release that no longer writes this markup makes the fix unnecessary
            # (or a site left search out); say so once, for whoever maintains the plugin.
            _missed.add(old)
            log.debug(f"Material fix not applied: the page has no {old!r}")
    return html
