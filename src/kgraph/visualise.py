"""Stage 6: interactive network pages that work offline, one self-contained HTML file per view.

Nodes are coloured by country and sized by weighted degree, edges are as wide as the projects
they share; the page is kgraph's own template with vis-network inlined from the copy vendored in
kgraph/static. pyvis is not used: its templates fetch scripts and styles from CDNs even in
"local"/"in_line" mode, and its add_edge scans every edge for duplicates (75 s for 40,000 edges,
bench/network.py), while vis-network takes the same node and edge objects directly.
The page has a legend, a search box, a country filter, a physics switch and a tooltip with the
name, type, region, projects and a link to the IRI. Graphs above ``PRECOMPUTE_FROM`` nodes get
positions computed in Python and start with physics off, so the browser does not simulate them.
"""

from __future__ import annotations

import html
import json
import math
import random
from importlib import resources
from pathlib import Path
from string import Template

import igraph as ig
import networkx as nx

from kgraph.export import write_atomically
from kgraph.network import metrics

__all__ = ["PALETTE", "PRECOMPUTE_FROM", "page", "write_page"]

PRECOMPUTE_FROM = 1_000
#: Colours for countries, in the order of their codes; others are grey.
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
    "#e6550d", "#31a354", "#756bb1", "#636363",
)  # fmt: skip
OTHER = "#b0b0b0"

TEMPLATE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
  body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: #222; }
  header { padding: 8px 12px; border-bottom: 1px solid #ddd; display: flex; flex-wrap: wrap;
           gap: 12px; align-items: center; }
  header h1 { font-size: 16px; margin: 0 12px 0 0; }
  #network { position: absolute; top: 72px; bottom: 0; left: 0; right: 220px; }
  #legend { position: absolute; top: 72px; right: 0; width: 210px; bottom: 0; overflow: auto;
            padding: 8px; border-left: 1px solid #ddd; font-size: 13px; }
  #legend span.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 6px;
                        margin-right: 6px; vertical-align: middle; }
  #tooltip { position: absolute; display: none; background: #fff; border: 1px solid #999;
             padding: 6px 8px; max-width: 320px; box-shadow: 0 2px 6px rgba(0,0,0,.2);
             z-index: 10; font-size: 13px; }
  #tooltip b { display: block; }
</style>
</head>
<body>
<header>
  <h1>$title</h1>
  <label>Find <input id="search" type="search" placeholder="name…" aria-label="Find a node"></label>
  <label>Country <select id="filter" aria-label="Show one country">
    <option value="">all</option>$options</select></label>
  <label><input id="physics" type="checkbox" $physics_checked> physics</label>
  <span id="summary">$summary</span>
