"""The query page: YASGUI served from this app, typed query, results, links, completion from the
graph's own vocabulary, shareable link, downloads, ASK / CONSTRUCT, and the plain-form fallback."""
from __future__ import annotations

import csv
import io
from urllib.parse import urlsplit

import pyoxigraph as ox

from ui_harness import UNREACHABLE_OR_UNLABELLED, XSS_IMG, XSS_SCRIPT, local_path, norm, shot, tab_through

KG = "PREFIX kg: <https://w3id.org/newskg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
ACTORS = (KG + "SELECT DISTINCT ?actor ?name WHERE { ?event kg:participant ?actor . ?actor rdfs:label ?name } "
          "ORDER BY ?name LIMIT 10")


def open_editor(page, path: str = "/") -> None:
    page.goto(path)
    page.wait_for_selector("#yasgui .CodeMirror")
    page.wait_for_function("() => window.kgYasgui !== undefined")


def type_query(page, text: str) -> None:
    """Type into the editor as a person would (single line: no Enter to pick a hint)."""
    page.click("#yasgui .CodeMirror-code")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text, delay=2)


def run_and_wait(page) -> None:
    page.wait_for_function("() => !window.kgYasgui.getTab().getYasqe().isQuerying || true")
    with page.expect_response(lambda r: urlsplit(r.url).path in ("/sparql", "/ui/sparql") and r.request.method == "POST"):
        page.click("#yasgui .CodeMirror-code")
        page.keyboard.press("Control+Enter")
    page.wait_for_selector("#yasgui .yasr_results table tbody tr, #yasgui .yasr_results .booleanResult, "
                           "#yasgui .yasr_results pre, #yasgui .yasr_results .CodeMirror")


def test_typed_query_runs_and_rows_match_the_store(page, kg):
    open_editor(page)
    type_query(page, ACTORS)
    assert norm(page.evaluate("() => window.kgYasgui.getTab().getYasqe().getValue()")) == norm(ACTORS)
    run_and_wait(page)
    expected = [r["name"] for r in kg.select(ACTORS.replace(KG, ""))]
    assert expected, "the graph has no meeting participants to show"
    cells = page.locator("#yasgui .yasr_results table tbody tr td:nth-child(3)").all_inner_texts()
    assert [norm(c) for c in cells] == expected
    shot(page, "query-results")


def test_result_iri_opens_the_entity_page(page, kg):
    open_editor(page)
    type_query(page, ACTORS)
    run_and_wait(page)
    link = page.locator("#yasgui .yasr_results table tbody tr:first-child td:nth-child(2) a.iri")
    href = link.get_attribute("href")
    first = kg.select(ACTORS.replace(KG, ""))[0]
    assert href == local_path(first["actor"], kg.base)
    link.click()
    page.wait_for_url("**" + href)
    assert norm(page.locator("h1").inner_text()).startswith(first["name"])
    shot(page, "actor")


def test_literals_are_escaped_in_the_results_table(page, kg):
    query = KG + 'SELECT ?text WHERE { ?a kg:text ?text FILTER(CONTAINS(?text, "<script>")) }'
    assert kg.select(query.replace(KG, "")), "no article holds markup"
    open_editor(page)
    page.evaluate("q => window.kgYasgui.getTab().getYasqe().setValue(q)", query)
    run_and_wait(page)
    cell = page.locator("#yasgui .yasr_results table tbody tr td:nth-child(2)").first
    assert XSS_SCRIPT in cell.text_content()
    assert XSS_IMG in cell.text_content()
    assert page.locator("#yasgui img[src=x], #yasgui .yasr_results script").count() == 0


def test_completion_uses_the_graphs_own_vocabulary(page, traffic):
    open_editor(page)
    type_query(page, KG + "SELECT * WHERE { ?e kg:parti")
    page.keyboard.press("Control+Space")
    hints = page.locator(".CodeMirror-hints li")
    hints.first.wait_for()
    assert "kg:participant" in [norm(t) for t in hints.all_inner_texts()]
    page.keyboard.press("Enter")
    assert "kg:participant" in page.evaluate("() => window.kgYasgui.getTab().getYasqe().getValue()")
    type_query(page, "PREFIX sk")
    page.locator(".CodeMirror-hints li").first.wait_for()
    assert any(t.startswith("skos: <http://www.w3.org/2004/02/skos/core#>")
               for t in page.locator(".CodeMirror-hints li").all_inner_texts())
    assert any(urlsplit(u).path == "/ui/vocab.json" for u in traffic.urls)
    shot(page, "query-completion")


