"""Stage 5: networks of who works with whom, built from the knowledge graph through SPARQL.

The bipartite organisation-project graph comes from one SPARQL query on the store (so the same
code serves the curated graph, an import or an endpoint's answers); every other view is derived
from it with networkx: the organisation-organisation projection weighted by shared projects
(and, optionally, events), region-region and country-country graphs, a person-organisation
graph, and the ego network of one organisation. Views can be limited to a programme, a period
or a region (with its sub-regions).
"""

from __future__ import annotations

import csv
import io
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from pathlib import Path

import igraph as ig
import networkx as nx
import pyoxigraph as ox
from rdflib import URIRef

from kgraph.export import write_atomically
from kgraph.query import bind
from kgraph.results import short

__all__ = [
    "Filters",
    "Metrics",
    "bipartite",
    "country_graph",
    "ego",
    "export_files",
    "metrics",
    "organisation_graph",
    "people_graph",
    "region_graph",
]

PREFIXES = """PREFIX kg: <https://w3id.org/kgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <http://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""

PARTICIPATIONS = (
    PREFIXES
    + """
SELECT ?organisation ?name ?kind ?country ?region ?project ?acronym ?programme ?start ?end ?role
       ?budget WHERE {
  ?participation kg:participant ?organisation ; kg:inProject ?project ;
                 kg:participationRole/skos:notation ?role .
  ?organisation rdfs:label ?name . FILTER (lang(?name) = "en")
  ?project kg:acronym ?acronym .
  OPTIONAL {
    SELECT ?organisation (MIN(STRAFTER(STR(?class), STR(kg:))) AS ?kind) WHERE {
      ?organisation a ?class .
      FILTER (STRSTARTS(STR(?class), STR(kg:)) && ?class != kg:Organisation)
    } GROUP BY ?organisation
  }
  OPTIONAL { ?organisation kg:country/kg:nutsCode ?country }
  OPTIONAL { ?organisation kg:locatedIn/kg:nutsCode ?region }
  OPTIONAL { ?project kg:programme ?programme }
  OPTIONAL { ?project schema:startDate ?start }
  OPTIONAL { ?project schema:endDate ?end }
  OPTIONAL { ?project kg:totalBudget/schema:value ?budget }
}"""
)

EVENT_PARTS = (
    PREFIXES
    + """
SELECT DISTINCT ?organisation ?name ?country ?region ?event ?eventName ?project ?start WHERE {
  ?part kg:inEvent ?event .
  { ?part kg:agent ?organisation . ?organisation a kg:Organisation }
  UNION { ?part kg:onBehalfOf ?organisation }
  ?organisation rdfs:label ?name . FILTER (lang(?name) = "en")
  OPTIONAL { ?organisation kg:country/kg:nutsCode ?country }
  OPTIONAL { ?organisation kg:locatedIn/kg:nutsCode ?region }
  ?event rdfs:label ?eventName . FILTER (lang(?eventName) = "en")
  OPTIONAL { ?event kg:eventOf ?project }
  OPTIONAL { ?event schema:startDate ?start }
}"""
)

SUBREGIONS = (
    PREFIXES
    + """
SELECT ?code WHERE {
  ?area kg:nutsCode ?region . ?sub kg:broaderRegion* ?area ; kg:nutsCode ?code
}"""
)

POSTS = (
    PREFIXES
    + """
