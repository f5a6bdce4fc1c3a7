"""The `trilat` command for editors: start, check, list and review briefings.

It never imports MkDocs, so that `trilat check` is quick enough to run on every
save; the site's settings come from mkdocs.yml through `siteconfig`.

Exit codes: 0 when all is well, 1 when briefings have problems (`check`), 2 when
the command itself cannot run as asked (bad option, unreadable mkdocs.yml,
unknown theme, a file in the way).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import posixpath
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from ..core.gcpause import collector_paused
from ..core.loader import Corpus, find_briefing_files, load_briefings, parse_briefing
from ..core.model import Briefing
from ..core.problems import Problem, Severity, did_you_mean, one_of
from ..core.settings import SettingsError
from ..core.slugs import RESERVED_SLUGS, slugify
from .formats import format_problem, github_annotation
from .report import DEFAULT_MIN_PER_THEME, DEFAULT_STALE_DAYS, editorial_report, format_report
from .scaffold import clean_title, skeleton, slug_for_title, unique_slug
from .selection import select_briefings, select_problems, within
from .siteconfig import SiteConfig, read_site_config

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2

F = TypeVar("F", bound=Callable[..., Any])


def today() -> dt.date:
    """The day the command runs; tests replace it to fix the clock."""
    return dt.date.today()


class UsageProblem(click.ClickException):
    """The command cannot do what was asked; the message says why."""

    exit_code = EXIT_USAGE


def _config_option(command: F) -> F:
    return click.option(
        "--config-file",
        "-f",
        "config_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default="mkdocs.yml",
        show_default=True,
        help="The site's MkDocs configuration, whose trilat plugin options are used.",
    )(command)


def _site(config_file: Path) -> SiteConfig:
    try:
        return read_site_config(config_file)
    except SettingsError as exc:
        raise UsageProblem(str(exc)) from None


def _briefings_root(site: SiteConfig) -> Path:
    return site.project_dir / site.settings.briefings_dir


def _load(site: SiteConfig) -> Corpus:
    # Reading a corpus allocates many objects and no cycles: see gcpause.
    with collector_paused():
        return load_briefings(site.project_dir, site.settings)


def _note_errors(corpus: Corpus) -> None:
    """Commands that only read the corpus say when some briefings were left out."""
    if corpus.errors:
        count = len(corpus.errors)
        click.echo(
            f"trilat: {count} {'error' if count == 1 else 'errors'} in briefings: the briefings "
            "concerned are left out; run 'trilat check' to see them",
            err=True,
        )


def _check_ids(values: Iterable[str], allowed: frozenset[str], what: str, option: str) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        if value not in allowed:
            raise click.BadParameter(
                f"unknown {what} '{value}'{did_you_mean(value, allowed)}; allowed: {one_of(allowed)}",
                param_hint=f"'{option}'",
            )
        if value not in out:
            out.append(value)
    return tuple(out)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="trilat-site")
def main() -> None:
    """Write and check trilat-site briefings.

    Every command reads the trilat plugin's options from mkdocs.yml (or the file
    given with -f). Exit codes: 0 all is well; 1 briefings have problems
    (check); 2 the command could not run as asked.
    """


# -- trilat new -----------------------------------------------------------------------


def _target_folder(root: Path, subdir: str) -> Path:
    if not subdir:
        return root
    parts = Path(subdir).parts
    if Path(subdir).is_absolute() or any(p in ("..", ".") for p in parts):
        raise click.BadParameter(
            f"'{subdir}' must be a folder below the briefings folder, e.g. --dir 2026", param_hint="'--dir'"
        )
    if any(p.startswith(("_", ".")) for p in parts):
        raise click.BadParameter(
            f"'{subdir}': files in folders whose names start with '_' or '.' are not briefings",
            param_hint="'--dir'",
        )
    folder = root
    for part in parts:
        folder = folder / part
        if folder.is_symlink():
            raise click.BadParameter(
                f"'{subdir}': {part} is a symbolic link, which the build refuses", param_hint="'--dir'"
            )
        if folder.exists() and not folder.is_dir():
            raise click.BadParameter(f"'{subdir}': {part} is a file, not a folder", param_hint="'--dir'")
    return folder


def _taken_slugs(site: SiteConfig, corpus: Corpus) -> set[str]:
    taken = set(RESERVED_SLUGS)
    taken.update(b.slug for b in corpus.briefings)
    root = _briefings_root(site)
    if root.is_dir():
        files, _ = find_briefing_files(root, site.project_dir)
        taken.update(slugify(f.stem) for f in files)
    return taken


def _display_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


@main.command()
@click.argument("title")
@click.option(
    "--theme",
    "themes",
    multiple=True,
    required=True,
    metavar="ID",
    help="A theme id the site declares; repeat for several.",
)
@click.option("--country", "countries", multiple=True, metavar="ID", help="A country id; repeat for several.")
@click.option(
    "--dir",
    "subdir",
    default="",
    metavar="SUBFOLDER",
    help="Folder below the briefings folder to write into, e.g. 2026 (created if needed).",
)
@click.option(
    "--date",
    "date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="YYYY-MM-DD",
    help="Publication date.  [default: today]",
)
@_config_option
def new(
    title: str,
    themes: tuple[str, ...],
    countries: tuple[str, ...],
    subdir: str,
    date: dt.datetime | None,
    config_file: Path,
) -> None:
    """Start a briefing called TITLE and print the path of the new file.

    The file gets today's date, the given themes and countries, a placeholder
    summary, and commented examples of the optional keys. Its name and slug come
    from the title, with -2, -3 ... added when the slug is taken. An existing
    file is never overwritten.

    \b
    Example:
      trilat new "Energy security after the shale boom" --theme energy --country us --dir 2026
    """
    site = _site(config_file)
    settings = site.settings
    title = clean_title(title)
    if not title:
        raise click.BadParameter("the title is empty", param_hint="'TITLE'")
    themes = _check_ids(themes, settings.theme_ids, "theme", "--theme")
    countries = _check_ids(countries, settings.country_ids, "country", "--country")
    root = _briefings_root(site)
    if not root.is_dir():
        raise UsageProblem(f"the briefings folder {settings.briefings_dir} does not exist: create it")
    folder = _target_folder(root, subdir)
    corpus = _load(site)
    slug = unique_slug(slug_for_title(title), _taken_slugs(site, corpus), folder)
    path = folder / f"{slug}.md"
    text = skeleton(title, (date.date() if date else today()), themes, countries, settings.briefings_dir)
    data = text.encode("utf-8")
    rel = path.relative_to(site.project_dir).as_posix()
    parsed = parse_briefing(
        data,
        path=rel,
        src_rel=path.relative_to(root).as_posix(),
        settings=settings,
        registry=corpus.registry,
    )
    errors = [p for p in parsed.problems if p.severity is Severity.ERROR]
    if errors:  # pragma: no cover - the skeleton is built to pass; this guards the guarantee
        raise UsageProblem("the new briefing would not pass the checks:\n" + "\n".join(map(str, errors)))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as out:
            out.write(data)
    except FileExistsError:
        raise UsageProblem(f"{rel} already exists: it is left as it is") from None
    except OSError as exc:
        raise UsageProblem(f"{rel} cannot be written: {exc.strerror}") from None
    click.echo(_display_path(path))


# -- trilat check ---------------------------------------------------------------------


def _relative_to_project(path: Path, project_dir: Path) -> str | None:
    """A path given on the command line as the loader names it (relative to the project), if it can."""
    absolute = Path(os.path.abspath(path))
    # Resolve the folders but not the last name, which may be a symbolic link the build refuses.
    located = absolute.parent.resolve() / absolute.name
    try:
        return Path(os.path.relpath(located, project_dir)).as_posix()
    except ValueError:  # another drive on Windows
        return None


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text: one 'file:line: message' a line; json: a list of {path, line, severity, message}; "
    "github: GitHub Actions annotations.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors, as 'mkdocs build --strict' does.")
@_config_option
def check(paths: tuple[Path, ...], fmt: str, strict: bool, config_file: Path) -> None:
    """Check briefings with the build's own rules, reporting every problem at once.

    Without PATHS the whole briefings folder is checked. With PATHS (files or
    folders) only their problems are reported, but they are still checked
    against every briefing, so duplicate slugs and related links are caught.

    Each problem is one line 'file:line: message' (warnings read
    'file:line: warning: message'); a count goes to standard error.

    \b
    Exit codes: 0 no errors (and no warnings with --strict);
                1 problems found; 2 the check could not run.
    """
    site = _site(config_file)
    briefings_dir = posixpath.normpath(site.settings.briefings_dir)
    wanted: list[str] = []
    for given in paths:
        rel = _relative_to_project(given, site.project_dir)
        if rel is not None and (rel == "." or within(briefings_dir, rel)):
            rel = briefings_dir  # a folder that holds the whole briefings folder
        if rel is None or not within(rel, briefings_dir):
            click.echo(f"trilat: {given} is not in the briefings folder: nothing to check there", err=True)
            continue
        wanted.append(rel)
    if paths and not wanted:
        _emit([], fmt)
        return
    corpus = _load(site)
    problems = select_problems(corpus.problems, wanted)
    _emit(problems, fmt)
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    checked = len({p.path for p in problems} | {b.path for b in corpus.briefings if _wanted(b, wanted)})
    click.echo(
        f"trilat: {checked} {'file' if checked == 1 else 'files'} checked: "
        f"{errors} {'error' if errors == 1 else 'errors'}, {warnings} {'warning' if warnings == 1 else 'warnings'}",
        err=True,
    )
    if errors or (strict and warnings):
        raise SystemExit(EXIT_PROBLEMS)


def _wanted(briefing: Briefing, wanted: Sequence[str]) -> bool:
    return not wanted or any(within(briefing.path, w) for w in wanted)


def _emit(problems: Sequence[Problem], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    elif fmt == "github":
        for problem in problems:
            click.echo(github_annotation(problem))
    else:
        for problem in problems:
            click.echo(format_problem(problem))


# -- trilat list ----------------------------------------------------------------------


def format_table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)


@main.command(name="list")
@click.option("--theme", "themes", multiple=True, metavar="ID", help="Only briefings with this theme.")
@click.option("--country", "countries", multiple=True, metavar="ID", help="Only briefings on this country.")
@click.option("--year", "years", multiple=True, type=int, metavar="YYYY", help="Only briefings of this year.")
@click.option("--drafts", is_flag=True, help="Include drafts, marked as such.")
@_config_option
def list_briefings(
    themes: tuple[str, ...],
    countries: tuple[str, ...],
    years: tuple[int, ...],
    drafts: bool,
    config_file: Path,
) -> None:
    """List briefings newest first: date, slug, themes and title.

    Repeat an option to accept several values (--theme energy --theme cyber);
    different options must all match.
    """
    site = _site(config_file)
    themes = _check_ids(themes, site.settings.theme_ids, "theme", "--theme")
    countries = _check_ids(countries, site.settings.country_ids, "country", "--country")
    corpus = _load(site)
    _note_errors(corpus)
    chosen = select_briefings(
        corpus.briefings, themes=themes, countries=countries, years=years, drafts=drafts
    )
    if not chosen:
        click.echo("trilat: no briefing matches", err=True)
        return
    rows = [("DATE", "SLUG", "THEMES", "TITLE")]
    rows += [
        (
            b.date.isoformat(),
            # A translation shares its original's slug: its language tells them apart.
            f"{b.slug} [{b.language}]" if b.is_translation else b.slug,
            ",".join(b.themes),
            f"[draft] {b.title}" if b.draft else b.title,
        )
        for b in chosen
    ]
    click.echo(format_table(rows))


# -- trilat report --------------------------------------------------------------------


@main.command()
@click.option(
    "--stale-days",
    type=click.IntRange(min=0),
    default=DEFAULT_STALE_DAYS,
    metavar="DAYS",
    show_default=True,
    help="A briefing not revised (updated, else date) for more days than this is stale.",
)
@click.option(
    "--min-per-theme",
    type=click.IntRange(min=1),
    default=DEFAULT_MIN_PER_THEME,
    metavar="N",
    show_default=True,
    help="Themes with fewer published briefings are listed.",
)
@click.option(
    "--today",
    "today_",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="YYYY-MM-DD",
    help="Judge staleness as of this day.  [default: today]",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for reading; json for scripts and dashboards.",
)
@_config_option
def report(
    stale_days: int, min_per_theme: int, today_: dt.datetime | None, fmt: str, config_file: Path
) -> None:
    """Report on the briefings' editorial health.

    Lists themes with few or no published briefings, briefings without
    sources, briefings not revised for --stale-days days, people and
    organisations of the registry that no briefing cites, and related links
    that go one way only (A lists B, B does not list A). Drafts are left out,
    except that the people and organisations they name count as cited.

    The report is information, not a check: it exits with 0 whatever it finds.
    """
    site = _site(config_file)
    corpus = _load(site)
    _note_errors(corpus)
    result = editorial_report(
        corpus.briefings,
        site.settings,
        corpus.registry,
        today=today_.date() if today_ else today(),
        stale_days=stale_days,
        min_per_theme=min_per_theme,
    )
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(result), nl=False)
