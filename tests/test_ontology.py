"""The ontology, the SHACL shapes, kg.validate and the SPARQL examples of ontology/README.md.

The README queries are read out of the README itself and run against the LAYOUT sample fixture in a
real on-disk Oxigraph store, so the documentation cannot drift from what works.
"""
from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg import vocab
from kg.store import KGStore
from kg.validate import ONTOLOGY_FILE, SHAPES_FILE, union_graph, validate_graph, validate_store

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "layout_sample.trig"
README = ROOT / "ontology" / "README.md"
LAYOUT = ROOT / "ontology" / "LAYOUT.md"

KG = Namespace(vocab.KG)
NIF = Namespace(vocab.NIF)
DCT = Namespace(vocab.DCT)
PROV = Namespace(vocab.PROV)
B = vocab.DEFAULT_BASE
# rdflib's TriG parser warns about its own ConjunctiveGraph use; not ours to fix
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
RES = URIRef(B + "graph/resolution")
MEETING = URIRef(B + "event/meeting-2025-05-16-russia-ukraine")
DEMAND = URIRef(B + "event/demand-2025-05-16-ukraine-russia-ceasefire")
AGREEMENT = URIRef(B + "event/agreement-2025-05-16-russia-ukraine-prisoner-exchange")


# -- helpers -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def fixture_dataset() -> Dataset:
    ds = Dataset()
    ds.parse(FIXTURE, format="trig")
    return ds


def fixture_union() -> Graph:
    g = Graph()
    for s, p, o, _ in fixture_dataset().quads():
        g.add((s, p, o))
    return g


@pytest.fixture()
def store(tmp_path: Path) -> KGStore:
    """The fixture loaded into a real on-disk Oxigraph store, as the pipeline's store would be."""
    s = KGStore(tmp_path / "kg-data")
    s.store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    s.flush()
    return s


def readme_query(name: str) -> str:
    text = README.read_text(encoding="utf-8")
    m = re.search(r"<!-- query: " + re.escape(name) + r" -->\s*```sparql\n(.*?)```", text, re.S)
    assert m, f"no query {name!r} in ontology/README.md"
    return m.group(1)


def rows(store: KGStore, sparql: str) -> list[dict]:
    solutions = store.query(sparql)
    names = [v.value for v in solutions.variables]
    return [{n: (None if r[n] is None else r[n].value) for n in names} for r in solutions]


# -- the ontology --------------------------------------------------------------------------------
DECLARED_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual}


def test_ontology_header(ontology: Graph) -> None:
    onto = URIRef("https://w3id.org/newskg/ontology")
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(onto, OWL.versionInfo) is not None
    assert ontology.value(onto, DCT.license) is not None
    assert ontology.value(onto, DCT.description) is not None


def layout_terms() -> set[str]:
    return set(re.findall(r"\bkg:([A-Za-z][A-Za-z0-9]*)", LAYOUT.read_text(encoding="utf-8")))


def test_layout_mentions_the_expected_terms() -> None:
    # guard: the scan below must actually see the layout's terms
    assert {"Event", "Meeting", "evidence", "participant", "within", "plover", "Held"} <= layout_terms()


def test_every_layout_term_is_declared_with_label_and_comment(ontology: Graph) -> None:
    missing = []
    for name in sorted(layout_terms()):
        term = KG[name]
        types = set(ontology.objects(term, RDF.type))
        if not types & DECLARED_TYPES or ontology.value(term, RDFS.label) is None \
                or ontology.value(term, RDFS.comment) is None:
            missing.append(name)
    assert not missing, f"kg: terms of LAYOUT.md without declaration, label or comment: {missing}"


def test_every_kg_term_in_ontology_has_label_and_comment(ontology: Graph) -> None:
    terms = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(vocab.KG)}
    bad = [t for t in terms if ontology.value(t, RDFS.label) is None or ontology.value(t, RDFS.comment) is None]
    assert len(terms) > 40 and not bad


