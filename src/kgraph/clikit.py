"""What the ``kgraph`` commands share: the consoles, common options, progress and errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
import typer
from rdflib import Graph
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kgraph.errors import DataErrors, display_path
from kgraph.paths import ProjectPaths
from kgraph.pipeline import build
from kgraph.store import to_store
from kgraph.validate import Progress as ValidationProgress
from kgraph.validate import Report, Severity

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


_SEVERITY_STYLE = {Severity.VIOLATION: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def print_report(report: Report, *, worst: Severity = Severity.INFO) -> None:
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


def fail_on_data_errors(exc: DataErrors, *, dist: Path | None = None) -> typer.Exit:
    """Print every problem of the curated data; return the exit to raise (code 1)."""
    for e in exc.errors:
        err.print(f"[red]error[/red] {e}", highlight=False, soft_wrap=True)
    tail = f"; nothing in {display_path(dist)}/ was changed" if dist else ""
    err.print(f"[bold red]{len(exc.errors)} problem(s) in the curated data{tail}.[/bold red]")
    return typer.Exit(code=1)


def progress_bar() -> Progress:
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
def progress() -> Iterator[tuple[Progress, ValidationProgress]]:
    """A progress bar on stderr, and the callback that moves it."""
    with progress_bar() as bar:
        task = bar.add_task("Validating …", total=None)

        def say(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total)

        yield bar, say


def read_graph(path: Path) -> Graph:
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


def parse_params(items: list[str] | None) -> dict[str, str]:
    """``["key=value", …]`` as a dict; exit with a clear message on a malformed item."""
    params: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            err.print(f"[red]error[/red] --param {item!r}: write it as key=value", highlight=False)
            raise typer.Exit(code=2)
        params[key.strip()] = value
    return params


def local_store(paths: ProjectPaths, graph_file: Path | None) -> ox.Store:
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
        raise fail_on_data_errors(exc) from None
    return to_store(built.triples)


GraphOpt = Annotated[
    Path | None,
    typer.Option("--graph", help="Use this RDF file (e.g. an import) instead of data/."),
]
