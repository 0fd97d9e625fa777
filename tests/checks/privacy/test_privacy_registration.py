"""The privacy checks register through entry points, like any third-party plugin."""

from __future__ import annotations

import pytest

from tef_harness.sdk.check import metadata_problems
from tef_harness.sdk.context import CAPABILITIES
from tef_harness.testing import discovered_check_classes

PRIVACY_IDS = {
    "privacy.pii_in_data",
    "privacy.pii_in_documentation",
    "privacy.membership_inference",
    "privacy.output_leakage",
}


def _privacy_classes():
    return [c for c in discovered_check_classes() if c.id.startswith("privacy.")]


def test_all_four_checks_are_discovered():
    assert {c.id for c in _privacy_classes()} == PRIVACY_IDS


@pytest.mark.parametrize("check_cls", _privacy_classes(), ids=lambda c: c.id)
def test_metadata(check_cls):
    assert metadata_problems(check_cls) == []
    assert check_cls.family == "privacy" and check_cls.description
    assert check_cls.requires <= set(CAPABILITIES)
    assert check_cls.evidence_for
    assert check_cls.Params.model_config.get("extra") == "forbid"
