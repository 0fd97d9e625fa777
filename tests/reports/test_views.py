"""The views adapter: plot data equals the typed views' numbers, threshold lines are picked by
the metrics' dimensions, and odd details shapes (families still read from details) cost a
plot, never the report."""

from __future__ import annotations

import pytest

from tef_harness.reports.views import _BY_CHECK, view_of
from tef_harness.sdk.dimensions import Dimensions
from tef_harness.sdk.results import Metric, Status, ThresholdOutcome
from tef_harness.sdk.views import Curve, CurvePoint, GroupRow, GroupTable, ItemState, ItemStates, Measured
from tests.reports.conftest import make_result


def _row(group: str, count: int, *measures: Measured) -> GroupRow:
    return GroupRow(group=(group,), count=count, measures=measures)


def test_group_rates_and_threshold_line() -> None:
    table = GroupTable(
        sensitive_set=("sex",),
        rows=(
            _row(
                "f",
                100,
                Measured(measure="selection_rate", value=0.4, low=0.3, high=0.5),
                Measured(measure="tpr", value=0.6),
            ),
            _row("m", 120, Measured(measure="selection_rate", value=0.25, low=0.2, high=0.31)),
        ),
    )
    gap = Metric(dims=Dimensions(criterion="dp_difference", sensitive_set=("sex",)), value=0.2)
    other = Metric(dims=Dimensions(criterion="dp_difference", sensitive_set=("age",)), value=0.05)
    thr = ThresholdOutcome(metric=gap.name, on="upper", max=0.1, observed=0.2, passed=False, source="x")
    thr_other = ThresholdOutcome(metric=other.name, on="upper", max=0.3, observed=0.05, passed=True, source="x")
    r = make_result(
        "bias.group_fairness",
        Status.FAILED,
        metrics=(gap, other),
        views=(table,),
        thresholds=(thr_other, thr),
    )
    view = view_of(r)
    (plot,) = view.plots
    rates = plot.series[0]
    assert [(p.label, p.value, p.low, p.high, p.n) for p in rates.points] == [
        ("f", 0.4, 0.3, 0.5, 100),
        ("m", 0.25, 0.2, 0.31, 120),
    ]
    assert plot.series[1].name == "TPR" and [p.value for p in plot.series[1].points] == [0.6]
    # the line sits the allowed gap below the highest selection rate: 0.4 - 0.1 (the bound on
    # the other set's metric is not drawn here)
    assert [ref.value for ref in plot.refs] == [pytest.approx(0.3)]
    assert view.tables[0].rows[0][:2] == ("f", "100")


def test_perturbation_curves_by_family_with_threshold_lines() -> None:
    curve = Curve(
        measure="flip_rate",
        series="gaussian_noise",
        x_label="severity",
        y_label="flip rate",
        points=(CurvePoint(x=1, y=0.01, low=0.0, high=0.02, n=500), CurvePoint(x=2, y=0.04, n=500)),
        level=0.95,
    )
    flip = Metric(dims=Dimensions(criterion="flip_rate", family="gaussian_noise", severity=2), value=0.04)
    thr = ThresholdOutcome(metric=flip.name, on="upper", max=0.1, observed=0.05, passed=True, source="x")
    (plot,) = view_of(make_result("robustness.perturbation", metrics=(flip,), views=(curve,), thresholds=(thr,))).plots
    assert plot.series[0].name == "gaussian_noise"
    assert [(p.label, p.value, p.low, p.high, p.n) for p in plot.series[0].points] == [
        ("1", 0.01, 0.0, 0.02, 500),
        ("2", 0.04, None, None, 500),
    ]
    assert [r.value for r in plot.refs] == [0.1] and plot.caption == "whiskers: 95% intervals"


def test_mia_roc_from_the_curve_view() -> None:
    roc = Curve(
        measure="tpr",
        series="attack",
        x_label="false-positive rate",
        y_label="true-positive rate",
        points=(CurvePoint(x=0.001, y=0.0), CurvePoint(x=0.01, y=0.2), CurvePoint(x=0.1, y=0.5)),
    )
    (plot,) = view_of(make_result("privacy.membership_inference", Status.FAILED, views=(roc,))).plots
    assert plot.kind == "roc"
    # a zero TPR has no place on log axes
    assert [(float(p.label), p.value) for p in plot.series[0].points] == [(0.01, 0.2), (0.1, 0.5)]


def test_adversarial_curve_with_its_threshold_line() -> None:
    curve = Curve(
        measure="robust_accuracy",
        series="attack",
        x_label="epsilon",
        y_label="robust accuracy",
        points=(CurvePoint(x=0.01, y=0.9, n=200), CurvePoint(x=0.05, y=0.6, n=200)),
    )
    acc = Metric(name="robust_accuracy", value=0.6)
    thr = ThresholdOutcome(metric="robust_accuracy", on="lower", min=0.5, observed=0.55, passed=True, source="x")
    (plot,) = view_of(make_result("robustness.adversarial", metrics=(acc,), views=(curve,), thresholds=(thr,))).plots
    assert [(p.label, p.value) for p in plot.series[0].points] == [("0.01", 0.9), ("0.05", 0.6)]
    assert [r.value for r in plot.refs] == [0.5]


