"""The SPARQL service description (GET /sparql with no query), in the SD vocabulary with VoID
graph sizes, so clients learn the union-default-graph behaviour and the formats served."""
from __future__ import annotations

import json
import time

import pyoxigraph as ox
from flask import Response, render_template, request

from .sparql import CONTENT_TYPES, GRAPH_TYPES, Refused, endpoint
from ..formats import RDF_FORMATS, W3C_NAMES
from ..vocab import PREFIXES
from .worker import Job

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCT_DESCRIPTION = ox.NamedNode("http://purl.org/dc/terms/description")
FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMAT_IRIS = W3C_NAMES
PREFIX_NOTE = ("Queries and updates may use the prefixes " + ", ".join(f"{p}:" for p in PREFIXES)
               + " without declaring them: they are declared for the prefixes a parsed query "
               "uses and does not declare, so its own PREFIX and BASE keep their meaning.")
UNION_NOTE = ("Queries see the union of all named graphs as their default graph (no GRAPH clause "
              "needed; the union is not deduplicated, so use DISTINCT). GRAPH ?g tells which "
              "article graph says what. default-graph-uri / named-graph-uri narrow the dataset. "
              + PREFIX_NOTE)

_cache: dict[tuple[str, int], tuple[float, list[tuple[str, int]]]] = {}


def base_note(served: str) -> str:
    """A sentence for when this server answers at another address than the graph's IRI base."""
    base = endpoint().base
    if served.rstrip("/") == base.rstrip("/"):
        return ""
    return (f" The graph's IRIs start with {base}; this server answers at {served}: <{base}actor/x>"
            f" is served at {served}actor/x, and parameters accept either form.")


def graph_sizes() -> list[tuple[str, int]]:
    """(graph IRI, triple count) per named graph; cached until the next update."""
    ep = endpoint()
    key = (ep.store_dir, ep.generation)
    if key not in _cache:
        job = Job("query", "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
                           "GROUP BY ?g ORDER BY ?g", results="json", lane="lookup")
        answer = ep.run(job)
        if answer.status != 200:
            raise Refused(answer.status, answer.body.decode())
        rows = json.loads(answer.body)["results"]["bindings"]
        _cache[key] = (time.time(), [(r["g"]["value"], int(r["n"]["value"])) for r in rows])
    return _cache[key][1]


def _n(local: str, ns: str = SD) -> ox.NamedNode:
    return ox.NamedNode(ns + local)


def description_triples(endpoint_url: str) -> list[ox.Triple]:
    ep = endpoint()
    service, dataset, default = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("default")
    sizes = graph_sizes()
    t = [ox.Triple(service, RDF_TYPE, _n("Service")),
         ox.Triple(service, _n("endpoint"), ox.NamedNode(endpoint_url)),
         ox.Triple(service, _n("supportedLanguage"), _n("SPARQL11Query")),
         ox.Triple(service, _n("feature"), _n("UnionDefaultGraph")),
         ox.Triple(service, DCT_DESCRIPTION, ox.Literal(UNION_NOTE + base_note(request.host_url))),
         ox.Triple(service, _n("defaultDataset"), dataset),
         ox.Triple(dataset, RDF_TYPE, _n("Dataset")),
         ox.Triple(dataset, _n("defaultGraph"), default),
         ox.Triple(default, RDF_TYPE, _n("Graph")),
         ox.Triple(default, _n("triples", VOID), ox.Literal(str(sum(n for _, n in sizes)),
                   datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))]
    if ep.settings.allow_update:
        t.append(ox.Triple(service, _n("supportedLanguage"), _n("SPARQL11Update")))
    t += [ox.Triple(service, _n("resultFormat"), ox.NamedNode(FORMATS + f)) for f in RESULT_FORMAT_IRIS]
    for i, (graph, size) in enumerate(sizes):
        node, inner = ox.BlankNode(f"ng{i}"), ox.BlankNode(f"g{i}")
        t += [ox.Triple(dataset, _n("namedGraph"), node),
              ox.Triple(node, RDF_TYPE, _n("NamedGraph")),
              ox.Triple(node, _n("name"), ox.NamedNode(graph)),
              ox.Triple(node, _n("graph"), inner),
              ox.Triple(inner, RDF_TYPE, _n("Graph")),
              ox.Triple(inner, _n("triples", VOID), ox.Literal(str(size), datatype=ox.NamedNode(
                  "http://www.w3.org/2001/XMLSchema#integer")))]
    return t


def service_description() -> Response:
    """SD in the negotiated RDF format (Turtle by default), or an HTML page for browsers."""
    url = request.base_url
    accept = request.accept_mimetypes
    fmt = GRAPH_TYPES.get(accept.best_match(list(GRAPH_TYPES)) or "") if accept else "turtle"
    if fmt is None:
        raise Refused(406, "GET /sparql (service description): the Accept header allows none of "
                           f"{', '.join(GRAPH_TYPES)}")
    if fmt == "html":
        ep = endpoint()
        response = Response(render_template("endpoint/service.html", endpoint_url=url, sizes=graph_sizes(),
                                            note=UNION_NOTE, settings=ep.settings,
                                            formats=sorted(set(CONTENT_TYPES.values()))),
                            content_type=CONTENT_TYPES["html"])
    else:
        body = ox.serialize(description_triples(url), format=RDF_FORMATS[fmt],
                            prefixes={"sd": SD, "void": VOID, "formats": FORMATS,
                                      "dct": "http://purl.org/dc/terms/"})
        response = Response(body, content_type=CONTENT_TYPES[fmt])
    response.vary.add("Accept")
    return response
