"""Stage 3: check the built graph against the SHACL shapes in shapes/ with pyshacl.

Every result is traced back to the curated file, line and record it came from (``Origin`` from
the build), so a curator can fix data/ without reading RDF. Validation runs with inference
"none": the build already types every instance with its superclasses, and RDFS inference would
make ``sh:class`` checks impossible to fail (pySHACL #73), so the ontology is not needed as a
shapes-graph context.

Two things keep pyshacl fast without changing what is checked: the data graph is wrapped so
that each SPARQL constraint's query text is parsed once rather than once per focus node
(``_PreparedQueries``), and on large graphs ``kgraph.precheck`` first finds, with SPARQL on
pyoxigraph, the focus nodes that can fail each shape, so that pyshacl validates only those.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pyshacl
from pyshacl.graph_abstraction import DataGraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from kgraph import precheck as pre
from kgraph.build import FIELD_PROPERTY, Built, Origin
from kgraph.errors import display_path
from kgraph.namespaces import RDF, SH, bind_prefixes
from kgraph.store import to_store

__all__ = ["PRECHECK_FROM", "Finding", "Progress", "Report", "Severity", "load_shapes", "validate"]

#: Graphs with at least this many triples are pre-checked (see ``kgraph.precheck``).
PRECHECK_FROM = 20_000

#: Called as validation proceeds: (what is running, steps done, steps in all).
Progress = Callable[[str, int, int], None]


def _quiet(step: str, done: int, total: int) -> None:
    """Report no progress."""


class Severity(StrEnum):
    """SHACL severities, most serious first."""

    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"

    @property
    def rank(self) -> int:
        """0 for violations, 1 for warnings, 2 for infos."""
        return list(Severity).index(self)


#: Result path (as written in reports) -> the data/ fields that state it, for the line number.
_PATH_FIELDS: dict[str, tuple[str, ...]] = {
    "rdfs:label": ("name", "title", "acronym", "given_name"),
    "dcterms:title": ("title",),
    "kg:participationRole": ("role",),
    "org:role": ("role",),
    "kg:eventRole": ("role",),
    "kg:participant": ("organisation",),
    "org:organization": ("organisation",),
    "kg:agent": ("person", "organisation"),
    "kg:totalBudget": ("budget",),
    "kg:partnerBudget": ("budget",),
    "schema:value": ("amount",),
    "schema:currency": ("currency",),
    "kg:approximate": ("approximate",),
    "prov:wasDerivedFrom": ("cites",),
    "kg:citesPassage": ("cites",),
    "kg:curatorNote": ("curator_note", "curator_added", "unstated"),
    "kg:eventType": ("type",),
    "kg:eventOf": ("project",),
    "schema:superEvent": ("part_of",),
    "schema:location": ("venue",),
    "schema:duration": ("duration_days",),
    "kg:attendeesMoreThan": ("attendees_more_than",),
    "foaf:name": ("given_name", "family_name"),
    "foaf:givenName": ("given_name",),
    "foaf:familyName": ("family_name",),
    "kg:phaseNumber": ("number",),
    "kg:nutsCode": ("id",),
    "kg:positionTitle": ("title",),
    "kg:presented": ("presented",),
    "kg:topic": ("topic",),
    "kg:fileName": ("file",),
    "dcterms:language": ("language",),
    "dcterms:issued": ("issued",),
    "kg:partnerCountry": ("partner_countries",),
    "kg:fund": ("funds",),
    "schema:startDate": ("start", "unstated"),
    "schema:endDate": ("end", "unstated"),
    "^kg:inProject": ("partners",),
    "^kg:phaseOf": ("phases",),
}


@dataclass(frozen=True, order=True)
class Finding:
    """One validation result, located in data/ when the focus node was curated there."""

    file: str
    line: int
    severity: Severity
    record: str
    focus: str
    path: str
    value: str
    message: str
    shape: str
    constraint: str

    def where(self) -> str:
        """``file:line`` for results from data/, else the focus node as a prefixed name."""
        return f"{self.file}:{self.line}" if self.file else self.subject()

    def subject(self) -> str:
        """The record id for results from data/, else the focus node as a prefixed name."""
        return self.record or _short(_PREFIXED, URIRef(self.focus))


@dataclass(frozen=True)
class Report:
    """The outcome of one validation: located findings and pyshacl's report graph."""

    findings: list[Finding]
    graph: Graph

    @property
    def conforms(self) -> bool:
        """True when there is no violation (warnings and infos do not fail a graph)."""
        return not any(f.severity is Severity.VIOLATION for f in self.findings)

    def counts(self) -> dict[Severity, int]:
        """The number of findings per severity, all severities present."""
        seen = Counter(f.severity for f in self.findings)
        return {s: seen.get(s, 0) for s in Severity}

    def summary(self) -> str:
        """One line: how many violations, warnings and infos."""
        c = self.counts()
        return (
            f"{c[Severity.VIOLATION]} violation(s), {c[Severity.WARNING]} warning(s), "
            f"{c[Severity.INFO]} info(s)"
        )

    def render_text(self) -> str:
        """The report for people: grouped by data file, ordered by line."""
        lines: list[str] = []
        by_file: dict[str, list[Finding]] = {}
        for f in self.findings:
            by_file.setdefault(f.file or "(not from data/)", []).append(f)
        for file, found in by_file.items():
            lines.append(file)
            for f in found:
                subject = f.subject()
                path = f" {f.path}" if f.path else ""
                value = f" = {f.value}" if f.value else ""
                lines.append(f"  {f.where()}: {f.severity.lower()}: {subject}:{path}{value}")
                lines.append(f"      {f.message} [{f.constraint}]")
        lines.append(("conforms: " if self.conforms else "does not conform: ") + self.summary())
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """The report for machines: conformance, counts and every finding."""
        doc: dict[str, Any] = {
            "conforms": self.conforms,
            "counts": {s.value: n for s, n in self.counts().items()},
            "results": [asdict(f) for f in self.findings],
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

    def to_turtle(self) -> str:
        """The SHACL validation report graph (as pyshacl made it), in Turtle."""
        return bind_prefixes(self.graph).serialize(format="turtle")


class _PreparedQueries(Graph):
    """A view of a graph's store whose ``query`` parses each distinct query text only once."""

    def query(self, query_object: str | Query, *args: Any, **kwargs: Any) -> Result:
        """Run ``query_object``, reusing the parsed form of a query text seen before."""
        if isinstance(query_object, str):
            query_object = _prepare(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=512)
def _prepare(text: str) -> Query:
    return prepareQuery(text)


def load_shapes(shapes_dir: Path) -> Graph:
    """Read every ``*.ttl`` file of ``shapes_dir`` into one shapes graph."""
    files = sorted(shapes_dir.glob("*.ttl"))
    if not files:
        raise FileNotFoundError(f"no SHACL shapes (*.ttl) in {display_path(shapes_dir)}")
    shapes = Graph()
    for file in files:
        shapes.parse(file, format="turtle")
    return bind_prefixes(shapes)


def validate(
    data: Graph | Built,
    shapes: Graph,
    origins: Mapping[URIRef, Origin] | None = None,
    *,
    precheck: bool | None = None,
    progress: Progress | None = None,
    store: ox.Store | None = None,
) -> Report:
    """Validate ``data`` against ``shapes``; locate each result through ``origins``.

    ``data`` is an rdflib Graph or a ``Built`` (whose origins are used and whose rdflib Graph is
    made only if pyshacl has something to check). ``precheck`` (default: for graphs of
    ``PRECHECK_FROM`` triples or more) runs pyshacl only on the focus nodes that SPARQL
    pre-checks found able to fail; the results are the same. ``store`` is the same data already
    in pyoxigraph, if the caller has it (saves copying it for the pre-checks).
    """
    triples: Iterable[tuple[Node, Node, Node]]
    if isinstance(data, Built):
        built = data
        origins = built.origins if origins is None else origins
        triples, size = built.triples, len(built.triples)

        def graph() -> Graph:
            return built.graph
    else:
        triples, size = data, len(data)

        def graph() -> Graph:
            return data

    if precheck is None:
        precheck = size >= PRECHECK_FROM
    say = progress or _quiet
    if precheck:
        if store is None:
            say("copying the graph into pyoxigraph", 0, 1)
            store = to_store(triples)
        report_graph = _prechecked(graph, store, shapes, say)
    else:
        say("pyshacl on the whole graph", 0, 1)
        report_graph = _pyshacl(_prepared(graph()), shapes)
    findings = sorted(
        _finding(report_graph, result, shapes, origins or {})
        for result in report_graph.subjects(RDF.type, SH.ValidationResult)
    )
    return Report(findings, report_graph)


def _prepared(graph: Graph) -> Graph:
    """``graph`` seen through ``_PreparedQueries`` (same store, queries parsed once)."""
    return _PreparedQueries(store=graph.store, identifier=graph.identifier)


def _pyshacl(
    data: Graph, shapes: Graph, shape: URIRef | None = None, focus: Iterable[Node] = ()
) -> Graph:
    """Run pyshacl on all shapes, or on one shape (for the given focus nodes, or all of them).

    For one shape, pyshacl's ``use_shapes`` option alone would not follow references to other
    named shapes (sh:property kgsh:…, sh:node kgsh:…), so the validator is built here and its
    shapes graph harvested in full first; ``use_shapes`` then only picks the shape to start from.
    """
    options: dict[str, Any] = {
        "inference": "none",
        "allow_infos": True,
        "allow_warnings": True,
        "advanced": False,
        "inplace": True,
    }
    if shape is not None:
        options["use_shapes"] = [str(shape)]
        options["focus_nodes"] = sorted(str(n) for n in focus) or None
    validator = pyshacl.Validator(DataGraph.from_rdflib(data), shacl_graph=shapes, options=options)
    _ = validator.shacl_graph.shapes  # harvest every shape, so named references resolve
    _, report_graph, _ = validator.run()  # type: ignore[no-untyped-call]
    assert isinstance(report_graph, Graph)
    return report_graph


def _prechecked(
    graph: Callable[[], Graph], store: ox.Store, shapes: Graph, progress: Progress
) -> Graph:
    """Run pyshacl on the pre-checks' candidates only; merge the results into one report."""
    compiled = pre.plan(shapes)
    found = pre.candidates(
        store, compiled, lambda done, total: progress("SPARQL pre-checks", done, total)
    )
    whole = list(compiled.whole)  # shapes pyshacl must check on all their focus nodes
    runs: list[tuple[URIRef, set[Node]]] = []
    for shape, nodes in sorted(found.items()):
        if all(isinstance(n, URIRef) for n in nodes):
            runs.append((shape, nodes))
        else:
            whole.append(shape)  # pyshacl takes focus nodes by IRI only
    runs += [(shape, set()) for shape in whole]
    parts = []
    if runs:
        progress("making the rdflib graph for pyshacl", 0, len(runs))
        data = _prepared(graph())
    for done, (shape, nodes) in enumerate(runs, start=1):
        progress("pyshacl on the candidates", done, len(runs))
        parts.append(_pyshacl(data, shapes, shape, nodes))
    merged = Graph()
    report = BNode()
    merged.add((report, RDF.type, SH.ValidationReport))
    conforms = True
    for part in parts:
        heads = set(part.subjects(RDF.type, SH.ValidationReport))
        for node in heads:
            conforms = conforms and part.value(node, SH.conforms) == Literal(True)
            for result in part.objects(node, SH.result):
                merged.add((report, SH.result, result))
        for triple in part:
            if triple[0] not in heads:
                merged.add(triple)
    merged.add((report, SH.conforms, Literal(conforms)))
    return merged


def _finding(
    report: Graph,
    result: Node,
    shapes: Graph,
    origins: Mapping[URIRef, Origin],
) -> Finding:
    """Turn one sh:ValidationResult into a located ``Finding``."""
    focus = report.value(result, SH.focusNode)
    path = _render_path(report, report.value(result, SH.resultPath))
    value = report.value(result, SH.value)
    shape = report.value(result, SH.sourceShape)
    constraint = report.value(result, SH.sourceConstraint) or shape
    messages = sorted(
        report.objects(result, SH.resultMessage),
        key=lambda m: (not (isinstance(m, Literal) and m.language == "en"), str(m)),
    )
    severity_iri = report.value(result, SH.resultSeverity)
    severity = Severity(str(severity_iri).rsplit("#", 1)[-1])
    origin = origins.get(focus) if isinstance(focus, URIRef) else None
    file, line, record = "", 0, ""
    if origin is not None:
        file = display_path(origin.file)
        line = origin.line_of(*_PATH_FIELDS.get(path, _field_of(path)))
        record = origin.record
    show_value = value is not None and value != focus
    return Finding(
        file=file,
        line=line,
        severity=severity,
        record=record,
        focus=str(focus),
        path=path,
        value=_short(_PREFIXED, value) if show_value and value is not None else "",
        message=str(messages[0]) if messages else "",
        shape=_short(shapes, shape) if shape is not None else "",
        constraint=_short(shapes, constraint) if constraint is not None else "",
    )


_PREFIXED = bind_prefixes(Graph())


def _field_of(path: str) -> tuple[str, ...]:
    """The data/ fields whose property is ``path``, by the build's field table."""
    return tuple(name for name, prop in FIELD_PROPERTY.items() if _short(_PREFIXED, prop) == path)


def _short(graph: Graph, node: Node) -> str:
    """A compact rendering: prefixed name for IRIs, Turtle form for literals."""
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.curie(node, generate=False)
        except (KeyError, ValueError):
            return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3(graph.namespace_manager)
    return str(node)


def _render_path(report: Graph, path: Node | None) -> str:
    """Render a SHACL path as in SPARQL: ``kg:x``, ``^kg:x``, ``a|b``, ``a/b``."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return _short(_PREFIXED, path)
    if isinstance(path, BNode):
        inverse = report.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + _render_path(report, inverse)
        alternatives = report.value(path, SH.alternativePath)
        if alternatives is not None:
            return "|".join(_render_path(report, p) for p in _rdf_list(report, alternatives))
        if (path, RDF.first, None) in report:
            return "/".join(_render_path(report, p) for p in _rdf_list(report, path))
    return str(path)


def _rdf_list(graph: Graph, head: Node) -> Iterable[Node]:
    return list(Collection(graph, head))
