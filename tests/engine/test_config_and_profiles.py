from __future__ import annotations

from pathlib import Path

import pytest

from tef_harness.config.loader import find_config, load_config
from tef_harness.config.policy import load_policy_profile, merge_settings, shipped_policy_profiles
from tef_harness.config.schema import CheckSettings, ThresholdSpec
from tef_harness.sdk.errors import ConfigError


def test_typo_names_file_and_dotted_field(tmp_path: Path) -> None:
    p = tmp_path / "tef.toml"
    p.write_text('[data]\ntargte = "y"\n')
    with pytest.raises(ConfigError) as e:
        load_config(p)
    assert str(e.value).startswith(f"{p}: data.targte: extra inputs are not permitted")


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    p = tmp_path / "tef.toml"
    p.write_text("[data\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(p)


def test_threshold_needs_a_bound_and_waiver_a_target(tmp_path: Path) -> None:
    p = tmp_path / "tef.toml"
    p.write_text('[checks."a.b"]\nthresholds = [{ metric = "x" }]\n')
    with pytest.raises(ConfigError, match="a threshold needs min or max"):
        load_config(p)
    p.write_text('[[waivers]]\nreason = "because"\nowner = "me"\n')
    with pytest.raises(ConfigError, match="needs a check id or a finding code"):
        load_config(p)


def test_find_config_prefers_nearest_and_skips_pyproject_without_tool_tef(tmp_path: Path) -> None:
    (tmp_path / "tef.toml").write_text("seed = 1\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find_config(tmp_path / "a") == tmp_path / "tef.toml"
    (tmp_path / "a" / "pyproject.toml").write_text("[tool.tef]\nseed = 2\n")
    found = find_config(tmp_path / "a")
    assert found == tmp_path / "a" / "pyproject.toml"
    assert load_config(found).config.seed == 2


def test_overrides_and_relative_paths(tmp_path: Path) -> None:
    p = tmp_path / "tef.toml"
    p.write_text('seed = 1\n[data]\npath = "d.csv"\n')
    lc = load_config(p, {"seed": 7, "data.target": "y"})
    assert lc.config.seed == 7 and lc.config.data.target == "y"
    assert lc.path(lc.config.data.path) == tmp_path.resolve() / "d.csv"


def test_every_shipped_profile_loads() -> None:
    for name in shipped_policy_profiles():
        profile, source = load_policy_profile(name, Path("."))
        assert profile.name == name and source == f"builtin:{name}"


def test_profile_file_with_unknown_key(tmp_path: Path) -> None:
    p = tmp_path / "mine.toml"
    p.write_text('name = "mine"\nversion = "1"\nrequired_check = ["a.b"]\n')
    with pytest.raises(ConfigError, match="required_check"):
        load_policy_profile(str(p), tmp_path)


def test_merge_settings_item_by_item() -> None:
    profile = CheckSettings(
        params={"a": 1, "b": 2}, thresholds=(ThresholdSpec(metric="m", min=0.5), ThresholdSpec(metric="k", max=1))
    )
    user = CheckSettings(params={"b": 3}, thresholds=(ThresholdSpec(metric="m", min=0.7),))
    merged, sources = merge_settings(profile, user)
    assert merged.params == {"a": 1, "b": 3}
    assert [(t.metric, t.min, t.max) for t in merged.thresholds] == [("k", None, 1), ("m", 0.7, None)]
    assert sources == {0: "profile", 1: "config"}


def test_policy_profiles_list_every_documentation_requirement() -> None:
    import importlib.util

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("gen_policy_profiles", root / "tools/gen_policy_profiles.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    expected = [i for i, _ in gen.ARTICLES_BEFORE + gen.documentation_requirements() + gen.ARTICLES_AFTER]
    for name in ("default", "eu-ai-act-high-risk"):
        ids = [r.id for r in load_policy_profile(name, Path("."))[0].requirements]
        assert ids[: len(expected)] == expected, f"run tools/gen_policy_profiles.py ({name})"
