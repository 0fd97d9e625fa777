"""Shipped profiles, user profiles (strict, errors with lines), and the card template."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from documentation_testkit import context

from tef_harness.checks.documentation import card_template, load_documentation_profile, shipped_documentation_profiles
from tef_harness.checks.documentation.completeness import (
    ANNEX_IV_EVIDENCE,
    CompletenessParams,
    DocumentationCompleteness,
)
from tef_harness.sdk.errors import ConfigError

CHECKLIST = Path(__file__).resolve().parents[4] / "shared" / "reference" / "annex_iv_checklist.yaml"


def test_shipped_profiles():
    assert {"eu-ai-act-annex-iv", "model-card", "hf-model-card", "datasheet"} <= set(shipped_documentation_profiles())
    for name in shipped_documentation_profiles():
        profile, source = load_documentation_profile(name)
        assert profile.name == name and source == f"builtin:{name}"


def test_eu_profile_covers_annex_iv_ifu_and_annex_v():
    profile, _ = load_documentation_profile("eu-ai-act-annex-iv")
    ids = [i.id for i in profile.items]
    assert sum(i.startswith("AIV-") for i in ids) == 26
    assert sum(i.startswith("IFU-") for i in ids) == 12
    assert sum(i.startswith("AV-") for i in ids) == 8
    assert all(profile.item(f"AV-{k}").within == "AIV-8" for k in range(1, 9))
    # every requirement an item names is one the check declares evidence for, or an IFU point
    for item in profile.items:
        assert item.requirement in ANNEX_IV_EVIDENCE or item.requirement.startswith("EU-AI-Act:Art13(3)")
    assert {i.requirement for i in profile.items} >= set(ANNEX_IV_EVIDENCE) - {"EU-AI-Act:Art11"}


@pytest.mark.skipif(not CHECKLIST.is_file(), reason="shared checklist not available")
def test_eu_profile_matches_the_shared_checklist():
    checklist = yaml.safe_load(CHECKLIST.read_text())
    profile, _ = load_documentation_profile("eu-ai-act-annex-iv")
    for entry in checklist["items"]:
        item = profile.item(entry["id"])
        assert item.requirement == f"EU-AI-Act:AnnexIV-{entry['point']}"
        assert item.na_allowed == (entry["check"] == "presence_or_na")
    ifu = {e["id"] for e in checklist["art_13_3_instructions_for_use"]}
    av = {e["id"] for e in checklist["annex_v_declaration_of_conformity"]}
    assert ifu | av <= {i.id for i in profile.items}


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "my-profile.yaml"
    path.write_text(text)
    return str(path)


GOOD = """\
name: my-profile
version: "2"
title: In-house minimum
items:
  - id: purpose
    title: Purpose
    hint: What the model is for.
  - id: owner
    title: Owner
    hint: Who answers for it.
    headings: [Contact, Maintainer]
"""


def test_user_profile_from_path(tmp_path):
    profile, source = load_documentation_profile(_write(tmp_path, GOOD))
    assert profile.name == "my-profile" and source.endswith("my-profile.yaml")
    ctx = context({"card": "# Card\n\n## Purpose\nScores loans.\n\n## Maintainer\nRisk team.\n"})
    out = DocumentationCompleteness().run(ctx, CompletenessParams(profile=source))
    assert out.metrics[0].name == "completeness" and out.metrics[0].value == 1.0


@pytest.mark.parametrize(
    ("text", "field", "line"),
    [
        (GOOD.replace("    headings: [Contact, Maintainer]", "    headngs: [Contact]"), "items.1.headngs", 11),
        (GOOD + "colour: blue\n", "colour", 12),
        (GOOD.replace('version: "2"\n', ""), "version", None),
    ],
    ids=["unknown-item-key", "unknown-top-key", "missing-key"],
)
def test_bad_user_profile_names_file_field_and_line(tmp_path, text, field, line):
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_documentation_profile(path)
    assert err.value.file == path
    assert err.value.field == field
    if line is not None:
        assert f"line {line}" in str(err.value)
    if "unknown" in field or field == "colour":
        assert "unknown key" in str(err.value)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("  - id: purpose\n    title: Again\n    hint: dup\n", "duplicate item id"),
        ("  - id: child\n    title: C\n    hint: c\n    within: nowhere\n", "must name an item listed before"),
    ],
)
def test_inconsistent_profile(tmp_path, extra, message):
    with pytest.raises(ConfigError, match=message):
        load_documentation_profile(_write(tmp_path, GOOD + extra))


def test_invalid_yaml_profile(tmp_path):
    with pytest.raises(ConfigError, match="line 2: invalid YAML: mapping values are not allowed"):
        load_documentation_profile(_write(tmp_path, "name: x\ntitle: a: b\n"))


def test_unknown_names_and_missing_files():
    with pytest.raises(ConfigError, match="unknown documentation profile 'eu-ai-act'"):
        load_documentation_profile("eu-ai-act")
    with pytest.raises(ConfigError, match="not found"):
        load_documentation_profile("no/such/profile.yaml")
    # the check's Params fail at plan time, before anything runs
    with pytest.raises(ConfigError):
        CompletenessParams(profile="no-such-profile")


@pytest.mark.parametrize("name", ["eu-ai-act-annex-iv", "model-card", "hf-model-card", "datasheet"])
def test_untouched_template_is_all_placeholders(name):
    template = card_template(name)
    profile, _ = load_documentation_profile(name)
    for item in profile.items:
        if item.front_matter_only:
            # read from the metadata only: the template asks for the key, not a section
            assert re.search(rf"\n{re.escape(item.front_matter[0])}:.*\n?.*\[More Information Needed\]", template)
        else:
            assert f"# {item.title}\n" in template
        assert item.hint in template
    ctx = context({"card": template})
    out = DocumentationCompleteness().run(ctx, CompletenessParams(profile=name))
    assert out.details["counts"] == {"missing": 0, "placeholder": len(profile.items), "present": 0, "not_applicable": 0}


def test_filled_template_is_complete():
    template = card_template("model-card")
    # a results section holds a value (a section of results without one only names them)
    filled = template.replace("[More Information Needed]", "Written by the model owner in full: 0.91 in 2024.")
    out = DocumentationCompleteness().run(context({"card": filled}), CompletenessParams(profile="model-card"))
    assert out.details["counts"]["present"] == 11 and not out.findings
