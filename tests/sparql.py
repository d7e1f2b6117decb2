"""Helpers for running the same SPARQL on rdflib and on pyoxigraph in tests."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.query import ResultRow
from rdflib.term import Identifier, Node

from kgraph.namespaces import PREFIXES

PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def rdflib_rows(graph: Graph, query: str, **bindings: Identifier) -> list[dict[str, str]]:
    """Run ``query`` on rdflib with values bound as RDF terms; rows as {var: str(value)}."""
    result = graph.query(PROLOGUE + query, initBindings=bindings)
    rows = []
    for row in result:
        assert isinstance(row, ResultRow), "only SELECT queries give rows"
        rows.append({str(v): str(row[v]) for v in result.vars or [] if row[v] is not None})
    return rows


def values_clause(bindings: dict[str, Node]) -> str:
    """Return a trailing SPARQL VALUES clause binding each variable to one RDF term."""
    if not bindings:
        return ""
    for term in bindings.values():
        if not isinstance(term, URIRef | Literal):
            raise TypeError(f"only IRIs and literals can be bound, not {term!r}")
    names = " ".join(f"?{k}" for k in bindings)
    terms = " ".join(t.n3() for t in bindings.values())
    return f"\nVALUES ({names}) {{ ({terms}) }}"


def oxigraph_rows(turtle: Path, query: str, **bindings: Node) -> list[dict[str, str]]:
    """Run ``query`` on a pyoxigraph store loaded from ``turtle``, values bound by VALUES."""
    store = ox.Store()
    store.load(path=str(turtle), format=ox.RdfFormat.TURTLE)
    solutions = store.query(PROLOGUE + query + values_clause(bindings))
    assert isinstance(solutions, ox.QuerySolutions), "only SELECT queries give rows"
    names = [v.value for v in solutions.variables]
    rows = []
    for sol in solutions:
        rows.append({n: sol[n].value for n in names if sol[n] is not None})
    return rows
