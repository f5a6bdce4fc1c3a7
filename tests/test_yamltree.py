"""Front matter parsing: safe, bounded, located."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from trilat_site.core import yamltree
from trilat_site.core.problems import InputError
from trilat_site.core.yamltree import YList, YMap, YScalar, parse_tree


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
    with pytest.raises(InputError) as info:
        parse_tree(text)
    assert info.value.line == line
    assert fragment in info.value.message


def test_billion_laughs_is_refused_before_expanding() -> None:
    lol = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
    )
    with pytest.raises(InputError, match="anchors and aliases"):
        parse_tree(lol)


def test_oversized_front_matter_is_refused() -> None:
    with pytest.raises(InputError, match="larger than"):
        parse_tree("a: " + "x" * 70_000 + "\n")


# -- the fast paths give the same answers as the general ones --------------------------------

_SCALARS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "~",
            "null",
            "Yes",
            "no",
            "ON",
            "1",
            "-0",
            "0x1F",
            "0o17",
            "1_000",
            "1e3",
            ".5",
            ".inf",
            "-.INF",
            ".nan",
            "2017-03-01",
            "2017-03-01 10:00:00",
            "2017-3-1",
            "<<",
            "=",
            "1:20",
            "+12",
        ]
    ),
)


@settings(max_examples=500, deadline=None)
@given(value=_SCALARS, plain=st.booleans())
def test_the_quick_resolver_tags_scalars_as_the_safe_loader_does(value: str, plain: bool) -> None:
    ours = yamltree._Loader("")
    reference = yaml.SafeLoader("")
    try:
        implicit = (plain, not plain)
        assert ours.resolve(yaml.ScalarNode, value, implicit) == reference.resolve(
            yaml.ScalarNode, value, implicit
        )
    finally:
        ours.dispose()
        reference.dispose()
    for kind in (yaml.SequenceNode, yaml.MappingNode):
        assert yamltree._Loader("").resolve(kind, None, (True, False)) == yaml.SafeLoader("").resolve(
            kind, None, (True, False)
        )


_DATA = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8), _SCALARS),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=25,
)


def _walk(text: str, *, guarded: bool) -> yamltree.YNode:
    loader = yamltree._Loader(text)
    try:
        return yamltree._tree(loader.get_single_node(), None, guarded=guarded)
    finally:
        loader.dispose()


@settings(max_examples=300, deadline=None)
@given(data=_DATA, flow=st.booleans())
def test_the_unguarded_walk_builds_the_same_tree(data: object, flow: bool) -> None:
    text = yaml.safe_dump({"key": data}, default_flow_style=flow, allow_unicode=True)
    assert _walk(text, guarded=False) == _walk(text, guarded=True)


def test_only_texts_that_cannot_hold_an_alias_or_too_many_values_skip_the_guards(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[bool] = []
    real = yamltree._tree

    def spy(root: yaml.Node, line_of: object, *, guarded: bool) -> yamltree.YNode:
        calls.append(guarded)
        return real(root, line_of, guarded=guarded)  # type: ignore[arg-type]

    monkeypatch.setattr(yamltree, "_tree", spy)
    parse_tree("a: [1, 2]\n")
    parse_tree("a: &x 1\nb: '*'\n")
    parse_tree("a: [" + ", ".join(["1"] * 13_000) + "]\n", max_bytes=10**6)
    assert calls == [False, True, True]
