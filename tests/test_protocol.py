"""The W3C SPARQL 1.1 Protocol test suite (tests/fixtures/w3c-protocol, vendored under its
licence) against a real `kg serve --allow-update` process: 20 query tests, 14 update tests.

Each manifest entry is one test: its ut:graphData is loaded (and nothing else) through the
server's own /update, then its HTTP requests are sent as the manifest writes them, with
`/sparql/` standing for the query endpoint (/sparql) or, for the update operations of update
tests, the update endpoint (/update, with the bearer token), and the responses are checked for
the expected status class, result format and boolean."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import rdflib
import requests
from rdflib import RDF, RDFS, Namespace
from rdflib.collection import Collection

SUITE = Path(__file__).parent / "fixtures" / "w3c-protocol"
MANIFEST_IRI = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TOKEN = "w3c-suite-token"

RESULT_TYPES = {"boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
                "tabular": ("application/sparql-results+json", "application/sparql-results+xml",
                            "text/csv", "text/tab-separated-values"),
                "RDF": ("application/rdf+xml", "text/turtle", "application/n-triples")}


def _manifest() -> list[dict]:
    g = rdflib.Graph()
    g.parse(SUITE / "manifest.ttl", format="turtle", publicID=MANIFEST_IRI)
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        data = {str(g.value(d, RDFS.label)): Path(str(g.value(d, UT.graph))).name
                for d in g.objects(entry, UT.graphData)}
        steps = []
        for req in Collection(g, g.value(g.value(entry, MF.action), HT.requests)):
            body = g.value(req, HT.body)
            headers = g.value(req, HT.headers)
            resp = g.value(req, HT.resp)
            steps.append({
                "method": str(g.value(req, HT.methodName)),
                "path": str(g.value(req, HT.absolutePath)),
                "headers": {str(g.value(h, HT.fieldName)): str(g.value(h, HT.fieldValue))
                            for h in (Collection(g, headers) if headers else [])},
                "body": str(g.value(body, CNT.chars)) if body else None,
                "status": {str(s).rsplit("StatusCode", 1)[-1][0] for s in g.objects(resp, MF.expectedStatus)},
                "format": str(g.value(resp, MF.expectedFormat) or ""),
                "boolean": g.value(resp, MF.expectedBoolean),
            })
        tests.append({"name": str(entry).rsplit("#", 1)[-1], "data": data, "steps": steps})
    return tests


TESTS = _manifest()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def kg_serve(tmp_path_factory, kg_store_builder):
    """`kg serve --allow-update` as its own process over a store of its own."""
    store = tmp_path_factory.mktemp("w3c-store")
    kg_store_builder(store)  # replaced by each test's own graphs
    port = _free_port()
    env = {**os.environ, "KG_UPDATE_TOKEN": TOKEN}
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(store),
                                "--port", str(port), "--allow-update", "--workers", "2"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    end = time.monotonic() + 120
    while time.monotonic() < end:
        try:
            if requests.get(url + "/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                break
        except requests.ConnectionError:
            if process.poll() is not None:
                pytest.fail(f"kg serve ended: {process.stdout.read()}")
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("kg serve did not answer within 120 s")
    yield url
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()


def _load(url: str, data: dict[str, str]) -> None:
    """DROP ALL, then the test's graphs, through the server's own update endpoint."""
    parts = ["DROP ALL"] + [f"INSERT DATA {{ GRAPH <{name}> {{ {(SUITE / file).read_text()} }} }}"
                            for name, file in data.items()]
    r = requests.post(url + "/update", data={"update": " ;\n".join(parts)}, timeout=60,
                      headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 204, r.text


def _boolean(response: requests.Response) -> bool:
    ctype = response.headers.get("Content-Type", "")
    if "json" in ctype:
        return response.json()["boolean"]
    text = ET.fromstring(response.content).find("{http://www.w3.org/2005/sparql-results#}boolean").text
    return text.strip() == "true"


def test_the_suite_is_complete():
    names = [t["name"] for t in TESTS]
    assert len(names) == 34
    assert sum("update" in n for n in names) == 14 and sum("update" not in n for n in names) == 20


@pytest.mark.parametrize("test", TESTS, ids=[t["name"] for t in TESTS])
def test_w3c_protocol(kg_serve, test):
    _load(kg_serve, test["data"])
    for step in test["steps"]:
        update = "update" in test["name"] and step["headers"].get("content-type") != "application/sparql-query"
        path = step["path"].replace("/sparql/", "/update" if update else "/sparql", 1)
        headers = dict(step["headers"])
        if update:
            headers["Authorization"] = f"Bearer {TOKEN}"
        body = step["body"].encode("utf-8") if step["body"] is not None else None
        response = requests.request(step["method"], kg_serve + path, data=body, headers=headers,
                                    timeout=60)
        status = str(response.status_code)[0]
        assert status in step["status"], (path, response.status_code, response.text[:500])
        if step["format"]:
            ctype = response.headers.get("Content-Type", "").split(";")[0].strip()
            assert ctype in RESULT_TYPES[step["format"]], ctype
        if step["boolean"] is not None:
            assert _boolean(response) is step["boolean"].toPython(), response.text[:500]
