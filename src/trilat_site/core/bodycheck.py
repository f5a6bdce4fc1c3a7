"""A briefing's Markdown body, checked before anything converts it: bounded, and safe to show.

Two kinds of finding, both located at the body's line:

- **Errors: bodies Markdown cannot convert in bounded time and memory.** Under the 2 MiB
  file limit, Python-Markdown (and the search index after it) can take minutes or run out
  of stack on shapes no one writes by hand: lists nested hundreds deep, thousands of
  '[' never closed, unclosed backtick runs or HTML tags in front of a long paragraph,
  thousands of headings or footnotes. Each shape has a limit here, far beyond any real
  briefing, measured in `bench/hostile.py` (see the README, "Limits").
- **Warnings: what the sanitiser will take out of the page** (`htmlpolicy.py`): script,
  event handlers, dangerous addresses, positioning styles. The build removes them from
  the converted HTML with nh3; reading them here, from the source, gives each its line and
  lets `trilat check` report exactly what the build reports without converting anything.

Everything is found with regular expressions and counts over the text: linear time, so
`trilat check` stays quick on a thousand briefings. Fenced code blocks and code spans are
blanked out first: HTML shown as code is text, not markup.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .htmlpolicy import CONTENT_REMOVED, VOID, attribute_problem, element_problems, url_problem
from .problems import Severity
from .text import body_problem

# Lists, quotes, admonitions and indented blocks inside one another, counted together.
MAX_NESTING = 32
# HTML elements written in the body and open at once.
MAX_HTML_DEPTH = 64
MAX_HEADINGS = 500
# `[^…]` footnote references and definitions.
MAX_FOOTNOTES = 1000
# '*' and '_' in one paragraph: Python-Markdown nests emphasis recursively.
MAX_EMPHASIS = 500
# Characters Markdown reads to match every '[' with its ']' (or to the paragraph's end).
MAX_BRACKET_WORK = 1_000_000
# Characters read past an unclosed opener (an HTML tag's '<', a backtick run, a code fence)
# looking for its close.
MAX_SCAN_WORK = 10_000_000
# Without sanitising, the search index reads the HTML as written; unclosed tags cost it time.
MAX_RAW_TAGS_UNSANITISED = 2000
# Sanitiser findings reported one by one; the rest are counted.
MAX_REPORTED = 20
# How every sanitiser warning starts.
REMOVED = "removed from the page"


@dataclass(frozen=True, slots=True)
class BodyIssue:
    offset: int
    """Where in the body (a character index); the loader turns it into the file's line."""
    message: str
    severity: Severity


# -- blanking out code -------------------------------------------------------------------

# Python-Markdown's fenced_code grammar: a fence at the start of a line, a language or
# {attributes}, then the code up to a line holding exactly the same fence.
_FENCE_OPEN_RE = re.compile(
    r"^(?P<fence>~{3,}|`{3,})[ ]*(?:\{[^\n]*\}|\.?[\w#.+-]*[ ]*(?:hl_lines=(?P<q>[\"']).*?(?P=q)[ ]*)?)$",
    re.M,
)
_FENCE_LINE_RE = re.compile(r"^(~{3,}|`{3,})[ ]*$", re.M)
_BACKTICKS_RE = re.compile(r"(?<!\\)`+")
_PARAGRAPH_BREAK_RE = re.compile(r"\n[ \t]*\n")


