"""Saved queries, entity / event / article pages, the pictures, escaping and keyboard use."""
from __future__ import annotations

from collections import defaultdict

import pytest

from ui_harness import (UNREACHABLE_OR_UNLABELLED, XSS_IMG, XSS_SCRIPT, local_path, norm, shot,
                        tab_through)

# the text of an element as the reader sees it, without the entity-type badges (data-skip)
SHOWN_TEXT = """el => { const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT); let s = '';
  for (let n = w.nextNode(); n; n = w.nextNode()) if (!n.parentElement.closest('[data-skip]')) s += n.data;
  return s; }"""
EVENTS = "SELECT DISTINCT ?e WHERE { ?e a ?t VALUES ?t { kg:Meeting kg:Demand kg:Agreement } }"
# the timeline as drawn: its box, the axis labels and the marks shown (not hidden by CSS) wholly
# inside the box
FIRST_DRAW = """() => { const box = document.getElementById('timeline').getBoundingClientRect();
  const shown = (el) => { const r = el.getBoundingClientRect();
    return el.checkVisibility({ visibilityProperty: true, opacityProperty: true }) && r.width > 0 && r.height > 0 &&
    r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1; };
  const marks = Array.from(document.querySelectorAll('#timeline .vis-item.vis-box.ev'));
  return { width: box.width, height: box.height,
    axis: Array.from(document.querySelectorAll('#timeline .vis-time-axis .vis-text')).filter(shown).length,
    inside: marks.filter(shown).length, marks: marks.length,
    first: marks.slice(0, 3).map((m) => { const r = m.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; }) }; }"""
BUSIEST_ACTOR = """SELECT ?a (COUNT(DISTINCT ?e) AS ?n) WHERE {
  ?e ?role ?a . VALUES ?role { kg:participant kg:party kg:demander kg:addressee } ?a rdfs:label ?l }
  GROUP BY ?a ORDER BY DESC(?n) ?a LIMIT 1"""


def test_saved_query_with_a_parameter(page, kg):
    from kg.saved_queries import load_queries
    page.goto("/saved")
    queries = load_queries()
    assert page.locator(".saved-query").count() == len(queries)
    for q in queries.values():
        card = page.locator(f'.saved-query[data-name="{q.name}"]')
        assert norm(card.locator("h2").inner_text()) == norm(q.summary)
    actor = kg.select(BUSIEST_ACTOR)[0]["a"]
    card = page.locator('.saved-query[data-name="actor"]')
    card.locator("input[name=actor]").fill(actor)
    shot(page, "saved-queries")
    card.get_by_role("button", name="Run").click()
    page.wait_for_selector(".results-table")
    query = queries["actor"]
    expected = list(kg.query(query.text, substitutions=query.bind({"actor": actor})))
    assert expected
    assert page.locator(".results-table tbody tr").count() == min(len(expected), 1000)
    assert page.input_value("#p-actor") == actor
    assert page.evaluate(UNREACHABLE_OR_UNLABELLED) == []
    shot(page, "saved-query-results")


def test_actor_page_claim_leads_to_the_marked_sentence(page, kg):
    page.goto("/browse")
    page.locator("#actors ~ ul a, section[aria-labelledby=actors] a").first.click()
    page.wait_for_url("**/actor/**")
    iri = page.locator("article.entity").get_attribute("data-iri")
    label = kg.select(f"SELECT ?l WHERE {{ <{iri}> rdfs:label ?l }}")[0]["l"]
    assert norm(page.locator("h1").inner_text()).startswith(label)
    events = kg.select(f"""SELECT DISTINCT ?e WHERE {{ ?e ?r <{iri}> .
        VALUES ?r {{ kg:participant kg:party kg:demander kg:addressee kg:venue kg:place }} }}""")
    assert page.locator(".event-card").count() == len(events)
    shot(page, "actor-page")
    quote = page.locator(".quote-link").first
    href = quote.get_attribute("href")
    said = norm(quote.inner_text())[1:-1]  # the page wraps the quote in “ ”
    quote.click()
    page.wait_for_url("**" + href)
    page.wait_for_function("() => document.querySelector('.marked') !== null")
    target = page.locator(":target")
    assert target.count() == 1 and "marked" in target.get_attribute("class")
    assert norm(target.evaluate(SHOWN_TEXT)) == norm(said)
    box, view = target.bounding_box(), page.viewport_size
    assert 0 <= box["y"] and box["y"] + min(box["height"], 50) <= view["height"], "marked span not scrolled to"
    begin, end = map(int, href.split("#char=")[1].split(","))
    text = kg.select(f"""SELECT ?t WHERE {{ <{kg.base}{href.split('#')[0].lstrip('/')}> kg:text ?t }}""")[0]["t"]
    assert norm(text[begin:end]) == norm(said)
    shot(page, "article-marked")


