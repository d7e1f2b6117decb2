"""docs/ is generated from ontology/, lists every class and property, and is up to date."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.docs import write_docs
from kgraph.namespaces import KG
from kgraph.results import short

REPO = Path(__file__).resolve().parents[1]


def test_docs_list_every_class_and_property(built, tmp_path: Path):
    onto = built.ontology
    page_path, svg_path = write_docs(onto, tmp_path)
    page = page_path.read_text(encoding="utf-8")
    sections = set(re.findall(r"<section id='([^']+)'>", page))
    for term in onto.classes | onto.properties:
        anchor = short(term).replace(":", "-")
        assert anchor in sections, f"{term} has no section"
        assert f"href='#{anchor}'" in page, f"{term} is not in the index"
    assert len(onto.classes) > 20
    assert len(onto.properties) > 40
    svg = svg_path.read_text(encoding="utf-8")
    for cls in onto.classes:
        if str(cls).startswith(str(KG)):
            assert f">{str(cls).removeprefix(str(KG))}</text>" in svg
    assert "kg:participant" in svg  # object properties are drawn from domain to range


def test_committed_docs_are_what_make_docs_writes(tmp_path: Path):
    result = CliRunner().invoke(app, ["docs", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in ("ontology.html", "classes.svg"):
        fresh = (tmp_path / name).read_bytes()
        assert fresh == (REPO / "docs" / name).read_bytes(), f"docs/{name} is stale: make docs"
