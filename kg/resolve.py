"""Resolution across articles: one node per real actor or place whatever the spelling, one event
per real event whatever the number of outlets reporting it.

Input: every article's `ArticleExtraction`. Output: a `Resolution` holding nodes, the node each
mention denotes, and event clusters with their per-article claims (kept apart, never overwritten).
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import chain

from rapidfuzz import process as rf_process
from rapidfuzz.distance import JaroWinkler

from . import gazetteer as gz, lexicon, names
from .extract import COLLECTIVE, ArticleExtraction, Frame, Mention, fuzzy_country, is_venue_name
from .vocab import slugify

JUNK = {"defense", "defence", "state", "foreign", "ministry", "x", "president", "minister", "government"}
ROLE_OF = {"Meeting": "participant", "Agreement": "party", "Demand": "demander"}


# particles inside personal names, never used alone to refer to the person
NAME_PARTICLES = {"da", "de", "do", "dos", "das", "di", "du", "del", "della", "la", "le", "van", "von",
                  "der", "den", "ten", "bin", "ibn", "bint", "al", "el", "abu", "y", "mac", "st"}


@dataclass
class Node:
    key: str
    kind: str                  # actor | place
    type: str                  # Person | Organization | Country | City | Venue
    names: Counter = field(default_factory=Counter)   # surface name → count
    side: str | None = None    # key of the country this node belongs to or stands for
    within: str | None = None  # key of the place that contains this one
    slug: str = ""
    titled: set = field(default_factory=set)  # (title, name) pairs seen in the text

    @property
    def label(self) -> str:
        if self.type == "Country":
            c = lookup_country(self.names.most_common(1)[0][0]) if self.names else None
            c = c or _country_by_code(self.key.split(":", 1)[1]) if self.key.startswith("country:") else c
            if c:
                return c.name
        if self.type == "City":
            city = next((gz.lookup_city(n) for n in self.names if gz.lookup_city(n)), None)
            if city:
                return city.name
        if len(self.names) == 1:  # most nodes: the one name, whatever the order below
            return next(iter(self.names))
        full = self.type == "Person"  # a person is labelled by a full name when the text gives one
        spelled = self.type == "Organization"  # an organisation by its name rather than its acronym
        best = sorted(self.names.items(),
                      key=lambda kv: (-(full and len(kv[0].split()) > 1), spelled and names.is_acronym(kv[0]),
                                      -kv[1], -len(kv[0].split()), kv[0]))
        return best[0][0] if best else self.key


@dataclass
class Claim:
    """What one article says about one event (one or more frames of that article)."""
    article_id: str
    frames: list[Frame]
    roles: dict[str, list[str]]        # role → node keys
    venue: str | None = None
    place: str | None = None
    reported: str | None = None          # the article's anchor day (ISO), when it has one
    dateline_place: str | None = None    # the wire dateline's city: the place if no report gives one


@dataclass
class Event:
    key: str
    type: str
    claims: list[Claim] = field(default_factory=list)
    date: str | None = None
    slug: str = ""

    def role_nodes(self, role: str) -> list[str]:
        return list(dict.fromkeys(k for c in self.claims for k in c.roles.get(role, [])))

    @property
    def frames(self) -> list[Frame]:
        return [f for c in self.claims for f in c.frames]

    @property
    def topic(self) -> str:
        heads = Counter(f.head for f in self.frames if f.head)
        head = heads.most_common(1)[0][0] if heads else ""
        cands = [f.topic for f in self.frames if f.head == head and f.topic] or [f.topic for f in self.frames if f.topic]
        return min(cands, key=len) if cands else ""

    @property
    def head(self) -> str:
        heads = Counter(f.head for f in self.frames if f.head)
        return heads.most_common(1)[0][0] if heads else ""

    @property
    def status(self) -> str:
        return Counter(f.status for f in self.frames).most_common(1)[0][0]


@dataclass
class Resolution:
    nodes: dict[str, Node]
    denotes: dict[tuple[str, int], str]   # (article id, mention id) → node key
    events: list[Event]
    labels: dict[str, str] = field(default_factory=dict)  # node key → its label, worked out once (Node.label)


# ---------------------------------------------------------------------------------------------
def load_tables() -> None:
    """Load every table resolution and the graph writer look names up in (gazetteer, GeoNames
    ids, organisations, given names): ~1 s of data, read on first use otherwise. A process that
    loads the model to build loads them with it, so that its first build does not pay for them."""
    gz.lookup_city("")
    lookup_seat("")
    gz.lookup_demonym("")
    gz.is_listed_organization("")
    lookup_organization("")
    gz.city_geonames_id("", "")
    gz.country_geonames_id("")
    names.given_names_match("a", "b")


def resolve(extractions: list[ArticleExtraction]) -> Resolution:
    extractions = sorted(extractions, key=lambda e: e.article_id)
    r = _NodeResolver(extractions)
    events = _EventResolver(extractions, r).run()
    labels = _assign_slugs(r.nodes, events)
    return Resolution(r.nodes, r.denotes, events, labels)


class _NodeResolver:
    def __init__(self, extractions: list[ArticleExtraction]):
        self.nodes: dict[str, Node] = {}
        self.denotes: dict[tuple[str, int], str] = {}
        signatures = [list(map(mention_signature, ex.mentions)) for ex in extractions]
        self.person_votes = self._person_votes(Counter(chain.from_iterable(signatures)))
        # answers that depend on a mention's signature (mention_signature) and the corpus's
        # votes only, worked out once per signature: the corpus has ~3.5 mentions per signature
        self._place_memo: dict[tuple[str, str, bool], bool] = {}
        self._person_memo: dict[tuple, bool] = {}
        self._role_memo: dict[tuple, str | None] = {}
        self._key_memo: dict[tuple, str | None] = {}
        rest, aliased, sided = self._persons(extractions, signatures)
        for aid, m, sig, role in rest:  # every full name is bound by now, and no other name yet but singles
            if role is None or (aid, m.id) not in self.denotes:
                key = self._key(m, sig)
                if key:
                    self._bind(aid, m, key)
        self._join_other_names(aliased)
        self._venues()
        self._sides(sided)

    # -- typing ------------------------------------------------------------------------------
    def _person_votes(self, counts: Counter) -> Counter:
        """Evidence across all articles that a surface name is a person: NER votes, titles, and
        being the surname of a full name tagged PERSON. Summed per signature (`counts`: how many
        mentions have each), which is what a pass over every mention adds up."""
        votes: Counter = Counter()
        self.name_parts: set[str] = set()  # words of the corpus's multi-word person names
        for (text, label, _, titled), n in counts.items():
            key = gz.fold(text)
            full = label == "PERSON" and " " in key
            if label == "PERSON":
                votes[key] += n
                if full:
                    votes[key.split()[-1]] += n
                    self.name_parts.update(key.split())
            elif label in {"ORG", "GPE", "FAC", "LOC", "NORP"}:
                votes[key] -= n
            if titled:
                votes[key] += 2 * n
                if full:  # "President Jane Doe": 'Doe' is her
                    votes[key.split()[-1]] += 2 * n
        return votes

    def is_person(self, m: Mention, sig: tuple | None = None) -> bool:
        """Is the mention a person's name, by itself (`sig`: its signature, when known)?"""
        sig = sig or mention_signature(m)
        found = self._person_memo.get(sig)
        if found is None:
            found = self._person_memo[sig] = self._is_person(m)
        return found

    def _is_person(self, m: Mention) -> bool:
        if m.kind != "name" or self._place_or_country(m) or _capitals(m.text) or self._listed_organization(m):
            return False
        return self.person_votes[gz.fold(m.text)] > 0 or (m.label == "PERSON" and self.person_votes[gz.fold(m.text)] >= 0)

    def _listed_organization(self, m: Mention) -> bool:
        """A corporation or international body of the Phoenix dictionary is no person, unless a
        title or a full name of the corpus says so ('Ford' of 'Gerald Ford')."""
        return not m.title and gz.fold(m.text) not in self.name_parts and gz.is_listed_organization(m.text)

    def _place_or_country(self, m: Mention) -> bool:
        # asked for every mention; the answer depends on the name, label, title and the corpus's
        # names only, so it is worked out once per (name, label, title)
        key = (m.text, m.label, bool(m.title))
        if key not in self._place_memo:
            self._place_memo[key] = bool(
                lookup_country(m.text) or lookup_seat(m.text) or lookup_organization(m.text)
                or self._fuzzy_country(m) or (city := _city(m.text)) and self._is_city(m, city))
        return self._place_memo[key]

    def _is_city(self, m: Mention, city: gz.City) -> bool:
        if m.label == "PERSON":
            return self._city_not_person(m, city)
        if city.population >= 500_000:
            return True
        if m.label == "ORG" and city.population < 100_000:
            return False  # a small town's name NER calls an organisation is the organisation's
        return not self._person_word(m.text)  # the surname of a full name, not a town of that name

    def _fuzzy_country(self, m: Mention) -> gz.Country | None:
        """A misspelt country, never a person's surname ('Kenia' of 'Tom Kenia' is not Kenya)."""
        if m.label == "PERSON" or self._person_word(m.text) or lookup_organization(m.text):
            return None  # a known organisation ('Liberal', of the party) is no misspelt country ('Liberia')
        return fuzzy_country(m.text)

    def _person_word(self, text: str) -> bool:
        folded = gz.fold(text)
        return " " not in folded and folded in self.name_parts and self.person_votes[folded] > 0

    def _city_not_person(self, m: Mention, city: gz.City) -> bool:
        """A name NER calls a person that is a city's: the city when it is a big one, or when no
        full name in the corpus holds the word and no title goes with it ('Hereford said' is
        the council; 'Mr Hereford' is a man)."""
        return not m.title and not self._listed_organization(m) and (
            city.population >= 500_000 or " " not in m.text.strip() and gz.fold(m.text) not in self.name_parts)

    def _key(self, m: Mention, sig: tuple) -> str | None:
        """The node a mention (not a person's) denotes, made if new. Worked out once per
        signature (and group): a second call would make nothing new (the nodes it touches
        exist, and it sets their `side` and `within` to what the first call set, which nothing
        changes meanwhile)."""
        sig = (sig, m.group)
        if sig not in self._key_memo:
            self._key_memo[sig] = self._new_key(m)
        return self._key_memo[sig]

    def _new_key(self, m: Mention) -> str | None:
        text = m.text
        folded = gz.fold(text)
        if not folded or folded in JUNK or len(folded) < 2:
            return None
        if m.kind == "demonym":
            c = gz.lookup_demonym(text)
            return self._country(c) if c else None
        if m.kind == "group":  # one node per description, across articles
            return self._node(f"group:{gz.fold(m.group or text)}", "actor", "Group").key
        c = lookup_country(text)
        if c:
            return self._country(c)
        seat = lookup_seat(text)
        if seat:
            key = f"org:{folded}"
            self._node(key, "actor", "Organization").side = self._country(seat)
            return key
        org = lookup_organization(text)
        if org:
            return self._node(f"org:{gz.fold(org)}", "actor", "Organization").key
        if is_venue_name(text, m.label):
            return self._node(f"venue:{folded}", "place", "Venue").key
        city = _city(text)
        if city and self._is_city(m, city):
            key = f"city:{gz.fold(city.name)}:{city.country}"
            node = self._node(key, "place", "City")
            cc = _country_by_code(city.country)
            if cc:
                node.within = self._country(cc)
            return key
        c = self._fuzzy_country(m)
        if c:
            return self._country(c)
        if m.label in {"GPE", "LOC"}:
            return self._node(f"city:{folded}", "place", "City").key
        if m.label == "FAC":
            return self._node(f"venue:{folded}", "place", "Venue").key
        if m.label in {"ORG", "PERSON"} or m.label == "GAZ":
            return self._node(f"org:{folded}", "actor", "Organization").key
        return None

    def city(self, name: str) -> str | None:
        """The node of a gazetteer city named outside any mention (a wire dateline)."""
        city = gz.lookup_city(name)
        if city is None:
            return None
        key = f"city:{gz.fold(city.name)}:{city.country}"
        node = self._node(key, "place", "City")
        node.names[city.name] += 0
        cc = _country_by_code(city.country)
        if cc:
            node.within = self._country(cc)
        return key

    def _country(self, c: gz.Country) -> str:
        key = f"country:{c.code}"
        self._node(key, "actor", "Country").side = key
        return key

    def _node(self, key: str, kind: str, type_: str) -> Node:
        if key not in self.nodes:
            self.nodes[key] = Node(key, kind, type_)
        return self.nodes[key]

    def _bind(self, article_id: str, m: Mention, key: str) -> None:
        self.denotes[(article_id, m.id)] = key
        if m.kind in {"name", "group"}:
            self.nodes[key].names[m.text] += 1
            if m.title:
                self.nodes[key].titled.add((m.title, m.text))

    # -- people ------------------------------------------------------------------------------
    def _person_role(self, m: Mention, sig: tuple) -> str | None:
        """'full': a person's full name; 'single': a person's single name, or a name that is
        one if a full name says so; None: no person's. Once per signature (_persons)."""
        folded = gz.fold(m.text)
        if self.is_person(m, sig):
            role = "full" if len(folded.split()) >= 2 else "single"
        elif m.kind == "name" and " " not in folded and not self._place_or_country(m):
            role = "single"  # a person only if a full name says so
        else:
            role = None
        self._role_memo[sig] = role
        return role

    def _persons(self, extractions, signatures: list[list[tuple]]) -> tuple[list, list, list]:
        """Full names first (fuzzy on the surname, same first name), then single names: the full
        name with that surname in the same article, else the only one in the corpus (or the one it
        reports far more often), else a close
        spelling in the same article ('Smyth' next to 'John Smith'), else the only full name in the
        article holding that name as another part (family name first, 'Wang' of 'Wang Mei'; a
        name used alone from the middle of a long one)."""
        full, maybe_single, rest, aliased, sided = self._classify(extractions, signatures)
        people = _PersonIndex()
        # a name said again in one article is bound as it was the first time (nothing it reads
        # has changed meanwhile): worked out once per article and name
        clustered: dict[tuple[str, str], str] = {}
        for aid, m in full:
            key = clustered.get((aid, m.text))
            if key is None:
                key = clustered[(aid, m.text)] = self._full_name(people, aid, m.text)
            self._bind(aid, m, key)
        people.index_articles()
        decided: dict[tuple[str, tuple], str | None] = {}
        for aid, m, sig in maybe_single:
            if (aid, sig) in decided:
                key = decided[(aid, sig)]
            else:
                key = decided[(aid, sig)] = self._single_name(people, aid, m.text, sig)
            if key:
                self._bind(aid, m, key)
        return rest, aliased, sided

    def _full_name(self, people: _PersonIndex, aid: str, text: str) -> str:
        parts = gz.fold(text).split()
        first, last = parts[0], _surname(text) or parts[-1]  # "… Jr." folds to nothing: the last part
        found = people.full_name_cluster(first, last)
        if found is None:
            found = people.add(first, last, f"person:{'-'.join(parts)}")
            self._node(found["key"], "actor", "Person")
        found["articles"].add(aid)
        found["parts"].update(p for p in parts[:-1] if p not in NAME_PARTICLES and len(p) > 1)
        return found["key"]

    def _single_name(self, people: _PersonIndex, aid: str, text: str, sig: tuple) -> str | None:
        name = gz.fold(text)
        cands = people.single_name_candidates(aid, name)
        if not self._person_memo[sig] and not (len({c["key"] for c in cands}) == 1 and (
                aid in cands[0]["articles"] or cands[0]["last"] == name and self.person_votes[name] >= 0)):
            return None  # not a person by itself: only one full name (in its own article, or with
            # that surname and no more evidence against than for) makes it one
        if len({c["key"] for c in cands}) == 1:
            return cands[0]["key"]
        key = f"person:{name.replace(' ', '-')}"
        self._node(key, "actor", "Person")
        return key

    def _classify(self, extractions, signatures: list[list[tuple]]) -> tuple[list, ...]:
        """One pass over every mention, in order: the full names and maybe-single names of people
        (_persons binds them), the others (in order, for _key), the mentions that give another
        name (_join_other_names) and those that vote for a person's side (_sides): the later
        passes look at those only, not at every mention again."""
        roles = self._role_memo
        for sig, m in dict(zip(chain.from_iterable(signatures), chain.from_iterable(ex.mentions for ex in extractions))).items():
            self._person_role(m, sig)  # any mention of a signature answers for all of them
        full: list[tuple[str, Mention]] = []
        maybe_single: list[tuple[str, Mention, tuple]] = []
        rest: list[tuple[str, Mention, tuple, str | None]] = []
        aliased: list[tuple[str, Mention]] = []
        sided: list[tuple[str, Mention]] = []
        for ex, sigs in zip(extractions, signatures):
            aid = ex.article_id
            for m, sig in zip(ex.mentions, sigs):
                role = roles[sig]
                if role == "full":
                    full.append((aid, m))
                else:
                    if role:
                        maybe_single.append((aid, m, sig))
                    rest.append((aid, m, sig, role))
                if m.alias_of is not None:
                    aliased.append((aid, m))
                if m.side_votes or m.employer is not None:
                    sided.append((aid, m))
        return full, maybe_single, rest, aliased, sided

    # -- other names of one actor ------------------------------------------------------------
    def _join_other_names(self, aliased: list[tuple[str, Mention]]) -> None:
        """Nodes that are one actor under other names: a name the text gives as another name of
        a mention ('(PCS)', 'also known as'), in its article and wherever else it is used (when
        the corpus gives it one meaning); organisations whose names share a key of
        `names.org_keys`; an acronym and the corpus's only long form with its initials."""
        parent: dict[str, str] = {}

        def find(k: str) -> str:
            while parent.get(k, k) != k:
                parent[k] = parent.get(parent[k], parent[k])
                k = parent[k]
            return k

        def union(into: str, other: str) -> None:
            a, b = find(into), find(other)
            if a != b and self._joinable(a, b):
                if self.nodes[b].type == "Country":
                    a, b = b, a
                parent[b] = a

        long_of: dict[str, set[str]] = defaultdict(set)  # another name → the nodes it renames
        for aid, m in aliased:  # the mentions with an alias_of, in order
            long = self.denotes.get((aid, m.alias_of))
            short = self.denotes.get((aid, m.id))
            if long and short:
                union(long, short)
                long_of[gz.fold(m.text)].add(long)
        actors = [n for n in self.nodes.values() if n.kind == "actor"]
        bearers: dict[str, set[str]] = defaultdict(set)
        for node in actors:
            for name in node.names:
                bearers[gz.fold(name)].add(node.key)
        for short, longs in long_of.items():
            if len({find(k) for k in longs}) == 1:
                for k in bearers[short]:
                    union(next(iter(longs)), k)
        orgs = sorted((n for n in actors if n.type == "Organization"), key=lambda n: (-sum(n.names.values()), n.key))
        by_key: dict[str, str] = {}
        for node in orgs:
            for key in sorted({k for name in node.names for k in _org_keys(name)}):
                if key in by_key:
                    union(by_key[key], node.key)
                else:
                    by_key[key] = node.key
        long_forms: dict[str, list[tuple[str, list[str], str]]] = defaultdict(list)  # initials → (node, words, plain initials)
        for node in orgs:
            for name in node.names:
                if " " in name:
                    words = name.split()
                    for key in _initials_keys(name):
                        long_forms[key].append((node.key, words, _plain_initials(name)))
        for node in orgs:  # an acronym used without its definition, from another article
            for name in node.names:
                letters = _acronym_letters(name)
                if letters is not None and len(letters) >= 3:
                    fits = {find(k) for key in _acronym_keys(name) for k, words, plain in long_forms.get(key, ())
                            if plain == letters and names.initials_match(name, words)}
                    if len(fits) == 1:
                        union(next(iter(fits)), node.key)
        self._merge_into({k: find(k) for k in list(self.nodes) if find(k) != k})

    def _joinable(self, a: str, b: str) -> bool:
        na, nb = self.nodes[a], self.nodes[b]
        return na.kind == nb.kind == "actor" and not (na.type == nb.type == "Country")

    def _merge_into(self, moves: dict[str, str]) -> None:
        for old, new in moves.items():
            src, dst = self.nodes.pop(old), self.nodes[new]
            dst.names.update(src.names)
            dst.titled |= src.titled
            dst.side = dst.side or src.side
        if moves:
            for k, v in self.denotes.items():
                if v in moves:
                    self.denotes[k] = moves[v]

    # -- venues ------------------------------------------------------------------------------
    def _venues(self) -> None:
        """'Hofburg palace' and 'Hofbourg Palace' are one venue: same kind of building, close name."""
        venues = [n for n in self.nodes.values() if n.type == "Venue"]
        venues.sort(key=lambda n: -sum(n.names.values()))
        # only venues of one kind of building (the same last word) can merge, and every name a
        # venue gathers ends in that word: compare within each kind only
        kinds: dict[str, list[Node]] = defaultdict(list)
        for v in venues:
            kinds[gz.fold(v.label).split()[-1]].append(v)
        merged: dict[str, str] = {}
        for group in kinds.values():
            for i, a in enumerate(group):
                if a.key in merged:
                    continue
                for b in group[i + 1:]:
                    if b.key in merged:
                        continue
                    wa, wb = gz.fold(a.label).split(), gz.fold(b.label).split()
                    if wa[-1] == wb[-1] and _close(" ".join(wa[:-1]), " ".join(wb[:-1]), 0.85):
                        merged[b.key] = a.key
                        a.names.update(b.names)
        for old in merged:
            del self.nodes[old]
        if merged:  # one pass over the mentions, not one per merged venue
            for k, v in self.denotes.items():
                if v in merged:
                    self.denotes[k] = merged[v]

    # -- sides -------------------------------------------------------------------------------
    def _sides(self, sided: list[tuple[str, Mention]]) -> None:
        """`sided`: the mentions with side votes or an employer, in order (no other votes)."""
        votes: dict[str, Counter] = defaultdict(Counter)
        employers: dict[str, Counter] = defaultdict(Counter)  # people who speak for an organisation
        for aid, m in sided:
            key = self.denotes.get((aid, m.id))
            if not key or self.nodes[key].type != "Person":
                continue
            for name in m.side_votes:
                c = lookup_country(name)
                if c:
                    votes[key][self._country(c)] += 1
            org = self.denotes.get((aid, m.employer)) if m.employer is not None else None
            if org and self.nodes[org].type == "Organization":
                employers[key][org] += 1
        for key, node in self.nodes.items():
            if node.type == "Person" and votes[key]:
                node.side = votes[key].most_common(1)[0][0]
            elif node.type == "Person" and employers[key]:
                node.side = employers[key].most_common(1)[0][0]
            elif node.type == "City" and node.within and node.within.startswith("country:"):
                node.side = node.within

    def side(self, key: str) -> str:
        return self.nodes[key].side or key


