"""How to cite a briefing: a formatted reference, BibTeX, RIS and CSL-JSON.

Persons are written as reference managers parse them (`Doe, Jane Q.`; CSL `family` and
`given`), collective authors whole (BibTeX `{…}`, CSL `literal`), so that styles sort by
family name and never split an institution into a first and a last name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..core.index import SiteIndex
from ..core.model import Briefing, PartialDate
from ..core.names import is_cjk
from .bylines import Contributor, bylines
from .i18n import SOURCE_LANGUAGE, long_date, translations
from .urls import SiteAddress

REPORT_TYPE = "Research briefing"
_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")
# \~{} and \^{} are accents to most parsers (an accented nothing); these are the characters.
_BIBTEX_REPLACEMENTS = {"\\": r"\textbackslash{}", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True)
class CitationContext:
    site_name: str
    url: str
    authors: tuple[Contributor, ...]
    language: str

    @classmethod
    def of(cls, b: Briefing, index: SiteIndex, address: SiteAddress) -> CitationContext:
        """What a citation of `b` needs from the site: its name, the briefing's address and byline."""
        return cls(
            address.name,
            address.briefing_url(b),
            bylines(b, index, address.name),
            b.language or index.settings.language,
        )


def sorted_name(c: Contributor) -> str:
    """`Doe, Jane Q.` for a person whose name splits; the name as written otherwise."""
    return c.split.inverted() if c.split is not None and not c.collective else c.name


def formatted(b: Briefing, ctx: CitationContext, language: str | None = None) -> str:
    """A reference in author–title–publisher–date–URL order, the first author family name first.

    With `language` (a translation's page or PDF in another of the site's languages), the names
    are joined and the date written as that language's catalogue and Babel write them.
    """
    names = [c.name for c in ctx.authors]
    first = ctx.authors[0]
    # A name in Korean or Japanese script is written family name first already.
    inverted = not is_cjk(first.name) and sorted_name(first) != first.name
    if inverted:
        names[0] = sorted_name(first)
    who = names[0]
    if language is not None and language.split("-")[0].lower() != SOURCE_LANGUAGE:
        words = translations(language).gettext
        if len(names) > 1:
            who = words(", ").join(names[:-1]) + words(" and ") + names[-1]
        when = long_date(b.date, language)
    else:
        if len(names) > 1:
            who = ", ".join(names[:-1]) + ("," if len(names) > 2 or inverted else "") + " and " + names[-1]
        when = PartialDate.from_date(b.date).display()
    return f"{who.rstrip('.')}. “{b.title}.” {ctx.site_name}, {when}. {ctx.url}".rstrip()


def _bibtex_escape(text: str) -> str:
    # One pass, so the braces that escapes add are not escaped again.
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_REPLACEMENTS.get(m.group(1), "\\" + m.group(1)), text)


def bibtex_title(title: str) -> str:
    """The title with each run of capitalised words braced (`{North Korea}`), which styles that
    change case leave alone; the rest stays theirs to lowercase."""
    out: list[str] = []
    run: list[str] = []

    def close() -> None:
        # A title's first word, capitalised only as a sentence's first word is, needs no braces.
        if not run:
            return
        plain = not out and len(run) == 1 and not any(c.isupper() for c in run[0][1:])
        out.append(run[0] if plain else "{" + " ".join(run) + "}")
        run.clear()

    for word in title.split():
        if any(ch.isupper() for ch in word):
            run.append(_bibtex_escape(word))
            continue
        close()
        out.append(_bibtex_escape(word))
    close()
    return " ".join(out)


def bibtex_name(c: Contributor) -> str:
    """`Doe, Jane Q.` (with `von` and `Jr` parts where a name has them); a collective name braced."""
    if c.split is None or c.collective:
        return "{" + _bibtex_escape(" ".join(c.name.split())) + "}"
    n = c.split
    parts = [_bibtex_escape(n.family_with_particle)]
    if n.suffix:
        parts.append(_bibtex_escape(n.suffix))
    if n.given or n.suffix:
        parts.append(_bibtex_escape(n.given))
    # A lone family name in braces: BibTeX would read a space in it as a first name.
    return ", ".join(parts) if len(parts) > 1 else "{" + parts[0] + "}"


