"""Saved queries: header parsing, typed parameters, injection, and every query's rows on the
fixture graph (expected rows written by hand from tests/fixtures/events.trig)."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
import requests

from kg.saved_queries import ParamError, SavedQuery, find_params, load_queries, parse_header
from kg.vocab import DEFAULT_BASE as B

KG = "https://w3id.org/newskg/ontology#"
QUERIES = load_queries()
EXAMPLES = {"actor": B + "actor/russia", "event": B + "event/meeting-2025-05-16-russia-ukraine",
            "article": B + "article/a1", "type": KG + "Meeting", "from": "2025-05-16",
            "to": "2025-05-20"}


def rows(server, name: str, **params) -> list[dict[str, str]]:
    r = requests.get(f"{server.url}/queries/{name}", params=params,
                     headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 200, r.text
    return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]


def short(value: str) -> str:
    return value.replace(B, "").replace(KG, "kg:")


# -- parsing ----------------------------------------------------------------------------------
def test_header_follows_grlc_decorators():
    meta = parse_header("#+ summary: Title here\n#+ description: Says why.\n#+ tags:\n#+   - a\n"
                        "#+   - b\n#+ defaults:\n#+   - year: 2025\nSELECT * {}\n#+ summary: late")
    assert meta == {"summary": "Title here", "description": "Says why.", "tags": ["a", "b"],
                    "defaults": [{"year": "2025"}]}


def test_params_from_variable_names():
    params = find_params('SELECT ?_actor_iri ?__from_xsd_date ?_name ?__n_integer ?_label_en '
                         '{ ?x ?y "?_not_a_param" } # ?_nor_this')
    assert [(p.name, p.type, p.required) for p in params] == [
        ("actor", "iri", True), ("from", "xsd_date", False), ("name", "string", True),
        ("n", "integer", False), ("label", "en", True)]


def test_unknown_parameter_type_is_an_error():
    with pytest.raises(ValueError, match="unknown parameter type"):
        find_params("SELECT ?_x_colour {}")


@pytest.mark.parametrize("kind,value,expected", [
    ("iri", "http://a.example/x", ox.NamedNode("http://a.example/x")),
    ("xsd_date", "2025-05-16", ox.Literal("2025-05-16", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#date"))),
    ("integer", "42", ox.Literal("42", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#integer"))),
    ("string", 'a "quoted" } value', ox.Literal('a "quoted" } value')),
    ("en", "Istanbul", ox.Literal("Istanbul", language="en")),
])
def test_values_become_typed_terms(kind, value, expected):
    q = SavedQuery("t", f"SELECT ?_p_{kind} {{}}" if kind != "string" else "SELECT ?_p {}", "t",
                   params=find_params(f"SELECT ?_p_{kind} {{}}" if kind != "string" else "SELECT ?_p {}"))
    assert list(q.bind({"p": value}).values()) == [expected]


@pytest.mark.parametrize("kind,value", [
    ("iri", "not an iri"), ("iri", "javascript:alert(1)"), ("iri", "http://a/b> } DROP ALL"),
    ("xsd_date", "2025-13-40"), ("xsd_date", "yesterday"), ("integer", "4.2"),
    ("number", "1; DROP ALL"), ("xsd_boolean", "maybe"),
])
def test_wrong_types_are_refused_with_the_parameter_named(kind, value):
    q = SavedQuery("t", "", "t", params=find_params(f"SELECT ?_p_{kind} {{}}"))
    with pytest.raises(ParamError, match="parameter 'p' must be"):
        q.bind({"p": value})


def test_missing_and_unknown_parameters():
    q = QUERIES["actor"]
    with pytest.raises(ParamError, match="needs parameter 'actor'"):
        q.bind({})
    with pytest.raises(ParamError, match="unknown parameter"):
        q.bind({"actor": EXAMPLES["actor"], "actr": "x"})


def test_every_saved_query_has_metadata_and_parses():
    assert {"timeline", "meetings", "demands_by_actor", "agreements", "actor", "event_sources",
            "article_claims", "conflicts", "frequent_meetings"} <= set(QUERIES)
    store = ox.Store()
    for q in QUERIES.values():
        assert q.summary and q.description, q.name
        store.query(q.text)  # parses (raises SyntaxError otherwise)


# -- injection --------------------------------------------------------------------------------
INJECTIONS = ['"', "'", '\\"', "\\u0022", '" } ; DROP ALL ; #', "'} ; DROP ALL",
              "> } ; DROP ALL ; SELECT * { <x", "http://x/> } ; DROP ALL ; #",
              "http://x/%3E%20%7D%20DROP%20ALL", "} ; DROP ALL", '"""', "\n} INSERT DATA { <a> <b> <c> }",
              "2025-01-01\"^^<http://x> } DROP ALL #", "<script>alert(1)</script>"]
