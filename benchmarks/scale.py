"""Scale figures of issue 9 on a real corpus (default ../shared/corpus/bbc; read in place, never copied).

    python benchmarks/scale.py [--corpus DIR] [--repeat 1] [--only spacy,build,growth,incremental,dask,server]
                               [--json out.json]

Whole processes, timed by wall clock, in one run, sides interleaved per repeat; medians printed:
  spacy        plain single-process spaCy: a fresh `python` that loads the model (kg.extract.load_nlp,
               the pipeline kg uses) and runs `nlp.pipe(texts, batch_size=16)` over the same texts
  build        `kg build CORPUS --no-validate` and `kg build CORPUS` into new stores (no cache):
               ratios to spacy (goals 0.7x and 0.8x), peak RSS of the whole process tree (the build
               and its workers, summed, sampled from /proc every 0.2 s; goal 1.5 GB)
  growth       resolution alone (kg.resolve.resolve in this process, extractions from the validated
               build's cache) at 500, 1,000 and all articles, evenly spread over the corpus: seconds,
               ms per article, growth per article from the first size to the last (goal <= 1.2x)
  incremental  adding one new article to the full store, and `kg remove` of it: each in a process
               of its own (as the two commands are: nothing warmed by one serves the other), after imports, model load (kg.pipeline.build_pipeline, the pipeline kg parses with)
               and gazetteer load (kg.resolve.load_tables): the time beyond process start and
               model load (goal 1 s),
               and as whole `kg` processes
  dask         `kg build --scheduler tcp://...` against a local `dask scheduler` + 2 `dask worker`
               processes started here (needs dask[distributed])
  server       `kg build --store http://127.0.0.1:PORT/` into an `oxigraph serve` started here
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "bbc"
ENV = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}

SPACY_CHILD = r"""
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from kg.extract import load_nlp
nlp = load_nlp()
t1 = time.perf_counter()
texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(Path(sys.argv[1]).rglob("*.txt"))]
docs = sum(1 for _ in nlp.pipe(texts, batch_size=16))
print(json.dumps({"load": t1 - t0, "pipe": time.perf_counter() - t1, "docs": docs}))
"""

INCREMENTAL_CHILD = r"""
import json, sys, time
from pathlib import Path
from kg.build import build, remove_article
from kg.pipeline import build_pipeline
from kg.resolve import load_tables
from kg.store import KGStore
build_pipeline()  # the model load (the pipeline `kg build` parses with) is not part of the figure,
load_tables()  # nor the gazetteer's (data loaded once per process, like the model)
store = KGStore(sys.argv[1])
article = Path(sys.argv[3])
t0 = time.perf_counter()
if sys.argv[2] == "add":
    report = build(store, [article], workers=1)
    assert report.added == [article.stem], report
else:
    assert remove_article(store, article.stem)
