"""The details adapter: plot data equals the details' numbers, and odd shapes cost a plot,
never the report."""

from __future__ import annotations

import pytest

from tef_harness.reports.views import _BY_CHECK, view_of
from tef_harness.sdk.results import Interval, Metric, Status, ThresholdOutcome
from tests.reports.conftest import make_result


def test_group_rates_and_threshold_line() -> None:
    groups = [
        {"group": "f", "count": 100, "selection_rate": 0.4, "selection_rate_ci": [0.3, 0.5], "tpr": 0.6},
        {"group": "m", "count": 120, "selection_rate": 0.25, "selection_rate_ci": [0.2, 0.31]},
    ]
    thr = ThresholdOutcome(metric="dp_difference/sex", on="upper", max=0.1, observed=0.2, passed=False, source="x")
    r = make_result(
        "bias.group_fairness", Status.FAILED, details={"sets": {"sex": {"groups": groups}}}, thresholds=(thr,)
    )
    view = view_of(r)
    (plot,) = view.plots
    rates = plot.series[0]
    assert [(p.label, p.value, p.low, p.high, p.n) for p in rates.points] == [
        ("f", 0.4, 0.3, 0.5, 100),
        ("m", 0.25, 0.2, 0.31, 120),
    ]
    assert plot.series[1].name == "TPR" and [p.value for p in plot.series[1].points] == [0.6]
    # the line sits the allowed gap below the highest selection rate: 0.4 - 0.1
    assert plot.refs[0].value == pytest.approx(0.3)
    assert view.tables[0].rows[0][:2] == ("f", "100")


def test_mia_roc_from_operating_points() -> None:
    metrics = (
        Metric(name="auc", value=0.8),
        Metric(name="tpr_at_fpr_1pct", value=0.2, ci=Interval(low=0.1, high=0.3), n=5000),
        Metric(name="tpr_at_fpr_0.1pct", value=0.05),
    )
    (plot,) = view_of(make_result("privacy.membership_inference", Status.FAILED, metrics=metrics)).plots
    assert plot.kind == "roc"
    assert [(float(p.label), p.value) for p in plot.series[0].points] == [(0.01, 0.2), (0.001, 0.05)]


def test_completeness_counts_by_group() -> None:
    items = [
        {"id": "A", "group": "annex_iv", "state": "present", "complete": True},
        {"id": "B", "group": "annex_iv", "state": "missing", "complete": False},
        {"id": "C", "group": "art13", "state": "present", "complete": True},
    ]
    view = view_of(make_result("documentation.completeness", Status.FAILED, details={"items": items}))
    counts = {s.name: {p.label: p.value for p in s.points} for s in view.plots[0].series}
    assert counts["present"] == {"annex_iv": 1.0, "art13": 1.0}
    assert counts["missing"] == {"annex_iv": 1.0, "art13": 0.0}
    assert [row[0] for row in view.tables[0].rows] == ["B"]


@pytest.mark.parametrize(
    "details",
    [
        {"sets": "not a dict"},
        {"sets": {"sex": {"groups": [None, 3, {"group": "a", "selection_rate": "high"}]}}},
        {"sets": {"sex": {"groups": [{"group": "a", "selection_rate": float("nan")}]}}},
        {"curves": {"noise": [{"severity": "one", "flip_rate": {"value": 0.1}}]}},
        {"items": [{"state": None}]},
    ],
    ids=["sets-not-dict", "junk-rows", "nan", "bad-severity", "item-without-group"],
)
@pytest.mark.parametrize(
    "check_id", ["bias.group_fairness", "robustness.perturbation", "documentation.completeness"]
)
def test_odd_details_never_raise(details: dict, check_id: str) -> None:
    # the family's builder itself, without view_of's last-resort guard: the readers must cope
    view = _BY_CHECK[check_id](make_result(check_id, Status.FAILED, details=details))
    for plot in view.plots:
        assert all(s.points for s in plot.series)
