"""The fast lane (kg.query.fastlane): point lookups answered in the server process, decided on
the parsed query, rewritten from its terms, with the same answers, caps and freshness as the
workers give."""
from __future__ import annotations

import threading
import time

import pyoxigraph as ox
import pytest
import requests

from kg.query import fastlane
from kg.query.guards import analyse
from kg.web.app import create_app
from kg.web.server import BackgroundServer

B = "http://localhost:5000/"
EVENT = f"{B}event/meeting-2025-05-16-russia-ukraine"
LOOKUP = f"SELECT ?p ?o WHERE {{ <{EVENT}> ?p ?o }}"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.mark.parametrize("text, rewritten", [
    (LOOKUP, f"SELECT ?p ?o WHERE {{ <{EVENT}> ?p ?o }} LIMIT 11"),
    ("PREFIX e: <http://e/> SELECT * { e:a\\#b e:p ?o . } LIMIT 3",
     "SELECT * WHERE { <http://e/a#b> <http://e/p> ?o } LIMIT 3"),
    ("SELECT ?t { <http://x/a> a ?t }",
     "SELECT ?t WHERE { <http://x/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?t } LIMIT 11"),
    ("SELECT * WHERE { <http://x/a> ?p <http://x/b> } LIMIT 50",
     "SELECT * WHERE { <http://x/a> ?p <http://x/b> } LIMIT 11"),
])
def test_lookups_are_recognised_on_the_parsed_query_and_rewritten(text, rewritten):
    assert analyse(text).lookup.text(11) == rewritten


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { <a> ?p ?o }",                                  # relative IRI
    "BASE <http://b/> SELECT * WHERE { <a> ?p ?o }",                 # BASE
    "SELECT * WHERE { ?s ?p ?o }",                                   # no constant subject
    "SELECT * WHERE { <http://x/a> ?p \"x\" }",                      # literal object
    "SELECT * WHERE { <http://x/a> <http://p>* ?o }",                # path
    "SELECT * WHERE { <http://x/a> ^<http://p> ?o }",
    "SELECT * WHERE { <http://x/a> <http://p>/<http://q> ?o }",
    "SELECT * WHERE { <http://x/a> ?p ?o FILTER(?o) }",
    "SELECT * WHERE { <http://x/a> ?p ?o, ?o2 }",                    # two patterns
    "SELECT * WHERE { <http://x/a> ?p ?o OPTIONAL { ?o ?q ?r } }",
    "SELECT * WHERE { GRAPH ?g { <http://x/a> ?p ?o } }",
    "SELECT * WHERE { { <http://x/a> ?p ?o } }",
    "SELECT DISTINCT ?p WHERE { <http://x/a> ?p ?o }",
    "SELECT ?p WHERE { <http://x/a> ?p ?o } OFFSET 100000",           # OFFSET: not bounded
    "SELECT ?p WHERE { <http://x/a> ?p ?o } ORDER BY ?p",
    "SELECT (1 AS ?x) WHERE { <http://x/a> ?p ?o }",
    "SELECT * FROM <http://g/> WHERE { <http://x/a> ?p ?o }",
    "SELECT * WHERE { <http://x/a> ?p ?o } VALUES ?p { <http://p/> }",
    "ASK { <http://x/a> ?p ?o }",
    "CONSTRUCT WHERE { <http://x/a> ?p ?o }",
    "SELECT * WHERE { undeclared:a ?p ?o }",
])
def test_anything_else_is_not_a_lookup(text):
    assert analyse(text).lookup is None


def _rows(response: requests.Response) -> list[tuple]:
    solutions = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
    return sorted((str(s["p"]), str(s["o"])) for s in solutions)


def test_a_lookup_answers_what_a_worker_answers_in_every_format(events_server):
    url = events_server.url + "/sparql"
    fast = requests.get(url, params={"query": LOOKUP}, timeout=30)
    # the same pattern with a FILTER that keeps every row is no lookup: a worker runs it
    slow = requests.get(url, params={"query": LOOKUP.replace("?o }", "?o FILTER(true) }")}, timeout=30)
    assert analyse(LOOKUP.replace("?o }", "?o FILTER(true) }")).lookup is None
    assert fast.status_code == slow.status_code == 200
    assert _rows(fast) == _rows(slow) and len(_rows(fast)) > 10
    assert fast.headers["X-KG-Rows"] == slow.headers["X-KG-Rows"] == str(len(_rows(fast)))
    for accept, ctype in (("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values"),
                          ("application/sparql-results+xml", "application/sparql-results+xml")):
        r = requests.get(url, params={"query": LOOKUP}, headers={"Accept": accept}, timeout=30)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(ctype)
        assert len(r.text.strip().splitlines()) > 10 or "<result>" in r.text


