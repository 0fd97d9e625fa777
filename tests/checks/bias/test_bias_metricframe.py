"""``extra_metrics`` of bias.group_fairness: metrics the count-based fast path does not cover,
computed through fairlearn's MetricFrame, equal to a direct fairlearn computation; where the
fast path also applies (TPR, selection rate) both give the same numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame, false_negative_rate, mean_prediction, true_positive_rate
from sklearn.metrics import balanced_accuracy_score, r2_score

from tef_harness.checks.bias.group_fairness import GroupFairness, GroupFairnessParams
from tef_harness.sdk.errors import ConfigError
from tests.checks.bias.bias_views_testkit import group_rows
from tests.checks.bias.conftest import random_frame


def _value(out, name: str) -> float:
    return next(m.value for m in out.metrics if m.name == name)


def test_false_negative_rate_and_balanced_accuracy_equal_fairlearn(fixed_context) -> None:
    frame, pred = random_frame(3000, 7)
    ctx = fixed_context(frame, pred)
    params = GroupFairnessParams(extra_metrics=("false_negative_rate", "balanced_accuracy_score"))
    out = GroupFairness().run(ctx, params)
    for column in ("sex", "age_group"):
        for name, fn in (("false_negative_rate", false_negative_rate), ("balanced_accuracy_score",
                                                                        balanced_accuracy_score)):
            direct = MetricFrame(metrics=fn, y_true=frame["y"], y_pred=pred, sensitive_features=frame[column])
            got = out.details["extra_metrics"][column][name]
            assert got == pytest.approx({str(k): v for k, v in direct.by_group.items()}, abs=1e-12)
            assert _value(out, f"{name}_difference/{column}") == pytest.approx(direct.difference(), abs=1e-12)
    # the intersection, grouped as fairlearn groups by two columns
    direct = MetricFrame(metrics=false_negative_rate, y_true=frame["y"], y_pred=pred,
                         sensitive_features=frame[["sex", "age_group"]])
    assert _value(out, "false_negative_rate_difference/sex_x_age_group") == pytest.approx(
        direct.difference(), abs=1e-12
    )


def test_metricframe_and_the_fast_path_agree_where_both_apply(fixed_context) -> None:
    frame, pred = random_frame(2000, 3)
    out = GroupFairness().run(fixed_context(frame, pred), GroupFairnessParams(extra_metrics=("true_positive_rate",)))
    fast = {row["group"]: row["tpr"] for row in group_rows(out, "sex")}
    via_fairlearn = out.details["extra_metrics"]["sex"]["true_positive_rate"]
    assert via_fairlearn == pytest.approx(fast, abs=1e-12)
    assert _value(out, "true_positive_rate_difference/sex") == pytest.approx(_value(out, "eop_difference/sex"),
                                                                              abs=1e-12)
    direct = MetricFrame(metrics=true_positive_rate, y_true=frame["y"], y_pred=pred, sensitive_features=frame["sex"])
    assert via_fairlearn == pytest.approx(dict(direct.by_group), abs=1e-12)


def test_regression_metrics_equal_fairlearn(fixed_context) -> None:
    rng = np.random.default_rng(5)
    n = 1500
    frame = pd.DataFrame({"sex": rng.choice(["F", "M"], size=n), "age_group": rng.choice(["a", "b"], size=n)})
    frame["y"] = rng.normal(size=n) + (frame["sex"] == "F")
    pred = frame["y"].to_numpy() + rng.normal(scale=0.5, size=n)
    ctx = fixed_context(frame, pred, task="regression")
    out = GroupFairness().run(ctx, GroupFairnessParams(extra_metrics=("r2_score", "mean_prediction")))
    for name, fn in (("r2_score", r2_score), ("mean_prediction", mean_prediction)):
        direct = MetricFrame(metrics=fn, y_true=frame["y"], y_pred=pred, sensitive_features=frame["sex"])
        assert out.details["extra_metrics"]["sex"][name] == pytest.approx(dict(direct.by_group), abs=1e-12)
        assert _value(out, f"{name}_difference/sex") == pytest.approx(direct.difference(), abs=1e-12)


def test_an_unknown_metric_name_is_refused_before_the_run() -> None:
    with pytest.raises(ConfigError, match="unknown metric 'false_negatve_rate'"):
        GroupFairnessParams(extra_metrics=("false_negatve_rate",))
    with pytest.raises(ConfigError, match="unknown metric 'make_scorer'"):
        GroupFairnessParams(extra_metrics=("make_scorer",))


def test_a_spread_over_fewer_than_two_sizeable_groups_is_undefined_not_zero(fixed_context) -> None:
    frame, pred = random_frame(500, 2)
    out = GroupFairness().run(
        fixed_context(frame, pred), GroupFairnessParams(extra_metrics=("false_negative_rate",), min_group_size=400)
    )
    assert "false_negative_rate_difference/sex" not in {m.name for m in out.metrics}
    assert out.undefined["false_negative_rate_difference/sex"] == (
        "0 group(s) with at least 400 rows and a defined false_negative_rate"
    )
    # the per-group values are still reported, as fairlearn computes them
    direct = MetricFrame(metrics=false_negative_rate, y_true=frame["y"], y_pred=pred, sensitive_features=frame["sex"])
    assert out.details["extra_metrics"]["sex"]["false_negative_rate"] == pytest.approx(dict(direct.by_group))
