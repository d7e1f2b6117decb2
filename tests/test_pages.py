"""The network pages in a real browser (Debian's chromium via Playwright), with the network off."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from kgraph.network import bipartite, country_graph, organisation_graph
from kgraph.store import to_store
from kgraph.visualise import PALETTE, page, write_page


@pytest.fixture(scope="module")
def views(graph) -> dict[str, nx.Graph]:
    orgs = organisation_graph(bipartite(to_store(graph), events=True))
    return {"organisations": orgs, "countries": country_graph(orgs)}


def open_offline(browser, path: Path):
    """Open ``path`` with the network off; return the page and what went wrong."""
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    problems: dict[str, list[str]] = {"console": [], "failed": [], "external": []}
    tab.on("console", lambda m: problems["console"].append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems["console"].append(str(e)))
    tab.on("requestfailed", lambda r: problems["failed"].append(r.url))
    tab.on(
        "request",
        lambda r: (
            None if r.url.startswith(("file:", "data:")) else problems["external"].append(r.url)
        ),
    )
    tab.goto(path.as_uri())
    tab.wait_for_function("document.body.dataset.drawn === 'yes'", timeout=60_000)
    return tab, problems


def _click_node(tab, node: str) -> None:
    tab.evaluate("kgraphNetwork.stopSimulation()")
    x, y = tab.evaluate(
        """(id) => {
            const p = kgraphNetwork.getPositions([id])[id];
            const d = kgraphNetwork.canvasToDOM(p);
            const r = document.getElementById('network').getBoundingClientRect();
            return [d.x + r.left, d.y + r.top];
        }""",
        node,
    )
    tab.mouse.click(x, y)


@pytest.mark.parametrize("view", ["organisations", "countries"])
def test_demo_page_works_offline(browser, views, view, tmp_path):
    g = views[view]
    path = write_page(g, tmp_path / f"network-{view}.html", title=f"kgraph {view}")
    tab, problems = open_offline(browser, path)
    assert problems == {"console": [], "failed": [], "external": []}
    assert tab.evaluate("window.kgraphNodeCount") == g.number_of_nodes()
    assert tab.evaluate("Object.keys(kgraphNetwork.getPositions()).length") == g.number_of_nodes()
    legend = tab.inner_text("#legend")
    assert "Countries" in legend
    assert "PL" in legend
    node = max(g, key=lambda n: g.degree(n, weight="weight"))
    _click_node(tab, node)
    tab.wait_for_selector("#tooltip", state="visible", timeout=5_000)
    assert str(g.nodes[node].get("label", node)) in tab.inner_text("#tooltip")
    tab.screenshot(path=str(tmp_path / f"{view}.png"))
    assert (tmp_path / f"{view}.png").stat().st_size > 10_000


def test_search_and_filter(browser, views, tmp_path):
    path = write_page(views["organisations"], tmp_path / "orgs.html", title="orgs")
    tab, _ = open_offline(browser, path)
    tab.fill("#search", "witeno")
    selected = tab.evaluate("kgraphNetwork.getSelectedNodes()")
    assert selected == ["https://w3id.org/kgraph/id/organisation/witeno"]
    tab.select_option("#filter", "FI")
    hidden = tab.evaluate(
        "Object.values(kgraphNetwork.body.data.nodes.get()).filter(n => !n.hidden).map(n => n.id)"
    )
    assert hidden == ["https://w3id.org/kgraph/id/organisation/paijat-hame-regional-council"]
    tab.uncheck("#physics")
    assert tab.evaluate("kgraphNetwork.physics.options.enabled") is False


def test_page_is_self_contained(views):
    html = page(views["countries"], title="t")
    assert "https://cdn" not in html
    assert "<link" not in html
    assert 'src="http' not in html
    assert PALETTE[0] in html  # the first country has the first colour


SHARED = Path(__file__).resolve().parents[2] / "shared" / "realdata"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/realdata is not here")
def test_the_real_interreg_partner_network_renders(browser, paths, tmp_path):
    from kgraph.importers.interreg import import_interreg
    from kgraph.nuts import NutsList
    from kgraph.pipeline import build
    from kgraph.reconcile import Reconciler

    curated, onto, _ = build(paths)
    nuts = NutsList.from_csv(SHARED / "nuts" / "NUTS2021.csv")
    nuts.with_curated(curated.of("regions").values())
    reconciler = Reconciler(curated.of("organisations").values())
    listing = SHARED / "interreg-se-partners" / "rawdata.json"
    result = import_interreg(listing, onto, nuts=nuts, reconciler=reconciler)
    g = organisation_graph(bipartite(to_store(result.graph)))
    assert g.number_of_nodes() == 583
    path = write_page(g, tmp_path / "interreg.html", title="Interreg partners in Sweden")
    tab, problems = open_offline(browser, path)
    assert problems == {"console": [], "failed": [], "external": []}
    assert tab.evaluate("window.kgraphNodeCount") == g.number_of_nodes()
    assert "SE" in tab.inner_text("#legend")
    node = max(g, key=lambda n: g.degree(n, weight="weight"))
    _click_node(tab, node)
    tab.wait_for_selector("#tooltip", state="visible", timeout=5_000)
    assert str(g.nodes[node]["label"]) in tab.inner_text("#tooltip")
    tab.screenshot(path=str(tmp_path / "interreg.png"))


def test_large_pages_get_positions_from_python_and_start_still(browser, tmp_path):
    g = nx.Graph()
    big = nx.barabasi_albert_graph(1_500, 2, seed=3)
    for a, b in big.edges():
        g.add_edge(f"n{a:04d}", f"n{b:04d}", weight=1)
    for n in g:
        g.nodes[n].update(label=n, country="PL" if n < "n0700" else "SE")
    html = page(g, title="big")
    assert html == page(g, title="big")  # the layout is seeded: the same graph, the same page
    path = write_page(g, tmp_path / "big.html", title="big")
    tab, problems = open_offline(browser, path)
    assert problems == {"console": [], "failed": [], "external": []}
    assert tab.evaluate("kgraphNetwork.physics.options.enabled") is False
    assert tab.evaluate("window.kgraphNodeCount") == 1_500
    spread = tab.evaluate(
        "(() => { const p = Object.values(kgraphNetwork.getPositions());"
        " const xs = p.map(q => q.x); return Math.max(...xs) - Math.min(...xs); })()"
    )
    assert spread > 500  # laid out, not piled on one point