def test_lookups_are_answered_while_client_queries_hold_every_worker(events_store):
    with BackgroundServer(create_app(events_store, timeout=5.0, workers=3)) as s:
        pool = s.app.extensions["kg"].pool
        runaways = [threading.Thread(target=requests.get, args=(s.url + "/sparql",),
                                     kwargs={"params": {"query": RUNAWAY}, "timeout": 30})
                    for _ in range(pool.size - pool.reserve)]
        for thread in runaways:
            thread.start()
        end = time.monotonic() + 20
        while len(pool.busy) < len(runaways) and time.monotonic() < end:
            time.sleep(0.02)
        assert len(pool.busy) == len(runaways)
        r = requests.get(s.url + "/sparql", params={"query": LOOKUP}, timeout=30)
        assert r.status_code == 200 and len(_rows(r)) > 10
        assert len(pool.busy) == len(runaways)  # still running: no worker answered the lookup
        for thread in runaways:
            thread.join(30)


def worker_runs(ep, monkeypatch) -> list[str]:
    """The texts of the jobs the server's query workers are given from now on."""
    ran: list[str] = []
    real = ep.pool.run
    monkeypatch.setattr(ep.pool, "run", lambda job, timeout: ran.append(job.text) or real(job, timeout))
    return ran


def test_the_row_cap_holds_and_a_long_lookup_goes_to_a_worker(events_store, monkeypatch):
    with BackgroundServer(create_app(events_store, row_limit=3, workers=1)) as s:
        r = requests.get(s.url + "/sparql", params={"query": LOOKUP}, timeout=30)
        assert r.headers["X-KG-Truncated"] == "true" and len(_rows(r)) == 3
        r = requests.get(s.url + "/sparql", params={"query": LOOKUP + " LIMIT 2"}, timeout=30)
        assert "X-KG-Truncated" not in r.headers and len(_rows(r)) == 2
    monkeypatch.setattr(fastlane, "FAST_ROWS", 2)  # more rows than the fast lane keeps
    with BackgroundServer(create_app(events_store, workers=1)) as s:
        ep = s.app.extensions["kg"]
        ran = worker_runs(ep, monkeypatch)
        r = requests.get(s.url + "/sparql", params={"query": LOOKUP}, timeout=30)
        assert r.status_code == 200 and "X-KG-Truncated" not in r.headers and len(_rows(r)) > 10
        assert ran == [LOOKUP]  # the client's query, whole, in a worker
        ran.clear()
        r = requests.get(s.url + "/sparql", params={"query": LOOKUP + " LIMIT 2"}, timeout=30)
        assert len(_rows(r)) == 2 and ran == []  # two rows: answered in the server process


def test_a_lookup_sees_a_committed_update(update_server):
    """The server's own handle is reopened when the generation moves, like the workers'."""
    query = "SELECT ?o WHERE { <http://example.org/new> <http://example.org/p> ?o }"
    assert analyse(query).lookup is not None
    lane = update_server.app.extensions["kg"].local
    before = requests.get(update_server.url + "/sparql", params={"query": query}, timeout=30)
    assert before.json()["results"]["bindings"] == [] and query in lane.known
    r = requests.post(update_server.url + "/update",
                      data={"update": 'INSERT DATA { GRAPH <http://example.org/g> { '
                                      '<http://example.org/new> <http://example.org/p> "v" } }'},
                      headers={"Authorization": "Bearer s3cret"}, timeout=30)
    assert r.status_code == 204
    assert not lane.ready()  # the old state is never served again on the loop thread
    after = requests.get(update_server.url + "/sparql", params={"query": query}, timeout=30)
    assert [b["o"]["value"] for b in after.json()["results"]["bindings"]] == ["v"]
    assert lane.ready() and query in lane.known  # known again, counted on the new state