DOMINANT_RATIO = 3  # a surname used alone is the person of that surname reported this much more often


def _dominant(clusters: list[dict]) -> list[dict]:
    """The full names a bare surname from another article may be: the one the corpus reports in
    three times as many articles as any other of that surname ('Smith' is the much-reported Jane
    Smith, not her brother named once), else all of them."""
    if len(clusters) < 2:
        return clusters
    ranked = sorted(clusters, key=lambda c: -len(c["articles"]))
    if len(ranked[0]["articles"]) >= DOMINANT_RATIO * len(ranked[1]["articles"]):
        return ranked[:1]
    return clusters


@lru_cache(maxsize=65536)
def _surname(name: str) -> str:
    """The folded last word of a full name: a double-barrelled surname is one ('Day-Lewis'), but
    an article joined to a surname is not part of it ('al-Rashid' is 'rashid'), nor the first
    syllables of a hyphenated given name ('Pak Song-il' is 'il', as 'Pak Song Il')."""
    last = name.split()[-1]
    pieces = [p for p in last.split("-") if p]
    if len(pieces) < 2 or any(not p[:1].isupper() or len(p) < 4 for p in pieces[1:]):
        return gz.fold(last).split()[-1] if gz.fold(last) else ""
    parts = gz.fold(last).split()
    while len(parts) > 1 and parts[0] in NAME_PARTICLES:
        parts = parts[1:]
    return " ".join(parts)


