"""Build: read → extract (cached by content hash) → resolve across the whole store → write each
article's graph in its own transaction, then the resolution graph.

Re-running on the same files, or the same text under another name, adds nothing; a new article
is the only one parsed, though resolution may re-link nodes in the graphs of others.
"""
from __future__ import annotations

import gc
import hashlib
import json
import operator
import os
import sys
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox

from .extract import EXTRACTOR_VERSION, ArticleExtraction
from .extraction import extract_articles, failure_reason
from .packed import ExtractionPack
from .rdf import GraphWriter, Statement, statement_quads
from .reader import Article, ReadError, article_from_text, read_articles
from .resolve import Resolution, resolve
from .store import KGStore


@dataclass
class BuildReport:
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    relinked: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    errors: list[ReadError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    events: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, for `kg build --timings`
    store: KGStore | None = field(default=None, repr=False, compare=False)  # the store `triples` counts

    @cached_property
    def triples(self) -> int:
        """Statements in the store after the build, counted when first asked: a scan of the
        whole store (0.1 s on the BBC corpus) that the build itself has no use for."""
        return len(self.store) if self.store is not None else 0

    def timed(self, stage: str, started: float) -> None:
        self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - started

    @property
    def ok(self) -> bool:
        return not self.errors


def stored_articles(store: KGStore) -> dict[str, Article]:
    """The articles already in the store, rebuilt from what their graphs hold."""
    rows = store.select("""
        SELECT ?id ?text ?path ?hash ?title ?dateLine ?date ?url ?outlet WHERE {
          GRAPH ?g { ?a a kg:Article ; kg:articleId ?id ; kg:text ?text ; kg:contentHash ?hash .
            OPTIONAL { ?a kg:sourcePath ?path } OPTIONAL { ?a dct:title ?title } OPTIONAL { ?a kg:dateLine ?dateLine } OPTIONAL { ?a dct:date ?date }
            OPTIONAL { ?a schema:url ?url } OPTIONAL { ?a kg:outlet ?outlet } } }""", union=False)
    out = {}
    for r in rows:
        art = article_from_text(r["id"], r["text"], r["path"] or r["id"], title=r["title"], url=r["url"],
                                outlet=r["outlet"], published=r["date"])
        art.source = r["path"] or ""
        art.date_line = r["dateLine"] or art.date_line
        out[r["id"]] = art
    return out


class ExtractionCache:
    """Extractions on disk, keyed by content hash and extractor version: a rebuild parses nothing.
    One JSON file per extraction, and a pack of them all (kg.packed) that a build reads first."""

    PACK = "extractions.pack"

    def __init__(self, folder: Path):
        self.folder = folder
        self.pack = ExtractionPack(folder / self.PACK)

    def path(self, content_hash: str) -> Path:
        return self.folder / f"{content_hash.split(':')[-1]}.json"

    def get(self, article: Article) -> ArticleExtraction | None:
        ex = self.pack.get(article.content_hash, _stated(article))
        if ex is None:
            ex = self._read(article)
            if ex is not None:
                self.pack.put(ex, _stated(article))
        if ex is not None:
            ex.article_id = article.id
        return ex

    def _read(self, article: Article) -> ArticleExtraction | None:
        p = self.path(article.content_hash)
        if not p.exists():
            return None
        try:
            data = json.loads(p.read_text())
        except (OSError, ValueError):
            return None
        if data.get("extractor") != EXTRACTOR_VERSION or data.get("stated_date") != _stated(article):
            return None  # another extractor, or the same text stated on another day (dates differ)
        return ArticleExtraction.from_dict(data)

    def put(self, ex: ArticleExtraction, article: Article) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.path(ex.content_hash)
        data = {**ex.to_dict(), "stated_date": _stated(article)}
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh)
        os.replace(tmp, target)  # atomic: a crash leaves the old file or the new one
        # packed as the file will be read back (JSON's lists for tuples), so that a pack and the
        # files always give the same extraction
        self.pack.put(ArticleExtraction.from_dict(json.loads(json.dumps(data))), _stated(article))

    def save_pack(self, articles: Iterable[Article]) -> None:
        """Write the pack, if it gained extractions, without those of articles no longer stored."""
        self.pack.keep_only({a.content_hash for a in articles})
        self.pack.save()


