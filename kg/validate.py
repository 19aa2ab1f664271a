"""SHACL validation of a build: the graph must conform to ontology/shapes.ttl after every build.

The shapes run over the UNION of all named graphs (article graphs + resolution graph): node types of
actors and places are only in the resolution graph, span details only in article graphs, so no single
graph could be validated on its own. The ontology's rdfs:subClassOf triples are added to that union
so that sh:targetClass kg:Event reaches every Meeting and sh:class kg:Place accepts a kg:Country,
without running a (slow, and here unwanted) RDFS/OWL inference pass.

`validate_store` also runs a few checks that only make sense per named graph and so cannot be said
in SHACL over the union: every article graph names its article, every event claim in an article
graph is backed by evidence from that same article, and no resolution-graph event is left without
an article claiming it (e.g. after an article was removed without re-running resolution).
"""
from __future__ import annotations

import io
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from .data import data_path
from .shapes_sparql import CompiledShapes, compile_shapes, run as run_compiled
from .vocab import KG, PROV

if TYPE_CHECKING:  # pragma: no cover
    from .store import KGStore

ONTOLOGY_DIR = data_path("ontology")
ONTOLOGY_FILE = ONTOLOGY_DIR / "kg.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"

_XSD_STRING = str(XSD.string)
_RDF_LANGSTRING = str(RDF.langString)
SH = "http://www.w3.org/ns/shacl#"


@dataclass
class ValidationResult:
    """Outcome of one validation: `conforms`, how many results (violations), a readable report."""

    conforms: bool
    results: int
    text: str
    messages: list[str] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0

    def __bool__(self) -> bool:
        return self.conforms

    @property
    def report(self) -> str:
        return self.text


def _require(path: Path) -> Path:
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: kg.validate reads the ontology/ folder beside the kg package")
    return path


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The parsed shapes, once per process (parsing them costs more than validating a small graph)."""
    return Graph().parse(_require(SHAPES_FILE), format="turtle")


@lru_cache(maxsize=1)
def compiled_shapes() -> CompiledShapes:
    """The shapes as SPARQL queries for Oxigraph (pyshacl keeps any shape the compiler leaves)."""
    return compile_shapes(shapes_graph(), _subclasses())


@lru_cache(maxsize=1)
def _subclasses() -> dict[str, set[str]]:
    """Each class -> itself and all its (transitive) subclasses, from the ontology."""
    parents: dict[str, set[str]] = {}
    for s, _, o in _class_hierarchy():
        parents.setdefault(str(s), set()).add(str(o))
    result: dict[str, set[str]] = {}
    for child in parents:
        todo, seen = [child], set()
        while todo:
            c = todo.pop()
            for p in parents.get(c, ()):
                if p not in seen:
                    seen.add(p)
                    todo.append(p)
        for p in seen:
            result.setdefault(p, {p}).add(child)
    return result


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    return Graph().parse(_require(ONTOLOGY_FILE), format="turtle")


@lru_cache(maxsize=1)
def _class_hierarchy() -> tuple[tuple[URIRef, URIRef, URIRef], ...]:
    """Only the rdfs:subClassOf triples between named classes: all that the shapes need to know."""
    g = ontology_graph()
    return tuple((s, RDFS.subClassOf, o) for s, o in g.subject_objects(RDFS.subClassOf)
                 if isinstance(s, URIRef) and isinstance(o, URIRef))


def _term(t: object):
    """pyoxigraph term -> rdflib term (xsd:string literals become plain literals, as Turtle gives)."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        dt = t.datatype.value
        if dt == _XSD_STRING or dt == _RDF_LANGSTRING:
            return Literal(t.value)
        return Literal(t.value, datatype=URIRef(dt))
    raise TypeError(f"unsupported RDF term in store: {t!r}")


def union_graph(quads: Iterable[ox.Quad]) -> Graph:
    """Merge quads from every graph into one rdflib Graph (set semantics: duplicates across graphs fold)."""
    g = Graph()
    add = g.add
    cache: dict[object, object] = {}  # the same IRIs recur thousands of times; convert each once

    def conv(t: object):
        r = cache.get(t)
        if r is None:
            r = cache[t] = _term(t)
        return r

    for q in quads:
        add((conv(q.subject), conv(q.predicate), conv(q.object)))
    return g


def _ox_term(t: object):
    """rdflib term -> pyoxigraph term (the reverse of `_term`)."""
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        if t.datatype is not None:
            return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
        return ox.Literal(str(t))
    raise TypeError(f"unsupported RDF term: {t!r}")


def _ox_store(graph: Graph) -> ox.Store:
    store = ox.Store()  # in memory
    store.extend(ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o)) for s, p, o in graph)
    return store


