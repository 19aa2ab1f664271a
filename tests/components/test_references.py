from kgdoc import run


def test_a_pronoun_points_to_the_person_named_before():
    doc = run("Tobias Quent flew to Paris. He met the French president there.", "kg_references")
    he = next(t for t in doc if t.lower_ == "he")
    target = doc._.kg_references[he.i]
    assert target is not None and doc._.kg_mentions[target].text == "Tobias Quent"


def test_an_object_pronoun_is_not_its_own_clauses_subject():
    doc = run("Tobias Quent said Marta Kovel would meet him soon.", "kg_references")
    him = next(t for t in doc if t.lower_ == "him")
    assert doc._.kg_mentions[doc._.kg_references[him.i]].text == "Tobias Quent"


def test_the_two_leaders_are_the_last_two_people_named():
    doc = run("Tobias Quent greeted Marta Kovel. The two leaders then spoke.", "kg_references")
    refs = doc._.kg_context.refs
    leaders = next(t for t in doc if t.lower_ == "leaders")
    assert sorted(doc._.kg_mentions[i].text for i in refs.actors_of(leaders)) == ["Marta Kovel", "Tobias Quent"]
