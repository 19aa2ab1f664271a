"""A store the size at which the pages used to break (issue 10, defect 5): N articles laid out as
kg build lays them out (ontology/LAYOUT.md), each with its text, sentences, mentions and claims
about two events, and a resolution graph; generated as TriG and loaded into a real on-disk store.
Every tenth article reports its predecessor's meeting again, so some events have two sources."""
from __future__ import annotations

from pathlib import Path

BASE = "http://localhost:5000/"
PREFIXES = """@prefix kg: <https://w3id.org/newskg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
KINDS = ("Person", "Organization", "Country")


def actor(i: int) -> str:
    return f"<{BASE}actor/actor-{i:04d}>"


def meeting_of(n: int) -> int:
    return n - 1 if n % 10 == 9 else n


def article_graph(n: int, actors: int) -> str:
    aid, a, b = f"gen-{n:04d}", n % actors, (n * 7 + 3) % actors
    art, graph = f"<{BASE}article/{aid}", f"<{BASE}graph/{aid}>"
    text = f"Actor {a:04d} met Actor {b:04d} in City {n % 40:02d}. Actor {a:04d} demanded talks."
    s1, s2 = f"{art}#char=0,{text.index('.') + 1}>", f"{art}#char={text.index('.') + 2},{len(text)}>"
    day = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}"
    meeting, demand = f"<{BASE}event/meeting-{meeting_of(n):04d}>", f"<{BASE}event/demand-{n:04d}>"
    return f"""{graph} {{
  {art}> a kg:Article ; kg:articleId "{aid}" ; dct:title "Generated report {n:04d}" ;
     dct:date "{day}"^^xsd:date ; kg:outlet "Outlet {n % 7}" ; kg:text "{text}" .
  {s1} a kg:Sentence ; kg:article {art}> ; nif:beginIndex 0 ; nif:endIndex {text.index('.') + 1} .
  {s2} a kg:Sentence ; kg:article {art}> ; nif:beginIndex {text.index('.') + 2} ; nif:endIndex {len(text)} .
  {art}#char=0,10> a kg:Mention ; kg:article {art}> ; kg:sentence {s1} ; nif:beginIndex 0 ;
     nif:endIndex 10 ; kg:nerLabel "PERSON" ; kg:denotes {actor(a)} .
  {actor(a)} skos:altLabel "Actor {a:04d}" . {actor(b)} skos:altLabel "Actor {b:04d}" .
  {meeting} a kg:Meeting ; kg:participant {actor(a)}, {actor(b)} ; kg:reportedDate "{day}"^^xsd:date ;
     kg:evidence {s1} .
  {demand} a kg:Demand ; kg:demander {actor(a)} ; kg:topic "talks" ; kg:evidence {s2} .
}}
"""


def resolution_graph(articles: int, actors: int) -> str:
    lines = [f"<{BASE}graph/resolution> {{"]
    for i in range(actors):
        lines.append(f'  {actor(i)} a kg:{KINDS[i % 3]}, kg:Actor ; rdfs:label "Actor {i:04d}" .')
    for n in range(articles):
        if meeting_of(n) == n:
            lines.append(f'  <{BASE}event/meeting-{n:04d}> a kg:Meeting, kg:Event ; rdfs:label "Meeting {n:04d}" .')
        lines.append(f'  <{BASE}event/demand-{n:04d}> a kg:Demand, kg:Event ; rdfs:label "Demand {n:04d}" .')
    lines.append("}")
    return "\n".join(lines) + "\n"


def build_scale_store(work: Path, articles: int = 320, actors: int = 400) -> Path:
    """The generated store under `work`/store (kg-store.json included, as kg serve expects)."""
    import pyoxigraph as ox
    from kg.store import KGStore
    trig = work / "scale.trig"
    trig.write_text(PREFIXES + resolution_graph(articles, actors)
                    + "".join(article_graph(n, actors) for n in range(articles)), encoding="utf-8")
    store = KGStore(work / "store")
    store.store.load(path=str(trig), format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    return work / "store"


def expected_events(articles: int = 320) -> int:
    meetings = sum(1 for n in range(articles) if meeting_of(n) == n)
    return meetings + articles
