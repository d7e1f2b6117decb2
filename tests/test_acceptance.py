"""The Foundation's acceptance questions, asked by SPARQL of dist/kgraph.ttl.

Each question runs on rdflib (dist/kgraph.ttl parsed again) and on pyoxigraph (the same file), and
each answer carries the source article of the fact. Values are bound as RDF terms, never pasted.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import XSD
from rdflib.term import Identifier

from kgraph.export import RdfFormat
from kgraph.namespaces import entity_iri
from kgraph.pipeline import BuildResult
from tests.sparql import oxigraph_rows, rdflib_rows

A000 = "000_04709250d1b1ecaf.txt"
A001 = "001_f5fdf461287ef4a2.txt"
A002 = "002_9624378da0d1406f.txt"
A003 = "003_fd6e6c184f475a29.txt"

ENGINES = ["rdflib", "pyoxigraph"]


def _rows(
    engine: str, built: BuildResult, published: Graph, query: str, **bind: Identifier
) -> list[dict[str, str]]:
    if engine == "rdflib":
        return rdflib_rows(published, query, **bind)
    return oxigraph_rows(built.written[RdfFormat.TURTLE], query, **bind)


PARTNERS = """
SELECT ?org ?name ?country ?role ?file WHERE {
  ?part a kg:Participation ; kg:inProject ?project ; kg:participant ?org ;
        kg:participationRole ?r ; prov:wasDerivedFrom ?doc .
  ?r skos:notation ?role .
  ?org rdfs:label ?name . FILTER(lang(?name) = "en")
  ?org kg:country ?c . ?c kg:nutsCode ?country .
  ?doc kg:fileName ?file .
}"""


@pytest.mark.parametrize("engine", ENGINES)
def test_partners_of_next2met_with_country_role_and_source(engine, built, published):
    rows = _rows(engine, built, published, PARTNERS, project=entity_iri("project", "next2met"))
    found: dict[str, tuple[str, str, set[str]]] = {}
    for r in rows:
        org = r["org"].rsplit("/", 1)[1]
        country, role, files = found.get(org, (r["country"], r["role"], set()))
        assert (country, role) == (r["country"], r["role"])
        files.add(r["file"])
        found[org] = (country, role, files)
    assert found == {
        "paijat-hame-regional-council": ("FI", "lead-partner", {A001, A000}),
        "ecoplus": ("AT", "partner", {A001}),
        "barcelona-provincial-council": ("ES", "partner", {A001}),
        "eastern-midland-regional-assembly": ("IE", "partner", {A001}),
        "podlaskie-marshal-office": ("PL", "partner", {A001}),
        "witeno": ("DE", "partner", {A001}),
        "cpmr": ("FR", "advisory-partner", {A001}),
    }


BUDGET_AND_PERIOD = """
SELECT ?amount ?currency ?start ?end ?budgetFile ?budgetPara WHERE {
  ?project kg:totalBudget ?b ; schema:startDate ?start ; schema:endDate ?end .
  ?b schema:value ?amount ; schema:currency ?currency ; prov:wasDerivedFrom ?bdoc ;
     kg:citesPassage ?bp .
  ?bdoc kg:fileName ?budgetFile .
  ?bp kg:paragraph ?budgetPara ; dcterms:isPartOf ?bdoc .
}"""

PERIOD_SOURCE = """
SELECT ?file ?para WHERE {
  ?project kg:citesPassage ?p . ?p kg:paragraph ?para ; dcterms:isPartOf/kg:fileName ?file .
}"""


@pytest.mark.parametrize("engine", ENGINES)
def test_budget_and_period_of_next2met_with_source(engine, built, published):
    project = entity_iri("project", "next2met")
    rows = _rows(engine, built, published, BUDGET_AND_PERIOD, project=project)
    assert rows == [
        {
            "amount": "1358584",
            "currency": "EUR",
            "start": "2019-08-01",
            "end": "2023-07-31",
            "budgetFile": A001,
            "budgetPara": "14",
        }
    ]
    passages = {
        (r["file"], int(r["para"]))
        for r in _rows(engine, built, published, PERIOD_SOURCE, project=project)
    }
    assert (A001, 9) in passages  # "Okres realizacji projektu" paragraph


SPEAKERS = """
SELECT ?event ?name ?role ?orgName ?file WHERE {
  ?event a kg:Event ; schema:startDate ?day .
  ?ep kg:inEvent ?event ; kg:agent ?person ; kg:eventRole ?r ; prov:wasDerivedFrom ?doc .
  ?person a kg:Person ; foaf:name ?name .
  ?r skos:notation ?role .
  FILTER(?role IN ("opener", "moderator", "speaker", "presenter", "panellist"))
  ?ep kg:onBehalfOf ?org . ?org rdfs:label ?orgName . FILTER(lang(?orgName) = "en")
  ?doc kg:fileName ?file .
}"""


@pytest.mark.parametrize("engine", ENGINES)
def test_who_spoke_on_10_december_2021_and_for_whom(engine, built, published):
    day = Literal("2021-12-10", datatype=XSD.date)
    rows = _rows(engine, built, published, SPEAKERS, day=day)
    assert {r["event"] for r in rows} == {str(entity_iri("event", "next2met-ple5"))}
    spoke: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for r in rows:
        spoke[r["name"], r["role"], r["orgName"]].add(r["file"])
    office = "Marshal's Office of the Podlaskie Voivodeship"
    assert dict(spoke) == {
        ("Artur Kosicki", "opener", office): {A000},
        (
            "Izabela Łokić",
            "moderator",
            "Regional Development Department, " + office,
        ): {A000},
        ("Harri Kuusela", "speaker", "Regional Council of Päijät-Häme"): {A000},
        (
            "Mariusz Feszler",
            "presenter",
            "Information Society Department, " + office,
        ): {A000, A002},
        (
            "Grzegorz Jakuć",
            "presenter",
            "Association of Rural Communes of the Podlaskie Voivodeship",
        ): {A000, A002},
        ("Adam Kamiński", "presenter", "InfoTech Technology Cluster"): {A000, A002},
        ("Robert Król", "presenter", "Holo4Med"): {A000, A002},
    }


LEAD_PARTNER = """
SELECT ?org ?name ?file WHERE {
  ?part kg:inProject ?project ; kg:participationRole partrole:lead-partner ;
        kg:participant ?org ; prov:wasDerivedFrom ?doc .
  ?org rdfs:label ?name . FILTER(lang(?name) = "pl")
  ?doc kg:fileName ?file .
}"""


@pytest.mark.parametrize("engine", ENGINES)
def test_lead_partner_of_gosmart_bsr_with_source(engine, built, published):
    rows = _rows(
        engine, built, published, LEAD_PARTNER, project=entity_iri("project", "gosmart-bsr")
    )
    assert rows == [
        {
            "org": str(entity_iri("organisation", "bialystok-university-of-technology")),
            "name": "Politechnika Białostocka",
            "file": A003,
        }
    ]
