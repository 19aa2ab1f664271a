"""SHACL Core shapes compiled to SPARQL: one SELECT per constraint, run by Oxigraph over every
focus node at once.

pyshacl checks each focus node in Python, which took ~125 s on the BBC corpus's 2,124 article
graphs (more than resolution and writing together). The same constraints as SPARQL queries run in
Oxigraph's evaluator. The compiler reads the shapes file; it hard-codes no shape. A top-level shape
that uses a component not compiled here (sh:closed, sh:node, sh:qualifiedValueShape, ...) is left
whole to pyshacl (`CompiledShapes.rest`), so nothing is ever skipped; `tests/test_shapes_sparql.py`
checks that both give the same results on broken graphs.

Semantics follow the SHACL 1.0 Recommendation: focus nodes from the targets; value nodes along the
path; "instance of" through the data graph's rdf:type/rdfs:subClassOf* (the caller adds the
ontology's class hierarchy to the data, as for pyshacl); sh:in and sh:hasValue by sameTerm; a
comparison that raises a SPARQL error counts as a violation, as an incomparable value does in SHACL.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, XSD

SH = "http://www.w3.org/ns/shacl#"
_TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")
# predicates of a shape that change nothing about which results it gives
_INERT = {"message", "severity", "name", "description", "order", "group", "deactivated", "path", "property",
          "defaultValue", "declare", "prefixes", *_TARGETS}
_VALUE_COMPONENTS = {"class", "datatype", "nodeKind", "in", "minInclusive", "maxInclusive", "minExclusive",
                     "maxExclusive", "minLength", "maxLength", "pattern", "flags", "or", "and", "not"}
_COUNT_COMPONENTS = {"minCount", "maxCount"}
_PAIR_COMPONENTS = {"lessThan", "lessThanOrEquals"}
_OTHER_COMPONENTS = {"hasValue", "sparql"}
_SUPPORTED = _INERT | _VALUE_COMPONENTS | _COUNT_COMPONENTS | _PAIR_COMPONENTS | _OTHER_COMPONENTS
# datatypes whose lexical form SPARQL can check by casting (a failed cast is an ill-formed literal)
_CASTABLE = {XSD[n] for n in ("boolean", "integer", "decimal", "double", "float", "date", "dateTime", "time",
                              "duration", "dayTimeDuration", "yearMonthDuration")}
_NODE_KINDS = {"IRI": "isIRI({v})", "BlankNode": "isBlank({v})", "Literal": "isLiteral({v})",
               "BlankNodeOrIRI": "!isLiteral({v})", "BlankNodeOrLiteral": "!isIRI({v})",
               "IRIOrLiteral": "!isBlank({v})"}
_COMPARE = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}
_INSTANCE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"
Subclasses = dict[str, set[str]]  # each class -> itself and its subclasses, from the ontology


_SUBCLASSES: Subclasses = {}
_DATA_HIERARCHY = True  # compile "instance of" to also follow rdfs:subClassOf statements in the data


def _instance_of(node: str, cls) -> str:
    """A condition true when `node` is a SHACL instance of `cls`: typed with it or a subclass the
    ontology knows, or with a class the data says is a subclass. (An IN list, not VALUES: Oxigraph
    evaluates VALUES inside EXISTS over the whole store, ~5,000x slower here.)"""
    classes = sorted(_SUBCLASSES.get(str(cls), {str(cls)}) | {str(cls)})
    known = f"EXISTS {{ {node} <{RDF.type}> ?cls FILTER (?cls IN ({', '.join(f'<{c}>' for c in classes)})) }}"
    if not _DATA_HIERARCHY:  # the variant for data without rdfs:subClassOf statements
        return known
    return f"({known} || EXISTS {{ {node} {_INSTANCE} <{cls}> }})"


class Unsupported(Exception):
    """A shape uses something this compiler does not translate: pyshacl validates it."""


def sh(name: str) -> URIRef:
    return URIRef(SH + name)


@dataclass(frozen=True)
class Constraint:
    """One compiled constraint: its query selects ?this (and ?value where SHACL reports one)."""

    shape: str
    component: str
    path: str | None  # as the report shows it: "<iri>", "(complex path)", or None for a node shape
    messages: tuple[str, ...]
    query: str  # with FOCUS where the focus nodes of `top` go
    top: int = 0  # index of the top-level shape in CompiledShapes.focus
    flat_query: str = ""  # the same for data that states no rdfs:subClassOf (cheaper "instance of")


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str
    component: str
    declared: bool  # the message is the shape's own sh:message (not a default text)

    def line(self) -> str:
        parts = [self.focus]
        if self.path is not None:
            parts.append(f"path {self.path}")
        if self.value is not None:
            parts.append(f"value {self.value}")
        parts.append(self.message)
        return " | ".join(parts)


@dataclass
class CompiledShapes:
    constraints: list[Constraint] = field(default_factory=list)
    focus: list[str] = field(default_factory=list)  # per top-level shape: a group binding ?this to its focus nodes
    flat_focus: list[str] = field(default_factory=list)  # the same for data without rdfs:subClassOf
    rest: Graph | None = None  # the shapes pyshacl must still run (the compiled ones deactivated), or None
    compiled_shapes: list[str] = field(default_factory=list)
    left_to_pyshacl: list[str] = field(default_factory=list)


def compile_shapes(shapes: Graph, subclasses: Subclasses | None = None) -> CompiledShapes:
    """Every top-level shape (one with a target) as SPARQL constraints, or left to pyshacl.

    `subclasses` (the ontology's hierarchy) lets "instance of" hold without the hierarchy in the
    data: a node typed with a subclass is an instance; subclass triples in the data count too."""
    global _SUBCLASSES
    _SUBCLASSES = subclasses or {}
    out = CompiledShapes()
    referenced = {o for p in ("node", "qualifiedValueShape") for o in shapes.objects(None, sh(p))}
    referenced |= {m for p in ("or", "and", "xone") for lst in shapes.objects(None, sh(p))
                   for m in Collection(shapes, lst)} | set(shapes.objects(None, sh("not")))
    tops = sorted({s for t in _TARGETS for s in shapes.subjects(sh(t), None)}, key=str)
    for shape in tops:
        if _deactivated(shapes, shape):
            continue
        try:
            if shape in referenced:
                raise Unsupported("also used inside another shape")
            focus = _focus_pattern(shapes, shape)
            constraints = list(_compile_top(shapes, shape))
            _flat(True)
            flat_focus = _focus_pattern(shapes, shape)
            flat = list(_compile_top(shapes, shape))
        except Unsupported:
            out.left_to_pyshacl.append(str(shape))
            continue
        finally:
            _flat(False)
        out.constraints += [replace(c, top=len(out.focus), flat_query=f.query) for c, f in zip(constraints, flat)]
        out.focus.append(focus)
        out.flat_focus.append(flat_focus)
        out.compiled_shapes.append(str(shape))
    if out.left_to_pyshacl:
        rest = Graph()
        for t in shapes:
            rest.add(t)
        for s in out.compiled_shapes:
            rest.set((URIRef(s) if not s.startswith("_:") else BNode(s[2:]), sh("deactivated"), Literal(True)))
        out.rest = rest
    return out


def _flat(on: bool) -> None:
    global _DATA_HIERARCHY
    _DATA_HIERARCHY = not on


def _deactivated(shapes: Graph, shape) -> bool:
    return shapes.value(shape, sh("deactivated")) == Literal(True)


def _check_supported(shapes: Graph, shape) -> None:
    for p in shapes.predicates(shape, None):
        if str(p).startswith(SH) and str(p)[len(SH):] not in _SUPPORTED:
            raise Unsupported(f"sh:{str(p)[len(SH):]}")


FOCUS = "#FOCUS#"  # stands for the focus group in a compiled query until it runs


def _compile_top(shapes: Graph, shape) -> Iterator[Constraint]:
    focus = FOCUS
    if shapes.value(shape, sh("path")) is not None:  # a property shape with its own targets
        yield from _compile_property(shapes, shape, focus)
        return
    _check_supported(shapes, shape)
    yield from _compile_node_level(shapes, shape, focus)
    for prop in shapes.objects(shape, sh("property")):
        if not _deactivated(shapes, prop):
            yield from _compile_property(shapes, prop, focus)


def _focus_pattern(shapes: Graph, shape) -> str:
    """A group binding ?this to each focus node once."""
    parts = [f"{{ ?this <{RDF.type}> ?focus_type FILTER {_instance_of('?this', c)} }}"
             for c in shapes.objects(shape, sh("targetClass")) if _term(c)]
    parts += [f"{{ ?this {_term(p)} ?target_o }}" for p in shapes.objects(shape, sh("targetSubjectsOf"))]
    parts += [f"{{ ?target_s {_term(p)} ?this }}" for p in shapes.objects(shape, sh("targetObjectsOf"))]
    nodes = list(shapes.objects(shape, sh("targetNode")))
    if nodes:
        parts.append("{ VALUES ?this { " + " ".join(_term(n) for n in nodes) + " } }")
    if shapes.value(shape, sh("target")) is not None:
        raise Unsupported("sh:target (SHACL-AF)")
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"


def _messages(shapes: Graph, shape) -> tuple[str, ...]:
    return tuple(sorted(str(m) for m in shapes.objects(shape, sh("message"))))


def _constraint(shapes: Graph, shape, component: str, path: str | None, query: str) -> Constraint:
    return Constraint(_name(shape), component, path, _messages(shapes, shape), query)


def _compile_node_level(shapes: Graph, shape, focus: str) -> Iterator[Constraint]:
    """Constraints of a node shape itself: its one value node is the focus node."""
    for component, cond in _value_conditions(shapes, shape, "?this"):
        yield _constraint(shapes, shape, component, None, (
            f"SELECT DISTINCT ?this (?this AS ?value) WHERE {{ {focus} FILTER (!COALESCE({cond}, false)) }}"))
    has_value = shapes.value(shape, sh("hasValue"))
    if has_value is not None:
        yield _constraint(shapes, shape, "hasValue", None, (
            f"SELECT DISTINCT ?this ?value WHERE {{ {focus} FILTER (!sameTerm(?this, {_term(has_value)})) }}"))
    for c in shapes.objects(shape, sh("sparql")):
        yield _sparql_constraint(shapes, shape, c, focus, None)
    for p in _PAIR_COMPONENTS | _COUNT_COMPONENTS:
        if shapes.value(shape, sh(p)) is not None:
            raise Unsupported(f"sh:{p} on a node shape")


def _compile_property(shapes: Graph, prop, focus: str) -> Iterator[Constraint]:
    _check_supported(shapes, prop)
    path_node = shapes.value(prop, sh("path"))
    if path_node is None:
        raise Unsupported("property shape without sh:path")
    path = _path(shapes, path_node)
    shown = f"<{path_node}>" if isinstance(path_node, URIRef) else "(complex path)"
    values = f"{focus} ?this {path} ?value ."
    for component, cond in _value_conditions(shapes, prop, "?value"):
        yield _constraint(shapes, prop, component, shown, (
            f"SELECT DISTINCT ?this ?value WHERE {{ {values} FILTER (!COALESCE({cond}, false)) }}"))
    for component, op in (("minCount", "<"), ("maxCount", ">")):
        n = shapes.value(prop, sh(component))
        if n is None:
            continue
        n = int(n)
        if component == "minCount" and n == 0:
            continue
        if component == "minCount" and n == 1:
            query = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} ?any }} }}"
        else:
            query = (f"SELECT ?this ?value WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {focus} "
                     f"OPTIONAL {{ ?this {path} ?v }} }} GROUP BY ?this }} FILTER (?n {op} {n}) }}")
        yield _constraint(shapes, prop, component, shown, query)
    for component, op in (("lessThan", "<"), ("lessThanOrEquals", "<=")):
        for other in shapes.objects(prop, sh(component)):
            yield _constraint(shapes, prop, component, shown, (
                f"SELECT DISTINCT ?this ?value WHERE {{ {values} ?this {_term(other)} ?other . "
                f"FILTER (!COALESCE(?value {op} ?other, false)) }}"))
    has_value = shapes.value(prop, sh("hasValue"))
    if has_value is not None:
        yield _constraint(shapes, prop, "hasValue", shown, (
            f"SELECT DISTINCT ?this ?value WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} {_term(has_value)} }} }}"))
    for c in shapes.objects(prop, sh("sparql")):
        yield _sparql_constraint(shapes, prop, c, focus, shown)


def _value_conditions(shapes: Graph, shape, v: str) -> Iterator[tuple[str, str]]:
    """(component, SPARQL expression true when value `v` satisfies it) for each value-level one."""
    for c in shapes.objects(shape, sh("class")):
        yield "class", _instance_of(v, c) if _term(c) else "false"
    for d in shapes.objects(shape, sh("datatype")):
        yield "datatype", _datatype_condition(d, v)
    kind = shapes.value(shape, sh("nodeKind"))
    if kind is not None:
        name = str(kind)[len(SH):]
        if name not in _NODE_KINDS:
            raise Unsupported(f"sh:nodeKind {kind}")
        yield "nodeKind", _NODE_KINDS[name].format(v=v)
    allowed = shapes.value(shape, sh("in"))
    if allowed is not None:
        members = [f"sameTerm({v}, {_term(m)})" for m in Collection(shapes, allowed)]
        yield "in", "(" + (" || ".join(members) or "false") + ")"
    for component, op in _COMPARE.items():
        bound = shapes.value(shape, sh(component))
        if bound is not None:
            yield component, f"({v} {op} {_term(bound)})"
    for component, op in (("minLength", ">="), ("maxLength", "<=")):
        n = shapes.value(shape, sh(component))
        if n is not None:
            yield component, f"(!isBlank({v}) && STRLEN(STR({v})) {op} {int(n)})"
    for pattern in shapes.objects(shape, sh("pattern")):
        flags = shapes.value(shape, sh("flags"))
        extra = f", {_term(Literal(str(flags)))}" if flags is not None else ""
        yield "pattern", f"(!isBlank({v}) && REGEX(STR({v}), {_term(Literal(str(pattern)))}{extra}))"
    for component, join in (("or", " || "), ("and", " && ")):
        for lst in shapes.objects(shape, sh(component)):
            members = [_member_condition(shapes, m, v) for m in Collection(shapes, lst)]
            yield component, "(" + (join.join(members) or ("false" if component == "or" else "true")) + ")"
    for member in shapes.objects(shape, sh("not")):
        yield "not", f"!{_member_condition(shapes, member, v)}"


def _member_condition(shapes: Graph, member, v: str) -> str:
    """A shape inside sh:or/sh:and/sh:not as one condition on the value: only value-level
    components, no path of its own."""
    for p in shapes.predicates(member, None):
        name = str(p)[len(SH):] if str(p).startswith(SH) else None
        if name is not None and name not in _VALUE_COMPONENTS | {"message", "severity", "name", "description"}:
            raise Unsupported(f"sh:{name} inside a logical constraint")
    conds = [c for _, c in _value_conditions(shapes, member, v)]
    return "(" + (" && ".join(f"COALESCE({c}, false)" for c in conds) or "true") + ")"


def _datatype_condition(d, v: str) -> str:
    if d == RDF.langString:
        return f"(isLiteral({v}) && LANG({v}) != \"\")"
    cond = f"(isLiteral({v}) && sameTerm(DATATYPE({v}), {_term(d)})"
    if d in _CASTABLE:  # well-formed: the lexical form casts to the datatype
        cond += f" && isLiteral(COALESCE({_term(d)}(STR({v})), <urn:kg:ill-formed>))"
    return cond + ")"


def _sparql_constraint(shapes: Graph, shape, c, focus: str, shown: str | None) -> Constraint:
    """A SHACL-SPARQL constraint run once for all focus nodes: $this joined with the focus group
    (same results as pre-binding it for the SELECTs used here, which only read $this)."""
    if _deactivated(shapes, c):
        raise Unsupported("deactivated SPARQL constraint")  # rare; pyshacl knows what to do
    select = shapes.value(c, sh("select"))
    if select is None or "$PATH" in str(select) or "$currentShape" in str(select) or "$shapesGraph" in str(select):
        raise Unsupported("SPARQL constraint with pre-bound variables other than $this")
    prefixes = "".join(
        f"PREFIX {shapes.value(d, sh('prefix'))}: <{shapes.value(d, sh('namespace'))}>\n"
        for decl in shapes.objects(c, sh("prefixes")) for d in shapes.objects(decl, sh("declare")))
    body = str(select).replace("$this", "?this")
    messages = tuple(sorted(str(m) for m in shapes.objects(c, sh("message")))) or _messages(shapes, shape)
    query = f"{prefixes}SELECT DISTINCT ?this ?value WHERE {{ {focus} {{ {body} }} }}"
    return Constraint(_name(shape), "sparql", shown, messages, query)


def _path(shapes: Graph, node) -> str:
    """A SHACL property path as a SPARQL property path."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if shapes.value(node, RDF.first) is not None:
        return "(" + "/".join(_path(shapes, m) for m in Collection(shapes, node)) + ")"
    for name, fmt in (("inversePath", "^({})"), ("zeroOrMorePath", "({})*"), ("oneOrMorePath", "({})+"),
                      ("zeroOrOnePath", "({})?")):
        inner = shapes.value(node, sh(name))
        if inner is not None:
            return fmt.format(_path(shapes, inner))
    alternatives = shapes.value(node, sh("alternativePath"))
    if alternatives is not None:
        return "(" + "|".join(_path(shapes, m) for m in Collection(shapes, alternatives)) + ")"
    raise Unsupported(f"path {node!r}")


def _term(t) -> str:
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, Literal):
        return t.n3()
    raise Unsupported(f"blank node {t!r} where a term is expected")


