"""SPARQL 1.1 Protocol at /sparql and /update: request parsing, content negotiation, guards.

Guards, all on by default (docs/endpoint.md):
- SERVICE and LOAD are refused before the text reaches pyoxigraph, which would otherwise fetch any
  URL it is given (server-side request forgery), decided on rdflib's syntax tree of the query
  (kg.query.guards); an allow-list may name SERVICE endpoints. The query workers run without a
  network (kg.query.sandbox) unless an allow-list needs one.
- a hard time limit per query (worker processes, see kg.web.worker), a row cap signalled by the
  `X-KG-Truncated` header, a maximum query length (413), answers buffered whole (never a
  half-written 200).
- updates only when switched on with a bearer token, only by POST /update.

Queries and updates may use the project's prefixes (kg:, rdf:, rdfs:, xsd:, owl:, skos:, dct:,
prov:, sem:, schema:, nif:, oa:) without declaring them, as with `kg query`: the declarations
are added for the prefixes the parsed text uses and declares nowhere, so a text's own PREFIX and
BASE keep their meaning.
"""
from __future__ import annotations

import hmac
import json
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Request, Response, current_app, render_template, request
from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_accept_header

from ..formats import CONTENT_TYPES, media_types, words as format_words
from ..query import guards
from ..query.protocol import with_using
from ..query.service import QueryError, QueryService, Settings
from .answer_cache import mark_cacheable
from .worker import Answer, Job, WorkerPool

bp = Blueprint("sparql", __name__)

# media type -> format name, in the server's order of preference (the first is the default),
# and the `format` / `output` words clients such as SPARQLWrapper add: all from kg.formats
RESULT_TYPES = media_types("results")
GRAPH_TYPES = media_types("graph")
FORMAT_PARAMS = format_words()


class Refused(HTTPException):
    """A request this endpoint will not run; the description says which request and why."""

    def __init__(self, code: int, reason: str):
        super().__init__(reason)
        self.code = code


# -- guards -----------------------------------------------------------------------------------
def check_remote(text: str, service_allow: tuple[str, ...] = (), kind: str = "query") -> None:
    """Refuse LOAD and SERVICE (unless allow-listed), decided on the parsed query
    (kg.query.guards): a text the SPARQL parser cannot read is refused, never run unchecked."""
    try:
        guards.check_remote(text, kind, tuple(service_allow))
    except guards.Refusal as exc:
        raise Refused(exc.status, exc.reason) from None


def check_length(text: str, limit: int) -> None:
    if len(text) > limit:
        raise Refused(413, f"the query is {len(text)} characters long; this endpoint accepts "
                           f"at most {limit}")


