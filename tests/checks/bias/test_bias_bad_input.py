"""The issue's "Bad input" list, for every bias check: a clear error or insufficient evidence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tef_harness.checks.bias.counterfactual_flip import CounterfactualFlip
from tef_harness.checks.bias.data_representation import DataRepresentation, DataRepresentationParams
from tef_harness.checks.bias.group_fairness import GroupFairness, GroupFairnessParams
from tef_harness.checks.bias.subgroup_search import SubgroupSearch, SubgroupSearchParams
from tef_harness.sdk.errors import ConfigError, IntakeError
from tef_harness.testing import make_context, synthetic_frame

CHECKS = [GroupFairness, SubgroupSearch, CounterfactualFlip, DataRepresentation]


@pytest.mark.parametrize("check_cls", CHECKS, ids=lambda c: c.id)
def test_missing_sensitive_column_is_a_clear_error(check_cls):
    ctx = make_context(synthetic_frame(300), sensitive=("sex", "race"))
    with pytest.raises(IntakeError, match=r"<memory:eval>: data\.sensitive: column\(s\) 'race' not found"):
        check_cls().bind(ctx, check_cls.Params())


def test_subgroup_column_missing_is_a_clear_error():
    ctx = make_context(synthetic_frame(300))
    with pytest.raises(ConfigError, match="columns: column") as err:
        SubgroupSearch().bind(ctx, SubgroupSearchParams(columns=("nope",)))
    assert err.value.field == "columns"


def _single_group():
    frame = synthetic_frame(600)
    frame["sex"] = "F"
    return make_context(frame, sensitive=("sex",))


def test_single_group_feature_group_fairness():
    out = GroupFairness().run(_single_group(), GroupFairnessParams())
    assert out.status == "insufficient_evidence" and "primary criterion" in out.reason
    assert not out.metrics and [f.code for f in out.findings] == ["BIAS002"]


def test_single_group_feature_other_checks():
    ctx = _single_group()
    assert SubgroupSearch().run(ctx, SubgroupSearchParams()).status == "insufficient_evidence"
    cf = CounterfactualFlip().run(ctx, CounterfactualFlip.Params())
    assert cf.status == "insufficient_evidence" and cf.findings[0].code == "BIAS022"
    rep = DataRepresentation().run(ctx, DataRepresentationParams())
    assert next(m for m in rep.metrics if m.name == "share/sex/F").value == 1.0
    assert rep.details["sets"]["sex"]["base_rate_difference"] is None


def _all_positive(fixed_context):
    frame = synthetic_frame(600)
    frame["y"] = 1
    pred = np.random.default_rng(0).integers(0, 2, size=len(frame))
    return fixed_context(frame, pred)


def test_all_positive_labels(fixed_context):
    ctx = _all_positive(fixed_context)
    out = GroupFairness().run(ctx, GroupFairnessParams(primary="equalized_odds"))
    assert out.status == "insufficient_evidence"
    names = {m.name.split("/")[0] for m in out.metrics}
    assert "dp_difference" in names and "eo_difference" not in names and "fpr_difference" not in names
    assert any(f.code == "BIAS002" for f in out.findings)
    assert all("negatives" in f.data["short_of"] for f in out.findings if f.code == "BIAS001")
    # every group lacks negatives: equalized odds is undefined (not a number, not a failure)
    assert "no" not in out.undefined and "eo_difference/sex" in out.undefined
    # demographic parity over the single columns compares every group: judged
    ok = GroupFairness().run(ctx, GroupFairnessParams(primary="demographic_parity", max_intersection=1))
    assert ok.status is None
    assert SubgroupSearch().run(ctx, SubgroupSearchParams(metric="fpr")).status == "insufficient_evidence"


def test_a_category_filtered_away_is_not_a_group(fixed_context):
    """Groups are observed values: an unused category is not a zero-row group (issue 14);
    its absence against a declared reference population is BIAS031's business."""
    frame = synthetic_frame(900)
    frame["age_group"] = pd.Categorical(frame["age_group"])
    frame = frame[frame["age_group"] != "50+"].reset_index(drop=True)
    assert "50+" in frame["age_group"].cat.categories
    pred = np.random.default_rng(1).integers(0, 2, size=len(frame))
    ctx = fixed_context(frame, pred)
    out = GroupFairness().run(ctx, GroupFairnessParams())
    assert not [f for f in out.findings if "50+" in (f.location or "")]
    assert "50+" not in (out.reason or "")  # the filtered-away category makes nothing insufficient
    assert any(m.name == "dp_difference/age_group" for m in out.metrics)
    plain = GroupFairness().run(fixed_context(frame.assign(age_group=frame["age_group"].astype(str)), pred),
                                GroupFairnessParams())
    assert [(m.name, m.value) for m in out.metrics] == [(m.name, m.value) for m in plain.metrics]
    assert out.status == plain.status
    rep = DataRepresentation().run(ctx, DataRepresentationParams(reference={"age_group": {"50+": 0.2}}))
    assert any(f.code == "BIAS031" and f.severity == "high" for f in rep.findings)
    assert next(m for m in rep.metrics if m.name == "share/age_group/50_x2B").value == 0.0


def test_multiclass_is_not_applicable_with_the_reason(fixed_context):
    frame = synthetic_frame(600)
    frame["y"] = np.random.default_rng(2).integers(0, 3, size=len(frame))
    ctx = fixed_context(frame, frame["y"].to_numpy(), classes=(0, 1, 2))
    assert ctx.task == "multiclass"
    for check in (GroupFairness(), SubgroupSearch()):
        reason = check.bind(ctx, check.Params())
        assert reason is not None and reason.startswith("multiclass: not yet supported (3 classes")
    # defined for any classifier: they still apply
    assert CounterfactualFlip().bind(ctx, CounterfactualFlip.Params()) is None
    assert DataRepresentation().bind(ctx, DataRepresentationParams()) is None


def test_classification_metric_on_regression_is_a_clear_error(fixed_context):
    frame = synthetic_frame(300)
    frame["y"] = frame["income"]
    ctx = fixed_context(frame, frame["income"].to_numpy(), task="regression")
    with pytest.raises(ConfigError, match="does not apply to a regression task") as err:
        SubgroupSearch().bind(ctx, SubgroupSearchParams(metric="tpr"))
    assert err.value.field == "metric"
    with pytest.raises(ConfigError, match="primary criterion") as err:
        GroupFairness().bind(ctx, GroupFairnessParams(primary="equalized_odds"))
    assert err.value.field == "primary"


@pytest.mark.parametrize("check_cls", [GroupFairness, DataRepresentation], ids=lambda c: c.id)
def test_ungrouped_sensitive_column_is_a_clear_error(check_cls):
    frame = synthetic_frame(400)
    ctx = make_context(frame, sensitive=("income",))
    with pytest.raises(IntakeError, match=r"<memory:eval>: data\.sensitive: sensitive column 'income' has .* distinct"):
        check_cls().bind(ctx, check_cls.Params())
