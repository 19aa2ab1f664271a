"""How the browser pages read the store: every page query goes through `run_raw`, which runs it
in the one query service of the CLI and the endpoint (kg.query.service); the pages' own SPARQL
lives in `page_queries/*.rq`.

Page queries take their parameters as RDF terms (pyoxigraph substitutions, SEP-0007: a bound
variable must be projected, so each file projects its `?f_*` / `?p_*` parameters), never pasted
into the text; the text only grows by an ORDER BY picked from the caller's fixed table and
integer LIMIT / OFFSET, so no page query grows with the data. A line `#include NAME.rqi` in a
file is replaced by that fragment (shared filter blocks, trusted files of this package).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from flask import current_app

from ..query.service import QueryError, QueryService
from ..vocab import XSD, sparql_prefixes

PAGE_QUERIES_DIR = Path(__file__).resolve().parent / "page_queries"
_INCLUDE = re.compile(r"^#include ([\w.-]+\.rqi)\s*$", re.MULTILINE)
_PROJECTED = re.compile(r"\?(\w+)")


class QueryRefused(Exception):
    """A query the query service would not run or that failed; the message says why."""


def endpoint() -> QueryService:
    """The app's query service (kg.query.service), made by the app factory (kg.web.app)."""
    service = current_app.extensions.get("kg")
    if not isinstance(service, QueryService):
        raise RuntimeError("the UI needs the app's query service: build the app with "
                           "kg.web.app.create_app")
    return service


def run_raw(text: str, substitutions: dict | None = None, *,
            lane: str = "lookup") -> tuple[str, Any]:
    """('SELECT', sparql-results JSON dict) / ('ASK', bool) / ('GRAPH', [ox.Triple]) for a query,
    run by the one query service (its length limit, remote guard, time limit, row cap and
    worker pool). The pages' own queries are bounded and take the `lookup` lane, so client
    queries holding the open workers do not stall the pages; a query a user typed on a page
    passes `lane="open"`, as on /sparql."""
    try:
        answer = endpoint().query(text, substitutions=substitutions, lane=lane)
    except QueryError as exc:
        raise QueryRefused(exc.reason) from None
    if answer.form == "GRAPH":
        return "GRAPH", list(ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES))
    data = json.loads(answer.body)
    if "boolean" in data:
        return "ASK", bool(data["boolean"])
    return "SELECT", data


def plain(binding: dict | None) -> Any:
    """A SPARQL-JSON value as Python: integers as int, everything else as its string."""
    if binding is None:
        return None
    if binding.get("datatype", "").endswith(("#integer", "#int", "#long")):
        try:
            return int(binding["value"])
        except ValueError:
            pass
    return binding["value"]


def rows_of(data: dict) -> list[dict[str, Any]]:
    names = data["head"]["vars"]
    return [{n: plain(b.get(n)) for n in names} for b in data["results"]["bindings"]]


@lru_cache(maxsize=None)
def page_query_text(name: str) -> str:
    """The text of page_queries/NAME.rq with its includes expanded and the vocab prefixes first."""
    path = PAGE_QUERIES_DIR / f"{name}.rq"
    text = path.read_text(encoding="utf-8")
    text = _INCLUDE.sub(lambda m: (PAGE_QUERIES_DIR / m.group(1)).read_text(encoding="utf-8"), text)
    return sparql_prefixes() + text


def projected(name: str) -> set[str]:
    """Variables named in the SELECT clause of a page query (those it can be bound with)."""
    text = page_query_text(name)
    head = text[text.index("SELECT"):text.index("WHERE")]
    return set(_PROJECTED.findall(head))


def term(value: Any) -> ox.NamedNode | ox.Literal:
    """An RDF term for a parameter: IRIs as ox.NamedNode (given so), ints, dates, bools, text."""
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    return ox.Literal(str(value))


def page_rows(name: str, params: dict[str, Any] | None = None, *, order: str = "",
              limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Rows of one page query. `params` bind the query's projected variables (None: unbound);
    `order` is an ORDER BY body from the caller's own table, never from a request."""
    wanted = projected(name)
    subs = {}
    for key, value in (params or {}).items():
        if value is None:
            continue
        if key not in wanted:
            raise ValueError(f"page query {name!r} takes no parameter {key!r}")
        subs[ox.Variable(key)] = term(value)
    text = page_query_text(name)
    if order:
        text += f"\nORDER BY {order}"
    if limit is not None:
        text += f"\nLIMIT {int(limit)} OFFSET {max(0, int(offset))}"
    _, data = run_raw(text, subs)
    return rows_of(data)
