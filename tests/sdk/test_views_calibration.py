"""The reliability-diagram view against scikit-learn's calibration_curve (the oracle), with
counts per bin checked against a bin-by-bin definition written out here."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.calibration import calibration_curve

from tef_harness.checks.performance.metrics import PerformanceMetrics, PerformanceParams
from tef_harness.sdk.views.calibration import CalibrationCurve
from tef_harness.testing import make_context, synthetic_frame


def _counts_by_definition(score: np.ndarray, n_bins: int) -> list[int]:
    """Bin i holds (edge_i, edge_i+1], the first bin also 0: a score on an inner edge goes to
    the bin below it, as in calibration_curve."""
    edges = np.linspace(0, 1, n_bins + 1)
    counts = []
    for i in range(n_bins):
        lo, hi = edges[i], edges[i + 1]
        inside = [s for s in score if (lo < s <= hi) or (i == 0 and s == 0.0)]
        counts.append(len(inside))
    return [c for c in counts if c]


def _assert_matches_sklearn(curve: CalibrationCurve, y: np.ndarray, score: np.ndarray, n_bins: int) -> None:
    prob_true, prob_pred = calibration_curve(y, score, n_bins=n_bins, strategy="uniform")
    assert len(curve.bins) == len(prob_true)
    assert [b.fraction_positive for b in curve.bins] == pytest.approx(prob_true, abs=1e-12)
    assert [b.mean_predicted for b in curve.bins] == pytest.approx(prob_pred, abs=1e-12)
    assert [b.n for b in curve.bins] == _counts_by_definition(score, n_bins)
    assert sum(b.n for b in curve.bins) == len(score)


def test_known_values_with_scores_on_the_edges() -> None:
    score = np.array([0.0, 0.1, 0.2, 0.2, 0.25, 0.5, 0.5, 0.9, 1.0, 1.0])
    y = np.array([0, 0, 1, 0, 0, 1, 0, 1, 1, 1])
    curve = CalibrationCurve.from_scores(score, y, 5)
    _assert_matches_sklearn(curve, y, score, 5)
    # by hand: (0, .2] holds 0, .1, .2, .2 (0 joins the first bin); (.2, .4] holds .25; ...
    assert [b.n for b in curve.bins] == [4, 1, 2, 3]
    assert curve.bins[0].fraction_positive == 0.25 and curve.bins[0].mean_predicted == pytest.approx(0.125)
    assert (curve.bins[0].lower, curve.bins[0].upper) == (0.0, 0.2)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0, 1), st.booleans()), min_size=2, max_size=200),
    st.integers(2, 20),
)
def test_equals_sklearn_on_any_scores(pairs: list[tuple[float, bool]], n_bins: int) -> None:
    score = np.array([p for p, _ in pairs])
    y = np.array([int(t) for _, t in pairs])
    if len(set(y)) < 2:
        y[0] = 1 - y[0]  # calibration_curve wants both classes present
    _assert_matches_sklearn(CalibrationCurve.from_scores(score, y, n_bins), y, score, n_bins)


def test_bad_scores_are_value_errors() -> None:
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        CalibrationCurve.from_scores(np.array([0.2, 1.2]), np.array([0, 1]), 5)
    with pytest.raises(ValueError, match="shape"):
        CalibrationCurve.from_scores(np.array([0.2, 0.3]), np.array([0, 1, 1]), 5)


def test_performance_check_emits_the_bins_binary() -> None:
    ctx = make_context(synthetic_frame(800, seed=7))
    out = PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=0, ece_bins=10))
    (curve,) = [v for v in out.views if isinstance(v, CalibrationCurve)]
    assert curve.target == "positive_class" and curve.n_bins == 10
    _assert_matches_sklearn(curve, ctx.y_binary().astype(int), ctx.positive_scores(), 10)


def test_performance_check_emits_top_label_bins_multiclass() -> None:
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(1)
    X = pd.DataFrame({"a": rng.normal(size=700), "b": rng.normal(size=700)})
    y = np.digitize(X["a"] + rng.normal(0, 0.8, 700), [-0.6, 0.6])
    est = LogisticRegression(max_iter=500).fit(X, y)
    ctx = make_context(X.assign(y=y, sex=rng.choice(["F", "M"], 700)), estimator=est, features=("a", "b"))
    out = PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=0))
    (curve,) = [v for v in out.views if isinstance(v, CalibrationCurve)]
    proba = est.predict_proba(X)
    hit = (est.classes_[proba.argmax(axis=1)] == y).astype(int)
    assert curve.target == "top_label"
    _assert_matches_sklearn(curve, hit, proba.max(axis=1), 15)


def test_the_html_page_draws_it(engine_report_with_performance: str) -> None:
    assert "Calibration: observed frequency by predicted probability" in engine_report_with_performance
    assert "perfectly calibrated" in engine_report_with_performance


@pytest.fixture()
def engine_report_with_performance() -> str:
    from tef_harness.reports.renderers.html_report import render_html
    from tef_harness.sdk.results import Status
    from tests.engine.report_factory import sample_report
    from tests.reports.conftest import make_result, report_with

    ctx = make_context(synthetic_frame(500, seed=2))
    out = PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=0))
    views = out.views
    result = make_result("performance.metrics", Status.PASSED, metrics=out.metrics, details=out.details, views=views)
    return render_html(report_with(sample_report(), [result]))
