"""Names of actors: the keys and rules that say two surface names are one actor (kg/names.py), the
mentions extraction finds for them, and the merges a real build makes across invented articles."""
from __future__ import annotations

import gc
import textwrap
from collections import Counter

import pytest

from kg import names
from kg.build import build
from spacy.tokens import Span

from kg.extract import ArticleExtraction, Mention, extract_article, extract_doc, load_nlp
from kg.facts import facts
from kg.rdf import derived_aliases
from kg.reader import article_from_text
from kg.resolve import Node, _close, _NodeResolver
from kg.store import KGStore
from kg.textprep import clean_for_nlp


# -- keys and rules -----------------------------------------------------------------------------
def test_an_acronym_spells_its_long_form_by_initials():
    assert names.initials_match("NUHP", "National Union of Harbour Pilots".split())
    assert names.initials_match("FLOC", "Front for the Liberation of the Coast".split())  # 'of' gives O
    assert names.initials_match("NHP", "National Harbour Pilots Union".split())  # a kind word may give none
    assert names.initials_match("USFS", "US Forest Service".split())  # an all-caps word gives its letters
    assert names.initials_match("OSCE", "Organization for Security and Co-operation in Europe".split())
    assert not names.initials_match("NUHP", "Harbour Pilots".split())
    assert not names.initials_match("NUHP", "the National Union of Harbour Pilots".split())  # starts at a name word
    assert not names.initials_match("AB", "Alpha Bravo Charlie".split())  # every content word gives a letter


def test_long_form_is_the_shortest_tail_that_spells_the_acronym():
    words = "a strike called by the National Union of Harbour Pilots".split()
    assert names.long_form_start("NUHP", words) == words.index("National")
    assert names.long_form_start("XYZ", words) is None


def test_a_long_form_never_holds_its_own_acronym():
    assert not names.initials_match("RAF", "RAF Northolt".split())


def test_acronyms_are_capitals_only():
    assert names.is_acronym("IMF") and names.is_acronym("U.N.") and names.is_acronym("R&D")
    assert not names.is_acronym("Nato") and not names.is_acronym("I") and not names.is_acronym("TfL")


@pytest.mark.parametrize("a, b", [
    ("EU Food Agency", "European Food Agency"),              # a leading abbreviation spelled out
    ("Amalgamated Bakers union", "Amalgamated Bakers"),      # a lower-case kind word after the name
    ("the Greens", "Green Party"),                           # a party's plural and its name
    ("Harbour Organisation", "Harbour Organization"),        # British and American spelling
    ("Lib Dems", "Liberal Democrats"),                       # a nickname from the lexicon
    ("NUHP Union", "NUHP"),                                  # a kind word after an acronym
    ("Council for Co-operation in Shipping", "Council for Cooperation in Shipping"),  # spaced otherwise
    ("Harbour & General Pilots", "Harbour and General Pilots"),
])
def test_names_of_one_organisation_share_a_key(a, b):
    assert names.org_keys(a) & names.org_keys(b)


@pytest.mark.parametrize("a, b", [
    ("African Union", "African"), ("Bank of Ruritania", "Bank of Freedonia"), ("Green Party", "Labour Party"),
])
def test_names_of_different_organisations_share_no_key(a, b):
    assert not names.org_keys(a) & names.org_keys(b)


@pytest.mark.parametrize("a, b, same", [
    ("Andrei", "Andrey", True), ("Yuri", "Yury", True), ("Max", "Maximilian", True), ("Bill", "William", True),
    ("Ali", "Alice", False), ("John", "Jane", False), ("Jan", "Janet", False), ("Mike", "Mark", False),
])
def test_given_names_of_one_person(a, b, same):
    assert names.given_names_match(a, b) is same
    if same:  # blocking by key never loses a pair the rule joins
        assert names.given_name_keys(a) & names.given_name_keys(b)


def test_a_name_another_begins_with_is_not_its_misspelling():
    assert not _close("marsh", "marshall", 0.85)
    assert _close("smith", "smyth", 0.85)
    assert _close("zelensky", "zelenskyy", 0.92)


