"""The linked-data server: content negotiation, the SPARQL protocol, hardening, a real browser."""

from __future__ import annotations

import asyncio
import csv
import io
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx2 as httpx
import pytest
import uvicorn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper
from starlette.testclient import TestClient

from kgraph.namespaces import BASE, DCAT, KG, RDF, VOID
from kgraph.pipeline import build
from kgraph.sandbox import Answer, Pool, Refused
from kgraph.serve import ServeConfig, Site, create_app, load_site

EVOLUMA = "/id/organisation/evoluma"
EVOLUMA_IRI = URIRef(f"{BASE}id/organisation/evoluma")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SERVICE = "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
FOREVER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CONFIG = ServeConfig(timeout=3.0, max_rows=5, max_body=4096, workers=2)


@pytest.fixture(scope="module")
def site(paths, tmp_path_factory: pytest.TempPathFactory) -> Site:
    return load_site(build(paths)[2].triples, paths, tmp_path_factory.mktemp("serve"))


@pytest.fixture(scope="module")
def client(site: Site) -> Iterator[TestClient]:
    with TestClient(create_app(site, CONFIG), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def live(site: Site) -> Iterator[str]:
    """The app on a real uvicorn server on a free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(site, CONFIG), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.mark.parametrize(
    ("accept", "ext", "media"),
    [
        ("text/html", "html", "text/html"),
        ("text/turtle", "ttl", "text/turtle"),
        ("application/ld+json", "jsonld", "application/ld+json"),
        ("application/n-triples", "nt", "application/n-triples"),
        ("text/turtle;q=0.5, application/ld+json;q=0.9", "jsonld", "application/ld+json"),
        ("*/*", "html", "text/html"),
    ],
)
def test_an_entity_iri_redirects_to_the_document_in_the_type_asked_for(
    client: TestClient, accept: str, ext: str, media: str
):
    first = client.get(EVOLUMA, headers={"Accept": accept}, follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == f"/doc/organisation/evoluma.{ext}"
    assert "Accept" in first.headers["vary"]
    doc = client.get(first.headers["location"])
    assert doc.status_code == 200
    assert doc.headers["content-type"].startswith(media)
    if ext == "html":
        assert "<h1>Evoluma" in doc.text
        assert "<svg" in doc.text  # the ego-network picture
        assert "href='/id/" in doc.text  # links stay on this server
    else:
        fmt = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt"}[ext]
        g = Graph().parse(data=doc.text, format=fmt)
        assert (EVOLUMA_IRI, RDF.type, KG.Cluster) in g
        assert any(g.subjects(None, EVOLUMA_IRI))  # what links to it comes along


def test_vocabulary_concepts_dereference_too(client: TestClient):
    first = client.get("/vocab/participation-role/lead-partner", follow_redirects=False,
                       headers={"Accept": "text/turtle"})  # fmt: skip
    assert first.status_code == 303
    assert first.headers["location"] == "/doc/vocab/participation-role/lead-partner.ttl"
    g = Graph().parse(data=client.get(first.headers["location"]).text, format="turtle")
    concept = URIRef(f"{BASE}vocab/participation-role/lead-partner")
    assert (concept, RDF.type, URIRef("http://www.w3.org/2004/02/skos/core#Concept")) in g
    assert "lead partner" in client.get("/vocab/participation-role/lead-partner").text.lower()


def test_a_document_without_extension_negotiates_directly(client: TestClient):
    doc = client.get("/doc/organisation/evoluma", headers={"Accept": "text/turtle"})
    assert doc.status_code == 200
    assert doc.headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize(
    "path", ["/id/organisation/nobody", "/doc/organisation/nobody.ttl", "/nowhere", "/dist/x"]
)
def test_unknown_things_are_404(client: TestClient, path: str):
    assert client.get(path).status_code == 404


def test_dumps_ontology_void_and_network_pages(client: TestClient, site: Site, built):
    for fmt, path in built.written.items():
        assert client.get(f"/dist/kgraph.{fmt.value}").content == path.read_bytes()
    onto = Graph().parse(data=client.get("/ontology").text, format="turtle")
    assert (KG.Project, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in onto
    void = Graph().parse(data=client.get("/.well-known/void").text, format="turtle")
    dataset = URIRef(f"{BASE}id/dataset/kgraph")
    assert (dataset, RDF.type, VOID.Dataset) in void
    assert len(list(void.objects(dataset, DCAT.distribution))) == 3
    network = client.get("/network/organisations.html").text
    assert "/id/organisation/podlaskie-marshal-office" in network
    assert f"{BASE}id/" not in network
    assert 'src="http' not in network


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_select_results_in_every_format(client: TestClient, site: Site, accept: str, media: str):
    answer = client.get("/sparql", params={"query": COUNT}, headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(media)
    assert str(len(site.store)) in answer.text


def test_post_forms_ask_and_construct(client: TestClient):
    body = client.post("/sparql", content=COUNT,
                       headers={"Content-Type": "application/sparql-query"})  # fmt: skip
    assert body.json()["head"]["vars"] == ["n"]
    form = client.post("/sparql", data={"query": f"ASK {{ <{EVOLUMA_IRI}> ?p ?o }}"})
    assert form.json()["boolean"] is True
    query = (f"CONSTRUCT {{ <{EVOLUMA_IRI}> ?p ?o }} WHERE {{ <{EVOLUMA_IRI}> ?p ?o "
             f"FILTER (?o = <{KG.Cluster}>) }}")  # fmt: skip
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld")):
        answer = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert (EVOLUMA_IRI, RDF.type, KG.Cluster) in Graph().parse(data=answer.text, format=fmt)
    description = client.get("/sparql", headers={"Accept": "text/turtle"})
    sd = Graph().parse(data=description.text, format="turtle")
    sd_ns = "http://www.w3.org/ns/sparql-service-description#"
    assert any(sd.subjects(RDF.type, URIRef(sd_ns + "Service")))
    assert client.get("/sparql", headers={"Accept": "text/html"},
                      follow_redirects=False).headers["location"] == "/query"  # fmt: skip


def test_answers_are_cut_at_the_row_cap_and_say_so(client: TestClient):
    answer = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                        headers={"Accept": "text/csv"})  # fmt: skip
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert len(rows) == 1 + CONFIG.max_rows
    assert "5 rows" in answer.headers["x-kgraph-truncated"]
    small = client.get("/sparql", params={"query": COUNT})
    assert "x-kgraph-truncated" not in small.headers


@pytest.mark.parametrize(
    ("kind", "request_args", "status"),
    [
        ("update parameter", {"params": {"update": "DROP ALL"}}, 403),
        ("update as a query", {"params": {"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}}, 403),
        ("SERVICE", {"params": {"query": SERVICE}}, 403),
        ("malformed", {"params": {"query": "SELEKT ?x WHERE { ?x ?y }"}}, 400),
        ("oversize query string", {"params": {"query": "SELECT * {}" + " " * 5000}}, 414),
    ],
)
def test_refusals(client: TestClient, kind: str, request_args: dict[str, object], status: int):
    answer = client.get("/sparql", **request_args)  # type: ignore[arg-type]
    assert answer.status_code == status, kind
    assert "Traceback" not in answer.text
    assert answer.text.strip()  # a reason, in words


def test_refusals_of_posts(client: TestClient):
    update = client.post("/sparql", content="DROP ALL",
                         headers={"Content-Type": "application/sparql-update"})  # fmt: skip
    assert update.status_code == 403
    big = client.post("/sparql", content="SELECT * {}" + " " * 10_000,
                      headers={"Content-Type": "application/sparql-query"})  # fmt: skip
    assert big.status_code == 413
    assert (
        client.post("/sparql", content="x", headers={"Content-Type": "text/plain"}).status_code
        == 415
    )
    malformed = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert malformed.status_code == 400
    assert "error at" in malformed.text  # the parser's message


def test_service_and_update_words_inside_strings_and_iris_are_fine(client: TestClient):
    query = ('SELECT ?x WHERE { BIND ("SERVICE INSERT DROP" AS ?x) '
             "FILTER (?x != <http://example.org/SERVICE>) } # SERVICE in a comment")  # fmt: skip
    answer = client.get("/sparql", params={"query": query})
    assert answer.status_code == 200
    assert answer.json()["results"]["bindings"][0]["x"]["value"] == "SERVICE INSERT DROP"


def test_a_query_that_runs_forever_is_cut_and_others_go_on(live: str):
    results: dict[str, httpx.Response] = {}

    def ask(name: str, query: str) -> None:
        results[name] = httpx.get(f"{live}/sparql", params={"query": query}, timeout=60)

    slow = threading.Thread(target=ask, args=("forever", FOREVER))
    start = time.monotonic()
    slow.start()
    time.sleep(0.5)
    ask("meanwhile", COUNT)  # the other worker answers while the first is busy
    assert results["meanwhile"].status_code == 200
    assert time.monotonic() - start < CONFIG.timeout
    slow.join(60)
    assert results["forever"].status_code == 503
    assert "time limit" in results["forever"].text
    for _ in range(3):  # both workers answer again (the killed one was replaced)
        assert httpx.get(f"{live}/sparql", params={"query": COUNT}).status_code == 200


def test_a_query_that_needs_too_much_memory_is_stopped_and_the_pool_goes_on(site: Site):
    async def scenario() -> tuple[Refused, Answer]:
        pool = Pool(site.ntriples, workers=1, timeout=60, max_rows=5, memory=600 * 1024**2)
        try:
            with pytest.raises(Refused) as caught:
                await pool.run(f"{FOREVER.replace('(COUNT(*) AS ?n)', '*')} ORDER BY ?a ?f ?l", [])
            return caught.value, await pool.run(COUNT, ["text/csv"])
        finally:
            pool.close()

    # in a thread of its own: Playwright's sync API keeps an event loop running in this one
    with ThreadPoolExecutor(1) as thread:
        refused, after = thread.submit(lambda: asyncio.run(scenario())).result()
    assert refused.status == 503
    assert "memory" in str(refused)
    assert after.body.splitlines()[1] == str(len(site.store)).encode()


def test_sparqlwrapper_as_a_client(live: str, site: Site):
    wrapper = SPARQLWrapper(f"{live}/sparql")
    wrapper.setQuery(COUNT)
    wrapper.setReturnFormat(JSON)
    count = wrapper.query().convert()["results"]["bindings"][0]["n"]["value"]  # type: ignore[index,call-overload]
    assert int(count) == len(site.store)
    wrapper.setQuery(f"DESCRIBE <{EVOLUMA_IRI}>")
    wrapper.setReturnFormat(TURTLE)
    described = wrapper.query().convert()
    assert isinstance(described, bytes)
    g = Graph().parse(data=described, format="turtle")
    assert set(g.subjects()) == {EVOLUMA_IRI}
    assert len(g) == CONFIG.max_rows  # cut at the cap, like every answer


QUERY_WORDS = ["SELECT", "*", "?x", "?y", "WHERE", "{", "}", "(", ")", ".", "FILTER", "SERVICE",
               "<http://a.example/b>", '"x"', "COUNT", "GROUP BY", "ORDER BY", "LIMIT", "1",
               "OPTIONAL", "UNION", "ASK", "CONSTRUCT", "DESCRIBE", "PREFIX", "a:", "a:b", "#",
               "INSERT", "DATA", "\n", "'", "\\", "BIND", "AS", "VALUES", "^^", "@en", "%",
               "\x00"]  # fmt: skip


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.one_of(st.text(max_size=200),
                    st.lists(st.sampled_from(QUERY_WORDS), max_size=25).map(" ".join)),
    path=st.tuples(
        st.sampled_from(["", "id/", "id/organisation/", "doc/", "doc/organisation/", "dist/",
                         "network/", "static/", "sparql", ".well-known/", "../", "query"]),
        st.text(max_size=60),
    ).map(lambda parts: parts[0] + quote(parts[1], safe="/.%?&=")),
)  # fmt: skip
def test_random_queries_and_paths_never_get_a_500(client: TestClient, query: str, path: str):
    answer = client.get("/sparql", params={"query": query})
    assert answer.status_code in (200, 400, 403, 503), (query, answer.text)
    page = client.get("/" + path.lstrip("/"), follow_redirects=False)
    assert page.status_code < 500, (path, page.text)


def test_the_server_still_answers_after_the_fuzzing(client: TestClient):
    assert client.get("/sparql", params={"query": COUNT}).status_code == 200


def test_the_query_page_runs_a_named_query_in_chromium(live: str, browser, tmp_path: Path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def only_loopback(route) -> None:
        if route.request.url.startswith(live):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.on("requestfailed", lambda r: problems.append(f"failed {r.url}"))
    tab.goto(f"{live}/query")
    names = tab.evaluate("window.kgraphTabs")
    assert "project-partners" in names
    tab.get_by_text("project-partners", exact=True).first.click()
    editor = tab.locator(".yasqe .CodeMirror:visible")
    editor.wait_for()
    assert "VALUES (?project)" in editor.inner_text()  # the default parameter, bound
    tab.locator(".yasqe_queryButton:visible").click()
    results = tab.locator(".yasr:visible table tbody tr")
    results.first.wait_for(timeout=30_000)
    rows = results.count()
    tab.screenshot(path=str(tmp_path / "query-page.png"))
    assert rows >= 5  # Next2Met's partners
    assert outside == []
    assert problems == []
    context.close()


def test_the_readme_s_remote_query_example_runs_against_the_server(live: str, capsys):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index("### Querying a remote endpoint from Python")
    code = readme[
        readme.index("```python\n", start) + 10 : readme.index(
            "```", readme.index("```python\n", start) + 10
        )
    ]
    assert "http://127.0.0.1:8000/sparql" in code
    exec(compile(code.replace("http://127.0.0.1:8000", live), "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "bialystok-university-of-technology" in printed  # GoSmart BSR's lead partner
