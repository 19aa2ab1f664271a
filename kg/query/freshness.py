"""A running server picks up a completed `kg build` (issue 10, defect 6).

pyoxigraph's read-only handles see the store as it was when they were opened. A watcher thread
in the server looks at the store directory every `interval` seconds: when its committed files
(CURRENT, MANIFEST, write-ahead log, tables) changed and no writer holds the store's lock any
more (the build has finished), it bumps the shared generation, and every worker reopens its
handle before its next query. A build in progress holds the lock, so its half-written state is
never opened."""
from __future__ import annotations

import fcntl
import os
import struct
import threading
from pathlib import Path

from ..store import FIRST_LOAD, StoreError

_FLOCK = "hhqqi4x"  # struct flock on Linux x86-64/arm64: type, whence, start, len, pid


def fingerprint(store_dir: str | Path) -> tuple:
    """Names, sizes and modification times of the files a commit changes (not LOCK, not the
    informational LOG files that a read-only open may rotate)."""
    out = []
    with os.scandir(store_dir) as entries:
        for entry in entries:
            if entry.name == "LOCK" or entry.name.startswith("LOG"):
                continue
            try:
                info = entry.stat()
            except FileNotFoundError:  # compacted away while we looked
                continue
            out.append((entry.name, info.st_size, info.st_mtime_ns))
    return tuple(sorted(out))


def writer_holds_lock(store_dir: str | Path) -> bool:
    """Whether another process holds RocksDB's write lock on the store (asked with F_GETLK,
    which takes no lock: a build starting now is never refused because of us)."""
    try:
        fd = os.open(Path(store_dir) / "LOCK", os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        query = struct.pack(_FLOCK, fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, query)
        return struct.unpack(_FLOCK, answer)[0] != fcntl.F_UNLCK
    except OSError:
        return False
    finally:
        os.close(fd)


class StoreWatcher:
    """Bumps `generation` (an object with `bump()`) when a completed write is on disk."""

    def __init__(self, store_dir: str, generation, interval: float = 1.0):
        self.store_dir = store_dir
        self.generation = generation
        self.interval = interval
        self.seen = self.fingerprint()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True, name="kg-store-watcher")
        self.thread.start()

    def fingerprint(self) -> tuple:
        return fingerprint(self.store_dir)

    def busy(self) -> bool:
        """Is a writer at work (its state not complete yet), or did a first build's bulk load
        stop half-way (kg.store.FIRST_LOAD beside the Oxigraph directory: the next build clears it)?"""
        return writer_holds_lock(self.store_dir) or (Path(self.store_dir).parent / FIRST_LOAD).exists()

    def check(self) -> bool:
        """One look; True when a new completed state was found (and announced)."""
        now = self.fingerprint()
        if now == self.seen or self.busy():
            return False
        self.seen = now
        self.generation.bump()
        return True

    def _watch(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                self.check()
            except (OSError, StoreError):  # the directory is being replaced, the server is away: look again
                pass

    def close(self) -> None:
        self.stopped.set()


FRESHNESS = (Path(__file__).parent / "sparql" / "freshness.rq").read_text(encoding="utf-8")


class ServerWatcher(StoreWatcher):
    """The same for a store on a SPARQL server (`kg serve --store URL`): it asks the server for
    the number of article graphs and the latest build time in them (kg/query/sparql/freshness.rq);
    each article is written in one transaction, so a change seen is a committed one."""

    def __init__(self, url: str, generation, interval: float = 2.0):
        from ..remote_store import ServerStore
        self.server = ServerStore(url, read_only=True)
        super().__init__(url, generation, interval)

    def fingerprint(self) -> tuple:
        row = next(iter(self.server.query(FRESHNESS, union=False)))
        return tuple(None if row[v] is None else row[v].value for v in ("graphs", "latest"))

    def busy(self) -> bool:
        return False


def watcher_for(location: str, generation) -> StoreWatcher:
    """A watcher of an Oxigraph directory, or of a SPARQL server's URL."""
    from ..store import is_server
    return ServerWatcher(location, generation) if is_server(location) else StoreWatcher(location, generation)
