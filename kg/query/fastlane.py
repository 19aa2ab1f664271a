"""The fast lane: point lookups answered in the server process, without a worker round trip.

A query qualifies on its parsed form (kg.query.guards.analyse, so decided once per text): a
SELECT of plain variables (or `*`), with at most a LIMIT, over exactly one triple pattern whose
subject is an absolute IRI, whose predicate is an IRI or a variable and whose object is an IRI
or a variable; no BASE, no dataset clause or parameter, no substitutions. Such a lookup is one
scan of an index range, and at most FAST_ROWS + 1 rows of it are read, so it cannot run long
or take much memory: the time and memory limits that need a worker process for any other query
hold here by construction. A lookup with more rows than that goes to a worker after all.

What runs is not the client's text: it is written anew from the parsed terms (Lookup.text), so
whatever the two parsers (rdflib's, which decided, and oxigraph's, which runs it) might read
differently in the original never reaches oxigraph; the rewritten text has no SERVICE or LOAD
to reach out with, the second wall (workers without a network) is not needed for it.
"""
from __future__ import annotations

import dataclasses
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import urlsplit

import pyoxigraph as ox
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable

from ..web.worker import Answer, Job, open_store, run_job

FAST_ROWS = 10_000  # most rows a lookup may have to stay in the server process
KNOWN_FAST_SECONDS = 0.02  # a query a worker answered this fast runs in the server process next time


@dataclass(frozen=True)
class Lookup:
    """One triple pattern with a constant subject, in SPARQL syntax, and what the query keeps."""
    subject: str                     # '<iri>'
    predicate: str                   # '<iri>' or '?var'
    object: str                      # '<iri>' or '?var'
    projection: tuple[str, ...]      # '?var' each; empty for SELECT *
    limit: int | None

    def text(self, most: int) -> str:
        """The query to run: this pattern, at most `most` rows (and the query's own LIMIT)."""
        limit = most if self.limit is None else min(self.limit, most)
        return (f"SELECT {' '.join(self.projection) or '*'} WHERE "
                f"{{ {self.subject} {self.predicate} {self.object} }} LIMIT {limit}")


def _iri(term, prefixes: dict[str, str]) -> str | None:
    """'<iri>' for an absolute IRI written in full or as a declared prefixed name
    (pyoxigraph's NamedNode refuses a relative or malformed IRI)."""
    from .guards import resolve
    if not (isinstance(term, URIRef) or (isinstance(term, CompValue) and term.name == "pname")):
        return None
    value, absolute = resolve(term, "", prefixes)
    if not absolute:
        return None
    try:
        return str(ox.NamedNode(value))
    except ValueError:
        return None


def _term(term, prefixes: dict[str, str]) -> str | None:
    if isinstance(term, Variable):
        return str(ox.Variable(str(term)))
    return _iri(term, prefixes)


def _predicate(term, prefixes: dict[str, str]) -> str | None:
    """A variable, or a path of one plain IRI (rdflib wraps every IRI predicate in a path)."""
    if isinstance(term, Variable):
        return _term(term, prefixes)
    while isinstance(term, CompValue) and term.name in ("PathAlternative", "PathSequence", "PathElt"):
        part = dict.get(term, "part")
        if "mod" in term or (isinstance(part, list) and len(part) != 1):
            return None
        term = part[0] if isinstance(part, list) else part
    return _iri(term, prefixes)


def _pattern(query: CompValue) -> tuple | None:
    """The (subject, predicate, object) of a WHERE that is exactly one triple pattern."""
    where = dict.get(query, "where")
    if not (isinstance(where, CompValue) and where.name == "GroupGraphPatternSub"):
        return None
    parts = dict.get(where, "part") or []
    if len(parts) != 1 or not isinstance(parts[0], CompValue) or parts[0].name != "TriplesBlock":
        return None
    triples = dict.get(parts[0], "triples") or []
    return tuple(triples[0]) if len(triples) == 1 and len(triples[0]) == 3 else None


def _projection(query: CompValue) -> tuple[str, ...] | None:
    """'?var' for each projected variable (empty for `*`); None when one is an expression."""
    out = []
    for item in dict.get(query, "projection") or []:
        if set(dict.keys(item)) != {"var"}:
            return None  # (... AS ?x)
        out.append(str(ox.Variable(str(item["var"]))))
    return tuple(out)


