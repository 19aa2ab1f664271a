"""Browser pages: query editor, saved-query gallery, browse lists, entity / event / article views,
timeline and actor network. Every page reads the store through SPARQL only and escapes all text.

Paths owned here: `/`, `/saved`, `/saved/<name>`, `/browse`, `/timeline(.json)`, `/network(.json)`,
`/ui/vocab.json`, `/ui/static/*`, `/ui/vendor/yasgui/*`. Entity, event and article
IRIs (`/actor/…`, `/place/…`, `/event/…`, `/article/…`) are dereferenced by kg.web.linked_data,
which calls `render_resource` for HTML.
"""
from __future__ import annotations

import json
import math
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import (Blueprint, Response, abort, current_app, jsonify, render_template, request,
                   send_from_directory)
from markupsafe import Markup, escape

from ..store import KGStore
from ..vocab import EVENT_TYPES, KG, PREFIXES, RDF, Minter, sparql_prefixes

bp = Blueprint("ui", __name__, template_folder="ui_templates", static_folder="static",
               static_url_path="/ui/static")

ROLE_PROPS = ("participant", "demander", "addressee", "party")
PLACE_PROPS = ("venue", "place")
SINGLE_VALUED = ("duration", "status", "reportedDate", "dateText", "topic", "venue", "place")
EVENT_CLASSES = tuple(EVENT_TYPES)
ACTOR_CLASSES = ("Person", "Organization", "Country")
PLACE_CLASSES = ("City", "Venue")
# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies
COLOURS = {"Meeting": "#0072B2", "Demand": "#D55E00", "Agreement": "#009E73"}
MAX_ROWS = 1000
YASGUI_FILES = ("yasgui.min.js", "yasgui.min.css")
_SAFE_IRI = re.compile(r'^[^\s<>"{}|^`\\]+$')
_CHAR_FRAGMENT = re.compile(r"#char=(\d+),(\d+)$")


# --------------------------------------------------------------------------------------------
# store access: through the endpoint's worker pool (time limit, row cap, SERVICE guard) when the
# app has one (`app.extensions["kg"]`, kg.web.sparql.Endpoint), else a read-only KGStore
# --------------------------------------------------------------------------------------------
def endpoint() -> Any | None:
    """The app's SPARQL Endpoint object, if the endpoint's app factory made one."""
    ep = current_app.extensions.get("kg")
    return ep if hasattr(ep, "run") and hasattr(ep, "base") else None


def get_store() -> KGStore:
    """A read-only store for apps without an Endpoint (`kg_store` extension or KG_STORE_DIR)."""
    ext = current_app.extensions
    if not isinstance(ext.get("kg_store"), KGStore):
        store_dir = current_app.config.get("KG_STORE_DIR")
        if not store_dir:
            raise RuntimeError("no kg store configured for the UI")
        ext["kg_store"] = KGStore(store_dir, read_only=True)
    return ext["kg_store"]


class QueryRefused(Exception):
    """A query the endpoint would not run or that failed; the message says why."""


def run_raw(text: str, substitutions: dict | None = None) -> tuple[str, Any]:
    """('SELECT', sparql-results JSON dict) / ('ASK', bool) / ('GRAPH', [ox.Triple]) for a query."""
    ep = endpoint()
    if ep is None:
        return _run_local(text, substitutions)
    from .sparql import check_length, check_remote
    from .worker import Job
    from werkzeug.exceptions import HTTPException
    try:
        check_length(text, ep.settings.max_query_length)
        check_remote(text, ep.settings.service_allow)
        answer = ep.run(Job("query", text, results="json", graph="ntriples",
                            substitutions=substitutions or {}))
    except HTTPException as exc:
        raise QueryRefused(exc.description or str(exc)) from None
    if answer.status >= 400:
        raise QueryRefused(answer.body.decode("utf-8", "replace"))
    if answer.form == "GRAPH":
        return "GRAPH", list(ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES))
    data = json.loads(answer.body)
    if "boolean" in data:
        return "ASK", bool(data["boolean"])
    return "SELECT", data


def _run_local(text: str, substitutions: dict | None) -> tuple[str, Any]:
    try:
        res = get_store().query(text, substitutions=substitutions)
        if isinstance(res, ox.QueryBoolean):
            return "ASK", bool(res)
        if isinstance(res, ox.QuerySolutions):
            return "SELECT", json.loads(res.serialize(format=ox.QueryResultsFormat.JSON))
        return "GRAPH", list(res)
    except (SyntaxError, ValueError, OSError) as exc:
        raise QueryRefused(str(exc)) from None


def select(sparql: str) -> list[dict[str, Any]]:
    """SELECT rows (vocab prefixes prepended) as dicts of plain values: IRIs and literals as
    strings, integers as ints, unbound as None."""
    _, data = run_raw(sparql_prefixes() + sparql)
    names = data["head"]["vars"]
    return [{n: plain(b.get(n)) for n in names} for b in data["results"]["bindings"]]


def plain(binding: dict | None) -> Any:
    if binding is None:
        return None
    if binding.get("datatype", "").endswith(("#integer", "#int", "#long")):
        try:
            return int(binding["value"])
        except ValueError:
            pass
    return binding["value"]


def iri_ref(iri: str) -> str:
    """`<iri>` for embedding in SPARQL; refuses anything that could break out of the IRI."""
    if not _SAFE_IRI.match(iri or ""):
        raise ValueError(f"not an IRI: {iri!r}")
    return f"<{iri}>"


def base() -> str:
    """The IRI base the store's data was minted under."""
    ep = endpoint()
    return ep.base if ep is not None else get_store().base


def local_href(iri: str | None) -> str | None:
    """The path on this server that dereferences a data IRI (None for IRIs minted elsewhere)."""
    if not iri:
        return None
    b = base()
    if iri.startswith(b):
        return "/" + iri[len(b):]
    return None