SELECT ?person ?personName ?organisation ?name ?role WHERE {
  {
    ?m org:member ?person ; org:organization ?organisation ; org:role/skos:notation ?role .
  } UNION {
    ?part kg:agent ?person ; kg:onBehalfOf ?organisation ; kg:eventRole/skos:notation ?r .
    BIND (CONCAT("event-", ?r) AS ?role)
  }
  ?person foaf:name ?personName .
  ?organisation rdfs:label ?name . FILTER (lang(?name) = "en")
}"""
)


@dataclass(frozen=True)
class Filters:
    """Limits on a view: a programme (IRI), a period overlapping the projects, a NUTS region."""

    programme: str | None = None
    start: date | None = None
    end: date | None = None
    region: str | None = None


def _rows(store: ox.Store, text: str, **params: str) -> list[dict[str, str]]:
    """Run a SELECT query; rows as dicts of plain strings (IRIs stay full).

    Values are read straight from pyoxigraph's terms: making rdflib terms of the 400,000 values
    of a 10^6-triple graph's participations took longer than the query itself.
    """
    if params:
        text = bind(text, params)
    answer = store.query(text)
    if not isinstance(answer, ox.QuerySolutions):
        raise TypeError("network queries are SELECT queries")
    names = [v.value for v in answer.variables]
    return [
        {name: term.value for name, term in zip(names, row, strict=True) if term is not None}
        for row in answer
    ]


def _overlaps(row: dict[str, str], filters: Filters) -> bool:
    """Whether a project row falls in the filters' period (unknown dates do not exclude)."""
    if filters.start and row.get("end") and date.fromisoformat(row["end"]) < filters.start:
        return False
    return not (filters.end and row.get("start") and date.fromisoformat(row["start"]) > filters.end)


def bipartite(store: ox.Store, filters: Filters | None = None, *, events: bool = False) -> nx.Graph:
    """The organisation-project (and, with ``events``, organisation-event) graph."""
    filters = filters or Filters()
    regions: set[str] | None = None
    if filters.region:
        if not re.fullmatch(r"[A-Z]{2}[0-9A-Z]{0,3}", filters.region):
            raise ValueError(f"not a NUTS code: {filters.region!r}")
        regions = {r["code"] for r in _rows(store, SUBREGIONS, region=filters.region)}
    g = nx.Graph()
    projects: set[str] = set()
    for row in _rows(store, PARTICIPATIONS):
        if filters.programme and row.get("programme") != filters.programme:
            continue
        if not _overlaps(row, filters):
            continue
        if regions is not None and row.get("region") not in regions:
            continue
        org, project = row["organisation"], row["project"]
        g.add_node(org, bipartite="organisation", label=row["name"], kind=row.get("kind", ""),
                   country=row.get("country", ""), region=row.get("region", ""))  # fmt: skip
        g.add_node(project, bipartite="project", label=row["acronym"],
                   programme=short_iri(row.get("programme", "")),
                   budget=float(row.get("budget", 0) or 0))  # fmt: skip
        g.add_edge(org, project, role=row["role"])
        projects.add(project)
    if events:
        for row in _rows(store, EVENT_PARTS):
            org = row["organisation"]
            if filters.programme and row.get("project") not in projects:
                continue  # an event counts under a programme only through its project
            if (filters.start or filters.end) and not row.get("start"):
                continue  # an undated event cannot be placed in the period
            if not _overlaps({"start": row.get("start", ""), "end": row.get("start", "")}, filters):
                continue
            if regions is not None and row.get("region") not in regions:
                continue
            if org not in g:
                place = {"country": row.get("country", ""), "region": row.get("region", "")}
                g.add_node(org, bipartite="organisation", label=row["name"], kind="", **place)
            g.add_node(row["event"], bipartite="event", label=row["eventName"])
            g.add_edge(org, row["event"], role="event")
    return g


def short_iri(iri: str) -> str:
    """A prefixed name for a kgraph IRI, or the text unchanged."""
    return short(URIRef(iri)) if iri.startswith("http") else iri


def organisation_graph(b: nx.Graph) -> nx.Graph:
    """Organisations linked by shared projects (and events): weight = how many they share."""
    g = nx.Graph()
    for node, data in b.nodes(data=True):
        if data["bipartite"] == "organisation":
            g.add_node(node, **data, projects=0, events=0)
    for node, data in sorted(b.nodes(data=True)):
        if data["bipartite"] == "organisation":
            continue
        members = sorted(n for n in b[node] if b.nodes[n]["bipartite"] == "organisation")
        key = "projects" if data["bipartite"] == "project" else "events"
        for m in members:
            g.nodes[m][key] += 1
        for a, c in combinations(members, 2):
            if not g.has_edge(a, c):
                g.add_edge(a, c, weight=0, projects=0, events=0)
            g[a][c]["weight"] += 1
            g[a][c][key] += 1
    return g


