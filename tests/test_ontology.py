"""The ontology parses, documents every term, and is consistent with the data built from data/."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kgraph.namespaces import BASE, EURIO, ID, KG, VOCAB
from kgraph.pipeline import BuildResult
from tests.conftest import REALDATA, needs_realdata

ONTOLOGY_IRI = URIRef(BASE + "ontology")


@pytest.fixture(scope="module")
def onto(built: BuildResult) -> Graph:
    return built.ontology.graph


def _kg_terms(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects() if isinstance(s, URIRef) and s.startswith(str(KG))}


@pytest.mark.parametrize("name", ["kgraph.ttl", "vocabularies.ttl"])
def test_ontology_files_parse_in_pyoxigraph_too(name, paths):
    quads = list(ox.parse(path=str(paths.ontology / name), format=ox.RdfFormat.TURTLE))
    assert len(quads) == len(Graph().parse(paths.ontology / name))


def test_every_kg_term_has_english_and_polish_labels_and_a_definition(onto):
    terms = _kg_terms(onto)
    assert len(terms) > 50
    missing = []
    for term in sorted(terms):
        langs = {lbl.language for lbl in onto.objects(term, RDFS.label) if isinstance(lbl, Literal)}
        defs = {d.language for d in onto.objects(term, SKOS.definition) if isinstance(d, Literal)}
        if not {"en", "pl"} <= langs or "en" not in defs:
            missing.append(term)
        if (term, RDFS.isDefinedBy, ONTOLOGY_IRI) not in onto:
            missing.append(term)
    assert missing == []


def test_every_kg_term_is_declared_as_a_class_or_property(built: BuildResult, onto):
    declared = built.ontology.classes | built.ontology.properties
    referenced = {t for triple in onto for t in triple if isinstance(t, URIRef)}
    kg_referenced = {t for t in referenced if t.startswith(str(KG))}
    assert kg_referenced - declared == set()


def test_every_class_used_in_the_data_is_declared(graph, built: BuildResult):
    used = {o for o in graph.objects(None, RDF.type) if isinstance(o, URIRef)}
    assert used - built.ontology.classes == set()


def test_every_property_used_in_the_data_is_declared(graph, built: BuildResult):
    used = {p for p in graph.predicates() if p != RDF.type}
    assert used - built.ontology.properties == set()


def _types(graph: Graph, node: URIRef) -> set[URIRef]:
    return {t for t in graph.objects(node, RDF.type) if isinstance(t, URIRef)}


def test_the_data_respects_every_declared_domain(graph, onto):
    wrong, checked = [], 0
    for prop, domain in onto.subject_objects(RDFS.domain):
        for subject in graph.subjects(prop, None):
            checked += 1
            if isinstance(subject, URIRef) and domain not in _types(graph, subject):
                wrong.append((subject, prop, domain))
    assert wrong == []
    assert checked > 300


def test_the_data_respects_every_declared_range(graph, onto):
    wrong: list[tuple[object, ...]] = []
    checked = 0
    for prop, rng in onto.subject_objects(RDFS.range):
        for obj in graph.objects(None, prop):
            checked += 1
            if isinstance(obj, Literal):
                actual = RDF.langString if obj.language else (obj.datatype or XSD.string)
                if actual != rng and rng != RDFS.Literal:
                    wrong.append((prop, obj, rng))
            # str(): rdflib's URIRef.startswith ignores tuples of prefixes (it str()s the tuple)
            elif (
                isinstance(obj, URIRef)
                and str(obj).startswith((str(ID), str(VOCAB)))
                and rng not in _types(graph, obj)
            ):
                wrong.append((prop, obj, rng))
    assert wrong == []
    assert checked > 300


def test_every_kg_class_is_aligned_to_a_standard_vocabulary(built: BuildResult, onto):
    """Each class reaches a standard class through subclass links or says how it relates."""
    standard = ("http://www.w3.org/ns/", "http://xmlns.com/foaf/", "http://schema.org/", str(EURIO))
    unaligned = []
    for cls in sorted(built.ontology.classes & _kg_terms(onto)):
        supers = {str(c) for c in onto.transitive_objects(cls, RDFS.subClassOf)}
        mapped = {
            str(o) for p in (SKOS.closeMatch, SKOS.relatedMatch) for o in onto.objects(cls, p)
        }
        if not any(s.startswith(standard) for s in supers | mapped):
            unaligned.append(cls)
    # These two are kgraph's own n-ary relations with no standard counterpart.
    assert unaligned == [KG.EventParticipation, KG.Phase]


@needs_realdata
def test_every_eurio_term_referenced_exists_in_eurio(onto):
    eurio = Graph().parse(REALDATA / "eurio" / "EURIO_bigmap-copy.ttl")
    eurio_terms = {s for s in eurio.subjects() if isinstance(s, URIRef)}
    ours = {t for triple in onto for t in triple if isinstance(t, URIRef) and t.startswith(EURIO)}
    ours.discard(URIRef(str(EURIO)))
    assert len(ours) > 20
    assert ours - eurio_terms == set()


def test_every_concept_is_documented_and_listed_in_its_scheme(built: BuildResult):
    vocab = built.ontology.vocabularies
    concepts = set(vocab.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) >= 30
    for c in concepts:
        labels = {
            lbl.language for lbl in vocab.objects(c, SKOS.prefLabel) if isinstance(lbl, Literal)
        }
        assert {"en", "pl"} <= labels, c
        assert vocab.value(c, SKOS.definition) is not None, c
        assert str(vocab.value(c, SKOS.notation)) == str(c).rsplit("/", 1)[1], c
        scheme = vocab.value(c, SKOS.inScheme)
        assert (scheme, SKOS.hasTopConcept, c) in vocab, c
