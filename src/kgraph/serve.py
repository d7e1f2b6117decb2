"""Stage 8: the linked-data server: SPARQL endpoint, entity pages, dumps, network pages.

Every IRI kgraph mints, ``https://w3id.org/kgraph/id/{kind}/{slug}``, names a thing, not a
document, so ``/id/{kind}/{slug}`` answers 303 See Other to the document about it,
``/doc/{kind}/{slug}.{html,ttl,jsonld,nt}``, picked by the Accept header (the Cool URIs for the
Semantic Web note, section 4.3); ``/doc/{kind}/{slug}`` negotiates directly. /sparql speaks the
SPARQL 1.1 Protocol through ``kgraph.sandbox`` (read-only, no SERVICE, time limit, row cap);
/query is YASGUI, bundled in the package, with the named queries of queries/ as tabs. The dumps,
the ontology, VoID at /.well-known/void and the network pages come from memory. No request ever
sees a stack trace.
"""

from __future__ import annotations

import html
import json
import logging
import math
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.term import Node
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from kgraph.describe import DATASET_IRI
from kgraph.export import (
    RdfFormat,
    serialize,
    to_jsonld,
    to_ntriples,
    to_turtle,
    write_atomically,
)
from kgraph.namespaces import BASE, RDF, RDFS
from kgraph.network import bipartite, country_graph, organisation_graph
from kgraph.paths import ProjectPaths
from kgraph.query import NamedQuery, bind, load_catalogue
from kgraph.results import short
from kgraph.sandbox import GRAPH_TYPES, RESULT_TYPES, Pool, Refused
from kgraph.store import from_ox, to_ox
from kgraph.visualise import page

__all__ = ["ServeConfig", "Site", "create_app", "load_site"]

DOC_TYPES = {
    "html": "text/html",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
}
SD = "http://www.w3.org/ns/sparql-service-description#"
LOG = logging.getLogger("kgraph.serve")


@dataclass(frozen=True)
class ServeConfig:
    """Limits of the endpoint."""

    timeout: float = 10.0  # seconds a /sparql query may run
    max_rows: int = 10_000  # rows (or triples) a /sparql answer may have
    max_body: int = 64 * 1024  # bytes of a request body or query string
    workers: int = 2  # processes answering /sparql
    memory: int = 4 * 1024**3  # bytes of address space each of them may use (0: no cap)


@dataclass
class Site:
    """What the server serves: the store, the dumps, the ontology, pages, the named queries."""

    store: ox.Store
    dumps: dict[str, bytes]  # file name in /dist/ -> bytes
    ontology: bytes  # Turtle
    pages: dict[str, str]  # file name in /network/ -> HTML
    queries: dict[str, NamedQuery]
    ntriples: Path  # the dump the /sparql workers load


def _accepted(request: Request) -> list[str]:
    """Media types of the Accept header, best first (q-values honoured, order kept on ties)."""
    ranked = []
    for i, part in enumerate(request.headers.get("accept", "").split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranked.append((-q, i, media.lower()))
    return [m for _, _, m in sorted(ranked)]


def _choose(request: Request, offered: list[str]) -> str:
    """The offered type the client prefers; the first offered for */* or no Accept."""
    for media in _accepted(request):
        if media in offered:
            return media
        if media in ("*/*", "text/*", "application/*"):
            kind = media.split("/")[0]
            return next((o for o in offered if kind == "*" or o.startswith(kind)), offered[0])
    return offered[0]


def _local(iri: str) -> str:
    """A link inside this server for kgraph's IRIs, the IRI itself otherwise."""
    return "/" + iri[len(BASE) :] if iri.startswith(BASE) else iri


def _doc_path(iri: str) -> str:
    """Where the document about a kgraph IRI lives: /doc/{kind}/{slug}, /doc/vocab/{scheme}/…."""
    rest = iri[len(BASE) :]
    return "/doc/" + rest.removeprefix("id/")


def _page(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)} · kgraph</title><link rel='icon' href='data:,'>"
        f"<style>{CSS}</style></head><body>"
        "<nav><a href='/'>kgraph</a> · <a href='/query'>SPARQL</a> · "
        "<a href='/network/organisations.html'>network</a> · <a href='/dist/kgraph.ttl'>Turtle</a>"
        f"</nav><main>{body}</main></body></html>"
    )