# -- protocol ---------------------------------------------------------------------------------
def _single(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise Refused(400, f"{len(values)} '{name}' parameters were sent; the protocol allows one")
    return values[0] if values else None


def read_operation(req: Request, name: str) -> str | None:
    """The query (or update) text of a protocol request, from GET parameters, a form body or a
    direct `application/sparql-query` / `application/sparql-update` body."""
    other = "update" if name == "query" else "query"
    if req.method in ("GET", "HEAD"):  # HEAD is a GET without the body
        if req.args.getlist(other):
            raise Refused(400 if other == "update" else 405,
                          "SPARQL updates are not accepted by GET; POST them to /update"
                          if other == "update" else "queries go to /sparql")
        return _single(req.args.getlist(name), name)
    mimetype = req.mimetype
    if mimetype == "application/x-www-form-urlencoded":
        if req.form.getlist(other):
            raise Refused(400, f"'{other}' sent to the {name} endpoint; "
                               f"{'POST updates to /update' if other == 'update' else 'use /sparql'}")
        return _single(req.form.getlist(name), name)
    if mimetype == f"application/sparql-{name}":
        charset = req.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise Refused(415, f"application/sparql-{name} bodies are UTF-8 (the protocol "
                               f"allows no other encoding); this one says charset={charset}")
        try:
            return req.get_data().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Refused(400, f"the {name} body is not UTF-8 ({exc.reason} at byte "
                               f"{exc.start})") from None
    raise Refused(415, f"unsupported body type {mimetype or '(none)'!r}: send "
                       f"application/x-www-form-urlencoded or application/sparql-{name}")


def _graph_list(name: str) -> list[str] | None:
    values = request.args.getlist(name) + (request.form.getlist(name) if request.method == "POST"
                                           and request.mimetype.endswith("urlencoded") else [])
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError:
            raise Refused(400, f"{name} {value!r} is not a valid IRI") from None
    return values or None


def negotiate(req: Request, suffix: str | None = None) -> tuple[str | None, str | None]:
    """(results format, graph format) from `format`/`output` parameters, then a path suffix
    such as `.csv` (a key of FORMAT_PARAMS), then Accept q-values."""
    return _negotiate(req.values.get("format") or "", req.values.get("output") or "", suffix,
                      req.headers.get("Accept", ""))


@lru_cache(maxsize=1024)
def _negotiate(fmt: str, output: str, suffix: str | None,
               accept_header: str) -> tuple[str | None, str | None]:
    """negotiate() on the request's words (cached: clients send the same few headers)."""
    for value in (fmt.strip().lower(), output.strip().lower()):
        if value in FORMAT_PARAMS:
            return FORMAT_PARAMS[value]
        if value in RESULT_TYPES or value in GRAPH_TYPES:
            return RESULT_TYPES.get(value), GRAPH_TYPES.get(value)
    if suffix:
        return FORMAT_PARAMS[suffix]
    accept = parse_accept_header(accept_header, MIMEAccept)
    if not accept:
        return "json", "turtle"
    results = accept.best_match(list(RESULT_TYPES))
    graph = accept.best_match(list(GRAPH_TYPES))
    return RESULT_TYPES.get(results or ""), GRAPH_TYPES.get(graph or "")


# -- running ----------------------------------------------------------------------------------
class Endpoint(QueryService):
    """The query service of one app; its failures become HTTP errors naming the request."""

    def run(self, job: Job, *, pool: WorkerPool | None = None, timeout: float | None = None) -> Answer:
        try:
            return super().run(job, pool=pool, timeout=timeout)
        except QueryError as exc:
            raise Refused(exc.status, exc.reason) from None

    def dump(self, fmt: str) -> Path:
        try:
            return super().dump(fmt)
        except QueryError as exc:
            raise Refused(exc.status, exc.reason) from None

    def predeclare(self, text: str, kind: str = "query") -> str:
        try:
            return super().predeclare(text, kind)
        except QueryError as exc:
            raise Refused(exc.status, exc.reason) from None


def endpoint() -> Endpoint:
    return current_app.extensions["kg"]


def respond(answer: Answer, *, title: str = "Query results") -> Response:
    """An Answer as an HTTP response: content type, Vary, row count and truncation headers."""
    if answer.status >= 400:
        raise Refused(answer.status, answer.body.decode("utf-8", "replace"))
    body: bytes | str = answer.body
    if answer.fmt == "html":
        args = request.args.to_dict(flat=True) | request.form.to_dict(flat=True)
        args.update(format="json", output="json")
        body = render_template("endpoint/results.html", title=title, answer=answer,
                               data=_html_data(answer),
                               json_url=f"{request.path}?{urlencode(args)}")
    response = Response(body, status=answer.status, content_type=CONTENT_TYPES.get(answer.fmt))
    response.vary.add("Accept")
    response.headers["X-KG-Rows"] = str(answer.rows)
    response.headers["Server-Timing"] = f"query;dur={answer.seconds * 1000:.1f}"
    if answer.truncated:
        limit = endpoint().settings.row_limit
        response.headers["X-KG-Truncated"] = "true"
        response.headers["X-KG-Row-Limit"] = str(limit)
        response.headers["Warning"] = f'199 kg "result truncated to {limit} rows"'
    return response


def _repeatable(text: str) -> bool:
    """Whether another run of this query on the same store state gives the same answer: no
    SERVICE (remote data) and no volatile function (decided on the parsed text)."""
    try:
        analysis = guards.analyse(text)
    except guards.Refusal:
        return False
    return not analysis.remotes and not analysis.volatile


def _html_data(answer: Answer) -> dict:
    if answer.form == "GRAPH":
        return {"turtle": answer.body.decode()}
    return json.loads(answer.body)


def run_query(text: str, *, substitutions: dict | None = None, title: str = "Query results",
              check: bool = True, suffix: str | None = None, base_iri: str | None = None) -> Response:
    """Guard, run and serialize one query of the current request (shared by /sparql and
    /queries/<name>); `suffix` is a format named by the path, as in /queries/<name>.csv."""
    settings = endpoint().settings
    if check:  # a client's text: guards, then the project's prefixes where it uses them undeclared
        check_length(text, settings.max_query_length)
        check_remote(text, settings.service_allow)
        text = endpoint().predeclare(text)
    results, graph = negotiate(request, suffix)
    if graph == "html":
        graph = "turtle" if results != "html" else "html"
    job = Job("query", text, results=results, graph="turtle" if graph == "html" else graph,
              base_iri=request.base_url if base_iri is None else base_iri,
              substitutions=substitutions or {}, default_graph=_graph_list("default-graph-uri"),
              named_graphs=_graph_list("named-graph-uri"))
    generation = endpoint().generation
    answer = endpoint().run(job)
    if request.method == "GET" and answer.status == 200 and _repeatable(text):
        mark_cacheable(request.environ, generation)
    if graph == "html" and answer.form == "GRAPH":
        answer.fmt = "html"
    return respond(answer, title=title)


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    text = read_operation(request, "query")
    if text is None:
        if request.method == "POST":
            raise Refused(400, "POST /sparql without a 'query' parameter")
        from .service import service_description
        return service_description()
    return run_query(text)


@bp.route("/update", methods=["POST"])
def update() -> Response:
    ep = endpoint()
    settings = ep.settings
    if not settings.allow_update or ep.writer is None:
        raise Refused(403, "SPARQL Update is disabled on this server (start it with "
                           "--allow-update and a token)")
    _check_token(settings.update_token or "")
    text = read_operation(request, "update")
    if text is None:
        raise Refused(400, "POST /update without an 'update' parameter")
    check_length(text, settings.max_query_length)
    check_remote(text, (), kind="update")
    text = ep.predeclare(text, "update")
    using, using_named = _graph_list("using-graph-uri"), _graph_list("using-named-graph-uri")
    if using or using_named:  # the protocol's update dataset (kg.query.protocol)
        try:
            text = with_using(text, using or [], using_named or [])
        except guards.Refusal as exc:
            raise Refused(exc.status, exc.reason) from None
        check_remote(text, (), kind="update")
    answer = ep.run(Job("update", text, base_iri=request.base_url), pool=ep.writer)
    if answer.status >= 400:
        raise Refused(answer.status, answer.body.decode("utf-8", "replace"))
    return Response(status=204)


def _check_token(token: str) -> None:
    """`Authorization: Bearer <token>` with exactly the token: nothing added, nothing stripped
    (the scheme is case-insensitive, RFC 9110; HTTP itself drops whitespace around the value)."""
    scheme, _, sent = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(sent.encode(), token.encode()):
        error = Refused(401, "POST /update needs 'Authorization: Bearer <token>' with the "
                             "server's update token")
        raise error
