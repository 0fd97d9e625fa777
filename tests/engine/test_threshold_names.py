"""A config threshold on a metric name its check declares it never measures is refused before
the run; a pattern, and every name of a check that does not declare its names, is not."""

from __future__ import annotations

import pytest

from tef_harness.checks.bias.group_fairness import GroupFairness
from tef_harness.checks.performance.metrics import PerformanceMetrics
from tef_harness.checks.privacy.mia import MembershipInference
from tef_harness.config.schema import CheckSettings, ThresholdSpec
from tef_harness.engine.threshold_names import check_threshold_names
from tef_harness.sdk.errors import ConfigError


def _settings(*names: str) -> CheckSettings:
    return CheckSettings(thresholds=tuple(ThresholdSpec(metric=n, min=0.5) for n in names))


def test_the_declared_names_are_what_the_checks_report() -> None:
    # written out from the checks' documentation (README check list), not from their code
    assert set(PerformanceMetrics.metric_names or ()) == {
        "accuracy", "balanced_accuracy", "balanced_accuracy_lift", "precision", "recall", "f1", "roc_auc",
        "log_loss", "brier", "ece", "calibration_error", "mae", "rmse", "r2",
    }
    assert MembershipInference.metric_names == (
        "auc", "advantage", "tpr_at_fpr_1pct", "tpr_at_fpr_0.1pct", "epsilon_lower_bound"
    )
    assert GroupFairness.metric_names is None  # its names hold column and group values


def test_a_misspelt_name_is_refused_naming_the_field_and_the_closest_names() -> None:
    with pytest.raises(ConfigError) as raised:
        check_threshold_names("performance.metrics", PerformanceMetrics, _settings("accuracy", "roc_aucc"), "tef.toml")
    assert str(raised.value) == (
        'tef.toml: checks."performance.metrics".thresholds[1].metric: '
        "performance.metrics measures no metric named 'roc_aucc' (closest: roc_auc)"
    )
    with pytest.raises(ConfigError) as raised:
        check_threshold_names("privacy.membership_inference", MembershipInference, _settings("tpr_at_1pct"), "t.toml")
    assert "(closest: tpr_at_fpr_1pct, tpr_at_fpr_0.1pct)" in str(raised.value)


def test_a_name_close_to_nothing_lists_every_declared_name() -> None:
    with pytest.raises(ConfigError) as raised:
        check_threshold_names("privacy.membership_inference", MembershipInference, _settings("zzz"), "t.toml")
    assert str(raised.value).endswith(
        "(known: auc, advantage, tpr_at_fpr_1pct, tpr_at_fpr_0.1pct, epsilon_lower_bound)"
    )


@pytest.mark.parametrize(
    ("cls", "names"),
    [
        (PerformanceMetrics, ("roc_auc", "r2", "f*", "calibration_?rror")),  # known names and patterns
        (GroupFairness, ("dp_diference/sex",)),  # undeclared: left to the judge after the run
    ],
)
def test_what_is_accepted(cls, names) -> None:
    check_threshold_names(cls.id, cls, _settings(*names), "tef.toml")
    check_threshold_names(cls.id, cls, None, "tef.toml")