def _fenced_blocks(body: str) -> tuple[list[tuple[int, int]], int]:
    """(start, end) of each fenced block's content, and the scan work of unclosed fences."""
    if "```" not in body and "~~~" not in body:
        return [], 0
    closers: dict[str, list[int]] = {}
    for m in _FENCE_LINE_RE.finditer(body):
        closers.setdefault(m.group(1), []).append(m.start())
    blocks: list[tuple[int, int]] = []
    work = 0
    resume = 0
    for m in _FENCE_OPEN_RE.finditer(body):
        if m.start() < resume:
            continue
        starts = closers.get(m.group("fence"), [])
        i = bisect.bisect_right(starts, m.end())
        if i == len(starts):
            work += len(body) - m.end()
            continue
        blocks.append((m.end(), starts[i]))
        resume = starts[i] + 1
    return blocks, work


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for m in _PARAGRAPH_BREAK_RE.finditer(text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def _code_spans(text: str) -> tuple[list[tuple[int, int]], int]:
    """(start, end) of each code span, and the work of backtick runs that close nowhere."""
    spans: list[tuple[int, int]] = []
    work = 0
    for start, end in _paragraphs(text):
        runs = [(m.start(), m.end()) for m in _BACKTICKS_RE.finditer(text, start, end)]
        if not runs:
            continue
        # Each run closes at the next run of the same length, as Markdown reads code spans.
        later: dict[int, list[int]] = {}
        for i, (s, e) in enumerate(runs):
            later.setdefault(e - s, []).append(i)
        i = 0
        while i < len(runs):
            s, e = runs[i]
            same = later[e - s]
            k = bisect.bisect_right(same, i)
            if k == len(same):
                work += end - e
                i += 1
                continue
            j = same[k]
            spans.append((s, runs[j][1]))
            i = j + 1
    return spans, work


def _blank(text: str, ranges: list[tuple[int, int]]) -> str:
    """The text with each range's characters replaced by NUL, line breaks kept."""
    if not ranges:
        return text
    out = []
    at = 0
    for start, end in sorted(ranges):
        if start < at:
            start = at
        if end <= start:
            continue
        out.append(text[at:start])
        out.append(re.sub(r"[^\n]", "\x00", text[start:end]))
        at = end
    out.append(text[at:])
    return "".join(out)


# -- limits ------------------------------------------------------------------------------

# A line can only be nested past the limit if it starts with that many marker characters.
_DEEP_PREFIX_RE = re.compile(rf"(?:^|(?<=\n))[ \t>*+\-.)0-9!?]{{{MAX_NESTING + 1},}}")
_LONG_PREFIX_RE = re.compile(rf"(?:\A|\n)[ \t>*+\-.)0-9!?]{{{MAX_NESTING + 1}}}")
_LIST_MARKER_RE = re.compile(r"[-*+][ \t]|\d{1,9}[.)][ \t]")


def _nesting(line: str) -> int:
    """Container levels at the start of a line: '>' and list markers, plus 4 columns of indent each."""
    columns = markers = 0
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == " ":
            columns += 1
        elif ch == "\t":
            columns += 4 - columns % 4
        elif ch == ">":
            markers += 1
        else:
            m = _LIST_MARKER_RE.match(line, i)
            if m is None:
                break
            markers += 1
            i = m.end() - 1
        i += 1
    return columns // 4 + markers


_HEADING_RE = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)|^[^\n]*\S[ \t]*\n {0,3}(?:=+|-+)[ \t]*$|<h[1-6][\s/>]", re.M)
_FOOTNOTE_RE = re.compile(r"\[\^")
_BRACKET_EVENT_RE = re.compile(r"(?<!\\)[\[\]]|\n[ \t]*\n")
_EMPHASIS_RE = re.compile(r"(?<!\\)(?:\*|(?<!\w)_|_(?!\w))")
_LIST_BULLET_RE = re.compile(r"^[ \t>]*[*][ \t]|^[ \t]*(?:[*_][ \t]*){3,}$", re.M)
_OPENER_RE = re.compile(r"<(?:!--|[a-zA-Z/!?])")


def _bracket_work(text: str) -> tuple[int, int]:
    """Characters Markdown scans matching each '[' with its ']' within a paragraph, and where.

    Stops counting once the limit is passed: the body is refused either way.
    """
    total = 0
    at = start = 0
    stack: list[int] = []
    for m in _BRACKET_EVENT_RE.finditer(text):
        ch = m.group()
        if ch == "[":
            stack.append(m.start())
            if len(stack) * 1000 > MAX_BRACKET_WORK and len(stack) * (len(text) - m.start()) > MAX_BRACKET_WORK:
                # Unclosed so far; they cost at least the rest of the paragraph if they stay so.
                end = _PARAGRAPH_BREAK_RE.search(text, m.start())
                if len(stack) * ((end.start() if end else len(text)) - m.start()) > MAX_BRACKET_WORK:
                    return MAX_BRACKET_WORK + 1, start
        elif ch == "]":
            if stack:
                total += m.start() - stack.pop()
        else:  # a blank line: the paragraph's unclosed brackets are read to its end
            total += sum(m.start() - s for s in stack)
            stack.clear()
            start = m.end()
        if total > MAX_BRACKET_WORK:
            return total, at
        if not stack:
            at = start
    total += sum(len(text) - s for s in stack)
    return total, at


