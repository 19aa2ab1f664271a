"""Builds that scale: no single article sinks a build, IRIs from any text, resolution by blocking,
extraction on every core, and the build-side input safety (store lock, reused ids, symlinks,
no absolute paths in the graph). Real pipeline, real on-disk stores."""
from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import kg.build
import kg.extraction
from kg.build import build
from kg.cli import main
from kg.rdf import GraphWriter, MAX_SEGMENT, iri_segment
from kg.reader import article_from_text
from kg.resolve import resolve
from kg.store import KGStore
from kg.vocab import Minter

from conftest import REPO, SEEDS

AGREEMENT = """\
    date 2024-03-08 Geneva.

    Armenia and Azerbaijan agreed on Friday to exchange 50 prisoners of war, officials said.
    """
MEETING = """\
    date 2024-03-09 Vienna.

    Kenyan President Mara Odhiambo met Ethiopian Prime Minister Tesfaye Bekele in Vienna on Saturday.
    """
# a demand whose topic head is a percent sign: the IRI minted from it crashed whole builds
PERCENT_DEMAND = """\
    date 2024-03-10 Geneva.

    A judge has upheld Clara Novak's demand for 10% of Vantor's profits from the films, her lawyer said.
    """


def kg_cli(*args) -> "CliRunner.Result":
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def article_ids(store: KGStore) -> list[str]:
    return sorted(r["id"] for r in store.select("SELECT ?id WHERE { ?a a kg:Article ; kg:articleId ?id }"))


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    write(folder, "agreement.txt", AGREEMENT)
    write(folder, "meeting.txt", MEETING)
    write(folder, "percent.txt", PERCENT_DEMAND)
    return folder


# -- IRIs from any text ------------------------------------------------------------------------
ANY_TEXT = ["10%", "100%25", "a%zz", 'say "yes"', "O'Neil", "emoji 😀🇺🇳", "\u202bمحمد بن سلمان\u202c",
            "שלום", "tab\tand\nnewline", "<b>{x}|^`\\", "", "Ab" * 1000]


@pytest.mark.parametrize("text", ANY_TEXT)
def test_an_iri_segment_from_any_text_is_a_valid_iri(text):
    segment = iri_segment(text)
    ox.NamedNode(f"http://localhost:5000/event/{segment}")  # raises on an invalid IRI
    assert len(segment) <= MAX_SEGMENT
    assert segment.isascii()


def test_iri_segments_of_different_texts_differ_and_plain_slugs_stay_as_they_are():
    segments = {iri_segment(t) for t in ANY_TEXT}
    assert len(segments) == len(ANY_TEXT)
    assert iri_segment("Ab" * 1000) != iri_segment("Ab" * 999 + "Ac")  # the same first 120 characters
    assert iri_segment("meeting-2024-03-08-armenia-azerbaijan") == "meeting-2024-03-08-armenia-azerbaijan"


def test_a_percent_sign_in_a_topic_no_longer_crashes_the_build(tmp_path, corpus):
    store = KGStore(tmp_path / "store")
    report = build(store, [corpus], workers=1)
    assert report.ok, report.errors
    assert sorted(report.added) == ["agreement", "meeting", "percent"]
    demands = [r["e"] for r in store.select("SELECT ?e WHERE { ?e a kg:Demand }")]
    assert any("%25" in e for e in demands), demands


def test_nodes_and_events_named_in_any_script_are_written_and_read_back(tmp_path, corpus):
    """Every kind of name a resolver may hand over becomes a valid IRI in a real store."""
    from kg.extract import extract_docs

    arts = [article_from_text(p.stem, p.read_text(encoding="utf-8"), str(p)) for p in sorted(corpus.glob("*.txt"))]
    resolution = resolve(extract_docs(arts))
    names = iter(ANY_TEXT * 3)
    for node in resolution.nodes.values():
        node.slug = next(names)
    for ev in resolution.events:
        ev.slug = next(names)
    store = KGStore(tmp_path / "store")
    writer = GraphWriter(store.minter, resolution, "test")
    exs = {ex.article_id: ex for ex in extract_docs(arts)}
    for art in arts:
        store.replace_graph(store.minter.graph(art.id), writer.article_quads(art, exs[art.id]))
    store.replace_graph(store.minter.resolution_graph(), writer.resolution_quads())
    iris = {r["s"] for r in store.select("SELECT DISTINCT ?s WHERE { ?s a ?t }")}
    assert {writer.node_iri[k] for k in resolution.nodes} <= iris
    assert len({writer.node_iri[k] for k in resolution.nodes}) == len(resolution.nodes)
    turtle = store.store.dump(format=ox.RdfFormat.TRIG)
    assert len(list(ox.parse(turtle, format=ox.RdfFormat.TRIG))) == len(store)


