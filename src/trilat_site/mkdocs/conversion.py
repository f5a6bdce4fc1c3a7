"""A briefing page's Markdown conversion: guarded, then sanitised before any plugin sees it.

MkDocs converts a page in `Page.render` and reports an exception there with a traceback.
A briefing is untrusted input, so for briefing pages the plugin wraps that one call (on
the page object it generated, nowhere else):

- any failure of Markdown or of a Markdown extension becomes
  `briefings/x.md:1: …` with the reason, never a traceback (`core/bodycheck.py` refuses
  the shapes known to fail before conversion starts);
- the converted HTML and the table of contents are cleaned (`site/sanitize.py`) right
  after conversion, so no plugin, the search index included, ever reads what the
  sanitiser removes.
"""

from __future__ import annotations

from typing import Any

import nh3
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from ..core.bodycheck import MAX_REPORTED, REMOVED
from ..site.sanitize import sanitize, unforeseen

log = get_plugin_logger("trilat")

# Headings in the table of contents are plain text; Material prints them as they are.
_TEXT_ONLY = nh3.Cleaner(tags=set(), attributes={}, strip_comments=True)


def _clean_toc(items: Any) -> None:
    for item in items:
        item.title = _TEXT_ONLY.clean(item.title)
        _clean_toc(item.children)


def guard_conversion(page: Any, path: str, sanitizing: bool, foreseen: bool) -> None:
    """Make `page.render` report failures as located errors and sanitise what it produces.

    `foreseen`: the source check already warned about removals in this briefing. If it did
    not and the sanitiser still finds something, a Markdown extension made it: say so.
    """
    convert = page.render

    def render(config: Any, files: Any) -> None:
        try:
            convert(config, files)
        except PluginError:
            raise
        except RecursionError:
            raise PluginError(
                f"{path}:1: the body is nested too deeply for Markdown to convert: flatten its lists, "
                "quotes and admonitions"
            ) from None
        except Exception as exc:
            raise PluginError(f"{path}:1: Markdown could not convert the body: {type(exc).__name__}: {exc}") from None
        if not sanitizing:
            return
        if not foreseen:
            for reason in unforeseen(page.content or "")[:MAX_REPORTED]:
                log.warning(
                    f"{path}:1: {REMOVED}: {reason} (made by a Markdown extension, which trilat check cannot see)"
                )
        page.content = sanitize(page.content or "")
        _clean_toc(page.toc)

    page.render = render
