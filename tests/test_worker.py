"""The query worker's results writer: JSON and XML are capped on their row marks in
pyoxigraph's own bytes (kg.web.worker._CappedRows). Checked against the other path (TSV capped
on lines, then converted), on values made to look like the marks."""
from __future__ import annotations

import random

import pyoxigraph as ox
import pytest

from kg.web.worker import Job, _CappedRows, _Full, run_job

EX = "http://example.org/"
# values holding what the marks and the cut look like, escapes, quotes, newlines, markup
NASTY = ['},{"', '[{"', '"}]}}', "<result>", "</results></sparql>", 'a"b', "back\\slash", "\\", '\\"',
         "line\nbreak", "tab\there", "<b>&amp;</b>", "{}", "[]", "", " ", "é—☃", '{"type":"uri"}']


def _store(rows: int, seed: int) -> ox.Store:
    rng = random.Random(seed)
    store = ox.Store()
    for i in range(rows):
        value = rng.choice(NASTY) + rng.choice(NASTY) + str(i)
        obj = rng.choice([ox.Literal(value), ox.Literal(value, language="en"), ox.NamedNode(f"{EX}o{i}"),
                          ox.BlankNode(f"b{i}"), ox.Literal(str(i), datatype=ox.NamedNode(
                              "http://www.w3.org/2001/XMLSchema#integer"))])
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i:04d}"), ox.NamedNode(f"{EX}p"), obj))
        if rng.random() < 0.3:  # some rows leave ?extra unbound
            store.add(ox.Quad(ox.NamedNode(f"{EX}s{i:04d}"), ox.NamedNode(f"{EX}q"), ox.Literal(value)))
    return store


QUERY = f"SELECT ?s ?o ?extra WHERE {{ ?s <{EX}p> ?o OPTIONAL {{ ?s <{EX}q> ?extra }} }} ORDER BY ?s"


def _rows(body: bytes, fmt: str) -> list[dict]:
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON if fmt == "json"
                                    else ox.QueryResultsFormat.XML)
    return [{v.value: str(s[v]) for v in parsed.variables if s[v] is not None} for s in parsed]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("rows,limit", [(0, 5), (1, 1), (7, 3), (40, 40), (40, 39), (40, 1), (300, 100), (300, 1000)])
def test_direct_capped_rows_equal_the_converted_ones(fmt: str, rows: int, limit: int) -> None:
    store = _store(rows, seed=rows * 31 + limit)
    direct = run_job(store, Job("query", QUERY, results=fmt, row_limit=limit, union=False))
    # the other path: every row as TSV, then the first `limit` of them
    tsv = store.query(QUERY).serialize(format=ox.QueryResultsFormat.TSV)
    every = _rows(ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(
        format=ox.QueryResultsFormat.JSON), "json")
    assert direct.status == 200
    assert _rows(direct.body, fmt) == every[:limit]
    assert direct.rows == min(rows, limit)
    assert direct.truncated == (rows > limit)


def _feed(target: _CappedRows, chunks: list[bytes]) -> tuple[bytes, int, bool]:
    for chunk in chunks:
        try:
            target.write(chunk)
        except _Full:  # past the cap: the serializer stops here
            break
    return target.take()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_marks_split_across_writes_are_counted_once(fmt: str) -> None:
    """The serializer's bytes fed one at a time give the same count and cut as in one piece."""
    whole = _store(25, seed=5).query(QUERY).serialize(
        format=ox.QueryResultsFormat.JSON if fmt == "json" else ox.QueryResultsFormat.XML)
    for limit in (0, 10, 24, 25):
        bytewise = _feed(_CappedRows(fmt, limit), [whole[i:i + 1] for i in range(len(whole))])
        assert _feed(_CappedRows(fmt, limit), [whole]) == bytewise
        body, count, cut = bytewise
        assert count == min(25, limit) and cut == (25 > limit)
        assert len(_rows(body, fmt)) == count


def test_a_bounded_job_is_capped_too() -> None:
    """The fast lane's bounded jobs (one serialize call, no writer) keep the same cap."""
    store = _store(30, seed=9)
    answer = run_job(store, Job("query", QUERY, results="json", row_limit=12, union=False, bounded=True))
    assert answer.rows == 12 and answer.truncated and len(_rows(answer.body, "json")) == 12


# -- the workers' allocator -------------------------------------------------------------------
def _pool_allocators(tmp_path, choice: str) -> list[str]:
    from kg.web.worker import WorkerPool

    ox.Store(str(tmp_path / "oxigraph")).flush()
    pool = WorkerPool(str(tmp_path / "oxigraph"), 3, allocator=choice)
    try:
        assert pool.run(Job("query", "ASK {}", results="json"), 60).status == 200
        return pool.allocators
    finally:
        pool.close()


def test_workers_run_on_the_allocator_asked_for(tmp_path) -> None:
    """'system' is the C library's malloc; 'auto' the first of ALLOCATORS installed, as each
    worker reads it from its own memory map."""
    from kg.web.worker import ALLOCATORS, allocator_library

    assert _pool_allocators(tmp_path, "system") == ["system (the C library's malloc)"]
    found = next((name for name in ALLOCATORS if allocator_library(name)), None)
    auto = _pool_allocators(tmp_path, "auto")
    if found is None:
        assert auto == ["system (the C library's malloc)"]
    else:
        assert len(auto) == 1 and auto[0].startswith(found + " (/")


def test_an_unknown_allocator_is_refused_by_name() -> None:
    from kg.web.worker import allocator_library

    with pytest.raises(ValueError, match="unknown allocator 'nope'"):
        allocator_library("nope")
    assert allocator_library("system") is None
    assert allocator_library("/opt/lib/libfast.so") == "/opt/lib/libfast.so"
