"""Stage 2: turn curated records into an rdflib Graph, purely and deterministically.

Every thing gets a stable IRI ``https://w3id.org/kgraph/id/{kind}/{slug}`` (no blank nodes).
Every partnership, post, part in an event and budget carries ``prov:wasDerivedFrom`` its source
documents and ``kg:citesPassage`` the paragraphs. Things are typed with their standard
superclasses from the ontology, so ``?x a org:Organization`` works without a reasoner. The SKOS
vocabularies of ontology/ are published with the data, so role and type concepts have their
labels in the same file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kgraph.describe import CURATORS, describe_dataset
from kgraph.errors import DataError, DataErrors
from kgraph.load import Dataset
from kgraph.namespaces import (
    DC,
    DCTERMS,
    FOAF,
    KG,
    ORG,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    XSD,
    bind_prefixes,
    entity_iri,
)
from kgraph.nogc import paused_gc
from kgraph.ontology import Ontology
from kgraph.records import (
    Budget,
    Event,
    Fund,
    Organisation,
    Person,
    Place,
    Practice,
    Programme,
    Project,
    Record,
    Region,
    Source,
    Statement,
    citation_parts,
    cites_record,
)

__all__ = ["CURATORS", "Built", "Origin", "Triple", "build_graph", "build_located"]

#: One statement; the builder collects them in a plain set (an rdflib Graph is made on demand).
Triple = tuple[Node, Node, Node]

NUTS_CODE = "http://data.europa.eu/nuts/code/"
EU_COUNTRY = "http://publications.europa.eu/resource/authority/country/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
LANGUAGES = {
    "pl": "POL", "en": "ENG", "de": "DEU", "fi": "FIN", "fr": "FRA", "es": "SPA", "sv": "SWE",
    "da": "DAN", "nb": "NOB", "nl": "NLD", "it": "ITA", "pt": "POR", "lt": "LIT", "lv": "LAV",
    "et": "EST", "cs": "CES", "sk": "SLK", "hu": "HUN",
}  # fmt: skip

#: Which property a field name stands for, so ``curator_added: [region]`` can be stated in RDF.
FIELD_PROPERTY: dict[str, URIRef] = {
    "type": RDF.type,
    "name": RDFS.label,
    "alt_names": SKOS.altLabel,
    "former_names": KG.formerName,
    "acronym": KG.acronym,
    "country": KG.country,
    "region": KG.locatedIn,
    "broader": KG.broaderRegion,
    "level": KG.nutsLevel,
    "iso3": KG.iso3Code,
    "unit_of": ORG.unitOf,
    "site_of": ORG.siteOf,
    "website": FOAF.homepage,
    "cooperates_with": KG.cooperatesWith,
    "funds": KG.fund,
    "period": KG.programmingPeriod,
    "programme": KG.programme,
    "code": KG.projectCode,
    "start": SCHEMA.startDate,
    "end": SCHEMA.endDate,
    "partner_countries": KG.partnerCountry,
    "implemented_by": KG.implementedBy,
    "on_behalf_of": KG.onBehalfOf,
    "organisation": ORG.organization,
    "description": DCTERMS.description,
    "honorific": SCHEMA.honorificPrefix,
    "lead_partner": KG.leadPartner,
    "pic": KG.pic,
    "vat": KG.vatNumber,
    "policy_objective": KG.policyObjective,
    "specific_objective": KG.specificObjective,
}


_NESTED_NAMES = {"EventRole": "part", "Post": "post", "Partner": "partner", "Phase": "phase"}


@dataclass(frozen=True)
class Origin:
    """Where the statements about one IRI were curated: file, line, record and field lines."""

    file: Path
    line: int
    record: str
    field_lines: Mapping[str, int] = field(default_factory=dict)

    def line_of(self, *fields: str) -> int:
        """Return the line of the first of ``fields`` present, else the record's line."""
        for name in fields:
            if name in self.field_lines:
                return self.field_lines[name]
        return self.line