# pure lookups that typing and keying ask of the same names many times in a run: answered once per name
_country_by_code = lru_cache(maxsize=None)(gz.country_by_code)  # a scan of every country per call
# the gazetteer's own lookups, memoised here (not in kg/gazetteer.py: its source is part of the
# extractor version, and a change there re-parses every store); the graph writer asks them too
lookup_organization = lru_cache(maxsize=65536)(gz.lookup_organization)
lookup_country = lru_cache(maxsize=65536)(gz.lookup_country)
lookup_seat = lru_cache(maxsize=65536)(gz.lookup_seat)


# names' keys for joining organisations (_join_other_names), answered once per name
_org_keys = lru_cache(maxsize=65536)(lambda name: frozenset(names.org_keys(name)))
_initials_keys = lru_cache(maxsize=65536)(lambda name: frozenset(names.initials_keys(name.split())))
_plain_initials = lru_cache(maxsize=65536)(lambda name: names.plain_initials(name.split()))
_acronym_keys = lru_cache(maxsize=65536)(lambda name: frozenset(names.acronym_keys(name)))


@lru_cache(maxsize=65536)
def _acronym_letters(name: str) -> str | None:
    """An acronym's letters; None for a name that is none."""
    return names.acronym_letters(name) if names.is_acronym(name) else None


