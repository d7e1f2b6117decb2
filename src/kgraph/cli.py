"""The ``kgraph`` command: each subcommand calls one library function and says where output went."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import networkx as nx
import pyoxigraph as ox
import typer
import uvicorn
from rdflib import Graph
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kgraph import __version__
from kgraph.build import Built, build_located
from kgraph.docs import write_docs
from kgraph.endpoint import publish, run_remote
from kgraph.errors import DataErrors, display_path
from kgraph.export import write_atomically
from kgraph.importers import ImportResult, check_and_write, report_text
from kgraph.importers.cordis import import_cordis
from kgraph.importers.interreg import import_interreg
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
from kgraph.nuts import NutsList
from kgraph.ontology import Ontology, load_ontology
from kgraph.paths import ProjectPaths, default_paths
from kgraph.pipeline import InvalidGraph, build, build_and_write, check
from kgraph.query import Param, ParamType, QueryError, bind, load_catalogue, run_local, to_term
from kgraph.reconcile import Reconciler
from kgraph.results import ResultFormat, render, to_table
from kgraph.run import STAGES, StageTime, run_pipeline
from kgraph.serve import ServeConfig, create_app, load_site
from kgraph.store import to_store
from kgraph.summary import summarize
from kgraph.synth import QUERY_PARAMS, check_shape, synthesize
from kgraph.validate import Progress as ValidationProgress
from kgraph.validate import Report, Severity, load_shapes, validate
from kgraph.visualise import write_page

__all__ = ["app", "main"]

app = typer.Typer(
    name="kgraph",
    help="kgraph: a knowledge graph of regional cooperation. Build, check and explore it.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True, soft_wrap=True)

DataOpt = Annotated[
    Path | None, typer.Option("--data", help="Folder of curated YAML (default: data/).")
]
OntologyOpt = Annotated[
    Path | None, typer.Option("--ontology", help="Folder with kgraph.ttl (default: ontology/).")
]
OutOpt = Annotated[
    Path | None, typer.Option("--out", help="Folder for the exports (default: dist/).")
]
ShapesOpt = Annotated[
    Path | None, typer.Option("--shapes", help="Folder of SHACL shapes (default: shapes/).")
]


class ReportFormat(StrEnum):
    """How ``kgraph validate`` writes its report."""

    TEXT = "text"
    JSON = "json"
    TURTLE = "turtle"


_SEVERITY_STYLE = {Severity.VIOLATION: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _print_report(report: Report, *, worst: Severity = Severity.INFO) -> None:
    """Print the findings at least as serious as ``worst``, grouped by file, to stderr."""
    current = None
    for f in report.findings:
        if f.severity.rank > worst.rank:
            continue
        group = f.file or "(not from data/)"
        if group != current:
            err.print(f"[bold]{group}[/bold]", highlight=False)
            current = group
        style = _SEVERITY_STYLE[f.severity]
        path = f" {f.path}" if f.path else ""
        value = f" = {f.value}" if f.value else ""
        err.print(
            f"  {f.where()}: [{style}]{f.severity.lower()}[/{style}]: {f.subject()}:{path}{value}",
            highlight=False,
            markup=True,
            soft_wrap=True,
        )
        err.print(f"      {f.message} [dim]\\[{f.constraint}][/dim]", highlight=False)


def _fail_on_data_errors(exc: DataErrors, *, dist: Path | None = None) -> typer.Exit:
    for e in exc.errors:
        err.print(f"[red]error[/red] {e}", highlight=False, soft_wrap=True)
    tail = f"; nothing in {display_path(dist)}/ was changed" if dist else ""
    err.print(f"[bold red]{len(exc.errors)} problem(s) in the curated data{tail}.[/bold red]")
    return typer.Exit(code=1)


@app.command("build")
def build_cmd(
    data: DataOpt = None,
    ontology: OntologyOpt = None,
    out_dir: OutOpt = None,
    shapes: ShapesOpt = None,
    allow_invalid: Annotated[
        bool,
        typer.Option("--allow-invalid", help="Write the exports even if SHACL finds violations."),
    ] = False,
) -> None:
    """Build the graph from data/, validate it, and write dist/kgraph.ttl, .nt and .jsonld."""
    paths = default_paths(data=data, ontology=ontology, dist=out_dir, shapes=shapes)
    try:
        with err.status("Building and validating the knowledge graph from data/ …"):
            result = build_and_write(paths, allow_invalid=allow_invalid)
    except DataErrors as exc:
        raise _fail_on_data_errors(exc, dist=paths.dist) from None
    except InvalidGraph as exc:
        _print_report(exc.report, worst=Severity.VIOLATION)
        err.print(
            f"[bold red]The graph does not conform to the shapes ({exc.report.summary()}); "
            f"nothing in {display_path(paths.dist)}/ was changed.[/bold red] Fix data/, or "
            "publish anyway with --allow-invalid.",
            highlight=False,
        )
        raise typer.Exit(code=1) from None
    table = Table(title=f"kgraph {__version__}: built graph", show_header=False)
    for label, count in result.summary.rows():
        table.add_row(label, f"{count:,}")
    out.print(table)
    if result.report is not None:
        verdict = "conforms" if result.report.conforms else "[red]does NOT conform[/red]"
        out.print(
            f"SHACL validation: {verdict} ({result.report.summary()}); "
            "`kgraph validate` lists them.",
            highlight=False,
        )
    for path in result.written.values():
        out.print(f"wrote [bold]{display_path(path)}[/bold]", highlight=False)


def _run_all(
    make: Callable[[], Built],
    paths: ProjectPaths,
    *,
    stem: str,
    params: dict[str, str] | None = None,
    allow_invalid: bool = False,
) -> None:
    """Run every stage with progress bars, then show how long each took and what was written."""
    table = Table(title=f"kgraph {__version__}: pipeline into {display_path(paths.dist)}/")
    for column in ("stage", "seconds", "triples/s", "peak MB", "result"):
        table.add_column(column, justify="left" if column in ("stage", "result") else "right")
    with _bar() as bar:
        stages = bar.add_task("stages", total=len(STAGES))
        steps = bar.add_task("", total=None)

        def say(step: str, done: int, total: int) -> None:
            bar.update(steps, description=step, completed=done, total=total)

        def finished(timed: StageTime) -> None:
            table.add_row(timed.stage, f"{timed.seconds:.2f}", f"{timed.rate:,.0f}",
                          f"{timed.peak_rss_mb:,.0f}", timed.detail)  # fmt: skip
            bar.advance(stages)
            err.print(f"{timed.stage}: {timed.seconds:.1f} s", highlight=False)

        try:
            result = run_pipeline(
                make, paths.dist, shapes_dir=paths.shapes, queries_dir=paths.queries, stem=stem,
                params=params, allow_invalid=allow_invalid, progress=say, on_stage=finished,
            )  # fmt: skip
        except DataErrors as exc:
            raise _fail_on_data_errors(exc, dist=paths.dist) from None
        except InvalidGraph as exc:
            _print_report(exc.report, worst=Severity.VIOLATION)
            err.print(
                f"[bold red]The graph does not conform to the shapes ({exc.report.summary()}); "
                f"nothing in {display_path(paths.dist)}/ was written.[/bold red]",
                highlight=False,
            )
            raise typer.Exit(code=1) from None
    out.print(table)
    total = sum(t.seconds for t in result.stages)
    out.print(f"{len(result.stages)} stages in {total:.1f} s; wrote {len(result.written)} files:")
    folders: dict[Path, list[str]] = {}
    for path in result.written:
        folders.setdefault(path.parent, []).append(path.name)
    for folder, names in sorted(folders.items()):
        shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        out.print(f"  [bold]{display_path(folder)}/[/bold]: {shown}", highlight=False)


@app.command("run")
def run_cmd(
    data: DataOpt = None,
    ontology: OntologyOpt = None,
    out_dir: OutOpt = None,
    shapes: ShapesOpt = None,
    allow_invalid: Annotated[
        bool, typer.Option("--allow-invalid", help="Write the outputs even with violations.")
    ] = False,
) -> None:
    """The whole pipeline on data/: build, validate, export, every named query, network stats."""
    paths = default_paths(data=data, ontology=ontology, dist=out_dir, shapes=shapes)
    _run_all(lambda: build(paths)[2], paths, stem="kgraph", allow_invalid=allow_invalid)


@app.command("synth")
def synth_cmd(
    projects: Annotated[
        int, typer.Option("--projects", min=1, help="How many projects (5,000 ≈ 10^6 triples).")
    ],
    regions: Annotated[int, typer.Option("--regions", help="NUTS regions, levels 0-3.")] = 300,
    programmes: Annotated[int, typer.Option("--programmes", min=1)] = 50,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same graph.")] = 1,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Folder for the outputs (default: dist/synth/).")
    ] = None,
    ontology: OntologyOpt = None,
) -> None:
    """Generate a synthetic cooperation graph that conforms to the shapes and run the pipeline.

    Partner counts per project follow a power law and active organisations join more projects;
    there are budgets, dates, people with posts, events and a cited source for every fact.
    """
    paths = default_paths(ontology=ontology)
    paths = default_paths(ontology=ontology, dist=out_dir or paths.dist / "synth")
    try:
        check_shape(regions=regions, programmes=programmes)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    onto = load_ontology(paths.ontology_file, paths.vocabularies_file)

    def make() -> Built:
        data = synthesize(projects=projects, regions=regions, programmes=programmes, seed=seed)
        return build_located(data, onto, version=__version__)

    _run_all(make, paths, stem="synth", params=QUERY_PARAMS)


@app.command("serve")
def serve_cmd(
    data: DataOpt = None,
    ontology: OntologyOpt = None,
    graph_files: Annotated[
        list[Path] | None,
        typer.Option("--graph", help="Serve this RDF file too (e.g. an import); repeatable."),
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8000,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds a query may run.")] = 10.0,
    max_rows: Annotated[int, typer.Option("--max-rows", help="Rows an answer may have.")] = 10_000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Query processes.")] = 2,
    memory: Annotated[
        int, typer.Option("--worker-memory", min=0, help="MB per query process (0: no cap).")
    ] = 4096,
) -> None:
    """Serve the graph: SPARQL endpoint, query page, entity pages, dumps and network pages."""
    paths = default_paths(data=data, ontology=ontology)
    try:
        with err.status("Building the graph from data/ …"):
            triples = set(build(paths)[2].triples)
            for file in graph_files or []:
                triples |= set(_read_graph(file))
    except DataErrors as exc:
        raise _fail_on_data_errors(exc) from None
    config = ServeConfig(timeout=timeout, max_rows=max_rows, workers=workers,
                         memory=memory * 1024**2)  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="kgraph-serve-") as tmp:
        with err.status(f"Preparing {len(triples):,} triples, dumps and network pages …"):
            site = load_site(triples, paths, Path(tmp))
        out.print(
            f"serving [bold]http://{host}:{port}/[/bold]: SPARQL at /sparql, query page at "
            "/query, things at /id/…, dumps at /dist/; Ctrl-C stops",
            highlight=False,
        )
        uvicorn.run(create_app(site, config), host=host, port=port, log_level="warning")


@app.command("docs")
def docs_cmd(
    ontology: OntologyOpt = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Folder for the pages (default: docs/).")
    ] = None,
) -> None:
    """Write the ontology's documentation (docs/ontology.html) and class diagram (classes.svg)."""
    paths = default_paths(ontology=ontology)
    onto = load_ontology(paths.ontology_file, paths.vocabularies_file)
    for path in write_docs(onto, out_dir or paths.root / "docs"):
        out.print(f"wrote [bold]{display_path(path)}[/bold]", highlight=False)