def test_shapes_use_only_declared_terms(ontology: Graph) -> None:
    """A typo in shapes.ttl (kg:partcipant) would silently never fire; every kg: term must exist."""
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    used = {t for triple in shapes for t in triple if isinstance(t, URIRef) and str(t).startswith(vocab.KG)}
    text = SHAPES_FILE.read_text(encoding="utf-8")
    used |= {KG[n] for n in re.findall(r"\bkg:([A-Za-z][A-Za-z0-9]*)", text)}
    undeclared = sorted(str(t) for t in used if not set(ontology.objects(t, RDF.type)) & DECLARED_TYPES)
    assert not undeclared


def test_event_classes_map_to_plover_and_cameo_as_in_vocab(ontology: Graph) -> None:
    for name, info in vocab.EVENT_TYPES.items():
        cls = KG[name]
        assert (cls, RDFS.subClassOf, KG.Event) in ontology
        assert str(ontology.value(cls, KG.plover)) == info["plover"]
        assert str(ontology.value(cls, KG.cameo)) == info["cameo"]
        role = KG[info["role"]]
        assert (role, RDFS.subPropertyOf, KG.actor) in ontology
        assert (role, RDFS.domain, cls) in ontology


def test_reused_vocabularies(ontology: Graph) -> None:
    sem = Namespace(vocab.SEM)
    schema = Namespace(vocab.SCHEMA)
    expected = [
        (KG.Event, RDFS.subClassOf, sem.Event), (KG.Actor, RDFS.subClassOf, sem.Actor),
        (KG.Place, RDFS.subClassOf, sem.Place), (KG.actor, RDFS.subPropertyOf, sem.hasActor),
        (KG.Article, RDFS.subClassOf, schema.NewsArticle), (KG.Sentence, RDFS.subClassOf, KG.Span),
        (KG.Country, RDFS.subClassOf, KG.Actor), (KG.Country, RDFS.subClassOf, KG.Place),
    ]
    for triple in expected:
        assert triple in ontology, triple
    # kg:Span is a nif:String through nif:RFC5147String (declared subclass chain in NIF)
    assert (KG.Span, RDFS.subClassOf, NIF.RFC5147String) in ontology


def test_status_individuals(ontology: Graph) -> None:
    for name in vocab.STATUSES:
        assert (KG[name], RDF.type, KG.Status) in ontology
    members = list(ontology.items(ontology.value(ontology.value(KG.Status, OWL.equivalentClass), OWL.oneOf)))
    assert sorted(str(m) for m in members) == sorted(str(KG[n]) for n in vocab.STATUSES)


def test_ontology_and_shapes_hold_no_seed_names() -> None:
    banned = ["zelensk", "medinsk", "umerov", "fidan", "dolmabah", "kyiv", "kiev", "erdogan", "istanbul", "putin"]
    for path in (ONTOLOGY_FILE, SHAPES_FILE, README, ROOT / "kg" / "validate.py"):
        text = path.read_text(encoding="utf-8").lower()
        assert not [b for b in banned if b in text], path


# -- the shapes on the sample --------------------------------------------------------------------
def test_fixture_conforms() -> None:
    result = validate_graph(fixture_union())
    assert result.conforms, result.text
    assert result.results == 0


def test_fixture_conforms_in_store(store: KGStore) -> None:
    result = validate_store(store)
    assert result.conforms, result.text
    assert result.triples == len(fixture_union())  # the union of the store's graphs


def _drop(p: URIRef, s: URIRef | None = None) -> Callable[[Graph], None]:
    return lambda g: g.remove((s, p, None))


def _set(s: URIRef, p: URIRef, o) -> Callable[[Graph], None]:
    def f(g: Graph) -> None:
        g.remove((s, p, None))
        g.add((s, p, o))
    return f


A1 = URIRef(B + "article/a1")
S1 = URIRef(B + "article/a1#char=24,95")

