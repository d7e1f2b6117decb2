"""The whole pipeline in one run (kgraph.run), `kgraph run` and `kgraph synth`."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph
from typer.testing import CliRunner

from kgraph.build import Built, build_located
from kgraph.cli import app
from kgraph.export import to_jsonld, to_turtle
from kgraph.namespaces import KG, RDF, bind_prefixes
from kgraph.network import betweenness
from kgraph.pipeline import InvalidGraph, build
from kgraph.query import load_catalogue, run_local
from kgraph.run import STAGES, StageTime, run_pipeline
from kgraph.store import to_store
from kgraph.synth import QUERY_PARAMS, break_some, check_shape, synthesize
from kgraph.validate import Severity, load_shapes, validate

runner = CliRunner()


@pytest.fixture(scope="module")
def curated(paths) -> Built:
    return build(paths)[2]


def test_the_pipeline_writes_what_the_build_writes_plus_queries_and_network(
    tmp_path: Path, paths, curated, built
):
    seen: list[StageTime] = []
    result = run_pipeline(lambda: curated, tmp_path, shapes_dir=paths.shapes,
                          queries_dir=paths.queries, on_stage=seen.append)  # fmt: skip
    assert [s.stage for s in result.stages] == list(STAGES) == [s.stage for s in seen]
    assert all(s.triples == len(curated.triples) and s.seconds >= 0 for s in seen)
    assert result.report.conforms
    for fmt, path in built.written.items():  # the same bytes as `kgraph build`
        assert (tmp_path / f"kgraph.{fmt.value}").read_bytes() == path.read_bytes()
    store = to_store(curated.triples)
    catalogue = load_catalogue(paths.queries)
    assert {p.stem for p in (tmp_path / "queries").iterdir()} == set(catalogue)
    with (tmp_path / "queries" / "co-participation.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    expected = run_local(store, catalogue["co-participation"].text)
    assert rows[0] == expected.variables
    assert [r[0] for r in rows[1:]] == [str(r[0]) for r in expected.rows]
    with (tmp_path / "network-organisations-nodes.csv").open(encoding="utf-8") as fh:
        nodes = {row["id"]: row for row in csv.DictReader(fh)}
    marshal = "https://w3id.org/kgraph/id/organisation/podlaskie-marshal-office"
    assert nodes[marshal]["degree"] == "6"  # checked by hand in test_network
    assert not (tmp_path / "network-organisations.gexf").exists()  # Gephi files: network export
    assert set(result.written) == {p for p in tmp_path.rglob("*") if p.is_file()}


def test_a_graph_with_violations_writes_nothing(tmp_path: Path, paths, curated):
    graph = Graph()
    for triple in curated.triples:
        graph.add(triple)
    graph.remove((None, KG.acronym, None))  # every project loses its required acronym
    broken = Built(frozenset(graph), curated.origins)
    with pytest.raises(InvalidGraph) as caught:
        run_pipeline(lambda: broken, tmp_path, shapes_dir=paths.shapes, queries_dir=paths.queries)
    assert caught.value.report.counts()[Severity.VIOLATION] >= 2
    assert list(tmp_path.iterdir()) == []


def test_validating_a_build_with_its_store_finds_what_validating_the_graph_finds(paths, built):
    data = synthesize(projects=40, countries=3, regions=15, programmes=4)
    made = build_located(data, built.ontology)
    graph = bind_prefixes(Graph())  # pyshacl's messages use the data graph's prefixes
    graph += made.graph
    break_some(graph, 0.03)
    broken = Built(frozenset(graph), made.origins)
    shapes = load_shapes(paths.shapes)
    plain = validate(graph, shapes, made.origins, precheck=False)
    fast = validate(broken, shapes, store=to_store(broken.triples), precheck=True)
    assert plain.findings
    assert fast.findings == plain.findings
    located = [f for f in fast.findings if "/kgraph/id/" in f.focus]  # not the vocabularies
    assert located
    assert all(f.file.startswith("synthetic/") and f.line > 0 for f in located)


def test_writers_give_the_same_text_for_the_triples_and_the_graph(curated):
    assert to_turtle(curated.triples) == to_turtle(curated.graph)
    assert to_jsonld(curated.triples) == to_jsonld(curated.graph)


def test_synthetic_regions_and_programmes_are_as_many_as_asked(built):
    data = synthesize(projects=8, countries=3, regions=13, programmes=7)
    g = build_located(data, built.ontology).graph
    regions = {str(s) for s in g.subjects(RDF.type, KG.NUTSRegion)}
    assert len(regions) == 13
    assert len(set(g.subjects(RDF.type, KG.Programme))) == 7
    levels = [int(str(o)) for o in g.objects(None, KG.nutsLevel)]
    assert levels.count(0) == 3  # three countries
    assert levels.count(2) == 2  # (13 - 2 * 3) // 3 NUTS 2 regions, the last with three NUTS 3
    with pytest.raises(ValueError, match="take 9-"):
        check_shape(regions=8, programmes=1, countries=3)
    with pytest.raises(ValueError, match="programmes"):
        check_shape(regions=300, programmes=0)


def test_betweenness_is_networkx_s_exact_and_sampled_measure():
    g = nx.Graph()
    rng = random.Random(3)
    nodes = [f"n{i:03d}" for i in range(120)]
    g.add_nodes_from(nodes)  # sorted insertion order, so networkx samples the same sources
    g.add_edges_from((a, b) for a in nodes for b in nodes if a < b and rng.random() < 0.05)
    exact = nx.betweenness_centrality(g)
    assert betweenness(g) == pytest.approx(exact, abs=1e-12)
    sampled = nx.betweenness_centrality(g, k=30, seed=1)
    assert betweenness(g, k=30, seed=1) == pytest.approx(sampled, abs=1e-12)
    assert betweenness(g, k=30, seed=1) != pytest.approx(exact, abs=1e-6)


def test_kgraph_run_and_synth_say_what_they_wrote(tmp_path: Path, paths):
    result = runner.invoke(app, ["run", "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    assert "queries" in result.output
    assert "network" in result.output
    assert (tmp_path / "run" / "queries" / "co-participation.csv").is_file()
    result = runner.invoke(app, ["synth", "--projects", "30", "--out", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "wrote 23 files" in result.output
    synth = Graph().parse(tmp_path / "s" / "synth.nt", format="nt")
    assert len(set(synth.subjects(RDF.type, KG.Project))) == 30
    assert len(set(synth.subjects(RDF.type, KG.NUTSRegion))) == 300
    rows = (tmp_path / "s" / "queries" / "project-partners.csv").read_text(encoding="utf-8")
    assert rows.count("\n") > 2  # the synthetic parameters (QUERY_PARAMS) find something
    assert QUERY_PARAMS["project"].split(":")[1] in (tmp_path / "s" / "synth.ttl").read_text()
    bad = runner.invoke(app, ["synth", "--projects", "3", "--regions", "10"])
    assert bad.exit_code == 2
    assert "regions" in bad.output