@app.command("validate")
def validate_cmd(
    data: DataOpt = None,
    ontology: OntologyOpt = None,
    shapes: ShapesOpt = None,
    graph_file: Annotated[
        Path | None,
        typer.Option(
            "--graph",
            help="Validate this RDF file (Turtle, N-Triples, JSON-LD) instead of building data/.",
        ),
    ] = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help="text for people; json or turtle for tools.")
    ] = ReportFormat.TEXT,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file.")
    ] = None,
) -> None:
    """Check the graph against the SHACL shapes; exit 1 if there are violations."""
    paths = default_paths(data=data, ontology=ontology, shapes=shapes)
    try:
        with _progress() as (bar, say):
            if graph_file is not None:
                task = bar.add_task(f"Reading {display_path(graph_file)} …", total=None)
                graph = _read_graph(graph_file)
                bar.remove_task(task)
                report = validate(graph, load_shapes(paths.shapes), progress=say)
            else:
                _, report = check(paths, progress=say)
    except DataErrors as exc:
        raise _fail_on_data_errors(exc) from None
    text = {
        ReportFormat.TEXT: report.render_text,
        ReportFormat.JSON: report.to_json,
        ReportFormat.TURTLE: report.to_turtle,
    }[fmt]()
    if output is not None:
        write_atomically({output: text.encode("utf-8")})
        err.print(
            f"wrote [bold]{display_path(output)}[/bold] ({report.summary()})", highlight=False
        )
    elif fmt is ReportFormat.TEXT and err.is_terminal:
        _print_report(report)
        err.print(("conforms: " if report.conforms else "does not conform: ") + report.summary())
    else:
        typer.echo(text, nl=False)
    if not report.conforms:
        raise typer.Exit(code=1)