def _tag_scan_work(text: str) -> int:
    """Characters read from each '<' that may open a tag or comment to the '>' that ends it."""
    work = 0
    next_gt = next_comment_end = -1
    for m in _OPENER_RE.finditer(text):
        at = m.start()
        if m.group() == "<!--":
            if next_comment_end < at:
                found = text.find("-->", at)
                next_comment_end = found if found >= 0 else len(text)
            work += next_comment_end - at
        else:
            if next_gt < at:
                found = text.find(">", at)
                next_gt = found if found >= 0 else len(text)
            work += next_gt - at
    return work


def _limits(body: str, text: str, scan_work: int, issues: list[BodyIssue]) -> None:
    """Errors for the shapes that would make conversion slow or exhaust the stack."""

    def refuse(at: int, message: str) -> None:
        issues.append(BodyIssue(at, message, Severity.ERROR))

    for m in _DEEP_PREFIX_RE.finditer(text) if _LONG_PREFIX_RE.search(text) else ():
        depth = _nesting(m.group())
        if depth > MAX_NESTING:
            refuse(
                m.start(),
                f"the body is nested {depth} levels deep here (lists, quotes, admonitions and "
                f"indented blocks together; at most {MAX_NESTING}): flatten it",
            )
            break

    if text.count("\n") >= MAX_HEADINGS // 2 or text.count("<h") > MAX_HEADINGS:
        for n, m in enumerate(_HEADING_RE.finditer(text), start=1):
            if n > MAX_HEADINGS:
                refuse(m.start(), f"the body has more than {MAX_HEADINGS} headings: split it into several briefings")
                break

    if text.count("[^") > MAX_FOOTNOTES:
        for n, m in enumerate(_FOOTNOTE_RE.finditer(text), start=1):
            if n > MAX_FOOTNOTES:
                refuse(
                    m.start(),
                    f"the body has more than {MAX_FOOTNOTES} footnote references and definitions: "
                    "split it into several briefings",
                )
                break

    if text.count("[") * len(text) > MAX_BRACKET_WORK:
        work, at = _bracket_work(text)
        if work > MAX_BRACKET_WORK:
            refuse(
                at,
                f"this paragraph has too many '[' that are never closed, or nested too deeply, for Markdown "
                f"to read in reasonable time ({work:,} characters to scan; at most {MAX_BRACKET_WORK:,}): "
                "close each '[' with ']', or write a literal bracket as \\[",
            )

    if text.count("*") + text.count("_") > MAX_EMPHASIS:
        bullets = _blank(text, [(m.start(), m.end()) for m in _LIST_BULLET_RE.finditer(text)])
        for start, end in _paragraphs(bullets):
            if bullets.count("*", start, end) + bullets.count("_", start, end) <= MAX_EMPHASIS:
                continue
            markers = sum(1 for _ in _EMPHASIS_RE.finditer(bullets, start, end))
            if markers > MAX_EMPHASIS:
                refuse(
                    start,
                    f"this paragraph has {markers:,} emphasis markers (* and _; at most {MAX_EMPHASIS}): "
                    "write literal ones as \\* and \\_, or split the paragraph",
                )
                break

    if "<" in text:
        scan_work += _tag_scan_work(text)
    if scan_work > MAX_SCAN_WORK:
        refuse(
            0,
            f"the body has so many unclosed HTML tags ('<' without '>'), backtick runs or code fences "
            f"that Markdown would read {scan_work:,} characters looking for their ends (at most "
            f"{MAX_SCAN_WORK:,}): close them, or write a literal '<' as &lt; and a literal backtick as \\`",
        )


