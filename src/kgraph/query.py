"""Stage 4: the named SPARQL queries of queries/, their parameters, and running them locally.

A query file starts with a comment header::

    # title: Partners of a project
    # description: Every organisation taking part in a project …
    #   (continued on indented comment lines)
    # param: project (iri) = https://w3id.org/kgraph/id/project/next2met: the project

Parameters are variables of the query (``?project``). Their values are parsed by type into RDF
terms and bound with a ``VALUES`` block placed at the start of the query's WHERE clause, so a
value is always data and never query text, on the embedded store and on any SPARQL endpoint.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kgraph.errors import display_path
from kgraph.namespaces import PREFIXES, XSD
from kgraph.store import from_ox

__all__ = [
    "NamedQuery",
    "Param",
    "ParamType",
    "QueryError",
    "Results",
    "bind",
    "fold",
    "load_catalogue",
    "parse_query_file",
    "query_form",
    "run_local",
    "to_term",
]

IRI_SAFE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
NUTS = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
_HEADER = re.compile(r"^#\s*(title|description|param):\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<type>[a-z]+)\)\s*"
    r"(?:=\s*(?P<default>\S+)\s*)?:\s*(?P<description>.+)$"
)
_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"})


class QueryError(Exception):
    """A problem with a query file, a parameter or a query's result; the message says which."""


class ParamType(StrEnum):
    """The types a query parameter can have; each parses text into one kind of RDF term."""

    IRI = "iri"
    STRING = "string"
    SEARCH = "search"
    NUTS = "nuts"
    DATE = "date"
    INTEGER = "integer"
    DECIMAL = "decimal"


@dataclass(frozen=True)
class Param:
    """One declared parameter of a named query."""

    name: str
    type: ParamType
    default: str | None
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A query of queries/ with its header."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path

    @property
    def form(self) -> str:
        """SELECT, CONSTRUCT, ASK or DESCRIBE."""
        return query_form(self.text)


@dataclass
class Results:
    """What a query returned: rows of terms (SELECT), a graph (CONSTRUCT) or a boolean (ASK)."""

    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    graph: Graph | None = None
    boolean: bool | None = None


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its diacritics, as label-search.rq folds labels."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _strip_comments(text: str) -> str:
    """Blank out comment lines, keeping every offset."""
    return "\n".join(
        " " * len(line) if line.lstrip().startswith("#") else line for line in text.split("\n")
    )


def query_form(text: str) -> str:
    """The form of a SPARQL query: SELECT, CONSTRUCT, ASK or DESCRIBE."""
    found = re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", _strip_comments(text), re.I)
    if found is None:
        raise QueryError("not a SPARQL query: no SELECT, CONSTRUCT, ASK or DESCRIBE")
    return found.group(1).upper()