class HTMLResponse(Response):
    """An HTML page."""

    media_type = "text/html"


CSS = (
    "body{font-family:system-ui,sans-serif;margin:0;color:#222}"
    "nav{background:#234;padding:.6em 1em}"
    "nav a{color:#fff;margin-right:.5em}main{padding:1em 2em;max-width:70em}"
    "table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.3em .6em;"
    "text-align:left;vertical-align:top}code{background:#f4f4f4}svg text{font-size:11px}"
)


Triples = list[tuple[Node, Node, Node]]


def _matching(store: ox.Store, s: Node | None, o: Node | None = None) -> Triples:
    """The statements with subject ``s`` and/or object ``o``, as rdflib terms."""
    quads = store.quads_for_pattern(
        None if s is None else to_ox(s),  # type: ignore[arg-type]
        None,
        None if o is None else to_ox(o),
    )
    return [
        (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))  # type: ignore[arg-type]
        for q in quads
    ]


def _known(store: ox.Store, iri: str) -> bool:
    """Whether ``iri`` is the subject of any statement.

    A path that makes no valid IRI (``/id/%EF%BF%B0`` did, in the fuzz test) is about nothing.
    """
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return False
    return next(iter(store.quads_for_pattern(node, None, None)), None) is not None


def _triples(store: ox.Store, iri: str) -> Triples:
    """Statements about ``iri``: those it is the subject of, then those pointing at it."""
    if not _known(store, iri):
        return []
    return _matching(store, URIRef(iri)) + _matching(store, None, URIRef(iri))


def _label(store: ox.Store, node: Node) -> str:
    """The English label of ``node`` (any label if none is English), else its short name."""
    if not isinstance(node, URIRef):
        return str(node)
    label = ox.NamedNode(str(RDFS.label))
    labels = [q.object for q in store.quads_for_pattern(ox.NamedNode(str(node)), label, None)]
    texts = sorted((x.language != "en", x.value) for x in labels if isinstance(x, ox.Literal))
    if texts:
        return texts[0][1]
    return short(node)


def _link(store: ox.Store, node: Node) -> str:
    if isinstance(node, URIRef):
        text = html.escape(_label(store, node))
        return f"<a href='{html.escape(_local(str(node)))}'>{text}</a>"
    if isinstance(node, Literal) and node.language:
        return f"{html.escape(str(node))} <small>@{node.language}</small>"
    return html.escape(str(node))


def _ego_svg(store: ox.Store, iri: URIRef, triples: Triples) -> str:
    """A small picture of the thing and the things it links to or is linked from."""
    others = sorted({str(o) for s, p, o in triples if s == iri and isinstance(o, URIRef)
                     and p != RDF.type and str(o).startswith(BASE)}
                    | {str(s) for s, p, o in triples if o == iri})[:24]  # fmt: skip
    if not others:
        return ""
    size, r = 420, 160
    parts = [f"<svg width='{size}' height='{size}' role='img' aria-label='links'>"]
    spots = []
    for i, other in enumerate(others):
        angle = 2 * math.pi * i / len(others)
        x, y = size / 2 + r * math.cos(angle), size / 2 + r * math.sin(angle)
        spots.append((other, x, y))
        parts.append(f"<line x1='{size / 2}' y1='{size / 2}' x2='{x:.0f}' y2='{y:.0f}' "
                     "stroke='#aab'/>")  # fmt: skip
    for other, x, y in spots:
        label = html.escape(_label(store, URIRef(other))[:28])
        parts.append(f"<a href='{html.escape(_local(other))}'><circle cx='{x:.0f}' cy='{y:.0f}' "
                     f"r='6' fill='#4a7'/><text x='{x + 8:.0f}' y='{y + 4:.0f}'>{label}"
                     "</text></a>")  # fmt: skip
    own = html.escape(_label(store, iri)[:30])
    parts.append(f"<circle cx='{size / 2}' cy='{size / 2}' r='9' fill='#c54'/>"
                 f"<text x='{size / 2 + 11}' y='{size / 2 + 4}'><tspan font-weight='bold'>{own}"
                 "</tspan></text></svg>")  # fmt: skip
    return "".join(parts)