def test_lookups_are_served_on_the_loop_thread_while_every_http_thread_is_busy(events_store):
    """One HTTP thread, held by a runaway query: a lookup is still answered (kg.web.server
    serves fast-lane lookups on waitress' loop thread), and so the runaway is still running."""
    with BackgroundServer(create_app(events_store, timeout=5.0, workers=3), threads=1) as s:
        pool = s.app.extensions["kg"].pool
        requests.get(s.url + "/sparql", params={"query": LOOKUP}, timeout=30)  # opens the handle
        runaway = threading.Thread(target=requests.get, args=(s.url + "/sparql",),
                                   kwargs={"params": {"query": RUNAWAY}, "timeout": 30})
        runaway.start()
        end = time.monotonic() + 20
        while not pool.busy and time.monotonic() < end:
            time.sleep(0.02)
        r = requests.get(s.url + "/sparql", params={"query": LOOKUP}, timeout=30)
        assert r.status_code == 200 and len(_rows(r)) > 10
        assert pool.busy  # the only HTTP thread is still waiting for the runaway
        runaway.join(30)


def _read_responses(conn, count: int) -> list[bytes]:
    """`count` HTTP/1.1 responses read off a socket, by their Content-Length: their bodies."""
    data, bodies = b"", []
    while len(bodies) < count:
        head, sep, rest = data.partition(b"\r\n\r\n")
        length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), None) if sep else None
        if length is not None and len(rest) >= length:
            bodies.append(rest[:length])
            data = rest[length:]
            continue
        chunk = conn.recv(65536)
        assert chunk, "the server closed the connection"
        data += chunk
    return bodies


def test_pipelined_requests_are_answered_in_order(events_server):
    """Lookups served on the loop thread and queries served by threads keep HTTP/1.1's order."""
    import socket
    from urllib.parse import urlencode
    other = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    paths = [f"/sparql?{urlencode({'query': q})}" for q in (LOOKUP, other, LOOKUP, LOOKUP)]
    raw = "".join(f"GET {p} HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\n\r\n" for p in paths)
    with socket.create_connection(("127.0.0.1", events_server.port), timeout=30) as conn:
        conn.sendall(raw.encode())
        bodies = _read_responses(conn, 4)
    assert [b.split(b"\r\n", 1)[0] for b in bodies] == [b"p,o", b"n", b"p,o", b"p,o"]


SAVED_LIKE = f"SELECT ?p (COUNT(?o) AS ?n) WHERE {{ <{EVENT}> ?p ?o }} GROUP BY ?p ORDER BY ?p"


def test_a_query_a_worker_answered_fast_runs_in_the_server_process_next_time(events_store, monkeypatch):
    """Not a lookup, but answered by a worker within KNOWN_FAST_SECONDS: the same job on the same
    state does the same work, so it skips the worker hop from then on, with the same answer
    (the answer cache, which would answer the repeat before any lane, is off)."""
    with BackgroundServer(create_app(events_store, workers=1, answer_cache_mb=0)) as s:
        ep = s.app.extensions["kg"]
        ran = worker_runs(ep, monkeypatch)
        first = requests.get(s.url + "/sparql", params={"query": SAVED_LIKE}, timeout=30)
        assert first.status_code == 200 and ran == [SAVED_LIKE]
        second = requests.get(s.url + "/sparql", params={"query": SAVED_LIKE}, timeout=30)
        assert ran == [SAVED_LIKE]  # not sent to a worker again
        assert second.json() == first.json() and len(first.json()["results"]["bindings"]) > 3
        other = requests.get(s.url + "/sparql", params={"query": SAVED_LIKE},
                             headers={"Accept": "text/csv"}, timeout=30)
        assert other.status_code == 200 and ran == [SAVED_LIKE, SAVED_LIKE]  # another job: a worker first


