"""Front matter as a tree of located YAML nodes, parsed safely and within limits.

The tree is built from the parser's event stream rather than from
`yaml.safe_load`, for three reasons: every node keeps its line so errors can
point at it; anchors and aliases (the "billion laughs" expansion) are refused
before anything is expanded; and nesting depth and size are bounded without
recursion, so no input can exhaust the stack or the memory.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

try:  # the C parser is ten times faster; pure Python is the fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 16
MAX_NODES = 50_000
MAX_FRONT_MATTER_BYTES = 64 * 1024

_RESOLVER = Resolver()
_STR = "tag:yaml.org,2002:str"
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


class YamlProblem(Exception):
    """`line` counts from 1 within the parsed text."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class YScalar:
    raw: str
    value: Any
    line: int
    quoted: bool

    kind = "a single value"


@dataclass
class YList:
    line: int
    items: list[YNode] = field(default_factory=list)

    kind = "a list"


@dataclass
class YMap:
    line: int
    entries: dict[str, tuple[int, YNode]] = field(default_factory=dict)

    kind = "a mapping of keys to values"


YNode = YScalar | YList | YMap


def _line_counter(text: str) -> Callable[[yaml.Mark], int]:
    """Lines as editors number them: YAML also breaks lines at U+0085, U+2028 and U+2029."""
    if not any(ch in text for ch in "\x85\u2028\u2029"):
        return lambda mark: mark.line + 1
    breaks = [m.start() for m in re.finditer("\n", text)]
    return lambda mark: bisect.bisect_left(breaks, mark.index) + 1


def _scalar(event: yaml.ScalarEvent, line: int) -> YScalar:
    tag = event.tag
    if tag in (None, "!"):
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag not in _ALLOWED_TAGS:
        raise YamlProblem(line, f"the YAML tag '{event.tag}' is not allowed: remove it")
    value: Any = event.value
    if tag != _STR and tag != "tag:yaml.org,2002:timestamp":
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            value = SafeConstructor().construct_object(node)
        except (ValueError, yaml.YAMLError, OverflowError):
            value = event.value
    return YScalar(event.value, value, line, event.style not in (None, ""))


def parse_tree(text: str, *, max_bytes: int = MAX_FRONT_MATTER_BYTES) -> YNode | None:
    """Parse one YAML document into located nodes; None for an empty document."""
    if len(text) > max_bytes:
        raise YamlProblem(
            1,
            f"front matter is larger than {max_bytes // 1024} KiB: "
            "keep it to metadata and move text into the body",
        )
    stack: list[YList | YMap] = []
    pending_key: list[tuple[str, int] | None] = []
    line_of = _line_counter(text)
    root: YNode | None = None
    documents = 0
    nodes = 0

    def attach(node: YNode) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, YList):
            parent.items.append(node)
            return
        key = pending_key[-1]
        if key is None:
            if not isinstance(node, YScalar):
                raise YamlProblem(node.line, "a key must be a plain word, not a list or mapping")
            name = node.raw
            if name in parent.entries:
                first = parent.entries[name][0]
                raise YamlProblem(
                    node.line,
                    f"key '{name}' appears twice (first on line {first}): keep one",
                )
            pending_key[-1] = (name, node.line)
        else:
            parent.entries[key[0]] = (key[1], node)
            pending_key[-1] = None

    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlProblem(
                        line_of(event.start_mark),
                        "front matter holds more than one YAML document: remove the extra '---'",
                    )
                continue
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise YamlProblem(
                    line_of(event.start_mark),
                    "YAML anchors and aliases (&name, *name) are not allowed in front matter: "
                    "write the value out",
                )
            if isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                nodes += 1
                if nodes > MAX_NODES:
                    raise YamlProblem(
                        line_of(event.start_mark),
                        f"front matter has more than {MAX_NODES} values: keep it to metadata",
                    )
            if isinstance(event, yaml.ScalarEvent):
                attach(_scalar(event, line_of(event.start_mark)))
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                line = line_of(event.start_mark)
                if event.tag not in (None, "!") and event.tag not in _ALLOWED_TAGS:
                    raise YamlProblem(line, f"the YAML tag '{event.tag}' is not allowed: remove it")
                if len(stack) >= MAX_DEPTH:
                    raise YamlProblem(line, f"front matter is nested more than {MAX_DEPTH} levels deep")
                container: YList | YMap = (
                    YList(line) if isinstance(event, yaml.SequenceStartEvent) else YMap(line)
                )
                attach(container)
                stack.append(container)
                pending_key.append(None)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                stack.pop()
                pending_key.pop()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = line_of(mark) if mark is not None else 1
        what = exc.problem or "invalid YAML"
        if "maximum nesting depth" in what:
            # libyaml stops runaway nesting while scanning, before our own depth limit sees it.
            raise YamlProblem(line, f"front matter is nested more than {MAX_DEPTH} levels deep") from None
        context = f" ({exc.context})" if exc.context else ""
        raise YamlProblem(
            line,
            f"YAML syntax error: {what}{context}: check the indentation, and quote values "
            "that contain ': ' or start with a special character",
        ) from None
    except yaml.reader.ReaderError as exc:
        # Its position counts bytes or characters depending on the parser; the character itself is unambiguous.
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        at = text.find(chr(code))
        line = text.count("\n", 0, at) + 1 if at >= 0 else 1
        raise YamlProblem(line, f"the character U+{code:04X} is not allowed in YAML: remove it") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, "YAML error: " + " ".join(str(exc).split())) from None
    return root
