"""The one query service: every query of the CLI, the endpoint and the exports runs here.

It holds the limits in one place (kg.query.service.Settings): the guards on the parsed text
(kg.query.guards), the maximum length, the time limit, the row cap and the memory cap of the
worker processes (kg.web.worker), the update writer, the watcher that picks up completed builds
(kg.query.freshness) and the whole-store dumps (kg.query.dumps). It knows nothing of HTTP:
failures are QueryError with the HTTP status they map to."""
from __future__ import annotations

import tempfile
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..web.worker import Answer, Job, PoolBusy, QueryTimeout, WorkerDied, WorkerPool
from . import guards
from ..store import is_server
from .fastlane import LocalLane, Lookup
from .freshness import watcher_for


# the kinds of resource minted under the IRI base, each with its own Turtle prefix, so pages
# and exports read `actor:al-jazeera`, not `:actor\/al-jazeera`
RESOURCE_KINDS = ("actor", "place", "event", "article", "graph", "activity")


def served_prefixes(base: str) -> dict[str, str]:
    """The vocabulary prefixes, the base as `:` and one prefix per kind of resource."""
    from ..vocab import PREFIXES
    return {**PREFIXES, "": base, **{kind: f"{base}{kind}/" for kind in RESOURCE_KINDS}}


class QueryError(Exception):
    """A query that was refused or failed; `status` is the HTTP code it maps to."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass
class Settings:
    """Every limit of the query service, with its default; read by `kg serve`, `kg query` and
    create_app (one table, not one per caller)."""
    timeout: float = 10.0              # seconds per query (the worker is killed past it)
    row_limit: int = 10_000            # rows / triples per answer; more is truncated and said so
    max_query_length: int = 20_000     # characters; longer is 413
    service_allow: tuple[str, ...] = ()  # SERVICE endpoints allowed (the workers keep a network)
    update_token: str | None = None
    allow_update: bool = False
    memory_mb: int = 1024              # heap cap per query worker (0: none); over it: 507
    dump_timeout: float = 600.0        # seconds to write a whole-store export
    workers: int = 0                   # query worker processes (0: max(3, 2 x cores + 1))
    network: bool = False              # workers keep a network without an allow-list
                                       # (`kg query --allow-service`)
    answer_cache_mb: int = 64          # answers of repeated read requests kept per store state
                                       # (kg.web.answer_cache; 0: none)
    allocator: str = "auto"            # the workers' malloc: auto (tcmalloc, else jemalloc, where
                                       # installed), system, or a library (kg.web.worker.ALLOCATORS)


class QueryService:
    """Worker pools over one Oxigraph directory, with the settings' limits on every job."""

    def __init__(self, store_dir: str, settings: Settings, base: str, prefixes: dict[str, str]):
        self.store_dir = store_dir
        self.settings = settings
        self.base = base
        self.prefixes = prefixes
        self.pool = WorkerPool(store_dir, settings.workers,
                               network=settings.network or bool(settings.service_allow),
                               memory_mb=settings.memory_mb, allocator=settings.allocator)
        self.writer = WorkerPool(store_dir, writable=True, generation=self.pool.generation,
                                 allocator=settings.allocator) \
            if settings.allow_update else None
        # the fast lane's handle: an embedded store only (a SPARQL server answers every query itself)
        self.local = None if is_server(store_dir) else LocalLane(store_dir, self.pool.generation)
        self._dump_dir = tempfile.TemporaryDirectory(prefix="kg-dumps-")
        self._dumps: dict[str, tuple[int, Path]] = {}
        self._dump_locks: dict[str, threading.Lock] = {}
        # without our own writer, builds by other processes are picked up once they finish
        self.watcher = None if self.writer else watcher_for(store_dir, self.pool.generation)

    @property
    def generation(self) -> int:
        return self.pool.generation.value

    def check(self, text: str, kind: str = "query") -> None:
        """Length, then SERVICE / LOAD on the parsed text (an allow-list only for queries)."""
        if len(text) > self.settings.max_query_length:
            raise QueryError(413, f"the {kind} is {len(text)} characters long; this server "
                                  f"accepts at most {self.settings.max_query_length}")
        try:
            guards.check_remote(text, kind, self.settings.service_allow if kind == "query" else ())
        except guards.Refusal as exc:
            raise QueryError(exc.status, exc.reason) from None

    def run(self, job: Job, *, pool: WorkerPool | None = None, timeout: float | None = None) -> Answer:
        """The job's answer (4xx/5xx answers from the worker included), or QueryError naming
        the limit it hit."""
        return self._run(job, pool=pool, timeout=timeout)

    def predeclare(self, text: str, kind: str = "query") -> str:
        """The text with the project's prefixes (kg.vocab.PREFIXES: kg:, rdfs:, skos: ...)
        declared where it uses them without declaring them, as `kg query` does; decided on the
        parsed text (kg.query.guards.predeclare), so its own PREFIX and BASE keep their meaning."""
        from ..vocab import PREFIXES
        try:
            return guards.predeclare(text, kind, PREFIXES)
        except guards.Refusal as exc:
            raise QueryError(exc.status, exc.reason) from None

    def query(self, text: str, *, substitutions: dict | None = None, lane: str = "open",
              results: str = "json", graph: str = "ntriples") -> Answer:
        """Guard (`check`), predeclare the project's prefixes and run one read query; a
        failure, the worker's own 4xx/5xx included, is QueryError. `lane="lookup"` is for the
        server's own bounded queries (the pages'), which may use the worker kept back from
        client queries."""
        self.check(text)
        text = self.predeclare(text)
        answer = self._run(Job("query", text, results=results, graph=graph, lane=lane,
                               substitutions=substitutions or {}))
        if answer.status >= 400:
            raise QueryError(answer.status, answer.body.decode("utf-8", "replace"))
        return answer

    def _run(self, job: Job, *, pool: WorkerPool | None = None, timeout: float | None = None) -> Answer:
        job.row_limit = self.settings.row_limit
        job.prefixes = self.prefixes
        lookup = self._lookup(job) if pool is None else None
        answer = self.local.run(job, lookup) if lookup and self.local is not None else None
        if answer is not None:
            return answer
        key = self._repeat_key(job) if pool is None and timeout is None and self.local is not None else None
        if key is not None:
            answer = self.local.run_known_fast(job, key)
            if answer is not None:
                return answer
        generation = self.generation
        try:
            answer = (pool or self.pool).run(job, timeout or self.settings.timeout)
        except QueryTimeout as exc:
            raise QueryError(503, str(exc)) from None
        except PoolBusy as exc:
            raise QueryError(503, f"{exc}; try again later") from None
        except WorkerDied as exc:
            raise QueryError(507 if exc.memory else 500, str(exc)) from None
        if key is not None:
            self.local.remember_fast(key, generation, answer)
        return answer

    @staticmethod
    def _repeat_key(job: Job) -> tuple | None:
        """What identifies a read job's work, when it may run in the server process once a
        worker has answered it fast (kg.query.fastlane.LocalLane.remember_fast): only a query
        that cannot reach out (no SERVICE, decided on the parsed text), so the workers' walls
        stay where they matter."""
        if job.kind != "query":
            return None
        try:
            if guards.analyse(job.text).remotes:
                return None
            substitutions = tuple(sorted((k, str(v)) for k, v in job.substitutions.items()))
        except (guards.Refusal, TypeError):
            return None
        return (job.text, substitutions, job.results, job.graph, job.union,
                tuple(job.default_graph) if job.default_graph is not None else None,
                tuple(job.named_graphs) if job.named_graphs is not None else None,
                job.base_iri, job.row_limit, job.lane)

    @staticmethod
    def _lookup(job: Job) -> Lookup | None:
        """The fast-lane lookup (kg.query.fastlane) that a read job is, if it is one: decided
        on the parsed text, once per text; never with substitutions or a request dataset."""
        if job.kind != "query" or job.substitutions or job.default_graph is not None \
                or job.named_graphs is not None or not job.union:
            return None
        try:
            return guards.analyse(job.text).lookup
        except guards.Refusal:
            return None

    def update(self, text: str, base_iri: str | None = None) -> Answer:
        if self.writer is None:
            raise QueryError(403, "SPARQL Update is disabled on this server")
        self.check(text, "update")
        return self.run(Job("update", self.predeclare(text, "update"), base_iri=base_iri),
                        pool=self.writer)

    def dump(self, fmt: str) -> Path:
        """A file holding the whole store in `fmt` (kg.query.dumps), written by a worker under
        the dump time limit and shared by every request for this format and store generation."""
        with self._dump_locks.setdefault(fmt, threading.Lock()):
            generation = self.generation
            held = self._dumps.get(fmt)
            if held and held[0] == generation:
                return held[1]
            path = Path(self._dump_dir.name) / f"{fmt}-{generation}-{uuid.uuid4().hex}"
            try:
                answer = self.run(Job("dump", str(path), graph=fmt, lane="open"),
                                  timeout=self.settings.dump_timeout)
                if answer.status != 200:
                    raise QueryError(answer.status, answer.body.decode("utf-8", "replace"))
            except QueryError:
                path.unlink(missing_ok=True)
                raise
            self._dumps[fmt] = (generation, path)
            if held:
                held[1].unlink(missing_ok=True)  # a response still sending it keeps its handle
            return path

    def close(self) -> None:
        if self.local is not None:
            self.local.close()
        self._dump_dir.cleanup()
        if self.watcher:
            self.watcher.close()
        self.pool.close()
        if self.writer:
            self.writer.close()