def plan(tree, base: str, prefixes: dict[str, str]) -> Lookup | None:
    """The lookup a parsed query is, or None when it is anything else."""
    if len(tree) != 2 or base or not isinstance(tree[1], CompValue) or tree[1].name != "SelectQuery":
        return None
    query = tree[1]
    if set(dict.keys(query)) - {"projection", "where", "limitoffset"}:
        return None  # DISTINCT, FROM, GROUP BY, ORDER BY, VALUES ...
    limits, pattern, projection = dict.get(query, "limitoffset"), _pattern(query), _projection(query)
    if pattern is None or projection is None or \
            (limits is not None and set(dict.keys(limits)) != {"limit"}):
        return None  # OFFSET: not one bounded range
    s, p, o = pattern
    terms = (_iri(s, prefixes), _predicate(p, prefixes), _term(o, prefixes))
    if None in terms:
        return None
    return Lookup(*terms, projection, None if limits is None else int(limits["limit"]))


# -- the lookup grammar, read without rdflib ------------------------------------------------------
# A new lookup text (a linked-data client asks for each subject once) would otherwise cost a parse
# by rdflib's grammar (over a millisecond, under a lock) before a 0.3 ms scan. The lookup form is
# a small language of its own; `recognise` parses exactly it, token by token, into the same
# Lookup that `plan` makes from rdflib's tree. A text with anything else in it (a comment, an
# escape, a prefixed name, a literal, a second pattern, SERVICE ...) is not in the language and
# goes to rdflib. What runs is Lookup.text(), written from the parsed terms, as for `plan`.
#
#   lookup     := SELECT ( '*' | VAR+ ) WHERE? '{' IRIREF ( IRIREF | VAR | 'a' ) ( IRIREF | VAR ) '.'? '}'
#                 ( LIMIT INTEGER )?
_TOKEN = re.compile(r"""[ \t\r\n]+|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)|(?P<var>[?$][A-Za-z_][A-Za-z0-9_]*)"""
                    r"|(?P<int>[0-9]+)|(?P<word>[A-Za-z]+)|(?P<punct>[{}.*])")
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def _tokens(text: str) -> list[tuple[str, str]] | None:
    """(kind, text) of every token, or None at the first character outside the language (and
    where two words or numbers touch: 'LIMIT5' is no SPARQL)."""
    out, at, spaced = [], 0, True
    while at < len(text):
        m = _TOKEN.match(text, at)
        if m is None:
            return None
        at = m.end()
        if not m.lastgroup:
            spaced = True
            continue
        if not spaced and out and out[-1][0] in ("word", "int") and m.lastgroup in ("word", "int"):
            return None
        out.append((m.lastgroup, m.group()))
        spaced = False
    return out


def _absolute(token: str) -> str | None:
    """'<iri>' for an IRIREF token naming an absolute IRI that pyoxigraph accepts."""
    iri = token[1:-1]
    if not urlsplit(iri).scheme:
        return None
    try:
        return str(ox.NamedNode(iri))
    except ValueError:
        return None


def recognise(text: str) -> Lookup | None:
    """The lookup a text is when it is written in the lookup grammar above, else None (which
    says nothing: rdflib's parse decides then)."""
    tokens = _tokens(text)
    if not tokens or tokens[0][0] != "word" or tokens[0][1].upper() != "SELECT":
        return None
    i, projection = 1, []
    if i < len(tokens) and tokens[i] == ("punct", "*"):
        i += 1
    else:
        while i < len(tokens) and tokens[i][0] == "var":
            projection.append("?" + tokens[i][1][1:])
            i += 1
        if not projection:
            return None
    if i < len(tokens) and tokens[i][0] == "word" and tokens[i][1].upper() == "WHERE":
        i += 1
    body = tokens[i:i + 4]
    if len(body) < 4 or body[0] != ("punct", "{"):
        return None
    (sk, sv), (pk, pv), (ok, ov) = body[1:4]
    subject = _absolute(sv) if sk == "iri" else None
    predicate = _absolute(pv) if pk == "iri" else "?" + pv[1:] if pk == "var" else \
        RDF_TYPE if (pk, pv) == ("word", "a") else None
    obj = _absolute(ov) if ok == "iri" else "?" + ov[1:] if ok == "var" else None
    i += 4
    if i < len(tokens) and tokens[i] == ("punct", "."):
        i += 1
    if None in (subject, predicate, obj) or i >= len(tokens) or tokens[i] != ("punct", "}"):
        return None
    i += 1
    limit = None
    if i < len(tokens):
        if not (tokens[i][0] == "word" and tokens[i][1].upper() == "LIMIT" and i + 1 < len(tokens)
                and tokens[i + 1][0] == "int"):
            return None
        limit, i = int(tokens[i + 1][1]), i + 2
    if i != len(tokens):
        return None
    return Lookup(subject, predicate, obj, tuple(projection), limit)


