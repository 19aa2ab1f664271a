"""The HTTP surface on a real waitress server: protocol, negotiation, guards, linked data."""
from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import requests
from markupsafe import escape

from kg.web.app import create_app
from kg.vocab import DEFAULT_BASE as B
from kg.web.server import BackgroundServer

SELECT = "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?l"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def get(server, path, **kw):
    return requests.get(server.url + path, timeout=30, **kw)


# -- protocol ---------------------------------------------------------------------------------
def test_query_by_get_post_form_and_post_direct_agree(events_server):
    url = events_server.url + "/sparql"
    by_get = requests.get(url, params={"query": SELECT})
    by_form = requests.post(url, data={"query": SELECT})
    by_body = requests.post(url, data=SELECT.encode(),
                            headers={"Content-Type": "application/sparql-query; charset=utf-8"})
    for r in (by_get, by_form, by_body):
        assert r.status_code == 200, r.text
        assert r.headers["Content-Type"] == "application/sparql-results+json"
    assert by_get.json() == by_form.json() == by_body.json()
    assert len(by_get.json()["results"]["bindings"]) == 19


def test_union_default_graph_and_dataset_parameters(events_server):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    union = get(events_server, "/sparql", params={"query": count}).json()
    only_a1 = get(events_server, "/sparql", params={"query": count,
                                                    "default-graph-uri": B + "graph/a1"}).json()
    n = lambda d: int(d["results"]["bindings"][0]["n"]["value"])  # noqa: E731
    assert n(union) == 363  # no GRAPH clause needed: every named graph is in the default graph
    assert 0 < n(only_a1) < n(union)
    named = get(events_server, "/sparql", params={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        "named-graph-uri": [B + "graph/a2", B + "graph/a3"]}).json()
    assert {b["g"]["value"] for b in named["results"]["bindings"]} == {B + "graph/a2", B + "graph/a3"}


