"""The README's "Adding a project or an organisation" section, followed step by step."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from kgraph.cli import app

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()


def _section() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Adding a project or an organisation")
    return readme[start : readme.index("\n## ", start + 1)]


def test_adding_a_project_as_the_readme_says(tmp_path: Path, paths):
    data = tmp_path / "data"
    shutil.copytree(paths.data, data)
    blocks = re.findall(r"```yaml\n# add to data/(\S+)\n(.*?)```", _section(), re.S)
    assert [name for name, _ in blocks] == ["sources.yaml", "organisations.yaml", "projects.yaml"]
    for name, block in blocks:
        with (data / name).open("a", encoding="utf-8") as fh:
            fh.write("\n" + block)
    commands = re.findall(r"^\.venv/bin/kgraph (.+?)(?:\s+#.*)?$", _section(), re.M)
    assert commands[0] == "build"
    assert commands[1].startswith("query project-partners")
    assert commands[2] == "network draw"
    out = tmp_path / "dist"
    built = runner.invoke(app, ["build", "--data", str(data), "--out", str(out)])
    assert built.exit_code == 0, built.output
    assert "example-health-data" in (out / "kgraph.ttl").read_text(encoding="utf-8")
    query = runner.invoke(app, [*commands[1].split(), "--data", str(data), "--format", "csv"])
    assert query.exit_code == 0, query.output
    rows = query.output.splitlines()
    assert len(rows) == 3  # header and the two partners
    assert any("Example Health Cluster" in r and "partner" in r for r in rows)
    assert any("lead-partner" in r and "podlaskie-marshal-office" in r for r in rows)
    page = out / "network-organisations.html"
    drawn = runner.invoke(app, ["network", "draw", "--data", str(data), "-o", str(page)])
    assert drawn.exit_code == 0, drawn.output
    assert "Example Health Cluster" in page.read_text(encoding="utf-8")
    args = ["query", "project-partners", "-p", "project=project:example-health-data"]
    original = runner.invoke(app, [*args, "--format", "csv"])
    assert "Example Health Cluster" not in original.output  # the real data/ is untouched
