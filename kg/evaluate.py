"""`kg evaluate`: score the store's facts export against a gold file with the project scorer.

The scorer beside the gold file (score.py, as ../shared/eval ships it) is used when present, so
figures are the evaluators' own; otherwise the vendored copy in kg/scoring.py (kept identical)."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

from . import scoring
from .facts import facts
from .store import KGStore


def load_scorer(gold: Path) -> ModuleType:
    beside = gold.resolve().parent / "score.py"
    if beside.exists():
        spec = importlib.util.spec_from_file_location("kg_gold_scorer", beside)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        return module
    return scoring


def evaluate(store: KGStore, gold_path: Path, articles: Path | None) -> dict:
    """Every figure of the scorer, plus the lists (matches, missed, spurious, split, mixed)."""
    scorer = load_scorer(gold_path)
    gold = scorer.Gold(json.loads(gold_path.read_text(encoding="utf-8")))
    system_data = facts(store)
    system = scorer.System(system_data, gold)
    texts = [p.read_text(encoding="utf-8") for p in sorted(articles.glob("*.txt"))] if articles else None
    result = {**scorer.match_events(gold, system), **scorer.merge_scores(gold, system, texts)}
    if articles:
        result.update(scorer.provenance(system_data, articles))
    result["system_events"] = len(system.events)
    return result
