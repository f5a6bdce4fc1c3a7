"""Files the site publishes as they are drawn or given: share cards and people's pictures."""

from __future__ import annotations

from pathlib import Path

from ..core.index import SiteIndex
from ..core.registry import photo_file
from . import urls
from .cards import FONT_PACKAGES, CardMaker, card_files
from .urls import SiteAddress

SCRIPT_NAMES = {"ko": "Korean", "ja": "Japanese", "zh": "Chinese"}


def asset_files(
    index: SiteIndex, address: SiteAddress, project_dir: Path, description: str | None, cards: CardMaker | None
) -> dict[str, Path]:
    """Output file name → the file on disk to publish there."""
    files = {
        urls.photo(p.id, p.photo): path
        for p in index.people
        if p.photo and (path := photo_file(project_dir, index.settings, p)) is not None
    }
    if cards is not None:
        files.update(card_files(index, address, description, cards))
    return files


def missing_fonts_note(cards: CardMaker) -> str | None:
    """What to install when some share card could not show its title, or None."""
    if not cards.missing_fonts:
        return None
    scripts = ", ".join(SCRIPT_NAMES[s] for s in sorted(cards.missing_fonts))
    return (
        f"no {scripts} font was found (fontconfig), so share cards of titles in that script show "
        f"no title: install {FONT_PACKAGES} and build again"
    )
