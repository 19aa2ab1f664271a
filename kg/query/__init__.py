"""Ad-hoc SPARQL for the CLI: the same store and prefixes as the endpoint."""
from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox

from ..store import KGStore, to_python
from ..vocab import sparql_prefixes


def run_cli_query(store: KGStore, text: str, fmt: str, substitutions: dict | None = None) -> str:
    result = store.query(sparql_prefixes() + text, substitutions=substitutions)
    if isinstance(result, (bool, ox.QueryBoolean)):  # pyoxigraph 0.5 answers ASK with a QueryBoolean
        result = bool(result)
        return json.dumps({"boolean": result}) + "\n" if fmt == "json" else f"{str(result).lower()}\n"
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = [[to_python(sol[v]) for v in names] for sol in result]
        return _table(names, rows, fmt)
    out = io.BytesIO()
    ox.serialize(result, out, format=ox.RdfFormat.TURTLE)
    return out.getvalue().decode("utf-8")


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
