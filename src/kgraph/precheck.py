"""SPARQL pre-checks that find the focus nodes which can fail a shape, so pyshacl checks only them.

pyshacl evaluates every constraint for every focus node in Python (and re-evaluates nested
shapes for every value), which takes minutes on a graph of a million triples. Most focus nodes
conform. This module compiles each shape of shapes/ into SPARQL queries that select the focus
nodes violating it and runs them on pyoxigraph over the whole graph at once; pyshacl then
validates just those nodes against just that shape, and its report is the report.

Soundness is kept by construction: a constraint this compiler does not understand marks every
focus node of its shape as a candidate (and a shape whose targets it does not understand is
handed to pyshacl whole), so a pre-check can only make pyshacl look at more nodes than needed,
never fewer. Queries are written so that an evaluation error counts as a failure (COALESCE(…,
false)). tests/test_shapes.py runs every breaking case both with and without pre-checks and
requires identical results.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kgraph.namespaces import RDF, SH, XSD
from kgraph.store import from_ox

__all__ = ["Plan", "candidates", "plan"]

_TYPE = (
    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/"
    "<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"
)
#: Datatypes whose lexical form SPARQL can check by casting (an ill-formed literal fails).
_CASTABLE = {XSD.date, XSD.dateTime, XSD.decimal, XSD.integer, XSD.boolean, XSD.double,
             XSD.float, XSD.duration}  # fmt: skip
#: Parameters that say nothing about conformance (or are handled with the one they belong to).
_IGNORED = {RDF.type, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode,
            SH.property, SH.sparql, SH.severity, SH.message, SH.path, SH.name, SH.description,
            SH.order, SH.group, SH.flags, SH.qualifiedMinCount, SH.qualifiedMaxCount,
            SH.deactivated, SH.prefixes, SH.declare,
            URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
            URIRef("http://www.w3.org/2000/01/rdf-schema#label")}  # fmt: skip


class Unsupported(Exception):
    """A shape feature the compiler does not translate; its shape falls back to pyshacl."""


@dataclass
class Plan:
    """For each targeted shape: the SELECT queries that find its failing focus nodes."""

    queries: dict[URIRef, list[str]] = field(default_factory=dict)
    whole: list[URIRef] = field(default_factory=list)  # shapes pyshacl must run on every target


def _term(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise Unsupported(f"blank node {node} as a value")


def _int(node: Node | None) -> int:
    """The integer value of a count parameter."""
    if not isinstance(node, Literal):
        raise Unsupported(f"count {node}")
    return int(node.toPython())


def _path_of(g: Graph, prop: Node) -> str:
    """The SPARQL path of property shape ``prop``."""
    path = g.value(prop, SH.path)
    if path is None:
        raise Unsupported(f"property shape {prop} without a path")
    return _path(g, path)


def _list(g: Graph, head: Node) -> list[Node]:
    return list(Collection(g, head))


def _path(g: Graph, p: Node) -> str:
    """A SHACL path as a SPARQL property path."""
    if isinstance(p, URIRef):
        return f"<{p}>"
    if (p, RDF.first, None) in g:
        return "(" + "/".join(_path(g, x) for x in _list(g, p)) + ")"
    for key, fmt in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"),
                     (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):  # fmt: skip
        inner = g.value(p, key)
        if inner is not None:
            return "(" + fmt.format(_path(g, inner)) + ")"
    alternatives = g.value(p, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path(g, x) for x in _list(g, alternatives)) + ")"
    raise Unsupported(f"path {p}")


def _targets(g: Graph, shape: Node) -> str | None:
    """A group pattern binding ?this to the shape's focus nodes, or None if it has no target."""
    parts = [f"{{ ?this {_TYPE} <{c}> }}" for c in g.objects(shape, SH.targetClass)]
    parts += [f"{{ ?this <{p}> [] }}" for p in g.objects(shape, SH.targetSubjectsOf)]
    parts += [f"{{ [] <{p}> ?this }}" for p in g.objects(shape, SH.targetObjectsOf)]
    parts += [f"{{ VALUES ?this {{ {_term(n)} }} }}" for n in g.objects(shape, SH.targetNode)]
    if (shape, SH.target, None) in g:
        raise Unsupported("SHACL-AF targets")
    return " UNION ".join(parts) or None


def _node_tests(g: Graph, shape: Node, var: str) -> list[str]:
    """The node-level constraints of ``shape`` (not its property shapes) as tests on ``var``."""
    tests: list[str] = []
    for p, o in sorted(g.predicate_objects(shape)):
        if p not in _IGNORED:
            tests.append(_component(g, shape, p, o, var))
    return tests


def _all(tests: list[str]) -> str:
    return "(" + " && ".join(f"COALESCE({t}, false)" for t in tests) + ")" if tests else "true"


