"""A picture drawn at build time: how briefings connect the themes.

Plain SVG with no script; colours come from the page's CSS (classes below), so it
follows the light and dark palettes, and a title, a description and a caption carry
the same facts as text.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from xml.sax.saxutils import escape

from markupsafe import Markup

from ..core.model import Theme

_RADIUS = 125
_NODE_MIN, _NODE_MAX = 14.0, 40.0
LABEL_SIZE = 16
"""The labels' font size in the picture's own units (trilat.css sets the same)."""
_MARGIN = 6


def _text_width(text: str, size: float) -> float:
    """A generous estimate of a label's width: wide (CJK) characters take a full em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else 0.6 * size for ch in text)


def _english(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


def describe(
    themes: tuple[Theme, ...],
    counts: dict[str, int],
    links: dict[tuple[str, str], int],
    gettext: Callable[[str], str] = str,
    ngettext: Callable[[str, str, int], str] = _english,
) -> str:
    """The picture's facts in words: its text alternative (in the language of `gettext`)."""
    _ = gettext

    def briefings(n: int) -> str:
        return ngettext("%(count)d briefing", "%(count)d briefings", n) % {"count": n}

    parts = [_("%(theme)s: %(briefings)s") % {"theme": t.title, "briefings": briefings(counts.get(t.id, 0))} for t in themes]
    titles = {t.id: t.title for t in themes}
    shared = [
        _("%(first)s and %(second)s share %(briefings)s") % {"first": titles[a], "second": titles[b], "briefings": briefings(n)}
        for (a, b), n in links.items()
        if n
    ]
    text = _("; ").join(parts) + _(".")
    if shared:
        text += " " + _("; ").join(shared) + _(".")
    else:
        text += " " + _("No briefing spans two themes yet.")
    return text


def theme_map(
    themes: tuple[Theme, ...],
    counts: dict[str, int],
    links: dict[tuple[str, str], int],
    gettext: Callable[[str], str] = str,
    ngettext: Callable[[str, str, int], str] = _english,
) -> Markup:
    """Themes on a circle, sized by their briefings, joined by lines as thick as what they share."""
    _ = gettext
    if not themes:
        return Markup("")
    cx, cy = 0.0, 0.0
    most = max([1, *counts.values()])
    most_shared = max([1, *links.values()])
    position: dict[str, tuple[float, float]] = {}
    for i, theme in enumerate(themes):
        angle = -math.pi / 2 + 2 * math.pi * i / len(themes)
        radius = 0 if len(themes) == 1 else _RADIUS
        position[theme.id] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    size = {t.id: _NODE_MIN + (_NODE_MAX - _NODE_MIN) * math.sqrt(counts.get(t.id, 0) / most) for t in themes}
    label_y = {
        t.id: position[t.id][1] + (size[t.id] + LABEL_SIZE if position[t.id][1] >= cy else -size[t.id] - 6)
        for t in themes
    }
    # The picture is cut to what it draws, so a phone's narrow column scales it as little as
    # possible: labels stay legible and no empty band is left below it.
    xs, ys = [], []
    for t in themes:
        (x, y), r = position[t.id], size[t.id]
        half = _text_width(t.title, LABEL_SIZE) / 2
        xs += [x - r, x + r, x - half, x + half]
        ys += [y - r, y + r, label_y[t.id] - LABEL_SIZE, label_y[t.id] + LABEL_SIZE * 0.3]
    left, top = min(xs) - _MARGIN, min(ys) - _MARGIN
    width, height = max(xs) + _MARGIN - left, max(ys) + _MARGIN - top
    title = _("How briefings connect the themes")
    out = [
        f'<svg class="trilat-map" viewBox="{left:.0f} {top:.0f} {width:.0f} {height:.0f}" width="{width:.0f}" '
        f'height="{height:.0f}" role="img" aria-labelledby="trilat-map-title trilat-map-desc" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="trilat-map-title">{escape(title)}</title>',
        f'<desc id="trilat-map-desc">{escape(describe(themes, counts, links, gettext, ngettext))}</desc>',
    ]
    for (a, b), n in sorted(links.items()):
        if not n or a not in position or b not in position:
            continue
        (x1, y1), (x2, y2) = position[a], position[b]
        width = 2 + 10 * n / most_shared
        out.append(
            f'<line class="trilat-map__link" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke-width="{width:.1f}"/>'
        )
        out.append(
            f'<text class="trilat-map__shared" x="{(x1 + x2) / 2:.1f}" y="{(y1 + y2) / 2:.1f}" '
            f'text-anchor="middle" dominant-baseline="middle">{n}</text>'
        )
    for theme in themes:
        x, y = position[theme.id]
        n = counts.get(theme.id, 0)
        r = size[theme.id]
        out.append(f'<circle class="trilat-map__node" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>')
        out.append(
            f'<text class="trilat-map__count" x="{x:.1f}" y="{y:.1f}" text-anchor="middle" '
            f'dominant-baseline="middle">{n}</text>'
        )
        out.append(
            f'<text class="trilat-map__label" x="{x:.1f}" y="{label_y[theme.id]:.1f}" text-anchor="middle">'
            f"{escape(theme.title)}</text>"
        )
    out.append("</svg>")
    return Markup("".join(out))
