"""Synthetic cooperation data for benchmarks: curated-style records that conform to the shapes.

``synthesize(projects=N)`` returns a ``Dataset`` shaped like data/ (the same record models), so
it runs through the real build and validation. The shape of the data follows what the real
Interreg lists show: partner counts per project follow a power law (most projects have 3-8
partners, a few dozens), organisations join projects with a preference for those already
active, and every fact cites a paragraph of a (synthetic) source document. The same seed gives
the same dataset.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kgraph.build import Built, build_located
from kgraph.load import Dataset
from kgraph.namespaces import FOAF, KG, RDF, RDFS, SCHEMA, VOCAB, XSD
from kgraph.ontology import Ontology
from kgraph.records import (
    Event,
    Fund,
    Organisation,
    Person,
    Place,
    Practice,
    Programme,
    Project,
    Region,
    Source,
    SourceInfo,
)

__all__ = [
    "COUNTRIES",
    "QUERY_PARAMS",
    "break_some",
    "build_of_size",
    "check_shape",
    "graph_of_size",
    "synthesize",
]

#: NUTS country code -> ISO 3166 alpha-3, for the synthetic countries.
COUNTRIES: dict[str, str] = {
    "AT": "AUT", "BE": "BEL", "BG": "BGR", "CY": "CYP", "CZ": "CZE", "DE": "DEU", "DK": "DNK",
    "EE": "EST", "EL": "GRC", "ES": "ESP", "FI": "FIN", "FR": "FRA", "HR": "HRV", "HU": "HUN",
    "IE": "IRL", "IT": "ITA", "LT": "LTU", "LU": "LUX", "LV": "LVA", "MT": "MLT", "NL": "NLD",
    "PL": "POL", "PT": "PRT", "RO": "ROU", "SE": "SWE", "SI": "SVN", "SK": "SVK", "NO": "NOR",
    "CH": "CHE", "IS": "ISL",
}  # fmt: skip

ORG_TYPES = (
    "PublicAuthority",
    "University",
    "Cluster",
    "Company",
    "Association",
    "BusinessSupportAgency",
    "NetworkOfRegions",
)
POST_ROLES = ("director", "deputy-director", "project-manager", "coordinator", "president")
EVENT_TYPES = ("conference", "policy-learning-event", "kick-off-meeting", "project-meeting")
EVENT_ROLES = ("speaker", "presenter", "panellist", "moderator", "participant")
SOURCE_FILE = "synth-{:05d}.txt"
PARAGRAPHS = 20


class _Maker:
    """Creates records with a synthetic source location and citations."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.ds = Dataset()
        self.line = 0
        self.sources = 0

    def located(self, model: type[Any], kind: str, **fields: Any) -> Any:
        """Validate ``fields`` as ``model`` and give the record (and nested ones) a location."""
        record = model.model_validate(fields)
        self.line += 1
        where = SourceInfo(Path(f"synthetic/{kind}.yaml"), self.line, {}, {})
        record.set_source(where)
        for value in record.__dict__.values():
            for item in value if isinstance(value, list) else [value]:
                if hasattr(item, "set_source"):
                    item.set_source(where)
                    budget = getattr(item, "budget", None)
                    if budget is not None:
                        budget.set_source(where)
        self.ds.records[kind][record.key] = record
        return record

    def cite(self) -> list[str]:
        """One citation of a random paragraph of a random synthetic source."""
        doc = self.rng.randrange(self.sources)
        return [f"{SOURCE_FILE.format(doc)}#p{self.rng.randint(1, PARAGRAPHS)}"]


_DIGITS = "123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # NUTS codes use letters after 9


#: Values of the named queries' parameters that exist in every synthetic graph.
QUERY_PARAMS = {
    "project": "project:project-000001",
    "organisation": "organisation:org-000001",
    "thing": "organisation:org-000001",
    "region": "AT1",
    "date": "2012-06-01",
    "minimum": "3",
    "text": "organisation 00001",
}


def check_shape(*, regions: int, programmes: int, countries: int = len(COUNTRIES)) -> None:
    """Raise ``ValueError`` unless ``synthesize`` can lay out these regions and programmes."""
    if not 1 <= countries <= len(COUNTRIES):
        raise ValueError(f"countries must be 1-{len(COUNTRIES)}, not {countries}")
    low, high = 2 * countries + 3, 2 * countries + 3 * countries * len(_DIGITS)
    if not low <= regions <= high:
        raise ValueError(f"{countries} countries take {low}-{high} regions, not {regions}")
    if programmes < 1:
        raise ValueError(f"programmes must be at least 1, not {programmes}")


