"""The one table of formats: every format name, media type, suffix and oxigraph format that the
endpoint, the linked-data pages, the workers, the exports and the CLI use is read from FORMATS.

Order matters: within each kind the first format, and within each format its first media type,
is what a client gets when its Accept header allows several equally."""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

R, G = "results", "graph"


@dataclass(frozen=True)
class Format:
    name: str
    kinds: tuple[str, ...]          # "results" (SELECT/ASK) and/or "graph" (CONSTRUCT/DESCRIBE)
    content_type: str               # what answers carry
    accepts: tuple[str, ...]        # media types that ask for it, preferred first
    words: tuple[str, ...]          # `format=` / `output=` values and path suffixes naming it
    suffix: str | None = None       # linked-data suffix: /actor/x.ttl
    w3c: str | None = None          # http://www.w3.org/ns/formats/ name (service description)
    oxigraph: object = None         # ox.QueryResultsFormat or ox.RdfFormat


FORMATS: tuple[Format, ...] = (
    Format("json", (R,), "application/sparql-results+json",
           ("application/sparql-results+json", "application/json"), ("json",), ".json",
           "SPARQL_Results_JSON", ox.QueryResultsFormat.JSON),
    Format("xml", (R,), "application/sparql-results+xml",
           ("application/sparql-results+xml", "application/xml", "text/xml"), ("xml",), None,
           "SPARQL_Results_XML", ox.QueryResultsFormat.XML),
    Format("csv", (R,), "text/csv; charset=utf-8", ("text/csv",), ("csv",), None,
           "SPARQL_Results_CSV", ox.QueryResultsFormat.CSV),
    Format("tsv", (R,), "text/tab-separated-values; charset=utf-8", ("text/tab-separated-values",),
           ("tsv",), None, "SPARQL_Results_TSV", ox.QueryResultsFormat.TSV),
    Format("turtle", (G,), "text/turtle; charset=utf-8", ("text/turtle", "application/x-turtle"),
           ("turtle", "ttl", "n3"), ".ttl", "Turtle", ox.RdfFormat.TURTLE),
    Format("ntriples", (G,), "application/n-triples", ("application/n-triples", "text/plain"),
           ("nt", "ntriples", "n-triples"), ".nt", "N-Triples", ox.RdfFormat.N_TRIPLES),
    Format("jsonld", (G,), "application/ld+json", ("application/ld+json",),
           ("json", "jsonld", "json-ld"), ".jsonld", "JSON-LD", ox.RdfFormat.JSON_LD),
    Format("rdfxml", (G,), "application/rdf+xml", ("application/rdf+xml",),
           ("xml", "rdfxml", "rdf+xml"), ".rdf", "RDF_XML", ox.RdfFormat.RDF_XML),
    Format("trig", (G,), "application/trig", ("application/trig",), ("trig",), ".trig", "TriG",
           ox.RdfFormat.TRIG),
    Format("nquads", (G,), "application/n-quads", ("application/n-quads",), ("nquads", "nq"), ".nq",
           "N-Quads", ox.RdfFormat.N_QUADS),
    Format("html", (R, G), "text/html; charset=utf-8", ("text/html", "application/xhtml+xml"),
           ("html",), ".html"),
)
BY_NAME = {f.name: f for f in FORMATS}


def media_types(kind: str) -> dict[str, str]:
    """Accepted media type -> format name for one kind, in preference order (no xhtml: the
    endpoint's HTML is for browsers asking text/html)."""
    return {t: f.name for f in FORMATS if kind in f.kinds for t in f.accepts
            if t != "application/xhtml+xml"}


def words() -> dict[str, tuple[str | None, str | None]]:
    """`format=` / `output=` word -> (results format, graph format) it names."""
    out: dict[str, tuple[str | None, str | None]] = {}
    for f in FORMATS:
        for word in f.words:
            results, graph = out.get(word, (None, None))
            out[word] = (f.name if R in f.kinds else results, f.name if G in f.kinds else graph)
    return out


CONTENT_TYPES = {f.name: f.content_type for f in FORMATS}
RESULT_FORMATS = {f.name: f.oxigraph for f in FORMATS if R in f.kinds and f.oxigraph}
RDF_FORMATS = {f.name: f.oxigraph for f in FORMATS if G in f.kinds and f.oxigraph}
SUFFIXES = {f.suffix: f.name for f in FORMATS if f.suffix}
EXPORT_WORDS = {w: f.name for f in FORMATS if G in f.kinds and f.oxigraph
                for w in (f.name, (f.suffix or "")[1:]) if w and f.name != "html"}
W3C_NAMES = [f.w3c for f in FORMATS if f.w3c]
