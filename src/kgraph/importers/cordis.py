"""Import CORDIS project.csv and organization.csv (Horizon Europe open data) into kgraph's ontology.

The two files are joined on the project id: a project becomes a kgraph project only if the
organisation file has at least one participant of it (the others are counted). Each
organisation row becomes a participation with its role (coordinator → lead partner,
participant → partner, associatedPartner → associated partner, thirdParty → third party), its
total cost as partner budget and its EC contribution as EU contribution, in euro as CORDIS
states them. Organisations are reconciled by PIC, then VAT number, then normalised name within
their country (``kgraph.reconcile``); NUTS codes are checked against the reference list, and
codes or countries it does not know are reported.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from kgraph.errors import DataError, DataErrors
from kgraph.importers import Importing, ImportResult, finish
from kgraph.nuts import NutsList, countries
from kgraph.ontology import Ontology
from kgraph.reconcile import Claim, Reconciler, clean_vat
from kgraph.records import Organisation, Programme, Project

__all__ = ["PROGRAMMES", "ROLES", "TYPES", "import_cordis"]

ROLES = {
    "coordinator": "lead-partner",
    "participant": "partner",
    "associatedPartner": "associated-partner",
    "thirdParty": "third-party",
}
_RANK = {"lead-partner": 0, "partner": 1, "associated-partner": 2, "third-party": 3}
#: CORDIS activity types → kinds of kg:Organisation (OTH: kg:Organisation itself).
TYPES = {
    "HES": "University",
    "REC": "ResearchOrganisation",
    "PRC": "Company",
    "PUB": "PublicAuthority",
}
#: frameworkProgramme → (programme id, English name, period)
PROGRAMMES = {
    "HORIZON": ("horizon-europe", "Horizon Europe", "2021-2027"),
    "H2020": ("horizon-2020", "Horizon 2020", "2014-2020"),
    "FP7": ("fp7", "Seventh Framework Programme (FP7)", "2007-2013"),
}
PROJECT_COLUMNS = ("id", "acronym", "title", "startDate", "endDate", "frameworkProgramme")
ORG_COLUMNS = ("projectID", "organisationID", "name", "country", "role")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def _rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, int, dict[str, str]]]:
    """(record number, line, row) of a CSV file with a header; errors name file and line."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise DataErrors([DataError(path, 0, "(file)", f"cannot read: {exc}")]) from None
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise DataErrors([DataError(path, 1, "(header)", f"missing columns: {missing}")])
        out = []
        line = reader.line_num + 1
        for n, row in enumerate(reader, 1):
            out.append((n, line, row))
            line = reader.line_num + 1
    return out


def _money(value: str | None) -> Decimal | None:
    """A positive amount, or None for empty, zero or unreadable values."""
    try:
        amount = Decimal((value or "").strip() or "0")
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount > 0 else None


