"""`kg evaluate`: score the store's facts export against a gold file with the evaluators' scorer.

The scorer is called, not re-implemented: score.py beside the gold file (as ../shared/eval ships
it) or the one given with --scorer, so the figures are exactly the evaluators' own."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

from .facts import facts
from .store import KGStore


def load_scorer(gold: Path, scorer: Path | None = None) -> ModuleType:
    path = scorer or gold.resolve().parent / "score.py"
    if not path.exists():
        raise FileNotFoundError(f"no scorer at {path}: pass --scorer PATH/score.py")
    spec = importlib.util.spec_from_file_location("kg_gold_scorer", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def evaluate(store: KGStore, gold_path: Path, articles: Path | None, scorer_path: Path | None = None) -> dict:
    """Every figure of the scorer, plus the lists (matches, missed, spurious, split, mixed)."""
    scorer = load_scorer(gold_path, scorer_path)
    gold = scorer.Gold(json.loads(gold_path.read_text(encoding="utf-8")))
    system_data = facts(store)
    system = scorer.System(system_data, gold)
    texts = [p.read_text(encoding="utf-8") for p in sorted(articles.glob("*.txt"))] if articles else None
    result = {**scorer.match_events(gold, system), **scorer.merge_scores(gold, system, texts)}
    if articles:
        result.update(scorer.provenance(system_data, articles))
    result["system_events"] = len(system.events)
    return result