def test_a_slow_query_and_one_that_reaches_out_always_go_to_a_worker(events_store, monkeypatch):
    monkeypatch.setattr(fastlane, "KNOWN_FAST_SECONDS", -1.0)  # nothing is fast enough
    with BackgroundServer(create_app(events_store, workers=1, answer_cache_mb=0)) as s:
        ep = s.app.extensions["kg"]
        ran = worker_runs(ep, monkeypatch)
        for _ in range(2):
            assert requests.get(s.url + "/sparql", params={"query": SAVED_LIKE}, timeout=30).status_code == 200
        assert ran == [SAVED_LIKE, SAVED_LIKE]
    assert ep.local is None or not ep.local.known_fast._texts
    from kg.query.service import QueryService
    from kg.web.worker import Job
    service_query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }"
    assert QueryService._repeat_key(Job("query", service_query)) is None
    assert QueryService._repeat_key(Job("query", SAVED_LIKE)) is not None


# -- the lookup grammar, read without rdflib (fastlane.recognise) -------------------------------
LOOKUP_FORMS = [
    LOOKUP,
    "SELECT * { <http://x/a> ?p ?o }",
    "select ?o where { <http://x/a> a ?o . } limit 5",
    "SELECT $p $o WHERE{<http://x/a>?p?o}",
    "SELECT ?p ?o WHERE {\n  <http://x/a> ?p ?o\n}\nLIMIT 100",
    "SELECT ?p WHERE { <urn:isbn:1> ?p <http://x/b> }",
    "SELECT ?x WHERE { <http://x/a> <http://x/p> ?o }",  # a projected variable the pattern lacks
]


@pytest.mark.parametrize("text", LOOKUP_FORMS)
def test_the_lookup_grammar_reads_what_rdflib_reads(text):
    from kg.query.guards import parsed_analysis
    assert fastlane.recognise(text) is not None
    assert fastlane.recognise(text) == parsed_analysis(text).lookup == analyse(text).lookup


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { <http://x/a> ?p ?o } # comment",
    "SELECT * WHERE { <http://x/a> ?p ?o SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { <http://x/\\u0061> ?p ?o }",
    "PREFIX e: <http://e/> SELECT * WHERE { e:a ?p ?o }",
    "SELECT * WHERE { <a> ?p ?o }",
    "SELECT * WHERE { <http://x/a> ?p \"x\" }",
    "SELECT * WHERE { <http://x/a> ?p ?o } LIMIT5",
    "SELECT * WHERE { <http://x/a> ?p ?o } LIMIT",
    "SELECT * WHERE { <http://x/a> A ?o }",
    "SELECT WHERE { <http://x/a> ?p ?o }",
    "SELECT * WHERE { <http://x/a> ?p ?o } OFFSET 3",
    "SELECT * WHERE { <http://x/a> ?p ?o . ?o ?q ?r }",
    "SELECT * WHERE { <http://x/a>\u00a0?p ?o }",
    "SELECT DISTINCT * WHERE { <http://x/a> ?p ?o }",
])
def test_anything_else_goes_to_rdflib(text):
    assert fastlane.recognise(text) is None


def test_random_texts_the_lookup_grammar_accepts_parse_the_same_in_rdflib():
    """Texts drawn from the lookup grammar's tokens and their near misses: whatever the small
    parser accepts, rdflib parses to the same lookup (it may refuse more, never accept less)."""
    import random

    from kg.query.guards import Refusal, parsed_analysis
    rng = random.Random(5)
    pieces = ["SELECT", "select", "WHERE", "LIMIT", "a", "A", "*", "{", "}", ".", "?p", "$o", "?o",
              "<http://x/a>", "<urn:x>", "<rel>", "7", "0", "FILTER", ";", "\"s\"", "#", ""]
    accepted = 0
    for _ in range(3000):
        base = ["SELECT", "?p", "?o", "WHERE", "{", "<http://x/a>", "?p", "?o", "}", "LIMIT", "7"]
        for _ in range(rng.randint(0, 3)):
            at = rng.randrange(len(base) + 1)
            choice = rng.random()
            if choice < 0.4 and base:
                del base[min(at, len(base) - 1)]
            elif choice < 0.7:
                base.insert(at, rng.choice(pieces))
            elif base:
                base[min(at, len(base) - 1)] = rng.choice(pieces)
        text = rng.choice([" ", "\n", "  "]).join(base)
        lookup = fastlane.recognise(text)
        if lookup is None:
            continue
        accepted += 1
        try:
            expected = parsed_analysis(text).lookup
        except Refusal:
            pytest.fail(f"accepted a text rdflib refuses: {text!r}")
        assert lookup == expected, text
    assert accepted > 300
