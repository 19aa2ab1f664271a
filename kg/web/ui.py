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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import (Blueprint, Response, abort, current_app, jsonify, render_template, request,
                   send_from_directory)
from markupsafe import Markup, escape

from ..vocab import EVENT_TYPES, KG, PREFIXES, RDF, Minter, sparql_prefixes
from . import ui_lists
from .ui_store import QueryRefused, endpoint, page_rows, plain, run_raw  # noqa: F401

bp = Blueprint("ui", __name__, template_folder="ui_templates", static_folder="static",
               static_url_path="/ui/static")

ROLE_PROPS = ("participant", "demander", "addressee", "party")
PLACE_PROPS = ("venue", "place")
SINGLE_VALUED = ("duration", "status", "reportedDate", "dateText", "topic", "venue", "place")
EVENT_CLASSES = tuple(EVENT_TYPES)
ACTOR_CLASSES = ("Person", "Organization", "Group", "Country")
PLACE_CLASSES = ("City", "Venue")
# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies
COLOURS = {"Meeting": "#0072B2", "Demand": "#D55E00", "Agreement": "#009E73"}
MAX_ROWS = 1000
YASGUI_FILES = ("yasgui.min.js", "yasgui.min.css")
_SAFE_IRI = re.compile(r'^[^\s<>"{}|^`\\]+$')
_CHAR_FRAGMENT = re.compile(r"#char=(\d+),(\d+)$")


# store access: every query of the pages goes through ui_store.run_raw (the one query service,
# kg.query.service, on its lookup lane); page queries live in page_queries/*.rq
# --------------------------------------------------------------------------------------------
def select(sparql: str) -> list[dict[str, Any]]:
    """SELECT rows (vocab prefixes prepended) as dicts of plain values: IRIs and literals as
    strings, integers as ints, unbound as None."""
    _, data = run_raw(sparql_prefixes() + sparql)
    names = data["head"]["vars"]
    return [{n: plain(b.get(n)) for n in names} for b in data["results"]["bindings"]]


def iri_ref(iri: str) -> str:
    """`<iri>` for embedding in SPARQL; refuses anything that could break out of the IRI."""
    if not _SAFE_IRI.match(iri or ""):
        raise ValueError(f"not an IRI: {iri!r}")
    return f"<{iri}>"


def base() -> str:
    """The IRI base the store's data was minted under."""
    return endpoint().base


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
    if dt and re.search(r"#(integer|decimal|double|float|int|long|string)$", dt):
        dt = None  # numbers and plain text read as written
    if not note and dt:
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


def run_query(sparql: str, substitutions: dict | None = None, *, lane: str = "lookup") -> Result:
    """Run a read query over the union graph and shape it for display; a query a user typed
    runs on the service's open lane, as on /sparql."""
    try:
        form, data = run_raw(sparql, substitutions, lane=lane)
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
    return [(name, f"/ui/sparql?{urlencode({'query': sparql, 'format': fmt})}", f"query-results.{ext}")
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
                           ran=ran, result=run_query(sparql, lane="open") if ran else None,
                           yasgui=yasgui_available(), downloads=download_links(sparql) if ran else [],
                           store_base=base(), prefixes=list(PREFIXES))


@bp.route("/ui/sparql", methods=["GET", "POST"])
def page_sparql() -> Response:
    """The query page's endpoint: /sparql itself (its protocol, guards and predeclared prefixes,
    kg.query.service.QueryService.predeclare), so a pasted query needs no PREFIX lines."""
    from .sparql import run_query as endpoint_query
    text = request.values.get("query")
    if text is None and request.mimetype == "application/sparql-query":
        text = request.get_data(as_text=True)
    if not text:
        abort(400, f"{request.method} {request.path}: no query given (parameter 'query')")
    return endpoint_query(text)


@bp.get("/ui/vendor/yasgui/<path:filename>")
def yasgui_asset(filename: str) -> Response:
    if filename not in YASGUI_FILES + tuple(f + ".map" for f in YASGUI_FILES):
        abort(404)
    return send_from_directory(yasgui_dir(), filename, max_age=3600)


