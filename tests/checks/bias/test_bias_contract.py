"""Every bias check keeps the plugin contract and is discovered through its entry point."""

from __future__ import annotations

import pytest

from tef_harness.checks.bias.counterfactual_flip import CounterfactualFlip
from tef_harness.checks.bias.data_representation import DataRepresentation
from tef_harness.checks.bias.group_fairness import GroupFairness
from tef_harness.checks.bias.subgroup_search import SubgroupSearch
from tef_harness.engine.registry import discover
from tef_harness.sdk.context import CAPABILITIES
from tef_harness.testing import assert_check_contract

CHECKS = [GroupFairness, SubgroupSearch, CounterfactualFlip, DataRepresentation]
KNOWN_REQUIREMENTS = {
    "EU-AI-Act:Art10(2)(f)",
    "EU-AI-Act:Art10(3)",
    "EU-AI-Act:Art13(3)(b)(v)",
    "EU-AI-Act:AnnexIV-2(g)",
    "EU-AI-Act:AnnexIV-3",
    "EU-AI-Act:Art15(1)",
}


@pytest.mark.parametrize("check_cls", CHECKS, ids=lambda c: c.id)
def test_contract(check_cls):
    out = assert_check_contract(check_cls)
    assert out is not None, f"{check_cls.id} did not run on the default contract context"
    assert out.status is None, out.reason
    assert out.metrics
    assert check_cls.requires <= set(CAPABILITIES)
    assert set(check_cls.evidence_for) <= KNOWN_REQUIREMENTS


@pytest.mark.parametrize("check_cls", CHECKS, ids=lambda c: c.id)
def test_discovered_through_entry_point(check_cls):
    assert discover().by_id()[check_cls.id].cls is check_cls
