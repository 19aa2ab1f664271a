"""`kg query`: SPARQL from the command line through the same query service as the endpoint
(kg.query.service: guards, time limit, row cap, memory cap, worker processes)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox

from ..store import KGStore, to_python


def open_service(store_dir: str | Path, settings):
    """A QueryService over a store built by `kg build` (FileNotFoundError when there is none)."""
    from .service import QueryService, served_prefixes
    store = KGStore(store_dir, read_only=True)
    base = store.base if store.base.endswith(("/", "#")) else store.base + "/"
    store.close()
    return QueryService(str(Path(store_dir) / "oxigraph"), settings, base, served_prefixes(base))


def run_cli_query(service, text: str, fmt: str, substitutions: dict | None = None) -> tuple[str, bool]:
    """(the answer as text in `fmt`, whether the row cap cut it). QueryError for refusals,
    limits and malformed queries."""
    from ..web.worker import Job
    from .service import QueryError
    answer = service.run(Job("query", text, results="json", graph="turtle",
                             substitutions=substitutions or {}))
    if answer.status >= 400:
        raise QueryError(answer.status, answer.body.decode("utf-8", "replace"))
    if answer.form == "ASK":
        value = json.loads(answer.body)["boolean"]
        return (json.dumps({"boolean": value}) + "\n" if fmt == "json" else f"{str(value).lower()}\n"), False
    if answer.form == "SELECT":
        names, rows = _rows(ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON))
        return _table(names, rows, fmt), answer.truncated
    return answer.body.decode("utf-8"), answer.truncated


def run_store_query(store, text: str, fmt: str, substitutions: dict | None = None) -> str:
    """The answer of a store that runs queries itself (a SPARQL server as the store: its own
    limits apply; the guard has been applied by the caller)."""
    result = store.query(text, substitutions=substitutions)
    if isinstance(result, (bool, ox.QueryBoolean)):
        value = bool(result)
        return json.dumps({"boolean": value}) + "\n" if fmt == "json" else f"{str(value).lower()}\n"
    if isinstance(result, ox.QuerySolutions):
        names, rows = _rows(result)
        del result
        return _table(names, rows, fmt)
    out = io.BytesIO()
    ox.serialize(result, out, format=ox.RdfFormat.TURTLE)
    return out.getvalue().decode("utf-8")


def _rows(solutions: ox.QuerySolutions) -> tuple[list[str], list[list]]:
    """(variable names, rows of Python values). The solutions live only in this frame: pyo3
    objects may not be dropped on another thread, which a garbage-collected frame (kept by a
    traceback of a later error) would make them."""
    names = [v.value for v in solutions.variables]
    return names, [[to_python(sol[v]) for v in names] for sol in solutions]


def _table(names: list[str], rows: list[list], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([dict(zip(names, r)) for r in rows], ensure_ascii=False, indent=2) + "\n"
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(names)
        writer.writerows([["" if v is None else v for v in r] for r in rows])
        return buf.getvalue()
    from rich.console import Console
    from rich.table import Table

    table = Table(*names)
    for r in rows:
        table.add_row(*["" if v is None else str(v) for v in r])
    buf = io.StringIO()
    Console(file=buf, width=200).print(table)
    return buf.getvalue() + f"{len(rows)} row(s)\n"
