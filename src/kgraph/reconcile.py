"""Organisation reconciliation: one node per organisation, however many sources name it.

The rule, applied to each organisation an importer meets, in this order:

1. **Identifiers.** The same PIC (the Commission's participant code), else the same VAT number
   (spaces and dots removed, upper case), means the same organisation.
2. **Names within a country.** Otherwise the same *normalised* name in the same country means the
   same organisation. Normalising lowercases, removes accents and punctuation and drops a trailing
   legal form (AB, Ltd, GmbH, Oy, S.A., sp. z o.o. …): "BioFuel Region BFR AB" and "Biofuel
   Region BFR" match. Organisations curated in data/ take part with all their names (every
   language, alternative and former names), so an import reuses their IRIs.
3. **Near matches are not merged.** Two organisations of one country whose normalised names are
   very alike (difflib ratio ≥ ``NEAR``, or one name's words all inside the other's) but not equal
   are kept apart and listed for review (``Reconciler.review``): merging "Region Skåne" with
   "Region Skåne Kultur" by accident would be worse than a duplicate a curator can merge.

A merged organisation keeps the first name met as its label and the others as alternative names.
Its IRI slug is the slug of that name plus the country code (``region-vasterbotten-se``), or
the curated id; a clash with a different organisation gets ``-2``, ``-3``.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kgraph.nuts import fold
from kgraph.records import Organisation

__all__ = [
    "NEAR",
    "Claim",
    "Node",
    "Reconciler",
    "ReviewItem",
    "clean_vat",
    "normalise_name",
    "slugify",
]

NEAR = 0.9
#: Legal forms dropped from the end of a name before comparing (folded, space-separated).
LEGAL_FORMS = (
    "ab", "ab publ", "ltd", "limited", "plc", "gmbh", "ggmbh", "mbh", "ag", "ev", "e v", "oy",
    "oyj", "ry", "as", "asa", "a s", "aps", "sa", "s a", "sas", "sarl", "srl", "s r l", "spa",
    "s p a", "bv", "b v", "nv", "n v", "sl", "s l", "slu", "lda", "kft", "zrt", "sro", "s r o",
    "as", "ou", "uab", "sia", "doo", "d o o", "sp z o o", "spolka z o o", "ug", "eg", "eeig",
    "egtc", "inc", "llc",
)  # fmt: skip
_FORMS = "|".join(sorted({re.escape(f) for f in LEGAL_FORMS}, key=len, reverse=True))
_LEGAL = re.compile(rf"(?:\s(?:{_FORMS}))+$")


def normalise_name(name: str) -> str:
    """The comparison form of an organisation name (see the module docstring)."""
    folded = fold(name.replace("&", " and "))
    return _LEGAL.sub("", " " + folded).strip() or folded


def slugify(text: str, limit: int = 60) -> str:
    """A lowercase ASCII slug of ``text`` ('Luleå tekniska universitet' → 'lulea-tekniska-…')."""
    words = re.sub(r"[^a-z0-9]+", " ", fold(text)).split()
    slug = ""
    for w in words:
        if len(slug) + len(w) + 1 > limit and slug:
            break
        slug = f"{slug}-{w}" if slug else w
    return slug or "organisation"


def clean_vat(vat: str | None) -> str | None:
    """A VAT number without spaces, dots or dashes, upper case (None if empty)."""
    if not vat:
        return None
    clean = re.sub(r"[\s.\-]", "", vat).upper()
    return clean or None


@dataclass(frozen=True)
class Claim:
    """One source's statement that an organisation exists: where, name, country, identifiers."""

    where: str  # "rawdata.json#r17"
    name: str
    country: str | None = None
    pic: str | None = None
    vat: str | None = None


@dataclass
class Node:
    """One organisation after reconciliation."""

    id: str
    names: list[str]
    country: str | None
    curated: bool = False
    pic: str | None = None
    vat: str | None = None
    claims: list[Claim] = field(default_factory=list)
    rules: Counter[str] = field(default_factory=Counter)  # which rule merged claims into it

    @property
    def label(self) -> str:
        """The first name met."""
        return self.names[0]


@dataclass(frozen=True)
class ReviewItem:
    """Two organisations that may be one; a curator decides."""

    a: str
    b: str
    name_a: str
    name_b: str
    country: str
    score: float
    reason: str


