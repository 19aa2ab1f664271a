"""Component `kg_mentions`: the names of actors and places in an article (NER, joined, trimmed
and split; gazetteer finds NER missed; described groups; acronyms and aliases), on
`doc._.kg_mentions`."""
from __future__ import annotations


from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .. import gazetteer as gz, names
from functools import lru_cache

from .context import ArticleContext, context_of
from .model import Mention
from .words import (ALIAS_LINK, CALENDAR_WORDS, GROUP_HEADS, HONORIFICS, NAME_LABELS, NON_DESCRIPTIVE,
                    NOT_ACRONYMS, VENUE_HEADS)


class MentionFinder:
    def __init__(self, ctx: ArticleContext):
        self.ctx = ctx

    def find(self) -> None:
        taken: set[int] = set()
        self.ctx._alias_of: dict[int, Mention] = {}  # id() of a mention → the mention it renames
        defined = self._acronym_definitions()
        for long, short in defined:
            self.ctx._alias_of[id(self.ctx.add(short, "ORG"))] = self.ctx.add(long, "ORG")
            taken.update(range(long.start, long.end), range(short.start, short.end))
        for ent in self._line_pieces(self._joined_ents()):
            if ent.label_ not in NAME_LABELS or taken & set(range(ent.start, ent.end)):
                continue
            label = self._label(ent)
            trimmed = self.trim(ent if label == ent.label_ else Span(self.ctx.doc, ent.start, ent.end, label=label))
            if label in {"NORP", "PERSON"} and trimmed is not None and gz.lookup_organization(trimmed.text) \
                    and not gz.lookup_demonym(trimmed.text):
                label = "ORG"  # 'the Republicans', 'the Lib Dems': a party, not a nationality nor a person
            pieces = self._title_country_name(trimmed) or [(s, self._piece_label(s, trimmed, label))
                                                           for s in self._split(trimmed, label)]
            for span, label in pieces:
                if span is not None and len(span.text.strip()) > 1:
                    self.ctx.add(span, label)
                    taken.update(range(span.start, span.end))
        # names NER missed: proper nouns the gazetteer knows (countries, cities, demonyms)
        for tok in self.ctx.doc:
            if tok.i in taken or tok.pos_ != "PROPN" or not tok.text[:1].isupper() or len(tok.text) < 4:
                continue
            if (gz.lookup_country(tok.text) or gz.lookup_city(tok.text, 100_000) or fuzzy_country(tok.text)):
                self.ctx.add(self.ctx.doc[tok.i:tok.i + 1], "GPE")
                taken.add(tok.i)
        for tok in self.ctx.doc:  # "Chile-EU talks": a known organisation's acronym NER missed
            if tok.i not in taken and tok.i not in self.ctx.by_token and tok.pos_ == "PROPN" and tok.text.isupper() \
                    and 2 <= len(tok.text) <= 6 and tok.text not in NOT_ACRONYMS and gz.lookup_organization(tok.text):
                self.ctx.add(self.ctx.doc[tok.i:tok.i + 1], "ORG")
                taken.add(tok.i)
        self._seats_missed(taken)
        self._organizations_again(taken)
        self.ctx._person_names = {m.text for m in self.ctx.mentions if m.label == "PERSON"}
        self.ctx._person_names |= {m.text.split()[-1] for m in self.ctx.mentions if m.label == "PERSON" and " " in m.text}
        for tok in self.ctx.doc:  # "Smith met…": a surname NER missed once is still that person
            if tok.i not in self.ctx.by_token and tok.text[:1].isupper() and tok.text in self.ctx._person_names:
                start = tok.i
                if start > 0 and start - 1 not in self.ctx.by_token and self.name_part(self.ctx.doc[start - 1]) \
                        and self.ctx.doc[start - 1].head.i == tok.i:
                    start -= 1  # 'Jo Smith' in a headline NER read nothing of
                self.ctx.add(self.ctx.doc[start:tok.i + 1], "PERSON")
        self._find_groups()
        self._also_known_as()
        self._acronyms_of_the_article()
        self.ctx.mentions.sort(key=lambda m: m.start)
        for i, m in enumerate(self.ctx.mentions):
            m.id = i
        for m in self.ctx.mentions:
            target = self.ctx._alias_of.get(id(m))
            m.alias_of = target.id if target is not None else None

    def _organizations_again(self, taken: set[int]) -> None:
        """An organisation NER named once is that organisation wherever the article writes its name
        again ('Acme said…' after 'talks with Acme'): NER often tags a name in one sentence only."""
        orgs = {m.text for m in self.ctx.mentions if m.label == "ORG" and m.kind == "name" and m.text[:1].isupper()
                and not names.is_acronym(m.text) or m.label == "ORG" and names.is_acronym(m.text)}
        by_first: dict[str, list[list[str]]] = {}
        for text in orgs:
            words = text.split()
            by_first.setdefault(words[0], []).append(words)
        doc = self.ctx.doc
        for tok in doc:
            if tok.i in taken or tok.i in self.ctx.by_token or tok.text not in by_first or not tok.text[:1].isupper():
                continue
            for words in sorted(by_first[tok.text], key=len, reverse=True):
                end = tok.i + len(words)
                if end <= len(doc) and [t.text for t in doc[tok.i:end]] == words \
                        and not any(i in taken or i in self.ctx.by_token for i in range(tok.i, end)):
                    self.ctx.add(doc[tok.i:end], "ORG")
                    taken.update(range(tok.i, end))
                    break

    def _seats_missed(self, taken: set[int]) -> None:
        """Seats of government NER left untagged ('The Elysee talks'): the gazetteer's
        names, capitalised as written, none of their tokens in another mention."""
        doc, by_token = self.ctx.doc, self.ctx.by_token
        starts = [t.idx for t in doc]
        ends = [t.idx + len(t.text) for t in doc]
        for n in (2, 1):
            for i in range(len(doc) - n + 1):
                if any(j in taken or j in by_token for j in range(i, i + n)):
                    continue
                text = self.ctx.doc_text[starts[i]:ends[i + n - 1]]  # the span's text
                if not text[:1].isupper():
                    continue
                if gz.lookup_seat(text) and all(t.text[:1].isupper() or t.like_num for t in doc[i:i + n]):
                    self.ctx.add(doc[i:i + n], "ORG")
                    taken.update(range(i, i + n))

    def _find_groups(self) -> None:
        """Groups described rather than named: a plural group noun with a describing modifier
        and no usable name in it ('world leaders', 'five public sector unions', 'senior
        ministers'). 'The five unions' later in the article is the group described earlier."""
        groups: list[Mention] = []
        for tok in self.ctx.doc:
            if tok.tag_ != "NNS" or tok.lower_ not in GROUP_HEADS or tok.i in self.ctx.by_token:
                continue
            mods = [c for c in tok.children if c.i < tok.i and c.dep_ in {"amod", "compound", "nummod", "nmod"}]
            if not mods or any((m := self.ctx.by_token.get(t.i)) is not None and self.ctx.usable(m)
                               for c in mods for t in c.subtree):
                continue  # "EU leaders", "Russian negotiators": the name is the actor
            if any(c.dep_ == "prep" and c.lower_ in {"of", "from"} for c in tok.children):
                continue  # "foreign ministers of both countries": whose they are is said
            words = {t.lower_ for c in mods for t in c.subtree}
            if words <= NON_DESCRIPTIVE:
                continue  # "both leaders", "the two ministers": the collective reading
            start = min(c.left_edge.i for c in mods)
            while start < tok.i and self.ctx.doc[start].dep_ in {"det", "poss", "predet"} | {"punct"}:
                start += 1
            span = self.ctx.doc[start:tok.i + 1]
            numeric_only = all(t.like_num for c in mods for t in c.subtree)
            earlier = next((g for g in reversed(groups) if g.text.split()[-1].lower() == tok.lower_
                            and words <= set(g.group.lower().split())), None)
            definite = any(c.dep_ in {"det", "poss"} for c in tok.children)
            if numeric_only and earlier is None and definite:
                continue  # "the three leaders": the ones just named
            self.ctx.add(span, "GROUP")
            m = self.ctx.mentions[-1]
            m.kind = "group"
            m.group = earlier.group if earlier is not None else m.text
            groups.append(m)

    def _line_pieces(self, ents: list[Span]) -> list[Span]:
        """An entity never runs across a line break or a sentence start ('…Times | WASHINGTON',
        'Twitter | Doe'): each piece is a mention of its own, inside its own sentence."""
        out: list[Span] = []
        for ent in ents:
            start = ent.start
            for t in ent[:-1]:
                if "\n" in t.whitespace_ or self.ctx.doc[t.i + 1].is_sent_start:
                    out.append(Span(self.ctx.doc, start, t.i + 1, label=ent.label_))
                    start = t.i + 1
            out.append(Span(self.ctx.doc, start, ent.end, label=ent.label_) if start != ent.start else ent)
        trimmed = []
        for e in out:  # whitespace tokens ("\n\n") at either end are no part of a name
            start, end = e.start, e.end
            while start < end and self.ctx.doc[start].is_space:
                start += 1
            while end > start and self.ctx.doc[end - 1].is_space:
                end -= 1
            if end > start:
                trimmed.append(e if (start, end) == (e.start, e.end) else Span(self.ctx.doc, start, end, label=e.label_))
        return trimmed

    def _label(self, ent: Span) -> str:
        """NER's label, except that 'Mr X', 'Mrs X', 'Dr X' name a person whatever NER says."""
        if ent.label_ != "PERSON" and len(ent) >= 2:
            first = ent[1] if ent[0].lower_ in {"the", "a"} and len(ent) >= 3 else ent[0]
            if first.lower_.strip(".") in HONORIFICS and first.i + 1 < ent.end and first.nbor().text[:1].isupper():
                return "PERSON"
        before = self.ctx.doc[ent.start - 1] if ent.start > 0 else None
        if ent.label_ in {"GPE", "NORP", "ORG", "LOC"} and before is not None \
                and before.lower_.strip(".") in HONORIFICS and not gz.lookup_country(ent.text):
            return "PERSON"  # "Mr | Bolivar" with the honorific left out of a name NER took for a place
        return ent.label_

    def _acronym_definitions(self) -> list[tuple[Span, Span]]:
        """'the National Union of Harbour Pilots (NUHP)': the long form before a parenthesised
        acronym, found by the acronym's initials whatever NER made of the words."""
        out: list[tuple[Span, Span]] = []
        for tok in self.ctx.doc[2:-1]:
            if not (tok.nbor(-1).text == "(" and tok.nbor(1).text == ")" and names.is_acronym(tok.text)):
                continue
            sent_start, end = tok.sent.start, tok.i - 1
            first = end
            while first > sent_start and (self.ctx.doc[first - 1].is_alpha or self.ctx.doc[first - 1].text in {"&", "-"}
                                          or "-" in self.ctx.doc[first - 1].text):
                first -= 1
            joined = self._hyphen_joined(self.ctx.doc[first:end])
            start = names.long_form_start(tok.text, [w for w, _ in joined])
            if start is None:
                continue
            long = self.ctx.doc[joined[start][1]:end]
            if len(long) >= 2 or long[0].text.isupper() and len(long[0].text) > len(tok.text):
                out.append((long, self.ctx.doc[tok.i:tok.i + 1]))
        return out

    @staticmethod
    def _hyphen_joined(span: Span) -> list[tuple[str, int]]:
        """Words of a span with 'Co', '-', 'operation' read as one word, each with its first token."""
        out: list[tuple[str, int]] = []
        for t in span:
            if out and (t.text == "-" or span.doc[t.i - 1].text == "-") and not span.doc[t.i - 1].whitespace_:
                out[-1] = (out[-1][0] + t.text, out[-1][1])
            elif t.text not in {"-"}:
                out.append((t.text, t.i))
        return out

    def _also_known_as(self) -> None:
        """'X, also known as Y', 'X, better known as Y', 'X (Y)' for two people: Y is X's other name."""
        by_start = sorted((m for m in self.ctx.mentions if m.kind == "name"), key=lambda m: m.start)
        for a, b in zip(by_start, by_start[1:]):
            if a.sent != b.sent or id(b) in self.ctx._alias_of:
                continue
            between = self.ctx.text[a.end:b.start]
            if ALIAS_LINK.fullmatch(between) or between.strip() == "(" and a.label == b.label == "PERSON" \
                    and self.ctx.text[b.end:b.end + 1] == ")":
                self.ctx._alias_of[id(b)] = a

    def _acronyms_of_the_article(self) -> None:
        """An acronym the article never defines is the article's one name with those initials:
        'NTN' and 'the Northern Tram Network'. NER sometimes calls such a name an event or a product."""
        acronyms = [m for m in self.ctx.mentions if m.kind == "name" and names.is_acronym(m.text)
                    and id(m) not in self.ctx._alias_of and not gz.lookup_country(m.text)
                    and not gz.lookup_organization(m.text)]
        loose = [t for t in self.ctx.doc if t.i not in self.ctx.by_token and t.pos_ == "PROPN" and names.is_acronym(t.text)
                 and t.text not in NOT_ACRONYMS and not gz.lookup_country(t.text)]
        if not acronyms and not loose:
            return
        longs = [m for m in self.ctx.mentions if m.kind == "name" and " " in m.text]
        for tok in loose:  # 'the XYZ' NER left untagged, after the article named the Xavier Yard Zone
            fits = {m.text: m for m in longs if names.initials_match(tok.text, m.text.split())}
            if len(fits) == 1:
                self.ctx._alias_of[id(self.ctx.add(self.ctx.doc[tok.i:tok.i + 1], "ORG"))] = next(iter(fits.values()))
        extra = [self.trim(e) for e in self.ctx.doc.ents if e.label_ in {"EVENT", "PRODUCT", "WORK_OF_ART"}
                 and not any(i in self.ctx.by_token for i in range(e.start, e.end))]
        for m in acronyms:
            fits = {l.text: l for l in longs if names.initials_match(m.text, l.text.split())}
            spans = [e for e in extra if e is not None and names.initials_match(m.text, e.text.split())]
            if len(fits) + len({e.text for e in spans}) != 1:
                continue
            self.ctx._alias_of[id(m)] = next(iter(fits.values())) if fits else self.ctx.add(spans[0], "ORG")

    def _joined_ents(self) -> list[Span]:
        """Entities, with two PERSON entities that touch (only a space between them) read as one
        name ('Mary Ann | Doe'), and an entity that with its neighbour or the proper nouns
        after it is a known organisation's name read as that organisation ('Shanghai |
        Cooperation Organisation')."""
        out: list[Span] = []
        for ent in self.ctx.doc.ents:
            prev = out[-1] if out else None
            touching = prev is not None and ent.start == prev.end and self.ctx.doc[prev.end - 1].whitespace_ == " "
            if touching and ent.label_ == prev.label_ == "PERSON":
                out[-1] = Span(self.ctx.doc, prev.start, ent.end, label="PERSON")
            elif touching and prev.label_ == "GPE" and ent.label_ == "ORG" \
                    and gz.lookup_organization(self.ctx.doc[prev.start:ent.end].text):
                out[-1] = Span(self.ctx.doc, prev.start, ent.end, label="ORG")
            else:
                out.append(self._known_organization_goes_on(ent))
        return out

    def _known_organization_goes_on(self, ent: Span) -> Span:
        end = ent.end
        for stop in range(ent.end + 1, min(ent.end + 4, len(self.ctx.doc)) + 1):
            tok = self.ctx.doc[stop - 1]
            if tok.ent_type_ or not tok.text[:1].isupper() or tok.pos_ != "PROPN":
                break
            if gz.lookup_organization(self.ctx.doc[ent.start:stop].text):
                end = stop
        return Span(self.ctx.doc, ent.start, end, label="ORG") if end > ent.end else ent

    def trim(self, ent: Span) -> Span | None:
        start, end = ent.start, ent.end
        for t in ent[:-1]:  # "X. The Ukrainians": a sentence end inside the name
            if t.text == "." or t.text.endswith(".") and len(t.text) <= 2 and t.nbor().lower_ in {"the", "a", "an"}:
                start = t.i + 1
        if end < len(self.ctx.doc) and self.ctx.doc[end].lower_ in VENUE_HEADS and ent.label_ in {"FAC", "ORG", "GPE", "LOC"}:
            end += 1  # "the Hofburg palace"
        while start < end and self.ctx.doc[start].lower_ in {"the", "a", "an"}:
            start += 1
        while start + 2 < end and self.ctx.doc[start].lower_ in {"anti", "pro"} and self.ctx.doc[start + 1].text == "-":
            start += 3  # 'the anti-EU | SNP party'
        while end > start and self.ctx.doc[end - 1].text in {"'s", "’s", "'", "’"}:
            end -= 1
        if ent.label_ == "PERSON":  # titles inside a person's span belong to the title, not the name
            while start < end - 1 and self.ctx.doc[start].lower_.strip(".") in gz.TITLES:
                start += 1
            while end > start + 1 and self.ctx.doc[end - 1].lower_.strip(".") in gz.POST_NOMINALS:
                end -= 1
            while end < len(self.ctx.doc) and self._name_goes_on(self.ctx.doc[end - 1], self.ctx.doc[end]):
                end += 1  # "Yoon Suk | Yeol": the parse says the name runs on
            while start > 0 and self.name_part(self.ctx.doc[start - 1]) and start <= self.ctx.doc[start - 1].head.i < end:
                start -= 1  # "Minister Jane | Doe": a first name NER left out
        return self.ctx.doc[start:end] if end > start else None

    def _title_country_name(self, span: Span | None) -> list[tuple[Span, str]] | None:
        """'(president of) Azerbaijan Ilham Aliev' read as one name: the country, then the person
        the title belongs to."""
        if span is None or span.label_ == "PERSON" or len(span) < 3 or span.start < 2:
            return None
        before = self.ctx.doc[span.start - 1]
        if before.lower_ != "of" or self.ctx.doc[span.start - 2].lower_ not in gz.TITLES:
            return None
        for cut in range(1, len(span) - 1):
            country, rest = span[:cut], span[cut:]
            if gz.lookup_country(country.text) and len(rest) >= 2 and all(
                    t.text[:1].isupper() and t.is_alpha for t in rest):
                return [(country, "GPE"), (rest, "PERSON")]
        return None

    @classmethod
    def _name_goes_on(cls, last: Token, nxt: Token) -> bool:
        return last.dep_ == "compound" and last.head.i == nxt.i and cls.name_part(nxt)

    @staticmethod
    def name_part(tok: Token) -> bool:
        """A capitalised proper noun outside any entity that is no title or building word."""
        return (tok.pos_ == "PROPN" and not tok.ent_type_ and tok.text[:1].isupper() and tok.is_alpha
                and tok.lower_ not in VENUE_HEADS and tok.lower_.strip(".") not in gz.TITLES
                and tok.lower_ not in gz.AFFILIATION_WORDS and not gz.lookup_demonym(tok.text))

    @staticmethod
    def _piece_label(piece: Span | None, whole: Span | None, label: str) -> str:
        """A place split off a longer name is a place, whatever NER called the whole."""
        if piece is None or whole is None or (piece.start, piece.end) == (whole.start, whole.end):
            return label
        if piece.end < whole.end and gz.lookup_organization(whole.doc[piece.end:whole.end].text):
            return "GPE"  # the place before an organisation's name: "the Ballymena | G8 summit"
        placed = gz.lookup_city(piece.text) or gz.lookup_country(piece.text)
        return "GPE" if placed and not gz.lookup_organization(piece.text) else label

    def _split(self, span: Span | None, label: str) -> list[Span | None]:
        """'Swizerland Bern' → a country-ish word and a city; 'A/B' credits were blanked already."""
        if span is None or len(span) < 2:
            return [span]
        dashes = [t.i for t in span if t.text in {"-", "–"}]
        if dashes:  # "U.S.-Japan-South Korea": countries joined by dashes are each a name
            cuts = [span.start - 1] + dashes + [span.end]  # the tokens between two dashes are a piece
            pieces = [self.ctx.doc[a + 1:b] for a, b in zip(cuts, cuts[1:])]
            if all(len(x) and gz.lookup_country(x.text) for x in pieces):
                return pieces
        for t in span[:-1]:  # "Vienna's Hofburg Palace": a place and the venue in it
            if t.text in {"’s", "'s"} and t.i > span.start:
                return [self.ctx.doc[span.start:t.i], self.ctx.doc[t.i + 1:span.end]]
        for cut in range(1, len(span)):  # "the Ballymena G8 summit": a place, then a known organisation
            place, org = span[:cut], span[cut:]
            placed = gz.lookup_city(place.text) or gz.lookup_country(place.text) or (
                (names.is_acronym(org.text) or org.text.isupper() and len(org.text) <= 6)
                and all(t.pos_ == "PROPN" and t.is_title for t in place)
                and not gz.lookup_demonym(place.text))  # a town the gazetteer lacks, before an acronym
            if placed and gz.lookup_organization(org.text) and not gz.lookup_organization(span.text) \
                    and not gz.lookup_organization(place.text) and label != "PERSON":
                return [place, org]
        last = span[-1]
        head = span[:-1]
        if gz.lookup_city(last.text, 100_000) and not gz.lookup_city(span.text) and not gz.lookup_country(span.text):
            if gz.lookup_country(head.text) or label != "PERSON" and fuzzy_country(head.text):
                # a misspelt country before a city, but 'Joan Whitby' is a person, not 'Japan Whitby'
                return [head, span[-1:]]
        return [span]