@pytest.mark.parametrize("accept,ctype,check", [
    ("application/sparql-results+json", "application/sparql-results+json", lambda t: json.loads(t)["head"]),
    ("application/sparql-results+xml", "application/sparql-results+xml", lambda t: "<sparql" in t),
    ("text/csv", "text/csv; charset=utf-8", lambda t: t.startswith("s,l\r\n")),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", lambda t: t.startswith("?s\t?l")),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml", lambda t: "<sparql" in t),
    ("text/csv;q=1, application/sparql-results+xml;q=0.2", "text/csv; charset=utf-8", lambda t: "," in t),
    ("*/*", "application/sparql-results+json", lambda t: json.loads(t)),
])
def test_select_content_negotiation_with_q_values(events_server, accept, ctype, check):
    r = get(events_server, "/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["Content-Type"] == ctype
    assert "Accept" in r.headers["Vary"]
    assert check(r.text)


@pytest.mark.parametrize("accept,ctype,fmt", [
    (None, "text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
    ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("application/trig", "application/trig", ox.RdfFormat.TRIG),
])
def test_construct_formats(events_server, accept, ctype, fmt):
    query = "CONSTRUCT { ?s <http://example.org/label> ?l } WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    headers = {"Accept": accept} if accept else {}
    r = get(events_server, "/sparql", params={"query": query}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == ctype
    parsed = list(ox.parse(r.content, format=fmt))
    assert len({(q.subject, q.object) for q in parsed}) == 19


def test_errors_406_415_400(events_server):
    r = get(events_server, "/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and "no acceptable format" in r.text
    r = get(events_server, "/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "text/turtle"})
    assert r.status_code == 406
    r = requests.post(events_server.url + "/sparql", data="x", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and "text/plain" in r.text
    r = get(events_server, "/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert r.status_code == 400 and "malformed query" in r.text and "GET /sparql" in r.text
    r = get(events_server, "/sparql?query=" + quote(SELECT) + "&query=" + quote(SELECT))
    assert r.status_code == 400 and "2 'query' parameters" in r.text


def test_format_and_output_parameters_are_tolerated(events_server):
    r = get(events_server, "/sparql", params={"query": SELECT, "format": "csv"})
    assert r.headers["Content-Type"].startswith("text/csv")
    r = get(events_server, "/sparql", params={"query": SELECT, "output": "json", "format": "json"})
    assert r.json()["head"]["vars"] == ["s", "l"]
    r = get(events_server, "/sparql", params={"query": SELECT, "format": "something-else"},
            headers={"Accept": "text/tab-separated-values"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/tab-separated-values")


def test_service_description_with_graph_sizes(events_server):
    r = get(events_server, "/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    g = ox.Store()
    g.load(r.content, format=ox.RdfFormat.TURTLE)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    sizes = {row["name"].value: int(row["n"].value) for row in g.query(
        f"SELECT ?name ?n WHERE {{ ?ng <{sd}name> ?name ; <{sd}graph> [ <http://rdfs.org/ns/void#triples> ?n ] }}")}
    assert set(sizes) == {B + "graph/resolution", B + "graph/a1", B + "graph/a2", B + "graph/a3"}
    assert sum(sizes.values()) == 363
    assert g.query(f"ASK {{ ?s <{sd}feature> <{sd}UnionDefaultGraph> ; <{sd}endpoint> <{events_server.url}/sparql> }}")
    html = get(events_server, "/sparql", headers={"Accept": "text/html"})
    assert html.headers["Content-Type"].startswith("text/html") and "union of all named graphs" in html.text


# -- guards -----------------------------------------------------------------------------------
@pytest.fixture
def trap():
    """A listening socket on loopback that records whether anything connects to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.2)
    hits: list[bytes] = []
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            conn.settimeout(1)
            try:
                hits.append(conn.recv(200))
            except OSError:
                hits.append(b"")
            conn.close()
    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql", hits
    stop.set()
    thread.join(2)
    sock.close()


def _wait_for(hits, seconds=3.0):
    end = time.monotonic() + seconds
    while not hits and time.monotonic() < end:
        time.sleep(0.05)
    return bool(hits)


def test_trap_sees_pyoxigraph_service_without_the_guard(trap):
    """Control: pyoxigraph itself does connect, so the next test would fail without the guard."""
    url, hits = trap
    store = ox.Store()
    threading.Thread(target=lambda: _swallow(lambda: list(store.query(
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"))), daemon=True).start()
    assert _wait_for(hits), "pyoxigraph did not connect: the SSRF tests would prove nothing"


def _swallow(fn):
    try:
        fn()
    except Exception:
        pass


SSRF_QUERIES = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?x ?y ?z . SeRvIcE ?x {{ ?s ?p ?o }} VALUES ?x {{ <{url}> }} }}",
    "PREFIX e: <{url}#>\nSELECT * WHERE {{ SERVICE e:x {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ # comment }}\n SERVICE <{url}> {{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("template", SSRF_QUERIES)
def test_service_is_refused_before_any_connection(events_server, trap, template):
    url, hits = trap
    query = template.format(url=url)
    for r in (requests.get(events_server.url + "/sparql", params={"query": query}),
              requests.post(events_server.url + "/sparql", data=query,
                            headers={"Content-Type": "application/sparql-query"})):
        assert r.status_code == 400, r.text
        assert "SERVICE" in r.text and "refused" in r.text
    assert not _wait_for(hits, 1.0), "the server connected to the trap"


def test_service_allow_list_reenables_named_endpoints(events_store, trap):
    url, hits = trap
    with BackgroundServer(create_app(events_store, service_allow=[url], timeout=3, workers=1)) as s:
        r = get(s, "/sparql", params={"query": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"})
        assert r.status_code != 200  # the trap is no SPARQL server ...
        assert _wait_for(hits)       # ... but the allowed endpoint was asked
        other = get(s, "/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.2:9/> { ?s ?p ?o } }"})
        assert other.status_code == 400 and "allowed:" in other.text


@pytest.fixture
def update_server(events_store, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(events_store, store)
    with BackgroundServer(create_app(store, allow_update=True, update_token="s3cret",
                                     timeout=3, workers=1)) as server:
        yield server


def test_trap_sees_pyoxigraph_load_without_the_guard(trap):
    url, hits = trap
    store = ox.Store()
    threading.Thread(target=lambda: _swallow(lambda: store.update(f"LOAD <{url}>")), daemon=True).start()
    assert _wait_for(hits)


def test_load_is_refused_before_any_connection(update_server, trap):
    url, hits = trap
    for update in (f"LOAD <{url}>", f"load silent <{url}> INTO GRAPH <http://x/g>",
                   f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"):
        r = requests.post(update_server.url + "/update", data={"update": update},
                          headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 400 and ("refused" in r.text or "disabled" in r.text), r.text
    assert not _wait_for(hits, 1.0)


def test_update_needs_switch_token_and_post(events_server, update_server):
    insert = "INSERT DATA { GRAPH <http://x/g> { <http://x/a> <http://x/b> 'c' } }"
    r = requests.post(events_server.url + "/update", data={"update": insert})
    assert r.status_code == 403 and "disabled" in r.text
    assert requests.get(events_server.url + "/update", params={"update": insert}).status_code == 405
    assert get(events_server, "/sparql", params={"update": insert}).status_code == 400
    u = update_server.url
    assert requests.post(u + "/update", data={"update": insert}).status_code == 401
    r = requests.post(u + "/update", data={"update": insert}, headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
    assert requests.get(u + "/update", params={"update": insert},
                        headers={"Authorization": "Bearer s3cret"}).status_code == 405
    ask = {"query": "ASK { <http://x/a> <http://x/b> 'c' }"}
    assert get(update_server, "/sparql", params=ask).json()["boolean"] is False
    r = requests.post(u + "/update", data=insert, headers={"Authorization": "Bearer s3cret",
                                                           "Content-Type": "application/sparql-update"})
    assert r.status_code == 204, r.text
    assert get(update_server, "/sparql", params=ask).json()["boolean"] is True  # workers reopened
    assert "http://x/g" in get(update_server, "/sparql", headers={"Accept": "text/turtle"}).text


def test_create_app_refuses_update_without_token(events_store):
    with pytest.raises(ValueError, match="token"):
        create_app(events_store, allow_update=True)


def test_runaway_query_is_stopped_while_others_are_answered(events_store):
    with BackgroundServer(create_app(events_store, timeout=1.0, workers=2)) as s:
        result = {}

        def runaway():
            start = time.monotonic()
            r = requests.get(s.url + "/sparql", params={"query": RUNAWAY}, timeout=30)
            result.update(status=r.status_code, text=r.text, seconds=time.monotonic() - start)
        thread = threading.Thread(target=runaway)
        pool = s.app.extensions["kg"].pool
        thread.start()
        end = time.monotonic() + 30
        while not pool.busy and time.monotonic() < end:
            time.sleep(0.02)
        quick = get(s, "/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert quick.status_code == 200  # answered by the other worker while the runaway runs
        thread.join(60)
        assert result["status"] in (503, 504), result
        assert "1 s limit" in result["text"]
        time.sleep(1.0)  # the replacement worker has started: the server is whole again
        assert get(s, "/sparql", params={"query": SELECT}).status_code == 200


def test_row_cap_sets_truncation_headers(events_store):
    with BackgroundServer(create_app(events_store, row_limit=5, workers=1)) as s:
        r = get(s, "/sparql", params={"query": SELECT})
        assert r.status_code == 200
        assert r.headers["X-KG-Truncated"] == "true" and r.headers["X-KG-Row-Limit"] == "5"
        assert len(r.json()["results"]["bindings"]) == 5
        r = get(s, "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
        assert r.headers["X-KG-Truncated"] == "true"
        assert len(list(ox.parse(r.content, format=ox.RdfFormat.TURTLE))) == 5
        small = get(s, "/sparql", params={"query": SELECT + " LIMIT 5"})
        assert "X-KG-Truncated" not in small.headers and small.headers["X-KG-Rows"] == "5"
        assert small.headers["Server-Timing"].startswith("query;dur=")  # time spent in the worker


def test_max_query_length_is_413(events_store):
    with BackgroundServer(create_app(events_store, max_query_length=200, workers=1)) as s:
        long_query = SELECT + " #" + "x" * 300
        assert get(s, "/sparql", params={"query": long_query}).status_code == 413
        r = requests.post(s.url + "/sparql", data=long_query, headers={"Content-Type": "application/sparql-query"})
        assert r.status_code == 413 and "at most 200" in r.text
        assert requests.post(s.url + "/sparql", data="x" * 100_000,
                             headers={"Content-Type": "application/sparql-query"}).status_code == 413


def test_failed_evaluation_is_an_error_not_a_partial_answer(events_store):
    """A worker that dies half-way through a query yields a 500, never a 200 that looks whole."""
    with BackgroundServer(create_app(events_store, timeout=20, workers=1)) as s:
        result = {}
        thread = threading.Thread(target=lambda: result.update(
            r=requests.get(s.url + "/sparql", params={"query": RUNAWAY}, timeout=30)))
        thread.start()
        pool = s.app.extensions["kg"].pool
        end = time.monotonic() + 5
        while not pool.busy and time.monotonic() < end:
            time.sleep(0.05)
        time.sleep(0.3)
        next(iter(pool.busy)).process.kill()
        thread.join(10)
        r = result["r"]
        assert r.status_code == 500 and r.headers["Content-Type"].startswith("text/plain")
        assert "worker died" in r.text
        time.sleep(1.0)
        assert get(s, "/sparql", params={"query": SELECT}).status_code == 200


def test_cors_off_by_default_on_with_option(events_server, events_store):
    r = get(events_server, "/sparql", params={"query": SELECT}, headers={"Origin": "http://evil.example"})
    assert "Access-Control-Allow-Origin" not in r.headers
    with BackgroundServer(create_app(events_store, cors=True, workers=1)) as s:
        r = get(s, "/sparql", params={"query": SELECT}, headers={"Origin": "http://a.example"})
        assert r.headers["Access-Control-Allow-Origin"] == "*"
        pre = requests.options(s.url + "/sparql", headers={"Origin": "http://a.example",
                                                           "Access-Control-Request-Method": "POST"})
        assert pre.status_code == 200 and "POST" in pre.headers["Access-Control-Allow-Methods"]


# -- saved queries over HTTP --------------------------------------------------------------------
def test_queries_listing_json_html_and_openapi(events_server):
    listing = get(events_server, "/queries", headers={"Accept": "application/json"}).json()
    names = {q["name"] for q in listing}
    assert {"timeline", "conflicts", "actor"} <= names
    actor = next(q for q in listing if q["name"] == "actor")
    assert actor["params"] == [{"name": "actor", "type": "iri", "required": True, "default": None}]
    html = get(events_server, "/queries", headers={"Accept": "text/html"})
    assert html.headers["Content-Type"].startswith("text/html") and "Conflicting reports" in html.text
    assert get(events_server, "/queries.json").json() == listing
    spec = get(events_server, "/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    op = spec["paths"]["/queries/timeline"]["get"]
    assert {p["name"]: p["schema"] for p in op["parameters"]}["from"] == {"type": "string", "format": "date"}
    assert set(spec["paths"]) == {f"/queries/{n}" for n in names}


def test_saved_query_negotiation_and_errors(events_server):
    r = get(events_server, "/queries/conflicts", headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.text.startswith("event,property,value,article")
    r = get(events_server, "/queries/actor", params={"actor": "not an iri"})
    assert r.status_code == 400 and "parameter 'actor' must be an absolute" in r.text
    r = get(events_server, "/queries/actor")
    assert r.status_code == 400 and "needs parameter 'actor'" in r.text
    assert get(events_server, "/queries/nope").status_code == 404
    html = get(events_server, "/queries/demands_by_actor", headers={"Accept": "text/html"})
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html.text and "<script>alert" not in html.text


# -- linked data ------------------------------------------------------------------------------
@pytest.mark.parametrize("path,accept,ctype,fmt", [
    ("/actor/russia", "text/turtle", "text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
    ("/actor/russia", "application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
    ("/actor/russia", "application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("/actor/russia.ttl", "text/html", "text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
    ("/actor/russia.jsonld", None, "application/ld+json", ox.RdfFormat.JSON_LD),
    ("/actor/russia.nt", None, "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("/place/istanbul", None, "text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
    ("/event/meeting-2025-05-16-russia-ukraine", "application/trig", "application/trig", ox.RdfFormat.TRIG),
    ("/article/a1.nt", None, "application/n-triples", ox.RdfFormat.N_TRIPLES),
])
def test_minted_iris_dereference(events_server, path, accept, ctype, fmt):
    r = get(events_server, path, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == ctype and "Accept" in r.headers["Vary"]
    iri = B + path.lstrip("/").rsplit(".", 1)[0] if "." in path.rsplit("/", 1)[1] else B + path.lstrip("/")
    parsed = list(ox.parse(r.content, format=fmt))
    assert any(q.subject == ox.NamedNode(iri) for q in parsed)
    if path.startswith("/article"):  # an article brings its text spans (the #char= fragments)
        assert any(q.subject.value.startswith(iri + "#char=") for q in parsed)


def test_every_minted_iri_dereferences(events_server):
    subjects = get(events_server, "/sparql", params={"query": "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"}).json()
    iris = {b["s"]["value"].split("#")[0] for b in subjects["results"]["bindings"]}
    assert len(iris) > 20
    for iri in iris:
        assert iri.startswith(B)
        r = get(events_server, "/" + iri[len(B):], headers={"Accept": "text/turtle"})
        assert r.status_code == 200, iri


def test_resource_html_escapes_article_text_and_json_beside_it(events_server):
    for path in ("/article/a3", "/event/demand-2025-05-21-united-nations-access"):
        r = get(events_server, path, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
        assert "<script>alert(1)</script>" not in r.text
        assert "<img src=x onerror" not in r.text
        assert "&lt;script&gt;" in r.text or "&#60;script&#62;" in r.text
    data = get(events_server, "/article/a3.json").json()
    assert data["iri"] == B + "article/a3" and data["view"] == "article"
    assert "<script>alert(1)</script>" in data["meta"]["text"]  # data kept intact


def test_unknown_iri_is_404_and_bad_accept_406(events_server):
    assert get(events_server, "/actor/nobody").status_code == 404
    assert get(events_server, "/actor/russia", headers={"Accept": "image/png"}).status_code == 406


def test_configurable_base_routes_by_stripping_it(tmp_path, kg_store_builder):
    base = "https://kg.example.org/data/"
    store = kg_store_builder(tmp_path / "s", base=base)
    with BackgroundServer(create_app(store, workers=1)) as s:
        r = get(s, "/actor/russia.nt")
        assert r.status_code == 200 and f"<{base}actor/russia>" in r.text
        listing = get(s, "/sparql", params={"query": f"ASK {{ <{base}actor/russia> ?p ?o }}"}).json()
        assert listing["boolean"] is True
    with BackgroundServer(create_app(store, base="http://localhost:5000/", workers=1)) as s:
        assert get(s, "/actor/russia").status_code == 404  # that base mints other IRIs


def test_exports_and_ontology(events_server):
    ttl = get(events_server, "/export.ttl")
    assert ttl.status_code == 200 and ttl.text.startswith("@prefix")
    triples = list(ox.parse(ttl.content, format=ox.RdfFormat.TURTLE))
    assert len(set(triples)) == len(triples) > 300
    # one block per subject: each subject starts exactly one statement
    body = [line for line in ttl.text.splitlines() if line and not line.startswith(("@prefix", "\t", " "))]
    assert len(body) == len({t.subject for t in triples})
    trig = get(events_server, "/export.trig")
    quads = list(ox.parse(trig.content, format=ox.RdfFormat.TRIG))
    assert len(quads) == 363 and {q.graph_name.value for q in quads} >= {B + "graph/a1", B + "graph/resolution"}
    onto = get(events_server, "/ontology")
    assert onto.status_code == 200 and onto.headers["Content-Type"].startswith("text/turtle")
    assert list(ox.parse(onto.content, format=ox.RdfFormat.TURTLE))


# -- linked data that reads well (issue 10) ----------------------------------------------------
def test_turtle_uses_a_prefix_per_kind_of_resource(events_server):
    for path in ("/export.ttl", "/actor/russia.ttl"):
        text = get(events_server, path).text
        assert f"@prefix actor: <{B}actor/> ." in text, path
        assert "actor:russia" in text and ":actor\\/" not in text, path
    assert f"@prefix event: <{B}event/> ." in get(events_server, "/export.ttl").text


def test_served_address_other_than_the_base_is_said_and_accepted(events_server):
    """The fixture store's base is http://localhost:5000/; the test server answers elsewhere."""
    sd = get(events_server, "/sparql", headers={"Accept": "text/turtle"}).text
    assert f"The graph's IRIs start with {B}" in sd
    served = f"{events_server.url}/actor/russia"
    by_base = get(events_server, "/queries/actor", params={"actor": f"{B}actor/russia"})
    by_served = get(events_server, "/queries/actor", params={"actor": served})
    assert by_base.status_code == by_served.status_code == 200
    rows = by_base.json()["results"]["bindings"]
    assert rows and len(rows) == len(by_served.json()["results"]["bindings"])


def test_pages_answer_while_client_queries_hold_the_open_workers(events_store):
    """The pages' own queries run in the one query service on its lookup lane: two runaway
    /sparql queries hold both open-lane workers, and /browse.json and an actor page still answer
    from the worker kept back (before, the pages waited until the runaways hit the time limit)."""
    with BackgroundServer(create_app(events_store, timeout=60, workers=3)) as s:
        pool = s.app.extensions["kg"].pool
        assert pool.size - pool.reserve == 2
        threads = [threading.Thread(target=lambda: requests.get(
            s.url + "/sparql", params={"query": RUNAWAY}, timeout=90)) for _ in range(2)]
        for thread in threads:
            thread.start()
        end = time.monotonic() + 30
        while len(pool.busy) < 2 and time.monotonic() < end:
            time.sleep(0.02)
        assert len(pool.busy) == 2
        browse = get(s, "/browse.json")
        assert browse.status_code == 200, browse.text
        assert browse.json()["lists"]
        timeline = get(s, "/timeline.json")
        assert timeline.status_code == 200 and timeline.json()["rows"], timeline.text
        assert all(thread.is_alive() for thread in threads)  # answered while they still ran
        for worker in list(pool.busy):
            worker.process.kill()
        for thread in threads:
            thread.join(60)


# -- the project's prefixes, predeclared on the parsed text ----------------------------------
def _ask(server, query: str) -> bool:
    r = get(server, "/sparql", params={"query": query}, headers={"Accept": "application/json"})
    assert r.status_code == 200, r.text
    return r.json()["boolean"]


def test_endpoint_predeclares_the_project_prefixes_without_changing_declared_ones(events_server):
    assert _ask(events_server, "ASK { ?s rdfs:label ?l }") is True  # before: 400, no prefix
    r = get(events_server, "/sparql", params={"query": "SELECT ?s WHERE { ?s rdf:type ?t } LIMIT 1"})
    assert r.status_code == 200 and r.json()["results"]["bindings"]
    # a prefix the query declares keeps its own namespace; BASE keeps resolving relative IRIs
    assert _ask(events_server, "PREFIX rdfs: <http://example.org/not-rdfs#> ASK { ?s rdfs:label ?l }") is False
    assert _ask(events_server, "BASE <http://www.w3.org/2000/01/> ASK { ?s <rdf-schema#label> ?l . "
                               "?s rdfs:label ?l }") is True
    # a comment or string that names a prefix is no use of it: nothing declared, nothing broken
    assert _ask(events_server, '# kg:x\nASK { FILTER("kg:y" = "kg:y") }') is True
    r = get(events_server, "/sparql", params={"query": "SELECT * WHERE { ?s nope:x ?o }"})
    assert r.status_code == 400  # a prefix that is not the project's stays an error
    r = get(events_server, "/sparql", params={"query": "SELECT * WHERE { SERVICE kg:x { ?s ?p ?o } }"})
    assert r.status_code == 400 and "refused" in r.text
    described = get(events_server, "/sparql", headers={"Accept": "text/turtle"}).text
    assert "without declaring them" in described and "kg:, rdf:, rdfs:" in described


def test_update_predeclares_the_project_prefixes(update_server):
    auth = {"Authorization": "Bearer s3cret"}
    r = requests.post(update_server.url + "/update", headers=auth, timeout=30, data={
        "update": 'INSERT DATA { GRAPH <http://x/g2> { <http://x/a> rdfs:label "predeclared" } }'})
    assert r.status_code == 204, r.text  # before: 400, prefix rdfs not declared
    assert _ask(update_server, 'ASK { GRAPH <http://x/g2> { <http://x/a> rdfs:label "predeclared" } }')
    r = requests.post(update_server.url + "/update", headers=auth, timeout=30, data={
        "update": 'PREFIX rdfs: <http://other/> INSERT DATA { GRAPH <http://x/g3> { <http://x/a> rdfs:label "own" } }'})
    assert r.status_code == 204, r.text
    assert _ask(update_server, 'ASK { GRAPH <http://x/g3> { <http://x/a> <http://other/label> "own" } }')


# -- JSON twins of the resource pages: the page's data, the linked data by its own type ----------
EVENT = "/event/demand-2025-05-21-united-nations-access"


def test_resource_json_twins_carry_the_page_data_not_the_statements(events_server):
    """/event/x.json (or Accept: application/json) is what the event page shows, from the page's
    own data function; the statements stay at .jsonld / application/ld+json."""
    page = get(events_server, EVENT, headers={"Accept": "text/html"}).text
    twin = get(events_server, EVENT + ".json")
    assert twin.status_code == 200 and twin.headers["Content-Type"] == "application/json"
    data = twin.json()
    assert data["view"] == "event" and data["iri"] == B + EVENT[1:] and "rows" not in data
    assert data["meta"]["label"] in page and data["roles"] and data["evidence"]
    for fact in data["roles"] + data["facts"]:
        for value in fact["values"].values():
            assert value["sources"] and str(escape(value["text"])) in page  # with its articles
    assert get(events_server, EVENT, headers={"Accept": "application/json"}).json() == data
    actor = get(events_server, "/actor/russia.json").json()
    assert actor["view"] == "entity" and actor["label"] and actor["events"]
    article = get(events_server, "/article/a3.json").json()
    assert article["sentences"] and {"begin", "end", "claims"} <= set(article["sentences"][0])
    for linked in (get(events_server, EVENT + ".jsonld"),
                   get(events_server, EVENT, headers={"Accept": "application/ld+json"})):
        assert linked.status_code == 200 and linked.headers["Content-Type"].startswith("application/ld+json")
        quads = list(ox.parse(linked.content, format=ox.RdfFormat.JSON_LD))
        assert quads and all(q.subject == ox.NamedNode(B + EVENT[1:]) for q in quads)
