"""ART is the optional extra ``tef-harness[art]``: asking for its method without it installed
is one line naming the field and the install command, before any check runs."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tef_harness.config.loader import load_config
from tef_harness.config.policy import load_policy_profile
from tef_harness.engine.planning import make_plan
from tef_harness.engine.registry import discover
from tef_harness.sdk.errors import ConfigError

CONFIG = '[checks."robustness.adversarial".params]\nmethod = "art_hopskipjump"\n'


def _plan(tmp_path: Path) -> None:
    (tmp_path / "tef.toml").write_text(CONFIG, encoding="utf-8")
    lc = load_config(tmp_path / "tef.toml")
    profile, _ = load_policy_profile("default", tmp_path)
    make_plan(lc, profile, discover(third_party=False))


def test_art_method_without_art_is_a_one_line_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "art", None)  # what find_spec sees when ART is not installed
    assert importlib.util.find_spec("art") is None
    with pytest.raises(ConfigError) as info:
        _plan(tmp_path)
    line = info.value.one_line()
    assert "\n" not in line
    assert 'checks."robustness.adversarial".params.method' in line
    assert "pip install 'tef-harness[art]'" in line


@pytest.mark.skipif(importlib.util.find_spec("art") is None, reason="the art extra is not installed")
def test_art_method_with_art_installed_plans(tmp_path: Path) -> None:
    _plan(tmp_path)
