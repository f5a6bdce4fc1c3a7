"""Read every briefing under a folder into validated records, or report every problem.

Which files are briefings: every `*.md` file below the briefings folder, in any
subfolder, except files and folders whose name starts with `_` or `.` (an
authoring guide `_guide.md`, the data folder `_data/`) and `README.md` files.
Such a file is never half-read: it is a briefing, checked in full, or it is not.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from .bodycheck import check_body
from .fields import FRONT_MATTER
from .model import Briefing, Registry
from .problems import InputError, Problem, Severity, did_you_mean
from .registry import DATA_DIR, load_registry
from .schema import key_lines, related_lines, validate_front_matter
from .settings import SiteSettings
from .slugs import slugify
from .text import name_problem, shown
from .textfile import NotRegularFile, decode, not_regular, read_regular, split_front_matter
from .yamltree import YMap, YNode, YScalar, parse_tree

MAX_FILE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Corpus:
    """Every valid briefing (drafts included) and every problem found while reading them."""

    briefings: tuple[Briefing, ...]
    problems: tuple[Problem, ...]
    registry: Registry = field(default_factory=Registry)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    @property
    def published(self) -> tuple[Briefing, ...]:
        return tuple(b for b in self.briefings if not b.draft)


@dataclass(frozen=True, slots=True)
class _Parsed:
    """One file's result, cached by content so `mkdocs serve` rebuilds skip unchanged files."""

    briefing: Briefing | None
    problems: tuple[Problem, ...]
    slug_line: int
    related_lines: dict[str, int]
    refused_slug: str | None = None
    """The slug a refused file would have had, so links to it are not called dangling."""
    lines: dict[str, int] = field(default_factory=dict)
    """The line of each top-level key, for problems found once every file is read."""


