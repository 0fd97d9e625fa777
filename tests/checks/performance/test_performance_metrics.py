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
    v = _values(PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=20)))
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
    out = PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=20))
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
    out = PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=0))
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
    return ctx, PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=0))


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
    out = PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=0))
    pred = np.where(p_bad >= t, "bad", "good")
    assert not np.array_equal(pred, np.where(p_bad > t, "bad", "good"))
    v = _values(out)
    assert v["accuracy"] == pytest.approx(skm.accuracy_score(ctx.y, pred), abs=1e-12)
    assert v["f1"] == pytest.approx(skm.f1_score(ctx.y, pred, pos_label="bad"), abs=1e-12)
    assert v["balanced_accuracy"] == pytest.approx(skm.balanced_accuracy_score(ctx.y, pred), abs=1e-12)


def test_direction_of_every_metric() -> None:
    no_boot = PerformanceParams.model_construct(n_boot=0)
    binary = PerformanceMetrics().run(make_context(synthetic_frame(300, seed=2)), no_boot)
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
    v = _values(PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=0)))
    assert v["r2"] == pytest.approx(skm.r2_score(y, est.predict(X)), abs=1e-9)
    flat = X.assign(y=2.5)
    ctx = make_context(flat, estimator=est, features=("a",), sensitive=(), task="regression")
    out = PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=10))
    assert "r2" not in _values(out) and out.undefined == {"r2": "the target is constant on the evaluation rows"}
    assert _values(out)["mae"] == pytest.approx(skm.mean_absolute_error(flat["y"], est.predict(X)))


def test_ece_puts_a_confidence_of_exactly_one_in_the_last_bin() -> None:
    """Last bin [14/15, 1]: 20 rows at P = 1.0 (half positive) and 20 at 0.95 (all positive)
    give |30 - 39| = 9 there; 40 rows at 0.3 (12 positive) give |12 - 12| = 0."""
    q = np.r_[np.ones(20), np.full(20, 0.95), np.full(40, 0.3)]
    y = np.r_[np.tile([0, 1], 10), np.ones(20), np.r_[np.ones(12), np.zeros(28)]].astype(int)
    ctx = make_context(pd.DataFrame({"q": q, "y": y}), model=ScoreColumn(), features=("q",), sensitive=())
    v = _values(PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=0)))
    assert v["ece"] == pytest.approx(9 / 80, abs=1e-12)


def test_ece_puts_a_confidence_exactly_on_an_edge_in_the_lower_bin_as_the_reliability_view() -> None:
    """Guo et al.'s bins are closed on the right, ((m-1)/M, m/M], as scikit-learn's
    calibration_curve and the reliability view bin them. With 4 bins, 20 rows at P = 0.75 (all
    positive) fall in (0.5, 0.75] and 20 rows at P = 0.8 (10 positive) in (0.75, 1]:
    ECE = (|20 - 15| + |10 - 16|) / 40 = 11/40. Binning 0.75 upwards would give |30 - 31| / 40."""
    from sklearn.calibration import calibration_curve

    q = np.r_[np.full(20, 0.75), np.full(20, 0.8)]
    y = np.r_[np.ones(20), np.ones(10), np.zeros(10)].astype(int)
    ctx = make_context(pd.DataFrame({"q": q, "y": y}), model=ScoreColumn(), features=("q",), sensitive=())
    out = PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=0, ece_bins=4))
    assert _values(out)["ece"] == pytest.approx(11 / 40, abs=1e-12)
    # the view puts the same rows in the same bins as scikit-learn (0.75 in the third bin)
    prob_true, prob_pred = calibration_curve(y, q, n_bins=4)
    view = next(v for v in out.views if type(v).__name__ == "CalibrationCurve")
    assert [b.upper for b in view.bins] == [0.75, 1.0]
    assert [b.mean_predicted for b in view.bins] == pytest.approx(list(prob_pred))
    assert [b.fraction_positive for b in view.bins] == pytest.approx(list(prob_true))


