"""Seeded generator of realistic briefing corpora, as complete MkDocs project folders.

Three layouts hold the same briefings, so a build of each measures the same content:

- `trilat`: the site's own format, briefings/ read by the trilat plugin;
- `blog`: mkdocs-material's blog and tags plugins, posts under docs/blog/posts/;
- `plain`: MkDocs alone, the briefing files as ordinary pages kept out of the navigation.

A fourth, `trilat-languages`, is the `trilat` project as a site in English, Korean and
Japanese (`languages: [en, ko, ja]`), with Korean and Japanese translations of a share of
the briefings (`--translated`, 0.3 by default: each briefing has a Korean one with that
chance and, independently, a Japanese one). The translations are drawn from a generator of
their own, so the originals are the `trilat` layout's, byte for byte.

Everything is drawn from one `random.Random(seed)`, never from set or dict ordering
that depends on hashing, so the same seed and count write byte-identical files.

    python bench/corpus.py bench/out/demo --count 1000 --seed 7 --layout trilat
    python bench/corpus.py bench/out/ml --count 1000 --layout trilat-languages --translated 0.3
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

LAYOUTS = ("trilat", "blog", "plain")
# The trilat project in three languages; not among the layouts every benchmark size writes.
LANGUAGE_LAYOUT = "trilat-languages"
LANGUAGES = ("en", "ko", "ja")
TRANSLATED = 0.3

THEMES = {
    "security": "Security",
    "energy": "Energy",
    "cyber": "Cyber and emerging domains",
}
COUNTRIES = ("us", "rok", "japan", "china", "dprk")
CITIES = {"us": "Washington", "rok": "Seoul", "japan": "Tokyo", "china": "Beijing", "dprk": "Pyongyang"}

# The site's Markdown setup; the floor and every baseline use exactly these.
MARKDOWN_EXTENSIONS: list[str | dict[str, dict[str, object]]] = [
    {"toc": {"permalink": True}},
    "tables",
    "admonition",
    "footnotes",
    "attr_list",
]

TOPICS_BY_THEME = {
    "security": [
        "missile defence",
        "extended deterrence",
        "maritime domain awareness",
        "sanctions enforcement",
        "freedom of navigation",
        "ballistic missile early warning",
        "joint exercises",
        "alliance cost sharing",
        "the THAAD deployment",
        "humanitarian contingency planning",
        "the Northern Limit Line",
        "coast guard cooperation",
    ],
    "energy": [
        "LNG procurement",
        "crude oil stockpiles",
        "nuclear energy cooperation",
        "critical minerals",
        "grid security",
        "hydrogen supply chains",
        "shale exports",
        "the energy alliance proposal",
        "offshore wind",
        "strategic petroleum reserves",
        "uranium enrichment services",
        "pipeline politics",
    ],
    "cyber": [
        "information sharing",
        "cyber incident response",
        "ransomware",
        "undersea cables",
        "space situational awareness",
        "semiconductor supply chains",
        "export controls",
        "norms for emerging technologies",
        "attribution of state-sponsored attacks",
        "satellite resilience",
        "election security",
        "cryptocurrency theft",
    ],
}

TAGS = (
    "alliances",
    "summits",
    "workshops",
    "THAAD",
    "China",
    "North Korea",
    "sanctions",
    "extended deterrence",
    "missile defence",
    "LNG and oil markets",
    "energy security",
    "nuclear power",
    "critical minerals",
    "information sharing",
    "GSOMIA",
    "cyber",
    "ransomware",
    "space",
    "undersea cables",
    "semiconductors",
    "export controls",
    "history issues",
    "comfort women",
    "forced labour",
    "public opinion",
    "trade",
    "supply chains",
    "Indo-Pacific strategy",
    "Quad",
    "ASEAN",
    "Taiwan Strait",
    "East China Sea",
    "South China Sea",
    "coast guards",
    "humanitarian crises",
    "refugees",
    "defence budgets",
    "host-nation support",
    "elections",
    "Camp David",
    "Six-Party Talks",
    "denuclearisation",
    "ICBMs",
    "submarine-launched missiles",
    "hydrogen",
    "renewables",
    "climate",
    "norms",
    "artificial intelligence",
    "quantum",
    "hypersonic weapons",
    "economic coercion",
    "Russia",
    "Ukraine",
    "fisheries",
    "disaster relief",
    "pandemic response",
    "track 1.5 dialogue",
    "parliamentary exchanges",
    "intelligence",
)

ACTORS = (
    "Washington",
    "Seoul",
    "Tokyo",
    "the three governments",
    "U.S. officials",
    "ROK participants",
    "Japanese participants",
    "alliance managers",
    "defence planners",
    "energy ministries",
    "the workshop co-chairs",
    "several presenters",
    "think-tank analysts",
    "the National Security Council",
    "foreign ministry officials",
    "regional observers",
    "former diplomats",
    "industry representatives",
)

VERBS = (
    "argued that",
    "warned that",
    "noted that",
    "concluded that",
    "suggested that",
    "insisted that",
    "pointed out that",
    "acknowledged that",
    "expected that",
    "doubted that",
)

CLAUSES = (
    "{topic} depends on a level of trust the partners have not yet built",
    "closer coordination on {topic} would raise the cost of provocation",
    "the debate over {topic} has moved from principle to implementation",
    "{topic} is easier to agree on in private than to announce in public",
    "domestic politics in {city} shape how far {topic} can go",
    "{topic} works best when each partner contributes what it already does well",
    "the gains from {topic} are real but slow to show",
    "a trilateral format adds little to {topic} unless it produces tangible benefits",
    "{topic} has become a test of whether the three can act together",
    "the three capitals read the risks around {topic} differently",
    "China's position on {topic} cannot be left out of any plan",
    "North Korea's behaviour keeps {topic} on the agenda",
    "the institutional memory behind {topic} is thinner than it looks",
    "budgets, not strategy, set the pace of {topic}",
    "{topic} needs working-level channels that survive changes of government",
    "the private sector carries much of the weight of {topic}",
    "the legal basis for {topic} is still incomplete",
    "progress on {topic} since {year} has been uneven",
)

CONNECTORS = (
    "However",
    "Moreover",
    "In practice",
    "For now",
    "By contrast",
    "Even so",
    "At the same time",
    "In the longer run",
    "Put simply",
    "On this point",
)

ADJECTIVES = ("contested", "promising", "fragile", "overdue", "underused", "politically sensitive", "costly")

PAST_ACTIONS = (
    "set up a working group on",
    "issued a joint statement on",
    "held its first exercise in",
    "announced new funding for",
    "reviewed its guidelines on",
    "opened talks on",
)

HEADINGS = (
    "Background",
    "What changed in {year}",
    "{Topic} and the alliance",
    "The view from {city}",
    "Implications for {topic}",
    "Outlook",
    "Open questions",
    "Costs and benefits",
    "Where the three agree",
    "Where they differ",
    "The record so far",
    "What to watch",
    "A note on method",
    "Policy options",
)

SUBHEADINGS = ("In {city}", "Before {year}", "After {year}", "The numbers", "Two caveats", "Precedents")

TITLE_TAILS = (
    "after the {year} summit",
    "and the alliance",
    "in a buyer's market",
    "between Seoul and Tokyo",
    "under pressure",
    "— lessons from {year}",
    "and the China factor",
    "after North Korea's {year} tests",
    ": what the three can do together",
    "as seen from {city}",
    "and the limits of trilateralism",
    "in the {year} workshops",
)

STATUS = ("advanced", "stalled", "under review", "agreed in principle", "in force", "proposed", "suspended")

SOURCE_TYPES = ("Workshop summary", "Report", "Commentary", "Press briefing", "Testimony", "Policy brief")
PUBLISHERS = (
    "The National Bureau of Asian Research (NBR)",
    "The Diplomat",
    "Center for Strategic and International Studies",
    "Asan Institute for Policy Studies",
    "Japan Institute of International Affairs",
    "Brookings Institution",
    "RAND Corporation",
    "Korea Institute for Defense Analyses",
    "The White House",
    "Ministry of Foreign Affairs of Japan",
    "Ministry of Foreign Affairs, Republic of Korea",
    "International Energy Agency",
)

EVENT_KINDS = (
    "Trilateral summit in {city}",
    "Vice-ministerial talks on {topic}",
    "Joint exercise focused on {topic}",
    "Workshop on {topic} in {city}",
    "Missile launch by the DPRK",
    "Energy ministers' meeting in {city}",
    "Announcement of new measures on {topic}",
)

GIVEN = {
    "us": ("James", "Sarah", "Michael", "Emily", "David", "Laura", "Robert", "Karen", "Daniel", "Rachel"),
    "rok": ("Min-jun", "Seo-yeon", "Ji-ho", "Hye-jin", "Sung-min", "Young-soo", "Eun-ji", "Dong-hyun"),
    "japan": ("Haruto", "Yui", "Takeshi", "Aiko", "Kenji", "Naoko", "Hiroshi", "Emi"),
}
FAMILY = {
    "us": (
        "Miller",
        "Harris",
        "Carter",
        "Bennett",
        "Foster",
        "Reed",
        "Hughes",
        "Coleman",
        "Sullivan",
        "Porter",
    ),
    "rok": ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon"),
    "japan": ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura"),
}
ROLES = (
    "Senior Fellow",
    "Research Associate",
    "Director, Asia Program",
    "Professor of International Relations",
    "Former Deputy Minister",
    "Visiting Scholar",
    "Program Officer",
)
ORG_PREFIX = {
    "us": ("Pacific", "Atlantic", "American", "Potomac"),
    "rok": ("Seoul", "Korea", "Han River", "Peninsula"),
    "japan": ("Tokyo", "Japan", "Kansai", "Pacific Rim"),
    "china": ("Beijing", "Shanghai"),
}
ORG_KINDS = (
    "Institute for Strategic Studies",
    "Center for Energy Policy",
    "Forum on Asian Security",
    "Council on Foreign Relations",
    "Foundation for Peace",
    "Institute of Cyber Policy",
    "Center for Maritime Studies",
)
AUTHORS = (
    ("Trilateral Briefings editors", None),
    ("Anna Whitfield", "Pacific Forum on Asian Security"),
    ("Jae-won Han", None),
    ("Mariko Ishida", "Tokyo Institute for Strategic Studies"),
    ("Thomas Grant", None),
    ("Soo-ah Lim", "Seoul Center for Energy Policy"),
    ("Kenta Mori", None),
    ("Priya Raman", "Potomac Institute of Cyber Policy"),
)

PEOPLE_COUNT = 120
ORGANIZATION_COUNT = 40
BODY_WORDS = (660, 840)
FIRST_YEAR, LAST_YEAR = 2005, 2026


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def q(text: str) -> str:
    """A YAML double-quoted scalar: JSON string syntax is a subset of it."""
    return json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True)
class Org:
    id: str
    name: str
    short_name: str
    country: str


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str
    organization: str


@dataclass
class Briefing:
    slug: str
    year_dir: str
    title: str
    date: dt.date
    updated: dt.date | None
    summary: str
    themes: list[str]
    countries: list[str]
    organizations: list[str]
    people: list[str]
    tags: list[str]
    authors: list[tuple[str, str | None]]
    sources: list[dict[str, str]]
    related: list[str]
    events: list[tuple[str, str]]
    body: str = ""

    @property
    def rel_path(self) -> str:
        return f"{self.year_dir}/{self.slug}.md"


def _partial_date(rng: random.Random, around: dt.date, max_back_days: int = 900) -> str:
    day = around - dt.timedelta(days=rng.randint(0, max_back_days))
    precision = rng.choices(("year", "month", "day"), weights=(2, 5, 3))[0]
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


class Writer:
    """Draws every corpus decision from one generator, in a fixed order."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    # -- registries ----------------------------------------------------------------

    def organizations(self) -> list[Org]:
        rng = self.rng
        out: list[Org] = []
        used: dict[str, int] = {}
        for _ in range(ORGANIZATION_COUNT):
            country = rng.choice(("us", "us", "rok", "japan", "japan", "china"))
            name = f"{rng.choice(ORG_PREFIX[country])} {rng.choice(ORG_KINDS)}"
            base = slugify(name)
            used[base] = used.get(base, 0) + 1
            ident = base if used[base] == 1 else f"{base}-{used[base]}"
            short = "".join(w[0] for w in name.split() if w[0].isupper())
            out.append(Org(ident, name if used[base] == 1 else f"{name} ({used[base]})", short, country))
        return out

    def people(self, orgs: list[Org]) -> list[Person]:
        rng = self.rng
        out: list[Person] = []
        used: dict[str, int] = {}
        for _ in range(PEOPLE_COUNT):
            country = rng.choice(("us", "rok", "japan"))
            name = f"{rng.choice(GIVEN[country])} {rng.choice(FAMILY[country])}"
            base = slugify(name)
            used[base] = used.get(base, 0) + 1
            ident = base if used[base] == 1 else f"{base}-{used[base]}"
            out.append(Person(ident, name, rng.choice(ROLES), rng.choice(orgs).id))
        return out

    # -- text ----------------------------------------------------------------------

    def _fill(self, template: str, topic: str, year: int) -> str:
        city = CITIES[self.rng.choice(("us", "rok", "japan", "china"))]
        return template.format(topic=topic, Topic=topic[:1].upper() + topic[1:], city=city, year=year)

    def clause(self, topics: list[str], year: int) -> str:
        return self._fill(self.rng.choice(CLAUSES), self.rng.choice(topics), year)

    def sentence(self, topics: list[str], year: int) -> str:
        rng = self.rng
        shape = rng.randrange(6)
        if shape == 0:
            text = f"{rng.choice(ACTORS)} {rng.choice(VERBS)} {self.clause(topics, year)}"
        elif shape == 1:
            when = rng.randint(max(FIRST_YEAR - 5, year - 8), year)
            text = f"In {when}, {rng.choice(ACTORS)} {rng.choice(PAST_ACTIONS)} {rng.choice(topics)}"
        elif shape == 2:
            text = f"{rng.choice(CONNECTORS)}, {self.clause(topics, year)}"
        elif shape == 3:
            topic = rng.choice(topics)
            text = (
                f"{topic[:1].upper() + topic[1:]} remains {rng.choice(ADJECTIVES)} because "
                f"{self.clause(topics, year)}"
            )
        elif shape == 4:
            text = f"The record since {year - rng.randint(1, 10)} suggests that {self.clause(topics, year)}"
        else:
            text = (
                f"According to {rng.choice(ACTORS)}, {self.clause(topics, year)}, "
                f"and {self.clause(topics, year)}"
            )
        return text[:1].upper() + text[1:] + "."

    def paragraph(self, topics: list[str], year: int, links: list[str]) -> str:
        sentences = [self.sentence(topics, year) for _ in range(self.rng.randint(3, 6))]
        if links and self.rng.random() < 0.5:
            at = self.rng.randrange(len(sentences))
            sentences[at] = sentences[at][:-1] + f" ({links.pop()})."
        return " ".join(sentences)

    def bullet_list(self, topics: list[str], year: int) -> str:
        ordered = self.rng.random() < 0.3
        items = []
        for n in range(1, self.rng.randint(3, 6) + 1):
            topic = self.rng.choice(topics)
            mark = f"{n}." if ordered else "-"
            items.append(f"{mark} **{topic[:1].upper() + topic[1:]}:** {self.clause(topics, year)}.")
        return "\n".join(items)

    def table(self, topics: list[str], year: int) -> str:
        rng = self.rng
        cols = [*rng.sample(("United States", "ROK", "Japan"), 2), f"Since {year - rng.randint(1, 6)}"]
        rows = [f"| Area | {' | '.join(cols)} |", "| --- | --- | --- | --- |"]
        for topic in rng.sample(topics, min(len(topics), rng.randint(3, 5))):
            cells = [rng.choice(STATUS) for _ in cols]
            rows.append(f"| {topic[:1].upper() + topic[1:]} | {' | '.join(cells)} |")
        return "\n".join(rows)

    def quote(self, topics: list[str], year: int, people: list[Person]) -> str:
        who = self.rng.choice(people)
        said = self.clause(topics, year)
        return f"> {said[:1].upper() + said[1:]}.\n>\n> — {who.name}, {who.role}, {year}"

    def body(
        self,
        b: Briefing,
        topics: list[str],
        links: list[str],
        people: list[Person],
        sources: list[dict[str, str]],
    ) -> str:
        rng = self.rng
        year = b.date.year
        target = rng.randint(*BODY_WORDS)
        blocks = [self.paragraph(topics, year, links)]
        words = len(blocks[0].split())
        footnote = ""
        headings = rng.sample(HEADINGS, len(HEADINGS))
        while words < target:
            heading = self._fill(headings.pop() if headings else "Further notes", rng.choice(topics), year)
            section = [f"## {heading}", self.paragraph(topics, year, links)]
            extra = rng.random()
            if extra < 0.25:
                section.append(self.bullet_list(topics, year))
            elif extra < 0.40:
                section.append(self.table(topics, year))
            elif extra < 0.55:
                section.append(self.quote(topics, year, people))
            elif extra < 0.62:
                section.append(f'!!! note "Context"\n    {self.sentence(topics, year)}')
            if rng.random() < 0.3:
                sub = self._fill(rng.choice(SUBHEADINGS), rng.choice(topics), year)
                section += [f"### {sub}", self.paragraph(topics, year, links)]
            if not footnote and rng.random() < 0.2:
                section[1] = section[1][:-1] + ".[^1]"
                footnote = f"[^1]: {self.sentence(topics, year)}"
            url_source = next((s for s in sources if "url" in s), None)
            if url_source is not None and rng.random() < 0.2:
                section[1] += f" See [{url_source['publisher']}]({url_source['url']}) for the full text."
            blocks += section
            words += sum(len(block.split()) for block in section)
        while links:
            blocks.append(f"See also {links.pop()}.")
        if footnote:
            blocks.append(footnote)
        return "\n\n".join(blocks) + "\n"

    # -- briefings -----------------------------------------------------------------

    def briefings(self, count: int, orgs: list[Org], people: list[Person]) -> list[Briefing]:
        rng = self.rng
        start = dt.date(FIRST_YEAR, 1, 1).toordinal()
        end = dt.date(LAST_YEAR, 6, 30).toordinal()
        out: list[Briefing] = []
        topics_of: list[list[str]] = []
        for i in range(count):
            date = dt.date.fromordinal(rng.randint(start, end))
            themes = rng.sample(list(THEMES), rng.choices((1, 2, 3), weights=(5, 3, 1))[0])
            topics = [t for theme in themes for t in TOPICS_BY_THEME[theme]]
            head = rng.choice(TOPICS_BY_THEME[themes[0]])
            tail = self._fill(rng.choice(TITLE_TAILS), head, date.year)
            title = f"{head[:1].upper() + head[1:]}{'' if tail.startswith(':') else ' '}{tail}"
            slug = f"{slugify(title)[:48].rstrip('-')}-{i:05d}"
            countries = ["us", "rok", "japan"][: rng.randint(1, 3)]
            countries += [c for c in ("china", "dprk") if rng.random() < 0.35]
            n_sources = rng.randint(1, 3)
            sources = []
            for _ in range(n_sources):
                topic = rng.choice(topics)
                source = {
                    "title": f"{topic[:1].upper() + topic[1:]}: {rng.choice(('a review', 'options', 'the record', 'next steps'))}",
                    "publisher": rng.choice(PUBLISHERS),
                    "type": rng.choice(SOURCE_TYPES),
                    "date": _partial_date(rng, date, 400),
                }
                if rng.random() < 0.5:
                    person = rng.choice(people)
                    source["author"] = person.name
                if rng.random() < 0.7:
                    source["url"] = f"https://example.org/{slugify(source['publisher'])}/{slugify(topic)}-{i}"
                sources.append(source)
            out.append(
                Briefing(
                    slug=slug,
                    year_dir=str(date.year),
                    title=title,
                    date=date,
                    updated=date + dt.timedelta(days=rng.randint(5, 200)) if rng.random() < 0.1 else None,
                    summary=f"{self.sentence(topics, date.year)} {self.sentence(topics, date.year)}",
                    themes=themes,
                    countries=countries,
                    organizations=[o.id for o in rng.sample(orgs, rng.randint(0, 3))],
                    people=[p.id for p in rng.sample(people, rng.randint(0, 3))],
                    tags=rng.sample(TAGS, rng.randint(2, 6)),
                    authors=rng.sample(AUTHORS, rng.choices((1, 2), weights=(4, 1))[0]),
                    sources=sources,
                    related=[],
                    events=[
                        (
                            _partial_date(rng, date),
                            self._fill(rng.choice(EVENT_KINDS), rng.choice(topics), date.year),
                        )
                        for _ in range(rng.randint(0, 4))
                    ],
                )
            )
            topics_of.append(topics)
        for i, b in enumerate(out):
            if count > 1:
                others = [j for j in rng.sample(range(count), min(count, 6)) if j != i]
                b.related = [out[j].slug for j in others[: rng.randint(0, 3)]]
                link_targets = [j for j in rng.sample(range(count), min(count, 5)) if j != i][
                    : rng.randint(2, 4)
                ]
            else:
                link_targets = []
            links = [f"[{out[j].title}]({_relative(b, out[j])})" for j in link_targets]
            b.body = self.body(b, topics_of[i], links, people, b.sources)
        return out