def _stated(article: Article) -> str | None:
    return article.date.isoformat() if article.date else None


def _write_json(path: Path, data) -> None:
    """Write JSON atomically (a crash leaves the old file or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data)  # in one go: json.dump writes a file in thousands of small pieces
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.replace(tmp, path)


SPARQL_DIR = Path(__file__).parent / "query" / "sparql"
ARTICLE_TEXT = (SPARQL_DIR / "article_text.rq").read_text(encoding="utf-8")
ARTICLE_HASHES = (SPARQL_DIR / "article_hashes.rq").read_text(encoding="utf-8")


class ArticleManifest:
    """What each stored article is (its source, content hash and metadata, not its text), kept
    beside the store, so a build knows the stored articles without reading every text back.
    It is removed before a build writes and saved after, and used only when it names exactly
    the store's article graphs with their content hashes (a store written from elsewhere, a
    server shared by two machines, is noticed); otherwise the articles are read back."""

    FILE = "articles.json"
    FIELDS = ("source", "content_hash", "title", "date_line", "url", "outlet")

    def __init__(self, folder: Path):
        self.path = folder / self.FILE

    def load(self, store: KGStore) -> dict[str, Article] | None:
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return None
        stored = {(r["g"], r["hash"]) for r in store.select(ARTICLE_HASHES, union=False)}
        if len(stored) != len(store.named_graphs()) - store.has_graph(store.minter.resolution_graph()) or \
                stored != {(store.minter.graph(i), entry["content_hash"]) for i, entry in data.items()}:
            return None
        return {i: _manifest_article(i, entry) for i, entry in data.items()}

    def invalidate(self) -> None:
        self.path.unlink(missing_ok=True)

    def save(self, articles: Iterable[Article]) -> None:
        _write_json(self.path, {a.id: {**{f: getattr(a, f) for f in self.FIELDS}, "date": _stated(a)}
                                for a in articles})


def _manifest_article(article_id: str, entry: dict) -> Article:
    """A stored article as its manifest tells it; the text (None) is read when its graph is rewritten."""
    from datetime import date

    art = Article(article_id, None, entry["source"] or article_id, entry["content_hash"],  # type: ignore[arg-type]
                  title=entry["title"], date_line=entry["date_line"], url=entry["url"], outlet=entry["outlet"],
                  date=date.fromisoformat(entry["date"]) if entry["date"] else None)
    art.source = entry["source"]
    return art


def _with_text(store: KGStore, art: Article) -> Article:
    """The article with its text, read from its stored graph when the manifest left it out."""
    if art.text is None:
        rows = store.select(ARTICLE_TEXT.replace("$graph", str(ox.NamedNode(store.minter.graph(art.id)))), union=False)
        art.text = rows[0]["text"]
    return art


def build(store: KGStore, paths: Iterable[Path], progress: Callable | None = None, *,
          workers: int | None = None, scheduler: str | None = None) -> BuildReport:
    """Add the articles under `paths`; an article that fails at any stage is reported by name and
    left out, and the build goes on with the others (`report.ok` is then False). Articles are
    parsed in `workers` local processes, or on the Dask cluster of `scheduler`."""
    with without_gc():  # and what the build held is freed before collection resumes (see without_gc)
        return _build(store, paths, progress, workers, scheduler)


def _build(store: KGStore, paths: Iterable[Path], progress: Callable | None, workers: int | None,
           scheduler: str | None) -> BuildReport:
    report = BuildReport()
    started = time.perf_counter()
    existing, new_ids = _collect(store, paths, report)
    report.timed("read", started)
    started = time.perf_counter()
    extractions: dict[str, ArticleExtraction] = {}
    todo: list[Article] = []
    cache = ExtractionCache(store.cache_dir)
    for art in existing.values():
        ex = cache.get(art)
        if ex is None:
            todo.append(_with_text(store, art))  # a stored article the cache lost, or of another extractor
        else:
            extractions[art.id] = ex
    report.timed("cache", started)
    started = time.perf_counter()
    with collecting(len(todo) > PARSED_WITHOUT_GC):
        if scheduler:
            from .cluster import extract_on_cluster

            outcomes = extract_on_cluster(todo, scheduler, progress)
        else:
            outcomes = extract_articles(todo, progress, workers=workers)
        for art, ex, failure in outcomes:
            if ex is None:
                report.errors.append(ReadError(art.path, f"extraction failed: {failure}"))
                continue
            cache.put(ex, art)
            extractions[art.id] = ex
    report.timed("parse", started)
    started = time.perf_counter()
    articles = sorted((a for a in existing.values() if a.id in extractions), key=lambda a: a.id)
    cache.save_pack(articles)
    report.timed("cache", started)
    _write(store, articles, extractions, new_ids, report)
    report.store = store
    return report


PARSED_WITHOUT_GC = 16  # more articles than this are parsed with cyclic collection on (a Doc's garbage is cyclic)


@contextmanager
def without_gc() -> Iterator[None]:
    """No cyclic garbage collection while the build holds the whole store's extractions: each
    collection would walk millions of long-lived objects (on the BBC corpus, loading the cached
    extractions took 6.0 s with it and 1.6 s without; resolution 6.4 s and 4.0 s). One block for
    the whole build: each time collection resumes with the extractions alive, the first
    allocation walks them all (0.05-0.2 s)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextmanager
