"""The ``kgraph`` command: each subcommand calls one library function and says where output went."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from kgraph import __version__
from kgraph.errors import DataErrors, display_path
from kgraph.paths import default_paths
from kgraph.pipeline import build, build_and_write
from kgraph.summary import summarize

__all__ = ["app", "main"]

app = typer.Typer(
    name="kgraph",
    help="kgraph: a knowledge graph of regional cooperation. Build, check and explore it.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)

DataOpt = Annotated[
    Path | None, typer.Option("--data", help="Folder of curated YAML (default: data/).")
]
OntologyOpt = Annotated[
    Path | None, typer.Option("--ontology", help="Folder with kgraph.ttl (default: ontology/).")
]
OutOpt = Annotated[
    Path | None, typer.Option("--out", help="Folder for the exports (default: dist/).")
]


def _fail_on_data_errors(exc: DataErrors, *, dist: Path | None = None) -> typer.Exit:
    for e in exc.errors:
        err.print(f"[red]error[/red] {e}", highlight=False, soft_wrap=True)
    tail = f"; nothing in {display_path(dist)}/ was changed" if dist else ""
    err.print(f"[bold red]{len(exc.errors)} problem(s) in the curated data{tail}.[/bold red]")
    return typer.Exit(code=1)


@app.command("build")
def build_cmd(data: DataOpt = None, ontology: OntologyOpt = None, out_dir: OutOpt = None) -> None:
    """Build the graph from data/ and write dist/kgraph.ttl, .nt and .jsonld."""
    paths = default_paths(data=data, ontology=ontology, dist=out_dir)
    try:
        with err.status("Building the knowledge graph from data/ …"):
            result = build_and_write(paths)
    except DataErrors as exc:
        raise _fail_on_data_errors(exc, dist=paths.dist) from None
    table = Table(title=f"kgraph {__version__}: built graph", show_header=False)
    for label, count in result.summary.rows():
        table.add_row(label, f"{count:,}")
    out.print(table)
    for path in result.written.values():
        out.print(f"wrote [bold]{display_path(path)}[/bold]", highlight=False)


@app.command("stats")
def stats_cmd(data: DataOpt = None, ontology: OntologyOpt = None) -> None:
    """Build the graph in memory (writing nothing) and print what it holds, as TSV."""
    paths = default_paths(data=data, ontology=ontology)
    try:
        _, onto, graph = build(paths)
    except DataErrors as exc:
        raise _fail_on_data_errors(exc) from None
    for label, count in summarize(graph, onto).rows():
        typer.echo(f"{label}\t{count}")


@app.command("version")
def version_cmd() -> None:
    """Print the kgraph version."""
    out.print(__version__)


def main() -> None:
    """Run the command-line interface."""
    app()
