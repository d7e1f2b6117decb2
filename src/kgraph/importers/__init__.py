"""Importers: real cooperation data (Interreg partner lists, CORDIS) into kgraph's ontology.

An importer reads a file into the same record models as data/ — every record located at its
file and line, every fact citing the record it came from (``rawdata.json#r17``) — and builds
them with the same builder, so imported facts carry the same provenance and validation reports
point into the input file. Organisations go through ``kgraph.reconcile``; region names through
``kgraph.nuts``. The result is a separate graph (written to its own file and published as its
own named graph) that refers to the curated regions and organisations of data/ by their IRIs.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rdflib import Graph, Literal, URIRef

from kgraph.build import Origin, build_located
from kgraph.errors import DataError, DataErrors
from kgraph.export import to_turtle, write_atomically
from kgraph.load import Dataset
from kgraph.namespaces import BASE, DCTERMS, PROV, RDF, RDFS, VOID, XSD
from kgraph.nuts import COUNTRY_TABLE, NutsList, countries
from kgraph.ontology import Ontology
from kgraph.pipeline import InvalidGraph
from kgraph.reconcile import Reconciler, ReviewItem
from kgraph.records import Located, Region, Source, SourceInfo
from kgraph.validate import Progress, Report, validate

__all__ = [
    "ImportResult",
    "Importing",
    "check_and_write",
    "finish",
    "graph_iri",
    "report_text",
    "review_csv",
]


def graph_iri(name: str) -> URIRef:
    """The named graph an import is published in."""
    return URIRef(f"{BASE}graph/{name}")


def _locate(model: Located, where: SourceInfo) -> None:
    """Give ``model`` and every model nested in it the same location."""
    model.set_source(where)
    for value in model.__dict__.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, Located):
                _locate(item, where)


@dataclass
class ImportResult:
    """What an import produced and what it could not use."""

    name: str
    graph: Graph
    origins: Mapping[URIRef, Origin]
    dataset: Dataset
    counts: dict[str, int]
    unresolved: dict[str, list[int]]  # "nuts3 'Name'" -> record numbers
    notes: list[str]
    review: list[ReviewItem]

    @property
    def iri(self) -> URIRef:
        """The named graph of this import."""
        return graph_iri(self.name)


@dataclass
class Importing:
    """The state of one import: records made so far, problems, unresolved names, counts."""

    name: str
    file: Path
    nuts: NutsList
    reconciler: Reconciler
    dataset: Dataset = field(default_factory=Dataset)
    errors: list[DataError] = field(default_factory=list)
    unresolved: dict[str, list[int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def make(
        self, model: type[Located], kind: str, line: int, at: Path | None = None, **fields: Any
    ) -> Located | None:
        """Validate a record located at ``line`` of the input (or of file ``at``) and keep it."""
        file = at or self.file
        try:
            record = model.model_validate(fields)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                where = ".".join(str(p) for p in err["loc"]) or "(record)"
                self.errors.append(DataError(file, line, where, err["msg"]))
            return None
        _locate(record, SourceInfo(file, line, {}, {}))
        if kind:
            self.dataset.records[kind].setdefault(record.key, record)
        return record

    def source(self, path: Path, *, title: str, language: str, records: int, media: str) -> str:
        """Record an input file as a source dataset; return its file name for citations."""
        if path.name in self.dataset.of("sources"):
            return path.name
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self.make(
            Source,
            "sources",
            1,
            file=path.name,
            language=language,
            title={"en": title},
            sha256=digest,
            records=records,
            media_type=media,
        )
        return path.name

    def parse_date(self, value: str, key: str, record: int) -> date | None:
        """The date in ``value`` (field ``key``); None, reported, if empty or not a date."""
        value = value.strip()
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            self.unresolved_name(f"{key} {value!r} (not a date)", record)
            return None

    def unresolved_name(self, what: str, record: int) -> None:
        """Note a name that could not be resolved, and where."""
        self.unresolved.setdefault(what, []).append(record)

    def regions(self, codes: Iterable[str]) -> None:
        """Add records for these regions and the broader ones up to the country.

        Regions curated in data/ are referred to, not redefined. Others are taken from the NUTS
        reference list (cited by record); countries get their English name and ISO code from
        kgraph's country table.
        """
        wanted: set[str] = set()
        for code in codes:
            wanted.update(code[:n] for n in range(2, len(code) + 1))
        nuts_file = None
        if self.nuts.file is not None:
            nuts_file = self.source(
                self.nuts.file,
                title=f"NUTS region list {self.nuts.file.name}",
                language="en",
                records=len(self.nuts.entries),
                media="text/csv",
            )
        for code in sorted(wanted, key=lambda c: (len(c), c)):
            if code in self.nuts.curated or code in self.dataset.of("regions"):
                continue
            entry = self.nuts.entries.get(code)
            cites = [f"{nuts_file}#r{entry.record}"] if entry and nuts_file else []
            level = len(code) - 2
            fields: dict[str, Any] = {"id": code, "level": level, "cites": cites}
            if level == 0:
                fields |= _country_fields(code)
            else:
                name = self.nuts.name_of(code) or code
                fields |= {"name": _names(name, code), "broader": code[:-1]}
                if not cites:
                    fields["curator_note"] = "NUTS code given by the source; no name list given."
            self.make(Region, "regions", 1, **fields)
        self.counts["regions"] = len(self.dataset.of("regions"))


def _names(name: str, code: str) -> dict[str, str]:
    """A region's NUTS name, as its English name and in the country's language.

    Eurostat's English publications use the national (Latin-script) names of regions.
    """
    lang = countries()[code[:2]].language
    return {"en": name} | ({lang: name} if lang != "en" else {})


def _country_fields(code: str) -> dict[str, Any]:
    c = countries()[code]
    names = {"en": c.name_en} | ({c.language: c.name_native} if c.language != "en" else {})
    return {
        "iso3": c.iso3,
        "name": names,
        "curator_added": ["iso3", "name"],
        "curator_note": f"English and national names and ISO 3166 code from {COUNTRY_TABLE}.",
    }


def finish(state: Importing, ontology: Ontology, *, title: str) -> ImportResult:
    """Build the records into a graph with its own VoID description; raise on bad input."""
    if state.errors:
        raise DataErrors(state.errors)
    built = build_located(state.dataset, ontology, describe=False)
    g = built.graph
    d = URIRef(f"{BASE}id/dataset/{state.name}")
    triples = len(g)
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, RDFS.label, Literal(title, lang="en")))
    g.add((d, DCTERMS.title, Literal(title, lang="en")))
    g.add((d, VOID.triples, Literal(str(triples), datatype=XSD.integer)))
    g.add((URIRef(f"{BASE}id/dataset/kgraph"), VOID.subset, d))
    for source in sorted(state.dataset.of("sources").values(), key=lambda s: s.file):
        g.add((d, PROV.wasDerivedFrom, URIRef(f"{BASE}id/source/{source.slug}")))
    return ImportResult(
        state.name,
        g,
        built.origins,
        state.dataset,
        dict(state.counts),
        {k: sorted(v) for k, v in sorted(state.unresolved.items())},
        list(state.notes),
        state.reconciler.review(),
    )


def review_csv(items: Iterable[ReviewItem]) -> str:
    """The review list as CSV, for a curator to decide which pairs are one organisation."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["organisation_a", "organisation_b", "name_a", "name_b", "country", "score",
                "reason"])  # fmt: skip
    for r in items:
        w.writerow([r.a, r.b, r.name_a, r.name_b, r.country, r.score, r.reason])
    return out.getvalue()


