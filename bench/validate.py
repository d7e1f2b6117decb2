"""How long SHACL validation takes as the graph grows: plain pyshacl against pre-checked pyshacl.

For each size (10^3 … 10^6 triples of synthetic data from kgraph.synth) the graph is validated
as generated (it conforms) and with 1% of its focus nodes broken. "pyshacl" is pyshacl on the
whole graph (with kgraph's parse-once query cache); "kgraph" is kgraph.validate's default for
large graphs: SPARQL pre-checks on pyoxigraph, then pyshacl on the candidates only. Where both
run, their findings are compared and must be identical.

    .venv/bin/python bench/validate.py            # plain pyshacl only up to 10^5 triples
    .venv/bin/python bench/validate.py --full     # plain pyshacl at 10^6 too (~10 minutes)
    .venv/bin/python bench/validate.py --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import resource
import time

from rdflib import Graph

from kgraph.ontology import load_ontology
from kgraph.paths import default_paths
from kgraph.synth import break_some, graph_of_size
from kgraph.validate import Report, load_shapes, validate


def timed(graph: Graph, shapes: Graph, *, precheck: bool) -> tuple[float, Report]:
    """Validate and return the seconds it took with the report."""
    start = time.perf_counter()
    report = validate(graph, shapes, precheck=precheck)
    return time.perf_counter() - start, report


def main() -> None:
    """Print one row per size and kind of data."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10**3, 10**4, 10**5, 10**6])
    parser.add_argument("--full", action="store_true", help="run plain pyshacl at 10^6 too")
    args = parser.parse_args()
    paths = default_paths()
    ontology = load_ontology(paths.ontology_file, paths.vocabularies_file)
    shapes = load_shapes(paths.shapes)
    print(f"{'triples':>9} {'data':<14} {'results':>8} {'pyshacl s':>10} {'kgraph s':>9} "
          f"{'ratio':>6} {'peak RSS MB':>11}")  # fmt: skip
    for target in args.sizes:
        graph = graph_of_size(target, ontology)
        for variant in ("conforming", "1% violations"):
            if variant != "conforming":
                break_some(graph, 0.01)
            fast_s, fast = timed(graph, shapes, precheck=True)
            slow_s: float | None = None
            if target <= 10**5 or args.full:
                slow_s, slow = timed(graph, shapes, precheck=False)
                assert slow.findings == fast.findings, "pre-checked results differ"
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            results = len(fast.findings)
            slow_txt = f"{slow_s:10.2f}" if slow_s is not None else f"{'-':>10}"
            ratio = f"{slow_s / fast_s:6.1f}" if slow_s is not None else f"{'-':>6}"
            print(f"{len(graph):>9,} {variant:<14} {results:>8,} {slow_txt} {fast_s:9.2f} "
                  f"{ratio} {rss:11,.0f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
