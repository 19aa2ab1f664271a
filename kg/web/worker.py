"""Query worker processes: the only way to give pyoxigraph a hard time limit.

pyoxigraph has no query timeout and a running query cannot be interrupted from Python, so every
query runs in a separate process that holds its own read-only handle on the store. The server
waits for the answer up to the deadline; past it, the process is killed (SIGKILL) and a fresh one
takes its place, while the other workers keep answering. Results are serialized completely in the
worker before anything is sent, so a query that fails half-way yields an error, never a response
that looks complete. Updates run in a single writer process the same way (a killed update
commits nothing: Oxigraph writes one transaction per update).

This module is imported by the worker processes: keep it free of Flask.
"""
from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from kg.formats import RDF_FORMATS, RESULT_FORMATS  # noqa: E402  (the one table of formats)
from kg.store import StoreError, is_server


@dataclass
class Job:
    """What a worker runs. `results`/`graph` name the output format chosen by content
    negotiation for SELECT/ASK and for CONSTRUCT/DESCRIBE (None: the client accepts none)."""
    kind: str                          # "query" | "update" | "dump"
    text: str
    results: str | None = "json"
    graph: str | None = "turtle"
    substitutions: dict = field(default_factory=dict)
    union: bool = True
    default_graph: list[str] | None = None
    named_graphs: list[str] | None = None
    row_limit: int = 10_000
    prefixes: dict[str, str] | None = None
    generation: int = 0                # store version: a worker reopens its handle when it grows
    base_iri: str | None = None        # relative IRIs in the text resolve against it (the endpoint)
    lane: str = "open"                 # "open": any client query; "lookup": the server's own
                                       # bounded queries (pages, point lookups), which may use the
                                       # worker(s) kept back from open queries
    bounded: bool = False              # the text's own LIMIT bounds its rows (the fast lane's):
                                       # serialized whole, then cut, without a capping writer


@dataclass
class Answer:
    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    form: str = ""                     # SELECT | ASK | GRAPH | UPDATE
    fmt: str = ""
    truncated: bool = False
    rows: int = 0
    seconds: float = 0.0               # time in the worker: evaluation and serialization


# -- in the worker process --------------------------------------------------------------------
class _Full(Exception):
    """Raised from inside pyoxigraph's serializer once the row cap has been passed."""


class _CappedLines:
    """A write target that keeps at most `limit` lines (plus the line that shows there are more)
    and then stops the serializer: memory stays bounded however large the result."""

    def __init__(self, limit: int):
        self.limit = limit
        self.parts: list[bytes] = []
        self.count = 0  # lines (rows, for _CappedRows) come so far

    def write(self, data: bytes) -> int:
        data = bytes(data)
        self.parts.append(data)
        self.count += self._marks(data)
        if self.count > self.limit:
            raise _Full
        return len(data)

    def _marks(self, data: bytes) -> int:
        return data.count(b"\n")

    def flush(self) -> None:
        pass

    def take(self) -> tuple[bytes, int, bool]:
        """(the first `limit` lines, their count, whether more lines were cut)."""
        data = b"".join(self.parts)
        lines = data.split(b"\n")
        if len(lines) - 1 > self.limit or (len(lines) - 1 == self.limit and lines[-1]):
            return b"\n".join(lines[: self.limit]) + b"\n", self.limit, True
        return data, len(lines) - 1, False


# Where each row begins in pyoxigraph's SPARQL JSON and XML results, and how far into the mark a
# cut before that row falls. No value can contain a mark: inside a JSON string every quote is
# written \" (so `{"` is always structure), and inside XML text every `<` is &lt;. A writer can
# so count and cut rows in the bytes as they come, without parsing them or a second format.
_ROW_MARKS = {"json": ((b'[{"', 1), (b'},{"', 1)), "xml": ((b"<result>", 0),)}
_ROW_MARK = {"json": re.compile(rb'\[\{"|\},\{"'), "xml": re.compile(rb"<result>")}
_RESULTS_CLOSE = {"json": b"]}}", "xml": b"</results></sparql>"}


