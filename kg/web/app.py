"""The app factory: one Flask app over one store directory, with every guard on by default."""
from __future__ import annotations

import atexit
from pathlib import Path

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from ..saved_queries import QUERIES_DIR, load_queries
from ..store import META_FILE, is_server, open_store
from ..query.service import served_prefixes
from . import linked_data, queries, sparql, ui
from .sparql import Endpoint, Settings

# the defaults of the one Settings table (kg.query.service)
DEFAULT_TIMEOUT = Settings.timeout
DEFAULT_ROW_LIMIT = Settings.row_limit
DEFAULT_MAX_QUERY_LENGTH = Settings.max_query_length
DEFAULT_MEMORY_MB = Settings.memory_mb
DEFAULT_DUMP_TIMEOUT = Settings.dump_timeout
DEFAULT_ANSWER_CACHE_MB = Settings.answer_cache_mb
DEFAULT_ALLOCATOR = Settings.allocator


def create_app(store_dir: str | Path, *, update_token: str | None = None, allow_update: bool = False,
               cors: bool = False, timeout: float = DEFAULT_TIMEOUT,
               row_limit: int = DEFAULT_ROW_LIMIT, max_query_length: int = DEFAULT_MAX_QUERY_LENGTH,
               service_allow: tuple[str, ...] | list[str] = (), base: str | None = None,
               queries_dir: str | Path = QUERIES_DIR, workers: int = 0,
               memory_mb: int = DEFAULT_MEMORY_MB, dump_timeout: float = DEFAULT_DUMP_TIMEOUT,
               answer_cache_mb: int = DEFAULT_ANSWER_CACHE_MB, allocator: str = DEFAULT_ALLOCATOR) -> Flask:
    """Serve the store at `store_dir` (built by `kg build`: a folder, or a SPARQL server's URL).
    `base` overrides the IRI base the store was built with (kg-store.json), for a deployment
    behind a proxy."""
    if allow_update and not update_token:
        raise ValueError("allow_update needs an update_token (updates are only taken with "
                         "'Authorization: Bearer <token>')")
    location = str(store_dir) if is_server(store_dir) else str(Path(store_dir) / "oxigraph")
    base = base or _stored_base(store_dir)
    base = base if base.endswith(("/", "#")) else base + "/"
    settings = Settings(timeout=timeout, row_limit=row_limit, max_query_length=max_query_length,
                        service_allow=tuple(service_allow), update_token=update_token,
                        allow_update=allow_update, memory_mb=memory_mb,
                        dump_timeout=dump_timeout, workers=workers, answer_cache_mb=answer_cache_mb,
                        allocator=allocator)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = max_query_length * 4 + 8192  # form-encoding inflates
    app.config["KG_STORE_DIR"] = str(store_dir)
    app.config["KG_QUERIES_DIR"] = str(queries_dir)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    ep = Endpoint(location, settings, base, served_prefixes(base))
    atexit.register(ep.close)
    app.extensions["kg"] = ep
    app.extensions["kg.queries"] = load_queries(queries_dir)
    for blueprint in (sparql.bp, queries.bp, linked_data.bp, ui.bp):
        app.register_blueprint(blueprint)
    app.register_error_handler(HTTPException, _error)
    app.after_request(_cors if cors else _plain)
    return app


def _stored_base(store_dir: str | Path) -> str:
    """The IRI base the store was built with (FileNotFoundError / StoreError when no store is there)."""
    store = open_store(store_dir, read_only=True)
    base = store.base
    store.close()
    return base


def _error(exc: HTTPException) -> Response:
    """Plain-text errors naming the request and the reason (never HTML: nothing to escape)."""
    reason = exc.description or exc.name
    prefix = f"{request.method} {request.path}"
    text = reason if reason.startswith(prefix) else f"{prefix}: {reason}"
    response = Response(f"{exc.code} {exc.name}: {text}\n", status=exc.code,
                        content_type="text/plain; charset=utf-8")
    if exc.code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="kg update"'
    if exc.code == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def _plain(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, Authorization"
    response.headers["Access-Control-Expose-Headers"] = "X-KG-Truncated, X-KG-Row-Limit, X-KG-Rows"
    return _plain(response)


__all__ = ["create_app", "META_FILE"]
