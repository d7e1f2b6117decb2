"""Run the stages in order: data/ → records → graph → files in dist/.

Nothing in dist/ is written unless every stage before the write succeeded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kgraph import __version__
from kgraph.build import build_graph
from kgraph.export import RdfFormat, write_graph
from kgraph.load import Dataset, load_dataset
from kgraph.ontology import Ontology, load_ontology
from kgraph.paths import ProjectPaths
from kgraph.summary import Summary, summarize

__all__ = ["BuildResult", "build", "build_and_write"]


@dataclass(frozen=True)
class BuildResult:
    """What one build produced."""

    dataset: Dataset
    ontology: Ontology
    graph: Graph
    summary: Summary
    written: dict[RdfFormat, Path]


def build(paths: ProjectPaths) -> tuple[Dataset, Ontology, Graph]:
    """Load data/ and ontology/ and build the graph in memory; raise ``DataErrors`` on bad input."""
    ontology = load_ontology(paths.ontology_file, paths.vocabularies_file)
    dataset = load_dataset(paths.data)
    graph = build_graph(dataset, ontology, version=__version__)
    return dataset, ontology, graph


def build_and_write(paths: ProjectPaths) -> BuildResult:
    """Build the graph and write it to dist/ as Turtle, N-Triples and JSON-LD, atomically."""
    dataset, ontology, graph = build(paths)
    written = write_graph(graph, paths.dist)
    return BuildResult(dataset, ontology, graph, summarize(graph, ontology), dict(written))
