"""Read articles as users have them (scraped .txt files, JSON Lines records) into `Article`s.

Bad input never stops the run: each problem becomes a `ReadError` naming the file and the reason.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterator

MAX_BYTES = 5 * 1024 * 1024  # a news article is a few KB; larger is a mistaken input, not news
MAX_JSONL_BYTES = 20 * MAX_BYTES  # a JSON Lines feed of many articles
ARTICLE_ID = re.compile(r"[^A-Za-z0-9_.-]+")

# "date 2025-05-16 Geneva." dateline lines; "PUBLISHED: 2025-05-16" stamps; ISO dates.
DATE_LINE = re.compile(r"^\s*(?:date|dateline)\s+(\d{4}-\d{2}-\d{2})\b[^\n]*", re.I)
PUBLISHED = re.compile(r"^\s*(?:PUBLISHED|Published|UPDATED|Updated)\s*:?\s*([^\n]+)", re.M)


@dataclass
class Article:
    id: str
    text: str
    path: str
    content_hash: str
    title: str | None = None
    date_line: str | None = None
    date: date | None = None
    url: str | None = None
    outlet: str | None = None
    meta: dict = field(default_factory=dict)
    source: str = ""  # where it came from, relative to the build's input (never a server's absolute path)


@dataclass
class ReadError:
    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def content_hash(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def safe_id(stem: str) -> str:
    return ARTICLE_ID.sub("-", stem).strip("-") or "article"


def parse_iso_date(text: str | None) -> date | None:
    if not text:
        return None
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    return _parse_written_date(text)


MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}


WRITTEN_DATES = (  # (pattern, group of the month, group of the day): "May 16, 2025", "16 May 2025"
    (re.compile(r"\b([A-Z][a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})\b"), 1, 2),
    (re.compile(r"\b(\d{1,2})\s+([A-Z][a-z]+)\s+(\d{4})\b"), 2, 1),
)


def _parse_written_date(text: str) -> date | None:
    for rx, month, day in WRITTEN_DATES:
        m = rx.search(text)
        if m and m[month].lower() in MONTHS:
            try:
                return date(int(m[3]), MONTHS[m[month].lower()], int(m[day]))
            except ValueError:
                return None
    return None


def header_metadata(text: str) -> dict:
    """Metadata a scraped text states about itself: a date line, a PUBLISHED stamp, a headline."""
    meta: dict = {}
    first = text.lstrip().split("\n", 1)[0]
    m = DATE_LINE.match(first)
    if m:
        # the date line ends at the first sentence end after the date ("date 2025-05-16 Geneva.")
        # (only the keyword ignores case: the city's words are capitalised, the next sentence's are not)
        line = re.match(r"\s*(?i:date|dateline)\s+\d{4}-\d{2}-\d{2}(?:\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w'’-]*)*\.)?", first)
        meta["date_line"] = (line[0] if line else m[0]).strip()
        meta["date"] = parse_iso_date(m[1])
    p = PUBLISHED.search(text[:2000])
    if p and parse_iso_date(p[1]):
        meta.setdefault("date", parse_iso_date(p[1]))
        meta["published"] = p[1].strip()
    headline = _headline(text)
    if headline:
        meta["title"] = headline
    return meta


def _headline(text: str) -> str | None:
    """A first line that is a headline: short, no final full stop, followed by a blank line."""
    parts = text.lstrip().split("\n", 2)
    if len(parts) < 2:
        return None
    first = parts[0].strip()
    if DATE_LINE.match(first) or not first or len(first) > 200 or first.endswith((".", "”", '"')):
        return None
    if parts[1].strip():  # a headline stands alone on its line
        return None
    return first.split(" | ")[0].strip()


def read_bytes(path: Path, limit: int = MAX_BYTES, what: str = "one article") -> tuple[str | None, str | None]:
    """The decoded text, or the reason it cannot be an article."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, f"cannot read ({exc.strerror or exc})"
    if size > limit:
        return None, f"too large ({size / 1e6:.1f} MB > {limit / 1e6:.0f} MB limit for {what})"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, f"cannot read ({exc.strerror or exc})"
    if b"\x00" in raw[:8192]:
        return None, "binary file (NUL bytes), not a text article"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 (invalid byte at offset {exc.start})"
    if not text.strip():
        return None, "empty file"
    return text, None