PARAMS = [(q.name, p) for q in QUERIES.values() for p in q.params]


@pytest.mark.parametrize("name,param", PARAMS, ids=[f"{n}-{p.name}" for n, p in PARAMS])
def test_injection_corpus_is_bound_literally_or_refused(events_server, name, param):
    """Every payload is either refused (400, for typed parameters) or bound as one literal term,
    which the query echoes back unchanged in its parameter column; the graph is untouched."""
    q = QUERIES[name]
    others = {p.name: EXAMPLES[p.name] for p in q.params if p.required and p.name != param.name}
    before = requests.get(f"{events_server.url}/sparql",
                          params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}).json()
    for payload in INJECTIONS:
        r = requests.get(f"{events_server.url}/queries/{name}",
                         params={**others, param.name: payload}, timeout=30)
        breaks_out = any(c in payload for c in '"<>{} \n') or "\\" in payload
        if r.status_code == 200:
            echoed = {b[param.var]["value"] for b in r.json()["results"]["bindings"]}
            assert echoed <= {payload}, payload
            assert param.type == "string" or not breaks_out, (payload, "accepted")
        else:
            assert r.status_code == 400, (payload, r.status_code, r.text)
            assert f"parameter '{param.name}'" in r.text
    after = requests.get(f"{events_server.url}/sparql",
                         params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}).json()
    assert before == after


def test_string_parameter_binds_payload_exactly(tmp_path, kg_store_builder):
    """A string parameter matches a label that *is* an injection payload, and only it."""
    from kg.web.app import create_app
    from kg.web.server import BackgroundServer
    payload = '" } ; DROP ALL ; # \\u0022 >'
    trig = tmp_path / "x.trig"
    trig.write_text('<graph/x> { <actor/evil> <http://www.w3.org/2000/01/rdf-schema#label> '
                    + '"' + payload.replace("\\", "\\\\").replace('"', '\\"') + '" .\n'
                    '<actor/good> <http://www.w3.org/2000/01/rdf-schema#label> "Good" . }')
    qdir = tmp_path / "queries"
    qdir.mkdir()
    (qdir / "by_label.rq").write_text("#+ summary: by label\n#+ description: d\n"
                                      "SELECT ?s ?_label WHERE { ?s <http://www.w3.org/2000/01/"
                                      "rdf-schema#label> ?_label }")
    with BackgroundServer(create_app(kg_store_builder(tmp_path / "s", trig), queries_dir=qdir,
                                     workers=1)) as server:
        got = rows(server, "by_label", label=payload)
        assert got == [{"s": B + "actor/evil", "_label": payload}]
        assert rows(server, "by_label", label="Good") == [{"s": B + "actor/good", "_label": "Good"}]


# -- each saved query on the fixture, against hand-written expectations --------------------------
def test_timeline_in_date_order_with_range_and_type(events_server):
    all_rows = rows(events_server, "timeline")
    assert len(all_rows) == 10
    assert [r["date"] for r in all_rows] == sorted(r["date"] for r in all_rows)
    assert all_rows[0]["event"] == B + "event/meeting-2025-05-15-hakan-fidan-volodymyr-zelensky"
    ranged = rows(events_server, "timeline", **{"from": "2025-05-16", "to": "2025-05-20"})
    assert {short(r["event"]) for r in ranged} == {
        "event/meeting-2025-05-16-russia-ukraine", "event/agreement-2025-05-16-prisoner-exchange",
        "event/demand-2025-05-16-ukraine-ceasefire", "event/demand-2025-05-16-russia-withdrawal",
        "event/meeting-2025-05-20-russia-united-nations", "event/agreement-2025-05-20-grain-corridor"}
    meetings = rows(events_server, "timeline", type=KG + "Meeting")
    assert [(r["date"], r.get("placeLabel")) for r in meetings] == [
        ("2025-05-15", "Istanbul"), ("2025-05-16", "Istanbul"), ("2025-05-20", "Geneva"),
        ("2025-06-02", "Istanbul")]


