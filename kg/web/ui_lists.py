"""Lists to browse, Datasette-style: events, actors, places and articles with facets and counts,
filters, sorting and paging. One data function (`list_data`) per list builds the dict that the
HTML page, its `.json` twin and its `.csv` download all render; every query is a page query
(kg/web/page_queries/) that pages, so nothing here grows with the data.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
from flask import request

from ..vocab import EVENT_TYPES, KG
from .ui_store import endpoint, page_rows

DEFAULT_SIZE = 50
MAX_SIZE = 1000
FACET_VALUES = 30


class BadParameter(ValueError):
    """A request parameter that does not parse; the message names it (an HTTP 400)."""


def base() -> str:
    return endpoint().base


def local_href(iri: str | None) -> str | None:
    b = base()
    return "/" + iri[len(b):] if isinstance(iri, str) and iri.startswith(b) else None


def local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


KINDS = ("actor", "place", "event", "article")


def canonical_iri(value: str, name: str = "value") -> str:
    """The data IRI for any form the server shows: the IRI itself, this server's own address for
    it (`http://127.0.0.1:PORT/actor/x`, whatever host it answers on) or its path (`/actor/x`)."""
    value = value.strip()
    b = base()
    if value.startswith(b):
        return value
    parts = urlsplit(value)
    path = parts.path
    if (not parts.scheme or parts.scheme in ("http", "https")) and path.startswith("/") \
            and path.split("/")[1:2] and path.split("/")[1] in KINDS + ("graph",):
        return b + path.lstrip("/") + (f"#{parts.fragment}" if parts.fragment else "")
    if parts.scheme in ("http", "https", "urn") and (parts.netloc or parts.scheme == "urn"):
        return value
    raise BadParameter(f"parameter {name!r} must be an IRI or a path such as /actor/… ; got {value[:80]!r}")


# --------------------------------------------------------------------------------------------
# filters: request parameter -> page-query variable, parsed into an RDF term
# --------------------------------------------------------------------------------------------
def _int(value: str, name: str) -> ox.Literal:
    if not re.fullmatch(r"\d{1,9}", value.strip()):
        raise BadParameter(f"parameter {name!r} must be a whole number; got {value[:40]!r}")
    return ox.Literal(value.strip(), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))


def _date(value: str, name: str) -> ox.Literal:
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise BadParameter(f"parameter {name!r} must be a date YYYY-MM-DD; got {value[:40]!r}") from None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise BadParameter(f"parameter {name!r} must be a date YYYY-MM-DD; got {value[:40]!r}")
    return ox.Literal(day.isoformat(), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))


def _iri(value: str, name: str) -> ox.NamedNode:
    return ox.NamedNode(canonical_iri(value, name))


def _text(value: str, name: str) -> ox.Literal:
    return ox.Literal(value.strip())


def _yes_no(value: str, name: str) -> ox.Literal:
    word = value.strip().lower()
    if word not in ("yes", "no"):
        raise BadParameter(f"parameter {name!r} must be yes or no; got {value[:40]!r}")
    return ox.Literal("true" if word == "yes" else "false",
                      datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))


def _class_of(choices: tuple[str, ...]) -> Callable[[str, str], ox.NamedNode]:
    def parse(value: str, name: str) -> ox.NamedNode:
        word = local_name(value.strip())
        if word not in choices:
            raise BadParameter(f"parameter {name!r} must be one of {', '.join(choices)}; got {value[:40]!r}")
        return ox.NamedNode(KG + word)
    return parse


@dataclass(frozen=True)
class Filter:
    """A request parameter `name` bound to the page-query variable `var`."""
    name: str
    var: str
    label: str
    parse: Callable[[str, str], ox.NamedNode | ox.Literal]
    input: str = "text"   # the HTML input type of the filter form
    choices: tuple[str, ...] = ()   # a select of these values instead of a free field


@dataclass(frozen=True)
class Facet:
    """Counts of the filtered rows by one value; clicking a value sets `filter`."""
    name: str
    query: str
    label: str
    filter: str
    labels: str = "value"   # "class": local name of a kg: class, "value": as is, "label": ?label


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    link: str = ""          # the row key holding the IRI this column links to
    number: bool = False


@dataclass(frozen=True)
class ListSpec:
    name: str
    title: str
    query: str
    count_query: str
    filters: tuple[Filter, ...]
    facets: tuple[Facet, ...]
    columns: tuple[Column, ...]
    sorts: dict[str, str]
    fixed: dict[str, Any] = field(default_factory=dict)
    shape: Callable[[dict[str, Any]], dict[str, Any]] = lambda r: r

    @property
    def default_sort(self) -> str:
        return next(iter(self.sorts))


EVENT_CLASSES = tuple(EVENT_TYPES)


def event_row(r: dict[str, Any]) -> dict[str, Any]:
    return {"iri": r["e"], "href": local_href(r["e"]), "label": r["label"] or local_name(r["e"]),
            "type": local_name(r["type"]) if r["type"] else "Event", "date": r["date"] or "",
            "date_source": r["date_source"] or "", "sources": r["sources"] or 0}


def actor_row(r: dict[str, Any]) -> dict[str, Any]:
    return {"iri": r["s"], "href": local_href(r["s"]), "label": r["label"] or local_name(r["s"]),
            "type": local_name(r["type"]) if r["type"] else "", "events": r["events"] or 0,
            "articles": r["articles"] or 0}


def article_row(r: dict[str, Any]) -> dict[str, Any]:
    return {"iri": r["a"], "href": local_href(r["a"]), "label": r["title"] or r["aid"] or local_name(r["a"]),
            "id": r["aid"] or local_name(r["a"]), "date": r["date"] or "", "outlet": r["outlet"] or "",
            "events": r["events"] or 0}


EVENT_FILTERS = (
    Filter("type", "f_type", "Type", _class_of(EVENT_CLASSES), choices=EVENT_CLASSES),
    Filter("min_sources", "f_min_sources", "Reported by at least N articles", _int, "number"),
    Filter("from", "f_from", "From", _date, "date"),
    Filter("to", "f_to", "To", _date, "date"),
    Filter("dated", "f_dated", "Dated", _yes_no, choices=("yes", "no")),
    Filter("article", "f_article", "Reported by article", _iri),
    Filter("outlet", "f_outlet", "Reported by outlet", _text),
    Filter("actor", "f_actor", "With actor", _iri),
)
ACTOR_FILTERS = (
    Filter("type", "f_type", "Type", _class_of(("Person", "Organization", "Group", "Country")),
           choices=("Person", "Organization", "Group", "Country")),
    Filter("min_events", "f_min_events", "In at least N events", _int, "number"),
    Filter("article", "f_article", "Named in article", _iri),
    Filter("outlet", "f_outlet", "Named by outlet", _text),
)
PLACE_FILTERS = (Filter("type", "f_type", "Type", _class_of(("City", "Venue")), choices=("City", "Venue")),
                 ) + ACTOR_FILTERS[1:]
ARTICLE_FILTERS = (
    Filter("outlet", "f_outlet", "Outlet", _text),
    Filter("from", "f_from", "From", _date, "date"),
    Filter("to", "f_to", "To", _date, "date"),
    Filter("min_events", "f_min_events", "With at least N events", _int, "number"),
)

UNDATED_LAST = "(!BOUND(?date))"

def _node_list(name: str, title: str, filters, kind: str) -> "ListSpec":
    """Actors and places are listed alike: one query pair, the same facets, columns and orders."""
    return ListSpec(name, title, "actors_list", "actors_count", filters,
                    (Facet("type", "actors_facet_type", "Type", "type", "class"),
                     Facet("outlet", "actors_facet_outlet", "Outlet", "outlet"),
                     Facet("article", "actors_facet_article", "Article", "article", "label")),
                    (Column("label", "Name", link="iri"), Column("type", "Type"),
                     Column("events", "Events", number=True), Column("articles", "Articles", number=True)),
                    {"-events": "DESC(?events) ?label ?s", "events": "?events ?label ?s", "label": "?label ?s",
                     "-label": "DESC(?label) ?s", "-articles": "DESC(?articles) ?label ?s",
                     "type": "?type ?label ?s"},
                    fixed={"f_kind": kind}, shape=actor_row)

LISTS = {spec.name: spec for spec in (
    ListSpec("events", "Events", "events_list", "events_count", EVENT_FILTERS,
             (Facet("type", "events_facet_type", "Type", "type", "class"),
              Facet("sources", "events_facet_sources", "Number of sources", "min_sources"),
              Facet("outlet", "events_facet_outlet", "Outlet", "outlet"),
              Facet("article", "events_facet_article", "Article", "article", "label")),
             (Column("label", "Event", link="iri"), Column("type", "Type"), Column("date", "Date"),
              Column("sources", "Sources", number=True)),
             {"date": f"{UNDATED_LAST} ?date ?label ?e", "-date": f"{UNDATED_LAST} DESC(?date) ?label ?e",
              "-sources": "DESC(?sources) ?label ?e", "sources": "?sources ?label ?e",
              "label": "?label ?e", "-label": "DESC(?label) ?e", "type": "?type ?label ?e"},
             shape=event_row),
    _node_list("actors", "Actors", ACTOR_FILTERS, "actor"),
    _node_list("places", "Places", PLACE_FILTERS, "place"),
    ListSpec("articles", "Articles", "articles_list", "articles_count", ARTICLE_FILTERS,
             (Facet("outlet", "articles_facet_outlet", "Outlet", "outlet"),
              Facet("events", "articles_facet_events", "Number of events", "min_events")),
             (Column("label", "Title", link="iri"), Column("outlet", "Outlet"), Column("date", "Date"),
              Column("events", "Events", number=True)),
             {"date": f"{UNDATED_LAST} ?date ?aid ?a", "-date": f"{UNDATED_LAST} DESC(?date) ?aid ?a",
              "-events": "DESC(?events) ?aid ?a", "label": "?title ?aid ?a", "outlet": "?outlet ?aid ?a"},
             shape=article_row),
)}


# --------------------------------------------------------------------------------------------
# the one data function per list
# --------------------------------------------------------------------------------------------
def parse_filters(spec: ListSpec, args: dict[str, str]) -> tuple[dict[str, str], dict[str, Any]]:
    """(the filters as given, the page-query parameters) from request arguments."""
    given, params = {}, dict(spec.fixed)
    for f in spec.filters:
        raw = (args.get(f.name) or "").strip()
        if raw:
            params[f.var] = f.parse(raw, f.name)
            given[f.name] = raw
    return given, params


def page_args(args: dict[str, str], default_size: int = DEFAULT_SIZE) -> tuple[int, int]:
    try:
        page = int(args.get("page") or 1)
        size = int(args.get("size") or default_size)
    except ValueError:
        raise BadParameter("parameters 'page' and 'size' must be whole numbers") from None
    if page < 1 or not 1 <= size <= MAX_SIZE:
        raise BadParameter(f"parameter 'page' must be ≥ 1 and 'size' between 1 and {MAX_SIZE}")
    return page, size


def list_data(name: str, args: dict[str, str], default_size: int = DEFAULT_SIZE,
              with_facets: bool = True) -> dict[str, Any]:
    """Everything a list page shows: rows of this page, total, facets with counts, links."""
    spec = LISTS[name]
    given, params = parse_filters(spec, args)
    sort = args.get("sort") or spec.default_sort
    if sort not in spec.sorts:
        raise BadParameter(f"parameter 'sort' must be one of {', '.join(spec.sorts)}; got {sort[:40]!r}")
    page, size = page_args(args, default_size)
    counted = page_rows(spec.count_query, params)
    total = counted[0]["n"] if counted else 0
    rows = [spec.shape(r) for r in page_rows(spec.query, params, order=spec.sorts[sort],
                                                limit=size, offset=(page - 1) * size)]
    keep = {**given, "sort": sort, "size": str(size)} if sort != spec.default_sort or size != default_size \
        else dict(given)
    if sort == spec.default_sort:
        keep.pop("sort", None)
    if size == default_size:
        keep.pop("size", None)
    pages = max(1, math.ceil(total / size))
    data = {"list": name, "title": spec.title, "filters": given, "sort": sort, "sorts": list(spec.sorts),
            "page": page, "size": size, "pages": pages, "total": total,
            "columns": [{"key": c.key, "label": c.label, "number": c.number, "link": c.link} for c in spec.columns],
            "rows": rows, "facets": facets(spec, params, given, keep) if with_facets else [],
            "filter_fields": list_data_fields(name, given),
            "links": links(name, keep, page, pages)}
    if counted and "first" in counted[0]:
        first, last = counted[0]["first"], counted[0]["last"]
        data["range"] = {"first": None if str(first).startswith("9999") else first,
                         "last": None if str(last).startswith("0001") else last,
                         "undated": counted[0].get("undated") or 0}
    return data


def list_data_fields(name: str, given: dict[str, str]) -> list[dict[str, str]]:
    """The filter form's fields of a list, with the values given."""
    return [{"name": f.name, "label": f.label, "input": f.input, "value": given.get(f.name, ""),
             "choices": list(f.choices)} for f in LISTS[name].filters]