def short(iri: str) -> str:
    """Prefixed name for vocabulary IRIs, path for data IRIs, else the IRI."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    href = local_href(iri)
    return href or iri


def local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def labels_for(iris: Iterable[str]) -> dict[str, str]:
    """Canonical labels (rdfs:label, else a surface name) for many IRIs in one query."""
    wanted = sorted({i for i in iris if i and _SAFE_IRI.match(i)})
    if not wanted:
        return {}
    values = " ".join(iri_ref(i) for i in wanted)
    rows = select(f"""SELECT ?s (SAMPLE(?l) AS ?label) (SAMPLE(?a) AS ?alt) WHERE {{
        VALUES ?s {{ {values} }} OPTIONAL {{ ?s rdfs:label ?l }} OPTIONAL {{ ?s skos:altLabel ?a }}
    }} GROUP BY ?s""")
    return {r["s"]: r["label"] or r["alt"] or local_name(r["s"]) for r in rows}


def article_id_of(iri: str) -> str:
    return local_name(iri.split("#", 1)[0])


# --------------------------------------------------------------------------------------------
# running queries for the plain form, downloads and saved queries
# --------------------------------------------------------------------------------------------
@dataclass
class Cell:
    """One rendered value of a result: text, optional link, kind (iri / literal / bnode)."""
    text: str
    kind: str = "literal"
    href: str | None = None
    iri: str | None = None
    note: str = ""


@dataclass
class Result:
    """A query's outcome in a form every template can draw."""
    form: str = "SELECT"
    variables: list[str] = field(default_factory=list)
    rows: list[list[Cell | None]] = field(default_factory=list)
    boolean: bool | None = None
    turtle: str = ""
    truncated: bool = False
    error: str = ""


