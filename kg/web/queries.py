"""Saved queries over HTTP: GET /queries (JSON or HTML), GET /queries/<name>?param=… (same content
negotiation as /sparql) and GET /openapi.json (OpenAPI 3 for all of them)."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from ..saved_queries import ParamError, SavedQuery
from .sparql import FORMAT_PARAMS, RESULT_TYPES, Refused, endpoint, run_query

bp = Blueprint("queries", __name__)

PASSTHROUGH = {"format", "output", "default-graph-uri", "named-graph-uri"}


def saved() -> dict[str, SavedQuery]:
    return current_app.extensions["kg.queries"]


def _listing() -> list[dict]:
    return [{"name": q.name, "summary": q.summary, "description": q.description, "tags": q.tags,
             "form": q.form, "url": url_for("queries.run", name=q.name, _external=True),
             "params": [{"name": p.name, "type": p.type, "required": p.required,
                         "default": p.default} for p in q.params],
             "sparql": q.text} for q in saved().values()]


@bp.route("/queries")
@bp.route("/queries.json", endpoint="listing_json")
def listing() -> Response:
    as_json = request.path.endswith(".json") or request.accept_mimetypes.best_match(
        ["application/json", "text/html"]) != "text/html"
    if as_json:
        response = jsonify(_listing())
    else:
        response = Response(render_template("endpoint/queries.html", queries=_listing()),
                            content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response


@bp.route("/queries/<name>")
def run(name: str) -> Response:
    """Run one saved query; `/queries/<name>.csv` (or .json, .tsv, .xml, .html, .ttl, .nt,
    .jsonld) picks the format by suffix, like a `format` parameter."""
    query, suffix = saved().get(name), None
    if query is None and "." in name:
        stem, _, ext = name.rpartition(".")
        if ext.lower() in FORMAT_PARAMS and stem in saved():
            query, suffix = saved()[stem], ext.lower()
    if query is None:
        raise Refused(404, f"GET {request.path}: no saved query named {name!r} "
                           f"(GET /queries lists them)")
    values = {k: _as_base(v) if query.param_type(k) == "iri" else v
              for k, v in request.args.items() if k not in PASSTHROUGH}
    for key in values:
        if len(request.args.getlist(key)) > 1:
            raise Refused(400, f"parameter {key!r} was sent more than once")
    try:
        substitutions = query.bind(values)
    except ParamError as exc:
        raise Refused(400, f"GET {request.path}: {exc}") from None
    # the saved text is trusted (it ships with the server) but still passes the remote guards
    return run_query(query.text, substitutions=substitutions, title=query.summary, suffix=suffix)


def _as_base(value: str) -> str:
    """An IRI in the served form (this server's address) as the graph writes it (its base)."""
    served, base = request.host_url, endpoint().base
    return base + value[len(served):] if served != base and value.startswith(served) else value


@bp.route("/openapi.json")
def openapi() -> Response:
    paths = {}
    for q in saved().values():
        params = [{"name": p.name, "in": "query", "required": p.required,
                   "description": f"{p.type} ({'required' if p.required else 'optional'})",
                   "schema": p.schema | ({"default": p.default} if p.default else {})}
                  for p in q.params]
        content = {t: {} for t in RESULT_TYPES} if q.form in ("SELECT", "ASK") else \
            {t: {} for t in ("text/turtle", "application/ld+json", "application/n-triples")}
        paths[f"/queries/{q.name}"] = {"get": {
            "operationId": q.name, "summary": q.summary, "description": q.description,
            "tags": q.tags, "parameters": params,
            "responses": {"200": {"description": f"{q.form} results; header X-KG-Truncated: true "
                                                 "when the row cap cut them", "content": content},
                          "400": {"description": "a parameter is missing or of the wrong type"},
                          "503": {"description": "the query hit the time limit"}}}}
    doc = {"openapi": "3.0.3",
           "info": {"title": "kg saved queries", "version": "1.0",
                    "description": "Saved SPARQL queries over the news-events knowledge graph. "
                                   "Parameters are bound as RDF terms, never pasted into the text."},
           "servers": [{"url": request.host_url.rstrip("/")}], "paths": paths}
    return jsonify(doc)
