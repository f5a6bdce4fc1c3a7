"""The editorial health report: what the briefings lack, pure and without MkDocs.

Everything here reads validated records and returns findings; nothing reads the
clock or the disk, so the same corpus and the same `today` give the same report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..core.index import newest_first
from ..core.model import Briefing, Organization, Person, Registry, Theme
from ..core.settings import SiteSettings

DEFAULT_STALE_DAYS = 365
DEFAULT_MIN_PER_THEME = 3


@dataclass(frozen=True)
class ThemeCount:
    theme: Theme
    count: int


@dataclass(frozen=True)
class StaleBriefing:
    briefing: Briefing
    days: int
    """Days since the briefing's last revision (`updated`, else `date`)."""


@dataclass(frozen=True)
class OneSidedLink:
    """`source` lists `target` under `related`, and `target` does not list `source`."""

    source: Briefing
    target: Briefing


@dataclass(frozen=True)
class EditorialReport:
    today: dt.date
    stale_days: int
    min_per_theme: int
    published: int
    drafts: int
    thin_themes: tuple[ThemeCount, ...]
    unsourced: tuple[Briefing, ...]
    stale: tuple[StaleBriefing, ...]
    uncited_people: tuple[Person, ...]
    uncited_organizations: tuple[Organization, ...]
    one_sided: tuple[OneSidedLink, ...]

    @property
    def findings(self) -> int:
        return (
            len(self.thin_themes)
            + len(self.unsourced)
            + len(self.stale)
            + len(self.uncited_people)
            + len(self.uncited_organizations)
            + len(self.one_sided)
        )

    def as_dict(self) -> dict[str, object]:
        def ref(b: Briefing) -> dict[str, object]:
            return {"path": b.path, "slug": b.slug, "title": b.title}

        return {
            "today": self.today.isoformat(),
            "stale_days": self.stale_days,
            "min_per_theme": self.min_per_theme,
            "published": self.published,
            "drafts": self.drafts,
            "thin_themes": [
                {"id": t.theme.id, "title": t.theme.title, "count": t.count} for t in self.thin_themes
            ],
            "unsourced": [ref(b) for b in self.unsourced],
            "stale": [
                {**ref(s.briefing), "last_modified": s.briefing.last_modified.isoformat(), "days": s.days}
                for s in self.stale
            ],
            "uncited_people": [{"id": p.id, "name": p.name} for p in self.uncited_people],
            "uncited_organizations": [{"id": o.id, "name": o.name} for o in self.uncited_organizations],
            "one_sided_related": [
                {"path": link.source.path, "slug": link.source.slug, "related": link.target.slug}
                for link in self.one_sided
            ],
        }


def editorial_report(
    briefings: Iterable[Briefing],
    settings: SiteSettings,
    registry: Registry,
    *,
    today: dt.date,
    stale_days: int = DEFAULT_STALE_DAYS,
    min_per_theme: int = DEFAULT_MIN_PER_THEME,
) -> EditorialReport:
    """Findings about the published briefings.

    Drafts are not yet the site's content, so they count only as citing people
    and organisations: an entity a draft names is about to be cited.
    """
    every = list(briefings)
    # A translation is an edition of its original, not a briefing of its own.
    published = newest_first(b for b in every if not b.draft and not b.is_translation)
    by_path = sorted(published, key=lambda b: b.path)

    counts = {t.id: 0 for t in settings.themes}
    for b in published:
        for t in b.themes:
            if t in counts:
                counts[t] += 1
    thin = tuple(ThemeCount(t, counts[t.id]) for t in settings.themes if counts[t.id] < min_per_theme)

    stale = sorted(
        (
            StaleBriefing(b, (today - b.last_modified).days)
            for b in published
            if (today - b.last_modified).days > stale_days
        ),
        key=lambda s: (-s.days, s.briefing.path),
    )

    # Writing a briefing counts as being in it.
    cited_people = {p for b in every for p in b.people} | {a.person for b in every for a in b.authors if a.person}
    cited_organizations = {o for b in every for o in b.organizations} | {
        a.organization for b in every for a in b.authors if a.organization
    }

    slugs = {b.slug: b for b in published}
    one_sided = [
        OneSidedLink(b, slugs[target])
        for b in by_path
        for target in b.related
        if target in slugs and target != b.slug and b.slug not in slugs[target].related
    ]

    return EditorialReport(
        today=today,
        stale_days=stale_days,
        min_per_theme=min_per_theme,
        published=len(published),
        drafts=sum(1 for b in every if b.draft and not b.is_translation),
        thin_themes=thin,
        unsourced=tuple(b for b in by_path if not b.sources),
        stale=tuple(stale),
        uncited_people=tuple(
            sorted((p for p in registry.people if p.id not in cited_people), key=lambda p: p.id)
        ),
        uncited_organizations=tuple(
            sorted((o for o in registry.organizations if o.id not in cited_organizations), key=lambda o: o.id)
        ),
        one_sided=tuple(one_sided),
    )


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def _section(title: str, lines: list[str]) -> list[str]:
    if not lines:
        return [f"{title}: none"]
    return [f"{title} ({len(lines)}):", *(f"  {line}" for line in lines)]


def format_report(report: EditorialReport) -> str:
    """The report as plain text, one finding a line, for a terminal or a CI log."""
    heading = (
        f"Editorial report, {report.today.isoformat()}: "
        f"{_plural(report.published, 'published briefing')}, {_plural(report.drafts, 'draft')}"
    )
    sections = [
        _section(
            f"Themes with fewer than {_plural(report.min_per_theme, 'briefing')}",
            [f"{t.theme.id}: {_plural(t.count, 'briefing')} ({t.theme.title})" for t in report.thin_themes],
        ),
        _section("Briefings without sources", [f"{b.path}: {b.title}" for b in report.unsourced]),
        _section(
            f"Briefings not updated for more than {_plural(report.stale_days, 'day')}",
            [
                f"{s.briefing.path}: last revised {s.briefing.last_modified.isoformat()}, "
                f"{_plural(s.days, 'day')} ago"
                for s in report.stale
            ],
        ),
        _section("People no briefing cites", [f"{p.id}: {p.name}" for p in report.uncited_people]),
        _section(
            "Organisations no briefing cites", [f"{o.id}: {o.name}" for o in report.uncited_organizations]
        ),
        _section(
            "One-sided related links",
            [
                f"{link.source.path}: relates to '{link.target.slug}', "
                f"but {link.target.path} does not relate back to '{link.source.slug}'"
                for link in report.one_sided
            ],
        ),
    ]
    return "\n\n".join([heading, *("\n".join(lines) for lines in sections)]) + "\n"