def bibtex(b: Briefing, ctx: CitationContext) -> str:
    fields = [
        ("title", bibtex_title(b.title)),
        ("author", " and ".join(bibtex_name(c) for c in ctx.authors)),
        ("institution", _bibtex_escape(ctx.site_name)),
        ("year", str(b.date.year)),
        ("month", _MONTHS[b.date.month - 1]),
        ("type", REPORT_TYPE),
        ("abstract", _bibtex_escape(b.summary)),
    ]
    if ctx.url:
        fields.append(("url", ctx.url))
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}" for name, value in fields
    )
    return f"@techreport{{{b.slug.replace('-', '_')},\n{body}\n}}"


def _ris_line(text: str) -> str:
    return " ".join(text.split())


def ris(b: Briefing, ctx: CitationContext) -> str:
    lines = ["TY  - RPRT", f"TI  - {_ris_line(b.title)}"]
    # `Family, Given` for persons; a collective name without a comma is read as one name.
    lines += [f"AU  - {_ris_line(sorted_name(c))}" for c in ctx.authors]
    lines += [
        f"PY  - {b.date.year}",
        f"DA  - {b.date.strftime('%Y/%m/%d')}",
        f"PB  - {_ris_line(ctx.site_name)}",
        f"M3  - {REPORT_TYPE}",
        f"LA  - {ctx.language}",
        f"AB  - {_ris_line(b.summary)}",
    ]
    lines += [f"KW  - {_ris_line(t)}" for t in b.tags]
    if ctx.url:
        lines.append(f"UR  - {ctx.url}")
    lines.append("ER  - ")
    return "\n".join(lines)


def csl_name(c: Contributor) -> dict[str, str]:
    if c.split is None or c.collective:
        return {"literal": c.name}
    n = c.split
    name = {"family": n.family, "given": n.given, "non-dropping-particle": n.particle, "suffix": n.suffix}
    return {key: value for key, value in name.items() if value}


def csl_keywords(tags: tuple[str, ...]) -> str:
    """Tags joined by semicolons, as citation managers split them; a semicolon in a tag would
    split it, so it becomes a comma."""
    return "; ".join(t.replace(";", ",") for t in tags)


def csl_id(b: Briefing) -> str:
    """A CSL item's id, a citation key: the slug, and a translation's language after a dot (slugs
    have no dots, so `x.ko` is no other briefing's key)."""
    return f"{b.slug}.{b.language}" if b.is_translation else b.slug


def csl_item(
    b: Briefing,
    ctx: CitationContext,
    pdf_url: str | None = None,
    *,
    original: Briefing | None = None,
    translators: Sequence[Contributor] = (),
) -> dict[str, Any]:
    """A CSL-JSON item; CSL has no variable for a PDF, so its address goes under `custom`.

    A translation (with its `original`) is an item in its own language that names the original's
    title and date, and its translators where it names them.
    """
    item: dict[str, Any] = {
        "id": csl_id(b),
        "type": "report",
        "genre": REPORT_TYPE,
        "title": b.title,
        "author": [csl_name(c) for c in ctx.authors],
        "issued": {"date-parts": [[b.date.year, b.date.month, b.date.day]]},
        "publisher": ctx.site_name,
        "abstract": b.summary,
        "language": ctx.language,
    }
    if original is not None:
        item["original-title"] = original.title
        item["original-date"] = {"date-parts": [[original.date.year, original.date.month, original.date.day]]}
        if translators:
            item["translator"] = [csl_name(c) for c in translators]
    if b.tags:
        item["keyword"] = csl_keywords(b.tags)
    if ctx.url:
        item["URL"] = ctx.url
    if pdf_url:
        item["custom"] = {"pdf": pdf_url}
    return item
