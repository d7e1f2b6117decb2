"""The README's examples are real: its SPARQL runs and its Turtle is part of the built graph."""

from __future__ import annotations

import re

from rdflib import Graph
from rdflib.query import ResultRow

from kgraph.namespaces import PREFIXES
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def test_readme_sparql_examples_answer(published: Graph):
    blocks = _blocks("sparql")
    assert blocks
    for query in blocks:
        rows = [r for r in published.query(query) if isinstance(r, ResultRow)]
        assert len({r[0] for r in rows}) == 7  # the seven Next2Met partners, one row per source
        assert {str(r[1]) for r in rows} == {"lead-partner", "partner", "advisory-partner"}


def test_readme_turtle_examples_are_in_the_graph(graph: Graph):
    blocks = _blocks("turtle")
    assert blocks
    prologue = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    for snippet in blocks:
        example = Graph().parse(data=prologue + snippet, format="turtle")
        assert len(example) > 3
        missing = [t for t in example if t not in graph]
        assert missing == []