def test_meetings_with_participants_and_venue(events_server):
    got = {(short(r["meeting"]), r["participantLabel"], r.get("venueLabel"), r.get("placeLabel"))
           for r in rows(events_server, "meetings")}
    assert got == {
        ("event/meeting-2025-05-15-hakan-fidan-volodymyr-zelensky", "Hakan Fidan", None, "Istanbul"),
        ("event/meeting-2025-05-15-hakan-fidan-volodymyr-zelensky", "Volodymyr Zelensky", None, "Istanbul"),
        ("event/meeting-2025-05-16-russia-ukraine", "Russia", "Dolmabahce Palace", "Istanbul"),
        ("event/meeting-2025-05-16-russia-ukraine", "Ukraine", "Dolmabahce Palace", "Istanbul"),
        ("event/meeting-2025-05-20-russia-united-nations", "Russia", None, "Geneva"),
        ("event/meeting-2025-05-20-russia-united-nations", "United Nations", None, "Geneva"),
        ("event/meeting-2025-06-02-russia-ukraine", "Russia", None, "Istanbul"),
        ("event/meeting-2025-06-02-russia-ukraine", "Ukraine", None, "Istanbul")}
    fidan = rows(events_server, "meetings", actor=B + "actor/hakan-fidan")
    assert {r["participantLabel"] for r in fidan} == {"Hakan Fidan", "Volodymyr Zelensky"}


def test_demands_by_actor(events_server):
    everyone = {(r["demanderLabel"], r["topic"], r.get("addresseeLabel"))
                for r in rows(events_server, "demands_by_actor")}
    assert everyone == {("Russia", "withdrawal from four regions", "Ukraine"),
                        ("Ukraine", "a full ceasefire", "Russia"),
                        ("United Nations", "humanitarian access <script>alert(1)</script>", "Russia")}
    ukraine = rows(events_server, "demands_by_actor", actor=B + "actor/ukraine")
    assert [(short(r["demand"]), r["_" * 2 + "actor_iri"]) for r in ukraine] == [
        ("event/demand-2025-05-16-ukraine-ceasefire", B + "actor/ukraine")]


def test_agreements_with_parties(events_server):
    got = {(short(r["agreement"]), r["partyLabel"], r["topic"]) for r in rows(events_server, "agreements")}
    assert got == {
        ("event/agreement-2025-05-16-prisoner-exchange", "Russia", "exchange 1,000 prisoners"),
        ("event/agreement-2025-05-16-prisoner-exchange", "Ukraine", "exchange 1,000 prisoners"),
        ("event/agreement-2025-05-20-grain-corridor", "Russia", "grain corridor"),
        ("event/agreement-2025-05-20-grain-corridor", "United Nations", "grain corridor"),
        ("event/agreement-2025-06-02-return-of-bodies", "Russia", "the return of bodies"),
        ("event/agreement-2025-06-02-return-of-bodies", "Ukraine", "the return of bodies")}


