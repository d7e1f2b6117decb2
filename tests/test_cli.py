"""The command line: each command has help, is in the README and says where output went."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kgraph.cli import app
from tests.conftest import REPO

runner = CliRunner()
COMMANDS = sorted(c.name or "" for c in typer.main.get_group(app).commands.values())


def test_there_are_commands():
    assert {"build", "stats", "version"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert len(result.output.strip().splitlines()) >= 3


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_named_in_the_readme(command: str):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"kgraph {command}" in readme


def test_build_says_where_its_output_went(tmp_path: Path, paths):
    result = runner.invoke(app, ["build", "--data", str(paths.data), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in ("kgraph.ttl", "kgraph.nt", "kgraph.jsonld"):
        assert (tmp_path / name).is_file()
        assert name in result.output
    assert "organisations" in result.output


def test_stats_prints_counts_and_writes_nothing(tmp_path: Path, paths, built):
    result = runner.invoke(app, ["stats", "--data", str(paths.data)])
    assert result.exit_code == 0
    counts = dict(line.split("\t") for line in result.output.strip().splitlines())
    assert int(counts["organisations"]) == built.summary.organisations == 27
    assert int(counts["people"]) == 13
    assert int(counts["projects"]) == 2


def test_version():
    from kgraph import __version__

    result = runner.invoke(app, ["version"])
    assert result.output.strip() == __version__


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "kgraph", "--help"], capture_output=True, text=True, check=True
    )
    assert "build" in done.stdout
