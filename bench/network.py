"""Network pages at scale: generation time, page size and time until interactive in Chromium.

Organisation networks of 1,000, 5,000 and 20,000 nodes (a preferential-attachment graph with
countries and shared-project weights, like the Interreg partner network) are drawn with
kgraph.visualise, then opened in Debian's headless chromium with the network off; "interactive"
is when vis-network has drawn the first frame (physics is off above 1,000 nodes, positions come
from Python). The script also clicks a node and times the tooltip.

    .venv/bin/python bench/network.py [--sizes 1000 5000 20000]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import networkx as nx
from playwright.sync_api import sync_playwright

from kgraph.synth import COUNTRIES
from kgraph.visualise import write_page

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]  # fmt: skip


def organisations(n: int, seed: int = 1) -> nx.Graph:
    """A synthetic organisation network of ``n`` nodes."""
    rng = random.Random(seed)
    g = nx.barabasi_albert_graph(n, 2, seed=seed)
    codes = list(COUNTRIES)
    out = nx.Graph()
    for node in g:
        iri = f"https://w3id.org/kgraph/id/organisation/org-{node:06d}"
        out.add_node(iri, label=f"Organisation {node}", country=rng.choice(codes), kind="Company")
    for a, c in g.edges():
        out.add_edge(f"https://w3id.org/kgraph/id/organisation/org-{a:06d}",
                     f"https://w3id.org/kgraph/id/organisation/org-{c:06d}",
                     weight=rng.choice((1, 1, 1, 2, 3)))  # fmt: skip
    return out


def main() -> None:
    """Print one row per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 5_000, 20_000])
    args = parser.parse_args()
    print(f"{'nodes':>7} {'edges':>7} {'generate s':>11} {'page MB':>8} {'interactive s':>14} "
          f"{'tooltip s':>10}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        for n in args.sizes:
            g = organisations(n)
            start = time.perf_counter()
            path = write_page(g, Path(tmp) / f"net-{n}.html", title=f"{n} organisations")
            generate = time.perf_counter() - start
            context = browser.new_context(offline=True, viewport={"width": 1280, "height": 800})
            tab = context.new_page()
            start = time.perf_counter()
            tab.goto(path.as_uri())
            tab.wait_for_function("document.body.dataset.drawn === 'yes'", timeout=120_000)
            interactive = time.perf_counter() - start
            assert tab.evaluate("window.kgraphNodeCount") == n
            node = max(g, key=g.degree)
            x, y = tab.evaluate(
                """(id) => { const p = kgraphNetwork.getPositions([id])[id];
                   const d = kgraphNetwork.canvasToDOM(p);
                   const r = document.getElementById('network').getBoundingClientRect();
                   return [d.x + r.left, d.y + r.top]; }""",
                node,
            )
            start = time.perf_counter()
            tab.mouse.click(x, y)
            tab.wait_for_selector("#tooltip", state="visible", timeout=60_000)
            tooltip = time.perf_counter() - start
            size = path.stat().st_size / 1e6
            print(f"{n:>7,} {g.number_of_edges():>7,} {generate:11.2f} {size:8.2f} "
                  f"{interactive:14.2f} {tooltip:10.2f}", flush=True)  # fmt: skip
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