def test_bootstrap_can_draw_every_row() -> None:
    """Only row 0 is misclassified: a resample that can never draw it has accuracy 1 every
    time; one that can, drops below 1 in about 1 - (19/20)^20 = 64% of the replicates."""
    q = np.r_[0.9, np.full(19, 0.9)]
    y = np.r_[0, np.ones(19)].astype(int)
    ctx = make_context(pd.DataFrame({"q": q, "y": y}), model=ScoreColumn(), features=("q",), sensitive=())
    acc = next(m for m in PerformanceMetrics().run(ctx, PerformanceParams(n_boot=200)).metrics if m.name == "accuracy")
    assert acc.value == pytest.approx(0.95) and acc.ci is not None and acc.ci.low < 0.95
    # accuracy's Wilson interval involves no resampling: the bootstrapped log loss does. Row 0
    # costs -log(0.1), every other row -log(0.9); resamples that never draw row 0 would all sit
    # at -log(0.9), below the estimate, and leave no interval around it
    by = {m.name: m for m in PerformanceMetrics().run(ctx, PerformanceParams(n_boot=200)).metrics}
    ll = by["log_loss"]
    assert ll.value == pytest.approx((-np.log(0.1) - 19 * np.log(0.9)) / 20, abs=1e-12)
    assert ll.ci is not None and ll.ci.low < ll.value < ll.ci.high
# --- issue 13: undefined is undefined; intervals valid for their statistic ----------------


def test_one_class_only_reports_f1_recall_auc_as_undefined_not_zero() -> None:
    from sklearn.linear_model import LogisticRegression

    frame = synthetic_frame(800, seed=2)
    feats = ["income", "debt_ratio"]
    est = LogisticRegression(max_iter=500).fit(frame[feats], frame["y"])
    negatives = frame[frame["y"] == 0].reset_index(drop=True)
    ctx = make_context(negatives, estimator=est, features=tuple(feats))  # binary from the model's classes
    out = PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=20))
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
    out = PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=0))
    assert "precision" in out.undefined and "precision" not in _values(out)
    assert out.undefined["precision"] == "the model predicts the positive class for no evaluation row"
    assert _values(out)["recall"] == 0.0 and _values(out)["f1"] == 0.0  # positives exist: F1 is 0, not undefined


def test_precision_recall_equal_sklearn_with_wilson_intervals() -> None:
    from tef_harness.api import wilson_ci

    ctx = make_context(synthetic_frame(700, seed=9))
    out = PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=20))
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


# --- issue 16, third pass: every field of every metric against an independent recomputation.
# The check computes each metric once as a function of bootstrap weights; the oracle below
# recomputes each value, replicate and jackknife value with scikit-learn (or the formula,
# for the calibration errors) on the resampled ROWS themselves, from a generator seeded as
# the run seeds the check's stream. The intervals then follow from their definitions: the
# Wilson score formula written out, the basic bootstrap interval written out, and BCa from
# ``stats.bca_interval`` (itself tested against scipy in tests/test_stats.py). ------------

_LEVEL = 0.9  # not the default: a dropped level argument shows
_BINS = 10  # not the default 15


def _wilson(k: float, m: float, level: float) -> tuple[float, float]:
    from scipy.stats import norm

    z = float(norm.ppf(0.5 + level / 2))
    p = k / m
    centre = (p + z * z / (2 * m)) / (1 + z * z / m)
    half = z / (1 + z * z / m) * np.sqrt(p * (1 - p) / m + z * z / (4 * m * m))
    return centre - half, centre + half


def _plugin_sq(conf: np.ndarray, hit: np.ndarray, n_bins: int) -> float:
    edges = np.linspace(0, 1, n_bins + 1)
    total = 0.0
    for b in range(n_bins):
        inside = (conf >= edges[b]) & ((conf < edges[b + 1]) if b < n_bins - 1 else (conf <= 1.0))
        if inside.any():
            total += inside.sum() / len(conf) * (hit[inside].mean() - conf[inside].mean()) ** 2
    return total