def cell(term: dict | ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Cell | None:
    """A SPARQL-JSON binding or a pyoxigraph term as a display cell."""
    if term is None:
        return None
    if not isinstance(term, dict):
        term = term_dict(term)
    kind, value = term["type"], term["value"]
    if kind == "uri":
        return Cell(short(value), "iri", local_href(value), value)
    if kind == "bnode":
        return Cell(f"_:{value}", "bnode")
    note = f"@{term['xml:lang']}" if term.get("xml:lang") else ""
    dt = term.get("datatype")
    if not note and dt and dt != PREFIXES["xsd"] + "string":
        note = short(dt)
    return Cell(value, "literal", note=note)


def term_dict(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    else:
        out["datatype"] = term.datatype.value
    return out


def query_form(sparql: str) -> str:
    """SELECT / ASK / CONSTRUCT / DESCRIBE: the first query-form keyword outside strings/IRIs."""
    from ..saved_queries import tokens
    for kind, text in tokens(sparql):
        if kind == "word" and text.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return text.upper()
    return "SELECT"


def run_query(sparql: str, substitutions: dict | None = None) -> Result:
    """Run any read query over the union graph and shape it for display."""
    try:
        form, data = run_raw(sparql, substitutions)
    except QueryRefused as exc:
        return Result(error=str(exc))
    if form == "ASK":
        return Result(form="ASK", boolean=data)
    if form == "SELECT":
        names = data["head"]["vars"]
        bindings = data["results"]["bindings"]
        return Result(variables=names, truncated=len(bindings) > MAX_ROWS,
                      rows=[[cell(b.get(n)) for n in names] for b in bindings[:MAX_ROWS]])
    shown = data[:MAX_ROWS]
    return Result(form="CONSTRUCT", variables=["subject", "predicate", "object"],
                  rows=[[cell(t.subject), cell(t.predicate), cell(t.object)] for t in shown],
                  truncated=len(data) > MAX_ROWS,
                  turtle=ox.serialize(shown, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode())


def download_links(sparql: str) -> list[tuple[str, str, str]]:
    """(label, href, file name) of the endpoint's downloads that fit the query's form."""
    form = query_form(sparql)
    fmts = [("CSV", "csv", "csv"), ("JSON", "json", "json")] if form in ("SELECT", "ASK") else \
        [("Turtle", "turtle", "ttl"), ("JSON-LD", "jsonld", "jsonld"), ("N-Triples", "nt", "nt")]
    return [(name, f"/sparql?{urlencode({'query': sparql, 'format': fmt})}", f"query-results.{ext}")
            for name, fmt, ext in fmts]


# --------------------------------------------------------------------------------------------
# query page, vocabulary, downloads, vendor assets
# --------------------------------------------------------------------------------------------
EXAMPLE_QUERY = """SELECT DISTINCT ?event ?type ?label ?date WHERE {
  ?event a ?type ; rdfs:label ?label .
  VALUES ?type { kg:Meeting kg:Demand kg:Agreement }
  OPTIONAL { ?event kg:date ?date }
}
ORDER BY ?date ?label
LIMIT 100"""


def example_query() -> str:
    """The query a new visitor sees: the events list, with only the prefixes it uses."""
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("kg", "rdfs")) + "\n" + EXAMPLE_QUERY


def node_modules_dir() -> Path:
    return Path(os.environ.get("KG_NODE_MODULES") or Path(__file__).resolve().parents[2] / "node_modules")


def yasgui_dir() -> Path:
    return node_modules_dir() / "@zazuko" / "yasgui" / "build"


def yasgui_available() -> bool:
    return all((yasgui_dir() / f).is_file() for f in YASGUI_FILES)


@bp.get("/")
def query_page() -> str:
    """The SPARQL query page: YASGUI when its assets are installed, a plain form always.

    `?query=` is the shareable link: it reopens the query (and runs it in the plain form)."""
    sparql = request.args.get("query", "")
    ran = bool(sparql.strip())
    return render_template("ui/query.html", query=sparql if ran else example_query(),
                           ran=ran, result=run_query(sparql) if ran else None, yasgui=yasgui_available(),
                           downloads=download_links(sparql) if ran else [], store_base=base())


@bp.get("/ui/vendor/yasgui/<path:filename>")
def yasgui_asset(filename: str) -> Response:
    if filename not in YASGUI_FILES + tuple(f + ".map" for f in YASGUI_FILES):
        abort(404)
    return send_from_directory(yasgui_dir(), filename, max_age=3600)


@bp.get("/ui/vocab.json")
def vocab() -> Response:
    """The graph's own vocabulary for editor completion: prefixes, classes, properties."""
    classes = [r["c"] for r in select("SELECT DISTINCT ?c WHERE { ?s a ?c } ORDER BY ?c")]
    props = [r["p"] for r in select("SELECT DISTINCT ?p WHERE { ?s ?p ?o } ORDER BY ?p")]
    return jsonify(prefixes=PREFIXES, classes=classes, properties=props)


# --------------------------------------------------------------------------------------------
# saved queries (queries/*.rq through kg.saved_queries: grlc headers, typed ?_name_type params)
# --------------------------------------------------------------------------------------------
def saved_queries() -> dict[str, Any]:
    """Saved queries by name, as the endpoint's app factory loaded them (else from queries/)."""
    loaded = current_app.extensions.get("kg.queries")
    if loaded is None:
        from ..saved_queries import load_queries
        loaded = current_app.extensions["kg.queries"] = load_queries()
    return loaded


INPUT_TYPES = {"iri": "url", "number": "number", "integer": "number", "xsd_integer": "number",
               "xsd_decimal": "number", "xsd_double": "number", "xsd_date": "date"}


def input_type(param: Any) -> str:
    """The HTML input type for a parameter type (text when none fits)."""
    return INPUT_TYPES.get(param.type, "text")


def type_hint(param: Any) -> str:
    """Plain words for a parameter type, shown under its field."""
    words = {"iri": "an IRI, e.g. a link from an entity page", "string": "text", "number": "a number",
             "integer": "a whole number", "xsd_date": "a date (YYYY-MM-DD)"}
    return words.get(param.type, param.type.replace("xsd_", "xsd:"))


def run_saved(query: Any, values: dict[str, str]) -> Result:
    """Run a saved query with its parameters bound as RDF terms (never pasted into the text)."""
    given = {p.name: values[p.name] for p in query.params if values.get(p.name, "").strip()}
    try:
        subs = query.bind(given)
    except ValueError as exc:
        return Result(error=str(exc))
    return run_query(query.text, substitutions=subs)


@bp.get("/saved")
def saved_gallery() -> str:
    """Every saved query with its description and a form for its parameters."""
    return render_template("ui/saved.html", queries=list(saved_queries().values()),
                           input_type=input_type, type_hint=type_hint)


@bp.get("/saved/<name>")
def saved_one(name: str) -> str:
    """One saved query: its form, and its results when the form was submitted (`run`)."""
    query = saved_queries().get(name) or abort(404, f"no saved query {name!r}")
    ran = "run" in request.args
    result = run_saved(query, request.args) if ran else None
    values = {p.name: request.args.get(p.name, p.default or "") for p in query.params}
    return render_template("ui/saved_one.html", q=query, result=result, ran=ran, values=values,
                           input_type=input_type, type_hint=type_hint)


# --------------------------------------------------------------------------------------------
# browse lists
# --------------------------------------------------------------------------------------------
def entity_list(classes: Iterable[str]) -> list[dict[str, Any]]:
    """Nodes of the given kg: classes with label, type and how many events name them."""
    values = " ".join(f"kg:{c}" for c in classes)
    roles = " ".join(f"kg:{r}" for r in ROLE_PROPS + PLACE_PROPS)
    return select(f"""SELECT ?s (SAMPLE(?l) AS ?label) (SAMPLE(?t) AS ?type) (COUNT(DISTINCT ?e) AS ?events)
        WHERE {{ ?s a ?t . VALUES ?t {{ {values} }} OPTIONAL {{ ?s rdfs:label ?l }}
                 OPTIONAL {{ ?e ?role ?s . VALUES ?role {{ {roles} }} }} }}
        GROUP BY ?s ORDER BY DESC(?events) ?label""")


def article_list() -> list[dict[str, Any]]:
    return select("""SELECT ?a (SAMPLE(?id) AS ?aid) (SAMPLE(?ti) AS ?title) (SAMPLE(?d) AS ?date)
                             (SAMPLE(?o) AS ?outlet)
        WHERE { ?a a kg:Article . OPTIONAL { ?a kg:articleId ?id } OPTIONAL { ?a dct:title ?ti }
                OPTIONAL { ?a dct:date ?d } OPTIONAL { ?a kg:outlet ?o } }
        GROUP BY ?a ORDER BY ?date ?aid""")


@bp.get("/browse")
def browse() -> str:
    """Everything a reader can open: actors, places, events and articles, each with a link."""
    return render_template("ui/browse.html", actors=entity_list(ACTOR_CLASSES),
                           places=entity_list(PLACE_CLASSES), events=timeline_events(),
                           articles=article_list(), href=local_href)


# --------------------------------------------------------------------------------------------
# entity pages (actors and places)
# --------------------------------------------------------------------------------------------
def types_of(iri: str) -> list[str]:
    return sorted({r["t"] for r in select(f"SELECT DISTINCT ?t WHERE {{ {iri_ref(iri)} a ?t }}")})


def names_of(iri: str) -> tuple[str, list[dict[str, Any]]]:
    """Canonical label and the surface names articles used, with how many articles used each."""
    ref = iri_ref(iri)
    label = select(f"SELECT ?l WHERE {{ {ref} rdfs:label ?l }} LIMIT 1")
    aliases = select(f"""SELECT ?alias (COUNT(DISTINCT ?g) AS ?articles) WHERE {{
        GRAPH ?g {{ {ref} skos:altLabel ?alias }} }} GROUP BY ?alias ORDER BY DESC(?articles) ?alias""")
    return (label[0]["l"] if label else local_name(iri)), aliases


def quote_rows(event_graphs: Iterable[tuple[str, str]], mentioned: str | None = None) -> dict:
    """Evidence sentences per (event, graph); those naming `mentioned` come first."""
    pairs = sorted(set(event_graphs))
    if not pairs:
        return {}
    values = " ".join(f"({iri_ref(e)} {iri_ref(g)})" for e, g in pairs)
    men = (f"OPTIONAL {{ GRAPH ?g {{ ?m kg:sentence ?s ; kg:denotes {iri_ref(mentioned)} }} }}"
           if mentioned else "")
    rows = select(f"""SELECT ?event ?g ?s ?quote ?b (SAMPLE(?m) AS ?hit) WHERE {{
        VALUES (?event ?g) {{ {values} }}
        GRAPH ?g {{ ?event kg:evidence ?s . ?s nif:anchorOf ?quote ; nif:beginIndex ?b }} {men}
    }} GROUP BY ?event ?g ?s ?quote ?b ORDER BY ?event ?g ?b""")
    out: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        out[(r["event"], r["g"])].append(r)
    for key, quotes in out.items():
        quotes.sort(key=lambda r: (r["hit"] is None, r["b"]))
    return out


def article_of_graphs(graphs: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Article IRI, id, title and outlet behind each article graph."""
    wanted = sorted(set(graphs))
    if not wanted:
        return {}
    values = " ".join(iri_ref(g) for g in wanted)
    rows = select(f"""SELECT ?g ?a (SAMPLE(?id) AS ?aid) (SAMPLE(?t) AS ?title) (SAMPLE(?o) AS ?outlet)
        WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?a a kg:Article .
                 OPTIONAL {{ ?a kg:articleId ?id }} OPTIONAL {{ ?a dct:title ?t }} OPTIONAL {{ ?a kg:outlet ?o }} }} }}
        GROUP BY ?g ?a""")
    return {r["g"]: {**r, "href": local_href(r["a"]), "name": source_name(r)} for r in rows}


def source_name(article: dict[str, Any]) -> str:
    """How a source is cited: outlet and title, else the article id."""
    bits = [b for b in (article.get("outlet"), article.get("title")) if b]
    return " — ".join(bits) if bits else (article.get("aid") or local_name(article.get("a", "")))


def involvement(iri: str) -> list[dict[str, Any]]:
    """Events the node takes part in: role, per-article sources and the quotes behind them."""
    props = " ".join(f"kg:{p}" for p in ROLE_PROPS + PLACE_PROPS)
    rows = select(f"""SELECT DISTINCT ?event ?role ?g WHERE {{
        GRAPH ?g {{ ?event ?role {iri_ref(iri)} }} VALUES ?role {{ {props} }} }}""")
    quotes = quote_rows(((r["event"], r["g"]) for r in rows), mentioned=iri)
    sources = article_of_graphs(r["g"] for r in rows)
    meta = event_meta(r["event"] for r in rows)
    grouped: dict[str, dict[str, Any]] = {}
    for r in rows:
        ev = grouped.setdefault(r["event"], {**meta.get(r["event"], {"label": local_name(r["event"])}),
                                             "iri": r["event"], "href": local_href(r["event"]),
                                             "roles": set(), "claims": []})
        ev["roles"].add(local_name(r["role"]))
        src = sources.get(r["g"], {"name": local_name(r["g"]), "href": None})
        if not any(c["graph"] == r["g"] for c in ev["claims"]):
            ev["claims"].append({"graph": r["g"], "source": src,
                                 "quotes": [quote_view(q) for q in quotes.get((r["event"], r["g"]), [])[:2]]})
    return sorted(grouped.values(), key=lambda e: (e.get("date") or "9999", e["label"]))


def quote_view(q: dict[str, Any]) -> dict[str, Any]:
    return {"text": q["quote"], "href": local_href(q["s"]), "iri": q["s"]}


def event_meta(events: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Label, type and date of events. The date is the consolidated one, else the earliest
    reported one (`date_source` "event"); failing both, the earliest date of an article that
    claims the event (`date_source` "report": when it was reported, not when it happened)."""
    wanted = sorted(set(events))
    if not wanted:
        return {}
    values = " ".join(iri_ref(e) for e in wanted)
    classes = " ".join(f"kg:{c}" for c in EVENT_CLASSES)
    rows = select(f"""SELECT ?e (SAMPLE(?l) AS ?label) (SAMPLE(?t) AS ?type) (SAMPLE(?d) AS ?cdate)
                             (MIN(?rd) AS ?rdate) (MIN(?ad) AS ?adate) WHERE {{
        VALUES ?e {{ {values} }} OPTIONAL {{ ?e a ?t VALUES ?t {{ {classes} }} }}
        OPTIONAL {{ ?e rdfs:label ?l }} OPTIONAL {{ ?e kg:date ?d }} OPTIONAL {{ ?e kg:reportedDate ?rd }}
        OPTIONAL {{ GRAPH ?g {{ ?e kg:evidence ?s . ?art a kg:Article ; dct:date ?ad }} }}
    }} GROUP BY ?e""")
    return {r["e"]: {"label": r["label"] or local_name(r["e"]),
                     "type": local_name(r["type"]) if r["type"] else "Event",
                     "date": str(r["cdate"] or r["rdate"] or r["adate"] or ""),
                     "date_source": "event" if r["cdate"] or r["rdate"] else ("report" if r["adate"] else "")}
            for r in rows}


