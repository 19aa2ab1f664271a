"""RDF with provenance: one named graph per article (what that article claims, with the sentence
and character span behind each claim) and one resolution graph (the consolidated view).

See ontology/LAYOUT.md for the layout; this module is its only writer.
"""
from __future__ import annotations

import hashlib
import re
from datetime import datetime
from urllib.parse import quote

import pyoxigraph as ox

from . import gazetteer as gz
from .extract import ArticleExtraction, Frame
from .names import GENERIC_ORG_HEADS
from .reader import Article
from .resolve import NAME_PARTICLES, Resolution, event_label, lookup_country, lookup_organization
from .vocab import DCT, EVENT_TYPES, KG, NIF, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, XSD, Minter

A = ox.NamedNode(RDF + "type")


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def lit(value, datatype: str | None = None) -> ox.Literal:
    if datatype:
        return ox.Literal(str(value), datatype=n(datatype))
    if isinstance(value, bool):
        return ox.Literal(str(value).lower(), datatype=n(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=n(XSD + "integer"))
    return ox.Literal(str(value))


def kg(term: str) -> ox.NamedNode:
    return n(KG + term)


SEGMENT_SAFE = "-._~!$&'()*+,;=:@"  # RFC 3987 path characters kept as they are (ASCII only)
MAX_SEGMENT = 120  # characters of an IRI path segment; longer ones end in a hash of the whole
_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]+")  # what `quote` leaves as it is, whatever is safe


def iri_segment(text: str) -> str:
    """A valid IRI path segment for any text: everything outside the ASCII path characters
    (a '%', quotes, blanks, emoji, right-to-left marks) is percent-encoded as UTF-8, and a very
    long name is cut, keeping a hash of all of it so that two long names stay two IRIs."""
    segment = text if _UNRESERVED.fullmatch(text) else quote(text, safe=SEGMENT_SAFE) or "x"
    if len(segment) <= MAX_SEGMENT:
        return segment
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    head = re.sub(r"%[0-9A-F]?$", "", segment[:MAX_SEGMENT - len(digest) - 1])  # never half an escape
    return f"{head}-{digest}"


