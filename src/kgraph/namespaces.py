"""The one prefix map of kgraph, used by the build, the exports, the ontology and the queries."""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

__all__ = [
    "BASE",
    "DC",
    "DCAT",
    "DCTERMS",
    "EURIO",
    "FOAF",
    "ID",
    "KG",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SHAPES",
    "SKOS",
    "TIME",
    "VANN",
    "VOCAB",
    "VOID",
    "XSD",
    "bind_prefixes",
    "entity_iri",
]


class _Namespace(Namespace):
    """An rdflib Namespace that makes each term once (rdflib makes a new URIRef per access).

    The build reads ``KG.Participation`` and the like millions of times at 10^6 triples.
    """

    def __getattr__(self, name: str) -> URIRef:
        """Return the term ``name``, cached on the namespace."""
        term = super().__getattr__(name)
        self.__dict__[name] = term
        return term


BASE = "https://w3id.org/kgraph/"
KG = _Namespace(BASE + "ontology#")
ID = _Namespace(BASE + "id/")
VOCAB = _Namespace(BASE + "vocab/")
EURIO = _Namespace("http://data.europa.eu/s66#")
SCHEMA = _Namespace("http://schema.org/")
DC = _Namespace("http://purl.org/dc/elements/1.1/")
TIME = _Namespace("http://www.w3.org/2006/time#")
VANN = _Namespace("http://purl.org/vocab/vann/")
SHAPES = _Namespace(BASE + "shapes#")

#: Kinds of things kgraph mints IRIs for: ``{BASE}id/{kind}/{slug}``; each gets its own prefix,
#: so Turtle shows ``project:next2met`` rather than a full IRI.
ENTITY_KINDS: tuple[str, ...] = (
    "budget",
    "dataset",
    "event",
    "event-participation",
    "fund",
    "membership",
    "organisation",
    "participation",
    "person",
    "phase",
    "place",
    "practice",
    "programme",
    "project",
    "region",
    "source",
    "agent",
)

#: Prefix -> namespace, in the order written at the top of every Turtle file.
PREFIXES: dict[str, str] = {
    "kg": str(KG),
    **{kind: f"{ID}{kind}/" for kind in sorted(ENTITY_KINDS)},
    "partrole": f"{VOCAB}participation-role/",
    "eventrole": f"{VOCAB}event-role/",
    "eventtype": f"{VOCAB}event-type/",
    "postrole": f"{VOCAB}post-role/",
    "kgvocab": str(VOCAB),
    "kgsh": str(SHAPES),
    "dc": str(DC),
    "dcat": str(DCAT),
    "dcterms": str(DCTERMS),
    "eurio": str(EURIO),
    "foaf": str(FOAF),
    "org": str(ORG),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SCHEMA),
    "sh": str(SH),
    "skos": str(SKOS),
    "time": str(TIME),
    "vann": str(VANN),
    "void": str(VOID),
    "xsd": str(XSD),
}


_KINDS = frozenset(ENTITY_KINDS)


def entity_iri(kind: str, slug: str) -> URIRef:
    """Return the IRI kgraph mints for a thing of ``kind`` with ``slug``."""
    if kind not in _KINDS:
        raise ValueError(f"unknown entity kind {kind!r}")
    return URIRef(f"{ID}{kind}/{slug}")


def bind_prefixes(graph: Graph) -> Graph:
    """Bind every kgraph prefix on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, Namespace(ns), override=True, replace=True)
    return graph
