from kgdoc import run


def texts(doc):
    return [(m.text, m.label, m.kind) for m in doc._.kg_mentions]


def test_names_are_trimmed_and_typed():
    doc = run("Mr Tobias Quent met the Ruritanian delegation in Vienna's Hofburg Palace.", "kg_mentions")
    found = texts(doc)
    assert ("Tobias Quent", "PERSON", "name") in found
    assert any(t == "Vienna" for t, _, _ in found) and any(t == "Hofburg Palace" for t, _, _ in found)


def test_acronym_defined_in_the_text_is_an_alias_of_its_long_form():
    doc = run("The National Union of Harbour Pilots (NUHP) said the NUHP would strike.", "kg_mentions")
    ms = doc._.kg_mentions
    long = next(m for m in ms if m.text == "National Union of Harbour Pilots")
    short = [m for m in ms if m.text == "NUHP"]
    assert short and all(m.alias_of == long.id for m in short[:1])


def test_described_group_is_a_group_mention():
    doc = run("Five public sector unions rejected the offer on Monday.", "kg_mentions")
    groups = [m for m in doc._.kg_mentions if m.kind == "group"]
    assert [g.text for g in groups] == ["Five public sector unions"]


def test_a_surname_ner_missed_later_is_still_the_person():
    doc = run("Talia Brennick spoke first. Later Brennick left the room.", "kg_mentions")
    people = [m.text for m in doc._.kg_mentions if m.label == "PERSON"]
    assert people.count("Brennick") + people.count("Talia Brennick") == 2
