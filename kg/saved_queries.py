"""Saved SPARQL queries: one `queries/*.rq` file each, with grlc-style `#+` metadata headers.

Files may use the prefixes of kg.vocab (kg:, rdfs:, skos:, ...) without declaring them.

Header (YAML-like lines starting with `#+`, as grlc reads them)::

    #+ summary: Events on a timeline           (the title; `title:` is accepted as an alias)
    #+ description: Events between two dates, oldest first.
    #+ tags:
    #+   - events
    #+ defaults:
    #+   - type: https://w3id.org/newskg/ontology#Meeting

Parameters follow grlc's variable convention: `?_name_type` is required, `?__name_type` optional
(left unbound when absent), the type being `iri`, `literal` (or none: a plain string), `number`,
`integer`, `xsd_<datatype>` (date, dateTime, integer, decimal, double, boolean, gYear, string) or a
two-letter language tag (`?_label_en`). A SELECT must project its parameters (pyoxigraph
enforces SEP-0007's rule that substituted variables are in the projection), so every answer
echoes the values it was bound with. Values are bound as RDF terms through pyoxigraph's
`substitutions` (SEP-0007), never pasted into the query text, so no value can change the query.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox

from .data import data_path
from .vocab import sparql_prefixes

XSD = "http://www.w3.org/2001/XMLSchema#"
QUERIES_DIR = data_path("queries")

# SPARQL lexical pieces that may hold text looking like variables or keywords.
_TOKEN = re.compile(r'''
    (?P<comment>\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
  | (?P<pname>[A-Za-z\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*:[\w.\-:%\\\u00b7\u00c0-\uffff]*|:[\w.\-:%\\\u00b7\u00c0-\uffff]*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>\S)
''', re.VERBOSE | re.DOTALL)


def tokens(query: str) -> list[tuple[str, str]]:
    """(kind, text) tokens of a SPARQL string; enough to find keywords and variables outside
    strings, IRIs and comments (not a parser: callers must err on the side of refusing)."""
    return [(m.lastgroup or "other", m.group()) for m in _TOKEN.finditer(query)]


def token_spans(query: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of every token, for edits that must keep the rest of the text."""
    return [(m.lastgroup or "other", m.start(), m.end()) for m in _TOKEN.finditer(query)]


class ParamError(ValueError):
    """A parameter value that is missing, unknown or of the wrong type (an HTTP 400)."""


@dataclass(frozen=True)
class Param:
    name: str          # public name: `actor` for ?_actor_iri
    var: str           # the SPARQL variable without `?`: `_actor_iri`
    type: str          # iri | string | number | integer | xsd_date ... | lang tag
    required: bool
    default: str | None = None

    @property
    def schema(self) -> dict:
        """OpenAPI schema of the value."""
        kinds = {"iri": {"type": "string", "format": "uri"}, "number": {"type": "number"},
                 "integer": {"type": "integer"}, "xsd_integer": {"type": "integer"},
                 "xsd_decimal": {"type": "number"}, "xsd_double": {"type": "number"},
                 "xsd_boolean": {"type": "boolean"}, "xsd_date": {"type": "string", "format": "date"},
                 "xsd_dateTime": {"type": "string", "format": "date-time"}}
        return dict(kinds.get(self.type, {"type": "string"}))

    def term(self, value: str) -> ox.NamedNode | ox.Literal:
        """The RDF term for a raw request value, or ParamError naming the parameter and type."""
        try:
            return _convert(self.type, value)
        except (ValueError, InvalidOperation) as exc:
            raise ParamError(f"parameter {self.name!r} must be {_describe(self.type)}; "
                             f"got {value[:80]!r} ({exc})") from None


def _describe(kind: str) -> str:
    return {"iri": "an absolute http(s) or urn IRI", "number": "a number", "integer": "an integer",
            "string": "a string"}.get(kind, f"a literal of type {kind}")


# XML Schema lexical forms (Python's fromisoformat alone also takes ISO basic forms such as
# 20250501, which no SPARQL engine compares as an xsd:date)
_DATE = r"(-?\d{4,})-(\d{2})-(\d{2})"
_ZONE = r"(Z|[+-](?:0\d|1[0-4]):[0-5]\d)?"
_XSD_DATE = re.compile(_DATE + _ZONE)
_XSD_DATETIME = re.compile(_DATE + r"T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d+)?" + _ZONE)