class GraphWriter:
    def __init__(self, minter: Minter, resolution: Resolution, extractor: str):
        self.m = minter
        self.res = resolution
        self.extractor = extractor
        self.node_iri = {k: self._node_iri(node) for k, node in resolution.nodes.items()}
        self.event_iri = {id(ev): minter.event(iri_segment(ev.slug)) for ev in resolution.events}

    def _node_iri(self, node) -> str:
        slug = iri_segment(node.slug)
        return self.m.actor(slug) if node.kind == "actor" else self.m.place(slug)

    # -- one article ---------------------------------------------------------------------------
    def article_quads(self, article: Article, ex: ArticleExtraction, built_at: datetime | None = None) -> list[ox.Quad]:
        g = n(self.m.graph(article.id))
        art = n(self.m.article(article.id))
        out: list[ox.Quad] = []

        def add(s, p, o):
            out.append(ox.Quad(s, p, o, g))

        activity = n(self.m.activity(article.id, article.content_hash.split(":")[-1]))
        add(g, n(PROV + "wasDerivedFrom"), art)
        add(g, n(PROV + "wasGeneratedBy"), activity)
        add(activity, A, n(PROV + "Activity"))
        add(activity, n(PROV + "used"), art)
        add(activity, kg("extractor"), lit(self.extractor))
        if built_at:
            add(activity, n(PROV + "endedAtTime"), lit(built_at.strftime("%Y-%m-%dT%H:%M:%SZ"), XSD + "dateTime"))
        add(art, A, kg("Article"))
        add(art, kg("articleId"), lit(article.id))
        add(art, kg("contentHash"), lit(article.content_hash))
        if article.source:  # relative to the build's input: a server's folders are nobody's business
            add(art, kg("sourcePath"), lit(article.source))
        add(art, kg("text"), lit(article.text))
        if article.title:
            add(art, n(DCT + "title"), lit(article.title))
        if article.date_line:
            add(art, kg("dateLine"), lit(article.date_line))
        if article.date:
            add(art, n(DCT + "date"), lit(article.date.isoformat(), XSD + "date"))
        if article.url:
            add(art, n(SCHEMA + "url"), lit(article.url))
        if article.outlet:
            add(art, kg("outlet"), lit(article.outlet))
        if ex.anchor_date:
            add(art, kg("referenceDate"), lit(ex.anchor_date, XSD + "date"))

        text = article.text
        sentences: set[tuple[int, int]] = set()
        for mention in ex.mentions:
            key = self.res.denotes.get((article.id, mention.id))
            if key is None:
                continue
            node = n(self.node_iri[key])
            span = n(self.m.span(article.id, mention.start, mention.end))
            sent = _sentence_of(ex, text, mention.start)
            add(span, A, kg("Mention"))
            self._span(add, span, art, text, mention.start, mention.end)
            add(span, kg("nerLabel"), lit(mention.label))
            add(span, kg("denotes"), node)
            if sent:
                add(span, kg("sentence"), n(self.m.span(article.id, *sent)))
                sentences.add(sent)
            if mention.kind in {"name", "group"}:
                add(node, n(SKOS + "altLabel"), lit(mention.text))

        for ev in self.res.events:
            for claim in ev.claims:
                if claim.article_id != article.id:
                    continue
                e = n(self.event_iri[id(ev)])
                add(e, A, kg(ev.type))
                for role, keys in claim.roles.items():
                    for k in keys:
                        add(e, kg(role), n(self.node_iri[k]))
                if claim.venue:
                    add(e, kg("venue"), n(self.node_iri[claim.venue]))
                if claim.place:
                    add(e, kg("place"), n(self.node_iri[claim.place]))
                for f in claim.frames:
                    self._frame(add, e, f, art, article, sentences)
        for sent in sentences:
            span = n(self.m.span(article.id, *sent))
            add(span, A, kg("Sentence"))
            self._span(add, span, art, text, *sent)
        return out

    def _frame(self, add, e, f: Frame, art, article: Article, sentences: set) -> None:
        begin, end = _strip(article.text, f.sent_start, f.sent_end)
        sentences.add((begin, end))
        add(e, kg("evidence"), n(self.m.span(article.id, begin, end)))
        if f.type != "Meeting" and f.topic:
            add(e, kg("topic"), lit(f.topic))
        add(e, kg("status"), kg(f.status))
        if f.date:
            add(e, kg("reportedDate"), lit(f.date, XSD + "date"))
        if f.date_text:
            add(e, kg("dateText"), lit(f.date_text))
        if f.duration:
            add(e, kg("duration"), lit(f.duration))
        if f.count:
            add(e, kg("count"), lit(f.count))

    def _span(self, add, span, art, text: str, begin: int, end: int) -> None:
        add(span, kg("article"), art)
        add(span, n(NIF + "beginIndex"), lit(begin))
        add(span, n(NIF + "endIndex"), lit(end))
        add(span, n(NIF + "anchorOf"), lit(text[begin:end]))

    # -- the consolidated view -----------------------------------------------------------------
    def resolution_quads(self) -> list[ox.Quad]:
        g = n(self.m.resolution_graph())
        return [q for subject, statements in self.resolution_statements().items()
                for q in statement_quads(subject, statements, g)]

    def resolution_statements(self) -> dict[str, list[Statement]]:
        """The resolution graph as plain values, by subject IRI: a build compares them with what
        the stored graph was made from (kg.build.ResolutionBlocks) and makes quads only of the
        subjects that changed."""
        out: dict[str, list[Statement]] = {}
        labels = self.res.labels
        for key, node in self.res.nodes.items():
            label = labels.get(key) or node.label
            st = out[self.node_iri[key]] = [(A_IRI, KG + node.type, IRI), (A_IRI, KG + ("Actor" if node.kind == "actor" else "Place"), IRI)]
            if node.type == "Country":
                st.append((A_IRI, KG + "Place", IRI))
            st.append((RDFS + "label", label, TEXT))
            st.extend((SKOS + "altLabel", alias, TEXT) for alias in derived_aliases(node))
            if node.within and node.within in self.node_iri:
                st.append((KG + "within", self.node_iri[node.within], IRI))
            st.extend((OWL + "sameAs", same, IRI) for same in same_as(key, node, label))
            if node.type == "Country" and key.startswith("country:"):
                st.append((KG + "iso3166", key.split(":", 1)[1], TEXT))
            if node.side and node.side != key and node.side in self.node_iri and node.type == "Person":
                st.append((KG + "affiliation", self.node_iri[node.side], IRI))
        for ev in self.res.events:
            st = out[self.event_iri[id(ev)]] = [(A_IRI, KG + ev.type, IRI), (A_IRI, KG + "Event", IRI),
                                                (RDFS + "label", event_label(ev, self.res.nodes, labels), TEXT)]
            if ev.type != "Meeting" and ev.topic:
                st.append((KG + "mainTopic", ev.topic, TEXT))
            if ev.date:
                st.append((KG + "date", ev.date, XSD + "date"))
            info = EVENT_TYPES[ev.type]
            st.extend([(KG + "plover", info["plover"], TEXT), (KG + "cameo", info["cameo"], TEXT)])
        return out


