"""``kgraph import``: real cooperation data into a graph of its own (see kgraph.importers)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from kgraph.clikit import (
    DataOpt,
    err,
    out,
    print_report,
    progress,
)
from kgraph.errors import DataErrors, display_path
from kgraph.importers import ImportResult, check_and_write, report_text
from kgraph.importers.cordis import import_cordis
from kgraph.importers.interreg import import_interreg
from kgraph.nuts import NutsList
from kgraph.ontology import Ontology
from kgraph.paths import ProjectPaths, default_paths
from kgraph.pipeline import InvalidGraph, build
from kgraph.reconcile import Reconciler
from kgraph.validate import Severity, load_shapes

import_app = typer.Typer(
    help="Import real cooperation data into a graph of its own (dist/imports/NAME.ttl).",
    no_args_is_help=True,
)
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
        with progress() as (bar, say):
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
        print_report(exc.report, worst=Severity.VIOLATION)
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