def import_cordis(
    projects_file: Path,
    organisations_file: Path,
    ontology: Ontology,
    *,
    nuts: NutsList,
    reconciler: Reconciler,
    name: str = "cordis",
) -> ImportResult:
    """Join and map the two CORDIS files into records and build them."""
    projects = _rows(projects_file, PROJECT_COLUMNS)
    orgs = _rows(organisations_file, ORG_COLUMNS)
    st = Importing(name, organisations_file, nuts, reconciler)
    pfile = st.source(projects_file, title=f"CORDIS projects {projects_file.name}",
                      language="en", records=len(projects), media="text/csv")  # fmt: skip
    ofile = st.source(organisations_file, title=f"CORDIS organisations {organisations_file.name}",
                      language="en", records=len(orgs), media="text/csv")  # fmt: skip

    by_project: dict[str, list[tuple[int, int, dict[str, str]]]] = defaultdict(list)
    for n, line, row in orgs:
        by_project[row["projectID"].strip()].append((n, line, row))
    known = {row["id"].strip() for _, _, row in projects}
    orphans = sorted(n for p, rows in by_project.items() if p not in known for n, _, _ in rows)

    # organisations
    node_of: dict[int, str] = {}
    facts: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    cites: dict[str, list[str]] = defaultdict(list)
    first: dict[str, tuple[int, dict[str, str]]] = {}
    for n, line, row in orgs:
        if row["projectID"].strip() not in known:
            continue
        cc = row["country"].strip().upper() or None
        if cc and cc not in countries():
            st.unresolved_name(f"country {cc!r} (not in NUTS)", n)
            cc = None
        pic = row["organisationID"].strip()
        vat = clean_vat(row.get("vatNumber"))
        if vat and not re.fullmatch(r"[A-Z]{2}[0-9A-Z+*.]{2,13}", vat):
            st.unresolved_name(f"vatNumber {row['vatNumber']!r} (not a VAT number)", n)
            vat = None
        claim = Claim(f"{ofile}#r{n}", row["name"].strip(), cc,
                      pic if re.fullmatch(r"[0-9]{9}", pic) else None, vat)  # fmt: skip
        node = reconciler.add(claim)
        node_of[n] = node.id
        first.setdefault(node.id, (line, row))
        cites[node.id].append(f"{ofile}#r{n}")
        facts[node.id]["type"][TYPES.get(row.get("activityType", ""), "Organisation")] += 1
        code = (row.get("nutsCode") or "").strip()
        if cc and len(code) > 2 and code.startswith(cc):
            if nuts.knows(code) and nuts.name_of(code):
                facts[node.id]["region"][code] += 1
            else:
                st.unresolved_name(f"nutsCode {code!r}", n)
    for node in reconciler.imported():
        if node.curated or node.id not in first:
            continue
        line, row = first[node.id]
        regions = facts[node.id]["region"]
        url = (row.get("organizationURL") or "").strip()
        st.make(
            Organisation,
            "organisations",
            line,
            id=node.id,
            type=facts[node.id]["type"].most_common(1)[0][0],
            name={"en": node.label},
            alt_names={"en": node.names[1:]} if len(node.names) > 1 else {},
            acronym=(row.get("shortName") or "").strip() or None,
            country=node.country,
            region=regions.most_common(1)[0][0] if regions else None,
            website=url if _URL.match(url) else None,
            pic=node.pic,
            vat=node.vat,
            cites=cites[node.id],
        )
    st.regions(
        {r.region for r in st.dataset.of("organisations").values() if r.region}
        | {r.country for r in st.dataset.of("organisations").values() if r.country}
    )

    # programmes and projects
    participations = 0
    for n, line, row in projects:
        pid = row["id"].strip()
        members = by_project.get(pid, [])
        if not members:
            continue
        fp = row["frameworkProgramme"].strip()
        prog_id, prog_name, period = PROGRAMMES.get(fp, (fp.lower(), fp, None))
        if prog_id not in st.dataset.of("programmes"):
            known_fp = (
                {
                    "curator_added": ["name", "period"],
                    "curator_note": f"CORDIS names the programme {fp!r}; its full name and "
                    "period are general knowledge.",
                }
                if period
                else {}
            )
            cite = [f"{pfile}#r{n}"]
            st.make(Programme, "programmes", line, projects_file, id=prog_id,
                    name={"en": prog_name}, period=period, cites=cite, **known_fp)  # fmt: skip
        parts: dict[str, dict[str, Any]] = {}
        for m, _, org in members:
            role = ROLES.get(org["role"].strip())
            if role is None:
                message = f"unknown role {org['role']!r}; known: {', '.join(ROLES)}"
                st.errors.append(DataError(organisations_file, line, f"record {m}.role", message))
                continue
            org_id = node_of[m]
            cite = [f"{ofile}#r{m}"]
            part = parts.setdefault(org_id, {"organisation": org_id, "role": role, "cites": []})
            part["role"] = min(part["role"], role, key=_RANK.__getitem__)
            part["cites"] += cite
            for key, column in (("budget", "totalCost"), ("eu_contribution", "ecContribution")):
                amount = _money(org.get(column))
                if amount is not None:
                    old = part.get(key, {}).get("amount", Decimal(0))
                    part[key] = {"amount": old + amount, "currency": "EUR", "cites": part["cites"]}
        participations += len(parts)
        lead = any(p["role"] == "lead-partner" for p in parts.values())
        budget = _money(row.get("totalCost"))
        st.make(
            Project,
            "projects",
            line,
            projects_file,
            id=f"cordis-{pid}",
            acronym=row["acronym"].strip() or pid,
            title={"en": row["title"].strip() or row["acronym"].strip() or pid},
            programme=prog_id,
            code=pid,
            start=st.parse_date(row.get("startDate", "")[:10], "startDate", n),
            end=st.parse_date(row.get("endDate", "")[:10], "endDate", n),
            budget={"amount": budget, "currency": "EUR", "cites": [f"{pfile}#r{n}"]}
            if budget
            else None,
            partners=list(parts.values()),
            cites=[f"{pfile}#r{n}"],
            **(
                {}
                if lead
                else {
                    "unstated": ["lead_partner"],
                    "curator_note": "The organisation file has no coordinator of this project.",
                }
            ),
        )
    st.counts |= {
        "project records": len(projects),
        "organisation records": len(orgs),
        "projects": len(st.dataset.of("projects")),
        "organisations": len(reconciler.imported()),
        "participations": participations,
        "programmes": len(st.dataset.of("programmes")),
    }
    skipped = len(known) - len(st.dataset.of("projects"))
    if skipped:
        st.notes.append(f"{skipped} projects have no participant in {organisations_file.name}; "
                        "they are left out.")  # fmt: skip
    if orphans:
        listed = ", ".join(map(str, orphans))
        st.notes.append(f"{len(orphans)} organisation records belong to projects missing from "
                        f"{projects_file.name}: records {listed}.")  # fmt: skip
    return finish(st, ontology, title=f"CORDIS projects imported from {projects_file.name}")