def facets(spec: ListSpec, params: dict[str, Any], given: dict[str, str],
           keep: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for facet in spec.facets:
        values = []
        for r in page_rows(facet.query, params)[:FACET_VALUES]:
            raw = r["value"]
            if raw in (None, ""):
                continue
            shown = local_name(raw) if facet.labels == "class" else (r.get("label") or raw)
            value = local_name(raw) if facet.labels == "class" else \
                (local_href(raw) if isinstance(raw, str) else None) or str(raw)
            selected = given.get(facet.filter) == value
            args = {k: v for k, v in keep.items() if k != facet.filter}
            if not selected:
                args[facet.filter] = value
            values.append({"value": value, "label": str(shown), "count": r["n"], "selected": selected,
                           "href": f"/browse/{spec.name}" + (f"?{urlencode(args)}" if args else "")})
        at_least = facet.filter.startswith("min_")
        out.append({"name": facet.name, "label": facet.label,
                    "values": _at_least(values) if at_least else values, "at_least": at_least})
    return out


def _at_least(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A 'min_' facet counts the rows with at least each value, as clicking it filters ('2 or
    more: 11'), not those with exactly that value."""
    def number(v: dict[str, Any]) -> int:
        try:
            return int(v["value"])
        except (TypeError, ValueError):
            return 0
    ordered = sorted(values, key=number)
    total = 0
    for v in reversed(ordered):
        total += int(v["count"])
        v["count"] = total
        v["label"] = f"{v['label']} or more"
    return ordered


def links(name: str, keep: dict[str, str], page: int, pages: int) -> dict[str, str | None]:
    def href(suffix: str = "", **extra: Any) -> str:
        args = {**keep, **{k: str(v) for k, v in extra.items() if v is not None}}
        if args.get("page") == "1":
            args.pop("page")
        return f"/browse/{name}{suffix}" + (f"?{urlencode(args)}" if args else "")
    return {"self": href(page=page), "json": href(".json", page=page), "csv": href(".csv", page=page),
            "prev": href(page=page - 1) if page > 1 else None,
            "next": href(page=page + 1) if page < pages else None,
            "first": href(), "last": href(page=pages) if pages > 1 else None}


def sort_href(data: dict[str, Any], key: str) -> str:
    """The link a column header sorts by (toggling the direction when it already sorts)."""
    args = {**data["filters"]}
    if data["size"] != DEFAULT_SIZE:
        args["size"] = str(data["size"])
    current = data["sort"]
    want = f"-{key}" if current == key else key
    if want not in data["sorts"]:
        want = key if key in data["sorts"] else f"-{key}"
    if want not in data["sorts"]:
        return ""
    args["sort"] = want
    return f"/browse/{data['list']}?{urlencode(args)}"


# --------------------------------------------------------------------------------------------
# search: labels and surface names of actors, places, events and articles
# --------------------------------------------------------------------------------------------
SEARCH_SIZE = 50
SEARCH_ORDER = "?rank DESC(?uses) STRLEN(?label) ?label ?item"
KIND_TITLES = {"actor": "Actors", "place": "Places", "event": "Events", "article": "Articles"}


def search_rows(text: str, kind: str | None = None, limit: int = SEARCH_SIZE) -> list[dict[str, Any]]:
    """Nodes matching `text`, best first: whole name, then start of name, word start, inside."""
    q = " ".join(text.lower().split())
    if kind is not None and kind not in KIND_TITLES:
        raise BadParameter(f"parameter 'kind' must be one of {', '.join(KIND_TITLES)}; got {kind[:40]!r}")
    if not q:
        return []
    rows = page_rows("search", {"p_q": q[:100], "p_kind": kind}, order=SEARCH_ORDER, limit=limit)
    return [{"iri": r["item"], "href": local_href(r["item"]), "label": r["label"] or local_name(r["item"]),
             "kind": r["kind"], "type": local_name(r["type"]), "matched": r["matched"],
             "exact": r["rank"] in (0, 2) and r["matched"] and str(r["matched"]).lower() == q} for r in rows]


def search_data(args: dict[str, str]) -> dict[str, Any]:
    q = (args.get("q") or "").strip()
    kind = (args.get("kind") or "").strip() or None
    try:
        limit = min(SEARCH_SIZE, max(1, int(args.get("limit") or SEARCH_SIZE)))
    except ValueError:
        raise BadParameter("parameter 'limit' must be a whole number") from None
    results = search_rows(q, kind, limit)
    groups = [{"kind": k, "title": title, "results": [r for r in results if r["kind"] == k]}
              for k, title in KIND_TITLES.items()]
    return {"title": "Search", "q": q, "kind": kind, "results": results,
            "groups": [g for g in groups if g["results"]]}


def resolve_name(value: str, kind: str | None, name: str) -> str:
    """The IRI a parameter means: an IRI in any form the server shows, or a name (label or surface
    name) that one node of `kind` has in full; else a BadParameter listing close matches."""
    value = value.strip()
    try:
        return canonical_iri(value, name)
    except BadParameter:
        pass
    hits = search_rows(value, kind, limit=8)
    exact = [h for h in hits if h["exact"]]
    if len({h["iri"] for h in exact}) == 1:
        return exact[0]["iri"]
    if len(hits) == 1:
        return hits[0]["iri"]
    what = kind or "node"
    if not hits:
        raise BadParameter(f"parameter {name!r}: no {what} is called {value[:80]!r}")
    raise BadParameter(f"parameter {name!r}: {value[:80]!r} could be " +
                       "; ".join(f"{h['label']} ({h['type']})" for h in hits[:5]) + " — pick one")


# --------------------------------------------------------------------------------------------
# conflicts that matter: different articles, different values of one property
# --------------------------------------------------------------------------------------------
CONFLICT_PROPS = {"reportedDate": "date", "place": "place", "venue": "venue", "duration": "duration", "count": "count",
                  "participant": "participant", "party": "party", "demander": "demander", "addressee": "addressee"}
CONFLICT_SIZE = 25


def claim_quotes(event: str, graph: str, value: str) -> dict[str, Any]:
    """An article's evidence for an event: the sentence naming the value first."""
    rows = page_rows("claim_quotes", {"p_event": ox.NamedNode(event), "p_graph": ox.NamedNode(graph)},
                     order="?b", limit=20)
    if not rows:
        return {"name": local_name(graph), "href": None, "quotes": []}
    words = value.lower()
    rows.sort(key=lambda r: (words not in str(r["quote"]).lower(), r["b"]))
    first = rows[0]
    bits = [b for b in (first["outlet"], first["title"]) if b]
    return {"name": " — ".join(bits) if bits else (first["aid"] or local_name(first["a"])),
            "href": local_href(first["a"]),
            "quotes": [{"text": r["quote"], "href": local_href(r["s"]), "iri": r["s"]} for r in rows[:2]]}


def value_text(value: str) -> str:
    if value.startswith(("http://", "https://")):
        rows = page_rows("node_labels", {"p_node": ox.NamedNode(value)})
        return (rows[0]["label"] if rows and rows[0]["label"] else local_name(value))
    return value


def conflicts_data(args: dict[str, str], event: str | None = None) -> dict[str, Any]:
    """Pairs of articles that disagree about one event, each side with its value and sentence."""
    page, size = page_args(args, CONFLICT_SIZE)
    rows = page_rows("conflicts", {"p_event": ox.NamedNode(event) if event else None},
                     order="?label ?e ?prop ?g1 ?g2 ?v1 ?v2", limit=size + 1, offset=(page - 1) * size)
    more = len(rows) > size
    out = []
    for r in rows[:size]:
        v1, v2 = value_text(r["v1"]), value_text(r["v2"])
        out.append({"event": r["e"], "href": local_href(r["e"]), "label": r["label"] or local_name(r["e"]),
                    "property": CONFLICT_PROPS[local_name(r["prop"])],
                    "sides": [{"value": v1, "value_href": local_href(r["v1"]),
                               "source": claim_quotes(r["e"], r["g1"], v1)},
                              {"value": v2, "value_href": local_href(r["v2"]),
                               "source": claim_quotes(r["e"], r["g2"], v2)}]})
    return {"title": "Conflicting reports", "page": page, "size": size, "conflicts": out,
            "next": f"/conflicts?page={page + 1}" if more else None,
            "prev": f"/conflicts?page={page - 1}" if page > 1 else None}
