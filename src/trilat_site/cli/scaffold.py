"""A new briefing's file: its slug from the title, and a skeleton that passes the checks."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..core.slugs import slugify

MAX_SLUG_LENGTH = 60


def slug_for_title(title: str) -> str:
    """A URL name from a title: ASCII letters and digits joined by hyphens, at most 60 characters."""
    slug = slugify(title)
    if len(slug) > MAX_SLUG_LENGTH:
        cut = slug[: MAX_SLUG_LENGTH + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:MAX_SLUG_LENGTH]
    return slug or "briefing"


def clean_title(title: str) -> str:
    """One line of printable text: a title never needs control characters or line breaks."""
    kept = "".join(ch for ch in title if unicodedata.category(ch) not in ("Cc", "Cs"))
    return " ".join(kept.split())


def _yaml_string(text: str) -> str:
    # A JSON string is a YAML double-quoted string, with the same escapes.
    return json.dumps(text, ensure_ascii=False)


def skeleton(
    title: str, date: dt.date, themes: Sequence[str], countries: Sequence[str], briefings_dir: str
) -> str:
    """A new briefing that passes the checks, with the optional keys shown as comments."""
    data = f"{briefings_dir}/_data"
    lines = [
        "---",
        f"title: {_yaml_string(title)}",
        f"date: {date.isoformat()}",
        "summary: >-",
        "  TODO: replace with one or two plain-text sentences that say what the briefing finds.",
        f"themes: [{', '.join(themes)}]",
        '# period: "2017-03/2017-05"  # the time the briefing analyses: YYYY[-MM[-DD]] or START/END',
        f"countries: [{', '.join(countries)}]" if countries else "# countries: [us, rok, japan]",
        f"# organizations: [nbr]      # ids declared in {data}/organizations.yml",
        f"# people: [ryo-sahashi]     # ids declared in {data}/people.yml",
        "# tags: [alliances, THAAD]",
        "# authors:                   # without it, the site's editors",
        f"#   - person: ryo-sahashi     # a person declared in {data}/people.yml",
        "#   - name: Your Name",
        "#     affiliation: Your institution",
        "#   - name: Research team of the project",
        "#     collective: true       # a group, cited as an organisation",
        "# sources:                   # what the briefing draws on; title is required",
        '#   - title: "Title of the report or article"',
        "#     publisher: Who published it",
        "#     author: Who wrote it",
        '#     date: "2017-03"        # YYYY, YYYY-MM or YYYY-MM-DD, quoted',
        "#     url: https://example.org/report",
        "#     type: Report",
        "# related: [slug-of-another-briefing]",
        "# events:",
        '#   - date: "2017-03"',
        "#     title: What happened",
        "# changes:                   # revisions readers should know of, after the first publication",
        "#   - date: 2018-02-01",
        "#     note: Adds the February sanctions figures.",
        "---",
        "",
        "## First section",
        "",
        "Write the briefing here. Link to another briefing by its file, e.g.",
        "`[its title](../2017/other-briefing.md)`.",
        "",
    ]
    return "\n".join(lines)


def unique_slug(base: str, taken: Iterable[str], folder: Path) -> str:
    """`base`, or `base-2`, `base-3`… : the first no briefing has and no file in `folder` is named."""
    used = set(taken)
    slug, n = base, 1
    while slug in used or (folder / f"{slug}.md").exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
