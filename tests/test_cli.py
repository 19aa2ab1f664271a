"""The `kg` command line on real stores: bad input, JSON Lines metadata, duplicates, export, query,
facts and remove (click's CliRunner in-process, so the model loads once; one real subprocess)."""
from __future__ import annotations

import json
from datetime import date, timedelta
import shutil
import subprocess
import sys

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.facts import facts
from kg.store import KGStore

from conftest import REPO, SEEDS
from test_reader import BAD_KINDS, GOOD, good_and_bad


def kg(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


# -- 5. bad input through `kg build` ------------------------------------------------------------
@pytest.mark.parametrize("kind", BAD_KINDS)
def test_build_reports_bad_input_loads_the_rest_and_exits_non_zero(kind, tmp_path):
    folder, bad, reason = good_and_bad(kind, tmp_path)
    args = ["build", folder] + ([bad] if kind == "missing" else []) + ["--store", tmp_path / "store", "--no-validate"]
    result = kg(*args)
    assert result.exit_code == 1, result.output
    assert f"error: {bad}: " in result.stderr and reason in result.stderr.split(f"error: {bad}: ")[1].splitlines()[0]
    assert "1 added" in result.stdout and "1 failed" in result.stdout
    store = KGStore(tmp_path / "store", read_only=True)
    assert [r["id"] for r in store.select("SELECT ?id WHERE { ?a a kg:Article ; kg:articleId ?id }")] == ["good"]


def test_build_with_validation_exits_non_zero_on_bad_input_too(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    result = kg("build", tmp_path, "--store", tmp_path / "store")
    assert result.exit_code == 1
    assert "SHACL: the graph conforms" in result.stdout
    assert f"error: {tmp_path / 'empty.txt'}: empty file" in result.stderr


def test_build_of_good_input_exits_zero(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    result = kg("build", tmp_path / "good.txt", "--store", tmp_path / "store", "--no-validate")
    assert result.exit_code == 0 and result.stderr == ""
    again = kg("build", tmp_path / "good.txt", "--store", tmp_path / "store", "--no-validate")
    assert again.exit_code == 0 and "0 added" in again.stdout and "1 unchanged" in again.stdout


def test_jsonl_metadata_is_in_the_store_and_bad_lines_are_named(tmp_path):
    feed = tmp_path / "feed.jsonl"
    records = [
        {"id": "rec-1", "text": GOOD, "url": "https://news.example/a", "title": "Prisoner deal",
         "published": "2024-03-09", "outlet": "Example News"},
        {"text": "Kenyan President William Ruto met Ethiopian officials in Nairobi on Tuesday, his office said."},
    ]
    feed.write_text(json.dumps(records[0]) + "\n{oops\n" + json.dumps(records[1]) + '\n{"id": "x"}\n',
                    encoding="utf-8")
    result = kg("build", feed, "--store", tmp_path / "store", "--no-validate")
    assert result.exit_code == 1
    assert f"error: {feed}:2: not valid JSON" in result.stderr
    assert f"error: {feed}:4: record has no non-empty 'text'" in result.stderr
    store = KGStore(tmp_path / "store", read_only=True)
    rows = store.select("""SELECT ?id ?title ?url ?date ?outlet ?path WHERE { ?a a kg:Article ; kg:articleId ?id ;
        kg:sourcePath ?path . OPTIONAL { ?a dct:title ?title } OPTIONAL { ?a schema:url ?url }
        OPTIONAL { ?a dct:date ?date } OPTIONAL { ?a kg:outlet ?outlet } } ORDER BY ?id""")
    assert rows == [
        {"id": "feed-3", "title": None, "url": None, "date": None, "outlet": None, "path": "feed.jsonl:3"},
        {"id": "rec-1", "title": "Prisoner deal", "url": "https://news.example/a", "date": "2024-03-09",
         "outlet": "Example News", "path": "feed.jsonl:1"},
    ]
    assert store.select("""SELECT ?e WHERE { ?e a kg:Agreement ; kg:evidence/kg:article/kg:articleId "rec-1" }""")


def test_the_same_article_under_another_name_is_reported_as_skipped(seeds_store, tmp_path):
    store_dir = tmp_path / "store"
    shutil.copytree(seeds_store, store_dir)
    seed = sorted(SEEDS.glob("*.txt"))[0]
    copy = tmp_path / "another-name.txt"
    shutil.copy(seed, copy)
    result = kg("build", copy, "--store", store_dir, "--no-validate")
    assert result.exit_code == 0
    assert f"skipped: {copy}: same text as article {seed.stem}" in result.stderr
    assert "0 added" in result.stdout


def test_kg_build_as_a_real_process(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", tmp_path / "good.txt", tmp_path / "nope.txt",
                           "--store", tmp_path / "store"], capture_output=True, text=True, cwd=REPO, timeout=600)
    assert proc.returncode == 1, proc.stderr
    assert f"error: {tmp_path / 'nope.txt'}: no such file or folder" in proc.stderr
    assert "1 added" in proc.stdout and "SHACL: the graph conforms" in proc.stdout


# -- facts, export, query, remove ---------------------------------------------------------------
def test_facts_command_writes_the_store_facts(seeds_store, tmp_path):
    out = tmp_path / "facts.json"
    assert kg("facts", "--store", seeds_store, "-o", out).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == facts(KGStore(seeds_store, read_only=True))
    printed = kg("facts", "--store", seeds_store)
    assert json.loads(printed.stdout) == json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt, rdf_format, dataset", [
    ("trig", ox.RdfFormat.TRIG, True), ("nquads", ox.RdfFormat.N_QUADS, True),
    ("turtle", ox.RdfFormat.TURTLE, False), ("jsonld", ox.RdfFormat.JSON_LD, False),
])
def test_export_formats_parse_back_to_the_store(seeds_store, tmp_path, fmt, rdf_format, dataset):
    out = tmp_path / f"export.{fmt}"
    result = kg("export", "--store", seeds_store, "--format", fmt, "-o", out)
    assert result.exit_code == 0, result.output
    parsed = list(ox.parse(path=str(out), format=rdf_format))
    store = KGStore(seeds_store, read_only=True)
    if dataset:
        assert {str(q) for q in parsed} == {str(q) for q in store.store.quads_for_pattern(None, None, None, None)}
    else:
        union = {(q.subject, q.predicate, q.object) for q in store.store.quads_for_pattern(None, None, None, None)}
        got = {(t.subject, t.predicate, t.object) for t in parsed}
        assert got == union


