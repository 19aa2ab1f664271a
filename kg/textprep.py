"""Make scraped text parseable without moving a single character: every clean-up replaces
characters one for one (mostly with spaces), so spaCy offsets are offsets into the original file."""
from __future__ import annotations

import re

from .names import is_acronym, long_form_start
from .reader import DATE_LINE

BYLINE = re.compile(r"^[ \t]*By\s+[A-Z][^\n]{0,200}$", re.M)
STAMP = re.compile(r"^[ \t]*(?:PUBLISHED|UPDATED|Published|Updated)\s*:[^\n]*$", re.M)
# "(Jane Doe/Agency)" or "(Photo: …)" or "(NAME SURNAME)": photo credits, not prose
CREDIT = re.compile(r"\((?:[^()\n]*(?:/|\bvia\b|\bPhoto\b|\bphoto\b|\bAP\b|\bAFP\b|\bReuters\b|\bGetty\b|\bHandout\b|\bPool\b"
                    r"|\b[Rr]eporting by\b|\bEditing by\b|\bWriting by\b)[^()\n]*"
                    r"|[A-Z][A-Z .'-]{3,})\)")
# "BERLIN – ", "BRUSSELS (AP) — ", "KYIV, Ukraine (AP) — ", "BRUSSELS, June 26 (Reuters) - "
DATELINE = re.compile(r"^[ \t]*[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][A-Za-z. ]{2,30}?)?(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
                      r"(?:\s*\([A-Za-z .&'-]{2,40}\))?\s*[–—-]{1,2}\s", re.M)
# a line that only names the wire service under a byline
AGENCY_LINE = re.compile(r"^[ \t]*(?:The )?(?:Associated Press|Reuters|AFP|Agence France-Presse|Bloomberg|dpa|"
                         r"Xinhua|Anadolu Agency|TASS|Interfax)[ \t]*$", re.M)
# a wire's contact and follow lines: 'To contact the reporter on this story: …', 'Twitter: X on Twitter'
CONTACT_LINE = re.compile(r"^[ \t]*(?:To contact the (?:reporters?|editors?)\b[^\n]*|Twitter:[^\n]*\bon Twitter)[ \t]*$",
                          re.M | re.I)
SECTION_TAIL = re.compile(r"^([^\n]{10,200}?)(\s+\|\s+[^\n]*)$", re.M)  # "Headline | Section - News"


def _defines_acronym(text: str, match: re.Match) -> bool:
    """'the Front for the Liberation of the Coast (FLOC)' is no credit: the acronym spells the words before it."""
    inner = match.group(0)[1:-1]
    if not (match.group(0).startswith("(") and is_acronym(inner)):
        return False
    words = re.findall(r"[\w'’&-]+", text[max(0, match.start() - 200):match.start()])
    return long_form_start(inner, words) is not None


def blank(text: str, start: int, end: int) -> str:
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def clean_for_nlp(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Same-length text for the parser, and the regions that were blanked (bylines, credits…)."""
    regions: list[tuple[int, int]] = []
    m = DATE_LINE.match(text)
    if m:
        line = re.match(r"\s*(?:date|dateline)\s+\d{4}-\d{2}-\d{2}(?:\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*\.)?", text, re.I)
        regions.append((line.start(), line.end()))
    for rx in (BYLINE, STAMP, CREDIT, DATELINE, AGENCY_LINE, CONTACT_LINE):
        regions += [(x.start(), x.end()) for x in rx.finditer(text) if not _defines_acronym(text, x)]
    regions += [(x.start(2), x.end(2)) for x in SECTION_TAIL.finditer(text[:400])]
    out = text
    for start, end in regions:
        out = blank(out, start, end)
    # a hard line break inside a sentence is a space; a blank line or a line with no final
    # punctuation before it (headline, caption, bullet) ends the sentence
    out = re.sub(r"(?<=[^\s.!?:;\"”’)])\n(?=[a-z])", " ", out)
    return out, sorted(regions)
