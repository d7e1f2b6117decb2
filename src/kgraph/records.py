"""Typed records of the curated data: what each YAML file in data/ may contain.

Records are plain data (no RDF). A reference to another record is a string annotated with
``Ref(kind)``; ``load`` checks that every reference resolves and reports file and line if not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

__all__ = [
    "KINDS",
    "Budget",
    "Event",
    "EventRole",
    "Fund",
    "Located",
    "Organisation",
    "Partner",
    "Person",
    "Phase",
    "Place",
    "Post",
    "Practice",
    "Programme",
    "Project",
    "Record",
    "Ref",
    "Region",
    "Source",
    "SourceInfo",
    "Statement",
    "citation_parts",
    "cites_record",
]

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
#: ``FILE.txt#pN`` cites paragraph N of an article; ``FILE#rN`` record N of an imported data file.
CITATION = r"^(?:[A-Za-z0-9_.-]+\.txt#p|[A-Za-z0-9_.-]+#r)[1-9][0-9]*$"
NUTS = r"^[A-Z]{2}[0-9A-Z]{0,3}$"


@dataclass(frozen=True)
class Ref:
    """Marks a string field as a reference to a record of another kind (a data/ file stem)."""

    kind: str


def _english_required(value: dict[str, str]) -> dict[str, str]:
    if "en" not in value:
        raise ValueError("an English ('en') text is required")
    return value


Slug = Annotated[str, Field(pattern=SLUG)]
Lang = Annotated[str, Field(pattern=r"^[a-z]{2}$")]
Text = Annotated[str, Field(min_length=1)]
LangText = Annotated[dict[Lang, Text], AfterValidator(_english_required)]
Url = Annotated[str, Field(pattern=r"^https?://[^\s<>\"{}|\\^`]+$")]
Citation = Annotated[str, Field(pattern=CITATION), Ref("sources")]
RegionRef = Annotated[str, Field(pattern=NUTS), Ref("regions")]
OrgRef = Annotated[str, Field(pattern=SLUG), Ref("organisations")]
PersonRef = Annotated[str, Field(pattern=SLUG), Ref("people")]
FundRef = Annotated[str, Field(pattern=SLUG), Ref("funds")]
ProgrammeRef = Annotated[str, Field(pattern=SLUG), Ref("programmes")]
ProjectRef = Annotated[str, Field(pattern=SLUG), Ref("projects")]
EventRef = Annotated[str, Field(pattern=SLUG), Ref("events")]
PlaceRef = Annotated[str, Field(pattern=SLUG), Ref("places")]
PracticeRef = Annotated[str, Field(pattern=SLUG), Ref("practices")]


Money = Annotated[Decimal, Field(gt=0, allow_inf_nan=False)]


def citation_parts(citation: str) -> tuple[str, int]:
    """Split ``'001_x.txt#p6'`` (or ``'list.json#r17'``) into the file name and the number."""
    file, _, part = citation.rpartition("#")
    return file, int(part[1:])


def cites_record(citation: str) -> bool:
    """Whether ``citation`` names a record of a data file (``#rN``) rather than a paragraph."""
    return citation.rpartition("#")[2].startswith("r")


@dataclass(frozen=True)
class SourceInfo:
    """Where a record or statement was read: file, line of the record, line of each key."""

    file: Path
    line: int
    key_lines: dict[str, int]
    item_lines: dict[str, list[int]]

    def line_of(self, field: str) -> int:
        """Return the line of ``field``'s key, or of the record when the key is absent."""
        return self.key_lines.get(field, self.line)

    def line_of_item(self, field: str, index: int) -> int:
        """Return the line of item ``index`` of list ``field``, else the field's line."""
        lines = self.item_lines.get(field, [])
        return lines[index] if index < len(lines) else self.line_of(field)


class Located(BaseModel):
    """A model that remembers where in data/ it was read."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id_field: ClassVar[str] = "id"
    _source: SourceInfo | None = PrivateAttr(default=None)

    @property
    def key(self) -> str:
        """The record's identifier (the value of its ``id_field``)."""
        return str(getattr(self, self.id_field))

    def set_source(self, source: SourceInfo) -> None:
        """Remember where this record was read (called by ``load``)."""
        self._source = source

    @property
    def source(self) -> SourceInfo:
        """Where this record was read (set by ``load``)."""
        if self._source is None:
            raise RuntimeError("record has no source location; was it built by kgraph.load?")
        return self._source


class Statement(Located):
    """Something stated about the world, with the documents stating it (or a curator's note)."""

    #: Facts derived from other fields that may still be marked ``unstated`` (``lead_partner``).
    derived_fields: ClassVar[tuple[str, ...]] = ()
    cites: list[Citation] = Field(default_factory=list)
    curator_added: list[str] = Field(default_factory=list)
    unstated: list[str] = Field(default_factory=list)
    curator_note: Text | None = None

    @model_validator(mode="after")
    def _has_provenance(self) -> Statement:
        if not self.cites and not self.curator_note:
            raise ValueError("give 'cites' (FILE.txt#pN) or a 'curator_note' for facts you added")
        for name in ("curator_added", "unstated"):
            fields = getattr(self, name)
            known = set(type(self).model_fields) | set(type(self).derived_fields)
            unknown = sorted(set(fields) - known)
            if unknown:
                raise ValueError(f"{name} names unknown fields: {', '.join(unknown)}")
            if fields and not self.curator_note:
                raise ValueError(f"{name} needs a curator_note saying why")
        stated = sorted(f for f in self.unstated if getattr(self, f, None) not in (None, [], {}))
        if stated:
            raise ValueError(f"unstated names fields that are given: {', '.join(stated)}")
        return self


class Record(Statement):
    """A top-level record with an id, unique within its kind."""

    id: Slug


class Source(Located):
    """A source: an article in shared/seeds/ (``.txt``) or an imported data file."""

    id_field: ClassVar[str] = "file"
    file: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+\.[A-Za-z0-9]+$")]
    language: Lang
    title: LangText
    publisher: LangText | None = None
    author: Text | None = None
    issued: date | None = None
    curator_note: Text | None = None
    #: For data files: checksum of the bytes, number of records and media type.
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None
    records: Annotated[int, Field(ge=0)] | None = None
    media_type: Text | None = None

    @property
    def key(self) -> str:
        """The document's file name."""
        return self.file

    @property
    def is_article(self) -> bool:
        """An article (text, cited by paragraph) rather than a data file (cited by record)."""
        return self.file.endswith(".txt")

    @property
    def slug(self) -> str:
        """The file name (without ``.txt`` for articles), used in the source's IRI."""
        return self.file.removesuffix(".txt")


class Region(Record):
    """A NUTS region or a country (NUTS level 0)."""

    id: Annotated[str, Field(pattern=NUTS)]
    level: Annotated[int, Field(ge=0, le=3)]
    name: LangText
    broader: RegionRef | None = None
    iso3: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None


class Fund(Record):
    """A fund such as the European Regional Development Fund."""

    name: LangText
    acronym: LangText | None = None


class Programme(Record):
    """A funding programme such as Interreg Europe."""

    name: LangText
    funds: list[FundRef] = Field(default_factory=list)
    period: Annotated[str, Field(pattern=r"^\d{4}-\d{4}$")] | None = None
    website: Url | None = None


class Organisation(Record):
    """An organisation; ``type`` names an ontology subclass of kg:Organisation."""

    type: Annotated[str, Field(pattern=r"^[A-Z][A-Za-z]+$")]
    name: LangText
    alt_names: dict[Lang, list[Text]] = Field(default_factory=dict)
    former_names: dict[Lang, list[Text]] = Field(default_factory=dict)
    acronym: Text | None = None
    country: RegionRef | None = None
    region: RegionRef | None = None
    unit_of: OrgRef | None = None
    website: Url | None = None
    cooperates_with: list[OrgRef] = Field(default_factory=list)
    pic: Annotated[str, Field(pattern=r"^[0-9]{9}$")] | None = None
    vat: Annotated[str, Field(pattern=r"^[A-Z]{2}[0-9A-Z+*.]{2,13}$")] | None = None


class Post(Statement):
    """A person's role in an organisation."""

    organisation: OrgRef
    role: Slug
    title: LangText
    start: date | None = None
    end: date | None = None

    def item_key(self) -> str:
        """Unique within one person."""
        return f"{self.organisation}--{self.role}"


class Person(Record):
    """A person named in a source, with the posts they hold."""

    given_name: Text
    family_name: Text
    honorific: Text | None = None
    posts: list[Post] = Field(default_factory=list)


class Place(Record):
    """A venue or town where an event takes place."""

    name: LangText
    region: RegionRef | None = None
    site_of: OrgRef | None = None


class Budget(Statement):
    """An amount of money with its currency, stated by a source."""

    amount: Money
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    approximate: bool = False

    @field_validator("amount", mode="before")
    @classmethod
    def _amount_not_bool(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("a number is required, not a yes/no value")
        return value


class Partner(Statement):
    """An organisation's participation in a project."""

    organisation: OrgRef
    role: Slug
    budget: Budget | None = None
    eu_contribution: Budget | None = None
    start: date | None = None
    end: date | None = None

    def item_key(self) -> str:
        """Unique within one project."""
        return self.organisation


class Phase(Statement):
    """A phase (stage) of a project."""

    number: Annotated[int, Field(ge=1)]
    name: LangText
    start: date
    end: date
    description: LangText | None = None

    def item_key(self) -> str:
        """Unique within one project."""
        return str(self.number)


class Project(Record):
    """A cooperation project with its partners, budget, period and phases."""

    derived_fields: ClassVar[tuple[str, ...]] = ("lead_partner",)
    acronym: Text
    title: LangText
    description: LangText | None = None
    programme: ProgrammeRef | None = None
    funds: list[FundRef] = Field(default_factory=list)
    code: Text | None = None
    start: date | None = None
    end: date | None = None
    budget: Budget | None = None
    website: list[Url] = Field(default_factory=list)
    partner_countries: list[RegionRef] = Field(default_factory=list)
    partners: list[Partner] = Field(default_factory=list)
    phases: list[Phase] = Field(default_factory=list)
    policy_objective: Annotated[str, Field(pattern=r"^(PO[1-6]|ISO[12]?)$")] | None = None
    specific_objective: Annotated[str, Field(pattern=r"^(RSO|ISO)[1-6]\.[1-9][0-9]?$")] | None = (
        None
    )

    @model_validator(mode="after")
    def _lead_partner_unstated_only_when_absent(self) -> Project:
        if "lead_partner" in self.unstated and any(p.role == "lead-partner" for p in self.partners):
            raise ValueError("unstated names lead_partner, but a partner has role lead-partner")
        return self


class Practice(Record):
    """A good practice or initiative presented at an event."""

    name: LangText
    description: LangText | None = None
    implemented_by: list[OrgRef] = Field(default_factory=list)
    region: RegionRef | None = None


class EventRole(Statement):
    """The part a person or an organisation plays in an event."""

    person: PersonRef | None = None
    organisation: OrgRef | None = None
    on_behalf_of: OrgRef | None = None
    role: Slug
    presented: list[PracticeRef] = Field(default_factory=list)
    topic: LangText | None = None

    @model_validator(mode="after")
    def _one_agent(self) -> EventRole:
        if (self.person is None) == (self.organisation is None):
            raise ValueError("give exactly one of 'person' or 'organisation'")
        if self.organisation is not None and self.on_behalf_of is not None:
            raise ValueError("'on_behalf_of' applies to a person, not to an organisation")
        return self

    @property
    def agent(self) -> str:
        """The id of the person or organisation."""
        return self.person or self.organisation or ""

    def item_key(self) -> str:
        """Unique within one event."""
        return f"{self.agent}--{self.role}"


class Event(Record):
    """A conference, policy learning event, kick-off meeting, congress or panel."""

    type: Slug
    name: LangText
    project: ProjectRef | None = None
    part_of: EventRef | None = None
    start: date | None = None
    end: date | None = None
    duration_days: Annotated[int, Field(ge=1)] | None = None
    planned_time: LangText | None = None
    status: Literal["held", "announced"] = "held"
    online: bool = False
    venue: PlaceRef | None = None
    attendees_more_than: Annotated[int, Field(ge=0)] | None = None
    theme: LangText | None = None
    description: LangText | None = None
    participants: list[EventRole] = Field(default_factory=list)


#: data/ file stem -> record model; the order is the order of loading and of building.
KINDS: dict[str, type[Located]] = {
    "sources": Source,
    "regions": Region,
    "funds": Fund,
    "programmes": Programme,
    "organisations": Organisation,
    "people": Person,
    "places": Place,
    "practices": Practice,
    "projects": Project,
    "events": Event,
}
