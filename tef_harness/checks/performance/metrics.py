"""performance.metrics: the model's measured accuracy, with bootstrap intervals.

Each metric is written once as a function of per-row resampling weights (a row drawn k
times has weight k), so the point estimate (all weights 1) and every bootstrap replicate go
through the same O(n) vectorised code; nothing loops over rows, and ROC AUC uses one sort
for all replicates.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import numpy as np
from pydantic import Field, JsonValue

from tef_harness.api import Check, CheckOutput, Interval, Metric, Params, RunContext, percentile_interval

Weighted = Callable[[np.ndarray], float]

#: sklearn's log_loss clips probabilities at the float64 machine epsilon
_EPS = float(np.finfo(np.float64).eps)


class PerformanceParams(Params):
    n_boot: Annotated[int, Field(ge=0, le=10_000)] = 200
    level: Annotated[float, Field(gt=0.5, lt=1.0)] = 0.95
    ece_bins: Annotated[int, Field(ge=2, le=100)] = 15
    #: deprecated alias of ``model.decision_threshold``, which applies to every check
    decision_threshold: Annotated[float, Field(gt=0.0, lt=1.0)] | None = None


class PerformanceMetrics(Check):
    id = "performance.metrics"
    family = "performance"
    title = "Measured predictive performance"
    description = (
        "Accuracy, balanced accuracy, F1, ROC AUC, log loss, Brier score and expected calibration "
        "error for classifiers; MAE, RMSE and R² for regressors; each with a seeded bootstrap interval."
    )
    requires = frozenset({"labels", "predictions"})
    evidence_for = ("EU-AI-Act:Art15(1)", "EU-AI-Act:Art15(3)", "EU-AI-Act:AnnexIV-3")
    Params = PerformanceParams
    run_setting_aliases = (("decision_threshold", "model.decision_threshold"),)

    def run(self, ctx: RunContext, params: PerformanceParams) -> CheckOutput:
        if ctx.task == "regression":
            fns, higher = _regression_metrics(ctx), {"mae": False, "rmse": False, "r2": True}
        else:
            fns, higher = _classification_metrics(ctx, params)
        n = len(ctx.eval.frame)
        point = {name: fn(np.ones(n)) for name, fn in fns.items()}
        reps = _bootstrap(fns, n, params.n_boot, ctx.rng(self.id))
        metrics = []
        for name, value in point.items():
            if not np.isfinite(value):
                continue
            ci: Interval | None = percentile_interval(reps[name], params.level) if params.n_boot else None
            metrics.append(Metric(name=name, value=value, ci=ci, n=n, higher_is_better=higher[name]))
        details: dict[str, JsonValue] = {"task": ctx.task, "n_boot": params.n_boot, "level": params.level}
        if ctx.task == "binary":
            # the run's threshold, applied by the model client to every check's labels
            details["decision_threshold"] = ctx.model.decision_threshold if ctx.model is not None else None
            details["positive_label"] = str(ctx.positive_label)
        skipped: list[JsonValue] = [k for k in sorted(point) if not np.isfinite(point[k])]
        if skipped:
            details["undefined_metrics"] = skipped
        return CheckOutput(metrics=tuple(metrics), details=details)


def _bootstrap(fns: dict[str, Weighted], n: int, n_boot: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    reps = {name: np.empty(n_boot) for name in fns}
    for b in range(n_boot):
        w = np.bincount(rng.integers(0, n, size=n), minlength=n).astype(float)
        for name, fn in fns.items():
            reps[name][b] = fn(w)
    return reps


def _classification_metrics(ctx: RunContext, params: PerformanceParams) -> tuple[dict[str, Weighted], dict[str, bool]]:
    y = ctx.y
    has_proba = "probabilities" in ctx.capabilities
    classes = list(ctx.classes or np.unique(y))
    pred = ctx.predictions()  # P(positive) >= model.decision_threshold when the run sets one
    correct = (pred == y).astype(float)
    onehot_y = np.stack([(y == c) for c in classes], axis=1).astype(float)
    onehot_p = np.stack([(pred == c) for c in classes], axis=1).astype(float)

    def accuracy(w: np.ndarray) -> float:
        return float(w @ correct / w.sum())

    def balanced_accuracy(w: np.ndarray) -> float:
        support = w @ onehot_y
        hits = w @ (onehot_y * correct[:, None])
        present = support > 0
        return float(np.mean(hits[present] / support[present]))

    def f1(w: np.ndarray) -> float:
        tp = w @ (onehot_y * onehot_p)
        fp = w @ ((1 - onehot_y) * onehot_p)
        fn = w @ (onehot_y * (1 - onehot_p))
        denom = 2 * tp + fp + fn
        per_class = np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)
        if ctx.task == "binary":
            return float(per_class[classes.index(ctx.positive_label)])
        return float(per_class.mean())

    fns: dict[str, Weighted] = {"accuracy": accuracy, "balanced_accuracy": balanced_accuracy, "f1": f1}
    higher = {"accuracy": True, "balanced_accuracy": True, "f1": True}
    if has_proba:
        proba = ctx.probabilities()
        row_ll = -np.log(np.clip((proba * onehot_y).sum(axis=1), _EPS, 1.0))
        if ctx.task == "binary":
            score = ctx.positive_scores()
            ybin = ctx.y_binary().astype(float)
            row_brier = (score - ybin) ** 2
            fns["roc_auc"] = _weighted_auc(score, ybin)
            conf, hit = score, ybin
        else:
            row_brier = ((proba - onehot_y) ** 2).sum(axis=1)
            aucs = [_weighted_auc(proba[:, k], onehot_y[:, k]) for k in range(len(classes))]
            fns["roc_auc"] = lambda w: float(np.mean([a(w) for a in aucs]))
            conf, hit = proba.max(axis=1), (np.asarray(classes, dtype=object)[proba.argmax(axis=1)] == y).astype(float)
        fns["log_loss"] = lambda w: float(w @ row_ll / w.sum())
        fns["brier"] = lambda w: float(w @ row_brier / w.sum())
        fns["ece"] = _weighted_ece(conf, hit, params.ece_bins)
        higher.update(roc_auc=True, log_loss=False, brier=False, ece=False)
    return fns, higher


def _regression_metrics(ctx: RunContext) -> dict[str, Weighted]:
    y = ctx.y.astype(float)
    err = ctx.predictions().astype(float) - y

    def r2(w: np.ndarray) -> float:
        mean = w @ y / w.sum()
        sst = w @ (y - mean) ** 2
        return float(1 - (w @ err**2) / sst) if sst > 0 else float("nan")

    return {
        "mae": lambda w: float(w @ np.abs(err) / w.sum()),
        "rmse": lambda w: float(np.sqrt(w @ err**2 / w.sum())),
        "r2": r2,
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
            return float("nan")
        neg_below = np.cumsum(wn) - wn
        return float((wp @ (neg_below + 0.5 * wn)) / (total_p * total_n))

    return auc


def _weighted_ece(conf: np.ndarray, hit: np.ndarray, n_bins: int) -> Weighted:
    """Expected calibration error over equal-width confidence bins (Guo et al. 2017):
    sum over bins of (bin weight share) * |mean outcome - mean confidence|."""
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    bins = np.clip(np.searchsorted(edges, conf, side="right") - 1, 0, n_bins - 1)

    def ece(w: np.ndarray) -> float:
        cnt = np.bincount(bins, weights=w, minlength=n_bins)
        s_conf = np.bincount(bins, weights=w * conf, minlength=n_bins)
        s_hit = np.bincount(bins, weights=w * hit, minlength=n_bins)
        return float(np.abs(s_hit - s_conf).sum() / cnt.sum())

    return ece
