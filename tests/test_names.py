"""Splitting personal names into family and given names, as citations need them."""

from __future__ import annotations

import pytest

from trilat_site.core.names import PersonName, split_name, splittable


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jane Q. Doe", PersonName("Doe", "Jane Q.")),
        ("Ryo Sahashi", PersonName("Sahashi", "Ryo")),
        ("Ludwig van Beethoven", PersonName("Beethoven", "Ludwig", "van")),
        ("Maria de la Cruz", PersonName("Cruz", "Maria", "de la")),
        ("Martin Luther King Jr.", PersonName("King", "Martin Luther", suffix="Jr.")),
        ("Jane Doe, Jr.", PersonName("Doe", "Jane", suffix="Jr.")),
        ("Doe, Jane Q.", PersonName("Doe", "Jane Q.")),
        ("van Beethoven, Ludwig", PersonName("Beethoven", "Ludwig", "van")),
        ("Doe, Jane, III", PersonName("Doe", "Jane", suffix="III")),
        ("Jean-Paul Sartre-Dupont", PersonName("Sartre-Dupont", "Jean-Paul")),
        ("Madonna", PersonName("Madonna")),
        # Korean and Japanese names in their own script are written family name first.
        ("박근혜", PersonName("박", "근혜")),
        ("남궁민수", PersonName("남궁", "민수")),
        ("佐橋 亮", PersonName("佐橋", "亮")),
        ("박 근혜", PersonName("박", "근혜")),
    ],
)
def test_names_split_by_rule(name: str, expected: PersonName) -> None:
    assert split_name(name) == expected


@pytest.mark.parametrize("name", ["佐橋亮", "习近平", "さはし", "", "Doe, ", ", Jane"])
def test_names_no_rule_can_split(name: str) -> None:
    # A kanji name's family name may be one, two or three characters: the data must say.
    assert split_name(name) is None
    assert not splittable(name)


def test_inverted_forms() -> None:
    assert PersonName("Doe", "Jane Q.").inverted() == "Doe, Jane Q."
    assert PersonName("Beethoven", "Ludwig", "van").inverted() == "van Beethoven, Ludwig"
    assert PersonName("King", "Martin Luther", suffix="Jr.").inverted() == "King, Martin Luther, Jr."
    assert PersonName("Madonna").inverted() == "Madonna"
    assert PersonName("박", "근혜").inverted() == "박, 근혜"