class Reconciler:
    """Decides, claim by claim, which organisation node a source's organisation is."""

    def __init__(self, curated: Iterable[Organisation] = ()) -> None:
        self.nodes: dict[str, Node] = {}
        self._by_pic: dict[str, Node] = {}
        self._by_vat: dict[str, Node] = {}
        self._by_name: dict[tuple[str | None, str], Node] = {}
        for org in curated:
            country = org.country or (org.region[:2] if org.region else None)  # NUTS prefix
            names = [org.name["en"]] + [n for k, n in sorted(org.name.items()) if k != "en"]
            for group in (org.alt_names, org.former_names):
                names += [n for _, ns in sorted(group.items()) for n in ns]
            node = Node(org.id, names, country, curated=True, pic=org.pic, vat=clean_vat(org.vat))
            self._index(node)

    def _index(self, node: Node) -> None:
        self.nodes[node.id] = node
        if node.pic:
            self._by_pic.setdefault(node.pic, node)
        if node.vat:
            self._by_vat.setdefault(node.vat, node)
        for name in node.names:
            self._by_name.setdefault((node.country, normalise_name(name)), node)

    def _new_id(self, name: str, country: str | None) -> str:
        base = f"{slugify(name)}-{country.lower()}" if country else slugify(name)
        candidate, n = base, 1
        while candidate in self.nodes:
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def add(self, claim: Claim) -> Node:
        """The node ``claim`` belongs to, created if no rule matches."""
        vat = clean_vat(claim.vat)
        key = (claim.country, normalise_name(claim.name))
        node, rule = None, "new"
        if claim.pic and claim.pic in self._by_pic:
            node, rule = self._by_pic[claim.pic], "pic"
        elif vat and vat in self._by_vat:
            node, rule = self._by_vat[vat], "vat"
        elif key in self._by_name:
            candidate = self._by_name[key]
            clash = (claim.pic and candidate.pic and claim.pic != candidate.pic) or (
                vat and candidate.vat and vat != candidate.vat
            )
            if not clash:
                node, rule = candidate, "name"
        if node is None:
            node = Node(self._new_id(claim.name, claim.country), [claim.name], claim.country)
        if claim.name not in node.names:
            node.names.append(claim.name)
        node.pic = node.pic or claim.pic
        node.vat = node.vat or vat
        node.claims.append(claim)
        node.rules[rule] += 1
        self._index(node)
        return node

    def imported(self) -> list[Node]:
        """The nodes some claim reached, in order of creation (curated ones included)."""
        return [n for n in self.nodes.values() if n.claims]

    def review(self) -> list[ReviewItem]:
        """Pairs of distinct organisations in one country with very alike names, best first."""
        found: dict[tuple[str, str], ReviewItem] = {}
        for a, b in self._pairs():
            na, nb = normalise_name(a.label), normalise_name(b.label)
            ratio = difflib.SequenceMatcher(None, na, nb).ratio()
            wa, wb = set(na.split()), set(nb.split())
            inside = bool(wa and wb) and (wa <= wb or wb <= wa) and min(len(wa), len(wb)) >= 2
            if ratio >= NEAR or inside:
                reason = (
                    f"names {ratio:.0%} alike" if ratio >= NEAR else "one name inside the other"
                )
                x, y = sorted((a, b), key=lambda n: n.id)
                found[(x.id, y.id)] = ReviewItem(
                    x.id, y.id, x.label, y.label, a.country or "", round(ratio, 3), reason
                )
        return sorted(found.values(), key=lambda r: (-r.score, r.a, r.b))

    def _pairs(self) -> Iterator[tuple[Node, Node]]:
        """Candidate pairs: same country, sharing a word of 4+ letters used by few names."""
        by_word: dict[tuple[str | None, str], list[Node]] = {}
        for node in self.nodes.values():
            for word in set(normalise_name(node.label).split()):
                if len(word) >= 4:
                    by_word.setdefault((node.country, word), []).append(node)
        seen: set[tuple[str, str]] = set()
        for nodes in by_word.values():
            if len(nodes) > 50:  # a common word ("university") says nothing
                continue
            for i, a in enumerate(nodes):
                for b in nodes[i + 1 :]:
                    key = (a.id, b.id) if a.id < b.id else (b.id, a.id)
                    if key not in seen and (a.claims or b.claims):
                        seen.add(key)
                        yield a, b
