"""Loading: idempotent builds, duplicates under other names, incremental extraction, removal, and a
build killed mid-way, all on real on-disk Oxigraph stores."""
from __future__ import annotations

import gc
import hashlib
import json
import marshal
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

import kg.build
import kg.packed
from kg.build import build, remove_article
from kg.store import KGStore

from conftest import REPO, SEEDS

ENDED = "http://www.w3.org/ns/prov#endedAtTime"
NEW_ARTICLE = """\
    date 2024-03-08 Geneva.

    Armenia and Azerbaijan agreed on Friday to exchange 50 prisoners of war, officials said.
    """


def quads(store: KGStore, *, skip_build_time: bool = False) -> set[str]:
    return {str(q) for q in store.store.quads_for_pattern(None, None, None, None)
            if not (skip_build_time and q.predicate.value == ENDED)}


@pytest.fixture
def store(seeds_store, tmp_path) -> KGStore:
    """A writable copy of the seeds store (with its extraction cache)."""
    directory = tmp_path / "store"
    shutil.copytree(seeds_store, directory)
    s = KGStore(directory)
    yield s
    del s
    gc.collect()


@pytest.fixture
def spy(monkeypatch) -> list[str]:
    """The ids of the articles that the build asks the real extraction to parse."""
    seen: list[str] = []
    real = kg.build.extract_articles

    def counting(articles, *args, **kwargs):
        seen.extend(a.id for a in articles)
        return real(articles, *args, **kwargs)

    monkeypatch.setattr(kg.build, "extract_articles", counting)
    return seen


def article_graphs(store: KGStore) -> list[str]:
    return [g for g in store.named_graphs() if g != store.minter.resolution_graph()]


# -- 4. idempotency ----------------------------------------------------------------------------
def test_building_twice_adds_nothing_and_parses_nothing(store, spy):
    before, count = quads(store), len(store)
    report = build(store, [SEEDS])
    assert report.ok and report.added == [] and report.relinked == [] and report.duplicates == []
    assert sorted(report.unchanged) == sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert spy == []
    assert len(store) == count
    assert quads(store) == before


def test_same_article_under_a_second_name_is_skipped(store, tmp_path, spy):
    folder = tmp_path / "more"
    folder.mkdir()
    seed = sorted(SEEDS.glob("*.txt"))[2]
    shutil.copy(seed, folder / "renamed-copy.txt")
    before = quads(store)
    report = build(store, [folder])
    assert report.added == [] and spy == []
    assert len(report.duplicates) == 1
    assert "renamed-copy.txt" in report.duplicates[0] and seed.stem in report.duplicates[0]
    assert quads(store) == before
    assert not store.has_graph(store.minter.graph("renamed-copy"))


def test_a_new_article_is_the_only_one_extracted(store, tmp_path, spy):
    cache_before = set(os.listdir(store.cache_dir))
    (tmp_path / "new-one.txt").write_text(textwrap.dedent(NEW_ARTICLE), encoding="utf-8")
    report = build(store, [SEEDS, tmp_path / "new-one.txt"])
    assert spy == ["new-one"]
    assert report.added == ["new-one"]
    assert len(set(os.listdir(store.cache_dir)) - cache_before) == 1
    assert store.has_graph(store.minter.graph("new-one"))
    rows = store.select("""SELECT ?e WHERE { ?e a kg:Agreement ; kg:evidence/kg:article ?a .
                           ?a kg:articleId "new-one" }""")
    assert rows, "the new article's agreement is not in the graph"


def test_changed_text_under_the_same_name_replaces_the_old_version(store, tmp_path, spy):
    path = tmp_path / "story.txt"
    path.write_text(textwrap.dedent(NEW_ARTICLE), encoding="utf-8")
    build(store, [path])
    path.write_text(textwrap.dedent(NEW_ARTICLE).replace("50", "70"), encoding="utf-8")
    report = build(store, [path])
    assert report.added == ["story"] and spy == ["story", "story"]
    rows = store.select("""SELECT ?text ?hash WHERE { GRAPH ?g { ?a kg:articleId "story" ; kg:text ?text ;
                           kg:contentHash ?hash } }""", union=False)
    assert len(rows) == 1 and "70 prisoners" in rows[0]["text"]
    assert rows[0]["hash"] == "sha256:" + hashlib.sha256(rows[0]["text"].encode()).hexdigest()