def render_entity(iri: str, types: list[str]) -> str:
    label, aliases = names_of(iri)
    within = select(f"""SELECT DISTINCT ?w ?l WHERE {{ {iri_ref(iri)} kg:within ?w .
                        OPTIONAL {{ ?w rdfs:label ?l }} }}""")
    contains = select(f"""SELECT DISTINCT ?c ?l WHERE {{ ?c kg:within {iri_ref(iri)} .
                          OPTIONAL {{ ?c rdfs:label ?l }} }} ORDER BY ?l""")
    return render_template("ui/entity.html", iri=iri, label=label, aliases=aliases,
                           types=[local_name(t) for t in types if t.startswith(KG)],
                           events=involvement(iri), within=within, contains=contains,
                           href=local_href, colours=COLOURS)


# --------------------------------------------------------------------------------------------
# event pages: roles, facts, conflicting reports side by side, quotes
# --------------------------------------------------------------------------------------------
@dataclass
class Fact:
    """One property of an event with each distinct value and the sources that report it."""
    prop: str
    values: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def conflicting(self) -> bool:
        return self.prop in SINGLE_VALUED and len(self.values) > 1


def event_facts(iri: str) -> tuple[list[Fact], list[Fact], dict[str, dict[str, Any]]]:
    """Role facts, other facts and the article graphs that state them."""
    res = Minter(base()).resolution_graph()
    rows = select(f"""SELECT DISTINCT ?g ?p ?o WHERE {{ GRAPH ?g {{ {iri_ref(iri)} ?p ?o }}
        FILTER(?g != {iri_ref(res)} && ?p NOT IN (rdf:type, kg:evidence)) }} ORDER BY ?p ?o""")
    sources = article_of_graphs(r["g"] for r in rows)
    names = labels_for(r["o"] for r in rows if isinstance(r["o"], str) and r["o"].startswith("http"))
    facts: dict[str, Fact] = {}
    for r in rows:
        prop = local_name(r["p"])
        fact = facts.setdefault(prop, Fact(prop))
        value = fact.values.setdefault(str(r["o"]), value_view(r["o"], names))
        value["sources"].append(sources.get(r["g"], {"name": local_name(r["g"]), "href": None}))
    roles = [f for p, f in facts.items() if p in ROLE_PROPS]
    others = [f for p, f in facts.items() if p not in ROLE_PROPS]
    return roles, others, sources