def _bar() -> Progress:
    """The progress display on stderr: step, bar, done/total, time; gone when finished."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


@contextmanager
def _progress() -> Iterator[tuple[Progress, ValidationProgress]]:
    """A progress bar on stderr, and the callback that moves it."""
    with _bar() as bar:
        task = bar.add_task("Validating …", total=None)

        def say(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total)

        yield bar, say


def _read_graph(path: Path) -> Graph:
    """Parse an RDF file, guessing its syntax from the extension."""
    if not path.is_file():
        err.print(f"[red]error[/red] {display_path(path)}: no such file", highlight=False)
        raise typer.Exit(code=2)
    fmt = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld"}.get(
        path.suffix.lower(), "turtle"
    )
    return Graph().parse(path, format=fmt)


ParamOpt = Annotated[
    list[str] | None,
    typer.Option("--param", "-p", help="A parameter as key=value; repeat for several."),
]


def _parse_params(items: list[str] | None) -> dict[str, str]:
    """``["key=value", …]`` as a dict; exit with a clear message on a malformed item."""
    params: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            err.print(f"[red]error[/red] --param {item!r}: write it as key=value", highlight=False)
            raise typer.Exit(code=2)
        params[key.strip()] = value
    return params


def _local_store(paths: ProjectPaths, graph_file: Path | None) -> ox.Store:
    """The embedded store: ``graph_file`` loaded into pyoxigraph, or data/ built in memory."""
    if graph_file is not None:
        if not graph_file.is_file():
            err.print(f"[red]error[/red] {display_path(graph_file)}: no such file", highlight=False)
            raise typer.Exit(code=2)
        store = ox.Store()
        store.bulk_load(
            path=str(graph_file), format=ox.RdfFormat.from_extension(graph_file.suffix[1:])
        )
        return store
    try:
        _, _, built = build(paths)
    except DataErrors as exc:
        raise _fail_on_data_errors(exc) from None
    return to_store(built.graph)


@app.command("query")
def query_cmd(
    name: Annotated[str | None, typer.Argument(help="A query of queries/ (see --list).")] = None,
    params: ParamOpt = None,
    list_all: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
    query_file: Annotated[
        Path | None, typer.Option("--file", help="Run the SPARQL query in this file instead.")
    ] = None,
    fmt: Annotated[
        ResultFormat | None,
        typer.Option("--format", help="table (terminal default), csv, tsv, json, markdown."),
    ] = None,
    endpoint: Annotated[
        str | None, typer.Option("--endpoint", help="Run on this SPARQL 1.1 endpoint instead.")
    ] = None,
    graph_file: Annotated[
        Path | None, typer.Option("--graph", help="Query this RDF file instead of data/.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the results to this file.")
    ] = None,
    data: DataOpt = None,
) -> None:
    """Run a named SPARQL query (or --file), locally or on --endpoint; print or save results."""
    paths = default_paths(data=data)
    try:
        catalogue = load_catalogue(paths.queries)
        if list_all:
            table = Table(title=f"Named queries in {display_path(paths.queries)}/")
            table.add_column("name", no_wrap=True)
            for column in ("title", "parameters"):
                table.add_column(column, overflow="fold")
            for q in catalogue.values():
                described = ", ".join(
                    f"{p.name} ({p.type}" + (f", default {p.default})" if p.default else ")")
                    for p in q.params
                )
                table.add_row(q.name, q.title, described)
            out.print(table)
            return
        given = _parse_params(params)
        if query_file is not None:
            if not query_file.is_file():
                raise QueryError(f"{display_path(query_file)}: no such file")
            text = bind(query_file.read_text(encoding="utf-8"), given)
            title = display_path(query_file)
        elif name is not None:
            if name not in catalogue:
                known = ", ".join(catalogue)
                raise QueryError(f"no query named {name!r}; known: {known}")
            text, title = bind(catalogue[name], given), catalogue[name].title
        else:
            raise QueryError("name a query (kgraph query --list shows them) or give --file")
        with err.status("Running the query …"):
            if endpoint is not None:
                results = run_remote(endpoint, text)
            else:
                results = run_local(_local_store(paths, graph_file), text)
    except QueryError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(code=2) from None
    chosen = fmt or (ResultFormat.TABLE if out.is_terminal and output is None else ResultFormat.TSV)
    if chosen is ResultFormat.TABLE and results.graph is None and results.boolean is None:
        out.print(to_table(results, title))
        err.print(f"{len(results.rows)} row(s)")
        return
    text_out = render(results, ResultFormat.MARKDOWN if chosen is ResultFormat.TABLE else chosen)
    if output is not None:
        write_atomically({output: text_out.encode("utf-8")})
        size = (
            f"{len(results.rows)} row(s)"
            if results.graph is None
            else f"{len(results.graph)} triple(s)"
        )
        err.print(f"wrote [bold]{display_path(output)}[/bold] ({size})", highlight=False)
    else:
        typer.echo(text_out, nl=False)


@app.command("publish")
def publish_cmd(
    endpoint: Annotated[
        str,
        typer.Option(
            "--endpoint",
            help="Graph Store URL (SPARQL 1.1 Graph Store protocol), e.g. http://127.0.0.1:7878/store",
        ),
    ],
    graph_iri: Annotated[
        str | None,
        typer.Option("--graph-iri", help="Replace this named graph (default graph if absent)."),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Build the graph from data/ and upload it to a SPARQL store, replacing what was there."""
    paths = default_paths(data=data)
    try:
        with err.status("Building the graph …"):
            _, _, built = build(paths)
        with err.status(f"Uploading {len(built.graph):,} triples to {endpoint} …"):
            url = publish(built.graph, endpoint, graph_iri=graph_iri)
    except DataErrors as exc:
        raise _fail_on_data_errors(exc) from None
    except QueryError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(code=1) from None
    out.print(f"published {len(built.graph):,} triples to [bold]{url}[/bold]", highlight=False)


