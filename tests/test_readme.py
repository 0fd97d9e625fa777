"""The README is the manual: its generated parts must match the code, and its commands must
be the ones the project really runs."""

from __future__ import annotations

from pathlib import Path

from tef_harness.config.reference import readme_with_blocks
from tef_harness.engine.registry import discover

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_generated_blocks_are_current() -> None:
    assert readme_with_blocks(README) == README, "run `make docs` to regenerate the README blocks"


def test_every_builtin_check_is_documented() -> None:
    for plugin in discover(third_party=False).plugins:
        assert f"`{plugin.check_id}`" in README


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert "\ndemo:" in makefile and "\ntest:" in makefile


def _documented_params() -> dict[str, dict[str, object]]:
    """``check id -> {key: documented default}`` from the README's check list."""
    import json
    import re

    found: dict[str, dict[str, object]] = {}
    check_id = None
    for line in README.splitlines():
        heading = re.match(r"#### `([a-z_.]+)`", line)
        if heading:
            check_id = heading.group(1)
        elif line.startswith("- params: ") and check_id:
            pairs = re.findall(r"`([a-z_]+)` = (?:`(.*?)`(?=;|$)|none)", line)
            found[check_id] = {k: json.loads(v) if v else None for k, v in pairs}
    return found


def test_every_documented_param_key_is_accepted() -> None:
    """A key the README shows (``feature_schema``, once only accepted as ``schema``) is one
    the check's Params takes, with the documented default as its value."""
    documented = _documented_params()
    plugins = {p.check_id: p.cls for p in discover(third_party=False).plugins}
    assert "robustness.perturbation" in documented and documented.keys() <= plugins.keys()
    for check_id, params in documented.items():
        for key, value in params.items():
            data = {key: value} if value is not None else {}
            plugins[check_id].Params.model_validate(data)  # raises on an unknown key


def test_every_documented_config_key_is_accepted() -> None:
    import re

    from tef_harness.config.schema import TefConfig

    block = README.split("<!-- config:start -->")[1].split("<!-- config:end -->")[0]
    section, checked = "", 0
    for line in block.splitlines():
        title = re.match(r"\*\*\[([a-z]+)\]\*\*", line)
        if title:
            section = title.group(1)
        elif line.startswith("**"):
            section = "-"  # checks, thresholds, waivers: nested tables
        row = re.match(r"\| `([a-z_]+)` \|", line)
        if row and section != "-":
            fields = TefConfig.model_fields[section].annotation.model_fields if section else TefConfig.model_fields
            assert row.group(1) in fields, (section, row.group(1))
            checked += 1
    assert checked >= 20


def test_feature_schema_and_schema_are_both_accepted() -> None:
    from tef_harness.checks.robustness.perturbation import RobustnessPerturbation as Perturbation

    spec = {"x": {"min": 0.0, "max": 1.0}}
    assert Perturbation.Params.model_validate({"feature_schema": spec}) == Perturbation.Params.model_validate(
        {"schema": spec}
    )