def _entity_html(store: ox.Store, iri: URIRef, triples: Triples) -> str:
    """The body of a thing's page: its statements, a picture of its links, what links to it."""
    about = sorted((t for t in triples if t[0] == iri), key=lambda t: (short(t[1]), str(t[2])))
    rows = [f"<tr><th>{html.escape(short(p))}</th><td>{_link(store, o)}</td></tr>"
            for _, p, o in about]  # fmt: skip
    linking = sorted((t for t in triples if t[2] == iri), key=lambda t: str(t[0]))
    back = [f"<tr><td>{_link(store, s)}</td><th>{html.escape(short(p))}</th></tr>"
            for s, p, _ in linking]  # fmt: skip
    doc = _doc_path(str(iri))
    formats = " · ".join(f"<a href='{doc}.{ext}'>{ext}</a>" for ext in ("ttl", "jsonld", "nt"))
    return (
        f"<h1>{html.escape(_label(store, iri))}</h1><p><code>{html.escape(str(iri))}</code> · "
        f"{formats}</p>{_ego_svg(store, iri, triples)}<h2>About it</h2><table>{''.join(rows)}"
        f"</table>" + (f"<h2>Linked from</h2><table>{''.join(back)}</table>" if back else "")
    )


def _graph_response(triples: Triples, media: str) -> Response:
    writer = {"text/turtle": to_turtle, "application/ld+json": to_jsonld,
              "application/n-triples": to_ntriples}[media]  # fmt: skip
    return Response(writer(triples), media_type=media, headers={"Vary": "Accept"})