@bp.get("/ui/vocab.json")
def vocab() -> Response:
    """The graph's own vocabulary for editor completion: prefixes, and the classes and properties
    of the ontology plus those seen in a bounded sample of the data (so it answers in the same
    time at any size), kept until the store changes."""
    ep = endpoint()
    key = (ep.store_dir, ep.generation)
    if key not in _VOCAB:
        classes, props = ontology_terms()
        classes |= {r["c"] for r in page_rows("vocab_classes")}
        props |= {r["p"] for r in page_rows("vocab_properties")}
        _VOCAB.clear()
        _VOCAB[key] = {"prefixes": PREFIXES, "classes": sorted(classes), "properties": sorted(props)}
    return jsonify(_VOCAB[key])


_VOCAB: dict[tuple, dict[str, Any]] = {}
ONTOLOGY_FILE = Path(__file__).resolve().parents[2] / "ontology" / "kg.ttl"


def ontology_terms() -> tuple[set[str], set[str]]:
    """Classes and properties the ontology declares (empty when the file is not there)."""
    if not ONTOLOGY_FILE.is_file():
        return set(), set()
    graph = ox.Store()
    graph.load(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE)
    kinds = {"class": {"Class"}, "property": {"Property", "ObjectProperty", "DatatypeProperty",
                                              "AnnotationProperty"}}
    out: dict[str, set[str]] = {"class": set(), "property": set()}
    for quad in graph.quads_for_pattern(None, ox.NamedNode(RDF + "type"), None):
        name = local_name(quad.object.value)
        for kind, names in kinds.items():
            if name in names and isinstance(quad.subject, ox.NamedNode):
                out[kind].add(quad.subject.value)
    return out["class"], out["property"]


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


INPUT_TYPES = {"iri": "text", "number": "number", "integer": "number", "xsd_integer": "number",
               "xsd_decimal": "number", "xsd_double": "number", "xsd_date": "date"}


def input_type(param: Any) -> str:
    """The HTML input type for a parameter type (text when none fits)."""
    return INPUT_TYPES.get(param.type, "text")


def type_hint(param: Any) -> str:
    """Plain words for a parameter type, shown under its field."""
    words = {"iri": "a name (pick from the suggestions) or an IRI / link of this site", "string": "text", "number": "a number",
             "integer": "a whole number", "xsd_date": "a date (YYYY-MM-DD)"}
    return words.get(param.type, param.type.replace("xsd_", "xsd:"))


def param_kind(param: Any) -> str | None:
    """The kind of node an IRI parameter names, from its name (`actor`, `event`, ...)."""
    return next((k for k in ui_lists.KIND_TITLES if param.name.startswith(k)), None)


def run_saved(query: Any, values: dict[str, str]) -> tuple[Result, dict[str, str]]:
    """Run a saved query with its parameters bound as RDF terms (never pasted into the text);
    also the values as bound. An IRI parameter also takes a name, or this server's own link."""
    given = {p.name: values[p.name] for p in query.params if values.get(p.name, "").strip()}
    try:
        for p in query.params:
            if p.type == "iri" and p.name in given:
                given[p.name] = ui_lists.resolve_name(given[p.name], param_kind(p), p.name)
        subs = query.bind(given)
    except ValueError as exc:
        return Result(error=str(exc)), given
    return hide_columns(run_query(query.text, substitutions=subs, lane="open"), {p.var for p in query.params}), given


def hide_columns(result: Result, names: set[str]) -> Result:
    """The result without the columns that only echo the parameters (`?_actor_iri`)."""
    keep = [i for i, v in enumerate(result.variables) if v not in names]
    if len(keep) == len(result.variables) or result.form != "SELECT":
        return result
    result.variables = [result.variables[i] for i in keep]
    result.rows = [[row[i] for i in keep] for row in result.rows]
    return result


def query_view(q: Any) -> dict[str, Any]:
    """A saved query as its JSON twin shows it."""
    return {"name": q.name, "summary": q.summary, "description": q.description, "tags": list(q.tags),
            "form": q.form, "text": q.text, "href": f"/saved/{q.name}",
            "params": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default}
                       for p in q.params]}


