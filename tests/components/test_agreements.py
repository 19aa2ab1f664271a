from kgdoc import frames_of, roles, run


def agreements(text):
    return frames_of(text, "kg_agreements", "Agreement")


def test_two_sides_agree_to_something():
    doc, found = agreements("Ruritania and Freedonia agreed to exchange prisoners.")
    assert len(found) == 1
    assert sorted(roles(doc, found[0])["party"]) == ["Freedonia", "Ruritania"]
    assert "exchange prisoners" in found[0].topic and found[0].head == "EXCHANGE"


def test_a_deal_that_is_only_sought_is_not_made():
    _, found = agreements("Ruritania wants to see a trade deal with Freedonia.")
    assert found == []


def test_accepting_an_offer_is_an_agreement_of_both():
    doc, found = agreements("The Harbour Pilots Union accepted Acme Shipping's offer of a pay rise.")
    assert len(found) == 1
    assert sorted(roles(doc, found[0])["party"]) == ["Acme Shipping", "The Harbour Pilots Union"] or \
        sorted(roles(doc, found[0])["party"]) == ["Acme Shipping", "Harbour Pilots Union"]


def test_two_people_signing_a_deal_in_a_place_have_met():
    doc = run("Tobias Quent and Marta Kovel signed the deal in Geneva.", "kg_agreements")
    kinds = sorted(f.type for f in doc._.kg_frames)
    assert kinds == ["Agreement", "Meeting"]


def test_the_number_an_agreement_is_about_is_its_count():
    _, found = agreements("Chile and Peru agreed to exchange 1,000 prisoners.")
    assert [f.count for f in found] == ["1,000 prisoners"]
    _, found = agreements("Chile and Peru agreed to exchange prisoners on 12 May.")
    assert [f.count for f in found] == [None]  # a date is no count
