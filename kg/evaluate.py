"""`kg evaluate`: score the store's facts export against a gold file with the evaluators' scorer.

The scorer is called, not re-implemented: score.py beside the gold file (as ../shared/eval ships
it) or the one given with --scorer, so the figures are exactly the evaluators' own."""
from __future__ import annotations

import importlib.util
import json
import tempfile
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


def articles_for(store: KGStore, gold_path: Path, given: Path | None) -> tuple[Path | None, str]:
    """The folder of texts to check quotes against, and where it came from: the one given, the
    `articles/` folder beside the gold file, else the texts the store itself holds (written out
    under the names the facts export uses). Never another corpus's texts."""
    if given is not None:
        return given, f"given: {given}"
    beside = gold_path.resolve().parent / "articles"
    if beside.is_dir():
        return beside, f"beside the gold file: {beside}"
    from .build import stored_articles

    stored = stored_articles(store)
    if not stored:
        return None, "none (the store holds no articles)"
    folder = Path(tempfile.mkdtemp(prefix="kg-evaluate-"))
    for art in stored.values():
        name = Path(art.path).stem if str(art.path).endswith(".txt") else art.id
        (folder / f"{name}.txt").write_text(art.text, encoding="utf-8")
    return folder, f"the {len(stored)} texts the store was built from"


def evaluate(store: KGStore, gold_path: Path, articles: Path | None, scorer_path: Path | None = None) -> dict:
    """Every figure of the scorer, plus the lists (matches, missed, spurious, split, mixed), and
    `articles_source`: which texts the quotes and merge names were checked against."""
    articles, source = articles_for(store, gold_path, articles)
    scorer = load_scorer(gold_path, scorer_path)
    gold = scorer.Gold(json.loads(gold_path.read_text(encoding="utf-8")))
    system_data = facts(store)
    system = scorer.System(system_data, gold)
    texts = [p.read_text(encoding="utf-8") for p in sorted(articles.glob("*.txt"))] if articles else None
    result = {**scorer.match_events(gold, system), **scorer.merge_scores(gold, system, texts)}
    if articles:
        result.update(scorer.provenance(system_data, articles))
    result["system_events"] = len(system.events)
    result["articles_source"] = source
    return result