def _relative(src: Briefing, dst: Briefing) -> str:
    if src.year_dir == dst.year_dir:
        return f"{dst.slug}.md"
    return f"../{dst.year_dir}/{dst.slug}.md"


# -- files ------------------------------------------------------------------------------


def front_matter(b: Briefing) -> str:
    lines = [
        "---",
        f"title: {q(b.title)}",
        f"date: {b.date.isoformat()}",
    ]
    if b.updated:
        lines.append(f"updated: {b.updated.isoformat()}")
    lines += [
        f"summary: {q(b.summary)}",
        f"themes: [{', '.join(b.themes)}]",
        f"countries: [{', '.join(b.countries)}]",
    ]
    if b.organizations:
        lines.append(f"organizations: [{', '.join(b.organizations)}]")
    if b.people:
        lines.append(f"people: [{', '.join(b.people)}]")
    lines.append(f"tags: [{', '.join(q(t) for t in b.tags)}]")
    lines.append("authors:")
    for name, affiliation in b.authors:
        lines.append(f"  - name: {q(name)}")
        if affiliation:
            lines.append(f"    affiliation: {q(affiliation)}")
    lines.append("sources:")
    for s in b.sources:
        first = True
        for key in ("title", "author", "publisher", "date", "type", "url"):
            if key in s:
                lines.append(f"{'  - ' if first else '    '}{key}: {q(s[key])}")
                first = False
    if b.related:
        lines.append("related:")
        lines += [f"  - {slug}" for slug in b.related]
    if b.events:
        lines.append("events:")
        for date, title in b.events:
            lines += [f"  - date: {q(date)}", f"    title: {q(title)}"]
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def blog_post(b: Briefing) -> str:
    lines = [
        "---",
        f"date: {b.date.isoformat()}",
        f"slug: {b.slug}",
        "categories:",
        *[f"  - {q(THEMES[t])}" for t in b.themes],
        "tags:",
        *[f"  - {q(t)}" for t in b.tags],
        "---",
        "",
        f"# {b.title}",
        "",
        b.summary,
        "",
        "<!-- more -->",
        "",
    ]
    return "\n".join(lines) + b.body


