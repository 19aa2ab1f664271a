"""Dumps of the store in the standard RDF syntaxes, readable (prefixes declared)."""
from __future__ import annotations

import io

import pyoxigraph as ox

from .store import KGStore
from .query.service import served_prefixes


def export_graph(store: KGStore, fmt: ox.RdfFormat) -> bytes:
    """Datasets (TriG, N-Quads) keep every named graph; triple formats get the union of graphs."""
    prefixes = served_prefixes(store.base)
    if fmt.supports_datasets:
        return ox.serialize(store.quads(), format=fmt, prefixes=prefixes if fmt == ox.RdfFormat.TRIG else None)
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    out = io.BytesIO()
    kwargs = {"prefixes": prefixes} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD) else {}
    try:
        ox.serialize(triples, out, format=fmt, **kwargs)
    except TypeError:
        ox.serialize(triples, out, format=fmt)
    return out.getvalue()
