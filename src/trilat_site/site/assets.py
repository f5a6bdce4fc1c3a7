"""Files the site publishes as they are given: people's pictures."""

from __future__ import annotations

from pathlib import Path

from ..core.index import SiteIndex
from ..core.registry import photo_file
from . import urls


def asset_files(index: SiteIndex, project_dir: Path) -> dict[str, Path]:
    """Output file name → the file on disk to publish there."""
    files = {
        urls.photo(p.id, p.photo): path
        for p in index.people
        if p.photo and (path := photo_file(project_dir, index.settings, p)) is not None
    }
    return files