def registries(orgs: list[Org], people: list[Person]) -> tuple[str, str]:
    org_lines = ["# Organisations the briefings refer to by id."]
    for o in orgs:
        org_lines += [
            f"- id: {o.id}",
            f"  name: {q(o.name)}",
            f"  short_name: {o.short_name}",
            f"  country: {o.country}",
        ]
    people_lines = ["# People the briefings refer to by id."]
    for p in people:
        people_lines += [
            f"- id: {p.id}",
            f"  name: {q(p.name)}",
            f"  role: {q(p.role)}",
            f"  organization: {p.organization}",
        ]
    return "\n".join(org_lines) + "\n", "\n".join(people_lines) + "\n"


def mkdocs_yml(layout: str, site_name: str) -> str:
    features = ["navigation.tabs", "navigation.indexes", "navigation.top", "search.highlight"]
    plugins: list[object]
    if layout in ("trilat", LANGUAGE_LAYOUT):
        # The trilat plugin brings its own search (Pagefind): Material's is not needed. PDF
        # editions have a benchmark of their own (bench/pdf.py); this one compares builds.
        options: dict[str, object] = {"briefings_dir": "briefings", "per_page": 20, "pdf": False}
        if layout == LANGUAGE_LAYOUT:
            options["languages"] = list(LANGUAGES)
        plugins = [{"trilat": options}]
    elif layout == "blog":
        plugins = ["search", "blog", "tags"]
    else:
        plugins = ["search"]
    config: dict[str, object] = {
        "site_name": site_name,
        "site_url": "https://briefings.example.org/",
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": {"name": "material", "language": "en", "features": features},
        "plugins": plugins,
        "markdown_extensions": MARKDOWN_EXTENSIONS,
    }
    if layout == "plain":
        # The gitignore-style pattern MkDocs offers for pages that exist but stay out of the nav.
        config["not_in_nav"] = "/briefings/\n"
    # JSON is valid YAML, and needs no YAML library to write deterministically.
    return json.dumps(config, indent=2) + "\n"


