"""Make a corpus of distinct articles from the seeds: renamed files, shuffled paragraphs.

    python benchmarks/make_corpus.py OUT_DIR [--n 200] [--seeds seeds/]

Each article keeps its first paragraph (date line or headline) at the top, shuffles the others
with a per-article random seed, and ends with a one-line archive note carrying its number, so no
two articles have the same text (and so the same content hash) even when a shuffle repeats.
"""
from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def paragraphs(text: str) -> list[str]:
    parts = re.split(r"\n\s*\n" if "\n\n" in text else r"\n", text.strip())
    return [p.strip() for p in parts if p.strip()]


def make_corpus(out: Path, n: int = 200, seeds: Path = ROOT / "seeds") -> list[Path]:
    sources = sorted(seeds.glob("*.txt"))
    if not sources:
        raise SystemExit(f"no .txt articles in {seeds}")
    out.mkdir(parents=True, exist_ok=True)
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in sources]
    written = []
    for i in range(n):
        stem, text = texts[i % len(texts)]
        paras = paragraphs(text)
        head, rest = paras[:1], paras[1:]
        random.Random(i).shuffle(rest)
        body = "\n\n".join(head + rest) + f"\n\n(Archive copy {i}.)\n"
        path = out / f"{i:04d}_{stem.split('_')[0]}_copy.txt"
        path.write_text(body, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    args = ap.parse_args()
    paths = make_corpus(args.out, args.n, args.seeds)
    print(f"{len(paths)} articles in {args.out}")


if __name__ == "__main__":
    main()
