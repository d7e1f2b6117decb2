"""Documentation of the ontology, generated from ontology/: one HTML page and a class diagram.

``kgraph docs`` (and ``make docs``) writes docs/ontology.html, listing every class and property
that ontology/kgraph.ttl declares, kg: and reused alike, with their English and Polish labels,
definitions, superclasses, domains, ranges and alignments, plus the SKOS vocabularies; and
docs/classes.svg, a diagram of the kg: classes drawn from the ontology itself: an arrow with a
hollow head for rdfs:subClassOf, a labelled arrow from domain to range for each object property.

pyLODE was the first choice; its newest release installable on Python 3.11 (3.4.1) fails at
import, reading a pyproject.toml that its wheel does not ship, so kgraph writes the page itself.
The output is deterministic (sorted, seeded layout), so docs/ diffs show ontology changes.
"""

from __future__ import annotations

import html
import math
import random
from pathlib import Path

import igraph as ig
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kgraph.export import write_atomically
from kgraph.namespaces import KG, OWL, RDF, RDFS, SKOS, bind_prefixes
from kgraph.ontology import Ontology
from kgraph.results import short

__all__ = ["class_diagram", "ontology_page", "write_docs"]

_MAPPINGS = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch,
             SKOS.relatedMatch, OWL.equivalentClass, OWL.equivalentProperty)  # fmt: skip


def _text(g: Graph, node: Node, prop: URIRef, lang: str) -> str:
    """The ``lang`` literal of ``prop`` on ``node``, or ''."""
    for value in sorted(g.objects(node, prop), key=str):
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    return ""


def _anchor(iri: Node) -> str:
    return short(iri).replace(":", "-") if isinstance(iri, URIRef) else ""


def _ref(iri: Node, declared: set[URIRef]) -> str:
    """A link to a term: inside the page when it is declared here, else to its IRI."""
    if not isinstance(iri, URIRef):
        return html.escape(str(iri))
    target = f"#{_anchor(iri)}" if iri in declared else html.escape(str(iri))
    return f"<a href='{target}'><code>{html.escape(short(iri))}</code></a>"


def _refs(nodes: list[Node], declared: set[URIRef]) -> str:
    return ", ".join(_ref(n, declared) for n in sorted(nodes, key=str)) or "—"


def _entry(g: Graph, term: URIRef, kind: str, rows: list[tuple[str, str]]) -> str:
    label_en, label_pl = _text(g, term, RDFS.label, "en"), _text(g, term, RDFS.label, "pl")
    definition = _text(g, term, SKOS.definition, "en") or _text(g, term, RDFS.comment, "en")
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows if v != "—")
    return (
        f"<section id='{_anchor(term)}'><h3>{html.escape(label_en or short(term))} "
        f"<small>{kind}</small></h3><p><code>{html.escape(str(term))}</code>"
        + (f" · pl: <i>{html.escape(label_pl)}</i>" if label_pl else "")
        + f"</p><p>{html.escape(definition)}</p><table>{body}</table></section>"
    )


