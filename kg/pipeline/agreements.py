"""Component `kg_agreements`: 'X and Y agreed to…', 'a deal was reached', 'X accepted Y's offer', and
the meeting of two people who sign a deal together in a place."""
from __future__ import annotations

from typing import Callable

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .attributes import contentful, topic_concepts
from .triggers import TriggerFinder
from .context import ArticleContext, context_of
from .meetings import Meetings
from .model import COLLECTIVE, Frame
from .words import (AGREE_NOUNS, DEAL_MAKING_VERBS, JOINT_NOUNS, OFFER_NOUNS, PLEDGE_VERBS, SPLIT_AGREE_NOUNS,
                    WISH_WORDS)


class Agreements:
    def __init__(self, ctx: ArticleContext):
        self.ctx = ctx

    def agreement_verb(self, tok: Token, sent: Span) -> Frame | None:
        if self.ctx.attrs.negated(tok):
            return None
        parties = self.ctx.refs.subject_of(tok)
        with_ = [x for c in tok.children if c.dep_ == "prep" and c.lower_ == "with"
                 for p in c.children if p.dep_ == "pobj" for x in self.ctx.refs.actors_of(p)]
        if not parties and any(c.dep_ == "nsubjpass" and c.lower_ == "it" for c in tok.children):
            parties = [COLLECTIVE]  # "It was agreed the issue can be tackled later": the talks' parties
        topic_tok = self.ctx.attrs.topic_root(tok)
        if topic_tok is None:
            return None
        if topic_tok.dep_ == "dobj" and topic_tok.lemma_.lower() in AGREE_NOUNS:
            return None  # "signed a $240m agreement", "signed the deal": the noun's frame is the deal
        parties = list(dict.fromkeys(parties + with_))
        members = self._members_of(tok)
        if tok.lemma_.lower() in PLEDGE_VERBS and len([x for x in parties if x != COLLECTIVE]) < 2 \
                and parties != [COLLECTIVE] and members is None:
            return None  # one side's promise is no agreement
        if members is not None:  # "the AU's 12 members agreed": the organisation, among its members
            f = self.ctx.attrs.frame("Agreement", tok, sent, {"party": [members]})
            f.definite = False
            self.ctx.attrs.set_topic(f, topic_tok)
            f.multilateral = True
            return f if f.topic else None
        if len(parties) == 1 and parties[0] != COLLECTIVE and topic_tok.dep_ != "ccomp":
            parties.append(COLLECTIVE)  # "X agreed to Y" after talks: with the other side of the talks
        if len(parties) < 2 and COLLECTIVE not in parties:
            return None  # "Santiago agreed that…": an opinion, not an agreement between parties
        f = self.ctx.attrs.frame("Agreement", tok, sent, {"party": parties})
        self.ctx.attrs.set_topic(f, topic_tok)
        self.ctx.attrs.places(f, tok)  # "agreed ceasefire terms in Lima": where the deal was made
        return f if f.topic else None

    def deal_and_signing(self, noun: Token, sent: Span) -> list[Frame | None]:
        """A deal named by a noun, and the meeting of those who signed it together in a place."""
        deal = self._agreement_noun(noun, sent)
        return [deal, self._signing_meeting(deal, noun, sent)]

    def _made_deal(self, noun: Token, made: Token, gov: Token, sent: Span, parties: list[int]) -> Frame:
        """A deal said to be made, with no clause of what it is: the phrase that tells it, and the
        'as …' that the verb praising it adds ('hailed a deal clinched with X as granting Y…')."""
        end = made.right_edge
        praise = next((c for c in gov.children if c.dep_ == "prep" and c.lower_ == "as" and c.i > end.i), None)
        if praise is not None:
            end = praise.right_edge
        f = self.ctx.attrs.frame("Agreement", noun, sent, {"party": list(dict.fromkeys(parties))})
        f.topic = self.ctx.clean_text(noun.left_edge.idx, end.idx + len(end.text))[:200]
        f.head, f.concepts = topic_concepts(noun)
        return f

    def _signing_meeting(self, deal: Frame | None, noun: Token, sent: Span) -> Frame | None:
        """'X and Y signed the deal in Z': two people who sign together in a place have met."""
        verb = noun.head
        if deal is None or noun.dep_ != "dobj" or verb.lemma_.lower() != "sign":
            return None
        people = [x for x in deal.roles.get("party", []) if x != COLLECTIVE and self.ctx.mentions[x].label == "PERSON"]
        if len(people) < 2:
            return None
        f = self.ctx.attrs.frame("Meeting", verb, sent, {"participant": people})
        self.ctx.attrs.places(f, verb)
        if not f.place and not f.venue:
            return None
        f.topic, f.head, f.status = "signing", "MEET", self.ctx.attrs.status(verb)
        return f

    def wished_for(self, noun: Token) -> bool:
        """A deal that is sought, needed or under negotiation, not one that was made."""
        cur = noun
        for _ in range(4):
            if cur.head.i == cur.i:
                return False
            cur = cur.head
            lemma = cur.lemma_.lower()
            if lemma in WISH_WORDS or cur.lower_ in WISH_WORDS or Meetings.meeting_trigger(cur):
                return True
            if cur.pos_ == "VERB" and lemma in DEAL_MAKING_VERBS:
                return False
        return False

    def _members_of(self, verb: Token) -> int | None:
        """'The AU's members', 'member states of the EU' as the subject: the organisation."""
        for subj in (c for c in verb.children if c.dep_ == "nsubj"):
            org = self._organization_of_members(subj)
            if org is not None:
                return org
        return None

    def _meeting_made_it(self, verb: Token, deal: Token, parties: list[int]) -> int | None:
        """'An Andean Union meeting in Quito secured a deal': an organisation's meeting made it, among its members."""
        if deal.dep_ != "dobj" or verb.pos_ != "VERB" or verb.lemma_.lower() not in DEAL_MAKING_VERBS:
            return None
        named = [p for p in parties if p != COLLECTIVE]
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if len(named) != 1 or subj is None or self.ctx.mentions[named[0]].label != "ORG":
            return None
        met = Meetings.meeting_trigger(subj) or any(c.dep_ in {"appos", "conj"} and Meetings.meeting_trigger(c)
                                                    for c in subj.children)
        return named[0] if met else None

    def _organization_of_members(self, noun: Token) -> int | None:
        """'the AU's 12 members', 'member states of the EU': the organisation they make up."""
        if noun.lemma_.lower() not in {"member", "state", "country", "nation", "government"} or noun.tag_ != "NNS":
            return None
        owners = [c for c in noun.children if c.dep_ == "poss"]
        owners += [p for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children]
        for o in owners:
            m = self.ctx.by_token.get(o.i)
            if m is not None and m.label == "ORG" and self.ctx.usable(m):
                return m.id
        return None

    def accepted_offer(self, verb: Token, sent: Span) -> Frame | None:
        """'X accepted Y's offer of a pay rise', 'X accepted the proposal by Y': X and Y agree on
        what was offered."""
        if self.ctx.attrs.negated(verb):
            return None
        offer = next((c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in OFFER_NOUNS), None)
        if offer is None or self.wished_for(verb):
            return None
        offerers = [x for c in offer.children if c.dep_ == "poss" for x in self.ctx.refs.actors_of(c)]
        offerers += [x for c in offer.children if c.dep_ == "prep" and c.lower_ in {"by", "from"}
                     for p in c.children if p.dep_ == "pobj" for x in self.ctx.refs.actors_of(p)]
        takers = [x for x in self.ctx.refs.subject_of(verb) if x != COLLECTIVE]
        parties = list(dict.fromkeys(takers + offerers))
        if not takers or not offerers or len(parties) < 2:
            return None
        f = self.ctx.attrs.frame("Agreement", verb, sent, {"party": parties})
        f.topic = self.ctx.clean_text(offer.left_edge.idx, offer.right_edge.idx + len(offer.right_edge.text))[:200]
        f.head, f.concepts = topic_concepts(offer)
        return f if contentful(list(offer.subtree)) else None

    def _bare_deal(self, tok: Token) -> bool:
        """'the deal', 'this agreement': a noun that only refers back to a deal named before."""
        return tok.lemma_.lower() in AGREE_NOUNS and all(
            c.dep_ in {"det", "poss"} and c.lower_ in {"the", "this", "that", "its", "their"} for c in tok.children)

    def _agreement_noun(self, tok: Token, sent: Span) -> Frame | None:
        if self.ctx.attrs.negated(tok) or tok.dep_ == "compound":
            return None
        lemma = tok.lemma_.lower()
        parties = [x for c in tok.children if c.dep_ == "prep" and c.lower_ in {"between", "with", "among", "by"}
                   for p in c.children if p.dep_ == "pobj" for x in self.ctx.refs.actors_of(p)]
        gov = tok.head
        while gov.dep_ in {"prep", "pobj"} and gov.head.i != gov.i:
            gov = gov.head
        if self.wished_for(tok):
            return None  # "we need to see trade agreements", "talks on a free trade deal": not made yet
        made = next((c for c in tok.children if c.dep_ == "acl" and c.lemma_.lower() in DEAL_MAKING_VERBS), None)
        if made is not None:  # "a deal clinched with X": the one hailing it made it with X
            parties += [x for c in made.children if c.dep_ == "prep" and c.lower_ in {"with", "between", "by"}
                        for p in c.children if p.dep_ == "pobj" for x in self.ctx.refs.actors_of(p)]
            if parties and tok.dep_ in {"dobj", "pobj"}:
                parties = self.ctx.refs.subject_of(gov) + parties
        if not parties and gov.pos_ == "VERB" and gov.lemma_.lower() in {"result", "produce", "yield", "lead"}:
            parties = [COLLECTIVE]  # the talks resulted in a deal: the talks' parties
        elif not parties and gov.pos_ == "VERB" and (
                gov.lemma_.lower() in DEAL_MAKING_VERBS and tok.dep_ in {"dobj", "nsubjpass"}
                or gov.lemma_.lower() in {"come", "get"} and tok.dep_ == "pobj" and tok.head.lower_ == "to"):
            parties = self.ctx.refs.subject_of(gov) or [COLLECTIVE]  # "came to an agreement"
        elif not parties and lemma not in SPLIT_AGREE_NOUNS and any(
                c.dep_ == "det" and c.lower_ in {"the", "this"} for c in tok.children):
            parties = [COLLECTIVE]  # "the deal to open talks": the article's deal, between its talks' parties
        parties = list(dict.fromkeys(parties))
        members = self._members_of(gov) if gov.pos_ == "VERB" and tok.dep_ == "dobj" else None
        members = members if members is not None else self._meeting_made_it(gov, tok, parties)
        members = members if members is not None else next(  # "a deal between the AU's 12 members"
            (org for c in tok.children if c.dep_ == "prep" and c.lower_ in {"between", "among"}
             for p in c.children if p.dep_ == "pobj" for org in [self._organization_of_members(p)] if org is not None),
            None)
        joint = tok.lemma_.lower() in JOINT_NOUNS and any(c.lower_ == "joint" for c in tok.children)
        if joint and not parties and tok.dep_ == "dobj" and gov.pos_ == "VERB":
            parties = self.ctx.refs.subject_of(gov)  # "X and Y released joint statements vowing…"
        if members is not None:  # "the AU's members agreed a deal": the organisation, among its members
            parties = [members]
        elif len(parties) == 1 and parties[0] != COLLECTIVE and lemma not in SPLIT_AGREE_NOUNS:
            parties.append(COLLECTIVE)
        if len(parties) < 2 and COLLECTIVE not in parties and members is None:
            return None
        if not parties:
            return None
        topic_tok = None
        for child in tok.children:
            if child.dep_ in {"acl", "relcl"} and child.pos_ == "VERB" and (
                    child.tag_ == "VB" or child.tag_ == "VBG" and tok.lemma_.lower() in JOINT_NOUNS):
                topic_tok = child  # "a deal to cut tariffs", "joint statements vowing collaboration on…"
            if child.dep_ == "prep" and child.lower_ in {"on", "for", "over", "to"}:
                topic_tok = child
        if topic_tok is None and gov.pos_ == "VERB" and tok.dep_ == "dobj":
            # "struck a deal to cut tariffs": the purpose clause hangs on the verb
            topic_tok = next((c for c in gov.children if c.dep_ in {"advcl", "xcomp"} and c.tag_ == "VB"
                              and c.i > tok.i and any(a.lower_ == "to" for a in c.children)
                              or c.dep_ == "prep" and c.lower_ == "to" and c.i == tok.right_edge.i + 1), None)
        if topic_tok is None:
            comps = [c for c in tok.children if c.dep_ in {"compound", "nmod"} and c.pos_ in {"NOUN", "PROPN"}
                     and c.ent_type_ not in {"DATE", "NORP", "GPE"} and c.i < tok.i]
            if comps:  # "a food-for-oil deal", "a co-operation deal": the kind of deal names it
                f = self.ctx.attrs.frame("Agreement", tok, sent, {"party": list(dict.fromkeys(parties))})
                f.multilateral = members is not None
                f.topic = self.ctx.clean_text(min(c.left_edge.idx for c in comps), tok.idx + len(tok.text))
                f.head, f.concepts = topic_concepts(comps[0])
                return f
        if topic_tok is None:
            if self._bare_deal(tok) and COLLECTIVE not in parties:  # "X and Y signed the deal in Z"
                f = self.ctx.attrs.frame("Agreement", tok, sent, {"party": parties})
                f.definite = True
                return f
            if made is not None and len([p for p in parties if p != COLLECTIVE]) >= 2:
                return self._made_deal(tok, made, gov, sent, parties)  # "hailed a deal clinched with X as…"
            return None
        f = self.ctx.attrs.frame("Agreement", tok, sent, {"party": list(dict.fromkeys(parties))})
        f.multilateral = members is not None
        self.ctx.attrs.set_topic(f, topic_tok)
        self.ctx.attrs.places(f, tok)
        return f if f.topic else None



@Language.factory("kg_agreements")
def make_agreements(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    triggers = TriggerFinder(nlp.vocab, ['AGREE_VERB', 'ACCEPT_VERB', 'AGREE_NOUN'])

    def agreements(doc: Doc) -> Doc:
        """Agreement frames (and signing meetings) at the AGREE_* and ACCEPT_VERB triggers."""
        found = Agreements(context_of(doc))
        triggers.run(doc, {"AGREE_VERB": found.agreement_verb, "ACCEPT_VERB": found.accepted_offer, "AGREE_NOUN": found.deal_and_signing})
        return doc
    return agreements
