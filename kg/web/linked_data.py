"""Linked data: every IRI the graph mints under BASE dereferences here, plus whole-graph exports.

`<BASE>actor/<slug>` is served at `/actor/<slug>` (the server strips the configured base) as:
- the page: HTML for browsers, and its JSON twin by `.json` or `Accept: application/json`, both
  from the page's one data function (kg.web.ui.resource_data: what the page shows, e.g. an
  event's facts with their sources, not the raw statements);
- the linked data, the resource's own statements: Turtle / JSON-LD / N-Triples / RDF/XML / TriG /
  N-Quads by `Accept` (`application/ld+json` for JSON-LD, with `Vary: Accept`) or by a `.ttl` /
  `.jsonld` / `.nt` / `.rdf` / `.trig` / `.nq` suffix.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, jsonify, request

from ..data import data_path
from ..query.service import RESOURCE_KINDS
from . import ui
from ..formats import CONTENT_TYPES, RDF_FORMATS, SUFFIXES
from .sparql import Refused, endpoint
from .worker import Job

bp = Blueprint("linked_data", __name__)

KINDS = RESOURCE_KINDS
# linked-data negotiation keeps its own preference order (Turtle, then HTML for browsers) and
# adds `application/json`: the JSON twin of the page; names and suffixes: kg.formats
LD_TYPES = {"text/turtle": "turtle", "text/html": "html", "application/ld+json": "jsonld",
            "application/n-triples": "ntriples", "application/rdf+xml": "rdfxml",
            "application/trig": "trig", "application/n-quads": "nquads",
            "application/json": "json", "text/plain": "ntriples", "application/xhtml+xml": "html"}
ONTOLOGY = data_path("ontology") / "kg.ttl"
KG_ARTICLE = "https://w3id.org/newskg/ontology#article"

# the resource's own statements, and for an article the statements about its text spans
DESCRIBE = f"""SELECT ?iri ?s ?p ?o ?g WHERE {{
  {{ GRAPH ?g {{ ?iri ?p ?o }} BIND(?iri AS ?s) }}
  UNION {{ GRAPH ?g {{ ?s <{KG_ARTICLE}> ?iri . ?s ?p ?o }} FILTER(?kind = "article") }}
}} ORDER BY ?s ?p ?o ?g"""


def _split_suffix(rest: str) -> tuple[str, str | None]:
    for suffix, fmt in SUFFIXES.items():
        if rest.endswith(suffix):
            return rest[: -len(suffix)], fmt
    return rest, None


def _negotiate_ld() -> str:
    accept = request.accept_mimetypes
    if not accept:
        return "turtle"
    best = accept.best_match(list(LD_TYPES))
    if best is None:
        raise Refused(406, f"GET {request.path}: the Accept header allows none of "
                           f"{', '.join(LD_TYPES)}")
    return LD_TYPES[best]


def describe(iri: str, kind: str) -> list[ox.Quad]:
    """Quads about one IRI (across all named graphs), through the timed worker pool."""
    query = DESCRIBE.replace("?kind", f'"{kind}"' if kind in KINDS else '""')
    job = Job("query", query, results="json", lane="lookup",
              substitutions={ox.Variable("iri"): ox.NamedNode(iri)})
    answer = endpoint().run(job)
    if answer.status != 200:
        raise Refused(answer.status, answer.body.decode())
    solutions = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
    try:
        return [ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in solutions]
    finally:
        # pyo3 objects must die in the thread that made them: a frame kept alive by a cycle
        # would otherwise let the garbage collector drop them in another one
        del solutions


def _rows(quads: list[ox.Quad]) -> list[dict]:
    return [{"s": q.subject.value, "p": q.predicate.value, "o": q.object.value,
             "o_type": "iri" if isinstance(q.object, ox.NamedNode) else
             ("bnode" if isinstance(q.object, ox.BlankNode) else "literal"),
             "g": q.graph_name.value} for q in quads]


@bp.route("/<any(actor, place, event, article, graph, activity):kind>/<path:rest>")
def resource(kind: str, rest: str) -> Response:
    rest, fmt = _split_suffix(rest)
    fmt = fmt or _negotiate_ld()
    iri = endpoint().base + f"{kind}/{rest}"
    try:
        ox.NamedNode(iri)
    except ValueError as exc:  # e.g. %ff%fe: bytes that are no UTF-8 decode to U+FFFD
        raise Refused(404, f"GET {request.path}: no resource of this graph has that name; "
                           f"the path decodes to no valid IRI ({exc})") from None
    quads = describe(iri, kind)
    if not quads:
        raise Refused(404, f"GET {request.path}: the graph has no statements about <{iri}>")
    if fmt in ("html", "json"):  # the page, or its JSON twin, from one data function
        data = ui.resource_data(_rows(quads), iri)
        response = Response(ui.render_resource(data), content_type=CONTENT_TYPES["html"]) \
            if fmt == "html" else jsonify(data)
    else:
        rdf = RDF_FORMATS[fmt]
        data = quads if rdf.supports_datasets else _triples(quads)
        response = Response(ox.serialize(data, format=rdf, prefixes=endpoint().prefixes),
                            content_type=CONTENT_TYPES[fmt])
    response.vary.add("Accept")
    response.headers["Link"] = f'<{iri}>; rel="canonical"'
    return response


def _triples(quads: list[ox.Quad]) -> list[ox.Triple]:
    seen: dict[ox.Triple, None] = {}
    for q in quads:
        seen.setdefault(ox.Triple(q.subject, q.predicate, q.object))
    return list(seen)


# -- exports ----------------------------------------------------------------------------------
CHUNK = 2**20


def _send_file(path: Path, content_type: str, name: str) -> Response:
    """Stream a dump in 1 MiB chunks; the file is opened now, so replacing it later is safe."""
    handle = path.open("rb")

    def chunks():
        with handle:
            while block := handle.read(CHUNK):
                yield block
    response = Response(chunks(), content_type=content_type, direct_passthrough=True)
    response.headers["Content-Length"] = str(path.stat().st_size)
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@bp.route("/export.ttl")
def export_turtle() -> Response:
    """Readable Turtle of the union graph: prefixes, one block per subject, duplicates merged."""
    return _send_file(endpoint().dump("turtle"), "text/turtle; charset=utf-8", "kg-export.ttl")


@bp.route("/export.trig")
def export_trig() -> Response:
    """Every named graph (article claims, provenance, resolution) as TriG."""
    return _send_file(endpoint().dump("trig"), "application/trig", "kg-export.trig")


@bp.route("/ontology")
@bp.route("/ontology.ttl")
def ontology() -> Response:
    if not ONTOLOGY.exists():
        raise Refused(404, f"GET {request.path}: no ontology file at {ONTOLOGY}")
    return Response(ONTOLOGY.read_bytes(), content_type="text/turtle; charset=utf-8")


