"""performance.metrics against scikit-learn's own functions (independent computations)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm
from sklearn.calibration import calibration_curve

from tef_harness.checks.performance.metrics import NO_INTERVAL, PerformanceMetrics, PerformanceParams, _weighted_auc
from tef_harness.testing import make_context, synthetic_frame
from tests.score_column import ScoreColumn


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
        if m.name in NO_INTERVAL:
            assert m.ci is None
            continue
        assert m.ci is not None and m.n == 500
        assert m.ci.low <= m.value + 1e-9 and m.value - 1e-9 <= m.ci.high
    other_seed = PerformanceMetrics().run(
        make_context(synthetic_frame(500, seed=5), seed=9), PerformanceParams(n_boot=100)
    )
    by_name = lambda out: {m.name: m for m in out.metrics}  # noqa: E731
    assert by_name(other_seed)["balanced_accuracy"].ci != by_name(a)["balanced_accuracy"].ci
    assert by_name(other_seed)["accuracy"].ci == by_name(a)["accuracy"].ci  # Wilson: no resampling


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
    out = PerformanceMetrics().run(ctx, PerformanceParams(n_boot=20))
    v = _values(out)
    pred = est.predict(X)
    assert ctx.task == "regression"
    assert v["mae"] == pytest.approx(skm.mean_absolute_error(y, pred))
    assert v["rmse"] == pytest.approx(np.sqrt(skm.mean_squared_error(y, pred)))
    assert v["r2"] == pytest.approx(skm.r2_score(y, pred))
    # errors are in the target's units (the demo report's test covers the classifier's units)
    assert {m.name: m.unit for m in out.metrics} == {"mae": "target units", "rmse": "target units", "r2": "score"}


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


# --- non-default classes and pos_label (issue 16): every binary figure is for the positive
# class the config names, not for whichever class sorts last ------------------------------


def _relabelled(mapping: dict[int, object], pos_label: object, n: int = 600, seed: int = 4):
    """``synthetic_frame`` with its 0/1 target renamed, a model fitted on the renamed labels."""
    frame = synthetic_frame(n, seed=seed)
    frame["y"] = frame["y"].map(mapping)
    ctx = make_context(frame, pos_label=pos_label)
    return ctx, PerformanceMetrics().run(ctx, PerformanceParams(n_boot=0))


@pytest.mark.parametrize(
    ("mapping", "pos_label", "neg_label"),
    [({1: "bad", 0: "good"}, "bad", "good"), ({1: 1, 0: 2}, 1, 2)],
    ids=["strings-bad-positive", "ints-1-positive-of-1-2"],
)
def test_binary_metrics_follow_pos_label(mapping, pos_label, neg_label) -> None:
    ctx, out = _relabelled(mapping, pos_label)
    assert ctx.pos_label == pos_label and list(ctx.classes) == sorted(mapping.values())
    v = _values(out)
    y, pred = ctx.y, ctx.predictions()
    p_pos = ctx.probabilities()[:, list(ctx.classes).index(pos_label)]
    f1_pos = skm.f1_score(y, pred, pos_label=pos_label)
    # the case must discriminate: the positive class sorts first, and its F1 differs from the other's
    assert abs(f1_pos - skm.f1_score(y, pred, pos_label=neg_label)) > 0.01
    assert v["f1"] == pytest.approx(f1_pos, abs=1e-12)
    assert v["roc_auc"] == pytest.approx(skm.roc_auc_score(y == pos_label, p_pos), abs=1e-12)
    assert v["brier"] == pytest.approx(skm.brier_score_loss(y, p_pos, pos_label=pos_label), abs=1e-12)
    assert v["log_loss"] == pytest.approx(skm.log_loss(y, ctx.probabilities(), labels=list(ctx.classes)), abs=1e-9)
    assert v["balanced_accuracy"] == pytest.approx(skm.balanced_accuracy_score(y, pred), abs=1e-12)
    assert out.details["pos_label"] == str(pos_label)
    # ECE of P(positive) against the positive indicator, recomputed bin by bin
    hit = (y == pos_label).astype(float)
    bins = np.clip(np.floor(p_pos * 15).astype(int), 0, 14)
    ece = sum(abs(hit[bins == b].sum() - p_pos[bins == b].sum()) for b in range(15)) / len(y)
    assert v["ece"] == pytest.approx(ece, abs=1e-9)


def test_positive_label_is_a_deprecated_read_only_alias_of_pos_label() -> None:
    """Plugins written against ``ctx.positive_label`` still read the positive class, warned."""
    ctx, _ = _relabelled({1: "bad", 0: "good"}, "bad", n=200)
    with pytest.warns(DeprecationWarning, match="read RunContext.pos_label"):
        assert ctx.positive_label == "bad"
    with pytest.raises(AttributeError):
        ctx.positive_label = "good"  # type: ignore[misc]


def test_decision_threshold_with_string_pos_label() -> None:
    """Predict the positive class 'bad' when P('bad') >= t: accuracy and F1 as sklearn gives
    them for those predictions (a swapped label or threshold direction changes both)."""
    frame = synthetic_frame(500, seed=8)
    frame["y"] = frame["y"].map({1: "bad", 0: "good"})
    scores = make_context(frame, pos_label="bad")  # the model's own scores, no threshold
    p_bad = scores.probabilities()[:, list(scores.classes).index("bad")]
    t = float(np.sort(p_bad)[350])  # a threshold equal to an observed score: >= keeps that row positive
    assert (p_bad == t).any()
    # since issue 11 the run's one decision threshold is applied by the model client, for
    # every check alike (performance.metrics' own key is a deprecated alias of it)
    ctx = make_context(frame, pos_label="bad", decision_threshold=t)
    out = PerformanceMetrics().run(ctx, PerformanceParams(n_boot=0))
    pred = np.where(p_bad >= t, "bad", "good")
    assert not np.array_equal(pred, np.where(p_bad > t, "bad", "good"))
    v = _values(out)
    assert v["accuracy"] == pytest.approx(skm.accuracy_score(ctx.y, pred), abs=1e-12)
    assert v["f1"] == pytest.approx(skm.f1_score(ctx.y, pred, pos_label="bad"), abs=1e-12)
    assert v["balanced_accuracy"] == pytest.approx(skm.balanced_accuracy_score(ctx.y, pred), abs=1e-12)


def test_direction_of_every_metric() -> None:
    binary = PerformanceMetrics().run(make_context(synthetic_frame(300, seed=2)), PerformanceParams(n_boot=0))
    assert {m.name: m.greater_is_better for m in binary.metrics} == {
        "accuracy": True,
        "balanced_accuracy": True,
        "balanced_accuracy_lift": True,
        "precision": True,
        "recall": True,
        "f1": True,
        "roc_auc": True,
        "log_loss": False,
        "brier": False,
        "ece": False,
        "calibration_error": False,
    }


def test_r2_with_a_small_spread_and_undefined_for_a_constant_target() -> None:
    """R² for labels with total sum of squares below 1 equals sklearn's; with a constant
    target R² is undefined: not reported, and named in details."""
    from sklearn.linear_model import Ridge

    rng = np.random.default_rng(4)
    X = pd.DataFrame({"a": rng.normal(size=300)})
    y = 0.001 * X["a"] + rng.normal(0, 0.001, 300)
    est = Ridge(alpha=1e-6).fit(X, y)
    ctx = make_context(X.assign(y=y), estimator=est, features=("a",), sensitive=(), task="regression")
    assert float(((y - y.mean()) ** 2).sum()) < 1
    v = _values(PerformanceMetrics().run(ctx, PerformanceParams(n_boot=0)))
    assert v["r2"] == pytest.approx(skm.r2_score(y, est.predict(X)), abs=1e-9)
    flat = X.assign(y=2.5)
    ctx = make_context(flat, estimator=est, features=("a",), sensitive=(), task="regression")
    out = PerformanceMetrics().run(ctx, PerformanceParams(n_boot=10))
    assert "r2" not in _values(out) and "r2" in out.undefined
    assert _values(out)["mae"] == pytest.approx(skm.mean_absolute_error(flat["y"], est.predict(X)))


def test_ece_puts_a_confidence_of_exactly_one_in_the_last_bin() -> None:
    """Last bin [14/15, 1]: 20 rows at P = 1.0 (half positive) and 20 at 0.95 (all positive)
    give |30 - 39| = 9 there; 40 rows at 0.3 (12 positive) give |12 - 12| = 0."""
    q = np.r_[np.ones(20), np.full(20, 0.95), np.full(40, 0.3)]
    y = np.r_[np.tile([0, 1], 10), np.ones(20), np.r_[np.ones(12), np.zeros(28)]].astype(int)
    ctx = make_context(pd.DataFrame({"q": q, "y": y}), model=ScoreColumn(), features=("q",), sensitive=())
    v = _values(PerformanceMetrics().run(ctx, PerformanceParams(n_boot=0)))
    assert v["ece"] == pytest.approx(9 / 80, abs=1e-12)


def test_bootstrap_can_draw_every_row() -> None:
    """Only row 0 is misclassified: a resample that can never draw it has accuracy 1 every
    time; one that can, drops below 1 in about 1 - (19/20)^20 = 64% of the replicates."""
    q = np.r_[0.9, np.full(19, 0.9)]
    y = np.r_[0, np.ones(19)].astype(int)
    ctx = make_context(pd.DataFrame({"q": q, "y": y}), model=ScoreColumn(), features=("q",), sensitive=())
    acc = next(m for m in PerformanceMetrics().run(ctx, PerformanceParams(n_boot=200)).metrics if m.name == "accuracy")
    assert acc.value == pytest.approx(0.95) and acc.ci is not None and acc.ci.low < 0.95
# --- issue 13: undefined is undefined; intervals valid for their statistic ----------------


def test_one_class_only_reports_f1_recall_auc_as_undefined_not_zero() -> None:
    from sklearn.linear_model import LogisticRegression

    frame = synthetic_frame(800, seed=2)
    feats = ["income", "debt_ratio"]
    est = LogisticRegression(max_iter=500).fit(frame[feats], frame["y"])
    negatives = frame[frame["y"] == 0].reset_index(drop=True)
    ctx = make_context(negatives, estimator=est, features=tuple(feats))  # binary from the model's classes
    out = PerformanceMetrics().run(ctx, PerformanceParams(n_boot=20))
    v = _values(out)
    # sklearn says the same thing with zero_division=nan: recall (and so F1) has no positives
    assert np.isnan(skm.recall_score(ctx.y, ctx.predictions(), zero_division=np.nan))
    for name in ("f1", "recall", "roc_auc", "balanced_accuracy", "balanced_accuracy_lift"):
        assert name not in v, name
        assert name in out.undefined
    assert "no row of the positive class (1)" in out.undefined["f1"]
    assert out.undefined["roc_auc"] == "only one class in the evaluation rows"
    # still defined: accuracy, and precision (the model does predict some positives) = 0
    assert v["accuracy"] == pytest.approx(skm.accuracy_score(ctx.y, ctx.predictions()))
    assert ctx.predictions().sum() > 0 and v["precision"] == 0.0


def test_precision_undefined_when_the_positive_class_is_never_predicted() -> None:
    from sklearn.dummy import DummyClassifier

    frame = synthetic_frame(500, seed=3)
    never = DummyClassifier(strategy="constant", constant=0).fit(frame[["income"]], frame["y"])
    ctx = make_context(frame, estimator=never, features=("income",))
    out = PerformanceMetrics().run(ctx, PerformanceParams(n_boot=0))
    assert "precision" in out.undefined and "precision" not in _values(out)
    assert _values(out)["recall"] == 0.0 and _values(out)["f1"] == 0.0  # positives exist: F1 is 0, not undefined


def test_precision_recall_equal_sklearn_with_wilson_intervals() -> None:
    from tef_harness.api import wilson_ci

    ctx = make_context(synthetic_frame(700, seed=9))
    out = PerformanceMetrics().run(ctx, PerformanceParams(n_boot=20))
    by = {m.name: m for m in out.metrics}
    y, pred = ctx.y, ctx.predictions()
    assert by["precision"].value == pytest.approx(skm.precision_score(y, pred))
    assert by["recall"].value == pytest.approx(skm.recall_score(y, pred))
    tp = int(((y == 1) & (pred == 1)).sum())
    assert by["recall"].ci == wilson_ci(tp, int((y == 1).sum()))
    assert by["accuracy"].ci is not None and by["accuracy"].ci.method == "wilson"


def _kumar_debiased_sq(conf: np.ndarray, hit: np.ndarray, n_bins: int) -> float:
    """Kumar, Liang & Ma (2019)'s debiased squared calibration error, written out bin by bin."""
    edges = np.linspace(0, 1, n_bins + 1)
    total = 0.0
    for b in range(n_bins):
        inside = (conf >= edges[b]) & ((conf < edges[b + 1]) if b < n_bins - 1 else (conf <= 1.0))
        k = int(inside.sum())
        if k < 2:
            continue
        ybar, cbar = hit[inside].mean(), conf[inside].mean()
        total += k / len(conf) * ((ybar - cbar) ** 2 - ybar * (1 - ybar) / (k - 1))
    return total


