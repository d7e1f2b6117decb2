"""Every shape in shapes/ against a conforming fixture and a fixture that breaks it.

tests/fixtures/shapes/minimal.ttl conforms with no result at all. Each case below changes it
with a SPARQL Update and names the result that change must produce: focus node, path, severity
and the shape (or SPARQL constraint) that reports it. A coverage test checks that every shape
with a constraint of its own has such a case, so a new shape cannot go untested.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kgraph import precheck
from kgraph.namespaces import PREFIXES, RDF, SH, SHAPES
from kgraph.validate import Finding, Report, Severity, load_shapes, validate

FIXTURE = Path(__file__).parent / "fixtures" / "shapes" / "minimal.ttl"
PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

V, W, INFO = Severity.VIOLATION, Severity.WARNING, Severity.INFO
EP = "event-participation:e1--anna--speaker"
MEMBERSHIP = "membership:anna--lead--director"
DOC_B = """
    source:doc-b a kg:SourceDocument , kg:Source ; rdfs:label "Document B"@en ;
        dcterms:title "Document B"@en ;
        kg:fileName "doc-b.txt" ;
        dcterms:language <http://publications.europa.eu/resource/authority/language/ENG> .
    source:doc-b-p1 a kg:SourcePassage ; rdfs:label "doc-b.txt, paragraph 1"@en ;
        dcterms:isPartOf source:doc-b ; kg:paragraph 1 .
"""
GERMANY = """
    region:DE a kg:Country , kg:NUTSRegion , kg:Region ; rdfs:label "Germany"@en ;
        kg:nutsCode "DE" ; kg:nutsLevel 0 ; kg:iso3Code "DEU" ;
        skos:exactMatch <http://data.europa.eu/nuts/code/DE> ;
        prov:wasAttributedTo agent:curators ; kg:curatorNote "From the NUTS list."@en .
