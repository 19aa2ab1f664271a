"""Server-side request forgery, against a real canary on loopback (issue 10, defect 1).

Two walls, each tested on its own: the guard decides on rdflib's syntax tree of the query (not
on its text), and the query workers run in an empty network namespace, so that a query which
slipped past the guard still could not connect."""
from __future__ import annotations

import json
import socket
import threading
import time

import pyoxigraph as ox
import pytest
import requests
from click.testing import CliRunner

from kg.cli import main
from kg.query import guards
from kg.query.sandbox import close_network
from kg.saved_queries import load_queries
from kg.web.worker import Job, WorkerPool

SECRET = "canary-secret-7f3a"
TOKEN = "s3cret"


class Canary:
    """A loopback HTTP server that records every connection and answers like a SPARQL endpoint
    whose one row carries SECRET, so a leak would show in the results too."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/x"
        self.hits: list[bytes] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        body = json.dumps({"head": {"vars": ["secret", "y", "z"]}, "results": {"bindings": [
            {v: {"type": "literal", "value": SECRET} for v in ("secret", "y", "z")}]}}).encode()
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            conn.settimeout(2)
            try:
                self.hits.append(conn.recv(4096))
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                             b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close"
                             b"\r\n\r\n" + body)
            except OSError:
                pass
            conn.close()

    def wait(self, seconds: float) -> bool:
        """Whether anything connected within `seconds` (a bound, not a timing assertion)."""
        end = time.monotonic() + seconds
        while not self.hits and time.monotonic() < end:
            time.sleep(0.05)
        return bool(self.hits)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(2)
        self.sock.close()


@pytest.fixture
def canary():
    c = Canary()
    yield c
    c.close()


# the tricks of the issue, and a few more places a SERVICE can hide in the grammar
QUERY_TRICKS = [
    r"PREFIX ex: <http://e/> SELECT ?secret WHERE {{ OPTIONAL {{ ?s ex:a\# ?o }} "
    r"SERVICE <{url}> {{ ?secret ?y ?z }} }}",
    r"PREFIX ex: <http://e/> SELECT ?secret WHERE {{ OPTIONAL {{ ?s ex:a\' ?o }} "
    r"SERVICE <{url}> {{ ?secret ?y ?z }} }}",
    "SELECT ?secret WHERE {{ {{ SELECT ?secret WHERE {{ SERVICE SILENT <{url}> {{ ?secret ?y ?z }} }} }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?y ?z }} }} }}",
    "SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE <{url}> {{ ?s ?y ?z }} }} }}",
    "SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?secret ?y ?z }} }}",
    "BASE <{url}> SELECT * WHERE {{ SERVICE <> {{ ?secret ?y ?z }} }}",
    "SELECT * WHERE {{ BIND('\\u0027 AS ?x) SERVICE <{url}> {{ ?secret ?y ?z }} #') }}",
    "SELECT * WHERE {{ SERV\\u0049CE <{url}> {{ ?secret ?y ?z }} }}",
]
UPDATE_TRICKS = [
    r"PREFIX ex: <http://e/> INSERT {{ ?secret ex:a\# ?y }} WHERE {{ SERVICE <{url}> {{ ?secret ?y ?z }} }}",
    r"PREFIX ex: <http://e/> INSERT {{ ?s ex:a\' ?o }} WHERE {{ OPTIONAL {{ ?s ex:a\' ?o }} "
    r"SERVICE <{url}> {{ ?s ?y ?o }} }}",
    r"PREFIX ex: <http://e/> INSERT DATA {{ <http://x/a> ex:a\# 'c' }} ; LOAD <{url}>",
    r"PREFIX ex: <http://e/> DELETE {{ ?s ex:a\' ?o }} WHERE {{ ?s ex:a\' ?o }} ; LOAD SILENT <{url}> INTO GRAPH <http://x/g>",
    "WITH <http://x/g> DELETE {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
]


def _run_unguarded(run) -> None:
    threading.Thread(target=lambda: _swallow(run), daemon=True).start()


def _swallow(run) -> None:
    try:
        run()
    except Exception:
        pass


@pytest.mark.parametrize("template", QUERY_TRICKS[:2])
def test_control_pyoxigraph_itself_connects_for_the_escape_tricks(canary, template):
    """Without the walls these queries do reach the canary and bring its data back; the tests
    below would prove nothing otherwise."""
    rows = []
    _run_unguarded(lambda: rows.extend(ox.Store().query(template.format(url=canary.url))))
    assert canary.wait(10)
    end = time.monotonic() + 10
    while not rows and time.monotonic() < end:
        time.sleep(0.05)
    assert rows and rows[0]["secret"].value == SECRET


@pytest.mark.parametrize("template", QUERY_TRICKS)
def test_query_tricks_are_refused_on_the_endpoint(events_server, canary, template):
    query = template.format(url=canary.url)
    for response in (
            requests.get(events_server.url + "/sparql", params={"query": query}, timeout=30),
            requests.post(events_server.url + "/sparql", data={"query": query}, timeout=30),
            requests.post(events_server.url + "/sparql", data=query.encode(), timeout=30,
                          headers={"Content-Type": "application/sparql-query"})):
        assert response.status_code == 400, response.text
        assert "refused" in response.text and SECRET not in response.text
    assert not canary.wait(1.0), "the endpoint connected to the canary"



@pytest.mark.parametrize("template", UPDATE_TRICKS)
def test_update_tricks_are_refused_with_a_valid_token(update_server, canary, template):
    update = template.format(url=canary.url)
    for response in (
            requests.post(update_server.url + "/update", data={"update": update}, timeout=30,
                          headers={"Authorization": f"Bearer {TOKEN}"}),
            requests.post(update_server.url + "/update", data=update.encode(), timeout=30,
                          headers={"Authorization": f"Bearer {TOKEN}",
                                   "Content-Type": "application/sparql-update"})):
        assert response.status_code == 400, response.text
        assert "refused" in response.text
    assert not canary.wait(1.0), "the endpoint connected to the canary"
    ask = requests.get(update_server.url + "/sparql", timeout=30, params={
        "query": f"ASK {{ GRAPH ?g {{ ?s ?p '{SECRET}' }} }}"}).json()
    assert ask["boolean"] is False


def test_a_plain_update_still_runs(update_server):
    update = "PREFIX ex: <http://e/> INSERT DATA { GRAPH <http://x/g> { <http://x/a> ex:a\\# 'c' } }"
    r = requests.post(update_server.url + "/update", data={"update": update}, timeout=30,
                      headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 204, r.text


# -- the second wall ----------------------------------------------------------------------------
def test_worker_cannot_connect_even_when_the_guard_is_bypassed(events_store, canary):
    """Jobs sent to the pool directly (no guard at all): the workers' network is closed, so the
    canary sees nothing and the query fails instead of leaking."""
    pool = WorkerPool(str(events_store / "oxigraph"), 1)
    try:
        assert pool.sandbox and all(s.startswith("closed") for s in pool.sandbox), pool.sandbox
        for template in QUERY_TRICKS[:2]:
            answer = pool.run(Job("query", template.format(url=canary.url)), 30)
            assert answer.status >= 400 and SECRET.encode() not in answer.body, answer
        assert not canary.wait(1.0)
        ok = pool.run(Job("query", "ASK { ?s ?p ?o }"), 30)  # the pipe to the server still works
        assert ok.status == 200 and json.loads(ok.body)["boolean"] is True
    finally:
        pool.close()


def test_control_a_worker_with_network_does_connect(events_store, canary):
    """Control for the test above: the same job in a worker allowed a network reaches the
    canary (as with --service-allow), so the closed namespace is what stopped it."""
    pool = WorkerPool(str(events_store / "oxigraph"), 1, network=True)
    try:
        answer = pool.run(Job("query", QUERY_TRICKS[0].format(url=canary.url)), 30)
        assert canary.wait(10)
        assert answer.status == 200 and SECRET.encode() in answer.body
    finally:
        pool.close()


def test_close_network_in_a_child_process(tmp_path):
    """The wall itself, in a fresh process: loopback connects before, not after."""
    import subprocess
    import sys
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    code = ("import socket, sys\n"
            "from kg.query.sandbox import close_network\n"
            f"socket.create_connection(('127.0.0.1', {port}), 5).close()\n"
            "state = close_network()\n"
            "try:\n"
            f"    socket.create_connection(('127.0.0.1', {port}), 5)\n"
            "    print('connected', state)\n"
            "except OSError as exc:\n"
            "    print('blocked', state, exc)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    listener.close()
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("blocked closed:"), out.stdout
    assert callable(close_network)


# -- the guard on parsed queries ----------------------------------------------------------------
def test_every_saved_query_parses_and_has_no_remote_operation():
    for query in load_queries().values():
        assert guards.remote_operations(query.text) == (), query.name


def test_unparseable_text_is_refused_not_passed_through():
    for text in ("SELECT WHERE {", "SELECT * WHERE { ?s ?p ?o } }", "SELECT * WHERE { BIND('\\u0022' AS ?x) }"):
        with pytest.raises(guards.Refusal) as info:
            guards.check_remote(text)
        assert info.value.status == 400 and ("refused" in info.value.reason)


def test_allow_list_compares_resolved_absolute_iris():
    allowed = ("http://sparql.example/q",)
    guards.check_remote("SELECT * WHERE { SERVICE <http://sparql.example/q> { ?s ?p ?o } }",
                        service_allow=allowed)
    guards.check_remote("PREFIX s: <http://sparql.example/>\nSELECT * { SERVICE s:q { ?s ?p ?o } }",
                        service_allow=allowed)
    for text in ("BASE <http://sparql.example/> SELECT * { SERVICE <q/../x> { ?s ?p ?o } }",
                 "SELECT * { VALUES ?e { <http://sparql.example/q> } SERVICE ?e { ?s ?p ?o } }",
                 "SELECT * { SERVICE <http://sparql.example/q?x> { ?s ?p ?o } }"):
        with pytest.raises(guards.Refusal, match="refused"):
            guards.check_remote(text, service_allow=allowed)
    with pytest.raises(guards.Refusal, match="refused"):  # never inside an update
        guards.check_remote("INSERT { ?s ?p ?o } WHERE { SERVICE <http://sparql.example/q> "
                            "{ ?s ?p ?o } }", kind="update", service_allow=allowed)


# -- kg query ------------------------------------------------------------------------------------
def test_kg_query_refuses_service_unless_allowed(events_store, canary):
    query = QUERY_TRICKS[0].format(url=canary.url)
    refused = CliRunner().invoke(main, ["query", query, "--store", str(events_store)])
    assert refused.exit_code != 0 and "refused" in refused.output and SECRET not in refused.output
    assert not canary.wait(1.0)
    allowed = CliRunner().invoke(main, ["query", query, "--store", str(events_store),
                                        "--format", "json", "--allow-service"])
    assert allowed.exit_code == 0, allowed.output
    assert canary.wait(10) and SECRET in allowed.output
