"""SPARQL 1.1 Protocol pieces that pyoxigraph's Python API lacks: the update dataset.

`using-graph-uri` / `using-named-graph-uri` (protocol §2.2.3) act as a USING / USING NAMED
clause on every DELETE/INSERT … WHERE operation of the request; a request that gives them while
the update text has its own USING or WITH is an error (400). pyoxigraph's `Store.update` takes
no dataset, so the clauses are written into the text, before each such operation's WHERE; the
operations are found on rdflib's syntax tree (kg.query.guards) and the WHERE keywords by
SPARQL's lexical rules, and the result is parsed again before it runs."""
from __future__ import annotations

import pyoxigraph as ox
from rdflib.plugins.sparql.parserutils import CompValue

from ..saved_queries import token_spans
from .guards import Refusal, parse


def _operations(text: str) -> list[CompValue]:
    update = parse(text, "update")[0]
    return [op for op in dict.get(update, "request") or [] if isinstance(op, CompValue)]


def check_dataset_conflict(text: str) -> None:
    """400 when the update names its own dataset (USING, USING NAMED or WITH)."""
    for op in _operations(text):
        if op.name == "Modify" and ("using" in op or "withClause" in op):
            raise Refusal(400, "the request gives using-graph-uri / using-named-graph-uri and the "
                               "update has its own USING or WITH clause; the protocol allows "
                               "only one of them")


def with_using(text: str, default: list[str], named: list[str]) -> str:
    """The update with `USING <g>` / `USING NAMED <g>` before the WHERE of every
    DELETE/INSERT … WHERE operation (not DELETE WHERE, which takes no dataset)."""
    check_dataset_conflict(text)
    clause = " ".join([f"USING {ox.NamedNode(g)}" for g in default] +
                      [f"USING NAMED {ox.NamedNode(g)}" for g in named])
    modify = sum(1 for op in _operations(text) if op.name == "Modify")
    out, depth, previous, inserted, pos = [], 0, "", 0, 0
    for kind, start, end in token_spans(text):
        if kind == "comment":
            continue
        word = text[start:end].upper()
        if word == "WHERE" and kind == "word" and depth == 0 and previous != "DELETE":
            out.append(text[pos:start] + clause + " ")
            pos, inserted = start, inserted + 1
        elif kind == "other" and word in "{}":
            depth += 1 if word == "{" else -1
        previous = word
    out.append(text[pos:])
    if inserted != modify:  # the lexer and the parser disagree: never guess
        raise Refusal(400, "the update's DELETE/INSERT … WHERE operations could not be given "
                           "the request's dataset")
    rewritten = "".join(out)
    parse(rewritten, "update")
    return rewritten
