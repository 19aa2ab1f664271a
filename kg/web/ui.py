"""Browser pages (query editor, gallery, entity and article views, pictures). PLACEHOLDER: the UI
work replaces this module; the endpoint's app factory registers `bp` and calls `render_resource`."""
from __future__ import annotations

from flask import Blueprint
from markupsafe import escape

bp = Blueprint("ui", __name__)


def render_resource(rows: list[dict], iri: str) -> str:
    """HTML for one resource, from its (predicate, object, graph) rows; every value escaped."""
    body = "".join(f"<tr><td>{escape(r.get('p'))}</td><td>{escape(r.get('o'))}</td>"
                   f"<td>{escape(r.get('g') or '')}</td></tr>" for r in rows)
    return f"<!doctype html><title>{escape(iri)}</title><h1>{escape(iri)}</h1><table>{body}</table>"