def test_everything_about_one_actor(events_server):
    got = rows(events_server, "actor", actor=B + "actor/ukraine")
    out = {(short(r["property"]), short(r["value"]), short(r["graph"]))
           for r in got if r["direction"] == "out"}
    assert out == {("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "kg:Country", "graph/resolution"),
                   ("http://www.w3.org/2000/01/rdf-schema#label", "Ukraine", "graph/resolution"),
                   ("http://www.w3.org/2004/02/skos/core#altLabel", "Ukraine", "graph/a1")}
    roles = {(short(r["property"]), short(r["value"])) for r in got
             if r["direction"] == "in" and r["property"] != KG + "denotes"}
    assert roles == {("kg:participant", "event/meeting-2025-05-16-russia-ukraine"),
                     ("kg:participant", "event/meeting-2025-06-02-russia-ukraine"),
                     ("kg:addressee", "event/demand-2025-05-16-russia-withdrawal"),
                     ("kg:demander", "event/demand-2025-05-16-ukraine-ceasefire"),
                     ("kg:party", "event/agreement-2025-05-16-prisoner-exchange"),
                     ("kg:party", "event/agreement-2025-06-02-return-of-bodies")}


def test_sources_of_one_event_quote_the_article_text(events_server):
    got = rows(events_server, "event_sources", event=EXAMPLES["event"])
    assert [(short(r["article"]), r["outlet"], r["begin"], r["end"], r["quote"]) for r in got] == [
        ("article/a1", "AP", "0", "66", "Russia and Ukraine met at Dolmabahce Palace in Istanbul on Friday."),
        ("article/a1", "AP", "67", "109", "The meeting lasted an hour and 40 minutes."),
        ("article/a2", "Reuters", "0", "66", "Delegations from Russia and Ukraine met in Istanbul for two hours.")]


def test_all_claims_of_one_article(events_server):
    got = rows(events_server, "article_claims", article=B + "article/a2")
    events = {short(r["event"]) for r in got}
    assert events == {"event/meeting-2025-05-16-russia-ukraine", "event/agreement-2025-05-16-prisoner-exchange",
                      "event/meeting-2025-05-15-hakan-fidan-volodymyr-zelensky",
                      "event/demand-2025-05-16-russia-withdrawal"}
    facts = {(short(r["event"]), short(r["property"]), r["value"]) for r in got}
    assert ("event/meeting-2025-05-16-russia-ukraine", "kg:duration", "two hours") in facts
    assert not any(v == "an hour and 40 minutes" for _, _, v in facts)  # that is a1's claim


def test_conflicting_reports_by_source(events_server):
    got = {(short(r["event"]), short(r["property"]), r["value"], short(r["article"]))
           for r in rows(events_server, "conflicts")}
    assert got == {
        ("event/meeting-2025-05-16-russia-ukraine", "kg:duration", "an hour and 40 minutes", "article/a1"),
        ("event/meeting-2025-05-16-russia-ukraine", "kg:duration", "two hours", "article/a2"),
        ("event/agreement-2025-05-16-prisoner-exchange", "kg:reportedDate", "2025-05-16", "article/a1"),
        ("event/agreement-2025-05-16-prisoner-exchange", "kg:reportedDate", "2025-05-17", "article/a2")}
    one = rows(events_server, "conflicts", event=EXAMPLES["event"])
    assert {r["value"] for r in one} == {"an hour and 40 minutes", "two hours"}


def test_actors_who_meet_most_often(events_server):
    got = [(r["label1"], r["label2"], r["meetings"]) for r in rows(events_server, "frequent_meetings")]
    assert got[0] == ("Russia", "Ukraine", "2")
    assert sorted(got[1:]) == [("Hakan Fidan", "Volodymyr Zelensky", "1"), ("Russia", "United Nations", "1")]


def test_every_saved_query_answers_on_the_fixture(events_server):
    """Including queries added by others (facts_*.rq): each runs with example parameters."""
    for q in QUERIES.values():
        params = {p.name: EXAMPLES.get(p.name, "Russia") for p in q.params if p.required}
        r = requests.get(f"{events_server.url}/queries/{q.name}", params=params, timeout=30)
        assert r.status_code == 200, (q.name, r.text)


def test_format_by_path_suffix(events_server):
    """Datasette-style: /queries/<name>.csv and friends; a `format` parameter still wins."""
    url = f"{events_server.url}/queries/timeline"
    for suffix, ctype in ((".csv", "text/csv"), (".tsv", "text/tab-separated-values"),
                          (".json", "application/sparql-results+json"),
                          (".xml", "application/sparql-results+xml"), (".html", "text/html")):
        r = requests.get(url + suffix, params={"from": "2025-05-16", "to": "2025-05-20"},
                         headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(ctype), (suffix, r.text)
    csv_lines = requests.get(url + ".csv", params={"from": "2025-05-16", "to": "2025-05-20"},
                             timeout=30).text.strip().splitlines()
    assert csv_lines[0].startswith("event,type,label,date")
    assert len(csv_lines) - 1 == len(rows(events_server, "timeline", **{"from": "2025-05-16",
                                                                         "to": "2025-05-20"}))
    r = requests.get(url + ".html", params={"format": "json"}, timeout=30)
    assert r.headers["Content-Type"].startswith("application/sparql-results+json")
    assert requests.get(url + ".docx", timeout=30).status_code == 404
    assert requests.get(f"{events_server.url}/queries/nosuch.csv", timeout=30).status_code == 404
