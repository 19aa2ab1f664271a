from kgdoc import run


def test_wire_dateline_city():
    doc = run("GENEVA (Reuters) - Ruritania and Freedonia met on Monday.", "kg_article")
    assert doc._.kg_dateline and doc._.kg_dateline[0] == "Geneva"


def test_sport_report_is_leisure():
    doc = run("The striker scored twice as the club won the match and the cup. The goalkeeper saved a penalty "
              "and the coach praised the team after the league game.", "kg_article")
    assert doc._.kg_leisure is True


def test_politics_is_not_leisure():
    doc = run("The minister met the ambassador for talks on the treaty and the government's policy.", "kg_article")
    assert doc._.kg_leisure is False


def test_who_is_visiting_where():
    doc = run("Tobias Quent, visiting Lyon, met Marta Kovel.", "kg_article")
    names = {m.id: m.text for m in doc._.kg_mentions}
    assert [(names[v], names[p]) for v, p in doc._.kg_visits] == [("Tobias Quent", "Lyon")]
