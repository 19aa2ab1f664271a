"""`kg evaluate` gives exactly the evaluators' figures: the same numbers as running
../shared/eval/score.py on the store's facts export, and --min gates work."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

from click.testing import CliRunner

from kg.cli import main

from conftest import REPO, SEEDS

GATE = ["event_f1=0.85", "merge_recall=0.90", "merge_precision=0.95", "date_accuracy=0.90", "source_recall=0.80",
        "provenance_valid=1.0"]


def kg(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_kg_evaluate_equals_the_shared_scorer_on_the_facts_export(seeds_store, gold_path, tmp_path):
    facts_file = tmp_path / "facts.json"
    assert kg("facts", "--store", seeds_store, "-o", facts_file).exit_code == 0
    scorer = subprocess.run([sys.executable, gold_path.parent / "score.py", gold_path, facts_file,
                             "--articles", SEEDS], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert scorer.returncode == 0, scorer.stderr
    ours = kg("evaluate", gold_path, "--store", seeds_store, "--articles", SEEDS)
    assert ours.exit_code == 0, ours.output
    # the whole report, table and JSON line, is the same text
    assert ours.stdout == scorer.stdout
    figures = json.loads(ours.stdout.splitlines()[-1])
    assert {"event_f1", "merge_recall", "merge_precision", "date_accuracy", "source_recall",
            "provenance_valid"} <= set(figures)


def test_kg_evaluate_min_gate_passes_and_fails(seeds_store, gold_path):
    ok = kg("evaluate", gold_path, "--store", seeds_store, "--articles", SEEDS, "--json",
            *[x for m in GATE for x in ("--min", m)])
    assert ok.exit_code == 0, ok.output
    assert len(ok.stdout.splitlines()) == 1 and json.loads(ok.stdout)["provenance_valid"] == 1.0
    too_high = kg("evaluate", gold_path, "--store", seeds_store, "--articles", SEEDS, "--json",
                  "--min", "event_f1=1.01")
    assert too_high.exit_code == 1 and "below minimum: event_f1=" in too_high.stderr


def test_kg_evaluate_uses_the_scorer_it_is_given(seeds_store, gold_path, tmp_path):
    gold = tmp_path / "gold.json"
    shutil.copy(gold_path, gold)  # no score.py beside this copy
    missing = kg("evaluate", gold, "--store", seeds_store, "--articles", SEEDS)
    assert missing.exit_code != 0 and "no scorer" in missing.output
    given = kg("evaluate", gold, "--store", seeds_store, "--articles", SEEDS, "--scorer", gold_path.parent / "score.py",
               "--json")
    assert given.exit_code == 0
    beside = kg("evaluate", gold_path, "--store", seeds_store, "--articles", SEEDS, "--json")
    assert given.stdout == beside.stdout


def test_provenance_check_fails_on_other_texts(seeds_store, gold_path, tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    for p in SEEDS.glob("*.txt"):  # same names, one character moved: every quote must fail its check
        (articles / p.name).write_text(" " + p.read_text(encoding="utf-8"), encoding="utf-8")
    result = kg("evaluate", gold_path, "--store", seeds_store, "--articles", articles, "--json",
                "--min", "provenance_valid=1.0")
    assert result.exit_code == 1
    assert json.loads(result.stdout.splitlines()[0])["provenance_valid"] < 0.5


def test_kg_evaluate_checks_quotes_against_the_articles_beside_the_gold_or_the_store(seeds_store, gold_path, tmp_path):
    """With no --articles, quotes are checked against articles/ beside the gold file, else against
    the texts the store was built from, never against seeds/ by accident."""
    from kg.evaluate import evaluate
    from kg.store import KGStore

    lone_gold = tmp_path / "gold.json"
    shutil.copy(gold_path, lone_gold)
    shutil.copy(gold_path.parent / "score.py", tmp_path / "score.py")
    result = evaluate(KGStore(seeds_store, read_only=True), lone_gold, None)
    assert result["articles_source"].startswith("the 5 texts the store was built from")
    assert result["provenance_valid"] == 1.0 and result["provenance_checked"] > 0

    beside = tmp_path / "with_articles"
    (beside / "articles").mkdir(parents=True)
    shutil.copy(gold_path, beside / "gold.json")
    shutil.copy(gold_path.parent / "score.py", beside / "score.py")
    first = sorted(SEEDS.glob("*.txt"))[0]
    (beside / "articles" / first.name).write_text("not the article's text", encoding="utf-8")
    result = evaluate(KGStore(seeds_store, read_only=True), beside / "gold.json", None)
    assert result["articles_source"].startswith("beside the gold file")
    assert result["provenance_valid"] < 1.0  # the altered text no longer matches its quotes
