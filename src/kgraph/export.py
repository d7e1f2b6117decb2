"""Stage: write the graph as Turtle, N-Triples and JSON-LD, deterministically and atomically.

rdflib's own N-Triples and JSON-LD output order changes with PYTHONHASHSEED, and its Turtle
writer is slow on large graphs, so kgraph writes RDF itself: subjects, predicates and objects
sorted, prefixes from ``kgraph.namespaces``, the same bytes for the same graph. Blank nodes are
refused: everything kgraph publishes has an IRI.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from kgraph.namespaces import PREFIXES
from kgraph.nogc import paused_gc

__all__ = [
    "RdfFormat",
    "serialize",
    "write_atomically",
    "write_graph",
]


class RdfFormat(StrEnum):
    """The RDF formats kgraph writes, by file extension."""

    TURTLE = "ttl"
    NTRIPLES = "nt"
    JSONLD = "jsonld"


_PN_LOCAL = re.compile(r"^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)?$")
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DECIMAL = re.compile(r"^[+-]?[0-9]*\.[0-9]+$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')


def _escape(text: str) -> str:
    """Escape a string for a double-quoted Turtle / N-Triples literal."""
    if not _NEEDS_ESCAPE.search(text):
        return text
    return _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m[0], f"\\u{ord(m[0]):04X}"), text)


def _check_iri(iri: str) -> str:
    if _BAD_IRI.search(iri) or ":" not in iri:
        raise ValueError(f"not a valid absolute IRI: {iri!r}")
    return iri


class _Namer:
    """Renders terms, compacting IRIs with the kgraph prefixes and remembering which it used."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        # longest namespace first, so 'partrole:' wins over 'kgvocab:'
        self._ns = sorted(prefixes.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        self.used: set[str] = set()
        # rendered IRIs by plain str (C-level hash and compare; rdflib's __eq__ is Python)
        self._turtle: dict[str, str] = {}
        self._jsonld: dict[str, str] = {}

    def compact(self, iri: str) -> str | None:
        """Return ``prefix:local`` when a kgraph prefix fits, else None."""
        for prefix, ns in self._ns:
            if iri.startswith(ns) and _PN_LOCAL.match(iri[len(ns) :]):
                self.used.add(prefix)
                return f"{prefix}:{iri[len(ns) :]}"
        return None

    def iri(self, iri: str) -> str:
        """Return ``prefix:local`` when possible, else ``<iri>`` (Turtle)."""
        found = self._turtle.get(iri)
        if found is None:
            found = self._turtle[iri] = self.compact(iri) or f"<{_check_iri(iri)}>"
        return found

    def jsonld_iri(self, iri: str) -> str:
        """Return ``prefix:local`` when possible, else the absolute IRI (JSON-LD)."""
        found = self._jsonld.get(iri)
        if found is None:
            found = self._jsonld[iri] = self.compact(iri) or _check_iri(iri)
        return found

    def turtle(self, term: Node) -> str:
        """Render one term in Turtle."""
        if type(term) is URIRef:  # type() rather than isinstance: rdflib terms check via ABCs
            return self.iri(str(term))
        if isinstance(term, Literal):
            lex, dt = str(term), term.datatype
            if term.language:
                return f'"{_escape(lex)}"@{term.language}'
            if dt is None or dt == _STRING:
                return f'"{_escape(lex)}"'
            if (
                (dt == _XSD_INTEGER and _INTEGER.match(lex))
                or (dt == _XSD_DECIMAL and _DECIMAL.match(lex))
                or (dt == _BOOLEAN and lex in ("true", "false"))
            ):
                return lex
            return f'"{_escape(lex)}"^^{self.turtle(dt)}'
        if isinstance(term, URIRef):
            return self.iri(str(term))
        raise ValueError(f"blank node {term!r}: kgraph publishes only IRIs; give it one")


def _ntriples_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{_check_iri(str(term))}>"
    if isinstance(term, Literal):
        lex = _escape(str(term))
        if term.language:
            return f'"{lex}"@{term.language}'
        if term.datatype is None or term.datatype == XSD.string:
            return f'"{lex}"'
        return f'"{lex}"^^<{_check_iri(str(term.datatype))}>'
    raise ValueError(f"blank node {term!r}: kgraph publishes only IRIs; give it one")


def _sort_key(term: Node) -> tuple[int, str, str]:
    if isinstance(term, URIRef):
        return (0, str(term), "")
    if isinstance(term, Literal):
        return (1, str(term), term.language or str(term.datatype or ""))
    return (2, str(term), "")


_PREDICATE_FIRST: dict[Node, str] = {RDF.type: "0", RDFS.label: "1"}
_TYPE, _STRING, _XSD_INTEGER, _XSD_DECIMAL, _BOOLEAN = (
    RDF.type, XSD.string, XSD.integer, XSD.decimal, XSD.boolean
)  # fmt: skip
Grouped = list[tuple[Node, list[tuple[Node, list[Node]]]]]


def _grouped(triples: Iterable[tuple[Node, Node, Node]]) -> Grouped:
    """Return subjects, each with predicates and objects, all in the canonical order.

    Subjects are IRIs, so they are grouped and sorted by their plain string (C-level hashing and
    comparison; rdflib's term ``__eq__`` is Python and was a third of the time at 10^6 triples).
    """
    by_subject: dict[str, dict[Node, list[Node]]] = {}
    subjects: dict[str, Node] = {}
    for s, p, o in triples:
        fast = type(s) is URIRef and (type(o) is URIRef or type(o) is Literal)
        if not fast and (not isinstance(s, URIRef) or isinstance(o, BNode)):
            raise ValueError(f"blank node in ({s}, {p}, {o}): kgraph publishes only IRIs")
        key = str(s)
        preds = by_subject.get(key)
        if preds is None:
            preds = by_subject[key] = {}
            subjects[key] = s
        objs = preds.get(p)
        if objs is None:
            preds[p] = [o]
        else:
            objs.append(o)
    # rank every predicate once, so each subject's predicates sort on a dict lookup
    predicates = {p for preds in by_subject.values() for p in preds}
    ordered = sorted(predicates, key=lambda p: (_PREDICATE_FIRST.get(p, "2"), str(p)))
    rank = {p: i for i, p in enumerate(ordered)}
    out: Grouped = []
    for key in sorted(by_subject):
        preds = by_subject[key]
        keys = sorted(preds, key=rank.__getitem__) if len(preds) > 1 else list(preds)
        out.append(
            (subjects[key],
             [(p, sorted(preds[p], key=_sort_key) if len(preds[p]) > 1 else preds[p])
              for p in keys])
        )  # fmt: skip
    return out


def to_turtle(graph: Iterable[tuple[Node, Node, Node]], *, header: str = "") -> str:
    """Return sorted, prefixed Turtle for ``graph`` (an rdflib Graph or any set of triples)."""
    namer = _Namer(PREFIXES)
    term = namer.turtle
    verbs: dict[Node, str] = {}
    blocks: list[str] = []
    for s, preds in _grouped(graph):
        lines = []
        for p, objs in preds:
            verb = verbs.get(p)
            if verb is None:
                verb = verbs[p] = "a" if p == _TYPE else term(p)
            if len(objs) == 1:
                lines.append(f"    {verb} {term(objs[0])}")
            else:
                lines.append(f"    {verb} " + " ,\n        ".join([term(o) for o in objs]))
        blocks.append(term(s) + "\n" + " ;\n".join(lines) + " .\n")
    prefix_lines = [f"@prefix {p}: <{PREFIXES[p]}> ." for p in sorted(namer.used)]
    head = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return head + ("\n" if head else "") + "\n".join(prefix_lines) + "\n\n" + "\n".join(blocks)


def to_ntriples(graph: Iterable[tuple[Node, Node, Node]]) -> str:
    """Return N-Triples with one line per triple, lines sorted."""
    lines = []
    for s, p, o in graph:
        lines.append(f"{_ntriples_term(s)} {_ntriples_term(p)} {_ntriples_term(o)} .\n")
    lines.sort()
    return "".join(lines)


def _jsonld_value(namer: _Namer, term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"@id": namer.jsonld_iri(str(term))}
    if isinstance(term, Literal):
        if term.language:
            return {"@value": str(term), "@language": term.language}
        if term.datatype is not None and term.datatype != XSD.string:
            return {"@value": str(term), "@type": namer.jsonld_iri(str(term.datatype))}
        return {"@value": str(term)}
    raise ValueError(f"blank node {term!r}: kgraph publishes only IRIs; give it one")


def to_jsonld(graph: Iterable[tuple[Node, Node, Node]]) -> str:
    """Return compacted, sorted JSON-LD with its context inline (no remote context).

    One node object per line, so a diff of two exports shows the things that changed (and
    each line is written by json's C encoder; with ``indent`` json falls back to Python).
    """
    namer = _Namer(PREFIXES)

    def iri(term: Node) -> str:
        return namer.jsonld_iri(str(term))

    lines: list[str] = []
    for s, preds in _grouped(graph):
        node: dict[str, Any] = {"@id": iri(s)}
        for p, objs in preds:
            if p == _TYPE:
                node["@type"] = [iri(o) for o in objs]
            else:
                values = [
                    {"@id": iri(o)} if type(o) is URIRef else _jsonld_value(namer, o) for o in objs
                ]
                node[iri(p)] = values[0] if len(values) == 1 else values
        lines.append(json.dumps(node, ensure_ascii=False, sort_keys=True))
    context = {p: PREFIXES[p] for p in sorted(namer.used)}
    head = json.dumps(context, ensure_ascii=False, indent=2, sort_keys=True).replace("\n", "\n ")
    body = ",\n  ".join(lines)
    return f'{{\n "@context": {head},\n "@graph": [\n  {body}\n ]\n}}\n'


_WRITERS: dict[RdfFormat, Callable[[Iterable[tuple[Node, Node, Node]]], str]] = {
    RdfFormat.TURTLE: to_turtle,
    RdfFormat.NTRIPLES: to_ntriples,
    RdfFormat.JSONLD: to_jsonld,
}


def serialize(graph: Iterable[tuple[Node, Node, Node]], fmt: RdfFormat) -> str:
    """Return ``graph`` (an rdflib Graph or any set of triples) in ``fmt`` as text."""
    with paused_gc():
        return _WRITERS[fmt](graph)


def write_atomically(files: Mapping[Path, bytes]) -> list[Path]:
    """Write several files so that each is either fully new or untouched.

    All contents are first written to temporary files beside their targets and flushed to disk;
    only then is each renamed over its target. If any write fails, the temporaries are removed and
    no target changes.
    """
    temps: list[tuple[Path, Path]] = []
    try:
        for target, data in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            temps.append((tmp, target))
            with tmp.open("wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
    except BaseException:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in temps:
        tmp.replace(target)
    return [target for _, target in temps]


def write_graph(
    graph: Iterable[tuple[Node, Node, Node]],
    out_dir: Path,
    *,
    stem: str = "kgraph",
    formats: Iterable[RdfFormat] = tuple(RdfFormat),
) -> dict[RdfFormat, Path]:
    """Serialise ``graph`` in each format and write ``out_dir/stem.<ext>`` atomically."""
    rendered = {fmt: serialize(graph, fmt).encode("utf-8") for fmt in formats}
    targets = {fmt: out_dir / f"{stem}.{fmt.value}" for fmt in rendered}
    write_atomically({targets[fmt]: data for fmt, data in rendered.items()})
    return targets
