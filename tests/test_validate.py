"""SHACL validation of the curated data: located reports, exit codes, refusing to publish."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.errors import display_path
from kgraph.namespaces import SH
from kgraph.paths import ProjectPaths
from kgraph.pipeline import InvalidGraph, build_and_write, check
from kgraph.validate import Severity
from tests.test_errors import _line_of, _replace_first, _snapshot

runner = CliRunner()

#: The completeness hints the curated data gives today, each a gap in the sources (see the note
#: of issue 3). A new hint, or one that disappears, should be a conscious change.
KNOWN_INFOS = {
    ("next2met-spring-2022-event", "schema:startDate", "kgsh:Event-dateKnown"),
    ("polish-clusters-congress-9", "schema:startDate", "kgsh:Event-dateKnown"),
    (
        "polish-clusters-congress-9-regional-policy-panel",
        "schema:startDate",
        "kgsh:Event-dateKnown",
    ),
    (
        "polish-clusters-congress-9-european-cooperation-panel",
        "schema:startDate",
        "kgsh:Event-dateKnown",
    ),
    (
        "polish-clusters-congress-9-equal-opportunities-panel",
        "schema:startDate",
        "kgsh:Event-dateKnown",
    ),
    ("polish-clusters-congress-9-closing-panel", "schema:startDate", "kgsh:Event-dateKnown"),
    (
        "podlaskie-regional-development-practices",
        "kg:implementedBy",
        "kgsh:GoodPractice-implementerKnown",
    ),
    ("cluster-relational-competences", "kg:implementedBy", "kgsh:GoodPractice-implementerKnown"),
    ("gosmart-bsr", "schema:endDate", "kgsh:Project-endKnown"),
    ("gosmart-bsr", "schema:startDate", "kgsh:ProjectStartUnstated-rule"),
}


def _copy_paths(paths: ProjectPaths, data: Path, dist: Path) -> ProjectPaths:
    return ProjectPaths(
        root=paths.root,
        data=data,
        ontology=paths.ontology,
        dist=dist,
        shapes=paths.shapes,
        queries=paths.queries,
    )


def test_the_curated_data_conforms(built):
    report = built.report
    assert report is not None
    assert report.conforms
    counts = report.counts()
    assert counts[Severity.VIOLATION] == 0
    assert counts[Severity.WARNING] == 0
    infos = {(f.record, f.path, f.constraint) for f in report.findings}
    assert infos == KNOWN_INFOS


def test_every_curated_finding_is_located_in_data(built):
    assert built.report is not None
    for f in built.report.findings:
        assert f.file.endswith(".yaml")
        assert f.line > 0
        assert f.record


def test_a_wrong_date_is_reported_at_its_file_and_line(data_copy: Path, tmp_path, paths):
    projects = data_copy / "projects.yaml"
    line = _replace_first(projects, "end: 2023-07-31", "end: 2018-07-31")
    _, report = check(_copy_paths(paths, data_copy, tmp_path / "dist"))
    assert not report.conforms
    located = {
        (f.file, f.line, f.record, f.path, f.severity, f.constraint)
        for f in report.findings
        if f.severity is Severity.VIOLATION
    }
    assert (
        display_path(projects),
        line,
        "next2met",
        "schema:endDate",
        Severity.VIOLATION,
        "kgsh:PeriodOrder-rule",
    ) in located


def test_a_wrong_partner_date_names_the_partner(data_copy: Path, tmp_path, paths):
    projects = data_copy / "projects.yaml"
    partner_line = _line_of(projects, "organisation: witeno")
    lines = projects.read_text(encoding="utf-8").splitlines(keepends=True)
    indent = lines[partner_line - 1].index("organisation")
    lines.insert(partner_line, " " * indent + "start: 2024-01-01\n")
    projects.write_text("".join(lines), encoding="utf-8")
    _, report = check(_copy_paths(paths, data_copy, tmp_path / "dist"))
    hits = [f for f in report.findings if f.constraint == "kgsh:StartsAfterProjectEnds-rule"]
    assert [(f.line, f.record, f.path) for f in hits] == [
        (partner_line + 1, "next2met: partner witeno", "schema:startDate")
    ]


def test_build_refuses_to_publish_violations(data_copy: Path, tmp_path, paths):
    dist = tmp_path / "dist"
    good = build_and_write(_copy_paths(paths, paths.data, dist))
    assert good.report is not None
    assert good.report.conforms
    before = _snapshot(dist)
    _replace_first(data_copy / "projects.yaml", "end: 2023-07-31", "end: 2018-07-31")
    with pytest.raises(InvalidGraph) as caught:
        build_and_write(_copy_paths(paths, data_copy, dist))
    assert not caught.value.report.conforms
    assert _snapshot(dist) == before
    forced = build_and_write(_copy_paths(paths, data_copy, dist), allow_invalid=True)
    assert forced.report is not None
    assert not forced.report.conforms
    assert _snapshot(dist) != before


def test_cli_build_refuses_and_says_so(data_copy: Path, tmp_path):
    dist = tmp_path / "dist"
    line = _replace_first(data_copy / "projects.yaml", "end: 2023-07-31", "end: 2018-07-31")
    result = runner.invoke(app, ["build", "--data", str(data_copy), "--out", str(dist)])
    assert result.exit_code == 1
    assert f"projects.yaml:{line}: violation: next2met: schema:endDate" in result.output
    assert "--allow-invalid" in result.output
    assert not dist.exists()
    result = runner.invoke(
        app, ["build", "--data", str(data_copy), "--out", str(dist), "--allow-invalid"]
    )
    assert result.exit_code == 0, result.output
    assert "does NOT conform" in result.output
    assert (dist / "kgraph.ttl").is_file()


def test_cli_validate_exit_codes_and_text(data_copy: Path):
    ok = runner.invoke(app, ["validate", "--data", str(data_copy)])
    assert ok.exit_code == 0, ok.output
    assert "conforms: 0 violation(s), 0 warning(s), 10 info(s)" in ok.output
    line = _replace_first(data_copy / "projects.yaml", "end: 2023-07-31", "end: 2018-07-31")
    bad = runner.invoke(app, ["validate", "--data", str(data_copy)])
    assert bad.exit_code == 1
    assert f"projects.yaml:{line}: violation: next2met: schema:endDate" in bad.output
    assert "It ends (2018-07-31) before it starts (2019-08-01)." in bad.output


def test_cli_validate_json(paths):
    result = runner.invoke(app, ["validate", "--data", str(paths.data), "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert doc["conforms"] is True
    assert doc["counts"] == {"Violation": 0, "Warning": 0, "Info": len(KNOWN_INFOS)}
    first = doc["results"][0]
    assert set(first) >= {"file", "line", "severity", "record", "focus", "path", "message"}
    assert first["focus"].startswith("https://w3id.org/kgraph/id/")


def test_cli_validate_turtle_is_the_shacl_report_graph(paths, tmp_path):
    out = tmp_path / "report.ttl"
    result = runner.invoke(
        app, ["validate", "--data", str(paths.data), "--format", "turtle", "-o", str(out)]
    )
    assert result.exit_code == 0
    assert "report.ttl" in result.output
    report = Graph().parse(out, format="turtle")
    (node,) = report.subjects(SH.conforms, None)
    assert report.value(node, SH.conforms) == Literal(True)
    assert len(set(report.objects(node, SH.result))) == len(KNOWN_INFOS)


def test_cli_validate_checks_any_rdf_file(built, tmp_path):
    from kgraph.export import RdfFormat

    ok = runner.invoke(app, ["validate", "--graph", str(built.written[RdfFormat.NTRIPLES])])
    assert ok.exit_code == 0, ok.output
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        "@prefix kg: <https://w3id.org/kgraph/ontology#> .\n"
        "<https://w3id.org/kgraph/id/project/x> a kg:Project .\n",
        encoding="utf-8",
    )
    bad = runner.invoke(app, ["validate", "--graph", str(broken)])
    assert bad.exit_code == 1
    assert "project:x" in bad.output
    missing = runner.invoke(app, ["validate", "--graph", str(tmp_path / "nope.ttl")])
    assert missing.exit_code == 2
    assert "no such file" in missing.output