def _resamples(ctx, n: int, n_boot: int):
    """The row indices of each bootstrap resample and each jackknife subset, drawn as the
    check draws them: its stream, B resamples of n rows, then 50 jackknife blocks."""
    from tef_harness.api import jackknife_blocks

    rng = ctx.rng("performance.metrics")
    boot = [rng.integers(0, n, size=n) for _ in range(n_boot)]
    blocks = jackknife_blocks(rng, n, max_blocks=50)
    jack = [np.flatnonzero(blocks != g) for g in range(int(blocks.max()) + 1)]
    return boot, jack


def _snap(v: float, estimate: float) -> float:
    return estimate if abs(v - estimate) < 1e-12 else v


def _expected(ctx, statistics: dict, n_boot: int, kinds: dict) -> dict:
    """name -> (value, (low, high) or None, interval method or None)."""
    from tef_harness.api import bca_interval

    n = len(ctx.y)
    boot, jack = _resamples(ctx, n, n_boot)
    out = {}
    for name, stat in statistics.items():
        kind = kinds[name]
        value = stat(np.arange(n))
        if kind == "none":
            out[name] = (value, None, None)
        elif kind[0] == "wilson":  # on (successes, trials)
            out[name] = (value, _wilson(kind[1], kind[2], _LEVEL), "wilson")
        elif kind == "bca":
            # a replicate equal to the estimate up to rounding is a tie (BCa counts ties half)
            reps = np.array([_snap(stat(i), value) for i in boot])
            jk = np.array([_snap(stat(i), value) for i in jack])
            ci = bca_interval(value, reps, jk, _LEVEL)
            assert ci is not None, name  # the cases are chosen so that every interval exists
            out[name] = (value, (ci.low, ci.high), "bootstrap-bca")
        else:  # the debiased squared calibration error: basic bootstrap around the plug-in truth
            truth = kind[1]
            reps = np.array([stat(i) for i in boot])
            a = (1 - _LEVEL) / 2
            q_lo, q_hi = np.quantile(reps - truth, [a, 1 - a])
            ci = (np.sqrt(max(value - q_hi, 0.0)), np.sqrt(max(value - q_lo, 0.0)))
            out[name] = (np.sqrt(max(value, 0.0)), ci, "bootstrap-basic-debiased")
    return out


def _assert_matches(out, expected: dict, n: int) -> None:
    by = {m.name: m for m in out.metrics}
    assert list(by) == list(expected)
    for name, (value, ci, method) in expected.items():
        m = by[name]
        assert m.value == pytest.approx(value, abs=1e-10), name
        assert m.n == n, name
        if ci is None:
            assert m.ci is None, name
            continue
        assert m.ci is not None and m.ci.method == method and m.ci.level == _LEVEL, name
        assert (m.ci.low, m.ci.high) == (pytest.approx(ci[0], abs=1e-9), pytest.approx(ci[1], abs=1e-9)), name


def _kumar_rows(conf: np.ndarray, hit: np.ndarray):
    return lambda i: _kumar_debiased_sq(conf[i], hit[i], _BINS)


