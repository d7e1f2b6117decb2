"""Entry point for ``python -m kgraph``."""

from kgraph.cli import main

if __name__ == "__main__":
    main()