def report_text(result: ImportResult) -> str:
    """What the import found, for people: counts, unresolved names, notes, review list size."""
    lines = [f"Import {result.name} (named graph <{result.iri}>)", ""]
    lines += [f"  {k}: {v:,}" for k, v in result.counts.items()]
    if result.unresolved:
        lines += ["", "Not resolved or not usable (with the records that give them):"]
        for what, records in result.unresolved.items():
            shown = ", ".join(map(str, records[:10])) + (" …" if len(records) > 10 else "")
            lines.append(f"  {what}: {len(records)} record(s): {shown}")
    if result.notes:
        lines += ["", "Notes:"] + [f"  {n}" for n in result.notes]
    lines += ["", f"Organisations that may be the same (for review): {len(result.review)}"]
    return "\n".join(lines) + "\n"


def check_and_write(
    result: ImportResult,
    curated: Graph,
    curated_origins: Mapping[URIRef, Origin],
    shapes: Graph,
    out_dir: Path,
    *,
    allow_invalid: bool = False,
    progress: Progress | None = None,
) -> tuple[Report, list[Path]]:
    """Validate the import together with the curated graph it refers to, then write its files.

    Writes ``NAME.ttl`` (the import's own triples, sorted), ``NAME-review.csv`` and
    ``NAME-report.txt`` into ``out_dir`` atomically; raises ``InvalidGraph`` (writing nothing)
    on violations unless ``allow_invalid``.
    """
    report = validate(curated + result.graph, shapes, {**curated_origins, **result.origins},
                      progress=progress)  # fmt: skip
    if not report.conforms and not allow_invalid:
        raise InvalidGraph(report)
    header = f"kgraph import {result.name}: named graph <{result.iri}>"
    files = {
        out_dir / f"{result.name}.ttl": to_turtle(result.graph, header=header).encode("utf-8"),
        out_dir / f"{result.name}-review.csv": review_csv(result.review).encode("utf-8"),
        out_dir / f"{result.name}-report.txt": (
            report_text(result) + f"\nSHACL validation with data/: {report.summary()}\n"
        ).encode("utf-8"),
    }
    return report, write_atomically(files)
