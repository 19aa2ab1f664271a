"""Trigger patterns as data: `kg/data/patterns/triggers.jsonl` holds spaCy `Matcher` token patterns
(`"pattern"`) and `DependencyMatcher` patterns (`"dependency"`), each under a label that an event
component handles. A value `"@name"` stands for a word class of `kg/data/lexicon/word_classes.json`.
Every row is checked when the pipeline is built; a bad row is an error naming the file and line."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from spacy.attrs import LEMMA, LOWER
from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from .. import lexicon
from .model import Frame

PATTERNS = Path(__file__).resolve().parent.parent / "data" / "patterns" / "triggers.jsonl"
Handler = Callable[[Token, Span], "Frame | list[Frame | None] | None"]


class PatternError(ValueError):
    """A trigger pattern that cannot be used: the message names the file, the line and why."""


def _expand(value: object, where: str) -> object:
    """Replace every '@word_class' by that class's words (sorted, so the pattern is stable)."""
    if isinstance(value, str) and value.startswith("@"):
        try:
            return sorted(lexicon.word_class(value[1:]))
        except lexicon.LexiconError as exc:
            raise PatternError(f"{where}: {exc}") from None
    if isinstance(value, dict):
        return {k: _expand(v, where) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, where) for v in value]
    return value


@lru_cache(maxsize=None)
def rows(path: Path = PATTERNS) -> tuple[dict, ...]:
    """The rows of the trigger file, checked for shape and with word classes expanded."""
    out = []
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{no}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PatternError(f"{where}: not JSON: {exc}") from None
        kinds = [k for k in ("pattern", "dependency") if k in row]
        if not isinstance(row.get("label"), str) or not row.get("about") or len(kinds) != 1:
            raise PatternError(f"{where}: a row needs a 'label', an 'about' and one of 'pattern'/'dependency'")
        out.append({"label": row["label"], "kind": kinds[0], "pattern": _expand(row[kinds[0]], where), "where": where})
    return tuple(out)


def labels_in_order(path: Path = PATTERNS) -> list[str]:
    """Labels by first appearance: frames found at one token come in this order."""
    return list(dict.fromkeys(r["label"] for r in rows(path)))


def _first_words(spec: dict) -> tuple[str, frozenset[str]] | None:
    """('lemma' | 'lower', words) when a token spec admits only those lowercased lemmas or lower
    forms, else None: a match of its pattern can then begin only at such a token."""
    for attr, value in ((("lemma"), (spec.get("_") or {}).get("kg_lemma")), ("lower", spec.get("LOWER"))):
        if isinstance(value, str):
            return attr, frozenset({value if attr == "lower" else value.lower()})
        if isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(w, str) for w in value["IN"]):
            return attr, frozenset(value["IN"])
    return None