class _CappedRows(_CappedLines):
    """A write target for SPARQL JSON or XML results that counts rows on their marks and stops
    the serializer once more than `limit` have come: the rows kept are the serializer's own
    bytes (no conversion from another format)."""

    def __init__(self, fmt: str, limit: int):
        super().__init__(limit)
        self.fmt = fmt
        self.tail = b""  # the end of the bytes so far: a mark may span two writes

    def _marks(self, data: bytes) -> int:
        tail, self.tail = self.tail, (self.tail + data)[-8:]
        return sum((tail[len(tail) - len(mark) + 1:] + data).count(mark) for mark, _ in _ROW_MARKS[self.fmt])

    def take(self) -> tuple[bytes, int, bool]:
        """(the document with its first `limit` rows, their count, whether rows were cut)."""
        data = b"".join(self.parts)
        if self.count <= self.limit:
            return data, self.count, False
        cut = next(m for i, m in enumerate(_ROW_MARK[self.fmt].finditer(data)) if i == self.limit)
        keep = dict(_ROW_MARKS[self.fmt])[cut.group()]
        return data[: cut.start() + keep] + _RESULTS_CLOSE[self.fmt], self.limit, True


def _serialize_capped(write, target: _CappedLines) -> tuple[bytes, int, bool]:
    """Run `write(target)` (a pyoxigraph serializer) into a capped target, and take what it kept."""
    try:
        write(target)
    except _Full:
        pass
    except OSError:  # pyoxigraph wraps exceptions raised by write()
        if not target.count > target.limit:
            raise
    return target.take()


def _results_writer(results: ox.QuerySolutions, fmt: ox.QueryResultsFormat, bounded: bool):
    """A write(target) for `_serialize_capped`: a bounded job's few rows in one call, no write
    per chunk."""
    if bounded:
        return lambda out: out.write(results.serialize(format=fmt))
    return lambda out: results.serialize(out, format=fmt)


def _solutions(results: ox.QuerySolutions, job: Job) -> Answer:
    """JSON and XML (the HTML page's JSON too) are written straight by pyoxigraph's (Rust) writer,
    capped on their row marks; other formats via TSV, one line per row: cap on lines, then
    convert the kept rows, all without a Python object per term."""
    fmt = "json" if job.results == "html" else (job.results or "json")
    if fmt in _ROW_MARKS:
        body, rows, truncated = _serialize_capped(
            _results_writer(results, RESULT_FORMATS[fmt], job.bounded), _CappedRows(fmt, job.row_limit))
        return Answer(200, body, form="SELECT", fmt=job.results or "", truncated=truncated, rows=rows)
    tsv, lines, truncated = _serialize_capped(
        _results_writer(results, ox.QueryResultsFormat.TSV, job.bounded), _CappedLines(job.row_limit + 1))
    body = tsv if fmt == "tsv" else ox.parse_query_results(
        tsv, format=ox.QueryResultsFormat.TSV).serialize(format=RESULT_FORMATS[fmt])
    return Answer(200, body, form="SELECT", fmt=job.results or "", truncated=truncated,
                  rows=max(0, lines - 1))


def _boolean(value: bool, job: Job) -> Answer:
    body = json.dumps({"head": {}, "boolean": value}).encode()
    if job.results not in ("json", "html"):
        parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        body = parsed.serialize(format=RESULT_FORMATS[job.results])
    return Answer(200, body, form="ASK", fmt=job.results or "", rows=1)


def _triples(results: ox.QueryTriples, job: Job) -> Answer:
    """N-Triples is one line per triple: cap on lines, then re-serialize in the chosen format."""
    nt, count, truncated = _serialize_capped(
        lambda out: ox.serialize(results, out, format=ox.RdfFormat.N_TRIPLES), _CappedLines(job.row_limit))
    fmt = RDF_FORMATS[job.graph or "turtle"]
    body = nt if fmt == ox.RdfFormat.N_TRIPLES else ox.serialize(
        ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), format=fmt, prefixes=job.prefixes)
    return Answer(200, body or b"", form="GRAPH", fmt=job.graph or "", truncated=truncated,
                  rows=count)


def _graphs(names: list[str] | None):
    return None if names is None else [ox.NamedNode(n) for n in names]