def _ok(g: Graph, shape: Node, var: str) -> str:
    """A SPARQL expression true when ``var`` conforms to the nested shape ``shape``."""
    if (shape, SH.path, None) in g:
        return _nested_property(g, shape, var)
    if any(g.objects(shape, SH.sparql)):
        raise Unsupported("SPARQL constraint inside a nested shape")
    tests = _node_tests(g, shape, var)
    tests += [_nested_property(g, prop, var) for prop in g.objects(shape, SH.property)]
    return _all(tests)


def _component(g: Graph, shape: Node, p: Node, o: Node, var: str) -> str:
    """A value-level constraint component as a SPARQL expression on ``var``."""
    if p == SH["class"]:
        # from the value to its types, then up the class tree: a path starting at the class
        # would enumerate all its instances for every value tested
        return (
            f"EXISTS {{ {var} <{RDF.type}> ?class_ . "
            f"?class_ <http://www.w3.org/2000/01/rdf-schema#subClassOf>* {_term(o)} }}"
        )
    if p == SH.datatype:
        test = f"(isLiteral({var}) && datatype({var}) = {_term(o)})"
        if o in _CASTABLE:
            test = f"({test} && COALESCE(<{o}>(STR({var})) = <{o}>(STR({var})), false))"
        if o == RDF.langString:
            test = f'(isLiteral({var}) && lang({var}) != "")'
        return test
    if p == SH.nodeKind:
        kinds = {SH.IRI: "isIRI({v})", SH.Literal: "isLiteral({v})", SH.BlankNode: "isBlank({v})",
                 SH.BlankNodeOrIRI: "!isLiteral({v})", SH.IRIOrLiteral: "!isBlank({v})",
                 SH.BlankNodeOrLiteral: "!isIRI({v})"}  # fmt: skip
        return kinds[o].format(v=var)  # type: ignore[index]
    if p == SH.pattern:
        flags = g.value(shape, SH.flags)
        extra = f", {Literal(str(flags)).n3()}" if flags is not None else ""
        return f"(!isBlank({var}) && REGEX(STR({var}), {Literal(str(o)).n3()}{extra}))"
    if p == SH.languageIn:
        langs = " || ".join(
            f"langMatches(lang({var}), {Literal(str(x)).n3()})" for x in _list(g, o)
        )
        return f"(isLiteral({var}) && ({langs or 'false'}))"
    if p == SH["in"]:
        return f"({var} IN ({', '.join(_term(x) for x in _list(g, o))}))"
    ops = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">",
           SH.maxExclusive: "<"}  # fmt: skip
    if p in ops:
        return f"({var} {ops[p]} {_term(o)})"  # type: ignore[index]
    if p in (SH.minLength, SH.maxLength):
        op = ">=" if p == SH.minLength else "<="
        return f"(!isBlank({var}) && STRLEN(STR({var})) {op} {_term(o)})"
    if p == SH.hasValue:
        return f"sameTerm({var}, {_term(o)})"
    if p == SH.node:
        return _ok(g, o, var)
    if p == SH["or"]:
        return "(" + " || ".join(f"COALESCE({_ok(g, x, var)}, false)" for x in _list(g, o)) + ")"
    if p == SH["and"]:
        return "(" + " && ".join(f"COALESCE({_ok(g, x, var)}, false)" for x in _list(g, o)) + ")"
    if p == SH["not"]:
        return f"!COALESCE({_ok(g, o, var)}, false)"
    raise Unsupported(f"constraint {p}")


def _nested_property(g: Graph, prop: Node, var: str) -> str:
    """A property shape inside a nested shape, as a test on ``var``."""
    path = _path_of(g, prop)
    tests: list[str] = []
    if any(g.objects(prop, SH.property)) or any(g.objects(prop, SH.sparql)):
        raise Unsupported("nested property shape with shapes of its own")
    for p, o in sorted(g.predicate_objects(prop)):
        if p in _IGNORED:
            continue
        if p == SH.minCount and _int(o) == 1:
            tests.append(f"EXISTS {{ {var} {path} ?n_ }}")
        elif p == SH.maxCount and _int(o) == 0:
            tests.append(f"NOT EXISTS {{ {var} {path} ?n_ }}")
        elif p == SH.hasValue:
            tests.append(f"EXISTS {{ {var} {path} {_term(o)} }}")
        elif p in (SH.minCount, SH.maxCount, SH.uniqueLang, SH.qualifiedValueShape):
            raise Unsupported(f"{p} in a nested shape")
        else:
            cond = _component(g, prop, p, o, "?n_")
            tests.append(f"NOT EXISTS {{ {var} {path} ?n_ FILTER(!COALESCE({cond}, false)) }}")
    return "(" + " && ".join(tests) + ")" if tests else "true"


