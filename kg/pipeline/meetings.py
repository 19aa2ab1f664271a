"""Component `kg_meetings`: 'X met Y', 'talks between X and Y', 'at the summit in Z'."""
from __future__ import annotations

from typing import Callable

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .. import gazetteer as gz
from .attributes import is_venue_name
from .triggers import TriggerFinder
from .context import ArticleContext, context_of
from .model import COLLECTIVE, Frame
from .words import (AGREE_NOUNS, AGREE_VERBS, CONSULT_WITH_VERBS, GATHERING_NOUNS, GROUP_NOUNS, HOST_VERBS, MEETING_NOUNS,
                    MEETING_VERBS, MOTION_VERBS, NOT_MEETINGS, ROUND_NOUNS)


class Meetings:
    def __init__(self, ctx: ArticleContext):
        self.ctx = ctx

    def meeting_verb(self, tok: Token, sent: Span) -> Frame | None:
        lemma = tok.lemma_.lower()
        if self.ctx.attrs.negated(tok) or tok.dep_ == "xcomp" and tok.head.lemma_.lower() in AGREE_VERBS:
            return None
        subj = self.ctx.refs.subject_of(tok)
        partners: list[int] = []
        objs = [c for c in tok.children if c.dep_ in {"dobj", "attr"}]
        withs = [p for c in tok.children if c.dep_ == "prep" and (c.lower_ in {"with", "between"}
                 or c.lower_ == "alongside" and lemma in CONSULT_WITH_VERBS)  # "speaking alongside X": a joint appearance
                 for p in c.children if p.dep_ == "pobj"]
        if lemma in CONSULT_WITH_VERBS and not withs:  # "discussed the talks with X"
            withs = [p for o in tok.children if o.dep_ == "dobj" for c in o.children
                     if c.dep_ == "prep" and c.lower_ == "with" for p in c.children if p.dep_ == "pobj"]
        if lemma in CONSULT_WITH_VERBS:
            if not withs:
                return None
        else:
            partners += [x for o in objs for x in self.ctx.refs.actors_of(o)]
            if lemma == "meet" and objs and not partners and not withs:
                return None  # "meet demand", "met the deadline": a thing met is no party
        partners += [x for w in withs for x in self.ctx.refs.actors_of(w)]
        if lemma in HOST_VERBS and not (self.ctx.named(subj) and self.ctx.named(partners)):
            return None  # "received a letter", "hosted the summit": the noun's frame, if any
        roles = list(dict.fromkeys(subj + partners))
        if not roles:
            return None
        f = self.ctx.attrs.frame("Meeting", tok, sent, {"participant": roles})
        f.status = self.ctx.attrs.status(tok)
        self.ctx.attrs.places(f, tok)
        journey = self._journey(tok)
        if journey is not None:  # "arrived in X on Monday to meet Y"
            if not f.place and not f.venue:
                self.ctx.attrs.places(f, *[c for c in journey.children if c.dep_ == "prep" and c.lower_ in {"in", "at"}])
            if f.date is None:
                f.date, f.date_text = self.ctx.attrs.date_near(journey, sent)
        self.ctx.attrs.duration(f, sent)
        f.topic = "meeting"
        f.head = "MEET"
        f.definite = not partners and any(r == COLLECTIVE for r in subj)
        return f

    def summoned(self, verb: Token, sent: Span) -> Frame | None:
        """'X called Y back to the Elysee', 'X invited Y to Oslo': X and Y meet at that place."""
        if self.ctx.attrs.negated(verb):
            return None
        guest = next(c for c in verb.children if c.dep_ == "dobj")
        to = next(c for c in verb.children if c.dep_ == "prep" and c.lower_ == "to")
        where = [self.ctx.by_token[p.i] for p in to.children if p.dep_ == "pobj" and p.i in self.ctx.by_token]
        where = [m for m in where if m.kind == "name" and (m.label in {"GPE", "LOC", "FAC"} or gz.lookup_seat(m.text)
                                                            or is_venue_name(m.text, m.label))]
        hosts = [x for x in self.ctx.refs.subject_of(verb) if x != COLLECTIVE]
        guests = [x for x in self.ctx.refs.actors_of(guest) if x != COLLECTIVE and x not in hosts]
        if not where or not hosts or not guests or not self.ctx.named(hosts) or not self.ctx.named(guests):
            return None
        f = self.ctx.attrs.frame("Meeting", verb, sent, {"participant": hosts + guests})
        m = where[0]
        (f.venue if gz.lookup_seat(m.text) or is_venue_name(m.text, m.label) else f.place).append(m.id)
        f.status = "Planned" if verb.lemma_.lower() == "invite" else self.ctx.attrs.status(verb)
        f.topic, f.head = "meeting", "MEET"
        return f

    def meeting_noun(self, tok: Token, sent: Span) -> Frame | None:
        if tok.dep_ == "compound":  # "peace talks process": the head noun decides
            return None
        if tok.i + 1 < len(tok.doc) and tok.nbor().lemma_.lower() in AGREE_NOUNS and tok.nbor().pos_ == "NOUN":
            return None  # "hails Chile-EU talks deal": a deal about talks, misparsed as two objects
        if tok.dep_ == "pobj" and tok.head.lower_ == "without":
            return None
        if tok.dep_ == "dobj" and tok.head.lemma_.lower() in CONSULT_WITH_VERBS:
            return None  # "discussed the talks with X": the verb's frame
        if any(c.dep_ == "compound" and f"{c.lower_} {tok.lower_}" in NOT_MEETINGS for c in tok.children) and not any(
                c.lower_ == "joint" or c.dep_ == "prep" and c.lower_ in {"with", "between"} for c in tok.children):
            return None  # "a news conference": one side speaking, not a meeting of sides (a joint one is)
        if tok.dep_ == "pobj" and tok.head.lower_ == "at" and (self.meeting_trigger(tok.head.head) or any(
                c.dep_ == "dobj" and self.meeting_trigger(c) for c in tok.head.head.children)):
            return None  # "(hold) talks with X at the party conference": the conference is where they are held
        phrase = self._round_of(tok)  # "held a second round of talks in X on Monday": read from 'round'
        has_place = any((m := self.ctx.by_token.get(t.i)) is not None and m.label in {"GPE", "LOC", "FAC"}
                        for n in {tok, phrase} for c in n.children if c.dep_ == "prep" and c.lower_ in {"in", "at"}
                        for t in c.subtree)
        roles: list[int] = []
        partners: list[int] = []
        complete = False  # "a meeting between X and Y" names everyone: whoever proposes it is not in it
        both_sides = False
        owner = self.ctx.by_token.get(tok.head.i) if tok.dep_ == "appos" else None
        if owner is not None and owner.label == "ORG" and self.ctx.usable(owner):
            roles.append(owner.id)  # "an Andean Union (AU) meeting", parsed as an apposition
        for child in tok.children:
            if child.dep_ == "poss" and child.lower_ in {"his", "her"}:  # "his final talks with X"
                roles += [x for x in self.ctx.refs.actors_of(child) if x not in roles]
            if child.dep_ in {"compound", "amod", "nmod", "poss"}:
                for t in child.subtree:
                    m = self.ctx.by_token.get(t.i)
                    if m is None or m.id in roles or not self.ctx.usable(m) or is_venue_name(m.text, m.label):
                        continue
                    if m.label != "PERSON" and (gz.lookup_city(m.text) or m.label in {"GPE", "LOC"}) \
                            and not gz.lookup_country(m.text):
                        continue  # "the Oslo talks": a place, not a party
                    if gz.lookup_seat(m.text) and child.dep_ == "compound":
                        continue  # "the Elysee talks": where they met, not who
                    roles.append(m.id)
            if child.dep_ == "prep" and child.lower_ in {"between", "with", "among"}:
                partners += [x for p in child.children if p.dep_ == "pobj" for x in self.ctx.refs.actors_of(p)]
                complete = complete or (child.lower_ != "with" and len(partners) >= 2)
            if child.dep_ == "prep" and child.lower_ == "of":  # "a meeting of foreign ministers of both countries"
                members = [x for p in child.children if p.dep_ == "pobj" and p.lemma_.lower() in GROUP_NOUNS
                           for x in self.ctx.refs.actors_of(p)]
                roles += members
                complete = complete or len(members) >= 2 or COLLECTIVE in members
                both_sides = both_sides or COLLECTIVE in members  # "a meeting of ministers of both countries"
        definite = any(c.lower_ in {"the", "these", "this", "their", "such", "our"} and c.dep_ in {"det", "poss"}
                       for c in tok.children)
        for verb in self.ctx.attrs.happening(tok):  # "talks would take place with X and Y": X, Y on the verb
            for child in verb.children:
                if child.dep_ == "prep" and child.lower_ in {"with", "between"}:
                    partners += [x for p in child.children if p.dep_ == "pobj" for x in self.ctx.refs.actors_of(p)
                                 if x not in partners]
        roles += partners
        gov = self._governor(phrase)
        attendee = False
        if gov is not None and self.ctx.attrs.negated(gov):
            return None
        if tok.dep_ == "pobj" and tok.head.lower_ == "for" and tok.head.head.lemma_.lower() in MEETING_VERBS:
            return None  # "met in X for EU-mediated talks": the verb's frame is the meeting
        hosted = tok.lower_ in GATHERING_NOUNS and not partners  # "at an EU summit, X said": X attended it
        if gov is not None and (not [r for r in roles if r != COLLECTIVE] and (not definite or has_place) or
                                partners and not complete and not [r for r in roles if r not in partners]
                                or hosted and roles):
            # "from a summit in X, he urged", "who is attending the summit", "interest in a summit with Y"
            subj = self.ctx.refs.subject_of(gov) if gov.pos_ in {"VERB", "AUX"} else self.ctx.refs.actors_of(gov)
            if not subj and gov.dep_ in {"acl", "relcl"}:
                subj = self.ctx.refs.actors_of(gov.head)
            subj = [x for x in subj if x == COLLECTIVE or self.ctx.usable(self.ctx.mentions[x])]
            if not self.ctx.attrs.negated(gov) and subj:
                roles = subj + roles
                attendee = True
        named = [r for r in roles if r != COLLECTIVE]
        if named and not attendee and set(named) <= set(partners) and self.ctx.attrs.happening(tok):
            speaker = self._reporter(tok)  # "X said more talks would take place with Y and Z": X's side
            if speaker:
                roles = speaker + roles
                named = speaker + named
        if len(named) == 1 and not attendee and named[0] in partners:
            return None  # "talks with X" and no one else: who met X is unknown
        if has_place and not named:
            definite = False
        f = self.ctx.attrs.frame("Meeting", tok, sent, {"participant": list(dict.fromkeys(roles))})
        self.ctx.attrs.places(f, tok, phrase, gov if gov is not None and attendee else tok)
        happening = self.ctx.attrs.happening(tok)  # "the meeting … is due to take place at 1330 GMT in Oslo"
        if happening and not f.place and not f.venue:
            self.ctx.attrs.places(f, *[c for v in happening for c in v.children if c.dep_ == "prep" and c.lower_ in {"in", "at"}])
        if not f.place and not f.venue:
            self.ctx.attrs.visit_place(f, sent)
        if not named:
            if not definite and COLLECTIVE not in roles:
                return None
            if (f.place or f.venue) and not definite and not both_sides:
                return None
            f.definite = True
            f.roles = {"participant": [COLLECTIVE]}
        f.status = self.ctx.attrs.status(tok)
        if attendee and gov.pos_ in {"VERB", "AUX"} and self.ctx.attrs.status(gov) == "Planned" \
                and self._journey(gov) is None:  # "arrived to attend the summit": it is on
            f.status = "Planned"  # "is due to take part in talks", "will attend the summit"
        self.ctx.attrs.duration(f, sent)
        f.topic = self.ctx.clean_text(tok.left_edge.idx, tok.idx + len(tok.text))
        f.head = "MEET"
        if f.date is None and phrase.head.pos_ in {"VERB", "AUX"}:
            f.date, f.date_text = self.ctx.attrs.date_near(phrase.head, sent)
        if f.date is None and attendee and gov is not None:  # "during a trip to a summit … on Friday"
            f.date, f.date_text = self.ctx.attrs.date_near(gov, sent)
        return f

    def _reporter(self, noun: Token) -> list[int]:
        """Who says a meeting will happen ('X said talks would take place with Y'): the subject of
        the speech verb the meeting's clause is reported by."""
        speech = self.ctx.refs.speech_verb(noun.head)
        if speech is None:
            return []
        return [x for x in self.ctx.refs.subject_of(speech) if x != COLLECTIVE and self.ctx.usable(self.ctx.mentions[x])]

    @staticmethod
    def meeting_trigger(tok: Token) -> bool:
        lemma = tok.lemma_.lower()
        return (tok.pos_ == "NOUN" and (lemma in MEETING_NOUNS or tok.lower_ in MEETING_NOUNS)
                or tok.pos_ == "VERB" and lemma in MEETING_VERBS)

    @staticmethod
    def _round_of(tok: Token) -> Token:
        """'a (second) round of talks', 'a series of meetings': the noun the clause governs."""
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in ROUND_NOUNS:
            return tok.head.head
        return tok

    @staticmethod
    def _clause_of(tok: Token) -> Token | None:
        """The verb whose clause a phrase ('following talks…', 'at a news conference after…') is an
        adverbial of: up through prepositions, their objects and participles."""
        cur = tok
        for _ in range(6):
            if cur.head.i == cur.i:
                return cur if cur.pos_ in {"VERB", "AUX"} else None
            cur = cur.head
            if cur.pos_ in {"VERB", "AUX"} and cur.dep_ not in {"acl", "prep"} and cur.lower_ not in {"following"}:
                return cur
        return None

    def _governor(self, tok: Token) -> Token | None:
        """The clause a meeting noun is attended from: 'at/from/during/to a summit', 'attend talks',
        'interest in a summit with X'."""
        if tok.dep_ == "dobj" and tok.head.lemma_.lower() in {"attend", "join", "want", "propose", "seek",
                                                             "hold", "request", "arrange"}:
            return tok.head
        if tok.head.lower_ in {"after", "following"} and tok.dep_ in {"dobj", "pobj"}:
            return self._clause_of(tok.head)  # "After talks with X, Y said…": Y was in them
        if tok.dep_ != "pobj" or tok.head.lower_ not in {"at", "from", "during", "to", "in", "for"}:
            return None
        gov = tok.head.head
        if tok.head.lower_ == "in" and gov.lemma_.lower() == "take" and any(
                c.dep_ == "dobj" and c.lower_ == "part" for c in gov.children):
            return gov  # "take part in talks", the preposition hung on the verb
        if tok.head.lower_ == "in" and gov.lemma_.lower() in {"part", "participate", "engage", "join", "involve"}:
            return gov.head if gov.lemma_.lower() == "part" and gov.head.pos_ in {"VERB", "AUX"} else gov
        if gov.pos_ == "NOUN" and gov.lemma_.lower() in {"trip", "visit", "interest", "post", "speech", "remarks"}:
            gov = gov.head
            while gov.dep_ in {"pobj", "prep"} and gov.head.i != gov.i:
                gov = gov.head
        elif tok.head.lower_ in {"in", "for"}:
            return None
        if gov.i in self.ctx.by_token:  # "X, during a trip to a summit, said…": the trip is X's
            return gov
        return gov if gov.pos_ in {"VERB", "AUX"} else None

    def _journey(self, tok: Token) -> Token | None:
        """'arrived in X on Monday to meet Y': the motion verb whose place and day the meeting takes."""
        if tok.dep_ in {"xcomp", "advcl"} and tok.head.lemma_.lower() in MOTION_VERBS:
            return tok.head
        return None



@Language.factory("kg_meetings")
def make_meetings(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    triggers = TriggerFinder(nlp.vocab, ['MEETING_VERB', 'SUMMON', 'MEETING_NOUN'])

    def meetings(doc: Doc) -> Doc:
        """Meeting frames at the MEETING_* triggers of the pattern file."""
        found = Meetings(context_of(doc))
        triggers.run(doc, {"MEETING_VERB": found.meeting_verb, "SUMMON": found.summoned,
                               "MEETING_NOUN": found.meeting_noun})
        return doc
    return meetings