# -- no single article sinks a build -------------------------------------------------------------
def failing_for(article_id: str, real):
    """`real`, except that it raises for the article `article_id` (an injected fault: no real
    input is known to crash extraction or resolution any more)."""
    def wrapped(items, *args, **kwargs):
        ids = [getattr(x, "id", getattr(x, "article_id", None)) for x in items]
        if article_id in ids:
            raise RuntimeError(f"injected fault in {article_id}")
        return real(items, *args, **kwargs)
    return wrapped


def test_an_article_whose_extraction_fails_is_named_and_the_rest_is_built(tmp_path, corpus, monkeypatch):
    monkeypatch.setattr(kg.extraction, "extract_docs", failing_for("meeting", kg.extraction.extract_docs))
    store = KGStore(tmp_path / "store")
    report = build(store, [corpus], workers=1)
    assert not report.ok
    (error,) = report.errors
    assert error.source == str(corpus / "meeting.txt")
    assert "extraction failed: RuntimeError: injected fault in meeting" in error.reason
    assert sorted(report.added) == ["agreement", "percent"]
    assert article_ids(store) == ["agreement", "percent"]


def test_an_article_whose_resolution_fails_is_named_and_the_rest_is_built(tmp_path, corpus, monkeypatch):
    monkeypatch.setattr(kg.build, "resolve", failing_for("agreement", kg.build.resolve))
    store = KGStore(tmp_path / "store")
    report = build(store, [corpus], workers=1)
    (error,) = report.errors
    assert error.source == str(corpus / "agreement.txt") and "resolution failed: RuntimeError" in error.reason
    assert article_ids(store) == ["meeting", "percent"]
    assert not store.select("SELECT ?e WHERE { ?e a kg:Agreement }")


def test_an_article_whose_graph_cannot_be_written_is_named_and_left_out_of_resolution(tmp_path, corpus, monkeypatch):
    real = GraphWriter.article_quads

    def quads(self, article, ex, built_at=None):
        if article.id == "meeting":
            raise ValueError("injected fault while writing")
        return real(self, article, ex, built_at)

    monkeypatch.setattr(GraphWriter, "article_quads", quads)
    store = KGStore(tmp_path / "store")
    report = build(store, [corpus], workers=1)
    (error,) = report.errors
    assert error.source == str(corpus / "meeting.txt") and "could not write its graph: ValueError" in error.reason
    assert article_ids(store) == ["agreement", "percent"]
    # the consolidated view does not speak of the meeting that no article graph holds
    assert not store.select("SELECT ?e WHERE { ?e a kg:Meeting }")
    assert not store.select('SELECT ?p WHERE { ?p a kg:Person ; rdfs:label "Mara Odhiambo" }')


def test_kg_build_reports_the_failed_article_and_exits_non_zero_without_a_traceback(tmp_path, corpus, monkeypatch):
    monkeypatch.setattr(kg.extraction, "extract_docs", failing_for("percent", kg.extraction.extract_docs))
    result = kg_cli("build", corpus, "--store", tmp_path / "store", "--workers", "1")
    assert result.exit_code == 1
    assert f"error: {corpus / 'percent.txt'}: extraction failed: RuntimeError: injected fault" in result.stderr
    assert "Traceback" not in result.output
    assert "2 added" in result.stdout and "1 failed" in result.stdout
    assert "SHACL: the graph conforms" in result.stdout


# -- resolution by blocking ------------------------------------------------------------------------
def brute_force_single(clusters: list[dict], aid: str, name: str) -> list[dict]:
    """What resolution did before blocking: scan every cluster (the reference)."""
    from kg.resolve import _close

    from kg.resolve import _dominant

    same_article = [c for c in clusters if aid in c["articles"]]
    return [c for c in same_article if c["last"] == name] or \
        _dominant([c for c in clusters if c["last"] == name]) or \
        [c for c in same_article if _close(c["last"], name, 0.85) and c["last"][0] == name[0]] or \
        [c for c in clusters if _close(c["last"], name, 0.92) and c["last"][0] == name[0]] or \
        [c for c in same_article if name in c["parts"]]