def test_remove_drops_the_article_and_the_events_only_it_supported(store, tmp_path):
    (tmp_path / "extra.txt").write_text(textwrap.dedent(NEW_ARTICLE), encoding="utf-8")
    build(store, [tmp_path / "extra.txt"])
    events_of = """SELECT DISTINCT ?e WHERE { ?e kg:evidence/kg:article ?a . ?a kg:articleId "%s" }"""
    only_extra = {r["e"] for r in store.select(events_of % "extra")}
    seed_events = {r["e"] for r in store.select("SELECT DISTINCT ?e WHERE { ?e a kg:Event }")} - only_extra
    assert only_extra and seed_events

    assert remove_article(store, "extra")
    assert not store.has_graph(store.minter.graph("extra"))
    left = {r["e"] for r in store.select("SELECT DISTINCT ?e WHERE { ?e a kg:Event }")}
    assert not left & only_extra, "an event that only the removed article supported is still there"
    assert store.select('SELECT ?a WHERE { ?a kg:articleId "extra" }') == []
    # the seeds' events are still backed by their articles
    assert len(left) == len(seed_events)
    assert not remove_article(store, "extra")


def test_removing_one_of_several_sources_keeps_the_event(store):
    shared = store.select("""SELECT ?e (COUNT(DISTINCT ?a) AS ?n) WHERE { ?e a kg:Event ; kg:evidence/kg:article ?a }
                             GROUP BY ?e HAVING (COUNT(DISTINCT ?a) > 1) ORDER BY DESC(?n) LIMIT 1""")
    assert shared, "no event with several sources in the seeds"
    event = shared[0]["e"]
    victim = store.select(f"""SELECT ?id WHERE {{ <{event}> kg:evidence/kg:article ?a . ?a kg:articleId ?id }}
                              ORDER BY ?id LIMIT 1""")[0]["id"]
    assert remove_article(store, victim)
    ids = {r["id"] for r in store.select("""SELECT ?id WHERE { ?e kg:evidence/kg:article ?a . ?a kg:articleId ?id .
                                              ?e a kg:Event }""")}
    assert victim not in ids
    left = store.select("""SELECT ?e (COUNT(DISTINCT ?a) AS ?n) WHERE { ?e a kg:Event ; kg:evidence/kg:article ?a }
                           GROUP BY ?e ORDER BY DESC(?n) LIMIT 1""")
    assert left[0]["n"] == shared[0]["n"] - 1


# -- the packed extraction cache ----------------------------------------------------------------
def pack_path(store: KGStore) -> Path:
    return store.cache_dir / kg.build.ExtractionCache.PACK


def extractions_of(store: KGStore) -> dict:
    """Every stored article's cached extraction, as plain data."""
    cache = kg.build.ExtractionCache(store.cache_dir)
    return {a.id: cache.get(a).to_dict() for a in kg.build.stored_articles(store).values()}


def test_a_build_reads_the_pack_and_parses_nothing(store, spy):
    assert pack_path(store).exists()
    for path in store.cache_dir.glob("*.json"):
        path.unlink()  # only the pack is left to read
    before = quads(store)
    report = build(store, [SEEDS])
    assert report.ok and spy == [] and report.added == [] and report.relinked == []
    assert quads(store) == before


def rewrite_pack(path: Path, version: str) -> None:
    """The pack as another extractor would have written it (its checksum right)."""
    fmt, _, layout, entries = marshal.loads(path.read_bytes().partition(b"\n")[2])
    body = marshal.dumps((fmt, version, layout, entries))
    path.write_bytes(hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body)