def test_pii_points_by_dimensions() -> None:
    metrics = (
        Metric(
            dims=Dimensions(criterion="pii_rate", data_role="eval", feature="notes", entity_type="EMAIL_ADDRESS"),
            value=0.1,
        ),
        Metric(dims=Dimensions(criterion="pii_rate", data_role="eval", item="any"), value=0.2),
    )
    (plot,) = view_of(make_result("privacy.pii_in_data", Status.FAILED, metrics=metrics)).plots
    assert [(p.label, p.value) for p in plot.series[0].points] == [("eval/notes/EMAIL_ADDRESS", 0.1)]


def test_completeness_counts_by_group() -> None:
    items = ItemStates(
        profile="p",
        items=(
            ItemState(id="A", title="a", group="annex_iv", state="present", complete=True),
            ItemState(id="B", title="b", group="annex_iv", state="missing", complete=False),
            ItemState(id="C", title="c", group="art13", state="present", complete=True),
        ),
    )
    view = view_of(make_result("documentation.completeness", Status.FAILED, views=(items,)))
    counts = {s.name: {p.label: p.value for p in s.points} for s in view.plots[0].series}
    assert counts["present"] == {"annex_iv": 1.0, "art13": 1.0}
    assert counts["missing"] == {"annex_iv": 1.0, "art13": 0.0}
    assert [row[0] for row in view.tables[0].rows] == ["B"]


@pytest.mark.parametrize(
    "details",
    [
        {"subgroups": "not a list", "attributes": [], "curve": {}, "calibration": 3, "claims": None},
        {"subgroups": [None, 3, {"subgroup": "a", "rate": "high"}], "attributes": {"sex": {"pairs": [None, 1]}}},
        {"curve": [{"epsilon": float("nan"), "robust_accuracy": 0.5}], "calibration": [{"mean_predicted": "x"}]},
        {"attributes": {"sex": "pairs"}, "cases": [{"case": None}], "claims": [{"declared": "high"}]},
    ],
    ids=["wrong-containers", "junk-rows", "nan", "wrong-leaves"],
)
@pytest.mark.parametrize(
    "check_id",
    [
        "bias.subgroup_search",
        "bias.counterfactual_flip",
        "robustness.adversarial",
        "robustness.input_resilience",
        "documentation.consistency",
        "performance.metrics",
    ],
)
def test_odd_details_never_raise(details: dict, check_id: str) -> None:
    # the family's builder itself, without view_of's last-resort guard: the readers must cope
    view = _BY_CHECK[check_id](make_result(check_id, Status.FAILED, details=details))
    for plot in view.plots:
        assert all(s.points for s in plot.series)


def test_the_four_fifths_bound_draws_a_line_too() -> None:
    """The default profile bounds dp_ratio (value >= 0.8), not dp_difference: before, its rates
    plot had no line although the README's caption promises the threshold line. The ratio line
    sits at the bound's share of the highest selection rate: 0.8 * 0.4."""
    table = GroupTable(
        sensitive_set=("sex",),
        rows=(
            _row("f", 100, Measured(measure="tpr", value=0.9), Measured(measure="selection_rate", value=0.4)),
            _row("m", 120, Measured(measure="selection_rate", value=0.25)),
        ),
    )
    ratio = Metric(dims=Dimensions(criterion="dp_ratio", sensitive_set=("sex",)), value=0.625)
    thr = ThresholdOutcome(metric=ratio.name, on="value", min=0.8, observed=0.625, passed=False, source="profile")
    (plot,) = view_of(make_result("bias.group_fairness", metrics=(ratio,), views=(table,), thresholds=(thr,))).plots
    assert [(ref.value, ref.label) for ref in plot.refs] == [
        (pytest.approx(0.32), "highest selection rate × 0.8 (dp_ratio min)")
    ]
    # without a bound on the rates' spread, no line
    (bare,) = view_of(make_result("bias.group_fairness", metrics=(ratio,), views=(table,))).plots
    assert bare.refs == ()


def test_an_intersection_is_named_as_in_the_metric_names() -> None:
    """Plot and table titles name an intersection ``sex|age`` as the metric names do
    (``dp_ratio/sex|age``); before, they said ``sex*age``."""
    table = GroupTable(
        sensitive_set=("sex", "age"),
        rows=(GroupRow(group=("f", "18-25"), count=50, measures=(Measured(measure="selection_rate", value=0.4),)),),
    )
    view = view_of(make_result("bias.group_fairness", views=(table,)))
    assert [p.title for p in view.plots] == ["Rates by group: sex|age"]
    assert [t.title for t in view.tables] == ["Groups of sex|age"]
    shares = GroupTable(
        sensitive_set=("sex", "age"),
        rows=(GroupRow(group=("f", "18-25"), count=50, measures=(Measured(measure="share", value=0.2),)),),
    )
    assert [p.title for p in view_of(make_result("bias.data_representation", views=(shares,))).plots] == [
        "Group shares: sex|age"
    ]
