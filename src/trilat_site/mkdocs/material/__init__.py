"""Everything the plugin knows about mkdocs-material, fenced in one place.

Fixes to Material's pages, so every site the plugin builds is valid and accessible: most
are partial overrides in `overrides/`, which the plugin puts on the theme's template path
after a site's own `custom_dir` (so a site still has the last word); each differs from
Material's own partial only as `overrides.diff` records, and a test holds the two against
the installed Material so an upgrade that changes a partial fails loudly. What no partial
reaches (markup written directly by the theme's `base.html`) is corrected in the finished
page by `tidy_page`; the one behaviour of Material's script a site must not have is turned
off by `quiet_alternate_lookups`. `navmemo` renders Material's navigation once for the pages
it does not list; `shells` keeps, under `mkdocs serve --dirty`, what Material printed around
a page's content for the next time only the content changes.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

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


def tidy_untouched(html: str) -> bool:
    """Whether `tidy_page` leaves this part of a page alone, wherever in the page it is."""
    return not any(old in html for old, _ in _INVALID)


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


# Material's script fetches a sitemap.xml beside every <link rel="alternate"> of a page (the
# look-up behind its `extra.alternate` selector, which keeps a reader on the same page when
# switching language): beside the site's feed that is the whole sitemap, 1.4 MB at 5,000
# briefings, on every reader's first page; beside each hreflang edition of a page, a 404 and
# a console error on every page of a multilingual site. The plugin's language switcher
# already links each page to its own editions, so the script is given a selector no link
# matches (no page has rel="md-lookup"). The replacement has the same length, so the
# bundle's source map still lines up.
BUNDLE = re.compile(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js")
ALTERNATE_LOOKUP = (b'"link[rel=alternate]"', b'"link[rel=md-lookup]"')


def quiet_alternate_lookups(files: Files, config: MkDocsConfig) -> None:
    """Replaces the theme's bundle in `files` with one whose alternate look-up matches nothing."""
    old, new = ALTERNATE_LOOKUP
    for file in list(files):
        if not BUNDLE.fullmatch(file.src_uri) or file.abs_src_path is None:
            continue
        script = Path(file.abs_src_path).read_bytes()
        if script.count(old) != 1:
            if "alternate" not in _missed:
                _missed.add("alternate")
                log.debug(f"Material fix not applied: {file.src_uri} has no single {old.decode()}")
            return
        files.remove(file)
        files.append(File.generated(config, file.src_uri, content=script.replace(old, new), inclusion=file.inclusion))
        return
