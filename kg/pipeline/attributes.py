"""Event attributes that every event component reads off the parse: negation, status (held or
planned), date, place and venue, duration and topic."""
from __future__ import annotations

import re

from spacy.tokens import Span, Token

from .. import gazetteer as gz
from ..dates import resolve as resolve_date
from .context import ArticleContext
from .model import Frame
from .words import (CONCEPTS, HAPPEN_VERBS, LIGHT_VERBS, MARGIN_WORDS, NEGATORS, PLACING_PREPS,
                    PLANNED_MARKERS, SCHEDULED_WORDS, VENUE_HEADS)


REASON_MARKS = {"because", "since", "although", "though", "while", "whereas"}  # a reason, not content
AHEAD_WORDS = {"ahead", "advance", "run-up", "eve", "prelude"}  # "ahead of X": X is still to come


class Attributes:
    def __init__(self, ctx: ArticleContext):
        self.ctx = ctx

    def negated(self, tok: Token) -> bool:
        if tok.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
            return True  # "reached no agreement"
        cur, hops = tok, 0
        while hops < 4:
            if any(c.dep_ == "neg" for c in cur.children) or cur.lemma_.lower() in NEGATORS:
                return True
            if any(c.lower_ in NEGATORS and c.dep_ in {"advmod", "prep", "mark", "acomp"} for c in cur.children):
                return True
            if cur.head is cur or cur.dep_ in {"ROOT", "advcl", "relcl"}:
                break  # "failed to hold on after X demanded Y": the failure is not the demand's
            cur = cur.head
            hops += 1
        return False

    def negated_here(self, tok: Token) -> bool:
        return any(c.dep_ == "neg" for c in tok.children)

    def status(self, tok: Token) -> str:
        """Planned for what is still to come: 'would meet', 'to meet', 'a future meeting'."""
        modal = {c.lower_ for c in tok.children if c.tag_ == "MD"}
        mods = {c.lower_ for c in tok.children if c.dep_ in {"amod", "advmod", "compound"}}
        marks = {c.lower_ for c in tok.children if c.dep_ in {"mark", "advmod", "aux"}}
        if tok.pos_ == "VERB" and "to" in marks:
            return "Planned"  # "afraid to meet", "plans to meet"
        if tok.dep_ == "pobj" and tok.head.lower_ in {"of", "to"} and tok.head.head.lower_ in AHEAD_WORDS:
            return "Planned"  # "talks ahead of an EU summit", "in the run-up to the summit"
        if tok.dep_ == "xcomp" or modal & PLANNED_MARKERS or mods & PLANNED_MARKERS or marks & {"until", "if", "unless"}:
            return "Planned"
        chain = self.happening(tok) if tok.pos_ == "NOUN" else []
        if any(c.tag_ == "MD" and c.lower_ in PLANNED_MARKERS or c.dep_ == "aux" and c.lower_ == "to"
               for v in chain for c in v.children):
            return "Planned"  # "talks would take place", "the meeting will be held"
        if any(v.lower_ in SCHEDULED_WORDS and any(c.dep_ == "xcomp" and c.lemma_.lower() in HAPPEN_VERBS
                                                   for c in v.children) for v in chain):
            return "Planned"  # "the meeting is due to take place", "talks are set to resume"
        if tok.pos_ == "NOUN" and tok.head.lemma_.lower() in {"request", "call", "offer", "propose", "demand",
                                                              "want", "seek", "organize", "arrange", "require"}:
            return "Planned"
        return "Held"

    def frame(self, kind: str, tok: Token, sent: Span, roles: dict[str, list[int]]) -> Frame:
        f = Frame(kind, sent.start_char, sent.end_char, tok.text, roles)
        f.date, f.date_text = self.date_near(tok, sent)
        return f

    def date_near(self, tok: Token, sent: Span) -> tuple[str | None, str | None]:
        clause = tok if tok.pos_ == "VERB" else tok.head
        scope = set(t.i for t in clause.subtree) | set(t.i for t in tok.subtree)
        best = None
        for ent in sent.ents:
            if ent.label_ != "DATE" or not any(t.i in scope for t in ent):
                continue
            future = any(c.lower_ in {"will", "shall"} for c in clause.children)
            d = resolve_date(ent.text, self.ctx.anchor, future=future)
            if d:
                best = (d.isoformat(), ent.text)
                break
        return best if best else (None, None)

    def places(self, f: Frame, *toks: Token) -> None:
        """'in Oslo', 'at the X Palace', 'the Oslo talks', 'Oslo's X Palace'; a place 'in'
        comes before one 'at' (a site: 'at Joint Base X in Anchorage')."""
        seen: set[int] = set()
        at_sites: list[int] = []
        for t in toks:
            for x in t.subtree:
                if x.i in seen:
                    continue
                seen.add(x.i)
                m = self.ctx.by_token.get(x.i)
                if m is None or m.kind != "name":
                    continue
                via = x
                while via.dep_ in {"compound", "flat", "amod"} and via.head.i != via.i and via.head.i != t.i:
                    via = via.head
                prep = via.head.lower_ if via.dep_ == "pobj" else ""
                if is_venue_name(m.text, m.label) or gz.lookup_seat(m.text) and (prep in {"at", "inside"} or
                                                                                 via.dep_ == "compound" and via.head.i == t.i):
                    # "the Elysee talks", "at the Elysee": a seat of government is where they met
                    if m.id not in f.venue and (prep in {"at", "in", "inside"} or via.dep_ in {"poss", "compound"}):
                        f.venue.append(m.id)
                elif m.label in {"GPE", "LOC", "FAC"} or gz.lookup_city(m.text) or gz.lookup_country(m.text):
                    if (prep in {"in", "at"} and self.located(via.head, t)
                            or via.dep_ in {"compound", "poss"} and via.head.i == t.i):
                        parties = {i for ids in f.roles.values() for i in ids}
                        if m.id not in f.place and m.id not in at_sites and not (
                                m.id in parties and via.dep_ in {"compound", "poss"}):  # "Chile-EU talks": who
                            (at_sites if prep == "at" else f.place).append(m.id)
        f.place.extend(at_sites)

    def located(self, prep: Token, trigger: Token) -> bool:
        """Whether 'in X' places the trigger itself: the way up from the preposition passes only
        through places, names and the trigger's own objects ('met X at a hotel in Y'), never
        through another thing ('met X … a ceasefire in Y')."""
        cur = prep
        while cur.i != trigger.i:
            own_object = cur.dep_ in {"dobj", "nsubj", "attr", "nsubjpass"} and cur.head.i == trigger.i
            on_the_way = (cur.dep_ == "prep" and cur.lower_ in PLACING_PREPS
                          or cur.dep_ == "pobj" and cur.head.lower_ in PLACING_PREPS)
            title = cur.lower_ in gz.TITLES or cur.lower_ == "of" and cur.head.lower_ in gz.TITLES
            # "on the sidelines of the X summit in Y"
            margin = (cur.lower_ in MARGIN_WORDS or cur.lower_ in {"of", "on"} and (
                cur.head.lower_ in MARGIN_WORDS or any(c.lower_ in MARGIN_WORDS for c in cur.children))
                or cur.dep_ == "pobj" and cur.head.lower_ == "of" and cur.head.head.lower_ in MARGIN_WORDS)
            if not (own_object or on_the_way or title or margin or cur.i in self.ctx.by_token
                    or cur.dep_ in {"conj", "compound", "appos"}):
                return False
            if cur.head.i == cur.i:
                return False
            cur = cur.head
        return True

    def duration(self, f: Frame, sent: Span) -> None:
        for ent in sent.ents:
            if ent.label_ in {"TIME", "DATE", "CARDINAL", "QUANTITY"} and re.search(r"hour|minute", ent.text, re.I):
                f.duration = ent.text
                return
        m = re.search(r"\b(\d+)-(minute|hour)\b", sent.text)
        if m:
            f.duration = m[0]

    def visit_place(self, f: Frame, sent: Span) -> None:
        """'X, visiting Quito, spoke at a joint news conference with Y': a meeting told in the
        sentence of a visit (visiting X, a visit/trip to X) is in the visited place."""
        for t in sent:
            if t.lemma_.lower() not in {"visit", "tour", "trip"}:
                continue
            objs = [c for c in t.children if c.dep_ == "dobj"] if t.pos_ == "VERB" else \
                [p for c in t.children if c.dep_ == "prep" and c.lower_ == "to" for p in c.children if p.dep_ == "pobj"]
            for o in objs:
                m = self.ctx.by_token.get(o.i)
                if m is not None and m.kind == "name" and (gz.lookup_city(m.text) or m.label == "GPE") \
                        and not gz.lookup_country(m.text):
                    f.place.append(m.id)
                    return

    @staticmethod
    def happening(noun: Token) -> list[Token]:
        """The verbs that say a meeting noun (their subject) happens: 'the talks took place /
        were held / are due to take place / began in X'."""
        if noun.dep_ not in {"nsubj", "nsubjpass"} or noun.head.lemma_.lower() not in HAPPEN_VERBS:
            return []
        verbs, frontier = [noun.head], [noun.head]
        for _ in range(3):  # "is due to take place": be → due (acomp) → take (xcomp)
            frontier = [c for v in frontier for c in v.children if c.dep_ in {"xcomp", "acomp"}]
            verbs += frontier
        return verbs

    def topic_root(self, verb: Token) -> Token | None:
        for child in verb.children:
            if child.dep_ in {"xcomp", "ccomp"}:
                return child
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in {"on", "to", "upon", "for"} and not self.circumstance(child):
                return child
        for child in verb.children:
            if child.dep_ == "dobj":
                return child
        return None

    def circumstance(self, prep: Token) -> bool:
        """'on Tuesday', 'in Oslo': a phrase of time or place, never what is agreed."""
        objs = [c for c in prep.children if c.dep_ == "pobj"]
        return bool(objs) and all(o.ent_type_ in {"DATE", "TIME", "GPE", "LOC", "FAC"} for o in objs)

    def set_topic(self, f: Frame, root: Token) -> None:
        if root.lower_ in {"that", "which", "what"} and root.head.dep_ == "relcl":
            root = root.head.head  # "a ceasefire that Ukraine has sought" → "a ceasefire"
            toks = [t for t in root.subtree if t.i <= root.i]
            f.topic = self.ctx.clean_text(toks[0].idx, root.idx + len(root.text))[:200]
            f.head, f.concepts = topic_concepts(root)
            return
        reasons = {t.i for c in root.children if c.dep_ == "advcl" and c.i > root.i and any(
            m.dep_ == "mark" and m.lower_ in REASON_MARKS for m in c.children) for t in c.subtree}
        toks = [t for t in root.subtree if t.i not in reasons]  # "…lifted because they want X": not what is asked
        while toks and toks[-1].is_punct:
            toks.pop()
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        if root.dep_ == "prep":  # "on a prisoner swap" → "a prisoner swap"
            objs = [c for c in root.children if c.dep_ in {"pobj", "pcomp"}]
            if objs:
                sub = list(objs[0].subtree)
                start = sub[0].idx
        f.topic = self.ctx.clean_text(start, end)[:200] if contentful(toks) else ""
        f.head, f.concepts = topic_concepts(root)
        f.count = f.count or self.count_in(toks)

    @staticmethod
    def count_in(toks: list[Token]) -> str | None:
        """The number a topic is about ('to exchange 1,000 prisoners' → '1,000 prisoners'): a
        cardinal counting a noun, not a date, an amount of money or a percentage."""
        for t in toks:
            if t.dep_ == "nummod" and t.like_num and t.head.pos_ == "NOUN" and t.ent_type_ in {"CARDINAL", ""} \
                    and t.head.i > t.i:
                words = [x for x in t.subtree if x.i <= t.i] + [t.head]
                return " ".join(x.text for x in words)
        return None



