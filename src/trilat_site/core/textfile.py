"""Reading text files editors produce: UTF-8 with or without BOM, any line ending."""

from __future__ import annotations

import os
import stat
from pathlib import Path

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


_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a folder"),
)


def not_regular(mode: int) -> str | None:
    """What a file of this mode is, when it is not a regular file, or None."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return next((what for test, what in _NOT_REGULAR if test(mode)), "not a regular file")


class NotRegularFile(OSError):
    """The path names something other than a regular file: reading it could block or never end."""

    def __init__(self, what: str) -> None:
        super().__init__(f"is {what}, not a regular file")
        self.strerror = str(self)


def read_regular(path: Path | str, limit: int, *, follow_links: bool = False) -> bytes:
    """At most `limit` bytes of a regular file; NotRegularFile for a FIFO, device or socket.

    A FIFO opened for reading waits for a writer for ever, and a device may never end, so
    the file's type is checked before it is opened and again on the open descriptor (the
    name could be replaced in between). O_NONBLOCK makes opening a FIFO return at once;
    it changes nothing for a regular file.
    """
    what = not_regular((os.stat if follow_links else os.lstat)(path).st_mode)
    if what is not None and not (follow_links and what == "a symbolic link"):
        raise NotRegularFile(what)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as stream:
        what = not_regular(os.fstat(fd).st_mode)
        if what is not None:
            raise NotRegularFile(what)
        return stream.read(limit)