def collecting(on: bool) -> Iterator[None]:
    """Cyclic collection back on inside `without_gc` (when `on`), as while many articles are
    parsed; off again after, whoever turned it on (loading a spaCy model does)."""
    was = gc.isenabled()
    if on:
        gc.enable()
    try:
        yield
    finally:
        if not was:
            gc.disable()


def _collect(store: KGStore, paths: Iterable[Path], report: BuildReport) -> tuple[dict[str, Article], set[str]]:
    """Every article the store will hold after this build (stored ones, and the new inputs that
    are neither duplicates nor unreadable), and the ids of the new ones."""
    existing = ArticleManifest(store.path).load(store)
    if existing is None:  # no manifest, or not this store's: read every article back
        existing = stored_articles(store)
    by_hash = {a.content_hash: a.id for a in existing.values()}
    new: set[str] = set()
    this_run: dict[str, Article] = {}
    for item in read_articles(list(paths)):
        if isinstance(item, ReadError):
            report.errors.append(item)
            continue
        first = this_run.get(item.id)
        if first is not None and first.content_hash != item.content_hash:
            # two inputs with one name (a/index.txt, b/index.txt): keep the first, never drop one silently
            report.errors.append(ReadError(item.path, f"article id {item.id!r} is already taken in this build by "
                                                      f"{first.path}; rename one of them"))
            continue
        this_run.setdefault(item.id, item)
        if item.content_hash in by_hash:
            same = by_hash[item.content_hash]
            (report.unchanged if same == item.id else report.duplicates).append(
                item.id if same == item.id else f"{item.path}: same text as article {same}, not added again")
            continue
        if item.id in existing:  # same name, new text: the new version replaces the old
            report.warnings.append(f"{item.path}: article id {item.id!r} is already in the store (from "
                                   f"{existing[item.id].source}) with another text; the new text replaces it")
            del by_hash[existing[item.id].content_hash]
        existing[item.id] = item
        by_hash[item.content_hash] = item.id
        new.add(item.id)
    return existing, new