def run_job(store: ox.Store, job: Job) -> Answer:
    """Run one job on a store and serialize its whole answer (errors become 4xx/5xx answers)."""
    if job.kind == "dump":  # job.text is the file to write, job.graph the format
        from kg.query.dumps import write_dump
        with open(job.text, "wb") as output:
            write_dump(store, output, job.graph or "turtle", job.prefixes or {})
        return Answer(200, b"", form="DUMP", fmt=job.graph or "turtle")
    if job.kind == "update":
        try:
            store.update(job.text, base_iri=job.base_iri)
        except StoreError as exc:
            return Answer(502, str(exc).encode(), form="UPDATE")
        except SyntaxError as exc:
            return Answer(400, f"malformed update: {exc}".encode(), form="UPDATE")
        return Answer(204, b"", form="UPDATE")
    kwargs: dict = {"substitutions": job.substitutions or None, "base_iri": job.base_iri}
    if job.default_graph is not None:
        kwargs["default_graph"] = _graphs(job.default_graph)
    elif job.union:
        kwargs["use_default_graph_as_union"] = True
    if job.named_graphs is not None:
        kwargs["named_graphs"] = _graphs(job.named_graphs)
    try:
        results = store.query(job.text, **kwargs)
    except StoreError as exc:  # the SPARQL server behind `kg serve --store URL` refused or failed
        return Answer(502, str(exc).encode())
    except SyntaxError as exc:
        return Answer(400, f"malformed query: {exc}".encode())
    except RuntimeError as exc:  # e.g. a substitution of a variable the query does not project
        return Answer(400, f"query cannot run: {exc}".encode())
    if isinstance(results, ox.QueryBoolean):
        return _not_acceptable("ASK") if job.results is None else _boolean(bool(results), job)
    if isinstance(results, ox.QuerySolutions):
        return _not_acceptable("SELECT") if job.results is None else _solutions(results, job)
    return _not_acceptable("CONSTRUCT/DESCRIBE") if job.graph is None else _triples(results, job)


def _not_acceptable(form: str) -> Answer:
    return Answer(406, f"no acceptable format for a {form} result: the Accept header allows "
                       f"none of the formats this server writes for it".encode(), form=form)


def open_store(store_dir: str, writable: bool, attempts: int = 50):
    """A handle on the store: an Oxigraph directory, or a SPARQL server's URL (a
    kg.remote_store.ServerHandle). A read-only open can race a writer's compaction (a table
    file listed in the manifest is deleted while it is read): try again on a fresh manifest."""
    if is_server(store_dir):
        from kg.remote_store import ServerHandle
        return ServerHandle(store_dir)
    for attempt in range(attempts):
        try:
            return ox.Store(store_dir) if writable else ox.Store.read_only(store_dir)
        except (RuntimeError, OSError):
            if writable or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def worker_main(conn: Connection, store_dir: str, writable: bool, network: str = "") -> None:
    """Loop: receive a Job, answer it. Reopens a read-only handle after a committed update.
    The first message to the server tells whether the worker's network is closed (kg.query.sandbox)
    and which allocator it runs on; `network` is empty or "open" when an allow-listed SERVICE
    needs it."""
    conn.send({"network": network or "open: the server allows SERVICE endpoints",
               "allocator": allocator_in_use()})
    store = open_store(store_dir, writable)
    seen = 0
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        if not writable and job.generation != seen:
            seen = job.generation
            store = open_store(store_dir, writable)
        start = time.perf_counter()
        try:
            answer = run_job(store, job)
        except MemoryError:
            answer = Answer(507, b"the query needed more memory than a query worker may use, "
                                 b"and was stopped")
        except Exception as exc:  # evaluation failed half-way: say so, send nothing partial
            answer = Answer(500, f"query failed during evaluation ({type(exc).__name__}): "
                                 f"{exc}".encode())
        answer.seconds = time.perf_counter() - start
        conn.send(answer)


# -- in the server process --------------------------------------------------------------------
class QueryTimeout(Exception):
    """The job did not finish within its time limit (the worker has been killed)."""


class PoolBusy(Exception):
    """No worker became free before the job's deadline."""


class WorkerDied(Exception):
    """The worker ended while running the job; `memory` when it hit its memory cap."""

    def __init__(self, message: str, memory: bool = False):
        super().__init__(message)
        self.memory = memory


class Generation:
    """A counter shared by the read pool and the writer: bumped by every committed update."""

    def __init__(self) -> None:
        self.value = 0
        self.lock = threading.Lock()

    def bump(self) -> None:
        with self.lock:
            self.value += 1


# Allocators the workers may run on, fastest first. pyoxigraph allocates through malloc: on the
# 1.2-million-quad benchmark store its queries ran 2-21 % faster on tcmalloc than on glibc's
# malloc, as fast as the oxigraph binary or faster (docs/endpoint.md, Performance).
ALLOCATORS = {"tcmalloc": "tcmalloc_minimal", "jemalloc": "jemalloc"}