@dataclass
class BriefingCache:
    """Parsed files keyed by path and content digest, valid for one settings and set of registry ids.

    It survives `mkdocs serve` rebuilds; a change of settings, or of which people and
    organisations the registry declares, empties it. A file's check reads no more of the
    registry than its ids, so an edited name or role keeps every parsed file.
    """

    context: tuple[object, ...] | None = None
    entries: dict[tuple[str, str], _Parsed] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)
    """Each briefing file's content digest, as last read: what its page was made from."""
    stats: dict[str, tuple[tuple[int, ...], str]] = field(default_factory=dict)
    """Each file's status when it was read, with its digest (see `unchanged`)."""

    def use(self, settings: SiteSettings, registry: Registry) -> None:
        context = (settings, registry.person_ids, registry.organization_ids, registry.broken)
        if context != self.context:
            self.context = context
            self.entries.clear()

    def keep(self, live: set[tuple[str, str]]) -> None:
        for key in [k for k in self.entries if k not in live]:
            del self.entries[key]
        self.digests = dict(live)
        self.stats = {rel: seen for rel, seen in self.stats.items() if rel in self.digests}

    def unchanged(self, path: Path, rel: str) -> tuple[str | None, tuple[int, ...] | None]:
        """The file's digest if its status is the one it had when last read, else None; and its
        status now, if it can be trusted to change with the file (for `saw`).

        Reading and digesting 5,000 files is a third of a second of every preview rebuild.
        As Git does, a file changed in the last seconds before it was looked at is read every
        time: a write in the same clock tick could leave its size and times as they were.
        """
        try:
            before = time.time_ns()
            st = os.lstat(path)
        except OSError:
            return None, None
        status = (st.st_mode, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        seen = self.stats.get(rel)
        if seen is not None and seen[0] == status:
            return seen[1], status
        trusted = max(st.st_mtime_ns, st.st_ctime_ns) < before - _RACY_NS
        return None, status if trusted else None

    def saw(self, rel: str, status: tuple[int, ...] | None, digest: str) -> None:
        if status is None:
            self.stats.pop(rel, None)
        else:
            self.stats[rel] = (status, digest)


# How recent a change must be for a file's status not to be trusted to show the next one.
_RACY_NS = 2_000_000_000


# Names MkDocs reads as Markdown; a briefing is `*.md`, so the others are reported, not skipped.
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkdn", ".mkd"})


def is_briefing_name(rel_parts: tuple[str, ...]) -> bool:
    if any(part.startswith(("_", ".")) for part in rel_parts):
        return False
    name = rel_parts[-1]
    return name.endswith(".md") and name.lower() != "readme.md"


def _misnamed(name: str) -> str | None:
    """Why a Markdown file not named `*.md` (`x.MD`, `x.markdown`) is no briefing, or None.

    On a case-insensitive disk `x.MD` and `x.md` are one file and on Git's side two, so
    the suffix is exactly `.md`; anything else that reads as Markdown is an error rather
    than silently left out of the site.
    """
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem or suffix == "md" or f".{suffix.lower()}" not in MARKDOWN_SUFFIXES:
        return None
    if stem.lower() == "readme":
        return None
    return (
        f"is not read as a briefing: briefings are named *.md in lower case; rename it to "
        f"{stem}.md, or start its name with '_' to keep it out of the site"
    )


def find_briefing_files(root: Path, base: Path) -> tuple[list[Path], list[Problem]]:
    """Briefing files in a stable order, and what keeps others from being read.

    Symbolic links are refused, never followed; so are names that are not UTF-8 or hold
    control characters, and anything that is not a regular file (a FIFO would block the
    build for ever), all checked before a file is opened.
    """
    found: list[Path] = []
    problems: list[Problem] = []

    def refuse(path: Path, message: str) -> None:
        problems.append(Problem(_display(path, base), 1, message))

    def unreadable(error: OSError) -> None:
        if error.filename is not None and Path(error.filename) != root:
            refuse(Path(error.filename), f"cannot be read: {error.strerror}")

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=False):
        here = Path(dirpath)
        rel_dir = here.relative_to(root).parts
        for name in list(dirnames):
            link = here / name
            if name.startswith(("_", ".")):
                dirnames.remove(name)
            elif link.is_symlink():
                dirnames.remove(name)
                refuse(link, "is a symbolic link to a folder: move the briefings here instead")
            elif reason := name_problem(name):
                dirnames.remove(name)
                refuse(link, reason.replace("file name", "folder name"))
        dirnames.sort()
        for name in sorted(filenames):
            path = here / name
            if not is_briefing_name((*rel_dir, name)):
                if not name.startswith(("_", ".")) and (reason := _misnamed(name)):
                    refuse(path, reason)
                continue
            if reason := name_problem(name):
                refuse(path, reason)
                continue
            try:
                what = not_regular(path.lstat().st_mode)
            except OSError as exc:
                refuse(path, f"cannot be read: {exc.strerror}")
                continue
            if what == "a symbolic link":
                refuse(path, "is a symbolic link: briefings must be regular files in the folder")
            elif what is not None:
                refuse(path, f"is {what}, not a regular file: briefings must be regular files")
            else:
                found.append(path)
    return found, problems


def one_line(problem: Problem) -> Problem:
    """Messages quote what the file says, and paths what the disk says: shown on one line.

    A line break, control or direction character in either would split the
    `file:line: message` line or reorder it; a name that is not UTF-8 would make the
    JSON output invalid.
    """
    path, message = shown(problem.path), shown(problem.message)
    if path is problem.path and message is problem.message:
        return problem
    return replace(problem, path=path, message=message)