def contentful(toks: list[Token]) -> bool:
    """A topic says what is asked or agreed: it holds a noun, verb or number that is not a date or
    a name alone ('Tuesday', 'for', 'historic' and 'it' are not topics)."""
    content = [t for t in toks if t.pos_ in {"NOUN", "VERB", "NUM", "PROPN"} and t.ent_type_ not in {"DATE", "TIME"}
               and not t.is_stop]
    if not content:
        return False
    return not all(t.pos_ == "PROPN" or t.ent_type_ in {"PERSON", "GPE", "ORG", "NORP"} for t in content)


def topic_concepts(root: Token) -> tuple[str, list[str]]:
    """The head concept of a topic phrase and all concepts in it: the first meaningful word,
    skipping light verbs ('provide proposals' → PROPOSAL), breadth-first from the root."""
    concepts: list[str] = []
    head = ""
    queue = [root]
    seen = set()
    while queue:
        t = queue.pop(0)
        if t.i in seen:
            continue
        seen.add(t.i)
        c = CONCEPTS.get(t.lemma_.lower()) or CONCEPTS.get(t.lower_)
        if c and c not in concepts:
            concepts.append(c)
        if not head and t.pos_ in {"NOUN", "VERB", "PROPN"} and t.lemma_.lower() not in LIGHT_VERBS and t.dep_ != "nsubj":
            head = c or t.lemma_.lower()
        queue += sorted(t.children, key=lambda x: (x.dep_ in {"nsubj", "compound", "amod"}, x.i))
    if head and head not in CONCEPTS.values() and concepts and root.lemma_.lower() in LIGHT_VERBS:
        head = concepts[0]  # "have guns silenced": the clause is about the silence, not the guns
    if head and head not in CONCEPTS.values() and root.pos_ in {"NOUN", "PROPN"}:
        # "the heads of state meeting": a concept in the noun's own modifiers or its of-phrase names it
        near = [c for c in root.children if c.dep_ in {"compound", "nmod", "amod"}]
        near += [p for c in root.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children]
        for t in near:
            c = CONCEPTS.get(t.lemma_.lower()) or CONCEPTS.get(t.lower_)
            if c:
                return c, concepts
    return head, concepts


def is_venue_name(text: str, label: str) -> bool:
    words = text.split()
    return len(words) >= 2 and words[-1].lower().strip(".,") in VENUE_HEADS or label == "FAC" and len(words) >= 2
