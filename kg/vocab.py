"""Namespaces and IRI minting shared by every stage, so the graph layout lives in one place.

Layout (see ontology/README.md):
  <BASE>graph/<article-id>   named graph: everything one article claims (its metadata, spans,
                             mentions, per-article event claims)
  <BASE>graph/resolution     named graph: the consolidated view rebuilt by every build
                             (canonical labels, types, kg:date, kg:within, event labels)
  <BASE>article/<id>         the article; spans are <BASE>article/<id>#char=<begin>,<end>
  <BASE>actor/<slug>, <BASE>place/<slug>, <BASE>event/<slug>
"""
from __future__ import annotations

import re
import unicodedata

KG = "https://w3id.org/newskg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
SCHEMA = "https://schema.org/"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
OA = "http://www.w3.org/ns/oa#"
SH = "http://www.w3.org/ns/shacl#"

PREFIXES = {
    "kg": KG, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL, "skos": SKOS, "dct": DCT,
    "prov": PROV, "sem": SEM, "schema": SCHEMA, "nif": NIF, "oa": OA,
}

DEFAULT_BASE = "http://localhost:5000/"

# Event types, their role property and PLOVER / CAMEO codes (also stated in ontology/kg.ttl).
EVENT_TYPES = {
    "Meeting": {"role": "participant", "plover": "CONSULT", "cameo": "04"},
    "Demand": {"role": "demander", "plover": "REQUEST", "cameo": "10"},
    "Agreement": {"role": "party", "plover": "AGREE", "cameo": "057"},
}
ACTOR_TYPES = ("Person", "Organization", "Group", "Country")
PLACE_TYPES = ("Venue", "City", "Country")
STATUSES = ("Held", "Planned", "Proposed", "Refused")


def sparql_prefixes() -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def slugify(text: str) -> str:
    """ASCII, lower-case, hyphenated: stable IRI path segments from any surface name."""
    if not text.isascii():  # ASCII is its own NFKD form, without combining marks
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text or "x"


class Minter:
    """Mints every data IRI from one base, so a deployment chooses its own (kg build --base)."""

    def __init__(self, base: str = DEFAULT_BASE):
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def article(self, article_id: str) -> str:
        return f"{self.base}article/{article_id}"

    def span(self, article_id: str, begin: int, end: int) -> str:
        # RFC 5147 fragment: the span dereferences to the article page with the characters marked
        return f"{self.article(article_id)}#char={begin},{end}"

    def graph(self, article_id: str) -> str:
        return f"{self.base}graph/{article_id}"

    def resolution_graph(self) -> str:
        return f"{self.base}graph/resolution"

    def actor(self, slug: str) -> str:
        return f"{self.base}actor/{slug}"

    def place(self, slug: str) -> str:
        return f"{self.base}place/{slug}"

    def event(self, slug: str) -> str:
        return f"{self.base}event/{slug}"

    def activity(self, article_id: str, content_hash: str) -> str:
        return f"{self.base}activity/{article_id}-{content_hash[:12]}"