def _aggregate(orgs: nx.Graph, attribute: str) -> nx.Graph:
    """Group organisations by ``attribute``; edge weight = organisation pairs across groups."""
    g = nx.Graph()
    for _, data in orgs.nodes(data=True):
        group = data.get(attribute) or "unknown"
        if group not in g:
            country = group[:2] if group != "unknown" else ""
            g.add_node(group, label=group, country=country, organisations=0)
        g.nodes[group]["organisations"] += 1
    for a, c, data in orgs.edges(data=True):
        ga, gc = (
            orgs.nodes[a].get(attribute) or "unknown",
            orgs.nodes[c].get(attribute) or "unknown",
        )
        if ga == gc:
            continue
        if not g.has_edge(ga, gc):
            g.add_edge(ga, gc, weight=0)
        g[ga][gc]["weight"] += data["weight"]
    return g


def region_graph(orgs: nx.Graph) -> nx.Graph:
    """NUTS regions linked when their organisations cooperate."""
    return _aggregate(orgs, "region")


def country_graph(orgs: nx.Graph) -> nx.Graph:
    """Countries linked when their organisations cooperate."""
    return _aggregate(orgs, "country")


def people_graph(store: ox.Store) -> nx.Graph:
    """People linked to the organisations they hold posts in or speak for."""
    g = nx.Graph()
    for row in _rows(store, POSTS):
        g.add_node(row["person"], bipartite="person", label=row["personName"])
        g.add_node(row["organisation"], bipartite="organisation", label=row["name"])
        roles = g.get_edge_data(row["person"], row["organisation"], {}).get("role", "")
        role = ", ".join(sorted({*filter(None, roles.split(", ")), row["role"]}))
        g.add_edge(row["person"], row["organisation"], role=role)
    return g


def ego(graph: nx.Graph, node: str, depth: int = 1) -> nx.Graph:
    """The nodes within ``depth`` steps of ``node``, with the edges among them."""
    if node not in graph:
        raise KeyError(f"{node} is not in this network")
    return nx.ego_graph(graph, node, radius=depth)


@dataclass(frozen=True)
class Metrics:
    """Network measures per node, and for the whole graph."""

    nodes: dict[str, dict[str, float | int | str]]
    graph: dict[str, float | int | str]


EXACT_BETWEENNESS_UP_TO = 2_000


def betweenness(g: nx.Graph, *, k: int | None = None, seed: int = 1) -> dict[str, float]:
    """Normalised betweenness as networkx defines it, computed by igraph (in C).

    Exact when ``k`` is None; otherwise estimated from ``k`` source nodes drawn with ``seed``
    and scaled as networkx 3.6's ``betweenness_centrality(k=…)`` scales them (a source cannot
    lie on its own paths, so sources are divided by k-1, the others by k). networkx's own Python
    loop took a minute on the 5,700-organisation network of a 10^6-triple graph; this takes 2 s.
    """
    nodes = sorted(g)
    n = len(nodes)
    if n < 3:
        return dict.fromkeys(nodes, 0.0)
    index = {v: i for i, v in enumerate(nodes)}
    h = ig.Graph(n=n, edges=[(index[a], index[b]) for a, b in g.edges() if a != b])
    if k is None or k >= n:
        raw = h.betweenness(directed=False)  # each unordered pair once
        return {v: 2 * raw[i] / ((n - 1) * (n - 2)) for i, v in enumerate(nodes)}
    sampled = set(random.Random(seed).sample(nodes, k))
    raw = h.betweenness(directed=False, sources=[index[v] for v in sampled])
    source_scale = 2 / ((k - 1) * (n - 2)) if k > 1 else 0.0
    other_scale = 2 / (k * (n - 2))
    return {
        v: raw[i] * (source_scale if v in sampled else other_scale) for i, v in enumerate(nodes)
    }