def _write(store: KGStore, articles: list[Article], extractions: dict[str, ArticleExtraction], new_ids: set[str],
           report: BuildReport) -> None:
    """Resolve and write each article's graph in its own transaction, then the resolution graph.
    An article whose graph cannot be made or written is reported and left out, and the others
    are resolved again without it, so the resolution graph never speaks of an unwritten claim."""
    now = datetime.now(timezone.utc)
    version = model_version_string()
    signatures = GraphSignatures(store.path)
    present = set(store.named_graphs())
    manifest = ArticleManifest(store.path)
    manifest.invalidate()  # until this build has written everything
    if getattr(store, "recovered", False):
        report.warnings.append(f"{store.path}: an earlier first build of this store was interrupted; "
                               "it was started again from the empty store")
    first_load = getattr(store, "begin_first_load", lambda: False)()
    while True:
        started = time.perf_counter()
        resolution = _resolve_isolating(articles, extractions, report)
        report.timed("resolve", started)
        started = time.perf_counter()
        writer = GraphWriter(store.minter, resolution, version)
        claims = _claims_by_article(resolution)
        written: dict[str, list[str]] = {"added": [], "relinked": [], "unchanged": []}
        signatures.new = {}
        failed: list[Article] = []
        batch = _GraphBatch(store, written, signatures.new, failed, report)
        for art in articles:
            if art.id not in extractions:
                continue
            ex = extractions[art.id]
            signature = graph_signature(writer, claims.get(art.id, []), art, ex)
            if art.id not in new_ids and store.minter.graph(art.id) in present \
                    and signatures.old.get(art.id) == signature:
                signatures.new[art.id] = signature  # made from the same inputs as the stored graph
                written["unchanged"].append(art.id)
                continue
            try:
                made = _article_graph(store, writer, art, ex, art.id in new_ids, now)
            except Exception as exc:  # noqa: BLE001 - one article never sinks the build
                report.errors.append(ReadError(art.path, f"could not write its graph: {failure_reason(exc)}"))
                failed.append(art)
                continue
            batch.add(art, signature, *made)
        batch.close()
        if not failed:
            break
        for art in failed:
            del extractions[art.id]
    report.timed("write", started)
    started = time.perf_counter()
    report.added += written["added"]
    report.relinked += written["relinked"]
    report.unchanged += [a for a in written["unchanged"] if a not in report.unchanged]
    ResolutionBlocks(store.path).write(store, writer.resolution_statements())
    store.flush()
    if first_load:
        store.end_first_load()
    signatures.save()
    manifest.save(a for a in articles if a.id in extractions)
    report.events = len(resolution.events)
    report.timed("write", started)


class ResolutionBlocks:
    """A hash of each subject's statements in the resolution graph, kept beside the store: a
    build rewrites only the subjects whose statements changed (one update: DELETE WHERE and
    INSERT DATA), not the whole graph, and makes quads of those only. Removed while the graph
    is written; when it is missing, of another scheme, or does not match the stored graph's
    size, the graph is replaced whole."""

    FILE = "resolution-blocks.json"
    SCHEME = 2  # hashes of GraphWriter.resolution_statements (1: of the quads' N-Triples)

    def __init__(self, folder: Path):
        self.path = folder / self.FILE

    def write(self, store: KGStore, statements: dict[str, list[Statement]]) -> None:
        graph = store.minter.resolution_graph()
        g = ox.NamedNode(graph)
        hashes = {s: _block_hash(b) for s, b in statements.items()}
        size = sum(len(b) for b in statements.values())
        old = self._load(store, graph)
        self.path.unlink(missing_ok=True)
        if old is None:
            store.replace_graph(graph, [q for s, b in statements.items() for q in statement_quads(s, b, g)])
        else:
            changed = [s for s in hashes if old.get(s) != hashes[s]]
            gone = [s for s in old if s not in hashes]
            store.patch_graph(graph, [str(ox.NamedNode(s)) for s in changed if s in old] + [str(ox.NamedNode(s)) for s in gone],
                              [q for s in changed for q in statement_quads(s, statements[s], g)])
        _write_json(self.path, {"scheme": self.SCHEME, "size": size, "blocks": hashes})

    def _load(self, store: KGStore, graph: str) -> dict[str, str] | None:
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return None
        if data.get("scheme") != self.SCHEME:
            return None
        return data["blocks"] if store.graph_size(graph) == data.get("size") else None


def _block_hash(statements: list[Statement]) -> str:
    return hashlib.sha256(repr(sorted(statements)).encode("utf-8")).hexdigest()


