"""Run the stages in order: data/ → records → graph → SHACL check → files in dist/.

Nothing in dist/ is written unless every stage before the write succeeded, and a graph with
SHACL violations is not published unless the caller allows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kgraph import __version__
from kgraph.build import Built, build_located
from kgraph.export import RdfFormat, write_graph
from kgraph.load import Dataset, load_dataset
from kgraph.ontology import Ontology, load_ontology
from kgraph.paths import ProjectPaths
from kgraph.summary import Summary, summarize
from kgraph.validate import Progress, Report, load_shapes, validate

__all__ = ["BuildResult", "InvalidGraph", "build", "build_and_write", "check"]


@dataclass(frozen=True)
class BuildResult:
    """What one build produced."""

    dataset: Dataset
    ontology: Ontology
    graph: Graph
    summary: Summary
    written: dict[RdfFormat, Path]
    report: Report | None = None


class InvalidGraph(Exception):
    """Raised when the built graph has SHACL violations and publishing them was not allowed."""

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__(f"the graph does not conform to the shapes: {report.summary()}")


def build(paths: ProjectPaths) -> tuple[Dataset, Ontology, Built]:
    """Load data/ and ontology/ and build the graph in memory; raise ``DataErrors`` on bad input."""
    ontology = load_ontology(paths.ontology_file, paths.vocabularies_file)
    dataset = load_dataset(paths.data)
    built = build_located(dataset, ontology, version=__version__)
    return dataset, ontology, built


def check(paths: ProjectPaths, progress: Progress | None = None) -> tuple[Built, Report]:
    """Build the graph in memory and validate it against shapes/."""
    _, _, built = build(paths)
    shapes = load_shapes(paths.shapes)
    return built, validate(built, shapes, progress=progress)


def build_and_write(
    paths: ProjectPaths, *, validated: bool = True, allow_invalid: bool = False
) -> BuildResult:
    """Build, validate and write dist/kgraph.{ttl,nt,jsonld} atomically.

    Raises ``InvalidGraph`` (writing nothing) when validation finds violations, unless
    ``allow_invalid``; ``validated=False`` skips validation altogether.
    """
    dataset, ontology, built = build(paths)
    report = None
    if validated:
        report = validate(built, load_shapes(paths.shapes))
        if not report.conforms and not allow_invalid:
            raise InvalidGraph(report)
    written = write_graph(built.graph, paths.dist)
    summary = summarize(built.graph, ontology)
    return BuildResult(dataset, ontology, built.graph, summary, dict(written), report)
