"""The organisation reconciliation rule: identifiers first, then names within a country."""

from __future__ import annotations

import pytest

from kgraph.reconcile import Claim, Reconciler, normalise_name, slugify


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("BioFuel Region BFR AB", "biofuel region bfr"),
        ("Politechnika Białostocka sp. z o.o.", "politechnika bialostocka"),
        ("Fraunhofer-Gesellschaft e.V.", "fraunhofer gesellschaft"),
        ("Stiftelsen A & B", "stiftelsen a and b"),
        ("AB", "ab"),  # a name that is only a legal form stays
    ],
)
def test_normalised_names(name, expected):
    assert normalise_name(name) == expected


def test_slugs_are_ascii_and_bounded():
    assert slugify("Luleå tekniska universitet") == "lulea-tekniska-universitet"
    assert len(slugify("word " * 40)) <= 60


def test_pic_then_vat_then_name_within_country():
    r = Reconciler()
    a = r.add(Claim("f#r1", "Example University", "NL", pic="999000001"))
    assert r.add(Claim("f#r2", "Univ. of Example", "NL", pic="999000001")) is a  # PIC
    b = r.add(Claim("f#r3", "Acme AB", "SE", vat="SE 5560001234 01"))
    assert r.add(Claim("f#r4", "ACME Sweden", "SE", vat="SE556000123401")) is b  # VAT
    assert r.add(Claim("f#r5", "ACME AB", "SE")) is b  # normalised name, same country
    other = r.add(Claim("f#r6", "Acme AB", "FI"))  # same name, other country
    assert other is not b
    assert other.id == "acme-ab-fi"
    assert a.names == ["Example University", "Univ. of Example"]
    assert a.rules == {"new": 1, "pic": 1}


def test_different_identifiers_keep_same_names_apart():
    r = Reconciler()
    a = r.add(Claim("f#r1", "City Hall", "PL", pic="111111111"))
    b = r.add(Claim("f#r2", "City Hall", "PL", pic="222222222"))
    assert a is not b
    assert (a.id, b.id) == ("city-hall-pl", "city-hall-pl-2")


def test_curated_organisations_keep_their_ids(paths):
    from kgraph.load import load_dataset

    orgs = load_dataset(paths.data).of("organisations")
    org = next(o for o in orgs.values() if o.region and not o.country)
    r = Reconciler(orgs.values())
    country = org.country or org.region[:2]
    node = r.add(Claim("x#r1", org.name["en"].upper(), country))
    assert node.id == org.id
    assert node.curated


def test_near_matches_are_listed_not_merged():
    r = Reconciler()
    r.add(Claim("f#r1", "Länsstyrelsen i Kalmar län", "SE"))
    r.add(Claim("f#r2", "Länsstyrelsen Kalmar Län", "SE"))
    r.add(Claim("f#r3", "Region Skåne", "SE"))
    r.add(Claim("f#r4", "Region Skåne Kultur", "SE"))
    r.add(Claim("f#r5", "Länsstyrelsen Kalmar Län", "DK"))  # other country: not a pair
    assert len(r.nodes) == 5
    pairs = {(i.a, i.b) for i in r.review()}
    assert pairs == {
        ("lansstyrelsen-i-kalmar-lan-se", "lansstyrelsen-kalmar-lan-se"),
        ("region-skane-kultur-se", "region-skane-se"),
    }