def _format(results_graph: Graph) -> list[str]:
    """One line per SHACL result: focus node, path, value and message, sorted for stable output."""
    shn = lambda n: URIRef(SH + n)  # noqa: E731
    lines = []
    for r in results_graph.subjects(RDF.type, shn("ValidationResult")):
        focus = results_graph.value(r, shn("focusNode"))
        path = results_graph.value(r, shn("resultPath"))
        value = results_graph.value(r, shn("value"))
        msgs = sorted(str(m) for m in results_graph.objects(r, shn("resultMessage")))
        parts = [f"{focus}"]
        if path is not None:
            parts.append(f"path {path.n3() if isinstance(path, URIRef) else '(complex path)'}")
        if value is not None:
            parts.append(f"value {value}")
        parts.append(msgs[0] if msgs else "violation")
        lines.append(" | ".join(parts))
    return sorted(lines)


def validate_graph(graph: Graph) -> ValidationResult:
    """Validate an rdflib graph (already the union of a build's graphs) against ontology/shapes.ttl.

    The graph is not modified."""
    started = time.perf_counter()
    store = _ox_store(graph)
    lines = _run_shapes(store, lambda: _copy(graph), scratch=True)
    return _result(not lines, sorted(lines), len(graph), time.perf_counter() - started)


def _copy(graph: Graph) -> Graph:
    data = Graph()
    for t in graph:
        data.add(t)
    return data


def _run_shapes(store: ox.Store, rdflib_data: Callable[[], Graph], *, union: bool = False,
                scratch: bool = False) -> list[str]:
    """One line per SHACL result: the compiled shapes in Oxigraph over `store`, and pyshacl over
    `rdflib_data()` (made only when some shape was left to it)."""
    compiled = compiled_shapes()
    lines = [v.line() for v in run_compiled(compiled, store, union=union, scratch=scratch)]
    if compiled.rest is not None:
        lines += run_pyshacl(rdflib_data(), compiled.rest)
    return lines


def run_pyshacl(data: Graph, shapes: Graph | None = None) -> list[str]:
    """pyshacl over `data` (extended in place with the class hierarchy); one line per result.
    The reference the compiled shapes are tested against, and the engine for any shape they leave."""
    from pyshacl import validate  # imported late: pyshacl's import costs ~1 s, the CLI may not need it

    for t in _class_hierarchy():
        data.add(t)
    _conforms, results_graph, _text = validate(
        data, shacl_graph=shapes if shapes is not None else shapes_graph(), inference="none", advanced=False,
        abort_on_first=False, allow_infos=True, allow_warnings=True, inplace=True, meta_shacl=False, debug=False,
    )
    return _format(results_graph)


def _result(conforms: bool, lines: list[str], triples: int, seconds: float, limit: int = 50) -> ValidationResult:
    head = (f"SHACL: {'conforms' if conforms else f'{len(lines)} violation(s)'} "
            f"({triples} triples, {seconds:.2f} s)")
    shown = lines[:limit] + ([f"... and {len(lines) - limit} more"] if len(lines) > limit else [])
    text = "\n".join([head, *("  - " + line for line in shown)])
    return ValidationResult(conforms=conforms, results=len(lines), text=text, messages=lines,
                            triples=triples, seconds=seconds)


def graph_checks(store: KGStore, graphs: list[str] | None = None) -> list[str]:
    """Per-named-graph provenance checks that SHACL over the union cannot express (of `graphs`
    only, when given, and of the resolution graph)."""
    res = store.minter.resolution_graph()
    q = f"""
    PREFIX kg: <{KG}>
    PREFIX prov: <{PROV}>
    """
    if graphs is not None:  # the article graphs to look at: VALUES of IRIs minted by this store
        only = "VALUES ?g { " + " ".join(f"<{g}>" for g in graphs) + " }" if graphs else "FILTER(false)"
    else:
        only = ""
    problems: list[str] = []
    # 1. every article graph says which article it was derived from, and that article is typed
    # (the graphs named first, then one quad looked for in each: not a scan of every quad)
    names = only or "VALUES ?g { " + " ".join(f"<{g}>" for g in store.named_graphs()) + " }"
    for row in store.query(q + f"""
        SELECT DISTINCT ?g WHERE {{
            {names}
            FILTER (?g != <{res}>)
            FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }}
            FILTER NOT EXISTS {{ GRAPH ?g {{ ?g prov:wasDerivedFrom ?a . ?a a kg:Article }} }}
        }}""", union=False):
        problems.append(f"{row['g'].value} | named graph has no `<graph> prov:wasDerivedFrom <article>` "
                        "with a kg:Article in it")
    # 2. every event claim in an article graph has evidence from that graph's own article
    for row in store.query(q + f"""
        SELECT DISTINCT ?g ?e WHERE {{
            {only}
            GRAPH ?g {{ ?e a ?t }}
            VALUES ?t {{ kg:Event kg:Meeting kg:Demand kg:Agreement }}
            FILTER (?g != <{res}>)
            FILTER NOT EXISTS {{ GRAPH ?g {{ ?g prov:wasDerivedFrom ?a . ?e kg:evidence ?s . ?s kg:article ?a }} }}
        }}""", union=False):
        problems.append(f"{row['e'].value} | claimed in {row['g'].value} without evidence from that article")
    # 3. no event in the resolution graph is left without any article graph claiming it
    for row in store.query(q + f"""
        SELECT DISTINCT ?e WHERE {{
            GRAPH <{res}> {{ ?e a ?t }}
            VALUES ?t {{ kg:Event kg:Meeting kg:Demand kg:Agreement }}
            FILTER NOT EXISTS {{ GRAPH ?g {{ ?e kg:evidence ?s }} FILTER (?g != <{res}>) }}
        }}""", union=False):
        problems.append(f"{row['e'].value} | event in the resolution graph that no article graph claims "
                        "(re-run resolution after removing an article)")
    return sorted(problems)


