"""The ``kgraph`` command: each subcommand calls one library function and says where output went."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.table import Table

from kgraph import __version__
from kgraph.build import Built, build_located
from kgraph.cli_import import import_app
from kgraph.cli_network import network_app
from kgraph.clikit import (
    DataOpt,
    OntologyOpt,
    OutOpt,
    ParamOpt,
    ShapesOpt,
    err,
    fail_on_data_errors,
    local_store,
    out,
    parse_params,
    print_report,
    progress,
    progress_bar,
    read_graph,
)
from kgraph.docs import write_docs
from kgraph.endpoint import publish, run_remote
from kgraph.errors import DataErrors, display_path
from kgraph.export import write_atomically
from kgraph.ontology import load_ontology
from kgraph.paths import ProjectPaths, default_paths
from kgraph.pipeline import InvalidGraph, build, build_and_write, check
from kgraph.query import QueryError, bind, load_catalogue, run_local
from kgraph.results import ResultFormat, render, to_table
from kgraph.run import STAGES, StageTime, run_pipeline
from kgraph.serve import ServeConfig, create_app, load_site
from kgraph.summary import summarize
from kgraph.synth import QUERY_PARAMS, check_shape, synthesize
from kgraph.validate import Severity, load_shapes, validate

__all__ = ["app", "main"]


app = typer.Typer(
    name="kgraph",
    help="kgraph: a knowledge graph of regional cooperation. Build, check and explore it.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(network_app, name="network")
app.add_typer(import_app, name="import")


class ReportFormat(StrEnum):
    """How ``kgraph validate`` writes its report."""

    TEXT = "text"
    JSON = "json"
    TURTLE = "turtle"


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
        raise fail_on_data_errors(exc, dist=paths.dist) from None
    except InvalidGraph as exc:
        print_report(exc.report, worst=Severity.VIOLATION)
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
    with progress_bar() as bar:
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
            raise fail_on_data_errors(exc, dist=paths.dist) from None
        except InvalidGraph as exc:
            print_report(exc.report, worst=Severity.VIOLATION)
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
                triples |= set(read_graph(file))
    except DataErrors as exc:
        raise fail_on_data_errors(exc) from None
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
        with progress() as (bar, say):
            if graph_file is not None:
                task = bar.add_task(f"Reading {display_path(graph_file)} …", total=None)
                graph = read_graph(graph_file)
                bar.remove_task(task)
                report = validate(graph, load_shapes(paths.shapes), progress=say)
            else:
                _, report = check(paths, progress=say)
    except DataErrors as exc:
        raise fail_on_data_errors(exc) from None
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
        print_report(report)
        err.print(("conforms: " if report.conforms else "does not conform: ") + report.summary())
    else:
        typer.echo(text, nl=False)
    if not report.conforms:
        raise typer.Exit(code=1)


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
        given = parse_params(params)
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
                results = run_local(local_store(paths, graph_file), text)
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
        raise fail_on_data_errors(exc) from None
    except QueryError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(code=1) from None
    out.print(f"published {len(built.graph):,} triples to [bold]{url}[/bold]", highlight=False)


@app.command("stats")
def stats_cmd(data: DataOpt = None, ontology: OntologyOpt = None) -> None:
    """Build the graph in memory (writing nothing) and print what it holds, as TSV."""
    paths = default_paths(data=data, ontology=ontology)
    try:
        _, onto, built = build(paths)
    except DataErrors as exc:
        raise fail_on_data_errors(exc) from None
    for label, count in summarize(built.graph, onto).rows():
        typer.echo(f"{label}\t{count}")


@app.command("version")
def version_cmd() -> None:
    """Print the kgraph version."""
    out.print(__version__)


def main() -> None:
    """Run the command-line interface."""
    app()
