"""Share pictures (Open Graph `og:image`): one 1200×630 PNG per briefing, and one for the site.

Drawn with Pillow in fonts the system has, found through fontconfig: a bold sans-serif for
Latin text, and for Korean, Japanese or Chinese text a font fontconfig says covers that
language (Noto Sans CJK when installed, from Debian's fonts-noto-cjk). Without fontconfig
the Latin text falls back to the font Pillow ships, so a card is always drawn; a title in a
script no font on the machine covers is left off its card (the card keeps the site's name,
the period and the themes), and the build says once which fonts to install.

A card depends only on its words, the fonts and this module's drawing, so the same input
gives the same bytes. Each is kept in a cache folder under a digest of all three, and a
rebuild draws only cards whose words changed. Many cards to draw (a first build) are drawn
in forked worker processes, one per core, when the build's process runs no other thread.
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import shutil
import subprocess
import tempfile
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont

from ..core.index import SiteIndex
from . import urls
from .export import site_name_in
from .i18n import period
from .urls import SiteAddress

WIDTH, HEIGHT = 1200, 630
# Bumped whenever the drawing changes, so cached cards are drawn again.
DRAWING_VERSION = 1
_MARGIN = 80
_BACKGROUND = (40, 53, 147)  # Material's indigo 800: white text on it is 10:1
_TEXT = (255, 255, 255)
_MUTED = 200  # the site's name, a little lighter than the title
_ACCENT_INDEX = 240
_SHADES = [v * (_ACCENT_INDEX - 1) // 255 for v in range(256)]
_PALETTE = [
    round(bg + (fg - bg) * k / (_ACCENT_INDEX - 1))
    for k in range(_ACCENT_INDEX)
    for bg, fg in zip(_BACKGROUND, _TEXT, strict=True)
] + [255, 193, 7]  # amber: the bar down the left edge
# What fontconfig is asked for each script; the first font that covers the language is used.
_PATTERNS = {
    "latin": ("sans-serif:bold:lang=en",),
    "ko": ("Noto Sans CJK KR:bold", "sans-serif:bold:lang=ko"),
    "ja": ("Noto Sans CJK JP:bold", "sans-serif:bold:lang=ja"),
    "zh": ("Noto Sans CJK SC:bold", "sans-serif:bold:lang=zh-cn"),
}
_FONT_LANG = {"latin": "en", "ko": "ko", "ja": "ja", "zh": "zh-cn"}
FONT_PACKAGES = "fonts-noto-cjk (Debian, Ubuntu) or google-noto-sans-cjk-fonts (Fedora)"


@dataclass(frozen=True)
class Face:
    """A font file (and the face within a collection) that fontconfig chose."""

    path: str
    index: int = 0

    def identity(self) -> list[object]:
        stat = os.stat(self.path)
        return [self.path, self.index, stat.st_size, stat.st_mtime_ns]


@cache
def find_face(script: str) -> Face | None:
    """The font fontconfig offers for a script ('latin', 'ko', 'ja', 'zh'), or None."""
    if shutil.which("fc-match") is None:
        return None
    for pattern in _PATTERNS[script]:
        try:
            out = subprocess.run(
                ["fc-match", "--format=%{file}\n%{index}\n%{lang}", pattern],
                capture_output=True,
                text=True,
                timeout=20,
                check=True,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        path, _, rest = out.partition("\n")
        index, _, langs = rest.partition("\n")
        if path and Path(path).is_file() and _FONT_LANG[script] in langs.split("|"):
            return Face(path, int(index or 0))
    return None


@lru_cache(maxsize=64)
def _load_font(face: Face | None, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if face is None:
        # Pillow's own font: Latin only, the same on every machine.
        return ImageFont.load_default(size)
    # Basic layout: no shaping library whose version could change the pixels.
    return ImageFont.truetype(face.path, size, index=face.index, layout_engine=ImageFont.Layout.BASIC)


def script_of(text: str, language: str) -> str:
    """Which font a text needs: 'ko' for Hangul, 'ja' for kana, Han characters by the language."""
    han = False
    for ch in text:
        if "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f":
            return "ko"
        if "\u3040" <= ch <= "\u30ff":
            return "ja"
        han = han or "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"
    if not han:
        return "latin"
    primary = language.split("-")[0].lower()
    return primary if primary in ("ko", "zh") else "ja"


def _breaks_anywhere(ch: str) -> bool:
    # Chinese and Japanese text may break between any two characters; Korean breaks at spaces.
    return "\u3000" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def _pieces(word: str) -> Iterable[str]:
    piece = ""
    for ch in word:
        if _breaks_anywhere(ch):
            if piece:
                yield piece
                piece = ""
            yield ch
        else:
            piece += ch
    if piece:
        yield piece


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Lines no wider than `width`; a piece wider than a line is cut between characters."""
    lines: list[str] = []
    line = ""
    for w, word in enumerate(text.split()):
        for p, piece in enumerate(_pieces(word)):
            joined = line + (" " if line and w > 0 and p == 0 else "") + piece
            if font.getlength(joined) <= width:
                line = joined
                continue
            if line:
                lines.append(line)
            line = ""
            for ch in piece:
                if line and font.getlength(line + ch) > width:
                    lines.append(line)
                    line = ""
                line += ch
    if line:
        lines.append(line)
    return lines


