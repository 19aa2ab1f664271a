"""Build: read → extract (cached by content hash) → resolve across the whole store → write each
article's graph in its own transaction, then the resolution graph.

Re-running on the same files, or the same text under another name, adds nothing; a new article
is the only one parsed, though resolution may re-link nodes in the graphs of others.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from .extract import EXTRACTOR_VERSION, ArticleExtraction, extract_docs, model_version
from .rdf import GraphWriter
from .reader import Article, ReadError, article_from_text, read_articles
from .resolve import resolve
from .store import KGStore


@dataclass
class BuildReport:
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    relinked: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    errors: list[ReadError] = field(default_factory=list)
    events: int = 0
    triples: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def stored_articles(store: KGStore) -> dict[str, Article]:
    """The articles already in the store, rebuilt from what their graphs hold."""
    rows = store.select("""
        SELECT ?id ?text ?path ?hash ?title ?dateLine ?date ?url ?outlet WHERE {
          GRAPH ?g { ?a a kg:Article ; kg:articleId ?id ; kg:text ?text ; kg:sourcePath ?path ; kg:contentHash ?hash .
            OPTIONAL { ?a dct:title ?title } OPTIONAL { ?a kg:dateLine ?dateLine } OPTIONAL { ?a dct:date ?date }
            OPTIONAL { ?a schema:url ?url } OPTIONAL { ?a kg:outlet ?outlet } } }""", union=False)
    out = {}
    for r in rows:
        art = article_from_text(r["id"], r["text"], r["path"], title=r["title"], url=r["url"], outlet=r["outlet"],
                                published=r["date"])
        art.date_line = r["dateLine"] or art.date_line
        out[r["id"]] = art
    return out


class ExtractionCache:
    """Extractions on disk, keyed by content hash and extractor version: a rebuild parses nothing."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, content_hash: str) -> Path:
        return self.folder / f"{content_hash.split(':')[-1]}.json"

    def get(self, article: Article) -> ArticleExtraction | None:
        p = self.path(article.content_hash)
        if not p.exists():
            return None
        try:
            data = json.loads(p.read_text())
        except (OSError, ValueError):
            return None
        if data.get("extractor") != EXTRACTOR_VERSION or data.get("stated_date") != _stated(article):
            return None  # another extractor, or the same text stated on another day (dates differ)
        ex = ArticleExtraction.from_dict(data)
        ex.article_id = article.id
        return ex

    def put(self, ex: ArticleExtraction, article: Article) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.path(ex.content_hash)
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(fd, "w") as fh:
            json.dump({**ex.to_dict(), "stated_date": _stated(article)}, fh)
        os.replace(tmp, target)  # atomic: a crash leaves the old file or the new one


def _stated(article: Article) -> str | None:
    return article.date.isoformat() if article.date else None


def build(store: KGStore, paths: Iterable[Path], progress: Callable | None = None) -> BuildReport:
    report = BuildReport()
    existing = stored_articles(store)
    by_hash = {a.content_hash: a.id for a in existing.values()}
    new: list[Article] = []
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
            del by_hash[existing[item.id].content_hash]
        existing[item.id] = item
        by_hash[item.content_hash] = item.id
        new.append(item)

    cache = ExtractionCache(store.cache_dir)
    articles = sorted(existing.values(), key=lambda a: a.id)
    extractions: dict[str, ArticleExtraction] = {}
    todo: list[Article] = []
    for art in articles:
        ex = cache.get(art)
        if ex is None:
            todo.append(art)
        else:
            extractions[art.id] = ex
    for art, ex in zip(todo, _extract_with_progress(todo, progress)):
        cache.put(ex, art)
        extractions[art.id] = ex

    resolution = resolve(list(extractions.values()))
    writer = GraphWriter(store.minter, resolution, model_version())
    now = datetime.now(timezone.utc)
    new_ids = {a.id for a in new}
    for art in articles:
        graph = store.minter.graph(art.id)
        quads = writer.article_quads(art, extractions[art.id], built_at=now)
        if art.id not in new_ids and _same_content(store, graph, quads):
            if art.id not in report.unchanged:
                report.unchanged.append(art.id)
            continue
        store.replace_graph(graph, quads)  # one transaction per article
        (report.added if art.id in new_ids else report.relinked).append(art.id)
    store.replace_graph(store.minter.resolution_graph(), writer.resolution_quads())
    store.flush()
    report.events = len(resolution.events)
    report.triples = len(store)
    return report


def _extract_with_progress(todo: list[Article], progress: Callable | None) -> Iterable[ArticleExtraction]:
    batch = 32
    for i in range(0, len(todo), batch):
        chunk = todo[i:i + batch]
        yield from extract_docs(chunk)
        if progress:
            progress(len(chunk))


def _same_content(store: KGStore, graph: str, quads: list[ox.Quad]) -> bool:
    """Does the stored graph already say exactly this (ignoring when it was built)?"""
    ended = "http://www.w3.org/ns/prov#endedAtTime"
    have = {(q.subject, q.predicate, q.object) for q in store.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
            if q.predicate.value != ended}
    want = {(q.subject, q.predicate, q.object) for q in quads if q.predicate.value != ended}
    return have == want


def remove_article(store: KGStore, article_id: str) -> bool:
    """Drop one article's graph and rebuild the consolidated view from the others."""
    graph = store.minter.graph(article_id)
    if not store.has_graph(graph):
        return False
    store.drop_graphs([graph])
    build(store, [])
    return True