def parse_query_file(path: Path) -> NamedQuery:
    """Read one .rq file and its header; raise ``QueryError`` naming file and line."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    params: list[Param] = []
    last = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match is None:
            if last in ("title", "description") and line.startswith("#  "):
                fields[last] += " " + line[1:].strip()
            continue
        key, value = match.groups()
        last = key
        if key != "param":
            fields[key] = value.strip()
            continue
        spec = _PARAM.match(value.strip())
        if spec is None:
            raise QueryError(
                f"{display_path(path)}:{number}: param: expected 'NAME (TYPE) = DEFAULT: "
                f"description', got {value.strip()!r}"
            )
        try:
            kind = ParamType(spec["type"])
        except ValueError:
            known = ", ".join(t.value for t in ParamType)
            raise QueryError(
                f"{display_path(path)}:{number}: param: unknown type {spec['type']!r}; "
                f"known: {known}"
            ) from None
        param = Param(spec["name"], kind, spec["default"], spec["description"].strip())
        if param.default is not None:
            to_term(param, param.default)  # a default must be a valid value
        params.append(param)
    for required in ("title", "description"):
        if not fields.get(required):
            raise QueryError(f"{display_path(path)}:1: {required}: the header needs a {required}")
    query_form(text)
    return NamedQuery(path.stem, fields["title"], fields["description"], tuple(params), text, path)


def load_catalogue(folder: Path) -> dict[str, NamedQuery]:
    """Every named query of ``folder`` (*.rq), by name."""
    return {p.stem: parse_query_file(p) for p in sorted(folder.glob("*.rq"))}


def to_term(param: Param, raw: str) -> Node:
    """Parse the text ``raw`` as a value of ``param``; raise ``QueryError`` if it is not one."""

    def refuse(expected: str) -> QueryError:
        return QueryError(f"parameter {param.name!r} expects {expected}; got {raw!r}")

    kind = param.type
    if kind is ParamType.IRI:
        prefix, colon, local = raw.partition(":")
        if colon and prefix in PREFIXES and not local.startswith("//"):
            raw_iri = PREFIXES[prefix] + local
        else:
            raw_iri = raw
        if not IRI_SAFE.match(raw_iri):
            raise refuse("an IRI (https://…) or a prefixed name such as project:next2met")
        return URIRef(raw_iri)
    if kind is ParamType.STRING:
        return Literal(raw)
    if kind is ParamType.SEARCH:
        if not raw.strip():
            raise refuse("some text to search for")
        return Literal(fold(raw))
    if kind is ParamType.NUTS:
        if not NUTS.match(raw):
            raise refuse("a NUTS code such as PL84 (two capital letters, then up to three more)")
        return Literal(raw)
    if kind is ParamType.DATE:
        try:
            return Literal(date.fromisoformat(raw).isoformat(), datatype=XSD.date)
        except ValueError:
            raise refuse("a date written YYYY-MM-DD") from None
    if kind is ParamType.INTEGER:
        if not re.fullmatch(r"[+-]?[0-9]+", raw):
            raise refuse("a whole number")
        return Literal(str(int(raw)), datatype=XSD.integer)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise refuse("a decimal number") from None
    if not value.is_finite():
        raise refuse("a decimal number")
    return Literal(format(value.normalize(), "f"), datatype=XSD.decimal)


def bind(query: NamedQuery | str, given: Mapping[str, str]) -> str:
    """The query's text with its parameters bound by a VALUES block; raise ``QueryError``."""
    text = query if isinstance(query, str) else query.text
    params = () if isinstance(query, str) else query.params
    declared = {p.name: p for p in params}
    unknown = sorted(set(given) - set(declared)) if declared else []
    if unknown:
        known = ", ".join(declared) or "none"
        raise QueryError(f"unknown parameter(s) {', '.join(unknown)}; this query takes: {known}")
    values: dict[str, Node] = {}
    for p in params:
        raw = given.get(p.name, p.default)
        if raw is None:
            raise QueryError(f"parameter {p.name!r} is required ({p.description})")
        values[p.name] = to_term(p, raw)
    if not params:
        for name, raw in given.items():  # an ad-hoc query: values are plain strings
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise QueryError(f"{name!r} is not a variable name")
            values[name] = Literal(raw)
    if not values:
        return text
    where = re.search(r"\bWHERE\s*\{", _strip_comments(text), re.I)
    if where is None:
        raise QueryError("a query with parameters needs a WHERE { … } clause to bind them in")
    names = " ".join(f"?{n}" for n in values)
    row = " ".join(v.n3() for v in values.values())
    block = f"\n  VALUES ({names}) {{ ({row}) }}\n"
    return text[: where.end()] + block + text[where.end() :]


def run_local(store: ox.Store, text: str) -> Results:
    """Run a query on the embedded pyoxigraph store."""
    try:
        answer = store.query(text)
    except SyntaxError as exc:
        raise QueryError(f"the query is not valid SPARQL: {exc}") from None
    if isinstance(answer, ox.QueryBoolean):
        return Results(boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        rows = [
            tuple(None if row[v] is None else from_ox(row[v]) for v in variables) for row in answer
        ]
        return Results(variables, rows)
    graph = Graph()
    for triple in answer:
        graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
    return Results(graph=graph)