def _calibrated_lr_context(seed: int):
    """Issue 13's input: a logistic regression fitted on 8,000 rows of a logistic model, so it
    is calibrated, evaluated on the 4,000 rows after them."""
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(seed)
    n = 12_000
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n), "sex": rng.choice(["F", "M"], n)})
    p = 1 / (1 + np.exp(-(0.8 * X["a"] - 0.5 * X["b"])))
    y = (rng.uniform(size=n) < p).astype(int)
    est = LogisticRegression().fit(X[["a", "b"]].iloc[:8000], y[:8000])
    return make_context(X.iloc[8000:].assign(y=y[8000:]).reset_index(drop=True), estimator=est, features=("a", "b"))


def test_calibrated_logistic_regression_interval_contains_the_estimate() -> None:
    """The issue's input: a calibrated logistic regression on 4,000 rows had ECE 0.0150 with a
    percentile interval [0.0173, 0.0366] that excluded it. Now the plug-in ECE carries no
    interval, and the debiased calibration error's interval (the basic bootstrap centred on
    the sample's plug-in value) contains its estimate."""
    ctx = _calibrated_lr_context(0)
    out = PerformanceMetrics().run(ctx, PerformanceParams(n_boot=300))
    by = {m.name: m for m in out.metrics}
    assert by["ece"].ci is None and "biased upward" in out.details["no_interval"]["ece"]
    ce = by["calibration_error"]
    expected = np.sqrt(max(_kumar_debiased_sq(ctx.positive_scores(), ctx.y_binary().astype(float), 15), 0.0))
    assert ce.value == pytest.approx(expected, abs=1e-12)
    assert ce.ci is not None and ce.ci.low <= ce.value <= ce.ci.high
    assert ce.ci.method == "bootstrap-basic-debiased"
    # a calibrated model: the debiased error sits well below the plug-in ECE
    assert ce.value < by["ece"].value


