"""Component `kg_article`: what the whole article tells: the wire dateline, whether it is sport
or arts coverage, and who is visiting where."""
from __future__ import annotations


from spacy.language import Language
from spacy.tokens import Doc

from .. import gazetteer as gz, lexicon
from .context import ArticleContext, context_of
from .model import COLLECTIVE
from .words import WIRE_DATELINE


class Visits:
    def __init__(self, ctx: ArticleContext):
        self.ctx = ctx

    def visits(self) -> list[tuple[int, int]]:
        """Who is visiting where ('X, visiting Quito,', 'X arrived in Y', 'X's visit to Y'): the
        place of X's meetings that the article tells without one."""
        out: list[tuple[int, int]] = []
        for t in self.ctx.doc:
            lemma = t.lemma_.lower()
            if lemma in {"visit", "tour"} and t.pos_ == "VERB":
                places = [c for c in t.children if c.dep_ == "dobj"]
            elif lemma in {"arrive", "land"} and t.pos_ == "VERB":
                places = [p for c in t.children if c.dep_ == "prep" and c.lower_ == "in" for p in c.children
                          if p.dep_ == "pobj"]
            else:
                continue
            visitors = self.ctx.refs.subject_of(t) or (self.ctx.refs.actors_of(t.head) if t.dep_ in {"acl", "advcl"} else [])
            for o in places:
                m = self.ctx.by_token.get(o.i)
                if m is None or m.kind != "name" or gz.lookup_country(m.text) or not (
                        gz.lookup_city(m.text) or m.label == "GPE"):
                    continue
                out += [(v, m.id) for v in visitors if v != COLLECTIVE and self.ctx.mentions[v].label == "PERSON"]
        return out



def is_leisure(doc: Doc) -> bool:
    """Sport results and arts coverage use their own words more than those of politics, diplomacy
    and negotiation ('match', 'medal', 'film' against 'minister', 'talks', 'treaty'): their 'X
    should…' and 'met Y' are no news of the kind this graph is for."""
    political, leisure = lexicon.words("political_words"), lexicon.words("leisure_words")
    p = l = 0
    for t in doc:
        word = t.lower_
        forms = {word, t.lemma_.lower(), word[:-1] if word.endswith("s") and len(word) > 4 else word}
        p += bool(forms & political)
        l += bool(forms & leisure)
    return l >= 3 and l > p  # a word or two ("films" in a court story) is no evidence


def dateline_city(text: str) -> tuple[str, int] | None:
    """The city of a wire dateline, from a maintained gazetteer, and the offset the story starts at."""
    for m in WIRE_DATELINE.finditer(text[:1500]):
        words = m.group(1).split()
        for n in range(len(words), 0, -1):  # "WASHINGTON U.S. President…": the city is a prefix
            name = " ".join(words[:n]).title()
            city = gz.lookup_city(name) if len(name) >= 3 else None
            if city is not None:
                return city.name, m.start(1) + len(" ".join(words[:n]))
    return None


@Language.component("kg_article")
def read_article(doc: Doc) -> Doc:
    """The wire dateline, sport-or-arts coverage, and visits: `doc._.kg_dateline`, `kg_leisure`, `kg_visits`."""
    ctx = context_of(doc)
    doc._.kg_dateline = dateline_city(ctx.text)
    doc._.kg_leisure = is_leisure(doc)
    doc._.kg_visits = Visits(ctx).visits()
    return doc
