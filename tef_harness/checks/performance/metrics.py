"""performance.metrics: the model's measured accuracy, with intervals valid for each statistic.

Each metric is written once as a function of per-row resampling weights (a row drawn k
times has weight k, a row left out has weight 0), so the point estimate (all weights 1),
every bootstrap replicate and every jackknife value go through the same O(n) vectorised
code; nothing loops over rows, and ROC AUC uses one sort for all replicates.

Which interval, and why:
- proportions of rows (accuracy; precision and recall of the positive class) get the
  Wilson score interval, which holds its coverage at small n and near 0 or 1;
- smooth, roughly unbiased statistics (balanced accuracy and its lift over the prior,
  F1, ROC AUC, log loss, Brier score, MAE, RMSE, R²) get the BCa bootstrap interval
  (``stats.bca_interval``);
- the plug-in binned ECE is reported without an interval: it is biased upward (even a
  perfectly calibrated model has a positive expected plug-in ECE), so its bootstrap
  replicates sit above the estimate and a percentile interval can exclude the estimate
  itself. ``calibration_error`` is the debiased estimator of Kumar, Liang & Ma (2019,
  "Verified Uncertainty Calibration") with the basic bootstrap interval centred as that
  estimator needs (``_debiased_interval``): bound that one.

A metric that is undefined on the evaluation rows (F1 and recall with no row of the
positive class, precision when the model predicts it for no row, ROC AUC and balanced
accuracy with one class only, R² on a constant target) is listed in ``undefined`` with the
reason, never reported as 0.0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Self

import numpy as np
from pydantic import Field, JsonValue, model_validator

from tef_harness.api import (
    CalibrationCurve,
    Check,
    CheckOutput,
    Interval,
    Metric,
    Params,
    RunContext,
    bca_interval,
    jackknife_blocks,
    wilson_ci,
)
from tef_harness.sdk.resamples import require_enough_resamples

Weighted = Callable[[np.ndarray], float]

#: sklearn's log_loss clips probabilities at the float64 machine epsilon
_EPS = float(np.finfo(np.float64).eps)
_NAN = float("nan")
#: metrics reported without an interval, and why (the report says so)
NO_INTERVAL = {
    "ece": "plug-in binned ECE is biased upward; a bootstrap interval of it can exclude the estimate "
    "(Kumar, Liang & Ma 2019): bound calibration_error, the debiased estimator, instead",
}

#: what each metric's number is in (``Metric.unit``): ``rate`` a proportion of rows (the
#: balanced accuracy a mean of per-class recalls), ``difference`` one of two rates, ``score`` a
#: dimensionless score (F1, ROC AUC, Brier, R²), ``nats`` natural-log loss, ``probability`` a gap
#: between predicted probability and observed frequency, ``target units`` the target's own
UNITS = {
    "accuracy": "rate",
    "balanced_accuracy": "rate",
    "balanced_accuracy_lift": "difference",
    "precision": "rate",
    "recall": "rate",
    "f1": "score",
    "roc_auc": "score",
    "log_loss": "nats",
    "brier": "score",
    "ece": "probability",
    "calibration_error": "probability",
    "mae": "target units",
    "rmse": "target units",
    "r2": "score",
}


class PerformanceParams(Params):
    #: bootstrap resamples. At least ``min_resamples(level)`` (39 at 0.95, 199 at 0.99): the
    #: smallest count whose two-sided percentile (and BCa) interval has both ends among the
    #: replicates (Davison & Hinkley 1997, sec. 5.2.1); with fewer the interval is missing or
    #: degenerate and every bound on it untestable
    n_boot: Annotated[int, Field(le=10_000)] = 200
    level: Annotated[float, Field(gt=0.5, lt=1.0)] = 0.95
    ece_bins: Annotated[int, Field(ge=2, le=100)] = 15
    #: deprecated alias of ``model.decision_threshold``, which applies to every check
    decision_threshold: Annotated[float, Field(gt=0.0, lt=1.0)] | None = None

    @model_validator(mode="after")
    def _enough_resamples(self) -> Self:
        require_enough_resamples(self.n_boot, self.level, maximum=10_000)
        return self


@dataclass(frozen=True)
class _Spec:
    """One metric: its weighted function, direction, interval kind ("wilson", "bca",
    "debiased-squared" or "none"), why it would be undefined, for a proportion the
    (successes, trials) behind its Wilson interval, and for a debiased estimator the value
    its target takes on the sample itself (the truth of the bootstrap world)."""

    fn: Weighted
    higher: bool
    interval: str
    undefined: str
    description: str | None = None
    counts: tuple[float, float] | None = None
    sample_truth: float | None = None


class PerformanceMetrics(Check):
    id = "performance.metrics"
    family = "performance"
    title = "Measured predictive performance"
    description = (
        "Accuracy, balanced accuracy and its lift over DummyClassifier(strategy='prior'), precision, "
        "recall, F1, ROC AUC, log loss, Brier score, the plug-in ECE and the debiased calibration error "
        "for classifiers; MAE, RMSE and R² (whose floor, 0, is DummyRegressor(strategy='mean') on the "
        "same rows) for regressors; Wilson intervals for proportions, BCa bootstrap intervals otherwise."
    )
    requires = frozenset({"labels", "predictions"})
    evidence_for = ("EU-AI-Act:Art15(1)", "EU-AI-Act:Art15(3)", "EU-AI-Act:AnnexIV-3")
    Params = PerformanceParams
    metric_names = tuple(UNITS)
    run_setting_aliases = (("decision_threshold", "model.decision_threshold"),)

    def run(self, ctx: RunContext, params: PerformanceParams) -> CheckOutput:
        specs = _regression_metrics(ctx) if ctx.task == "regression" else _classification_metrics(ctx, params)
        n = len(ctx.eval.frame)
        rng = ctx.rng(self.id)
        ones = np.ones(n)
        point = {name: spec.fn(ones) for name, spec in specs.items()}
        resampled = ("bca", "debiased-squared")
        bootstrapped = [k for k, s in specs.items() if s.interval in resampled and np.isfinite(point[k])]
        reps = _bootstrap({k: specs[k].fn for k in bootstrapped}, n, params.n_boot, rng)
        jack = _jackknife({k: specs[k].fn for k in bootstrapped}, n, rng) if params.n_boot else {}
        metrics: list[Metric] = []
        undefined: dict[str, str] = {}
        for name, spec in specs.items():
            value = point[name]
            if not np.isfinite(value):
                undefined[name] = spec.undefined
                continue
            ci = _interval(spec, value, reps.get(name), jack.get(name), params) if params.n_boot else None
            shown = _shown(spec, value)
            metrics.append(
                Metric(
                    name=name,
                    value=shown,
                    ci=ci,
                    n=n,
                    unit=UNITS[name],
                    greater_is_better=spec.higher,
                    description=spec.description,
                )
            )
        if ctx.task != "regression" and "probabilities" not in ctx.capabilities:
            why = "the model gives no probabilities"
            undefined.update(dict.fromkeys(("roc_auc", "log_loss", "brier", "ece", "calibration_error"), why))
        details: dict[str, JsonValue] = {
            "task": ctx.task,
            "n_boot": params.n_boot,
            "level": params.level,
            "no_interval": {k: v for k, v in NO_INTERVAL.items() if k in specs},
        }
        if ctx.task == "binary":
            # the run's threshold, applied by the model client to every check's labels
            details["decision_threshold"] = ctx.model.decision_threshold if ctx.model is not None else None
            details["pos_label"] = str(ctx.pos_label)
        # the reliability diagram behind ece and calibration_error, on the same bins
        views = (
            (_reliability(ctx, params.ece_bins),)
            if ctx.task != "regression" and "probabilities" in ctx.capabilities
            else ()
        )
        return CheckOutput(metrics=tuple(metrics), details=details, undefined=undefined, views=views)


def _reliability(ctx: RunContext, n_bins: int) -> CalibrationCurve:
    """Binary: P(positive) against the positive label; multiclass: the top-label confidence
    against whether the top label is right (the pairs ece is computed on)."""
    if ctx.task == "binary":
        return CalibrationCurve.from_scores(ctx.positive_scores(), ctx.y_binary(), n_bins, "positive_class")
    proba = ctx.probabilities()
    classes = np.asarray(list(ctx.classes or np.unique(ctx.y)), dtype=object)
    hit = classes[proba.argmax(axis=1)] == ctx.y
    return CalibrationCurve.from_scores(np.clip(proba.max(axis=1), 0.0, 1.0), hit, n_bins, "top_label")


def _shown(spec: _Spec, value: float) -> float:
    """The reported value: the debiased calibration error is the root of a debiased squared
    error that can fall below zero by chance; a calibration error is never negative."""
    return float(np.sqrt(max(value, 0.0))) if spec.interval == "debiased-squared" else value


def _interval(
    spec: _Spec, value: float, reps: np.ndarray | None, jack: np.ndarray | None, params: PerformanceParams
) -> Interval | None:
    if spec.interval == "wilson" and spec.counts is not None:
        return wilson_ci(spec.counts[0], spec.counts[1], params.level)
    if spec.interval == "none" or reps is None or jack is None:
        return None
    if spec.interval == "bca":
        return bca_interval(value, reps, jack, params.level)
    return _debiased_interval(value, reps, spec.sample_truth, params.level)


def _debiased_interval(value: float, reps: np.ndarray, sample_truth: float | None, level: float) -> Interval | None:
    """The basic (pivotal) bootstrap interval of a debiased estimator, mapped from the squared
    error to its root.

    In the bootstrap world the population is the sample, so the quantity the resampled
    debiased estimator aims at is the *plug-in* value on the sample (``sample_truth``), not
    the debiased estimate: the replicates centre there. The spread of (replicate − sample
    truth) is the estimator's error distribution, and [θ̂ − q_hi, θ̂ − q_lo] the interval.
    A percentile or BCa interval would take the replicates' centre for the estimate's and sit
    above it by the very bias the estimator removes (BCa gave no interval at all on a
    calibrated model: every replicate lay above the estimate). Both ends are clipped at zero,
    as the reported value is, since a calibration error is never negative."""
    finite = reps[np.isfinite(reps)]
    if sample_truth is None or finite.size == 0:
        return None
    alpha = (1.0 - level) / 2.0
    q_lo, q_hi = np.quantile(finite - sample_truth, [alpha, 1.0 - alpha])
    low, high = value - q_hi, value - q_lo
    return Interval(
        low=float(np.sqrt(max(low, 0.0))),
        high=float(np.sqrt(max(high, 0.0))),
        level=level,
        method="bootstrap-basic-debiased",
    )


def _proportion(fn: Weighted, k: float, m: float, higher: bool, undefined: str, description: str | None) -> _Spec:
    return _Spec(fn, higher, "wilson", undefined, description, counts=(k, m))


def _bootstrap(fns: dict[str, Weighted], n: int, n_boot: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    reps = {name: np.empty(n_boot) for name in fns}
    for b in range(n_boot):
        w = np.bincount(rng.integers(0, n, size=n), minlength=n).astype(float)
        for name, fn in fns.items():
            reps[name][b] = fn(w)
    return reps


def _jackknife(fns: dict[str, Weighted], n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Each statistic with each jackknife block of rows left out (weight 0). Fifty blocks
    estimate BCa's acceleration (a small, third-moment correction) well enough, at a quarter
    of the bootstrap's cost."""
    blocks = jackknife_blocks(rng, n, max_blocks=50)
    n_blocks = int(blocks.max()) + 1 if n else 0
    out = {name: np.empty(n_blocks) for name in fns}
    for g in range(n_blocks):
        w = (blocks != g).astype(float)
        for name, fn in fns.items():
            out[name][g] = fn(w)
    return out