def test_every_binary_figure_and_interval_with_a_string_pos_label_sorting_first() -> None:
    """Classes 'bad' < 'good', 'bad' positive: values, Wilson and BCa intervals at level 0.9,
    the debiased calibration error's basic interval, n, unit, direction and the reliability
    view on 10 bins (scikit-learn's calibration_curve with pos_label)."""
    from sklearn.calibration import calibration_curve

    frame = synthetic_frame(300, seed=11)
    frame["y"] = frame["y"].map({1: "bad", 0: "good"})
    ctx = make_context(frame, pos_label="bad")
    out = PerformanceMetrics().run(ctx, PerformanceParams(n_boot=40, level=_LEVEL, ece_bins=_BINS))
    y, pred, proba = np.asarray(ctx.y), np.asarray(ctx.predictions()), ctx.probabilities()
    classes = list(ctx.classes)
    assert classes == ["bad", "good"] and ctx.pos_label == "bad"
    p_bad = proba[:, 0]
    hit = (y == "bad").astype(float)
    tp, n_pos, n_pred = int(((y == "bad") & (pred == "bad")).sum()), int((y == "bad").sum()), int((pred == "bad").sum())
    stats = {
        "accuracy": lambda i: skm.accuracy_score(y[i], pred[i]),
        "balanced_accuracy": lambda i: skm.balanced_accuracy_score(y[i], pred[i]),
        "balanced_accuracy_lift": lambda i: skm.balanced_accuracy_score(y[i], pred[i]) - 1 / len(np.unique(y[i])),
        "precision": lambda i: skm.precision_score(y[i], pred[i], pos_label="bad"),
        "recall": lambda i: skm.recall_score(y[i], pred[i], pos_label="bad"),
        "f1": lambda i: skm.f1_score(y[i], pred[i], pos_label="bad"),
        "roc_auc": lambda i: skm.roc_auc_score(hit[i], p_bad[i]),
        "log_loss": lambda i: skm.log_loss(y[i], proba[i], labels=classes),
        "brier": lambda i: skm.brier_score_loss(y[i], p_bad[i], pos_label="bad"),
        "ece": lambda i: _plugin_ece(p_bad[i], hit[i]),
        "calibration_error": _kumar_rows(p_bad, hit),
    }
    kinds = {name: "bca" for name in stats} | {
        "accuracy": ("wilson", int((y == pred).sum()), len(y)),
        "precision": ("wilson", tp, n_pred),
        "recall": ("wilson", tp, n_pos),
        "ece": "none",
        "calibration_error": ("debiased", _plugin_sq(p_bad, hit, _BINS)),
    }
    _assert_matches(out, _expected(ctx, stats, 40, kinds), len(y))
    assert {m.name: m.unit for m in out.metrics} == {
        "accuracy": "rate", "balanced_accuracy": "rate", "balanced_accuracy_lift": "difference",
        "precision": "rate", "recall": "rate", "f1": "score", "roc_auc": "score", "log_loss": "nats",
        "brier": "score", "ece": "probability", "calibration_error": "probability",
    }  # fmt: skip
    assert out.details == {
        "task": "binary", "n_boot": 40, "level": _LEVEL, "no_interval": NO_INTERVAL,
        "decision_threshold": None, "pos_label": "bad",
    }  # fmt: skip
    (view,) = out.views
    prob_true, prob_pred = calibration_curve(y, p_bad, n_bins=_BINS, pos_label="bad")
    assert view.target == "positive_class" and view.n_bins == _BINS
    assert [b.fraction_positive for b in view.bins] == pytest.approx(list(prob_true), abs=1e-12)
    assert [b.mean_predicted for b in view.bins] == pytest.approx(list(prob_pred), abs=1e-12)


def _plugin_ece(conf: np.ndarray, hit: np.ndarray) -> float:
    bins = np.clip(np.floor(conf * _BINS).astype(int), 0, _BINS - 1)
    return float(sum(abs(hit[bins == b].sum() - conf[bins == b].sum()) for b in range(_BINS)) / len(conf))


def _string_multiclass(n: int = 300, seed: int = 3):
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    latent = X["a"] + 0.5 * X["b"] + rng.normal(0, 0.7, n)
    y = np.array(["lo", "mid", "hi"], dtype=object)[np.digitize(latent, [-0.7, 0.7])]
    est = LogisticRegression(max_iter=500).fit(X, y)
    return X.assign(y=y), est


