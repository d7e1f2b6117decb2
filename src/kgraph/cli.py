"""The ``kgraph`` command: each subcommand calls one library function and says where output went."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rdflib import Graph
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kgraph import __version__
from kgraph.errors import DataErrors, display_path
from kgraph.export import write_atomically
from kgraph.paths import default_paths
from kgraph.pipeline import InvalidGraph, build, build_and_write, check
from kgraph.summary import summarize
from kgraph.validate import Progress as ValidationProgress
from kgraph.validate import Report, Severity, load_shapes, validate

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


@contextmanager
def _progress() -> Iterator[tuple[Progress, ValidationProgress]]:
    """A progress bar on stderr, and the callback that moves it."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
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
