"""What HTML a briefing's body may produce: one allow-list for the check, the sanitiser and its report.

A briefing's body is Markdown, and Markdown lets its author write any HTML (`<script>`,
`<img onerror>`, `<base href>`) and set any attribute (`{ onclick="…" }` with attr_list).
What the page keeps is decided here, once: the sanitiser (`site/sanitize.py`, nh3) is
configured from these tables, and `bodycheck.py` applies the same rules to the Markdown
source so that `trilat check` and the build report the same removals at the same lines.

The list holds what prose needs and the site's Markdown extensions produce (headings,
lists, tables, footnotes, admonitions, code, abbreviations, definitions, details). It has
no script, style, iframe, object, embed, base, meta, link, form, input, svg or math
element; no event handler (`on…`) attribute; no URL but relative ones, http(s) and mailto;
no style but text alignment; no class of the theme's own layout (`md-…`) and no id in the
theme's namespace (`__…`), whose elements its scripts look up by id.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
        "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
        "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub",
        "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u",
        "ul", "var", "wbr",
    }
)  # fmt: skip
# Removed with everything inside them: their content is code, not text.
CONTENT_REMOVED = frozenset({"script", "style"})
# Elements without an end tag, in the HTML standard.
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)

GENERIC_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir", "style"})
TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "name", "target"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "time": frozenset({"datetime"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
    "details": frozenset({"open"}),
}
_ANY_TAG_ATTRIBUTES = GENERIC_ATTRIBUTES.union(*TAG_ATTRIBUTES.values())
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})
STYLE_PROPERTIES = frozenset({"text-align", "vertical-align"})

_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_URL_STRIP = "".join(chr(c) for c in range(0x21))
_URL_NOISE_RE = re.compile(r"[\t\n\r]")


def url_problem(url: str) -> str | None:
    """Why a link or image address is removed, or None.

    Read as a browser reads it: entities decoded (`&#106;avascript:`), tabs and line
    breaks dropped (`java\\tscript:`), surrounding spaces and controls ignored. Relative
    addresses stay; an absolute one needs http, https or mailto.
    """
    text = _URL_NOISE_RE.sub("", html.unescape(url)).strip(_URL_STRIP)
    found = _SCHEME_RE.match(text)
    if found is None:
        return None
    scheme = found.group(1).lower()
    if scheme not in URL_SCHEMES:
        return f"the address '{_short(url)}' uses '{scheme}:', which runs or embeds content: link with http, https or mailto"
    if scheme != "mailto":
        rest = text[found.end() :]
        host = rest[2:].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0] if rest.startswith("//") else "x"
        if not host.rsplit("@", 1)[-1] or " " in host:
            return f"the address '{_short(url)}' is not a valid web address: write it in full, e.g. https://example.org/"
    return None


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def kept_classes(value: str) -> tuple[list[str], list[str]]:
    """(kept, removed) class names: the theme's own layout classes cannot be borrowed."""
    kept: list[str] = []
    removed: list[str] = []
    for name in value.split():
        (removed if name.startswith("md-") and not name.startswith("md-button") else kept).append(name)
    return kept, removed


def style_removed(value: str) -> list[str]:
    """The style properties a `style` attribute loses: all but text alignment."""
    removed = []
    for declaration in value.split(";"):
        prop = declaration.split(":", 1)[0].strip().lower()
        if prop and prop not in STYLE_PROPERTIES:
            removed.append(prop)
    return removed


def reserved_name(value: str) -> bool:
    """An id or name in the theme's namespace: its scripts find `#__config`, `#__search`… by id."""
    return value.strip().startswith("__")


def tag_problem(tag: str) -> str | None:
    if tag in ALLOWED_TAGS:
        return None
    return f"the <{tag}> element is not allowed in a briefing"


def attribute_problem(tag: str | None, name: str, value: str | None) -> str | None:
    """Why an attribute of an allowed element (or of an element not known yet: None) goes, or None."""
    name = name.lower()
    where = f" on <{tag}>" if tag else ""
    if name.startswith("on"):
        return f"the event handler attribute '{name}'{where} runs script"
    allowed = _ANY_TAG_ATTRIBUTES if tag is None else GENERIC_ATTRIBUTES | TAG_ATTRIBUTES.get(tag, frozenset())
    if name not in allowed:
        return f"the attribute '{name}'{where} is not allowed"
    value = value or ""
    if name in URL_ATTRIBUTES:
        return url_problem(value)
    if name == "style":
        removed = style_removed(value)
        if removed:
            return f"the style {'properties' if len(removed) > 1 else 'property'} {', '.join(removed)}{where} can move content over the page: only text-align and vertical-align are kept"
    elif name == "class":
        removed = kept_classes(value)[1]
        if removed:
            return f"the class {', '.join(removed)}{where} belongs to the theme's layout"
    elif name in ("id", "name") and reserved_name(value):
        return f"the {name} '{_short(value)}'{where} is reserved for the theme (ids starting with '__')"
    return None


def element_problems(tag: str, attributes: Iterable[tuple[str, str | None]]) -> list[str]:
    """Everything the sanitiser takes from one start tag, in words."""
    tag = tag.lower()
    reason = tag_problem(tag)
    if reason:
        return [reason]
    return [r for name, value in attributes if (r := attribute_problem(tag, name, value))]
