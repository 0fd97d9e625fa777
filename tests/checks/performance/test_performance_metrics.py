"""performance.metrics against scikit-learn's own functions (independent computations)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm
from sklearn.calibration import calibration_curve

from tef_harness.checks.performance.metrics import PerformanceMetrics, PerformanceParams, _weighted_auc
from tef_harness.testing import make_context, synthetic_frame


def _values(out) -> dict[str, float]:
    return {m.name: m.value for m in out.metrics}


def test_binary_point_values_equal_sklearn() -> None:
    ctx = make_context(synthetic_frame(600, seed=4))
    out = PerformanceMetrics().run(ctx, PerformanceParams(n_boot=50))
    v = _values(out)
    y, pred, proba = ctx.y, ctx.predictions(), ctx.positive_scores()
    assert v["accuracy"] == pytest.approx(skm.accuracy_score(y, pred), abs=1e-12)
    assert v["balanced_accuracy"] == pytest.approx(skm.balanced_accuracy_score(y, pred), abs=1e-12)
    assert v["f1"] == pytest.approx(skm.f1_score(y, pred), abs=1e-12)
    assert v["roc_auc"] == pytest.approx(skm.roc_auc_score(y, proba), abs=1e-12)
    assert v["log_loss"] == pytest.approx(skm.log_loss(y, ctx.probabilities()), abs=1e-9)
    assert v["brier"] == pytest.approx(skm.brier_score_loss(y, proba), abs=1e-12)
    # ECE from sklearn's calibration_curve on the same 15 uniform bins
    prob_true, prob_pred = calibration_curve(y, proba, n_bins=15, strategy="uniform")
    edges = np.linspace(0, 1, 16)
    counts = np.histogram(proba, bins=edges)[0]
    counts = counts[counts > 0]
    assert v["ece"] == pytest.approx(float(np.sum(counts / len(y) * np.abs(prob_true - prob_pred))), abs=1e-9)


def test_intervals_contain_the_point_and_are_seeded() -> None:
    ctx = make_context(synthetic_frame(500, seed=5))
    a = PerformanceMetrics().run(ctx, PerformanceParams(n_boot=100))
    b = PerformanceMetrics().run(ctx, PerformanceParams(n_boot=100))
    assert a == b
    for m in a.metrics:
        assert m.ci is not None and m.n == 500
        assert m.ci.low <= m.value + 1e-9 and m.value - 1e-9 <= m.ci.high
    other_seed = PerformanceMetrics().run(
        make_context(synthetic_frame(500, seed=5), seed=9), PerformanceParams(n_boot=100)
    )
    assert other_seed.metrics[0].ci != a.metrics[0].ci


def test_bootstrap_interval_width_shrinks_with_n() -> None:
    small = PerformanceMetrics().run(make_context(synthetic_frame(200, seed=6)), PerformanceParams(n_boot=200))
    large = PerformanceMetrics().run(make_context(synthetic_frame(3200, seed=6)), PerformanceParams(n_boot=200))
    width = lambda out: next(m.ci.high - m.ci.low for m in out.metrics if m.name == "accuracy")  # noqa: E731
    assert width(large) < width(small) / 2.5  # ~1/sqrt(16) = 1/4


def test_multiclass_equals_sklearn() -> None:
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=900), "b": rng.normal(size=900)})
    y = np.digitize(X["a"] + 0.5 * X["b"] + rng.normal(0, 0.7, 900), [-0.7, 0.7])
    frame = X.assign(y=y, sex=rng.choice(["F", "M"], 900))
    est = LogisticRegression(max_iter=500).fit(X, y)
    ctx = make_context(frame, estimator=est, features=("a", "b"), sensitive=("sex",))
    v = _values(PerformanceMetrics().run(ctx, PerformanceParams(n_boot=20)))
    proba = est.predict_proba(X)
    assert ctx.task == "multiclass"
    assert v["f1"] == pytest.approx(skm.f1_score(y, est.predict(X), average="macro"), abs=1e-12)
    assert v["roc_auc"] == pytest.approx(skm.roc_auc_score(y, proba, multi_class="ovr", average="macro"), abs=1e-12)
    assert v["log_loss"] == pytest.approx(skm.log_loss(y, proba), abs=1e-9)
    assert v["brier"] == pytest.approx(np.mean(np.sum((proba - np.eye(3)[y]) ** 2, axis=1)), abs=1e-12)


def test_regression_equals_sklearn() -> None:
    from sklearn.linear_model import Ridge

    rng = np.random.default_rng(1)
    X = pd.DataFrame({"a": rng.normal(size=400), "b": rng.normal(size=400)})
    y = 3 * X["a"] - X["b"] + rng.normal(0, 0.5, 400)
    est = Ridge().fit(X, y)
    ctx = make_context(X.assign(y=y), estimator=est, features=("a", "b"), sensitive=())
    v = _values(PerformanceMetrics().run(ctx, PerformanceParams(n_boot=20)))
    pred = est.predict(X)
    assert ctx.task == "regression"
    assert v["mae"] == pytest.approx(skm.mean_absolute_error(y, pred))
    assert v["rmse"] == pytest.approx(np.sqrt(skm.mean_squared_error(y, pred)))
    assert v["r2"] == pytest.approx(skm.r2_score(y, pred))


def test_decision_threshold_changes_predictions() -> None:
    frame = synthetic_frame(400, seed=8)
    ctx = make_context(frame, decision_threshold=0.9)
    out = PerformanceMetrics().run(ctx, PerformanceParams(n_boot=0))
    proba = make_context(frame).probabilities()[:, 1]  # an independent context: the model's own scores
    pred = (proba >= 0.9).astype(int)
    assert 0 < pred.sum() < (make_context(frame).predictions() == 1).sum()  # the threshold moved labels
    assert _values(out)["accuracy"] == pytest.approx(skm.accuracy_score(ctx.y, pred))
    assert out.details["decision_threshold"] == 0.9
    assert all(m.ci is None for m in out.metrics)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 1), st.integers(0, 3)), min_size=2, max_size=60))
def test_weighted_auc_equals_sklearn_with_sample_weight(rows) -> None:
    score = np.array([r[0] / 6 for r in rows])  # coarse scores: many ties
    label = np.array([r[1] for r in rows], dtype=float)
    weight = np.array([r[2] for r in rows], dtype=float)
    ours = _weighted_auc(score, label)(weight)
    has_both = weight[label == 1].sum() > 0 and weight[label == 0].sum() > 0
    if not has_both:
        assert np.isnan(ours)
        return
    assert ours == pytest.approx(skm.roc_auc_score(label, score, sample_weight=weight), abs=1e-12)