def test_query_command_formats_and_errors(seeds_store):
    rows = json.loads(kg("query", "SELECT (COUNT(*) AS ?n) WHERE { ?a a kg:Article }", "--store", seeds_store,
                         "--format", "json").stdout)
    assert rows == [{"n": 5}]
    assert kg("query", "ASK { ?e a kg:Meeting }", "--store", seeds_store).stdout == "true\n"
    csv = kg("query", "SELECT ?id WHERE { ?a kg:articleId ?id } ORDER BY ?id", "--store", seeds_store,
             "--format", "csv").stdout.splitlines()
    assert csv == ["id"] + sorted(p.stem for p in SEEDS.glob("*.txt"))
    construct = kg("query", "CONSTRUCT { ?a a kg:Article } WHERE { ?a a kg:Article }", "--store", seeds_store)
    assert len(list(ox.parse(construct.stdout.encode(), format=ox.RdfFormat.TURTLE))) == 5
    bad = CliRunner().invoke(main, ["query", "SELECT WHERE {", "--store", str(seeds_store)])
    assert bad.exit_code != 0 and "SPARQL syntax error" in bad.output


def test_query_from_a_file(seeds_store, tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT ?id WHERE { ?a kg:articleId ?id } ORDER BY ?id LIMIT 1\n", encoding="utf-8")
    out = kg("query", rq, "--store", seeds_store, "--format", "tsv").stdout
    assert out.splitlines() == ["id", sorted(p.stem for p in SEEDS.glob("*.txt"))[0]]


def test_saved_query_by_name_with_parameters(seeds_store):
    listing = kg("queries").stdout
    assert "timeline" in listing and "from?: xsd_date" in listing
    every = json.loads(kg("query", "timeline", "--store", seeds_store, "--format", "json").stdout)
    last = max(r["date"] for r in every)
    after = (date.fromisoformat(last) + timedelta(days=1)).isoformat()

    def since(day: str) -> list[dict]:
        return json.loads(kg("query", "timeline", "-p", f"from={day}", "--store", seeds_store,
                             "--format", "json").stdout)
    assert [r["event"] for r in since(last)] == [r["event"] for r in every if r["date"] >= last]
    assert since(last) and since(after) == []
    bad = CliRunner().invoke(main, ["query", "timeline", "-p", "from=yesterday", "--store", str(seeds_store)])
    assert bad.exit_code != 0 and "'from'" in bad.output and "xsd_date" in bad.output
    for args in (["timeline", "-p", "from"], ["SELECT * WHERE { ?s ?p ?o }", "-p", "a=b"]):
        bad = CliRunner().invoke(main, ["query", *args, "--store", str(seeds_store)])
        assert bad.exit_code == 2 and "--param" in bad.output


def test_commands_on_a_missing_store_fail_cleanly(tmp_path):
    result = CliRunner().invoke(main, ["facts", "--store", str(tmp_path / "none")])
    assert result.exit_code != 0
    assert "no kg store" in str(result.exception or "") + result.output


def test_remove_command(seeds_store, tmp_path):
    store_dir = tmp_path / "store"
    shutil.copytree(seeds_store, store_dir)
    extra = tmp_path / "extra.txt"
    extra.write_text(GOOD, encoding="utf-8")
    assert kg("build", extra, "--store", store_dir, "--no-validate").exit_code == 0
    before = kg("query", "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a kg:Event }", "--store", store_dir,
                "--format", "json")
    result = kg("remove", "extra", "--store", store_dir)
    assert result.exit_code == 0
    after = kg("query", "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a kg:Event }", "--store", store_dir,
               "--format", "json")
    assert json.loads(after.stdout)[0]["n"] == json.loads(before.stdout)[0]["n"] - 1
    assert kg("query", 'ASK { ?a kg:articleId "extra" }', "--store", store_dir).stdout == "false\n"
    missing = kg("remove", "extra", "--store", store_dir)
    assert missing.exit_code == 1 and "no article 'extra'" in missing.stderr