</header>
<div id="network"></div>
<aside id="legend"><strong>Countries</strong>$legend</aside>
<div id="tooltip" role="tooltip"></div>
<script>$vis</script>
<script type="application/json" id="graph-data">$data</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("network");
  var options = data.options;
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  window.kgraphNetwork = network;
  window.kgraphNodeCount = nodes.length;
  var tip = document.getElementById("tooltip");
  function line(label, value) {
    if (!value) { return; }
    var row = document.createElement("div");
    row.textContent = label + ": " + value;
    tip.appendChild(row);
  }
  function show(id, x, y) {
    var n = nodes.get(id);
    if (!n) { return; }
    tip.replaceChildren();
    var name = document.createElement("b");
    name.textContent = n.label;
    tip.appendChild(name);
    line("type", n.info.kind);
    line("country", n.info.country);
    line("region", n.info.region);
    line("projects", n.info.projects);
    line("events", n.info.events);
    line("ties", n.info.degree);
    var link = document.createElement("a");
    link.href = n.id;
    link.textContent = n.id;
    tip.appendChild(link);
    tip.style.left = (x + 12) + "px";
    tip.style.top = (y + 68) + "px";
    tip.style.display = "block";
  }
  network.on("hoverNode", function (p) { show(p.node, p.pointer.DOM.x, p.pointer.DOM.y); });
  network.on("click", function (p) {
    if (p.nodes.length) { show(p.nodes[0], p.pointer.DOM.x, p.pointer.DOM.y); }
    else { tip.style.display = "none"; }
  });
  network.on("blurNode", function () { tip.style.display = "none"; });
  document.getElementById("physics").addEventListener("change", function (e) {
    network.setOptions({ physics: { enabled: e.target.checked } });
  });
  document.getElementById("search").addEventListener("input", function (e) {
    var q = e.target.value.trim().toLowerCase();
    if (!q) { network.unselectAll(); return; }
    var hit = nodes.get({ filter: function (n) { return n.label.toLowerCase().indexOf(q) >= 0; } });
    if (hit.length) {
      network.selectNodes(hit.map(function (n) { return n.id; }));
      network.focus(hit[0].id, { scale: 1.2, animation: false });
    }
  });
  document.getElementById("filter").addEventListener("change", function (e) {
    var c = e.target.value;
    nodes.update(nodes.get().map(function (n) {
      return { id: n.id, hidden: Boolean(c) && n.info.country !== c };
    }));
  });
  network.once("afterDrawing", function () { document.body.dataset.drawn = "yes"; });
})();
</script>
</body>
</html>
""")


def _vis_js() -> str:
    """The vendored vis-network script (styles included)."""
    return resources.files("kgraph").joinpath("static/vis-network.min.js").read_text("utf-8")


def _positions(g: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    """A force-directed layout computed in Python, in vis-network's canvas units.

    igraph's Fruchterman-Reingold with a grid takes about a second for 20,000 nodes where
    networkx's spring layout takes minutes (bench/network.py). igraph draws its random start
    from the random-number generator it is given; handing it one seeded with ``seed`` (and
    restoring the default after) makes the same graph give the same picture. The layout is
    scaled so that the picture is about 30 units per node across, the size of a node.
    """
    nodes = sorted(g)
    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    h = ig.Graph(n=len(nodes), edges=[(index[a], index[c]) for a, c in g.edges()])
    ig.set_random_number_generator(random.Random(seed))
    try:
        coords = h.layout_fruchterman_reingold(niter=300, grid=True).coords
    finally:
        ig.set_random_number_generator(random)
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    scale = 30 * math.sqrt(len(nodes)) / span
    return {n: (coords[i][0] * scale, coords[i][1] * scale) for n, i in index.items()}


def page(g: nx.Graph, *, title: str, seed: int = 1) -> str:
    """The HTML page of a network (nodes with ``label``, ``country``; edges with ``weight``)."""
    measured = metrics(g, seed=seed, centrality=False)
    countries = sorted({str(d.get("country", "")) for _, d in g.nodes(data=True)} - {""})
    colour = {c: PALETTE[i] if i < len(PALETTE) else OTHER for i, c in enumerate(countries)}
    precompute = g.number_of_nodes() >= PRECOMPUTE_FROM
    positions = _positions(g, seed) if precompute else {}
    nodes: list[dict[str, object]] = []
    for node in sorted(g):
        d, m = g.nodes[node], measured.nodes[node]
        item: dict[str, object] = {
            "id": node,
            "label": str(d.get("label", node)),
            "color": colour.get(str(d.get("country", "")), OTHER),
            "size": round(8 + 4 * math.sqrt(float(m["weighted_degree"])), 2),
            "info": {
                "kind": d.get("kind", ""),
                "country": d.get("country", ""),
                "region": d.get("region", ""),
                "projects": d.get("projects", ""),
                "events": d.get("events", ""),
                "degree": m["degree"],
            },
        }
        if precompute:
            item["x"], item["y"] = (round(v, 2) for v in positions[node])
        nodes.append(item)
    edges = []
    for a, c, d in sorted(g.edges(data=True)):
        weight = int(d.get("weight", 1))
        edges.append(
            {"from": a, "to": c, "width": min(1 + weight, 10), "title": f"{weight} shared"}
        )
    options = {
        "physics": {"enabled": not precompute, "stabilization": {"iterations": 200}},
        "interaction": {"hover": True, "tooltipDelay": 100},
        "nodes": {"shape": "dot", "font": {"size": 12}},
        "edges": {"color": {"color": "#999", "opacity": 0.5}, "smooth": False},
        "layout": {"randomSeed": seed, "improvedLayout": not precompute},
    }
    data = json.dumps({"nodes": nodes, "edges": edges, "options": options}, ensure_ascii=False)
    legend = (
        "".join(
            f'<div><span class="swatch" style="background:{colour[c]}"></span>'
            f"{html.escape(c)}</div>"
            for c in countries
        )
        + f'<div><span class="swatch" style="background:{OTHER}"></span>unknown or other</div>'
    )
    summary = (
        f"{measured.graph['nodes']} nodes, {measured.graph['edges']} ties, "
        f"{measured.graph['communities']} communities, "
        f"cross-border share {float(measured.graph['cross_border_share']):.0%}"
    )
    return TEMPLATE.substitute(
        title=html.escape(title),
        options="".join(
            f'<option value="{html.escape(c)}">{html.escape(c)}</option>' for c in countries
        ),
        physics_checked="" if precompute else "checked",
        summary=html.escape(summary),
        legend=legend,
        vis=_vis_js(),
        data=data.replace("</", "<\\/"),
    )


def write_page(g: nx.Graph, path: Path, *, title: str) -> Path:
    """Write the page of ``g`` to ``path`` atomically."""
    write_atomically({path: page(g, title=title).encode("utf-8")})
    return path
