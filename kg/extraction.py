"""Extraction of many articles: in this process, or in worker processes on every core.

Workers parse with spaCy and run the extraction rules where the `Doc` is, and send back only the
extraction (plain data, a few KB); a `Doc` never leaves the batch it was parsed in, so memory
stays bounded by the batch size, whatever the corpus size. An article that fails is reported by
name with the reason, and the others go on.
"""
from __future__ import annotations

import multiprocessing
import os
from typing import Callable, Iterable, Iterator

from .extract import ArticleExtraction, extract_docs
from .reader import Article

BATCH = 16          # articles per spaCy batch (and per task sent to a worker)
POOL_MINIMUM = 48   # fewer articles than this are parsed here: starting workers costs more

Outcome = tuple[Article, ArticleExtraction | None, str | None]  # (article, extraction, failure reason)


def default_workers() -> int:
    """Every core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def extract_articles(todo: list[Article], progress: Callable | None = None, *,
                     workers: int | None = None) -> Iterator[Outcome]:
    """(article, extraction or None, failure reason) for each article of `todo`, in order."""
    workers = default_workers() if workers is None else max(1, workers)
    batches = [todo[i:i + BATCH] for i in range(0, len(todo), BATCH)]
    if workers == 1 or len(todo) < POOL_MINIMUM:
        results: Iterable[list[Outcome]] = map(extract_batch, batches)
        yield from _with_progress(results, progress)
        return
    # spawn, not fork: the parent holds an open store (RocksDB threads) that a fork would copy
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, maxtasksperchild=None) as pool:
        yield from _with_progress(pool.imap(_extract_batch_remote, batches), progress, remote=True)


def _with_progress(results: Iterable[list], progress: Callable | None, remote: bool = False) -> Iterator[Outcome]:
    for outcomes in results:
        for art, ex, failure in outcomes:
            if remote and ex is not None:
                ex = ArticleExtraction.from_dict(ex)
                ex.article_id = art.id
            yield art, ex, failure
        if progress:
            progress(len(outcomes))


def extract_batch(batch: list[Article]) -> list[Outcome]:
    """Extract a batch with one `nlp.pipe`; when that fails, each article alone, so that only the
    article at fault is lost."""
    try:
        return [(a, ex, None) for a, ex in zip(batch, extract_docs(batch))]
    except Exception as exc:  # noqa: BLE001 - one article never sinks the build
        if len(batch) == 1:
            return [(batch[0], None, failure_reason(exc))]
    return [outcome for art in batch for outcome in extract_batch([art])]


def _extract_batch_remote(batch: list[Article]) -> list[tuple[Article, dict | None, str | None]]:
    """`extract_batch` in a worker: the extraction travels back as a plain dict."""
    return [(a, ex.to_dict() if ex is not None else None, why) for a, ex, why in extract_batch(batch)]


def failure_reason(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 300 else text[:297] + "..."