def validate_store(store: KGStore) -> ValidationResult:
    """Validate a whole store: SHACL over the union of all its graphs, plus the per-graph checks."""
    started = time.perf_counter()
    local = getattr(store, "store", None)
    if not isinstance(local, ox.Store):  # a SPARQL server: one download, the constraints run on a copy here
        local = ox.Store()
        local.extend(store.quads())
    lines = _run_shapes(local, lambda: union_graph(local.quads_for_pattern(None, None, None, None)), union=True)
    lines = sorted(set(lines)) + [f"[graph] {p}" for p in graph_checks(store)]
    return _result(not lines, lines, _union_size(local), time.perf_counter() - started)


def _union_size(store: ox.Store) -> int:
    """Distinct triples over all graphs (what the union that the shapes see holds)."""
    return int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")))["n"].value)


VALIDATE_BATCH = 100  # article graphs validated together: memory stays bounded by the batch


def validate_graphs(store: KGStore, graphs: Iterable[str], batch: int = VALIDATE_BATCH) -> ValidationResult:
    """Validate only what a build changed: SHACL over the named graphs it wrote plus the
    statements of the resolution graph about every node they reach (followed from node to node,
    kg:within and all), and the per-graph checks for those graphs. A store that already conformed
    conforms after the build iff this does, for shapes that look from an article's claims outwards
    (all of ontology/shapes.ttl); the whole store is `validate_store`. The graphs are validated
    `batch` at a time, each with what it reaches (a node reached from two batches is checked in
    both, and its results counted once), so memory is that of a few batches, not of the build.
    On an embedded store the batches run in threads, one per core: copying graphs and running
    the compiled shapes happen in Oxigraph, outside the GIL (on the BBC corpus, 24 s in one
    thread)."""
    from .extraction import default_workers  # every core this process may use (imports spaCy: late)

    started = time.perf_counter()
    res = store.minter.resolution_graph()
    changed = sorted(set(graphs) - {res})
    by_subject: dict = {}  # the resolution graph, read once (a server answers one request, not thousands)
    for q in store.quads(res) if changed else ():
        by_subject.setdefault(q.subject, []).append(ox.Triple(q.subject, q.predicate, q.object))
    batches = [changed[i:i + batch] for i in range(0, len(changed), batch)]
    lines: set[str] = set()
    triples = 0
    local = isinstance(getattr(store, "store", None), ox.Store)  # a server's client is not shared by threads
    with ThreadPoolExecutor(max_workers=default_workers() if local else 1) as pool:
        checks = pool.submit(graph_checks, store, changed)
        for found, size in pool.map(lambda b: _validate_batch(store, b, by_subject), batches):
            lines.update(found)
            triples += size
        report = sorted(lines) + [f"[graph] {p}" for p in checks.result()]
    return _result(not report, report, triples, time.perf_counter() - started)


_NAMED_TERMS = "SELECT DISTINCT ?t WHERE { { ?t ?p ?o } UNION { ?s ?p ?t } FILTER (isIRI(?t)) }"


def _validate_batch(store: KGStore, graphs: list[str], by_subject: dict) -> tuple[list[str], int]:
    """SHACL results of some article graphs with the resolution statements they reach, and the
    number of triples that took. The graphs go from the store to an in-memory one as N-Triples
    (dumped and parsed by Oxigraph, not term by term in Python)."""
    union = ox.Store()  # in memory: the default graph is the union of the batch's graphs
    for g in graphs:
        buffer = io.BytesIO()
        store.dump(buffer, ox.RdfFormat.N_TRIPLES, g)
        union.load(buffer.getvalue(), ox.RdfFormat.N_TRIPLES, lenient=True)  # read from a store: valid
    todo = {row[0] for row in union.query(_NAMED_TERMS)}
    seen: set = set()
    reached = []
    while todo:
        term = todo.pop()
        seen.add(term)
        for t in by_subject.get(term, ()):
            reached.append(ox.Quad(t.subject, t.predicate, t.object))
            if isinstance(t.object, ox.NamedNode) and t.object not in seen:
                todo.add(t.object)
    union.extend(reached)
    data = lambda: union_graph(union.quads_for_pattern(None, None, None, ox.DefaultGraph()))  # noqa: E731
    return _run_shapes(union, data, scratch=True), len(union)


def main(argv: list[str] | None = None) -> int:
    """`python -m kg.validate [STORE_DIR]`: validate a store and print the report."""
    import sys

    from .store import DEFAULT_DIR, KGStore

    args = sys.argv[1:] if argv is None else argv
    result = validate_store(KGStore(args[0] if args else DEFAULT_DIR, read_only=True))
    print(result.text)
    return 0 if result.conforms else 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
