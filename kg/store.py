"""The one small interface to the on-disk Oxigraph store that every other module goes through."""
from __future__ import annotations

import fcntl
import json
import os
import shutil
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox

from .vocab import DEFAULT_BASE, Minter, sparql_prefixes

META_FILE = "kg-store.json"
FIRST_LOAD = "first-load-incomplete"  # present while a first build bulk-loads an empty store
BUILD_FILES = ("articles.json", "graph-signatures.json", "resolution-blocks.json")  # beside the store, a build's
LOCK_FILE = "kg-store.lock"
DEFAULT_DIR = "kg-data"


class StoreError(Exception):
    """The store cannot be opened (a user's error or situation, reported without a traceback)."""


class StoreBusy(StoreError):
    """Another writer (a `kg build` or `kg remove`) holds the store."""


class KGStore:
    """An Oxigraph store directory plus its settings (the IRI base it was built with).

    Layout of DIR: `oxigraph/` (the store), `kg-store.json` (settings), `cache/` (extraction cache).
    """

    def __init__(self, path: str | Path = DEFAULT_DIR, *, base: str | None = None, read_only: bool = False):
        self.path = Path(path)
        meta_path = self.path / META_FILE
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        self.recovered = False  # an interrupted first build was cleared away on opening
        self._bulk = False
        if read_only:
            if not (self.path / "oxigraph").exists():
                raise FileNotFoundError(f"no kg store at {self.path} (run `kg build` first)")
            if (self.path / FIRST_LOAD).exists():
                raise StoreError(f"{self.path}: its first build is still loading, or was interrupted "
                                 "(run `kg build` again)")
            self.store = ox.Store.read_only(str(self.path / "oxigraph"))
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            self._lock = _take_writer_lock(self.path)
            if (self.path / FIRST_LOAD).exists():
                self._clear_interrupted_first_load()
            try:
                self.store = ox.Store(str(self.path / "oxigraph"))
            except OSError as exc:
                self._lock.close()
                raise StoreError(f"cannot open the store at {self.path}: {exc}") from exc
        stored_base = meta.get("base")
        self.base = base or stored_base or DEFAULT_BASE
        if not read_only and self.base != stored_base:
            meta["base"] = self.base
            meta_path.write_text(json.dumps(meta, indent=2))
        self.minter = Minter(self.base)
        self.read_only = read_only

    @property
    def cache_dir(self) -> Path:
        return self.path / "cache"

    # -- a first build: bulk loading ---------------------------------------------------------
    def begin_first_load(self) -> bool:
        """Into an empty store, new graphs are bulk-loaded (Oxigraph's loader: ~3.7x faster than
        transactions here, but not atomic). A marker file says so until `end_first_load`; a crash
        meanwhile leaves it, and the next writer starts again from the empty store the build
        began with (nothing stored is lost: there was nothing)."""
        if self.read_only or next(self.store.quads_for_pattern(None, None, None), None) is not None:
            return False  # not empty (asked of one quad: len() counts them all)
        marker = self.path / FIRST_LOAD
        with open(marker, "w") as fh:
            fh.write("a first `kg build` is bulk-loading this store; if no build is running, the next one "
                     "starts again from an empty store\n")
            fh.flush()
            os.fsync(fh.fileno())
        self._bulk = True
        return True

    def end_first_load(self) -> None:
        if self._bulk:
            self.store.flush()
            (self.path / FIRST_LOAD).unlink(missing_ok=True)
            self._bulk = False

    def _clear_interrupted_first_load(self) -> None:
        shutil.rmtree(self.path / "oxigraph", ignore_errors=True)
        for name in BUILD_FILES:
            (self.path / name).unlink(missing_ok=True)
        (self.path / FIRST_LOAD).unlink()
        self.recovered = True

    # -- reading -----------------------------------------------------------------------------
    def query(self, sparql: str, *, substitutions: dict | None = None, union: bool = True,
              default_graph=None, named_graphs=None, prefixes: bool = False):
        """Run a SPARQL query; the default graph is the union of all graphs unless told otherwise."""
        text = sparql_prefixes() + sparql if prefixes else sparql
        kwargs = {}
        if default_graph is not None:
            kwargs["default_graph"] = default_graph
        elif union:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs is not None:
            kwargs["named_graphs"] = named_graphs
        if substitutions:
            kwargs["substitutions"] = substitutions
        return self.store.query(text, **kwargs)

    def select(self, sparql: str, **kwargs) -> list[dict[str, object]]:
        """SELECT rows as dicts of Python values (IRIs and literals as strings, ints as ints)."""
        solutions = self.query(sparql, prefixes=True, **kwargs)
        names = [v.value for v in solutions.variables]
        return [{n: to_python(row[n]) for n in names} for row in solutions]

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs())

    def has_graph(self, graph: str) -> bool:
        return self.store.contains_named_graph(ox.NamedNode(graph))

    def __len__(self) -> int:
        return len(self.store)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad of one named graph, or of the whole store."""
        return self.store.quads_for_pattern(None, None, None, ox.NamedNode(graph) if graph else None)

    def dump(self, output, fmt: ox.RdfFormat, graph: str | None = None) -> None:
        if fmt.supports_datasets and graph is None:
            self.store.dump(output, fmt)
        else:
            self.store.dump(output, fmt, from_graph=ox.NamedNode(graph) if graph else ox.DefaultGraph())

    # -- writing -----------------------------------------------------------------------------
    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        """Swap a named graph's content for `quads` in ONE transaction (a crash leaves old or new)."""
        self.replace_graphs({graph: quads})

    write_batch = 64  # article graphs a build hands to one replace_graphs call (one transaction each kind)

    def replace_graphs(self, graphs: dict[str, Iterable[ox.Quad]]) -> None:
        """Swap several named graphs, each whole: the new ones in one transactional `extend`,
        the stored ones in one SPARQL update (one transaction); a crash leaves each graph old
        or new."""
        graphs = {g: list(q) for g, q in graphs.items()}
        new = {g: q for g, q in graphs.items() if not self.has_graph(g)}
        if new:
            # nothing to drop: one transactional `extend` does it without writing and parsing a
            # SPARQL update (about a third of the write time)
            named = {g: ox.NamedNode(g) for g in new}
            (self.store.bulk_extend if self._bulk else self.store.extend)([q if q.graph_name == named[g] else ox.Quad(q.subject, q.predicate, q.object, named[g])
                               for g, quads in new.items() for q in quads])
        graphs = {g: q for g, q in graphs.items() if g not in new}
        parts = []
        for graph, quads in graphs.items():
            parts.append(f"DROP SILENT GRAPH <{graph}>")
            body = " ".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
            if body:
                parts.append(f"INSERT DATA {{ GRAPH <{graph}> {{ {body} }} }}")
        if parts:
            self.store.update(" ;\n".join(parts))

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        parts = [f"DROP SILENT GRAPH <{g}>" for g in graphs]
        if parts:
            self.store.update(" ;\n".join(parts))

    def graph_size(self, graph: str) -> int:
        return graph_size(self, graph)

    def patch_graph(self, graph: str, subjects: list[str], quads: list[ox.Quad]) -> None:
        """Replace what one graph says about `subjects` by `quads`, in ONE transaction."""
        text = patch_update(graph, subjects, quads)
        if text:
            self.store.update(text)

    def flush(self) -> None:
        self.store.flush()

    def close(self) -> None:
        # pyoxigraph closes the store when the object is collected; drop our reference
        self.store = None  # type: ignore[assignment]
        lock = getattr(self, "_lock", None)
        if lock is not None:
            lock.close()  # after the store: the next writer may open it at once


