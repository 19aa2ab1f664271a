"""The answer cache (kg.web.answer_cache): a repeated read request on one store state is answered
from memory, with the answer it got the first time; anything that could answer differently is
never answered from it."""
from __future__ import annotations

import shutil

import pytest
import requests

from kg.web.answer_cache import AnswerCache, CachedAnswer, request_key
from kg.web.app import create_app
from kg.web.server import BackgroundServer
from kg.web.sparql import _repeatable

B = "http://localhost:5000/"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
JSON = {"Accept": "application/sparql-results+json"}
UPDATE_TOKEN = "answer-cache-token"


def _hit(response: requests.Response) -> bool:
    return response.headers.get("Server-Timing") == 'cache;desc="hit"'


def _comparable(response: requests.Response) -> dict:
    drop = {"date", "age", "server-timing"}
    return {k.lower(): v for k, v in response.headers.items() if k.lower() not in drop}


@pytest.fixture
def served(events_store, tmp_path):
    shutil.copytree(events_store, tmp_path / "store")
    with BackgroundServer(create_app(tmp_path / "store", allow_update=True, update_token=UPDATE_TOKEN,
                                     workers=1)) as server:
        yield server


def test_a_repeated_request_gets_the_first_answer_from_memory(served):
    url = served.url + "/sparql"
    first = requests.get(url, params={"query": COUNT}, headers=JSON, timeout=30)
    second = requests.get(url, params={"query": COUNT}, headers=JSON, timeout=30)
    assert first.status_code == second.status_code == 200
    assert not _hit(first) and _hit(second) and "Age" in second.headers
    assert second.content == first.content and int(first.json()["results"]["bindings"][0]["n"]["value"]) > 10
    assert _comparable(second) == _comparable(first)  # the same headers, framing and date aside
    saved = served.url + "/queries/event_sources"
    params = {"event": B + "event/meeting-2025-05-16-russia-ukraine"}
    a, b = (requests.get(saved, params=params, headers=JSON, timeout=30) for _ in range(2))
    assert a.status_code == 200 and not _hit(a) and _hit(b) and a.content == b.content
    assert served.app.extensions["kg.answers"].hits == 2


def test_a_client_holding_the_answer_revalidates_it_with_its_etag(served):
    url = served.url + "/sparql"
    first = requests.get(url, params={"query": COUNT}, headers=JSON, timeout=30)
    etag = first.headers["ETag"]
    for sent in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = requests.get(url, params={"query": COUNT}, headers={**JSON, "If-None-Match": sent}, timeout=30)
        assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag
    other = requests.get(url, params={"query": COUNT}, headers={**JSON, "If-None-Match": '"other"'}, timeout=30)
    assert other.status_code == 200 and other.content == first.content
    csv = requests.get(url, params={"query": COUNT}, headers={"Accept": "text/csv", "If-None-Match": etag}, timeout=30)
    assert csv.status_code == 200 and csv.headers["ETag"] != etag  # another representation, another tag
    unrelated = "ASK { <urn:nothing> ?p ?o }"
    kept_tag = requests.get(url, params={"query": unrelated}, headers=JSON, timeout=30).headers["ETag"]
    added = requests.post(served.url + "/update", data={"update": "INSERT DATA { <urn:a> <urn:b> 2 }"},
                          headers={"Authorization": f"Bearer {UPDATE_TOKEN}"}, timeout=30)
    assert added.status_code == 204
    changed = requests.get(url, params={"query": COUNT}, headers={**JSON, "If-None-Match": etag}, timeout=30)
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    # made again on the new state (not kept), with the same bytes: still the client's version
    same = requests.get(url, params={"query": unrelated}, headers={**JSON, "If-None-Match": kept_tag}, timeout=30)
    assert same.status_code == 304 and "cache" not in same.headers.get("Server-Timing", "")


def test_the_answer_is_kept_per_format_and_per_host(served):
    url = served.url + "/sparql"
    requests.get(url, params={"query": COUNT}, headers=JSON, timeout=30)
    csv = requests.get(url, params={"query": COUNT}, headers={"Accept": "text/csv"}, timeout=30)
    assert not _hit(csv) and csv.headers["Content-Type"].startswith("text/csv") and csv.text.startswith("n\r\n")
    relative = "CONSTRUCT { <s> <p> 1 } WHERE {}"  # relative IRIs resolve against the request's address
    first = requests.get(url, params={"query": relative}, headers={"Accept": "application/n-triples"}, timeout=30)
    other = requests.get(url, params={"query": relative}, timeout=30,
                         headers={"Accept": "application/n-triples", "Host": "example.org"})
    assert not _hit(other) and "http://example.org/" in other.text and "http://example.org/" not in first.text