def _display(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def parse_briefing(
    data: bytes, *, path: str, src_rel: str, settings: SiteSettings, registry: Registry | None = None
) -> _Parsed:
    """One file's bytes to a record or problems; never raises for bad input."""
    problems: list[Problem] = []
    if len(data) > MAX_FILE_BYTES:
        message = f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB: split it into several briefings"
        return _Parsed(None, (Problem(path, 1, message),), 1, {})
    try:
        front, body, body_line = split_front_matter(decode(data))
    except InputError as exc:
        return _Parsed(None, (exc.at(path, 1),), 1, {})
    try:
        root: YNode | None = parse_tree(front)
    except InputError as exc:
        # Its lines count from the front matter's first, the file's second.
        return _Parsed(None, (exc.at(path, 1, offset=1),), 1, {})
    briefing = validate_front_matter(
        root,
        path=path,
        src_rel=src_rel,
        offset=1,
        settings=settings,
        registry=registry or Registry(),
        problems=problems,
    )
    for issue in check_body(body, sanitize=settings.sanitize):
        line = body_line + body.count("\n", 0, issue.offset)
        problems.append(Problem(path, line, issue.message, issue.severity))
    if briefing is not None and any(p.severity is Severity.ERROR for p in problems):
        briefing = None
    slug_line = 1
    if isinstance(root, YMap) and "slug" in root.entries:
        slug_line = root.entries["slug"][0] + 1
    related = {value: line + 1 for value, line in related_lines(root).items()}
    lines = {name: line + 1 for name, line in key_lines(root).items()}
    refused_slug = None
    if briefing is None and not (isinstance(root, YMap) and "translation_of" in root.entries):
        stem = src_rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        given = root.entries.get("slug") if isinstance(root, YMap) else None
        refused_slug = given[1].raw.strip() if given and isinstance(given[1], YScalar) else slugify(stem)
    return _Parsed(briefing, tuple(map(one_line, problems)), slug_line, related, refused_slug, lines)


def _read_limited(path: Path) -> bytes:
    # One byte past the limit is enough to refuse a file; a huge one is never read whole.
    return read_regular(path, MAX_FILE_BYTES + 1)


def load_briefings(
    project_dir: Path | str,
    settings: SiteSettings,
    cache: BriefingCache | None = None,
) -> Corpus:
    """Read, validate and cross-check every briefing under `settings.briefings_dir`."""
    base = Path(project_dir)
    root = base / settings.briefings_dir
    if not root.is_dir():
        return Corpus(
            (), (Problem(settings.briefings_dir, 1, "the briefings folder does not exist: create it"),)
        )
    registry, problems = load_registry(base, settings)
    if cache is not None:
        cache.use(settings, registry)
    paths, found_problems = find_briefing_files(root, base)
    problems.extend(found_problems)
    parsed: list[_Parsed] = []
    live: set[tuple[str, str]] = set()
    for file in paths:
        rel = _display(file, base)
        status = None
        if cache is not None:
            digest, status = cache.unchanged(file, rel)
            result = cache.entries.get((rel, digest)) if digest is not None else None
            if result is not None:
                live.add((rel, digest))
                parsed.append(result)
                problems.extend(result.problems)
                continue
        try:
            data = _read_limited(file)
        except NotRegularFile as exc:
            problems.append(Problem(rel, 1, f"{exc.strerror}: briefings must be regular files"))
            continue
        except OSError as exc:
            problems.append(Problem(rel, 1, f"cannot be read: {exc.strerror}"))
            continue
        result = None
        if cache is not None:
            key = (rel, file_digest(data))
            live.add(key)
            cache.saw(rel, status, key[1])
            result = cache.entries.get(key)
        if result is None:
            src_rel = file.relative_to(root).as_posix()
            result = parse_briefing(data, path=rel, src_rel=src_rel, settings=settings, registry=registry)
            if cache is not None:
                cache.entries[key] = result
        parsed.append(result)
        problems.extend(result.problems)
    if cache is not None:
        cache.keep(live)
    problems.extend(_cross_check(parsed))
    translations, translation_problems = _translations(parsed, settings)
    problems.extend(translation_problems)
    briefings = tuple(r.briefing for r in parsed if r.briefing is not None and not r.briefing.is_translation)
    return Corpus(
        briefings + translations, _root_causes_first(problems, f"{settings.briefings_dir}/{DATA_DIR}/"), registry
    )


def _root_causes_first(problems: list[Problem], data_prefix: str) -> tuple[Problem, ...]:
    """Registry problems before the briefings' own, and follow-on problems folded into one line each.

    A people.yml that does not parse would otherwise give an "unknown person" error in every
    briefing that names someone, and a refused briefing a dangling-link error in every
    briefing that relates to it, with the cause printed among them.
    """
    follow: dict[str, list[Problem]] = {}
    own: list[Problem] = []
    for problem in problems:
        (follow.setdefault(problem.cause, []) if problem.cause else own).append(problem)
    own.sort()
    first_line: dict[str, int] = {}
    for problem in own:
        first_line.setdefault(problem.path, problem.line)
    for cause, effects in sorted(follow.items()):
        files = len({p.path for p in effects})
        first = min(effects)
        if cause.startswith(data_prefix):
            what = "references"
        else:
            one = len(effects) == 1
            kinds = {
                ("translation" if one else "translations")
                if p.message.startswith("translation_of")
                else ("related link" if one else "related links")
                for p in effects
            }
            what = " and ".join(sorted(kinds))
        # Right after the cause's own problems.
        at = max((i + 1 for i, p in enumerate(own) if p.path == cause), default=len(own))
        own.insert(
            at,
            Problem(
                cause,
                first_line.get(cause, 1),
                f"{len(effects)} {what} in {files} {'briefing' if files == 1 else 'briefings'} cannot be "
                f"checked until this is fixed (the first: {first.path}:{first.line})",
            ),
        )
    roots = [p for p in own if p.path.startswith(data_prefix)]
    rest = [p for p in own if not p.path.startswith(data_prefix)]
    return tuple(map(one_line, roots + rest))


class BodyUnreadable(Exception):
    """A briefing's file no longer gives a body: it changed or went away after loading."""


def file_digest(data: bytes) -> str:
    """A briefing file's identity by content, as the cache keys it."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read_body(project_dir: Path | str, briefing: Briefing, digest: str | None = None) -> str:
    """The Markdown body of a loaded briefing, read from its file again.

    Reading it when its page is converted, rather than keeping it in the record, means
    a build holds one body at a time instead of every body of the archive. With `digest`
    (the file's content digest when it was loaded), a file that changed since is refused,
    so what is kept under that digest is what the file said.
    """
    path = Path(project_dir) / briefing.path
    try:
        data = _read_limited(path)
    except NotRegularFile as exc:
        raise BodyUnreadable(f"{briefing.path}: {exc.strerror}") from None
    except OSError as exc:
        raise BodyUnreadable(f"{briefing.path}: cannot be read: {exc.strerror}") from None
    if digest is not None and file_digest(data) != digest:
        raise BodyUnreadable(f"{briefing.path}: changed since it was read")
    try:
        return split_front_matter(decode(data))[1]
    except InputError as exc:
        raise BodyUnreadable(str(exc.at(briefing.path, 1))) from None


# What a translation takes from its original unless it gives its own (fields.py says which).
INHERITED = tuple(f.name for f in FRONT_MATTER.fields if f.in_translation == "inherited")
REFUSED_IN_TRANSLATION = tuple(f.name for f in FRONT_MATTER.fields if f.in_translation == "refused")


def resolve_translation(t: Briefing, original: Briefing) -> Briefing:
    """A translation as the site uses it: its own words, and what it does not give from the original.

    It shares the original's slug and `related`; a translation of a draft is a draft too.
    """
    inherited = {name: getattr(original, name) for name in INHERITED if not getattr(t, name)}
    return replace(
        t, **inherited, slug=original.slug, related=original.related, draft=t.draft or original.draft
    )


def _translations(parsed: list[_Parsed], settings: SiteSettings) -> tuple[tuple[Briefing, ...], list[Problem]]:
    """Every valid translation, resolved against its original, and the problems of the others.

    Checked once every file is read: the original must exist (not as a translation), be in
    another language, and have one translation per language; a draft original keeps its
    translations out until it is published.
    """
    problems: list[Problem] = []
    originals: dict[str, Briefing] = {}
    for r in parsed:
        if r.briefing is not None and not r.briefing.is_translation:
            originals.setdefault(r.briefing.slug, r.briefing)
    refused = {
        r.refused_slug: r.problems[0].path
        for r in parsed
        if r.refused_slug and r.refused_slug not in originals and r.problems
    }
    seen: dict[tuple[str, str], _Parsed] = {}
    out: list[Briefing] = []
    for result in parsed:
        t = result.briefing
        if t is None or not t.is_translation:
            continue
        assert t.translation_of is not None and t.language is not None
        line = result.lines.get("translation_of", 1)
        target = t.translation_of
        original = originals.get(target)
        if original is None:
            if target in refused:
                problems.append(Problem(t.path, line, f"translation_of: '{target}' is refused", cause=refused[target]))
            else:
                problems.append(
                    Problem(
                        t.path,
                        line,
                        f"translation_of: '{target}' names no briefing{did_you_mean(target, originals)}: "
                        "give the slug of the original briefing",
                    )
                )
            continue
        own = original.language or settings.language
        if t.language == own:
            problems.append(
                Problem(
                    t.path,
                    result.lines.get("language", line),
                    f"language: '{t.language}' is the language of the original, {original.path}: "
                    "a translation is in another language",
                )
            )
            continue
        if t.language == settings.default_language:
            # The first language's pages are the originals', whatever language each is in.
            others = ", ".join(settings.languages[1:])
            problems.append(
                Problem(
                    t.path,
                    result.lines.get("language", line),
                    f"language: '{t.language}' is the site's first language, whose pages are the originals: "
                    f"a translation is into another of the site's languages ({others})",
                )
            )
            continue
        first = seen.setdefault((target, t.language), result)
        if first is not result:
            assert first.briefing is not None
            problems.append(
                Problem(
                    t.path,
                    line,
                    f"translation_of: '{target}' already has a translation into '{t.language}', "
                    f"{first.briefing.path}:{first.lines.get('translation_of', 1)}: "
                    "remove one, or correct its language",
                )
            )
            continue
        if t.date < original.date:
            problems.append(
                Problem(
                    t.path,
                    result.lines.get("date", 1),
                    f"date ({t.date.isoformat()}) is before the original's ({original.date.isoformat()}, "
                    f"{original.path}): a translation is published on or after its original",
                )
            )
            continue
        if original.draft and not t.draft:
            problems.append(
                Problem(
                    t.path,
                    line,
                    f"translation_of: '{target}' is a draft, so this translation is left out until it is published",
                    Severity.WARNING,
                )
            )
        out.append(resolve_translation(t, original))
    return tuple(out), problems


def _cross_check(parsed: list[_Parsed]) -> list[Problem]:
    """Problems that only the whole corpus shows: shared slugs and dangling `related`."""
    problems: list[Problem] = []
    owner: dict[str, _Parsed] = {}
    for result in parsed:
        b = result.briefing
        if b is None or b.is_translation:
            continue
        first = owner.setdefault(b.slug, result)
        if first is not result:
            assert first.briefing is not None
            problems.append(
                Problem(
                    b.path,
                    result.slug_line,
                    f"slug '{b.slug}' is already used by {first.briefing.path}:{first.slug_line}: "
                    "give one of them a different slug",
                )
            )
    slugs = set(owner)
    drafts = {
        r.briefing.slug for r in parsed if r.briefing is not None and r.briefing.draft and not r.briefing.is_translation
    }
    refused = {
        r.refused_slug: r.problems[0].path for r in parsed if r.refused_slug and r.refused_slug not in slugs and r.problems
    }
    for result in parsed:
        b = result.briefing
        if b is None:
            continue
        for i, target in enumerate(b.related):
            line = result.related_lines.get(target, 1)
            if target == b.slug:
                problems.append(
                    Problem(
                        b.path, line, f"related[{i}]: a briefing cannot relate to itself: remove '{target}'"
                    )
                )
            elif target in refused:
                problems.append(Problem(b.path, line, f"related[{i}]: '{target}' is refused", cause=refused[target]))
            elif target not in slugs:
                problems.append(
                    Problem(
                        b.path,
                        line,
                        f"related[{i}]: '{target}' names no briefing{did_you_mean(target, slugs)}: "
                        "use the slug of another briefing",
                    )
                )
            elif target in drafts and not b.draft:
                problems.append(
                    Problem(
                        b.path,
                        line,
                        f"related[{i}]: '{target}' is a draft, so the link is left out until it is published",
                        Severity.WARNING,
                    )
                )
    return problems
