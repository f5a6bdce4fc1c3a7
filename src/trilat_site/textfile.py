"""Reading text files editors produce: UTF-8 with or without BOM, any line ending."""

from __future__ import annotations

_BOM = "\ufeff"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _looks_like_utf16(data: bytes) -> bool:
    # Without a BOM, ASCII text in UTF-16 is every other byte NUL, which is valid UTF-8.
    head = data[:64]
    return data.startswith(_UTF16_BOMS) or (len(head) >= 4 and (not any(head[1::2]) or not any(head[0::2])))


def decode(data: bytes) -> str | tuple[int, str]:
    """Text with a BOM stripped and line endings normalised, or (line, reason)."""
    if _looks_like_utf16(data):
        return 1, "is UTF-16 text: save the file as UTF-8 in your editor"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return line, (
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be read): "
            "save the file as UTF-8 in your editor"
        )
    if text.startswith(_BOM):
        text = text[1:]
    if "\x00" in text:
        return text.count("\n", 0, text.index("\x00")) + 1, "contains a NUL character: is this a binary file?"
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


def split_front_matter(text: str) -> tuple[str, str, int] | tuple[int, str]:
    """(front matter, body, line where the body starts), or (line, reason)."""
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if first.rstrip() != "---":
        return 1, (
            "no front matter: a briefing starts with a line '---', then its keys "
            "(title, date, summary, themes), then a line '---'"
        )
    # Only the front matter is searched line by line; the body is sliced off whole.
    fence = _closing_fence(text, first_end + 1) if first_end >= 0 else None
    if fence is None:
        return 1, "front matter is not closed: add a line '---' after its last key"
    front = text[first_end + 1 : fence[0]]
    body = text[fence[1] + 1 :]
    # Empty front matter is still one (empty) line of YAML.
    return front or "\n", body, front.count("\n") + 3