def test_a_changed_store_is_never_answered_from_memory(served):
    url = served.url + "/sparql"
    before = requests.get(url, params={"query": COUNT}, headers=JSON, timeout=30).json()
    assert _hit(requests.get(url, params={"query": COUNT}, headers=JSON, timeout=30))
    added = requests.post(served.url + "/update", data={"update": "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> 1 } }"},
                          headers={"Authorization": f"Bearer {UPDATE_TOKEN}"}, timeout=30)
    assert added.status_code == 204
    after = requests.get(url, params={"query": COUNT}, headers=JSON, timeout=30)
    assert not _hit(after)
    count = lambda doc: int(doc["results"]["bindings"][0]["n"]["value"])  # noqa: E731
    assert count(after.json()) == count(before) + 1


def test_volatile_and_credentialed_requests_are_never_answered_from_memory(served):
    url = served.url + "/sparql"
    uuid = "SELECT (STRUUID() AS ?u) WHERE {}"
    values = {requests.get(url, params={"query": uuid}, headers=JSON, timeout=30).json()["results"]["bindings"][0]["u"]["value"]
              for _ in range(3)}
    assert len(values) == 3
    requests.get(url, params={"query": COUNT}, headers=JSON, timeout=30)
    with_credentials = requests.get(url, params={"query": COUNT}, timeout=30,
                                    headers={**JSON, "Authorization": "Bearer x"})
    assert with_credentials.status_code == 200 and not _hit(with_credentials)
    fresh = requests.get(url, params={"query": COUNT}, timeout=30, headers={**JSON, "Cache-Control": "no-cache"})
    assert fresh.status_code == 200 and not _hit(fresh)
    assert _hit(requests.get(url, params={"query": COUNT}, headers=JSON, timeout=30))
    refused = [requests.get(url, params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"},
                            timeout=30) for _ in range(2)]
    assert [r.status_code for r in refused] == [400, 400] and not any(_hit(r) for r in refused)


@pytest.mark.parametrize("text, repeatable", [
    (COUNT, True),
    ("SELECT (RAND() AS ?r) WHERE {}", False),
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o < NOW()) }", False),
    ("SELECT (UUID() AS ?u) WHERE {}", False),
    ("CONSTRUCT { ?s <urn:p> ?b } WHERE { ?s ?p ?o BIND(BNODE() AS ?b) }", False),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", False),
    ("SELECT * WHERE {", False),  # cannot be parsed: never kept
])
def test_what_may_be_kept_is_decided_on_the_parsed_query(text, repeatable):
    assert _repeatable(text) is repeatable


def test_the_cache_can_be_switched_off(events_store):
    with BackgroundServer(create_app(events_store, workers=1, answer_cache_mb=0)) as s:
        answers = [requests.get(s.url + "/sparql", params={"query": COUNT}, headers=JSON, timeout=30)
                   for _ in range(2)]
        assert [r.status_code for r in answers] == [200, 200] and not any(_hit(r) for r in answers)
        assert "kg.answers" not in s.app.extensions


def _answer(generation: int, size: int) -> CachedAnswer:
    return CachedAnswer(generation, "200 OK", [], b"x" * size, 0.0)


def test_the_byte_budget_drops_the_least_recently_used_and_a_new_generation_drops_all():
    generation = [1]
    keys = [request_key("GET", "/sparql", f"query={i}", {}, "http") for i in range(4)]
    overhead = sum(len(part) for part in keys[0])  # a key counts against the budget too
    cache = AnswerCache(lambda: generation[0], max_bytes=3 * (100 + overhead), max_entry=150 + overhead)
    for key in keys[:3]:
        cache.put(key, _answer(1, 100))
    assert cache.get(keys[0]) is not None  # now the most recently used
    cache.put(keys[3], _answer(1, 100))     # over budget: keys[1] goes
    assert [cache.get(k) is not None for k in keys] == [True, False, True, True]
    cache.put(keys[1], _answer(1, 151))     # over the per-answer limit: not kept
    assert cache.get(keys[1]) is None
    cache.put(keys[1], _answer(0, 10))      # made on a state no longer served: not kept
    assert cache.get(keys[1]) is None
    generation[0] = 2
    assert all(cache.get(k) is None for k in keys) and len(cache) == 0


def test_only_plain_gets_have_a_key():
    assert request_key("GET", "/sparql", "query=x", {"ACCEPT": "text/csv", "HOST": "h"}, "http") is not None
    assert request_key("POST", "/sparql", "", {}, "http") is None
    assert request_key("HEAD", "/sparql", "query=x", {}, "http") is None
    assert request_key("GET", "/sparql", "query=x", {"AUTHORIZATION": "Bearer t"}, "http") is None
    assert request_key("GET", "/sparql", "query=x", {"COOKIE": "a=b"}, "http") is None
    assert request_key("GET", "/sparql", "query=x", {"CACHE_CONTROL": "max-age=0, no-cache"}, "http") is None
    assert request_key("GET", "/sparql", "query=x", {"PRAGMA": "no-cache"}, "http") is None