INDEX_MD = """# Trilateral Briefings

Research briefings on relations among the United States, the Republic of Korea and Japan:
security, energy, cyber and the emerging domains.
"""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def generate(count: int, seed: int) -> tuple[list[Org], list[Person], list[Briefing]]:
    writer = Writer(seed)
    orgs = writer.organizations()
    people = writer.people(orgs)
    return orgs, people, writer.briefings(count, orgs, people)


def write_project(
    dest: Path | str, count: int, seed: int = 7, layout: str = "trilat", translated: float = TRANSLATED
) -> Path:
    """Replace `dest` with a buildable project of `count` briefings; returns `dest`."""
    return write_layout(dest, layout, *generate(count, seed), seed=seed, translated=translated)


# -- translations -----------------------------------------------------------------------
# Made-up sentences in each language, of the length and script of real translations: the
# build's cost depends on how much text there is and which script it is in, not its meaning.

THEME_NAMES = {
    "ko": {"security": "안보", "energy": "에너지", "cyber": "사이버 및 신흥 분야"},
    "ja": {"security": "安全保障", "energy": "エネルギー", "cyber": "サイバー・新興分野"},
}
TRANSLATED_SUBJECTS = {
    "ko": ("한미일 3국은", "서울과 도쿄는", "워싱턴은", "동맹 실무자들은", "참석자들은", "전문가들은"),
    "ja": ("日米韓3か国は", "ソウルと東京は", "ワシントンは", "同盟の実務者は", "参加者は", "専門家は"),
}
TRANSLATED_CLAIMS = {
    "ko": (
        "협력의 범위를 넓혀야 한다고 주장했다.",
        "신뢰 구축이 아직 부족하다고 지적했다.",
        "국내 정치가 협력의 속도를 좌우한다고 보았다.",
        "실질적인 성과가 필요하다고 강조했다.",
        "위험을 서로 다르게 인식한다고 평가했다.",
        "제도적 기반이 생각보다 약하다고 경고했다.",
    ),
    "ja": (
        "協力の範囲を広げるべきだと主張した。",
        "信頼の構築がまだ不十分だと指摘した。",
        "国内政治が協力の速度を左右すると見た。",
        "具体的な成果が必要だと強調した。",
        "リスクの捉え方が異なると評価した。",
        "制度的な基盤は見かけより弱いと警告した。",
    ),
}
# (name, family, given): a Japanese name in kanji has no rule to split it, so the data does.
TRANSLATORS = {"ko": (("김민준", "김", "민준"), ("이서연", "이", "서연")), "ja": (("佐藤花子", "佐藤", "花子"), ("鈴木一郎", "鈴木", "一郎"))}
TRANSLATED_WORDS = {
    "ko": {"briefing": "브리핑", "related": "관련 브리핑", "summary": "핵심 쟁점을 정리한다.", "findings": "주요 내용"},
    "ja": {"briefing": "ブリーフィング", "related": "関連ブリーフィング", "summary": "主な論点を整理する。", "findings": "主な内容"},
}


