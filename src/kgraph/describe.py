"""The dataset's description of itself: a DCAT dataset and VoID description with its dumps.

Counts (void:triples, void:entities) cover the data, not the description added here.
"""

from __future__ import annotations

from collections.abc import Collection

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kgraph.namespaces import (
    BASE,
    DCAT,
    DCTERMS,
    KG,
    PROV,
    RDF,
    RDFS,
    VOID,
    XSD,
    entity_iri,
)

__all__ = ["CURATORS", "DATASET_IRI", "DISTRIBUTIONS", "describe_dataset"]

DATASET_IRI = entity_iri("dataset", "kgraph")
#: The agent facts are attributed to when the curators, not a source, state them.
CURATORS = entity_iri("agent", "curators")
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3; missing from rdflib's closed DCAT
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
DESCRIPTION = (
    "Projects, organisations, people, regions, programmes, budgets and events of European "
    "regional cooperation, curated from cited source documents."
)
#: file name in dist/ -> media type
DISTRIBUTIONS = {
    "kgraph.ttl": "text/turtle",
    "kgraph.nt": "application/n-triples",
    "kgraph.jsonld": "application/ld+json",
}


def _namespace_of(iri: Node) -> str:
    text = str(iri)
    return text[: max(text.rfind("#"), text.rfind("/")) + 1]


def _count(n: int) -> Literal:
    return Literal(str(n), datatype=XSD.integer)


def describe_dataset(data: Collection[tuple[Node, Node, Node]], *, version: str) -> Graph:
    """Return a DCAT/VoID description of ``data`` (a Graph or a set of triples)."""
    g = Graph()
    d = DATASET_IRI
    triples = len(data)
    a, source = RDF.type, KG.Source
    subjects: set[Node] = set()
    predicates: set[Node] = set()
    classes: set[Node] = set()
    sources: list[Node] = []
    for s, p, o in data:  # one pass: at 10^6 triples each pass costs about a second
        subjects.add(s)
        predicates.add(p)
        if p == a:
            classes.add(o)
            if o == source:
                sources.append(s)
    entities = [s for s in subjects if isinstance(s, URIRef) and s.startswith(BASE)]
    vocabularies = sorted({_namespace_of(p) for p in predicates | classes})
    sources.sort(key=str)
    g.add((CURATORS, RDF.type, PROV.Agent))
    g.add((CURATORS, RDFS.label, Literal("kgraph curators", lang="en")))
    g.add((d, RDF.type, DCAT.Dataset))
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, RDFS.label, Literal("kgraph dataset", lang="en")))
    g.add((d, DCTERMS.title, Literal("kgraph: regional cooperation in Europe", lang="en")))
    g.add((d, DCTERMS.title, Literal("kgraph: współpraca regionalna w Europie", lang="pl")))
    g.add((d, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    g.add((d, DCTERMS.license, LICENCE))
    g.add((d, DCTERMS.conformsTo, URIRef(BASE + "ontology")))
    g.add((d, DCAT_VERSION, Literal(version)))
    g.add((d, VOID.triples, _count(triples)))
    g.add((d, VOID.entities, _count(len(entities))))
    g.add((d, VOID.uriSpace, Literal(f"{BASE}id/")))
    for ns in vocabularies:
        g.add((d, VOID.vocabulary, URIRef(ns)))
    for doc in sources:
        g.add((d, PROV.wasDerivedFrom, doc))
    for name, media_type in sorted(DISTRIBUTIONS.items()):
        dist = entity_iri("dataset", f"kgraph-{name.rsplit('.', 1)[1]}")
        url = URIRef(f"{BASE}dist/{name}")
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, RDFS.label, Literal(f"kgraph dataset as {name}", lang="en")))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCTERMS.format, Literal(media_type)))
        g.add((d, DCAT.distribution, dist))
        g.add((d, VOID.dataDump, url))
    return g