# -- what the sanitiser removes ------------------------------------------------------------

# Comments and declarations as Markdown passes them on; an unclosed one is text to Markdown.
_COMMENT_RE = re.compile(r"<!--(?:-?>|.*?--!?>)|<[!?][^<>]*>", re.S)
# An HTML tag as a browser reads it: quoted values may hold '>' and '<'.
_TAG_RE = re.compile(r"""<(/?)([a-zA-Z][^\s/>\x00]*)((?:[^<>"']|"[^"]{0,20000}"|'[^']{0,20000}')*)>""")
_ATTR_RE = re.compile(r"""([^\s/>"'=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
_AUTOLINK_RE = re.compile(r"<((?:[Ff]|[Hh][Tt])[Tt][Pp][Ss]?://[^<>]*|[^<> !]+@[^@<> ]+)>")
_LINK_URL_RE = re.compile(r"\]\(\s*(<[^>\n]*>|[^\s)]*)")
_REFERENCE_RE = re.compile(r"^[ ]{0,3}\[[^\[\]]*\][ ]{0,3}:[ ]*\n?[ ]*(\S+)", re.M)
# attr_list: `{ .class #id key="value" }` after an inline element or at the end of a line.
_ATTR_LIST_RE = re.compile(r"\{:?([^{}\n]*\S[^{}\n]*)\}")
_ATTR_LIST_ITEM_RE = re.compile(r"""([^\s=}]+)=("[^"]*"|'[^']*'|[^\s=}]+)|([.#]?[^\s=}]+)""")
_RAW_TEXT = frozenset({*CONTENT_REMOVED, "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"})
# Optional end tags: a new one closes the open one, as the HTML parser does.
_SIBLINGS = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "option", "thead", "tbody", "tfoot"})


def _unquote(value: str | None) -> str | None:
    if value and value[0] in "\"'" and value[-1] == value[0] and len(value) > 1:
        return value[1:-1]
    return value


def _raw_html(text: str, sanitize: bool, found: list[BodyIssue]) -> tuple[int, int, int]:
    """Findings in HTML written in the body; (deepest nesting, where, start tags)."""
    depth_at = deepest = tags = 0
    stack: list[str] = []
    skip_to = 0
    comments = [(m.start(), m.end()) for m in _COMMENT_RE.finditer(text)] if "<!" in text or "<?" in text else []
    autolinks = {m.start(): m.group(1) for m in _AUTOLINK_RE.finditer(text)}
    ci = 0
    for m in _TAG_RE.finditer(text):
        at = m.start()
        if at < skip_to:
            continue
        while ci < len(comments) and comments[ci][1] <= at:
            ci += 1
        if ci < len(comments) and comments[ci][0] <= at:
            continue
        if at in autolinks:
            target = autolinks[at]
            if "@" not in target and (reason := url_problem(target)):
                found.append(BodyIssue(at, reason, Severity.WARNING))
            continue
        closing, name = m.group(1), m.group(2).lower()
        tags += 1
        if closing:
            if name in stack:
                del stack[len(stack) - 1 - stack[::-1].index(name) :]
            elif sanitize and name not in ("p", "br"):
                # A stray end tag would close the page's own layout around the article.
                found.append(BodyIssue(at, f"the end tag </{name}> closes no element the briefing opened", Severity.WARNING))
            continue
        if sanitize:
            attributes = [(a.group(1), _unquote(a.group(2))) for a in _ATTR_RE.finditer(m.group(3))]
            found.extend(BodyIssue(at, reason, Severity.WARNING) for reason in element_problems(name, attributes))
        if name in _RAW_TEXT:
            end = re.compile(rf"</{re.escape(name)}\s*>", re.I).search(text, m.end())
            skip_to = end.end() if end else len(text)
            continue
        if name in VOID or m.group(3).rstrip().endswith("/"):
            continue
        if name in _SIBLINGS and stack and stack[-1] == name:
            stack.pop()
        if len(stack) <= MAX_HTML_DEPTH:  # past the limit it is an error: no need to keep counting
            stack.append(name)
        if len(stack) > deepest:
            deepest, depth_at = len(stack), at
    return deepest, depth_at, tags


