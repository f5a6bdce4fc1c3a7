"""Front matter parsing: safe, bounded, located."""

from __future__ import annotations

import pytest

from trilat_site.yamltree import YamlProblem, YList, YMap, YScalar, parse_tree


def test_nodes_carry_lines_and_raw_text() -> None:
    root = parse_tree("title: Yes\nthemes:\n  - security\n")
    assert isinstance(root, YMap)
    key_line, title = root.entries["title"]
    assert key_line == 1 and isinstance(title, YScalar) and title.raw == "Yes" and title.value is True
    themes = root.entries["themes"][1]
    assert isinstance(themes, YList) and themes.items[0].line == 3


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        ("a: &x [1]\nb: *x\n", 1, "anchors and aliases"),
        ("a: !!python/object:os.system x\n", 1, "tag"),
        ("a: 1\na: 2\n", 2, "appears twice"),
        ("a: " + "[" * 40 + "]" * 40 + "\n", 1, "nested more than"),
        ("a: b: c\n", 1, "YAML syntax error"),
    ],
)
def test_unsafe_or_broken_yaml_is_refused(text: str, line: int, fragment: str) -> None:
    with pytest.raises(YamlProblem) as info:
        parse_tree(text)
    assert info.value.line == line
    assert fragment in info.value.message


def test_billion_laughs_is_refused_before_expanding() -> None:
    lol = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
    )
    with pytest.raises(YamlProblem, match="anchors and aliases"):
        parse_tree(lol)


def test_oversized_front_matter_is_refused() -> None:
    with pytest.raises(YamlProblem, match="larger than"):
        parse_tree("a: " + "x" * 70_000 + "\n")