def create_app(site: Site, config: ServeConfig | None = None) -> Starlette:
    """The Starlette application serving ``site``."""
    cfg = config or ServeConfig()
    pool: list[Pool] = []  # started on first use, so tests that never query start no process

    def sparql_pool() -> Pool:
        if not pool:
            pool.append(Pool(site.ntriples, workers=cfg.workers, timeout=cfg.timeout,
                             max_rows=cfg.max_rows, memory=cfg.memory))  # fmt: skip
        return pool[0]

    async def home(request: Request) -> Response:
        counts = len(site.store)
        links = "".join(f"<li><a href='/network/{n}'>{n}</a></li>" for n in sorted(site.pages))
        dumps = "".join(f"<li><a href='/dist/{n}'>{n}</a></li>" for n in sorted(site.dumps))
        return _page("kgraph", f"<h1>kgraph</h1><p>{counts:,} triples of European regional "
                     "cooperation.</p><ul><li><a href='/query'>SPARQL query page</a> "
                     "(endpoint: <code>/sparql</code>)</li><li><a href='/ontology'>ontology</a>"
                     "</li><li><a href='/.well-known/void'>VoID description</a></li></ul>"
                     f"<h2>Networks</h2><ul>{links}</ul>"
                     f"<h2>Downloads</h2><ul>{dumps}</ul>")  # fmt: skip

    async def thing(request: Request) -> Response:
        path = request.url.path
        iri = URIRef(BASE + path.lstrip("/"))
        if not _known(site.store, str(iri)):  # the 303 needs no statements, only that some exist
            raise HTTPException(404, f"nothing is known about {iri}")
        ext = {v: k for k, v in DOC_TYPES.items()}[_choose(request, list(DOC_TYPES.values()))]
        target = _doc_path(str(iri)) + "." + ext
        return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})

    async def document(request: Request) -> Response:
        rest = request.path_params["rest"]
        name, dot, ext = rest.rpartition(".")
        if not dot or ext not in DOC_TYPES or "/" not in name:
            name, ext = rest, ""
        iri = URIRef(BASE + (name if name.startswith("vocab/") else f"id/{name}"))
        triples = _triples(site.store, str(iri))
        if not triples:
            raise HTTPException(404, f"nothing is known about {iri}")
        media = DOC_TYPES[ext] if ext else _choose(request, list(DOC_TYPES.values()))
        if media == "text/html":
            return _page(_label(site.store, iri), _entity_html(site.store, iri, triples))
        return _graph_response(triples, media)

    async def sparql(request: Request) -> Response:
        if request.method == "POST":
            body = await request.body()
            kind = request.headers.get("content-type", "").split(";")[0].strip()
            form = parse_qs(body.decode("utf-8", errors="replace"))
            if kind == "application/sparql-update" or "update" in form:
                raise Refused(403, "this endpoint is read-only: SPARQL Update is refused")
            if kind == "application/sparql-query":
                text = body.decode("utf-8", errors="replace")
            elif kind == "application/x-www-form-urlencoded":
                text = (form.get("query") or [""])[0]
            else:
                raise HTTPException(415, "send application/sparql-query or a form with query=")
        else:
            if "update" in request.query_params:
                raise Refused(403, "this endpoint is read-only: SPARQL Update is refused")
            text = request.query_params.get("query", "")
        if not text.strip():
            if _choose(request, ["text/html", "text/turtle"]) == "text/html":
                return RedirectResponse("/query", status_code=303)
            return _graph_response(_service_description(request), "text/turtle")
        answer = await sparql_pool().run(text, [*_accepted(request), "*/*"])
        headers = {"Vary": "Accept"}
        if answer.truncated:
            headers["X-Kgraph-Truncated"] = f"the answer was cut at {cfg.max_rows} rows"
        return Response(answer.body, media_type=answer.media_type, headers=headers)

    def _service_description(request: Request) -> Triples:
        endpoint = URIRef(str(request.url.replace(query="")))
        service = URIRef(str(endpoint) + "#service")

        def sd(name: str) -> URIRef:
            return URIRef(SD + name)

        triples: Triples = [
            (service, RDF.type, sd("Service")),
            (service, sd("endpoint"), endpoint),
            (service, sd("supportedLanguage"), sd("SPARQL11Query")),
            (service, sd("defaultDataset"), DATASET_IRI),
            (service, sd("feature"), sd("UnionDefaultGraph")),
        ]
        for media in sorted({*RESULT_TYPES, *GRAPH_TYPES}):
            triples.append((service, sd("resultFormat"), Literal(media)))
        return triples

    async def query_page(request: Request) -> Response:
        # each named query with its default parameters bound in a VALUES block, ready to run
        tabs = [{"name": q.name, "title": q.title, "query": bind(q, {})}
                for q in sorted(site.queries.values(), key=lambda q: q.name)]  # fmt: skip
        data = json.dumps(tabs).replace("</", "<\\/")
        return HTMLResponse(QUERY_PAGE.replace("@TABS@", data))

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ("yasgui.min.js", "yasgui.min.css"):
            raise HTTPException(404, "no such file")
        media = "text/javascript" if name.endswith(".js") else "text/css"
        data = resources.files("kgraph").joinpath("static", name).read_bytes()
        return Response(data, media_type=media, headers={"Cache-Control": "max-age=86400"})

    async def dump(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in site.dumps:
            raise HTTPException(404, "no such file")
        media = {"ttl": "text/turtle", "nt": "application/n-triples",
                 "jsonld": "application/ld+json"}[name.rsplit(".", 1)[1]]  # fmt: skip
        return Response(site.dumps[name], media_type=media)

    async def network(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in site.pages:
            raise HTTPException(404, "no such page")
        return HTMLResponse(site.pages[name])

    async def ontology(request: Request) -> Response:
        return Response(site.ontology, media_type="text/turtle")

    async def void(request: Request) -> Response:
        triples = _matching(site.store, DATASET_IRI)
        for d in [o for _, p, o in triples if str(p).endswith("#distribution")]:
            triples += _matching(site.store, d)
        media = _choose(request, ["text/turtle", "application/ld+json", "application/n-triples"])
        return _graph_response(triples, media)

    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Refused)
        return PlainTextResponse(str(exc) + "\n", status_code=exc.status)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return PlainTextResponse(f"{exc.detail}\n", status_code=exc.status_code)

    async def failure(request: Request, exc: Exception) -> Response:
        LOG.error("failed: %s %s", request.method, request.url.path, exc_info=exc)
        return PlainTextResponse("internal error; the server log has the details\n", 500)

    routes = [
        Route("/", home),
        Route("/id/{rest:path}", thing),
        Route("/vocab/{rest:path}", thing),
        Route("/doc/{rest:path}", document),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/query", query_page),
        Route("/static/{name}", static),
        Route("/dist/{name}", dump),
        Route("/network/{name}", network),
        Route("/ontology", ontology),
        Route("/.well-known/void", void),
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        for p in pool:
            p.close()

    app = Starlette(
        lifespan=lifespan,
        routes=routes,
        middleware=[Middleware(_LimitSize, limit=cfg.max_body)],
        exception_handlers={Refused: refused, HTTPException: http_error, Exception: failure},
    )
    app.state.pools = pool
    return app


class _LimitSize(BaseHTTPMiddleware):
    """Refuse request bodies and query strings over ``limit`` bytes (413, 414)."""

    def __init__(self, app: Callable[..., Awaitable[None]], limit: int) -> None:
        super().__init__(app)
        self.limit = limit

    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """Check the sizes, then pass the request on."""
        if len(request.url.query) > self.limit:
            return PlainTextResponse("query string too long\n", status_code=414)
        declared = request.headers.get("content-length", "0")
        if not declared.isdigit() or int(declared) > self.limit:
            return PlainTextResponse("request body too large\n", status_code=413)
        return await call_next(request)


def load_site(
    triples: Collection[tuple[Node, Node, Node]], paths: ProjectPaths, workdir: Path
) -> Site:
    """Everything the server serves, made from ``triples`` once, before the first request.

    ``workdir`` receives the N-Triples the /sparql worker processes load.
    """
    dumps = {f"kgraph.{fmt.value}": serialize(triples, fmt).encode("utf-8") for fmt in RdfFormat}
    ntriples = workdir / "kgraph.nt"
    write_atomically({ntriples: dumps["kgraph.nt"]})
    store = ox.Store()
    store.bulk_load(dumps["kgraph.nt"], ox.RdfFormat.N_TRIPLES)
    orgs = organisation_graph(bipartite(store, events=True))
    pages = {}
    for name, view in (("organisations", orgs), ("countries", country_graph(orgs))):
        text = page(view, title=f"kgraph: {name}") if view.number_of_nodes() else "<p>empty</p>"
        pages[f"{name}.html"] = text.replace(f"{BASE}id/", "/id/")
    return Site(store, dumps, paths.ontology_file.read_bytes(), pages,
                load_catalogue(paths.queries), ntriples)  # fmt: skip


QUERY_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>SPARQL · kgraph</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/yasgui.min.css">
<script src="/static/yasgui.min.js"></script>
<style>body{font-family:system-ui,sans-serif;margin:0}nav{background:#234;padding:.6em 1em}
nav a{color:#fff;margin-right:.5em}#yasgui{padding:0 1em}</style></head><body>
<nav><a href="/">kgraph</a> · <a href="/query">SPARQL</a> ·
<a href="/network/organisations.html">network</a></nav>
<div id="yasgui"></div>
<script>
const tabs = @TABS@;
localStorage.clear();
const endpoint = new URL("/sparql", location.href).href;
const yasgui = new Yasgui(document.getElementById("yasgui"), {
  requestConfig: { endpoint, method: "POST" },
  copyEndpointOnNewTab: true,
  persistenceId: null,
  endpointCatalogueOptions: { getData: () => [] },
  yasqe: { resizeable: true },
});
for (const t of tabs) {
  yasgui.addTab(false, { ...Yasgui.Tab.getDefaults(yasgui), name: t.name,
                         requestConfig: { endpoint, method: "POST" }, yasqe: { value: t.query } });
}
window.kgraphTabs = tabs.map(t => t.name);
</script></body></html>
"""