class KnownLookups:
    """The texts most recently answered as lookups on the current store state (at most `size`):
    the HTTP server serves a request for one of them on its loop thread (kg.web.server) without
    parsing anything there, and it cannot need a worker (its rows were counted on this state)."""

    def __init__(self, size: int = 4096):
        self.size = size
        self._texts: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, text: str) -> None:
        with self._lock:
            self._texts[text] = None
            self._texts.move_to_end(text)
            if len(self._texts) > self.size:
                self._texts.popitem(last=False)

    def __contains__(self, text: str) -> bool:
        return text in self._texts

    def clear(self) -> None:
        with self._lock:
            self._texts.clear()


class LocalLane:
    """A read-only handle in the server process for lookups; reopened when the store's
    generation moves (a completed build, a committed update), like the workers' handles."""

    def __init__(self, store_dir: str, generation):
        self.store_dir = store_dir
        self.generation = generation
        self._lock = threading.Lock()
        self._store: tuple[int, ox.Store] | None = None
        self.known = KnownLookups()
        self.known_fast = KnownLookups()  # keys of whole jobs a worker answered fast on this state

    def store(self) -> tuple[int, ox.Store]:
        """(generation, handle) for the store's current generation, opened if need be."""
        now = self.generation.value
        held = self._store
        if held is None or held[0] != now:
            with self._lock:
                held = self._store
                if held is None or held[0] != now:
                    self.known.clear()  # a known lookup may have more rows in the new state
                    self.known_fast.clear()
                    held = self._store = (now, open_store(self.store_dir, False))
        return held

    def ready(self) -> bool:
        """Whether the handle is open on the store's current generation."""
        held = self._store
        return held is not None and held[0] == self.generation.value

    def close(self) -> None:
        with self._lock:
            self._store = None

    def remember_fast(self, key: tuple, generation: int, answer: Answer) -> None:
        """Note a job a worker answered whole, fast, on the state still served: the same job on
        the same state does the same work, so it can skip the worker hop from now on."""
        if answer.status == 200 and answer.seconds <= KNOWN_FAST_SECONDS and generation == self.generation.value:
            held, _store = self.store()  # opened here if no lookup has opened it yet
            with self._lock:
                if held == generation and self._store is not None and self._store[0] == generation:
                    self.known_fast.add(key)

    def run_known_fast(self, job: Job, key: tuple) -> Answer | None:
        """The answer of a job known to be fast on this state, run here; None when it is not
        known (or the state moved on)."""
        if key not in self.known_fast or not self.ready():
            return None
        start = time.perf_counter()
        _generation, store = self.store()
        answer = run_job(store, job)
        answer.seconds = time.perf_counter() - start
        return answer

    def run(self, job: Job, lookup: Lookup) -> Answer | None:
        """The job's Answer, or None when the lookup has more than FAST_ROWS rows and the
        row cap would let it have them (then a worker runs it)."""
        most = min(job.row_limit, FAST_ROWS) + 1
        start = time.perf_counter()
        generation, store = self.store()
        try:
            answer = run_job(store, dataclasses.replace(job, text=lookup.text(most), bounded=True))
        except Exception as exc:  # as a worker answers it (kg.web.worker.worker_main)
            answer = Answer(500, f"query failed during evaluation ({type(exc).__name__}): "
                                 f"{exc}".encode())
        if most <= job.row_limit and answer.rows >= most:
            return None
        answer.seconds = time.perf_counter() - start
        with self._lock:  # counted on the state still served (a reopen clears `known` under it)
            if answer.status == 200 and self._store is not None and self._store[0] == generation:
                self.known.add(job.text)
        return answer