def mention_signature(m: Mention) -> tuple[str, str, str, bool]:
    """What typing a mention reads of it: two mentions with one signature are typed alike."""
    return m.text, m.label, m.kind, bool(m.title)


@lru_cache(maxsize=65536)
def _capitals(name: str) -> bool:
    """'BAA', 'MI6', 'MPs': capitals (and digits) are an organisation or a group, never a person."""
    return bool(re.fullmatch(r"[A-Z][A-Z0-9&]+s?", name.strip())) and sum(c.isupper() for c in name) >= 2


def _city(name: str) -> gz.City | None:
    """The gazetteer's city of that name; an acronym is none ('AB' is an organisation, not the
    village of Ab)."""
    return None if names.is_acronym(name) else gz.lookup_city(name)


class _PersonIndex:
    """Full-name clusters of people, indexed (blocked) so that each lookup compares a name with
    the few clusters it could join, not with every cluster: by first name, by article, by exact
    surname, and for near spellings by the surname's first letter and length and by its
    transliteration skeleton. Lookups answer exactly what a scan of all clusters in creation
    order would; only the work differs."""

    def __init__(self) -> None:
        self.clusters: list[dict] = []  # {n, first, last, parts, key, articles}, in creation order
        self.by_given: dict[str, _Bucket] = defaultdict(_Bucket)  # given-name key → its clusters by surname
        self.by_last: dict[str, list[dict]] = defaultdict(list)
        self.by_article: dict[str, list[dict]] = defaultdict(list)
        self.lasts_by_block: dict[tuple[str, int], list[str]] = defaultdict(list)  # (initial, length) → surnames
        self.lasts_by_skeleton: dict[str, set[str]] = defaultdict(set)
        self._near: dict[str, list[str]] = {}
        self._same_block: dict[tuple[str, int], list[str]] = {}  # (initial, length) → surnames to score
        self._cluster_of: dict[tuple[str, str], dict] = {}  # (first, last) → its full_name_cluster
        self._candidates: dict[tuple[str, str], list[dict]] = {}  # (article, name) → single_name_candidates

    def add(self, first: str, last: str, key: str) -> dict:
        cluster = {"n": len(self.clusters), "first": first, "last": last, "key": key, "articles": set(),
                   "parts": set()}
        self.clusters.append(cluster)
        self._cluster_of.setdefault((first, last), cluster)  # it is its own name's first match
        for k in given_blocking_keys(first):
            self.by_given[k].add(last, cluster)
        if last not in self.by_last:
            self._same_block.clear()
            self.lasts_by_block[(last[0], len(last))].append(last)
            self.lasts_by_skeleton[skeleton(last)].add(last)
        self.by_last[last].append(cluster)
        return cluster

    def full_name_cluster(self, first: str, last: str) -> dict | None:
        """The first cluster (in creation order) whose given name matches (the same, a
        transliteration, a short or pet form: names.given_names_match) and whose surname is close:
        looked up among the clusters that share a given-name key (given_blocking_keys) and whose
        surname may be close (_Bucket.near).

        Asked once per (first, last): clusters are only ever added, at the end of the order, so
        the first match found stays the first match; a name that matched none is then matched
        by the cluster `add` made of it."""
        if (first, last) in self._cluster_of:
            return self._cluster_of[(first, last)]
        cands = {id(c): c for k in given_blocking_keys(first) if k in self.by_given
                 for c in self.by_given[k].near(last)}
        found = next((c for c in sorted(cands.values(), key=lambda c: c["n"])
                      if names.given_names_match(c["first"], first) and _close(c["last"], last, 0.92)), None)
        if found is not None:
            self._cluster_of[(first, last)] = found
        return found

    def index_articles(self) -> None:
        """Once every full name is in: the clusters of each article, in creation order."""
        for c in self.clusters:
            for aid in c["articles"]:
                self.by_article[aid].append(c)

    def single_name_candidates(self, aid: str, name: str) -> list[dict]:
        """The full-name clusters a single name may stand for, in order of preference: the
        surname in the same article, the surname anywhere, a close spelling in the same article,
        a close spelling anywhere, another part of a name in the same article. Asked once the
        index is complete, so once per (article, name)."""
        if (aid, name) not in self._candidates:
            self._candidates[(aid, name)] = self._single_name_candidates(aid, name)
        return self._candidates[(aid, name)]

    def _single_name_candidates(self, aid: str, name: str) -> list[dict]:
        same_article = self.by_article.get(aid, [])
        return [c for c in same_article if c["last"] == name] or \
            _dominant(list(self.by_last.get(name, []))) or \
            [c for c in same_article if c["last"][:1] == name[:1] and _close(c["last"], name, 0.85)] or \
            sorted((c for last in self.near_surnames(name) for c in self.by_last[last]), key=lambda c: c["n"]) or \
            [c for c in same_article if name in c["parts"]]

    def near_surnames(self, name: str) -> list[str]:
        """Surnames of clusters with the same first letter within Jaro-Winkler 0.92 of `name`, or
        with its transliteration skeleton. Jaro-Winkler ≥ 0.92 needs Jaro ≥ 0.867 (the prefix bonus
        adds at most 0.4·(1 − Jaro)), which needs the shorter name to be ≥ 0.6 of the longer:
        only those length blocks are compared."""
        if name in self._near:
            return self._near[name]
        found: set[str] = set()
        if len(name) >= 3:
            scored = rf_process.extract(name, self._length_block(name[0], len(name)), scorer=JaroWinkler.similarity,
                                        score_cutoff=0.91, limit=None)
            found.update(last for last, _, _ in scored)
            found.update(last for last in self.lasts_by_skeleton.get(skeleton(name), ()) if last[0] == name[0])
        self._near[name] = out = [last for last in found if _close(last, name, 0.92)]
        return out

    def _length_block(self, initial: str, length: int) -> list[str]:
        """The surnames with that initial whose length is within the bounds of near_surnames."""
        if (initial, length) not in self._same_block:
            low, high = math.ceil(length * 0.6) - 1, math.floor(length / 0.6) + 1
            self._same_block[(initial, length)] = [last for n in range(max(3, low), high + 1)
                                                   for last in self.lasts_by_block.get((initial, n), ())]
        return self._same_block[(initial, length)]