def test_blocked_person_lookups_answer_what_a_scan_of_every_cluster_answers():
    import random

    from kg.names import given_names_match
    from kg.resolve import _PersonIndex, _close

    rng = random.Random(7)
    stems = ["araghchi", "araqchi", "shoigu", "shoygu", "aliyev", "aliev", "tokayev", "tokaev", "smith", "smyth",
             "schmidt", "novak", "nowak", "kowalski", "kovalsky", "ng", "li", "lee", "al", "mohammed", "muhammad",
             "khan", "han", "ghani", "kani"]

    def variant(word: str) -> str:
        w = list(word)
        for _ in range(rng.randint(0, 2)):
            op, i = rng.random(), rng.randrange(len(w))
            if op < 0.3:
                w[i] = rng.choice("aeiouykhq")
            elif op < 0.6 and len(w) > 2:
                del w[i]
            else:
                w.insert(i, rng.choice("aehiy"))
        return "".join(w)

    index, clusters = _PersonIndex(), []
    firsts = ["anna", "omar", "li", "jan", "sergei", "sergey", "alexander", "alex", "aleksandr", "max", "maximilian",
              "bill", "william", "andrei", "andrey", "jo", "joanna"]
    for i in range(600):
        first, last, aid = rng.choice(firsts), variant(rng.choice(stems)), f"a{rng.randrange(80)}"
        expected = next((c for c in clusters if given_names_match(c["first"], first)
                         and _close(c["last"], last, 0.92)), None)
        found = index.full_name_cluster(first, last)
        assert found is expected, (first, last)
        if found is None:
            found = index.add(first, last, f"person:{first}-{last}")
            clusters.append(found)
        found["articles"].add(aid)
        found["parts"].add(first)
    index.index_articles()
    for _ in range(1500):
        aid, name = f"a{rng.randrange(80)}", variant(rng.choice(stems + firsts))
        assert [c["n"] for c in index.single_name_candidates(aid, name)] == \
            [c["n"] for c in brute_force_single(clusters, aid, name)], (aid, name)


# -- build-side input safety (issue 10, defect 7) --------------------------------------------------
def test_a_second_writer_is_told_that_another_build_holds_the_store(tmp_path, corpus):
    holder = KGStore(tmp_path / "store")  # a build in progress holds the store for writing
    try:
        proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(corpus), "--store", str(tmp_path / "store")],
                              capture_output=True, text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
                              timeout=600)
        assert proc.returncode == 1
        assert "another kg build or kg remove is writing to the store" in proc.stderr
        assert "Traceback" not in proc.stderr and "LOCK" not in proc.stderr
        removed = subprocess.run([sys.executable, "-m", "kg.cli", "remove", "x", "--store", str(tmp_path / "store")],
                                 capture_output=True, text=True, cwd=REPO, timeout=600,
                                 env={**os.environ, "PYTHONPATH": str(REPO)})
        assert removed.returncode == 1 and "another kg build" in removed.stderr and "Traceback" not in removed.stderr
    finally:
        holder.close()
        del holder
        gc.collect()
    assert build(KGStore(tmp_path / "store"), [corpus], workers=1).ok  # free again once the first one ends


def test_a_reused_article_id_replaces_the_earlier_article_with_a_warning(tmp_path):
    first = write(tmp_path / "monday", "story.txt", AGREEMENT)
    second = write(tmp_path / "tuesday", "story.txt", MEETING)
    assert kg_cli("build", first, "--store", tmp_path / "store", "--no-validate", "--workers", "1").exit_code == 0
    result = kg_cli("build", second, "--store", tmp_path / "store", "--no-validate", "--workers", "1")
    assert result.exit_code == 0
    assert (f"warning: {second}: article id 'story' is already in the store (from story.txt) with another text; "
            f"the new text replaces it") in result.stderr
    store = KGStore(tmp_path / "store", read_only=True)
    (text,) = [r["t"] for r in store.select('SELECT ?t WHERE { ?a kg:articleId "story" ; kg:text ?t }')]
    assert "Vienna" in text