def metrics(g: nx.Graph, *, seed: int = 1, centrality: bool = True) -> Metrics:
    """Degree, weighted degree, betweenness, PageRank, communities, components, brokers.

    ``centrality=False`` skips betweenness and PageRank (the slow ones; pages do not show them).
    """
    sampled = g.number_of_nodes() > EXACT_BETWEENNESS_UP_TO
    k = min(500, g.number_of_nodes()) if sampled else None
    between: dict[str, float] = {}
    rank: dict[str, float] = {}
    if centrality and g.number_of_edges():
        between = betweenness(g, k=k, seed=seed)
        rank = nx.pagerank(g, weight="weight")
    communities = (
        nx.community.louvain_communities(g, weight="weight", seed=seed)
        if g.number_of_edges()
        else []
    )
    community_of = {}
    for i, members in enumerate(sorted(communities, key=lambda c: (-len(c), sorted(c)))):
        for m in members:
            community_of[m] = i
    for n in g:
        community_of.setdefault(n, -1)
    components = sorted(nx.connected_components(g), key=lambda c: (-len(c), sorted(c)))
    component_of = {n: i for i, comp in enumerate(components) for n in comp}
    nodes: dict[str, dict[str, float | int | str]] = {}
    for n in sorted(g):
        reached = {community_of[m] for m in g[n]} - {community_of[n]}
        nodes[n] = {
            "label": str(g.nodes[n].get("label", n)),
            "degree": g.degree(n),
            "weighted_degree": g.degree(n, weight="weight"),
            "betweenness": round(between.get(n, 0.0), 6),
            "pagerank": round(rank.get(n, 0.0), 6),
            "community": community_of[n],
            "component": component_of[n],
            "communities_bridged": len(reached),
            "broker": int(bool(reached)),
        }
    countries = nx.get_node_attributes(g, "country")
    with_countries = [(a, c) for a, c in g.edges if countries.get(a) and countries.get(c)]
    cross = sum(1 for a, c in with_countries if countries[a] != countries[c])
    summary: dict[str, float | int | str] = {
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "components": len(components),
        "largest_component": len(components[0]) if components else 0,
        "communities": len(communities),
        "density": round(nx.density(g), 6) if g.number_of_nodes() > 1 else 0.0,
        "cross_border_share": round(cross / len(with_countries), 6) if with_countries else 0.0,
        "betweenness": (
            "not computed"
            if not centrality
            else f"sampled ({k} sources, seed {seed})"
            if sampled
            else "exact"
        ),
    }
    return Metrics(nodes, summary)


def _csv(header: list[str], rows: Iterable[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def export_files(g: nx.Graph, out_dir: Path, stem: str, *, gephi: bool = True) -> list[Path]:
    """Write ``stem``-nodes.csv, -edges.csv and (``gephi``) .gexf, .graphml; deterministic, atomic.

    networkx's GEXF and GraphML writers take ~10 s per 100,000 ties; ``gephi=False`` skips them.
    """
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(g.nodes(data=True)))
    ordered.add_edges_from(sorted((min(a, c), max(a, c), d) for a, c, d in g.edges(data=True)))
    node_keys = sorted({k for _, d in ordered.nodes(data=True) for k in d})
    edge_keys = sorted({k for _, _, d in ordered.edges(data=True) for k in d})
    files: dict[Path, bytes] = {}
    if gephi:
        gexf = "\n".join(nx.generate_gexf(ordered))
        gexf = re.sub(r' lastmodifieddate="[^"]*"', "", gexf)  # networkx stamps today's date
        files[out_dir / f"{stem}.gexf"] = (gexf + "\n").encode("utf-8")
        graphml = "\n".join(nx.generate_graphml(ordered))
        files[out_dir / f"{stem}.graphml"] = (graphml + "\n").encode("utf-8")
    files |= {
        out_dir / f"{stem}-nodes.csv": _csv(
            ["id", *node_keys],
            ([n, *(d.get(k, "") for k in node_keys)] for n, d in ordered.nodes(data=True)),
        ),
        out_dir / f"{stem}-edges.csv": _csv(
            ["source", "target", *edge_keys],
            ([a, c, *(d.get(k, "") for k in edge_keys)] for a, c, d in ordered.edges(data=True)),
        ),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    return write_atomically(files)