def _property_queries(g: Graph, prop: Node, target: str) -> Iterator[str]:
    """Queries selecting focus nodes that fail the property shape ``prop``."""
    path = _path_of(g, prop)
    sel = "SELECT DISTINCT ?this WHERE"
    for p, o in sorted(g.predicate_objects(prop)):
        if p in _IGNORED:
            continue
        if p == SH.minCount:
            yield (f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {path} ?v }} }} "
                   f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {_int(o)})")  # fmt: skip
        elif p == SH.maxCount:
            yield (f"SELECT ?this WHERE {{ {target} ?this {path} ?v }} "
                   f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {_int(o)})")  # fmt: skip
        elif p == SH.uniqueLang:
            if o == Literal(True):
                yield (f"{sel} {{ {target} ?this {path} ?a , ?b . FILTER (!sameTerm(?a, ?b) "
                       "&& lang(?a) != \"\" && LCASE(lang(?a)) = LCASE(lang(?b))) }")  # fmt: skip
        elif p == SH.qualifiedValueShape:
            if (prop, SH.qualifiedValueShapesDisjoint, Literal(True)) in g:
                raise Unsupported("qualifiedValueShapesDisjoint")
            ok = _ok(g, o, "?v")
            low, high = g.value(prop, SH.qualifiedMinCount), g.value(prop, SH.qualifiedMaxCount)
            if low is not None:
                yield (f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {path} ?v "
                       f"FILTER (COALESCE({ok}, false)) }} }} GROUP BY ?this "
                       f"HAVING (COUNT(DISTINCT ?v) < {_int(low)})")  # fmt: skip
            if high is not None:
                yield (f"SELECT ?this WHERE {{ {target} ?this {path} ?v "
                       f"FILTER (COALESCE({ok}, false)) }} GROUP BY ?this "
                       f"HAVING (COUNT(DISTINCT ?v) > {_int(high)})")  # fmt: skip
        else:
            cond = _component(g, prop, p, o, "?v")
            yield f"{sel} {{ {target} ?this {path} ?v . FILTER (!COALESCE({cond}, false)) }}"
    if any(g.objects(prop, SH.sparql)):
        raise Unsupported("SPARQL constraint on a property shape")


def _sparql_query(g: Graph, constraint: Node, target: str) -> str:
    """A SHACL-SPARQL constraint as one query over all focus nodes (``$this`` joined first).

    The WHERE body is kept and the target pattern put first in the same group, which is how
    pre-binding ``$this`` behaves; solution modifiers after the body are dropped, which can only
    select more focus nodes.
    """
    text = str(g.value(constraint, SH.select))
    if re.search(r"\$(PATH|value|currentShape|shapesGraph)\b", text):
        raise Unsupported("pre-bound variables other than $this")
    match = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE)
    if match is None:
        raise Unsupported("SELECT without WHERE")
    body = text[match.end() : text.rindex("}")].replace("$this", "?this")
    prefixes = "".join(
        f"PREFIX {g.value(d, SH.prefix)}: <{g.value(d, SH.namespace)}>\n"
        for source in g.objects(constraint, SH.prefixes)
        for d in g.objects(source, SH.declare)
    )
    return f"{prefixes}SELECT DISTINCT ?this WHERE {{ {target} {body} }}"


def plan(shapes: Graph) -> Plan:
    """Compile every targeted shape of ``shapes`` into candidate-finding queries."""
    result = Plan()
    kinds = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target)
    targeted = {s for p in kinds for s in shapes.subjects(p, None)}
    for shape in sorted(targeted, key=str):
        if not isinstance(shape, URIRef) or (shape, SH.deactivated, Literal(True)) in shapes:
            if isinstance(shape, URIRef):
                continue  # deactivated
            raise Unsupported(f"targeted blank-node shape {shape}")
        try:
            target = _targets(shapes, shape)
            assert target is not None
            queries: list[str] = []
            if (shape, SH.path, None) in shapes:
                queries += _property_queries(shapes, shape, target)
            else:
                ok = _all(_node_tests(shapes, shape, "?this"))
                if ok != "true":
                    queries.append(f"SELECT DISTINCT ?this WHERE {{ {target} FILTER (!{ok}) }}")
            for prop in shapes.objects(shape, SH.property):
                if (prop, SH.deactivated, Literal(True)) not in shapes:
                    queries += _property_queries(shapes, prop, target)
            for constraint in shapes.objects(shape, SH.sparql):
                if (constraint, SH.deactivated, Literal(True)) not in shapes:
                    queries.append(_sparql_query(shapes, constraint, target))
            result.queries[shape] = queries
        except (Unsupported, KeyError, ValueError, TypeError):
            result.whole.append(shape)
    return result


def candidates(
    store: ox.Store, compiled: Plan, progress: Callable[[int, int], None] | None = None
) -> dict[URIRef, set[Node]]:
    """Run the pre-checks: for each shape, the focus nodes that may fail it."""
    found: dict[URIRef, set[Node]] = {}
    for done, (shape, queries) in enumerate(compiled.queries.items(), start=1):
        if progress is not None:
            progress(done, len(compiled.queries))
        nodes: set[Node] = set()
        for query in queries:
            rows = store.query(query)
            assert isinstance(rows, ox.QuerySolutions)
            for row in rows:
                nodes.add(from_ox(row["this"]))
        if nodes:
            found[shape] = nodes
    return found