def test_a_symlink_out_of_the_input_folder_is_refused_and_one_inside_is_read(tmp_path, corpus):
    secret = write(tmp_path / "elsewhere", "secret.txt", MEETING.replace("Vienna", "Oslo"))
    (corpus / "leak.txt").symlink_to(secret)
    (tmp_path / "elsewhere" / "sub").mkdir()
    write(tmp_path / "elsewhere" / "sub", "deep.txt", AGREEMENT.replace("50", "70"))
    (corpus / "linked-dir").symlink_to(tmp_path / "elsewhere" / "sub", target_is_directory=True)
    (corpus / "alias.txt").symlink_to(corpus / "agreement.txt")  # inside the folder: an ordinary duplicate
    report = build(KGStore(tmp_path / "store"), [corpus], workers=1)
    refused = {e.source: e.reason for e in report.errors}
    assert f"symbolic link to {secret}, outside the input folder {corpus}; not read" == refused[str(corpus / "leak.txt")]
    assert all("outside the input folder" in why for why in refused.values())
    assert "Oslo" not in "".join(r for r in report.added)
    assert sorted(report.added) == ["agreement", "meeting", "percent"]
    assert report.duplicates and "alias.txt" in report.duplicates[0]


def test_the_graph_holds_no_absolute_path_of_the_server(tmp_path, corpus):
    sub = write(corpus / "2024" / "march", "nested.txt", AGREEMENT.replace("50", "60"))
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "r1", "text": "Armenia and Azerbaijan agreed on Friday to exchange 40 prisoners."}\n')
    store = KGStore(tmp_path / "store")
    assert build(store, [corpus.resolve(), feed.resolve()], workers=1).ok
    paths = {r["id"]: r["p"] for r in store.select("SELECT ?id ?p WHERE { ?a kg:articleId ?id ; kg:sourcePath ?p }")}
    assert paths == {"agreement": "agreement.txt", "meeting": "meeting.txt", "percent": "percent.txt",
                     "nested": "2024/march/nested.txt", "r1": "feed.jsonl:1"}
    literals = [q.object.value for q in store.store.quads_for_pattern(None, None, None, None)
                if isinstance(q.object, ox.Literal)]
    assert literals and not [v for v in literals if str(tmp_path) in v] and sub.exists()


# -- incremental validation ------------------------------------------------------------------------
def test_validation_after_a_build_looks_at_the_graphs_it_changed_and_what_they_reach(seeds_store, tmp_path, corpus):
    import shutil

    from kg.validate import validate_graphs, validate_store

    shutil.copytree(seeds_store, tmp_path / "store")
    store = KGStore(tmp_path / "store")
    report = build(store, [corpus / "meeting.txt"], workers=1)
    assert report.added == ["meeting"]
    new_graph = store.minter.graph("meeting")
    result = validate_graphs(store, [new_graph])
    assert result.conforms, result.text
    assert 0 < result.triples < len(store) / 2  # one article and the nodes it reaches, not the store
    whole = validate_store(store)
    assert whole.conforms and whole.triples > result.triples

    def drop_an_anchor(graph: str) -> None:
        (quad,) = list(store.store.quads_for_pattern(None, ox.NamedNode("http://persistence.uni-leipzig.org/nlp2rdf/"
                                                                       "ontologies/nif-core#anchorOf"), None,
                                                     ox.NamedNode(graph)))[:1]
        store.store.remove(quad)

    drop_an_anchor(new_graph)
    broken = validate_graphs(store, [new_graph])
    assert not broken.conforms and "exactly one nif:anchorOf" in broken.text
    # a graph this build did not write is not looked at again (the whole store is validate_store)
    seed_graph = sorted(g for g in store.named_graphs() if g not in (new_graph, store.minter.resolution_graph()))[0]
    assert validate_graphs(store, []).conforms
    drop_an_anchor(seed_graph)
    assert not validate_store(store).conforms


