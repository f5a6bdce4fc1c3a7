"""Characters a briefing may not use, how text is compared, and how an odd name is shown.

What a briefing says lands in HTML, Atom feeds, citations, terminals and JSON. Three kinds
of character do harm there and are never needed in metadata:

- control characters other than tab and line feed: invalid in XML, so one makes every
  feed unreadable, and terminal escape sequences in `trilat list`;
- bidirectional controls (embeddings, overrides, isolates and the invisible marks): they
  reorder what follows, so "Invoice \u202efdp.exe" displays as "Invoice exe.pdf", and the
  reversal runs on into whatever the site prints next to the field;
- invisible characters that separate nothing a reader can see (zero-width space, word
  joiner, BOM…): "alli\u200bances" looks like "alliances" but is another tag.

They are refused with a located error rather than cleaned, so the text the site shows
is the text the editor wrote. Joiners (U+200C, U+200D) stay allowed in free text: emoji
sequences and several scripts need them. Tags are compared by `comparison_key`, which
ignores them along with case, compatibility forms and spacing.
"""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls and DEL, except tab and line feed (line breaks are normalised to \n).
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVISIBLE = "\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b\u2060-\u2064\u3164\ufeff\uffa0"

_FIELD_RE = re.compile(f"[{_CONTROL}{BIDI_CONTROLS}{_INVISIBLE}]")
# A body is prose: it may hold invisible characters (they change no identity there), but
# no control character and no direction control.
BODY_RE = re.compile(f"[{_CONTROL}{BIDI_CONTROLS}]")
# A name may not break a line either.
_NAME_RE = re.compile(f"[\t\n{_CONTROL}{BIDI_CONTROLS}{_INVISIBLE}\ud800-\udfff]")

# Control characters have no Unicode name; these are the ones people meet.
_NAMES = {
    "\x00": "NUL",
    "\x07": "BELL",
    "\x08": "BACKSPACE",
    "\t": "TAB",
    "\n": "LINE FEED",
    "\x0b": "LINE TABULATION",
    "\x0c": "FORM FEED",
    "\r": "CARRIAGE RETURN",
    "\x1b": "ESCAPE",
    "\x7f": "DELETE",
}


def describe(ch: str) -> str:
    """'U+202E (RIGHT-TO-LEFT OVERRIDE)': a character no one can see, named."""
    name = _NAMES.get(ch) or unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


def _kind(ch: str) -> str:
    if re.match(f"[{BIDI_CONTROLS}]", ch):
        return "a bidirectional control, which reorders the text around it"
    if re.match(f"[{_INVISIBLE}]", ch):
        return "an invisible character"
    return "a control character"


def field_problem(value: str) -> str | None:
    """Why a metadata value may not be used as it is, or None."""
    found = _FIELD_RE.search(value)
    if found is None:
        return None
    ch = found.group()
    return f"contains {describe(ch)}, {_kind(ch)}: remove it"


def body_problem(body: str) -> tuple[int, str] | None:
    """(offset, why) of the first character a body may not contain, or None."""
    found = BODY_RE.search(body)
    if found is None:
        return None
    ch = found.group()
    return found.start(), f"contains {describe(ch)}, {_kind(ch)}: remove it"


def name_problem(name: str) -> str | None:
    """Why a file or folder name cannot be a briefing's, or None.

    Names come from the file system as `os.fsdecode` gives them: bytes that are not
    UTF-8 appear as lone surrogates.
    """
    found = _NAME_RE.search(name)
    if found is None:
        return None
    ch = found.group()
    if "\ud800" <= ch <= "\udfff":
        return "the file name is not UTF-8 text: rename it"
    return f"the file name contains {describe(ch)}, {_kind(ch)}: rename it"


def shown(text: str) -> str:
    """Text safe to print on one line: every character that does not print, escaped.

    Lone surrogates (bytes of a name that are not UTF-8) become \\xNN, other characters
    that do not print become \\n, \\t, \\x1b or \\u202e, so a name can neither split a
    `file:line: message` line nor reorder or recolour it. Text with nothing to escape is
    returned as it is (the same object).
    """
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable():
            out.append(ch)
        elif "\udc80" <= ch <= "\udcff":
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)


_IGNORABLE_RE = re.compile(f"[{BIDI_CONTROLS}{_INVISIBLE}\u200c\u200d\ufe00-\ufe0f]")


def comparison_key(text: str) -> str:
    """What makes two tags the same tag: equal after NFKC, case folding, and dropping invisibles.

    "Alliances", "alliances", "ａｌｌｉａｎｃｅｓ" and "alli\u200dances" are one tag.
    """
    folded = unicodedata.normalize("NFKC", _IGNORABLE_RE.sub("", text)).casefold()
    return " ".join(folded.split())
