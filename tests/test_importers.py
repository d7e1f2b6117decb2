"""Importers: Interreg partner lists and CORDIS, on small hand-written fixtures and the real files.

The fixtures in tests/fixtures/importers/ follow the real formats (see ../shared/realdata) with
made-up rows chosen to hit each rule: a record without an organisation, the same organisation
spelled two ways, two records of one organisation in one project, an impossible date, a region
name that is not in the reference list, a country outside NUTS, a PIC shared by two spellings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.errors import DataErrors
from kgraph.export import to_turtle
from kgraph.importers import ImportResult, check_and_write
from kgraph.importers.cordis import import_cordis
from kgraph.importers.interreg import import_interreg
from kgraph.namespaces import KG, PROV, RDF, RDFS, SCHEMA, XSD, entity_iri
from kgraph.nuts import NutsList
from kgraph.pipeline import build
from kgraph.reconcile import Reconciler
from kgraph.validate import Severity, load_shapes

FIXTURES = Path(__file__).parent / "fixtures" / "importers"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "realdata"
INTERREG = FIXTURES / "interreg-sample.json"
NUTS = FIXTURES / "nuts-sample.csv"
LEAD = URIRef("https://w3id.org/kgraph/vocab/participation-role/lead-partner")


@pytest.fixture(scope="module")
def curated(paths):
    """The curated dataset, ontology and built graph."""
    return build(paths)


def _nuts(curated, path: Path = NUTS) -> NutsList:
    return NutsList.from_csv(path).with_curated(curated[0].of("regions").values())


def _interreg(curated, path: Path = INTERREG, **kw) -> ImportResult:
    nuts = kw.pop("nuts", None) or _nuts(curated)
    rec = kw.pop("reconciler", None) or Reconciler(curated[0].of("organisations").values())
    return import_interreg(path, curated[1], nuts=nuts, reconciler=rec, **kw)


def _cordis(curated, *, reconciler: Reconciler | None = None) -> ImportResult:
    rec = reconciler or Reconciler(curated[0].of("organisations").values())
    return import_cordis(FIXTURES / "cordis-projects.csv", FIXTURES / "cordis-organisations.csv",
                         curated[1], nuts=_nuts(curated), reconciler=rec)  # fmt: skip


def _validate(curated, result: ImportResult, tmp_path: Path, shapes):
    _, _, built = curated
    report, written = check_and_write(result, built.graph, built.origins, shapes, tmp_path)
    return report, written


@pytest.fixture(scope="module")
def shapes(paths):
    """The SHACL shapes."""
    return load_shapes(paths.shapes)


def test_interreg_sample_counts_and_rules(curated):
    r = _interreg(curated)
    assert r.counts["records"] == 6
    assert r.counts["programmes"] == 2
    assert r.counts["projects"] == 2
    assert r.counts["organisation names"] == 4  # "Exempel Universitet" spelled two ways
    assert r.counts["organisations"] == 3
    assert r.counts["participations"] == 4  # record 3 has no organisation; 5 and 6 merge
    assert r.counts["regions"] == 8  # SE224, SE331, SE332 and their broader regions
    assert any("records 3." in n for n in r.notes)
    assert any("1 records repeat an organisation" in n for n in r.notes)
    assert r.unresolved == {
        "nuts2 'Norrland Övre'": [5],
        "slutdatum '2024-02-30' (not a date)": [4],
    }


def test_interreg_sample_graph(curated):
    g = _interreg(curated).graph
    harbour = entity_iri("project", "interreg-baltic-sea-region-test-harbour")
    snow = entity_iri("project", "interreg-aurora-snow-test")
    uni = entity_iri("organisation", "exempel-universitet-se")
    kommun = entity_iri("organisation", "exempel-kommun-se")
    assert (harbour, KG.leadPartner, entity_iri("organisation", "testhamnen-ab-se")) in g
    assert (snow, KG.unstatedProperty, KG.leadPartner) in g
    assert g.value(snow, SCHEMA.endDate) == Literal("2024-12-31", datatype=XSD.date)
    assert g.value(snow, KG.policyObjective) == Literal("ISO")
    # one organisation, two spellings; its region from NUTS 3; typed by the list's type
    assert set(g.objects(uni, RDFS.label)) == {Literal("Exempel Universitet", lang="en")}
    assert (uni, KG.locatedIn, entity_iri("region", "SE331")) in g
    assert (uni, RDF.type, KG.University) in g
    # merged participation: strongest role (PP over AP), budgets added
    part = entity_iri("participation", "interreg-aurora-snow-test--exempel-kommun-se")
    assert str(g.value(part, KG.participationRole)).endswith("/partner")
    budget = g.value(part, KG.partnerBudget)
    assert str(g.value(budget, SCHEMA.value)) == "15000"
    assert (kommun, KG.locatedIn, entity_iri("region", "SE332")) in g
    # provenance: each fact cites the records it came from, in a dataset with a checksum
    source = entity_iri("source", "interreg-sample.json")
    assert (part, PROV.wasDerivedFrom, source) in g
    assert (part, KG.citesPassage, entity_iri("source", "interreg-sample.json-r6")) in g
    assert (source, RDF.type, KG.SourceDataset) in g
    assert len(str(g.value(source, KG.sha256))) == 64
    assert (entity_iri("region", "SE331"), KG.citesPassage,
            entity_iri("source", "nuts-sample.csv-r7")) in g  # fmt: skip


def test_interreg_sample_validates_with_the_curated_data(curated, shapes, tmp_path):
    report, written = _validate(curated, _interreg(curated), tmp_path, shapes)
    assert report.counts()[Severity.VIOLATION] == 0
    unstated = [f for f in report.findings if f.shape == "kgsh:LeadPartnerUnstatedShape"]
    assert [f.focus.rsplit("/", 1)[1] for f in unstated] == ["interreg-aurora-snow-test"]
    assert sorted(p.name for p in written) == [
        "interreg-partners-report.txt",
        "interreg-partners-review.csv",
        "interreg-partners.ttl",
    ]


def test_import_output_is_deterministic(curated):
    assert to_turtle(_interreg(curated).graph) == to_turtle(_interreg(curated).graph)


def test_bad_records_name_file_line_and_field(curated, tmp_path):
    bad = tmp_path / "list.json"
    text = INTERREG.read_text("utf-8")
    bad.write_text(text.replace('"projektnamn": "Snow Test"', '"projektnamn": ""', 1))
    with pytest.raises(DataErrors) as caught:
        _interreg(curated, bad)
    [error] = caught.value.errors
    assert (error.file, error.line, error.field) == (bad, 5, "record 4.projektnamn")
    broken = tmp_path / "broken.json"
    broken.write_text('[{"id": 1,\n "program": }]')
    with pytest.raises(DataErrors) as caught:
        _interreg(curated, broken)
    assert caught.value.errors[0].line == 2


def test_cordis_sample_join_roles_and_identifiers(curated):
    r = _cordis(curated)
    g = r.graph
    assert r.counts["projects"] == 2  # 900003 has no participant; 900404 is not a project
    assert r.counts["organisations"] == 3  # EXAMPLE UNIVERSITY twice, joined by its PIC
    assert r.counts["participations"] == 4
    assert any("900003" not in n and "1 projects have no participant" in n for n in r.notes)
    assert any("records 5." in n for n in r.notes)
    assert r.unresolved == {"country 'US' (not in NUTS)": [3]}
    uni = entity_iri("organisation", "example-university-nl")
    assert g.value(uni, KG.pic) == Literal("999000001")
    assert g.value(uni, KG.vatNumber) == Literal("NL800000001B01")
    assert set(g.objects(uni, RDFS.label)) == {Literal("EXAMPLE UNIVERSITY", lang="en")}
    assert (uni, RDF.type, KG.University) in g
    third = entity_iri("participation", "cordis-900001--example-cluster-support-llc")
    assert str(g.value(third, KG.participationRole)).endswith("/third-party")
    lead = entity_iri("participation", "cordis-900001--example-university-nl")
    assert g.value(lead, KG.participationRole) == LEAD
    eu = g.value(lead, KG.euContribution)
    assert str(g.value(eu, SCHEMA.value)) == "900000"
    assert (entity_iri("project", "cordis-900002"), KG.unstatedProperty, KG.leadPartner) in g


def test_cordis_sample_validates(curated, shapes, tmp_path):
    report, _ = _validate(curated, _cordis(curated), tmp_path, shapes)
    assert report.counts()[Severity.VIOLATION] == 0
    # the organisation outside NUTS has no country: a warning, not an error
    warned = {f.focus.rsplit("/", 1)[1] for f in report.findings if f.severity is Severity.WARNING}
    assert warned == {"example-cluster-support-llc"}


def test_one_organisation_from_two_sources_is_one_node(curated):
    shared = Reconciler(curated[0].of("organisations").values())
    interreg = _interreg(curated, reconciler=shared)
    cordis = _cordis(curated, reconciler=shared)
    harbour = entity_iri("organisation", "testhamnen-ab-se")
    assert (harbour, RDF.type, KG.Organisation) in interreg.graph
    assert (harbour, KG.pic, Literal("999000002")) in cordis.graph
    assert len(shared.nodes[harbour.rsplit("/", 1)[1]].claims) == 2


def test_cli_import_writes_files_and_refuses_bad_input(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["import", "interreg-partners", str(INTERREG), "--nuts", str(NUTS),
                                 "--out", str(tmp_path)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "participations: 4" in result.output
    assert "nuts2 'Norrland Övre': 1 record(s): 5" in result.output
    assert (tmp_path / "interreg-partners.ttl").read_text().startswith("# kgraph import")
    bad = tmp_path / "bad.json"
    bad.write_text('[{"program": "X"}]')
    again = runner.invoke(app, ["import", "interreg-partners", str(bad), "--out",
                                str(tmp_path / "none")])  # fmt: skip
    assert again.exit_code == 1
    assert "record 1.projektnamn" in again.output
    assert not (tmp_path / "none").exists()


needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/realdata is not here")


@needs_shared
def test_the_real_interreg_list(curated, shapes, tmp_path):
    nuts = _nuts(curated, SHARED / "nuts" / "NUTS2021.csv")
    r = _interreg(curated, SHARED / "interreg-se-partners" / "rawdata.json", nuts=nuts)
    assert r.counts["records"] == 1196
    assert r.counts["programmes"] == 10
    assert r.counts["projects"] == 586
    assert r.counts["organisation names"] == 588  # 589 distinct values, one of them empty
    assert r.counts["organisations"] == 583
    assert r.counts["participations"] == 1177  # 17 records without organisation, 2 merged
    assert set(r.unresolved) >= {"nuts2 'Småland och öarna'", "nuts2 'Gotland'"}
    report, _ = _validate(curated, r, tmp_path, shapes)
    assert report.counts()[Severity.VIOLATION] == 0
    assert report.counts()[Severity.WARNING] == 0


@needs_shared
def test_the_real_cordis_sample(curated, shapes, tmp_path):
    base = SHARED / "cordis-horizon-europe"
    r = import_cordis(base / "project_df_100.csv", base / "organization_df_100.csv", curated[1],
                      nuts=_nuts(curated, SHARED / "nuts" / "NUTS2021.csv"),
                      reconciler=Reconciler(curated[0].of("organisations").values()))  # fmt: skip
    assert r.counts["projects"] == 42
    assert r.counts["participations"] == 100
    report, _ = _validate(curated, r, tmp_path, shapes)
    assert report.counts()[Severity.VIOLATION] == 0
