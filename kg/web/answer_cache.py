"""Whole answers of read queries, kept for the store state they were made on.

Dashboards, notebooks and the pages of other tools ask a SPARQL endpoint the same saved query or
point lookup again and again between two builds. On one store state the same request gets the
same answer, so it is sent again from memory: a response cache as operators put in front of an
endpoint (a Varnish before Virtuoso), built in, so that it knows when the store moved on.

What is kept, and when it is used again:
- only answers the app marks (`mark_cacheable`): 200 answers of GET /sparql and GET
  /queries/<name>, of a query with no SERVICE (remote data can change) and no function whose
  value changes from run to run (RAND, NOW, UUID, STRUUID, BNODE: kg.query.guards.VOLATILE);
- by everything the answer is made from: method, path, query string, Host (the base of relative
  IRIs), Accept (content negotiation) and URL scheme; a request with credentials or cookies, or
  with `Cache-Control: no-cache` (or `Pragma: no-cache`), is never answered from here;
- for the store generation it was made on: a completed build or a committed update moves the
  generation (kg.web.worker.Generation), and every answer of an older one is dropped;
- within a byte budget (least recently used first out), each answer at most `max_entry` bytes.

The HTTP server (kg.web.server) answers a hit on its loop thread without entering the app;
the answer says so (`Age`, and `Server-Timing: cache;desc=hit`). Every kept answer has an ETag
(a hash of its bytes and media type), and a request whose If-None-Match names it gets 304 Not
Modified, so HTTP clients and proxies can revalidate instead of fetching again.
"""
from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Iterable

CACHE_HEADER = "kg.answer_cache"   # environ key: the request's key, set by the HTTP server
MARK = "kg.cacheable"              # environ key: the generation a cacheable answer was made on
# headers of the first answer that are not sent again as they were: the server writes its own
# framing and date, and a hit says it is one in Server-Timing
DROPPED_HEADERS = frozenset({"content-length", "date", "server", "server-timing", "connection",
                             "transfer-encoding", "keep-alive"})

RequestKey = tuple[str, str, str, str, str, str]


@dataclass
class CachedAnswer:
    generation: int
    status: str
    headers: list[tuple[str, str]]   # ETag included
    body: bytes
    stored: float
    etag: str = ""


def entity_tag(body: bytes, headers: list[tuple[str, str]]) -> str:
    """A strong validator of one representation: its bytes and media type."""
    media = next((v for k, v in headers if k.lower() == "content-type"), "")
    return '"' + hashlib.sha256(media.encode() + b"\0" + body).hexdigest()[:32] + '"'


def matches(if_none_match: str, etag: str) -> bool:
    """Whether an If-None-Match header names this entity tag (weak comparison, RFC 9110 13.1.2)."""
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags


def not_modified_headers(answer: CachedAnswer) -> list[tuple[str, str]]:
    """What a 304 carries of the 200 it stands for (RFC 9110 15.4.5)."""
    return [(k, v) for k, v in answer.headers if k.lower() in ("etag", "vary", "cache-control")]


def request_key(method: str, path: str, query: str, headers: dict[str, str], scheme: str) -> RequestKey | None:
    """What a read answer is made from, from a request's parts (`headers` keyed in upper case,
    as waitress keeps them); None for a request that is never answered from the cache."""
    if method != "GET" or "AUTHORIZATION" in headers or "COOKIE" in headers:
        return None
    if "no-cache" in headers.get("CACHE_CONTROL", "").lower() or "no-cache" in headers.get("PRAGMA", "").lower():
        return None  # the client asks for an answer made now (RFC 9111, 5.2.1.4)
    return (method, path, query, headers.get("HOST", ""), headers.get("ACCEPT", ""), scheme)


class AnswerCache:
    """Answers by request key, for one generation at a time, within `max_bytes`."""

    def __init__(self, generation: Callable[[], int], max_bytes: int, max_entry: int = 2**20):
        self.generation = generation
        self.max_bytes = max_bytes
        self.max_entry = min(max_entry, max_bytes)
        self._answers: OrderedDict[RequestKey, CachedAnswer] = OrderedDict()
        self._bytes = 0
        self._held_generation: int | None = None
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: RequestKey) -> CachedAnswer | None:
        """The answer kept for this request on the store's current generation."""
        now = self.generation()
        with self._lock:
            if self._held_generation != now:
                self._clear(now)
            answer = self._answers.get(key)
            if answer is None:
                self.misses += 1
                return None
            self._answers.move_to_end(key)
            self.hits += 1
            return answer

    def put(self, key: RequestKey, answer: CachedAnswer) -> None:
        size = _size(key, answer)
        if size > self.max_entry:
            return
        with self._lock:
            if answer.generation != self.generation():
                return  # made on a state the server no longer serves
            if self._held_generation != answer.generation:
                self._clear(answer.generation)
            old = self._answers.pop(key, None)
            if old is not None:
                self._bytes -= _size(key, old)
            self._answers[key] = answer
            self._bytes += size
            while self._bytes > self.max_bytes:
                dropped_key, dropped = self._answers.popitem(last=False)
                self._bytes -= _size(dropped_key, dropped)

    def _clear(self, generation: int) -> None:
        self._answers.clear()
        self._bytes = 0
        self._held_generation = generation

    def __len__(self) -> int:
        return len(self._answers)


def _size(key: RequestKey, answer: CachedAnswer) -> int:
    """What one kept answer costs the budget: its body, its headers and its key (a query string
    may be as long as the answer)."""
    return len(answer.body) + sum(len(k) + len(v) for k, v in answer.headers) + sum(len(part) for part in key)


def mark_cacheable(environ: dict, generation: int) -> None:
    """Say (from a view) that this request's answer may be kept for `generation`."""
    environ[MARK] = generation


def keeping(app: Callable, cache: AnswerCache) -> Callable:
    """WSGI middleware: keep the answers the app marked, for requests the server keyed, with
    an ETag; a request whose If-None-Match names it gets 304."""
    def middleware(environ: dict, start_response: Callable) -> Iterable[bytes]:
        key = environ.get(CACHE_HEADER)
        if key is None:
            return app(environ, start_response)
        seen: dict = {}

        def capture(status: str, headers: list, exc_info=None):
            if exc_info:
                seen.clear()  # an error answer, sent as the app made it
                return start_response(status, headers, exc_info)
            seen["status"], seen["headers"] = status, headers
            return lambda data: None  # the app's body comes back as its iterable

        result = app(environ, capture)
        if not seen:
            return result
        generation = environ.get(MARK)
        if generation is None or not seen["status"].startswith("200 ") \
                or any(k.lower() == "set-cookie" for k, _v in seen["headers"]):
            start_response(seen["status"], seen["headers"])
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        kept = [(k, v) for k, v in seen["headers"] if k.lower() not in DROPPED_HEADERS]
        etag = entity_tag(body, kept)
        answer = CachedAnswer(generation, seen["status"], kept + [("ETag", etag)], body, time.monotonic(), etag)
        cache.put(key, answer)
        if matches(environ.get("HTTP_IF_NONE_MATCH", ""), etag):
            start_response("304 Not Modified", not_modified_headers(answer))
            return []
        start_response(seen["status"], seen["headers"] + [("ETag", etag)])
        return [body]
    return middleware
