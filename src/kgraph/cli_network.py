"""``kgraph network``: network measures, exports and pages (kgraph.network, kgraph.visualise)."""

from __future__ import annotations

import csv
import io
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import networkx as nx
import typer
from rich.table import Table

from kgraph.clikit import (
    DataOpt,
    GraphOpt,
    OutOpt,
    err,
    local_store,
    out,
)
from kgraph.errors import display_path
from kgraph.network import (
    Filters,
    bipartite,
    country_graph,
    export_files,
    metrics,
    organisation_graph,
    people_graph,
    region_graph,
)
from kgraph.paths import ProjectPaths, default_paths
from kgraph.query import Param, ParamType, QueryError, to_term
from kgraph.visualise import write_page

network_app = typer.Typer(
    help="Who works with whom: network measures and exports.", no_args_is_help=True
)


class View(StrEnum):
    """Which network to look at."""

    ORGANISATIONS = "organisations"
    REGIONS = "regions"
    COUNTRIES = "countries"
    PEOPLE = "people"


ViewOpt = Annotated[
    View, typer.Option("--view", help="organisations, regions, countries or people.")
]
EventsOpt = Annotated[
    bool, typer.Option("--events", help="Count shared events as ties too, not only projects.")
]
ProgrammeOpt = Annotated[
    str | None,
    typer.Option("--programme", help="Only projects of this programme (IRI or programme:x)."),
]
FromOpt = Annotated[
    str | None, typer.Option("--from", help="Only projects running after this date.")
]
ToOpt = Annotated[str | None, typer.Option("--to", help="Only projects running before this date.")]
RegionOpt = Annotated[
    str | None, typer.Option("--region", help="Only organisations in this NUTS region (and below).")
]


def _network(
    paths: ProjectPaths,
    view: View,
    events: bool,
    programme: str | None,
    start: str | None,
    end: str | None,
    region: str | None,
    graph_file: Path | None = None,
) -> nx.Graph:
    """Build the chosen view from data/, with the filters; exit 2 on a bad filter value."""
    try:
        iri = (
            str(to_term(Param("programme", ParamType.IRI, None, ""), programme))
            if programme
            else None
        )
        day = Param("date", ParamType.DATE, None, "")
        filters = Filters(
            programme=iri,
            start=date.fromisoformat(str(to_term(day, start))) if start else None,
            end=date.fromisoformat(str(to_term(day, end))) if end else None,
            region=str(to_term(Param("region", ParamType.NUTS, None, ""), region))
            if region
            else None,
        )
    except QueryError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(code=2) from None
    store = local_store(paths, graph_file)
    if view is View.PEOPLE:
        return people_graph(store)
    orgs = organisation_graph(bipartite(store, filters, events=events))
    return {View.REGIONS: region_graph, View.COUNTRIES: country_graph}.get(view, lambda g: g)(orgs)


@network_app.command("stats")
def network_stats_cmd(
    view: ViewOpt = View.ORGANISATIONS,
    events: EventsOpt = False,
    programme: ProgrammeOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    region: RegionOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table or csv.")] = "table",
    top: Annotated[int, typer.Option("--top", help="Show the N highest weighted degrees.")] = 25,
    data: DataOpt = None,
    graph_file: GraphOpt = None,
) -> None:
    """Network measures: degree, weighted degree, betweenness, PageRank, communities, brokers."""
    paths = default_paths(data=data)
    with err.status("Building the network …"):
        graph = _network(paths, view, events, programme, start, end, region, graph_file)
        measured = metrics(graph)
    ranked = sorted(
        measured.nodes.items(), key=lambda kv: (-float(kv[1]["weighted_degree"]), kv[0])
    )
    columns = ["label", "degree", "weighted_degree", "betweenness", "pagerank", "community",
               "component", "communities_bridged", "broker"]  # fmt: skip
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["id", *columns])
        writer.writerows([node, *(values[c] for c in columns)] for node, values in ranked)
        typer.echo(buffer.getvalue(), nl=False)
        return
    summary = ", ".join(f"{k} {v}" for k, v in measured.graph.items())
    shown = ["label", "degree", "weighted_degree", "betweenness", "pagerank", "community", "broker"]
    table = Table(title=f"{view.value}: {summary}")
    for c in shown:
        table.add_column(c.replace("_", " "), overflow="fold")
    for _, values in ranked[:top]:
        table.add_row(*(str(values[c]) for c in shown))
    out.print(table)
    err.print(f"{len(ranked)} node(s); --format csv gives every column for every node")


@network_app.command("export")
def network_export_cmd(
    view: ViewOpt = View.ORGANISATIONS,
    events: EventsOpt = False,
    programme: ProgrammeOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    region: RegionOpt = None,
    out_dir: OutOpt = None,
    data: DataOpt = None,
    graph_file: GraphOpt = None,
) -> None:
    """Write the network as GEXF and GraphML (Gephi, Cytoscape) and as CSV node and edge lists."""
    paths = default_paths(data=data, dist=out_dir)
    with err.status("Building the network …"):
        graph = _network(paths, view, events, programme, start, end, region, graph_file)
    measured = metrics(graph)
    for node, values in measured.nodes.items():
        graph.nodes[node].update({k: v for k, v in values.items() if k != "label"})
    written = export_files(graph, paths.dist, f"network-{view.value}")
    for path in written:
        out.print(f"wrote [bold]{display_path(path)}[/bold]", highlight=False)


@network_app.command("draw")
def network_draw_cmd(
    view: ViewOpt = View.ORGANISATIONS,
    events: EventsOpt = True,
    programme: ProgrammeOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    region: RegionOpt = None,
    out_dir: OutOpt = None,
    data: DataOpt = None,
    graph_file: GraphOpt = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the page to this file.")
    ] = None,
) -> None:
    """Draw the network as a self-contained HTML page that works offline (network-VIEW.html)."""
    paths = default_paths(data=data, dist=out_dir)
    with err.status("Building the network and its page …"):
        graph = _network(paths, view, events, programme, start, end, region, graph_file)
        title = f"kgraph: {view.value} that work together" + (
            " (projects and events)" if events else ""
        )
        target = output or paths.dist / f"network-{view.value}.html"
        written = write_page(graph, target, title=title)
    out.print(
        f"wrote [bold]{display_path(written)}[/bold] ({graph.number_of_nodes()} nodes, "
        f"{graph.number_of_edges()} ties); open it in a browser, no internet needed",
        highlight=False,
    )
