"""Real SPARQL clients against the real server, and parity with `oxigraph serve` on the same data.

Clients: SPARQLWrapper (GET, POST form, POST direct x JSON, XML, CSV, TSV, plus CONSTRUCT),
rdflib's SPARQLStore, Apache Jena's rsparql (Debian libapache-jena-java, run with java)."""
from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import time
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import requests
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (CSV, GET, JSON, JSONLD, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE,
                           URLENCODED, XML, SPARQLWrapper)

from kg.saved_queries import load_queries
from kg.vocab import DEFAULT_BASE as B

EVENTS_TRIG = Path(__file__).parent / "fixtures" / "events.trig"

LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SELECT = f"SELECT ?s ?l WHERE {{ ?s <{LABEL}> ?l }} ORDER BY ?l"
CONSTRUCT = f"CONSTRUCT {{ ?s <{LABEL}> ?l }} WHERE {{ ?s <{LABEL}> ?l }}"


@pytest.fixture(scope="module")
def expected() -> set[tuple[str, str]]:
    """(subject, label) pairs read straight from the fixture file, not through the server."""
    store = ox.Store()
    store.load(path=str(EVENTS_TRIG), format=ox.RdfFormat.TRIG, base_iri=B)
    return {(r["s"].value, r["l"].value) for r in store.query(SELECT, use_default_graph_as_union=True)}


def _missing(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where a skipped client would hide a gap."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


# -- SPARQLWrapper ----------------------------------------------------------------------------
def _pairs(fmt: str, result) -> set[tuple[str, str]]:
    if fmt == JSON:
        return {(b["s"]["value"], b["l"]["value"]) for b in result["results"]["bindings"]}
    if fmt == XML:
        out = set()
        for res in result.getElementsByTagName("result"):
            values = {b.getAttribute("name"): b.firstChild.firstChild.data
                      for b in res.getElementsByTagName("binding")}
            out.add((values["s"], values["l"]))
        return out
    text = result.decode() if isinstance(result, bytes) else result
    if fmt == CSV:
        return {(r["s"], r["l"]) for r in csv.DictReader(io.StringIO(text))}
    rows = [line.split("\t") for line in text.strip().splitlines()[1:]]
    return {(s.strip("<>"), ox.parse(f"<x:a> <x:b> {lit} .".encode(),
                                     format=ox.RdfFormat.N_TRIPLES).__next__().object.value)
            for s, lit in rows}


def _wrapper(url: str, query: str, method: str, request_method: str | None, fmt: str) -> SPARQLWrapper:
    """A SPARQLWrapper client set up the way a user would for one method and result format."""
    client = SPARQLWrapper(url + "/sparql")
    client.setQuery(query)
    client.setMethod(method)
    if request_method:
        client.setRequestMethod(request_method)
    client.setReturnFormat(fmt)
    return client


@pytest.mark.parametrize("method,request_method", [(GET, None), (POST, URLENCODED), (POST, POSTDIRECTLY)])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select(events_server, expected, method, request_method, fmt):
    result = _wrapper(events_server.url, SELECT, method, request_method, fmt).query()
    assert _pairs(fmt, result.convert()) == expected
    assert len(expected) == 19


@pytest.mark.parametrize("method,request_method", [(GET, None), (POST, URLENCODED), (POST, POSTDIRECTLY)])
@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, JSONLD])
def test_sparqlwrapper_construct(events_server, expected, method, request_method, fmt):
    result = _wrapper(events_server.url, CONSTRUCT, method, request_method, fmt).query().convert()
    if isinstance(result, bytes):
        graph = rdflib.Graph().parse(data=result, format="turtle" if fmt == TURTLE else "json-ld")
    else:
        graph = result
    assert {(str(s), str(o)) for s, _, o in graph} == expected


def test_sparqlwrapper_ask(events_server):
    client = SPARQLWrapper(events_server.url + "/sparql")
    client.setQuery(f"ASK {{ <{B}actor/russia> <{LABEL}> 'Russia' }}")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True


# -- rdflib SPARQLStore -----------------------------------------------------------------------
def test_rdflib_sparqlstore(events_server, expected):
    store = SPARQLStore(events_server.url + "/sparql", returnFormat="json")
    graph = rdflib.Graph(store=store)
    assert {(str(r.s), str(r.l)) for r in graph.query(SELECT)} == expected
    russia = rdflib.URIRef(B + "actor/russia")
    assert set(graph.objects(russia, rdflib.RDFS.label)) == {rdflib.Literal("Russia")}
    assert bool(graph.query(f"ASK {{ <{russia}> ?p ?o }}"))
    post = SPARQLStore(events_server.url + "/sparql", method="POST", returnFormat="xml")
    assert {(str(r.s), str(r.l)) for r in rdflib.Graph(store=post).query(SELECT)} == expected


# -- Apache Jena rsparql ----------------------------------------------------------------------
JENA_JARS = ["jena-cmds", "jena-arq", "jena-core", "jena-base", "jena-iri", "jena-rdfconnection",
             "jena-tdb", "jena-tdb2", "jena-dboe-base", "jena-dboe-index", "jena-dboe-storage",
             "jena-dboe-trans-data", "jena-dboe-transaction", "jsonld-java", "gson",
             "httpclient-cache", "httpclient", "httpcore", "jcl-over-slf4j", "jackson-core",
             "jackson-databind", "jackson-annotations", "titanium-json-ld", "jakarta.json-api",
             "protobuf", "thrift", "commons-lang3", "slf4j-api", "guava", "commons-csv",
             "commons-io", "commons-compress", "commons-codec", "commons-cli", "dexx.collection",
             "jul-to-slf4j", "slf4j-simple"]


