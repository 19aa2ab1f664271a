"""`--store http://HOST:PORT/`: the graph in a real SPARQL 1.1 server (`oxigraph serve` from PyPI
`oxigraph`, started here on loopback) through SPARQL Update and the Graph Store Protocol, with the
same results as the embedded store."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.facts import facts
from kg.remote_store import ServerStore
from kg.store import KGStore

from conftest import SEEDS

OXIGRAPH = shutil.which("oxigraph")
pytestmark = pytest.mark.skipif(OXIGRAPH is None, reason="`oxigraph` (PyPI oxigraph, test extras) is not installed")


def kg(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path, monkeypatch):
    """A real `oxigraph serve` on a free loopback port, with its own data folder; the local
    extraction cache of the server store goes to tmp_path too."""
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    port = free_port()
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(tmp_path / "oxigraph-data"),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while True:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "oxigraph serve did not start listening"
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}/"
    proc.terminate()
    proc.wait(timeout=60)


def test_build_facts_query_export_and_remove_through_a_sparql_server(server, seeds_store):
    result = kg("build", SEEDS, "--store", server)
    assert result.exit_code == 0, result.output
    assert "SHACL: the graph conforms" in result.stdout
    local = KGStore(seeds_store, read_only=True)
    remote = ServerStore(server, read_only=True)
    assert facts(remote) == facts(local)
    assert len(remote) == len(local)
    assert remote.named_graphs() == local.named_graphs()

    out = kg("facts", "--store", server)
    assert out.exit_code == 0 and json.loads(out.stdout) == facts(local)
    q = kg("query", "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a kg:Event }", "--store", server, "--format", "json")
    expected = local.select("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a kg:Event }")
    assert json.loads(q.stdout) == expected
    nq = kg("export", "--store", server, "--format", "nquads")
    assert len(list(ox.parse(nq.stdout_bytes, format=ox.RdfFormat.N_QUADS))) == len(local)

    again = kg("build", SEEDS, "--store", server, "--no-validate")
    assert "0 added, 0 re-linked, 5 unchanged" in again.stdout
    victim = sorted(SEEDS.glob("*.txt"))[0].stem
    assert kg("remove", victim, "--store", server).exit_code == 0
    assert not remote.has_graph(remote.minter.graph(victim))
    assert remote.select(f'SELECT ?a WHERE {{ ?a kg:articleId "{victim}" }}') == []


def test_each_article_is_one_update_request(server, monkeypatch):
    """One atomic request per article graph, then one for the resolution graph."""
    requests: list[str] = []
    real = ServerStore.update

    def counting(self, sparql):
        requests.append(sparql)
        return real(self, sparql)

    monkeypatch.setattr(ServerStore, "update", counting)
    assert kg("build", SEEDS, "--store", server, "--no-validate", "--workers", "1").exit_code == 0
    n = len(list(SEEDS.glob("*.txt")))
    assert len(requests) == n + 1
    assert all(r.count("DROP SILENT GRAPH") == 1 and r.count("INSERT DATA") == 1 for r in requests)


def test_an_unreachable_server_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    url = f"http://127.0.0.1:{free_port()}/"  # nothing listens there
    for args in (("facts",), ("build", SEEDS)):
        result = kg(*args, "--store", url)
        assert result.exit_code == 1
        assert f"cannot reach the SPARQL server at {url}" in result.stderr
        assert "Traceback" not in result.output



def _wait_for(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def _count_articles(url: str) -> int:
    import requests
    answer = requests.post(url + "/sparql", data={"query": "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kg:Article }"},
                           headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert answer.status_code == 200, answer.text
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_serve_answers_from_a_sparql_server(server, seeds_store, tmp_path):
    """`kg serve --store URL`: the endpoint, linked data and exports answer from the server as
    they do from the embedded store, and a `kg remove` on the server is seen by the running serve."""
    import requests
    assert kg("build", SEEDS, "--store", server, "--no-validate").exit_code == 0
    local = KGStore(seeds_store, read_only=True)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", server, "--port", str(port),
                             "--workers", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        def listening() -> bool:
            assert proc.poll() is None, proc.stderr.read()
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", port)) == 0
        _wait_for(listening, "kg serve --store URL did not start listening", 120)
        query = "SELECT ?e ?l WHERE { ?e a kg:Event ; rdfs:label ?l } ORDER BY ?e ?l"
        answer = requests.post(url + "/sparql", data={"query": query}, timeout=30,
                               headers={"Accept": "application/sparql-results+json"})
        assert answer.status_code == 200, answer.text
        rows = [(b["e"]["value"], b["l"]["value"]) for b in answer.json()["results"]["bindings"]]
        assert rows and rows == [(r["e"], r["l"]) for r in local.select(query)]
        trig = requests.get(url + "/export.trig", timeout=60)
        assert trig.status_code == 200, trig.text
        assert len(list(ox.parse(trig.content, format=ox.RdfFormat.TRIG))) == len(local)
        event = rows[0][0]
        page = requests.get(url + "/" + event.split("/", 3)[3], headers={"Accept": "text/html"}, timeout=30)
        assert page.status_code == 200 and rows[0][1].split(":")[0] in page.text
        refused = requests.post(url + "/sparql", timeout=30,
                                data={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
        assert refused.status_code == 400 and "SERVICE" in refused.text  # the guard still stands
        before = _count_articles(url)
        assert before == len(list(SEEDS.glob("*.txt")))
        assert kg("remove", sorted(SEEDS.glob("*.txt"))[0].stem, "--store", server).exit_code == 0
        _wait_for(lambda: _count_articles(url) == before - 1, "the running serve did not see the removal")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)

# -- Virtuoso (Debian virtuoso-opensource), when installed ------------------------------------------
VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


@pytest.fixture
def virtuoso(tmp_path, monkeypatch):
    """A real Virtuoso on free loopback ports with its own database folder, SPARQL Update granted
    to its /sparql endpoint; yields that endpoint's URL."""
    if not (VIRTUOSO and ISQL and VIRTUOSO_INI.exists()):
        pytest.skip("Debian virtuoso-opensource is not installed")
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    sql_port, http_port = free_port(), free_port()
    db = tmp_path / "virtuoso-db"
    db.mkdir()
    ini = VIRTUOSO_INI.read_text().replace("/var/lib/virtuoso-opensource-7/db", str(db))
    lines = []
    section = ""
    for line in ini.splitlines():
        if line.startswith("["):
            section = line.strip()
        if line.replace(" ", "").startswith("ServerPort=") and section in ("[Parameters]", "[HTTPServer]"):
            line = f"ServerPort = {sql_port if section == '[Parameters]' else http_port}"
        lines.append(line)
    (tmp_path / "virtuoso.ini").write_text("\n".join(lines) + "\n")
    proc = subprocess.Popen([VIRTUOSO, "+configfile", str(tmp_path / "virtuoso.ini"), "+foreground"],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while True:
            grant = subprocess.run([ISQL, str(sql_port), "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
                                   capture_output=True, text=True)
            with socket.socket() as s:
                http_up = s.connect_ex(("127.0.0.1", http_port)) == 0
            if grant.returncode == 0 and "Done" in grant.stdout and http_up:
                break
            assert proc.poll() is None, "virtuoso-t exited"
            assert time.monotonic() < deadline, f"Virtuoso did not come up: {grant.stdout} {grant.stderr}"
            time.sleep(1)
        yield f"http://127.0.0.1:{http_port}/sparql"
    finally:
        proc.terminate()
        proc.wait(timeout=120)


def test_build_and_remove_into_virtuoso_give_the_graphs_of_the_embedded_store(virtuoso, seeds_store):
    ended = "http://www.w3.org/ns/prov#endedAtTime"
    result = kg("build", SEEDS, "--store", virtuoso, "--no-validate")
    assert result.exit_code == 0, result.output
    local, remote = KGStore(seeds_store, read_only=True), ServerStore(virtuoso, read_only=True)
    assert remote.named_graphs() == local.named_graphs()  # Virtuoso's own graphs are not the store's
    assert len(remote) == len(local)
    for g in local.named_graphs():
        assert {str(q) for q in remote.quads(g) if q.predicate.value != ended} == \
            {str(q) for q in local.quads(g) if q.predicate.value != ended}, g
    victim = sorted(SEEDS.glob("*.txt"))[0].stem
    assert kg("remove", victim, "--store", virtuoso).exit_code == 0
    assert remote.minter.graph(victim) not in remote.named_graphs()
