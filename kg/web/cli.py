"""`kg serve`: the SPARQL endpoint, saved queries, linked data and the UI on waitress.
The main CLI (kg/cli.py) adds this command with `main.add_command(serve)`."""
from __future__ import annotations

import os

import click

from .app import (DEFAULT_ALLOCATOR, DEFAULT_ANSWER_CACHE_MB, DEFAULT_MAX_QUERY_LENGTH, DEFAULT_MEMORY_MB,
                  DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT, create_app)
from ..store import StoreError, is_server
from .server import serve as run_server
from .worker import allocator_library


@click.command("serve")
@click.option("--store", "store_dir", default="kg-data", show_default=True,
              help="Store directory built by `kg build`, or the URL of the SPARQL 1.1 server it "
                   "was built into (http://HOST:PORT/ for oxigraph serve).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--base", default=None, help="IRI base to serve (default: the one the store was built with).")
@click.option("--timeout", default=DEFAULT_TIMEOUT, show_default=True, type=float,
              help="Hard time limit per query, seconds.")
@click.option("--row-limit", default=DEFAULT_ROW_LIMIT, show_default=True, type=int,
              help="Most rows/triples per answer; more sets X-KG-Truncated: true.")
@click.option("--max-query-length", default=DEFAULT_MAX_QUERY_LENGTH, show_default=True, type=int)
@click.option("--cors/--no-cors", default=False, show_default=True, help="Allow cross-origin requests.")
@click.option("--allow-update", is_flag=True, help="Accept SPARQL Update at POST /update (needs a token).")
@click.option("--update-token", envvar="KG_UPDATE_TOKEN", default=None,
              help="Bearer token for /update (or env KG_UPDATE_TOKEN).")
@click.option("--service-allow", multiple=True, help="SERVICE endpoint IRI to allow (repeatable).")
@click.option("--workers", default=0, type=int, help="Query worker processes (default: CPU count, at least 2).")
@click.option("--threads", default=16, show_default=True, type=int, help="HTTP threads.")
@click.option("--memory-mb", default=DEFAULT_MEMORY_MB, show_default=True, type=int,
              help="Heap cap per query worker, MB (a query over it is answered 507; 0: no cap).")
@click.option("--answer-cache-mb", default=DEFAULT_ANSWER_CACHE_MB, show_default=True, type=int,
              help="Memory for answers of repeated GET queries, kept until the store changes (0: off).")
@click.option("--worker-allocator", "allocator", default=DEFAULT_ALLOCATOR, show_default=True,
              help="malloc of the query workers: auto (tcmalloc, else jemalloc, where installed), "
                   "system, tcmalloc, jemalloc, or a library's path.")
def serve(store_dir: str, host: str, port: int, base: str | None, timeout: float, row_limit: int,
          max_query_length: int, cors: bool, allow_update: bool, update_token: str | None,
          service_allow: tuple[str, ...], workers: int, threads: int, memory_mb: int,
          answer_cache_mb: int, allocator: str) -> None:
    """Serve the graph over HTTP: /sparql, /queries, linked data, exports."""
    if allow_update and not update_token:
        raise click.UsageError("--allow-update needs --update-token (or KG_UPDATE_TOKEN)")
    try:
        allocator_library(allocator)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--worker-allocator") from None
    try:
        app = create_app(store_dir, update_token=update_token, allow_update=allow_update, cors=cors,
                         timeout=timeout, row_limit=row_limit, max_query_length=max_query_length,
                         service_allow=service_allow, base=base, workers=workers,
                         memory_mb=memory_mb, answer_cache_mb=answer_cache_mb, allocator=allocator)
    except (FileNotFoundError, StoreError) as exc:
        raise click.ClickException(str(exc)) from None
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    root = f"http://{shown}:{port}"
    ep = app.extensions["kg"]
    click.echo(f"kg serving {store_dir if is_server(store_dir) else os.path.abspath(store_dir)} (IRI base {ep.base})")
    if root + "/" != ep.base:
        click.echo(f"  note: the graph's IRIs start with {ep.base}; this server answers at {root}/ "
                   f"({ep.base}actor/x is served at {root}/actor/x; parameters accept either form)")
    for state in ep.pool.sandbox:
        click.echo(f"  query workers' network: {state}", err=state.startswith("open"))
    for state in ep.pool.allocators:
        click.echo(f"  query workers' allocator: {state}")
    for label, path in (("UI", "/"), ("SPARQL endpoint", "/sparql"), ("saved queries", "/queries"),
                        ("OpenAPI", "/openapi.json"), ("export", "/export.ttl")):
        click.echo(f"  {label:16} {root}{path}")
    run_server(app, host=host, port=port, threads=threads)
