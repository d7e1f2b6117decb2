"""Shared fixtures: the curated graph is built once per session into a temporary dist/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from kgraph.export import RdfFormat
from kgraph.paths import ProjectPaths, default_paths
from kgraph.pipeline import BuildResult, build_and_write

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
REALDATA = REPO.parent / "shared" / "realdata"

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the repo")
needs_realdata = pytest.mark.skipif(
    not REALDATA.is_dir(), reason="shared/realdata is not beside the repo"
)


@pytest.fixture(scope="session")
def paths() -> ProjectPaths:
    """The repository's own folders."""
    return default_paths()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, paths: ProjectPaths) -> BuildResult:
    """The curated data, built and written to a temporary dist/ once per session."""
    dist = tmp_path_factory.mktemp("dist")
    return build_and_write(
        ProjectPaths(
            root=paths.root,
            data=paths.data,
            ontology=paths.ontology,
            dist=dist,
            shapes=paths.shapes,
            queries=paths.queries,
        )
    )


@pytest.fixture(scope="session")
def graph(built: BuildResult) -> Graph:
    """The built graph, in memory."""
    return built.graph


@pytest.fixture(scope="session")
def published(built: BuildResult) -> Graph:
    """dist/kgraph.ttl parsed again by rdflib: what a linked-data consumer downloads."""
    return Graph().parse(built.written[RdfFormat.TURTLE], format="turtle")


@pytest.fixture
def data_copy(tmp_path: Path, paths: ProjectPaths) -> Path:
    """A writable copy of data/ for tests that break it on purpose."""
    target = tmp_path / "data"
    shutil.copytree(paths.data, target)
    return target