def synthesize(
    *,
    projects: int,
    regions: int = 300,
    programmes: int = 50,
    countries: int = len(COUNTRIES),
    seed: int = 1,
) -> Dataset:
    """Return a dataset of ``projects`` projects with partners, people, events and regions.

    ``regions`` NUTS regions in all (levels 0-3) are spread over ``countries`` countries: each
    country and one NUTS 1 region, then NUTS 2 regions with two NUTS 3 regions each, dealt out
    country by country (the default, 300 regions in 30 countries, gives 80 NUTS 2 and 160 NUTS 3
    regions; organisations and venues sit in NUTS 3 regions).
    """
    check_shape(regions=regions, programmes=programmes, countries=countries)
    groups, extra = divmod(regions - 2 * countries, 3)
    m = _Maker(seed)
    rng = m.rng
    m.sources = max(1, projects // 20)
    for i in range(m.sources):
        issued = date(2015, 1, 1) + timedelta(days=i % 3000)
        m.located(Source, "sources", file=SOURCE_FILE.format(i), language="en",
                  title={"en": f"Synthetic report {i}"}, issued=issued)  # fmt: skip

    note = "Synthetic region for benchmarks."
    chosen = list(COUNTRIES.items())[:countries]
    for cc, iso3 in chosen:
        m.located(Region, "regions", id=cc, level=0, name={"en": f"Country {cc}"}, iso3=iso3,
                  curator_note=note)  # fmt: skip
        m.located(Region, "regions", id=f"{cc}1", level=1, name={"en": f"Macroregion {cc}1"},
                  broader=cc, curator_note=note)  # fmt: skip
    nuts3: list[str] = []
    for g in range(groups):
        cc = chosen[g % countries][0]
        n1, n2 = f"{cc}1", f"{cc}1{_DIGITS[g // countries]}"
        m.located(Region, "regions", id=n2, level=2, name={"en": f"Region {n2}"},
                  broader=n1, curator_note=note)  # fmt: skip
        for b in range(2 + (extra if g == groups - 1 else 0)):
            n3 = f"{n2}{_DIGITS[b]}"
            m.located(Region, "regions", id=n3, level=3, name={"en": f"Subregion {n3}"},
                      broader=n2, curator_note=note)  # fmt: skip
            nuts3.append(n3)

    for f in ("erdf", "esf", "ipa"):
        m.located(Fund, "funds", id=f, name={"en": f"Fund {f.upper()}"}, cites=m.cite())
    programme_ids = [f"programme-{i:03d}" for i in range(programmes)]
    for p in programme_ids:
        first = rng.choice((2007, 2014, 2021))
        m.located(Programme, "programmes", id=p, name={"en": f"Programme {p[-3:]}"},
                  funds=[rng.choice(("erdf", "esf", "ipa"))], period=f"{first}-{first + 6}",
                  cites=m.cite())  # fmt: skip

    n_orgs = max(10, int(projects * 1.2))
    orgs = [f"org-{i:06d}" for i in range(n_orgs)]
    for o in orgs:
        m.located(Organisation, "organisations", id=o, type=rng.choice(ORG_TYPES),
                  name={"en": f"Organisation {o[4:]}"}, region=rng.choice(nuts3),
                  cites=m.cite())  # fmt: skip
    people = [f"person-{i:06d}" for i in range(max(5, projects // 2))]
    for p in people:
        posts = [
            {"organisation": org, "role": rng.choice(POST_ROLES), "title": {"en": "Staff"},
             "cites": m.cite()}
            for org in sorted(set(rng.sample(orgs, k=rng.choice((1, 1, 1, 2)))))
        ]  # fmt: skip
        m.located(Person, "people", id=p, given_name="Given", family_name=f"Family {p[7:]}",
                  posts=posts, cites=m.cite())  # fmt: skip
    places = [f"place-{i:04d}" for i in range(max(3, projects // 10))]
    for p in places:
        m.located(Place, "places", id=p, name={"en": f"Venue {p[6:]}"},
                  region=rng.choice(nuts3), cites=m.cite())  # fmt: skip
    practices = [f"practice-{i:05d}" for i in range(max(3, projects // 5))]
    for p in practices:
        m.located(Practice, "practices", id=p, name={"en": f"Practice {p[9:]}"},
                  implemented_by=[rng.choice(orgs)], region=rng.choice(nuts3),
                  cites=m.cite())  # fmt: skip

    # preferential attachment: half the time a partner is drawn from past participations, so
    # organisations already active join more projects (a heavy-tailed degree distribution)
    pool: list[str] = []
    for i in range(projects):
        pid = f"project-{i:06d}"
        size = min(n_orgs, max(2, int(rng.paretovariate(1.6) * 3)), 60)
        members: list[str] = []
        while len(members) < size:
            o = rng.choice(pool) if pool and rng.random() < 0.5 else rng.choice(orgs)
            if o not in members:
                members.append(o)
        pool.extend(members)
        start = date(2008, 1, 1) + timedelta(days=rng.randrange(5000))
        end = start + timedelta(days=rng.randrange(365, 1500))
        amounts = [Decimal(rng.randrange(50_000, 2_000_000)) for _ in members]
        partners = [
            {"organisation": o, "role": "lead-partner" if k == 0 else "partner",
             "budget": {"amount": a, "currency": "EUR", "cites": m.cite()}, "cites": m.cite()}
            for k, (o, a) in enumerate(zip(members, amounts, strict=True))
        ]  # fmt: skip
        total = sum(amounts, Decimal(0)) * Decimal("1.25")
        m.located(Project, "projects", id=pid, acronym=f"P{i}", title={"en": f"Project {i}"},
                  programme=rng.choice(programme_ids), start=start, end=end,
                  budget={"amount": total, "currency": "EUR", "cites": m.cite()},
                  partners=partners, cites=m.cite())  # fmt: skip
        for e in range(rng.choice((0, 1, 1, 2))):
            day = start + timedelta(days=rng.randrange((end - start).days))
            speakers = rng.sample(people, k=min(len(people), rng.randint(1, 4)))
            parts = [
                {"person": s, "role": rng.choice(EVENT_ROLES), "cites": m.cite()} for s in speakers
            ]
            m.located(Event, "events", id=f"{pid}-event-{e}", type=rng.choice(EVENT_TYPES),
                      name={"en": f"Event {e} of project {i}"}, project=pid, start=day, end=day,
                      venue=rng.choice(places), participants=parts, cites=m.cite())  # fmt: skip
    return m.ds


def _set(g: Graph, s: Node, p: URIRef, o: Node) -> None:
    g.remove((s, p, None))
    g.add((s, p, o))


def break_some(graph: Graph, fraction: float, seed: int = 7) -> int:
    """Break ``fraction`` of the typed kg: instances, one way or another; return how many."""
    rng = random.Random(seed)
    nodes = sorted(
        {s for s, o in graph.subject_objects(RDF.type) if str(o).startswith(str(KG))}, key=str
    )
    broken = rng.sample(nodes, k=max(1, int(len(nodes) * fraction)))
    for s in broken:
        kinds = {str(o) for o in graph.objects(s, RDF.type)}
        if str(KG.Project) in kinds:
            if rng.random() < 0.5:
                graph.remove((s, KG.acronym, None))
            else:
                _set(graph, s, SCHEMA.endDate, Literal("1990-01-01", datatype=XSD.date))
        elif str(KG.Participation) in kinds:
            _set(graph, s, SCHEMA.startDate, Literal("1960-01-01", datatype=XSD.date))
        elif str(KG.Budget) in kinds:
            _set(graph, s, SCHEMA.value, Literal("-1", datatype=XSD.decimal))
        elif str(KG.Person) in kinds:
            graph.remove((s, FOAF.name, None))
        elif str(KG.Event) in kinds:
            _set(graph, s, KG.eventType, URIRef(f"{VOCAB}participation-role/partner"))
        elif str(KG.NUTSRegion) in kinds:
            _set(graph, s, KG.nutsLevel, Literal(9))
        else:
            graph.remove((s, RDFS.label, None))
    return len(broken)


def graph_of_size(target: int, ontology: Ontology, *, seed: int = 1) -> Graph:
    """A built synthetic graph of about ``target`` triples (calibrated on a small run)."""
    return build_of_size(target, ontology, seed=seed).graph


def build_of_size(target: int, ontology: Ontology, *, seed: int = 1) -> Built:
    """The built synthetic data of about ``target`` triples (calibrated on a small run)."""
    shape: dict[str, int] = (
        {"countries": 2, "regions": 22, "programmes": 10} if target < 20_000 else {}
    )
    base = len(build_located(synthesize(projects=0, **shape), ontology).triples)
    pilot = 200
    sample = build_located(synthesize(projects=pilot, **shape), ontology).triples
    per_project = (len(sample) - base) / pilot
    projects = max(1, round((target - base) / per_project))
    return build_located(synthesize(projects=projects, seed=seed, **shape), ontology)
