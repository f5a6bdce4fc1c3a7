"""`mkdocs build` writes into a staging folder beside `site_dir`, swapped in only when the build succeeded.

MkDocs empties `site_dir` at the start of a build and writes pages into it one by one, so
a build that fails halfway, is interrupted or is killed leaves a partial site that looks
complete (the sitemap lists every page), and two builds at once interleave their files.
MkDocs has no setting for this, so the adapter goes around it, here and only here:

- `begin` (the plugin's `on_pre_build`, after every briefing passed its checks) points
  `config.site_dir` at a new folder `.<site>.staging-<pid>-<random>` next to it; MkDocs
  then cleans and fills that folder instead;
- `finish` (`on_shutdown`, which MkDocs runs after a build whether it succeeded or not)
  renames the finished folder into place, or removes it when the build failed or was
  interrupted; the previous site is never touched until then;
- the swap is two renames in the same parent folder, under an exclusive lock on that
  folder, so concurrent builds each swap in a complete site, one after the other;
- SIGTERM is turned into SystemExit while a build runs, so a cancelled CI job cleans up
  as Ctrl-C does. A killed build (SIGKILL) leaves its staging folder behind: the next
  build removes staging folders whose process is gone.

`mkdocs serve` builds into its own temporary folder and `--dirty` adds to the existing
site, so neither is staged.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mkdocs.plugins import get_plugin_logger

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: builds are not serialised
    fcntl = None  # type: ignore[assignment]

log = get_plugin_logger("trilat")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on a folder (its descriptor, so no lock file is left behind)."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


class StagedOutput:
    def __init__(self, *, enabled: bool = False) -> None:
        self.enabled = enabled
        self._config: Any = None
        self._final: Path | None = None
        self._staging: Path | None = None
        self._ok = False
        self._failed = False
        self._sigterm: Any = None

    def begin(self, config: Any) -> None:
        """Point MkDocs at a fresh staging folder beside site_dir."""
        if not self.enabled or self._staging is not None:
            return
        final = Path(config.site_dir).absolute()
        parent = final.parent
        parent.mkdir(parents=True, exist_ok=True)
        self._remove_stale(parent, final.name)
        self._staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.staging-{os.getpid()}-", dir=parent))
        # mkdtemp makes the folder private; the site keeps the mode the folder had (or would get).
        os.chmod(self._staging, final.stat().st_mode & 0o7777 if final.is_dir() else 0o777 & ~_umask())
        self._config, self._final = config, final
        self._ok = self._failed = False
        config.site_dir = str(self._staging)
        with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
            self._sigterm = signal.signal(signal.SIGTERM, _exit_on_sigterm)

    def site_dir(self, config: Any) -> Path:
        """The folder the site ends up in, whether or not this build is staged."""
        return self._final if self._staging is not None and self._final is not None else Path(config.site_dir)

    def built(self) -> None:
        self._ok = True

    def failed(self) -> None:
        self._failed = True

    def finish(self) -> None:
        """Swap the staged site in if the build succeeded; remove the staging folder in any case."""
        staging, final = self._staging, self._final
        if staging is None or final is None:
            return
        try:
            if self._ok and not self._failed:
                self._swap(staging, final)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
            self._config.site_dir = str(final)
            self._staging = None
            if self._sigterm is not None:
                with contextlib.suppress(ValueError):
                    signal.signal(signal.SIGTERM, self._sigterm)
                self._sigterm = None

    @staticmethod
    def _swap(staging: Path, final: Path) -> None:
        old = final.with_name(f".{final.name}.old-{os.getpid()}-{staging.name.rsplit('-', 1)[-1]}")
        with _locked(final.parent):
            try:
                if final.exists() or final.is_symlink():
                    os.rename(final, old)
            except OSError as exc:
                # site_dir is a mount point or otherwise cannot be renamed: replace its
                # contents instead, which is not atomic, and say so.
                log.warning(f"{final} cannot be replaced at once ({exc.strerror}): its contents are replaced instead")
                _replace_contents(staging, final)
                return
            os.rename(staging, final)
        shutil.rmtree(old, ignore_errors=True)

    @staticmethod
    def _remove_stale(parent: Path, name: str) -> None:
        """Staging folders of builds that were killed; an old site a killed swap left aside."""
        pattern = re.compile(rf"^\.{re.escape(name)}\.(staging|old)-(\d+)-")
        final = parent / name
        for entry in parent.iterdir():
            found = pattern.match(entry.name)
            if found is None or _alive(int(found.group(2))):
                continue
            if found.group(1) == "old" and not final.exists():
                with contextlib.suppress(OSError):
                    os.rename(entry, final)  # the swap was killed between its two renames
            else:
                shutil.rmtree(entry, ignore_errors=True)


def _replace_contents(staging: Path, final: Path) -> None:
    for entry in final.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    for entry in staging.iterdir():
        shutil.move(str(entry), final / entry.name)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)
