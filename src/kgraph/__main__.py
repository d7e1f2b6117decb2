"""Entry point for ``python -m kgraph``."""

from kgraph.cli import main

main()