BROKEN: dict[str, tuple[Callable[[Graph], None], str]] = {
    "event_without_evidence": (_drop(KG.evidence, DEMAND), "at least one kg:evidence"),
    "demand_without_demander": (_drop(KG.demander, DEMAND), "every Demand needs a kg:demander"),
    "meeting_without_participant": (_drop(KG.participant, MEETING), "at least one kg:participant"),
    "agreement_without_party": (_drop(KG.party, AGREEMENT), "at least one kg:party"),
    "span_without_article": (_drop(KG.article, S1), "exactly one kg:Article"),
    "span_with_two_articles": (lambda g: g.add((S1, KG.article, URIRef(B + "article/a2"))), "exactly one kg:Article"),
    "bad_status": (_set(MEETING, KG.status, KG.Cancelled), "kg:status must be one of"),
    "status_as_string": (_set(DEMAND, KG.status, Literal("held")), "kg:status must be one of"),
    "begin_not_before_end": (_set(S1, NIF.beginIndex, Literal(95)), "less than its nif:endIndex"),
    "begin_not_integer": (_set(S1, NIF.beginIndex, Literal("24")), "less than its nif:endIndex"),
    "span_without_anchor": (_drop(NIF.anchorOf, S1), "exactly one nif:anchorOf"),
    "anchor_differs_from_text": (_set(S1, NIF.anchorOf, Literal("Russia and Ukraine agreed nothing.")),
                                 "nif:anchorOf must equal text[begin:end]"),
    "span_iri_disagrees_with_offsets": (
        lambda g: [g.remove((S1, NIF.endIndex, None)), g.add((S1, NIF.endIndex, Literal(94))),
                   g.set((S1, NIF.anchorOf, Literal("Russia and Ukraine agreed to exchange 1,000 prisoners of war on Friday")))],
        "#char=begin,end"),
    "mention_outside_its_sentence": (_set(URIRef(B + "article/a1#char=24,30"), KG.sentence,
                                          URIRef(B + "article/a1#char=96,183")), "inside its kg:sentence"),
    "role_value_untyped": (lambda g: g.add((AGREEMENT, KG.party, URIRef(B + "actor/nobody"))),
                           "typed actor or place"),
    "venue_not_a_place": (_set(MEETING, KG.venue, URIRef(B + "actor/russia-person")), "typed kg:Place"),
    "reported_date_not_a_date": (_set(AGREEMENT, KG.reportedDate, Literal("Friday")), "valid xsd:date"),
    "invalid_date_literal": (lambda g: _set(MEETING, KG.date, Literal("2025-02-30", datatype=XSD.date))(g), "xsd:date"),
    "two_consolidated_dates": (lambda g: g.add((MEETING, KG.date, Literal("2025-05-17", datatype=XSD.date))),
                               "one consolidated xsd:date"),
    "article_without_id": (_drop(KG.articleId, A1), "kg:articleId"),
    "article_without_hash": (_drop(KG.contentHash, A1), "kg:contentHash"),
    "article_hash_malformed": (_set(A1, KG.contentHash, Literal("sha256:…")), "kg:contentHash"),
    "article_without_graph_provenance": (_drop(PROV.wasDerivedFrom), "prov:wasDerivedFrom it"),
    "activity_without_extractor": (_drop(URIRef(vocab.KG + "extractor")), "names its extractor"),
    "meeting_wrong_plover": (_set(MEETING, KG.plover, Literal("AGREE")), "kg:plover is \"CONSULT\""),
    "agreement_cameo_without_zero": (_set(AGREEMENT, KG.cameo, Literal("57")), "kg:cameo is \"057\""),
    "demand_without_codes": (lambda g: [g.remove((DEMAND, KG.plover, None)), g.remove((DEMAND, KG.cameo, None))],
                             "kg:plover is \"REQUEST\""),
    "party_on_a_meeting": (lambda g: g.add((MEETING, KG.party, URIRef(B + "actor/russia"))),
                           "kg:party is only used on a kg:Agreement"),
    "mention_denotes_untyped": (_set(URIRef(B + "article/a1#char=24,30"), KG.denotes, URIRef(B + "actor/nobody")),
                                "denotes one typed actor, place or event"),
    "actor_without_label": (_drop(RDFS.label, URIRef(B + "actor/ukraine")), "canonical rdfs:label"),
    "within_untyped": (_set(URIRef(B + "place/geneva"), KG.within, URIRef(B + "place/nowhere")), "typed kg:Place"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_shapes_reject_broken_variant(name: str) -> None:
    g = fixture_union()
    mutate, expected = BROKEN[name]
    mutate(g)
    result = validate_graph(g)
    assert not result.conforms
    assert any(expected in m for m in result.messages), result.text


def test_shapes_file_is_standard_shacl_for_plain_pyshacl() -> None:
    """kg.validate runs the SHACL-SPARQL constraints through Oxigraph for speed; plain pyshacl (as
    any other SHACL tool would) must reach the same verdicts from shapes.ttl alone."""
    from pyshacl import validate

    def plain(g: Graph) -> tuple[bool, str]:
        conforms, _, text = validate(g, shacl_graph=Graph().parse(SHAPES_FILE), ont_graph=Graph().parse(ONTOLOGY_FILE),
                                     inference="none")
        return conforms, text

    assert plain(fixture_union())[0]
    for name in ("anchor_differs_from_text", "mention_outside_its_sentence", "event_without_evidence"):
        g = fixture_union()
        BROKEN[name][0](g)
        conforms, text = plain(g)
        assert not conforms and BROKEN[name][1] in text, name


def test_validate_graph_does_not_modify_its_input() -> None:
    g = fixture_union()
    before = len(g)
    validate_graph(g)
    assert len(g) == before


def test_graph_checks_catch_evidence_from_another_article(store: KGStore) -> None:
    """The union hides which graph a triple came from; the per-graph check does not."""
    store.store.update(f"""
        PREFIX kg: <{vocab.KG}>
        DELETE DATA {{ GRAPH <{B}graph/a2> {{ <{DEMAND}> kg:evidence <{B}article/a2#char=83,135> }} }} ;
        INSERT DATA {{ GRAPH <{B}graph/a2> {{ <{DEMAND}> kg:evidence <{S1}> }} }}""")
    union = union_graph(store.store.quads_for_pattern(None, None, None, None))
    assert validate_graph(union).conforms  # SHACL over the union cannot see it
    result = validate_store(store)
    assert not result.conforms
    assert any("without evidence from that article" in m and str(DEMAND) in m for m in result.messages), result.text


def test_graph_checks_catch_unnamed_article_graph(store: KGStore) -> None:
    store.store.update(f"""
        PREFIX prov: <{vocab.PROV}>
        DELETE WHERE {{ GRAPH <{B}graph/a1> {{ <{B}graph/a1> prov:wasDerivedFrom ?a }} }} ;
        INSERT DATA {{ GRAPH <{B}graph/a1> {{ <{B}graph/x> prov:wasDerivedFrom <{A1}> }} }}""")
    result = validate_store(store)
    assert any("graph/a1 | named graph has no" in m for m in result.messages), result.text


# -- README queries against the fixture in Oxigraph ---------------------------------------------
def _text(g: Graph, article: str) -> str:
    return str(g.value(URIRef(B + "article/" + article), KG.text))


def test_readme_query_agreed(store: KGStore) -> None:
    result = rows(store, readme_query("agreed"))
    assert {(r["id"], r["event"]) for r in result} == {("a1", str(AGREEMENT)), ("a2", str(AGREEMENT))}
    union = fixture_union()
    for r in result:
        text = _text(union, r["id"])
        assert text[int(r["begin"]):int(r["end"])] == r["sentence"]
        assert "agreed" in r["sentence"] and "prisoner" in r["sentence"]
    # the Demand (not an agreement) and the meeting are not returned, whatever their sentences say
    assert len(result) == 2


def test_readme_query_agreed_needs_both_parties_in_the_same_article(store: KGStore) -> None:
    store.store.update(f"""PREFIX kg: <{vocab.KG}>
        DELETE DATA {{ GRAPH <{B}graph/a2> {{ <{AGREEMENT}> kg:party <{B}actor/russia> }} }}""")
    assert {r["id"] for r in rows(store, readme_query("agreed"))} == {"a1"}


def test_readme_query_claims(store: KGStore) -> None:
    result = rows(store, readme_query("claims"))
    got = {(r["event"], r["property"], r["value"]) for r in result}
    # the oracle: every non-type statement about an event in graph a2, read with rdflib from the TriG
    ds = fixture_dataset()
    a2 = ds.graph(URIRef(B + "graph/a2"))
    events = {s for s, o in a2.subject_objects(RDF.type) if o in (KG.Meeting, KG.Demand, KG.Agreement)}
    want = {(str(s), str(p), str(o)) for s in events for p, o in a2.predicate_objects(s) if p != RDF.type}
    assert got == want and len(events) == 3
    by_value = {r["value"]: r["valueText"] for r in result}
    assert by_value[B + "actor/russia"] == "Russia"
    assert by_value[B + "article/a2#char=83,135"] == "Ukraine demanded an immediate ceasefire from Russia."
    assert not any(r["value"] == "an hour and 40 minutes" for r in result)  # a1's claim, not a2's


def _backed_oracle(ds: Dataset, removed: str) -> set[URIRef]:
    """Independent of the SPARQL: nodes used by a remaining article graph, plus places they lie within."""
    backed: set[URIRef] = set()
    for g in ds.graphs():
        if g.identifier in (RES, URIRef(B + "graph/" + removed)) or not len(g):
            continue
        for s, _, o in g:
            backed |= {s, o}
    res = ds.graph(RES)
    frontier = set(backed)
    while frontier:
        frontier = {o for s in frontier for o in res.objects(s, KG.within)} - backed
        backed |= frontier
    return {n for n in res.subjects() if n in backed}


@pytest.mark.parametrize("removed", ["a2", "a1"])
def test_readme_update_remove_article(store: KGStore, removed: str) -> None:
    update = readme_query("remove").replace("graph/a2>", f"graph/{removed}>")
    store.store.update(update)
    assert not store.has_graph(B + "graph/" + removed)
    assert store.has_graph(B + "graph/" + ("a1" if removed == "a2" else "a2"))
    left = {r["s"] for r in rows(store, f"SELECT DISTINCT ?s WHERE {{ GRAPH <{RES}> {{ ?s ?p ?o }} }}")}
    assert left == {str(n) for n in _backed_oracle(fixture_dataset(), removed)}
    if removed == "a2":
        assert str(DEMAND) not in left and B + "actor/another-person" not in left
        assert {str(MEETING), str(AGREEMENT), B + "actor/switzerland", B + "place/geneva"} <= left
    else:
        assert B + "place/palais-des-nations" not in left and B + "actor/example-person" not in left
        assert {str(DEMAND), B + "place/geneva", B + "actor/switzerland"} <= left
    result = validate_store(store)
    assert result.conforms, result.text


def test_drop_graph_alone_leaves_orphans_that_validation_reports(store: KGStore) -> None:
    store.drop_graphs([B + "graph/a2"])
    result = validate_store(store)
    assert not result.conforms
    assert any(str(DEMAND) in m and "no article graph claims" in m for m in result.messages), result.text


def test_readme_query_conflicts(store: KGStore) -> None:
    result = rows(store, readme_query("conflicts"))
    assert {(r["property"], r["value"], r["id"]) for r in result} == {
        (vocab.KG + "duration", "an hour and 40 minutes", "a1"),
        (vocab.KG + "duration", "less than two hours", "a2"),
    }
    assert {r["event"] for r in result} == {str(MEETING)}


def test_readme_query_conflicts_sees_a_new_disagreement(store: KGStore) -> None:
    store.store.update(f"""PREFIX kg: <{vocab.KG}>
        DELETE DATA {{ GRAPH <{B}graph/a2> {{ <{DEMAND}> kg:status kg:Held }} }} ;
        INSERT DATA {{ GRAPH <{B}graph/a1> {{ <{DEMAND}> kg:status kg:Refused ; kg:evidence <{S1}> }} }} ;
        INSERT DATA {{ GRAPH <{B}graph/a2> {{ <{DEMAND}> kg:status kg:Proposed }} }}""")
    statuses = {(r["value"], r["id"]) for r in rows(store, readme_query("conflicts")) if r["event"] == str(DEMAND)}
    assert statuses == {(vocab.KG + "Refused", "a1"), (vocab.KG + "Proposed", "a2")}


def test_readme_query_conflicts_ignores_nested_places(store: KGStore) -> None:
    """"In Geneva" against "in Switzerland" is no conflict; against another city it is."""
    store.store.update(f"""PREFIX kg: <{vocab.KG}>
        DELETE DATA {{ GRAPH <{B}graph/a2> {{ <{MEETING}> kg:place <{B}place/geneva> }} }} ;
        INSERT DATA {{ GRAPH <{B}graph/a2> {{ <{MEETING}> kg:place <{B}actor/switzerland> }} }}""")
    assert not [r for r in rows(store, readme_query("conflicts")) if r["property"] == vocab.KG + "place"]
    store.store.update(f"""PREFIX kg: <{vocab.KG}>
        INSERT DATA {{ GRAPH <{B}graph/resolution> {{ <{B}place/bern> a kg:City ; rdfs:label "Bern" }} }} ;
        DELETE DATA {{ GRAPH <{B}graph/a2> {{ <{MEETING}> kg:place <{B}actor/switzerland> }} }} ;
        INSERT DATA {{ GRAPH <{B}graph/a2> {{ <{MEETING}> kg:place <{B}place/bern> }} }}""".replace(
        "PREFIX kg:", f"PREFIX rdfs: <{vocab.RDFS}>\nPREFIX kg:"))
    places = {(r["value"], r["id"]) for r in rows(store, readme_query("conflicts")) if r["property"] == vocab.KG + "place"}
    assert places == {(B + "place/geneva", "a1"), (B + "place/bern", "a2")}


def test_readme_query_plover(store: KGStore) -> None:
    result = rows(store, readme_query("plover"))
    by_event = {r["event"]: r for r in result}
    assert set(by_event) == {str(MEETING), str(DEMAND), str(AGREEMENT)}
    for name, info in vocab.EVENT_TYPES.items():
        r = by_event[{"Meeting": str(MEETING), "Demand": str(DEMAND), "Agreement": str(AGREEMENT)}[name]]
        assert (r["plover"], r["cameo"]) == (info["plover"], info["cameo"])
        assert r["cameoRoot"] == info["cameo"][:2]
    assert int(by_event[str(MEETING)]["sources"]) == 2
    assert int(by_event[str(DEMAND)]["sources"]) == 1


def test_readme_query_plover_check(store: KGStore) -> None:
    store.store.load(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE,
                     to_graph=ox.NamedNode("https://w3id.org/newskg/ontology"))
    assert rows(store, readme_query("plover-check")) == []
    store.store.update(f"""PREFIX kg: <{vocab.KG}>
        DELETE DATA {{ GRAPH <{RES}> {{ <{DEMAND}> kg:cameo "10" }} }} ;
        INSERT DATA {{ GRAPH <{RES}> {{ <{DEMAND}> kg:cameo "12" }} }}""")
    assert [r["event"] for r in rows(store, readme_query("plover-check"))] == [str(DEMAND)]


# -- speed ---------------------------------------------------------------------------------------
def synthetic_store(path: Path, articles: int = 200, sentences: int = 25) -> KGStore:
    """A store shaped like a real build: per article 25 sentences, 2 mentions each, 5 event claims;
    events shared across articles (several sources each), actors and events typed in resolution."""
    s = KGStore(path)
    m = s.minter
    nn, lit = ox.NamedNode, ox.Literal
    k = lambda n: nn(vocab.KG + n)  # noqa: E731
    rdf_type = nn(vocab.RDF + "type")
    label = nn(vocab.RDFS + "label")
    xsd_date = nn(vocab.XSD + "date")
    res = nn(m.resolution_graph())
    resq: list[ox.Quad] = []
    countries = [f"Country{c}" for c in range(40)]
    for c in countries:
        a = nn(m.actor(c.lower()))
        resq += [ox.Quad(a, rdf_type, k("Country"), res), ox.Quad(a, label, lit(c), res)]
    types = list(vocab.EVENT_TYPES.items())
    events_seen: set[int] = set()
    for i in range(articles):
        aid = f"syn{i:04d}"
        g = nn(m.graph(aid))
        art = nn(m.article(aid))
        parts, spans = [], []
        pos = 0
        for j in range(sentences):
            x, y = countries[(i + j) % 40], countries[(i + 2 * j + 1) % 40]
            sent = f"{x} and {y} agreed to exchange {j + 10} prisoners on Friday."
            spans.append((pos, pos + len(sent), sent, x, y))
            parts.append(sent)
            pos += len(sent) + 1
        text = " ".join(parts)
        h = hashlib.sha256(text.encode()).hexdigest()
        act = nn(m.activity(aid, h))
        q = [ox.Quad(g, nn(vocab.PROV + "wasDerivedFrom"), art, g), ox.Quad(g, nn(vocab.PROV + "wasGeneratedBy"), act, g),
             ox.Quad(act, rdf_type, nn(vocab.PROV + "Activity"), g), ox.Quad(act, nn(vocab.PROV + "used"), art, g),
             ox.Quad(act, k("extractor"), lit("kg 0.1.0; synthetic"), g),
             ox.Quad(art, rdf_type, k("Article"), g), ox.Quad(art, k("articleId"), lit(aid), g),
             ox.Quad(art, k("contentHash"), lit("sha256:" + h), g), ox.Quad(art, k("text"), lit(text), g),
             ox.Quad(art, nn(vocab.DCT + "date"), lit("2025-05-16", datatype=xsd_date), g)]
        for j, (b, e, sent, x, y) in enumerate(spans):
            sp = nn(m.span(aid, b, e))
            q += [ox.Quad(sp, rdf_type, k("Sentence"), g), ox.Quad(sp, k("article"), art, g),
                  ox.Quad(sp, nn(vocab.NIF + "beginIndex"), lit(b), g), ox.Quad(sp, nn(vocab.NIF + "endIndex"), lit(e), g),
                  ox.Quad(sp, nn(vocab.NIF + "anchorOf"), lit(sent), g)]
            for name, off in ((x, 0), (y, len(x) + 5)):
                mb = b + off
                mn = nn(m.span(aid, mb, mb + len(name)))
                q += [ox.Quad(mn, rdf_type, k("Mention"), g), ox.Quad(mn, k("article"), art, g),
                      ox.Quad(mn, k("sentence"), sp, g), ox.Quad(mn, nn(vocab.NIF + "beginIndex"), lit(mb), g),
                      ox.Quad(mn, nn(vocab.NIF + "endIndex"), lit(mb + len(name)), g),
                      ox.Quad(mn, nn(vocab.NIF + "anchorOf"), lit(name), g), ox.Quad(mn, k("nerLabel"), lit("GPE"), g),
                      ox.Quad(mn, k("denotes"), nn(m.actor(name.lower())), g),
                      ox.Quad(nn(m.actor(name.lower())), nn(vocab.SKOS + "altLabel"), lit(name), g)]
            if j % 5 == 0:
                n = (i * 5 + j // 5) % 300  # ~300 distinct events, each reported by several articles
                etype, info = types[n % 3]
                ev = nn(m.event(f"e{n}"))
                q += [ox.Quad(ev, rdf_type, k(etype), g), ox.Quad(ev, k(info["role"]), nn(m.actor(x.lower())), g),
                      ox.Quad(ev, k("topic"), lit("exchange prisoners"), g), ox.Quad(ev, k("status"), k("Held"), g),
                      ox.Quad(ev, k("reportedDate"), lit("2025-05-16", datatype=xsd_date), g),
                      ox.Quad(ev, k("evidence"), sp, g)]
                if n not in events_seen:
                    events_seen.add(n)
                    resq += [ox.Quad(ev, rdf_type, k(etype), res), ox.Quad(ev, label, lit(f"event {n}"), res),
                             ox.Quad(ev, k("date"), lit("2025-05-16", datatype=xsd_date), res),
                             ox.Quad(ev, k("plover"), lit(info["plover"]), res), ox.Quad(ev, k("cameo"), lit(info["cameo"]), res)]
        s.store.extend(q)
    s.store.extend(resq)
    return s


def test_validation_time_200_articles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s = synthetic_store(tmp_path / "syn")
    started = time.perf_counter()
    result = validate_store(s)
    seconds = time.perf_counter() - started
    assert result.conforms, result.text
    assert result.triples > 100_000
    with capsys.disabled():
        print(f"\nvalidate_store on 200 synthetic articles: {result.triples} triples, {seconds:.1f} s")