def value_view(value: Any, names: dict[str, str]) -> dict[str, Any]:
    """Display form of a fact's value: label and link for nodes, the text for literals."""
    text = str(value)
    if text.startswith(KG):
        return {"text": local_name(text), "href": None, "sources": []}
    if text in names or (text.startswith("http") and local_href(text)):
        return {"text": names.get(text, local_name(text)), "href": local_href(text), "sources": []}
    return {"text": text, "href": None, "sources": []}


def render_event(iri: str) -> str:
    meta = event_meta([iri]).get(iri, {"label": local_name(iri), "type": "Event", "date": ""})
    codes = select(f"""SELECT (SAMPLE(?p) AS ?plover) (SAMPLE(?c) AS ?cameo) WHERE {{
        OPTIONAL {{ {iri_ref(iri)} kg:plover ?p }} OPTIONAL {{ {iri_ref(iri)} kg:cameo ?c }} }}""")
    roles, others, sources = event_facts(iri)
    quotes = quote_rows((iri, g) for g in sources)
    evidence = [{"source": sources[g], "quotes": [quote_view(q) for q in quotes.get((iri, g), [])]}
                for g in sorted(sources, key=lambda g: sources[g]["name"])]
    return render_template("ui/event.html", iri=iri, meta=meta, codes=codes[0] if codes else {},
                           roles=roles, facts=others, conflicts=[f for f in others if f.conflicting],
                           evidence=evidence, colours=COLOURS)


# --------------------------------------------------------------------------------------------
# article view: text with entities highlighted, claims beside each sentence
# --------------------------------------------------------------------------------------------
@dataclass
class Span:
    """A stretch of the article text: a sentence or a mention of a node."""
    begin: int
    end: int
    iri: str
    kind: str = "sentence"
    label: str = ""
    href: str | None = None
    title: str = ""
    claims: int = 0


def article_graph(iri: str) -> str | None:
    rows = select(f"SELECT ?g WHERE {{ GRAPH ?g {{ {iri_ref(iri)} a kg:Article }} }} LIMIT 1")
    return rows[0]["g"] if rows else None


def article_spans(iri: str, graph: str) -> tuple[list[Span], list[Span]]:
    """Sentences and mentions of one article, mentions classed actor / place / date / other."""
    g, a = iri_ref(graph), iri_ref(iri)
    sents = select(f"""SELECT DISTINCT ?s ?b ?e WHERE {{ GRAPH {g} {{ ?s a kg:Sentence ; kg:article {a} ;
        nif:beginIndex ?b ; nif:endIndex ?e }} }} ORDER BY ?b""")
    mens = select(f"""SELECT ?m ?b ?e (SAMPLE(?lab) AS ?ner) (SAMPLE(?d) AS ?den) (GROUP_CONCAT(DISTINCT ?t) AS ?types)
        WHERE {{ GRAPH {g} {{ ?m a kg:Mention ; kg:article {a} ; nif:beginIndex ?b ; nif:endIndex ?e .
                 OPTIONAL {{ ?m kg:nerLabel ?lab }} OPTIONAL {{ ?m kg:denotes ?d }} }}
                 OPTIONAL {{ ?d a ?t }} }} GROUP BY ?m ?b ?e ORDER BY ?b""")
    names = labels_for(r["den"] for r in mens if r["den"])
    sentences = [Span(int(r["b"]), int(r["e"]), r["s"]) for r in sents]
    mentions = [mention_span(r, names) for r in mens]
    return sentences, mentions


def mention_span(row: dict[str, Any], names: dict[str, str]) -> Span:
    types = {local_name(t) for t in (row["types"] or "").split()}
    ner = row["ner"] or ""
    if types & set(ACTOR_CLASSES) or (not types and ner in ("PERSON", "ORG", "NORP")):
        kind = "actor"
    elif types & {"Place", *PLACE_CLASSES} or ner in ("GPE", "LOC", "FAC"):
        kind = "place"
    elif ner in ("DATE", "TIME"):
        kind = "date"
    else:
        kind = "other"
    den = row["den"]
    title = f"{ner} → {names.get(den, local_name(den))}" if den else ner
    return Span(int(row["b"]), int(row["e"]), row["m"], kind, ner or kind, local_href(den), title)


def sentence_claims(graph: str) -> dict[str, list[dict[str, Any]]]:
    """Per evidence sentence: the events it supports and what this article says of them."""
    rows = select(f"""SELECT DISTINCT ?s ?event ?p ?o WHERE {{ GRAPH {iri_ref(graph)} {{
        ?event kg:evidence ?s ; ?p ?o . FILTER(?p NOT IN (kg:evidence)) }} }} ORDER BY ?event ?p""")
    meta = event_meta(r["event"] for r in rows)
    names = labels_for(r["o"] for r in rows if isinstance(r["o"], str) and r["o"].startswith("http"))
    out: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for r in rows:
        ev = out[r["s"]].setdefault(r["event"], {**meta.get(r["event"], {}), "iri": r["event"],
                                                  "href": local_href(r["event"]), "facts": defaultdict(list)})
        if r["p"] != RDF + "type":
            ev["facts"][local_name(r["p"])].append(value_view(r["o"], names))
    return {s: list(evs.values()) for s, evs in out.items()}


