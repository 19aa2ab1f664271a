"""Word lists as data files: one entry a line, '#' starts a comment. A new phrasing is a new
line in a file, not new code; the files' hash is part of the extractor version."""
from __future__ import annotations

import hashlib
import json
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


class LexiconError(ValueError):
    """A word-class file that is malformed: the message names the file and the entry."""


@lru_cache(maxsize=None)
def _word_classes() -> dict:
    path = FOLDER / "word_classes.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise LexiconError(f"{path}: cannot be read: {exc}") from exc
    for name, entry in data.get("lists", {}).items():
        words_ = entry.get("words") if isinstance(entry, dict) else None
        if not words_ or not all(isinstance(w, str) and w.strip() == w and w for w in words_):
            raise LexiconError(f"{path}: list {name!r} must be a non-empty list of trimmed words")
        if not entry.get("about"):
            raise LexiconError(f"{path}: list {name!r} says nothing 'about' what it is for")
    for name, entry in data.get("maps", {}).items():
        if not isinstance(entry, dict) or not isinstance(entry.get("map"), dict) or not entry["map"]:
            raise LexiconError(f"{path}: map {name!r} must be a non-empty object")
    return data


def word_class(name: str) -> frozenset[str]:
    """The words of one list of `word_classes.json`, as written (some are case-sensitive labels)."""
    lists = _word_classes()["lists"]
    if name not in lists:
        raise LexiconError(f"{FOLDER / 'word_classes.json'}: no list {name!r}")
    return frozenset(lists[name]["words"])


def word_map(name: str) -> dict:
    """One map of `word_classes.json` ('concepts': word → concept)."""
    maps = _word_classes()["maps"]
    if name not in maps:
        raise LexiconError(f"{FOLDER / 'word_classes.json'}: no map {name!r}")
    return dict(maps[name]["map"])