# -- every core ------------------------------------------------------------------------------------
def test_extraction_in_worker_processes_equals_extraction_here(tmp_path, corpus, monkeypatch):
    """Two worker processes (spawned, each with its own model) give the same extractions and the
    same graph as one process; the Docs stay in the workers."""
    import multiprocessing

    from kg.facts import facts
    from kg.reader import read_articles

    for i, text in enumerate([AGREEMENT, MEETING, PERCENT_DEMAND] * 2):
        write(corpus, f"copy-{i}.txt", text.replace("officials said", f"officials said ({i})")
              .replace("her lawyer said", f"her lawyer said ({i})").replace("Saturday.", f"Saturday ({i})."))
    arts = sorted((a for a in read_articles([corpus])), key=lambda a: a.id)
    monkeypatch.setattr(kg.extraction, "POOL_MINIMUM", 0)
    monkeypatch.setattr(kg.extraction, "BATCH", 2)
    workers_seen = 0
    remote = []
    for art, ex, failure in kg.extraction.extract_articles(arts, workers=2):
        workers_seen = max(workers_seen, len(multiprocessing.active_children()))
        remote.append((art.id, ex.to_dict(), failure))
    assert workers_seen == 2
    local = [(a.id, ex.to_dict(), failure) for a, ex, failure in kg.extraction.extract_articles(arts, workers=1)]
    assert remote == local and len(local) == 9

    here, there = KGStore(tmp_path / "one"), KGStore(tmp_path / "two")
    assert build(here, [corpus], workers=1).ok and build(there, [corpus], workers=2).ok
    assert facts(here) == facts(there)


def test_graphs_made_from_unchanged_inputs_are_skipped_and_relinked_ones_rewritten(tmp_path):
    from test_build import quads

    folder = tmp_path / "in"
    write(folder, "alone.txt", "date 2024-03-09 Vienna.\n\nPresident Odhiambo met Ethiopian officials in Vienna on Saturday.\n")
    store = KGStore(tmp_path / "store")
    assert build(store, [folder], workers=1).added == ["alone"]
    write(folder, "full.txt", MEETING)  # 'Mara Odhiambo': the lone surname now resolves to her
    report = build(store, [folder], workers=1)
    assert report.added == ["full"] and report.relinked == ["alone"]
    denoted = store.select("""SELECT DISTINCT ?n WHERE { GRAPH ?g { ?m kg:denotes ?n ; nif:anchorOf "Odhiambo" } }""")
    assert [r["n"] for r in denoted] == [store.minter.actor("mara-odhiambo")]
    again = build(store, [folder], workers=1)
    assert again.added == again.relinked == [] and sorted(again.unchanged) == ["alone", "full"]
    fresh = KGStore(tmp_path / "fresh")
    build(fresh, [folder], workers=1)
    assert quads(store, skip_build_time=True) == quads(fresh, skip_build_time=True)


# -- incremental: one article against the stored state ---------------------------------------------
def _seed_folders(tmp_path: Path, seeds_store: Path) -> tuple[Path, Path, str]:
    """Every seed article but the last in one folder, the last alone in another."""
    import shutil

    files = sorted((REPO / "seeds").glob("*.txt"))  # conftest's SEEDS: `import conftest` is ambiguous here
    most, one = tmp_path / "most", tmp_path / "one"
    most.mkdir()
    one.mkdir()
    for f in files[:-1]:
        shutil.copy(f, most / f.name)
    shutil.copy(files[-1], one / files[-1].name)
    return most, one, files[-1].stem


def _built(tmp_path: Path, seeds_store: Path, name: str, *folders: Path) -> KGStore:
    import shutil

    store_dir = tmp_path / name
    store_dir.mkdir()
    shutil.copytree(seeds_store / "cache", store_dir / "cache")  # parse nothing: the seeds' extractions
    store = KGStore(store_dir)
    build(store, list(folders), workers=1)  # one build from scratch
    return store


def test_adding_and_removing_one_article_equals_a_build_from_scratch(tmp_path, seeds_store, monkeypatch):
    from test_build import quads

    from kg.facts import facts

    most, one, last = _seed_folders(tmp_path, seeds_store)
    grown = _built(tmp_path, seeds_store, "grown", most)

    def no_read_back(store):
        raise AssertionError("the build read every stored article back")

    monkeypatch.setattr(kg.build, "stored_articles", no_read_back)
    replaced: list[str] = []
    real = KGStore.replace_graphs
    monkeypatch.setattr(KGStore, "replace_graphs", lambda self, graphs: (replaced.extend(graphs), real(self, graphs)))
    assert build(grown, [one], workers=1).added == [last]
    assert grown.minter.resolution_graph() not in replaced  # patched, not rewritten
    monkeypatch.undo()
    whole = _built(tmp_path, seeds_store, "whole", most, one)
    assert facts(grown) == facts(whole)
    assert quads(grown, skip_build_time=True) == quads(whole, skip_build_time=True)

    monkeypatch.setattr(kg.build, "stored_articles", no_read_back)
    assert kg.build.remove_article(grown, last)
    monkeypatch.undo()
    fewer = _built(tmp_path, seeds_store, "fewer", most)
    assert facts(grown) == facts(fewer)
    assert quads(grown, skip_build_time=True) == quads(fewer, skip_build_time=True)


