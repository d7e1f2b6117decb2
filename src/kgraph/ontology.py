"""Read ontology/: the class hierarchy and the SKOS concept schemes.

The hierarchy types things with their standard superclasses; the schemes resolve a notation such
as ``role: lead-partner`` to its concept IRI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kgraph.namespaces import KG, VOCAB

__all__ = ["Ontology", "load_ontology"]


@dataclass
class Ontology:
    """The kgraph ontology and vocabularies, with the lookups the build needs."""

    graph: Graph
    vocabularies: Graph = field(default_factory=Graph)
    files: list[Path] = field(default_factory=list)
    _closure_cache: dict[URIRef, frozenset[URIRef]] = field(
        default_factory=dict, init=False, repr=False
    )

    @cached_property
    def _parents(self) -> dict[URIRef, set[URIRef]]:
        parents: dict[URIRef, set[URIRef]] = {}
        for child, parent in self.graph.subject_objects(RDFS.subClassOf):
            if isinstance(child, URIRef) and isinstance(parent, URIRef):
                parents.setdefault(child, set()).add(parent)
        return parents

    def superclasses(self, cls: URIRef) -> frozenset[URIRef]:
        """Return ``cls`` and every named class above it."""
        if cls not in self._closure_cache:
            seen, todo = {cls}, [cls]
            while todo:
                for parent in self._parents.get(todo.pop(), ()):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            self._closure_cache[cls] = frozenset(seen)
        return self._closure_cache[cls]

    @cached_property
    def classes(self) -> frozenset[URIRef]:
        """Every class declared (owl:Class), kg: and reused external ones alike."""
        return frozenset(
            c for c in self.graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)
        )

    @cached_property
    def properties(self) -> frozenset[URIRef]:
        """Every property declared as object, datatype, annotation or plain RDF property."""
        kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
        return frozenset(
            p for k in kinds for p in self.graph.subjects(RDF.type, k) if isinstance(p, URIRef)
        )

    @cached_property
    def organisation_types(self) -> dict[str, URIRef]:
        """Map local name -> class for every declared kg: subclass of kg:Organisation."""
        return {
            str(cls).removeprefix(str(KG)): cls
            for cls in self.classes
            if str(cls).startswith(str(KG)) and KG.Organisation in self.superclasses(cls)
        }

    def concept(self, scheme: str, notation: str) -> URIRef | None:
        """Return the concept with ``notation`` in the scheme ``scheme`` (e.g. 'event-role')."""
        return self._concepts.get((scheme, notation))

    def notations(self, scheme: str) -> list[str]:
        """Return the notations of a scheme's concepts, sorted."""
        return sorted(n for s, n in self._concepts if s == scheme)

    @cached_property
    def _concepts(self) -> dict[tuple[str, str], URIRef]:
        found: dict[tuple[str, str], URIRef] = {}
        for concept, scheme in self.graph.subject_objects(SKOS.inScheme):
            notation = self.graph.value(concept, SKOS.notation)
            if isinstance(concept, URIRef) and notation is not None:
                found[str(scheme).removeprefix(str(VOCAB)), str(notation)] = concept
        return found


def load_ontology(ontology_file: Path, vocabularies_file: Path) -> Ontology:
    """Parse the ontology and the SKOS vocabularies; lookups see both."""
    vocabularies = Graph().parse(vocabularies_file, format="turtle")
    graph = Graph().parse(ontology_file, format="turtle")
    graph += vocabularies
    return Ontology(
        graph=graph, vocabularies=vocabularies, files=[ontology_file, vocabularies_file]
    )