@pytest.mark.parametrize("damage", ["cut", "flipped", "garbage", "other extractor"])
def test_a_damaged_or_stale_pack_is_ignored_and_nothing_is_lost(store, spy, damage):
    want = extractions_of(store)
    raw = pack_path(store).read_bytes()
    if damage == "cut":
        pack_path(store).write_bytes(raw[:len(raw) // 2])
    elif damage == "flipped":
        pack_path(store).write_bytes(raw[:-10] + bytes([raw[-10] ^ 1]) + raw[-9:])
    elif damage == "garbage":
        pack_path(store).write_bytes(b"not a pack at all")
    else:
        rewrite_pack(pack_path(store), "kg-extract/another")
    assert kg.packed.ExtractionPack(pack_path(store)).entries == {}
    before = quads(store)
    report = build(store, [SEEDS])
    assert report.ok and spy == []  # the per-article files are read instead
    assert quads(store) == before
    assert extractions_of(store) == want
    pack = kg.packed.ExtractionPack(pack_path(store))
    assert len(pack.entries) == len(want)  # written again, whole


def test_an_article_missing_from_the_pack_is_read_from_its_file(store, spy, tmp_path):
    (tmp_path / "new-one.txt").write_text(textwrap.dedent(NEW_ARTICLE), encoding="utf-8")
    old_pack = pack_path(store).read_bytes()
    assert build(store, [tmp_path / "new-one.txt"]).added == ["new-one"]
    pack_path(store).write_bytes(old_pack)  # a pack from before the new article
    spy.clear()
    before = quads(store, skip_build_time=True)
    report = build(store, [SEEDS, tmp_path / "new-one.txt"])
    assert report.ok and spy == [] and report.added == []
    assert quads(store, skip_build_time=True) == before
    new = kg.build.stored_articles(store)["new-one"]
    assert new.content_hash in kg.packed.ExtractionPack(pack_path(store)).entries  # packed again


def test_unpacking_gives_the_extraction_the_file_gives(store):
    cache = kg.build.ExtractionCache(store.cache_dir)
    for art in kg.build.stored_articles(store).values():
        from_file = cache._read(art)
        from_file.article_id = art.id
        assert kg.packed.unpack(kg.packed.pack(from_file)) == from_file


def test_a_new_extractor_parses_the_stored_articles_again_from_their_stored_text(store, spy, monkeypatch, tmp_path):
    """Every cached extraction stale (the extraction code changed): the stored articles, known
    from the manifest without their text, are parsed again from their graphs' text; nothing is
    lost, and a build with a new article or none keeps every article and event."""
    monkeypatch.setattr(kg.build, "EXTRACTOR_VERSION", "kg-extract/another")
    monkeypatch.setattr(kg.packed, "EXTRACTOR_VERSION", "kg-extract/another")
    before = quads(store, skip_build_time=True)
    report = build(store, [])
    assert report.ok, report.errors
    assert sorted(spy) == sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert quads(store, skip_build_time=True) == before


def test_resolution_blocks_of_an_older_scheme_make_the_graph_be_written_whole(store, tmp_path):
    """A blocks file hashed otherwise (an older kg) never leaves a subject unwritten."""
    blocks = store.path / kg.build.ResolutionBlocks.FILE
    data = json.loads(blocks.read_text())
    blocks.write_text(json.dumps({"size": data["size"], "blocks": {s: "0" * 64 for s in data["blocks"]}}))
    (tmp_path / "new-one.txt").write_text(textwrap.dedent(NEW_ARTICLE), encoding="utf-8")
    assert build(store, [tmp_path / "new-one.txt"]).added == ["new-one"]
    fresh = KGStore(tmp_path / "fresh")
    build(fresh, [SEEDS, tmp_path / "new-one.txt"])
    graph = store.minter.resolution_graph()
    assert {str(q) for q in store.quads(graph)} == {str(q) for q in fresh.quads(graph)}
    assert json.loads(blocks.read_text())["scheme"] == kg.build.ResolutionBlocks.SCHEME


# -- 6. a build killed mid-way -----------------------------------------------------------------
N_CRASH = 24
KILL_AFTER = 8
CHILD = r"""
import sys
import kg.store
from kg.cli import main

kg.store.KGStore.write_batch = 4  # several batches before the kill
real = kg.store.KGStore.replace_graphs
def announcing(self, graphs):
    real(self, graphs)
    for g in graphs:
        print("wrote", g, flush=True)
kg.store.KGStore.replace_graphs = announcing
main(sys.argv[1:])
"""


def make_variants(folder: Path, n: int) -> None:
    """Distinct articles from the seeds: new names, shuffled paragraphs, a changed closing line."""
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(n):
        seed = seeds[i % len(seeds)]
        paras = [p for p in re.split(r"\n\s*\n", seed.read_text(encoding="utf-8").strip()) if p.strip()]
        rest = paras[1:]
        random.Random(i).shuffle(rest)
        (folder / f"v{i:03d}-{seed.stem[:3]}.txt").write_text(
            "\n\n".join(paras[:1] + rest) + f"\n\n(Archive copy {i}.)\n", encoding="utf-8")


def check_whole_articles(store: KGStore) -> int:
    graphs = article_graphs(store)
    with_article = store.select("""SELECT DISTINCT ?g WHERE { GRAPH ?g { ?a a kg:Article } }""", union=False)
    assert len(with_article) == len(graphs), "a named graph without its article node"
    for g in graphs:
        rows = store.select("""SELECT ?text ?hash WHERE { ?a a kg:Article ; kg:text ?text ; kg:contentHash ?hash }""",
                            union=False, default_graph=ox.NamedNode(g))
        assert len(rows) == 1, f"{g}: article node without one text and hash"
        text = rows[0]["text"]
        assert rows[0]["hash"] == "sha256:" + hashlib.sha256(text.encode()).hexdigest()
        spans = store.select("""SELECT ?b ?e ?anchor WHERE { ?s nif:beginIndex ?b ; nif:endIndex ?e ;
                                nif:anchorOf ?anchor }""", union=False, default_graph=ox.NamedNode(g))
        assert spans, f"{g}: no evidence spans"
        assert all(text[s["b"]:s["e"]] == s["anchor"] for s in spans), g
        events = store.select("SELECT ?e WHERE { ?e kg:evidence ?s }", union=False, default_graph=ox.NamedNode(g))
        assert events, f"{g}: no event claims"
    return len(graphs)


def test_build_killed_midway_leaves_whole_articles_and_a_rerun_completes(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    make_variants(corpus, N_CRASH)
    # the reference: a clean build (in-process), whose extraction cache the crashing build reuses so
    # that it reaches the writing phase quickly
    clean = KGStore(tmp_path / "clean")
    assert build(clean, [corpus]).ok
    crashed_dir = tmp_path / "crashed"
    crashed_dir.mkdir()
    shutil.copytree(clean.cache_dir, crashed_dir / "cache")
    # one article first: a build into an empty store bulk-loads (see the test after this one),
    # this one is about the transactions of a store that holds something
    first = KGStore(crashed_dir)
    assert build(first, [sorted(corpus.glob("*.txt"))[0]]).ok
    resolution_before = {str(q) for q in first.quads(first.minter.resolution_graph())}
    first.close()

    # land between or inside the next transactions
    kill_after_writes(["build", str(corpus), "--store", str(crashed_dir), "--no-validate"], KILL_AFTER, jitter=0.02)

    crashed = KGStore(crashed_dir)
    present = check_whole_articles(crashed)
    assert KILL_AFTER <= present < N_CRASH
    # the resolution graph is written after the article graphs: still the first build's
    assert {str(q) for q in crashed.quads(crashed.minter.resolution_graph())} == resolution_before

    report = build(crashed, [corpus])
    assert report.ok and len(report.added) == N_CRASH - present
    assert check_whole_articles(crashed) == N_CRASH
    assert quads(crashed, skip_build_time=True) == quads(clean, skip_build_time=True)


def kill_after_writes(args: list[str], writes: int, jitter: float = 0.0) -> str:
    """Run `kg ARGS` in a child and SIGKILL it once it has written `writes` graphs (and up to
    `jitter` seconds more); its stderr."""
    proc = subprocess.Popen([sys.executable, "-c", CHILD, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=REPO)
    written = 0
    try:
        for line in proc.stdout:
            written += line.startswith("wrote")
            if written >= writes:
                time.sleep(random.uniform(0, jitter))
                break
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
        stderr = proc.stderr.read()
    assert proc.returncode == -signal.SIGKILL and written >= writes, f"ended before the kill: {stderr[-2000:]}"
    return stderr


def test_first_build_killed_midway_starts_again_from_the_empty_store(tmp_path):
    """A first build bulk-loads (not atomic): killed mid-way, it leaves its marker; readers are
    told, and the next build clears the half-loaded store, says so, and ends as a clean build."""
    from kg.store import FIRST_LOAD, StoreError

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    make_variants(corpus, N_CRASH)
    clean = KGStore(tmp_path / "clean")
    assert build(clean, [corpus]).ok and not (clean.path / FIRST_LOAD).exists()
    crashed_dir = tmp_path / "crashed"
    crashed_dir.mkdir()
    shutil.copytree(clean.cache_dir, crashed_dir / "cache")
    kill_after_writes(["build", str(corpus), "--store", str(crashed_dir), "--no-validate"], KILL_AFTER)
    assert (crashed_dir / FIRST_LOAD).exists()
    with pytest.raises(StoreError, match="first build"):
        KGStore(crashed_dir, read_only=True)
    crashed = KGStore(crashed_dir)
    assert crashed.recovered and len(crashed) == 0
    report = build(crashed, [corpus])
    assert report.ok and len(report.added) == N_CRASH
    assert any("interrupted" in w for w in report.warnings)
    assert not (crashed_dir / FIRST_LOAD).exists()
    assert quads(crashed, skip_build_time=True) == quads(clean, skip_build_time=True)


def test_a_bulk_loaded_first_build_equals_a_transactional_one(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    make_variants(corpus, 6)
    bulk = KGStore(tmp_path / "bulk")
    assert build(bulk, [corpus]).ok
    monkeypatch.setattr(KGStore, "begin_first_load", lambda self: False)
    plain = KGStore(tmp_path / "plain")
    shutil.copytree(bulk.cache_dir, plain.cache_dir)
    assert build(plain, [corpus]).ok
    assert quads(bulk, skip_build_time=True) == quads(plain, skip_build_time=True)


def test_two_inputs_with_one_name_in_one_build_are_not_silently_merged(store, tmp_path):
    for folder, n in (("a", 50), ("b", 70)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "index.txt").write_text(textwrap.dedent(NEW_ARTICLE).replace("50", str(n)))
    report = build(store, [tmp_path / "a", tmp_path / "b"])
    assert report.added == ["index"]
    assert len(report.errors) == 1 and report.errors[0].source == str(tmp_path / "b" / "index.txt")
    assert "already taken" in report.errors[0].reason and str(tmp_path / "a" / "index.txt") in report.errors[0].reason
    text = store.select('SELECT ?t WHERE { ?a kg:articleId "index" ; kg:text ?t }')[0]["t"]
    assert "50 prisoners" in text


def test_a_corrected_date_is_not_served_from_the_extraction_cache(tmp_path):
    """Same text, removed and added again with another stated date: relative days follow the new
    date, not an extraction cached under the old one."""
    from kg.facts import facts

    text = "Armenia and Azerbaijan agreed on Friday to exchange 50 prisoners of war, officials said."
    feed = tmp_path / "feed.jsonl"
    store = KGStore(tmp_path / "store")

    def agreement_date(published: str) -> str | None:
        feed.write_text(f'{{"id": "r1", "published": "{published}", "text": "{text}"}}\n', encoding="utf-8")
        assert build(store, [feed]).ok
        (ev,) = [e for e in facts(store)["events"] if e["type"] == "Agreement"]
        return ev["date"]

    assert agreement_date("2024-03-09") == "2024-03-08"
    assert remove_article(store, "r1")
    assert agreement_date("2024-03-16") == "2024-03-15"


def test_a_running_server_never_picks_up_a_half_loaded_first_build(tmp_path):
    """The watcher of `kg serve` waits while the first-load marker is there, even with no
    writer holding the lock (the build was killed): the next build clears the store first."""
    from kg.query.freshness import StoreWatcher
    from kg.store import FIRST_LOAD

    class Generation:
        value = 0

        def bump(self) -> None:
            self.value += 1

    store = KGStore(tmp_path / "s")
    store.close()
    watcher = StoreWatcher(str(tmp_path / "s" / "oxigraph"), Generation(), interval=3600)
    try:
        assert not watcher.busy()
        (tmp_path / "s" / FIRST_LOAD).write_text("loading\n")
        assert watcher.busy()
        (tmp_path / "s" / FIRST_LOAD).unlink()
        assert not watcher.busy()
    finally:
        watcher.close()


def test_collection_stays_off_through_a_build_whatever_a_parse_does():
    """Loading a spaCy model turns cyclic collection on: after the parse stage it is off again,
    so resolution and writing do not walk the store's extractions (~2x slower)."""
    assert gc.isenabled()
    with kg.build.without_gc():
        for many in (False, True):
            with kg.build.collecting(many):
                assert gc.isenabled() == many
                gc.enable()  # as spacy.load does
            assert not gc.isenabled()
    assert gc.isenabled()
