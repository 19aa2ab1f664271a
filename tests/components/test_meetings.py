from kgdoc import frames_of, roles


def meetings(text):
    return frames_of(text, "kg_meetings", "Meeting")


def test_x_met_y_in_a_city():
    doc, found = meetings("Tobias Quent met Marta Kovel in Geneva on Monday.")
    assert len(found) == 1
    assert sorted(roles(doc, found[0])["participant"]) == ["Marta Kovel", "Tobias Quent"]
    assert [doc._.kg_mentions[i].text for i in found[0].place] == ["Geneva"]


def test_talks_between_two_named_sides_are_a_meeting():
    doc, found = meetings("Talks between Ruritania and Freedonia ended without a deal.")
    assert [sorted(roles(doc, f)["participant"]) for f in found] == [["Freedonia", "Ruritania"]]


def test_a_news_conference_is_no_meeting():
    _, found = meetings("Tobias Quent told a news conference that prices would rise.")
    assert found == []


def test_a_planned_meeting_is_planned():
    _, found = meetings("Tobias Quent will meet Marta Kovel next week.")
    assert [f.status for f in found] == ["Planned"]


def test_a_refused_meeting_is_no_meeting():
    _, found = meetings("Tobias Quent refused to meet Marta Kovel.")
    assert found == []
