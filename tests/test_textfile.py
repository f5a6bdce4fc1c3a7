"""Splitting front matter from the body, checked against the rule written line by line."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trilat_site.core.problems import InputError
from trilat_site.core.textfile import split_front_matter


def by_lines(text: str) -> tuple[str, str, int] | int:
    """The rule as editors read it: the first line is '---'; the next '---' or '...' line closes."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return 1
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]) + "\n", "\n".join(lines[i + 1 :]), i + 2
    return 1


_LINES = st.lists(
    st.sampled_from(
        [
            "---",
            "...",
            "--- ",
            "...\t",
            "----",
            "-- -",
            "a: b",
            "",
            " ",
            "x---",
            "\u3000",
            "---\x0b",
            "\u2028",
        ]
    ),
    max_size=9,
)


@settings(max_examples=2000, deadline=None)
@given(lines=_LINES, final_newline=st.booleans())
def test_split_follows_the_line_rule(lines: list[str], final_newline: bool) -> None:
    text = "\n".join(lines) + ("\n" if final_newline else "")
    expected = by_lines(text)
    if isinstance(expected, int):
        with pytest.raises(InputError) as info:
            split_front_matter(text)
        assert info.value.line == expected
    else:
        assert split_front_matter(text) == expected


def test_the_body_keeps_later_fences_and_its_own_text() -> None:
    text = "---\ntitle: A\n...\nBody\n---\nmore\n"
    assert split_front_matter(text) == ("title: A\n", "Body\n---\nmore\n", 4)
    assert split_front_matter("---\n---") == ("\n", "", 3)