def test_every_multiclass_figure_and_interval_with_string_classes() -> None:
    """Classes 'hi' < 'lo' < 'mid': macro F1 and one-vs-rest ROC AUC over the classes,
    top-label calibration; intervals at level 0.9 from the resampled rows."""
    from sklearn.calibration import calibration_curve

    frame, est = _string_multiclass()
    ctx = make_context(frame, estimator=est, features=("a", "b"), sensitive=())
    out = PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=30, level=_LEVEL, ece_bins=_BINS))
    y, pred, proba = np.asarray(ctx.y, dtype=object), np.asarray(ctx.predictions(), dtype=object), ctx.probabilities()
    classes = list(ctx.classes)
    assert ctx.task == "multiclass" and classes == ["hi", "lo", "mid"]
    conf = proba.max(axis=1)
    hit = (np.asarray(classes, dtype=object)[proba.argmax(axis=1)] == y).astype(float)
    onehot = (y[:, None] == np.asarray(classes, dtype=object)[None, :]).astype(float)
    stats = {
        "accuracy": lambda i: skm.accuracy_score(y[i], pred[i]),
        "balanced_accuracy": lambda i: skm.balanced_accuracy_score(y[i], pred[i]),
        "balanced_accuracy_lift": lambda i: skm.balanced_accuracy_score(y[i], pred[i]) - 1 / len(np.unique(y[i])),
        "f1": lambda i: skm.f1_score(y[i], pred[i], average="macro", labels=np.unique(y[i])),
        "roc_auc": lambda i: skm.roc_auc_score(y[i], proba[i], multi_class="ovr", labels=classes),
        "log_loss": lambda i: skm.log_loss(y[i], proba[i], labels=classes),
        "brier": lambda i: float(np.mean(((proba[i] - onehot[i]) ** 2).sum(axis=1))),
        "ece": lambda i: _plugin_ece(conf[i], hit[i]),
        "calibration_error": _kumar_rows(conf, hit),
    }
    kinds = {name: "bca" for name in stats} | {
        "accuracy": ("wilson", int((y == pred).sum()), len(y)),
        "ece": "none",
        "calibration_error": ("debiased", _plugin_sq(conf, hit, _BINS)),
    }
    _assert_matches(out, _expected(ctx, stats, 30, kinds), len(y))
    assert out.details == {"task": "multiclass", "n_boot": 30, "level": _LEVEL, "no_interval": NO_INTERVAL}
    (view,) = out.views
    prob_true, prob_pred = calibration_curve(hit, conf, n_bins=_BINS)
    assert view.target == "top_label" and view.n_bins == _BINS
    assert [b.fraction_positive for b in view.bins] == pytest.approx(list(prob_true), abs=1e-12)
    assert [b.mean_predicted for b in view.bins] == pytest.approx(list(prob_pred), abs=1e-12)


def test_every_regression_figure_and_interval() -> None:
    from sklearn.linear_model import Ridge

    rng = np.random.default_rng(12)
    X = pd.DataFrame({"a": rng.normal(size=250), "b": rng.normal(size=250)})
    y = 3 * X["a"] - X["b"] + rng.standard_t(3, 250)  # heavy tails: BCa differs from percentile
    est = Ridge().fit(X, y)
    ctx = make_context(X.assign(y=y), estimator=est, features=("a", "b"), sensitive=())
    out = PerformanceMetrics().run(ctx, PerformanceParams(n_boot=40, level=_LEVEL))
    yy, pred = np.asarray(y, dtype=float), est.predict(X)
    stats = {
        "mae": lambda i: skm.mean_absolute_error(yy[i], pred[i]),
        "rmse": lambda i: float(np.sqrt(skm.mean_squared_error(yy[i], pred[i]))),
        "r2": lambda i: skm.r2_score(yy[i], pred[i]),
    }
    _assert_matches(out, _expected(ctx, stats, 40, dict.fromkeys(stats, "bca")), len(yy))
    assert {m.name: m.greater_is_better for m in out.metrics} == {"mae": False, "rmse": False, "r2": True}
    assert out.details == {"task": "regression", "n_boot": 40, "level": _LEVEL, "no_interval": {}}
    assert out.views == () and out.undefined == {}
    described = {m.name: m.description for m in out.metrics}
    assert described["mae"] is None and described["rmse"] is None
    assert described["r2"] is not None and "DummyRegressor(strategy='mean')" in described["r2"]
    assert described["r2"].startswith("R²; ") and described["r2"].endswith("scores exactly 0")


