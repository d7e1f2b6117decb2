"""Stage 1: read the curated YAML files in data/ into typed records that know their file and line.

No RDF here. Every problem found (bad YAML, a field of the wrong type, an unknown reference, a
duplicate id) is collected with its file, line and field, and raised together as ``DataErrors``.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from kgraph.errors import DataError, DataErrors
from kgraph.records import KINDS, Located, Ref, SourceInfo, citation_parts

__all__ = ["Dataset", "load_dataset", "read_yaml"]

try:  # the C parser is ~10x faster; marks (lines) work the same
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


class _LineDict(dict[str, Any]):
    """A YAML mapping that remembers its own line and the line of each key."""

    line: int
    key_lines: dict[str, int]


class _LineList(list[Any]):
    """A YAML sequence that remembers the line of each item."""

    line: int
    item_lines: list[int]


class _DuplicateKey(yaml.MarkedYAMLError):
    """A mapping repeats a key (YAML would silently keep the last one)."""


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that keeps line numbers and refuses duplicate keys."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _LineDict:
    result = _LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            raise _DuplicateKey(
                "while reading a mapping",
                node.start_mark,
                f"key {key!r} repeated",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> _LineList:
    result = _LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    """A date-like scalar; an impossible date (2019-13-01) stays a string for pydantic to name."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_yaml(path: Path) -> Any:
    """Parse one YAML file, keeping line numbers; raise ``DataErrors`` naming the bad line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataErrors([DataError(path, 1, "(file)", f"not UTF-8 text: {exc}")]) from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        raise DataErrors([DataError(path, line, "(yaml)", f"malformed YAML: {problem}")]) from None
    except yaml.YAMLError as exc:
        raise DataErrors([DataError(path, 1, "(yaml)", f"malformed YAML: {exc}")]) from None


@dataclass
class Dataset:
    """All curated records, by kind (data/ file stem) and then by id, in file order."""

    records: dict[str, dict[str, Any]] = field(default_factory=lambda: {k: {} for k in KINDS})
    files: list[Path] = field(default_factory=list)

    def of(self, kind: str) -> dict[str, Any]:
        """Return the records of one kind by id."""
        return self.records[kind]

    def count(self) -> int:
        """Return the number of top-level records."""
        return sum(len(v) for v in self.records.values())


def _field_path(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + item)
    return "".join(parts) or "(record)"


def _line_at(data: Any, loc: tuple[int | str, ...], default: int) -> int:
    """Follow ``loc`` into the located YAML value and return the deepest line found."""
    line, node = default, data
    for item in loc:
        if isinstance(node, _LineDict) and isinstance(item, str) and item in node:
            line, node = node.key_lines[item], node[item]
        elif isinstance(node, _LineList) and isinstance(item, int) and item < len(node):
            line, node = node.item_lines[item], node[item]
        else:
            break
    return line


def _attach(model: BaseModel, data: Any, path: Path) -> None:
    """Give ``model`` and every nested model the file and lines they came from."""
    if not isinstance(data, _LineDict):
        return
    item_lines = {k: v.item_lines for k, v in data.items() if isinstance(v, _LineList)}
    if isinstance(model, Located):
        model.set_source(SourceInfo(path, data.line, dict(data.key_lines), item_lines))
    for name in type(model).model_fields:
        value, raw = getattr(model, name), data.get(name)
        if isinstance(value, BaseModel):
            _attach(value, raw, path)
        elif isinstance(value, list) and isinstance(raw, list):
            for item, raw_item in zip(value, raw, strict=False):
                if isinstance(item, BaseModel):
                    _attach(item, raw_item, path)


def _validate(model: type[Located], item: Any, path: Path, line: int) -> Located:
    """Validate one record; on failure raise ``DataErrors`` for each bad field."""
    try:
        record = model.model_validate(item)
    except ValidationError as exc:
        errors = []
        rid = item.get("id", item.get("file")) if isinstance(item, dict) else None
        where = f" (record {rid!r})" if rid else ""
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            shown = err["type"] != "missing" and not isinstance(err["input"], dict | list)
            bad = f" (got {err['input']!r})" if shown else ""
            errors.append(
                DataError(
                    path,
                    _line_at(item, loc, line),
                    _field_path(loc),
                    f"{err['msg'].removeprefix('Value error, ')}{bad}{where}",
                )
            )
        raise DataErrors(errors) from None
    _attach(record, item, path)
    return record


def _references(model: Located) -> Iterator[tuple[str, str, str, int]]:
    """Yield (field path, target kind, referenced id, line) for every ``Ref`` in ``model``."""
    info = model.source
    for name, field_info in type(model).model_fields.items():
        value = getattr(model, name)
        line = info.line_of(name)
        ref = next((m for m in field_info.metadata if isinstance(m, Ref)), None)
        ref = ref or _inner_ref(field_info.annotation)
        if ref is not None and value is not None:
            values = value if isinstance(value, list) else [value]
            for i, v in enumerate(values):
                target = citation_parts(v)[0] if ref.kind == "sources" else v
                suffix = f"[{i}]" if isinstance(value, list) else ""
                item_line = info.line_of_item(name, i) if suffix else line
                yield f"{name}{suffix}", ref.kind, target, item_line
        children = value if isinstance(value, list) else [value]
        for i, child in enumerate(children):
            if isinstance(child, Located):
                prefix = f"{name}[{i}]" if isinstance(value, list) else name
                for sub, kind, target, sub_line in _references(child):
                    yield f"{prefix}.{sub}", kind, target, sub_line


def _inner_ref(annotation: Any) -> Ref | None:
    """Find a ``Ref`` inside ``list[Annotated[..., Ref]]`` or ``Annotated[...] | None``."""
    for arg in typing.get_args(annotation):
        if typing.get_origin(arg) is typing.Annotated:
            found = next((m for m in arg.__metadata__ if isinstance(m, Ref)), None)
            if found:
                return found
        if isinstance(arg, types.GenericAlias | types.UnionType) or typing.get_args(arg):
            found = _inner_ref(arg)
            if found:
                return found
    return None


def _nested_duplicates(model: Located, rid: str) -> Iterator[DataError]:
    """Report two items of one nested list (partners, posts, participants…) with the same key."""
    info = model.source
    for name in type(model).model_fields:
        value = getattr(model, name)
        if not (isinstance(value, list) and value and hasattr(value[0], "item_key")):
            continue
        seen: dict[str, int] = {}
        for i, item in enumerate(value):
            key = item.item_key()
            item_line = item.source.line
            if key in seen:
                yield DataError(
                    info.file,
                    item_line,
                    f"{name}[{i}]",
                    f"duplicate entry {key!r} in record {rid!r} "
                    f"(first given as {name}[{seen[key]}])",
                )
            else:
                seen[key] = i


def _check_file_names(data_dir: Path) -> Iterator[DataError]:
    """Every YAML file in data/ must be ``<kind>.yaml`` for a known kind."""
    for path in sorted(data_dir.glob("*.y*ml")):
        if path.suffix == ".yml" or path.stem not in KINDS:
            yield DataError(
                path,
                1,
                "(file)",
                f"not a data file name; expected one of: {', '.join(f'{k}.yaml' for k in KINDS)}",
            )


@dataclass
class _Loading:
    """State of one load: records so far, errors, and what failed (to avoid cascades)."""

    dataset: Dataset = field(default_factory=Dataset)
    errors: list[DataError] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)  # kinds whose file did not parse
    invalid: set[tuple[str, str]] = field(default_factory=set)  # (kind, id) that failed

    def load_kind(self, kind: str, model: type[Located], path: Path) -> None:
        """Read and validate one data file."""
        self.dataset.files.append(path)
        try:
            items = read_yaml(path)
        except DataErrors as exc:
            self.errors.extend(exc.errors)
            self.unreadable.add(kind)
            return
        if items is None:
            return
        if not isinstance(items, _LineList):
            self.errors.append(DataError(path, 1, "(file)", "expected a list of records"))
            self.unreadable.add(kind)
            return
        for index, item in enumerate(items):
            try:
                record = _validate(model, item, path, items.item_lines[index])
            except DataErrors as exc:
                self.errors.extend(exc.errors)
                if isinstance(item, dict):
                    self.invalid.add((kind, str(item.get(model.id_field, ""))))
                continue
            self.add(kind, record)

    def add(self, kind: str, record: Located) -> None:
        """Keep a valid record unless its id was taken."""
        key = record.key
        first = self.dataset.records[kind].get(key)
        if first is not None:
            self.errors.append(
                DataError(
                    record.source.file,
                    record.source.line_of(record.id_field),
                    record.id_field,
                    f"duplicate {kind} id {key!r}; first defined at "
                    f"{first.source.file.name}:{first.source.line}",
                )
            )
            return
        self.dataset.records[kind][key] = record
        self.errors.extend(_nested_duplicates(record, key))

    def check_references(self) -> None:
        """Report references to ids that exist nowhere (not to records that failed to load)."""
        for kind, records in self.dataset.records.items():
            for rid, record in records.items():
                for field_path, target_kind, target, line in _references(record):
                    if (
                        target in self.dataset.records[target_kind]
                        or target_kind in self.unreadable
                        or (target_kind, target) in self.invalid
                    ):
                        continue
                    self.errors.append(
                        DataError(
                            record.source.file,
                            line,
                            field_path,
                            f"unknown {target_kind} id {target!r} in {kind} record {rid!r}",
                        )
                    )


def load_dataset(data_dir: Path) -> Dataset:
    """Read every ``data/<kind>.yaml`` into a ``Dataset``; raise ``DataErrors`` on any problem."""
    if not data_dir.is_dir():
        raise DataErrors([DataError(data_dir, 0, "(folder)", "data folder not found")])
    state = _Loading()
    state.errors.extend(_check_file_names(data_dir))
    for kind, model in KINDS.items():
        path = data_dir / f"{kind}.yaml"
        if path.exists():
            state.load_kind(kind, model, path)
    state.check_references()
    if state.errors:
        raise DataErrors(state.errors)
    return state.dataset
