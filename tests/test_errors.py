"""Bad input stops the build with file, line and field, and leaves dist/ exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.paths import ProjectPaths

runner = CliRunner()


def _line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def _replace_first(path: Path, old: str, new: str) -> int:
    """Replace the first line containing ``old``; return that line's number."""
    number = _line_of(path, old)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")
    return number


@dataclass
class Case:
    """One way of breaking data/: what to do, and the message expected."""

    file: str
    field: str
    message: str
    break_it: Callable[[Path], int]  # edits data/, returns the line the error must name


def _strip_provenance(path: Path, record_start: str) -> int:
    """Delete the cites/curator lines of the record starting at ``record_start``."""
    start = _line_of(path, record_start)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    keep = [
        line
        for number, line in enumerate(lines, start=1)
        if number < start or not line.startswith(("  cites:", "  curator_"))
    ]
    path.write_text("".join(keep), encoding="utf-8")
    return start


def _append_duplicate_org(data: Path) -> int:
    path = data / "organisations.yaml"
    with path.open("a", encoding="utf-8") as fh:
        fh.write(
            "\n- id: holo4med\n  type: Company\n  name: {en: Holo4Med again}\n"
            "  cites: [000_04709250d1b1ecaf.txt#p5]\n"
        )
    return len(path.read_text(encoding="utf-8").splitlines()) - 3


CASES = {
    "malformed-yaml": Case(
        "projects.yaml",
        "(yaml)",
        "malformed YAML: mapping values are not allowed in this context",
        lambda d: _replace_first(d / "projects.yaml", "acronym: Next2Met", "acronym: Next2Met: x"),
    ),
    "unknown-reference": Case(
        "projects.yaml",
        "partners[1].organisation",
        "unknown organisations id 'ecoplus-typo' in projects record 'next2met'",
        lambda d: _replace_first(
            d / "projects.yaml", "organisation: ecoplus", "organisation: ecoplus-typo"
        ),
    ),
    "duplicate-id": Case(
        "organisations.yaml",
        "id",
        "duplicate organisations id 'holo4med'; first defined at organisations.yaml:",
        _append_duplicate_org,
    ),
    "budget-not-a-number": Case(
        "projects.yaml",
        "budget.amount",
        "Input should be a valid decimal (got 'lots') (record 'next2met')",
        lambda d: _replace_first(d / "projects.yaml", "amount: 1358584.00", "amount: lots"),
    ),
    "budget-yes-no": Case(
        "projects.yaml",
        "budget.amount",
        "a number is required, not a yes/no value (got True) (record 'next2met')",
        lambda d: _replace_first(d / "projects.yaml", "amount: 1358584.00", "amount: yes"),
    ),
    "date-out-of-range": Case(
        "projects.yaml",
        "start",
        "Input should be a valid date or datetime, month value is outside expected range",
        lambda d: _replace_first(d / "projects.yaml", "start: 2019-08-01", "start: 2019-13-01"),
    ),
    "date-in-polish-format": Case(
        "events.yaml",
        "start",
        "Input should be a valid date or datetime",
        lambda d: _replace_first(d / "events.yaml", "start: 2021-12-10", "start: 10.12.2021"),
    ),
    "duplicate-yaml-key": Case(
        "funds.yaml",
        "(yaml)",
        "malformed YAML: while reading a mapping key 'name' repeated",
        lambda d: _replace_first(d / "funds.yaml", "  acronym:", "  name:"),
    ),
    "unknown-field": Case(
        "people.yaml",
        "famly_name",
        "Extra inputs are not permitted",
        lambda d: _replace_first(d / "people.yaml", "family_name: Kosicki", "famly_name: Kosicki"),
    ),
    "unknown-role": Case(
        "projects.yaml",
        "role",
        "unknown participation-role 'boss'; known: advisory-partner, associated-partner,",
        lambda d: _replace_first(d / "projects.yaml", "role: lead-partner", "role: boss"),
    ),
    "partner-listed-twice": Case(
        "projects.yaml",
        "partners[1]",
        "duplicate entry 'paijat-hame-regional-council' in record 'next2met'",
        lambda d: _replace_first(
            d / "projects.yaml",
            "organisation: ecoplus",
            "organisation: paijat-hame-regional-council",
        ),
    ),
    "citation-of-unknown-article": Case(
        "places.yaml",
        "cites[0]",
        "unknown sources id '999_missing.txt' in places record 'gdansk'",
        lambda d: _replace_first(
            d / "places.yaml", "cites: [004_15ee2b0af3880310.txt#p4]", "cites: [999_missing.txt#p4]"
        ),
    ),
    "country-that-is-a-region": Case(
        "organisations.yaml",
        "country",
        "'PL84' is a level-2 region, not a country (level 0)",
        lambda d: _replace_first(d / "organisations.yaml", "  country: PL", "  country: PL84"),
    ),
    "no-provenance": Case(
        "places.yaml",
        "(record)",
        "give 'cites' (FILE.txt#pN) or a 'curator_note' for facts you added (record 'gdansk')",
        lambda d: _strip_provenance(d / "places.yaml", "- id: gdansk"),
    ),
}


@pytest.fixture
def good_dist(tmp_path: Path, paths: ProjectPaths) -> Path:
    """A dist/ holding a previous good build."""
    dist = tmp_path / "dist"
    result = runner.invoke(app, ["build", "--data", str(paths.data), "--out", str(dist)])
    assert result.exit_code == 0, result.output
    return dist


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("case", [pytest.param(c, id=k) for k, c in CASES.items()])
def test_bad_input_names_file_line_field_and_leaves_dist_untouched(
    case: Case, data_copy: Path, good_dist: Path
) -> None:
    before = _snapshot(good_dist)
    assert set(before) == {"kgraph.ttl", "kgraph.nt", "kgraph.jsonld"}
    line = case.break_it(data_copy)
    result = runner.invoke(app, ["build", "--data", str(data_copy), "--out", str(good_dist)])
    assert result.exit_code == 1
    output = " ".join(result.output.split())  # undo the console's line wrapping
    expected_prefix = f"{case.file}:{line}: {case.field}: {case.message}"
    assert expected_prefix in output, output
    assert "nothing in" in output
    assert "was changed" in output
    assert _snapshot(good_dist) == before  # same bytes, same mtimes, no temporary files left


def test_every_error_is_reported_at_once(data_copy: Path) -> None:
    """A curator sees all problems in one run, not one per run."""
    _replace_first(data_copy / "projects.yaml", "amount: 1358584.00", "amount: lots")
    _replace_first(data_copy / "events.yaml", "start: 2021-12-10", "start: 10.12.2021")
    result = runner.invoke(app, ["build", "--data", str(data_copy), "--out", str(data_copy)])
    assert result.exit_code == 1
    assert "2 problem(s)" in result.output
    assert not (data_copy / "kgraph.ttl").exists()
