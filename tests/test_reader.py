"""Reading articles as users have them: date lines, PUBLISHED stamps, headlines, JSON Lines, and
every kind of bad input becoming a ReadError that names the file and the reason."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kg.reader import (MAX_BYTES, Article, ReadError, content_hash, header_metadata,
                       read_articles, safe_id)
from kg.textprep import clean_for_nlp

from conftest import SEEDS

GOOD = "date 2024-03-08 Geneva.\n\nArmenia and Azerbaijan agreed on Friday to exchange prisoners, officials said.\n"


def read(paths) -> tuple[list[Article], list[ReadError]]:
    items = list(read_articles([Path(p) for p in paths]))
    return [a for a in items if isinstance(a, Article)], [e for e in items if isinstance(e, ReadError)]


# -- 7. header metadata -------------------------------------------------------------------------
def test_date_line_alone():
    meta = header_metadata("date 2025-05-16 Istanbul.\n\nTalks were held on Friday.\n")
    assert meta["date_line"] == "date 2025-05-16 Istanbul."
    assert meta["date"] == date(2025, 5, 16)
    assert "title" not in meta


def test_date_line_followed_by_prose_on_the_same_line():
    meta = header_metadata(" date 2025-03-19 Istanbul. The first direct talks ended after two hours Friday.\n")
    assert meta["date_line"] == "date 2025-03-19 Istanbul."
    assert meta["date"] == date(2025, 3, 19)


def test_date_line_of_a_multi_word_city():
    meta = header_metadata("date 2024-02-02 Addis Ababa.\n\nText.\n")
    assert meta["date_line"] == "date 2024-02-02 Addis Ababa."


@pytest.mark.parametrize("stamp, expected", [
    ("PUBLISHED: 2024-06-14", date(2024, 6, 14)),
    ("PUBLISHED: June 14, 2024 10:31 AM", date(2024, 6, 14)),
    ("Published: 14 June 2024", date(2024, 6, 14)),
    ("UPDATED: 2024-06-15T08:00:00Z", date(2024, 6, 15)),
])
def test_published_stamps(stamp, expected):
    meta = header_metadata(f"Leaders meet in Nairobi\n\n{stamp}\n\nKenya and Ethiopia held talks on Friday.\n")
    assert meta["date"] == expected
    assert meta["title"] == "Leaders meet in Nairobi"


def test_date_line_wins_over_a_later_published_stamp():
    meta = header_metadata("date 2024-06-14 Nairobi.\nPUBLISHED: 2024-06-20\n\nText.\n")
    assert meta["date"] == date(2024, 6, 14)


def test_headline_detection():
    assert header_metadata("Talks resume in Geneva | World - News\n\nBody text.\n")["title"] == "Talks resume in Geneva"
    # a first line ending a sentence, or running on into the next line, is no headline
    assert "title" not in header_metadata("Talks resumed in Geneva.\n\nBody text.\n")
    assert "title" not in header_metadata("Talks resumed in Geneva on\nFriday, officials said.\n")
    assert "title" not in header_metadata("One line only")


def test_stamps_bylines_and_credits_are_blanked_for_the_parser_without_moving_offsets():
    text = ("Talks in Geneva\n\nPUBLISHED: 2024-06-14\n\nBy Jane Roe and John Doe\n\n"
            "GENEVA – Leaders met on Friday (Jane Roe/Agency).\n")
    cleaned, regions = clean_for_nlp(text)
    assert len(cleaned) == len(text)
    for gone in ("PUBLISHED", "Jane Roe", "John Doe", "GENEVA"):
        assert gone not in cleaned
    assert "Leaders met on Friday" in cleaned
    assert regions


@pytest.mark.parametrize("text, kept", [
    ("BRUSSELS (AP) — The leaders met on Thursday.", "The leaders met on Thursday."),
    ("KYIV, Ukraine (AP) — Officials said.", "Officials said."),
    ("BRUSSELS, June 26 (Reuters) - Serbian President Jane Roe met.", "Serbian President Jane Roe met."),
    ("By JANE ROE\nAssociated Press\n\nLeaders met.\n\n(Reporting by John Doe; Editing by Jim Poe)",
     "Leaders met."),
])
def test_wire_datelines_and_credit_lines_are_blanked(text, kept):
    cleaned, _ = clean_for_nlp(text)
    assert len(cleaned) == len(text) and cleaned.split() == kept.split()


def test_seed_metadata():
    arts, errors = read([SEEDS])
    assert not errors and len(arts) == 5
    by_id = {a.id: a for a in arts}
    assert by_id["000_ab16f4086b7ab671"].date_line == "date 2025-03-19 Istanbul."
    assert by_id["001_10c9680eddbd3edb"].date == date(2025, 5, 16)
    for a in arts:
        assert a.text == Path(a.path).read_text(encoding="utf-8")
        assert a.content_hash == content_hash(a.text)


def test_article_ids_are_safe_file_stems():
    assert safe_id("000_ab16") == "000_ab16"
    assert safe_id("my story (final)") == "my-story-final"
    assert safe_id("???") == "article"


# -- 5. bad input -------------------------------------------------------------------------------
def write_bad(kind: str, folder: Path) -> tuple[Path, str]:
    """A bad input of this kind in `folder`, and (a part of) the reason it must be reported with."""
    p = folder / f"{kind}.txt"
    if kind == "empty":
        p.write_bytes(b"")
        return p, "empty file"
    if kind == "blank":
        p.write_text(" \n\n\t\n")
        return p, "empty file"
    if kind == "binary":
        p.write_bytes(bytes(range(256)) * 64)
        return p, "binary file"
    if kind == "latin1":
        p.write_bytes("date 2024-03-08 Zürich.\n\nThe talks in Zürich ended.\n".encode("latin-1"))
        return p, "not UTF-8"
    if kind == "missing":
        return p, "no such file or folder"
    if kind == "huge":
        with p.open("wb") as fh:
            fh.write((GOOD.encode() + b"\n") * (20 * 1024 * 1024 // (len(GOOD) + 1) + 1))
        assert p.stat().st_size >= 20 * 1024 * 1024
        return p, "too large"
    raise ValueError(kind)


BAD_KINDS = ["empty", "blank", "binary", "latin1", "missing", "huge"]


def good_and_bad(kind: str, tmp_path):
    """A folder holding one good article and one bad input of `kind` (a missing one sits beside it)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    bad, reason = write_bad(kind, folder)
    return folder, bad, reason


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_input_is_a_read_error_naming_the_file_and_the_others_still_load(kind, tmp_path):
    folder, bad, reason = good_and_bad(kind, tmp_path)
    paths = [folder] if kind != "missing" else [folder, bad]
    arts, errors = read(paths)
    assert [a.id for a in arts] == ["good"]
    assert len(errors) == 1
    assert errors[0].source == str(bad) and reason in errors[0].reason
    assert str(bad) in str(errors[0])


