"""Counts that describe a built graph: what the build prints and the notes report."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kgraph.namespaces import KG
from kgraph.ontology import Ontology

__all__ = ["Summary", "summarize"]


@dataclass(frozen=True)
class Summary:
    """How many of each main kind of thing a graph holds."""

    triples: int
    ontology_classes: int
    ontology_properties: int
    organisations: int
    people: int
    projects: int
    participations: int
    events: int
    programmes: int
    regions: int
    sources: int

    def rows(self) -> list[tuple[str, int]]:
        """Return (label, count) pairs in display order."""
        return [(k.replace("_", " "), v) for k, v in asdict(self).items()]


def _count(graph: Graph, cls: URIRef) -> int:
    return len(set(graph.subjects(RDF.type, cls)))


def summarize(graph: Graph, ontology: Ontology) -> Summary:
    """Count the things in ``graph`` and the kg: terms declared in ``ontology``."""
    classes = [c for c in ontology.classes if str(c).startswith(str(KG))]
    props = [p for p in ontology.properties if str(p).startswith(str(KG))]
    return Summary(
        triples=len(graph),
        ontology_classes=len(classes),
        ontology_properties=len(props),
        organisations=_count(graph, KG.Organisation),
        people=_count(graph, KG.Person),
        projects=_count(graph, KG.Project),
        participations=_count(graph, KG.Participation),
        events=_count(graph, KG.Event),
        programmes=_count(graph, KG.Programme),
        regions=_count(graph, KG.Region),
        sources=_count(graph, KG.SourceDocument),
    )
