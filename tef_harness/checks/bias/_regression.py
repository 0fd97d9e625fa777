"""bias.group_fairness for regression: per-group mean prediction, mean label and MAE, and
their max − min spread across groups (fairlearn's ``MetricFrame(...).difference()`` with
``mean_prediction`` and ``mean_absolute_error``), with a simultaneous normal interval (the
per-group figures in the details keep a stratified bootstrap interval)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from tef_harness.api import CheckOutput, ConfigError, Finding, GroupTable, Interval, Metric, RunContext
from tef_harness.checks.bias._common import ci_list, left_out, num, small_groups_reason
from tef_harness.checks.bias._counts import ratio, spread, stratified_mean_sums
from tef_harness.checks.bias._groups import Grouping, aggregate, fine_partition
from tef_harness.checks.bias._views import group_view

if TYPE_CHECKING:
    from tef_harness.checks.bias.group_fairness import GroupFairnessParams

#: rows resampled exactly per fine group; larger groups use the rescaled m-out-of-n bootstrap
EXACT_CAP = 20_000
CRITERIA = {"demographic_parity": "mean_prediction_difference", "accuracy": "mae_difference"}


def bind(params: GroupFairnessParams) -> None:
    """The primary criterion must be one regression knows."""
    if params.primary not in CRITERIA:
        raise ConfigError(
            f"primary criterion {params.primary!r} is defined for binary classification; "
            f"for regression use one of {', '.join(CRITERIA)}",
            field="primary",
        )


def run(
    ctx: RunContext,
    params: GroupFairnessParams,
    singles: Sequence[Grouping],
    sets: Sequence[Grouping],
    findings: list[Finding],
    rng: np.random.Generator,
) -> CheckOutput:
    has_labels = ctx.target is not None
    pred = ctx.predictions().astype(float)
    cols = [pred]
    if has_labels:
        y = ctx.y.astype(float)
        cols += [y, np.abs(pred - y)]
    values = np.stack(cols, axis=1)
    fine, maps = fine_partition(singles, sets)
    fine_n = np.bincount(fine.codes, minlength=fine.n_groups).astype(float)
    fine_sums = np.stack([np.bincount(fine.codes, weights=v, minlength=fine.n_groups) for v in values.T], axis=1)
    fine_sq = np.stack([np.bincount(fine.codes, weights=v * v, minlength=fine.n_groups) for v in values.T], axis=1)
    boot = stratified_mean_sums(rng, fine.codes, fine.n_groups, values, params.n_boot, EXACT_CAP)
    metrics: list[Metric] = []
    undefined: dict[str, str] = {}
    partial: list[str] = []
    set_details: dict[str, object] = {}
    tables: list[GroupTable] = []
    for s, fmap in zip(sets, maps, strict=True):
        n = aggregate(fine_n[:, None], fmap, s.n_groups)[:, 0]
        means = ratio(aggregate(fine_sums, fmap, s.n_groups), n[:, None])
        mean_sq = ratio(aggregate(fine_sq, fmap, s.n_groups), n[:, None])
        reps = ratio(aggregate(boot, fmap, s.n_groups), n[None, :, None])
        eligible = n >= max(params.min_group_size, 1)
        table: dict[str, object] = {}
        not_computed: dict[str, str] = {}
        for k, name in ((0, "mean_prediction_difference"), (2, "mae_difference")):
            if k >= values.shape[1]:
                continue
            if eligible.sum() < 2:
                not_computed[name] = f"{int(eligible.sum())} group(s) with enough rows"
                continue
            value = float(spread(means[:, k], eligible, "difference"))
            ci = _simultaneous_mean_spread(means[:, k], mean_sq[:, k], n, eligible, params.level)
            primary = CRITERIA[params.primary] == name
            size = int(n[eligible].sum())
            if not eligible.all():
                partial.append(left_out(s.dims(name).name(), s, eligible))
            metrics.append(
                Metric(
                    dims=s.dims(name),
                    value=value,
                    ci=ci,
                    n=size,
                    unit="target units",  # a difference of group means of predictions or errors
                    greater_is_better=False,
                    description=name.replace("_", " ") + (" (primary criterion)" if primary else ""),
                )
            )
            table[name] = {
                "value": value,
                "ci": ci_list(ci),
                "n": size,
                "primary": primary,
                "groups_compared": [s.labels[g] for g in np.flatnonzero(eligible)],
            }
        groups: list[dict[str, object]] = []
        for g in range(s.n_groups):
            lo_hi = (
                np.quantile(reps[:, g, :], [(1 - params.level) / 2, (1 + params.level) / 2], axis=0)
                if params.n_boot and n[g] > 0
                else np.full((2, values.shape[1]), np.nan)
            )
            row: dict[str, object] = {
                "group": s.labels[g],
                "values": dict(zip(s.columns, s.values[g], strict=True)),
                "count": int(n[g]),
                "sufficient": bool(eligible[g]),
                "insufficient": [] if eligible[g] else ["rows"],
            }
            for k, name in enumerate(("mean_prediction", "mean_label", "mae")[: values.shape[1]]):
                row[name] = num(means[g, k])
                row[f"{name}_ci"] = [num(lo_hi[0, k]), num(lo_hi[1, k])]
            groups.append(row)
            if not eligible[g]:
                findings.append(
                    Finding(
                        code="BIAS001",
                        severity=params.insufficient_group_severity,
                        message=f"group {s.describe(g)} has {int(n[g])} rows "
                        f"(< {max(params.min_group_size, 1)}): "
                        "insufficient evidence to judge it; it is left out of the disparities",
                        location=f"{s.key}={s.labels[g]}",
                        data={"set": s.key, "group": s.labels[g], "count": int(n[g]), "short_of": ["rows"]},
                    )
                )
        undefined.update({s.dims(name).name(): why for name, why in not_computed.items()})
        set_details[s.key] = {
            "columns": list(s.columns),
            "disparities": table,
            "not_computed": not_computed,
        }
        tables.append(group_view(s, groups, params.level))
    primary_name = CRITERIA[params.primary]
    judged = any(m.key.criterion == primary_name and m.key.sensitive_set for m in metrics)
    if not has_labels:
        why = "needs labels (data.target), and this run has none"
        undefined.update({s.dims("mae_difference").name(): why for s in sets})
    short = small_groups_reason(findings, partial) if partial else None
    details: dict[str, object] = {
        "task": "regression",
        "primary": params.primary,
        "n_rows": len(pred),
        "n_boot": params.n_boot,
        "level": params.level,
        "bootstrap": f"stratified by group; exact up to {EXACT_CAP} rows, rescaled m-out-of-n above",
        "min_sizes": {"rows": params.min_group_size},
        "labels_available": has_labels,
        "sets": set_details,
    }
    reason = (
        short
        if judged
        else f"the primary criterion ({params.primary}) could not be computed "
        "for any sensitive column: fewer than two groups have enough rows (or no labels for MAE)"
    )
    return CheckOutput(
        metrics=tuple(metrics),
        findings=tuple(findings),
        status="insufficient_evidence" if reason else None,
        reason=reason,
        details=details,
        views=tuple(tables),
        undefined=undefined,
    )


def _simultaneous_mean_spread(
    mean: np.ndarray, mean_sq: np.ndarray, n: np.ndarray, eligible: np.ndarray, level: float
) -> Interval:
    """An interval for max − min of group means that holds when every group's normal interval
    (mean ± z·s/√n, Bonferroni over the groups compared) holds at once:
    [max(0, max l − min u), max u − min l]. It contains the estimate by construction; a
    bootstrap percentile interval of max − min, an upward-biased statistic, need not."""
    from scipy.stats import norm  # lazy: scipy.stats costs ~0.6 s at start-up

    m, sq, k = mean[eligible], mean_sq[eligible], n[eligible]
    var = np.maximum(sq - m * m, 0.0) * k / np.maximum(k - 1, 1)  # sample variance
    z = float(norm.ppf(1.0 - (1.0 - level) / (2 * max(int(eligible.sum()), 1))))
    half = z * np.sqrt(var / k)
    lo, hi = m - half, m + half
    low, high = max(0.0, float(lo.max() - hi.min())), float(hi.max() - lo.min())
    return Interval(low=low, high=high, level=level, method="normal-simultaneous")
