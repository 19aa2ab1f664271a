from kgdoc import run


def test_title_and_country_of_a_person():
    doc = run("Ruritanian Foreign Minister Tobias Quent arrived.", "kg_affiliation")
    quent = next(m for m in doc._.kg_mentions if m.text == "Tobias Quent")
    assert "Foreign Minister" in quent.title or "Minister" in quent.title


def test_country_of_president_x_of_france():
    doc = run("President Odile Varenne of France spoke on Tuesday.", "kg_affiliation")
    person = next(m for m in doc._.kg_mentions if m.label == "PERSON")
    assert person.side_votes == ["France"]


def test_the_organisation_a_person_speaks_for():
    doc = run("Acme Motors boss Lionel Farrow said the plant would close.", "kg_affiliation")
    ms = {m.text: m for m in doc._.kg_mentions}
    farrow = ms["Lionel Farrow"]
    assert farrow.employer is not None and doc._.kg_mentions[farrow.employer].text == "Acme Motors"
