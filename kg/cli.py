"""The `kg` command line: build, inspect, query, export, evaluate and serve the graph."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from . import __version__
from . import store as kg_store
from .store import DEFAULT_DIR, KGStore, StoreError, is_server

from .formats import EXPORT_WORDS, RDF_FORMATS  # noqa: E402  (the one table of formats)

store_option = click.option("--store", "store_dir", default=DEFAULT_DIR, show_default=True,
                            type=click.Path(file_okay=False),
                            help="Folder of the Oxigraph store, or the URL of a SPARQL 1.1 server "
                                 "(http://HOST:PORT/ for oxigraph serve).")


@click.group()
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """kg: a knowledge graph of meetings, demands and agreements in the news, with provenance."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option("--base", default=None, help="IRI base for minted IRIs (default: the store's, else http://localhost:5000/).")
@click.option("--validate/--no-validate", default=True, show_default=True,
              help="Check the graphs this build changed against ontology/shapes.ttl (all of them: python -m kg.validate).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes that parse articles (default: one per core).")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="Parse on the workers of this Dask distributed scheduler; resolve and load here.")
@click.option("--timings", is_flag=True, help="Print the seconds each stage took (read, parse, resolve, write, validate).")
def build(paths: tuple[Path, ...], store_dir: str, base: str | None, validate: bool, workers: int | None,
          scheduler: str | None, timings: bool) -> None:
    """Read .txt / .jsonl articles (files or folders) into the store. An article that fails is
    reported by name and left out; the others are built (exit status 1)."""
    from .build import BuildError, build as run_build
    from .cluster import ClusterError

    store = open_store(store_dir, base=base)
    try:
        try:
            report = _build_with_progress(store, list(paths), run_build, workers=workers, scheduler=scheduler)
        except (BuildError, StoreError, ClusterError) as exc:
            raise click.ClickException(str(exc)) from None
        for err in report.errors:
            click.echo(f"error: {err}", err=True)
        for warning in report.warnings:
            click.echo(f"warning: {warning}", err=True)
        for dup in report.duplicates:
            click.echo(f"skipped: {dup}", err=True)
        click.echo(f"articles: {len(report.added)} added, {len(report.relinked)} re-linked, "
                   f"{len(report.unchanged)} unchanged, {len(report.errors)} failed; "
                   f"events: {report.events}; triples: {report.triples}")
        _summary(store)
        changed = [store.minter.graph(a) for a in report.added + report.relinked]
        started = time.perf_counter()
        status = 3 if validate and not _validate(store, changed) else 0 if report.ok else 1
        if validate:
            report.timed("validate", started)
        if timings:
            click.echo("timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in report.timings.items()), err=True)
    finally:
        # release the write handle before exiting: an exit's traceback keeps this frame alive, and a
        # caller in the same process (tests, scripts) may open the store read-only next
        store.close()
    if status:
        sys.exit(status)


def open_store(store_dir: str, **options) -> KGStore:
    """The store (a folder or a SPARQL server), or a clear message (another build holds it, it
    cannot be opened or reached), no traceback."""
    try:
        return kg_store.open_store(store_dir, **options)
    except (StoreError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from None


def _build_with_progress(store, paths, run_build, **options):
    from rich.progress import Progress

    if not sys.stderr.isatty():
        return run_build(store, paths, **options)
    with Progress(transient=True) as progress:
        task = progress.add_task("parsing articles", total=None)
        return run_build(store, paths, progress=lambda n: progress.advance(task, n), **options)


def _summary(store: KGStore) -> None:
    rows = store.select("""SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE {
        ?e a ?type . VALUES ?type { kg:Meeting kg:Demand kg:Agreement kg:Person kg:Organization kg:Group kg:Country kg:City kg:Venue kg:Article } }
        GROUP BY ?type ORDER BY ?type""")
    click.echo("  " + ", ".join(f"{r['type'].split('#')[-1]}: {r['n']}" for r in rows))


def _validate(store: KGStore, changed: list[str]) -> bool:
    """SHACL over what this build changed (the graphs it wrote and what they reach), not the
    whole store: adding one article to a large store validates one article."""
    from .validate import validate_graphs

    result = validate_graphs(store, changed)
    if result.conforms:
        click.echo("SHACL: the graph conforms to ontology/shapes.ttl")
    else:
        click.echo(f"SHACL: {result.results} violation(s)\n{result.text[:4000]}", err=True)
    return result.conforms


@main.command()
@store_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file instead of stdout.")
def facts(store_dir: str, output: Path | None) -> None:
    """The facts export (FORMAT.md), computed from the store through queries/facts_*.rq."""
    from .facts import facts as compute

    data = compute(open_store(store_dir, read_only=True))
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)


@main.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@store_option
@click.option("--articles", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Folder of the articles, to check every quote (default: articles/ beside GOLD, else the "
                   "texts the store was built from).")
@click.option("--min", "minimums", multiple=True, metavar="KEY=VALUE", help="Exit 1 when a figure is below VALUE.")
@click.option("--json", "as_json", is_flag=True, help="Print only the JSON line.")
@click.option("--scorer", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="The scorer to call (default: score.py beside GOLD).")
def evaluate(gold: Path, store_dir: str, articles: Path | None, minimums: tuple[str, ...], as_json: bool,
             scorer: Path | None) -> None:
    """Score the store against a gold file with the evaluators' scorer (score.py beside it)."""
    from .evaluate import evaluate as run

    try:
        result = run(open_store(store_dir, read_only=True), gold, articles, scorer)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    figures = {k: round(v, 3) for k, v in result.items() if isinstance(v, float)}
    click.echo(f"quotes checked against {result['articles_source']}", err=True)  # stdout: the scorer's own report
    if not as_json:
        for key in ("matches", "missed", "spurious", "split", "mixed", "provenance_bad"):
            for row in result.get(key, []):
                click.echo(f"{key:>10}: {row}")
        for key, value in figures.items():
            click.echo(f"{key:>20}: {value:.3f}")
    click.echo(json.dumps({**figures, "system_events": result["system_events"], "missed": result["missed"],
                           "spurious": len(result["spurious"])}))
    failed = [f"{k}={figures.get(k, 0.0)} < {v}" for k, _, v in (m.partition("=") for m in minimums)
              if figures.get(k, 0.0) < float(v)]
    if failed:
        click.echo("below minimum: " + ", ".join(failed), err=True)
        sys.exit(1)


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORT_WORDS)), default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file instead of stdout.")
def export(store_dir: str, fmt: str, output: Path | None) -> None:
    """Dump the graph: turtle/ntriples/jsonld/rdfxml (union of graphs) or trig/nquads (with provenance graphs)."""
    from .export import export_graph

    store = open_store(store_dir, read_only=True)
    data = export_graph(store, RDF_FORMATS[EXPORT_WORDS[fmt]])
    if output:
        output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