def translations(briefings: list[Briefing], seed: int, share: float) -> list[tuple[str, str]]:
    """Korean and Japanese translations of about `share` of the briefings each, as (path, text)."""
    rng = random.Random(f"translations {seed}")
    by_slug = {b.slug: b for b in briefings}
    out = []
    for b in briefings:
        for language in LANGUAGES[1:]:
            if rng.random() >= share:
                continue
            words = TRANSLATED_WORDS[language]
            theme = THEME_NAMES[language][b.themes[0]]
            date = b.date + dt.timedelta(days=rng.randint(0, 90))
            lines = [
                "---",
                f"translation_of: {b.slug}",
                f"language: {language}",
                f"title: {q(theme + ' ' + words['briefing'] + ': ' + b.slug)}",
                f"date: {date.isoformat()}",
                f"summary: {q(theme + ' — ' + words['summary'])}",
            ]
            if rng.random() < 0.5:
                name, family, given = rng.choice(TRANSLATORS[language])
                lines += ["translators:", f"  - name: {q(name)}", f"    family: {q(family)}", f"    given: {q(given)}"]
            lines.append("---")
            # About as many paragraphs as the original, each a few sentences.
            paragraphs = [f"## {words['findings']}"]
            for _ in range(max(2, b.body.count("\n\n"))):
                paragraphs.append(
                    " ".join(
                        rng.choice(TRANSLATED_SUBJECTS[language]) + " " + rng.choice(TRANSLATED_CLAIMS[language])
                        for _ in range(rng.randint(2, 5))
                    )
                )
            related = [by_slug[slug] for slug in b.related if slug in by_slug]
            if related:
                paragraphs.append(f"[{words['related']}]({_relative(b, related[0])})")
            path = f"{b.year_dir}/{b.slug}.{language}.md"
            out.append((path, "\n".join(lines) + "\n\n" + "\n\n".join(paragraphs) + "\n"))
    return out


