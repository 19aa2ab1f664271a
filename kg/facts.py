"""The facts export of ../shared/eval/FORMAT.md, computed from the store through the saved
queries in queries/facts_*.rq, so it shows what the graph really holds."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .data import data_path
from .store import KGStore
from .vocab import KG

QUERIES = data_path("queries")
ACTOR_TYPES = {"Person", "Organization", "Group", "Country"}


def query_text(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def local(iri: str | None) -> str | None:
    return iri[len(KG):] if iri and iri.startswith(KG) else iri


def facts(store: KGStore) -> dict:
    nodes = store.select(query_text("facts_nodes"))
    aliases: dict[str, set[str]] = defaultdict(set)
    for row in store.select(query_text("facts_aliases")):
        aliases[row["id"]].add(row["alias"])
    actors, places = [], []
    seen: set[str] = set()
    # a Country is also a Place: list each node once, under its most specific kind
    order = {"Person": 0, "Organization": 1, "Group": 1, "Country": 2, "City": 3, "Venue": 4}
    for row in sorted(nodes, key=lambda r: (r["id"], order[local(r["type"])])):
        if row["id"] in seen:
            continue
        seen.add(row["id"])
        kind = local(row["type"])
        entry = {"id": row["id"], "label": row["label"], "type": kind, "aliases": sorted(aliases[row["id"]])}
        if kind in ACTOR_TYPES:
            actors.append(entry)
        else:
            entry["within"] = row["within"]
            places.append(entry)

    roles: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in store.select(query_text("facts_roles")):
        roles[row["id"]][local(row["role"])].append(row["node"])
    sources: dict[str, list[dict]] = defaultdict(list)
    for row in store.select(query_text("facts_sources")):
        sources[row["id"]].append({"article": row["article"], "begin": row["begin"], "end": row["end"],
                                   "quote": row["quote"]})
    events = []
    for row in store.select(query_text("facts_events")):
        r = roles[row["id"]]
        kind = local(row["type"])
        main = {"Meeting": "participant", "Agreement": "party", "Demand": "demander"}[kind]
        events.append({
            "id": row["id"], "type": kind, "label": row["label"], "topic": row["topic"], "date": row["date"],
            "venue": (r.get("venue") or [None])[0], "place": (r.get("place") or [None])[0],
            "participants": r.get(main, []) if kind != "Demand" else [],
            "by": r.get("demander", []) if kind == "Demand" else [],
            "of": r.get("addressee", []) if kind == "Demand" else [],
            "sources": sources[row["id"]],
        })
    return {"actors": actors, "places": places, "events": events}