@dataclass(frozen=True)
class Built:
    """The built triples and, for every IRI minted from data/, where it was curated.

    Writers and the pyoxigraph store read ``triples`` directly; ``graph`` makes the rdflib Graph
    (for pyshacl and rdflib users) the first time it is asked for. Adding to rdflib's memory
    store costs ~17 µs a triple, several times the cost of building the triple.
    """

    triples: frozenset[Triple]
    origins: Mapping[URIRef, Origin]

    @cached_property
    def graph(self) -> Graph:
        """The triples as an rdflib Graph with kgraph's prefixes bound."""
        g = bind_prefixes(Graph())
        g.addN((s, p, o, g) for s, p, o in self.triples)
        return g


_DATE, _INTEGER, _DECIMAL = XSD.date, XSD.integer, XSD.decimal


def _date(value: date) -> Literal:
    return Literal(value.isoformat(), datatype=_DATE)


def _int(value: int) -> Literal:
    """An xsd:integer.

    Derived types (positiveInteger…) are avoided: Oxigraph stores them as xsd:integer, and a
    published literal must read the same in every store.
    """
    return Literal(str(value), datatype=_INTEGER)


def _money(value: Decimal) -> Literal:
    """An xsd:decimal in XSD 1.1 canonical form (1358584, 1760000.5), as Oxigraph stores it."""
    text = format(value.normalize(), "f")
    return Literal(text, datatype=_DECIMAL)


_LABEL, _DERIVED, _CITES = RDFS.label, PROV.wasDerivedFrom, KG.citesPassage