def test_a_manifest_that_does_not_match_the_store_is_not_trusted(tmp_path, seeds_store):
    """A store changed behind the build's back (a graph dropped by hand): the articles are read
    back from the store instead, and the resolution graph is rewritten whole."""
    from test_build import quads

    most, one, last = _seed_folders(tmp_path, seeds_store)
    store = _built(tmp_path, seeds_store, "changed", most)
    build(store, [one], workers=1)
    store.drop_graphs([store.minter.graph(last)])
    store.patch_graph(store.minter.resolution_graph(), [], [ox.Quad(
        ox.NamedNode("http://example.org/x"), ox.NamedNode("http://example.org/p"), ox.Literal("stray"),
        ox.NamedNode(store.minter.resolution_graph()))])
    assert kg.build.ArticleManifest(store.path).load(store) is None
    build(store, [], workers=1)
    fewer = _built(tmp_path, seeds_store, "fewer", most)
    assert quads(store, skip_build_time=True) == quads(fewer, skip_build_time=True)


def test_validation_in_batches_finds_what_one_pass_over_all_graphs_finds(seeds_store, tmp_path):
    """Bounded memory: graphs validated a few at a time give the same report as all at once."""
    import shutil

    from kg.validate import validate_graphs

    shutil.copytree(seeds_store, tmp_path / "store")
    store = KGStore(tmp_path / "store")
    graphs = [g for g in store.named_graphs() if g != store.minter.resolution_graph()]
    assert validate_graphs(store, graphs, batch=2).conforms
    anchor = ox.NamedNode("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf")
    for g in graphs[:1] + graphs[-1:]:  # one fault in the first batch, one in the last
        store.store.remove(next(iter(store.store.quads_for_pattern(None, anchor, None, ox.NamedNode(g)))))
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    event = next(q for q in store.quads(store.minter.resolution_graph()) if q.predicate == label
                 and "/event/" in q.subject.value)
    store.store.remove(event)  # a fault in a resolution node that several batches reach
    whole, batched = validate_graphs(store, graphs, batch=len(graphs)), validate_graphs(store, graphs, batch=2)
    assert not whole.conforms and whole.results >= 3
    assert batched.messages == whole.messages


def test_a_manifest_is_not_trusted_once_an_article_was_replaced_from_elsewhere(tmp_path, seeds_store):
    """Another machine wrote a new text under a stored id (a server shared by two builders)."""
    most, one, last = _seed_folders(tmp_path, seeds_store)
    store = _built(tmp_path, seeds_store, "shared", most)
    manifest = kg.build.ArticleManifest(store.path)
    assert manifest.load(store) is not None
    graph = store.minter.graph(sorted(p.stem for p in most.glob("*.txt"))[0])
    hash_term = ox.NamedNode("https://w3id.org/newskg/ontology#contentHash")
    (old,) = list(store.store.quads_for_pattern(None, hash_term, None, ox.NamedNode(graph)))
    store.store.remove(old)
    store.store.add(ox.Quad(old.subject, old.predicate, ox.Literal("sha256:" + "0" * 64), old.graph_name))
    assert manifest.load(store) is None


def _resolution_facts(res) -> tuple:
    nodes = [(k, n.type, list(n.names.items()), n.side, n.within, n.slug, sorted(n.titled)) for k, n in res.nodes.items()]
    events = [(e.key, e.slug, e.date, [(c.article_id, list(c.roles.items()), c.venue, c.place) for c in e.claims])
              for e in res.events]
    return nodes, list(res.denotes.items()), events, list(res.labels.items())


def test_a_resolution_after_others_in_one_process_answers_what_a_first_one_answers():
    """The process-wide lookup caches of resolution (kg.resolve's lru caches) are filled by one
    corpus and read by another: each corpus resolves as it does first in a process."""
    from kg.extract import extract_docs
    from kg.reader import Article, read_articles

    extractions = extract_docs([a for a in read_articles([SEEDS]) if isinstance(a, Article)])
    subsets = [extractions[::2], extractions, extractions[1::3], extractions[::2]]
    again = [_resolution_facts(resolve(sub)) for sub in reversed(subsets)][::-1]
    assert [_resolution_facts(resolve(sub)) for sub in subsets] == again
    assert again[0] == again[3] and again[0] != again[1]