def test_no_surname_alias_that_reads_as_an_organisation_or_is_two_letters():
    node = Node("person:ko-min-un", "actor", "Person", names=Counter({"Ko Min Un": 2}))
    assert derived_aliases(node) == []
    node = Node("person:anna-berg", "actor", "Person", names=Counter({"Anna Berg": 1}))
    assert derived_aliases(node) == ["Berg"]


def test_an_organisation_is_also_named_without_a_lower_case_kind_word():
    node = Node("org:x", "actor", "Organization", names=Counter({"SNP party": 1, "Amalgamated Bakers union": 1}))
    assert derived_aliases(node) == ["Amalgamated Bakers", "SNP"]


def test_a_parenthesised_acronym_of_the_words_before_it_is_no_credit():
    text = "Pilots of the Front for the Liberation of the Coast (FLOC) struck. Photo (JOHN SMITH)."
    cleaned = clean_for_nlp(text)[0]
    assert "(FLOC)" in cleaned and "JOHN SMITH" not in cleaned


def _resolved(*articles: list[tuple[str, str]]) -> dict[str, str]:
    """Mention text → the type of the node it resolves to, for articles given as (text, NER label)."""
    extractions = []
    for n, mentions in enumerate(articles):
        ms = [Mention(i, 10 * i, 10 * i + len(t), t, label, "name", i) for i, (t, label) in enumerate(mentions)]
        extractions.append(ArticleExtraction(f"a{n}", "h", "v", None, "none", ms, [], []))
    r = _NodeResolver(extractions)
    return {m.text: r.nodes[r.denotes[(ex.article_id, m.id)]].type for ex in extractions for m in ex.mentions
            if (ex.article_id, m.id) in r.denotes}


def test_a_corporation_of_the_phoenix_dictionary_is_no_person():
    assert _resolved([("Goldman Sachs", "PERSON"), ("Toyota", "PERSON")]) == {
        "Goldman Sachs": "Organization", "Toyota": "Organization"}
    assert _resolved([("Anna Toyota", "PERSON"), ("Toyota", "PERSON")])["Toyota"] == "Person"


def test_an_acronym_from_another_article_joins_only_a_long_form_that_plainly_spells_it():
    def joined(long: str, short: str) -> bool:
        ex = [ArticleExtraction(f"a{i}", "h", "v", None, "none", [Mention(0, 0, len(t), t, "ORG", "name", 0)], [], [])
              for i, t in enumerate([long, short])]
        r = _NodeResolver(ex)
        return r.denotes[("a0", 0)] == r.denotes[("a1", 0)]

    assert joined("Northern Tram Network", "NTN")
    assert not joined("Bristol Boat Club Association", "BBC")  # 'Association' would have to give no letter
    assert not joined("NTN Two", "NTN")  # a name holding the acronym is not what it stands for


def test_capitals_are_never_a_person():
    assert _resolved([("BAA", "PERSON"), ("MPs", "PERSON")]) == {"BAA": "Organization", "MPs": "Organization"}


def test_a_bare_surname_from_another_article_is_the_far_more_reported_person_of_that_name():
    extractions = [ArticleExtraction(f"a{n}", "h", "v", None, "none",
                                     [Mention(0, 0, len(t), t, "PERSON", "name", 0)], [], [])
                   for n, t in enumerate(["Jane Okoro", "Jane Okoro", "Jane Okoro", "Tim Okoro", "Okoro"])]
    r = _NodeResolver(extractions)
    assert r.denotes[("a4", 0)] == r.denotes[("a0", 0)] != r.denotes[("a3", 0)]
    extractions[2] = ArticleExtraction("a2", "h", "v", None, "none",
                                       [Mention(0, 0, 9, "Tim Okoro", "PERSON", "name", 0)], [], [])
    r = _NodeResolver(extractions)  # two and two: no telling which
    assert r.denotes[("a4", 0)] not in {r.denotes[("a0", 0)], r.denotes[("a3", 0)]}


