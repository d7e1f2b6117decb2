"""Where the project's folders are: ontology/, data/, shapes/ and dist/."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ProjectPaths", "default_paths"]


def _repo_root() -> Path:
    """Return the checkout this package runs from, or ``$KGRAPH_HOME`` when set."""
    env = os.environ.get("KGRAPH_HOME")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class ProjectPaths:
    """The folders one build reads from and writes to."""

    root: Path
    data: Path
    ontology: Path
    dist: Path
    shapes: Path
    queries: Path

    @property
    def ontology_file(self) -> Path:
        """The OWL ontology in Turtle."""
        return self.ontology / "kgraph.ttl"

    @property
    def vocabularies_file(self) -> Path:
        """The SKOS concept schemes (roles, event types) in Turtle."""
        return self.ontology / "vocabularies.ttl"


def default_paths(
    *,
    data: Path | None = None,
    ontology: Path | None = None,
    dist: Path | None = None,
    shapes: Path | None = None,
    queries: Path | None = None,
) -> ProjectPaths:
    """Return the project's folders, each overridable."""
    root = _repo_root()
    return ProjectPaths(
        root=root,
        data=(data or root / "data").resolve(),
        ontology=(ontology or root / "ontology").resolve(),
        dist=(dist or root / "dist").resolve(),
        shapes=(shapes or root / "shapes").resolve(),
        queries=(queries or root / "queries").resolve(),
    )
