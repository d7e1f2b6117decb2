"""The curated data: cited paragraphs exist, facts are in our own words, provenance everywhere."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from kgraph.describe import CURATORS, DATASET_IRI
from kgraph.load import Dataset, read_yaml
from kgraph.namespaces import DCAT, ID, KG, VOID, entity_iri
from kgraph.pipeline import BuildResult
from kgraph.records import citation_parts
from tests.conftest import SEEDS, needs_seeds


def paragraphs(text: str) -> list[str]:
    """Blocks of non-blank lines, as the citation locators count them."""
    blocks, current = [], []
    for line in text.splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    return blocks


def _all_citations(dataset: Dataset) -> Iterator[tuple[str, str]]:
    def walk(model: Any, where: str) -> Iterator[tuple[str, str]]:
        for c in getattr(model, "cites", []):
            yield where, c
        for name in type(model).model_fields:
            value = getattr(model, name)
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, BaseModel):
                    yield from walk(child, f"{where}.{name}")

    for kind, records in dataset.records.items():
        for rid, record in records.items():
            yield from walk(record, f"{kind}/{rid}")


@needs_seeds
def test_every_article_is_a_source_and_every_source_an_article(built: BuildResult):
    articles = {p.name for p in SEEDS.glob("*.txt")}
    assert len(articles) == 5
    assert set(built.dataset.of("sources")) == articles


@needs_seeds
def test_every_citation_points_to_an_existing_paragraph(built: BuildResult):
    counts = {p.name: len(paragraphs(p.read_text(encoding="utf-8"))) for p in SEEDS.glob("*.txt")}
    citations = list(_all_citations(built.dataset))
    assert len(citations) > 150
    bad = [(w, c) for w, c in citations if citation_parts(c)[1] > counts[citation_parts(c)[0]]]
    assert bad == []


def test_every_article_is_cited_by_many_facts(built: BuildResult):
    per_file: dict[str, int] = {}
    for _, c in _all_citations(built.dataset):
        per_file[citation_parts(c)[0]] = per_file.get(citation_parts(c)[0], 0) + 1
    assert set(per_file) == set(built.dataset.of("sources"))
    assert min(per_file.values()) >= 10


@pytest.mark.parametrize(
    "cls", [KG.Participation, KG.Membership, KG.EventParticipation, KG.Budget, KG.Phase]
)
def test_every_partnership_role_and_budget_statement_has_provenance(graph, cls):
    nodes = set(graph.subjects(RDF.type, cls))
    assert nodes
    for node in nodes:
        docs = set(graph.objects(node, PROV.wasDerivedFrom))
        assert docs, node
        assert all((d, RDF.type, KG.SourceDocument) in graph for d in docs), node
        assert set(graph.objects(node, KG.citesPassage)), node


def test_every_thing_minted_has_provenance(graph):
    """Each thing is derived from a document or attributed to the curators."""
    exempt = {KG.SourcePassage, KG.SourceDocument, DCAT.Distribution, PROV.Agent}
    missing = []
    for s in set(graph.subjects()):
        if not str(s).startswith(str(ID)) or s in (DATASET_IRI, CURATORS):
            continue
        if exempt & set(graph.objects(s, RDF.type)):
            continue
        if not (
            set(graph.objects(s, PROV.wasDerivedFrom))
            or (s, PROV.wasAttributedTo, CURATORS) in graph
        ):
            missing.append(s)
    assert missing == []


def test_curator_added_facts_say_so(graph):
    region = entity_iri("region", "PL84")
    assert (region, PROV.wasAttributedTo, CURATORS) in graph
    assert graph.value(region, KG.curatorNote) is not None
    marshal_office = entity_iri("organisation", "podlaskie-marshal-office")
    assert (marshal_office, KG.curatorAddedProperty, KG.locatedIn) in graph


def test_no_blank_nodes_and_iris_are_readable(graph):
    pattern = re.compile(r"^https://w3id\.org/kgraph/id/[a-z-]+/[A-Za-z0-9_.-]+$")
    for triple in graph:
        for term in triple:
            assert not isinstance(term, BNode)
            if isinstance(term, URIRef) and str(term).startswith(str(ID)):
                assert pattern.match(str(term)), term


@pytest.mark.parametrize(
    "cls", [KG.Organisation, KG.Person, KG.Project, KG.Event, KG.GoodPractice, KG.Region]
)
def test_every_named_thing_has_an_english_label(graph, cls):
    things = set(graph.subjects(RDF.type, cls))
    assert things
    for t in things:
        langs = {o.language for o in graph.objects(t, RDFS.label) if isinstance(o, Literal)}
        assert "en" in langs, t


def test_organisations_from_polish_articles_have_polish_names(built: BuildResult, graph):
    polish = {k for k, s in built.dataset.of("sources").items() if s.language == "pl"}
    for org in built.dataset.of("organisations").values():
        if any(citation_parts(c)[0] in polish for c in org.cites):
            s = entity_iri("organisation", org.id)
            langs = {o.language for o in graph.objects(s, RDFS.label) if isinstance(o, Literal)}
            if "pl" not in langs:
                # only foreign bodies with no Polish name in the article may lack one
                assert org.country not in (None, "PL"), org.id


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.findall(r"\w+", text)


#: Fields holding prose the curators wrote (names and titles are proper names, kept as given).
PROSE_FIELDS = {"description", "topic", "curator_note", "planned_time"}


def _prose(value: Any, key: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _prose(v, k if k in PROSE_FIELDS or key not in PROSE_FIELDS else key)
    elif isinstance(value, list):
        for v in value:
            yield from _prose(v, key)
    elif isinstance(value, str) and key in PROSE_FIELDS:
        yield value


@needs_seeds
def test_curated_prose_does_not_copy_the_articles(paths):
    """No description, topic or note shares a run of 8 words with a source article."""
    n = 8
    seed_runs: set[tuple[str, ...]] = set()
    for article in SEEDS.glob("*.txt"):
        words = _words(article.read_text(encoding="utf-8"))
        seed_runs |= {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}
    copied, checked = [], 0
    for path in sorted(paths.data.glob("*.yaml")):
        for text in _prose(read_yaml(path)):
            checked += 1
            words = _words(text)
            runs = {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}
            if runs & seed_runs:
                copied.append((path.name, " ".join(sorted(runs & seed_runs)[0])))
    assert checked > 40
    assert copied == []


def test_dataset_describes_itself(graph):
    d = DATASET_IRI
    assert (d, RDF.type, DCAT.Dataset) in graph
    assert (d, RDF.type, VOID.Dataset) in graph
    description = {
        t
        for s in {d, CURATORS, *graph.objects(d, DCAT.distribution)}
        for t in graph.triples((s, None, None))
    }
    assert int(graph.value(d, VOID.triples)) == len(graph) - len(description)
    dumps = {str(u).rsplit("/", 1)[1] for u in graph.objects(d, VOID.dataDump)}
    assert dumps == {"kgraph.ttl", "kgraph.nt", "kgraph.jsonld"}
    assert len(set(graph.objects(d, PROV.wasDerivedFrom))) == 5