@pytest.mark.parametrize("hi_rows", [0, 1], ids=["class-absent", "class-with-one-row"])
def test_multiclass_averages_over_the_classes_present_in_the_labels(hi_rows: int) -> None:
    """A three-class model evaluated on rows holding none, or exactly one, of class 'hi':
    balanced accuracy and macro F1 average over the classes present in the labels (as
    scikit-learn's balanced_accuracy_score and f1_score with those labels do), and the lift
    subtracts 1 / (number of classes present)."""
    frame, est = _string_multiclass(n=400, seed=5)
    keep = frame[frame["y"] != "hi"]
    eval_rows = pd.concat([keep, frame[frame["y"] == "hi"].head(hi_rows)]).reset_index(drop=True)
    ctx = make_context(eval_rows, estimator=est, features=("a", "b"), sensitive=())
    assert list(ctx.classes) == ["hi", "lo", "mid"]
    y, pred = np.asarray(ctx.y, dtype=object), np.asarray(ctx.predictions(), dtype=object)
    assert (pred == "hi").any()  # the model does predict the absent class: it counts as an error
    present = np.unique(y)
    assert len(present) == 2 + hi_rows
    v = _values(PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=0)))
    with pytest.warns(UserWarning) if hi_rows == 0 else _no_warning():
        ba = skm.balanced_accuracy_score(y, pred)
    assert v["balanced_accuracy"] == pytest.approx(ba, abs=1e-12)
    assert v["balanced_accuracy_lift"] == pytest.approx(ba - 1 / len(present), abs=1e-12)
    assert v["f1"] == pytest.approx(skm.f1_score(y, pred, average="macro", labels=present), abs=1e-12)


def _no_warning():
    import contextlib

    return contextlib.nullcontext()


def test_undefined_reasons_and_descriptions_name_what_is_missing() -> None:
    """One class only: each metric that needs two classes (or the positive class) says why it
    is not reported; the lift's description names its baseline."""
    from sklearn.linear_model import LogisticRegression

    frame = synthetic_frame(400, seed=2)
    feats = ["income", "debt_ratio"]
    est = LogisticRegression(max_iter=500).fit(frame[feats], frame["y"])
    ctx = make_context(frame[frame["y"] == 0].reset_index(drop=True), estimator=est, features=tuple(feats))
    out = PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=0))
    one_class = "only one class in the evaluation rows"
    no_pos = "no row of the positive class (1) in the evaluation rows"
    assert {k: out.undefined[k] for k in ("balanced_accuracy", "balanced_accuracy_lift", "roc_auc")} == dict.fromkeys(
        ("balanced_accuracy", "balanced_accuracy_lift", "roc_auc"), one_class
    )
    assert out.undefined["recall"] == no_pos and out.undefined["f1"] == no_pos
    both = PerformanceMetrics().run(make_context(frame), PerformanceParams.model_construct(n_boot=0))
    described = {m.name: m.description for m in both.metrics}
    lift = described["balanced_accuracy_lift"]
    assert lift is not None and lift.startswith("balanced accuracy minus that of DummyClassifier(strategy='prior')")
    assert lift.endswith("(1 / number of classes present); > 0 means better than trivial")
    assert described["accuracy"] is None and described["precision"] is None and described["recall"] is None


