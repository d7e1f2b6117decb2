"""Import a partner-level Interreg list (the JSON of interregbarometern.se) into kgraph's ontology.

Each record of the list is one partner in one project: programme, project name and dates,
organisation name, type and role (LP lead partner, PP partner, AP associated partner), its NUTS 3
and NUTS 2 region by name, its budget in euro and the project's policy objectives.

How the list becomes records:

- A project is a programme and a project name; its dates are the earliest start and latest end
  its records give (records that disagree are noted). The list names only partners based in one
  country, so a project whose lead partner is abroad says so: ``unstated: [lead_partner]``.
- An organisation is reconciled by ``kgraph.reconcile`` (normalised name within its country);
  its type, region and country are the ones most of its records give.
- Records of the same organisation in the same project (a feasibility study and the project
  that followed share a name) become one participation: the strongest role, budgets added.
- Records that name no organisation cannot become a participation; they are counted and listed.
- Budgets of 0 (associated partners) are left out rather than stated as zero.
- Region names are resolved within the country, NUTS 3 first; names not in the reference list
  are reported with the records that use them.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kgraph.errors import DataError, DataErrors
from kgraph.importers import Importing, ImportResult, finish
from kgraph.nuts import NutsList
from kgraph.ontology import Ontology
from kgraph.reconcile import Claim, Reconciler, slugify
from kgraph.records import Organisation, Programme, Project

__all__ = ["ROLES", "TYPES", "import_interreg"]

ROLES = {"LP": "lead-partner", "PP": "partner", "AP": "associated-partner"}
_RANK = {"lead-partner": 0, "partner": 1, "associated-partner": 2}
#: The list's organisation types → kinds of kg:Organisation (others: kg:Organisation itself).
TYPES = {
    "Higher education and research institution": "University",
    "Education and research institution": "ResearchOrganisation",
    "Local public authority": "PublicAuthority",
    "Regional public authority": "PublicAuthority",
    "National public authority": "PublicAuthority",
    "national, regional and local authorities": "PublicAuthority",
    "Sectoral agency": "PublicAuthority",
    "Business support organisation": "BusinessSupportAgency",
    "Small or medium-sized enterprise (SME)": "Company",
    "Large enterprise": "Company",
    "Enterprise, except SME": "Company",
    "NGO": "Association",
    "Interest groups including NGOs": "Association",
}
REQUIRED = ("program", "projektnamn", "startdatum", "slutdatum", "organisationsroll", "land")


def _records(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """The list's objects with the line each starts on; errors name file and line."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataErrors([DataError(path, 0, "(file)", f"cannot read: {exc}")]) from None
    decoder = json.JSONDecoder()
    i = text.find("[")
    if i < 0:
        raise DataErrors([DataError(path, 1, "(file)", "expected a JSON array of records")])
    out: list[tuple[int, dict[str, Any]]] = []
    line, seen = 1, 0
    i += 1
    while True:
        while i < len(text) and text[i] in " \t\r\n,":
            i += 1
        if i >= len(text) or text[i] == "]":
            break
        line += text.count("\n", seen, i)
        seen = i
        try:
            obj, i = decoder.raw_decode(text, i)
        except json.JSONDecodeError as exc:
            raise DataErrors([DataError(path, exc.lineno, "(json)", exc.msg)]) from None
        if not isinstance(obj, dict):
            raise DataErrors([DataError(path, line, f"record {len(out) + 1}", "not an object")])
        out.append((line, obj))
    return out


@dataclass
class _Part:
    """One organisation in one project, gathered over its records."""

    role: str
    budget: Decimal = Decimal(0)
    cites: list[str] = field(default_factory=list)