def _classification_metrics(ctx: RunContext, params: PerformanceParams) -> dict[str, _Spec]:
    y = ctx.y
    has_proba = "probabilities" in ctx.capabilities
    classes = list(ctx.classes or np.unique(y))
    pred = ctx.predictions()  # P(positive) >= model.decision_threshold when the run sets one
    n = len(y)
    correct = (pred == y).astype(float)
    onehot_y = np.stack([(y == c) for c in classes], axis=1).astype(float)
    onehot_p = np.stack([(pred == c) for c in classes], axis=1).astype(float)
    one_class = "only one class in the evaluation rows"

    def balanced_accuracy(w: np.ndarray) -> float:
        support = w @ onehot_y
        hits = w @ (onehot_y * correct[:, None])
        present = support > 0
        if present.sum() < 2:
            return _NAN
        return float(np.mean(hits[present] / support[present]))

    def balanced_accuracy_lift(w: np.ndarray) -> float:
        # DummyClassifier(strategy="prior") predicts the majority class for every row: its
        # recall is 1 for that class and 0 for the others, so its balanced accuracy is
        # 1 / (number of classes present) on any rows, and lift > 0 means better than trivial
        present = int(((w @ onehot_y) > 0).sum())
        return balanced_accuracy(w) - 1.0 / present if present >= 2 else _NAN

    def per_class_f1(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        tp = w @ (onehot_y * onehot_p)
        fp = w @ ((1 - onehot_y) * onehot_p)
        fn = w @ (onehot_y * (1 - onehot_p))
        support = tp + fn
        return np.divide(2 * tp, 2 * tp + fp + fn, out=np.full_like(tp, np.nan), where=support > 0), support > 0

    specs: dict[str, _Spec] = {
        "accuracy": _proportion(
            lambda w: float(w @ correct / w.sum()), float(correct.sum()), float(n), True, "no rows", None
        ),
        "balanced_accuracy": _Spec(balanced_accuracy, True, "bca", one_class),
        "balanced_accuracy_lift": _Spec(
            balanced_accuracy_lift,
            True,
            "bca",
            one_class,
            "balanced accuracy minus that of DummyClassifier(strategy='prior') on the same rows "
            "(1 / number of classes present); > 0 means better than trivial",
        ),
    }
    if ctx.task == "binary":
        k = classes.index(ctx.pos_label)
        pos_y, pos_p = onehot_y[:, k], onehot_p[:, k]
        tp, n_pos, n_pred = float((pos_y * pos_p).sum()), float(pos_y.sum()), float(pos_p.sum())
        no_pos = f"no row of the positive class ({ctx.pos_label!s}) in the evaluation rows"

        def precision(w: np.ndarray) -> float:
            m = w @ pos_p
            return float(w @ (pos_y * pos_p) / m) if m > 0 else _NAN

        def recall(w: np.ndarray) -> float:
            m = w @ pos_y
            return float(w @ (pos_y * pos_p) / m) if m > 0 else _NAN

        def f1(w: np.ndarray) -> float:
            return float(per_class_f1(w)[0][k])

        specs["precision"] = _proportion(
            precision, tp, n_pred, True, "the model predicts the positive class for no evaluation row", None
        )
        specs["recall"] = _proportion(recall, tp, n_pos, True, no_pos, None)
        specs["f1"] = _Spec(f1, True, "bca", no_pos)
    else:

        def macro_f1(w: np.ndarray) -> float:
            per_class, present = per_class_f1(w)
            return float(per_class[present].mean()) if present.sum() >= 2 else _NAN

        specs["f1"] = _Spec(macro_f1, True, "bca", one_class, "macro F1 over the classes present in the labels")
    if has_proba:
        proba = ctx.probabilities()
        row_ll = -np.log(np.clip((proba * onehot_y).sum(axis=1), _EPS, 1.0))
        if ctx.task == "binary":
            score = ctx.positive_scores()
            ybin = ctx.y_binary().astype(float)
            row_brier = (score - ybin) ** 2
            auc = _weighted_auc(score, ybin)
            conf, hit = score, ybin
        else:
            row_brier = ((proba - onehot_y) ** 2).sum(axis=1)
            aucs = [_weighted_auc(proba[:, c], onehot_y[:, c]) for c in range(len(classes))]

            def auc(w: np.ndarray) -> float:
                values = [a(w) for a in aucs]
                return float(np.mean(values)) if all(np.isfinite(values)) else _NAN

            conf, hit = proba.max(axis=1), (np.asarray(classes, dtype=object)[proba.argmax(axis=1)] == y).astype(float)
        specs["roc_auc"] = _Spec(auc, True, "bca", one_class)
        specs["log_loss"] = _Spec(lambda w: float(w @ row_ll / w.sum()), False, "bca", "no rows")
        specs["brier"] = _Spec(lambda w: float(w @ row_brier / w.sum()), False, "bca", "no rows")
        specs["ece"] = _Spec(
            _weighted_ece(conf, hit, params.ece_bins),
            False,
            "none",
            "no rows",
            "plug-in binned expected calibration error (no interval: biased upward, see calibration_error)",
        )
        specs["calibration_error"] = _Spec(
            _weighted_debiased_sq_ce(conf, hit, params.ece_bins),
            False,
            "debiased-squared",
            "no rows",
            "debiased l2 calibration error over the ECE bins (Kumar, Liang & Ma 2019)",
            sample_truth=_plugin_sq_ce(conf, hit, params.ece_bins),
        )
    return specs


def _regression_metrics(ctx: RunContext) -> dict[str, _Spec]:
    y = ctx.y.astype(float)
    err = ctx.predictions().astype(float) - y

    def r2(w: np.ndarray) -> float:
        mean = w @ y / w.sum()
        sst = w @ (y - mean) ** 2
        return float(1 - (w @ err**2) / sst) if sst > 0 else _NAN

    return {
        "mae": _Spec(lambda w: float(w @ np.abs(err) / w.sum()), False, "bca", "no rows"),
        "rmse": _Spec(lambda w: float(np.sqrt(w @ err**2 / w.sum())), False, "bca", "no rows"),
        "r2": _Spec(
            r2,
            True,
            "bca",
            "the target is constant on the evaluation rows",
            "R²; DummyRegressor(strategy='mean') fitted on the same rows scores exactly 0",
        ),
    }


def _weighted_auc(score: np.ndarray, label: np.ndarray) -> Weighted:
    """ROC AUC with row weights; ties count one half (as in the Mann-Whitney statistic).
    The sort happens once; each call is two bincounts and a cumulative sum."""
    uniq, inv = np.unique(score, return_inverse=True)
    pos, neg = label.astype(float), 1.0 - label.astype(float)
    k = len(uniq)

    def auc(w: np.ndarray) -> float:
        wp = np.bincount(inv, weights=w * pos, minlength=k)
        wn = np.bincount(inv, weights=w * neg, minlength=k)
        total_p, total_n = wp.sum(), wn.sum()
        if total_p == 0 or total_n == 0:
            return _NAN
        neg_below = np.cumsum(wn) - wn
        return float((wp @ (neg_below + 0.5 * wn)) / (total_p * total_n))

    return auc


def _bins(conf: np.ndarray, n_bins: int) -> np.ndarray:
    """Bin index (0 .. n_bins-1) of each confidence, bins closed on the right as in Guo et al.
    (2017), I_m = ((m-1)/M, m/M], and as scikit-learn's calibration_curve and the report's
    reliability view bin them: a confidence exactly on an edge belongs to the lower bin, 0 to
    the first."""
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    return np.asarray(np.searchsorted(edges[1:-1], conf, side="left"))


def _weighted_ece(conf: np.ndarray, hit: np.ndarray, n_bins: int) -> Weighted:
    """Expected calibration error over equal-width confidence bins (Guo et al. 2017):
    sum over bins of (bin weight share) * |mean outcome - mean confidence|."""
    bins = _bins(conf, n_bins)

    def ece(w: np.ndarray) -> float:
        cnt = np.bincount(bins, weights=w, minlength=n_bins)
        s_conf = np.bincount(bins, weights=w * conf, minlength=n_bins)
        s_hit = np.bincount(bins, weights=w * hit, minlength=n_bins)
        return float(np.abs(s_hit - s_conf).sum() / cnt.sum())

    return ece


def _plugin_sq_ce(conf: np.ndarray, hit: np.ndarray, n_bins: int) -> float:
    """The plug-in squared l2 calibration error of the sample: sum over bins of p_b (ȳ_b − c̄_b)²."""
    bins = _bins(conf, n_bins)
    cnt = np.bincount(bins, minlength=n_bins).astype(float)
    s_conf = np.bincount(bins, weights=conf, minlength=n_bins)
    s_hit = np.bincount(bins, weights=hit, minlength=n_bins)
    ok = cnt > 0
    return float((cnt[ok] * (s_hit[ok] / cnt[ok] - s_conf[ok] / cnt[ok]) ** 2).sum() / cnt.sum())


def _weighted_debiased_sq_ce(conf: np.ndarray, hit: np.ndarray, n_bins: int) -> Weighted:
    """The debiased squared l2 calibration error of Kumar, Liang & Ma (2019, Sec. 5):
    sum over bins b of p_b * [(ȳ_b − c̄_b)² − ȳ_b(1 − ȳ_b)/(n_b − 1)]. The subtracted term
    is the expected excess of the plug-in square over the true one from the noise in ȳ_b, so
    the estimator is (nearly) unbiased and may fall below zero; bins with fewer than two
    rows contribute nothing, as in the authors' code. Row weights count as row copies."""
    bins = _bins(conf, n_bins)

    def sq_ce(w: np.ndarray) -> float:
        cnt = np.bincount(bins, weights=w, minlength=n_bins)
        s_conf = np.bincount(bins, weights=w * conf, minlength=n_bins)
        s_hit = np.bincount(bins, weights=w * hit, minlength=n_bins)
        ok = cnt >= 2
        c, ybar, cbar = cnt[ok], s_hit[ok] / cnt[ok], s_conf[ok] / cnt[ok]
        per_bin = (ybar - cbar) ** 2 - ybar * (1.0 - ybar) / (c - 1.0)
        return float((c * per_bin).sum() / cnt.sum())

    return sq_ce