@dataclass(frozen=True)
class Card:
    """The words of one card; the title may be absent (the site's own card)."""

    heading: str
    title: str | None
    details: tuple[str, ...] = ()
    language: str = "en"


@dataclass
class CardMaker:
    """Draws cards into `cache_dir`, reusing any drawn before from the same words and fonts."""

    cache_dir: Path
    missing_fonts: set[str] = field(default_factory=set)
    used: set[Path] = field(default_factory=set)
    # Each card's file and the scripts it lacks a font for: a maker kept across the rebuilds of
    # `mkdocs serve` names thousands of unchanged cards again without weighing their words.
    # Fonts are looked up once a process (`find_face`), so a card's file cannot change under it.
    _known: dict[Card, tuple[Path, frozenset[str]]] = field(default_factory=dict, repr=False)

    def begin(self) -> None:
        """Another build: what it uses and misses is its own (`prune`, `missing_fonts`)."""
        self.used = set()
        self.missing_fonts = set()
        if len(self._known) > _KNOWN_CARDS:
            self._known = {}

    def _font(self, script: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont | None:
        face = find_face(script)
        if face is None and script != "latin":
            self.missing_fonts.add(script)
            return None
        return _load_font(face, size)

    def _faces(self, card: Card) -> list[object]:
        """The fonts the card's words need, by identity; a missing one is noted even when the
        card comes from the cache."""
        texts = [card.heading, card.title or "", *card.details]
        scripts = sorted({script_of(t, card.language) for t in texts if t} | {"latin"})
        faces: list[object] = []
        for script in scripts:
            face = find_face(script)
            if face is None and script != "latin":
                self.missing_fonts.add(script)
            faces.append([script, *(face.identity() if face else [None])])
        return faces

    def path(self, card: Card) -> Path:
        """The card's file in the cache, drawn now if it is not there yet."""
        return self.paths([card])[0]

    def paths(self, cards: Sequence[Card]) -> list[Path]:
        """Each card's file in the cache, drawing those not there yet."""
        targets = [self._target(card) for card in cards]
        missing = {target: card for target, card in zip(targets, cards, strict=True) if not target.is_file()}
        if missing:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            for target, data in zip(missing, self._drawn(list(missing.values())), strict=True):
                # Written whole, then renamed: a build that stops half-way leaves no broken card.
                fd, tmp = tempfile.mkstemp(dir=self.cache_dir, suffix=".tmp")
                with os.fdopen(fd, "wb") as stream:
                    stream.write(data)
                os.replace(tmp, target)
        return targets

    def _target(self, card: Card) -> Path:
        known = self._known.get(card)
        if known is None:
            faces = self._faces(card)
            key = json.dumps(
                [DRAWING_VERSION, PIL.__version__, card.heading, card.title, card.details, card.language, faces],
                ensure_ascii=False,
            )
            digest = hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()
            lacking = frozenset(face[0] for face in faces if face[1:] == [None] and face[0] != "latin")
            known = self._known[card] = (self.cache_dir / f"{digest}.png", lacking)
        target, lacking = known
        self.missing_fonts |= lacking
        self.used.add(target)
        return target

    def _drawn(self, cards: list[Card]) -> Iterable[bytes]:
        workers = min(os.cpu_count() or 1, len(cards) // _CARDS_PER_WORKER)
        # A fork copies only the thread that forks: with other threads running (a server's),
        # a lock one of them held would stay held in the copy.
        if workers < 2 or not hasattr(os, "fork") or threading.active_count() > 1:
            return map(self.draw, cards)
        global _drawing
        _drawing = self
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.map(_draw, cards, chunksize=_CARDS_PER_WORKER // 4)

    def prune(self) -> None:
        """Drop cached cards this build did not use (titles edited, briefings removed)."""
        if not self.cache_dir.is_dir():
            return
        for path in self.cache_dir.iterdir():
            if path.suffix in (".png", ".tmp") and path not in self.used:
                path.unlink(missing_ok=True)

    def _text_font(self, text: str, language: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont | None:
        return self._font(script_of(text, language), size)

    def draw(self, card: Card) -> bytes:
        # The words are drawn as coverage into a greyscale mask, which becomes the indices of
        # a palette running from the background to white: an 8-bit PNG, small and quick to encode.
        mask = Image.new("L", (WIDTH, HEIGHT), 0)
        draw = ImageDraw.Draw(mask)
        inner = WIDTH - 2 * _MARGIN
        heading_font = self._text_font(card.heading, card.language, 38)
        y = _MARGIN - 10
        if heading_font is not None and card.heading:
            draw.text((_MARGIN, y), _fit(card.heading, heading_font, inner), font=heading_font, fill=_MUTED)
        y += 80
        if card.title:
            self._draw_title(draw, card.title, card.language, y, inner)
        details_y = HEIGHT - _MARGIN - 40
        for detail in card.details:
            font = self._text_font(detail, card.language, 32)
            if font is not None and detail:
                draw.text((_MARGIN, details_y), _fit(detail, font, inner), font=font, fill=255)
            details_y -= 48
        image = Image.frombytes("P", mask.size, mask.point(_SHADES).tobytes())
        image.putpalette(_PALETTE)
        ImageDraw.Draw(image).rectangle((0, 0, 15, HEIGHT), fill=_ACCENT_INDEX)
        out = io.BytesIO()
        # No text chunks and no time: the bytes follow from the pixels alone.
        image.save(out, format="PNG", compress_level=3)
        return out.getvalue()

    def _draw_title(self, draw: ImageDraw.ImageDraw, title: str, language: str, y: int, inner: int) -> None:
        lines: list[str] = []
        font = None
        for size, most in ((68, 3), (56, 4), (46, 5)):
            font = self._text_font(title, language, size)
            if font is None:
                return
            lines = wrap(title, font, inner)
            if len(lines) <= most:
                break
        assert font is not None
        if len(lines) > most:
            lines = [*lines[: most - 1], _fit(" ".join(lines[most - 1 :]), font, inner)]
        step = int(size * 1.25)
        for i, line in enumerate(lines):
            draw.text((_MARGIN, y + i * step), line, font=font, fill=255)


# Fewer cards than this per worker are drawn faster than a worker is forked and fed.
_CARDS_PER_WORKER = 32
# Cards remembered by a kept maker before it starts afresh (a few titles' worth of edits per briefing).
_KNOWN_CARDS = 100_000
# The maker whose cards the forked workers draw (set just before forking).
_drawing: CardMaker | None = None


def _draw(card: Card) -> bytes:
    assert _drawing is not None
    return _drawing.draw(card)


def _fit(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int) -> str:
    """The text, cut with an ellipsis where it would overflow the line."""
    text = " ".join(text.split())
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def normalised(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def briefing_card(site_name: str, title: str, details: Sequence[str], language: str) -> Card:
    return Card(normalised(site_name), normalised(title), tuple(normalised(d) for d in details), language)


def site_card(site_name: str, description: str | None, language: str) -> Card:
    return Card("", normalised(site_name), (normalised(description),) if description else (), language)


def card_files(index: SiteIndex, address: SiteAddress, description: str | None, maker: CardMaker) -> dict[str, Path]:
    """Output file name → drawn card, for the site and every published briefing; a translation
    has its own card, in its language: its title, the site's name, period and themes as the
    pages in that language write them."""
    settings = index.settings
    cards = {urls.card(): site_card(address.name, description, settings.language)}
    for b in index.briefings:
        themes = " · ".join(settings.theme(t).title for t in b.themes)
        details = (b.period.display(), themes) if b.period else (themes,)
        language = b.language or settings.language
        cards[urls.card(b.slug)] = briefing_card(address.name, b.title, details, language)
    for language in settings.languages[1:]:
        view = index.in_language(language)
        heading = site_name_in(address, view)
        for b in view.briefings:
            if not b.is_translation:
                continue
            themes = " · ".join(view.settings.theme(t).title for t in b.themes)
            details = (period(b.period, language), themes) if b.period else (themes,)
            cards[urls.edition_card(b)] = briefing_card(heading, b.title, details, b.language or language)
    files = dict(zip(cards, maker.paths(list(cards.values())), strict=True))
    maker.prune()
    return files
