"""What extraction hands on: mentions, event frames and an article's extraction, plain data
(JSON-ready) so it can be cached by content hash and sent between processes."""
from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field
from functools import cached_property

COLLECTIVE = -1  # a role filled by "both sides", "the parties": the article's main meeting's participants


@dataclass
class Mention:
    id: int
    start: int
    end: int
    text: str
    label: str            # spaCy's NER label, or GAZ for gazetteer finds
    kind: str             # name | demonym
    sent: int
    title: str = ""       # title words right before a person's name ("Foreign Minister")
    side_votes: list[str] = field(default_factory=list)  # country names this name is affiliated with
    subject: bool = False
    employer: int | None = None  # the organisation a person's title ties them to ("Fiat boss X")
    group: str = ""       # a described group ("the five unions"): the description it first had
    alias_of: int | None = None  # the mention this one is another name of ('(NUHP)', 'also known as')


@dataclass
class Frame:
    type: str             # Meeting | Demand | Agreement
    sent_start: int
    sent_end: int
    trigger: str
    roles: dict[str, list[int]]
    topic: str = ""
    head: str = ""         # the topic's head concept, a merging key
    concepts: list[str] = field(default_factory=list)
    venue: list[int] = field(default_factory=list)
    place: list[int] = field(default_factory=list)
    date: str | None = None
    date_text: str | None = None
    status: str = "Held"
    duration: str | None = None
    count: str | None = None  # the number the event is about, in the article's words ('1,000 prisoners')
    definite: bool = False  # "the talks": the article's main meeting, when no one is named
    multilateral: bool = False  # agreed among an organisation's members: one party stands for all


@dataclass
class ArticleExtraction:
    article_id: str
    content_hash: str
    extractor: str
    anchor_date: str | None
    anchor_reason: str
    mentions: list[Mention]
    frames: list[Frame]
    sentences: list[tuple[int, int]]
    dateline: tuple[str, int] | None = None  # the wire dateline's city and where the story after it starts
    leisure: bool = False  # sport results or arts coverage: its frames are no diplomacy
    visits: list[tuple[int, int]] = field(default_factory=list)  # (visitor, place) mentions: "X, visiting Y,"

    def to_dict(self) -> dict:
        return asdict(self)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s for s, _ in self.sentences]

    def sentence_no(self, offset: int) -> int:
        """The index of the sentence a character offset lies in."""
        return bisect.bisect_right(self._sentence_starts, offset) - 1

    @classmethod
    def from_dict(cls, d: dict) -> "ArticleExtraction":
        return cls(d["article_id"], d["content_hash"], d["extractor"], d["anchor_date"], d["anchor_reason"],
                   [Mention(**m) for m in d["mentions"]], [Frame(**f) for f in d["frames"]],
                   [tuple(s) for s in d["sentences"]], tuple(d["dateline"]) if d.get("dateline") else None,
                   bool(d.get("leisure")), [tuple(v) for v in d.get("visits", [])])

