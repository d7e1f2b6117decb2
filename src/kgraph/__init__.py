"""kgraph: a knowledge graph of regional cooperation in Europe."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kgraph")
except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
    __version__ = "0.0.0"

__all__ = ["__version__"]
