"""Component `kg_references` and its helper: who a phrase names, following conjunctions,
appositions, demonyms, titles ('the president'), counted references ('the two leaders'),
pronouns, collectives ('both sides') and quote speakers ('"We demand…," X said')."""
from __future__ import annotations


from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .. import gazetteer as gz
from .context import ArticleContext, context_of
from .model import COLLECTIVE, Mention
from .words import COLLECTIVE_WORDS, GROUP_HEADS, GROUP_NOUNS, HOLDER_WORDS, NUMBER_WORDS, QUOTES, SPEECH_VERBS


PRONOUNS = {"he", "she", "him", "her", "his", "himself", "herself"}


class References:
    def __init__(self, ctx: ArticleContext):
        self.ctx = ctx

    def actors_of(self, tok: Token | None, depth: int = 0) -> list[int]:
        """Mentions that an NP headed by `tok` names, following conjunctions, appositions,
        demonym modifiers ('Russian negotiators'), 'led by X' and pronouns."""
        if tok is None or depth > 4:
            return []
        out: list[int] = []
        m = self.ctx.by_token.get(tok.i)
        low = tok.lower_
        if m is not None:
            if self.ctx.usable(m):
                out.append(m.id)
            for child in tok.children:  # "X and <title> Y" misparsed as a modifier of Y
                cm = self.ctx.by_token.get(child.i)
                if (child.dep_ == "nmod" and cm is not None and cm is not m and cm.label == "PERSON"
                        and self.ctx.usable(cm) and any(c.dep_ == "cc" and c.lower_ == "and" for c in child.children)):
                    out.insert(0, cm.id)
                if m.kind == "demonym" and child.dep_ == "amod" and cm is not None and cm is not m \
                        and cm.kind == "demonym" and self.ctx.usable(cm):
                    out.append(cm.id)  # "the Chilean, Peruvian, Bolivian and … ministers": a list misparsed
        elif low in PRONOUNS:
            p = self.antecedent(tok)
            if p is not None:
                out.append(p)
        elif low == "who" and tok.head.dep_ == "relcl":
            out += self.actors_of(tok.head.head, depth + 1)
        else:
            # "his Japanese counterpart X", "Russia's top negotiator, X": the named person is the
            # actor; the country only says whose side they are on
            named_person = any(c.dep_ == "appos" and (pm := self.ctx.by_token.get(c.i)) is not None
                               and pm.label == "PERSON" for c in tok.children)
            for child in tok.children:
                if child.dep_ in {"amod", "compound", "poss", "nmod"} and not named_person:
                    cm = self.ctx.by_token.get(child.i)
                    if cm is not None and self.ctx.usable(cm):
                        out.append(cm.id)
                        out += [x for c in child.conjuncts for x in self.actors_of(c, depth + 1)]
                if child.dep_ == "appos":
                    out += self.actors_of(child, depth + 1)
                if child.dep_ == "prep" and child.lower_ in {"of", "from"} and \
                        tok.lemma_.lower() in GROUP_NOUNS | {"head", "heads"}:
                    out += [x for p in child.children if p.dep_ == "pobj" for x in self.actors_of(p, depth + 1)]
                if child.dep_ == "acl" and child.lemma_ == "lead":
                    for agent in child.children:
                        if agent.dep_ == "agent":
                            out += [x for p in agent.children if p.dep_ == "pobj" for x in self.actors_of(p, depth + 1)]
            if not out:
                titled = self._title_antecedent(tok)
                if titled is not None:
                    out.append(titled)
            if not out:
                out += self._numbered_antecedents(tok) or self._they(tok)
            if not out and self.collective(tok):
                out.append(COLLECTIVE)
        for child in tok.children:
            if child.dep_ == "conj":
                out += self.actors_of(child, depth + 1)
        return list(dict.fromkeys(out))

    def _numbered_antecedents(self, tok: Token) -> list[int]:
        """'the three leaders', 'both ministers', 'the two countries': the last N people (or
        countries) named before, when exactly N distinct ones are there to take."""
        n = next((NUMBER_WORDS.get(c.lower_) for c in tok.children if c.dep_ in {"nummod", "det", "predet"}
                  and c.lower_ in NUMBER_WORDS), None)
        lemma = tok.lemma_.lower()
        bare = tok.lower_ in NUMBER_WORDS and tok.dep_ in {"nsubj", "nsubjpass"}  # "the two agreed"
        if bare:
            n = NUMBER_WORDS[tok.lower_]
        if n is None or tok.tag_ != "NNS" and not bare:
            return []
        if bare or lemma in gz.TITLES or lemma in {"leader", "counterpart", "envoy", "president", "premier"}:
            wanted = lambda m: m.label == "PERSON"
            key = lambda m: m.text.split()[-1]
        elif lemma in {"country", "nation", "state", "government"}:
            wanted = lambda m: gz.lookup_country(m.text) is not None or m.kind == "demonym" and self.ctx.usable(m)
            key = lambda m: (gz.lookup_country(m.text) or gz.lookup_demonym(m.text)).name
        else:
            return []
        found: dict[str, int] = {}
        sent_floor = self.ctx.sents[max(0, self.ctx.sent_index.get(tok.sent.start, 0) - 1)].start_char
        for m in reversed(self.ctx.mentions):
            if m.start >= tok.idx or m.start < sent_floor or not wanted(m):
                continue
            found.setdefault(key(m), m.id)
            if len(found) == n:
                return list(reversed(list(found.values())))
        return []

    def _title_antecedent(self, tok: Token) -> int | None:
        """'the Prime Minister', 'the president': the last person named before with that title."""
        if tok.tag_ != "NN" and tok.tag_ != "NNP" or tok.lower_ not in HOLDER_WORDS:
            return None
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
            return None
        words = {c.lower_ for c in tok.children if c.dep_ in {"compound", "amod"}} | {tok.lower_}
        best, later = None, set()
        for m in self.ctx.mentions:
            held = set(m.title.lower().split()) | set(m.text.lower().split()[:-1])  # an office word inside the name ("Bishop Jane Roe")
            if m.label == "PERSON" and held and words <= held:
                if m.start < tok.idx:
                    best = m.id
                else:
                    later.add(m.text.split()[-1])
        if best is None and len(later) == 1:  # named with that title only further on: the only one
            surname = later.pop()
            best = next((m.id for m in self.ctx.mentions if m.label == "PERSON" and m.text.split()[-1] == surname), None)
        return best

    def _they(self, tok: Token) -> list[int]:
        """'X, speaking alongside Y, … They agreed…': 'they' is the people named together just
        before (this sentence or the one before), when there are two to four of them."""
        if tok.lower_ != "they":
            return []
        if any(t.tag_ == "NNS" and (t.lemma_.lower() in GROUP_NOUNS or t.lower_ in GROUP_HEADS)
               for t in tok.sent if t.i < tok.i):
            return []  # "…in leaders' minds as they meet": they are the leaders just written of
        here = self.ctx.sent_index.get(tok.sent.start, 0)
        for back in (0, 1, 2):  # this sentence first, then up to two before it
            floor = self.ctx.sents[max(0, here - back)].start_char
            people: dict[str, int] = {}
            for m in self.ctx.mentions:
                if floor <= m.start < tok.idx and m.label == "PERSON" and m.kind == "name":
                    people.setdefault(m.text.split()[-1], m.id)
            if len(people) >= 2:
                return list(people.values()) if len(people) <= 4 else []
        return []

    def collective(self, tok: Token) -> bool:
        if tok.lower_ in {"we", "they"}:
            return True
        dets = {c.lower_ for c in tok.children if c.dep_ in {"det", "nummod", "predet", "amod", "poss"}}
        lemma = tok.lemma_.lower()
        if tok.tag_ == "NNS" and (lemma in gz.TITLES or lemma in {"leader", "counterpart", "envoy"}):
            # "the two ministers", "both leaders", "the leaders" (but not "the European leaders")
            numbered = any(c.dep_ == "nummod" for c in tok.children)
            return bool(dets & {"both", "two"}) or dets == {"the"} or numbered and "the" in dets
        if lemma not in COLLECTIVE_WORDS and tok.lower_ not in COLLECTIVE_WORDS:
            return False
        return bool(dets & {"both", "two", "the", "each", "their", "all"}) or tok.lower_ == "both"

    def antecedent(self, tok: Token) -> int | None:
        """The person a pronoun points to, worked out once per token (`doc._.kg_references`)."""
        known = self.ctx.doc._.kg_references
        if known is None:
            known = self.ctx.doc._.kg_references = {}
        if tok.i not in known:
            known[tok.i] = self._find_antecedent(tok)
        return known[tok.i]

    def _find_antecedent(self, tok: Token) -> int | None:
        """The person a pronoun most likely points to: the nearest person earlier in the sentence,
        else the last person named as a subject before it. An object pronoun ('meet him') is not
        its own clause's subject; a reflexive ('himself') is."""
        if tok.dep_ == "poss" and tok.lower_ in {"his", "her"}:
            # "Within hours of his talks with X, Y told…": a fronted possessive is the main subject's
            subj = [c for c in tok.sent.root.children if c.dep_ == "nsubj" and c.i > tok.i]
            m = self.ctx.by_token.get(subj[0].i) if subj else None
            if m is not None and m.kind == "name" and self.ctx.is_person(m):
                return m.id
        clause, own_subject, excluded = tok.head, set(), None
        for _ in range(6):  # climb to the nearest clause that has a subject
            subj = [c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i != tok.i]
            if subj and clause.pos_ in {"VERB", "AUX", "ADJ"}:
                own_subject = {x for c in subj for x in range(c.left_edge.i, c.right_edge.i + 1)}
                if tok.lower_ in {"him", "her"} and subj[0].lower_ in {"he", "she"}:
                    excluded = self.antecedent(subj[0])
                break
            if clause.head.i == clause.i:
                break
            clause = clause.head
        reflexive = tok.lower_.endswith("self")
        sent = tok.sent
        if tok.lower_ in {"him", "her"}:  # "would meet him", after "the Russian leader": that leader's country
            for t in reversed(list(self.ctx.doc[sent.start:tok.i])):
                if t.lemma_.lower() in {"leader", "president", "counterpart", "premier"} and t.i not in own_subject:
                    dem = [self.ctx.by_token[c.i] for c in t.children if c.dep_ == "amod" and c.i in self.ctx.by_token]
                    dem = [m for m in dem if m.kind == "demonym" and self.ctx.usable(m)]
                    if dem:
                        return dem[0].id
                m = self.ctx.by_token.get(t.i)
                if m is not None and m.kind == "name" and self.ctx.is_person(m) and t.i not in own_subject \
                        and not (excluded is not None and same_person(m, self.ctx.mentions[excluded])):
                    break
        best_same, best_subj, best_any = None, None, None
        for m in self.ctx.mentions:
            if m.start >= tok.idx or m.kind != "name" or not self.ctx.is_person(m):
                continue
            span = self.ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
            in_own_subject = span is not None and span.root.i in own_subject
            if tok.lower_ in {"him", "her"} and (in_own_subject or excluded is not None and same_person(m, self.ctx.mentions[excluded])):
                continue
            if reflexive and in_own_subject:
                return m.id
            if m.start >= sent.start_char:
                best_same = m.id
            if m.subject:
                best_subj = m.id
            best_any = m.id
        return best_same if best_same is not None else (best_subj if best_subj is not None else best_any)

    def subject_of(self, verb: Token) -> list[int]:
        """Who does `verb`: its subject, or the subject of the clause it hangs from."""
        cur, hops = verb, 0
        if verb.tag_ == "VBG" and verb.dep_ in {"advcl", "xcomp"} and verb.i > 0 and \
                verb.nbor(-1).text in {",", "”", "\""} and verb.head.dep_ != "ROOT":
            cur = verb.sent.root  # "…,” calling for X": a closing participle speaks for the main subject
        while cur is not None and hops < 5:
            # "Iran's top diplomat | X held talks": a title and a name parsed as two subjects
            subjects = sorted((c for c in cur.children if c.dep_ == "nsubj"),
                              key=lambda c: (m := self.ctx.by_token.get(c.i)) is None or m.label != "PERSON")
            people = [self.ctx.by_token[c.i].id for c in subjects if c.i in self.ctx.by_token
                      and self.ctx.by_token[c.i].label == "PERSON"]
            if len(people) >= 2 and len(people) == len(subjects):
                return people  # "X and Y signed", parsed as two subjects of one verb
            for child in subjects:
                got = self.actors_of(child)
                if got:
                    return got
                if child.lower_ in {"it", "which", "that"}:
                    break
                return []
            if cur.dep_ == "acl" and cur.head.pos_ in {"NOUN", "PROPN", "PRON"}:
                return self.actors_of(cur.head)
            if cur.dep_ in {"xcomp", "advcl", "conj", "pcomp", "ccomp", "acl", "relcl", "prep", "pobj", "acomp"}:
                if cur.dep_ == "relcl":
                    return self.actors_of(cur.head)
                # "accused Russia of making demands": the doer is the accused
                if cur.dep_ in {"pcomp", "pobj"} and cur.head.lower_ in {"of", "for"} and cur.head.head.pos_ == "VERB":
                    objs = [c for c in cur.head.head.children if c.dep_ == "dobj"]
                    if objs:
                        return self.actors_of(objs[0])
                cur = cur.head
                hops += 1
                continue
            break
        return []

    def quote_speaker(self, verb: Token, sent: Span) -> list[int]:
        """Who 'we'/'I' is in a quote: the subject of the speech verb of this sentence, or, for a
        sentence that is all quote, of the sentence before it ('X spoke. "We demand…"')."""
        speech = self.speech_verb(verb)
        if speech is None and sent.text.lstrip()[:1] in QUOTES:
            i = self.ctx.sent_index.get(sent.start, 0)
            before = self.ctx.sents[i - 1] if i > 0 else None
            speech = next((t for t in (before or []) if t.lemma_.lower() in SPEECH_VERBS | {"speak"}
                           and any(c.dep_ == "nsubj" for c in t.children)), None)
        if speech is None:
            return []
        return [x for x in self.subject_of(speech) if x != COLLECTIVE and self.ctx.usable(self.ctx.mentions[x])]

    @staticmethod
    def speech_verb(verb: Token) -> Token | None:
        """The nearest speech verb that governs the clause ('X said Y must…'), or that hangs off
        its root ('"Y must…," X said')."""
        cur = verb
        for _ in range(5):
            if cur.dep_ != "ROOT" and cur.head.lemma_.lower() in SPEECH_VERBS and cur.dep_ in {"ccomp", "xcomp", "conj"}:
                return cur.head
            if cur.dep_ == "ROOT" or cur.head.i == cur.i:
                return next((c for c in cur.children if c.lemma_.lower() in SPEECH_VERBS
                             and c.dep_ in {"parataxis", "ccomp", "conj", "advcl"} and c.i > verb.i), None)
            cur = cur.head
        return None



def same_person(a: Mention, b: Mention) -> bool:
    return a.text == b.text or a.text.split()[-1] == b.text.split()[-1]


@Language.component("kg_references")
def find_references(doc: Doc) -> Doc:
    """Who each personal pronoun of the article points to, on `doc._.kg_references` (token index →
    mention id or None); the event components read it through `References.antecedent`."""
    refs = context_of(doc).refs
    for tok in doc:
        if tok.lower_ in PRONOUNS:
            refs.antecedent(tok)
    return doc
