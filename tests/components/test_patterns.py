"""The trigger patterns and word classes are data: checked on load, errors name file and line."""
from __future__ import annotations

import json

import pytest

from kg import lexicon
from kg.extract import load_nlp
from kg.pipeline import triggers


def test_every_trigger_row_loads_and_every_label_has_a_handler():
    nlp = load_nlp()
    labels = triggers.labels_in_order()
    finder = triggers.TriggerFinder(nlp.vocab, labels)
    assert all(label in finder.tokens or label in finder.deps for label in labels)
    from kg.pipeline import agreements, demands, meetings  # noqa: F401
    handled = {"MEETING_VERB", "SUMMON", "MEETING_NOUN", "AGREE_VERB", "ACCEPT_VERB", "AGREE_NOUN", "DEMAND_VERB",
               "DEMAND_MODAL", "WARN_VERB", "HOPE_VERB", "OBLIGED", "HAVE_TO", "OPPOSED", "THREAT", "REQUIRES",
               "DEMAND_NOUN"}
    assert set(labels) == handled


def test_a_new_word_in_a_class_is_a_new_trigger(tmp_path):
    nlp = load_nlp()
    doc = nlp("Ruritania and Freedonia parleyed in Geneva.")
    finder = triggers.TriggerFinder(nlp.vocab, ["MEETING_VERB"])
    assert finder(doc) == []
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps({"label": "MEETING_VERB", "about": "test",
                                "pattern": [{"_": {"kg_lemma": {"IN": ["parley"]}}, "POS": "VERB"}]}) + "\n")
    triggers.rows.cache_clear()
    found = triggers.TriggerFinder(nlp.vocab, ["MEETING_VERB"], path)(doc)
    assert [(t.text, label) for t, label in found] == [("parleyed", "MEETING_VERB")]


@pytest.mark.parametrize("row, reason", [
    ('{"label": "X", "about": "a", "pattern": [{"NOSUCH": 1}]}', "NOSUCH"),
    ('{"label": "X", "pattern": [{"LOWER": "a"}]}', "about"),
    ('{"label": "X", "about": "a", "pattern": [{"LOWER": {"IN": "@no_such_class"}}]}', "no_such_class"),
    ('not json', "not JSON"),
])
def test_a_bad_row_names_the_file_line_and_reason(tmp_path, row, reason):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"label": "X", "about": "ok", "pattern": [{"LOWER": "a"}]}\n' + row + "\n")
    with pytest.raises(triggers.PatternError) as err:
        triggers.TriggerFinder(load_nlp().vocab, ["X"], path)
    assert f"{path}:2" in str(err.value) and reason in str(err.value)


def test_word_classes_are_checked():
    assert "meet" in lexicon.word_class("meeting_verbs")
    with pytest.raises(lexicon.LexiconError, match="no list 'no_such'"):
        lexicon.word_class("no_such")


GATE_ROWS = [
    {"label": "ONE", "about": "one token, by lemma", "pattern": [{"_": {"kg_lemma": {"IN": ["parley", "meet"]}}, "POS": "VERB"}]},
    {"label": "LOWER", "about": "by lower form", "pattern": [{"LOWER": "talks"}]},
    {"label": "MANY", "about": "several tokens, one optional",
     "pattern": [{"_": {"kg_lemma": "agree"}}, {"LOWER": "to", "OP": "?"}, {"POS": "VERB"}]},
    {"label": "OPEN", "about": "an open-ended pattern", "pattern": [{"LOWER": "urged"}, {"IS_ALPHA": True, "OP": "+"}]},
    {"label": "FREE", "about": "no words named: matched over the whole Doc", "pattern": [{"POS": "PROPN"}, {"LOWER": "said"}]},
    {"label": "DEP", "about": "a dependency pattern",
     "dependency": [{"RIGHT_ID": "v", "RIGHT_ATTRS": {"_": {"kg_lemma": "urge"}}},
                    {"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "o", "RIGHT_ATTRS": {"DEP": "dobj"}}]},
]


def test_gated_matching_finds_what_matching_the_whole_doc_finds(tmp_path):
    """Matching from the tokens a pattern's first token names (the speed-up of `_SharedMatchers`)
    gives exactly the matches of spaCy's matchers over the whole Doc."""
    from spacy.matcher import DependencyMatcher, Matcher

    nlp = load_nlp()
    path = tmp_path / "gate.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in GATE_ROWS))
    triggers.rows.cache_clear()
    shared = triggers._SharedMatchers(nlp.vocab, path)
    shared.include({r["label"] for r in GATE_ROWS})
    assert shared.span == 0 and len(shared.tokens) == 1  # OPEN is unbounded; FREE cannot be gated
    plain, deps = Matcher(nlp.vocab), DependencyMatcher(nlp.vocab)
    for row in triggers.rows(path):
        (plain if row["kind"] == "pattern" else deps).add(row["label"], [row["pattern"]])
    text = ("Ruritania and Freedonia parleyed on Monday. Talks went on; the envoys met and agreed to "
            "extend them. Ruritania said it urged Freedonia to agree, and Freedonia urged calm talks. "
            "They agree work. Nobody said more.")
    doc = nlp(text)
    doc._.kg_context = None
    expected = {(s, nlp.vocab.strings[m]) for m, s, _ in plain(doc)} | \
               {(ids[0], nlp.vocab.strings[m]) for m, ids in deps(doc)}
    assert {label for _, label in expected} == {"ONE", "LOWER", "MANY", "OPEN", "FREE", "DEP"}
    assert shared.matches(doc) == expected
    triggers.rows.cache_clear()