@lru_cache(maxsize=None)
def allocator_library(choice: str) -> str | None:
    """The shared library to preload for `choice`: "auto" (the first of ALLOCATORS installed),
    "system" (none: the C library's malloc), an ALLOCATORS name, or a library's path. Looked up
    once per process (find_library runs ldconfig), not for every worker started or replaced."""
    if choice == "system":
        return None
    if "/" in choice:
        return choice
    import ctypes.util
    for name in ALLOCATORS if choice == "auto" else [choice]:
        if name not in ALLOCATORS:
            raise ValueError(f"unknown allocator {choice!r}: auto, system, "
                             f"{', '.join(ALLOCATORS)} or a library's path")
        found = ctypes.util.find_library(ALLOCATORS[name])
        if found:
            return found
    return None


def allocator_in_use() -> str:
    """Which malloc this process runs on, read from its own memory map."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return "unknown (no /proc/self/maps)"
    for name, lib in ALLOCATORS.items():
        path = next((line.split()[-1] for line in maps.splitlines() if f"/lib{lib}" in line), None)
        if path:
            return f"{name} ({path})"
    return "system (the C library's malloc)"


def worker_env(allocator: str = "system") -> dict[str, str]:
    """The parent's environment with this checkout first on the path, wherever the cwd is, and
    the chosen allocator preloaded (allocator_library)."""
    root = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH")
    env = {**os.environ, "PYTHONPATH": root + (os.pathsep + path if path else "")}
    library = allocator_library(allocator)
    if library:
        env["LD_PRELOAD"] = library + (" " + env["LD_PRELOAD"] if env.get("LD_PRELOAD") else "")
    return env


class _Worker:
    """One worker: `python -m kg.web.worker FD STORE MODE NETWORK` on one end of a socket pair
    (a plain subprocess, so no caller needs multiprocessing's `if __name__ == "__main__"` idiom).
    Its first message says whether its network is closed and which allocator it runs on: read on
    first use (`network`, `allocator`)."""

    STARTUP_SECONDS = 120.0

    def __init__(self, store_dir: str, writable: bool, network: bool = False, memory_mb: int = 0,
                 allocator: str = "system"):
        parent, child = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kg.web.worker", str(child.fileno()), store_dir,
             "rw" if writable else "ro", "open" if network else "closed", str(memory_mb)],
            pass_fds=[child.fileno()], stdin=subprocess.DEVNULL, env=worker_env(allocator))
        child.close()
        self.conn = Connection(parent.detach())
        self._started: dict[str, str] | None = None

    def _first_message(self) -> dict[str, str]:
        if self._started is None:
            if not self.conn.poll(self.STARTUP_SECONDS):
                raise OSError(f"query worker {self.process.pid} did not start within "
                              f"{self.STARTUP_SECONDS:g} s")
            self._started = self.conn.recv()
        return self._started

    @property
    def network(self) -> str:
        """'closed: how' or 'open: why', as the worker reported it when it started."""
        return self._first_message()["network"]

    @property
    def allocator(self) -> str:
        """The malloc the worker found itself running on."""
        return self._first_message()["allocator"]

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(5)
        self.conn.close()


class WorkerPool:
    """A fixed number of worker processes over one store directory; run() enforces deadlines."""

    def __init__(self, store_dir: str, size: int = 0, *, writable: bool = False,
                 generation: Generation | None = None, network: bool = False,
                 memory_mb: int = 0, reserve: int = 1, allocator: str = "system"):
        self.store_dir = store_dir
        self.writable = writable
        self.network = network
        self.memory_mb = memory_mb
        self.allocator = allocator
        # more workers than cores: a query waiting on the disk or on the server's thread leaves
        # its core to another (8 mixed clients: 0.56x oxigraph's throughput with 3 workers on
        # 2 cores, 0.75x with 5; docs/endpoint.md)
        self.size = 1 if writable else (size or max(3, 2 * (os.cpu_count() or 1) + 1))
        self.reserve = min(reserve, self.size - 2) if not writable and self.size >= 3 else 0
        self.open_lane = threading.BoundedSemaphore(self.size - self.reserve)
        self.generation = generation or Generation()
        # the worker that finished last is handed out first: its store handle's block cache is the
        # warm one (each worker process has its own), so a repeated long query is not run cold
        self.idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self.busy: set[_Worker] = set()  # workers running a job now (to inspect or kill)
        self.closed = False
        started = [_Worker(store_dir, writable, network, memory_mb, allocator) for _ in range(self.size)]
        self.sandbox = sorted({w.network for w in started})  # how the workers' network stands
        self.allocators = sorted({w.allocator for w in started})
        for worker in started:
            self.idle.put(worker)

    def run(self, job: Job, timeout: float) -> Answer:
        """The job's answer; QueryTimeout or PoolBusy when the deadline passes first.
        Open queries share all workers but `reserve`, so runaway client queries never hold
        the last worker(s) that the server's own lookups need."""
        deadline = time.monotonic() + timeout
        lane = self.open_lane if job.lane == "open" else None
        if lane is not None and not lane.acquire(timeout=timeout):
            raise PoolBusy(f"the {self.size - self.reserve} query workers for client queries "
                           f"stayed busy for {timeout:g} s")
        try:
            return self._run(job, deadline, timeout)
        finally:
            if lane is not None:
                lane.release()

    def _run(self, job: Job, deadline: float, timeout: float) -> Answer:
        try:
            worker = self.idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise PoolBusy(f"all {self.size} query workers stayed busy for {timeout:g} s") from None
        job.generation = self.generation.value
        self.busy.add(worker)
        try:
            worker.network  # the start-up message comes first
            worker.conn.send(job)
            finished = worker.conn.poll(max(0.0, deadline - time.monotonic()))
            answer = worker.conn.recv() if finished else None
        except (EOFError, OSError) as exc:
            death = self._death(worker, exc)
            self._replace(worker)  # a broken or dead worker is never handed out again
            raise death from None
        except BaseException:
            self._replace(worker)
            raise
        finally:
            self.busy.discard(worker)
        if answer is None:
            self._replace(worker)
            raise QueryTimeout(f"the query ran longer than the {timeout:g} s limit and was stopped")
        self.idle.put(worker)
        if job.kind == "update" and answer.status < 300:
            self.generation.bump()
        return answer

    def _death(self, worker: _Worker, exc: BaseException) -> WorkerDied:
        """Why the worker ended: an allocation that failed under the memory cap aborts it."""
        try:
            code = worker.process.wait(2)
        except subprocess.TimeoutExpired:
            code = None
        if self.memory_mb and code == -signal.SIGABRT:
            return WorkerDied(f"the query needed more than the {self.memory_mb} MB of memory "
                              "a query worker may use, and was stopped", memory=True)
        return WorkerDied(f"the query worker died while running the query (exit {code}, {exc!r})")

    def _replace(self, worker: _Worker) -> None:
        """Kill a stuck worker now; start its successor in the background (startup takes
        a few hundred ms that the timed-out client should not wait for)."""
        worker.process.kill()

        def replace() -> None:
            worker.kill()
            if not self.closed:
                self.idle.put(_Worker(self.store_dir, self.writable, self.network, self.memory_mb,
                                      self.allocator))
        threading.Thread(target=replace, daemon=True).start()

    def close(self) -> None:
        """Stop every worker: busy ones are killed (a runaway query must not outlive the server)."""
        self.closed = True
        for worker in list(self.busy):
            worker.process.kill()
        while True:
            try:
                worker = self.idle.get_nowait()
            except queue.Empty:
                return
            try:
                worker.conn.send(None)
            except OSError:
                pass
            try:
                worker.process.wait(2)
            except subprocess.TimeoutExpired:
                worker.kill()


if __name__ == "__main__":
    # first of all, before the store starts any thread: leave the network (unless told not to)
    from kg.query.sandbox import cap_memory, close_network
    if is_server(sys.argv[2]):  # the store is a SPARQL server: the worker must reach it
        _network = f"open: the store is the SPARQL server at {sys.argv[2]} (SERVICE and LOAD are still refused)"
    else:
        _network = close_network() if sys.argv[4] == "closed" else ""
    cap_memory(int(sys.argv[5]))
    # import ourselves by name so pickled Answers refer to kg.web.worker, not __main__
    from kg.web.worker import Connection as _Connection, worker_main as _main
    _main(_Connection(int(sys.argv[1])), sys.argv[2], sys.argv[3] == "rw", _network)