def _name(shape) -> str:
    return str(shape) if isinstance(shape, URIRef) else f"_:{shape}"


def run(compiled: CompiledShapes, store: ox.Store, *, union: bool = False,
        scratch: bool = False) -> list[Violation]:
    """Every violation of the compiled constraints in `store` (its default graph, or the union of
    its graphs). With `scratch` (a store of the caller's own that may be written to), each shape's
    focus nodes are found once and kept in a named graph of the store, instead of once per
    constraint (~90 constraints, 13 shapes: validation ~3x faster)."""
    kwargs = {"use_default_graph_as_union": True} if union else {}
    flat = not store.query(f"ASK {{ ?sub <{RDFS_SUBCLASS}> ?super }}", **kwargs)
    focus = list(compiled.flat_focus if flat else compiled.focus)
    if scratch and not union:
        for i, group in enumerate(list(focus)):
            # the focus node as the object: a literal (sh:targetObjectsOf) cannot be a subject
            store.update(f"INSERT {{ GRAPH <{_FOCUS_GRAPH}> {{ <{_FOCUS_GRAPH}:{i}> <{_FOCUS_GRAPH}> ?this }} }} "
                         f"WHERE {{ {group} }}")
            focus[i] = f"GRAPH <{_FOCUS_GRAPH}> {{ <{_FOCUS_GRAPH}:{i}> <{_FOCUS_GRAPH}> ?this }}"
    found: list[Violation] = []
    try:
        for c in compiled.constraints:
            for row in store.query((c.flat_query if flat else c.query).replace(FOCUS, focus[c.top]), **kwargs):
                this = row["this"].value
                value = row["value"]
                value_s = value.value if value is not None else None
                if c.messages:
                    message, declared = _fill(c.messages[0], this, value_s), True
                else:
                    message, declared = f"sh:{c.component} constraint of {c.shape} not met", False
                found.append(Violation(this, c.path, value_s, message, c.shape, c.component, declared))
    finally:
        if scratch and not union:
            store.update(f"DROP SILENT GRAPH <{_FOCUS_GRAPH}>")
    return found


_FOCUS_GRAPH = "urn:kg:shacl-focus"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


def _fill(message: str, this: str, value: str | None) -> str:
    message = re.sub(r"\{[?$]value\}", value or "", message)
    return re.sub(r"\{[?$]this\}", this, message)


