"""Errors that point a curator at the file, line and field to fix."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DataError", "DataErrors", "display_path"]


def display_path(path: Path) -> str:
    """Return ``path`` relative to the working directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass(frozen=True, order=True)
class DataError:
    """One problem in one field of one curated file."""

    file: Path
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{display_path(self.file)}:{self.line}: {self.field}: {self.message}"


class DataErrors(Exception):
    """Raised when curated input cannot be built; carries every problem found, sorted."""

    def __init__(self, errors: Iterable[DataError]) -> None:
        self.errors: list[DataError] = sorted(set(errors))
        super().__init__(self.render())

    def render(self) -> str:
        """Return one line per error, plus a count."""
        noun = "error" if len(self.errors) == 1 else "errors"
        lines = [str(e) for e in self.errors]
        return "\n".join([*lines, f"{len(self.errors)} {noun} in the curated data"])
