"""Networks of cooperation: measures checked against values worked out by hand from data/."""

from __future__ import annotations

import csv
import io
from datetime import date

import networkx as nx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.namespaces import entity_iri
from kgraph.network import (
    Filters,
    bipartite,
    country_graph,
    ego,
    export_files,
    metrics,
    organisation_graph,
    people_graph,
    region_graph,
)
from kgraph.store import to_store

runner = CliRunner()
OFFICE = str(entity_iri("organisation", "podlaskie-marshal-office"))
NEXT2MET = {
    str(entity_iri("organisation", o))
    for o in ("paijat-hame-regional-council", "ecoplus", "barcelona-provincial-council",
              "eastern-midland-regional-assembly", "podlaskie-marshal-office", "witeno", "cpmr")
}  # fmt: skip
GOSMART = {
    str(entity_iri("organisation", o))
    for o in ("bialystok-university-of-technology", "podlaskie-regional-development-foundation")
}


@pytest.fixture(scope="module")
def store(graph) -> ox.Store:
    return to_store(graph)


@pytest.fixture(scope="module")
def orgs(store) -> nx.Graph:
    return organisation_graph(bipartite(store))


def test_the_project_network_by_hand(orgs):
    # Next2Met: 7 partners, all pairs = 21 ties; GoSmart BSR: 2 partners = 1 tie
    assert set(orgs) == NEXT2MET | GOSMART
    assert orgs.number_of_edges() == 21 + 1
    assert orgs.degree(OFFICE) == 6
    assert orgs.degree(OFFICE, weight="weight") == 6
    measured = metrics(orgs)
    assert measured.nodes[OFFICE]["degree"] == 6
    assert measured.graph["components"] == 2
    assert measured.graph["largest_component"] == 7
    # every Next2Met tie crosses a border; the one GoSmart tie is Polish-Polish
    assert measured.graph["cross_border_share"] == round(21 / 22, 6)
    assert measured.graph["betweenness"] == "exact"
    assert all(m["betweenness"] == 0.0 for m in measured.nodes.values())  # two cliques


def test_events_add_ties_and_weight(store):
    # Policy Learning Event #5 brings 12 organisations together (the 7 partners; the
    # departments, cluster, company and association that people spoke for), so the office
    # gains 5 new ties and its 6 Next2Met ties count twice: 6 x 2 + 5 = 17
    with_events = organisation_graph(bipartite(store, events=True))
    assert with_events.degree(OFFICE) == 11
    assert with_events.degree(OFFICE, weight="weight") == 17
    evoluma = str(entity_iri("organisation", "evoluma"))
    assert evoluma in with_events  # active only at the congress
    assert with_events.nodes[evoluma]["projects"] == 0
    assert with_events.nodes[evoluma]["events"] == 4


def test_country_and_region_views(orgs):
    countries = country_graph(orgs)
    assert set(countries) == {"AT", "DE", "ES", "FI", "FR", "IE", "PL"}
    assert countries.number_of_edges() == 21  # the Polish-Polish tie stays inside PL
    regions = region_graph(orgs)
    assert regions.has_edge("PL84", "PL841")
    assert regions.nodes["PL84"]["organisations"] == 2


def test_filters(store):
    podlaskie = bipartite(store, Filters(region="PL84"))
    assert {n for n, d in podlaskie.nodes(data=True) if d["bipartite"] == "organisation"} == {
        OFFICE,
        *GOSMART,
    }
    bsr = organisation_graph(
        bipartite(store, Filters(programme=str(entity_iri("programme", "interreg-bsr"))))
    )
    assert set(bsr) == GOSMART
    before_2019 = organisation_graph(bipartite(store, Filters(end=date(2018, 12, 31))))
    assert set(before_2019) == GOSMART  # GoSmart BSR has no dates, so it is not excluded
    with pytest.raises(ValueError, match="NUTS"):
        bipartite(store, Filters(region="PL84 } #"))


def test_ego_and_people(orgs, store):
    assert set(ego(orgs, OFFICE, 1)) == NEXT2MET
    with pytest.raises(KeyError):
        ego(orgs, "https://example.org/nobody")
    people = people_graph(store)
    citkowski = str(entity_iri("person", "mariusz-citkowski"))
    assert people.degree(citkowski) == 2


def test_brokers_bridge_communities():
    g = nx.Graph()
    triangles = [("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z")]
    g.add_edges_from([*triangles, ("c", "x")], weight=1)
    measured = metrics(g)
    assert {n for n, m in measured.nodes.items() if m["broker"]} == {"c", "x"}
    assert float(measured.nodes["c"]["betweenness"]) > float(measured.nodes["a"]["betweenness"])


def test_large_graphs_use_sampled_betweenness_and_say_so():
    g = nx.path_graph(2_100)
    nx.set_edge_attributes(g, 1, "weight")
    assert str(metrics(g).graph["betweenness"]).startswith("sampled (500 sources")


def test_exports_are_deterministic_and_readable(orgs, tmp_path):
    first = export_files(orgs, tmp_path / "a", "orgs")
    second = export_files(orgs, tmp_path / "b", "orgs")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    gexf = (tmp_path / "a" / "orgs.gexf").read_text(encoding="utf-8")
    assert "lastmodifieddate" not in gexf
    back = nx.read_graphml(tmp_path / "a" / "orgs.graphml")
    assert back.number_of_edges() == orgs.number_of_edges()
    assert nx.read_gexf(tmp_path / "a" / "orgs.gexf").number_of_nodes() == orgs.number_of_nodes()
    edges = list(csv.DictReader(io.StringIO((tmp_path / "a" / "orgs-edges.csv").read_text())))
    assert len(edges) == 22
    assert {"source", "target", "weight", "projects", "events"} <= set(edges[0])


def test_cli_network_stats_and_export(tmp_path):
    result = runner.invoke(app, ["network", "stats", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows[OFFICE]["degree"] == "6"
    table = runner.invoke(app, ["network", "stats", "--events"])
    assert table.exit_code == 0
    assert "cross_border_share" in table.output
    bad = runner.invoke(app, ["network", "stats", "--from", "yesterday"])
    assert bad.exit_code == 2
    exported = runner.invoke(
        app, ["network", "export", "--view", "countries", "--out", str(tmp_path)]
    )
    assert exported.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "network-countries-edges.csv", "network-countries-nodes.csv",
        "network-countries.gexf", "network-countries.graphml",
    ]  # fmt: skip