def _check_date(pattern: re.Pattern, form: str):
    def check(value: str) -> str:
        m = pattern.fullmatch(value)
        if not m:
            raise ValueError(f"not in the form {form}")
        year = int(m.group(1))
        dt.date(year if 1 <= year <= 9999 else 2000, int(m.group(2)), int(m.group(3)))
        return value
    return check


_XSD_CHECKS = {
    "date": _check_date(_XSD_DATE, "YYYY-MM-DD"),
    "dateTime": _check_date(_XSD_DATETIME, "YYYY-MM-DDThh:mm:ss"),
    "integer": lambda v: str(int(v)),
    "decimal": lambda v: str(Decimal(v)) and v,
    "double": lambda v: str(float(v)) and v,
    "boolean": lambda v: {"true": "true", "false": "false", "1": "true", "0": "false"}[v.lower()],
    "gYear": lambda v: re.fullmatch(r"-?\d{4,}", v).group(),  # type: ignore[union-attr]
    "string": lambda v: v,
}


def _convert(kind: str, value: str) -> ox.NamedNode | ox.Literal:
    if kind == "iri":
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https", "urn") or not (parts.netloc or parts.scheme == "urn"):
            raise ValueError("not an absolute http(s)/urn IRI")
        return ox.NamedNode(value)  # validates the IRI syntax (no spaces, quotes or brackets)
    if kind == "string":
        return ox.Literal(value)
    if kind == "number":
        Decimal(value)
        if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", value):
            raise ValueError("not a number")
        is_int = re.fullmatch(r"[+-]?\d+", value)
        kind = "xsd_integer" if is_int else ("xsd_double" if "e" in value.lower() else "xsd_decimal")
    if kind == "integer":
        kind = "xsd_integer"
    if kind.startswith("xsd_"):
        local = kind[4:]
        check = _XSD_CHECKS.get(local)
        if check is None:
            raise ValueError(f"unsupported datatype xsd:{local}")
        try:
            lexical = check(value.strip())
        except (KeyError, AttributeError, TypeError) as exc:
            raise ValueError(f"not a valid xsd:{local}") from exc
        return ox.Literal(lexical, datatype=ox.NamedNode(XSD + local))
    if re.fullmatch(r"[a-z]{2}", kind):
        return ox.Literal(value, language=kind)
    raise ValueError(f"unknown parameter type {kind!r}")


_PARAM_VAR = re.compile(r"[?$](__?)([A-Za-z0-9]+)(?:_(.+))?")


def find_params(query: str, defaults: dict[str, str] | None = None) -> list[Param]:
    """The `?_name_type` / `?__name_type` variables of a query, in order of first use."""
    seen: dict[str, Param] = {}
    for kind, text in tokens(query):
        m = _PARAM_VAR.fullmatch(text) if kind == "var" else None
        if not m or m.group(2) in seen:
            continue
        raw_type = m.group(3) or "string"
        kind_name = "string" if raw_type == "literal" else raw_type
        _convert_type_check(kind_name, text)
        name = m.group(2)
        seen[name] = Param(name, text[1:], kind_name, required=m.group(1) == "_",
                           default=(defaults or {}).get(name))
    return list(seen.values())


def _convert_type_check(kind: str, var: str) -> None:
    ok = kind in ("iri", "string", "number", "integer") or re.fullmatch(r"[a-z]{2}", kind) \
        or (kind.startswith("xsd_") and kind[4:] in _XSD_CHECKS)
    if not ok:
        raise ValueError(f"variable {var}: unknown parameter type {kind!r}")


