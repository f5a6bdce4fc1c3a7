"""Pagefind's indexer, run beside the build: the site's pages indexed in shards as they are written.

Pagefind (https://pagefind.app) ships its indexer as a binary inside the PyPI package
`pagefind[extended]` (the extended build segments Chinese and Japanese text). The binary
has a service mode that keeps indexes in memory and takes pages one message at a time;
the package's own client reads one reply per tenth of a second, which at thousands of
pages costs minutes, so this module speaks the same protocol (base64 JSON messages ended
by a comma, on the binary's stdin and stdout) and takes only the binary's location from
the package.

Pagefind 1.5.2 builds an index only once it has every page, and the build holds several
copies of every page's words: 1.6 GB at 5,000 briefings. So the site's pages are indexed
in **shards**: runs of a few hundred pages in the order the build writes them, each its
own Pagefind index, built on the binary's core as soon as its last page is written (while
MkDocs writes the next ones) and let go once its files are out. Memory is bounded by the
shard, and the browser merges the shards at search time (Pagefind's `mergeIndex`).

Where a shard ends is decided by its pages' URLs (`plan_shards`), not by counting from the
start, so a new or deleted page changes the shard it falls in and no other. Under `mkdocs
serve` a shard whose pages did not change keeps its files, and only a changed shard is
indexed again (the last one indexed keeps its pages in Pagefind, so the next save of the
same briefing sends Pagefind that page alone); each shard's files are those a clean build
writes, byte for byte.

The bundle (`urls.SEARCH_BUNDLE`): Pagefind's scripts and styles at its top; the manifest
`urls.SEARCH_SHARDS` (per language, the shards' folders in the site's order); one folder per
shard with Pagefind's index, fragments and filters; and `urls.SEARCH_ROOT`, Pagefind's
worker and WebAssembly with an index without pages, which a browser opens first and merges
the shards into, so that it loads Pagefind's code once, whatever the number of shards.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

from markupsafe import escape

from . import urls

INSTALL_HINT = (
    "install it with `pip install 'pagefind[extended]'` (`make site` does), or set PAGEFIND_BINARY_PATH "
    "to a Pagefind binary; `search: false` in the trilat plugin's options builds the site without search"
)
# A page that no longer exists is replaced by this: Pagefind leaves pages without content out.
_EMPTY_PAGE = '<!DOCTYPE html><html lang="en"><head><title></title></head><body></body></html>'
_TIMEOUT = 600.0
# Bytes of pages sent and not yet indexed. Pagefind queues what it is sent while it builds a
# shard, so the build carries on writing pages meanwhile; the bound keeps a build that writes
# pages faster than Pagefind reads them from queuing them all.
_IN_FLIGHT_BYTES = 8 << 20
# Pages per shard, on average (a shard holds from 3/4 to twice as many).
DEFAULT_SHARD_PAGES = 300
# Word locations per index chunk (Pagefind's default is 20,000). A query fetches the chunk
# holding each of its words from every shard, so a shard's chunks are made smaller than an
# unsharded index's: what a word costs then stays close to what it costs in one index.
_CHUNK_LOCATIONS = 4000
# Under `mkdocs serve`, shards indexed again for an edit keep their pages in Pagefind, so the
# next save costs one page and the shard's build; at most this many, for memory.
_LIVE_SHARDS = 2


# The binary's scheduling priority (a niceness): below the build's. It indexes on the core the
# build leaves free; where both want the same core, the build, which everything waits for, goes
# first (measured at 5,000 briefings: the build's thread waited 3.4 s for a core in a 60 s build,
# 1.3 s with the binary niced).
NICENESS = 10


def _background() -> list[str]:
    """The command that starts the binary at NICENESS: POSIX `nice`, which execs it in the same
    process (threads the binary starts inherit it, where a niceness set on its process id after
    the start would miss those started first). Without `nice` (Windows), nothing."""
    nice = shutil.which("nice")
    return [nice, "-n", str(NICENESS)] if nice else []


class PagefindUnavailable(Exception):
    """The Pagefind binary could not be found or run; the message says how to install it."""


class PagefindFailed(Exception):
    """The Pagefind binary ran but failed to index a page or to write the bundle."""


def find_binary() -> Path:
    """The Pagefind binary: PAGEFIND_BINARY_PATH, else the one the `pagefind` package finds."""
    configured = os.environ.get("PAGEFIND_BINARY_PATH")
    if configured:
        return Path(configured)
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise PagefindUnavailable(f"the Python package pagefind is not installed: {INSTALL_HINT}") from None
    found = get_executable()
    if found is None:
        raise PagefindUnavailable(f"no Pagefind binary was found: {INSTALL_HINT}")
    return Path(found)


@dataclass
class _Pending:
    done: threading.Event = field(default_factory=threading.Event)
    reply: dict[str, Any] | None = None
    on_reply: Callable[[dict[str, Any]], None] | None = None
    size: int = 0
    waited: bool = False


class PagefindService:
    """One Pagefind binary in service mode, holding any number of indexes.

    Nothing but `wait` waits for Pagefind: replies are read by a thread, which also runs
    the callbacks given to `files`, and failures are reported by `wait`. The service
    answers messages in the order it gets them.
    """

    def __init__(self, binary: Path | None = None, config: dict[str, Any] | None = None) -> None:
        self.binary = binary or find_binary()
        self._config = config or {}
        env = dict(os.environ)
        env.setdefault("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE", str(_CHUNK_LOCATIONS))
        # Lives as long as the binary: what it says before it fails goes in the error message.
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        # Started through `nice`, a binary that cannot run would be `nice`'s failure, found late.
        if not self.binary.is_file() or not os.access(self.binary, os.X_OK):
            reason = "no such file" if not self.binary.is_file() else "not executable"
            raise PagefindUnavailable(f"the Pagefind binary {self.binary} cannot run ({reason}): {INSTALL_HINT}")
        try:
            self._proc = subprocess.Popen(
                [*_background(), str(self.binary), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                env=env,
            )
        except OSError as exc:
            self._stderr.close()
            raise PagefindUnavailable(f"the Pagefind binary {self.binary} cannot run ({exc}): {INSTALL_HINT}") from None
        self._lock = threading.Condition()
        self._write_lock = threading.Lock()
        self._next_id = 0
        self._next_index = 0
        self._pending: dict[int, _Pending] = {}
        self._in_flight = 0
        self._errors: list[str] = []
        self._closed = False
        self._reader = threading.Thread(target=self._read, name="pagefind-replies", daemon=True)
        self._reader.start()

    # -- the protocol --------------------------------------------------------------------------

    def _send(
        self,
        payload: dict[str, Any],
        *,
        wait: bool = False,
        size: int = 0,
        on_reply: Callable[[dict[str, Any]], None] | None = None,
    ) -> dict[str, Any] | None:
        pending = _Pending(on_reply=on_reply, size=size, waited=wait)
        with self._lock:
            if size and not self._lock.wait_for(
                lambda: self._in_flight == 0 or self._in_flight + size <= _IN_FLIGHT_BYTES or self._dead(),
                timeout=_TIMEOUT,
            ):
                raise self._died()
            if self._dead():
                raise self._died()
            self._next_id += 1
            message_id = self._next_id
            self._pending[message_id] = pending
            self._in_flight += size
        message = json.dumps({"message_id": message_id, "payload": payload}, ensure_ascii=False)
        stdin = self._proc.stdin
        assert stdin is not None
        try:
            with self._write_lock:
                stdin.write(base64.b64encode(message.encode("utf-8", "surrogatepass")) + b",")
                stdin.flush()
        except (BrokenPipeError, ValueError):
            raise self._died() from None
        if not wait:
            return None
        if not pending.done.wait(_TIMEOUT) or pending.reply is None:
            raise self._died()
        reply = pending.reply
        if reply.get("type") == "Error":
            raise PagefindFailed(f"Pagefind: {reply.get('message')}")
        return reply

    def _dead(self) -> bool:
        return self._proc.poll() is not None or not self._reader.is_alive()

    def _read(self) -> None:
        stdout = self._proc.stdout
        assert stdout is not None
        # A shard's files come back as one message of megabytes: gathered, not re-copied.
        buffer = bytearray()
        while True:
            chunk = stdout.read1(1 << 20)
            if not chunk:
                break
            start = 0
            end = chunk.find(b",")
            while end >= 0:
                buffer += chunk[start:end]
                self._receive(bytes(buffer))
                buffer.clear()
                start = end + 1
                end = chunk.find(b",", start)
            buffer += chunk[start:]
        # The binary has exited: nobody waiting will get an answer.
        with self._lock:
            waiting = list(self._pending.values())
            self._pending.clear()
            self._in_flight = 0
            self._lock.notify_all()
        for pending in waiting:
            pending.done.set()

    def _receive(self, raw: bytes) -> None:
        try:
            response = json.loads(base64.b64decode(raw))
        except ValueError:
            self._errors.append(f"unreadable reply {raw[:80]!r}")
            return
        payload = response.get("payload") or {}
        with self._lock:
            pending = self._pending.get(response.get("message_id"))
        if pending is None:
            if payload.get("type") == "Error":
                self._errors.append(str(payload.get("message")))
            return
        pending.reply = payload
        if payload.get("type") == "Error":
            if not pending.waited:
                self._errors.append(str(payload.get("message")))
        elif pending.on_reply is not None:
            try:
                pending.on_reply(payload)
            except Exception as exc:  # reported by `wait`, on the build's thread
                self._errors.append(f"{type(exc).__name__}: {exc}")
        pending.done.set()
        # Forgotten only now, so that `wait` returns once every callback has run.
        with self._lock:
            self._pending.pop(response.get("message_id"), None)
            self._in_flight -= pending.size
            self._lock.notify_all()

    def _died(self) -> Exception:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._proc.wait(timeout=1)
        code = self._proc.poll()
        self._stderr.seek(0)
        said = self._stderr.read().decode("utf-8", "replace").strip()[-2000:]
        what = f"exited with status {code}" if code is not None else "stopped answering"
        if code in (126, 127) and _background():
            # `nice` could not start it (126: not a program it can run, 127: not found).
            what = f"cannot run: {INSTALL_HINT}"
        return PagefindFailed(f"the Pagefind binary {self.binary} {what}" + (f":\n{said}" if said else ""))

    # -- what the index uses ---------------------------------------------------------------------

    def new_index(self) -> int:
        """A new, empty index; returns at once (Pagefind numbers its indexes from 0, as they are made)."""
        index_id = self._next_index
        self._next_index += 1

        def check(reply: dict[str, Any]) -> None:
            if reply.get("index_id") != index_id:
                raise PagefindFailed(f"Pagefind numbered a new index {reply.get('index_id')}, not {index_id}")

        self._send({"type": "NewIndex", "config": self._config}, on_reply=check)
        return index_id

    def add(self, index_id: int, url: str, html: str) -> None:
        """Index a page under `url` (site-relative, starting with '/'); a page of the same URL is replaced.

        Returns at once unless Pagefind has fallen far behind.
        """
        payload = {"type": "AddFile", "index_id": index_id, "url": url, "file_path": None, "file_contents": html}
        self._send(payload, size=len(html) + 256)

    def files(self, index_id: int, done: Callable[[dict[str, bytes]], None]) -> None:
        """Has Pagefind build the index; `done` gets its files by name, on the thread that reads replies.

        The files come back in the reply rather than written by Pagefind: Pagefind 1.5.2
        acknowledges its own writes before they reach the disk (fixed upstream after 1.5.2,
        pagefind#1272).
        """

        def received(reply: dict[str, Any]) -> None:
            files = {}
            for item in reply["files"]:
                name = Path(item["path"])
                if name.is_absolute() or ".." in name.parts:
                    raise PagefindFailed(f"Pagefind named a bundle file outside the bundle: {item['path']}")
                files[name.as_posix()] = base64.b64decode(item["content"])
            reply.clear()
            done(files)

        self._send({"type": "GetFiles", "index_id": index_id}, on_reply=received)

    def delete(self, index_id: int) -> None:
        """Forget an index and its pages."""
        self._send({"type": "DeleteIndex", "index_id": index_id})

    def wait(self) -> None:
        """Wait until Pagefind has answered everything sent; raise what went wrong meanwhile."""
        with self._lock:
            if not self._lock.wait_for(lambda: not self._pending or self._dead(), timeout=_TIMEOUT) or self._pending:
                raise self._died()
        if self._errors:
            errors, self._errors = self._errors, []
            raise PagefindFailed("Pagefind could not index every page: " + "; ".join(errors[:5]))

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._proc.stdin is not None:
            with contextlib.suppress(OSError):
                self._proc.stdin.close()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._reader.join(timeout=10)
        self._stderr.close()


# -- a deterministic bundle -------------------------------------------------------------------
#
# Pagefind 1.5.2 writes each filter's values, and the list of filters, in hash-map order, which
# changes from run to run (fixed upstream after 1.5.2, pagefind#1124, in no release yet). The
# build must be byte-identical for the same input, so the filter files are rewritten in sorted
# order, and the metadata file and entry file that name them by content hash follow. The files
# are gzip-compressed CBOR of arrays, text and whole numbers only: the codec below covers that.

_MAGIC = b"pagefind_dcd"


def _cbor_head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | extra]) + value.to_bytes(size, "big")
    raise ValueError("CBOR number too large")


def _cbor_encode(value: Any) -> bytes:
    if isinstance(value, bool) or value is None:
        raise TypeError("no booleans or nulls in Pagefind's files")
    if isinstance(value, int):
        return _cbor_head(0, value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _cbor_head(3, len(data)) + data
    if isinstance(value, bytes):
        return _cbor_head(2, len(value)) + value
    return _cbor_head(4, len(value)) + b"".join(_cbor_encode(v) for v in value)


def _cbor_decode(data: bytes, at: int = 0) -> tuple[Any, int]:
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        value = info
    else:
        size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
        value = int.from_bytes(data[at : at + size], "big")
        at += size
    if major == 0:
        return value, at
    if major in (2, 3):
        raw = data[at : at + value]
        return (raw.decode("utf-8") if major == 3 else raw), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = _cbor_decode(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"unexpected CBOR major type {major}")


def _read_chunk(data: bytes) -> Any:
    data = gzip.decompress(data)
    return _cbor_decode(data[len(_MAGIC) :] if data.startswith(_MAGIC) else data)[0]


def _chunk(language: str, value: Any, digits: int) -> tuple[str, bytes]:
    """A chunk and Pagefind's name for it: the language, then the start of its SHA-1 in Pagefind's hex."""
    data = _cbor_encode(value)
    hex_digest = "".join(format(b, "x") for b in hashlib.sha1(data).digest())
    return f"{language}_{hex_digest[:digits]}", gzip.compress(_MAGIC + data, compresslevel=9, mtime=0)


def settle_bundle(files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle with what Pagefind left in hash-map order put in sorted order, and renamed to match."""
    files = dict(files)
    entry = json.loads(files["pagefind-entry.json"])
    for language, about in sorted(entry["languages"].items()):
        meta_name = f"pagefind.{about['hash']}.pf_meta"
        meta = _read_chunk(files.pop(meta_name))
        # [version, pages, index_chunks, filters: [[name, chunk]], sorts: [[name, pages]], meta_fields]
        filters = []
        for name, chunk in meta[3]:
            filter_name, values = _read_chunk(files.pop(f"filter/{chunk}.pf_filter"))
            settled, data = _chunk(language, [filter_name, sorted(values, key=lambda v: v[0])], 7)
            files[f"filter/{settled}.pf_filter"] = data
            filters.append([name, settled])
        meta[3] = sorted(filters, key=lambda f: f[0])
        meta[4] = sorted(meta[4], key=lambda sort: sort[0])
        about["hash"], data = _chunk(language, meta, 10)
        files[f"pagefind.{about['hash']}.pf_meta"] = data
    entry["languages"] = dict(sorted(entry["languages"].items()))
    files["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return files


# The language under which a shard's index has no words, for searches by filters alone.
_LISTING = "-x-listing"


def _with_listing_view(files: dict[str, bytes]) -> dict[str, bytes]:
    """A shard's files with, for each language, a second metadata file without the word index.

    The /briefings/ filter asks Pagefind for pages by their filters alone, with no search
    term, and Pagefind 1.5.2 then fetches every chunk of the word index (an empty term
    matches them all; fixed upstream after 1.5.2, pagefind#1317). Under the language
    `<lang>-x-listing` a shard has no word index, and such a search fetches only its filters
    and the fragments it shows. Its page count is 0, so Pagefind never falls back to it.
    """
    entry = json.loads(files["pagefind-entry.json"])
    for language, about in list(entry["languages"].items()):
        meta = _read_chunk(files[f"pagefind.{about['hash']}.pf_meta"])
        meta[2] = []
        name, data = _chunk(language, meta, 10)
        files[f"pagefind.{name}.pf_meta"] = data
        entry["languages"][language + _LISTING] = {**about, "hash": name, "page_count": 0}
    entry["languages"] = dict(sorted(entry["languages"].items()))
    files["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return files


def _empty_index(entry: dict[str, Any], version: Any, runtime: dict[str, bytes]) -> dict[str, bytes]:
    """An index without pages in each of `entry`'s languages, with Pagefind's worker and WebAssembly.

    Every search in a browser starts from it and merges the shards into it. Pagefind runs
    its first index's WebAssembly (with the stemmer of the page's language) for them all,
    and searches that index in the page's own language, which must then hold nothing for
    the /briefings/ filter, whose shards are merged in under their `-x-listing` language.
    """
    files = dict(runtime)
    languages = {}
    for language, about in sorted(entry["languages"].items()):
        name, data = _chunk(language, [version, [], [], [], [], []], 10)
        files[f"pagefind.{name}.pf_meta"] = data
        languages[language] = {**about, "hash": name, "page_count": 0}
    index_entry = {**entry, "languages": languages}
    files["pagefind-entry.json"] = json.dumps(index_entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return files


def _digest(html: str) -> bytes:
    return hashlib.blake2b(html.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _url_hash(url: str) -> int:
    return int.from_bytes(hashlib.blake2b(url.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


def plan_shards(
    pages: Sequence[str], size: int, group: Callable[[str], str] = lambda url: ""
) -> list[tuple[str, tuple[str, ...]]]:
    """The pages (URLs, in the order the build writes them) in shards of `size` pages on average.

    A shard ends after at least 3/4 × size pages at a page whose URL's hash says so (one in
    size/4), or at 2 × size pages. Since a page's hash decides, a page added or removed
    changes its own shard only, but for the few that split or join shards (about one in
    size/4) or that fall in a shard cut at its largest size (under one in a hundred). A
    shard is named after the hash of its first page's URL.

    A shard also ends where the pages' `group` changes: Pagefind ranks a page against the
    others of its shard (how rare a word is, how long a page is), so briefings are ranked
    alike in every shard when no shard mixes them with short pages of other kinds.
    """
    # One in two at least, so that even tiny shards end where their pages say.
    chance = max(size // 4, min(size, 2))
    least = size - chance
    shards: list[list[str]] = []
    last = None
    for url in pages:
        current = shards[-1] if shards else None
        kind = group(url)
        if (
            current is None
            or kind != last
            or len(current) >= 2 * size
            or (len(current) >= least and _url_hash(url) % chance == 0)
        ):
            shards.append([url])
        else:
            current.append(url)
        last = kind
    named: list[tuple[str, tuple[str, ...]]] = []
    taken: set[str] = set()
    for members in shards:
        name = hashlib.blake2b(members[0].encode("utf-8", "surrogatepass"), digest_size=5).hexdigest()
        while name in taken:  # never seen: 40 bits for a few hundred shards
            name = hashlib.blake2b(name.encode(), digest_size=5).hexdigest()
        taken.add(name)
        named.append((name, tuple(members)))
    return named


# Elements Pagefind reads wherever they are: the language, the page's title, its first
# heading and image (the default title and image), meta tags.
_READ_ANYWHERE = frozenset({"html", "title", "h1", "img", "meta"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)


_VALUED = ("data-pagefind-filter", "data-pagefind-meta", "data-pagefind-sort")


def _text_is_a_value(attrs: list[tuple[str, str | None]]) -> bool:
    """Whether Pagefind may take a filter, meta or sort value from the element's text.

    `Theme` does; `Type:Briefing` and `image[src]` give their value themselves.
    """
    for name, value in attrs:
        if name in _VALUED and any(":" not in part and "[" not in part for part in (value or "").split(",")):
            return True
    return False


class _SearchView(HTMLParser):
    """What Pagefind can read of a page: its `data-pagefind-body` elements without what they
    mark `data-pagefind-ignore`, and wherever they are, the elements carrying Pagefind's
    attributes (with their text where it may be a filter, meta or sort value) and those in
    `_READ_ANYWHERE`. Lists of other briefings, related briefings and the like are left out,
    so a change to them alone changes no page's index. What it cannot follow for certain (no
    body element, tags that do not nest) gives None: the whole page counts then.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        # Per open element: its tag, whether it was written out, whether its text is indexed,
        # whether it is in a body element, whether its text may be a value.
        self.open: list[tuple[str, bool, bool, bool, bool]] = [("", False, False, False, False)]
        self.has_body = False
        self.broken = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        _, _, read, in_body, valued = self.open[-1]
        names = {name for name, _ in attrs}
        if "data-pagefind-body" in names:
            self.has_body = in_body = read = True
        if "data-pagefind-ignore" in names:
            read = False
        valued = valued or tag in ("h1", "title") or _text_is_a_value(attrs)
        own = any(name.startswith("data-pagefind") for name in names)
        kept = read or valued or own or tag in _READ_ANYWHERE or (in_body and "id" in names)
        if kept:
            self.parts.append(f"<{tag} {sorted((n, v or '') for n, v in attrs)}>")
        if tag not in _VOID:
            self.open.append((tag, kept, read, in_body, valued))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if len(self.open) < 2 or self.open[-1][0] != tag:
            self.broken = True
            return
        if self.open.pop()[1]:
            self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.open[-1][2] or self.open[-1][4]:
            self.parts.append(data)


def search_view(html: str) -> str | None:
    """What Pagefind reads of a page (see `_SearchView`), or None when that is not certain."""
    view = _SearchView()
    try:
        view.feed(html)
        view.close()
    except Exception:  # whatever it cannot read, Pagefind may read otherwise
        return None
    if view.broken or not view.has_body or len(view.open) != 1:
        return None
    return "".join(view.parts)


def _same_for_search(before: str, after: str) -> bool:
    view = search_view(after)
    return view is not None and view == search_view(before)


def _in_shard_folder(name: str) -> bool:
    """Whether a file of Pagefind's output is part of the shard's own index."""
    return "/" in name or name == "pagefind-entry.json" or name.endswith(".pf_meta")


def _runs_searches(name: str) -> bool:
    """Whether a file of Pagefind's output is the worker or WebAssembly that runs searches (for the root)."""
    return name == "pagefind-worker.js" or (name.startswith("wasm.") and name.endswith(".pagefind"))


@dataclass
class _Shard:
    """A shard as its last bundle has it, kept across `mkdocs serve` rebuilds."""

    name: str
    pages: tuple[str, ...]
    # Its folder's files (kept under `mkdocs serve`; None until built) and each language's pages.
    files: dict[str, bytes] | None = None
    languages: dict[str, int] = field(default_factory=dict)
    # The digest of each page's document, as the files have it.
    digests: dict[str, bytes] = field(default_factory=dict)
    # A Pagefind index still holding the shard's pages, and what it holds, in the order it got them.
    live: int | None = None
    live_pages: dict[str, bytes] = field(default_factory=dict)


@dataclass
class _Work:
    """A shard during one build."""

    shard: _Shard
    previous_pages: tuple[str, ...]
    unseen: set[str]
    seen: dict[str, bytes] = field(default_factory=dict)
    # Changed pages whose previous document is what the shard's files were made from: if
    # Pagefind reads each as before (`search_view`), the files are kept. Asked only once the
    # shard is complete (two parses a page), and not at all once a page rules it out (`changed`).
    before: dict[str, str] = field(default_factory=dict)
    changed: bool = False
    # Sending pages to Pagefind as they come, in the shard's order: `index` has the first `sent`.
    streaming: bool = False
    index: int | None = None
    sent: int = 0
    # Documents held for sending in order later (a one-off build keeps none otherwise).
    held: dict[str, str] = field(default_factory=dict)
    done: bool = False


class SearchIndex:
    """The site's pages in Pagefind, in shards, kept across `mkdocs serve` rebuilds.

    A build calls `begin` with the URLs of the pages search indexes, in the order the
    build writes them, then `page` for each page written (in any subset: a page not
    written again is taken as unchanged) and `finish` to complete the bundle.
    """

    def __init__(
        self, start: Callable[[], PagefindService] = PagefindService, shard_pages: int = DEFAULT_SHARD_PAGES
    ) -> None:
        self._start = start
        self.shard_pages = shard_pages
        # Under `mkdocs serve`, each page's last document, for indexing a shard again without
        # the build writing all its pages again; a one-off build reads them back from its output.
        self.keep_documents = False
        self._documents: dict[str, str] = {}
        self._service: PagefindService | None = None
        self._shards: dict[str, _Shard] = {}
        self._work: dict[str, _Work] = {}
        self._order: list[str] = []
        self._shard_of: dict[str, str] = {}
        self._bundle: Path | None = None
        # Under `mkdocs serve`, each file of the bundle as the last build wrote it (path → digest):
        # a rebuild writes only the files that changed and removes those no longer made, instead
        # of emptying the folder (some 7,000 files at 5,000 briefings) and writing it all again.
        self._on_disk: dict[Path, bytes] = {}
        self._writing: dict[Path, bytes] = {}
        # Scripts and styles Pagefind writes with every index, for the bundle's top.
        self._code: dict[str, bytes] | None = None
        # The site's own script over the shards (`urls.SEARCH_API`), written beside Pagefind's.
        self.api_script: bytes | None = None
        self._failures: list[str] = []
        self._finishing = False
        # What the root's empty index is made of (`_learn`).
        self._entry: dict[str, Any] = {"languages": {}}
        self._meta_version: Any = None
        self._runtime: dict[str, bytes] = {}
        # Shards whose pages a Pagefind index still holds, the one indexed last at the end.
        self._recent: list[str] = []
        # What this build sent to Pagefind: pages, and the shards it built.
        self.sent_this_build = 0
        self.indexed_this_build: list[str] = []

    def begin(self, urls: Iterable[str], bundle: Path, group: Callable[[str], str] = lambda url: "") -> None:
        """Plan the shards for these pages (`group`: see `plan_shards`); the bundle goes to `bundle`."""
        wanted = list(dict.fromkeys(urls))
        if self._service is None:
            self._service = self._start()
        if bundle.exists() and not (self.keep_documents and bundle == self._bundle and self._on_disk):
            # Pagefind's file names carry content hashes: an earlier bundle's files would linger.
            shutil.rmtree(bundle)
            self._on_disk = {}
        self._bundle = bundle
        self._writing = {}
        self.sent_this_build = 0
        self.indexed_this_build = []
        self._failures = []
        previous, self._shards = self._shards, {}
        self._work = {}
        self._order = []
        self._shard_of = {}
        for name, pages in plan_shards(wanted, self.shard_pages, group):
            shard = previous.pop(name, None) or _Shard(name, pages)
            work = _Work(shard, shard.pages, set(pages))
            shard.pages = pages
            # A shard with nothing to compare with is indexed as its pages come.
            work.streaming = shard.files is None and shard.live is None
            self._shards[name] = shard
            self._work[name] = work
            self._order.append(name)
            for url in pages:
                self._shard_of[url] = name
        for gone in previous.values():
            if gone.live is not None:
                self._service.delete(gone.live)
        kept = self._shard_of
        self._documents = {url: html for url, html in self._documents.items() if url in kept}

    def wants(self, url: str) -> bool:
        return url in self._shard_of

    def page(self, url: str, html: str) -> None:
        name = self._shard_of.get(url)
        if name is None:
            return
        work = self._work[name]
        digest = work.seen[url] = _digest(html)
        work.unseen.discard(url)
        if self.keep_documents:
            before = self._documents.get(url)
            indexed = work.shard.digests.get(url)
            if indexed != digest and not work.changed:
                if indexed is not None and before is not None and _digest(before) == indexed:
                    work.before[url] = before
                else:
                    work.changed, work.before = True, {}
            self._documents[url] = html
        if work.streaming:
            if work.sent < len(work.shard.pages) and work.shard.pages[work.sent] == url:
                self._stream(work, url, html)
            else:
                # Out of the shard's order (a page not written at first, written now): Pagefind
                # numbers pages as they come, so the shard is sent again in order at its end.
                work.streaming = False
                if work.index is not None:
                    self._service_().delete(work.index)
                    work.index = None
        if not work.streaming and not self.keep_documents:
            work.held[url] = html
        # A shard sent out of order in a one-off build waits for `finish`, which can read back
        # the pages it sent before; so does, under `mkdocs serve`, a shard whose pages are
        # compared with their last documents or sent again: the edited page is written first.
        if not work.unseen and not work.done and work.streaming and not self._finishing:
            self._complete(work, None)

    def _service_(self) -> PagefindService:
        assert self._service is not None
        return self._service

    def _stream(self, work: _Work, url: str, html: str) -> None:
        service = self._service_()
        if work.index is None:
            work.index = service.new_index()
        service.add(work.index, url, html)
        work.sent += 1
        self.sent_this_build += 1

    def _complete(self, work: _Work, read_page: Callable[[str], str | None] | None) -> None:
        """Every page of the shard is in: use its files again, or index it (again)."""
        work.done = True
        shard = work.shard
        service = self._service_()
        if work.streaming and work.index is not None:
            index = work.index
            live_pages = {url: work.seen[url] for url in shard.pages[: work.sent]}
        elif shard.files is not None and work.previous_pages == shard.pages and self._reads_alike(work):
            work.before = {}
            shard.digests = dict(work.seen)
            self._write_shard(shard.name, shard.files)
            return
        else:
            work.before = {}
            documents = {}
            for url in shard.pages:
                html = work.held.get(url) or self._documents.get(url) or (read_page(url) if read_page else None)
                if html is not None:
                    documents[url] = html
                    work.seen[url] = _digest(html)
            index, live_pages = self._send_shard(shard, documents)
        shard.digests = {url: work.seen[url] for url in shard.pages if url in work.seen}
        shard.live, shard.live_pages = index, live_pages
        self.indexed_this_build.append(shard.name)
        keep = self.keep_documents

        def built(files: dict[str, bytes]) -> None:
            files = _with_listing_view(settle_bundle(files))
            folder = {name: data for name, data in files.items() if _in_shard_folder(name)}
            self._learn(folder, {name: data for name, data in files.items() if _runs_searches(name)})
            if self._code is None:
                self._keep_code(files)
            entry = json.loads(folder["pagefind-entry.json"])
            shard.languages = {
                lang: int(about["page_count"])
                for lang, about in entry["languages"].items()
                if not lang.endswith(_LISTING)
            }
            shard.files = folder if keep else None
            self._write_shard(shard.name, folder)

        service.files(index, built)
        if not keep or len(self.indexed_this_build) > _LIVE_SHARDS:
            # A one-off build lets each shard go once built; so does a preview's first build.
            for name in self.indexed_this_build:
                indexed = self._shards[name]
                if indexed.live is not None:
                    service.delete(indexed.live)
                    indexed.live, indexed.live_pages = None, {}

    def _reads_alike(self, work: _Work) -> bool:
        """Whether Pagefind reads every page of the shard as its files have it: pages whose HTML
        changed only in what search leaves out (a related briefing's new title, say) count as alike."""
        if work.changed:
            return False
        digests = work.shard.digests
        for url in work.shard.pages:
            if digests.get(url) == work.seen.get(url):
                continue
            before, after = work.before.get(url), self._documents.get(url)
            if before is None or after is None or not _same_for_search(before, after):
                return False
        return True

    def _send_shard(self, shard: _Shard, documents: dict[str, str]) -> tuple[int, dict[str, bytes]]:
        """Sends a shard's pages to Pagefind, to the index holding its pages if their order allows."""
        service = self._service_()
        wanted = [url for url in shard.pages if url in documents]
        live = shard.live_pages
        kept = [url for url in live if url in documents]
        if shard.live is not None and kept + [url for url in wanted if url not in live] == wanted:
            index = shard.live
            pages = dict(live)
            for url in live:
                if url not in documents and live[url] != b"":
                    service.add(index, url, _EMPTY_PAGE)
                    pages[url] = b""
                    self.sent_this_build += 1
        else:
            if shard.live is not None:
                service.delete(shard.live)
            index = service.new_index()
            pages = {}
        for url in wanted:
            digest = _digest(documents[url])
            if pages.get(url) != digest:
                service.add(index, url, documents[url])
                pages[url] = digest
                self.sent_this_build += 1
        return index, pages

    def _learn(self, folder: dict[str, bytes], runtime: dict[str, bytes]) -> None:
        """Keeps what the root takes from the shards: their languages, Pagefind's worker and WebAssembly."""
        entry = json.loads(folder["pagefind-entry.json"])
        for language, about in entry["languages"].items():
            if language.endswith(_LISTING):
                continue
            self._entry["languages"][language] = {"wasm": about["wasm"]}
            if self._meta_version is None:
                self._meta_version = _read_chunk(folder[f"pagefind.{about['hash']}.pf_meta"])[0]
        self._entry.update({key: value for key, value in entry.items() if key != "languages"})
        self._runtime.update(runtime)

    def _write_shard(self, name: str, files: dict[str, bytes]) -> None:
        try:
            assert self._bundle is not None
            for file, data in sorted(files.items()):
                self._write(self._bundle / name / file, data)
        except OSError as exc:
            self._failures.append(f"cannot write the search bundle: {exc}")

    def _write(self, path: Path, data: bytes) -> None:
        if self.keep_documents:
            digest = hashlib.blake2b(data, digest_size=16).digest()
            self._writing[path] = digest
            if self._on_disk.get(path) == digest and path.is_file():
                return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def _remove_unwritten(self) -> None:
        """The files of the last bundle that this one no longer has, and the folders they leave empty."""
        assert self._bundle is not None
        for path in sorted(self._on_disk.keys() - self._writing.keys()):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            folder = path.parent
            while folder != self._bundle and folder.is_relative_to(self._bundle):
                try:
                    folder.rmdir()
                except OSError:
                    break
                folder = folder.parent
        self._on_disk, self._writing = (self._writing if self.keep_documents else {}), {}

    def finish(self, read_page: Callable[[str], str | None]) -> None:
        """Complete the bundle; `read_page` gives a written page's HTML by its URL.

        A page the build did not write (`mkdocs build --dirty` leaves unchanged pages alone,
        and a preview may skip them) is taken from the last build, or read back from what an
        earlier build wrote.
        """
        service = self._service_()
        self._finishing = True
        try:
            for name in self._order:
                work = self._work[name]
                if work.done:
                    continue
                for url in work.shard.pages:
                    if url not in work.unseen:
                        continue
                    html = self._documents.get(url) or read_page(url)
                    if html is not None:
                        self.page(url, html)
                    else:
                        work.unseen.discard(url)
                self._complete(work, read_page)
        finally:
            self._finishing = False
        if self._code is None:
            # Every shard kept its files (or there is none): the scripts come with an empty index.
            index = service.new_index()
            service.files(index, self._keep_code)
            service.delete(index)
        service.wait()
        if self._failures:
            raise PagefindFailed("; ".join(self._failures[:5]))
        # Under `mkdocs serve`, the shards last indexed for an edit keep their pages in Pagefind.
        recent = [name for name in self._recent if name not in self.indexed_this_build] + self.indexed_this_build
        self._recent = [name for name in recent if name in self._shards and self._shards[name].live is not None]
        while len(self._recent) > _LIVE_SHARDS:
            shard = self._shards[self._recent.pop(0)]
            if shard.live is not None:
                service.delete(shard.live)
                shard.live, shard.live_pages = None, {}
        assert self._bundle is not None and self._code is not None
        self._bundle.mkdir(parents=True, exist_ok=True)
        for file, data in sorted(self._code.items()):
            self._write(self._bundle / file, data)
        if self.api_script is not None:
            self._write_shard(urls.SEARCH_API, {"pagefind.js": self.api_script})
        languages = {language for name in self._order for language in self._shards[name].languages}
        entry = {**self._entry, "languages": {k: v for k, v in self._entry["languages"].items() if k in languages}}
        if languages:
            self._write_shard(urls.SEARCH_ROOT, _empty_index(entry, self._meta_version, self._runtime))
        # Last, so that a browser never finds a manifest naming shards not yet written.
        self._write(self._bundle / urls.SEARCH_SHARDS, self.manifest())
        self._remove_unwritten()

    def _keep_code(self, files: dict[str, bytes]) -> None:
        """Pagefind's scripts and styles, the same with every index, for the bundle's top."""
        self._code = {name: data for name, data in files.items() if not _in_shard_folder(name) and not _runs_searches(name)}

    def manifest(self) -> bytes:
        """Per language, the folders of the shards holding its pages, in the site's order.

        `default` is the language with the most pages, for a page in a language no shard has
        (as Pagefind itself falls back to).
        """
        languages: dict[str, list[str]] = {}
        counts: dict[str, int] = {}
        for name in self._order:
            for language, count in sorted(self._shards[name].languages.items()):
                languages.setdefault(language, []).append(f"{name}/")
                counts[language] = counts.get(language, 0) + count
        default = min(counts, key=lambda lang: (-counts[lang], lang)) if counts else None
        manifest = {
            "default": default,
            "languages": dict(sorted(languages.items())),
            # The empty index searches start from, and what names the shards' indexes without
            # words (for searches by filters alone): "<language>-x-listing".
            "root": f"{urls.SEARCH_ROOT}/" if languages else None,
            "listing": _LISTING,
            # Where the search dialog loads Pagefind's API from: the site's, over the shards.
            "api": f"{urls.SEARCH_API}/" if self.api_script is not None else None,
        }
        return json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def close(self) -> None:
        if self._service is not None:
            self._service.close()
            self._service = None
        self._shards = {}
        self._work = {}
        self._documents = {}
        self._on_disk, self._writing = {}, {}
        self._code = None
        self._recent = []
        self._entry = {"languages": {}}
        self._meta_version = None
        self._runtime = {}


def search_body(html: str, title: str) -> str:
    """A page of the site's own (from docs/), marked for search as the templates mark the pages they make."""
    return (
        '<div class="trilat-page" data-pagefind-body data-pagefind-filter="Type:Page" '
        f'data-pagefind-meta="type:Page" data-pagefind-default-meta="title:{escape(title)}">\n{html}\n</div>'
    )


def search_document(content: str, title: str, lang: str) -> str:
    """What Pagefind reads of a page: its content, as the templates mark it, as a page of its own.

    The theme's navigation, header and footer are most of a page's bytes and none of what
    search reads: leaving them out makes each message a fraction of the page, and a change
    to them alone sends no page to Pagefind again.
    """
    return (
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"</head><body>{content}</body></html>"
    )