def test_hyphens_in_a_surname_and_in_a_given_name():
    def key(*names: str) -> list[str]:
        ms = [Mention(i, 20 * i, 20 * i + len(t), t, "PERSON", "name", i) for i, t in enumerate(names)]
        r = _NodeResolver([ArticleExtraction("a", "h", "v", None, "none", ms, [], [])])
        return [r.denotes[("a", i)] for i in range(len(names))]

    a, b = key("Pak Song-il", "Pak Song Il")
    assert a == b  # syllables of a given name, spelt with or without the hyphen
    a, b = key("Daniel Hart-Fenwick", "Dan Fenwick")
    assert a != b  # a double-barrelled surname is not its last half


def test_a_town_name_ner_calls_a_person_is_the_town_unless_a_full_name_holds_it():
    assert _resolved([("Norwich", "PERSON")])["Norwich"] == "City"
    got = _resolved([("Jane Lincoln", "PERSON"), ("Lincoln", "GPE")], [("Lincoln", "PERSON")])
    assert got == {"Jane Lincoln": "Person", "Lincoln": "Person"}


def test_a_surname_is_not_a_misspelt_country():
    got = _resolved([("Tom Kenia", "PERSON"), ("Kenia", "PERSON")], [("Kenia", "ORG")])
    assert got["Kenia"] == "Person"  # the ORG 'Kenia' of the second article is he
    assert _resolved([("Kenia", "ORG")])["Kenia"] == "Country"


def test_contact_and_follow_lines_of_a_wire_are_blanked():
    text = ("Talks went on.\nTwitter: Jo Blogs on Twitter\n"
            "To contact the reporter on this story: Jo Blogs in Oslo at jblogs@example.com\nEnd.")
    cleaned = clean_for_nlp(text)[0]
    assert "Jo Blogs" not in cleaned and "Talks went on." in cleaned and len(cleaned) == len(text)


# -- mentions of one article ----------------------------------------------------------------------
def _mentions(text: str) -> dict[str, object]:
    ex = extract_article(article_from_text("t", textwrap.dedent(text), "t.txt"))
    return {m.text: (m, ex.mentions[m.alias_of].text if m.alias_of is not None else None) for m in ex.mentions}


def test_acronym_defined_in_the_text_renames_its_long_form():
    got = _mentions("""\
        The National Union of Harbour Pilots (NUHP) called a strike on Monday. The NUHP said talks failed.
        """)
    assert got["NUHP"][1] == "National Union of Harbour Pilots"
    assert got["National Union of Harbour Pilots"][0].label == "ORG"


def test_also_known_as_gives_another_name_of_the_same_person():
    got = _mentions("""\
        Andrei Volkonsky, also known as Sasha Grey-Wolf, led the pilots' negotiating team on Monday.
        """)
    assert got["Sasha Grey-Wolf"][1] == "Andrei Volkonsky"


def test_a_name_at_the_end_of_a_headline_stops_before_the_line_break():
    ex = extract_article(article_from_text("t", "Councillor quits for Labour\n\nA councillor left the party.\n", "t.txt"))
    assert [m.text for m in ex.mentions if m.text.startswith("Labour")] == ["Labour"]
    for m in ex.mentions:  # every mention lies inside one sentence
        assert any(s <= m.start and m.end <= e for s, e in ex.sentences)


def test_an_academic_or_clerical_title_is_not_part_of_the_name():
    got = _mentions("""\
        Professor Joan Whitby said the report was flawed. Archbishop Peter Okafor agreed.
        """)
    assert got["Joan Whitby"][0].title == "Professor" and got["Peter Okafor"][0].title == "Archbishop"


def test_a_known_organisation_is_no_person_and_a_form_of_address_is_one():
    """A Doc whose entities say 'Lib Dems' is a PERSON and 'Mr Okafor' an ORG, as NER sometimes does."""
    text = "The Lib Dems said no. Mr Okafor agreed.\n"
    article = article_from_text("t", text, "t.txt")
    doc = load_nlp()(text)
    doc.ents = [Span(doc, 1, 3, label="PERSON"), Span(doc, 6, 8, label="ORG")]
    labels = {(m.text, m.label) for m in extract_doc(article, doc).mentions}
    assert labels == {("Lib Dems", "ORG"), ("Okafor", "PERSON")}