def annotate(text: str, sentences: list[Span], mentions: list[Span]) -> Markup:
    """The article text as HTML: sentences and mentions wrapped, every character escaped."""
    parts: list[str] = []
    pos = 0
    outer = non_overlapping(sentences)
    inner = non_overlapping(mentions)
    for s in outer:
        parts.append(wrap_mentions(text, pos, s.begin, inner))
        body = wrap_mentions(text, s.begin, s.end, inner)
        ref = (f'<a class="claim-ref" data-skip href="#claims-{s.begin}-{s.end}" '
               f'aria-label="{s.claims} claim(s) from this sentence">{s.claims}</a>') if s.claims else ""
        cls = "sent has-claims" if s.claims else "sent"
        parts.append(f'<span class="{cls}" id="char={s.begin},{s.end}" data-begin="{s.begin}" '
                     f'data-end="{s.end}">{body}</span>{ref}')
        pos = s.end
    parts.append(wrap_mentions(text, pos, len(text), inner))
    return Markup("".join(parts))


def non_overlapping(spans: list[Span]) -> list[Span]:
    """Spans sorted by start, dropping any that overlap an earlier one (keeps nesting sane)."""
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.begin, -s.end)):
        if s.begin >= s.end:
            continue
        if not out or s.begin >= out[-1].end:
            out.append(s)
    return out


def wrap_mentions(text: str, lo: int, hi: int, mentions: list[Span]) -> str:
    """Escaped text[lo:hi] with the mentions wholly inside it wrapped as highlighted marks."""
    parts, pos = [], lo
    for m in mentions:
        if m.begin < lo or m.end > hi:
            continue
        parts.append(str(escape(text[pos:m.begin])))
        inner = str(escape(text[m.begin:m.end]))
        tag = f'<a href="{escape(m.href)}"' if m.href else "<span"
        close = "</a>" if m.href else "</span>"
        parts.append(f'{tag} class="ent ent-{m.kind}" id="char={m.begin},{m.end}" title="{escape(m.title)}">'
                     f'{inner}<span class="ent-label" data-skip aria-hidden="true">{escape(m.label)}</span>{close}')
        pos = m.end
    parts.append(str(escape(text[pos:hi])))
    return "".join(parts)


def render_article(iri: str) -> str:
    graph = article_graph(iri)
    meta = select(f"""SELECT (SAMPLE(?t) AS ?title) (SAMPLE(?d) AS ?date) (SAMPLE(?o) AS ?outlet)
        (SAMPLE(?u) AS ?url) (SAMPLE(?x) AS ?text) (SAMPLE(?dl) AS ?dateline) (SAMPLE(?id) AS ?aid) WHERE {{
        {iri_ref(iri)} a kg:Article . OPTIONAL {{ {iri_ref(iri)} dct:title ?t }}
        OPTIONAL {{ {iri_ref(iri)} dct:date ?d }} OPTIONAL {{ {iri_ref(iri)} kg:outlet ?o }}
        OPTIONAL {{ {iri_ref(iri)} schema:url ?u }} OPTIONAL {{ {iri_ref(iri)} kg:text ?x }}
        OPTIONAL {{ {iri_ref(iri)} kg:dateLine ?dl }} OPTIONAL {{ {iri_ref(iri)} kg:articleId ?id }} }}""")[0]
    sentences, mentions = article_spans(iri, graph) if graph else ([], [])
    claims = sentence_claims(graph) if graph else {}
    for s in sentences:
        s.claims = len(claims.get(s.iri, []))
    text = str(meta.get("text") or "")
    url = meta.get("url") or ""
    return render_template("ui/article.html", iri=iri, meta=meta, html=annotate(text, sentences, mentions),
                           sentences=[s for s in sentences if s.claims], claims=claims,
                           safe_url=url if re.match(r"^https?://", url) else None,
                           counts=kind_counts(mentions), colours=COLOURS)


def kind_counts(mentions: list[Span]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for m in mentions:
        counts[m.kind] += 1
    return dict(counts)


# --------------------------------------------------------------------------------------------
# pictures: timeline of events, network of actors (server-rendered SVG)
# --------------------------------------------------------------------------------------------
def timeline_events() -> list[dict[str, Any]]:
    """Every event with label, type and date (consolidated, else earliest reported)."""
    classes = " ".join(f"kg:{c}" for c in EVENT_CLASSES)
    rows = select(f"SELECT DISTINCT ?e WHERE {{ ?e a ?t VALUES ?t {{ {classes} }} }}")
    meta = event_meta(r["e"] for r in rows)
    events = [{**meta[e], "iri": e, "href": local_href(e)} for e in meta]
    return sorted(events, key=lambda e: (e["date"] or "9999", e["type"], e["label"]))


def parse_day(text: str) -> int | None:
    """Days since 0001-01-01 for an ISO date (or date-time / year-month prefix)."""
    from datetime import date
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text or "")
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2] or 1), int(m[3] or 1)).toordinal()
    except ValueError:
        return None


@dataclass
class Svg:
    """A tiny SVG builder: every attribute and text node escaped."""
    width: int
    height: int
    label: str
    parts: list[str] = field(default_factory=list)

    def add(self, tag: str, text: str = "", **attrs: Any) -> None:
        self.parts.append(self.element(tag, text, **attrs))

    @staticmethod
    def element(tag: str, text: str = "", **attrs: Any) -> str:
        attr = "".join(f' {k.rstrip("_").replace("_", "-")}="{escape(v)}"' for k, v in attrs.items()
                       if v is not None)
        return f"<{tag}{attr}>{escape(text)}</{tag}>" if text else f"<{tag}{attr}/>"

    def link(self, href: str | None, label: str, inner: str) -> None:
        if href:
            self.parts.append(f'<a href="{escape(href)}" aria-label="{escape(label)}">{inner}</a>')
        else:
            self.parts.append(f'<g role="img" aria-label="{escape(label)}">{inner}</g>')

    def markup(self, cls: str) -> Markup:
        return Markup(f'<svg class="{cls}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} '
                      f'{self.height}" width="100%" role="group" aria-label="{escape(self.label)}">'
                      + "".join(self.parts) + "</svg>")


def shape(kind: str, x: float, y: float, r: float, **attrs: Any) -> str:
    """Circle for meetings, diamond for demands, square for agreements (not colour alone)."""
    if kind == "Demand":
        pts = f"{x:.1f},{y - r * 1.3:.1f} {x + r * 1.3:.1f},{y:.1f} {x:.1f},{y + r * 1.3:.1f} {x - r * 1.3:.1f},{y:.1f}"
        return Svg.element("polygon", points=pts, **attrs)
    if kind == "Agreement":
        return Svg.element("rect", x=f"{x - r:.1f}", y=f"{y - r:.1f}", width=f"{2 * r:.1f}",
                           height=f"{2 * r:.1f}", **attrs)
    return Svg.element("circle", cx=f"{x:.1f}", cy=f"{y:.1f}", r=f"{r:.1f}", **attrs)


