"""Against a real SPARQL server: Oxigraph's, started and stopped by the test itself."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.endpoint import publish, run_remote
from kgraph.query import QueryError, bind, load_catalogue, run_local
from kgraph.results import short
from kgraph.store import to_store

runner = CliRunner()
QUERIES = sorted(p.stem for p in (Path(__file__).parents[1] / "queries").glob("*.rq"))


def _oxigraph() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).is_file():
        pytest.fail("the oxigraph server is not installed (pip install oxigraph; make install)")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server on a free loopback port, for this module only."""
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    log = (location / "server.log").open("wb")
    process = subprocess.Popen(
        [_oxigraph(), "serve", "--location", str(location / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    message = (location / "server.log").read_text(errors="replace")
                    raise RuntimeError(f"oxigraph did not start: {message}") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def published(server: str, paths) -> str:
    result = runner.invoke(
        app, ["publish", "--endpoint", f"{server}/store", "--data", str(paths.data)]
    )
    assert result.exit_code == 0, result.output
    assert "published" in result.output
    return f"{server}/query"


def test_the_published_graph_has_every_triple(published, graph):
    result = run_remote(published, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(str(result.rows[0][0])) == len(graph)


@pytest.mark.parametrize("name", QUERIES)
def test_every_named_query_gives_the_same_rows_on_the_server(published, graph, paths, name):
    query = load_catalogue(paths.queries)[name]
    text = bind(query, {})
    local = run_local(to_store(graph), text)
    remote = run_remote(published, text)
    if local.graph is not None:
        assert remote.graph is not None
        assert set(remote.graph) == set(local.graph)
    else:
        assert remote.variables == local.variables
        assert [tuple(map(short, r)) for r in remote.rows] == [
            tuple(map(short, r)) for r in local.rows
        ]
        assert remote.rows == local.rows  # same terms, datatypes and languages


def test_cli_query_on_the_endpoint(published):
    result = runner.invoke(
        app,
        [
            "query",
            "label-search",
            "-p",
            "text=politechnika",
            "--endpoint",
            published,
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Politechnika Białostocka" in result.output


def test_injection_is_harmless_on_the_endpoint(published, graph, paths):
    query = load_catalogue(paths.queries)["label-search"]
    for attack in ['x" ) } ; DROP ALL ; #', "}}} INSERT DATA { <a:b> <c:d> <e:f> } #"]:
        assert run_remote(published, bind(query, {"text": attack})).rows == []
    count = run_remote(published, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(str(count.rows[0][0])) == len(graph)


def test_unreachable_endpoint_and_bad_urls_are_clear_errors(graph):
    port = _free_port()
    with pytest.raises(QueryError, match="cannot reach"):
        run_remote(f"http://127.0.0.1:{port}/query", "ASK {}", timeout=2)
    with pytest.raises(QueryError, match="http"):
        publish(graph, "file:///etc/passwd")
