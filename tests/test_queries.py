"""The named SPARQL queries: expected rows on the curated data, parameters, injection, formats."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.namespaces import RDFS, entity_iri
from kgraph.query import NamedQuery, QueryError, Results, bind, fold, load_catalogue, run_local
from kgraph.results import ResultFormat, render, short
from kgraph.store import to_store

runner = CliRunner()


@pytest.fixture(scope="module")
def catalogue(paths) -> dict[str, NamedQuery]:
    return load_catalogue(paths.queries)


@pytest.fixture(scope="module")
def store(graph) -> ox.Store:
    return to_store(graph)


def rows(store: ox.Store, query: NamedQuery, **params: str) -> list[tuple[str, ...]]:
    result = run_local(store, bind(query, params))
    return [tuple(short(t) for t in row) for row in result.rows]


def test_the_catalogue_has_at_least_15_documented_queries(catalogue):
    assert len(catalogue) >= 15
    for q in catalogue.values():
        assert q.title, q.name
        assert len(q.description) > 40, q.name
        for p in q.params:
            assert re.search(rf"\?{p.name}\b", q.text), f"{q.name}: ?{p.name} unused"
            assert p.description


# -- expected rows on the curated data -----------------------------------------------------------

NEXT2MET = [
    "organisation:barcelona-provincial-council",
    "organisation:cpmr",
    "organisation:eastern-midland-regional-assembly",
    "organisation:ecoplus",
    "organisation:paijat-hame-regional-council",
    "organisation:podlaskie-marshal-office",
    "organisation:witeno",
]
GOSMART = [
    "organisation:bialystok-university-of-technology",
    "organisation:podlaskie-regional-development-foundation",
]
S1, S0, S3 = "001_f5fdf461287ef4a2.txt", "000_04709250d1b1ecaf.txt", "003_fd6e6c184f475a29.txt"


def test_project_partners(store, catalogue):
    found = rows(store, catalogue["project-partners"])
    assert [(r[0], r[2], r[3], r[4], r[7]) for r in found] == [
        ("organisation:cpmr", "advisory-partner", "FR", "FRH03", S1),
        ("organisation:paijat-hame-regional-council", "lead-partner", "FI", "FI1C3", S0),
        ("organisation:paijat-hame-regional-council", "lead-partner", "FI", "FI1C3", S1),
        ("organisation:barcelona-provincial-council", "partner", "ES", "ES511", S1),
        ("organisation:eastern-midland-regional-assembly", "partner", "IE", "IE06", S1),
        ("organisation:podlaskie-marshal-office", "partner", "PL", "PL84", S1),
        ("organisation:witeno", "partner", "DE", "DE80N", S1),
        ("organisation:ecoplus", "partner", "AT", "AT12", S1),
    ]
    gosmart = rows(store, catalogue["project-partners"], project="project:gosmart-bsr")
    assert [(r[0], r[2], r[4]) for r in gosmart] == [
        (GOSMART[0], "lead-partner", "PL841"),
        (GOSMART[1], "partner", "PL84"),
    ]


def test_organisation_projects(store, catalogue):
    assert rows(store, catalogue["organisation-projects"]) == [
        ("project:next2met", "Next2Met", "partner", "Interreg Europe", "2019-08-01", "2023-07-31")
    ]
    but = rows(store, catalogue["organisation-projects"], organisation=GOSMART[0])
    assert but == [
        ("project:gosmart-bsr", "GoSmart BSR", "lead-partner", "Interreg Baltic Sea Region", "", "")
    ]


def test_organisation_people_includes_units(store, catalogue):
    assert [r[:4] for r in rows(store, catalogue["organisation-people"])] == [
        ("person:mariusz-citkowski", "Mariusz Citkowski", "organisation:evoluma", "council-member"),
        ("person:sebastian-rynkiewicz", "Sebastian Rynkiewicz", "organisation:evoluma",
         "president-of-the-board"),
    ]  # fmt: skip
    office = rows(
        store,
        catalogue["organisation-people"],
        organisation="organisation:podlaskie-marshal-office",
    )
    assert {(r[0], r[2], r[3]) for r in office} == {
        ("person:artur-kosicki", "organisation:podlaskie-marshal-office", "marshal"),
        ("person:izabela-lokic", "organisation:podlaskie-regional-development-department",
         "deputy-director"),
        ("person:mariusz-feszler", "organisation:podlaskie-information-society-department",
         "deputy-director"),
    }  # fmt: skip


def test_project_events_with_speakers(store, catalogue):
    found = rows(store, catalogue["project-events"])
    spring = "Next2Met event on the regional action plans (announced for spring 2022)"
    assert found[0][:5] == ("event:next2met-spring-2022-event", spring, "", "project-meeting", "")
    ple5 = {(r[4], r[6]) for r in found[1:]}
    assert len(found) == 16
    assert ("person:harri-kuusela", "speaker") in ple5
    assert ("person:artur-kosicki", "opener") in ple5
    assert ("person:izabela-lokic", "moderator") in ple5
    assert {r[2] for r in found[1:]} == {"2021-12-10"}


def test_region_organisations_include_subregions(store, catalogue):
    found = rows(store, catalogue["region-organisations"])
    assert len(found) == 13
    assert {r[2] for r in found} == {"PL84", "PL841"}
    assert ("organisation:university-of-bialystok", "University of Białystok", "PL841") in found
    assert rows(store, catalogue["region-organisations"], region="PL841") == [
        r for r in found if r[2] == "PL841"
    ]
    assert len(rows(store, catalogue["region-organisations"], region="PL")) > len(found)


def test_co_participation_pairs_are_all_pairs_of_partners(store, catalogue):
    teams = (NEXT2MET, GOSMART)
    pairs = [p for team in teams for p in itertools.combinations(team, 2)]
    expected = {
        tuple(sorted(p, key=lambda x: entity_iri("organisation", x.split(":")[1]))) for p in pairs
    }
    found = rows(store, catalogue["co-participation"])
    assert {(r[0], r[2]) for r in found} == expected
    assert {r[4] for r in found} == {"1"}


def test_country_and_region_cooperation(store, catalogue):
    countries = ["AT", "DE", "ES", "FI", "FR", "IE", "PL"]
    found = rows(store, catalogue["country-cooperation"])
    assert {(r[0], r[1]) for r in found} == set(itertools.combinations(countries, 2))
    regions = rows(store, catalogue["region-cooperation"])
    assert len(regions) == 22  # 21 pairs of Next2Met's 7 regions + GoSmart's PL84-PL841
    assert ("PL84", "PL841", "1") in regions


def test_funding_queries(store, catalogue):
    assert rows(store, catalogue["funding-by-programme"]) == [
        ("programme:interreg-bsr", "Interreg Baltic Sea Region", "1", "1760000", "EUR"),
        ("programme:interreg-europe", "Interreg Europe", "1", "1358584", "EUR"),
    ]
    assert rows(store, catalogue["funding-by-fund"]) == [
        ("fund:erdf", "European Regional Development Fund", "2", "3118584", "EUR")
    ]
    assert rows(store, catalogue["funding-by-year"]) == [("2019", "1", "1358584", "EUR")]
    # no curated partnership states a partner budget yet
    assert rows(store, catalogue["funding-by-country"]) == []


def test_funding_by_country_sums_partner_budgets(catalogue):
    fixture = Path(__file__).parent / "fixtures" / "shapes" / "minimal.ttl"
    small = to_store(Graph().parse(fixture))
    assert rows(small, catalogue["funding-by-country"]) == [("PL", "2", "1000.5", "EUR")]


def test_active_organisations(store, catalogue):
    found = rows(store, catalogue["active-organisations"])
    assert found[0] == ("organisation:evoluma", "Evoluma Industrial Cluster", "0", "4")
    assert len(found) == 10
    assert {(r[2], r[3]) for r in found[1:]} == {("1", "1")}
    assert [r[0] for r in rows(store, catalogue["active-organisations"], minimum="3")] == [
        "organisation:evoluma"
    ]


def test_people_in_several_organisations(store, catalogue):
    assert [
        (r[0], r[2], r[3]) for r in rows(store, catalogue["people-in-several-organisations"])
    ] == [
        ("person:grzegorz-jakuc", "2", "organisation:podlaskie-rural-communes-association"),
        ("person:grzegorz-jakuc", "2", "organisation:juchnowiec-koscielny-commune"),
        ("person:mariusz-citkowski", "2", "organisation:evoluma"),
        ("person:mariusz-citkowski", "2", "organisation:uwb-faculty-of-management"),
        ("person:wladyslaw-fleischer", "2", "organisation:simp"),
        ("person:wladyslaw-fleischer", "2", "organisation:lubuski-metal-cluster"),
    ]
    everyone = rows(store, catalogue["people-in-several-organisations"], minimum="1")
    assert len({r[0] for r in everyone}) == 13
    assert len(everyone) == 16  # posts


def test_projects_on_date(store, catalogue):
    assert rows(store, catalogue["projects-on-date"]) == [
        ("project:next2met", "Next2Met", "2019-08-01", "2023-07-31")
    ]
    assert rows(store, catalogue["projects-on-date"], date="2023-08-01") == []
    assert rows(store, catalogue["projects-on-date"], date="2019-08-01")[0][0] == "project:next2met"


def test_sources_of_a_thing(store, catalogue):
    found = rows(store, catalogue["sources-of"], thing="project:gosmart-bsr")
    assert {r[0] for r in found} == {
        "budget:gosmart-bsr",
        "event:gosmart-bsr-inner-kick-off",
        "participation:gosmart-bsr--bialystok-university-of-technology",
        "participation:gosmart-bsr--podlaskie-regional-development-foundation",
        "project:gosmart-bsr",
    }
    assert {r[2] for r in found} == {S3}
    assert ("budget:gosmart-bsr", "Budget", S3, "9", "") in found


def test_label_search_ignores_case_and_diacritics(store, catalogue):
    by_label = {r[1]: r[0] for r in rows(store, catalogue["label-search"], text="bialystok")}
    assert by_label["Białystok University of Technology"] == GOSMART[0]
    assert "University of Białystok" in by_label
    found = rows(store, catalogue["label-search"], text="politechnika")
    assert [(r[0], r[1]) for r in found] == [(GOSMART[0], "Politechnika Białostocka")]
    assert rows(store, catalogue["label-search"], text="BIAŁYSTOK") == rows(
        store, catalogue["label-search"], text="bialystok"
    )
    assert {r[0] for r in rows(store, catalogue["label-search"], text="paijat")} == {
        "organisation:paijat-hame-regional-council",
        "region:FI1C3",
    }


def test_fold_matches_the_query_folding():
    assert (
        fold("Białystok ŁÓDŹ Päijät-Häme Straße Øresund")
        == "bialystok lodz paijat-hame strasse oresund"
    )


def test_organisation_network_is_a_graph(store, catalogue):
    result = run_local(store, bind(catalogue["organisation-network"], {}))
    assert result.graph is not None
    office = URIRef(entity_iri("organisation", "podlaskie-marshal-office"))
    assert (
        office,
        RDFS.label,
        Literal("Marshal's Office of the Podlaskie Voivodeship", lang="en"),
    ) in result.graph
    partners = set(
        result.graph.objects(None, URIRef("https://w3id.org/kgraph/ontology#participant"))
    )
    assert {short(p) for p in partners} == set(NEXT2MET)
    turtle = render(result, ResultFormat.JSON)
    assert turtle.startswith("@prefix")


# -- parameters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "name", "value", "expected"),
    [
        ("projects-on-date", "date", "10.12.2021", "a date written YYYY-MM-DD"),
        ("projects-on-date", "date", "2021-02-30", "a date written YYYY-MM-DD"),
        ("active-organisations", "minimum", "two", "a whole number"),
        ("region-organisations", "region", "pl84", "a NUTS code"),
        ("project-partners", "project", "https://x.org/a> } ; DROP ALL #", "an IRI"),
        ("project-partners", "project", "not an iri", "an IRI"),
        ("label-search", "text", "   ", "some text"),
    ],
)
def test_invalid_values_are_refused_clearly(catalogue, query, name, value, expected):
    with pytest.raises(QueryError, match=f"parameter '{name}' expects {expected}"):
        bind(catalogue[query], {name: value})


def test_unknown_parameters_are_refused(catalogue):
    with pytest.raises(QueryError, match="unknown parameter"):
        bind(catalogue["project-partners"], {"projet": "project:next2met"})


INJECTIONS = [
    'x" ) } ; DROP ALL ; #',
    "x' } UNION { ?thing ?p ?label } #",
    "}}}{{{",
    "a\n} LIMIT 1000 #\n",
    '\\" || true) } #',
]


@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_strings_are_plain_values(graph, catalogue, attack):
    store = to_store(graph)
    before = len(store)
    assert rows(store, catalogue["label-search"], text=attack) == []
    assert len(store) == before
    # the same text, as a real name, is found as itself and only itself
    thing = entity_iri("organisation", "attacker")
    store.add(
        ox.Quad(
            ox.NamedNode(thing),
            ox.NamedNode(str(RDFS.label)),
            ox.Literal(f"Org {attack}", language="en"),
        )
    )
    store.add(
        ox.Quad(
            ox.NamedNode(thing),
            ox.NamedNode(str(RDF_TYPE)),
            ox.NamedNode("https://w3id.org/kgraph/ontology#Organisation"),
        )
    )
    found = rows(store, catalogue["label-search"], text=attack)
    assert [r[0] for r in found] == ["organisation:attacker"]


RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def test_ad_hoc_query_parameters_are_bound_as_literals(store):
    text = "SELECT ?x WHERE { BIND (STRLEN(?name) AS ?x) }"
    result = run_local(store, bind(text, {"name": '") } #'}))
    assert [str(r[0]) for r in result.rows] == ["6"]


# -- formats -------------------------------------------------------------------------------------


def _results(store, catalogue) -> Results:
    return run_local(store, bind(catalogue["funding-by-programme"], {}))


def test_json_is_sparql_results_json(store, catalogue):
    doc = json.loads(render(_results(store, catalogue), ResultFormat.JSON))
    assert doc["head"]["vars"] == ["programme", "name", "projects", "budget", "currency"]
    first = doc["results"]["bindings"][0]
    assert first["programme"] == {
        "type": "uri",
        "value": "https://w3id.org/kgraph/id/programme/interreg-bsr",
    }
    assert first["name"] == {
        "type": "literal",
        "value": "Interreg Baltic Sea Region",
        "xml:lang": "en",
    }
    assert first["budget"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"


def test_csv_tsv_markdown(store, catalogue):
    results = _results(store, catalogue)
    table = list(csv.reader(io.StringIO(render(results, ResultFormat.CSV))))
    assert table[0] == ["programme", "name", "projects", "budget", "currency"]
    assert table[1][0] == "https://w3id.org/kgraph/id/programme/interreg-bsr"
    tsv = render(results, ResultFormat.TSV).splitlines()
    assert tsv[0].split("\t")[0] == "?programme"
    assert '"Interreg Baltic Sea Region"@en' in tsv[1]
    md = render(results, ResultFormat.MARKDOWN).splitlines()
    assert md[2].startswith("| programme:interreg-bsr | Interreg Baltic Sea Region | 1 |")


# -- the command line ----------------------------------------------------------------------------


def test_cli_list(catalogue):
    result = runner.invoke(app, ["query", "--list"])
    assert result.exit_code == 0
    for name in catalogue:
        assert name in result.output


def test_cli_named_query_with_params(tmp_path):
    out = tmp_path / "partners.csv"
    result = runner.invoke(
        app,
        [
            "query",
            "project-partners",
            "-p",
            "project=project:gosmart-bsr",
            "--format",
            "csv",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "partners.csv" in result.output
    assert "2 row(s)" in result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3


def test_cli_construct_prints_turtle():
    result = runner.invoke(app, ["query", "organisation-network"])
    assert result.exit_code == 0
    parsed = Graph().parse(data=result.stdout, format="turtle")
    assert len(parsed) > 10


def test_cli_file_query_and_errors(tmp_path):
    q = tmp_path / "my.rq"
    q.write_text(
        "PREFIX kg: <https://w3id.org/kgraph/ontology#>\n"
        "SELECT (COUNT(*) AS ?n) WHERE { ?p a kg:Project }\n"
    )
    ok = runner.invoke(app, ["query", "--file", str(q), "--format", "json"])
    assert ok.exit_code == 0
    assert json.loads(ok.stdout)["results"]["bindings"][0]["n"]["value"] == "2"
    bad = runner.invoke(app, ["query", "projects-on-date", "-p", "date=yesterday"])
    assert bad.exit_code == 2
    assert "expects a date" in bad.output
    broken = tmp_path / "broken.rq"
    broken.write_text("SELECT ?x WHERE { ?x ")
    assert runner.invoke(app, ["query", "--file", str(broken)]).exit_code == 2
    assert "no query named" in runner.invoke(app, ["query", "nope"]).output


# -- the same rows on every store ----------------------------------------------------------------


def _rdflib_rows(graph: Graph, text: str) -> list[tuple[str, ...]]:
    return [tuple(short(t) for t in row) for row in graph.query(text)]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "name", sorted(p.stem for p in (Path(__file__).parents[1] / "queries").glob("*.rq"))
)
def test_rdflib_gives_the_same_rows_as_pyoxigraph(graph, store, catalogue, name):
    """The embedded store is pyoxigraph; rdflib (the reference) must agree on every query."""
    query = catalogue[name]
    text = bind(query, {})
    local = run_local(store, text)
    if local.graph is not None:
        theirs = graph.query(text).graph
        assert theirs is not None
        assert set(theirs) == set(local.graph)
    else:
        assert _rdflib_rows(graph, text) == [tuple(short(t) for t in r) for r in local.rows]


def test_every_named_query_has_a_test_of_its_rows(catalogue):
    source = Path(__file__).read_text(encoding="utf-8")
    untested = [n for n in catalogue if f'catalogue["{n}"]' not in source]
    assert not untested, f"queries without a test of their rows: {untested}"