"""


Update = tuple[str, ...]  # SPARQL Update operations, run one by one


def drop(s: str, p: str) -> Update:
    """Remove every value of ``p`` from ``s``."""
    return (f"DELETE WHERE {{ {s} {p} ?o }}",)


def add(s: str, p: str, o: str) -> Update:
    """Add one statement."""
    return (f"INSERT DATA {{ {s} {p} {o} }}",)


def put(s: str, p: str, o: str) -> Update:
    """Replace every value of ``p`` on ``s`` by ``o``."""
    return drop(s, p) + add(s, p, o)


def insert(turtle: str) -> Update:
    """Add the statements of a Turtle snippet."""
    return (f"INSERT DATA {{ {turtle} }}",)


def delete(turtle: str) -> Update:
    """Remove the statements of a Turtle snippet."""
    return (f"DELETE DATA {{ {turtle} }}",)


@dataclass(frozen=True)
class Case:
    """One way to break the fixture and the result it must give."""

    shape: str  # local name in kgsh:, the sh:sourceConstraint or sh:sourceShape reported
    focus: str
    path: str
    severity: Severity
    update: Update

    @property
    def id(self) -> str:
        return f"{self.shape}:{self.focus.rsplit(':', 1)[-1]}"


CASES = [
    # shared shapes
    Case(
        "NamedThing-englishLabel",
        "fund:erdf",
        "rdfs:label",
        V,
        put("fund:erdf", "rdfs:label", '"Fundusz"@pl'),
    ),
    Case(
        "NamedThing-labelPerLanguage",
        "fund:erdf",
        "rdfs:label",
        V,
        add("fund:erdf", "rdfs:label", '"Another name"@en'),
    ),
    Case(
        "NamedThing-labelPerLanguage",
        "fund:erdf",
        "rdfs:label",
        V,
        add("fund:erdf", "rdfs:label", '"no language"'),
    ),
    Case(
        "ProvenanceShape",
        "fund:erdf",
        "",
        V,
        drop("fund:erdf", "prov:wasDerivedFrom") + drop("fund:erdf", "kg:citesPassage"),
    ),
    Case(
        "Provenance-document",
        "fund:erdf",
        "prov:wasDerivedFrom",
        V,
        add("fund:erdf", "prov:wasDerivedFrom", "organisation:lead"),
    ),
    Case(
        "Provenance-passage",
        "fund:erdf",
        "kg:citesPassage",
        V,
        add("fund:erdf", "kg:citesPassage", "source:doc-a"),
    ),
    Case(
        "Provenance-note",
        "region:PL",
        "kg:curatorNote",
        V,
        put("region:PL", "kg:curatorNote", '"no language tag"'),
    ),
    Case(
        "Period-start",
        "project:p1",
        "schema:startDate",
        V,
        put("project:p1", "schema:startDate", '"2020-01-01"'),
    ),
    Case(
        "Period-start",
        "project:p1",
        "schema:startDate",
        V,
        add("project:p1", "schema:startDate", '"2020-02-01"^^xsd:date'),
    ),
    Case(
        "Period-end",
        "project:p1",
        "schema:endDate",
        V,
        put("project:p1", "schema:endDate", '"31.12.2022"'),
    ),
    Case(
        "Period-startPlausible",
        MEMBERSHIP,
        "schema:startDate",
        W,
        put(MEMBERSHIP, "schema:startDate", '"1019-01-01"^^xsd:date'),
    ),
    Case(
        "Period-endPlausible",
        MEMBERSHIP,
        "schema:endDate",
        W,
        add(MEMBERSHIP, "schema:endDate", '"2201-01-01"^^xsd:date'),
    ),
    # projects
    Case(
        "Project-title",
        "project:p1",
        "dcterms:title",
        V,
        put("project:p1", "dcterms:title", '"Projekt"@pl'),
    ),
    Case("Project-acronym", "project:p1", "kg:acronym", V, drop("project:p1", "kg:acronym")),
    Case(
        "LeadPartner-rule",
        "project:p1",
        "kg:leadPartner",
        V,
        put("participation:p1--lead", "kg:participationRole", "partrole:partner"),
    ),
    Case(
        "LeadPartnerUnstated-rule",
        "project:p1",
        "kg:leadPartner",
        INFO,
        put("participation:p1--lead", "kg:participationRole", "partrole:partner")
        + delete("project:p1 kg:leadPartner organisation:lead")
        + add("project:p1", "kg:unstatedProperty", "kg:leadPartner")
        + add("project:p1", "kg:curatorNote", '"The list names one country\'s partners."@en'),
    ),
    Case(
        "Project-leadPartnerLink",
        "project:p1",
        "kg:leadPartner",
        V,
        add("project:p1", "kg:leadPartner", "organisation:uni"),
    ),
    Case(
        "Project-policyObjective",
        "project:p1",
        "kg:policyObjective",
        V,
        put("project:p1", "kg:policyObjective", '"PO9"'),
    ),
    Case(
        "Project-specificObjective",
        "project:p1",
        "kg:specificObjective",
        V,
        put("project:p1", "kg:specificObjective", '"RSO1"'),
    ),
    Case(
        "Project-leadPartner",
        "project:p1",
        "^kg:inProject",
        V,
        put("participation:p1--uni", "kg:participationRole", "partrole:lead-partner"),
    ),
    Case(
        "Project-programme",
        "project:p1",
        "kg:programme",
        V,
        put("project:p1", "kg:programme", "fund:erdf"),
    ),
    Case(
        "Project-programmeKnown",
        "project:p1",
        "kg:programme",
        INFO,
        drop("project:p1", "kg:programme"),
    ),
    Case("Project-fund", "project:p1", "kg:fund", V, put("project:p1", "kg:fund", "programme:ie")),
    Case(
        "Project-budget",
        "project:p1",
        "kg:totalBudget",
        V,
        add("project:p1", "kg:totalBudget", "budget:p1--uni"),
    ),
    Case(
        "Project-partnerCountry",
        "project:p1",
        "kg:partnerCountry",
        V,
        put("project:p1", "kg:partnerCountry", "region:PL84"),
    ),
    Case(
        "Project-code", "project:p1", "kg:projectCode", V, put("project:p1", "kg:projectCode", "42")
    ),
    Case(
        "Project-homepage",
        "project:p1",
        "foaf:homepage",
        V,
        put("project:p1", "foaf:homepage", '"https://p1.example.org/"'),
    ),
    Case(
        "Project-description",
        "project:p1",
        "dcterms:description",
        V,
        add("project:p1", "dcterms:description", '"Another one."@en'),
    ),
    Case(
        "Project-endKnown",
        "project:p1",
        "schema:endDate",
        INFO,
        drop("project:p1", "schema:endDate"),
    ),
    Case(
        "Participation-participant",
        "participation:p1--uni",
        "kg:participant",
        V,
        drop("participation:p1--uni", "kg:participant"),
    ),
    Case(
        "Participation-participant",
        "participation:p1--uni",
        "kg:participant",
        V,
        put("participation:p1--uni", "kg:participant", "person:anna"),
    ),
    Case(
        "Participation-project",
        "participation:p1--uni",
        "kg:inProject",
        V,
        put("participation:p1--uni", "kg:inProject", "programme:ie"),
    ),
    Case(
        "Participation-role",
        "participation:p1--uni",
        "kg:participationRole",
        V,
        put("participation:p1--uni", "kg:participationRole", "eventrole:speaker"),
    ),
    Case(
        "Participation-role",
        "participation:p1--uni",
        "kg:participationRole",
        V,
        drop("participation:p1--uni", "kg:participationRole"),
    ),
    Case(
        "Participation-budget",
        "participation:p1--uni",
        "kg:partnerBudget",
        V,
        add("participation:p1--uni", "kg:partnerBudget", "budget:p1"),
    ),
    Case("Phase-project", "phase:p1--2", "kg:phaseOf", V, drop("phase:p1--2", "kg:phaseOf")),
    Case(
        "Phase-number",
        "phase:p1--2",
        "kg:phaseNumber",
        V,
        put("phase:p1--2", "kg:phaseNumber", "0"),
    ),
    Case(
        "Phase-start", "phase:p1--2", "schema:startDate", V, drop("phase:p1--2", "schema:startDate")
    ),
    Case("Phase-end", "phase:p1--2", "schema:endDate", V, drop("phase:p1--2", "schema:endDate")),
    Case(
        "Budget-value",
        "budget:p1--uni",
        "schema:value",
        V,
        put("budget:p1--uni", "schema:value", '"-5.0"^^xsd:decimal'),
    ),
    Case(
        "Budget-value",
        "budget:p1--uni",
        "schema:value",
        V,
        put("budget:p1--uni", "schema:value", '"lots"'),
    ),
    Case(
        "Budget-valuePlausible",
        "budget:p1",
        "schema:value",
        W,
        put("budget:p1", "schema:value", "20000000000.0"),
    ),
    Case(
        "Budget-currency",
        "budget:p1--uni",
        "schema:currency",
        V,
        put("budget:p1--uni", "schema:currency", '"euro"'),
    ),
    Case(
        "Budget-approximate",
        "budget:p1",
        "kg:approximate",
        V,
        put("budget:p1", "kg:approximate", '"yes"'),
    ),
    Case(
        "Budget-owner",
        "budget:p1",
        "^kg:totalBudget|^kg:partnerBudget|^kg:euContribution",
        V,
        drop("project:p1", "kg:totalBudget"),
    ),
    # programmes, funds, practices
    Case(
        "Programme-fund", "programme:ie", "kg:fund", V, put("programme:ie", "kg:fund", "project:p1")
    ),
    Case("Programme-fundKnown", "programme:ie", "kg:fund", INFO, drop("programme:ie", "kg:fund")),
    Case(
        "Programme-period",
        "programme:ie",
        "kg:programmingPeriod",
        V,
        put("programme:ie", "kg:programmingPeriod", '"2014-20"'),
    ),
    Case(
        "Programme-homepage",
        "programme:ie",
        "foaf:homepage",
        V,
        put("programme:ie", "foaf:homepage", '"www.interregeurope.eu"'),
    ),
    Case(
        "Fund-acronym", "fund:erdf", "skos:altLabel", V, put("fund:erdf", "skos:altLabel", '"ERDF"')
    ),
    Case(
        "GoodPractice-implementedBy",
        "practice:gp",
        "kg:implementedBy",
        V,
        put("practice:gp", "kg:implementedBy", "person:anna"),
    ),
    Case(
        "GoodPractice-implementerKnown",
        "practice:gp",
        "kg:implementedBy",
        INFO,
        drop("practice:gp", "kg:implementedBy"),
    ),
    Case(
        "GoodPractice-region",
        "practice:gp",
        "kg:locatedIn",
        V,
        put("practice:gp", "kg:locatedIn", "organisation:lead"),
    ),
    # organisations and people
    Case(
        "Organisation-country",
        "organisation:uni",
        "kg:country",
        V,
        put("organisation:uni", "kg:country", "region:PL84"),
    ),
    Case(
        "Organisation-countryKnown",
        "organisation:uni",
        "kg:country",
        W,
        drop("organisation:uni", "kg:country"),
    ),
    Case(
        "Organisation-region",
        "organisation:lead",
        "kg:locatedIn",
        V,
        add("organisation:lead", "kg:locatedIn", "region:PL8"),
    ),
    Case(
        "Organisation-unitOf",
        "organisation:unit",
        "org:unitOf",
        V,
        put("organisation:unit", "org:unitOf", "person:anna"),
    ),
    Case(
        "Organisation-cooperatesWith",
        "organisation:lead",
        "kg:cooperatesWith",
        V,
        put("organisation:lead", "kg:cooperatesWith", "project:p1"),
    ),
    Case(
        "Organisation-acronym",
        "organisation:lead",
        "kg:acronym",
        V,
        put("organisation:lead", "kg:acronym", '"LO"@en'),
    ),
    Case(
        "Organisation-homepage",
        "organisation:lead",
        "foaf:homepage",
        V,
        put("organisation:lead", "foaf:homepage", "<ftp://lead.example.org/>"),
    ),
    Case(
        "Organisation-altLabel",
        "organisation:lead",
        "skos:altLabel",
        V,
        put("organisation:lead", "skos:altLabel", '"LO"'),
    ),
    Case(
        "Organisation-formerName",
        "organisation:lead",
        "kg:formerName",
        V,
        put("organisation:lead", "kg:formerName", '"Old Office"'),
    ),
    Case(
        "Participation-euContribution",
        "participation:p1--lead",
        "kg:euContribution",
        V,
        add("participation:p1--lead", "kg:euContribution", "organisation:lead"),
    ),
    Case(
        "Organisation-pic",
        "organisation:uni",
        "kg:pic",
        V,
        put("organisation:uni", "kg:pic", '"99999"'),
    ),
    Case(
        "Organisation-vat",
        "organisation:uni",
        "kg:vatNumber",
        V,
        put("organisation:uni", "kg:vatNumber", '"PL 542 000 24 30"'),
    ),
    Case(
        "OrganisationKindShape",
        "organisation:uni",
        "",
        V,
        delete("organisation:uni a kg:Organisation"),
    ),
    Case(
        "OrganisationalUnit-unitOf",
        "organisation:unit",
        "org:unitOf",
        V,
        drop("organisation:unit", "org:unitOf"),
    ),
    Case("Person-name", "person:anna", "foaf:name", V, drop("person:anna", "foaf:name")),
    Case(
        "Person-givenName",
        "person:anna",
        "foaf:givenName",
        V,
        put("person:anna", "foaf:givenName", '"Anna"@pl'),
    ),
    Case(
        "Person-familyName",
        "person:anna",
        "foaf:familyName",
        V,
        drop("person:anna", "foaf:familyName"),
    ),
    Case(
        "Person-honorific",
        "person:anna",
        "schema:honorificPrefix",
        V,
        add("person:anna", "schema:honorificPrefix", '"prof."'),
    ),
    Case(
        "Person-involved",
        "person:bob",
        "^org:member|^kg:agent",
        INFO,
        insert("""
        person:bob a kg:Person ; rdfs:label "Bob Smith"@en ; foaf:name "Bob Smith" ;
            foaf:givenName "Bob" ; foaf:familyName "Smith" ;
            prov:wasDerivedFrom source:doc-a ; kg:citesPassage source:doc-a-p1 ."""),
    ),
    Case(
        "Membership-member",
        MEMBERSHIP,
        "org:member",
        V,
        put(MEMBERSHIP, "org:member", "organisation:lead"),
    ),
    Case(
        "Membership-organisation",
        MEMBERSHIP,
        "org:organization",
        V,
        drop(MEMBERSHIP, "org:organization"),
    ),
    Case(
        "Membership-role",
        MEMBERSHIP,
        "org:role",
        V,
        put(MEMBERSHIP, "org:role", "partrole:partner"),
    ),
    Case(
        "Membership-title",
        MEMBERSHIP,
        "kg:positionTitle",
        V,
        put(MEMBERSHIP, "kg:positionTitle", '"Dyrektor"@pl'),
    ),
    # regions and places
    Case(
        "Region-broader",
        "region:PL84",
        "kg:broaderRegion",
        V,
        add("region:PL84", "kg:broaderRegion", "place:hall"),
    ),
    Case(
        "NUTSRegion-code",
        "region:PL84",
        "kg:nutsCode",
        V,
        put("region:PL84", "kg:nutsCode", '"pl84"'),
    ),
    Case(
        "NUTSRegion-level",
        "region:PL84",
        "kg:nutsLevel",
        V,
        put("region:PL84", "kg:nutsLevel", "4"),
    ),
    Case(
        "NUTSRegion-nutsIri",
        "region:PL84",
        "skos:exactMatch",
        V,
        drop("region:PL84", "skos:exactMatch"),
    ),
    Case(
        "NUTSRegion-country",
        "region:PL84",
        "kg:country",
        V,
        put("region:PL84", "kg:country", "region:PL8"),
    ),
    Case("CountryShape", "region:PL", "", V, delete("region:PL a kg:NUTSRegion")),
    Case("Country-level", "region:PL", "kg:nutsLevel", V, put("region:PL", "kg:nutsLevel", "1")),
    Case("Country-iso3", "region:PL", "kg:iso3Code", V, drop("region:PL", "kg:iso3Code")),
    Case(
        "Country-noBroader",
        "region:PL",
        "kg:broaderRegion",
        V,
        add("region:PL", "kg:broaderRegion", "region:PL8"),
    ),
    Case(
        "Place-region",
        "place:hall",
        "kg:locatedIn",
        V,
        put("place:hall", "kg:locatedIn", "place:hall"),
    ),
    Case(
        "Place-regionKnown", "place:hall", "kg:locatedIn", INFO, drop("place:hall", "kg:locatedIn")
    ),
    Case(
        "Place-siteOf",
        "place:hall",
        "org:siteOf",
        V,
        put("place:hall", "org:siteOf", "person:anna"),
    ),
    # events
    Case(
        "Event-type",
        "event:e1",
        "kg:eventType",
        V,
        put("event:e1", "kg:eventType", "eventrole:speaker"),
    ),
    Case(
        "Event-project", "event:e1", "kg:eventOf", V, put("event:e1", "kg:eventOf", "programme:ie")
    ),
    Case(
        "Event-superEvent",
        "event:e1-panel",
        "schema:superEvent",
        V,
        put("event:e1-panel", "schema:superEvent", "place:hall"),
    ),
    Case(
        "Event-location",
        "event:e1",
        "schema:location",
        V,
        put("event:e1", "schema:location", "region:PL84"),
    ),
    Case(
        "Event-duration",
        "event:e1",
        "schema:duration",
        V,
        put("event:e1", "schema:duration", '"2 days"'),
    ),
    Case(
        "Event-attendees",
        "event:e1",
        "kg:attendeesMoreThan",
        V,
        put("event:e1", "kg:attendeesMoreThan", "-1"),
    ),
    Case(
        "Event-dateKnown",
        "event:e1-panel",
        "schema:startDate",
        INFO,
        drop("event:e1-panel", "schema:startDate"),
    ),
    Case("EventParticipation-event", EP, "kg:inEvent", V, drop(EP, "kg:inEvent")),
    Case("EventParticipation-agent", EP, "kg:agent", V, put(EP, "kg:agent", "place:hall")),
    Case(
        "EventParticipation-role", EP, "kg:eventRole", V, put(EP, "kg:eventRole", "eventtype:panel")
    ),
    Case(
        "EventParticipation-onBehalfOf",
        EP,
        "kg:onBehalfOf",
        V,
        put(EP, "kg:onBehalfOf", "person:anna"),
    ),
    Case(
        "EventParticipation-presented",
        EP,
        "kg:presented",
        V,
        put(EP, "kg:presented", "organisation:lead"),
    ),
    Case("EventParticipation-topic", EP, "kg:topic", V, add(EP, "kg:topic", '"Another"@en')),
    # sources
    Case(
        "SourceDocument-file",
        "source:doc-a",
        "kg:fileName",
        V,
        put("source:doc-a", "kg:fileName", '"doc-a.pdf"'),
    ),
    Case(
        "SourceDocument-title",
        "source:doc-a",
        "dcterms:title",
        V,
        put("source:doc-a", "dcterms:title", '"Dokument A"@pl'),
    ),
    Case(
        "SourceDocument-language",
        "source:doc-a",
        "dcterms:language",
        V,
        put("source:doc-a", "dcterms:language", '"pl"'),
    ),
    Case(
        "SourceDocument-issued",
        "source:doc-a",
        "dcterms:issued",
        V,
        put("source:doc-a", "dcterms:issued", '"March 2021"'),
    ),
    Case(
        "Source-file", "source:list.json", "kg:fileName", V, drop("source:list.json", "kg:fileName")
    ),
    Case(
        "SourceDataset-file",
        "source:list.json",
        "kg:fileName",
        V,
        put("source:list.json", "kg:fileName", '"my list.json"'),
    ),
    Case(
        "SourceDataset-title",
        "source:list.json",
        "dcterms:title",
        V,
        put("source:list.json", "dcterms:title", '"Lista"@pl'),
    ),
    Case(
        "SourceDataset-sha256",
        "source:list.json",
        "kg:sha256",
        V,
        drop("source:list.json", "kg:sha256"),
    ),
    Case(
        "SourceDataset-records",
        "source:list.json",
        "kg:recordCount",
        V,
        put("source:list.json", "kg:recordCount", "-1"),
    ),
    Case(
        "SourceRecord-dataset",
        "source:list.json-r2",
        "dcterms:isPartOf",
        V,
        put("source:list.json-r2", "dcterms:isPartOf", "source:doc-a"),
    ),
    Case(
        "SourceRecord-number",
        "source:list.json-r2",
        "kg:recordNumber",
        V,
        put("source:list.json-r2", "kg:recordNumber", '"two"'),
    ),
    Case(
        "Provenance-passage",
        "organisation:uni",
        "kg:citesPassage",
        V,
        add("organisation:uni", "kg:citesPassage", "source:list.json"),
    ),
    Case(
        "SourcePassage-document",
        "source:doc-a-p2",
        "dcterms:isPartOf",
        V,
        put("source:doc-a-p2", "dcterms:isPartOf", "fund:erdf"),
    ),
    Case(
        "SourcePassage-paragraph",
        "source:doc-a-p2",
        "kg:paragraph",
        V,
        put("source:doc-a-p2", "kg:paragraph", "0"),
    ),
    # SPARQL-based rules
    Case(
        "ProjectStart-rule",
        "project:p1",
        "schema:startDate",
        V,
        drop("project:p1", "schema:startDate"),
    ),
    Case(
        "ProjectStartUnstated-rule",
        "project:p1",
        "schema:startDate",
        INFO,
        drop("project:p1", "schema:startDate")
        + add("project:p1", "kg:unstatedProperty", "schema:startDate")
        + add("project:p1", "kg:curatorNote", '"No source gives it."@en'),
    ),
    Case(
        "PeriodOrder-rule",
        "phase:p1--1",
        "schema:endDate",
        V,
        put("phase:p1--1", "schema:endDate", '"2019-12-31"^^xsd:date'),
    ),
    Case(
        "EndsAfterProject-rule",
        "participation:p1--lead",
        "schema:endDate",
        V,
        put("participation:p1--lead", "schema:endDate", '"2023-06-30"^^xsd:date'),
    ),
    Case(
        "StartsBeforeProject-rule",
        "participation:p1--lead",
        "schema:startDate",
        V,
        put("participation:p1--lead", "schema:startDate", '"2019-06-30"^^xsd:date'),
    ),
    Case(
        "EndsAfterProject-rule",
        "phase:p1--2",
        "schema:endDate",
        V,
        put("phase:p1--2", "schema:endDate", '"2023-01-31"^^xsd:date'),
    ),
    Case(
        "PhaseNumberUnique-rule",
        "phase:p1--2",
        "kg:phaseNumber",
        V,
        put("phase:p1--2", "kg:phaseNumber", "1"),
    ),
    Case(
        "StartsAfterProjectEnds-rule",
        "event:e1",
        "schema:startDate",
        W,
        put("event:e1", "schema:startDate", '"2023-03-01"^^xsd:date')
        + put("event:e1", "schema:endDate", '"2023-03-02"^^xsd:date'),
    ),
    Case(
        "EndsBeforeProjectStarts-rule",
        "phase:p1--1",
        "schema:endDate",
        V,
        put("phase:p1--1", "schema:endDate", '"2019-12-31"^^xsd:date'),
    ),
    Case(
        "PartnerBudgetsWithinTotal-rule",
        "project:p1",
        "kg:totalBudget",
        V,
        put("budget:p1", "schema:value", "900.0"),
    ),
    Case(
        "PartnerBudgetCurrency-rule",
        "project:p1",
        "kg:totalBudget",
        W,
        put("budget:p1--uni", "schema:currency", '"PLN"'),
    ),
    Case(
        "CitedPassageInDocument-rule",
        "fund:erdf",
        "kg:citesPassage",
        V,
        insert(DOC_B) + add("fund:erdf", "kg:citesPassage", "source:doc-b-p1"),
    ),
    Case(
        "DocumentHasPassage-rule",
        "fund:erdf",
        "prov:wasDerivedFrom",
        V,
        insert(DOC_B) + add("fund:erdf", "prov:wasDerivedFrom", "source:doc-b"),
    ),
    Case("CuratorNote-rule", "region:PL", "kg:curatorNote", V, drop("region:PL", "kg:curatorNote")),
    Case(
        "CuratorNote-rule",
        "project:p1",
        "kg:curatorNote",
        V,
        add("project:p1", "kg:curatorAddedProperty", "kg:projectCode"),
    ),
    Case(
        "NUTSCodeLength-rule",
        "region:PL84",
        "kg:nutsCode",
        V,
        put("region:PL84", "kg:nutsCode", '"PL841"')
        + put("region:PL84", "skos:exactMatch", "<http://data.europa.eu/nuts/code/PL841>"),
    ),
    Case(
        "NUTSBroaderRequired-rule",
        "region:PL84",
        "kg:broaderRegion",
        V,
        drop("region:PL84", "kg:broaderRegion"),
    ),
    Case(
        "NUTSBroaderCode-rule",
        "region:PL84",
        "kg:broaderRegion",
        V,
        put("region:PL84", "kg:broaderRegion", "region:PL"),
    ),
    Case(
        "NUTSCountry-rule",
        "region:PL84",
        "kg:country",
        V,
        insert(GERMANY) + put("region:PL84", "kg:country", "region:DE"),
    ),
    Case(
        "NUTSCodeIri-rule",
        "region:PL84",
        "skos:exactMatch",
        V,
        put("region:PL84", "skos:exactMatch", "<http://data.europa.eu/nuts/code/PL85>"),
    ),
    Case(
        "LocatedInCountry-rule",
        "organisation:lead",
        "kg:locatedIn",
        V,
        insert(GERMANY) + put("organisation:lead", "kg:country", "region:DE"),
    ),
    Case("OnBehalfOfPerson-rule", EP, "kg:onBehalfOf", V, put(EP, "kg:agent", "organisation:uni")),
]


@pytest.fixture(scope="module")
def shapes(paths) -> Graph:
    return load_shapes(paths.shapes)


@pytest.fixture(scope="module")
def fixture_text() -> str:
    return FIXTURE.read_text(encoding="utf-8")


def _expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local


def _key(f: Finding) -> tuple[str, str, Severity, str]:
    return (f.focus, f.path, f.severity, f.constraint)


def _validate(text: str, shapes: Graph, update: Update = (), *, precheck: bool = False) -> Report:
    graph = Graph().parse(data=text, format="turtle")
    # one request per operation: rdflib 7.6 drops an INSERT DATA that follows a matching
    # DELETE WHERE in the same request
    for operation in update:
        graph.update(PROLOGUE + operation)
    return validate(graph, shapes, precheck=precheck)


def test_the_fixture_conforms_with_no_result_at_all(fixture_text, shapes):
    report = _validate(fixture_text, shapes)
    assert report.findings == []
    assert report.conforms


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_breaking_the_fixture_gives_the_expected_result(case: Case, fixture_text, shapes):
    report = _validate(fixture_text, shapes, case.update)
    expected = (_expand(case.focus), case.path, case.severity, f"kgsh:{case.shape}")
    found = [_key(f) for f in report.findings]
    assert expected in found, "\n".join(map(str, found))
    # a Warning or Info alone never stops publication; a Violation always does
    assert report.conforms is (case.severity is not V)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_prechecked_validation_gives_exactly_the_same_results(case: Case, fixture_text, shapes):
    """SPARQL pre-checks may only narrow what pyshacl looks at, never change its findings."""
    full = _validate(fixture_text, shapes, case.update, precheck=False)
    fast = _validate(fixture_text, shapes, case.update, precheck=True)
    assert fast.findings == full.findings
    assert fast.conforms is full.conforms


def test_prechecks_compile_every_shape(shapes):
    compiled = precheck.plan(shapes)
    assert compiled.whole == []  # no shape falls back to checking all its focus nodes
    assert len(compiled.queries) >= 30  # every targeted shape


def _shapes_with_own_constraints(shapes: Graph) -> set[str]:
    """Named shapes and SPARQL constraints in kgsh: that check something themselves."""
    structural = {
        RDF.type,
        SH.targetClass,
        SH.targetSubjectsOf,
        SH.property,
        SH.sparql,
        SH.severity,
        SH.message,
        SH.path,
        SH.prefixes,
        URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
    }
    named: set[str] = set()
    for s in set(shapes.subjects()):
        if not isinstance(s, URIRef) or not str(s).startswith(str(SHAPES)):
            continue
        if (s, RDF.type, SH.SPARQLConstraint) in shapes:
            named.add(s.removeprefix(str(SHAPES)))
            continue
        has_target = any(shapes.objects(s, SH.targetClass)) or any(
            shapes.objects(s, SH.targetSubjectsOf)
        )
        is_property_shape = (s, SH.path, None) in shapes
        own = {p for p in shapes.predicates(s) if p not in structural}
        if own and (is_property_shape or has_target):
            named.add(s.removeprefix(str(SHAPES)))
    return named


def test_every_shape_has_a_breaking_case(shapes):
    covered = {c.shape for c in CASES}
    missing = _shapes_with_own_constraints(shapes) - covered
    assert not missing, f"shapes without a test case: {sorted(missing)}"
    assert len(_shapes_with_own_constraints(shapes)) > 100


def test_every_class_of_the_ontology_is_the_target_of_a_shape(built, shapes):
    kg = PREFIXES["kg"]
    targeted = {str(o) for o in shapes.objects(None, SH.targetClass)}
    classes = {str(c) for c in built.ontology.classes if str(c).startswith(kg)}
    assert classes, "the ontology declares no kg: class"
    assert classes <= targeted, sorted(classes - targeted)


def test_severities_are_all_used_on_purpose(shapes):
    used = {str(o).rsplit("#", 1)[-1] for o in shapes.objects(None, SH.severity)}
    assert used == {"Warning", "Info"}  # Violation is the default and needs no statement
    assert {c.severity for c in CASES} == set(Severity)


def test_every_shape_speaks_english(shapes):
    for s in set(shapes.subjects(RDF.type, SH.PropertyShape)) | set(
        shapes.subjects(RDF.type, SH.SPARQLConstraint)
    ):
        messages = [m for m in shapes.objects(s, SH.message) if isinstance(m, Literal)]
        assert any(m.language == "en" for m in messages), f"{s} has no English sh:message"