@pytest.mark.parametrize("seed", [1, 4, 7, 8])
def test_debiased_interval_contains_the_estimate_where_the_percentile_one_did_not(seed) -> None:
    """On these seeds of a calibrated logistic regression (4,000 evaluation rows) the old
    interval, the percentile bootstrap of the plug-in ECE, excludes its own estimate; the
    debiased calibration error's interval contains its estimate on every one."""
    from tef_harness.checks.performance.metrics import _weighted_ece

    ctx = _calibrated_lr_context(seed)
    out = PerformanceMetrics().run(ctx, PerformanceParams(n_boot=200))
    by = {m.name: m for m in out.metrics}
    # the fault: 200 percentile-bootstrap replicates of the plug-in ECE all but miss the estimate
    ece = _weighted_ece(ctx.positive_scores(), ctx.y_binary().astype(float), 15)
    boot = np.random.default_rng(seed + 100)
    reps = [ece(np.bincount(boot.integers(0, 4000, 4000), minlength=4000).astype(float)) for _ in range(200)]
    low, high = np.quantile(reps, [0.025, 0.975])
    assert not (low <= by["ece"].value <= high)
    ce = by["calibration_error"]
    assert ce.ci is not None and 0.0 <= ce.ci.low <= ce.value <= ce.ci.high


def test_bca_interval_equals_scipy_on_a_small_sample() -> None:
    """stats.bca_interval with the full jackknife equals scipy.stats.bootstrap(method="BCa")
    given the same resamples (scipy draws them from the same generator state)."""
    from scipy.stats import bootstrap

    from tef_harness.api import bca_interval

    data = np.random.default_rng(4).exponential(size=60)  # skewed: BCa differs from percentile
    res = bootstrap((data,), np.mean, method="BCa", n_resamples=2000, random_state=np.random.default_rng(7))
    idx = np.random.default_rng(7).integers(0, 60, size=(2000, 60))
    reps = data[idx].mean(axis=1)
    jack = np.array([np.delete(data, i).mean() for i in range(60)])
    ours = bca_interval(float(data.mean()), reps, jack, 0.95)
    assert ours is not None and ours.method == "bootstrap-bca"
    assert ours.low == pytest.approx(res.confidence_interval.low, rel=2e-3)
    assert ours.high == pytest.approx(res.confidence_interval.high, rel=2e-3)
