"""NUTS regions for importers: a reference list of codes and names, and name → code resolution.

Importers meet regions as codes (CORDIS: ``NL221``) or as names in the national language
(Interreg lists: ``Västerbottens län``). A ``NutsList`` holds a reference list — Eurostat's
``NUTS_ID;NAME_LATN`` CSV that the user points to, or the regions curated in data/regions.yaml
— and resolves names within one country and level, comparing them case- and accent-blind. Names
it cannot resolve are returned as such, for the importer to report. Countries come from
kgraph/reference/countries.csv (NUTS code, ISO 3166 alpha-3, English and national names).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from kgraph.errors import DataError, DataErrors
from kgraph.query import fold as fold_label
from kgraph.records import NUTS, Region

__all__ = ["COUNTRY_TABLE", "Country", "NutsEntry", "NutsList", "countries", "fold"]

#: Where the country table is, for provenance notes.
COUNTRY_TABLE = "kgraph/reference/countries.csv"
_CODE = re.compile(NUTS)


def fold(text: str) -> str:
    """Lowercase, no accents, punctuation as spaces, single spaces: 'Skåne län' → 'skane lan'."""
    return " ".join(re.sub(r"[^\w]+", " ", fold_label(text)).split())


@dataclass(frozen=True)
class Country:
    """A country of the NUTS classification."""

    code: str
    iso3: str
    name_en: str
    name_native: str
    language: str


@cache
def countries() -> dict[str, Country]:
    """The country table shipped with kgraph, by NUTS code."""
    text = resources.files("kgraph").joinpath("reference/countries.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return {r["code"]: Country(**r) for r in rows}


@dataclass(frozen=True)
class NutsEntry:
    """One region of the reference list and where it was read (record number from 1)."""

    code: str
    name: str
    record: int = 0

    @property
    def level(self) -> int:
        """0 for a country, up to 3."""
        return len(self.code) - 2

    @property
    def country(self) -> str:
        """The two-letter country code."""
        return self.code[:2]


@dataclass
class NutsList:
    """A reference list of NUTS regions, from a file or from curated region records."""

    entries: dict[str, NutsEntry] = field(default_factory=dict)
    file: Path | None = None
    curated: dict[str, Region] = field(default_factory=dict)
    _index: dict[tuple[str, int, str], set[str]] | None = field(default=None, repr=False)

    @classmethod
    def from_csv(cls, path: Path) -> NutsList:
        """Read a two-column code;name CSV (Eurostat's NUTS2021.csv layout), header first.

        Rows whose first column is not a NUTS code are skipped; the record number of each
        region (its row, header not counted) is kept for citations.
        """
        try:
            text = path.read_text("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataErrors([DataError(path, 0, "(file)", f"cannot read: {exc}")]) from None
        lines = text.splitlines()
        delimiter = ";" if lines and lines[0].count(";") >= lines[0].count(",") else ","
        reader = csv.reader(lines, delimiter=delimiter)
        entries: dict[str, NutsEntry] = {}
        for number, row in enumerate(reader):
            code = row[0].strip() if row else ""
            name = row[1].strip() if len(row) > 1 else ""
            if number == 0 or not name or not _CODE.match(code):
                continue  # the header, blank rows, and codes outside NUTS (Eurostat adds '1A')
            entries.setdefault(code, NutsEntry(code, name, number))
        if not entries:
            raise DataErrors([DataError(path, 1, "(file)", "no NUTS code;name rows found")])
        return cls(entries, path)

    @classmethod
    def from_regions(cls, regions: Iterable[Region]) -> NutsList:
        """A list made of curated region records (their English and national names)."""
        return cls().with_curated(regions)

    def with_curated(self, regions: Iterable[Region]) -> NutsList:
        """The same list, knowing which regions data/ already defines (they are not redefined)."""
        for r in regions:
            self.curated[r.id] = r
        self._index = None
        return self

    def name_of(self, code: str) -> str | None:
        """The region's name in the reference list (or its curated English name)."""
        if code in self.entries:
            return self.entries[code].name
        if code in self.curated:
            return self.curated[code].name["en"]
        return None

    def knows(self, code: str) -> bool:
        """Whether the code is in the list, in data/, or is a country of the country table."""
        return code in self.entries or code in self.curated or code in countries()

    def _by_name(self) -> dict[tuple[str, int, str], set[str]]:
        """(country, level, folded name) → codes."""
        if self._index is not None:
            return self._index
        index: dict[tuple[str, int, str], set[str]] = {}
        for e in self.entries.values():
            index.setdefault((e.country, e.level, fold(e.name)), set()).add(e.code)
        for r in self.curated.values():
            for name in r.name.values():
                index.setdefault((r.id[:2], r.level, fold(name)), set()).add(r.id)
        self._index = index
        return index

    def resolve(self, name: str, country: str, level: int) -> str | None:
        """The code of the region of ``country`` at ``level`` called ``name``; None if not one."""
        found = self._by_name().get((country, level, fold(name)), set())
        return next(iter(found)) if len(found) == 1 else None

    def country_code(self, name: str) -> str | None:
        """The NUTS code of a country given by name in English or its own language."""
        wanted = fold(name)
        for c in countries().values():
            if wanted in {fold(c.name_en), fold(c.name_native), c.code.casefold()}:
                return c.code
        return None