def _attribute_lists(text: str, found: list[BodyIssue]) -> None:
    for m in _ATTR_LIST_RE.finditer(text):
        before = text[m.start() - 1] if m.start() else "\n"
        line_end = text.find("\n", m.end())
        after = text[m.end() : line_end if line_end >= 0 else len(text)]
        if before not in ")]*_`>" and after.strip():
            continue  # literal braces in running text: attr_list leaves them as they are
        for item in _ATTR_LIST_ITEM_RE.finditer(m.group(1)):
            key, value, word = item.group(1), _unquote(item.group(2)), item.group(3)  # key=value, or a word
            if key is None:
                if word.startswith("."):
                    key, value = "class", word[1:]
                elif word.startswith("#"):
                    key, value = "id", word[1:]
                else:
                    key, value = word, word
            reason = attribute_problem(None, key, value)
            if reason:
                found.append(BodyIssue(m.start(), reason, Severity.WARNING))


def _link_addresses(text: str, found: list[BodyIssue]) -> None:
    for m in _LINK_URL_RE.finditer(text) if "](" in text else ():
        url = m.group(1)
        if url.startswith("<"):
            url = url[1:-1]
        if reason := url_problem(url):
            found.append(BodyIssue(m.start(1), reason, Severity.WARNING))
    for m in _REFERENCE_RE.finditer(text) if "]:" in text else ():
        url = m.group(1).strip("<>")
        if reason := url_problem(url):
            found.append(BodyIssue(m.start(1), reason, Severity.WARNING))


def check_body(body: str, *, sanitize: bool = True) -> list[BodyIssue]:
    """Every limit the body exceeds (errors) and, when sanitising, what the page will lose (warnings)."""
    issues: list[BodyIssue] = []
    bad = body_problem(body)
    if bad is not None:
        issues.append(BodyIssue(bad[0], f"the body {bad[1]}", Severity.ERROR))
    blocks, scan_work = _fenced_blocks(body)
    text = _blank(body, blocks)
    if "`" in text:
        spans, span_work = _code_spans(text)
        scan_work += span_work
        text = _blank(text, spans)
    _limits(body, text, scan_work, issues)

    found: list[BodyIssue] = []
    if "<" in text:
        deepest, at, tags = _raw_html(text, sanitize, found)
        if deepest > MAX_HTML_DEPTH:
            issues.append(
                BodyIssue(
                    at,
                    f"HTML elements are nested {deepest} deep in the body (at most {MAX_HTML_DEPTH}): "
                    "close each element you open",
                    Severity.ERROR,
                )
            )
        if not sanitize and tags > MAX_RAW_TAGS_UNSANITISED:
            issues.append(
                BodyIssue(
                    0,
                    f"the body has {tags:,} HTML tags (at most {MAX_RAW_TAGS_UNSANITISED:,} when sanitize is "
                    "off): write the content in Markdown",
                    Severity.ERROR,
                )
            )
    if sanitize:
        if "{" in text:
            _attribute_lists(text, found)
        if "](" in text or "]:" in text:
            _link_addresses(text, found)
        found.sort(key=lambda issue: issue.offset)
        for issue in found[:MAX_REPORTED]:
            issues.append(BodyIssue(issue.offset, f"{REMOVED}: {issue.message}", Severity.WARNING))
        if len(found) > MAX_REPORTED:
            rest = len(found) - MAX_REPORTED
            issues.append(
                BodyIssue(
                    found[MAX_REPORTED].offset,
                    f"{REMOVED}: {rest:,} more {'thing' if rest == 1 else 'things'} the sanitiser does not allow",
                    Severity.WARNING,
                )
            )
    return issues


def html_findings(html: str) -> list[tuple[int, str]]:
    """(offset, reason) for everything the sanitiser takes out of converted HTML."""
    found: list[BodyIssue] = []
    if "<" in html:
        _raw_html(html, True, found)
    return [(issue.offset, issue.message) for issue in found]