def saved_gallery_data(args: dict[str, str]) -> dict[str, Any]:
    """Every saved query (the objects the page's forms are drawn from)."""
    return {"title": "Saved queries", "queries": list(saved_queries().values())}


def saved_one_data(name: str, args: dict[str, str]) -> dict[str, Any]:
    """One saved query, the values of its form, and its results when the form was sent (`run`)."""
    query = saved_queries().get(name) or abort(404, f"no saved query {name!r}")
    ran = "run" in args
    result, bound = run_saved(query, args) if ran else (None, {})
    values = {p.name: args.get(p.name, p.default or "") for p in query.params}
    downloads = [(label, f"/queries/{query.name}.{ext}" + (f"?{urlencode(bound)}" if bound else ""))
                 for label, ext in (("CSV", "csv"), ("JSON", "json"))] if ran and result and not result.error else []
    return {"q": query, "result": result, "ran": ran, "values": values, "bound": bound, "downloads": downloads}


def json_twin(data: dict[str, Any]) -> Response:
    response = jsonify(data)
    response.vary.add("Accept")
    return response


def page_helpers() -> dict[str, Any]:
    return {"input_type": input_type, "type_hint": type_hint, "kind_of": param_kind}


@bp.get("/saved")
@bp.get("/saved.json", endpoint="saved_gallery_json")
def saved_gallery() -> Response:
    """Every saved query with its description and a form for its parameters; a JSON twin."""
    data = saved_gallery_data(request.args)
    if request.path.endswith(".json") or wants_json():
        return json_twin({"title": data["title"], "queries": [query_view(q) for q in data["queries"]]})
    response = Response(render_template("ui/saved.html", queries=data["queries"], **page_helpers()))
    response.vary.add("Accept")
    return response


@bp.get("/saved/<name>")
def saved_one(name: str) -> Response:
    """One saved query: its form, and its results when the form was submitted (`run`); a JSON
    twin at `<name>.json` or by Accept."""
    as_json = name.endswith(".json") or wants_json()
    data = saved_one_data(name.removesuffix(".json"), request.args)
    if as_json:
        result = data["result"]
        return json_twin({**data, "q": query_view(data["q"]), "result": asdict(result) if result else None,
                          "downloads": [{"label": k, "href": h} for k, h in data["downloads"]]})
    response = Response(render_template("ui/saved_one.html", **data, **page_helpers()))
    response.vary.add("Accept")
    return response


# --------------------------------------------------------------------------------------------
# browse lists (kg.web.ui_lists): HTML, .json and .csv from one data function each
# --------------------------------------------------------------------------------------------
def wants_json() -> bool:
    accept = request.accept_mimetypes
    return accept.best_match(["text/html", "application/json"]) == "application/json" \
        and accept["application/json"] > accept["text/html"]


def with_params(data_fn: Any) -> dict[str, Any]:
    """A page's data for this request; a bad parameter is a 400 naming it."""
    try:
        return data_fn(request.args)
    except ui_lists.BadParameter as exc:
        abort(400, f"GET {request.path}: {exc}")
    except QueryRefused as exc:
        abort(503, f"GET {request.path}: the page's query did not finish ({exc}); try narrower filters")


