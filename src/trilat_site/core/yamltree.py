"""Front matter as a tree of located YAML nodes, parsed safely and within limits.

libyaml's C composer builds the node graph (fast, and without expanding aliases:
an alias is the same node object again); the graph is then walked without
recursion into our own located nodes. That gives three things `yaml.safe_load`
does not: every node keeps its line so errors can point at it; anchors and
aliases (the "billion laughs" expansion) are refused before anything is
expanded; and nesting depth and size are bounded, so no input exhausts the
stack or the memory. Scalars are resolved to Python values only when asked:
the schema reads most of them as the text the editor typed.
"""

from __future__ import annotations

import bisect
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from .problems import InputError

try:  # the C parser is ten times faster; pure Python is the fallback
    from yaml import CSafeLoader as SafeBaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as SafeBaseLoader  # type: ignore[assignment]

MAX_DEPTH = 16
MAX_NODES = 50_000
MAX_FRONT_MATTER_BYTES = 64 * 1024

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_ALLOWED_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
# The safe loader's implicit resolvers by first character, the wildcard ones appended to each.
_IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    first: [*resolvers, *SafeBaseLoader.yaml_implicit_resolvers.get(None, [])]  # type: ignore[dict-item]
    for first, resolvers in SafeBaseLoader.yaml_implicit_resolvers.items()
    if first is not None
}


