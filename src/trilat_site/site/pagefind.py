"""Pagefind's indexer, run beside the build: pages go in as they are written, the bundle comes out at the end.

Pagefind (https://pagefind.app) ships its indexer as a binary inside the PyPI package
`pagefind[extended]` (the extended build segments Chinese and Japanese text). The binary
has a service mode that keeps an index in memory and takes pages one message at a time;
the package's own client reads one reply per tenth of a second, which at thousands of
pages costs minutes, so this module speaks the same protocol (base64 JSON messages ended
by a comma, on the binary's stdin and stdout) and takes only the binary's location from
the package. The binary works on a second core while the build renders the next pages.

`SearchIndex` adds what the build keeps across `mkdocs serve` rebuilds: a page is sent
again only when its HTML changed, a page that is gone is emptied (Pagefind drops pages
without indexable content), and the index starts afresh only when the order of the pages
changed, which keeps the bundle byte-identical to a clean build of the same site.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import json
import os
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from markupsafe import escape

INSTALL_HINT = (
    "install it with `pip install 'pagefind[extended]'` (`make site` does), or set PAGEFIND_BINARY_PATH "
    "to a Pagefind binary; `search: false` in the trilat plugin's options builds the site without search"
)
# A page that no longer exists is replaced by this: Pagefind leaves pages without content out.
_EMPTY_PAGE = '<!DOCTYPE html><html lang="en"><head><title></title></head><body></body></html>'
_TIMEOUT = 600.0
# Pages sent and not yet indexed: Pagefind reads every message as it comes and queues it, so
# without a bound a build that writes pages faster than Pagefind indexes them would queue them all.
_IN_FLIGHT = 32


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


class PagefindService:
    """One Pagefind binary in service mode, holding one index.

    `add` does not wait for Pagefind: replies are read by a thread, and failures are
    reported by the next `write` (the service answers messages in the order it gets them).
    """

    def __init__(self, binary: Path | None = None, config: dict[str, Any] | None = None) -> None:
        self.binary = binary or find_binary()
        self._config = config or {}
        # Lives as long as the binary: what it says before it fails goes in the error message.
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self._proc = subprocess.Popen(
                [str(self.binary), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
            )
        except OSError as exc:
            self._stderr.close()
            raise PagefindUnavailable(f"the Pagefind binary {self.binary} cannot run ({exc}): {INSTALL_HINT}") from None
        self._lock = threading.Lock()
        self._next_id = 0
        self._pending: dict[int, _Pending] = {}
        self._unanswered: set[int] = set()
        self._window = threading.BoundedSemaphore(_IN_FLIGHT)
        self._errors: list[str] = []
        self._closed = False
        self._written_to: Path | None = None
        self._written: dict[str, bytes] = {}
        self._reader = threading.Thread(target=self._read, name="pagefind-replies", daemon=True)
        self._reader.start()
        self.index_id = self._new_index()

    # -- the protocol --------------------------------------------------------------------------

    def _send(self, payload: dict[str, Any], *, wait: bool) -> dict[str, Any] | None:
        with self._lock:
            self._next_id += 1
            message_id = self._next_id
            pending = _Pending() if wait else None
            if pending is not None:
                self._pending[message_id] = pending
            else:
                self._unanswered.add(message_id)
        message = json.dumps({"message_id": message_id, "payload": payload}, ensure_ascii=False)
        stdin = self._proc.stdin
        assert stdin is not None
        try:
            stdin.write(base64.b64encode(message.encode("utf-8", "surrogatepass")) + b",")
            stdin.flush()
        except (BrokenPipeError, ValueError):
            raise self._died() from None
        if pending is None:
            return None
        if not pending.done.wait(_TIMEOUT) or pending.reply is None:
            raise self._died()
        reply = pending.reply
        if reply.get("type") == "Error":
            raise PagefindFailed(f"Pagefind: {reply.get('message')}")
        return reply

    def _read(self) -> None:
        stdout = self._proc.stdout
        assert stdout is not None
        # The bundle comes back as one message of tens of megabytes: gathered, not re-copied.
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
            unanswered = len(self._unanswered)
            self._unanswered.clear()
        for pending in waiting:
            pending.done.set()
        for _ in range(unanswered):
            self._window.release()

    def _receive(self, raw: bytes) -> None:
        try:
            response = json.loads(base64.b64decode(raw))
        except ValueError:
            self._errors.append(f"unreadable reply {raw[:80]!r}")
            return
        payload = response.get("payload") or {}
        message_id = response.get("message_id")
        with self._lock:
            pending = self._pending.pop(message_id, None)
            answered = message_id in self._unanswered
            self._unanswered.discard(message_id)
        if answered:
            self._window.release()
        if pending is not None:
            pending.reply = payload
            pending.done.set()
        elif payload.get("type") == "Error":
            self._errors.append(str(payload.get("message")))

    def _died(self) -> Exception:
        code = self._proc.poll()
        self._stderr.seek(0)
        said = self._stderr.read().decode("utf-8", "replace").strip()[-2000:]
        what = f"exited with status {code}" if code is not None else "stopped answering"
        return PagefindFailed(f"the Pagefind binary {self.binary} {what}" + (f":\n{said}" if said else ""))

    def _new_index(self) -> int:
        reply = self._send({"type": "NewIndex", "config": self._config}, wait=True)
        assert reply is not None
        return int(reply["index_id"])

    # -- what the build uses -------------------------------------------------------------------

    def add(self, url: str, html: str) -> None:
        """Index a page under `url` (site-relative, starting with '/'); a page of the same URL is replaced.

        Returns at once unless Pagefind has fallen behind by more than a few pages.
        """
        if not self._window.acquire(timeout=_TIMEOUT) or self._proc.poll() is not None:
            raise self._died()
        self._send(
            {"type": "AddFile", "index_id": self.index_id, "url": url, "file_path": None, "file_contents": html},
            wait=False,
        )

    def restart_index(self) -> None:
        """Forget every page: the next pages start a new index."""
        self._send({"type": "DeleteIndex", "index_id": self.index_id}, wait=True)
        self.index_id = self._new_index()

    def write(self, bundle: Path) -> None:
        """Write the bundle to `bundle`, a folder the site owns, replacing what was there.

        The files come back in the reply and are written here: Pagefind 1.5.2 acknowledges
        its own writes before they reach the disk (fixed upstream after 1.5.2, pagefind#1272).
        """
        reply = self._send({"type": "GetFiles", "index_id": self.index_id}, wait=True)
        assert reply is not None
        if self._errors:
            errors, self._errors = self._errors, []
            raise PagefindFailed("Pagefind could not index every page: " + "; ".join(errors[:5]))
        files = {}
        for item in reply["files"]:
            name = Path(item["path"])
            if name.is_absolute() or ".." in name.parts:
                raise PagefindFailed(f"Pagefind named a bundle file outside the bundle: {item['path']}")
            files[name.as_posix()] = base64.b64decode(item["content"])
        del reply
        settled = settle_bundle(files)
        # What this service last wrote there, by name and digest: a rebuild (`mkdocs serve`)
        # writes only the files that changed, most of a large bundle being the same.
        before = self._written if self._written_to == bundle else {}
        now = {name: _file_digest(data) for name, data in settled.items()}
        self._written_to, self._written = None, {}
        if bundle.exists():
            # Pagefind's file names carry content hashes: an earlier bundle's files would linger.
            for path in sorted(bundle.rglob("*"), reverse=True):
                name = path.relative_to(bundle).as_posix()
                if path.is_dir() and not path.is_symlink():
                    if not any(path.iterdir()):
                        path.rmdir()
                elif before.get(name) != now.get(name):
                    path.unlink()
        for name, data in sorted(settled.items()):
            path = bundle / name
            if before.get(name) == now[name] and path.is_file():
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        self._written_to, self._written = bundle, now

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


def _file_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _digest(html: str) -> bytes:
    return hashlib.blake2b(html.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class SearchIndex:
    """The site's pages in Pagefind, kept across `mkdocs serve` rebuilds.

    A build calls `begin` with the URLs of the pages search indexes, in the order the
    build writes them, then `page` for each page written (in any subset: a page not
    written again is taken as unchanged) and `finish` to write the bundle.
    """

    def __init__(self, start: Callable[[], PagefindService] = PagefindService) -> None:
        self._start = start
        # Under `mkdocs serve`, each page's last document, for indexing afresh without the build
        # writing every page again; a one-off build reads them back from its output if it must.
        self.keep_documents = False
        self._documents: dict[str, str] = {}
        self._service: PagefindService | None = None
        # What Pagefind holds: each URL in the order it was first added, with its page's digest.
        self._sent: dict[str, bytes] = {}
        self._order: list[str] = []
        self._wanted: list[str] = []
        self._wanted_set: frozenset[str] = frozenset()
        self.sent_this_build = 0

    def begin(self, urls: Iterable[str]) -> None:
        self._wanted = list(dict.fromkeys(urls))
        self._wanted_set = frozenset(self._wanted)
        self.sent_this_build = 0
        if self._service is None:
            self._service = self._start()
        # Pagefind numbers pages in the order they first came, and a clean build sends them in
        # the build's order: pages that stay keep their places, and new pages go at the end.
        # When that is not the build's order (a new briefing among the others), start afresh.
        kept = [url for url in self._order if url in self._wanted_set]
        new = [url for url in self._wanted if url not in self._sent]
        if kept + new != self._wanted:
            self._reset()

    def _reset(self) -> None:
        assert self._service is not None
        if self._sent:
            self._service.restart_index()
        self._sent = {}
        self._order = []

    def wants(self, url: str) -> bool:
        return url in self._wanted_set

    def page(self, url: str, html: str) -> None:
        assert self._service is not None
        digest = _digest(html)
        if self._sent.get(url) == digest:
            return
        if url not in self._sent:
            self._order.append(url)
        self._sent[url] = digest
        if self.keep_documents:
            self._documents[url] = html
        self._service.add(url, html)
        self.sent_this_build += 1

    def finish(self, bundle: Path, read_page: Callable[[str], str | None]) -> None:
        """Write the bundle; `read_page` gives a written page's HTML by its URL, for a re-index.

        A page the build did not write (`mkdocs build --dirty` leaves unchanged pages alone)
        is read back from what an earlier build wrote.
        """
        assert self._service is not None
        wanted = self._wanted_set
        for url in [u for u in self._order if u not in wanted]:
            if self._sent[url] != b"":
                self._sent[url] = b""
                self._service.add(url, _EMPTY_PAGE)
        unsent = [url for url in self._wanted if url not in self._sent]
        for url in unsent:
            html = read_page(url)
            if html is not None:
                self.page(url, html)
        live = [url for url in self._order if url in wanted]
        if live != [url for url in self._wanted if url in self._sent]:
            # A page came in out of the build's order (one not written at first, written now):
            # index every page again, in order, from what the build wrote.
            self._reset()
            documents, self._documents = self._documents, {}
            for url in self._wanted:
                html = documents.get(url) or read_page(url)
                if html is not None:
                    self.page(url, html)
        self._service.write(bundle)

    def close(self) -> None:
        if self._service is not None:
            self._service.close()
            self._service = None
        self._sent = {}
        self._order = []
        self._documents = {}


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