def ontology_page(onto: Ontology) -> str:
    """The HTML documentation of every declared class, property and SKOS scheme."""
    g = onto.graph
    declared = set(onto.classes) | set(onto.properties)
    classes = sorted(onto.classes, key=lambda c: (not str(c).startswith(str(KG)), short(c)))
    properties = sorted(onto.properties, key=lambda p: (not str(p).startswith(str(KG)), short(p)))
    parts = []
    for c in classes:
        parts.append(_entry(g, c, "class", [
            ("subclass of", _refs(list(g.objects(c, RDFS.subClassOf)), declared)),
            ("superclass of", _refs(list(g.subjects(RDFS.subClassOf, c)), declared)),
            ("properties (domain)", _refs(list(g.subjects(RDFS.domain, c)), declared)),
            ("used by (range)", _refs(list(g.subjects(RDFS.range, c)), declared)),
            ("aligned with", _refs([o for m in _MAPPINGS for o in g.objects(c, m)], declared)),
        ]))  # fmt: skip
    for p in properties:
        kinds = [short(k) for k in g.objects(p, RDF.type)]
        parts.append(_entry(g, p, ", ".join(sorted(kinds)), [
            ("domain", _refs(list(g.objects(p, RDFS.domain)), declared)),
            ("range", _refs(list(g.objects(p, RDFS.range)), declared)),
            ("subproperty of", _refs(list(g.objects(p, RDFS.subPropertyOf)), declared)),
            ("inverse of", _refs(list(g.objects(p, OWL.inverseOf)), declared)),
            ("aligned with", _refs([o for m in _MAPPINGS for o in g.objects(p, m)], declared)),
        ]))  # fmt: skip
    schemes = sorted(g.subjects(RDF.type, SKOS.ConceptScheme), key=str)
    vocab = []
    for s in schemes:
        concepts = sorted(
            g.subjects(SKOS.inScheme, s), key=lambda c: str(g.value(c, SKOS.notation))
        )
        rows = "".join(
            f"<tr><td><code>{html.escape(str(g.value(c, SKOS.notation)))}</code></td>"
            f"<td>{html.escape(_text(g, c, SKOS.prefLabel, 'en'))}</td>"
            f"<td>{html.escape(_text(g, c, SKOS.prefLabel, 'pl'))}</td>"
            f"<td>{html.escape(_text(g, c, SKOS.definition, 'en'))}</td></tr>"
            for c in concepts
        )
        name = _text(g, s, SKOS.prefLabel, "en") or short(s)
        vocab.append(f"<section id='{_anchor(s)}'><h3>{html.escape(name)}"
                     f"</h3><p><code>{html.escape(str(s))}</code></p><table><tr><th>notation</th>"
                     "<th>en</th><th>pl</th><th>definition</th></tr>"
                     f"{rows}</table></section>")  # fmt: skip
    title = _text(
        g,
        URIRef("https://w3id.org/kgraph/ontology"),
        URIRef("http://purl.org/dc/terms/title"),
        "en",
    )
    index = " ".join(f"<a href='#{_anchor(t)}'>{html.escape(short(t))}</a>" for t in classes)
    pindex = " ".join(f"<a href='#{_anchor(t)}'>{html.escape(short(t))}</a>" for t in properties)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body><main>"
        f"<h1>{html.escape(title)}</h1><p>Namespace <code>{KG}</code> (prefix <code>kg:</code>). "
        f"{len(classes)} classes, {len(properties)} properties, {len(schemes)} SKOS schemes. "
        "Generated from ontology/ by <code>kgraph docs</code>; do not edit by hand.</p>"
        "<p><img src='classes.svg' alt='The kg: classes: subclasses and object properties'></p>"
        f"<h2>Classes</h2><p class='index'>{index}</p><h2>Properties</h2>"
        f"<p class='index'>{pindex}</p><h2>Classes in detail</h2>"
        + "".join(parts[: len(classes)])
        + "<h2>Properties in detail</h2>"
        + "".join(parts[len(classes) :])
        + "<h2>Vocabularies</h2>"
        + "".join(vocab)
        + "</main></body></html>\n"
    )


_CSS = (
    "body{font-family:system-ui,sans-serif;color:#222}main{max-width:70em;margin:auto}"
    "section{border-top:1px solid #ddd;padding:.3em 0}th{text-align:left;padding-right:1em;"
    "vertical-align:top;font-weight:normal;color:#666}.index a{margin-right:.6em}"
    "small{color:#888;font-weight:normal}img{max-width:100%}"
)


