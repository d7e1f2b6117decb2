"""The embedded SPARQL store: the built rdflib graph copied into pyoxigraph, and term conversion.

pyoxigraph was chosen by measurement (bench/queries.py, all 18 named queries, identical rows in
every store): rdflib's own store is 63-90 times slower at 10^4-10^5 triples; oxrdflib runs the
same Oxigraph engine behind rdflib's API and is within 10% on the queries, but copying a graph
into it takes 1.8 times as long (18.8 s against 10.5 s at 10^6 triples), and pyoxigraph is also
the engine of the SPARQL server the graph is published to.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kgraph.namespaces import XSD

__all__ = ["from_ox", "to_ox", "to_store"]


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if not isinstance(term, Literal):
        raise TypeError(f"not an RDF term: {term!r}")
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))


def from_ox(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))


def to_store(graph: Iterable[tuple[Node, Node, Node]]) -> ox.Store:
    """Copy an rdflib graph (or any set of rdflib triples) into an in-memory pyoxigraph store."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph)  # type: ignore[arg-type]
    return store
