"""Reading text files editors produce: UTF-8 with or without BOM, any line ending."""

from __future__ import annotations

from .problems import InputError

_BOM = "\ufeff"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _looks_like_utf16(data: bytes) -> bool:
    # Without a BOM, ASCII text in UTF-16 is every other byte NUL, which is valid UTF-8.
    head = data[:64]
    return data.startswith(_UTF16_BOMS) or (len(head) >= 4 and (not any(head[1::2]) or not any(head[0::2])))


def decode(data: bytes) -> str:
    """Text with a BOM stripped and line endings normalised; InputError if it is not UTF-8 text."""
    if _looks_like_utf16(data):
        raise InputError("is UTF-16 text: save the file as UTF-8 in your editor", 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be read): "
            "save the file as UTF-8 in your editor",
            line,
        ) from None
    if text.startswith(_BOM):
        text = text[1:]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError("contains a NUL character: is this a binary file?", line)
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _closing_fence(text: str, start: int) -> tuple[int, int] | None:
    """(start, end) of the first line from `start` on that is '---' or '...' up to trailing space."""
    while True:
        dashes = text.find("\n---", start - 1)
        dots = text.find("\n...", start - 1, len(text) if dashes < 0 else dashes)
        at = (dots if dots >= 0 else dashes) + 1
        if at == 0:
            return None
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        if text[at + 3 : end].rstrip() == "":
            return at, end
        start = at + 1


def split_front_matter(text: str) -> tuple[str, str, int]:
    """(front matter, body, line where the body starts); InputError if there is no front matter."""
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if first.rstrip() != "---":
        raise InputError(
            "no front matter: a briefing starts with a line '---', then its keys "
            "(title, date, summary, themes), then a line '---'",
            1,
        )
    # Only the front matter is searched line by line; the body is sliced off whole.
    fence = _closing_fence(text, first_end + 1) if first_end >= 0 else None
    if fence is None:
        raise InputError("front matter is not closed: add a line '---' after its last key", 1)
    front = text[first_end + 1 : fence[0]]
    body = text[fence[1] + 1 :]
    # Empty front matter is still one (empty) line of YAML.
    return front or "\n", body, front.count("\n") + 3