@lru_cache(maxsize=65536)
def given_blocking_keys(name: str) -> frozenset[str]:
    """Keys that any two given names `names.given_names_match` joins share one of: the same
    folded name, the same skeleton, the first three letters (a short form of three or more
    letters begins the long one), a listed pet-name group. Finer than the first letter
    (names.given_name_keys), so a full name is compared with a few clusters, not a letter's."""
    folded = gz.fold(name)
    keys = {"=" + folded, "s:" + skeleton(folded)} | ({"p:" + folded[:3]} if len(folded) >= 3 else set())
    return frozenset(keys | {k for k in names.given_name_keys(name) if k.startswith("g")})


class _Bucket:
    """The clusters of one given-name key, by surname: `near` finds those whose surname may be
    `_close` at 0.92 (the same, the same skeleton, or Jaro-Winkler >= 0.92, scored in C)."""

    def __init__(self) -> None:
        self.lasts: list[str] = []
        self.clusters: dict[str, list[dict]] = {}
        self.by_skeleton: dict[str, list[str]] = defaultdict(list)

    def add(self, last: str, cluster: dict) -> None:
        if last not in self.clusters:
            self.lasts.append(last)
            self.clusters[last] = []
            self.by_skeleton[skeleton(last)].append(last)
        self.clusters[last].append(cluster)

    def near(self, last: str) -> list[dict]:
        found = {x for x, _, _ in rf_process.extract(last, self.lasts, scorer=JaroWinkler.similarity,
                                                      score_cutoff=0.91, limit=None)}
        found.update(self.by_skeleton.get(skeleton(last), ()))
        found.add(last)
        return [c for x in found for c in self.clusters.get(x, ())]


