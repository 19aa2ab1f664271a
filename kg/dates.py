"""Dates: an article's anchor date and relative expressions ("Friday", "on Thursday") against it."""
from __future__ import annotations

import re
from datetime import date, timedelta

from .reader import MONTHS

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
FULL_DATE = re.compile(
    r"\b(?:(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"
    r"(January|February|March|April|May|June|July|August|September|October|November|December)\.?\s+"
    r"(\d{1,2}),?\s+(\d{4})\b")
DAY_MONTH_YEAR = re.compile(
    r"\b(?:(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?(\d{1,2})\s+"
    r"(January|February|March|April|May|June|July|August|September|October|November|December)\s+(\d{4})\b")
ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def explicit_dates(text: str) -> list[tuple[date, str | None, int]]:
    """Full dates written in the text: (date, weekday named beside it or None, offset)."""
    out = []
    for m in FULL_DATE.finditer(text):
        d = _safe(int(m[4]), MONTHS[m[2].lower()], int(m[3]))
        if d:
            out.append((d, m[1], m.start()))
    for m in DAY_MONTH_YEAR.finditer(text):
        d = _safe(int(m[4]), MONTHS[m[3].lower()], int(m[2]))
        if d:
            out.append((d, m[1], m.start()))
    return out


def _safe(y: int, mth: int, d: int) -> date | None:
    try:
        return date(y, mth, d)
    except ValueError:
        return None


def anchor_date(stated: date | None, text: str) -> tuple[date | None, str]:
    """The day relative expressions count from, and why.

    An explicit full date in the text beats the date line when they disagree: a full date with its
    weekday ("Friday, May 16, 2025") dates the events; so does a full date later than the date line
    (a report cannot precede what it reports)."""
    found = explicit_dates(text)
    with_weekday = [d for d, wd, _ in found if wd and WEEKDAYS[d.weekday()] == wd.lower()]
    if with_weekday:
        best = max(with_weekday)
        if stated is None or abs((best - stated).days) > 6:
            return best, "explicit dated weekday in the text"
    if stated is not None:
        later = [d for d, _, _ in found if d > stated]
        if later:
            return min(later), "explicit date later than the date line"
        return stated, "date line"
    return None, "no date"


def resolve(expr: str, anchor: date | None, future: bool = False) -> date | None:
    """A date expression as a day, or None when it names no single day."""
    text = expr.strip()
    for rx, order in ((FULL_DATE, (4, 2, 3)), (DAY_MONTH_YEAR, (4, 3, 2))):
        m = rx.search(text)
        if m:
            return _safe(int(m[order[0]]), MONTHS[m[order[1]].lower()], int(m[order[2]]))
    m = ISO.search(text)
    if m:
        return _safe(int(m[1]), int(m[2]), int(m[3]))
    if anchor is None:
        return None
    low = text.lower()
    if re.fullmatch(r"(?:on\s+)?(?:this\s+)?(today|tonight|this morning|this afternoon|this evening)", low):
        return anchor
    if re.fullmatch(r"(?:on\s+)?yesterday", low):
        return anchor - timedelta(days=1)
    if re.fullmatch(r"(?:on\s+)?tomorrow", low):
        return anchor + timedelta(days=1)
    m = re.fullmatch(r"(?:on\s+|last\s+|next\s+|this\s+|early\s+|late\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:\s+(?:morning|afternoon|evening|night))?", low)
    if m:
        target = WEEKDAYS.index(m[1])
        if low.startswith("next") or future:
            delta = (target - anchor.weekday()) % 7 or 7
            return anchor + timedelta(days=delta)
        return anchor - timedelta(days=(anchor.weekday() - target) % 7)
    return None