class _Loader(SafeBaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader, resolving tags with the same rules in fewer steps.

    The composer asks for a tag, and tells the resolver where it is, once per node; the
    safe loader has no path-dependent resolvers, so only the scalar rules are kept.
    """

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                assert value is not None
                for tag, pattern in _IMPLICIT.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


@dataclass(slots=True)
class YScalar:
    raw: str
    tag: str
    line: int
    quoted: bool

    kind = "a single value"

    @property
    def value(self) -> Any:
        """The YAML value (None, bool, int, float or str); dates stay text for the schema to read."""
        if self.tag == _STR or self.tag == _TIMESTAMP:
            return self.raw
        node = yaml.ScalarNode(self.tag, self.raw)
        try:
            return SafeConstructor().construct_object(node)
        except (ValueError, yaml.YAMLError, OverflowError):
            return self.raw


@dataclass(slots=True)
class YList:
    line: int
    items: list[YNode] = field(default_factory=list)

    kind = "a list"


@dataclass(slots=True)
class YMap:
    line: int
    entries: dict[str, tuple[int, YNode]] = field(default_factory=dict)

    kind = "a mapping of keys to values"


YNode = YScalar | YList | YMap


def _plain_line(mark: yaml.Mark) -> int:
    return mark.line + 1


def _line_counter(text: str) -> Callable[[yaml.Mark], int]:
    """Lines as editors number them: YAML also breaks lines at U+0085, U+2028 and U+2029."""
    if not any(ch in text for ch in "\x85\u2028\u2029"):
        return _plain_line
    breaks = [m.start() for m in re.finditer("\n", text)]
    return lambda mark: bisect.bisect_left(breaks, mark.index) + 1


_ALIAS_MESSAGE = (
    "YAML anchors and aliases (&name, *name) are not allowed in front matter: write the value out"
)


def _tree(root: yaml.Node, line_of: Callable[[yaml.Mark], int] | None, *, guarded: bool) -> YNode:
    """Our located nodes from libyaml's graph, in document order, refusing what the schema never needs.

    This runs for every value of every briefing, so it keeps to little work per node. When
    `guarded` is false the caller has shown that the text can hold no alias (it has no '*')
    and too few characters for MAX_NODES values, so those checks are left out.
    """
    seen: set[int] = set()
    allowed = _ALLOWED_TAGS
    scalar_type, sequence_type = yaml.ScalarNode, yaml.SequenceNode
    # A plain scalar is most of the nodes; it is built in line where no check can fail.
    inline = not guarded and line_of is None

    def located(node: yaml.Node, depth: int) -> YNode:
        line = node.start_mark.line + 1 if line_of is None else line_of(node.start_mark)
        if guarded:
            key = id(node)
            if key in seen:
                raise InputError(_ALIAS_MESSAGE, line)
            seen.add(key)
            if len(seen) > MAX_NODES:
                raise InputError(f"front matter has more than {MAX_NODES} values: keep it to metadata", line)
        if node.tag not in allowed:
            raise InputError(f"the YAML tag '{node.tag}' is not allowed: remove it", line)
        if type(node) is scalar_type:
            return YScalar(node.value, node.tag, line, bool(node.style))
        if depth >= MAX_DEPTH:
            raise InputError(f"front matter is nested more than {MAX_DEPTH} levels deep", line)
        return YList(line) if type(node) is sequence_type else YMap(line)

    top = located(root, 0)
    # First in, first out: the document's order, so the first repeated node found is the first anchor.
    pending: deque[tuple[yaml.Node, YNode, int]] = deque([(root, top, 0)])
    push, pop = pending.append, pending.popleft
    while pending:
        node, out, depth = pop()
        depth += 1
        if type(out) is YList:
            items = out.items
            for child in node.value:
                if inline and type(child) is scalar_type and child.tag in allowed:
                    items.append(
                        YScalar(child.value, child.tag, child.start_mark.line + 1, bool(child.style))
                    )
                    continue
                item = located(child, depth)
                items.append(item)
                if type(item) is not YScalar:
                    push((child, item, depth))
        elif type(out) is YMap:
            entries = out.entries
            for key_node, value_node in node.value:
                if inline and type(key_node) is scalar_type and key_node.tag in allowed:
                    key = YScalar(
                        key_node.value, key_node.tag, key_node.start_mark.line + 1, bool(key_node.style)
                    )
                else:
                    key = located(key_node, depth)
                if type(key) is not YScalar:
                    raise InputError("a key must be a plain word, not a list or mapping", key.line)
                name = key.raw
                if name in entries:
                    first = entries[name][0]
                    raise InputError(f"key '{name}' appears twice (first on line {first}): keep one", key.line)
                if inline and type(value_node) is scalar_type and value_node.tag in allowed:
                    entries[name] = (
                        key.line,
                        YScalar(
                            value_node.value,
                            value_node.tag,
                            value_node.start_mark.line + 1,
                            bool(value_node.style),
                        ),
                    )
                    continue
                value = located(value_node, depth)
                entries[name] = (key.line, value)
                if type(value) is not YScalar:
                    push((value_node, value, depth))
    return top


def parse_tree(text: str, *, max_bytes: int = MAX_FRONT_MATTER_BYTES) -> YNode | None:
    """Parse one YAML document into located nodes; None for an empty document; InputError if unsafe."""
    if len(text) > max_bytes:
        raise InputError(f"front matter is larger than {max_bytes // 1024} KiB: "
            "keep it to metadata and move text into the body", 1)
    line_of = _line_counter(text)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        # Without an alias ('*') no node repeats, and no YAML packs more than three values into
        # two characters ('[?,?]'), so a text this short cannot reach MAX_NODES.
        guarded = "*" in text or len(text) * 2 > MAX_NODES
        return _tree(root, None if line_of is _plain_line else line_of, guarded=guarded)
    except yaml.composer.ComposerError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = line_of(mark) if mark is not None else 1
        if "single document" in (exc.context or "") + (exc.problem or ""):
            raise InputError("front matter holds more than one YAML document: remove the extra '---'", line) from None
        # An alias to an anchor that is never defined, or defined twice.
        raise InputError(_ALIAS_MESSAGE, line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = line_of(mark) if mark is not None else 1
        what = exc.problem or "invalid YAML"
        if "maximum nesting depth" in what:
            # libyaml stops runaway nesting while scanning, before our own depth limit sees it.
            raise InputError(f"front matter is nested more than {MAX_DEPTH} levels deep", line) from None
        context = f" ({exc.context})" if exc.context else ""
        raise InputError(f"YAML syntax error: {what}{context}: check the indentation, and quote values "
            "that contain ': ' or start with a special character", line) from None
    except yaml.reader.ReaderError as exc:
        # Its position counts bytes or characters depending on the parser; the character itself is unambiguous.
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        at = text.find(chr(code))
        line = text.count("\n", 0, at) + 1 if at >= 0 else 1
        raise InputError(f"the character U+{code:04X} is not allowed in YAML: remove it", line) from None
    except yaml.YAMLError as exc:
        raise InputError("YAML error: " + " ".join(str(exc).split()), 1) from None
    finally:
        loader.dispose()