def import_interreg(
    path: Path,
    ontology: Ontology,
    *,
    nuts: NutsList,
    reconciler: Reconciler,
    period: str = "2021-2027",
    name: str = "interreg-partners",
) -> ImportResult:
    """Map the partner list at ``path`` into records and build them (see the module docstring)."""
    rows = _records(path)
    st = Importing(name, path, nuts, reconciler)
    file = st.source(
        path,
        title=f"Interreg partner list {path.name}",
        language="sv",
        records=len(rows),
        media="application/json",
    )
    errors = [
        DataError(path, line, f"record {n}.{key}", "missing")
        for n, (line, row) in enumerate(rows, 1)
        for key in REQUIRED
        if not row.get(key)
    ]
    if errors:
        raise DataErrors(errors)

    programmes: dict[str, tuple[str, int, str]] = {}  # name -> (id, line, citation)
    projects: dict[tuple[str, str], list[tuple[int, int, dict[str, Any]]]] = defaultdict(list)
    unnamed: set[int] = set()
    for n, (line, row) in enumerate(rows, 1):
        if row["program"] not in programmes:
            slug = slugify(row["program"])
            slug = slug if slug.startswith(("interreg", "urbact")) else f"interreg-{slug}"
            programmes[row["program"]] = (f"{slug}-{period}", line, f"{file}#r{n}")
        if not row.get("organisationsnamn"):
            unnamed.add(n)
        projects[(row["program"], row["projektnamn"])].append((n, line, row))

    for label, (pid, line, cite) in programmes.items():
        st.make(
            Programme,
            "programmes",
            line,
            id=pid,
            name={"en": f"{label} ({period})"},
            period=period,
            cites=[cite],
            curator_added=["period"],
            curator_note=f"The list covers the Interreg programmes of {period} (--period).",
        )

    # organisations: reconcile every record's organisation, then describe each node once
    node_of: dict[int, str] = {}
    facts: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    cites: dict[str, list[str]] = defaultdict(list)
    first_line: dict[str, int] = {}
    for members in projects.values():
        for n, line, row in members:
            if n in unnamed:
                continue
            country = nuts.country_code(row["land"])
            if country is None:
                st.unresolved_name(f"country {row['land']!r}", n)
            node = reconciler.add(Claim(f"{file}#r{n}", row["organisationsnamn"], country))
            node_of[n] = node.id
            first_line.setdefault(node.id, line)
            cites[node.id].append(f"{file}#r{n}")
            kind = TYPES.get(row.get("organisationstyp") or "", "Organisation")
            facts[node.id]["type"][kind] += 1
            region = _region(st, nuts, row, country, n)
            if region:
                facts[node.id]["region"][region] += 1
    conflicting = 0
    for node in reconciler.imported():
        if node.curated or node.id not in facts:
            continue
        types, regions = facts[node.id]["type"], facts[node.id]["region"]
        conflicting += len(types) > 1 or len(regions) > 1
        st.make(
            Organisation,
            "organisations",
            first_line[node.id],
            id=node.id,
            type=types.most_common(1)[0][0],
            name={"en": node.label},
            alt_names={"en": node.names[1:]} if len(node.names) > 1 else {},
            country=node.country,
            region=regions.most_common(1)[0][0] if regions else None,
            cites=cites[node.id],
        )
    st.regions(
        {r.region for r in st.dataset.of("organisations").values() if r.region}
        | {r.country for r in st.dataset.of("organisations").values() if r.country}
    )

    participations = merged = 0
    date_conflicts: list[str] = []
    for (programme, title), members in sorted(projects.items()):
        parts: dict[str, _Part] = {}
        for n, _, row in members:
            if n in unnamed:
                continue
            role = ROLES.get(row["organisationsroll"])
            if role is None:
                where = f"record {n}.organisationsroll"
                message = f"unknown role {row['organisationsroll']!r}; known: LP, PP, AP"
                st.errors.append(DataError(path, members[0][1], where, message))
                continue
            org = node_of[n]
            part = parts.get(org)
            if part is None:
                part = parts[org] = _Part(role)
            else:
                merged += 1
                part.role = min(part.role, role, key=_RANK.__getitem__)
            part.budget += Decimal(str(row.get("partnerbudget") or 0))
            part.cites.append(f"{file}#r{n}")
        participations += len(parts)
        starts = {
            d for n, _, row in members if (d := st.parse_date(row["startdatum"], "startdatum", n))
        }
        ends = {
            d for n, _, row in members if (d := st.parse_date(row["slutdatum"], "slutdatum", n))
        }
        if len(starts) > 1 or len(ends) > 1:
            date_conflicts.append(title)
        start, end = min(starts, default=None), max(ends, default=None)
        if start and end and end < start:
            for n, _, _ in members:
                st.unresolved_name(f"slutdatum {end} before startdatum {start} (end left out)", n)
            end = None
        lead = any(p.role == "lead-partner" for p in parts.values())
        row0 = members[0][2]
        no_lead: dict[str, Any] = {
            "unstated": ["lead_partner"],
            "curator_note": "The list names only partners based in one country; this project's "
            "lead partner is not among them.",
        }
        st.make(
            Project,
            "projects",
            members[0][1],
            id=_project_id(st, programmes[programme][0].removesuffix(f"-{period}"), title),
            acronym=title,
            title={"en": title},
            programme=programmes[programme][0],
            start=start,
            end=end,
            policy_objective=_objective(row0.get("politisktmal")),
            specific_objective=row0.get("specifiktmal") or None,
            partners=[
                {
                    "organisation": org,
                    "role": p.role,
                    "cites": p.cites,
                    **(
                        {"budget": {"amount": p.budget, "currency": "EUR", "cites": p.cites}}
                        if p.budget > 0
                        else {}
                    ),
                }
                for org, p in parts.items()
            ],
            cites=[f"{file}#r{n}" for n, _, _ in members],
            **(no_lead if not lead else {}),
        )

    st.counts |= {
        "records": len(rows),
        "programmes": len(programmes),
        "projects": len(st.dataset.of("projects")),
        "organisation names": len({row["organisationsnamn"] for _, row in rows} - {None, ""}),
        "organisations": len(reconciler.imported()),
        "participations": participations,
        "projects without their lead partner": sum(
            1 for p in st.dataset.of("projects").values() if "lead_partner" in p.unstated
        ),
    }
    if unnamed:
        st.notes.append(
            f"{len(unnamed)} records name no organisation, so they give no participation: "
            f"records {', '.join(map(str, sorted(unnamed)))}."
        )
    if merged:
        st.notes.append(
            f"{merged} records repeat an organisation already in the same project; each was "
            "merged into that participation (strongest role, budgets added)."
        )
    if date_conflicts:
        st.notes.append(
            f"{len(date_conflicts)} projects have records with different dates; the earliest "
            f"start and latest end are kept: {', '.join(sorted(date_conflicts))}."
        )
    if conflicting:
        st.notes.append(
            f"{conflicting} organisations have records giving different types or regions; the "
            "one most records give is kept."
        )
    return finish(st, ontology, title=f"Interreg partners imported from {path.name}")


def _objective(value: str | None) -> str | None:
    """'PO6' is how some programmes write the Interreg-specific objective ('ISO')."""
    return "ISO" if value == "PO6" else value or None


def _project_id(st: Importing, programme: str, title: str) -> str:
    base = f"{programme}-{slugify(title)}"
    candidate, n = base, 1
    while candidate in st.dataset.of("projects"):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _region(
    st: Importing, nuts: NutsList, row: dict[str, Any], country: str | None, n: int
) -> str | None:
    """The NUTS code of the record's region: NUTS 3 if resolved, else NUTS 2; report misses."""
    found = None
    for level, key in ((3, "nuts3"), (2, "nuts2")):
        name = row.get(key)
        if not name or country is None:
            continue
        code = nuts.resolve(name, country, level)
        if code is None:
            st.unresolved_name(f"{key} {name!r}", n)
        elif found is None:
            found = code
    return found