network_app = typer.Typer(
    help="Who works with whom: network measures and exports.", no_args_is_help=True
)
app.add_typer(network_app, name="network")


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
GraphOpt = Annotated[
    Path | None,
    typer.Option("--graph", help="Use this RDF file (e.g. an import) instead of data/."),
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
    store = _local_store(paths, graph_file)
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


import_app = typer.Typer(
    help="Import real cooperation data into a graph of its own (dist/imports/NAME.ttl).",
    no_args_is_help=True,
)
app.add_typer(import_app, name="import")

NutsOpt = Annotated[
    Path | None,
    typer.Option(
        "--nuts",
        help="NUTS reference list, CSV of code;name (Eurostat NUTS2021.csv); default: the "
        "regions of data/ and kgraph's country table.",
    ),
]
ImportOutOpt = Annotated[
    Path | None, typer.Option("--out", help="Folder for the import's files (dist/imports/).")
]
AllowOpt = Annotated[
    bool, typer.Option("--allow-invalid", help="Write the import even if SHACL finds violations.")
]


def _run_import(
    paths: ProjectPaths,
    out_dir: Path | None,
    nuts_file: Path | None,
    allow_invalid: bool,
    run: Callable[[Ontology, NutsList, Reconciler], ImportResult],
) -> None:
    """Load data/, run one importer, validate it with data/, write its files and say where."""
    target = out_dir or paths.dist / "imports"
    try:
        with _progress() as (bar, say):
            task = bar.add_task("Reading data/ and the reference lists …", total=None)
            curated, onto, built = build(paths)
            nuts = NutsList.from_csv(nuts_file) if nuts_file else NutsList()
            nuts.with_curated(curated.of("regions").values())
            reconciler = Reconciler(curated.of("organisations").values())
            bar.update(task, description="Importing and reconciling …")
            result = run(onto, nuts, reconciler)
            bar.remove_task(task)
            shapes = load_shapes(paths.shapes)
            report, written = check_and_write(
                result, built.graph, built.origins, shapes, target,
                allow_invalid=allow_invalid, progress=say,
            )  # fmt: skip
    except DataErrors as exc:
        for e in exc.errors:
            err.print(f"[red]error[/red] {e}", highlight=False, soft_wrap=True)
        err.print(f"[bold red]{len(exc.errors)} problem(s); nothing was written.[/bold red]")
        raise typer.Exit(code=1) from None
    except InvalidGraph as exc:
        _print_report(exc.report, worst=Severity.VIOLATION)
        err.print(f"[bold red]The import does not conform ({exc.report.summary()}); nothing "
                  "was written.[/bold red] Use --allow-invalid to write it anyway.")  # fmt: skip
        raise typer.Exit(code=1) from None
    out.print(report_text(result), highlight=False, end="")
    out.print(f"SHACL validation with data/: {report.summary()}", highlight=False)
    for path in written:
        out.print(f"wrote [bold]{display_path(path)}[/bold]", highlight=False)


@import_app.command("interreg-partners")
def import_interreg_cmd(
    file: Annotated[Path, typer.Argument(help="The partner list (JSON array of records).")],
    nuts: NutsOpt = None,
    period: Annotated[
        str, typer.Option("--period", help="Programming period of the list's programmes.")
    ] = "2021-2027",
    name: Annotated[str, typer.Option("--name", help="Name of the import's graph.")] = (
        "interreg-partners"
    ),
    out_dir: ImportOutOpt = None,
    allow_invalid: AllowOpt = False,
    data: DataOpt = None,
) -> None:
    """Import a partner-level Interreg list (programme, project, organisation, role, region)."""
    _run_import(
        default_paths(data=data),
        out_dir,
        nuts,
        allow_invalid,
        lambda onto, regions, rec: import_interreg(
            file, onto, nuts=regions, reconciler=rec, period=period, name=name
        ),
    )


@import_app.command("cordis")
def import_cordis_cmd(
    projects: Annotated[Path, typer.Argument(help="CORDIS project.csv.")],
    organisations: Annotated[Path, typer.Argument(help="CORDIS organization.csv.")],
    nuts: NutsOpt = None,
    name: Annotated[str, typer.Option("--name", help="Name of the import's graph.")] = "cordis",
    out_dir: ImportOutOpt = None,
    allow_invalid: AllowOpt = False,
    data: DataOpt = None,
) -> None:
    """Import CORDIS projects and their participants (joined on the project id)."""
    _run_import(
        default_paths(data=data),
        out_dir,
        nuts,
        allow_invalid,
        lambda onto, regions, rec: import_cordis(
            projects, organisations, onto, nuts=regions, reconciler=rec, name=name
        ),
    )


@app.command("stats")
def stats_cmd(data: DataOpt = None, ontology: OntologyOpt = None) -> None:
    """Build the graph in memory (writing nothing) and print what it holds, as TSV."""
    paths = default_paths(data=data, ontology=ontology)
    try:
        _, onto, built = build(paths)
    except DataErrors as exc:
        raise _fail_on_data_errors(exc) from None
    for label, count in summarize(built.graph, onto).rows():
        typer.echo(f"{label}\t{count}")


@app.command("version")
def version_cmd() -> None:
    """Print the kgraph version."""
    out.print(__version__)


def main() -> None:
    """Run the command-line interface."""
    app()