class _Gate:
    """The tokens of a Doc whose lowercased lemma or lower form is among some words: found from
    `Doc.to_array` with one set lookup per distinct word, not one Python predicate per token and
    pattern (what spaCy's Matcher does with a `_` attribute: half the rules' time before)."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        self.words: dict[str, set[str]] = {"lemma": set(), "lower": set()}
        self._hits: dict[tuple[str, int], bool] = {}

    def add(self, attr: str, words: frozenset[str]) -> None:
        self.words[attr] |= words
        self._hits.clear()

    def positions(self, doc: Doc) -> list[int]:
        if not len(doc):
            return []
        strings, hits, out = doc.vocab.strings, self._hits, []  # a hash is the string's, whichever vocab
        lemmas, lowers = self.words["lemma"], self.words["lower"]
        for i, (lemma, lower) in enumerate(doc.to_array([LEMMA, LOWER]).tolist()):
            hit = hits.get(("lemma", lemma))
            if hit is None:
                hit = hits[("lemma", lemma)] = strings[lemma].lower() in lemmas
            if not hit:
                hit = hits.get(("lower", lower))
                if hit is None:
                    hit = hits[("lower", lower)] = strings[lower] in lowers
            if hit:
                out.append(i)
        return out


class _SharedMatchers:
    """One Matcher and one DependencyMatcher for every label the finders of a vocabulary and a
    pattern file ask for: a Doc is matched once, not once per event component.

    A token pattern whose first token names its words (kg_lemma or LOWER) is matched only from
    the tokens with those words (`_Gate`), on a span as long as the pattern can match: the same
    matches as over the whole Doc, since a match begins with such a token. The DependencyMatcher
    runs only on a Doc where some pattern's anchor word occurs."""

    def __init__(self, vocab: Vocab, path: Path):
        self.vocab, self.path, self.rows = vocab, path, rows(path)
        self.labels: set[str] = set()
        self.tokens = Matcher(vocab, validate=True)  # patterns that cannot be gated
        self.gated = Matcher(vocab, validate=True)
        self.gate = _Gate(vocab)
        self.span = 1  # tokens the longest gated pattern can match (0: any number)
        self.deps = DependencyMatcher(vocab, validate=True)
        self.anchors: _Gate | None = _Gate(vocab)  # None: some anchor names no words

    def include(self, labels: set[str]) -> None:
        """Add the rows of labels not matched yet (the finder has checked them already)."""
        new = labels - self.labels
        for row in self.rows:
            if row["label"] not in new:
                continue
            pattern = row["pattern"]
            if row["kind"] == "dependency":
                self.deps.add(row["label"], [pattern])
                words = _first_words(pattern[0].get("RIGHT_ATTRS", {}))
                if words is None:
                    self.anchors = None
                elif self.anchors is not None:
                    self.anchors.add(*words)
                continue
            words = _first_words(pattern[0])
            if words is None:
                self.tokens.add(row["label"], [pattern])
                continue
            self.gated.add(row["label"], [pattern])
            self.gate.add(*words)
            bounded = all(t.get("OP") in (None, "!", "?") for t in pattern)
            self.span = 0 if not bounded or self.span == 0 else max(self.span, len(pattern))
        self.labels |= new

    def matches(self, doc: Doc) -> set[tuple[int, str]]:
        """(first token, label) of every match in the Doc, cached on its article context."""
        ctx = doc._.kg_context
        key = (id(self), frozenset(self.labels))
        cache = getattr(ctx, "trigger_matches", None)
        if cache is not None and key in cache:
            return cache[key]
        found: set[tuple[int, str]] = set()
        strings = self.vocab.strings
        if len(self.tokens):
            for match_id, start, _end in self.tokens(doc):
                found.add((start, strings[match_id]))
        if len(self.gated):
            for i in self.gate.positions(doc):
                end = len(doc) if self.span == 0 else min(len(doc), i + self.span)
                for match_id, start, _end in self.gated(doc[i:end]):
                    if start == 0:  # a match beginning later begins at a gated token of its own
                        found.add((i, strings[match_id]))
        if len(self.deps) and (self.anchors is None or self.anchors.positions(doc)):
            for match_id, token_ids in self.deps(doc):
                found.add((token_ids[0], strings[match_id]))
        if cache is not None:
            cache[key] = found
        return found


_SHARED: dict[tuple[int, Path], _SharedMatchers] = {}


def _shared(vocab: Vocab, path: Path) -> _SharedMatchers:
    """The shared matchers of a vocabulary and a pattern file (as read now)."""
    key = (id(vocab), path)
    if key not in _SHARED or _SHARED[key].vocab is not vocab or _SHARED[key].rows is not rows(path):
        _SHARED[key] = _SharedMatchers(vocab, path)
    return _SHARED[key]


class TriggerFinder:
    """Matchers for some labels of the trigger file, built once per vocabulary."""

    def __init__(self, vocab: Vocab, labels: Iterable[str], path: Path = PATTERNS):
        wanted = set(labels)
        unknown = wanted - set(labels_in_order(path))
        if unknown:
            raise PatternError(f"{path}: no pattern for {sorted(unknown)}")
        self.rank = {label: i for i, label in enumerate(labels_in_order(path))}
        self.tokens = Matcher(vocab, validate=True)  # checks the rows; `shared` does the matching
        self.deps = DependencyMatcher(vocab, validate=True)
        for row in rows(path):
            if row["label"] not in wanted:
                continue
            matcher = self.tokens if row["kind"] == "pattern" else self.deps
            try:
                matcher.add(row["label"], [row["pattern"]])
            except Exception as exc:  # spaCy's own validation: the pattern's shape or attributes
                raise PatternError(f"{row['where']}: {exc}") from None
        self.wanted = wanted
        self.shared = _shared(vocab, path)
        self.shared.include(wanted)
        self.vocab = vocab

    def __call__(self, doc: Doc) -> list[tuple[Token, str]]:
        """(trigger token, label) once each, in the order of the text."""
        found = {(i, label) for i, label in self.shared.matches(doc) if label in self.wanted}
        return [(doc[i], label) for i, label in sorted(found, key=lambda x: (x[0], self.rank[x[1]]))]

    def run(self, doc: Doc, handlers: dict[str, Handler]) -> None:
        """Call each label's handler at its triggers; keep the frames they return on `doc._.kg_found`."""
        if doc._.kg_found is None:
            doc._.kg_found = []
        for tok, label in self(doc):
            got = handlers[label](tok, tok.sent)
            for sub, frame in enumerate(got if isinstance(got, list) else [got]):
                if frame is not None:
                    doc._.kg_found.append(((tok.i, self.rank[label], sub), frame))
