"""End-to-end `kg build` against plain spaCy `nlp.pipe` over the same texts, in the same run.

    python benchmarks/build.py [--n 200] [--repeat 3] [--tracemalloc]

Makes N distinct articles from seeds/ (benchmarks/make_corpus.py), then, REPEAT times each:
  - spacy:     a fresh `python` process that loads the model (kg.extract.load_nlp(), the same
               pipeline kg uses) and runs `nlp.pipe` over the texts;
  - kg build:  a fresh `kg build CORPUS --store NEW_DIR`, with SHACL validation (the default) and
               with --no-validate.
Both sides are whole processes (interpreter start, imports, model load), timed by wall clock; each
child's peak RSS comes from os.wait4. Medians are printed, with the ratio kg/spacy; the goal is
kg build --no-validate within 1.5x of plain spaCy. Inside the spaCy child the pipe-only time (model
already loaded) is also reported. --tracemalloc adds one in-process build (untimed) that reports the
peak Python heap.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_corpus import make_corpus  # noqa: E402

SPACY_CHILD = r"""
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from kg.extract import load_nlp
nlp = load_nlp()
t1 = time.perf_counter()
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
docs = 0
for doc in nlp.pipe(texts, batch_size=16):
    docs += 1
t2 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "pipe": t2 - t1, "docs": docs}))
"""


def run_child_rusage(cmd: list[str]) -> tuple[float, float, str, str, int]:
    """(wall seconds, peak RSS MB, stdout, stderr), reaping the child with os.wait4 for its own rusage."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    return wall, usage.ru_maxrss / 1024, stdout, stderr, proc.returncode


def kg_build(corpus: Path, validate: bool) -> tuple[float, float, str]:
    store = Path(tempfile.mkdtemp(prefix="kg-bench-store-"))
    try:
        cmd = [sys.executable, "-m", "kg.cli", "build", str(corpus), "--store", str(store)]
        if not validate:
            cmd.append("--no-validate")
        wall, rss, out, err, rc = run_child_rusage(cmd)
        if rc != 0:
            raise SystemExit(f"kg build failed ({rc}):\n{err[-2000:]}")
        return wall, rss, out.strip().splitlines()[0]
    finally:
        shutil.rmtree(store, ignore_errors=True)


def plain_spacy(corpus: Path) -> tuple[float, float, dict]:
    wall, rss, out, err, rc = run_child_rusage([sys.executable, "-c", SPACY_CHILD, str(corpus)])
    if rc != 0:
        raise SystemExit(f"spaCy child failed ({rc}):\n{err[-2000:]}")
    return wall, rss, json.loads(out)


def traced_build(corpus: Path) -> float:
    """Peak Python heap (MB) of one in-process build, model load included."""
    import tracemalloc

    from kg.build import build
    from kg.store import KGStore

    store_dir = Path(tempfile.mkdtemp(prefix="kg-bench-traced-"))
    try:
        tracemalloc.start()
        store = KGStore(store_dir)
        build(store, [corpus])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del store
        return peak / 1e6
    finally:
        shutil.rmtree(store_dir, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200, help="articles (default 200)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each side (default 3); medians are quoted")
    ap.add_argument("--tracemalloc", action="store_true", help="also measure the peak Python heap of one build")
    ap.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = ap.parse_args()

    corpus = Path(tempfile.mkdtemp(prefix="kg-bench-corpus-"))
    try:
        make_corpus(corpus, args.n)
        chars = sum(len(p.read_text(encoding="utf-8")) for p in corpus.glob("*.txt"))
        print(f"corpus: {args.n} articles, {chars / 1e3:.0f} k characters, {os.cpu_count()} cores")
        runs: dict[str, list] = {"spacy": [], "spacy_pipe": [], "spacy_load": [], "kg_validate": [],
                                 "kg_novalidate": [], "rss_spacy": [], "rss_kg_validate": [], "rss_kg_novalidate": []}
        summary = ""
        for i in range(args.repeat):
            # interleave the sides so machine noise hits both alike
            wall, rss, inner = plain_spacy(corpus)
            runs["spacy"].append(wall)
            runs["spacy_pipe"].append(inner["pipe"])
            runs["spacy_load"].append(inner["load"])
            runs["rss_spacy"].append(rss)
            wall_nv, rss_nv, summary = kg_build(corpus, validate=False)
            runs["kg_novalidate"].append(wall_nv)
            runs["rss_kg_novalidate"].append(rss_nv)
            wall_v, rss_v, _ = kg_build(corpus, validate=True)
            runs["kg_validate"].append(wall_v)
            runs["rss_kg_validate"].append(rss_v)
            print(f"run {i + 1}: spacy {wall:.1f}s (pipe {inner['pipe']:.1f}s)  kg build --no-validate {wall_nv:.1f}s"
                  f"  kg build {wall_v:.1f}s", flush=True)
        med = {k: statistics.median(v) for k, v in runs.items()}
        print(f"kg build says: {summary}")
        print(f"\nmedians over {args.repeat} run(s), {args.n} articles:")
        print(f"  plain spaCy process (load + nlp.pipe): {med['spacy']:6.1f} s   "
              f"(load {med['spacy_load']:.1f} s, pipe {med['spacy_pipe']:.1f} s)  peak RSS {med['rss_spacy']:.0f} MB")
        print(f"  kg build --no-validate:                {med['kg_novalidate']:6.1f} s   "
              f"ratio {med['kg_novalidate'] / med['spacy']:.2f}x   peak RSS {med['rss_kg_novalidate']:.0f} MB")
        print(f"  kg build (SHACL validation):           {med['kg_validate']:6.1f} s   "
              f"ratio {med['kg_validate'] / med['spacy']:.2f}x   peak RSS {med['rss_kg_validate']:.0f} MB")
        goal = med["kg_novalidate"] / med["spacy"] <= 1.5
        print(f"  goal (kg build within 1.5x of plain spaCy, without validation): {'met' if goal else 'MISSED'}")
        result = {"n": args.n, "repeat": args.repeat, "medians": med, "runs": runs,
                  "ratio_novalidate": med["kg_novalidate"] / med["spacy"],
                  "ratio_validate": med["kg_validate"] / med["spacy"]}
        if args.tracemalloc:
            result["python_heap_peak_mb"] = traced_build(corpus)
            print(f"  peak Python heap of one in-process build (tracemalloc): {result['python_heap_peak_mb']:.0f} MB")
        if args.json:
            args.json.write_text(json.dumps(result, indent=2) + "\n")
    finally:
        shutil.rmtree(corpus, ignore_errors=True)


if __name__ == "__main__":
    main()