class _Triples(set[Triple]):
    """The triples being built, remembering each IRI's first English label on the way."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: dict[Node, str] = {}

    def add(self, triple: Triple) -> None:
        """Add ``triple``; note it if it is an English rdfs:label."""
        super().add(triple)
        o = triple[2]
        if type(o) is Literal and o.language == "en" and triple[1] == _LABEL:  # type() is cheaper
            self.labels.setdefault(triple[0], str(o))

    def update(self, *others: Iterable[Triple]) -> None:
        """Add every triple of ``others``."""
        for triples in others:
            for triple in triples:
                self.add(triple)


class _Builder:
    """Holds the triples being built and the errors found on the way."""

    def __init__(self, dataset: Dataset, ontology: Ontology) -> None:
        self.ds, self.onto = dataset, ontology
        self.g = _Triples()
        self.errors: list[DataError] = []
        self.origins: dict[URIRef, Origin] = {}
        self.record = ""  # the top-level record being built, for naming nested statements
        self.cited: dict[str, tuple[URIRef, URIRef, str]] = {}  # citation -> doc, passage, problem

    # -- small helpers -------------------------------------------------------------------------
    def add(self, s: URIRef, p: URIRef, o: Node | None) -> None:
        """Add a triple unless the object is missing."""
        if o is not None:
            self.g.add((s, p, o))

    def typed(self, s: URIRef, cls: URIRef) -> None:
        """Type ``s`` with ``cls`` and every named superclass the ontology gives it."""
        for c in self.onto.superclasses(cls):
            self.g.add((s, RDF.type, c))

    def texts(self, s: URIRef, p: URIRef, texts: Mapping[str, str] | None) -> None:
        """Add one language-tagged literal per language."""
        for lang, text in sorted((texts or {}).items()):
            self.g.add((s, p, Literal(text, lang=lang)))

    def error(self, record: Any, field: str, message: str) -> None:
        """Record a problem with ``field`` of ``record``."""
        info = record.source
        self.errors.append(DataError(info.file, info.line_of(field), field, message))

    def concept(self, record: Any, scheme: str, field: str, notation: str) -> URIRef | None:
        """Resolve a vocabulary notation, recording an error if the scheme lacks it."""
        found = self.onto.concept(scheme, notation)
        if found is None:
            known = ", ".join(self.onto.notations(scheme))
            self.error(record, field, f"unknown {scheme} {notation!r}; known: {known}")
        return found

    def region(self, code: str | None) -> URIRef | None:
        """Return a region's IRI."""
        return entity_iri("region", code) if code else None

    def country_of(self, code: str | None) -> str | None:
        """Walk up ``broader`` from a region to its level-0 region (country)."""
        regions = self.ds.of("regions")
        seen: set[str] = set()
        while code and code in regions and code not in seen:
            seen.add(code)
            if regions[code].level == 0:
                return code
            code = regions[code].broader
        return None

    def require_country(self, record: Any, field: str, code: str | None) -> None:
        """Record an error unless ``code`` names a level-0 region."""
        regions = self.ds.of("regions")
        if code and code in regions and regions[code].level != 0:
            self.error(
                record,
                field,
                f"{code!r} is a level-{regions[code].level} region, not a country (level 0)",
            )

    def locate(self, s: URIRef, record: Any, name: str | None = None) -> None:
        """Remember that ``s`` was curated in ``record`` (file, line, field lines)."""
        if s in self.origins:
            return
        info = record.source
        if name is None:
            name = self.record
            noun = _NESTED_NAMES.get(type(record).__name__, type(record).__name__.lower())
            if hasattr(record, "item_key"):
                name = f"{name}: {noun} {record.item_key()}"
            elif not isinstance(record, Record | Source):
                name = f"{name}: {noun}"
        self.origins[s] = Origin(info.file, info.line, name, dict(info.key_lines))

    def provenance(self, s: URIRef, statement: Statement) -> None:
        """State where ``s`` comes from: cited paragraphs, or the curators and their note."""
        self.locate(s, statement)
        for citation in statement.cites:
            cited = self.cited.get(citation)
            if cited is None:
                cited = self.cited[citation] = self.passage(citation)
            doc, passage, problem = cited
            if problem:
                self.error(statement, "cites", problem)
            self.g.add((s, _DERIVED, doc))
            self.g.add((s, _CITES, passage))
        if not statement.cites:
            self.g.add((s, PROV.wasAttributedTo, CURATORS))
        if statement.curator_note:
            self.g.add((s, KG.curatorNote, Literal(statement.curator_note, lang="en")))
        for key, marker in (
            ("curator_added", KG.curatorAddedProperty),
            ("unstated", KG.unstatedProperty),
        ):
            for name in getattr(statement, key):
                prop = FIELD_PROPERTY.get(name)
                if prop is None:
                    self.error(statement, key, f"field {name!r} cannot be marked")
                else:
                    self.g.add((s, marker, prop))

    def passage(self, citation: str) -> tuple[URIRef, URIRef, str]:
        """Describe the document and passage ``citation`` names; say what is wrong with it."""
        file, number = citation_parts(citation)
        source = self.ds.of("sources").get(file)
        slug = source.slug if source is not None else file.removesuffix(".txt")
        doc = entity_iri("source", slug)
        by_record = cites_record(citation)
        problem = ""
        if source is not None and source.is_article == by_record:
            unit = "a record (#rN)" if by_record else "a paragraph (#pN)"
            problem = f"{citation!r} cites {unit} of {file}, which has none"
        passage = entity_iri("source", f"{slug}-{'r' if by_record else 'p'}{number}")
        cls = KG.SourceRecord if by_record else KG.SourcePassage  # the IRI says which
        if (passage, RDF.type, cls) not in self.g:
            noun = "record" if by_record else "paragraph"
            if source is not None:
                self.locate(passage, source, f"{file}, {noun} {number}")
            self.typed(passage, cls)
            self.g.add((passage, DCTERMS.isPartOf, doc))
            self.g.add((passage, KG.recordNumber if by_record else KG.paragraph, _int(number)))
            self.g.add((passage, RDFS.label, Literal(f"{file}, {noun} {number}", lang="en")))
        return doc, passage, problem

    def label(self, iri: URIRef) -> str:
        """Return the English label already given to ``iri`` (for labels of n-ary nodes)."""
        found = self.g.labels.get(iri)
        return found if found is not None else str(iri).rsplit("/", 1)[-1]

    # -- records ------------------------------------------------------------------------------
    def source(self, r: Source) -> None:
        """A source document."""
        s = entity_iri("source", r.slug)
        self.locate(s, r)
        self.typed(s, KG.SourceDocument if r.is_article else KG.SourceDataset)
        self.add(s, KG.sha256, Literal(r.sha256) if r.sha256 else None)
        self.add(s, KG.recordCount, _int(r.records) if r.records is not None else None)
        self.add(s, DCTERMS.format, Literal(r.media_type) if r.media_type else None)
        self.g.add((s, KG.fileName, Literal(r.file)))
        self.texts(s, DCTERMS.title, r.title)
        self.texts(s, RDFS.label, r.title)
        self.texts(s, DC.publisher, r.publisher)
        self.add(s, DC.creator, Literal(r.author) if r.author else None)
        self.add(s, DCTERMS.issued, _date(r.issued) if r.issued else None)
        if r.language not in LANGUAGES:
            self.error(r, "language", f"no EU language code known for {r.language!r}")
        else:
            self.g.add((s, DCTERMS.language, URIRef(EU_LANGUAGE + LANGUAGES[r.language])))
        if r.curator_note:
            self.g.add((s, KG.curatorNote, Literal(r.curator_note, lang="en")))

    def region_record(self, r: Region) -> None:
        """A NUTS region or a country."""
        s = entity_iri("region", r.id)
        self.typed(s, KG.NUTSRegion)
        if r.level == 0:
            self.typed(s, KG.Country)
            if r.iso3:
                self.g.add((s, SKOS.exactMatch, URIRef(EU_COUNTRY + r.iso3)))
                self.g.add((s, KG.iso3Code, Literal(r.iso3)))
        elif r.broader is None:
            self.error(r, "broader", f"a level-{r.level} region needs its broader region")
        self.g.add((s, KG.nutsCode, Literal(r.id)))
        self.g.add((s, KG.nutsLevel, _int(r.level)))
        self.g.add((s, SKOS.exactMatch, URIRef(NUTS_CODE + r.id)))
        self.texts(s, RDFS.label, r.name)
        self.add(s, KG.broaderRegion, self.region(r.broader))
        if r.level > 0:
            self.add(s, KG.country, self.region(self.country_of(r.id)))
        if r.broader and r.broader in self.ds.of("regions"):
            parent = self.ds.of("regions")[r.broader]
            if parent.level != r.level - 1:
                self.error(
                    r,
                    "broader",
                    f"broader region {r.broader!r} is level {parent.level}, expected {r.level - 1}",
                )
        self.provenance(s, r)

    def fund(self, r: Fund) -> None:
        """A fund."""
        s = entity_iri("fund", r.id)
        self.typed(s, KG.Fund)
        self.texts(s, RDFS.label, r.name)
        self.texts(s, SKOS.altLabel, r.acronym)
        self.provenance(s, r)

    def programme(self, r: Programme) -> None:
        """A funding programme."""
        s = entity_iri("programme", r.id)
        self.typed(s, KG.Programme)
        self.texts(s, RDFS.label, r.name)
        for f in r.funds:
            self.g.add((s, KG.fund, entity_iri("fund", f)))
        self.add(s, KG.programmingPeriod, Literal(r.period) if r.period else None)
        self.add(s, FOAF.homepage, URIRef(r.website) if r.website else None)
        self.provenance(s, r)

    def organisation(self, r: Organisation) -> None:
        """An organisation, typed by its kind."""
        s = entity_iri("organisation", r.id)
        cls = self.onto.organisation_types.get(r.type)
        if cls is None:
            known = ", ".join(sorted(self.onto.organisation_types))
            self.error(r, "type", f"unknown organisation type {r.type!r}; known: {known}")
        else:
            self.typed(s, cls)
        self.texts(s, RDFS.label, r.name)
        for lang, names in sorted(r.alt_names.items()):
            self.g.update((s, SKOS.altLabel, Literal(n, lang=lang)) for n in names)
        for lang, names in sorted(r.former_names.items()):
            self.g.update((s, KG.formerName, Literal(n, lang=lang)) for n in names)
        self.add(s, KG.acronym, Literal(r.acronym) if r.acronym else None)
        self.require_country(r, "country", r.country)
        self.add(s, KG.country, self.region(r.country or self.country_of(r.region)))
        self.add(s, KG.locatedIn, self.region(r.region))
        self.add(s, ORG.unitOf, entity_iri("organisation", r.unit_of) if r.unit_of else None)
        self.add(s, FOAF.homepage, URIRef(r.website) if r.website else None)
        self.add(s, KG.pic, Literal(r.pic) if r.pic else None)
        self.add(s, KG.vatNumber, Literal(r.vat) if r.vat else None)
        for other in r.cooperates_with:
            self.g.add((s, KG.cooperatesWith, entity_iri("organisation", other)))
        self.provenance(s, r)

    def person(self, r: Person) -> None:
        """A person and their posts."""
        s = entity_iri("person", r.id)
        full = f"{r.given_name} {r.family_name}"
        self.typed(s, KG.Person)
        self.g.add((s, FOAF.name, Literal(full)))
        self.g.add((s, RDFS.label, Literal(full, lang="en")))
        self.g.add((s, FOAF.givenName, Literal(r.given_name)))
        self.g.add((s, FOAF.familyName, Literal(r.family_name)))
        self.add(s, SCHEMA.honorificPrefix, Literal(r.honorific) if r.honorific else None)
        self.provenance(s, r)
        for post in r.posts:
            m = entity_iri("membership", f"{r.id}--{post.item_key()}")
            self.typed(m, KG.Membership)
            self.g.add((m, ORG.member, s))
            self.g.add((m, ORG.organization, entity_iri("organisation", post.organisation)))
            self.add(m, ORG.role, self.concept(post, "post-role", "role", post.role))
            self.texts(m, KG.positionTitle, post.title)
            self.g.add((m, RDFS.label, Literal(f"{full}, {post.title['en']}", lang="en")))
            self.add(m, SCHEMA.startDate, _date(post.start) if post.start else None)
            self.add(m, SCHEMA.endDate, _date(post.end) if post.end else None)
            self.provenance(m, post)

    def place(self, r: Place) -> None:
        """A venue or town."""
        s = entity_iri("place", r.id)
        self.typed(s, KG.Place)
        if r.site_of:
            self.typed(s, ORG.Site)
            self.g.add((s, ORG.siteOf, entity_iri("organisation", r.site_of)))
        self.texts(s, RDFS.label, r.name)
        self.add(s, KG.locatedIn, self.region(r.region))
        self.add(s, KG.country, self.region(self.country_of(r.region)))
        self.provenance(s, r)

    def practice(self, r: Practice) -> None:
        """A good practice or initiative."""
        s = entity_iri("practice", r.id)
        self.typed(s, KG.GoodPractice)
        self.texts(s, RDFS.label, r.name)
        self.texts(s, DCTERMS.description, r.description)
        for org_id in r.implemented_by:
            self.g.add((s, KG.implementedBy, entity_iri("organisation", org_id)))
        self.add(s, KG.locatedIn, self.region(r.region))
        self.provenance(s, r)

    def budget(self, iri: URIRef, b: Budget, label: str) -> URIRef:
        """A budget statement."""
        self.typed(iri, KG.Budget)
        self.g.add((iri, SCHEMA.value, _money(b.amount)))
        self.g.add((iri, SCHEMA.currency, Literal(b.currency)))
        if b.approximate:
            self.g.add((iri, KG.approximate, Literal(True)))
        self.g.add((iri, RDFS.label, Literal(label, lang="en")))
        self.provenance(iri, b)
        return iri

    def project(self, r: Project) -> None:
        """A project with its budget, partners and phases."""
        s = entity_iri("project", r.id)
        self.typed(s, KG.Project)
        self.g.add((s, RDFS.label, Literal(r.acronym, lang="en")))
        self.g.add((s, KG.acronym, Literal(r.acronym)))
        self.texts(s, DCTERMS.title, r.title)
        self.texts(s, DCTERMS.description, r.description)
        self.add(s, KG.programme, entity_iri("programme", r.programme) if r.programme else None)
        for f in r.funds:
            self.g.add((s, KG.fund, entity_iri("fund", f)))
        self.add(s, KG.projectCode, Literal(r.code) if r.code else None)
        self.add(s, SCHEMA.startDate, _date(r.start) if r.start else None)
        self.add(s, SCHEMA.endDate, _date(r.end) if r.end else None)
        self.add(s, KG.policyObjective, Literal(r.policy_objective) if r.policy_objective else None)
        self.add(
            s, KG.specificObjective, Literal(r.specific_objective) if r.specific_objective else None
        )
        for url in r.website:
            self.g.add((s, FOAF.homepage, URIRef(url)))
        for i, c in enumerate(r.partner_countries):
            self.require_country(r, f"partner_countries[{i}]", c)
            self.g.add((s, KG.partnerCountry, entity_iri("region", c)))
        if r.budget:
            b = self.budget(entity_iri("budget", r.id), r.budget, f"Budget of {r.acronym}")
            self.g.add((s, KG.totalBudget, b))
        self.provenance(s, r)
        for p in r.partners:
            org = entity_iri("organisation", p.organisation)
            part = entity_iri("participation", f"{r.id}--{p.organisation}")
            self.typed(part, KG.Participation)
            self.g.add((part, KG.inProject, s))
            self.g.add((part, KG.participant, org))
            role = self.concept(p, "participation-role", "role", p.role)
            self.add(part, KG.participationRole, role)
            if p.role == "lead-partner":
                self.g.add((s, KG.leadPartner, org))
            self.add(part, SCHEMA.startDate, _date(p.start) if p.start else None)
            self.add(part, SCHEMA.endDate, _date(p.end) if p.end else None)
            if p.budget:
                iri = entity_iri("budget", f"{r.id}--{p.organisation}")
                label = f"Budget of {self.label(org)} in {r.acronym}"
                self.g.add((part, KG.partnerBudget, self.budget(iri, p.budget, label)))
            if p.eu_contribution:
                iri = entity_iri("budget", f"{r.id}--{p.organisation}--eu")
                label = f"EU contribution to {self.label(org)} in {r.acronym}"
                self.g.add((part, KG.euContribution, self.budget(iri, p.eu_contribution, label)))
            role_name = p.role.replace("-", " ")
            self.g.add(
                (
                    part,
                    RDFS.label,
                    Literal(f"{self.label(org)} in {r.acronym} ({role_name})", lang="en"),
                )
            )
            self.provenance(part, p)
        for ph in r.phases:
            phase = entity_iri("phase", f"{r.id}--{ph.number}")
            self.typed(phase, KG.Phase)
            self.g.add((phase, KG.phaseOf, s))
            self.g.add((phase, KG.phaseNumber, _int(ph.number)))
            self.texts(phase, RDFS.label, ph.name)
            self.texts(phase, DCTERMS.description, ph.description)
            self.g.add((phase, SCHEMA.startDate, _date(ph.start)))
            self.g.add((phase, SCHEMA.endDate, _date(ph.end)))
            self.provenance(phase, ph)

    def event(self, r: Event) -> None:
        """An event with the parts people and organisations play in it."""
        s = entity_iri("event", r.id)
        self.typed(s, KG.Event)
        self.texts(s, RDFS.label, r.name)
        self.add(s, KG.eventType, self.concept(r, "event-type", "type", r.type))
        self.add(s, KG.eventOf, entity_iri("project", r.project) if r.project else None)
        self.add(s, SCHEMA.superEvent, entity_iri("event", r.part_of) if r.part_of else None)
        self.add(s, SCHEMA.startDate, _date(r.start) if r.start else None)
        self.add(s, SCHEMA.endDate, _date(r.end) if r.end else None)
        if r.duration_days:
            self.g.add((s, SCHEMA.duration, Literal(f"P{r.duration_days}D", datatype=XSD.duration)))
        self.texts(s, KG.plannedTime, r.planned_time)
        if r.status == "announced":
            self.g.add((s, SCHEMA.eventStatus, SCHEMA.EventScheduled))
        if r.online:
            self.g.add((s, SCHEMA.eventAttendanceMode, SCHEMA.OnlineEventAttendanceMode))
        elif r.venue:
            self.g.add((s, SCHEMA.eventAttendanceMode, SCHEMA.OfflineEventAttendanceMode))
        self.add(s, SCHEMA.location, entity_iri("place", r.venue) if r.venue else None)
        if r.attendees_more_than is not None:
            self.g.add((s, KG.attendeesMoreThan, _int(r.attendees_more_than)))
        self.texts(s, KG.theme, r.theme)
        self.texts(s, DCTERMS.description, r.description)
        self.provenance(s, r)
        for p in r.participants:
            kind = "person" if p.person else "organisation"
            agent = entity_iri(kind, p.agent)
            ep = entity_iri("event-participation", f"{r.id}--{p.item_key()}")
            self.typed(ep, KG.EventParticipation)
            self.g.add((ep, KG.inEvent, s))
            self.g.add((ep, KG.agent, agent))
            self.add(ep, KG.eventRole, self.concept(p, "event-role", "role", p.role))
            self.add(
                ep,
                KG.onBehalfOf,
                entity_iri("organisation", p.on_behalf_of) if p.on_behalf_of else None,
            )
            for practice in p.presented:
                self.g.add((ep, KG.presented, entity_iri("practice", practice)))
            self.texts(ep, KG.topic, p.topic)
            self.g.add(
                (
                    ep,
                    RDFS.label,
                    Literal(f"{self.label(agent)} as {p.role} at {r.name['en']}", lang="en"),
                )
            )
            self.provenance(ep, p)