def _close(a: str, b: str, threshold: float) -> bool:
    """Two spellings of one name. A name that another begins with and that lacks three or more
    of its letters is another name, not a misspelling ('Marsh'/'Marshall')."""
    if a == b:
        return True
    if len(a) < 3 or len(b) < 3:
        return False
    if not (JaroWinkler.similarity(a, b) >= threshold or skeleton(a) == skeleton(b)):
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return not (long.startswith(short) and len(long) - len(short) >= 3)


# Spellings that transliterations of one name swap for each other (Persian and Arabic q/gh, Slavic
# y/i/j, doubled letters): 'Araghchi'/'Araqchi', 'Shoigu'/'Shoygu', 'Aliyev'/'Aliev'.
_TRANSLIT = (("kh", "h"), ("gh", "k"), ("q", "k"), ("ck", "k"), ("dh", "d"), ("th", "t"), ("ph", "f"),
             ("ou", "u"), ("w", "v"), ("y", "i"), ("j", "i"))


@lru_cache(maxsize=65536)
def skeleton(name: str) -> str:
    """A folded name reduced to what its transliterations share."""
    out = name.replace("-", " ")
    for a, b in _TRANSLIT:
        out = out.replace(a, b)
    out = re.sub(r"(?<=[aeiou])i(?=[aeiou])", "", out)  # 'Tokayev' / 'Tokaev'
    return re.sub(r"(.)\1+", r"\1", out)  # doubled letters


