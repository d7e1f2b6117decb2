"""Shared fixtures: the curated graph is built once per session into a temporary dist/."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
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


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's chromium driven by Playwright (skipped without it, except in CI)."""
    if not Path(CHROMIUM).is_file():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs Debian's chromium with apt-get")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


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
