"""A SPARQL 1.1 server as the store (`--store http://HOST:PORT/`), behind the methods of `KGStore`.

Reads go through the SPARQL 1.1 Protocol (query), writes through SPARQL 1.1 Update: replacing an
article's graph is ONE update request (DROP SILENT GRAPH + INSERT DATA), which the server runs as
one transaction, so a crash leaves the old graph or the new one. Whole-store reads (export,
validation) use the Graph Store HTTP Protocol.

Endpoints: a URL ending in `/` is a server laid out like `oxigraph serve` (`query`, `update`,
`store` under it); any other URL is one endpoint for queries and updates (Virtuoso's `/sparql`,
Fuseki's `/ds`), and the whole store is read by a query.

The extraction cache and the store's settings (IRI base) stay on this machine, in
`$KG_CACHE_DIR` (default `.kg-cache/`) under a folder named after the server.
"""
from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox

from .store import META_FILE, StoreError, _take_writer_lock, graph_size, patch_update
from .vocab import DEFAULT_BASE, Minter, sparql_prefixes

TIMEOUT = 600  # seconds for one request: a large update or a whole-store download
RESULTS = "application/sparql-results+json"
NQUADS = "application/n-quads"
NTRIPLES = "application/n-triples"


class ServerStore:
    """The store in a SPARQL server; the same methods as `KGStore` (query, select, quads,
    replace_graphs, drop_graphs, named_graphs, has_graph, len, flush, close)."""

    def __init__(self, url: str, *, base: str | None = None, read_only: bool = False):
        self.url = url
        parts = urlsplit(url)
        if url.endswith("/"):  # laid out like oxigraph serve
            self.query_url, self.update_url, self.store_url = url + "query", url + "update", url + "store"
        else:
            self.query_url = self.update_url = url
            self.store_url = None
        folder = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{parts.hostname}-{parts.port or ''}{parts.path}").strip("-")
        self.path = Path(os.environ.get("KG_CACHE_DIR", ".kg-cache")) / folder
        self.read_only = read_only
        meta_path = self.path / META_FILE
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        self._lock = None
        if not read_only:
            self.path.mkdir(parents=True, exist_ok=True)
            self._lock = _take_writer_lock(self.path)  # one writer from this machine at a time
        self.ping()
        self.base = base or meta.get("base") or DEFAULT_BASE
        if not read_only and self.base != meta.get("base"):
            meta_path.write_text(json.dumps({**meta, "base": self.base}, indent=2))
        self.minter = Minter(self.base)

    @property
    def cache_dir(self) -> Path:
        return self.path / "cache"

    # -- HTTP ------------------------------------------------------------------------------------
    def _request(self, url: str, data: bytes | None = None, headers: dict | None = None,
                 method: str | None = None) -> tuple[str, bytes]:
        req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
                return resp.headers.get("Content-Type", ""), resp.read()
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace")[:500]
            raise StoreError(f"the SPARQL server at {self.url} refused the request ({exc.code}): {body}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"cannot reach the SPARQL server at {self.url}: {reason}") from None

    def ping(self) -> None:
        self._select_raw("ASK { }")

    def _select_raw(self, sparql: str, params: dict | None = None,
                    accept: str = f"{RESULTS}, {NTRIPLES};q=0.9") -> tuple[str, bytes]:
        body = urlencode({"query": sparql, **(params or {})}, doseq=True).encode()
        return self._request(self.query_url, body, {"Content-Type": "application/x-www-form-urlencoded",
                                                    "Accept": accept})

    def update(self, sparql: str) -> None:
        self._request(self.update_url, urlencode({"update": sparql}).encode(),
                      {"Content-Type": "application/x-www-form-urlencoded"})

    # -- reading -----------------------------------------------------------------------------------
    def query(self, sparql: str, *, substitutions: dict | None = None, union: bool = True,
              default_graph=None, named_graphs=None, prefixes: bool = False, accept: str | None = None):
        """SPARQL over the server; answers are the same pyoxigraph objects as the embedded store's."""
        text = sparql_prefixes() + sparql if prefixes else sparql
        if substitutions:  # bound variables: a VALUES block after the query joins them in
            names = list(substitutions)
            text += "\nVALUES (" + " ".join(f"?{v.value}" for v in names) + ") { (" + \
                " ".join(str(substitutions[v]) for v in names) + ") }"
        params: dict = {}
        if default_graph is not None:
            graphs = default_graph if isinstance(default_graph, (list, tuple)) else [default_graph]
            params["default-graph-uri"] = [g.value for g in graphs]
        elif union:
            params["union-default-graph"] = ""  # Oxigraph's switch; other servers: queries name graphs
        if named_graphs is not None:
            params["named-graph-uri"] = [g.value for g in named_graphs]
        kind, data = self._select_raw(text, params, *([accept] if accept else []))
        if kind.startswith(RESULTS) or kind.startswith("application/json"):
            return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        return ox.parse(data, format=_rdf_format(kind))

    def select(self, sparql: str, **kwargs) -> list[dict[str, object]]:
        from .store import to_python

        solutions = self.query(sparql, prefixes=True, **kwargs)
        names = [v.value for v in solutions.variables]
        return [{n: to_python(row[n]) for n in names} for row in solutions]

    @property
    def _ours(self) -> str:
        """A FILTER keeping the graphs of this store (a server may hold others: Virtuoso's own)."""
        return f'FILTER(STRSTARTS(STR(?g), {ox.Literal(self.minter.graph(""))}))'

    def named_graphs(self) -> list[str]:
        rows = self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours} }}", union=False)
        return sorted(r["g"].value for r in rows)

    def has_graph(self, graph: str) -> bool:
        return bool(self.query(f"ASK {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}", union=False))

    def __len__(self) -> int:
        rows = list(self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours} }}",
                               union=False))
        return int(rows[0]["n"].value)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """One named graph (a CONSTRUCT), or the whole dataset (Graph Store Protocol, N-Quads)."""
        if graph is not None:
            g = ox.NamedNode(graph)
            triples = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}", union=False,
                                 accept=NTRIPLES)
            return (ox.Quad(t.subject, t.predicate, t.object, g) for t in triples)
        if self.store_url:
            kind, data = self._request(self.store_url, headers={"Accept": NQUADS})
            return ox.parse(data, format=ox.RdfFormat.N_QUADS)
        return (q for g in self.named_graphs() for q in self.quads(g))

    def dump(self, output, fmt: ox.RdfFormat, graph: str | None = None) -> None:
        quads = self.quads(graph)
        if not fmt.supports_datasets:
            quads = (ox.Quad(q.subject, q.predicate, q.object) for q in quads)
        ox.serialize(quads, output, format=fmt)

    # -- writing -----------------------------------------------------------------------------------
    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        self.replace_graphs({graph: quads})

    def replace_graphs(self, graphs: dict[str, Iterable[ox.Quad]]) -> None:
        """Swap named graphs' content in ONE update request (one transaction on the server)."""
        parts = []
        for graph, quads in graphs.items():
            g = ox.NamedNode(graph)
            parts.append(f"DROP SILENT GRAPH {g}")
            body = " ".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
            if body:
                parts.append(f"INSERT DATA {{ GRAPH {g} {{ {body} }} }}")
        if parts:
            self.update(" ;\n".join(parts))

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        parts = [f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in graphs]
        if parts:
            self.update(" ;\n".join(parts))

    def graph_size(self, graph: str) -> int:
        return graph_size(self, graph)

    def patch_graph(self, graph: str, subjects: list[str], quads: list[ox.Quad]) -> None:
        """Replace what one graph says about `subjects` by `quads` in ONE update request."""
        text = patch_update(graph, subjects, quads)
        if text:
            self.update(text)

    def flush(self) -> None:
        """Each update is durable when the server answers it."""

    def close(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None


def _rdf_format(content_type: str) -> ox.RdfFormat:
    media = content_type.split(";")[0].strip()
    fmt = ox.RdfFormat.from_media_type(media)
    if fmt is None:
        raise StoreError(f"the SPARQL server answered in {media!r}, which kg does not read")
    return fmt



class ServerHandle:
    """The part of `pyoxigraph.Store`'s interface that the query workers of `kg serve` use
    (kg.web.worker.run_job, kg.query.dumps), answered by a SPARQL server: `kg serve --store URL`
    runs every query there, under the same guards, limits and worker processes."""

    def __init__(self, url: str):
        self.server = ServerStore(url, read_only=True)

    def query(self, text: str, *, substitutions: dict | None = None, base_iri: str | None = None,
              use_default_graph_as_union: bool = False, default_graph=None, named_graphs=None):
        if base_iri:  # a BASE before the text's own prologue: a BASE of its own still wins
            text = f"BASE {ox.NamedNode(base_iri)}\n{text}"
        if isinstance(default_graph, (ox.NamedNode, ox.DefaultGraph)):
            default_graph = [default_graph]
        answer = self.server.query(text, substitutions=substitutions, union=use_default_graph_as_union,
                                   default_graph=default_graph, named_graphs=named_graphs)
        if isinstance(answer, (ox.QuerySolutions, ox.QueryBoolean)):
            return answer
        return [ox.Triple(q.subject, q.predicate, q.object) for q in answer]

    def update(self, text: str, base_iri: str | None = None) -> None:
        self.server.update(f"BASE {ox.NamedNode(base_iri)}\n{text}" if base_iri else text)

    def quads_for_pattern(self, subject, predicate, obj, graph_name=None) -> Iterator[ox.Quad]:
        """Quads matching a pattern (None: any), over the store's graphs."""
        terms = [t if t is not None else ox.Variable(v) for t, v in
                 ((subject, "s"), (predicate, "p"), (obj, "o"))]
        where = " ".join(str(t) for t in terms)
        graph = str(graph_name) if graph_name is not None else "?g"
        rows = self.server.query(f"SELECT * WHERE {{ GRAPH {graph} {{ {where} }} }}", union=False)
        for row in rows:
            s, p, o = (row[v] if t is None else t for t, v in ((subject, "s"), (predicate, "p"), (obj, "o")))
            yield ox.Quad(s, p, o, graph_name if graph_name is not None else row["g"])

    def dump(self, output, format: ox.RdfFormat, prefixes: dict | None = None) -> None:  # noqa: A002
        """Every graph of the store (a dataset format)."""
        ox.serialize(self.server.quads(), output, format=format, prefixes=prefixes)
