"""Running SPARQL from strangers: read-only, no SERVICE, a time limit and a row cap.

``kgraph serve`` runs every /sparql query in a worker process that holds its own copy of the
store. pyoxigraph evaluates a query in Rust and cannot be interrupted from Python, so the only
sure way to stop a query designed to run forever is to end its process: the pool kills a worker
that passes the time limit and starts a fresh one, while the other workers go on answering.
Queries are checked before they are run: SPARQL Update and SERVICE are refused (the endpoint
makes no requests to other hosts), and results past the row cap are cut and reported.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import multiprocessing as mp
import re
import resource
from collections.abc import Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TypeVar
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

__all__ = ["Answer", "Pool", "Refused", "check_query", "evaluate"]

#: media type -> (kind, format); SELECT/ASK results first, graphs after.
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_SKIPPED = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'  # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'  # strings
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"  # IRIs
    r"|#[^\n]*",  # comments
    re.S,
)
_UPDATE = re.compile(
    r"(?<![\w:?$])(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD)(?![\w:])", re.I
)
_SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w:])", re.I)


class Refused(Exception):
    """A query this endpoint will not run; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class Answer:
    """A query's serialised results."""

    media_type: str
    body: bytes
    truncated: bool = False


def check_query(text: str) -> None:
    """Refuse SPARQL Update and SERVICE, looking only at keywords (not strings, IRIs, comments)."""
    code = _SKIPPED.sub(" ", text)
    if _UPDATE.search(code) and not re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", code, re.I):
        raise Refused(403, "this endpoint is read-only: SPARQL Update is refused")
    if _SERVICE.search(code):
        raise Refused(403, "SERVICE is refused: this endpoint makes no requests to other hosts")


def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def _xml_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"


Row = list[ox.NamedNode | ox.BlankNode | ox.Literal | None]


def _select(names: list[str], rows: list[Row], fmt: str) -> bytes:
    """SPARQL 1.1 results in JSON, XML, CSV or TSV."""
    if fmt == "json":
        bindings = [{n: _json_term(t) for n, t in zip(names, r, strict=True) if t} for r in rows]
        doc = {"head": {"vars": names}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        head = "".join(f"<variable name={quoteattr(n)}/>" for n in names)
        body = "".join(
            "<result>"
            + "".join(
                f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                for n, t in zip(names, r, strict=True)
                if t is not None
            )
            + "</result>"
            for r in rows
        )
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head>{head}</head><results>{body}</results></sparql>\n"
        ).encode()
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows(["" if t is None else t.value for t in r] for r in rows)
        return out.getvalue().encode("utf-8")
    lines = ["\t".join(f"?{n}" for n in names)]
    lines += ["\t".join("" if t is None else str(t) for t in r) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{str(value).lower()}</boolean></sparql>\n"
        ).encode()
    return b"true\n" if value else b"false\n"


T = TypeVar("T")


def _first(items: Iterable[T], limit: int) -> tuple[list[T], bool]:
    """The first ``limit`` items, and whether there were more."""
    taken: list[T] = []
    for item in items:
        if len(taken) == limit:
            return taken, True
        taken.append(item)
    return taken, False


def evaluate(store: ox.Store, text: str, accept: list[str], max_rows: int) -> Answer:
    """Run ``text`` and serialise it in the first acceptable type; raise SyntaxError if bad."""
    answer = store.query(text)
    if isinstance(answer, ox.QueryTriples):
        media = next((a for a in accept if a in GRAPH_TYPES), "text/turtle")
        triples, cut = _first(answer, max_rows)
        body = ox.serialize(triples, format=GRAPH_TYPES[media]) or b""
        return Answer(media, body, cut)
    media = next((a for a in accept if a in RESULT_TYPES), "application/sparql-results+json")
    fmt = RESULT_TYPES[media]
    if isinstance(answer, ox.QueryBoolean):
        return Answer(media, _boolean(bool(answer), fmt))
    names = [v.value for v in answer.variables]
    rows, cut = _first(answer, max_rows)
    return Answer(media, _select(names, [list(r) for r in rows], fmt), cut)


def _work(conn: Connection, ntriples: str, memory: int) -> None:
    """A worker: cap its memory, load the store, then answer queries until the pipe closes.

    A query that needs more than ``memory`` bytes makes the allocation fail and the process end
    (Rust aborts on a failed allocation); the pool sees the pipe close and starts a new worker.
    """
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    store = ox.Store()
    store.bulk_load(path=ntriples, format=ox.RdfFormat.N_TRIPLES)
    conn.send(("ready", None))
    while True:
        try:
            text, accept, max_rows = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", evaluate(store, text, accept, max_rows)))
        except SyntaxError as exc:
            conn.send(("bad", str(exc)))
        except Exception as exc:  # reported as a failure, never as a traceback
            conn.send(("error", f"the query failed ({type(exc).__name__})"))


class _Worker:
    """One worker process and its end of the pipe."""

    def __init__(self, ntriples: Path, memory: int) -> None:
        ctx = mp.get_context("spawn")  # a clean process: the server's threads are not copied
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_work, args=(child, str(ntriples), memory), daemon=True)
        self.process.start()
        child.close()
        status, _ = self.conn.recv()
        if status != "ready":
            raise RuntimeError("a SPARQL worker failed to start")

    def stop(self) -> None:
        """End the process at once."""
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class Pool:
    """Worker processes answering queries, each cut at ``timeout`` seconds."""

    def __init__(
        self, ntriples: Path, *, workers: int, timeout: float, max_rows: int, memory: int = 0
    ) -> None:
        self.ntriples, self.timeout, self.max_rows = ntriples, timeout, max_rows
        self.memory = memory
        self._all = [_Worker(ntriples, memory) for _ in range(workers)]
        self._idle: asyncio.Queue[_Worker] | None = None

    async def run(self, text: str, accept: list[str]) -> Answer:
        """Answer ``text``; raise ``Refused`` (400 bad query, 503 time limit, 500 failure)."""
        check_query(text)
        if self._idle is None:
            self._idle = asyncio.Queue()
            for w in self._all:
                self._idle.put_nowait(w)
        loop = asyncio.get_running_loop()
        worker = await self._idle.get()
        try:
            worker.conn.send((text, accept, self.max_rows))
            ready = await loop.run_in_executor(None, worker.conn.poll, self.timeout)
            if not ready:
                worker = await self._replace(worker)
                raise Refused(503, f"the query was stopped at the time limit of {self.timeout} s")
            try:
                status, value = worker.conn.recv()
            except (EOFError, OSError):  # the worker died: out of memory, or killed
                worker = await self._replace(worker)
                raise Refused(
                    503, "the query was stopped: it needed more memory than allowed"
                ) from None
        finally:
            self._idle.put_nowait(worker)
        if status == "ok":
            assert isinstance(value, Answer)
            return value
        raise Refused(400 if status == "bad" else 500, str(value))

    async def _replace(self, worker: _Worker) -> _Worker:
        """Stop ``worker`` and start a fresh one in its place."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, worker.stop)
        self._all.remove(worker)
        fresh = await loop.run_in_executor(None, _Worker, self.ntriples, self.memory)
        self._all.append(fresh)
        return fresh

    def close(self) -> None:
        """Stop every worker."""
        for w in self._all:
            w.stop()
        self._all.clear()