@main.command()
@click.argument("sparql")
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv"]), default="table", show_default=True)
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of a saved query (repeatable).")
@click.option("--allow-service", is_flag=True,
              help="Let SERVICE clauses reach other hosts (refused by default, as on `kg serve`).")
@click.option("--timeout", default=60.0, show_default=True, type=float, help="Time limit, seconds.")
@click.option("--row-limit", default=100_000, show_default=True, type=int,
              help="Most rows/triples printed; a cut answer says so on stderr.")
def query(sparql: str, store_dir: str, fmt: str, params: tuple[str, ...], allow_service: bool,
          timeout: float, row_limit: int) -> None:
    """Run SPARQL (text, a .rq file, or the name of a saved query in queries/, see `kg queries`)
    over the union of all graphs; the kg prefixes are predeclared. It runs in the endpoint's
    query service (a worker process with a time limit and a row cap); SERVICE and LOAD are
    refused unless --allow-service, decided on the parsed query as on the endpoint."""
    from .query import guards, open_service, run_cli_query
    from .query.service import QueryError, Settings
    from .saved_queries import ParamError, load_queries
    from .vocab import sparql_prefixes

    saved = load_queries()
    substitutions = None
    if sparql in saved:
        values = {}
        for item in params:
            name, sep, value = item.partition("=")
            if not sep:
                raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
            values[name.strip()] = value
        try:
            substitutions = saved[sparql].bind(values)
        except ParamError as exc:
            raise click.ClickException(str(exc)) from exc
        text = full = saved[sparql].text
    elif params:
        raise click.BadParameter(f"parameters go with a saved query; {sparql[:40]!r} is not one "
                                 f"(`kg queries` lists them)", param_hint="--param")
    else:
        text = Path(sparql).read_text(encoding="utf-8") if sparql.endswith(".rq") and Path(sparql).exists() else sparql
        full = sparql_prefixes() + text
    if not allow_service:
        try:  # the predeclared prefixes need not be parsed: the guard needs no prefix resolved
            guards.check_remote(text)
        except guards.Refusal as exc:
            raise click.ClickException(f"SPARQL syntax error: {exc.reason}" if exc.malformed else
                                       f"{exc.reason} (--allow-service lets SERVICE through)") from None
    settings = Settings(timeout=timeout, row_limit=row_limit, workers=1, network=allow_service,
                        max_query_length=max(len(full), Settings.max_query_length))
    try:
        if is_server(store_dir):  # a SPARQL server as the store: it runs the query itself
            from .query import run_store_query
            click.echo(run_store_query(open_store(store_dir, read_only=True), full, fmt, substitutions), nl=False)
            return
        service = open_service(store_dir, settings)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        out, truncated = run_cli_query(service, full, fmt, substitutions)
    except QueryError as exc:
        malformed = exc.reason.startswith(("malformed", "query cannot run"))
        raise click.ClickException(f"SPARQL syntax error: {exc.reason}" if malformed else exc.reason) from None
    finally:
        service.close()
    click.echo(out, nl=False)
    if truncated:
        click.echo(f"warning: the answer was cut at {row_limit} rows (--row-limit)", err=True)


@main.command()
def queries() -> None:
    """List the saved queries (queries/*.rq) with their parameters: `kg query NAME -p k=v`."""
    from .saved_queries import load_queries

    for q in load_queries().values():
        params = ", ".join(f"{p.name}{'' if p.required else '?'}: {p.type}" for p in q.params)
        click.echo(f"{q.name:20} {q.summary}" + (f"  [{params}]" if params else ""))


@main.command()
@click.argument("article_ids", nargs=-1, required=True)
@store_option
def remove(article_ids: tuple[str, ...], store_dir: str) -> None:
    """Remove articles and everything only they support; the consolidated view is rebuilt."""
    from .build import remove_article

    store = open_store(store_dir)
    try:
        missing = [a for a in article_ids if not remove_article(store, a)]
        for a in missing:
            click.echo(f"error: no article {a!r} in {store_dir}", err=True)
        _summary(store)
    finally:
        store.close()
    if missing:
        sys.exit(1)


try:  # the endpoint registers `kg serve`
    from .web.cli import serve as _serve

    main.add_command(_serve)
except ImportError as exc:  # pragma: no cover - reported, never silent
    _web_error = str(exc)  # the except clause unbinds `exc` when it ends

    @main.command()
    def serve() -> None:
        """Serve the graph (unavailable: the web module failed to import)."""
        raise click.ClickException(f"kg serve is unavailable: {_web_error}")


if __name__ == "__main__":
    main()