def class_diagram(onto: Ontology, *, seed: int = 1) -> str:
    """An SVG of the kg: classes with their subclass links and object properties."""
    g = onto.graph
    classes = sorted((c for c in onto.classes if str(c).startswith(str(KG))), key=str)
    index: dict[Node, int] = {c: i for i, c in enumerate(classes)}
    edges: list[tuple[int, int, str, bool]] = []  # from, to, label, is-subclass
    for c in classes:
        for parent in g.objects(c, RDFS.subClassOf):
            if parent in index:
                edges.append((index[c], index[parent], "", True))
    named: dict[tuple[int, int], list[str]] = {}  # one arrow per pair, its properties listed
    for p in sorted(onto.properties, key=str):
        if (p, RDF.type, OWL.ObjectProperty) not in g:
            continue
        for d in g.objects(p, RDFS.domain):
            for r in g.objects(p, RDFS.range):
                if d in index and r in index and d != r:
                    named.setdefault((index[d], index[r]), []).append(short(p))
    edges += [(a, b, ", ".join(names), False) for (a, b), names in sorted(named.items())]
    graph = ig.Graph(n=len(classes), edges=[(a, b) for a, b, _, _ in edges])
    ig.set_random_number_generator(random.Random(seed))
    try:
        layout = graph.layout_fruchterman_reingold(niter=2000)
    finally:
        ig.set_random_number_generator(random)
    xs, ys = zip(*layout.coords, strict=True) if classes else ((0.0,), (0.0,))
    width, height, pad = 1400, 1000, 90
    span_x, span_y = (max(xs) - min(xs)) or 1, (max(ys) - min(ys)) or 1
    pos = [(pad + (x - min(xs)) / span_x * (width - 2 * pad),
            pad + (y - min(ys)) / span_y * (height - 2 * pad))
           for x, y in zip(xs, ys, strict=True)]  # fmt: skip
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
           f"viewBox='0 0 {width} {height}' font-family='sans-serif' font-size='11'>",
           "<defs><marker id='sub' markerWidth='12' markerHeight='12' refX='11' refY='6' "
           "orient='auto'><path d='M0,0 L11,6 L0,12 z' fill='white' stroke='#333'/></marker>"
           "<marker id='prop' markerWidth='10' markerHeight='10' refX='9' refY='5' orient='auto'>"
           "<path d='M0,0 L9,5 L0,10 z' fill='#46a'/></marker></defs>",
           "<rect width='100%' height='100%' fill='white'/>"]  # fmt: skip
    for a, b, label, sub in edges:
        (x1, y1), (x2, y2) = pos[a], pos[b]
        length = math.hypot(x2 - x1, y2 - y1) or 1
        x2, y2 = x2 - (x2 - x1) / length * 20, y2 - (y2 - y1) / length * 14  # stop at the box
        colour, marker = ("#333", "sub") if sub else ("#46a", "prop")
        out.append(f"<line x1='{x1:.0f}' y1='{y1:.0f}' x2='{x2:.0f}' y2='{y2:.0f}' "
                   f"stroke='{colour}' marker-end='url(#{marker})'/>")  # fmt: skip
        if label:
            out.append(f"<text x='{(x1 + x2) / 2:.0f}' y='{(y1 + y2) / 2 - 3:.0f}' "
                       f"fill='#46a' text-anchor='middle'>{html.escape(label)}</text>")  # fmt: skip
    for c, (x, y) in zip(classes, pos, strict=True):
        name = short(c).removeprefix("kg:")
        w = 8 + 7 * len(name)
        out.append(f"<rect x='{x - w / 2:.0f}' y='{y - 11:.0f}' width='{w}' height='22' rx='4' "
                   "fill='#eef3e8' stroke='#4a7'/>"
                   f"<text x='{x:.0f}' y='{y + 4:.0f}' text-anchor='middle'>{name}"
                   "</text>")  # fmt: skip
    out.append("</svg>\n")
    return "\n".join(out)


def write_docs(onto: Ontology, out_dir: Path) -> list[Path]:
    """Write ``out_dir``/ontology.html and classes.svg atomically; return the paths."""
    bind_prefixes(onto.graph)
    return write_atomically({
        out_dir / "ontology.html": ontology_page(onto).encode("utf-8"),
        out_dir / "classes.svg": class_diagram(onto).encode("utf-8"),
    })  # fmt: skip
