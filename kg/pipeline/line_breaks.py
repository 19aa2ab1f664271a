"""Component `kg_line_breaks` (before the parser): sentence starts at surviving line breaks."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("kg_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break that survived clean-up ends a sentence (headlines, captions, bullets), and
    the line's first word is not a sentence of its own: the parser, told where a sentence starts,
    would otherwise sometimes end it one word later ('Armenia | and Azerbaijan agreed')."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            tok.is_sent_start = True
            if tok.i + 1 < len(doc) and not tok.is_space and "\n" not in tok.whitespace_ \
                    and not doc[tok.i + 1].is_space:
                doc[tok.i + 1].is_sent_start = False
    return doc