# ---------------------------------------------------------------------------------------------
class _EventResolver:
    def __init__(self, extractions: list[ArticleExtraction], nodes: _NodeResolver):
        self.extractions = extractions
        self.r = nodes
        self.events: list[Event] = []

    def run(self) -> list[Event]:
        self._by_side: dict[tuple[str, str], list[int]] = defaultdict(list)  # (type, side) → event numbers
        for ex in self.extractions:
            if ex.leisure:
                continue  # a match report's "X should…" is not diplomacy
            claims = self._article_claims(ex)
            for ev_type, claim in claims:
                self._place_claim(ev_type, claim)
        for ev in self.events:
            ev.date = _consensus_date(ev)
            if not any(c.place or c.venue for c in ev.claims):  # no report names the place: the dateline's
                for c in ev.claims:
                    c.place = c.dateline_place
        self.events = [e for e in self.events if any(e.role_nodes(ROLE_OF[e.type]))
                       and (e.type != "Meeting" or len(self._parties(e.role_nodes("participant"))) >= 2
                            or _gathering(e) or self._members_met(e))
                       and (e.type != "Agreement" or len(self._parties(e.role_nodes("party"))) >= 2
                            or any(f.multilateral for f in e.frames))]
        return self.events

    def _members_met(self, ev: Event) -> bool:
        """'An Andean Union meeting in Quito': an organisation's meeting, placed, is a meeting of its members."""
        parties = self._parties(ev.role_nodes("participant"))
        stated = any(c.venue or c.place and c.place != c.dateline_place for c in ev.claims)  # not the dateline's
        return len(parties) == 1 and self.r.nodes[next(iter(parties))].type == "Organization" and stated

    def _parties(self, keys: list[str]) -> set[str]:
        """Distinct parties: a person whose country is also listed is that country's side, not a
        second party. A meeting needs two ('Meeting: Chile' is a mention, not a meeting)."""
        keys = set(keys)
        return {k for k in keys if self.r.side(k) == k or self.r.side(k) not in keys}

    def _roles(self, ex: ArticleExtraction, f: Frame, main: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for role, ids in f.roles.items():
            keys: list[str] = []
            for i in ids:
                if i == COLLECTIVE:
                    keys += main
                else:
                    k = self.r.denotes.get((ex.article_id, i))
                    if k and self.r.nodes[k].kind == "actor" or k and self.r.nodes[k].type == "City":
                        keys.append(k)
            out[role] = list(dict.fromkeys(keys))
        return out

    def _first_node(self, ex: ArticleExtraction, ids: list[int], kinds: set[str]) -> str | None:
        for i in ids:
            k = self.r.denotes.get((ex.article_id, i))
            if k and self.r.nodes[k].type in kinds:
                return k
        return None

    def _article_claims(self, ex: ArticleExtraction) -> list[tuple[str, Claim]]:
        """Frames of one article grouped into claims; 'the talks' and 'both sides' point to the
        article's main meeting: the first held meeting with two or more sides."""
        meetings = [f for f in ex.frames if f.type == "Meeting" and not f.definite]
        main_frame = None
        held: list[tuple[int, list[str]]] = []  # where each meeting of named sides is told, and its sides
        for f in meetings:
            roles = self._roles(ex, f, [])
            sides = {self.r.side(k) for k in roles.get("participant", [])}
            if len(sides) >= 2 and f.status == "Held":
                main_frame = main_frame or f
                held.append((f.sent_start, roles["participant"]))
        main = self._roles(ex, main_frame, [])["participant"] if main_frame else []
        if not main:  # no meeting named its sides: the first agreement between named sides did
            for f in ex.frames:
                if f.type == "Agreement" and COLLECTIVE not in f.roles.get("party", []):
                    parties = self._roles(ex, f, [])["party"]
                    if len({self.r.side(k) for k in parties}) >= 2:
                        main = parties
                        break
        claims: list[tuple[str, Claim]] = []
        main_claim: Claim | None = None
        for f in ex.frames:
            if f.type == "Meeting" and (f.definite or f is main_frame):
                if not main:
                    continue
                if f.definite and main_frame is not None and f.trigger.lower() in GATHERING_NOUNS \
                        and main_frame.trigger.lower() not in GATHERING_NOUNS:
                    continue  # "the Oslo conference" after "X held talks with Y": another, wider meeting
                if main_claim is None:
                    main_claim = Claim(ex.article_id, [], {"participant": list(main)}, reported=ex.anchor_date)
                    claims.append(("Meeting", main_claim))
                main_claim.frames.append(f)
                self._claim_places(ex, main_claim, f)
                continue
            # "They met on Monday. Both sides agreed…": the sides of the meeting told just before
            # (this sentence or the one before), else of the article's main meeting
            here = ex.sentence_no(f.sent_start)
            before = [parts for start, parts in held if 0 <= here - ex.sentence_no(start) <= 1]
            roles = self._roles(ex, f, before[-1] if f.type == "Agreement" and before else main)
            if f.type == "Agreement" and COLLECTIVE in f.roles.get("party", []) and len(f.roles["party"]) > 1:
                # "X agreed to Y": the other side is the talks' other party, if X was in the talks
                named = self._roles(ex, f, [])["party"]
                if not {self.r.side(k) for k in named} & {self.r.side(k) for k in main}:
                    roles["party"] = named
            if not roles.get(ROLE_OF[f.type]):
                continue
            if f.type == "Agreement" and f.definite:  # "signed the deal": the deal named before
                earlier = next((c for t, c in reversed(claims) if t == "Agreement"
                                and self._sides(c, "party") & {self.r.side(k) for k in roles["party"]}), None)
                if earlier is not None:
                    earlier.frames.append(f)
                    earlier.roles["party"] = list(dict.fromkeys(earlier.roles["party"] + roles["party"]))
                continue
            claim = Claim(ex.article_id, [f], roles, reported=ex.anchor_date)
            self._claim_places(ex, claim, f)
            # frames of the same event within one article join one claim
            for t, other in claims:
                if t == f.type and other is not main_claim and (self._compatible(f.type, other, claim)
                                                                or self._restated(ex, other, claim)):
                    other.frames.append(f)
                    for role, keys in roles.items():
                        other.roles[role] = list(dict.fromkeys(other.roles.get(role, []) + keys))
                    other.venue = other.venue or claim.venue
                    other.place = other.place or claim.place
                    break
            else:
                claims.append((f.type, claim))
        self._deal_places(ex, [c for t, c in claims if t == "Meeting"], [c for t, c in claims if t == "Agreement"])
        self._dateline_places(ex, [c for t, c in claims if t == "Meeting"])
        self._visit_places(ex, [c for t, c in claims if t == "Meeting"])
        return claims

    def _deal_places(self, ex: ArticleExtraction, meetings: list[Claim], deals: list[Claim]) -> None:
        """'…reached a deal after 17 hours of negotiations. Under the agreement in Lima…': talks the
        article tells without a place are where the same sides made their deal."""
        for meeting in meetings:
            if meeting.place or meeting.venue:
                continue
            sides = self._sides(meeting, "participant")
            placed = [d for d in deals if d.place and len(sides & self._sides(d, "party")) >= 2]
            if len({d.place for d in placed}) == 1:
                meeting.place = placed[0].place

    def _visit_places(self, ex: ArticleExtraction, meetings: list[Claim]) -> None:
        """'X, visiting Quito, …': X's meetings that the article tells without a place are in
        the visited city (only when the article names one visit of X's)."""
        visited: dict[str, set[str]] = defaultdict(set)
        for visitor, place in ex.visits:
            who, where = self.r.denotes.get((ex.article_id, visitor)), self.r.denotes.get((ex.article_id, place))
            if who and where and self.r.nodes[where].type == "City":
                visited[who].add(where)
        for claim in meetings:
            if claim.place or claim.venue or claim.dateline_place:
                continue
            places = {p for k in claim.roles.get("participant", []) for p in visited.get(k, ())}
            if len(places) == 1:
                claim.dateline_place = places.pop()  # a default: a report that names a place wins

    def _dateline_places(self, ex: ArticleExtraction, meetings: list[Claim]) -> None:
        """'WASHINGTON — …': a meeting the lead reports without a place is in the dateline's city."""
        if not ex.dateline:
            return
        name, story = ex.dateline
        lead = [s for s in ex.sentences if s[1] > story][:2]
        if not lead:
            return
        key = None
        for claim in meetings:
            if claim.place or claim.venue:
                continue
            in_lead = any(f.sent_start < lead[-1][1] for f in claim.frames)
            if not in_lead and _status(claim) != "Held":
                continue  # further down, only what was held: a plan may be for elsewhere
            key = key or self.r.city(name)
            claim.dateline_place = key

    def _claim_places(self, ex: ArticleExtraction, claim: Claim, f: Frame) -> None:
        venue = self._first_node(ex, f.venue, {"Venue"}) or self._seat_venue(ex, f.venue)
        # a city the gazetteer knows (it lies within a country) beats a name it does not
        known = [i for i in f.place if (k := self.r.denotes.get((ex.article_id, i))) and self.r.nodes[k].within]
        place = self._first_node(ex, known + f.place, {"City", "Country"})
        claim.venue = claim.venue or venue
        claim.place = claim.place or place
        if venue and place and self.r.nodes[place].type == "City":
            self.r.nodes[venue].within = self.r.nodes[venue].within or place

    def _seat_venue(self, ex: ArticleExtraction, ids: list[int]) -> str | None:
        """A seat of government as the venue ('the Elysee talks'): the building, a place
        in the capital, beside the government it stands for (an actor node of its own)."""
        for i in ids:
            m = ex.mentions[i]  # mention ids are their positions (extract sorts and numbers them)
            country = lookup_seat(m.text)
            if country is None:
                continue
            node = self.r._node(f"venue:{gz.fold(m.text)}", "place", "Venue")
            node.names[m.text] += 1
            capital = gz.capital_of(country.code)
            node.within = node.within or (self.r.city(capital) if capital else None)
            return node.key
        return None

    # -- clustering --------------------------------------------------------------------------
    def _place_claim(self, ev_type: str, claim: Claim) -> None:
        """Join the first event (in creation order) that takes the claim, else start one. Only
        events sharing a side with the claim can take it (no compatible claim shares none), so
        only those are looked at."""
        sides = self._sides(claim, ROLE_OF[ev_type])
        for number in sorted({n for side in sides for n in self._by_side[(ev_type, side)]}):
            ev = self.events[number]
            if not any(self._compatible(ev_type, c, claim) for c in ev.claims):
                continue
            if ev_type == "Meeting" and not all(self._places_compatible(c, claim) for c in ev.claims):
                continue  # one meeting is in one place, whichever claim we compare with
            if not all(_times_compatible(c, claim) for c in ev.claims):
                continue  # nor is one event reported weeks apart without a date that says so
            ev.claims.append(claim)
            self._index(number, ev_type, sides)
            return
        self.events.append(Event(f"{ev_type}:{len(self.events)}", ev_type, [claim]))
        self._index(len(self.events) - 1, ev_type, sides)

    def _index(self, number: int, ev_type: str, sides: set[str]) -> None:
        for side in sides:
            bucket = self._by_side[(ev_type, side)]
            if not bucket or bucket[-1] != number:
                bucket.append(number)

    def _sides(self, claim: Claim, role: str) -> set[str]:
        return {self.r.side(k) for k in claim.roles.get(role, [])}

    def _compatible(self, ev_type: str, a: Claim, b: Claim) -> bool:
        role = ROLE_OF[ev_type]
        sa, sb = self._sides(a, role), self._sides(b, role)
        if not sa or not sb:
            return False
        if not _times_compatible(a, b):
            return False
        if a.article_id != b.article_id and not (_when(a) and _when(b)) and self._other_people(a, b, role):
            return False  # undated, same countries, but not one person in common: another time
        if ev_type == "Meeting":
            if not self._places_compatible(a, b):
                return False
            overlap = len(sa & sb) / len(sa | sb)
            if _status(a) != _status(b) and (a.article_id == b.article_id or overlap < 1):
                return False  # "will meet X" in one report and "met X" in a later one: one meeting
            if overlap > 0.5:
                return True
            # one report names a single party (and perhaps a described group): it joins the
            # meeting of that party at the same place and time ('met with European leaders')
            fa, fb = self._named_sides(sa), self._named_sides(sb)
            small, big = (fa, fb) if len(fa) <= len(fb) else (fb, fa)
            placed = bool(self._leaf(a) and self._leaf(b))  # both placed, compatibly (checked above)
            return placed and len(small) == 1 and small <= big
        if not sa & sb:
            return False
        ha, hb = _heads(a), _heads(b)
        ca, cb = _concepts(a), _concepts(b)
        return bool(ha & hb) or bool(ha & cb and hb & ca)

    def _restated(self, ex: ArticleExtraction, a: Claim, b: Claim) -> bool:
        """News restates a demand in the next sentence in other words ('urged X not to go soft…
        insisted Europe must stand firm'): the same demander, one sentence apart, is one demand."""
        if a.frames[0].type != "Demand" or self._sides(a, "demander") != self._sides(b, "demander"):
            return False
        return any(abs(ex.sentence_no(fa.sent_start) - ex.sentence_no(fb.sent_start)) <= 1
                   for fa in a.frames for fb in b.frames)

    def _other_people(self, a: Claim, b: Claim, role: str) -> bool:
        people = [{k for k in c.roles.get(role, []) if self.r.nodes[k].type == "Person"} for c in (a, b)]
        return bool(people[0] and people[1]) and not people[0] & people[1]

    def _named_sides(self, sides: set[str]) -> set[str]:
        return {k for k in sides if k not in self.r.nodes or self.r.nodes[k].type != "Group"}

    def _unlocated(self, c: Claim) -> bool:
        """A place the gazetteer cannot put anywhere ('the Ballymena G8 summit'): it cannot
        contradict another place, only fail to confirm it."""
        leaf = self._leaf(c)
        node = self.r.nodes.get(leaf) if leaf else None
        return node is not None and node.type == "City" and not node.within \
            and not any(gz.lookup_city(n) or lookup_country(n) for n in node.names)

    def _places_compatible(self, a: Claim, b: Claim) -> bool:
        pa, pb = self._place_chain(a), self._place_chain(b)
        if self._unlocated(a) or self._unlocated(b):
            return True
        return not pa or not pb or bool(pa & pb) and (pa <= pb or pb <= pa or self._leaf(a) in pb or self._leaf(b) in pa)

    def _leaf(self, c: Claim) -> str | None:
        return c.venue or c.place

    def _place_chain(self, c: Claim) -> set[str]:
        out, cur = set(), c.venue or c.place
        while cur and cur not in out:
            out.add(cur)
            cur = self.r.nodes[cur].within if cur in self.r.nodes else None
        if c.place:
            out.add(c.place)
            nxt = self.r.nodes[c.place].within
            if nxt:
                out.add(nxt)
        return out


GATHERING_NOUNS = lexicon.words("gathering_nouns")


def _gathering(ev: Event) -> bool:
    """A summit or conference has many parties even when an article names only one of them."""
    return any(f.trigger.lower() in GATHERING_NOUNS for f in ev.frames)


def _status(c: Claim) -> str:
    return Counter(f.status for f in c.frames).most_common(1)[0][0]


def _heads(c: Claim) -> set[str]:
    return {f.head for f in c.frames if f.head}


def _concepts(c: Claim) -> set[str]:
    return {x for f in c.frames for x in f.concepts} | _heads(c)


def _dates(c: Claim) -> set[str]:
    return {f.date for f in c.frames if f.date}


REPORT_WINDOW_DAYS = 7  # how far apart two reports of one event without a stated day may be


def _when(c: Claim) -> set[str]:
    """The days a claim is known by: its stated dates, else its article's date."""
    return _dates(c) or ({c.reported} if c.reported else set())


def _times_compatible(a: Claim, b: Claim) -> bool:
    """Claims without a stated day can be one event only if their articles report within a week
    of each other, or of the day the other claim states; claims with days must share one."""
    da, db = _dates(a), _dates(b)
    if da and db:
        return bool(da & db)
    days_a = da or ({a.reported} if a.reported else set())
    days_b = db or ({b.reported} if b.reported else set())
    if not days_a or not days_b:
        return True  # an article with no date at all: nothing to compare
    return any(abs((date.fromisoformat(x) - date.fromisoformat(y)).days) <= REPORT_WINDOW_DAYS
               for x in days_a for y in days_b)


def _consensus_date(ev: Event) -> str | None:
    votes = Counter(f.date for f in ev.frames if f.date)
    return votes.most_common(1)[0][0] if votes else None


def _assign_slugs(nodes: dict[str, Node], events: list[Event]) -> dict[str, str]:
    """Slugs for nodes and events; the nodes' labels (they are made from them), by key."""
    used: set[str] = set()
    labels: dict[str, str] = {}
    for key in sorted(nodes, key=lambda k: (-sum(nodes[k].names.values()), k)):
        node = nodes[key]
        labels[key] = node.label
        node.slug = _unique(_slugify(labels[key]), used, node.kind)
    for ev in events:
        parts = [ev.type.lower(), ev.date or "undated"]
        role = ROLE_OF[ev.type]
        names = sorted({nodes[k].slug for k in ev.role_nodes(role)})[:3]
        topic = ev.head.lower() if ev.type != "Meeting" else ""
        ev.slug = _unique("-".join(parts + names + ([topic] if topic else [])), used, "event")
    return {key: labels[key] for key in nodes}  # in the nodes' order


_slugify = lru_cache(maxsize=65536)(slugify)  # labels repeat across builds of one process


def _unique(slug: str, used: set[str], kind: str) -> str:
    base, n = slug[:80], 2
    while f"{kind}/{slug}" in used:
        slug = f"{base}-{n}"
        n += 1
    used.add(f"{kind}/{slug}")
    return slug


def event_label(ev: Event, nodes: dict[str, Node], labels: dict[str, str] | None = None) -> str:
    """A short name for people, that also carries what is demanded or agreed (`labels`: the
    nodes' labels when known, Resolution.labels)."""
    label = (lambda k: labels.get(k) or nodes[k].label) if labels else (lambda k: nodes[k].label)
    role = ROLE_OF[ev.type]
    who = ", ".join(label(k) for k in ev.role_nodes(role)[:4])
    if ev.type == "Meeting":
        where = next((label(c.venue or c.place) for c in ev.claims if c.venue or c.place), None)
        return f"Meeting: {who}" + (f" in {where}" if where else "")
    verb = "demands" if ev.type == "Demand" else "agree"
    return f"{who} {verb}: {ev.topic[:100]}"
