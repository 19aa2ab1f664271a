"""When two surface names can denote one actor: name equivalence written as keys.

Two organisation names that share a key from `org_keys` are one organisation ('EU Ombudsman' and
'European Ombudsman', 'Solidarnosc' and 'the Solidarnosc union', 'the Greens' and 'the Green
Party'); an acronym matches a long form by its initials (`initials_match`, 'NUHP' and 'National
Union of Harbour Pilots'); two given names are one person's when `given_names_match`
('Andrei'/'Andrey', 'Max'/'Maximilian'). Keys let a resolver block candidates by key instead of comparing all pairs.
Everything here is about names in general, never about particular articles.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from . import gazetteer as gz

LEXICON = Path(__file__).resolve().parent / "data" / "lexicon"

# Words a long form may hold without a letter in its acronym ('Front for the Liberation of the Coast').
FUNCTION_WORDS = {"of", "and", "the", "for", "on", "in", "to", "at", "&", "de", "du", "des", "la", "le",
                  "el", "der", "die", "und", "y", "et"}
# Lower-case words after a name that say what kind of body it is, not part of its name:
# 'the Solidarnosc union', 'the SNP party'. (After an acronym they may be capitalised too.)
GENERIC_ORG_HEADS = {"union", "party", "group", "movement", "alliance", "coalition", "bloc", "federation",
                     "association", "organisation", "organization", "company", "firm", "corporation",
                     "agency", "network", "campaign", "militia", "faction"}
# A leading abbreviation for the body a name belongs to, as writers spell it out.
PREFIX_EXPANSIONS = {"eu": ("european", "european union"), "un": ("united nations",),
                     "us": ("united states",), "uk": ("united kingdom", "british")}
ACRONYM = re.compile(r"^(?:[A-Z][A-Z&]{1,9}|(?:[A-Z]\.){2,6})$")


def is_acronym(text: str) -> bool:
    """'IMF', 'OSCE', 'U.N.': capitals only, two to ten of them."""
    return bool(ACRONYM.match(text.strip()))


def acronym_letters(text: str) -> str:
    return re.sub(r"[^A-Za-z]", "", text).upper()


def _contributions(word: str, last: bool) -> list[str]:
    """The letters one word of a long form may give its acronym."""
    low = word.lower()
    if low in FUNCTION_WORDS:
        return ["", word[0].upper()]
    if last and low in GENERIC_ORG_HEADS:
        return ["", word[0].upper()]  # 'National Harbour Pilots Union (NHP)'
    caps = word[0].upper() + "".join(c for c in word[1:] if c.isupper())
    if word.isupper() and len(word) > 1:  # 'US Forest Service' → USFS
        caps = word
    if "-" in word:  # 'Co-operation' gives C or C O
        caps = "".join(p[0].upper() for p in word.split("-") if p)
    return [caps[:i] for i in range(1, len(caps) + 1)]


def initials_match(acronym: str, words: list[str]) -> bool:
    """Does the long form `words` spell `acronym` by initials? The first word must give the first
    letter; every content word gives at least one letter, a function word may give none."""
    letters = acronym_letters(acronym)
    words = [w for w in words if re.search(r"[A-Za-z]", w)]
    if not words or not letters or words[0].lower() in FUNCTION_WORDS or not words[0][0].isupper():
        return False
    if any(acronym_letters(w) == letters for w in words):
        return False  # 'RAF Fairford' is a place the RAF has, not what 'RAF' stands for

    @lru_cache(maxsize=None)
    def fits(i: int, j: int) -> bool:
        if i == len(words):
            return j == len(letters)
        return any(letters.startswith(c, j) and fits(i + 1, j + len(c))
                   for c in _contributions(words[i], i == len(words) - 1)
                   if c or i > 0)

    return fits(0, 0)


def initials_keys(words: list[str]) -> set[str]:
    """Blocking keys of a long form: the initials of its content words (with and without a
    trailing kind word). An acronym it spells has one of them as a subsequence that begins with
    the acronym's first letter, so `acronym_keys` finds it."""
    content = [w for w in words if re.search(r"[A-Za-z]", w) and w.lower() not in FUNCTION_WORDS]
    if not content:
        return set()
    keys = {"".join(w[0].upper() for w in content)}
    if len(content) > 1 and content[-1].lower() in GENERIC_ORG_HEADS:
        keys.add(keys.copy().pop()[:-1])
    return keys


