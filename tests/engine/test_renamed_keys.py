"""Renamed config keys: the old name is read through the schema's alias, the loader says so in
one line naming the file (or the command line) and the key, and both names are an error."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from tef_harness.config.loader import load_config
from tef_harness.engine.audit import AuditSpec
from tef_harness.sdk.errors import ConfigError


def test_the_old_key_in_a_pyproject_is_read_and_warned(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.tef.data]\npositive_label = "bad"\n', encoding="utf-8")
    lc = load_config(path, cwd=tmp_path)
    assert lc.config.data.pos_label == "bad"
    assert lc.warnings == (f"{path}: data.positive_label is deprecated: rename it to data.pos_label",)
    # the spec an audit runs from carries the warning to the report, through pickling too
    spec = pickle.loads(pickle.dumps(AuditSpec.from_loaded(lc)))
    assert spec.loaded().warnings == lc.warnings
    assert "positive_label" not in lc.config.model_dump()["data"]


def test_the_old_key_from_flags_names_the_command_line(tmp_path: Path) -> None:
    lc = load_config(None, {"data.positive_label": 0}, cwd=tmp_path)
    assert lc.config.data.pos_label == 0
    assert lc.warnings == ("command line: data.positive_label is deprecated: rename it to data.pos_label",)
    assert load_config(None, {"data.pos_label": 0}, cwd=tmp_path).warnings == ()


def test_both_names_are_an_error_naming_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "tef.toml"
    path.write_text("[data]\npos_label = 1\npositive_label = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path, cwd=tmp_path)
    assert err.value.file == str(path) and err.value.field == "data.positive_label"
    assert str(err.value) == (
        f"{path}: data.positive_label: set data.pos_label only: positive_label is its deprecated name and both are set"
    )


def test_the_evaluator_reads_its_old_key_as_pos_label() -> None:
    pytest.importorskip("mlflow")
    from tef_harness.mlflow_evaluator import _renamed_keys

    with pytest.warns(DeprecationWarning, match="positive_label is deprecated: rename it to pos_label"):
        assert _renamed_keys({"seed": 1, "positive_label": "bad"}) == {"seed": 1, "pos_label": "bad"}
    assert _renamed_keys({"pos_label": "bad"}) == {"pos_label": "bad"}
    with pytest.raises(ConfigError) as err:
        _renamed_keys({"pos_label": "bad", "positive_label": "bad"})
    assert err.value.field == "evaluator_config.positive_label"
