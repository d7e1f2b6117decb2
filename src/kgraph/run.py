"""The whole pipeline in one process, at any size: build → validate → export → queries → network.

Each stage hands the next plain data, never a copy it does not need: the build yields a set of
triples; the N-Triples text is rendered once and loaded into pyoxigraph by its Rust parser (the
store the SHACL pre-checks, the named queries and the network all read); an rdflib Graph is made
only if pyshacl has candidates to check; the three RDF files, the query results and the network
files are each written atomically. ``on_stage`` is told the seconds, triples and peak memory of
every stage, which bench/pipeline.py prints and ``kgraph run`` shows.
"""

from __future__ import annotations

import csv
import io
import resource
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgraph.build import Built
from kgraph.export import RdfFormat, serialize, write_atomically
from kgraph.network import bipartite, export_files, metrics, organisation_graph
from kgraph.pipeline import InvalidGraph
from kgraph.query import QueryError, bind, load_catalogue
from kgraph.store import from_ox
from kgraph.validate import Progress, Report, load_shapes, validate

__all__ = ["STAGES", "PipelineResult", "StageTime", "peak_rss_mb", "run_pipeline"]

#: The stages in the order they run.
STAGES = ("build", "store", "validate", "export", "queries", "network")


@dataclass(frozen=True)
class StageTime:
    """How one stage went: seconds, the triples it handled, peak memory of the process so far."""

    stage: str
    seconds: float
    triples: int
    peak_rss_mb: float
    detail: str = ""

    @property
    def rate(self) -> float:
        """Triples per second."""
        return self.triples / self.seconds if self.seconds else float("inf")


@dataclass
class PipelineResult:
    """What a run produced: the validation report, files written and the stage times."""

    report: Report
    written: list[Path] = field(default_factory=list)
    stages: list[StageTime] = field(default_factory=list)


def peak_rss_mb() -> float:
    """The peak resident memory of this process so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _answer(store: ox.Store, name: str, text: str) -> tuple[str, bytes, int]:
    """Run a named query: file name, contents (SPARQL CSV, or Turtle for graphs), row count.

    SELECT results are written by pyoxigraph's own CSV serialiser: turning the 250,000 rows of
    co-participation at 10^6 triples into rdflib terms first took longer than the query.
    """
    try:
        answer = store.query(text)
    except SyntaxError as exc:
        raise QueryError(f"{name}: the query is not valid SPARQL: {exc}") from None
    if isinstance(answer, ox.QuerySolutions):
        data = answer.serialize(format=ox.QueryResultsFormat.CSV) or b""
        count = len(list(csv.reader(io.StringIO(data.decode("utf-8"))))) - 1
        return f"{name}.csv", data, count
    if isinstance(answer, ox.QueryBoolean):
        return f"{name}.txt", b"true\n" if answer else b"false\n", 1
    triples = [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in answer]
    return f"{name}.ttl", serialize(triples, RdfFormat.TURTLE).encode("utf-8"), len(triples)


def _quiet(step: str, done: int, total: int) -> None:
    """Progress that goes nowhere."""


def run_pipeline(
    make: Callable[[], Built],
    out_dir: Path,
    *,
    shapes_dir: Path,
    queries_dir: Path,
    stem: str = "kgraph",
    params: Mapping[str, str] | None = None,
    allow_invalid: bool = False,
    progress: Progress | None = None,
    on_stage: Callable[[StageTime], None] | None = None,
) -> PipelineResult:
    """Build with ``make``, then validate, export, run the named queries, measure the network.

    Writes ``out_dir/stem.{ttl,nt,jsonld}``, ``out_dir/queries/NAME.csv`` (each named query with
    its defaults, overridden by ``params`` where a query declares them) and
    ``out_dir/network-organisations.*``. Raises ``InvalidGraph`` before writing anything if the
    graph has violations, unless ``allow_invalid``; ``DataErrors`` if ``make`` finds bad input.
    """
    say = progress or _quiet
    stages: list[StageTime] = []
    size = 0  # triples, once the build has made them (the stages read it when they end)

    @contextmanager
    def stage(name: str) -> Iterator[list[str]]:
        detail: list[str] = []
        start = time.perf_counter()
        yield detail
        seconds = time.perf_counter() - start
        timed = StageTime(name, seconds, size, peak_rss_mb(), *detail)
        stages.append(timed)
        if on_stage is not None:
            on_stage(timed)

    with stage("build") as detail:
        say("building the graph", 0, 1)
        built = make()
        size = len(built.triples)
        detail.append(f"{len(built.origins):,} things located in their source files")
    with stage("store") as detail:
        say("rendering N-Triples", 0, 2)
        start = time.perf_counter()
        ntriples = serialize(built.triples, RdfFormat.NTRIPLES).encode("utf-8")
        seconds_nt = time.perf_counter() - start
        say("loading pyoxigraph", 1, 2)
        store = ox.Store()
        store.bulk_load(ntriples, ox.RdfFormat.N_TRIPLES)
        detail.append(f"N-Triples rendered in {seconds_nt:.1f} s, loaded into pyoxigraph")
    with stage("validate") as detail:
        # with the store at hand the pre-checks cost nothing to set up and win at every size
        shapes = load_shapes(shapes_dir)
        report = validate(built, shapes, store=store, precheck=True, progress=say)
        detail.append(report.summary())
    if not report.conforms and not allow_invalid:
        raise InvalidGraph(report)
    with stage("export") as detail:
        files = {out_dir / f"{stem}.nt": ntriples}
        took = [f"N-Triples {seconds_nt:.1f} s"]
        for i, fmt in enumerate((RdfFormat.TURTLE, RdfFormat.JSONLD)):
            say(f"writing {fmt.name.title()}", i, 2)
            start = time.perf_counter()
            files[out_dir / f"{stem}.{fmt.value}"] = serialize(built.triples, fmt).encode("utf-8")
            took.append(f"{fmt.name.title()} {time.perf_counter() - start:.1f} s")
        detail.append(", ".join(took))
        written = write_atomically(files)
        del files, ntriples
    with stage("queries") as detail:
        catalogue = load_catalogue(queries_dir)
        results: dict[Path, bytes] = {}
        rows = 0
        for i, (name, query) in enumerate(sorted(catalogue.items())):
            say(f"query {name}", i, len(catalogue))
            declared = {p.name for p in query.params}
            given = {k: v for k, v in (params or {}).items() if k in declared}
            path, text, count = _answer(store, name, bind(query, given))
            results[out_dir / "queries" / path] = text
            rows += count
        written += write_atomically(results)
        detail.append(f"{len(catalogue)} queries, {rows:,} rows")
    with stage("network") as detail:
        say("organisation network", 0, 2)
        orgs = organisation_graph(bipartite(store))
        say("network measures", 1, 2)
        measured = metrics(orgs)
        for node, values in measured.nodes.items():
            orgs.nodes[node].update({k: v for k, v in values.items() if k != "label"})
        written += export_files(orgs, out_dir, "network-organisations", gephi=False)
        detail.append(f"{orgs.number_of_nodes():,} organisations, {orgs.number_of_edges():,} ties")
    return PipelineResult(report, written, stages)