# A statement of the resolution graph about some subject: (predicate IRI, object, what the object
# is: IRI, TEXT (a plain literal) or a datatype IRI)
Statement = tuple[str, str, str]
IRI, TEXT = "iri", ""
A_IRI = RDF + "type"


def statement_quads(subject: str, statements: list[Statement], graph: ox.NamedNode) -> list[ox.Quad]:
    s = n(subject)
    return [ox.Quad(s, n(p), n(o) if kind == IRI else lit(o, kind or None), graph) for p, o, kind in statements]


def same_as(key: str, node, label: str | None = None) -> list[str]:
    """The GeoNames IRI of a country or gazetteer city: what users join places on elsewhere
    (`label`: the node's, when known)."""
    if node.type == "Country" and key.startswith("country:"):
        gid = gz.country_geonames_id(key.split(":", 1)[1])
    elif node.type == "City" and key.count(":") == 2:
        gid = gz.city_geonames_id(label or node.label, key.rsplit(":", 1)[1])
    else:
        gid = None
    return [gz.GEONAMES.format(gid)] if gid else []


NAME_TITLES = {"pope", "cardinal", "king", "queen", "prince", "princess", "sheikh", "emir", "sultan", "sir",
               "lord", "lady", "archbishop", "patriarch", "ayatollah", "imam", "rabbi", "dr"}


def derived_aliases(node) -> list[str]:
    """Names a reader uses for an actor without the text spelling them out alone: an
    organisation's name without a lower-case 'party'/'union' after it; the surname of
    a full name, and honorifics that are part of a name ('Cardinal X', 'Pope Y'). No surname when
    the text calls the person by another part of the name ('Wang' of 'Wang Mei': family name
    first) or the last word follows a particle ('bin Salman')."""
    if node.type == "Organization":  # 'the SNP party' is the SNP
        short = {" ".join(w[:-1]) for n in node.names if len(w := n.split()) > 1
                 and w[-1] in GENERIC_ORG_HEADS and w[-1][:1].islower()}
        return sorted(short - set(node.names))
    if node.type != "Person":
        return []
    singles = {n.casefold() for n in node.names if " " not in n.strip()}
    out = []
    for name in node.names:
        words = name.split()
        if len(words) < 2 or not words[-1][:1].isupper() or re.fullmatch(r"[IVXLC]+|Jr\.?|Sr\.?", words[-1]):
            continue
        if words[-2].casefold() in NAME_PARTICLES or singles & {w.casefold() for w in words[:-1]}:
            continue
        if len(words[-1]) <= 2 or lookup_organization(words[-1]) or lookup_country(words[-1]):
            continue  # a two-letter last part of a family-name-first name is no surname ('Ko Min Ha')
        out.append(words[-1])
    for title, name in node.titled:
        if title.split()[-1].lower().strip(".") in NAME_TITLES:
            out.append(f"{title.split()[-1]} {name}")
    return sorted(set(out) - set(node.names))


def _sentence_of(ex: ArticleExtraction, text: str, offset: int) -> tuple[int, int] | None:
    for s, e in ex.sentences:
        if s <= offset < e:
            return _strip(text, s, e)
    return None


def _strip(text: str, begin: int, end: int) -> tuple[int, int]:
    """A sentence span without the blanks around it, so the quote reads as the sentence."""
    while begin < end and text[begin].isspace():
        begin += 1
    while end > begin and text[end - 1].isspace():
        end -= 1
    return begin, end
