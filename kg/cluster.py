"""Extraction on a Dask distributed cluster (`kg build --scheduler tcp://HOST:PORT`).

The workers parse and extract batches of articles (the same `extract_batch` as the local worker
processes) and send back only the extractions; resolution and loading stay on the client, which
alone writes the store. Every worker needs the same kg (and model) installed as the client: an
extraction made by another extractor version is refused by name, not mixed in.
"""
from __future__ import annotations

from typing import Callable, Iterator

from .extract import EXTRACTOR_VERSION, ArticleExtraction
from .extraction import BATCH, Outcome, _extract_batch_remote
from .reader import Article

CONNECT_TIMEOUT = "60s"


class ClusterError(Exception):
    """The scheduler cannot be reached (reported without a traceback)."""


def extract_on_cluster(todo: list[Article], scheduler: str, progress: Callable | None = None) -> Iterator[Outcome]:
    """(article, extraction or None, failure reason) for each article, as the batches finish."""
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - dask[distributed] is a dependency
        raise ClusterError(f"--scheduler needs dask[distributed] ({exc})") from None
    if not todo:
        return
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        batches = {}
        for i in range(0, len(todo), BATCH):
            batch = todo[i:i + BATCH]
            batches[client.submit(_extract_batch_remote, batch, pure=False)] = batch
        for future in as_completed(batches):
            batch = batches.pop(future)
            try:
                outcomes = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker loses its batch, not the build
                outcomes = [(a, None, f"the Dask worker failed: {type(exc).__name__}: {exc}") for a in batch]
            future.release()
            for art, data, failure in outcomes:
                yield art, *_checked(art, data, failure)
            if progress:
                progress(len(outcomes))
    finally:
        client.close()


def _checked(art: Article, data: dict | None, failure: str | None) -> tuple[ArticleExtraction | None, str | None]:
    if data is None:
        return None, failure
    if data.get("extractor") != EXTRACTOR_VERSION:
        return None, (f"the Dask worker runs extractor {data.get('extractor')!r}, this client "
                      f"{EXTRACTOR_VERSION!r}: install the same kg on the workers")
    ex = ArticleExtraction.from_dict(data)
    ex.article_id = art.id
    return ex, None