@dataclass
class SavedQuery:
    """One saved query. `text` is runnable as is: the vocabulary prefixes of kg.vocab come first
    (files may use kg:, rdfs:, ... without declaring them; their own PREFIX lines win)."""
    name: str
    text: str
    summary: str
    description: str = ""
    tags: list[str] = field(default_factory=list)
    params: list[Param] = field(default_factory=list)
    path: Path | None = None

    @property
    def form(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query-form keyword of the text."""
        for kind, text in tokens(self.text):
            if kind == "word" and text.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                return text.upper()
        return "SELECT"

    def param_type(self, name: str) -> str | None:
        return next((p.type for p in self.params if p.name == name), None)

    def bind(self, values: dict[str, str]) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
        """Substitutions for pyoxigraph from raw request values; ParamError for bad input."""
        known = {p.name for p in self.params}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ParamError(f"unknown parameter(s) {', '.join(map(repr, unknown))} for query "
                             f"{self.name!r}; it takes: {', '.join(sorted(known)) or 'none'}")
        subs = {}
        for p in self.params:
            raw = values.get(p.name, p.default)
            if raw is None or raw == "" and not p.required:
                if p.required:
                    raise ParamError(f"query {self.name!r} needs parameter {p.name!r} "
                                     f"({_describe(p.type)})")
                continue
            subs[ox.Variable(p.var)] = p.term(raw)
        return subs

    def inline(self, values: dict[str, str]) -> str:
        """The query text with bound terms written in place of the parameter variables: the
        'same SPARQL' for a server without substitutions (parity tests, copy-paste). In the
        SELECT projection a parameter becomes `(term AS ?var)` so the columns stay the same."""
        subs = {f"?{v.value}": str(t) for v, t in self.bind(values).items()}
        subs.update({f"${k[1:]}": t for k, t in list(subs.items())})
        out, in_projection, depth = [], False, 0
        for kind, text in _tokens_with_space(self.text):
            upper = text.upper() if kind == "word" else ""
            if upper == "SELECT":
                in_projection, depth = True, 0
            elif in_projection and (upper == "WHERE" or text == "{"):
                in_projection = False
            elif text in "()" and kind == "other":
                depth += 1 if text == "(" else -1
            if kind == "var" and text in subs:
                term = subs[text]
                text = f"({term} AS ?{text[1:]})" if in_projection and depth == 0 else term
            out.append(text)
        return "".join(out)


def _tokens_with_space(query: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    for m in _TOKEN.finditer(query):
        if m.start() > pos:
            out.append(("space", query[pos:m.start()]))
        out.append((m.lastgroup or "other", m.group()))
        pos = m.end()
    out.append(("space", query[pos:]))
    return out


def parse_header(text: str) -> dict:
    """The `#+ key: value` header as a dict; list items (`#+   - x` or `- k: v`) become lists."""
    meta: dict = {}
    key = None
    for line in text.splitlines():
        if not line.startswith("#+"):
            if line.strip() and not line.startswith("#"):
                break
            continue
        body = line[2:].strip()
        if body.startswith("- ") and key:
            item = body[2:].strip()
            k, sep, v = item.partition(":")
            value = {k.strip(): v.strip()} if sep and not item.startswith(("http", "urn")) else item
            meta.setdefault(key, [])
            if isinstance(meta[key], list):
                meta[key].append(value)
            continue
        k, sep, v = body.partition(":")
        if sep:
            key = k.strip()
            meta[key] = v.strip() if v.strip() else []
    return meta


def load_query(path: Path) -> SavedQuery:
    text = path.read_text(encoding="utf-8")
    meta = parse_header(text)
    defaults = {}
    for item in meta.get("defaults") or []:
        if isinstance(item, dict):
            defaults.update(item)
    summary = meta.get("summary") or meta.get("title") or path.stem.replace("_", " ")
    tags = [t for t in (meta.get("tags") or []) if isinstance(t, str)]
    return SavedQuery(name=path.stem, text=sparql_prefixes() + text, summary=str(summary),
                      description=str(meta.get("description") or ""), tags=tags,
                      params=find_params(text, defaults), path=path)


def load_queries(directory: str | Path = QUERIES_DIR) -> dict[str, SavedQuery]:
    """Every `*.rq` of a directory by name (file stem), sorted; a bad file raises naming it."""
    out = {}
    for path in sorted(Path(directory).glob("*.rq")):
        try:
            out[path.stem] = load_query(path)
        except ValueError as exc:
            raise ValueError(f"saved query {path}: {exc}") from exc
    return out
