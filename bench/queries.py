"""Which embedded store should run the named queries? rdflib's own, oxrdflib or pyoxigraph.

Each named query of queries/ runs on synthetic graphs (kgraph.synth) of about 10^4, 10^5 and
10^6 triples in each store; the script prints the seconds per query and store, the ratio to the
fastest store, and checks that every store returns the same rows. rdflib's own store is left
out at 10^6 unless --full (its self-joins take minutes there).

    .venv/bin/python bench/queries.py
    .venv/bin/python bench/queries.py --sizes 10000 --full
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.term import Node

from kgraph.namespaces import KG, RDF, XSD
from kgraph.ontology import load_ontology
from kgraph.paths import default_paths
from kgraph.query import NamedQuery, bind, load_catalogue, run_local
from kgraph.results import short
from kgraph.store import to_store
from kgraph.synth import QUERY_PARAMS, graph_of_size

PARAMS = QUERY_PARAMS  # values that exist in every synthetic graph
Rows = list[tuple[str, ...]]
NUMERIC = {XSD.decimal, XSD.integer, XSD.double, XSD.float}


def _canon(term: Node | None) -> str:
    """A term for comparing stores: numbers by value (rdflib writes sums as 12.00, Oxigraph 12)."""
    if isinstance(term, Literal) and term.datatype in NUMERIC:
        return format(Decimal(str(term)).normalize(), "f")
    return short(term)


def _rows_rdflib(graph: Graph, text: str) -> Rows:
    result = graph.query(text)
    if result.graph is not None:
        return sorted((str(s), str(p), str(o)) for s, p, o in result.graph)
    return [tuple(_canon(t) for t in row) for row in result]  # type: ignore[union-attr]


def _rows_ox(store: ox.Store, text: str) -> Rows:
    result = run_local(store, text)
    if result.graph is not None:
        return sorted((str(s), str(p), str(o)) for s, p, o in result.graph)
    return [tuple(_canon(t) for t in row) for row in result.rows]


def _time(run: Callable[[], Rows]) -> tuple[float, Rows]:
    """Run once; return the seconds and the rows."""
    start = time.perf_counter()
    rows = run()
    return time.perf_counter() - start, rows


def main() -> None:
    """Print, per size, a row per query: seconds in each store and the ratio to the fastest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10**4, 10**5, 10**6])
    parser.add_argument("--full", action="store_true", help="rdflib's own store at 10^6 too")
    args = parser.parse_args()
    paths = default_paths()
    ontology = load_ontology(paths.ontology_file, paths.vocabularies_file)
    catalogue: dict[str, NamedQuery] = load_catalogue(paths.queries)
    for target in args.sizes:
        graph = graph_of_size(target, ontology)
        projects = len(set(graph.subjects(RDF.type, KG.Project)))
        load: dict[str, float] = {}
        start = time.perf_counter()
        store = to_store(graph)
        load["pyoxigraph"] = time.perf_counter() - start
        start = time.perf_counter()
        oxr = Graph(store="Oxigraph")
        oxr += graph
        load["oxrdflib"] = time.perf_counter() - start
        stores: dict[str, Callable[[str], Rows]] = {
            "pyoxigraph": partial(_rows_ox, store),
            "oxrdflib": partial(_rows_rdflib, oxr),
        }
        if target < 10**6 or args.full:
            stores["rdflib"] = partial(_rows_rdflib, graph)
        names = list(stores)
        print(f"\n{len(graph):,} triples ({projects:,} projects); copying into the store: "
              + ", ".join(f"{k} {v:.1f} s" for k, v in load.items()))  # fmt: skip
        print(f"{'query':<34}" + "".join(f"{n + ' s':>13}" for n in names) + "  ratio to fastest")
        totals = dict.fromkeys(names, 0.0)
        for name, query in catalogue.items():
            params = {p.name: PARAMS[p.name] for p in query.params}
            text = bind(query, params)
            seconds: dict[str, float] = {}
            answers: dict[str, Rows] = {}
            for store_name, run in stores.items():
                seconds[store_name], answers[store_name] = _time(partial(run, text))
                totals[store_name] += seconds[store_name]
            same = all(a == answers["pyoxigraph"] for a in answers.values())
            best = min(seconds.values()) or 1e-9
            ratios = " ".join(f"{seconds[n] / best:6.1f}" for n in names)
            print(f"{name:<34}" + "".join(f"{seconds[n]:13.3f}" for n in names)
                  + f"  {ratios}{'' if same else '  ROWS DIFFER'}")  # fmt: skip
        best = min(totals.values()) or 1e-9
        print(f"{'all queries':<34}" + "".join(f"{totals[n]:13.3f}" for n in names)
              + "  " + " ".join(f"{totals[n] / best:6.1f}" for n in names))  # fmt: skip


if __name__ == "__main__":
    main()
