"""How to cite a briefing: a formatted reference, BibTeX, RIS and CSL-JSON."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..core.model import Briefing, PartialDate
from .urls import SiteAddress

DEFAULT_AUTHOR = "editors"
_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")
_BIBTEX_REPLACEMENTS = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True)
class CitationContext:
    site_name: str
    url: str

    @classmethod
    def of(cls, b: Briefing, address: SiteAddress) -> CitationContext:
        """What a citation of `b` needs from the site: its name and the briefing's address."""
        return cls(address.name, address.briefing_url(b.slug))


def author_names(b: Briefing, ctx: CitationContext) -> list[str]:
    return [a.name for a in b.authors] or [f"{ctx.site_name} {DEFAULT_AUTHOR}"]


def formatted(b: Briefing, ctx: CitationContext) -> str:
    """A reference in author–title–publisher–date–URL order, as most styles read."""
    authors = author_names(b, ctx)
    who = authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + " and " + authors[-1]
    when = PartialDate.from_date(b.date).display()
    return f"{who}. “{b.title}.” {ctx.site_name}, {when}. {ctx.url}".rstrip()


def _bibtex_escape(text: str) -> str:
    # One pass, so the braces that escapes add are not escaped again.
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_REPLACEMENTS.get(m.group(1), "\\" + m.group(1)), text)


def bibtex(b: Briefing, ctx: CitationContext) -> str:
    # Double braces keep corporate authors ("X editors") from being split into names.
    authors = " and ".join("{" + _bibtex_escape(a) + "}" for a in author_names(b, ctx))
    fields = [
        ("title", "{" + _bibtex_escape(b.title) + "}"),
        ("author", authors),
        ("institution", _bibtex_escape(ctx.site_name)),
        ("year", str(b.date.year)),
        ("month", _MONTHS[b.date.month - 1]),
        ("type", "Research briefing"),
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
    lines += [f"AU  - {_ris_line(a)}" for a in author_names(b, ctx)]
    lines += [
        f"PY  - {b.date.year}",
        f"DA  - {b.date.strftime('%Y/%m/%d')}",
        f"PB  - {_ris_line(ctx.site_name)}",
        f"AB  - {_ris_line(b.summary)}",
    ]
    lines += [f"KW  - {_ris_line(t)}" for t in b.tags]
    if ctx.url:
        lines.append(f"UR  - {ctx.url}")
    lines.append("ER  - ")
    return "\n".join(lines)


def csl_item(b: Briefing, ctx: CitationContext, pdf_url: str | None = None) -> dict[str, Any]:
    """A CSL-JSON item; CSL has no variable for a PDF, so its address goes under `custom`."""
    item: dict[str, Any] = {
        "id": b.slug,
        "type": "report",
        "genre": "Research briefing",
        "title": b.title,
        "author": [{"literal": a} for a in author_names(b, ctx)],
        "issued": {"date-parts": [[b.date.year, b.date.month, b.date.day]]},
        "publisher": ctx.site_name,
        "abstract": b.summary,
    }
    if b.tags:
        item["keyword"] = ", ".join(b.tags)
    if ctx.url:
        item["URL"] = ctx.url
    if pdf_url:
        item["custom"] = {"pdf": pdf_url}
    return item
