"""Extraction: one article's text → mentions of actors and places, and event frames (meetings,
demands, agreements), by the spaCy pipeline of `kg.pipeline` (one component per concern, rules
and trigger patterns as data files).

Everything here looks at one article only; `kg.resolve` links the results across articles.
The output is plain data (JSON-ready) so it can be cached by content hash.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from . import __version__, lexicon
from .dates import anchor_date
from .pipeline import KG_COMPONENTS, MODEL, build_pipeline, load_model
from .pipeline.article import dateline_city
from .pipeline.attributes import is_venue_name, topic_concepts
from .pipeline.mentions import fuzzy_country
from .pipeline.model import COLLECTIVE, ArticleExtraction, Frame, Mention
from .pipeline.triggers import PATTERNS
from .reader import Article
from .textprep import clean_for_nlp

__all__ = ["COLLECTIVE", "EXTRACTOR_VERSION", "MODEL", "ArticleExtraction", "Frame", "Mention", "dateline_city",
           "extract_article", "extract_doc", "extract_docs", "fuzzy_country", "is_venue_name", "load_nlp",
           "model_version", "topic_concepts"]


def _extractor_version() -> str:
    """The package version plus a hash of the extraction code, its word lists, its trigger
    patterns and the model's version: any change to one gives a new version, so cached
    extractions are never stale (no hand bumps)."""
    here = Path(__file__).parent
    h = hashlib.sha256()
    for path in sorted((here / "pipeline").glob("*.py")) + [here / n for n in (
            "extract.py", "gazetteer.py", "textprep.py", "dates.py", "names.py")]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    h.update(lexicon.fingerprint().encode())  # every file of kg/data/lexicon
    h.update(PATTERNS.read_bytes())
    try:
        h.update(metadata.version(MODEL.replace("_", "-")).encode())
    except metadata.PackageNotFoundError:
        pass
    return f"kg-extract/{__version__}+{h.hexdigest()[:12]}"


EXTRACTOR_VERSION = _extractor_version()


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The parse alone (the model, kg's tokenizer and line breaks), without the kg components:
    what a plain spaCy run costs, and a Doc that `extract_doc` can still extract from."""
    return load_model()


def model_version() -> str:
    nlp = build_pipeline()
    return f"{EXTRACTOR_VERSION}; spacy/{__import__('spacy').__version__}; en_core_web_sm/{nlp.meta['version']}"


def _prepared(article: Article, nlp: Language) -> Doc:
    """The Doc the pipeline runs on: the cleaned text, with the article's own text and anchor date."""
    return _with_article(nlp.make_doc(clean_for_nlp(article.text)[0]), article)


def _with_article(doc: Doc, article: Article) -> Doc:
    """Put on the Doc what the components read of the article: its own text and anchor date."""
    doc._.kg_source_text = article.text
    doc._.kg_anchor, doc._.kg_anchor_reason = anchor_date(article.date, article.text)
    return doc


def extract_docs(articles: list[Article], batch_size: int = 16) -> list[ArticleExtraction]:
    """Run the whole pipeline over many articles with nlp.pipe (the fast path) and collect each."""
    nlp = build_pipeline()
    docs = nlp.pipe((_prepared(a, nlp) for a in articles), batch_size=batch_size)
    return [_collect(a, doc) for a, doc in zip(articles, docs)]


def extract_article(article: Article) -> ArticleExtraction:
    return extract_docs([article])[0]


def extract_doc(article: Article, doc: Doc) -> ArticleExtraction:
    """The extraction of a Doc parsed elsewhere (`load_nlp()(text)`): the kg components run on it."""
    doc = _with_article(doc, article)
    doc._.kg_context = doc._.kg_found = doc._.kg_references = None
    pipeline = dict(build_pipeline().pipeline)
    for name in KG_COMPONENTS:
        doc = pipeline[name](doc)
    return _collect(article, doc)


def _collect(article: Article, doc: Doc) -> ArticleExtraction:
    anchor = doc._.kg_anchor
    return ArticleExtraction(article.id, article.content_hash, EXTRACTOR_VERSION,
                             anchor.isoformat() if anchor else None, doc._.kg_anchor_reason, doc._.kg_mentions, doc._.kg_frames,
                             [(s.start_char, s.end_char) for s in doc.sents], doc._.kg_dateline,
                             bool(doc._.kg_leisure), doc._.kg_visits or [])