def test_article_highlights_and_claims_beside_sentences(page, kg):
    article = kg.select("""SELECT ?a (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a kg:Mention ; kg:article ?a }
                           GROUP BY ?a ORDER BY DESC(?n) ?a LIMIT 1""")[0]["a"]
    page.goto(local_path(article, kg.base))
    text = kg.select(f"SELECT ?t WHERE {{ <{article}> kg:text ?t }}")[0]["t"]
    shown = page.evaluate("""() => Array.from(document.querySelectorAll('#article-text .ent')).map(e =>
        [e.id, Array.from(e.childNodes).filter(n => !(n.dataset && 'skip' in n.dataset)).map(n => n.textContent).join('')])""")
    assert shown
    for span_id, inner in shown:
        b, e = map(int, span_id.removeprefix("char=").split(","))
        assert text[b:e] == inner
    full = page.locator("#article-text").evaluate(SHOWN_TEXT)
    assert full == text, "the article view must show the text unchanged"
    pairs = kg.select(f"""SELECT DISTINCT ?s ?e WHERE {{ GRAPH ?g {{ <{article}> a kg:Article . ?e kg:evidence ?s }} }}""")
    assert page.locator(".claim-card").count() == len(pairs)
    for sentence in {p["s"] for p in pairs}:
        b, e = sentence.split("#char=")[1].split(",")
        assert page.locator(f'[id="char={b},{e}"].has-claims').count() == 1
        assert page.locator(f"#claims-{b}-{e} .claim-card").count() == sum(p["s"] == sentence for p in pairs)
    shot(page, "article")


def test_timeline_draws_one_mark_per_event(page, kg):
    page.goto("/timeline")
    page.wait_for_function("() => document.querySelector('#timeline')?.dataset.ready === '1'", timeout=60_000)
    drawn = page.evaluate(FIRST_DRAW)  # the first draw as the page calls it ready, no button pressed
    events = {r["e"] for r in kg.select(EVENTS)}
    dated = page.evaluate("() => kgTimeline.itemsData.get().map(i => i.iri)")
    undated = page.locator(".undated-lane [data-iri]").evaluate_all("ls => ls.map(l => l.dataset.iri)")
    assert len(dated) + len(undated) == len(events) and set(dated) | set(undated) == events
    assert page.locator("#timeline .vis-item.vis-box").count() == len(dated) > 0
    assert all(h.startswith("/event/") for h in page.evaluate("() => kgTimeline.itemsData.get().map(i => i.href)"))
    shot(page, "timeline")
    assert drawn["axis"] > 0 and drawn["inside"] == len(dated), drawn
    item = page.locator("#timeline .vis-item.vis-box:visible").first
    item.click()
    page.wait_for_url("**/event/**", timeout=60_000)
    assert page.locator("article.event").count() == 1


