"""The converted body of a briefing, cleaned with nh3 (Ammonia) by the allow-list of `core/htmlpolicy.py`.

nh3 parses the HTML as a browser does (html5ever), so no spelling of a tag or an address
gets past it, and serialises well-formed HTML: stray closing tags cannot close the page's
own layout. The policy's class and id rules, which nh3 has no setting for, are applied
by its attribute filter.

`unforeseen` lists what the sanitiser will remove, read from the converted HTML: the
build reports it when the source check (`core/bodycheck.py`) saw nothing, which happens
only for markup a Markdown extension produced.
"""

from __future__ import annotations

import re

import nh3

from ..core import htmlpolicy as policy
from ..core.bodycheck import html_findings


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    if name == "class":
        kept = policy.kept_classes(value)[0]
        return " ".join(kept) if kept else None
    if name in ("id", "name") and policy.reserved_name(value):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(policy.ALLOWED_TAGS),
    clean_content_tags=set(policy.CONTENT_REMOVED),
    attributes={"*": set(policy.GENERIC_ATTRIBUTES), **{t: set(a) for t, a in policy.TAG_ATTRIBUTES.items()}},
    attribute_filter=_attribute_filter,
    strip_comments=True,
    # Links keep what the author wrote; browsers imply noopener for target="_blank".
    link_rel=None,
    url_schemes=set(policy.URL_SCHEMES),
    filter_style_properties=set(policy.STYLE_PROPERTIES),
)
# A style attribute that lost every property stays behind empty.
_EMPTY_STYLE_RE = re.compile(r' style=""')


def sanitize(html: str) -> str:
    """The HTML with everything the policy does not allow taken out."""
    return _EMPTY_STYLE_RE.sub("", _CLEANER.clean(html))


def unforeseen(html: str) -> list[str]:
    """What `sanitize` takes out of this HTML, in words."""
    return [reason for _, reason in html_findings(html)]