print(json.dumps({sys.argv[2]: time.perf_counter() - t0}))
"""


def tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants (MB), from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    members, todo = set(), [root]
    while todo:
        pid = todo.pop()
        members.add(pid)
        todo.extend(p for p, parent in parents.items() if parent == pid and p not in members)
    return sum(rss.get(p, 0) for p in members) / 1e6


def run(cmd: list[str], timeout: float = 7200) -> tuple[float, float, str, str, int]:
    """(wall seconds, peak RSS MB of the process tree, stdout, stderr, exit status)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, env=ENV, cwd=REPO)
        peak = [0.0]

        def sample() -> None:
            while proc.poll() is None:
                peak[0] = max(peak[0], tree_rss_mb(proc.pid))
                time.sleep(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        proc.wait(timeout=timeout)
        wall = time.perf_counter() - start
        sampler.join()
        out.seek(0)
        err.seek(0)
        return wall, peak[0], out.read(), err.read(), proc.returncode


def kg_build(corpus: Path, store: str, *extra: str) -> tuple[float, float, str]:
    wall, rss, out, err, rc = run([sys.executable, "-m", "kg.cli", "build", str(corpus), "--store", store,
                                   "--timings", *extra])
    if rc not in (0, 1, 3):  # 1: some input was refused (the BBC corpus holds one non-UTF-8 file); 3: SHACL
        raise SystemExit(f"kg build failed ({rc}):\n{err[-3000:]}")
    summary = out.strip().splitlines()[0] if out.strip() else ""
    stages = [line for line in err.splitlines() if line.startswith("timings: ")]
    return wall, rss, f"{summary} (exit {rc})" + (f"\n      {stages[-1]}" if stages else "")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


class Figures:
    def __init__(self) -> None:
        self.runs: dict[str, list[float]] = {}
        self.notes: dict[str, str] = {}

    def add(self, key: str, value: float) -> None:
        self.runs.setdefault(key, []).append(value)

    def med(self, key: str) -> float:
        return statistics.median(self.runs[key])


def bench_build(corpus: Path, fig: Figures, keep: Path) -> None:
    wall, rss, out, err, rc = run([sys.executable, "-c", SPACY_CHILD, str(corpus)])
    if rc != 0:
        raise SystemExit(f"spaCy child failed:\n{err[-3000:]}")
    inner = json.loads(out)
    fig.add("spacy", wall)
    fig.add("spacy_pipe", inner["pipe"])
    fig.add("rss_spacy", rss)
    print(f"  plain spaCy: {wall:.1f} s (load {inner['load']:.1f} s, pipe {inner['pipe']:.1f} s), "
          f"{inner['docs']} docs, peak RSS {rss:.0f} MB", flush=True)
    for key, extra in (("kg_novalidate", ["--no-validate"]), ("kg_validate", [])):
        store = keep if key == "kg_validate" else Path(tempfile.mkdtemp(prefix="kg-scale-"))
        shutil.rmtree(store, ignore_errors=True)
        wall, rss, summary = kg_build(corpus, str(store), *extra)
        fig.add(key, wall)
        fig.add(f"rss_{key}", rss)
        fig.notes[key] = summary
        print(f"  kg build {' '.join(extra)}: {wall:.1f} s, peak RSS {rss:.0f} MB — {summary}", flush=True)
        if store != keep:
            shutil.rmtree(store, ignore_errors=True)


def bench_growth(corpus: Path, store: Path, fig: Figures, repeat: int) -> None:
    sys.path.insert(0, str(REPO))
    from kg.build import ExtractionCache
    from kg.reader import Article, read_articles
    from kg.resolve import resolve

    cache = ExtractionCache(store / "cache")
    arts = sorted((a for a in read_articles([corpus]) if isinstance(a, Article)), key=lambda a: a.id)
    extractions = [e for e in (cache.get(a) for a in arts) if e is not None]
    resolve(extractions[:3])  # load the gazetteer before timing
    sizes = sorted({len(extractions[::max(1, len(extractions) // n)][:n]) for n in (500, 1000, len(extractions))})
    for n in sizes:
        subset = extractions[::max(1, len(extractions) // n)][:n]
        for _ in range(repeat):
            t = time.perf_counter()
            resolve(subset)
            fig.add(f"resolve_{n}", time.perf_counter() - t)
        print(f"  resolution of {len(subset)} articles: {fig.med(f'resolve_{n}'):.2f} s "
              f"({fig.med(f'resolve_{n}') / len(subset) * 1000:.2f} ms per article)", flush=True)
    fig.notes["growth_sizes"] = json.dumps(sizes)


def bench_incremental(corpus: Path, store: Path, fig: Figures, repeat: int) -> None:
    """One new article (a real one from the corpus with a new closing line, so it is new text)."""
    folder = Path(tempfile.mkdtemp(prefix="kg-scale-new-"))
    source = sorted(corpus.rglob("*.txt"))[len(list(corpus.rglob("*.txt"))) // 2]
    new = folder / "scale-new-article.txt"
    new.write_text(source.read_text(encoding="utf-8") + "\n(Archive copy for the scale benchmark.)\n",
                   encoding="utf-8")
    try:
        for _ in range(repeat):
            inner: dict[str, float] = {}
            for step in ("add", "remove"):  # one process each, as `kg build` and `kg remove` are
                wall, _rss, out, err, rc = run([sys.executable, "-c", INCREMENTAL_CHILD, str(store), step, str(new)])
                if rc != 0:
                    raise SystemExit(f"incremental child ({step}) failed:\n{err[-3000:]}")
                inner.update(json.loads(out))
            fig.add("add_one", inner["add"])
            fig.add("remove_one", inner["remove"])
            wall_add, _, _ = kg_build(new, str(store), "--workers", "1")
            wall_rm, _, _, err, rc = run([sys.executable, "-m", "kg.cli", "remove", new.stem, "--store", str(store)])
            fig.add("add_one_process", wall_add)
            fig.add("remove_one_process", wall_rm)
            print(f"  add one article: {inner['add']:.2f} s beyond start and model load ({wall_add:.1f} s as "
                  f"`kg build`); remove it: {inner['remove']:.2f} s ({wall_rm:.1f} s as `kg remove`)", flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bench_dask(corpus: Path, fig: Figures) -> None:
    port = free_port()
    procs = [subprocess.Popen(["dask", "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], env=ENV, cwd=REPO, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)]
    try:
        wait_for_port(port)
        for _ in range(2):
            procs.append(subprocess.Popen(["dask", "worker", f"tcp://127.0.0.1:{port}", "--nthreads", "1",
                                           "--nworkers", "1", "--no-dashboard"], env=ENV, cwd=REPO,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          start_new_session=True))
        store = Path(tempfile.mkdtemp(prefix="kg-scale-dask-"))
        wall, rss, summary = kg_build(corpus, str(store), "--no-validate", "--scheduler", f"tcp://127.0.0.1:{port}")
        fig.add("dask", wall)
        fig.notes["dask"] = summary
        print(f"  kg build --no-validate --scheduler (2 local workers): {wall:.1f} s — {summary}", flush=True)
        shutil.rmtree(store, ignore_errors=True)
    finally:
        for p in reversed(procs):
            os.killpg(p.pid, signal.SIGTERM)
            p.wait(timeout=60)


def bench_server(corpus: Path, fig: Figures) -> None:
    port = free_port()
    data = Path(tempfile.mkdtemp(prefix="kg-scale-oxigraph-"))
    cache = Path(tempfile.mkdtemp(prefix="kg-scale-client-cache-"))
    server = subprocess.Popen(["oxigraph", "serve", "--location", str(data), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_port(port)
        # a server store keeps its extraction cache on the client: in the temp dir, not the checkout
        ENV["KG_CACHE_DIR"] = str(cache)
        wall, rss, summary = kg_build(corpus, f"http://127.0.0.1:{port}/", "--no-validate")
        fig.add("server", wall)
        fig.notes["server"] = summary
        print(f"  kg build --no-validate --store http://127.0.0.1:{port}/ (oxigraph serve): {wall:.1f} s — "
              f"{summary}", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each side (medians are quoted)")
    ap.add_argument("--only", default="spacy,build,growth,incremental", help="sections, comma-separated")
    ap.add_argument("--store", type=Path, default=None,
                    help="keep the validated build's store here (growth/incremental reuse it; default a temp dir)")
    ap.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = ap.parse_args()
    only = set(args.only.split(","))
    files = sorted(args.corpus.rglob("*.txt"))
    print(f"corpus: {args.corpus}: {len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB; "
          f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}", flush=True)
    fig = Figures()
    keep = args.store or Path(tempfile.mkdtemp(prefix="kg-scale-store-"))
    for i in range(args.repeat):
        print(f"run {i + 1}:", flush=True)
        if only & {"spacy", "build"}:
            bench_build(args.corpus, fig, keep)
        if "dask" in only:
            bench_dask(args.corpus, fig)
        if "server" in only:
            bench_server(args.corpus, fig)
    if "growth" in only:
        bench_growth(args.corpus, keep, fig, max(3, args.repeat))
    if "incremental" in only:
        bench_incremental(args.corpus, keep, fig, args.repeat)

    print(f"\nmedians over {args.repeat} run(s):")
    if "spacy" in fig.runs:
        spacy = fig.med("spacy")
        print(f"  plain spaCy nlp.pipe (1 process):  {spacy:7.1f} s   peak RSS {fig.med('rss_spacy'):.0f} MB")
        for key, label, goal in (("kg_novalidate", "kg build --no-validate", 0.7), ("kg_validate", "kg build", 0.8)):
            if key in fig.runs:
                ratio = fig.med(key) / spacy
                print(f"  {label:33} {fig.med(key):7.1f} s   ratio {ratio:.2f}x (goal <= {goal}x: "
                      f"{'met' if ratio <= goal else 'MISSED'})   peak RSS {fig.med('rss_' + key):.0f} MB")
        for key, label in (("dask", "dask, 2 local workers"), ("server", "oxigraph serve as the store")):
            if key in fig.runs:
                print(f"  {label:33} {fig.med(key):7.1f} s   ratio {fig.med(key) / spacy:.2f}x")
    sizes = json.loads(fig.notes.get("growth_sizes", "[]"))
    if sizes:
        per = [fig.med(f"resolve_{n}") / n for n in sizes]
        print(f"  resolution ms/article at {sizes}: {[round(p * 1000, 2) for p in per]}; growth "
              f"{per[-1] / per[0]:.2f}x (goal <= 1.2x)")
    if "add_one" in fig.runs:
        print(f"  add one article to the full store: {fig.med('add_one'):.2f} s beyond start and model load; "
              f"remove one: {fig.med('remove_one'):.2f} s (goal <= 1 s each)")
    if args.json:
        args.json.write_text(json.dumps({"runs": fig.runs, "notes": fig.notes}, indent=2) + "\n")
    if not args.store:
        shutil.rmtree(keep, ignore_errors=True)


if __name__ == "__main__":
    main()