def article_from_text(article_id: str, text: str, path: str, **given) -> Article:
    meta = header_metadata(text)
    published = given.get("published")
    art = Article(
        id=article_id, text=text, path=path, content_hash=content_hash(text),
        title=given.get("title") or meta.get("title"),
        date_line=meta.get("date_line"),
        date=parse_iso_date(published) if published else meta.get("date"),
        url=given.get("url"), outlet=given.get("outlet"),
        meta={k: v for k, v in given.items() if v is not None},
    )
    return art


def iter_files(paths: list[Path]) -> Iterator[tuple[Path, str] | ReadError]:
    """(file, its name relative to the input that holds it) for every article file under `paths`.
    A file reached through a symbolic link that leads out of the folder given is refused: a
    folder of articles must not pull in the server's other files."""
    for p in paths:
        if p.is_dir():
            root = p.resolve()
            found = sorted(x for x in p.rglob("*") if x.suffix in (".txt", ".jsonl") and x.is_file())
            if not found:
                yield ReadError(str(p), "folder holds no .txt or .jsonl articles")
            for x in found:
                target = x.resolve()
                if not target.is_relative_to(root):
                    yield ReadError(str(x), f"symbolic link to {target}, outside the input folder {p}; not read")
                else:
                    yield x, x.relative_to(p).as_posix()
        elif p.exists():
            yield p, p.name
        else:
            yield ReadError(str(p), "no such file or folder")


def read_articles(paths: list[Path]) -> Iterator[Article | ReadError]:
    """Every article under `paths`, in a stable order; problems come out as ReadErrors."""
    for item in iter_files(paths):
        if isinstance(item, ReadError):
            yield item
            continue
        path, source = item
        if path.suffix == ".jsonl":
            yield from read_jsonl(path, source)
        else:
            text, reason = read_bytes(path)
            if reason:
                yield ReadError(str(path), reason)
            else:
                art = article_from_text(safe_id(path.stem), text, str(path))
                art.source = source
                yield art


# the names feeds and scrapers give a record's fields, first match wins
RECORD_FIELDS = {"url": ("url", "link", "source_url"), "title": ("title", "headline"),
                 "published": ("published", "date", "published_at", "publishedAt", "datePublished",
                               "pubDate", "publish_date"),
                 "outlet": ("outlet", "source", "publisher", "site_name")}


def read_jsonl(path: Path, source: str | None = None) -> Iterator[Article | ReadError]:
    # a feed holds many articles: the file may be larger than one article, each record may not
    text, reason = read_bytes(path, MAX_JSONL_BYTES, "a JSON Lines file")
    if reason:
        yield ReadError(str(path), reason)
        return
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadError(where, f"not valid JSON ({exc.msg})")
            continue
        if not isinstance(rec, dict) or not isinstance(rec.get("text"), str) or not rec["text"].strip():
            yield ReadError(where, "record has no non-empty 'text' string")
            continue
        size = len(rec["text"].encode("utf-8"))
        if size > MAX_BYTES:
            yield ReadError(where, f"too large ({size / 1e6:.1f} MB > {MAX_BYTES / 1e6:.0f} MB limit for one article)")
            continue
        article_id = safe_id(str(rec.get("id") or f"{path.stem}-{n}"))
        given = {k: str(v) for k, names in RECORD_FIELDS.items()
                 if (v := next((rec[n] for n in names if isinstance(rec.get(n), (str, int)) and rec[n] != ""), None))}
        art = article_from_text(article_id, rec["text"], where, **given)
        art.source = f"{source or path.name}:{n}"
        yield art
