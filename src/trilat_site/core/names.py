"""Personal names as citations need them: a family name and the given names.

Reference managers sort and abbreviate by the family name, so a name must be split before
it is cited. The rule here covers what can be split without knowing the person: names
in Latin script are written given names first (`Jane Q. Doe`, `Ludwig van Beethoven`,
`Martin Luther King Jr.`); Korean and Japanese names in their own script family name
first (`박근혜`, `佐橋 亮`). Everything else — a romanised name written family name first
(`Park Geun-hye`), a Japanese name in kanji without a space (`佐橋亮`, whose family name
may be one, two or three characters) — needs `family` and `given` in the data, and
`splittable` says when a name is of that kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

# Lowercase words that belong to the family name they stand before (`van Beethoven`).
PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "das", "dos", "do", "du", "la", "le", "ter", "ten", "bin", "al", "el"}
)
SUFFIXES = frozenset({"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"})
# Korean family names of two syllables; any other Korean name's family name is its first syllable.
KOREAN_COMPOUND_FAMILIES = frozenset({"남궁", "황보", "제갈", "사공", "선우", "서문", "독고", "동방"})

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_HANGUL_NAME = re.compile(r"^[\uac00-\ud7a3]{2,5}$")


@dataclass(frozen=True, slots=True)
class PersonName:
    """A name split for citation. `particle` is a lowercase prefix of the family name (`van`)."""

    family: str
    given: str = ""
    particle: str = ""
    suffix: str = ""

    @property
    def family_with_particle(self) -> str:
        return f"{self.particle} {self.family}" if self.particle else self.family

    def inverted(self) -> str:
        """`Doe, Jane Q.`: the form citation formats and indexers read unambiguously."""
        parts = [self.family_with_particle]
        if self.given:
            parts.append(self.given)
        if self.suffix:
            parts.append(self.suffix)
        return ", ".join(parts)


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def split_name(name: str) -> PersonName | None:
    """The name split by rule, or None when no rule can split it (see the module's docstring)."""
    words = name.split()
    if not words:
        return None
    if is_cjk(name):
        if len(words) > 1:
            return PersonName(words[0], " ".join(words[1:]))
        if not _HANGUL_NAME.match(name):
            return None
        cut = 2 if len(name) >= 3 and name[:2] in KOREAN_COMPOUND_FAMILIES else 1
        return PersonName(name[:cut], name[cut:])
    if "," in name:
        head, _, tail = name.rpartition(",")
        if tail.strip() in SUFFIXES and "," not in head:
            inner = split_name(head)
            return replace(inner, suffix=tail.strip()) if inner else None
        return _split_inverted(name)
    suffix = words.pop() if len(words) > 2 and words[-1] in SUFFIXES else ""
    if len(words) == 1:
        return PersonName(words[0], suffix=suffix)
    family = words.pop()
    particles: list[str] = []
    while len(words) > 1 and words[-1] in PARTICLES:
        particles.insert(0, words.pop())
    return PersonName(family, " ".join(words), " ".join(particles), suffix)


def _split_inverted(name: str) -> PersonName | None:
    """`Doe, Jane Q.` or `Doe, Jane, Jr.`: the family name is written first, before a comma."""
    parts = [p.strip() for p in name.split(",")]
    suffix = parts.pop() if len(parts) == 3 and parts[2] in SUFFIXES else ""
    if len(parts) != 2 or not all(parts):
        return None
    family_words = parts[0].split()
    particles: list[str] = []
    while len(family_words) > 1 and family_words[0] in PARTICLES:
        particles.append(family_words.pop(0))
    return PersonName(" ".join(family_words), parts[1], " ".join(particles), suffix)


def splittable(name: str) -> bool:
    return split_name(name) is not None