@lru_cache(maxsize=1)
def _countries_by_initial() -> dict[str, list[tuple[str, gz.Country]]]:
    """The gazetteer's country names by first letter, in its order: a misspelling keeps the first
    letter, so fuzzy_country scores a name against one letter's countries, not all of them."""
    out: dict[str, list[tuple[str, gz.Country]]] = {}
    for k, c in gz.countries().items():
        out.setdefault(k[:1], []).append((k, c))
    return out


@lru_cache(maxsize=262144)  # asked for every mention and proper noun, answered once per name
def fuzzy_country(name: str) -> gz.Country | None:
    """A misspelled country ('Swizerland'): one clear nearest ISO name, same first letter."""
    from rapidfuzz.distance import JaroWinkler

    key = gz.fold(name)
    if len(key) < 4 or key in gz.countries():
        return gz.countries().get(key)
    if key in CALENDAR_WORDS:  # 'Sunday' is not a misspelt 'Sudan'
        return None
    scored = sorted(((JaroWinkler.similarity(key, k), c) for k, c in _countries_by_initial().get(key[:1], ())
                     if abs(len(k) - len(key)) <= 3), key=lambda x: -x[0])
    if scored and scored[0][0] >= 0.9 and (len(scored) == 1 or scored[1][0] < scored[0][0] - 0.02
                                           or scored[1][1] == scored[0][1]):
        return scored[0][1]
    return None


@Language.component("kg_mentions")
def find_mentions(doc: Doc) -> Doc:
    """The article's mentions of actors and places, on `doc._.kg_mentions`."""
    MentionFinder(context_of(doc)).find()
    return doc
