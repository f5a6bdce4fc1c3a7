"""Reading text files editors produce: UTF-8 with or without BOM, any line ending."""

from __future__ import annotations

_BOM = "\ufeff"


def decode(data: bytes) -> str | tuple[int, str]:
    """Text with a BOM stripped and line endings normalised, or (line, reason)."""
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
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> tuple[str, str, int] | tuple[int, str]:
    """(front matter, body, line where the body starts), or (line, reason)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return 1, (
            "no front matter: a briefing starts with a line '---', then its keys "
            "(title, date, summary, themes), then a line '---'"
        )
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]) + "\n", "\n".join(lines[i + 1 :]), i + 2
    return 1, "front matter is not closed: add a line '---' after its last key"
