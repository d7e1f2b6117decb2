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
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from kgraph.namespaces import PREFIXES

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
        self._cache: dict[Node, str] = {}

    def compact(self, iri: str) -> str | None:
        """Return ``prefix:local`` when a kgraph prefix fits, else None."""
        for prefix, ns in self._ns:
            if iri.startswith(ns) and _PN_LOCAL.match(iri[len(ns) :]):
                self.used.add(prefix)
                return f"{prefix}:{iri[len(ns) :]}"
        return None

    def iri(self, iri: str) -> str:
        """Return ``prefix:local`` when possible, else ``<iri>`` (Turtle)."""
        return self.compact(iri) or f"<{_check_iri(iri)}>"

    def jsonld_iri(self, iri: str) -> str:
        """Return ``prefix:local`` when possible, else the absolute IRI (JSON-LD)."""
        return self.compact(iri) or _check_iri(iri)

    def turtle(self, term: Node) -> str:
        """Render one term in Turtle."""
        cached = self._cache.get(term)
        if cached is not None:
            return cached
        if isinstance(term, URIRef):
            text = self.iri(str(term))
        elif isinstance(term, Literal):
            lex, dt = str(term), term.datatype
            if term.language:
                text = f'"{_escape(lex)}"@{term.language}'
            elif dt is None or dt == XSD.string:
                text = f'"{_escape(lex)}"'
            elif (
                (dt == XSD.integer and _INTEGER.match(lex))
                or (dt == XSD.decimal and _DECIMAL.match(lex))
                or (dt == XSD.boolean and lex in ("true", "false"))
            ):
                text = lex
            else:
                text = f'"{_escape(lex)}"^^{self.iri(str(dt))}'
        else:
            raise ValueError(f"blank node {term!r}: kgraph publishes only IRIs; give it one")
        self._cache[term] = text
        return text


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


def _grouped(graph: Graph) -> list[tuple[Node, list[tuple[Node, list[Node]]]]]:
    """Return subjects, each with predicates and objects, all in the canonical order."""
    by_subject: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in graph:
        if isinstance(s, BNode) or isinstance(o, BNode):
            raise ValueError(f"blank node in ({s}, {p}, {o}): kgraph publishes only IRIs")
        by_subject[s][p].append(o)
    out = []
    for s in sorted(by_subject, key=_sort_key):
        preds = by_subject[s]
        ordered = sorted(preds, key=lambda p: (_PREDICATE_FIRST.get(p, "2"), str(p)))
        out.append((s, [(p, sorted(preds[p], key=_sort_key)) for p in ordered]))
    return out


def to_turtle(graph: Graph, *, header: str = "") -> str:
    """Return sorted, prefixed Turtle for ``graph``."""
    namer = _Namer(PREFIXES)
    blocks: list[str] = []
    for s, preds in _grouped(graph):
        lines = []
        for p, objs in preds:
            verb = "a" if p == RDF.type else namer.turtle(p)
            rendered = [namer.turtle(o) for o in objs]
            lines.append(f"    {verb} " + " ,\n        ".join(rendered))
        blocks.append(namer.turtle(s) + "\n" + " ;\n".join(lines) + " .\n")
    prefix_lines = [f"@prefix {p}: <{PREFIXES[p]}> ." for p in sorted(namer.used)]
    head = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return head + ("\n" if head else "") + "\n".join(prefix_lines) + "\n\n" + "\n".join(blocks)


def to_ntriples(graph: Graph) -> str:
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


def to_jsonld(graph: Graph) -> str:
    """Return compacted, sorted JSON-LD with its context inline (no remote context)."""
    namer = _Namer(PREFIXES)
    nodes: list[dict[str, Any]] = []
    for s, preds in _grouped(graph):
        node: dict[str, Any] = {"@id": namer.jsonld_iri(str(s))}
        for p, objs in preds:
            if p == RDF.type:
                node["@type"] = [namer.jsonld_iri(str(o)) for o in objs]
            else:
                values = [_jsonld_value(namer, o) for o in objs]
                node[namer.jsonld_iri(str(p))] = values[0] if len(values) == 1 else values
        nodes.append(node)
    context = {p: PREFIXES[p] for p in sorted(namer.used)}
    doc = {"@context": context, "@graph": nodes}
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


_WRITERS: dict[RdfFormat, Callable[[Graph], str]] = {
    RdfFormat.TURTLE: to_turtle,
    RdfFormat.NTRIPLES: to_ntriples,
    RdfFormat.JSONLD: to_jsonld,
}


def serialize(graph: Graph, fmt: RdfFormat) -> str:
    """Return ``graph`` in ``fmt`` as text."""
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
    graph: Graph,
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