def write_layout(
    dest: Path | str,
    layout: str,
    orgs: list[Org],
    people: list[Person],
    briefings: list[Briefing],
    *,
    seed: int = 7,
    translated: float = TRANSLATED,
) -> Path:
    """One corpus, generated once, written in any layout: the layouts then hold the same text."""
    if layout not in (*LAYOUTS, LANGUAGE_LAYOUT):
        raise ValueError(f"layout must be one of {', '.join((*LAYOUTS, LANGUAGE_LAYOUT))}")
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    count = len(briefings)
    _write(dest / "mkdocs.yml", mkdocs_yml(layout, f"Bench {layout} {count}"))
    _write(dest / "docs" / "index.md", INDEX_MD)
    if layout in ("trilat", LANGUAGE_LAYOUT):
        org_yml, people_yml = registries(orgs, people)
        _write(dest / "briefings" / "_data" / "organizations.yml", org_yml)
        _write(dest / "briefings" / "_data" / "people.yml", people_yml)
        for b in briefings:
            _write(dest / "briefings" / b.rel_path, front_matter(b) + b.body)
        if layout == LANGUAGE_LAYOUT:
            for path, text in translations(briefings, seed, translated):
                _write(dest / "briefings" / path, text)
    elif layout == "plain":
        for b in briefings:
            _write(dest / "docs" / "briefings" / b.rel_path, front_matter(b) + b.body)
    else:
        _write(dest / "docs" / "blog" / "index.md", "# Blog\n")
        _write(dest / "docs" / "tags.md", "# Tags\n\n<!-- material/tags -->\n")
        for b in briefings:
            _write(dest / "docs" / "blog" / "posts" / b.rel_path, blog_post(b))
    return dest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dest", type=Path, help="project folder to (re)create")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--layout", choices=(*LAYOUTS, LANGUAGE_LAYOUT), default="trilat")
    parser.add_argument(
        "--translated",
        type=float,
        default=TRANSLATED,
        help=f"with --layout {LANGUAGE_LAYOUT}: the chance of each briefing to have a translation into each language",
    )
    args = parser.parse_args(argv)
    write_project(args.dest, args.count, args.seed, args.layout, args.translated)


if __name__ == "__main__":
    main()
