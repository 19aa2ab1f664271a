"""Component `kg_affiliation`: the title words of a person's name, the countries it is tied to
('Ukrainian President X', 'President X of France') and the organisation it speaks for."""
from __future__ import annotations


from spacy.language import Language
from spacy.tokens import Doc, Span

from .. import gazetteer as gz
from .context import ArticleContext, context_of
from .model import Mention
from .words import HOLDER_WORDS


class Affiliations:
    def __init__(self, ctx: ArticleContext):
        self.ctx = ctx

    def affiliate(self, m: Mention) -> None:
        """Title words and the country a person's title ties them to: 'Ukrainian President X',
        'Russia's top negotiator, X', 'President X of France'."""
        if m.kind != "name":
            return
        span = self.ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            return
        words, i = [], span.start - 1
        while i >= span.sent.start and i >= span.start - 6:
            t = self.ctx.doc[i]
            if t.lower_.strip(".") in gz.TITLES or gz.lookup_demonym(t.text) or t.text in {"’s", "'s"} \
                    or (t.pos_ == "PROPN" and gz.lookup_country(t.text)) or t.text in {",", "-"} and words:
                words.insert(0, t)
                i -= 1
                continue
            break
        titles = [t.text for t in words if t.lower_.strip(".") in gz.TITLES]
        m.title = " ".join(titles)
        context = list(words)
        root = span.root
        if root.dep_ == "appos":
            context += list(root.head.subtree)
        for child in root.children:
            if child.dep_ == "appos":
                context += list(child.subtree)
            if child.dep_ == "prep" and child.lower_ == "of":
                context += list(child.subtree)
        if root.head.dep_ == "appos" and root.dep_ == "compound":
            context += list(root.head.head.subtree)
        for t in context:
            if t.i in range(span.start, span.end):
                continue
            c = gz.lookup_demonym(t.text) or gz.lookup_country(t.text)
            if c is None and t.i in self.ctx.by_token and self.ctx.by_token[t.i].kind == "name":
                c = gz.lookup_country(self.ctx.by_token[t.i].text)
            if c:
                m.side_votes.append(c.name)
        m.side_votes = m.side_votes[:2]
        m.employer = self._employer(span)

    def _employer(self, span: Span) -> int | None:
        """The organisation a person speaks for: 'Fiat boss X', 'GM's X', 'RMT leader X': an ORG
        name right before the person's title words (or their possessive)."""
        i = span.start - 1
        while i >= span.sent.start and (self.ctx.doc[i].lower_.strip(".") in HOLDER_WORDS
                                        or self.ctx.doc[i].text in {"’s", "'s"} or self.ctx.doc[i].pos_ == "ADJ"):
            i -= 1
        m = self.ctx.by_token.get(i) if i >= span.sent.start and i < span.start - 1 else None
        if m is None or m.label != "ORG" or m.kind != "name" or gz.lookup_country(m.text) or not self.ctx.usable(m):
            return None
        return m.id



@Language.component("kg_affiliation")
def find_affiliations(doc: Doc) -> Doc:
    """Titles, countries and employers of the mentions `kg_mentions` found (kept on each mention)."""
    ctx = context_of(doc)
    affiliations = Affiliations(ctx)
    for m in ctx.mentions:
        affiliations.affiliate(m)
    return doc