def build_graph(dataset: Dataset, ontology: Ontology, *, version: str = "0.0.0") -> Graph:
    """Build the knowledge graph of ``dataset``; raise ``DataErrors`` naming file and line."""
    return build_located(dataset, ontology, version=version).graph


def build_located(
    dataset: Dataset, ontology: Ontology, *, version: str = "0.0.0", describe: bool = True
) -> Built:
    """Build the graph and note where each minted IRI was curated (for validation reports).

    ``describe=False`` leaves out the DCAT/VoID description of the kgraph dataset (imports
    describe themselves).
    """
    with paused_gc():
        return _build(dataset, ontology, version=version, describe=describe)


def _build(dataset: Dataset, ontology: Ontology, *, version: str, describe: bool) -> Built:
    b = _Builder(dataset, ontology)
    b.g.update(ontology.vocabularies)  # publish the role and type concepts the data refers to
    steps: Iterable[tuple[str, Any]] = (
        ("sources", b.source),
        ("regions", b.region_record),
        ("funds", b.fund),
        ("programmes", b.programme),
        ("organisations", b.organisation),
        ("people", b.person),
        ("places", b.place),
        ("practices", b.practice),
        ("projects", b.project),
        ("events", b.event),
    )
    for kind, step in steps:
        for record in dataset.of(kind).values():
            b.record = record.key
            step(record)
    if b.errors:
        raise DataErrors(b.errors)
    if describe:
        b.g.update(describe_dataset(b.g, version=version))
    return Built(frozenset(b.g), b.origins)
