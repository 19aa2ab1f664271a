"""The word classes the extraction rules read, loaded once from `kg/data/lexicon/` (validated by
`kg.lexicon`): a new phrasing is a new word in a data file, not new code."""
from __future__ import annotations

import calendar
import re

from .. import gazetteer as gz, lexicon

_w = lexicon.word_class

NAME_LABELS = _w("name_labels")
GROUP_HEADS = lexicon.words("group_heads")
GATHERING_NOUNS = lexicon.words("gathering_nouns")
NOT_MEETINGS = lexicon.words("not_meetings")
DEAL_MAKING_VERBS = lexicon.words("deal_making_verbs")
WISH_WORDS = lexicon.words("wish_words")  # "need to see a deal", "push for a deal": a deal not yet made
DEMAND_NOUN_MAKERS = lexicon.words("demand_noun_makers")  # "X issued demands": X demands
EVENT_NAME_HEADS = _w("event_name_heads")
NON_DESCRIPTIVE = _w("non_descriptive")
MEETING_VERBS = _w("meeting_verbs")
MEETING_NOUNS = _w("meeting_nouns")
OFFICE_WORDS = _w("office_words")
HOLDER_WORDS = gz.TITLES | OFFICE_WORDS
CONSULT_WITH_VERBS = _w("consult_with_verbs")
HOST_VERBS = _w("host_verbs")
MOTION_VERBS = _w("motion_verbs")
LOCATIVE_PREPS = _w("locative_preps")
QUOTES = _w("quotes")
HONORIFICS = _w("honorifics")
NOT_ACRONYMS = _w("not_acronyms")
MARGIN_WORDS = _w("margin_words")
ROUND_NOUNS = _w("round_nouns")
PLACING_PREPS = LOCATIVE_PREPS | {"with", "between", "among"}  # "met with X in Y" places the meeting
CALENDAR_WORDS = {d.lower() for d in calendar.day_name} | {m.lower() for m in calendar.month_name if m}
AGREE_VERBS = _w("agree_verbs")
ACCEPT_VERBS = _w("accept_verbs")
OFFER_NOUNS = _w("offer_nouns")
PLEDGE_VERBS = _w("pledge_verbs")
JOINT_NOUNS = _w("joint_nouns")
AGREE_NOUNS = _w("agree_nouns")
SPLIT_AGREE_NOUNS = _w("split_agree_nouns")
DEMAND_VERBS = _w("demand_verbs")
DEMAND_PREPS = {verb: frozenset(preps) for verb, preps in lexicon.word_map("demand_preps").items()}
PREP_ONLY_DEMAND_VERBS = _w("prep_only_demand_verbs")
DEMAND_NOUNS = _w("demand_nouns")
WEAK_DEMAND_VERBS = _w("weak_demand_verbs")
DEMANDABLE = _w("demandable")
SPEECH_VERBS = _w("speech_verbs")
OBLIGED_WORDS = _w("obliged_words")
DEMAND_MODALS = _w("demand_modals")
DEONTIC_MODALS = _w("deontic_modals")
FIRST_PERSON = _w("first_person")
HAPPEN_VERBS = _w("happen_verbs")
SCHEDULED_WORDS = _w("scheduled_words")
NUMBER_WORDS: dict[str, int] = lexicon.word_map("number_words")
ASSERTIVE_DEMAND_VERBS = _w("assertive_demand_verbs")
NEGATORS = _w("negators")
PLANNED_MARKERS = _w("planned_markers")
COLLECTIVE_WORDS = _w("collective_words")
GROUP_NOUNS = _w("group_nouns")
VENUE_HEADS = _w("venue_heads")
CONCEPTS: dict[str, str] = lexicon.word_map("concepts")
LIGHT_VERBS = _w("light_verbs")
THREAT_VERBS = _w("threat_verbs")
MARKET_WORDS = _w("market_words")
NEEDED_ACTIONS = _w("needed_actions")
READINESS_WORDS = _w("readiness_words")

# text shapes rather than words: what stands between a name and another name of the same one
ALIAS_LINK = re.compile(r"\s*,?\s*(?:(?:also|better|commonly|widely|popularly|otherwise|more commonly)\s+)?"
                        r"(?:known as|nicknamed|a\.k\.a\.?|aka|also called)\s*", re.IGNORECASE)
# "WASHINGTON — ", "LONDON Prime Minister…", "BRUSSELS, June 26 (Reuters) - ": a city in capitals
# opening a paragraph near the top, before a dash, a comma, an agency or the first word of prose
WIRE_DATELINE = re.compile(r"^[ \t]*([A-Z][A-Z.'-]+(?:[ -][A-Z][A-Z.'-]+){0,3})(?=\s*[,(–—-]|\s+[A-Z][a-z])", re.M)