def plain_initials(words: list[str]) -> str:
    """The acronym a long form makes without any choice: one letter per content word (all of an
    all-caps word's), none for function words. Across articles only this one counts: 'BBC' is not
    any long form that can be made to spell it."""
    return "".join(w if w.isupper() and len(w) > 1 else w[0].upper() for w in words
                   if re.search(r"[A-Za-z]", w) and w.lower() not in FUNCTION_WORDS)


def acronym_keys(acronym: str) -> set[str]:
    """Every subsequence of the acronym's letters that keeps its first letter: the keys of
    `initials_keys` under which its long forms are found."""
    letters = acronym_letters(acronym)
    if not letters:
        return set()
    rest = letters[1:]
    return {letters[0] + "".join(rest[i] for i in range(len(rest)) if mask >> i & 1)
            for mask in range(1 << len(rest))}


def long_form_start(acronym: str, words: list[str]) -> int | None:
    """Where, in the words before '(ACRONYM)', its long form starts: the shortest tail of `words`
    that spells it (Schwartz and Hearst's rule, by word initials)."""
    n = len(acronym_letters(acronym))
    for start in range(len(words) - 1, max(-1, len(words) - n - 6), -1):
        if initials_match(acronym, words[start:]):
            return start
    return None


def org_keys(name: str) -> set[str]:
    """Keys two names of one organisation share: the name itself in one spelling, without a
    lower-case 'union'/'party' after it, with a leading 'EU'/'UN' spelled out, a party's stem
    ('the Greens', 'the Green Party' → 'party:green'), and the lexicon's name for it."""
    words = name.split()
    while len(words) > 1 and words[-1].lower() in GENERIC_ORG_HEADS and (
            words[-1][0].islower() or len(words) == 2 and is_acronym(words[0])):
        words = words[:-1]  # 'the Solidarnosc union', 'the NUHP Union'
    base = gz.respell(gz.fold(" ".join(words).replace("&", " and ")))
    if not base:
        return set()
    keys = {base}
    if len(base) >= 12:  # a long name misspelt or spaced otherwise ('Co-operation'/'Cooperation')
        from .resolve import skeleton
        keys.add("sk:" + skeleton(base.replace(" ", "")))
    first, _, rest = base.partition(" ")
    for long in PREFIX_EXPANSIONS.get(first, ()) if rest else ():
        keys.add(f"{long} {rest}")
    parts = base.split()
    if len(parts) > 1 and parts[-1] == "party":
        keys.add("party:" + _stem(" ".join(parts[:-1])))
    elif len(parts) == 1 and len(base) > 4 and base.endswith("s") and words[-1][:1].isupper():
        keys.add("party:" + _stem(base))  # 'the Greens', 'the Socialists'
    canonical = gz.lookup_organization(" ".join(words))
    if canonical:
        keys.add(gz.respell(gz.fold(canonical)))
    return keys


def _stem(words: str) -> str:
    """'greens' → 'green', 'democratic' → 'democrat'."""
    words = re.sub(r"s$", "", words)
    return re.sub(r"ic$", "", words)


# -- people ---------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _given_name_groups() -> dict[str, set[int]]:
    """Folded given name → the pet-name groups it is in ('Alex' is in Alexander's and Alexandra's)."""
    data = json.loads((LEXICON / "given_names.json").read_text(encoding="utf-8"))
    out: dict[str, set[int]] = {}
    for i, group in enumerate(data["groups"]):
        for name in group:
            out.setdefault(gz.fold(name), set()).add(i)
    return out


def given_names_match(a: str, b: str) -> bool:
    """One person's given name as two texts spell it: transliterations ('Andrei'/'Andrey'), a
    short form that begins a much longer one ('Max'/'Maximilian', not 'Ali'/'Alice'), or a
    listed pet name ('Bill'/'William')."""
    from .resolve import skeleton  # resolve imports this module

    a, b = gz.fold(a), gz.fold(b)
    if a == b or skeleton(a) == skeleton(b):
        return True
    short, long = sorted((a, b), key=len)
    if len(short) >= 3 and len(long) >= len(short) + 3 and long.startswith(short):
        return True
    groups = _given_name_groups()
    return bool(groups.get(a, set()) & groups.get(b, set()))


def given_name_keys(name: str) -> set[str]:
    """Keys that any two given names `given_names_match` joins share one of, for blocking."""
    from .resolve import skeleton

    folded = gz.fold(name)
    keys = {folded[:1], skeleton(folded)[:1]}
    return keys | {f"g{i}" for i in _given_name_groups().get(folded, set())}