def test_one_replicate_gives_the_debiased_interval_of_that_replicate() -> None:
    """n_boot = 1: the basic interval of one replicate r is the point [θ̂ − (r − t), θ̂ − (r − t)]
    (t the sample's plug-in value), both ends the same, rooted."""
    ctx = make_context(synthetic_frame(200, seed=6))
    out = PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=1, ece_bins=_BINS))
    ce = next(m for m in out.metrics if m.name == "calibration_error")
    conf, hit = ctx.positive_scores(), ctx.y_binary().astype(float)
    (idx,), _ = _resamples(ctx, 200, 1)
    replicate, truth = _kumar_debiased_sq(conf[idx], hit[idx], _BINS), _plugin_sq(conf, hit, _BINS)
    point = _kumar_debiased_sq(conf, hit, _BINS) - (replicate - truth)
    assert ce.ci is not None
    assert ce.ci.low == pytest.approx(np.sqrt(max(point, 0.0)), abs=1e-12) == ce.ci.high


def test_a_classifier_without_probabilities_names_the_metrics_it_cannot_have() -> None:
    """A linear SVM has no predict_proba: the label metrics are reported, the five that need
    probabilities are listed as undefined with the reason, and there is no reliability view."""
    from sklearn.svm import LinearSVC

    frame = synthetic_frame(300, seed=7)
    feats = ["income", "debt_ratio"]
    frame = frame.assign(income=np.log(frame["income"]) - 10)  # on the scale of debt_ratio
    svm = LinearSVC().fit(frame[feats], frame["y"])
    ctx = make_context(frame, estimator=svm, features=tuple(feats))
    assert "probabilities" not in ctx.capabilities
    out = PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=0))
    assert [m.name for m in out.metrics] == ["accuracy", "balanced_accuracy", "balanced_accuracy_lift", "precision",
                                             "recall", "f1"]  # fmt: skip
    assert out.undefined == dict.fromkeys(
        ("roc_auc", "log_loss", "brier", "ece", "calibration_error"), "the model gives no probabilities"
    )
    assert out.views == ()
    assert _values(out)["accuracy"] == pytest.approx(skm.accuracy_score(ctx.y, svm.predict(frame[feats])), abs=1e-12)


def test_debiased_calibration_error_counts_bins_of_two_rows_and_skips_bins_of_one() -> None:
    """Kumar, Liang & Ma's estimator needs n_b − 1 > 0: a bin of one row contributes nothing,
    a bin of exactly two rows does; the plug-in value behind the interval keeps every bin.
    Hand-built scores on 10 bins: one row at 0.05, two at 0.15 (one positive), 40 at 0.75
    (10 positive), 37 at 0.35 (13 positive)."""
    q = np.r_[0.05, 0.15, 0.15, np.full(40, 0.75), np.full(37, 0.35)]
    y = np.r_[1, 0, 1, np.r_[np.ones(10), np.zeros(30)], np.r_[np.ones(13), np.zeros(24)]].astype(int)
    ctx = make_context(pd.DataFrame({"q": q, "y": y}), model=ScoreColumn(), features=("q",), sensitive=())
    out = PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=25, ece_bins=_BINS, level=_LEVEL))
    ce = next(m for m in out.metrics if m.name == "calibration_error")
    n = 80
    by_hand = (2 * ((0.5 - 0.15) ** 2 - 0.25 / 1) + 40 * ((0.25 - 0.75) ** 2 - 0.25 * 0.75 / 39)
               + 37 * ((13 / 37 - 0.35) ** 2 - (13 / 37) * (24 / 37) / 36)) / n  # fmt: skip
    assert _kumar_debiased_sq(q, y.astype(float), _BINS) == pytest.approx(by_hand, abs=1e-15)
    assert ce.value == pytest.approx(np.sqrt(by_hand), abs=1e-12)
    truth = (1 * (1 - 0.05) ** 2 + 2 * (0.5 - 0.15) ** 2 + 40 * (0.25 - 0.75) ** 2 + 37 * (13 / 37 - 0.35) ** 2) / n
    assert _plugin_sq(q, y.astype(float), _BINS) == pytest.approx(truth, abs=1e-15)
    boot, _ = _resamples(ctx, n, 25)
    reps = np.array([_kumar_debiased_sq(q[i], y[i].astype(float), _BINS) for i in boot])
    a = (1 - _LEVEL) / 2
    q_lo, q_hi = np.quantile(reps - truth, [a, 1 - a])
    assert ce.ci is not None
    assert ce.ci.low == pytest.approx(np.sqrt(max(by_hand - q_hi, 0)), abs=1e-12)
    assert ce.ci.high == pytest.approx(np.sqrt(max(by_hand - q_lo, 0)), abs=1e-12)


