r"""Security decided on the parsed query: SERVICE and LOAD nodes of a real SPARQL syntax tree.

pyoxigraph fetches any URL a query names in SERVICE or an update names in LOAD (server-side
request forgery), and exposes no syntax tree of its own. So every query and update is parsed by
rdflib's SPARQL 1.1 grammar first, and the tree is walked for `ServiceGraphPattern` and `Load`
nodes. A text the parser cannot read is refused (fail closed): it is never handed to oxigraph
unchecked. The second wall is in kg.query.sandbox: workers that cannot open sockets at all.

The two parsers must read the same tokens. rdflib decodes `\\uXXXX` escapes over the whole text
before parsing, oxigraph only inside strings and IRIs; an escape that decodes to a character
with a meaning in SPARQL's syntax (a quote, `#`, `<`, a space ...) would let them disagree about
where a string or comment ends, so such escapes are refused; others are decoded as rdflib does.

Known limit of rdflib 7's parser: a SERVICE that follows a `#` on the same line (an IRI with a
fragment, a `\#` escape, a comment) fails to parse, so it is refused even when allow-listed;
put the SERVICE clause on a line of its own.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import Query as QUERY_GRAMMAR, UpdateUnit as UPDATE_GRAMMAR
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable

from .fastlane import Lookup, plan, recognise

_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PN_LOCAL_ESCAPE = re.compile(r"\\(.)")
_parse_lock = threading.Lock()  # pyparsing's packrat cache is shared state


class Refusal(ValueError):
    """A query or update that will not run; `status` is the HTTP code to answer with."""

    def __init__(self, status: int, reason: str, malformed: bool = False):
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.malformed = malformed  # the text did not parse (a syntax error, for the CLI)


@dataclass(frozen=True)
class Remote:
    """One node of the tree that would make the server reach out: SERVICE or LOAD."""
    kind: str            # "SERVICE" | "LOAD"
    target: str          # the endpoint or document IRI as resolved, or '?var' for a variable
    absolute: bool       # the target is an absolute IRI (only those can be allow-listed)


def _decode_escapes(text: str) -> str:
    def decode(m: re.Match) -> str:
        char = chr(int(m.group(1) or m.group(2), 16))
        if not (char.isalnum() or (ord(char) > 127 and char.isprintable() and not char.isspace())):
            raise Refusal(400, f"the text is refused: the codepoint escape {m.group()} stands for "
                               f"{char!r}, a character with a meaning in SPARQL syntax (parsers "
                               "disagree on such escapes); write it directly (or, in a "
                               "string, with a backslash escape such as \\\" or \\n)")
        return char
    return _CODEPOINT_ESCAPE.sub(decode, text)


def parse(text: str, kind: str = "query"):
    """rdflib's syntax tree of a query (`kind="query"`) or update; Refusal(400) when it cannot
    be parsed, naming where the parser stopped."""
    source = _decode_escapes(text)
    grammar = QUERY_GRAMMAR if kind == "query" else UPDATE_GRAMMAR
    try:
        with _parse_lock:
            return grammar.parse_string(source, parse_all=True)
    except ParseBaseException as exc:
        raise Refusal(400, f"malformed {kind}, refused: the SPARQL 1.1 parser that checks it "
                           f"stops at line {exc.lineno}, column {exc.col} ({exc.msg}); a text "
                           "that cannot be checked is never run", malformed=True)
    except RecursionError:
        raise Refusal(400, f"the {kind} is refused: it is nested too deeply to be checked") from None


def _walk(node, names: tuple[str, ...]) -> list[CompValue]:
    """Every CompValue named one of `names` under `node` (any depth, any clause)."""
    found, stack = [], [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name in names:
                found.append(item)
            stack.extend(dict.values(item))
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            stack.extend(list(item))
    return found


def _prologue(tree) -> tuple[str, dict[str, str]]:
    """(BASE, prefixes) declared by a query's prologue, in order of declaration."""
    base, prefixes = "", {}
    for decl in tree[0] if len(tree) > 1 else []:
        if isinstance(decl, CompValue) and decl.name == "Base":
            base = urljoin(base, str(decl.iri))
        elif isinstance(decl, CompValue) and decl.name == "PrefixDecl":
            prefixes[decl.prefix or ""] = urljoin(base, str(decl.iri))
    return base, prefixes