def test_a_party_word_before_a_name_is_not_its_first_name():
    got = _mentions("""\
        On Friday Republican Helen Marsh told the committee the plan would fail.
        """)
    assert "Helen Marsh" in got and "Republican Helen Marsh" not in got


# -- across articles: a real build --------------------------------------------------------------
ARTICLES = {
    "harbour_a": """\
        date 2023-03-06 Rotterdam.

        Harbour pilots walk out over pay

        The National Union of Harbour Pilots (NUHP) called a 48-hour strike at the port on Monday. NUHP
        general secretary Marta Kowalczyk said talks with the port authority had failed.

        The EU Food Agency said it would look into the complaint.
        Andrei Volkonsky, also known as Sasha Grey-Wolf, led the pilots' negotiating team.
        """,
    "harbour_b": """\
        date 2023-03-08 Rotterdam.

        Strike at the port goes on

        The NUHP said on Wednesday it would extend the strike. Andrey Volkonsky said the pilots wanted a
        fair deal. Volkonsky met port officials in Rotterdam.

        The European Food Agency received a complaint from the union. Sasha Grey-Wolf told reporters the
        union would not back down. Members of the Amalgamated Bakers union joined the protest.
        """,
    "harbour_c": """\
        date 2023-03-09 London.

        Minister in talks

        Shipping Minister Lord Marsh met Dutch officials in London on Thursday. Lord Marsh said the strike was
        hurting trade. Pak Ho Un, the North Korean envoy, told the UN that his country would not attend. The
        UN said it regretted the decision. The Amalgamated Bakers said they backed the pilots.
        """,
    "harbour_d": """\
        date 2023-03-10 London.

        Opposition speaks

        Transport spokeswoman Helen Marshall said the government had failed the pilots. Marshall said she
        would raise the dispute in parliament.
        """,
}


@pytest.fixture(scope="module")
def harbour(tmp_path_factory) -> dict[str, set[str]]:
    """Node label → its names (label and aliases), from the facts export of a real build."""
    folder = tmp_path_factory.mktemp("names-articles")
    for name, text in ARTICLES.items():
        (folder / f"{name}.txt").write_text(textwrap.dedent(text), encoding="utf-8")
    store = KGStore(tmp_path_factory.mktemp("names-store"))
    report = build(store, [folder])
    assert len(report.added) == len(ARTICLES)
    data = facts(store)
    del store
    gc.collect()
    return {n["label"]: {n["label"], *n["aliases"]} for n in data["actors"] + data["places"]}


def node_of(nodes: dict[str, set[str]], name: str) -> set[str]:
    (found,) = [v for v in nodes.values() if name in v]
    return found


def test_an_acronym_defined_in_one_article_is_that_organisation_in_another(harbour):
    union = node_of(harbour, "National Union of Harbour Pilots")
    assert "NUHP" in union
    assert not {"Marta Kowalczyk", "Kowalczyk"} & union


def test_spellings_and_other_names_of_one_person_are_one_node(harbour):
    person = node_of(harbour, "Andrei Volkonsky")
    assert {"Andrey Volkonsky", "Volkonsky", "Sasha Grey-Wolf"} <= person


def test_organisation_variants_are_one_node(harbour):
    assert "European Food Agency" in node_of(harbour, "EU Food Agency")
    assert "Amalgamated Bakers" in node_of(harbour, "Amalgamated Bakers union")


def test_no_merge_across_a_title_a_prefix_or_an_acronym(harbour):
    assert "Helen Marshall" not in node_of(harbour, "Lord Marsh")
    assert node_of(harbour, "UN") != node_of(harbour, "Pak Ho Un")
    assert "Un" not in node_of(harbour, "Pak Ho Un")