def test_network_draws_one_mark_per_actor(page, kg):
    page.goto("/network")
    page.wait_for_function("() => document.querySelector('#network')?.dataset.ready === '1'", timeout=60_000)
    rows = kg.select("""SELECT DISTINCT ?e ?a WHERE { ?e ?r ?a ; a ?t .
        VALUES ?r { kg:participant kg:party kg:demander kg:addressee } VALUES ?t { kg:Meeting kg:Demand kg:Agreement } }""")
    by_event = defaultdict(set)
    for r in rows:
        by_event[r["e"]].add(r["a"])
    pairs = {(a, b) for group in by_event.values() for a in group for b in group if a < b}
    actors = {x for pair in pairs for x in pair}
    assert set(page.evaluate("() => kgNetwork.body.data.nodes.getIds()")) == actors and actors
    assert page.evaluate("() => kgNetwork.body.data.edges.length") == len(pairs)
    assert page.evaluate(UNREACHABLE_OR_UNLABELLED) == []
    shot(page, "network")


def test_article_markup_shows_as_text(page, kg):
    rows = kg.select('SELECT ?a WHERE { ?a kg:text ?t FILTER(CONTAINS(?t, "<script>")) }')
    assert rows, "the test data must hold an article with markup"
    page.goto(local_path(rows[0]["a"], kg.base))
    body = page.locator("#article-text").text_content()
    assert XSS_SCRIPT in body and XSS_IMG in body
    assert page.locator("main img, main script, #article-text *[onerror]").count() == 0
    assert page.locator("h1 *").count() == 0
    shot(page, "article-markup")


def test_conflicting_reports_side_by_side(page, fixture_server, fixture_kg):
    rows = fixture_kg.select("""SELECT ?e ?d ?g WHERE { GRAPH ?g { ?e kg:duration ?d } }""")
    per_event = defaultdict(lambda: defaultdict(set))
    for r in rows:
        per_event[r["e"]][r["d"]].add(r["g"])
    conflicted = {e: v for e, v in per_event.items() if len(v) > 1}
    assert conflicted
    for event, values in conflicted.items():
        page.goto(fixture_server + local_path(event, fixture_kg.base))
        item = page.locator('.conflict[data-prop="duration"]')
        assert item.count() == 1
        reported = item.locator(".reported")
        assert reported.count() == len(values)
        texts = [norm(t) for t in reported.all_inner_texts()]
        for value, graphs in values.items():
            hit = [t for t in texts if t.startswith(f"“{value}”")]
            assert hit, (value, texts)
            aid = fixture_kg.select(f"SELECT ?t WHERE {{ GRAPH <{sorted(graphs)[0]}> {{ ?a dct:title ?t }} }}")[0]["t"]
            assert aid in hit[0]
    shot(page, "event-conflict")


def test_fixture_pages_escape_every_field(page, fixture_server, fixture_kg):
    for row in fixture_kg.select("SELECT ?a ?t WHERE { ?a a kg:Article ; dct:title ?t }"):
        page.goto(fixture_server + local_path(row["a"], fixture_kg.base))
        assert norm(page.locator("h1").inner_text()) == norm(row["t"])
        assert page.locator("h1 *, main img, main script").count() == 0
        assert page.locator("a[href^='javascript:']").count() == 0
    page.goto(fixture_server + "/browse")
    assert page.locator("main b, main img").count() == 0


@pytest.mark.parametrize("path", ["/saved", "/browse", "/timeline", "actor", "event", "article"])
def test_pages_are_labelled_and_keyboard_reachable(page, kg, path):
    if not path.startswith("/"):
        query = {"actor": BUSIEST_ACTOR, "event": EVENTS + " ORDER BY ?e LIMIT 1",
                 "article": "SELECT ?a WHERE { ?a a kg:Article } ORDER BY ?a LIMIT 1"}[path]
        path = local_path(next(iter(kg.select(query)[0].values())), kg.base)
    page.goto(path)
    assert page.evaluate(UNREACHABLE_OR_UNLABELLED) == []
    focus = tab_through(page, 3)
    assert focus[:3] == ["Skip to content", "News events graph", "Query"]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    shot(page, "page-" + path.strip("/").replace("/", "-"))