class GraphSignatures:
    """A hash of what each stored article graph was made from (the article, its extraction, and
    the IRIs its mentions and claims resolved to), kept beside the store: a rebuild skips making
    the graphs whose inputs did not change, instead of making and comparing every graph."""

    FILE = "graph-signatures.json"

    def __init__(self, folder: Path):
        self.path = folder / self.FILE
        try:
            self.old: dict[str, str] = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.old = {}
        self.new: dict[str, str] = {}

    def save(self) -> None:
        _write_json(self.path, self.new)


def _claims_by_article(resolution: Resolution) -> dict[str, list]:
    out: dict[str, list] = {}
    for ev in resolution.events:
        for claim in ev.claims:
            out.setdefault(claim.article_id, []).append((ev, claim))
    return out


_MENTION_ID = operator.attrgetter("id")


def graph_signature(writer: GraphWriter, claims: list, art: Article, ex: ArticleExtraction) -> str:
    """Everything `GraphWriter.article_quads` reads for this article, hashed."""
    node, denoted, aid = writer.node_iri.get, writer.res.denotes.get, art.id
    mentions = [(i, node(denoted((aid, i)))) for i in map(_MENTION_ID, ex.mentions)]
    frame_number = {id(f): i for i, f in enumerate(ex.frames)} if claims else {}
    events = [(writer.event_iri[id(ev)], ev.type, sorted((r, [node(k) for k in keys]) for r, keys in c.roles.items()),
               node(c.venue), node(c.place), [frame_number.get(id(f)) for f in c.frames]) for ev, c in claims]
    events.sort(key=lambda event: json.dumps(event, default=str))
    data = [writer.m.base, writer.extractor, art.id, art.content_hash, art.source, art.title, art.date_line,
            str(art.date), art.url, art.outlet, ex.extractor, ex.anchor_date, mentions, events]
    return hashlib.sha256(json.dumps(data, default=str).encode("utf-8")).hexdigest()


def _article_graph(store: KGStore, writer: GraphWriter, art: Article, ex: ArticleExtraction, is_new: bool,
                   now: datetime) -> tuple[str, list[ox.Quad] | None]:
    """(what the build does with the article's graph, the quads to write; None: it stays)."""
    quads = writer.article_quads(_with_text(store, art), ex, built_at=now)
    if not is_new and _same_content(store, store.minter.graph(art.id), quads):
        return "unchanged", None
    return ("added" if is_new else "relinked"), quads


WRITE_BATCH_QUADS = 25_000  # article graphs are written together up to about this many statements