def resolve(term, base: str, prefixes: dict[str, str]) -> tuple[str, bool]:
    """(the IRI a term names after BASE and prefixes, or its text; whether it is absolute)."""
    if isinstance(term, Variable):
        return f"?{term}", False
    if isinstance(term, CompValue) and term.name == "pname":
        namespace = prefixes.get(term.prefix or "")
        if namespace is None:
            return f"{term.prefix or ''}:{term.localname or ''}", False
        iri = namespace + _PN_LOCAL_ESCAPE.sub(r"\1", term.localname or "")
    elif isinstance(term, URIRef):
        iri = urljoin(base, str(term)) if base else str(term)
    else:
        return str(term), False
    return iri, bool(urlsplit(iri).scheme)


@dataclass(frozen=True)
class Analysis:
    """What the checks need from one parsed query or update."""
    remotes: tuple[Remote, ...]     # its SERVICE and LOAD nodes
    undeclared: frozenset[str]      # prefixes of prefixed names that no PREFIX declares
    lookup: Lookup | None = None    # the point lookup it is, for the fast lane (kg.query.fastlane)
    volatile: bool = False          # calls a function whose value changes from run to run


# functions whose value differs between two runs on the same data (SPARQL 1.1, 17.4): an answer
# that uses one is never reused for another request (kg.web.answer_cache)
VOLATILE = ("Builtin_RAND", "Builtin_NOW", "Builtin_UUID", "Builtin_STRUUID", "Builtin_BNODE")


@lru_cache(maxsize=4096)
def analyse(text: str, kind: str = "query") -> Analysis:
    """The SERVICE / LOAD nodes, undeclared prefixes, fast-lane lookup and volatile functions
    of a parsed query or update (cached by text: saved and repeated queries are parsed once;
    refusals raise and are not cached). A text in the point-lookup grammar (kg.query.fastlane.recognise) is parsed by
    that smaller parser: it can hold no SERVICE, LOAD or prefixed name."""
    lookup = recognise(text) if kind == "query" else None
    if lookup is not None:
        return Analysis((), frozenset(), lookup)
    return parsed_analysis(text, kind)


def parsed_analysis(text: str, kind: str = "query") -> Analysis:
    """analyse() by rdflib's parse, for every text."""
    tree = parse(text, kind)
    nodes = _walk(tree, ("ServiceGraphPattern", "Load", "pname", "PrefixDecl") + VOLATILE)
    base, prefixes = _prologue(tree) if kind == "query" else ("", {})
    remotes, used, declared = [], set(), set()
    volatile = False
    for node in nodes:
        if node.name in VOLATILE:
            volatile = True
        elif node.name == "Load":
            remotes.append(Remote("LOAD", *resolve(dict.get(node, "iri"), base, prefixes)))
        elif node.name == "ServiceGraphPattern":
            target, absolute = resolve(dict.get(node, "term"), base, prefixes)
            remotes.append(Remote("SERVICE", target, absolute and kind == "query"))
        elif node.name == "pname":
            used.add(dict.get(node, "prefix") or "")
        else:
            declared.add(dict.get(node, "prefix") or "")
    lookup = plan(tree, base, prefixes) if kind == "query" and not remotes else None
    return Analysis(tuple(remotes), frozenset(used - declared), lookup, volatile)


def remote_operations(text: str, kind: str = "query") -> tuple[Remote, ...]:
    """The SERVICE and LOAD nodes of a parsed query or update."""
    return analyse(text, kind).remotes


def predeclare(text: str, kind: str, prefixes: dict[str, str]) -> str:
    """The text with a PREFIX declaration for each of `prefixes` that it uses in a prefixed
    name and declares nowhere itself (decided on the parsed text). A prefix the text declares,
    and its BASE, keep their meaning: only absolute IRIs are added, before the text and on its
    first line (the text's line numbers stay as they were)."""
    missing = [p for p in prefixes if p in analyse(text, kind).undeclared]
    return "".join(f"PREFIX {p}: <{prefixes[p]}> " for p in missing) + text


def check_remote(text: str, kind: str = "query", service_allow: tuple[str, ...] = ()) -> None:
    """Refuse LOAD always, and SERVICE unless its endpoint is an allow-listed absolute IRI
    (a variable endpoint, or any SERVICE inside an update, is refused)."""
    for op in remote_operations(text, kind):
        if op.kind == "LOAD":
            raise Refusal(400, f"LOAD <{op.target}> is refused: LOAD is disabled on this server, "
                               "it would make the server fetch a remote document")
        if not (op.absolute and op.target in service_allow):
            allowed = f" (allowed: {', '.join(service_allow)})" if service_allow else ""
            raise Refusal(400, f"SERVICE {op.target} is refused: federated queries would make the "
                               f"server send requests to other hosts{allowed}")
