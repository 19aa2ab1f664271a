"""Component `kg_demands`: 'X demanded/urged/called for…', 'X's demand for…', 'X said Y must…',
threats ('unless…'), hopes of others and oppositions."""
from __future__ import annotations

from typing import Callable

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .. import gazetteer as gz
from .attributes import contentful, topic_concepts
from .triggers import TriggerFinder
from .context import ArticleContext, context_of
from .model import COLLECTIVE, Frame
from .words import (AGREE_VERBS, MARKET_WORDS, NEEDED_ACTIONS, READINESS_WORDS, ASSERTIVE_DEMAND_VERBS, CONCEPTS, DEMANDABLE, DEMAND_NOUN_MAKERS,
                    DEMAND_PREPS, DEONTIC_MODALS, FIRST_PERSON, GROUP_HEADS, GROUP_NOUNS,
                    PREP_ONLY_DEMAND_VERBS, WEAK_DEMAND_VERBS)


class Demands:
    def __init__(self, ctx: ArticleContext):
        self.ctx = ctx

    def demand_verb(self, tok: Token, sent: Span) -> Frame | None:
        lemma = tok.lemma_.lower()
        if self.ctx.attrs.negated(tok):
            return None
        preps = DEMAND_PREPS.get(lemma)
        topic = None
        addressee: list[int] = []
        if preps:
            for child in tok.children:
                if child.dep_ in {"prep", "prt"} and child.lower_ in preps:
                    if child.lower_ == "on" and lemma == "call" and child.dep_ == "prt":  # "called on X to…"
                        addressee += [x for p in child.children if p.dep_ == "pobj" for x in self.ctx.refs.actors_of(p)]
                        topic = next((c for c in tok.children if c.dep_ == "xcomp"), topic)
                        continue
                    if child.lower_ == "on" and lemma == "call":
                        addressee += [x for p in child.children if p.dep_ == "pobj" for x in self.ctx.refs.actors_of(p)]
                        asked = self._asked_to(child)  # "called on X to commit…", however it is parsed
                        if asked is not None and topic is None:
                            topic = asked[1]
                        continue
                    topic = child
            asked_to = any(c.dep_ == "dobj" for c in tok.children) and any(c.dep_ == "xcomp" for c in tok.children)
            if topic is None and lemma in PREP_ONLY_DEMAND_VERBS:
                return None
            if topic is None and lemma == "call":  # "called for the ban to be lifted"
                topic = next((c for c in tok.children if c.dep_ == "advcl"
                              and any(m.dep_ == "mark" and m.lower_ == "for" for m in c.children)), None)
            if topic is None and lemma in {"call", "press", "push", "plead", "appeal"} and not asked_to:
                return None  # "pressed X to do Y" goes on below
        if topic is None:
            objs = sorted((c for c in tok.children if c.dep_ in {"dobj", "xcomp", "ccomp"}
                           and (c.i > tok.i or c.lower_ in {"that", "which"})),
                          key=lambda c: (c.dep_ != "dobj", c.i))
            wants_of_others = lemma == "want" and objs and objs[0].dep_ == "ccomp" and any(
                c.dep_ in {"nsubj", "nsubjpass"} for c in objs[0].children)
            seeks_talks = bool(objs) and objs[0].dep_ == "xcomp" and bool(
                set(topic_concepts(objs[0])[1]) & {"MEET"})  # "wants to use the summit to launch talks on…"
            if lemma in WEAK_DEMAND_VERBS and (not objs or objs[0].dep_ != "dobj") and not wants_of_others \
                    and not seeks_talks:
                return None
            if lemma in {"urge", "ask", "press", "push"}:
                for o in objs:
                    if o.dep_ == "dobj" and self.ctx.refs.actors_of(o):
                        addressee += self.ctx.refs.actors_of(o)
                xs = [c for c in tok.children if c.dep_ in {"xcomp", "ccomp"} and c.i > tok.i]
                dobj = [c for c in tok.children if c.dep_ == "dobj"]
                topic = xs[0] if xs else (dobj[0] if dobj else None)
                if topic is not None and topic.dep_ == "dobj" and addressee and not xs:
                    topic = dobj[0]
            else:
                topic = objs[0] if objs else None
        if topic is not None and topic.dep_ == "prep" and not any(c.dep_ in {"pobj", "pcomp"} for c in topic.children):
            topic = self._cleft_value(tok)  # "All we are calling for is a fair deal"
        if topic is None:
            return None
        if lemma in ASSERTIVE_DEMAND_VERBS and topic.dep_ == "ccomp" and not deontic(topic):
            return None  # "insisted there was nothing to fear": a claim, not a demand
        by = [x for x in self.ctx.refs.subject_of(tok) if x != COLLECTIVE]
        if not by and any(c.dep_ == "nsubj" and c.lower_ in {"we", "i"} for c in tok.children):
            by = self.ctx.refs.quote_speaker(tok, sent)  # '"We demand…," X said'
        if not by:
            return None  # a demand is one side's: "both sides" or no one named is not enough
        if not addressee and topic.dep_ == "ccomp":  # "demanded that X withdraw": X is asked
            addressee = [x for c in topic.children if c.dep_ in {"nsubj", "nsubjpass"}
                         for x in self.ctx.refs.actors_of(c) if x != COLLECTIVE and x not in by]
        f = self.ctx.attrs.frame("Demand", tok, sent, {"demander": by, "addressee": addressee})
        self.ctx.attrs.set_topic(f, topic)
        if lemma == "oppose" and f.topic:  # "opposes lifting the ban": what is opposed, said so
            f.topic = self.ctx.clean_text(tok.idx, topic.right_edge.idx + len(topic.right_edge.text))[:200]
        asks_someone = bool(addressee) and topic.dep_ == "xcomp"  # "pressed X to accept …"
        # "want the government to withdraw X", "wanted electoral reform": what others should do,
        # or a policy; "wants to keep the attention" is a wish of one's own
        background = tok.dep_ == "relcl"  # "X, who has pressed for Y, said…": a stance, not this news
        wants_policy = topic.dep_ == "prep" and not background or lemma == "want" and (topic.dep_ == "ccomp" or topic.dep_ == "dobj" and topic.pos_ == "NOUN"
                                            and any(c.dep_ in {"amod", "compound", "prep", "acl"} for c in topic.children))
        own_wish = any(c.dep_ == "nsubj" and c.lower_ in FIRST_PERSON for c in tok.children)
        if lemma in WEAK_DEMAND_VERBS and own_wish and not asks_someone and not asks_others_to_act(tok):
            return None  # '"We want a stable price," X said': the speaker's own wish, asked of no one
        if lemma in WEAK_DEMAND_VERBS and f.head not in DEMANDABLE and not asks_someone and not wants_policy \
                and not (topic.dep_ == "xcomp" and "MEET" in f.concepts):
            return None  # "wants to keep the attention", "seeks capitulation": wishes, not demands
        return f if f.topic else None

    @staticmethod
    def _cleft_value(verb: Token) -> Token | None:
        """'All we are calling for is X': the value of a pseudo-cleft, X."""
        if verb.dep_ != "relcl":
            return None
        copula = verb.head.head
        if copula.lemma_ != "be":
            return None
        return next((c for c in copula.children if c.dep_ in {"attr", "acomp"}), None)

    def conditional_demand(self, warn: Token, sent: Span) -> Frame | None:
        """'X warned of walkouts unless there was a rethink': a demand backed by a threat."""
        clause = next((c for c in warn.children if c.dep_ in {"ccomp", "prep", "dobj", "advcl"} and any(
            t.lower_ == "unless" and t.dep_ == "mark" for t in c.subtree)), None)
        by = [x for x in self.ctx.refs.subject_of(warn) if x != COLLECTIVE] if clause is not None else []
        if not by or self.ctx.attrs.negated(warn):
            return None
        f = self.ctx.attrs.frame("Demand", warn, sent, {"demander": by, "addressee": []})
        self.ctx.attrs.set_topic(f, clause)
        return f if f.topic else None

    def hoped_demand(self, hope: Token, sent: Span) -> Frame | None:
        """'X hoped other producers would adopt the plan': what X wants others to do."""
        clause = next((c for c in hope.children if c.dep_ == "ccomp" and any(
            a.tag_ == "MD" and a.lower_ in {"would", "will"} for a in c.children)), None)
        if clause is None:
            return None
        subj = [c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}]
        by = [x for x in self.ctx.refs.subject_of(hope) if x != COLLECTIVE]
        if not subj or not by or subj[0].lower_ in FIRST_PERSON | {"he", "she", "it", "they", "this", "that"}:
            return None
        agent = subj[0].i in self.ctx.by_token or subj[0].lemma_.lower() in GROUP_NOUNS | {"producer", "country", "party"} \
            or subj[0].lower_ in GROUP_HEADS
        if not agent:
            return None  # "hoped the agreement would make a difference": a hope, nothing asked of anyone
        f = self.ctx.attrs.frame("Demand", hope, sent, {"demander": by, "addressee": []})
        self.ctx.attrs.set_topic(f, clause)
        return f if f.topic else None

    def opposition(self, tok: Token, sent: Span) -> Frame | None:
        """'X is (firmly) opposed to Y': X's demand that Y not happen."""
        to = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "to"), None)
        if to is None or self.ctx.attrs.negated(tok):
            return None
        by = [x for x in self.ctx.refs.subject_of(tok.head if tok.dep_ == "acomp" else tok) if x != COLLECTIVE]
        if not by:
            return None
        f = self.ctx.attrs.frame("Demand", tok, sent, {"demander": by, "addressee": []})
        first = min([tok] + [c for c in tok.children if c.dep_ == "advmod"], key=lambda t: t.i)
        f.topic = self.ctx.clean_text(first.idx, to.right_edge.idx + len(to.right_edge.text))[:200]
        f.head, f.concepts = topic_concepts(to)
        return f if contentful(list(to.subtree)) else None

    def threat(self, verb: Token, sent: Span) -> Frame | None:
        """'X is prepared to veto any bid to cut Y', 'X will impose sanctions if Y does not Z': what
        X threatens is X's demand, of Y when an if/unless clause names Y."""
        condition = next((c for c in verb.children if c.dep_ == "advcl" and any(
            m.dep_ == "mark" and m.lower_ in {"if", "unless"} for m in c.children)), None)
        ready = verb.dep_ == "xcomp" and verb.head.lower_ in READINESS_WORDS | {"threaten"} \
            or verb.head.dep_ == "acomp" and verb.head.lower_ in READINESS_WORDS \
            or verb.dep_ == "xcomp" and verb.head.lemma_.lower() == "threaten"
        if condition is None and not ready or self.ctx.attrs.negated(verb):
            return None
        by = [x for x in self.ctx.refs.subject_of(verb) if x != COLLECTIVE]
        if not by:
            return None
        addressee = [x for c in (condition.children if condition is not None else []) if c.dep_ == "nsubj"
                     for x in self.ctx.refs.actors_of(c) if x != COLLECTIVE and x not in by]
        end = (condition if condition is not None else verb).right_edge
        f = self.ctx.attrs.frame("Demand", verb, sent, {"demander": by, "addressee": addressee})
        f.topic = self.ctx.clean_text(verb.idx, end.idx + len(end.text))[:200]
        f.head, f.concepts = topic_concepts(verb)
        return f if contentful(list(verb.subtree)) else None

    def demand_noun(self, tok: Token, sent: Span) -> Frame | None:
        if tok.lemma_.lower() == "call" and not any(c.dep_ == "prep" and c.lower_ == "for" for c in tok.children):
            return None
        if tok.lemma_.lower() == "demand" and (any(c.lower_ in MARKET_WORDS for c in tok.children if c.dep_ in {
                "amod", "compound", "nmod"}) or tok.head.lemma_.lower() in {"meet", "satisfy", "outstrip", "exceed"}):
            return None  # "continuing demand for its products": the market's demand, no one's demand of another
        by: list[int] = []
        for child in tok.children:
            if child.dep_ == "poss":
                by += self.ctx.refs.actors_of(child)
            if child.dep_ == "relcl":
                by += self.ctx.refs.subject_of(child)
            if child.dep_ == "prep" and child.lower_ == "by":
                by += [x for p in child.children if p.dep_ == "pobj" for x in self.ctx.refs.actors_of(p)]
            if child.dep_ in {"compound", "amod"} and child.i in self.ctx.by_token:  # "an EU demand", "US calls"
                by += [x for x in self.ctx.refs.actors_of(child) if x != COLLECTIVE]
        if not by:
            gov = tok.head
            hops = 0
            while gov.dep_ in {"prep", "pobj", "conj", "appos"} and hops < 3:
                gov = gov.head
                hops += 1
            if tok.dep_ in {"dobj", "pobj", "nsubj", "attr", "conj", "appos"} and gov.pos_ in {"VERB", "AUX"}:
                # "X made/issued/renewed demands": X demands; "X would not bow to demands": not X
                by = self.ctx.refs.subject_of(gov) if gov.lemma_.lower() in DEMAND_NOUN_MAKERS and not self.ctx.attrs.negated(gov) else []
                if gov.lemma_.lower() in {"accuse", "blame", "condemn", "criticize", "reject"}:
                    objs = [c for c in gov.children if c.dep_ == "dobj"]
                    by = self.ctx.refs.actors_of(objs[0]) if objs else []
        by = [x for x in by if x != COLLECTIVE]
        if not by or self.ctx.attrs.negated(tok) and tok.dep_ != "pobj":
            return None
        topic = None
        for child in tok.children:
            if child.dep_ in {"acl", "relcl"} and child.tag_ in {"VB"} or (child.dep_ == "prep" and child.lower_ in {"for", "to", "that"}):
                topic = child
            if child.dep_ == "prep" and child.lower_ == "including":
                topic = topic or child
        if topic is None:
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ == "including" or child.dep_ == "acl":
                    topic = child
        if topic is None and tok.dep_ == "dobj":  # "introduced demands to withdraw…" parsed off the verb
            for sib in tok.head.children:
                if sib.i > tok.i and (sib.dep_ in {"advcl", "xcomp"} and any(a.lower_ == "to" for a in sib.children)
                                      or sib.dep_ == "prep" and sib.lower_ == "including"):
                    topic = sib
                    break
        told = self._told(tok, by)
        if topic is None and told:
            return self._told_demand(tok, sent, by, told)
        if topic is None:
            mods = [c for c in tok.children if c.dep_ in {"amod", "compound"} and topic_concepts(c)[0]]
            if not mods:
                return None
            f = self.ctx.attrs.frame("Demand", tok, sent, {"demander": by, "addressee": []})
            f.topic = self.ctx.text[tok.left_edge.idx:tok.idx + len(tok.text)]
            f.head, f.concepts = topic_concepts(mods[0])
            return f
        f = self.ctx.attrs.frame("Demand", tok, sent, {"demander": by, "addressee": []})
        self.ctx.attrs.set_topic(f, topic)
        if told and not f.topic:  # "issue a new warning to X": X is warned; the phrase says of what
            return self._told_demand(tok, sent, by, told)
        asked = self._asked_to(topic)
        if asked is not None:  # "a demand for Chile to free the prisoners", the clause parsed elsewhere
            who, verb = asked
            f.roles["addressee"] = [x for x in self.ctx.refs.actors_of(who) if x not in by]
            f.topic = self.ctx.clean_text(who.idx, verb.right_edge.idx + len(verb.right_edge.text))[:200]
            f.head, f.concepts = topic_concepts(verb)
        if topic.dep_ == "prep" and topic.lower_ == "including":
            f.topic = self.ctx.text[tok.left_edge.idx:topic.right_edge.idx + len(topic.right_edge.text)].strip()[:200]
        return f if f.topic else None

    def _told(self, noun: Token, by: list[int]) -> list[int]:
        """Who a demand noun is addressed to: 'a warning to X', 'issued a warning to X'."""
        holders = [noun] + ([noun.head] if noun.dep_ == "dobj" else [])
        return [x for h in holders for c in h.children if c.dep_ == "prep" and c.lower_ == "to" and c.i > noun.i
                for p in c.children if p.dep_ == "pobj" for x in self.ctx.refs.actors_of(p)
                if x != COLLECTIVE and x not in by]

    def _told_demand(self, noun: Token, sent: Span, by: list[int], told: list[int]) -> Frame:
        f = self.ctx.attrs.frame("Demand", noun, sent, {"demander": by, "addressee": told})
        last = max((c.right_edge for c in noun.children if c.dep_ == "prep" and c.lower_ == "to"),
                   key=lambda t: t.i, default=noun)
        f.topic = self.ctx.clean_text(noun.left_edge.idx, last.idx + len(last.text))[:200]
        f.head, f.concepts = topic_concepts(noun)
        return f

    def _asked_to(self, prep: Token) -> tuple[Token, Token] | None:
        """'for X to do Y' after a demand noun: X, asked, and the verb of what is asked."""
        if prep.dep_ != "prep" or prep.lower_ not in {"for", "on"}:
            return None
        who = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if who is None or not self.ctx.refs.actors_of(who):
            return None
        i = who.right_edge.i + 1
        doc = prep.doc
        if i + 1 < len(doc) and doc[i].lower_ == "to" and doc[i + 1].pos_ == "VERB":
            return who, doc[i + 1]
        return None

    @staticmethod
    def _between(low: Token, high: Token) -> list[Token]:
        """The clauses from `low` up to (not including) `high`."""
        out, cur = [], low.head
        while cur.i != high.i and cur.head.i != cur.i and len(out) < 6:
            out.append(cur)
            cur = cur.head
        return out

    def _speaker_obliged(self, subj: Token, speaker: list[int]) -> bool:
        """The subject of an obligation is the speaker's own side: 'we', 'I', or a list that
        holds the speaker or the speaker's country ('the U.S. and its allies have to…')."""
        if subj.lower_ in FIRST_PERSON:
            return True
        named = set(self.ctx.refs.actors_of(subj))
        if named & set(speaker):
            return True
        sides = {v for x in speaker for v in self.ctx.mentions[x].side_votes}
        sides |= {c.name for x in speaker if (c := gz.lookup_country(self.ctx.mentions[x].text))}
        return any((c := gz.lookup_country(self.ctx.mentions[x].text)) and c.name in sides
                   for x in named if x != COLLECTIVE)

    def modal_of(self, modal: Token, sent: Span) -> Frame | None:
        """'Y should/must Z': the demand is read from the verb the modal serves."""
        return self._modal_demand(modal.head, sent)

    def required(self, verb: Token, sent: Span) -> Frame | None:
        """'X said the persecution requires immediate action': what a speaker says is needed (an
        action asked of someone, not 'would require time')."""
        if not any(c.dep_ == "dobj" and c.lemma_.lower() in NEEDED_ACTIONS for c in verb.children):
            return None
        return self._modal_demand(verb, sent)

    def obligation(self, word: Token, sent: Span) -> Frame | None:
        """'claims GM is legally obliged to buy X': a demand that the obliged do X."""
        clauses = [c for c in word.children if c.dep_ == "xcomp"]
        return self._modal_demand(clauses[0], sent, start=word) if clauses else None

    def need_to(self, verb: Token, sent: Span) -> Frame | None:
        """'you have to have guns silenced', 'X needs to…': an obligation told by a speaker."""
        clauses = [c for c in verb.children if c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children)]
        return self._modal_demand(clauses[0], sent, start=verb) if clauses else None

    def _modal_demand(self, verb: Token, sent: Span, start: Token | None = None) -> Frame | None:
        """'X said Y should/must Z' and '"Y must Z," X said': a demand by the speaker of someone
        else. 'We have to be alert', 'I need to…' state the speaker's own course, and 'Should it
        choose to…' is a condition: neither asks anything of anyone."""
        if any(c.dep_ == "neg" for c in verb.children) or start is not None and self.ctx.attrs.negated_here(start):
            return None
        speech = self.ctx.refs.speech_verb(verb)
        if speech is None or sent.text.rstrip(" '\"’”").endswith("?"):
            return None  # a question ("Would it not be ironic if…?") asks nothing of anyone
        speaker = [x for x in self.ctx.refs.subject_of(speech) if x != COLLECTIVE]
        if not speaker:
            return None
        subj = [c for c in (start or verb).children if c.dep_ in {"nsubj", "nsubjpass"}]
        if subj and any(c.dep_ == "relcl" for c in subj[0].children) and subj[0].pos_ == "PRON":
            return None  # "those who say X must…": someone else's view, reported
        if subj and self._speaker_obliged(subj[0], speaker):
            return None
        modal = next((c for c in verb.children if c.tag_ == "MD"), None)
        if modal is not None and subj and modal.i < subj[0].i:
            return None  # "Should it choose to…": an inverted conditional
        if any(t.lemma_.lower() in AGREE_VERBS for t in self._between(verb, speech)):
            return None  # "X said the two sides agreed Y should…": what was agreed, not X's demand
        if any(self.ctx.attrs.negated_here(t) for t in self._between(verb, speech)):
            return None  # "does not mean it should be barred"
        first = subj[0].left_edge if subj else (start or verb)
        last = verb.right_edge
        f = self.ctx.attrs.frame("Demand", verb, sent, {"demander": speaker, "addressee": []})
        f.topic = self.ctx.clean_text(first.idx, last.idx + len(last.text))[:200]
        f.head, f.concepts = topic_concepts(verb)
        if subj:
            h, c = topic_concepts(subj[0])
            if h in CONCEPTS.values():
                f.head, f.concepts = h, list(dict.fromkeys(c + f.concepts))
        return f if f.head else None