def timeline_ticks(lo: int, hi: int) -> list[tuple[int, str]]:
    """Axis ticks: months for long spans, a handful of days for short ones."""
    from datetime import date
    span = hi - lo
    if span > 62:
        step = max(1, math.ceil(span / 30 / 10))
        d, out = date.fromordinal(lo).replace(day=1), []
        while d.toordinal() <= hi:
            if d.toordinal() >= lo:
                out.append((d.toordinal(), d.strftime("%b %Y")))
            m = d.month - 1 + step
            d = d.replace(year=d.year + m // 12, month=m % 12 + 1)
        return out
    step = max(1, math.ceil(span / 8))
    return [(o, date.fromordinal(o).strftime("%d %b")) for o in range(lo, hi + 1, step)]


def timeline_svg(events: list[dict[str, Any]]) -> Markup:
    """Events by date in one lane per type, coloured and shaped by type, each a link; marks on
    the same spot stack up and the lane grows to hold them."""
    left, right, top, width = 120, 30, 40, 960
    days = [d for d in (parse_day(e["date"]) for e in events) if d is not None]
    lo, hi = (min(days) - 3, max(days) + 3) if days else (0, 1)
    scale = (width - left - right) / max(1, hi - lo)
    lanes = list(EVENT_CLASSES) + (["Undated"] if len(days) < len(events) else [])
    placed = {lane: stack_marks([e for e in events if lane_of(e, lanes) == lane], lo, scale, left)
              for lane in lanes}
    heights = {lane: max(70, 16 * max((n for *_, n in placed[lane]), default=1) + 30) for lane in lanes}
    svg = Svg(width, top + sum(heights.values()) + 20, "Timeline of events")
    for tick, text in timeline_ticks(lo, hi) if days else []:
        x = left + (tick - lo) * scale
        svg.add("line", x1=f"{x:.1f}", x2=f"{x:.1f}", y1=top - 8, y2=svg.height - 20, class_="tick")
        svg.add("text", text, x=f"{x:.1f}", y=top - 14, class_="tick-label", text_anchor="middle")
    y0 = top
    for lane in lanes:
        y = y0 + heights[lane] / 2
        svg.add("line", x1=left, x2=width - right, y1=f"{y:.1f}", y2=f"{y:.1f}", class_="lane")
        svg.add("text", lane, x=10, y=f"{y + 5:.1f}", class_="lane-label")
        for e, x, i, n in placed[lane]:
            draw_mark(svg, e, x, y + (i - (n - 1) / 2) * 16)
        y0 += heights[lane]
    return svg.markup("timeline")


def lane_of(event: dict[str, Any], lanes: list[str]) -> str:
    if parse_day(event["date"]) is None:
        return "Undated"
    return event["type"] if event["type"] in lanes else lanes[0]


def stack_marks(events: list[dict[str, Any]], lo: int, scale: float,
                left: int) -> list[tuple[dict[str, Any], float, int, int]]:
    """(event, x, index in its stack, stack size): marks closer than 14 px share a stack."""
    slots: dict[int, list[tuple[dict[str, Any], float]]] = defaultdict(list)
    for i, e in enumerate(events):
        day = parse_day(e["date"])
        x = left + (day - lo) * scale if day is not None else left + 20 + i * 24
        slots[round(x / 14)].append((e, x))
    return [(e, x, i, len(stack)) for stack in slots.values() for i, (e, x) in enumerate(stack)]


def draw_mark(svg: Svg, e: dict[str, Any], x: float, y: float) -> None:
    """One event: its type's shape and colour; faint and dashed when dated by its report only."""
    colour = COLOURS.get(e["type"], "#666666")
    reported = e.get("date_source") == "report"
    when = f'reported {e["date"]}' if reported else (e["date"] or "no date")
    inner = (shape(e["type"], x, y, 7, class_="event-mark" + (" reported-date" if reported else ""),
                   fill=colour, fill_opacity="0.2" if reported else None,
                   style=f"stroke:{colour}" if reported else None,
                   data_type=e["type"], data_iri=e["iri"], data_date=e["date"] or None)
             + Svg.element("title", f'{e["label"]} ({e["type"]}, {when})'))
    svg.link(e["href"], f'{e["type"]} on {when}: {e["label"]}', inner)


def network_data() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Actors and the meetings / agreements they share (one edge per pair of actors)."""
    rows = select("""SELECT DISTINCT ?e ?t ?a WHERE { ?e ?role ?a ; a ?t .
        VALUES ?role { kg:participant kg:party } VALUES ?t { kg:Meeting kg:Agreement } }""")
    by_event: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, str] = {}
    for r in rows:
        by_event[r["e"]].add(r["a"])
        kinds[r["e"]] = local_name(r["t"])
    names = labels_for(a for actors in by_event.values() for a in actors)
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    degree: dict[str, int] = defaultdict(int)
    for ev, actors in by_event.items():
        for a in actors:
            degree[a] += 1
        for a, b in ((a, b) for a in sorted(actors) for b in sorted(actors) if a < b):
            edge = edges.setdefault((a, b), {"source": a, "target": b, "Meeting": 0, "Agreement": 0, "events": []})
            edge[kinds[ev]] += 1
            edge["events"].append(ev)
    nodes = [{"iri": a, "label": names.get(a, local_name(a)), "href": local_href(a), "events": degree[a]}
             for a in sorted(degree, key=lambda a: names.get(a, a))]
    return nodes, list(edges.values())


_LAYOUTS: dict[int, dict[str, tuple[float, float]]] = {}


def cached_layout(nodes: list[str], edges: list[tuple[str, str]], width: float,
                  height: float) -> dict[str, tuple[float, float]]:
    """The layout of a network, computed once per distinct network (the graph rarely changes)."""
    key = hash((tuple(nodes), tuple(edges), width, height))
    if key not in _LAYOUTS:
        if len(_LAYOUTS) > 16:
            _LAYOUTS.clear()
        _LAYOUTS[key] = force_layout(nodes, edges, width, height)
    return _LAYOUTS[key]


def force_layout(nodes: list[str], edges: list[tuple[str, str]], width: float, height: float,
                 iterations: int = 200) -> dict[str, tuple[float, float]]:
    """Deterministic Fruchterman–Reingold layout with a pull to the centre, fitted to the box."""
    n = len(nodes)
    iterations = min(iterations, 20_000 // max(n, 1))
    if n == 0:
        return {}
    pos = {v: [math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n)] for i, v in enumerate(nodes)}
    k = 1.6 / math.sqrt(n)
    temp = 0.2
    for _ in range(iterations if n > 1 else 0):
        disp = {v: [-pos[v][0] * 2.5, -pos[v][1] * 2.5] for v in nodes}  # gravity: keeps loners near
        for i, a in enumerate(nodes):
            for b in nodes[i + 1:]:
                push(pos, disp, a, b, lambda d: k * k / d)
        for a, b in edges:
            push(pos, disp, a, b, lambda d: -d * d / k)
        for v in nodes:
            d = max(1e-9, math.hypot(*disp[v]))
            pos[v][0] += disp[v][0] / d * min(d, temp)
            pos[v][1] += disp[v][1] / d * min(d, temp)
        temp *= 0.98
    return fit(pos, width, height)


def push(pos: dict, disp: dict, a: str, b: str, force: Any) -> None:
    """Apply a force along a–b (positive pushes apart) to both nodes' displacement."""
    dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
    d = max(0.01, math.hypot(dx, dy))
    f = force(d)
    disp[a][0] += dx / d * f; disp[a][1] += dy / d * f
    disp[b][0] -= dx / d * f; disp[b][1] -= dy / d * f


def fit(pos: dict[str, list[float]], width: float, height: float) -> dict[str, tuple[float, float]]:
    """Scale positions into the box, leaving room for labels on the right."""
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    left, right, top, bottom = 40, width - 170, 30, height - 30
    sx = (right - left) / ((max(xs) - min(xs)) or 1)
    sy = (bottom - top) / ((max(ys) - min(ys)) or 1)
    cx = left if max(xs) > min(xs) else (left + right) / 2
    cy = top if max(ys) > min(ys) else (top + bottom) / 2
    return {v: (cx + (p[0] - min(xs)) * sx, cy + (p[1] - min(ys)) * sy) for v, p in pos.items()}


def network_svg(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> Markup:
    """Actors as linked circles sized by events, lines for shared meetings / agreements."""
    svg = Svg(960, 620, "Network of actors linked by shared meetings and agreements")
    pos = cached_layout([n["iri"] for n in nodes], [(e["source"], e["target"]) for e in edges], 960, 620)
    for e in edges:
        (x1, y1), (x2, y2) = pos[e["source"]], pos[e["target"]]
        kind = "Agreement" if e["Agreement"] >= e["Meeting"] else "Meeting"
        width = 1.5 + 1.5 * math.log2(e["Meeting"] + e["Agreement"])
        svg.add("line", x1=f"{x1:.1f}", y1=f"{y1:.1f}", x2=f"{x2:.1f}", y2=f"{y2:.1f}", class_="tie",
                stroke=COLOURS[kind], stroke_width=f"{width:.1f}", data_meetings=e["Meeting"],
                data_agreements=e["Agreement"])
    for n in nodes:
        x, y = pos[n["iri"]]
        r = 6 + 3 * math.sqrt(n["events"])
        inner = (Svg.element("circle", cx=f"{x:.1f}", cy=f"{y:.1f}", r=f"{r:.1f}", class_="actor-mark",
                             data_iri=n["iri"])
                 + Svg.element("text", n["label"], x=f"{x + r + 3:.1f}", y=f"{y + 4:.1f}", class_="actor-label")
                 + Svg.element("title", f'{n["label"]}: {n["events"]} meeting(s) / agreement(s)'))
        svg.link(n["href"], f'{n["label"]}, {n["events"]} shared meeting(s) or agreement(s)', inner)
    return svg.markup("network")


@bp.get("/timeline")
def timeline() -> str:
    events = timeline_events()
    return render_template("ui/timeline.html", events=events, svg=timeline_svg(events), colours=COLOURS)


@bp.get("/timeline.json")
def timeline_json() -> Response:
    return jsonify(events=timeline_events())


@bp.get("/network")
def network() -> str:
    nodes, edges = network_data()
    return render_template("ui/network.html", nodes=nodes, edges=edges, svg=network_svg(nodes, edges),
                           colours=COLOURS, labels={n["iri"]: n["label"] for n in nodes}, href=local_href)


@bp.get("/network.json")
def network_json() -> Response:
    nodes, edges = network_data()
    return jsonify(nodes=nodes, edges=edges)


# --------------------------------------------------------------------------------------------
# the HTML side of the linked-data IRIs
# --------------------------------------------------------------------------------------------
def render_resource(rows: list[dict] | None, iri: str, store: KGStore | None = None) -> str:
    """HTML page for a data IRI: article, event, actor / place view, else a table of its triples.

    Called by kg.web.linked_data with the (p, o, g) rows it found; `store` overrides the app's.
    """
    if store is not None:
        current_app.extensions.setdefault("kg_store", store)
    iri = iri.split("#", 1)[0]
    types = types_of(iri)
    names = {local_name(t) for t in types if t.startswith(KG)}
    if "Article" in names:
        return render_article(iri)
    if names & set(EVENT_CLASSES):
        return render_event(iri)
    if names & set(ACTOR_CLASSES + PLACE_CLASSES + ("Actor", "Place")):
        return render_entity(iri, types)
    return render_generic(rows, iri)


def render_generic(rows: list[dict] | None, iri: str) -> str:
    """Every triple about the resource, values linked where they are data IRIs."""
    if rows is None:
        rows = select(f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ {iri_ref(iri)} ?p ?o }} }} ORDER BY ?g ?p")
    shown = [{"p": short(str(r.get("p"))), "o": str(r.get("o")), "href": local_href(str(r.get("o"))),
              "g": local_href(str(r.get("g") or "")) or str(r.get("g") or "")} for r in rows]
    return render_template("ui/resource.html", iri=iri, rows=shown)
