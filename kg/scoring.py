#!/usr/bin/env python3
"""(Vendored copy of ../shared/eval/score.py; tests check it agrees with the original.)

Score a knowledge graph's facts export against a hand-annotated gold file.

    python3 score.py GOLD.json SYSTEM.json [--articles DIR] [--json] [--min KEY=VALUE ...]

GOLD.json follows seeds.gold.json; SYSTEM.json is the facts export described in
FORMAT.md. Standard library only. Prints a table, then one JSON line with every
figure; with --min, exits 1 when a figure falls below its minimum
(e.g. --min event_f1=0.8 --min provenance_valid=1.0).
"""
from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import unicodedata
from pathlib import Path

# Surface names that denote a place standing in for its government are not a wrong merge;
# a gold file may add its own groups under "compatible".
COMPATIBLE = [{"ukraine", "kyiv"}, {"russia", "moscow", "kremlin"}, {"usa", "washington"}]
LABEL_CHARS, TOPIC_CHARS = 150, 200


def norm(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("\u2019", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"^the\s+", "", text.strip())
    return re.sub(r"\s+", " ", text).strip()


def node_names(node: dict) -> set[str]:
    names = [node.get("label") or ""] + list(node.get("aliases") or [])
    return {norm(n) for n in names if n and norm(n)}


def compatible(ids: set[str], groups=COMPATIBLE) -> bool:
    return len(ids) <= 1 or any(ids <= group for group in groups)


class Gold:
    def __init__(self, data: dict):
        self.data = data
        self.clusters = {c["id"]: c for c in data.get("actors", []) + data.get("places", [])}
        self.by_name: dict[str, set[str]] = {}
        for cid, c in self.clusters.items():
            for n in c["names"]:
                self.by_name.setdefault(norm(n), set()).add(cid)
        self.events = data.get("events", [])
        self.compatible = COMPATIBLE + [set(g) for g in data.get("compatible", [])]


class System:
    def __init__(self, data: dict, gold: Gold):
        self.nodes = {}
        for node in data.get("actors", []) + data.get("places", []):
            self.nodes[node["id"]] = node
        self.events = data.get("events", [])
        self.gold_ids = {}
        for nid, node in self.nodes.items():
            ids = set()
            for n in node_names(node):
                ids |= gold.by_name.get(n, set())
            self.gold_ids[nid] = ids

    def ids(self, iris) -> set[str]:
        out = set()
        for iri in iris or []:
            out |= self.gold_ids.get(iri, set())
        return out


def in_corpus(name: str, texts: list[str] | None) -> bool:
    if texts is None:
        return True
    pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)")
    return any(pattern.search(t) for t in texts)


def merge_scores(gold: Gold, system: System, texts: list[str] | None) -> dict:
    """Pairwise over the surface names that the articles use: does every name of one gold actor
    sit on one system node (as its label or an alias), and does no node mix two actors?"""
    name_nodes: dict[str, set[str]] = {}
    for nid, node in system.nodes.items():
        for n in node_names(node):
            name_nodes.setdefault(n, set()).add(nid)
    pairs = together = 0
    split = []
    for cid, cluster in gold.clusters.items():
        if cluster.get("descriptive"):  # a group named by description ("world powers"): not a merge test
            continue
        present = sorted({norm(n) for n in cluster["names"] if in_corpus(n, texts)})
        for a, b in itertools.combinations(present, 2):
            pairs += 1
            if name_nodes.get(a, set()) & name_nodes.get(b, set()):
                together += 1
            else:
                split.append(f"{cid}: '{a}' / '{b}'")
    known = [nid for nid, ids in system.gold_ids.items() if ids]
    mixed = [f"{system.nodes[nid].get('label')}: {sorted(system.gold_ids[nid])}"
             for nid in known if not compatible(system.gold_ids[nid], gold.compatible)]
    return {
        "merge_recall": together / pairs if pairs else 0.0,
        "merge_precision": 1 - len(mixed) / len(known) if known else 0.0,
        "split": split,
        "mixed": mixed,
    }


def role_fields(event_type: str) -> list[tuple[str, str]]:
    # (gold role, system field)
    if event_type == "Demand":
        return [("by", "by")]
    return [("participants", "participants")]


def candidate(s: dict, g: dict, system: System) -> bool:
    if s.get("type") != g["type"]:
        return False
    for role, field in role_fields(g["type"]):
        have = system.ids(s.get(field))
        if not all(have & set(group) for group in g.get(role, [])):
            return False
    topic = g.get("topic")
    if topic:
        # a label is a short name and a topic says what is demanded or agreed: only their first
        # characters count, so a whole sentence or article as topic cannot match everything
        text = str(s.get("label") or "")[:LABEL_CHARS] + " | " + str(s.get("topic") or "")[:TOPIC_CHARS]
        if not re.search(topic, text, re.IGNORECASE):
            return False
    return True


def role_precision(s: dict, g: dict, system: System) -> float | None:
    """Of the system's actors in the event's role that stand for a known gold actor, the share that
    the gold event names in that role: listing everyone in the article scores low."""
    role, field = role_fields(g["type"])[0]
    wanted = set().union(*g.get(role, [])) if g.get(role) else set()
    known = [system.gold_ids.get(iri, set()) for iri in s.get(field) or []]
    known = [ids for ids in known if ids]
    if not known:
        return None
    return sum(bool(ids & wanted) for ids in known) / len(known)


def source_articles(s: dict) -> set[str]:
    return {src.get("article") for src in s.get("sources") or [] if src.get("article")}