def respond(data: dict[str, Any], template: str, fmt: str | None = None) -> Response:
    """The page as HTML, or its JSON twin (`.json` suffix or Accept), or CSV of its rows."""
    if fmt is None:
        fmt = "json" if request.path.endswith(".json") or wants_json() else \
            "csv" if request.path.endswith(".csv") else "html"
    if fmt == "json":
        response = jsonify(data)
    elif fmt == "csv":
        response = Response(csv_text(data), content_type="text/csv; charset=utf-8")
        response.headers["Content-Disposition"] = f'attachment; filename="{data.get("list", "rows")}.csv"'
    else:
        response = Response(render_template(template, data=data, href=local_href,
                                            sort_href=lambda key: ui_lists.sort_href(data, key)),
                            content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response


def csv_text(data: dict[str, Any]) -> str:
    import csv
    import io
    out = io.StringIO()
    keys = ["iri"] + [c["key"] for c in data["columns"]]
    writer = csv.DictWriter(out, fieldnames=keys, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(data["rows"])
    return out.getvalue()


OVERVIEW_SIZE = 10


def browse_data(args: dict[str, str]) -> dict[str, Any]:
    """The first rows of every list with its total, for the overview page."""
    lists = {name: ui_lists.list_data(name, {}, default_size=OVERVIEW_SIZE, with_facets=False)
             for name in ("actors", "places", "events", "articles")}
    return {"title": "Browse", "lists": lists}


@bp.get("/browse")
@bp.get("/browse.json", endpoint="browse_json")
def browse() -> Response:
    """Everything a reader can open: actors, places, events and articles, with counts."""
    return respond(with_params(browse_data), "ui/browse.html")


@bp.get("/browse/<name>")
def browse_list(name: str) -> Response:
    """One list with facets, filters, sorting and paging; `.json` and `.csv` twins."""
    stem, _, suffix = name.partition(".")
    if stem not in ui_lists.LISTS or suffix not in ("", "json", "csv"):
        abort(404, f"no list {name!r} (lists: {', '.join(ui_lists.LISTS)})")
    data = with_params(lambda args: ui_lists.list_data(stem, args))
    return respond(data, "ui/list.html", suffix or None)


@bp.get("/search")
@bp.get("/search.json", endpoint="search_json")
def search() -> Response:
    """Find actors, places, events and articles by any of their names, best match first."""
    return respond(with_params(ui_lists.search_data), "ui/search.html")


@bp.get("/conflicts")
@bp.get("/conflicts.json", endpoint="conflicts_json")
def conflicts() -> Response:
    """Events that different articles report with different dates, places or durations."""
    return respond(with_params(ui_lists.conflicts_data), "ui/conflicts.html")


# --------------------------------------------------------------------------------------------
# headers of every page: a Content-Security-Policy (scripts and styles from this server only,
# no framing), X-Frame-Options for older browsers; the favicon; real error pages
# --------------------------------------------------------------------------------------------
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")


@bp.after_app_request
def page_headers(response: Response) -> Response:
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _refused_class() -> type:
    from .sparql import Refused
    return Refused


@bp.app_errorhandler(404)
@bp.app_errorhandler(_refused_class())
def not_found(exc: Any) -> Response:
    """A page for people (with search and menu) when a browser asks for a missing page; the
    endpoint's plain-text answer otherwise."""
    from .app import _error
    named = {value for value, quality in request.accept_mimetypes if quality > 0}
    if exc.code != 404 or "text/html" not in named:
        return _error(exc)
    body = render_template("ui/404.html", reason=getattr(exc, "description", "") or "")
    return Response(body, status=404, content_type="text/html; charset=utf-8")


@bp.get("/favicon.ico")
def favicon() -> Response:
    return send_from_directory(Path(__file__).parent / "static", "favicon.svg", mimetype="image/svg+xml",
                               max_age=86400)


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


ENTITY_EVENTS = 200
ENTITY_CLAIMS = 4000


def involvement(iri: str) -> tuple[list[dict[str, Any]], bool]:
    """Events the node takes part in (the first ENTITY_EVENTS by IRI, shown by date): roles,
    per-article sources and the quotes behind them; and whether there were more."""
    node = {"p_node": ox.NamedNode(iri)}
    rows = page_rows("entity_events", node, order="?event", limit=ENTITY_EVENTS + 1)
    more = len(rows) > ENTITY_EVENTS
    events: dict[str, dict[str, Any]] = {}
    for r in rows[:ENTITY_EVENTS]:
        events[r["event"]] = {"iri": r["event"], "href": local_href(r["event"]),
                              "label": r["label"] or local_name(r["event"]),
                              "type": local_name(r["type"]) if r["type"] else "Event",
                              "date": str(r["cdate"] or r["rdate"] or r["adate"] or ""),
                              "date_source": "event" if r["cdate"] or r["rdate"] else ("report" if r["adate"] else ""),
                              "sources": r["sources"],
                              "roles": sorted({local_name(x) for x in (r["roles"] or "").split()}),
                              "claims": []}
    claims: dict[tuple[str, str], dict[str, Any]] = {}
    for r in page_rows("entity_claims", node, order="?event ?g ?b", limit=ENTITY_CLAIMS):
        ev = events.get(r["event"])
        if ev is None:
            continue
        claim = claims.get((r["event"], r["g"]))
        if claim is None:
            source = {"name": source_name(r), "href": local_href(r["a"])} if r["a"] else \
                {"name": local_name(r["g"]), "href": None}
            claim = claims[(r["event"], r["g"])] = {"graph": r["g"], "source": source, "quotes": []}
            ev["claims"].append(claim)
        if r["s"]:
            claim["quotes"].append(r)
    for claim in claims.values():
        claim["quotes"] = [quote_view(q) for q in sorted(claim["quotes"], key=lambda q: (q["hit"] is None, q["b"]))[:2]]
    ordered = sorted(events.values(), key=lambda e: (e.get("date") or "9999", e["label"]))
    return ordered, more


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


def entity_data(iri: str, types: list[str]) -> dict[str, Any]:
    """What an actor or place page shows: its HTML and its JSON twin."""
    label, aliases = names_of(iri)
    within = select(f"""SELECT DISTINCT ?w ?l WHERE {{ {iri_ref(iri)} kg:within ?w .
                        OPTIONAL {{ ?w rdfs:label ?l }} }}""")
    contains = select(f"""SELECT DISTINCT ?c ?l WHERE {{ ?c kg:within {iri_ref(iri)} .
                          OPTIONAL {{ ?c rdfs:label ?l }} }} ORDER BY ?l""")
    events, more = involvement(iri)
    return {"view": "entity", "iri": iri, "label": label, "aliases": aliases,
            "types": [local_name(t) for t in types if t.startswith(KG)],
            "events": events, "more": more, "within": within, "contains": contains}


def render_entity(data: dict[str, Any]) -> str:
    return render_template("ui/entity.html", **data, href=local_href, colours=COLOURS)


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
        """Two articles disagree: each states a value of a single-valued fact that the other does
        not (two wordings in one article, or Held vs Planned, are not a conflict)."""
        if self.prop not in ui_lists.CONFLICT_PROPS or len(self.values) < 2:
            return False
        said = [{s.get("g") or s["name"] for s in v["sources"]} for v in self.values.values()]
        return any(a - b and b - a for i, a in enumerate(said) for b in said[i + 1:])


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


def event_data(iri: str) -> dict[str, Any]:
    """What an event page shows (its HTML and its JSON twin): roles and facts with the articles
    that state each value, the conflicting ones, and each article's sentences."""
    meta = event_meta([iri]).get(iri, {"label": local_name(iri), "type": "Event", "date": ""})
    codes = select(f"""SELECT (SAMPLE(?p) AS ?plover) (SAMPLE(?c) AS ?cameo) WHERE {{
        OPTIONAL {{ {iri_ref(iri)} kg:plover ?p }} OPTIONAL {{ {iri_ref(iri)} kg:cameo ?c }} }}""")
    roles, others, sources = event_facts(iri)
    quotes = quote_rows((iri, g) for g in sources)
    evidence = [{"source": sources[g], "quotes": [quote_view(q) for q in quotes.get((iri, g), [])]}
                for g in sorted(sources, key=lambda g: sources[g]["name"])]
    return {"view": "event", "iri": iri, "meta": meta, "codes": codes[0] if codes else {},
            "roles": roles, "facts": others, "conflicts": [f for f in others if f.conflicting],
            "evidence": evidence}


def render_event(data: dict[str, Any]) -> str:
    return render_template("ui/event.html", **data, colours=COLOURS)


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
    shown = next((t for t in ("Person", "Organization", "Group", "Country", "City", "Venue") if t in types), None) \
        or NER_WORDS.get(ner, kind)
    title = f"{shown} → {names.get(den, local_name(den))}" if den else shown
    return Span(int(row["b"]), int(row["e"]), row["m"], kind, shown.lower(), local_href(den), title)


# what a reader calls spaCy's entity labels, for mentions not resolved to a typed node
NER_WORDS = {"PERSON": "Person", "ORG": "Organization", "GPE": "Place", "NORP": "Group", "LOC": "Place",
             "FAC": "Building", "DATE": "Date", "TIME": "Time", "EVENT": "Event", "LAW": "Law",
             "MONEY": "Amount", "CARDINAL": "Number", "QUANTITY": "Amount", "PERCENT": "Percent"}


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


def article_data(iri: str) -> dict[str, Any]:
    """What an article page shows (its HTML and its JSON twin): metadata and text, its sentences
    and mentions as character spans, the claims of each sentence, counts of mention kinds."""
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
    url = meta.get("url") or ""
    return {"view": "article", "iri": iri, "meta": meta, "sentences": sentences,
            "mentions": mentions, "claims": claims, "counts": kind_counts(mentions),
            "safe_url": url if re.match(r"^https?://", url) else None}


def render_article(data: dict[str, Any]) -> str:
    text = str(data["meta"].get("text") or "")
    return render_template("ui/article.html", iri=data["iri"], meta=data["meta"],
                           html=annotate(text, data["sentences"], data["mentions"]),
                           sentences=[s for s in data["sentences"] if s.claims],
                           claims=data["claims"], safe_url=data["safe_url"],
                           counts=data["counts"], colours=COLOURS)


def kind_counts(mentions: list[Span]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for m in mentions:
        counts[m.kind] += 1
    return dict(counts)


# --------------------------------------------------------------------------------------------
# pictures: timeline of events (vis-timeline), network of actors (vis-network), both served from
# node_modules; their data are the events list and network_edges.rq, paged
# --------------------------------------------------------------------------------------------
TIMELINE_SIZE = 1000
NETWORK_EDGES = 300
VENDOR = {  # served name -> path under node_modules
    "vis-timeline.js": "vis-timeline/standalone/umd/vis-timeline-graph2d.min.js",
    "vis-timeline.css": "vis-timeline/styles/vis-timeline-graph2d.min.css",
    "vis-network.js": "vis-network/standalone/umd/vis-network.min.js",
}


def vendor_available(*names: str) -> bool:
    return all((node_modules_dir() / VENDOR[n]).is_file() for n in names)


@bp.get("/ui/vendor/<any('vis-timeline.js', 'vis-timeline.css', 'vis-network.js'):filename>")
def vendor_asset(filename: str) -> Response:
    path = node_modules_dir() / VENDOR[filename]
    if not path.is_file():
        abort(404, f"{filename} is not installed (run npm ci)")
    return send_from_directory(path.parent, path.name, max_age=3600)


def timeline_data(args: dict[str, str]) -> dict[str, Any]:
    """Events by date for the timeline (dated ones on the axis, undated in their own lane),
    through the events list: same filters, paged by TIMELINE_SIZE."""
    data = ui_lists.list_data("events", {**args, "sort": "date"}, default_size=TIMELINE_SIZE,
                              with_facets=False)
    dated = [e for e in data["rows"] if e["date"]]
    return {**data, "title": "Timeline", "dated": dated,
            "undated": [e for e in data["rows"] if not e["date"]], "colours": COLOURS}


def network_data(args: dict[str, str]) -> dict[str, Any]:
    """The strongest ties (NETWORK_EDGES at most) between actors sharing events, for events
    passing the event filters; each tie lists the events that link the two actors."""
    spec = ui_lists.LISTS["events"]
    given, params = ui_lists.parse_filters(spec, args)
    rows = page_rows("network_edges", params, order="DESC(?events) ?a ?b", limit=NETWORK_EDGES)
    nodes: dict[str, dict[str, Any]] = {}
    edges = []
    for r in rows:
        for end in ("a", "b"):
            iri = r[end]
            node = nodes.setdefault(iri, {"iri": iri, "label": r[f"{end}_label"] or local_name(iri),
                                          "type": local_name(r[f"{end}_type"]) if r[f"{end}_type"] else "Actor",
                                          "href": local_href(iri), "events": 0, "ties": 0})
            node["ties"] += 1
            node["events"] += r["events"]
        events = sorted((r["event_iris"] or "").split())
        edges.append({"source": r["a"], "target": r["b"], "events": r["events"],
                      "event_iris": events[:50], "href": "/browse/events?" + urlencode(
                          {"actor": local_href(r["a"]) or r["a"], **given})})
    return {"title": "Network", "filters": given, "nodes": list(nodes.values()), "edges": edges,
            "limit": NETWORK_EDGES, "truncated": len(rows) >= NETWORK_EDGES,
            "filter_fields": [f for f in ui_lists.list_data_fields("events", given)
                              if f["name"] in ("type", "min_sources", "from", "to")],
            "colours": COLOURS}


def tie_data(args: dict[str, str]) -> dict[str, Any]:
    """The events naming both actors `a` and `b` (a tie of the network), with dates and sources."""
    a = ui_lists.canonical_iri(args.get("a") or "", "a")
    b = ui_lists.canonical_iri(args.get("b") or "", "b")
    spec = ui_lists.LISTS["events"]
    given, params = ui_lists.parse_filters(spec, {**args, "actor": a})
    rows = page_rows("tie_events", {**params, "p_other": ox.NamedNode(b)},
                     order=spec.sorts["date"], limit=200)
    return {"a": a, "b": b, "events": [ui_lists.event_row(r) for r in rows]}


@bp.get("/timeline")
@bp.get("/timeline.json", endpoint="timeline_json")
def timeline() -> Response:
    return respond(with_params(timeline_data), "ui/timeline.html")


@bp.get("/network")
@bp.get("/network.json", endpoint="network_json")
def network() -> Response:
    return respond(with_params(network_data), "ui/network.html")


@bp.get("/network/tie.json")
def network_tie() -> Response:
    return respond(with_params(tie_data), "", "json")


# --------------------------------------------------------------------------------------------
# the HTML side of the linked-data IRIs
# --------------------------------------------------------------------------------------------
def resource_data(rows: list[dict] | None, iri: str) -> dict[str, Any]:
    """The data of the page for a data IRI, for its HTML and its JSON twin alike: the article,
    event, actor / place view, else a table of its triples. `view` names which.

    Called by kg.web.linked_data with the (s, p, o, g) rows it found."""
    iri = iri.split("#", 1)[0]
    types = types_of(iri)
    names = {local_name(t) for t in types if t.startswith(KG)}
    if "Article" in names:
        return article_data(iri)
    if names & set(EVENT_CLASSES):
        return event_data(iri)
    if names & set(ACTOR_CLASSES + PLACE_CLASSES + ("Actor", "Place")):
        return entity_data(iri, types)
    return generic_data(rows, iri)


def render_resource(data: dict[str, Any]) -> str:
    """The HTML page of `resource_data`."""
    return RESOURCE_PAGES[data["view"]](data)


def generic_data(rows: list[dict] | None, iri: str) -> dict[str, Any]:
    """Every triple about the resource, values linked where they are data IRIs."""
    if rows is None:
        rows = select(f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ {iri_ref(iri)} ?p ?o }} }} ORDER BY ?g ?p")
    shown = [{"p": short(str(r.get("p"))), "o": str(r.get("o")), "href": local_href(str(r.get("o"))),
              "g": local_href(str(r.get("g") or "")) or str(r.get("g") or "")} for r in rows]
    return {"view": "resource", "iri": iri, "rows": shown}


def render_generic(data: dict[str, Any]) -> str:
    return render_template("ui/resource.html", iri=data["iri"], rows=data["rows"])


RESOURCE_PAGES = {"article": render_article, "event": render_event, "entity": render_entity,
                  "resource": render_generic}
