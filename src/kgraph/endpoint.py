"""Remote SPARQL 1.1 endpoints: run the named queries there (SPARQLWrapper) and publish the graph.

SPARQLWrapper has no parameter binding; queries arrive here already bound by
``kgraph.query.bind`` (a VALUES block built from RDF terms), never by pasting text.
Publishing uses the SPARQL 1.1 Graph Store HTTP Protocol: an HTTP PUT of N-Triples to the
store's URL with ``?default`` or ``?graph=IRI``, which replaces that graph.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from kgraph import __version__
from kgraph.export import to_ntriples
from kgraph.query import QueryError, Results, query_form

__all__ = ["publish", "run_remote"]

USER_AGENT = f"kgraph/{__version__} (https://w3id.org/kgraph/)"


def _term(binding: dict[str, str]) -> Node:
    """A SPARQL 1.1 JSON binding as an rdflib term."""
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        datatype = None
    return Literal(value, datatype=URIRef(datatype) if datatype else None)


def run_remote(endpoint: str, text: str, *, timeout: int = 60) -> Results:
    """Run a (bound) query on a SPARQL 1.1 endpoint."""
    if urllib.parse.urlsplit(endpoint).scheme not in ("http", "https"):
        raise QueryError(f"an endpoint URL starts with http:// or https://; got {endpoint!r}")
    client = SPARQLWrapper(endpoint, agent=USER_AGENT)
    client.setQuery(text)
    # SPARQLWrapper guesses the query type from keywords anywhere in the text (comments too)
    # and sends what it takes for an update the wrong way; we know the form
    client.queryType = query_form(text)
    client.setTimeout(timeout)
    client.setMethod("POST")
    form = query_form(text)
    try:
        if form in ("CONSTRUCT", "DESCRIBE"):
            client.setReturnFormat(TURTLE)
            data: Any = client.query().convert()
            graph = Graph()
            graph.parse(data=data if isinstance(data, str | bytes) else str(data), format="turtle")
            return Results(graph=graph)
        client.setReturnFormat(JSON)
        doc: Any = client.query().convert()
    except (urllib.error.URLError, OSError) as exc:
        raise QueryError(f"cannot reach the SPARQL endpoint {endpoint}: {exc}") from None
    except Exception as exc:  # SPARQLWrapper's own errors: bad query, endpoint refusal
        raise QueryError(f"the endpoint {endpoint} refused the query: {exc}") from None
    if "boolean" in doc:
        return Results(boolean=bool(doc["boolean"]))
    variables = list(doc["head"]["vars"])
    rows = [
        tuple(_term(b[v]) if v in b else None for v in variables)
        for b in doc["results"]["bindings"]
    ]
    return Results(variables, rows)


def publish(
    graph: Graph, store_url: str, *, graph_iri: str | None = None, timeout: int = 300
) -> str:
    """Replace the default (or a named) graph of a Graph Store with ``graph``; return the URL."""
    if urllib.parse.urlsplit(store_url).scheme not in ("http", "https"):
        raise QueryError(f"a graph store URL starts with http:// or https://; got {store_url!r}")
    query = "graph=" + urllib.parse.quote(graph_iri, safe="") if graph_iri else "default"
    url = f"{store_url}{'&' if '?' in store_url else '?'}{query}"
    body = to_ntriples(graph).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=body,
        method="PUT",
        headers={"Content-Type": "application/n-triples", "User-Agent": USER_AGENT},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        raise QueryError(f"the graph store at {url} answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise QueryError(f"cannot reach the graph store at {url}: {exc}") from None
    if status not in (200, 201, 204):
        raise QueryError(f"the graph store at {url} answered {status}")
    return url