def place_ok(s: dict, g: dict, gold: Gold, system: System) -> bool | None:
    if "place" not in g and "venue" not in g:
        return None
    want_venue, want_place = g.get("venue"), g.get("place")
    got = system.ids([s.get("venue")]) | system.ids([s.get("place")])
    # a venue inside the wanted place also places the event there
    for gid in list(got):
        parent = gold.clusters.get(gid, {}).get("within")
        while parent:
            got.add(parent)
            parent = gold.clusters.get(parent, {}).get("within")
    return bool((want_venue and want_venue in got) or (want_place and want_place in got))


def match_events(gold: Gold, system: System) -> dict:
    pairs = []
    for si, s in enumerate(system.events):
        for gi, g in enumerate(gold.events):
            if candidate(s, g, system):
                # prefer the pairing that shares most sources and agrees on date and place
                agree = len(source_articles(s) & set(g.get("sources", [])))
                agree += bool(g.get("date")) and s.get("date") == g.get("date")
                agree += bool(place_ok(s, g, gold, system))
                pairs.append((g.get("status", "core") != "core", -agree, si, gi))
    pairs.sort()
    used_s, used_g, matches = set(), set(), []
    for _, _, si, gi in pairs:
        if si in used_s or gi in used_g:
            continue
        used_s.add(si)
        used_g.add(gi)
        matches.append((si, gi))
    core = [gi for gi, g in enumerate(gold.events) if g.get("status", "core") == "core"]
    tp = [(si, gi) for si, gi in matches if gi in core]
    optional_hits = [si for si, gi in matches if gi not in core]
    fp = [si for si in range(len(system.events)) if si not in used_s]
    fn = [gi for gi in core if gi not in used_g]

    def figures(kind=None):
        t = sum(1 for _, gi in tp if kind in (None, gold.events[gi]["type"]))
        f = sum(1 for si in fp if kind in (None, system.events[si].get("type")))
        n = sum(1 for gi in core if kind in (None, gold.events[gi]["type"]))
        p = t / (t + f) if t + f else 0.0
        r = t / n if n else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    dates = [system.events[si].get("date") == gold.events[gi]["date"] for si, gi in tp if gold.events[gi].get("date")]
    places = [place_ok(system.events[si], gold.events[gi], gold, system) for si, gi in tp]
    places = [p for p in places if p is not None]
    roles = [role_precision(system.events[si], gold.events[gi], system) for si, gi in tp]
    roles = [r for r in roles if r is not None]
    src_recall, src_precision = [], []
    for si, gi in tp:
        got, want = source_articles(system.events[si]), set(gold.events[gi].get("sources", []))
        src_recall.append(len(got & want) / len(want) if want else 1.0)
        src_precision.append(len(got & want) / len(got) if got else 0.0)
    out = {"matches": [(system.events[si].get("label"), gold.events[gi]["id"]) for si, gi in matches],
           "missed": [gold.events[gi]["id"] for gi in fn],
           "spurious": [f"{system.events[si].get('type')}: {system.events[si].get('label')}" for si in fp],
           "optional_found": len(optional_hits)}
    out["event_precision"], out["event_recall"], out["event_f1"] = figures()
    for kind in ("Meeting", "Demand", "Agreement"):
        _, _, out[f"{kind.lower()}_f1"] = figures(kind)
    mean = lambda xs: sum(xs) / len(xs) if xs else 0.0
    out["date_accuracy"] = mean(dates)
    out["place_accuracy"] = mean(places)
    out["role_precision"] = mean(roles)
    out["source_recall"] = mean(src_recall)
    out["source_precision"] = mean(src_precision)
    return out


def provenance(system_data: dict, articles: Path) -> dict:
    texts, checked, valid, bad = {}, 0, 0, []
    for s in system_data.get("events", []):
        for src in s.get("sources") or []:
            art = src.get("article")
            if art not in texts:
                path = articles / f"{art}.txt"
                texts[art] = path.read_text(encoding="utf-8") if path.exists() else None
            checked += 1
            text, b, e = texts[art], src.get("begin"), src.get("end")
            ok = (text is not None and isinstance(b, int) and isinstance(e, int)
                  and 0 <= b < e <= len(text) and text[b:e] == src.get("quote"))
            valid += ok
            if not ok and len(bad) < 5:
                bad.append(f"{art}[{b}:{e}] {str(src.get('quote'))[:60]!r}")
    return {"provenance_valid": valid / checked if checked else 0.0, "provenance_checked": checked, "provenance_bad": bad}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", type=Path)
    ap.add_argument("system", type=Path)
    ap.add_argument("--articles", type=Path, help="folder of the articles, to check every quote against its offsets")
    ap.add_argument("--min", action="append", default=[], metavar="KEY=VALUE")
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    args = ap.parse_args(argv)

    gold = Gold(json.loads(args.gold.read_text(encoding="utf-8")))
    system_data = json.loads(args.system.read_text(encoding="utf-8"))
    system = System(system_data, gold)
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.articles.glob("*.txt"))] if args.articles else None
    result = {**match_events(gold, system), **merge_scores(gold, system, texts)}
    if args.articles:
        result.update(provenance(system_data, args.articles))
    result["system_events"] = len(system.events)

    figures = {k: round(v, 3) for k, v in result.items() if isinstance(v, float)}
    if not args.json:
        for key in ("matches", "missed", "spurious", "split", "mixed", "provenance_bad"):
            for row in result.get(key, []):
                print(f"{key:>10}: {row}")
        for key, value in figures.items():
            print(f"{key:>20}: {value:.3f}")
    print(json.dumps({**figures, "system_events": result["system_events"],
                      "missed": result["missed"], "spurious": len(result["spurious"])}))
    failed = []
    for spec in args.min:
        key, _, value = spec.partition("=")
        if figures.get(key, 0.0) < float(value):
            failed.append(f"{key}={figures.get(key, 0.0)} < {value}")
    if failed:
        print("below minimum: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
