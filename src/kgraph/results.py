"""Query results as files: SPARQL 1.1 JSON, CSV and TSV, Markdown, a rich table, or Turtle."""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from rich.table import Table

from kgraph.export import to_turtle
from kgraph.namespaces import XSD, bind_prefixes
from kgraph.query import Results

__all__ = ["ResultFormat", "render", "short", "to_json", "to_table"]

_NAMES = bind_prefixes(Graph()).namespace_manager


class ResultFormat(StrEnum):
    """Formats for SELECT results (CONSTRUCT and DESCRIBE results are always Turtle)."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    MARKDOWN = "markdown"


def short(term: Node | None) -> str:
    """A readable form of a term: prefixed name for IRIs, the text of literals."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        try:
            return _NAMES.curie(term, generate=False)
        except (KeyError, ValueError):
            return str(term)
    return str(term)


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype != XSD.string:
        out["datatype"] = str(term.datatype)
    return out


def to_json(results: Results) -> str:
    """SPARQL 1.1 Query Results JSON."""
    doc: dict[str, Any]
    if results.boolean is not None:
        doc = {"head": {}, "boolean": results.boolean}
    else:
        bindings = [
            {v: _json_term(t) for v, t in zip(results.variables, row, strict=True) if t is not None}
            for row in results.rows
        ]
        doc = {"head": {"vars": results.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _csv(results: Results) -> str:
    """SPARQL 1.1 CSV: plain values, IRIs in full."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(results.variables)
    for row in results.rows:
        writer.writerow(["" if t is None else str(t) for t in row])
    return buffer.getvalue()


def _tsv(results: Results) -> str:
    """SPARQL 1.1 TSV: terms in Turtle syntax, so types and languages survive."""
    lines = ["\t".join(f"?{v}" for v in results.variables)]
    for row in results.rows:
        lines.append("\t".join("" if t is None else t.n3() for t in row))
    return "\n".join(lines) + "\n"


def _markdown(results: Results) -> str:
    """A Markdown table with readable values."""

    def cell(term: Node | None) -> str:
        return short(term).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(results.variables) + " |"]
    lines.append("|" + "---|" * len(results.variables))
    lines += ["| " + " | ".join(cell(t) for t in row) + " |" for row in results.rows]
    return "\n".join(lines) + "\n"


def to_table(results: Results, title: str = "") -> Table:
    """A rich table for the terminal."""
    table = Table(title=title or None)
    for v in results.variables:
        table.add_column(v, overflow="fold")
    for row in results.rows:
        table.add_row(*(short(t) for t in row))
    return table


def render(results: Results, fmt: ResultFormat) -> str:
    """Results as text in ``fmt`` (a graph always as Turtle, a boolean as true/false)."""
    if results.graph is not None:
        graph = bind_prefixes(results.graph)
        try:
            return to_turtle(graph)  # sorted and prefixed, like the exports
        except ValueError:  # blank nodes (e.g. from DESCRIBE elsewhere): rdflib's writer
            return graph.serialize(format="turtle")
    if results.boolean is not None and fmt is not ResultFormat.JSON:
        return ("true" if results.boolean else "false") + "\n"
    if fmt is ResultFormat.JSON:
        return to_json(results)
    if fmt is ResultFormat.CSV:
        return _csv(results)
    if fmt is ResultFormat.TSV:
        return _tsv(results)
    return _markdown(results)
