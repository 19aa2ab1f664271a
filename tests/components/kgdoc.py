"""Component tests: a Doc in (parsed by the model alone), one kg component run after the ones it
needs, spans or frames out; no store, no resolution. Names are invented."""
from __future__ import annotations


from spacy.tokens import Doc


from kg.extract import load_nlp
from kg.pipeline import KG_COMPONENTS, build_pipeline
from kg.pipeline.model import COLLECTIVE


def parse(text: str) -> Doc:
    return load_nlp()(text)


def run(text: str, *upto: str) -> Doc:
    """Parse `text`, then run the kg components in pipeline order up to and including `upto`."""
    doc = parse(text)
    pipeline = dict(build_pipeline().pipeline)
    last = max(KG_COMPONENTS.index(n) for n in upto)
    for name in KG_COMPONENTS[:last + 1]:
        doc = pipeline[name](doc)
    return doc


def roles(doc: Doc, frame) -> dict[str, list[str]]:
    names = {m.id: m.text for m in doc._.kg_mentions}
    return {r: ["*" if i == COLLECTIVE else names[i] for i in ids] for r, ids in frame.roles.items()}



def frames_of(text: str, component: str, kind: str) -> tuple[Doc, list]:
    """`text` run up to one event component, and the frames of one event type it found."""
    doc = run(text, component)
    return doc, [f for f in doc._.kg_frames if f.type == kind]
