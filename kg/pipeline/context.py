"""The state one article's extraction shares between pipeline components: the source text, the
anchor date, the mentions found so far and which token each one covers. It lives on
`doc._.kg_context`, set by the first component (`kg_mentions`) and read by the others."""
from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from .. import gazetteer as gz
from .model import COLLECTIVE, Frame, Mention
from .words import EVENT_NAME_HEADS

if TYPE_CHECKING:
    from .attributes import Attributes
    from .references import References

EXTENSIONS = {
    # set by the caller before the pipeline runs (kg.extract does); plain `nlp(text)` leaves them None
    "kg_source_text": None,   # the article's own text (the Doc's text is cleaned, same length)
    "kg_anchor": None,        # the date relative dates are read from ("on Tuesday")
    "kg_anchor_reason": None,  # why that date (the date line, a date in the text…)
    # set by the components
    "kg_context": None,       # ArticleContext
    "kg_references": None,    # {pronoun token index: mention id or None}
    "kg_found": None,         # [(order key, Frame)] as the event components find them
    "kg_visits": None,        # [(visitor mention id, place mention id)]
    "kg_dateline": None,      # (city, offset where the story starts) of a wire dateline
    "kg_leisure": None,       # sport or arts coverage: no diplomacy in it
}


def register_extensions() -> None:
    """Doc extensions of the kg components, and the lower-cased lemma the trigger patterns match."""
    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Doc.has_extension("kg_mentions"):
        Doc.set_extension("kg_mentions", getter=lambda doc: context_of(doc).mentions)
    if not Doc.has_extension("kg_frames"):
        Doc.set_extension("kg_frames", getter=frames_of)
    if not Token.has_extension("kg_lemma"):
        Token.set_extension("kg_lemma", getter=lambda tok: tok.lemma_.lower())


def context_of(doc: Doc) -> "ArticleContext":
    """The article context of a Doc (made on first use, so every component can run on its own)."""
    if doc._.kg_context is None:
        doc._.kg_context = ArticleContext(doc)
    return doc._.kg_context


def frames_of(doc: Doc) -> list[Frame]:
    """Frames in the order of their trigger tokens (and, at one token, of the trigger table)."""
    return [f for _, f in sorted(doc._.kg_found or [], key=lambda kf: kf[0])]


class ArticleContext:
    def __init__(self, doc: Doc):
        self.doc = doc
        self.doc_text = doc.text  # Doc.text is rebuilt on every access
        self.text: str = doc._.kg_source_text if doc._.kg_source_text is not None else self.doc_text
        self.anchor: date | None = doc._.kg_anchor
        self.sents = list(doc.sents)
        self.sent_index = {s.start: i for i, s in enumerate(self.sents)}
        self.mentions: list[Mention] = []
        self.by_token: dict[int, Mention] = {}
        self._person_names: set[str] = set()
        self._alias_of: dict[int, Mention] = {}  # id() of a mention → the mention it renames
        self._refs: References | None = None
        self._attrs: Attributes | None = None
        self.trigger_matches: dict = {}  # the trigger matches of this Doc, by matcher set (triggers.py)

    @property
    def refs(self) -> "References":
        """Who a phrase names (pronouns, collectives, quote speakers): `kg.pipeline.references`."""
        if self._refs is None:
            from .references import References
            self._refs = References(self)
        return self._refs

    @property
    def attrs(self) -> "Attributes":
        """Negation, status, date, place, duration and topic of frames: `kg.pipeline.attributes`."""
        if self._attrs is None:
            from .attributes import Attributes
            self._attrs = Attributes(self)
        return self._attrs

    def usable(self, m: Mention) -> bool:
        """A mention that can fill a role: a name, or a demonym of a known country."""
        if m.kind == "name" and m.text.split()[-1].lower() in EVENT_NAME_HEADS:
            return False  # "the Nuclear Security Summit": an event's name, not a party to it
        return m.kind in {"name", "group"} or gz.lookup_demonym(m.text) is not None

    def is_person(self, m: Mention) -> bool:
        return m.label == "PERSON" or m.text in self._person_names

    def named(self, ids: list[int]) -> bool:
        """Whether any of these participants is a person, organisation or country by name."""
        return any(i != COLLECTIVE and self.mentions[i].label in {"PERSON", "ORG", "GPE", "NORP"} for i in ids)

    def clean_text(self, start: int, end: int) -> str:
        return re.sub(r"\s+", " ", self.doc_text[start:end]).strip(" ,.;:“”\"'")

    def add(self, span: Span, label: str) -> Mention:
        start, end = span.start, span.end
        while end > start + 1 and self.doc[end - 1].is_space:
            end -= 1  # a name at a headline's end: the line break after it is no part of the name
        while start < end - 1 and self.doc[start].is_space:
            start += 1
        span = self.doc[start:end]
        text = self.text[span.start_char:span.end_char]
        kind = "demonym" if (label == "NORP" or gz.lookup_demonym(text)) and not gz.lookup_country(text) else "name"
        if kind == "demonym" and not gz.lookup_demonym(text) and span.root.tag_ in {"NNPS", "NNS"}:
            kind = "name"  # "the Greens", "Democrats": a party or a community, no nationality
        sent = self.sent_index.get(span.sent.start, 0)
        m = Mention(len(self.mentions), span.start_char, span.end_char, text, label, kind, sent,
                    subject=span.root.dep_ in {"nsubj", "nsubjpass"})
        self.mentions.append(m)
        for i in range(span.start, span.end):
            self.by_token[i] = m
        return m

