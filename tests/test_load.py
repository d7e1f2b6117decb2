"""The loader: YAML with line numbers, duplicate keys refused, file names checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgraph.errors import DataErrors
from kgraph.load import load_dataset, read_yaml


def test_read_yaml_keeps_lines_of_records_and_keys(tmp_path: Path):
    path = tmp_path / "x.yaml"
    path.write_text("# comment\n- id: a\n  name: {en: A}\n\n- id: b\n  other: 1\n")
    items = read_yaml(path)
    assert items.item_lines == [2, 5]
    assert items[0].key_lines == {"id": 2, "name": 3}
    assert items[1].line == 5


def test_duplicate_key_is_an_error_with_its_line(tmp_path: Path):
    path = tmp_path / "x.yaml"
    path.write_text("- id: a\n  id: b\n")
    with pytest.raises(DataErrors) as info:
        read_yaml(path)
    assert info.value.errors[0].line == 2
    assert "key 'id' repeated" in info.value.errors[0].message


def test_impossible_date_stays_a_string(tmp_path: Path):
    path = tmp_path / "x.yaml"
    path.write_text("d: 2019-02-30\ne: 2019-02-28\n")
    data = read_yaml(path)
    assert data["d"] == "2019-02-30"
    assert str(data["e"]) == "2019-02-28"


def test_not_utf8_is_reported(tmp_path: Path):
    path = tmp_path / "x.yaml"
    path.write_bytes("- id: \xe9".encode("latin-1"))
    with pytest.raises(DataErrors, match="not UTF-8"):
        read_yaml(path)


@pytest.mark.parametrize("name", ["organisation.yaml", "people.yml", "misc.yaml"])
def test_unknown_data_file_names_are_refused(tmp_path: Path, name: str):
    (tmp_path / name).write_text("[]\n")
    with pytest.raises(DataErrors, match="not a data file name"):
        load_dataset(tmp_path)


def test_a_file_that_is_not_a_list_is_refused(tmp_path: Path):
    (tmp_path / "funds.yaml").write_text("id: erdf\n")
    with pytest.raises(DataErrors, match="expected a list of records"):
        load_dataset(tmp_path)


def test_missing_data_folder(tmp_path: Path):
    with pytest.raises(DataErrors, match="data folder not found"):
        load_dataset(tmp_path / "nope")


def test_empty_folder_loads_nothing(tmp_path: Path):
    assert load_dataset(tmp_path).count() == 0
