"""Synthetic data: conforms to the shapes, is reproducible, and checks the pre-checks at scale."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Graph

from kgraph.build import build_located
from kgraph.export import to_ntriples
from kgraph.namespaces import KG, RDF
from kgraph.synth import break_some, synthesize
from kgraph.validate import Severity, load_shapes, validate


@pytest.fixture(scope="module")
def shapes(paths) -> Graph:
    return load_shapes(paths.shapes)


@pytest.fixture(scope="module")
def synthetic(built) -> Graph:
    return build_located(synthesize(projects=60), built.ontology).graph


def test_same_seed_same_graph(built):
    a = build_located(synthesize(projects=5, countries=2, regions=10), built.ontology).graph
    b = build_located(synthesize(projects=5, countries=2, regions=10), built.ontology).graph
    c = build_located(synthesize(projects=5, countries=2, regions=10, seed=2), built.ontology).graph
    assert to_ntriples(a) == to_ntriples(b)
    assert to_ntriples(a) != to_ntriples(c)


def test_synthetic_data_looks_like_cooperation_data(synthetic):
    assert len(set(synthetic.subjects(RDF.type, KG.Project))) == 60
    assert len(set(synthetic.subjects(RDF.type, KG.NUTSRegion))) == 300
    assert len(set(synthetic.subjects(RDF.type, KG.Programme))) == 50
    partners = Counter(synthetic.objects(None, KG.inProject))
    assert min(partners.values()) >= 2
    assert max(partners.values()) > 2 * sorted(partners.values())[len(partners) // 2]  # heavy tail
    activity = Counter(synthetic.objects(None, KG.participant))
    assert max(activity.values()) >= 4  # some organisations join many projects


def test_synthetic_data_conforms(synthetic, shapes):
    report = validate(synthetic, shapes, precheck=True)
    assert report.findings == []


def test_broken_synthetic_data_gives_the_same_findings_with_and_without_prechecks(
    synthetic, shapes
):
    graph = Graph()
    graph += synthetic
    broken = break_some(graph, 0.02)
    assert broken >= 20
    fast = validate(graph, shapes, precheck=True)
    full = validate(graph, shapes, precheck=False)
    assert fast.findings == full.findings
    assert fast.counts()[Severity.VIOLATION] >= broken // 2