def deontic(clause: Token) -> bool:
    """Whether a clause says what ought to happen: a modal of obligation, 'have/need to', or a
    bare subjunctive ('insisted that he resign'), not a statement of fact."""
    if any(c.tag_ == "MD" and c.lower_ in DEONTIC_MODALS for c in clause.children):
        return True
    if clause.lemma_.lower() in {"have", "need"} and any(c.dep_ == "xcomp" for c in clause.children):
        return True
    if clause.head.lemma_.lower() in {"have", "need"} and clause.dep_ == "xcomp":
        return True
    return clause.tag_ == "VB" and any(c.dep_ in {"nsubj", "nsubjpass"} for c in clause.children) \
        and not any(c.dep_ in {"aux", "auxpass"} for c in clause.children)  # "that he resign", not "he did not know"


@Language.factory("kg_demands")
def make_demands(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    triggers = TriggerFinder(nlp.vocab, ['DEMAND_VERB', 'DEMAND_MODAL', 'WARN_VERB', 'HOPE_VERB', 'OBLIGED', 'HAVE_TO', 'OPPOSED', 'THREAT', 'REQUIRES', 'DEMAND_NOUN'])

    def demands(doc: Doc) -> Doc:
        """Demand frames at the demand triggers of the pattern file."""
        found = Demands(context_of(doc))
        triggers.run(doc, {"DEMAND_VERB": found.demand_verb, "DEMAND_MODAL": found.modal_of, "WARN_VERB": found.conditional_demand,
                 "HOPE_VERB": found.hoped_demand, "OBLIGED": found.obligation, "HAVE_TO": found.need_to,
                 "OPPOSED": found.opposition, "THREAT": found.threat,
                 "REQUIRES": found.required, "DEMAND_NOUN": found.demand_noun})
        return doc
    return demands


def asks_others_to_act(verb: Token) -> bool:
    """'want the government to withdraw X', 'want that they go': a wish of what others do."""
    return any(c.dep_ in {"ccomp", "xcomp"} and c.lemma_ != verb.lemma_ and any(
        s.dep_ in {"nsubj", "nsubjpass"} and s.lower_ not in FIRST_PERSON for s in c.children)
               for c in verb.children) or (any(c.dep_ == "dobj" for c in verb.children)
                                           and any(c.dep_ == "xcomp" for c in verb.children))