def _take_writer_lock(directory: Path):
    """One writer per store: an exclusive lock on kg-store.lock, held while the store is open
    for writing (released when this process ends, however it ends)."""
    handle = open(directory / LOCK_FILE, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise StoreBusy(f"another kg build or kg remove is writing to the store at {directory}; "
                        f"wait for it to finish, then run this again") from None
    return handle


def is_server(location: str | Path) -> bool:
    """Is this --store a SPARQL server's URL (parsed, not guessed from the text)?"""
    from urllib.parse import urlsplit

    return urlsplit(str(location)).scheme in ("http", "https")


def open_store(location: str | Path = DEFAULT_DIR, **options):
    """The store at `location`: a folder (the embedded on-disk Oxigraph, the default) or the URL of a
    SPARQL 1.1 server (kg.remote_store.ServerStore); both offer the same methods."""
    if is_server(location):
        from .remote_store import ServerStore

        return ServerStore(str(location), **options)
    return KGStore(location, **options)


SPARQL_DIR = Path(__file__).parent / "query" / "sparql"
GRAPH_SIZE = (SPARQL_DIR / "graph_size.rq").read_text(encoding="utf-8")
PATCH = (SPARQL_DIR / "patch_graph.ru").read_text(encoding="utf-8")


def graph_size(store, graph: str) -> int:
    """Statements in one named graph of a store (embedded or on a server)."""
    rows = list(store.query(GRAPH_SIZE.replace("$graph", str(ox.NamedNode(graph))), union=False))
    return int(rows[0]["n"].value)


def patch_update(graph: str, subjects: list[str], quads: list[ox.Quad]) -> str:
    """One SPARQL update: drop what `graph` says about `subjects` (IRIs in N-Triples form), then
    insert `quads` into it ('' when there is nothing to do)."""
    g = str(ox.NamedNode(graph))
    parts = []
    if subjects:
        parts.append(PATCH.strip().replace("$graph", g).replace("$subjects", " ".join(subjects)))
    body = " ".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
    if body:
        parts.append(f"INSERT DATA {{ GRAPH {g} {{ {body} }} }}")
    return " ;\n".join(parts)


def to_python(term) -> object:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt.endswith(("#integer", "#int", "#long")):
            try:
                return int(term.value)
            except ValueError:
                return term.value
        return term.value
    return term.value


def iter_graph(store: KGStore, graph: str) -> Iterator[ox.Quad]:
    return store.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