def test_a_utf8_bom_is_not_part_of_the_text(tmp_path):
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    (art,), _ = read([tmp_path])
    assert art.text == GOOD and art.date == date(2024, 3, 8)


def test_an_empty_folder_is_reported(tmp_path):
    arts, errors = read([tmp_path])
    assert not arts and len(errors) == 1 and "no .txt or .jsonl" in errors[0].reason


def test_size_limit_is_for_one_article():
    assert 1024 * 1024 <= MAX_BYTES < 20 * 1024 * 1024


# -- JSON Lines ---------------------------------------------------------------------------------
def jsonl(tmp_path: Path, lines: list) -> Path:
    p = tmp_path / "feed.jsonl"
    p.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return p


def test_jsonl_records_carry_their_metadata_and_bad_lines_are_reported_with_file_and_line(tmp_path):
    p = jsonl(tmp_path, [
        {"id": "rec-1", "text": GOOD, "url": "https://news.example/a", "title": "Prisoner deal",
         "published": "2024-03-09", "outlet": "Example News"},
        {"text": "Kenya and Ethiopia held talks in Nairobi on Friday, officials said."},
        "{not json",
        {"id": "no-text", "title": "only a title"},
        "",
        ["a", "list"],
        {"text": "   "},
    ])
    arts, errors = read([p])
    by_id = {a.id: a for a in arts}
    assert set(by_id) == {"rec-1", "feed-2"}
    a = by_id["rec-1"]
    assert (a.url, a.title, a.outlet, a.date) == ("https://news.example/a", "Prisoner deal", "Example News",
                                                   date(2024, 3, 9))
    assert a.path == f"{p}:1"
    b = by_id["feed-2"]
    assert (b.url, b.title, b.outlet, b.date) == (None, None, None, None)  # nothing invented
    assert [e.source for e in errors] == [f"{p}:3", f"{p}:4", f"{p}:6", f"{p}:7"]
    assert "not valid JSON" in errors[0].reason and "'text'" in errors[1].reason


def test_jsonl_field_names_of_common_feeds(tmp_path):
    p = jsonl(tmp_path, [
        {"id": "a", "text": GOOD, "date": "2025-06-27T09:30:00Z", "source": "Wire", "link": "https://x.example/a",
         "headline": "Talks"},
        {"id": "b", "text": GOOD, "publishedAt": "June 26, 2025", "publisher": "Daily"},
    ])
    arts, errors = read([p])
    by_id = {a.id: a for a in arts}
    assert not errors
    assert (by_id["a"].date, by_id["a"].outlet, by_id["a"].url, by_id["a"].title) == (
        date(2025, 6, 27), "Wire", "https://x.example/a", "Talks")
    assert (by_id["b"].date, by_id["b"].outlet) == (date(2025, 6, 26), "Daily")


def test_a_jsonl_feed_may_be_larger_than_one_article(tmp_path):
    record = {"text": "Kenya and Ethiopia held talks in Nairobi on Friday. " * 50}
    n = MAX_BYTES // len(json.dumps(record)) + 10
    p = jsonl(tmp_path, [dict(record, id=f"r{i}") for i in range(n)])
    assert p.stat().st_size > MAX_BYTES
    arts, errors = read([p])
    assert not errors and len(arts) == n


def test_an_oversized_jsonl_record_is_reported_and_the_rest_load(tmp_path):
    p = jsonl(tmp_path, [{"id": "big", "text": "word " * (MAX_BYTES // 5 + 10)}, {"id": "small", "text": GOOD}])
    arts, errors = read([p])
    assert [a.id for a in arts] == ["small"]
    assert len(errors) == 1 and errors[0].source == f"{p}:1" and "too large" in errors[0].reason
