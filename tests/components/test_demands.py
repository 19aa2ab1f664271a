from kgdoc import frames_of, roles


def demands(text):
    return frames_of(text, "kg_demands", "Demand")


def test_x_demanded_that_y_withdraw():
    doc, found = demands("Norway demanded that Chile withdraw its troops.")
    assert len(found) == 1
    r = roles(doc, found[0])
    assert r["demander"] == ["Norway"] and r["addressee"] == ["Chile"]
    assert "withdraw" in found[0].topic


def test_the_speakers_own_obligation_is_no_demand():
    _, found = demands('"We have to be alert to all possibilities," Tobias Quent said.')
    assert found == []


def test_a_speaker_saying_others_must_act_demands_it():
    doc, found = demands("Tobias Quent said Freedonia must release the prisoners.")
    assert [roles(doc, f)["demander"] for f in found] == [["Tobias Quent"]]


def test_refusing_to_bow_to_demands_is_no_demand_of_the_refuser():
    _, found = demands("Tobias Quent said he would not bow to demands to resign.")
    assert found == []


def test_a_threat_with_unless_is_a_demand():
    doc, found = demands("The Harbour Pilots Union warned of strikes unless there was a rethink on pay.")
    assert len(found) == 1 and "rethink" in found[0].topic