def test_share_link_reopens_and_reruns_the_query(page, kg):
    open_editor(page)
    type_query(page, ACTORS)
    run_and_wait(page)
    page.click("#share-btn")
    link = page.input_value("#share-link")
    assert urlsplit(link).hostname == "127.0.0.1"
    page.goto("about:blank")
    with page.expect_response(lambda r: urlsplit(r.url).path in ("/sparql", "/ui/sparql")):
        page.goto(link)
    page.wait_for_selector("#yasgui .yasr_results table tbody tr")
    assert norm(page.evaluate("() => window.kgYasgui.getTab().getYasqe().getValue()")) == norm(ACTORS)
    rows = page.locator("#yasgui .yasr_results table tbody tr").count()
    assert rows == len(kg.select(ACTORS.replace(KG, "")))


def test_downloads_csv_json_and_turtle(page, kg):
    open_editor(page)
    type_query(page, ACTORS)
    run_and_wait(page)
    expected = kg.select(ACTORS.replace(KG, ""))
    csv_href = page.get_attribute("#downloads a.download-csv", "href")
    rows = list(csv.reader(io.StringIO(page.request.get(csv_href).text())))
    assert rows[0] == ["actor", "name"] and [r[1] for r in rows[1:]] == [e["name"] for e in expected]
    body = page.request.get(page.get_attribute("#downloads a.download-json", "href")).json()
    assert [b["name"]["value"] for b in body["results"]["bindings"]] == [e["name"] for e in expected]
    with page.expect_download() as dl:
        page.click("#downloads a.download-csv")
    assert dl.value.suggested_filename == "query-results.csv"

    graph = KG + "CONSTRUCT { ?e kg:participant ?a } WHERE { ?e kg:participant ?a }"
    page.evaluate("q => window.kgYasgui.getTab().getYasqe().setValue(q)", graph)
    run_and_wait(page)
    ttl = page.request.get(page.get_attribute("#downloads a.download-turtle", "href")).body()
    triples = set(ox.parse(ttl, format=ox.RdfFormat.TURTLE))
    want = {(r["e"], r["a"]) for r in kg.select("SELECT DISTINCT ?e ?a WHERE { ?e kg:participant ?a }")}
    assert {(t.subject.value, t.object.value) for t in triples} == want
    assert page.locator("#downloads a.download-jsonld").count() == 1


def test_ask_and_construct_results_are_shown(page, kg):
    open_editor(page)
    ask = KG + "ASK { ?e a kg:Meeting }"
    page.evaluate("q => window.kgYasgui.getTab().getYasqe().setValue(q)", ask)
    run_and_wait(page)
    answer = bool(kg.query(ask.replace(KG, ""), prefixes=True))
    assert page.locator("#yasgui .yasr_results").inner_text().strip().lower().startswith(str(answer).lower())
    construct = KG + "CONSTRUCT { ?a rdfs:label ?n } WHERE { ?e kg:party ?a . ?a rdfs:label ?n }"
    page.evaluate("q => window.kgYasgui.getTab().getYasqe().setValue(q)", construct)
    run_and_wait(page)
    names = {r["n"] for r in kg.select("SELECT ?n WHERE { ?e kg:party ?a . ?a rdfs:label ?n }")}
    shown = page.locator("#yasgui .yasr_results").inner_text()
    assert names and all(n in shown for n in names)


def test_query_page_controls_are_labelled_and_reachable(page):
    open_editor(page)
    run_and_wait(page)
    assert page.evaluate(UNREACHABLE_OR_UNLABELLED) == []
    shot(page, "query")
    open_editor(page)
    focus = tab_through(page, 40)
    assert focus[0] == "Skip to content"
    for needed in ("Query", "Saved queries", "Timeline", "SPARQL query editor", "Run query",
                   "Copy shareable link"):
        assert needed in focus, f"{needed!r} never got focus: {focus}"


def test_plain_form_works_without_the_npm_assets(page, kg):
    page.route("**/ui/vendor/yasgui/**", lambda route: route.fulfill(status=404, body=""))
    page.goto("/")
    assert page.locator("#plain-ui").is_visible() and page.locator("#yasgui").is_hidden()
    page.fill("#plain-query", ACTORS)
    page.click("#plain-ui button[type=submit]")
    page.wait_for_selector(".results-table")
    expected = [r["name"] for r in kg.select(ACTORS.replace(KG, ""))]
    assert [norm(t) for t in page.locator(".results-table tbody td:nth-child(2)").all_inner_texts()] == expected
    assert page.locator(".results-table tbody td:first-child a.iri").first.get_attribute("href").startswith("/actor/")
    assert page.evaluate(UNREACHABLE_OR_UNLABELLED) == []
    shot(page, "query-plain")