class _GraphBatch:
    """Article graphs written several at a time: each write call of the store (`write_batch`
    graphs at most: 1 for a SPARQL server, one request per article) swaps whole graphs in one
    transaction, so a crash leaves every graph old or new, never half-written, while the
    embedded store pays its per-transaction cost once per batch. When a batch fails, its
    articles are written one by one so that the one at fault is named.

    On the embedded store a batch is written by a background thread while the build makes the
    next one (Oxigraph's `extend` runs outside the GIL): one batch in flight at most, so memory
    stays that of two batches. On the BBC corpus, writing took ~22 s in one thread."""

    def __init__(self, store: KGStore, written: dict[str, list[str]], signatures: dict[str, str],
                 failed: list[Article], report: BuildReport):
        self.store, self.written, self.signatures, self.failed, self.report = store, written, signatures, failed, report
        self.items: list[tuple[Article, str, str, list[ox.Quad] | None]] = []
        self.size = 0
        local = isinstance(getattr(store, "store", None), ox.Store)  # a server's client is not shared by threads
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-write") if local else None
        self._pending: tuple[Future, list] | None = None

    def add(self, art: Article, signature: str, outcome: str, quads: list[ox.Quad] | None) -> None:
        self.items.append((art, signature, outcome, quads))
        self.size += len(quads or ())
        if self.size >= WRITE_BATCH_QUADS or len(self.items) >= getattr(self.store, "write_batch", 1):
            self.flush()

    def flush(self) -> None:
        """Hand the collected graphs over to be written (after the batch before them is settled)."""
        items, self.items, self.size = self.items, [], 0
        self._settle()
        if not items:
            return
        if self._pool is None:
            self._finish(items, self._attempt(items))
        else:
            self._pending = (self._pool.submit(self._write, items), items)

    def close(self) -> None:
        """Write what is left and wait until every batch is written and accounted for."""
        try:
            self.flush()
            self._settle()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)

    def _write(self, items: list) -> None:
        graphs = {self.store.minter.graph(a.id): q for a, _, _, q in items if q is not None}
        if graphs:
            self.store.replace_graphs(graphs)

    def _attempt(self, items: list) -> BaseException | None:
        try:
            self._write(items)
        except Exception as exc:  # noqa: BLE001 - accounted for in _finish
            return exc
        return None

    def _settle(self) -> None:
        if self._pending is None:
            return
        future, items = self._pending
        self._pending = None
        self._finish(items, future.exception())

    def _finish(self, items: list, error: BaseException | None) -> None:
        if error is not None:
            if len(items) > 1:  # find the article at fault, write the others
                for item in items:
                    self._finish([item], self._attempt([item]))
                return
            art = items[0][0]
            self.report.errors.append(ReadError(art.path, f"could not write its graph: {failure_reason(error)}"))
            self.failed.append(art)
            return
        for art, signature, outcome, _ in items:
            self.signatures[art.id] = signature
            self.written[outcome].append(art.id)


def _resolve_isolating(articles: list[Article], extractions: dict[str, ArticleExtraction],
                       report: BuildReport) -> Resolution:
    """Resolve all extractions; when that fails, find the articles that fail on their own, report
    them, and resolve the rest (dropping them from `extractions`)."""
    try:
        return resolve(list(extractions.values()))
    except Exception as exc:  # noqa: BLE001
        first_reason = failure_reason(exc)
    path_of = {a.id: a.path for a in articles}
    for article_id, ex in list(extractions.items()):
        try:
            resolve([ex])
        except Exception as exc:  # noqa: BLE001
            report.errors.append(ReadError(path_of.get(article_id, article_id), f"resolution failed: {failure_reason(exc)}"))
            del extractions[article_id]
    try:
        return resolve(list(extractions.values()))
    except Exception as exc:  # noqa: BLE001 - no single article to blame: stop before writing anything
        raise BuildError(f"resolution across articles failed ({first_reason}); nothing was written") from exc


class BuildError(Exception):
    """A build that cannot go on (nothing half-written): reported to the user without a traceback."""


def model_version_string() -> str:
    """The extractor and model versions recorded in every graph, read from the model's package
    metadata, so a build that parses nothing (or parses in other processes) need not load it."""
    import spacy

    from .extract import EXTRACTOR_VERSION, MODEL

    meta = spacy.util.get_model_meta(spacy.util.get_package_path(MODEL))
    return f"{EXTRACTOR_VERSION}; spacy/{spacy.__version__}; en_core_web_sm/{meta['version']}"


def _same_content(store: KGStore, graph: str, quads: list[ox.Quad]) -> bool:
    """Does the stored graph already say exactly this (ignoring when it was built)?"""
    ended = "http://www.w3.org/ns/prov#endedAtTime"
    have = {(q.subject, q.predicate, q.object) for q in store.quads(graph) if q.predicate.value != ended}
    want = {(q.subject, q.predicate, q.object) for q in quads if q.predicate.value != ended}
    return have == want


def remove_article(store: KGStore, article_id: str) -> bool:
    """Drop one article's graph and rebuild the consolidated view from the others."""
    graph = store.minter.graph(article_id)
    if not store.has_graph(graph):
        return False
    manifest = ArticleManifest(store.path)
    stored = manifest.load(store)
    manifest.invalidate()
    store.drop_graphs([graph])
    if stored is not None:  # the others, as the manifest knew them: nothing is read back
        manifest.save(a for i, a in stored.items() if i != article_id)
    build(store, [])
    return True
