"""The whole pipeline at 10^4, 10^5 and 10^6 triples, and on the real Interreg partner list.

For each input the stages of ``kgraph.run`` (build → store → validate → export → queries →
network) run in a fresh process, so the peak memory printed for a stage is that run's own. The
synthetic inputs come from kgraph.synth (generating the records is timed apart, as "synth": it
stands in for reading files); the real input is ../shared/realdata/interreg-se-partners/
rawdata.json imported with kgraph's importer and validated together with data/.

After the stages, two plain references read the N-Triples the export wrote: rdflib's own parser
(``Graph().parse(format="nt")``) and pyoxigraph's (``Store().bulk_load``), the practical limit
for reading the same triples. The "/ ox parse" column is each stage's seconds over
pyoxigraph's parse.

    .venv/bin/python bench/pipeline.py                 # 10^4, 10^5, 10^6 and the real list
    .venv/bin/python bench/pipeline.py --sizes 10000   # one size
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kgraph.build import Built, build_located
from kgraph.importers.interreg import import_interreg
from kgraph.nuts import NutsList
from kgraph.ontology import load_ontology
from kgraph.paths import default_paths
from kgraph.pipeline import build
from kgraph.reconcile import Reconciler
from kgraph.run import StageTime, peak_rss_mb, run_pipeline
from kgraph.synth import QUERY_PARAMS, synthesize

REAL = Path(__file__).resolve().parents[2] / "shared" / "realdata"
INTERREG = REAL / "interreg-se-partners" / "rawdata.json"
NUTS = REAL / "nuts" / "NUTS2021.csv"
#: Projects that give about 10^4, 10^5, 10^6 triples (200 triples a project, measured).
PROJECTS_PER_TRIPLE = 1 / 200


def _real() -> Built:
    """data/ and the real Interreg list, built and merged as ``kgraph import`` validates them."""
    paths = default_paths()
    curated, onto, built = build(paths)
    nuts = NutsList.from_csv(NUTS).with_curated(curated.of("regions").values())
    reconciler = Reconciler(curated.of("organisations").values())
    result = import_interreg(INTERREG, onto, nuts=nuts, reconciler=reconciler)
    return Built(built.triples | frozenset(result.graph), {**built.origins, **result.origins})


def one(target: str) -> list[dict[str, object]]:
    """Run the stages on one input in this process; return the rows as dicts."""
    paths = default_paths()
    rows: list[dict[str, object]] = []
    stem = "bench"
    if target == "interreg":
        make = _real
        params: dict[str, str] = {}
    else:
        onto = load_ontology(paths.ontology_file, paths.vocabularies_file)
        start = time.perf_counter()
        data = synthesize(projects=max(1, round(int(target) * PROJECTS_PER_TRIPLE)))
        rows.append({"stage": "synth", "seconds": time.perf_counter() - start, "triples": 0,
                     "peak": peak_rss_mb(), "detail": "records generated (input)"})  # fmt: skip

        def make() -> Built:
            return build_located(data, onto)

        params = QUERY_PARAMS

    def record(t: StageTime) -> None:
        rows.append({"stage": t.stage, "seconds": t.seconds, "triples": t.triples,
                     "peak": t.peak_rss_mb, "detail": t.detail})  # fmt: skip

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        run_pipeline(make, out, shapes_dir=paths.shapes, queries_dir=paths.queries, stem=stem,
                     params=params, on_stage=record)  # fmt: skip
        n = next(int(str(r["triples"])) for r in rows if r["stage"] == "build")
        nt = (out / f"{stem}.nt").read_bytes()
        start = time.perf_counter()
        store = ox.Store()
        store.bulk_load(nt, ox.RdfFormat.N_TRIPLES)
        rows.append({"stage": "ref: pyoxigraph parse", "seconds": time.perf_counter() - start,
                     "triples": len(store), "peak": peak_rss_mb(), "detail": ""})  # fmt: skip
        del store
        start = time.perf_counter()
        parsed = Graph().parse(data=nt.decode("utf-8"), format="nt")
        rows.append({"stage": "ref: rdflib parse", "seconds": time.perf_counter() - start,
                     "triples": len(parsed), "peak": peak_rss_mb(), "detail": ""})  # fmt: skip
        assert len(parsed) == n, "the N-Triples export lost or gained triples"
    return rows


def main() -> None:
    """Run every input in its own process and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", default=["10000", "100000", "1000000", "interreg"])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one)))
        return
    print(f"{'input':>9} {'stage':<22} {'seconds':>8} {'triples/s':>10} {'/ ox parse':>10} "
          f"{'peak MB':>8}  result")  # fmt: skip
    for target in args.sizes:
        if target == "interreg" and not INTERREG.is_file():
            print(f"{'interreg':>9} skipped: {INTERREG} not found")
            continue
        done = subprocess.run([sys.executable, __file__, "--one", target], check=True,
                              capture_output=True, text=True)  # fmt: skip
        rows = json.loads(done.stdout.strip().splitlines()[-1])
        reference = next(float(r["seconds"]) for r in rows if r["stage"] == "ref: pyoxigraph parse")
        n = next(int(r["triples"]) for r in rows if r["stage"] == "build")
        stages = [r for r in rows if not str(r["stage"]).startswith(("ref", "synth"))]
        total = sum(float(r["seconds"]) for r in stages)
        label = "interreg" if target == "interreg" else f"{n:,}"
        for r in rows:
            seconds = float(r["seconds"])
            rate = f"{n / seconds:10,.0f}" if r["stage"] != "synth" and seconds else f"{'':>10}"
            print(f"{label:>9} {r['stage']:<22} {seconds:8.2f} {rate} {seconds / reference:10.1f} "
                  f"{float(r['peak']):8,.0f}  {r['detail']}")  # fmt: skip
        print(f"{label:>9} {'pipeline (build→network)':<22} {total:8.2f} {n / total:10,.0f} "
              f"{total / reference:10.1f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