def test_one_predicted_positive_and_one_positive_row_are_enough() -> None:
    """Precision with exactly one row predicted positive, recall with exactly one positive
    row: both defined (1 of 1), as scikit-learn gives them; F1 likewise."""
    q = np.r_[0.6, np.full(49, 0.2)]  # ScoreColumn predicts class 1 for q >= 0.5: row 0 only
    y = np.r_[1, np.zeros(49)].astype(int)
    ctx = make_context(pd.DataFrame({"q": q, "y": y}), model=ScoreColumn(), features=("q",), sensitive=())
    v = _values(PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=0)))
    pred = (q >= 0.5).astype(int)
    assert v["precision"] == skm.precision_score(y, pred) == 1.0
    assert v["recall"] == skm.recall_score(y, pred) == 1.0
    assert v["f1"] == pytest.approx(skm.f1_score(y, pred), abs=1e-12)


def test_log_loss_clips_a_zero_probability_of_the_true_class_as_sklearn_does() -> None:
    """A row whose true class got probability 0 costs -log(eps), not infinity: the same
    clipping as scikit-learn's log_loss, so the metric stays reported."""
    q = np.r_[1.0, 0.0, np.full(38, 0.7)]
    y = np.r_[0, 1, np.r_[np.ones(27), np.zeros(11)]].astype(int)
    ctx = make_context(pd.DataFrame({"q": q, "y": y}), model=ScoreColumn(), features=("q",), sensitive=())
    v = _values(PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=0)))
    proba = np.c_[1 - q, q]
    assert v["log_loss"] == pytest.approx(skm.log_loss(y, proba), rel=1e-12)
    eps = np.finfo(np.float64).eps
    by_hand = (-2 * np.log(eps) - 27 * np.log(0.7) - 11 * np.log(0.3)) / 40
    assert v["log_loss"] == pytest.approx(by_hand, rel=1e-12)


def test_multiclass_f1_is_described_and_undefined_on_one_class() -> None:
    """Multiclass F1 is the macro average (described so, higher is better); on rows of one
    class only it is not reported, with the one-class reason."""
    frame, est = _string_multiclass(n=300, seed=3)
    ctx = make_context(frame, estimator=est, features=("a", "b"), sensitive=())
    by = {m.name: m for m in PerformanceMetrics().run(ctx, PerformanceParams.model_construct(n_boot=0)).metrics}
    assert by["f1"].description == "macro F1 over the classes present in the labels"
    assert by["f1"].greater_is_better is True
    assert by["ece"].description == (
        "plug-in binned expected calibration error (no interval: biased upward, see calibration_error)"
    )
    assert by["calibration_error"].description == (
        "debiased l2 calibration error over the ECE bins (Kumar, Liang & Ma 2019)"
    )
    lo_only = frame[frame["y"] == "lo"].reset_index(drop=True)
    out = PerformanceMetrics().run(
        make_context(lo_only, estimator=est, features=("a", "b"), sensitive=()),
        PerformanceParams.model_construct(n_boot=0),
    )
    assert out.undefined["f1"] == "only one class in the evaluation rows"
    assert "f1" not in _values(out)
