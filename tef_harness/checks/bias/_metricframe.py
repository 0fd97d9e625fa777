"""Metrics a user names in the config, computed per group by fairlearn's ``MetricFrame``.

The count-based fast path of ``bias.group_fairness`` covers the rates a 2×2 table gives
(selection rate, TPR, FPR, PPV, accuracy) and, for regression, mean prediction and MAE. Any
other per-group metric (false negative rate, true negative rate, balanced accuracy, R², a
log loss on the scores, ...) is named in ``extra_metrics`` and computed here, by fairlearn
itself: ``MetricFrame(metrics=fn, y_true, y_pred, sensitive_features)``, where ``fn`` is a
function of ``fairlearn.metrics`` (``false_negative_rate``, ``mean_prediction``, ...) or of
``sklearn.metrics`` (``balanced_accuracy_score``, ``r2_score``, ...). Each metric is
reported per group (details) and as its spread across the groups with enough rows
(``<name>_difference/<set>``, as ``MetricFrame.difference()`` over those groups).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from tef_harness.api import ConfigError, Metric, RunContext
from tef_harness.checks.bias._groups import Grouping

#: fairlearn's per-group metrics (the others in fairlearn.metrics take sensitive features)
FAIRLEARN_METRICS = (
    "count",
    "false_negative_rate",
    "false_positive_rate",
    "mean_prediction",
    "selection_rate",
    "true_negative_rate",
    "true_positive_rate",
)
#: scikit-learn metrics computed on P(positive) rather than on the predicted labels
SCORE_METRICS = frozenset({"roc_auc_score", "average_precision_score", "brier_score_loss", "log_loss"})
#: what a scikit-learn metric's name ends with (its other functions are curves, reports, ...)
_SKLEARN_SUFFIXES = ("_score", "_error", "_loss", "_deviance")
FIELD = 'checks."bias.group_fairness".params.extra_metrics'


def resolve(name: str) -> Callable[..., Any]:
    """The metric function a name stands for: ``fairlearn.metrics.<name>`` for fairlearn's
    per-group metrics, else ``sklearn.metrics.<name>``. Raises ConfigError for any other."""
    if name in FAIRLEARN_METRICS:
        import fairlearn.metrics

        fn: Callable[..., Any] = getattr(fairlearn.metrics, name)
        return fn
    import sklearn.metrics

    fn = getattr(sklearn.metrics, name, None)  # type: ignore[assignment]
    if not (callable(fn) and (name.endswith(_SKLEARN_SUFFIXES) or name == "matthews_corrcoef")):
        raise ConfigError(
            f"unknown metric {name!r}: name a function of fairlearn.metrics ({', '.join(FAIRLEARN_METRICS)}) "
            "or of sklearn.metrics (e.g. balanced_accuracy_score, r2_score, mean_squared_error)",
            field=FIELD,
        )
    return fn


def compute(
    ctx: RunContext, names: Sequence[str], sets: Sequence[Grouping], task: str | None, min_rows: int
) -> tuple[list[Metric], dict[str, dict[str, dict[str, float | None]]], dict[str, str]]:
    """For every named metric and grouping: the per-group values (``{set: {metric: {group:
    value}}}``, None where undefined) and one ``<metric>_difference/<set>`` Metric, the
    max − min over groups of at least ``min_rows`` rows; where fewer than two such groups
    have a defined value, the metric's name with the reason (``CheckOutput.undefined``)."""
    from fairlearn.metrics import MetricFrame

    if ctx.target is None:
        raise ConfigError("extra_metrics need a target column (data.target)", field=FIELD)
    if task == "regression":
        y_true = ctx.y.astype(float)
        y_pred = ctx.predictions().astype(float)
        y_score = y_pred
    else:
        y_true, y_pred = ctx.y_binary(), ctx.predicted_positive()
        y_score = ctx.positive_scores() if any(n in SCORE_METRICS for n in names) else y_pred
    metrics: list[Metric] = []
    undefined: dict[str, str] = {}
    per_set: dict[str, dict[str, dict[str, float | None]]] = {}
    for s in sets:
        groups = np.asarray(s.labels, dtype=object)[s.codes]
        sizes = np.bincount(s.codes, minlength=s.n_groups)
        eligible = {s.labels[g] for g in range(s.n_groups) if sizes[g] >= max(min_rows, 1)}
        table: dict[str, dict[str, float | None]] = {}
        for name in names:
            fn = resolve(name)
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                # an undefined metric in a group (no positives) is None in the details; a check never prints
                warnings.simplefilter("ignore")
                frame = MetricFrame(
                    metrics=fn,
                    y_true=y_true,
                    y_pred=y_score if name in SCORE_METRICS else y_pred,
                    sensitive_features=groups,
                )
            by_group = {str(k): _number(v) for k, v in frame.by_group.items()}
            table[name] = by_group
            compared = [v for k, v in by_group.items() if k in eligible and v is not None]
            spread = s.dims(f"{name}_difference")
            spread_name = spread.name()
            if len(compared) < 2:
                undefined[spread_name] = (
                    f"{len(compared)} group(s) with at least {max(min_rows, 1)} rows and a defined {name}"
                )
            else:
                metrics.append(
                    Metric(
                        dims=spread,
                        value=max(compared) - min(compared),
                        n=int(sizes[[s.labels.index(k) for k in by_group if k in eligible]].sum()),
                        unit="difference",
                        greater_is_better=False,
                        description=f"max − min {name} across groups (fairlearn MetricFrame)",
                    )
                )
        per_set[s.key] = table
    return metrics, per_set, undefined


def _number(value: object) -> float | None:
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return x if np.isfinite(x) else None
