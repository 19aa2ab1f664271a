"""Word lists as data files: one entry a line, '#' starts a comment. A new phrasing is a new
line in a file, not new code; the files' hash is part of the extractor version."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

FOLDER = Path(__file__).parent / "data" / "lexicon"


@lru_cache(maxsize=None)
def words(name: str) -> frozenset[str]:
    """The entries of `<name>.txt`, lower-cased."""
    path = FOLDER / f"{name}.txt"
    entries = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip().lower()
        if entry:
            entries.add(entry)
    if not entries:
        raise ValueError(f"lexicon {path} is empty")
    return frozenset(entries)


def fingerprint() -> str:
    """A short hash of every lexicon file, so cached extractions made with other lists are redone."""
    h = hashlib.sha256()
    for path in sorted(FOLDER.glob("*")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]