@pytest.fixture(scope="module")
def rsparql(tmp_path_factory):
    """A command line for Jena's rsparql from Debian's jars. Debian's jena-core keeps xerces'
    message bundles under org/apache/jena/ext/ while its classes look for them under xerces/;
    copying them to where they are looked up makes ARQ start (otherwise 'internal error')."""
    java = shutil.which("java")
    jars = [Path("/usr/share/java") / f"{name}.jar" for name in JENA_JARS]
    if not java or not jars[0].exists():
        _missing("java or libapache-jena-java is not installed (.ci/run installs them)")
    fix = tmp_path_factory.mktemp("jena-resources")
    with zipfile.ZipFile(jars[2]) as core:
        for name in core.namelist():
            prefix = "org/apache/jena/ext/xerces/impl/"
            if name.startswith(prefix) and name.endswith(".properties"):
                target = fix / "xerces/impl" / name[len(prefix):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(core.read(name))
    classpath = ":".join([str(fix)] + [str(j) for j in jars if j.exists()])
    return [java, "-cp", classpath, "arq.rsparql"]


def _run_rsparql(cmd, url, query, fmt, tmp_path) -> str:
    qfile = tmp_path / "q.rq"
    qfile.write_text(query)
    done = subprocess.run(cmd + ["--service", url, "--query", str(qfile), "--results", fmt],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_jena_rsparql_select_construct_ask(events_server, expected, rsparql, tmp_path):
    url = events_server.url + "/sparql"
    out = _run_rsparql(rsparql, url, SELECT, "json", tmp_path)
    import json
    data = json.loads(out)
    assert {(b["s"]["value"], b["l"]["value"]) for b in data["results"]["bindings"]} == expected
    out = _run_rsparql(rsparql, url, SELECT, "csv", tmp_path)
    assert {(r["s"], r["l"]) for r in csv.DictReader(io.StringIO(out))} == expected
    out = _run_rsparql(rsparql, url, CONSTRUCT, "ttl", tmp_path)
    graph = rdflib.Graph().parse(data=out, format="turtle")
    assert {(str(s), str(o)) for s, _, o in graph} == expected
    out = _run_rsparql(rsparql, url, f"ASK {{ <{B}actor/nobody> ?p ?o }}", "xml", tmp_path)
    assert "<boolean>false</boolean>" in out


# -- parity with oxigraph serve -----------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_oxigraph(store_dir: Path, work: Path) -> tuple[subprocess.Popen, str]:
    """`oxigraph serve-read-only --union-default-graph` over an N-Quads dump of the store."""
    binary = shutil.which("oxigraph")
    if not binary:
        _missing("the oxigraph server (PyPI package oxigraph) is not installed")
    dump = work / "dump.nq"
    ox.Store.read_only(str(store_dir / "oxigraph")).dump(str(dump), format=ox.RdfFormat.N_QUADS)
    location = work / "oxigraph-peer"
    subprocess.run([binary, "load", "--location", str(location), "--file", str(dump)],
                   check=True, capture_output=True, timeout=600)
    port = free_port()
    proc = subprocess.Popen([binary, "serve-read-only", "--location", str(location), "--bind",
                             f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    end = time.monotonic() + 30
    while time.monotonic() < end:
        try:
            requests.get(url + "/query", params={"query": "ASK {}"}, timeout=1)
            return proc, url
        except requests.ConnectionError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("oxigraph serve did not start")


@pytest.fixture(scope="module")
def oxigraph_peer(events_store, tmp_path_factory):
    proc, url = start_oxigraph(events_store, tmp_path_factory.mktemp("peer"))
    yield url
    proc.terminate()
    proc.wait(10)


PARITY_VALUES = {"actor": B + "actor/russia", "event": B + "event/meeting-2025-05-16-russia-ukraine",
                 "article": B + "article/a2", "type": "https://w3id.org/newskg/ontology#Agreement",
                 "from": "2025-05-16", "to": "2025-05-20"}


def _bindings(data: dict) -> list[str]:
    return sorted(repr(sorted(b.items())) for b in data["results"]["bindings"])


@pytest.mark.parametrize("optional", [False, True], ids=["required-only", "all-params"])
def test_saved_queries_match_oxigraph_serve(events_server, oxigraph_peer, optional):
    """Each saved query through /queries/<name> gives the rows that the same SPARQL (parameters
    written in place) gives when sent to `oxigraph serve` over a dump of the same store."""
    compared = 0
    for q in load_queries().values():
        values = {p.name: PARITY_VALUES.get(p.name, "Russia") for p in q.params
                  if p.required or optional}
        ours = requests.get(f"{events_server.url}/queries/{q.name}", params=values,
                            headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert ours.status_code == 200, (q.name, ours.text)
        theirs = requests.post(oxigraph_peer + "/query", data=q.inline(values).encode(),
                               headers={"Content-Type": "application/sparql-query",
                                        "Accept": "application/sparql-results+json"}, timeout=30)
        assert theirs.status_code == 200, (q.name, theirs.text)
        assert ours.json()["head"] == theirs.json()["head"], q.name
        assert _bindings(ours.json()) == _bindings(theirs.json()), q.name
        compared += bool(ours.json()["results"]["bindings"])
    assert compared >= 9  # the comparisons were not all of empty results
