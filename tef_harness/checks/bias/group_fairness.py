"""bias.group_fairness: per-group rates and the disparities between groups, each disparity
with a simultaneous Wilson interval (``simultaneous_interval``: it holds when every group's
rate interval holds, and contains its estimate by construction), for every sensitive column
and their intersections.

Numbers equal fairlearn's (``MetricFrame``, ``demographic_parity_difference`` and ``_ratio``,
``equalized_odds_difference``, ``equal_opportunity_difference``) on the groups that have
enough data; groups that do not are reported (BIAS001) and left out of the disparities,
never silently passed. The check measures only: bounds such as "upper bound of
dp_difference ≤ 0.1" or "dp_ratio ≥ 0.8" (the four-fifths rule) live in the config.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal, Self, cast

import numpy as np
from pydantic import Field, field_validator, model_validator

from tef_harness.api import (
    Check,
    CheckOutput,
    Finding,
    GroupTable,
    Metric,
    Params,
    RunContext,
    Severity,
    wilson_interval,
)
from tef_harness.checks.bias import _metricframe, _regression
from tef_harness.checks.bias._common import (
    ci_list,
    left_out,
    num,
    pair,
    simultaneous_interval,
    small_groups_reason,
    unsupported_task,
)
from tef_harness.checks.bias._counts import (
    cell_counts,
    rate_parts,
    rates,
    spread,
)
from tef_harness.checks.bias._groups import (
    Grouping,
    aggregate,
    encode_sensitive,
    fine_partition,
    groupings,
    require_sensitive,
)
from tef_harness.checks.bias._views import group_view
from tef_harness.sdk.resamples import require_enough_resamples

Criterion = Literal["demographic_parity", "equalized_odds", "equal_opportunity", "predictive_parity", "accuracy"]


class GroupFairnessParams(Params):
    #: the criterion the provider declares primary (Kleinberg/Chouldechova: not all can hold);
    #: the others are reported. Regression knows demographic_parity and accuracy.
    primary: Criterion = "demographic_parity"
    #: largest number of sensitive columns crossed into one intersection (1 = none)
    max_intersection: Annotated[int, Field(ge=1, le=4)] = 2
    #: bootstrap resamples behind the per-group intervals of a regression (every disparity
    #: interval is simultaneous: Wilson for rates, normal for means; no resampling). At least
    #: ``min_resamples(level)`` (39 at 0.95), as ``performance.metrics``' n_boot: the smallest
    #: count whose two-sided percentile interval has both ends among the replicates
    n_boot: Annotated[int, Field(le=10_000)] = 200
    level: Annotated[float, Field(gt=0.5, lt=1.0)] = 0.95
    min_group_size: Annotated[int, Field(ge=0)] = 30
    min_positives: Annotated[int, Field(ge=0)] = 10
    min_negatives: Annotated[int, Field(ge=0)] = 10
    min_predicted_positives: Annotated[int, Field(ge=0)] = 5
    #: a sensitive column with more distinct values than this is refused (bin it first)
    max_groups: Annotated[int, Field(ge=2, le=10_000)] = 50
    #: severity of a group too small to judge (BIAS001). Lack of data is not harm: such a group
    #: makes the check insufficient_evidence (judged by gate.insufficient_evidence), so the
    #: finding itself is informational by default
    insufficient_group_severity: Severity = Severity.INFO
    #: further per-group metrics by name, computed by fairlearn's MetricFrame: a function of
    #: fairlearn.metrics (false_negative_rate, mean_prediction, ...) or sklearn.metrics
    #: (balanced_accuracy_score, r2_score, ...); reported per group and as their spread
    extra_metrics: tuple[str, ...] = ()

    @field_validator("extra_metrics", mode="after")
    @classmethod
    def _known_metrics(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        for name in names:
            _metricframe.resolve(name)  # ConfigError before the run for an unknown name
        return tuple(dict.fromkeys(names))

    @model_validator(mode="after")
    def _enough_resamples(self) -> Self:
        require_enough_resamples(self.n_boot, self.level, maximum=10_000)
        return self


@dataclass(frozen=True)
class Disparity:
    name: str
    rates: tuple[str, ...]
    kind: str  # difference | ratio
    needs: tuple[str, ...]  # sufficiency tests a group must pass to be compared
    criterion: str | None
    greater_is_better: bool
    description: str


DISPARITIES = (
    Disparity(
        "dp_difference",
        ("selection_rate",),
        "difference",
        ("rows",),
        "demographic_parity",
        False,
        "demographic parity difference: max − min selection rate across groups",
    ),
    Disparity(
        "dp_ratio",
        ("selection_rate",),
        "ratio",
        ("rows",),
        "demographic_parity",
        True,
        "demographic parity ratio (the four-fifths ratio): min / max selection rate",
    ),
    Disparity(
        "eo_difference",
        ("tpr", "fpr"),
        "difference",
        ("rows", "positives", "negatives"),
        "equalized_odds",
        False,
        "equalized odds difference: max of the TPR gap and the FPR gap",
    ),
    Disparity(
        "eop_difference",
        ("tpr",),
        "difference",
        ("rows", "positives"),
        "equal_opportunity",
        False,
        "equal opportunity difference: max − min true positive rate",
    ),
    Disparity(
        "fpr_difference",
        ("fpr",),
        "difference",
        ("rows", "negatives"),
        None,
        False,
        "false positive rate difference: max − min FPR",
    ),
    Disparity(
        "pp_difference",
        ("ppv",),
        "difference",
        ("rows", "predicted_positives"),
        "predictive_parity",
        False,
        "predictive parity difference: max − min precision (PPV)",
    ),
    Disparity(
        "accuracy_difference",
        ("accuracy",),
        "difference",
        ("rows",),
        "accuracy",
        False,
        "accuracy difference: max − min accuracy",
    ),
)
LABEL_FREE = {"dp_difference", "dp_ratio"}


class GroupFairness(Check):
    id = "bias.group_fairness"
    family = "bias"
    title = "Group fairness with confidence intervals"
    description = (
        "Per-group selection rate, TPR, FPR, PPV and accuracy (regression: mean prediction and MAE) "
        "for each sensitive column and their intersections; demographic parity difference and ratio "
        "(four-fifths), equalized odds, equal opportunity, FPR, predictive parity and accuracy "
        "differences, each with a simultaneous Wilson interval (regression: simultaneous normal). "
        "Groups below the minimum size make the check insufficient evidence (BIAS001); missing "
        "sensitive values form an 'unknown' group. Further metrics named in extra_metrics (a "
        "fairlearn.metrics or sklearn.metrics function: false_negative_rate, balanced_accuracy_score, "
        "r2_score, ...) are computed per group by fairlearn's MetricFrame and reported as "
        "<name>_difference, without an interval."
    )
    requires = frozenset({"predictions", "sensitive_features"})
    evidence_for = (
        "EU-AI-Act:Art10(2)(f)",
        "EU-AI-Act:Art13(3)(b)(v)",
        "EU-AI-Act:Art15(1)",
        "EU-AI-Act:AnnexIV-2(g)",
        "EU-AI-Act:AnnexIV-3",
    )
    Params = GroupFairnessParams

    def bind(self, ctx: RunContext, params: GroupFairnessParams) -> str | None:
        reason = unsupported_task(ctx)
        if reason is not None:
            return reason
        require_sensitive(ctx, params.max_groups)
        if ctx.task == "regression":
            _regression.bind(params)
        return None

    def run(self, ctx: RunContext, params: GroupFairnessParams) -> CheckOutput:
        frame = ctx.eval.frame
        singles = encode_sensitive(frame, ctx.sensitive)
        task = ctx.task
        sets = groupings(singles, params.max_intersection)
        findings = [_missing_finding(s) for s in singles if s.n_missing]
        if task == "regression":
            out = _regression.run(ctx, params, singles, sets, findings, ctx.rng(self.id))
            return _with_extra_metrics(out, ctx, params, sets, task)
        has_labels = ctx.target is not None
        yhat = ctx.predicted_positive()
        y = ctx.y_binary() if has_labels else np.zeros_like(yhat)
        fine, maps = fine_partition(singles, sets)
        fine_counts = cell_counts(fine.codes, fine.n_groups, y, yhat)
        metrics: list[Metric] = []
        undefined: dict[str, str] = {}
        partial: list[str] = []
        set_details: dict[str, object] = {}
        tables: list[GroupTable] = []
        primary_judged = False
        for s, fmap in zip(sets, maps, strict=True):
            counts = aggregate(fine_counts, fmap, s.n_groups)
            ok = _sufficiency(counts, params, has_labels)
            m, detail, not_computed, judged = _disparities(s, counts, ok, params, has_labels)
            partial += cast(list[str], detail["partial"])
            metrics.extend(m)
            primary_judged |= judged
            # the group rows go to the typed view only (renderers and consistency read it there)
            tables.append(group_view(s, _group_table(s, counts, ok, params.level), params.level))
            set_details[s.key] = detail
            findings.extend(_insufficient_findings(s, counts, ok, params, has_labels))
            if not_computed:
                findings.append(_not_computed_finding(s, not_computed))
            for d in DISPARITIES:
                name = s.dims(d.name).name()
                if d.name in not_computed:
                    undefined[name] = not_computed[d.name]
                elif not has_labels and d.name not in LABEL_FREE:
                    undefined[name] = "needs labels (data.target), and this run has none"
        details: dict[str, object] = {
            "task": task,
            "primary": params.primary,
            "pos_label": str(ctx.pos_label),
            "n_rows": len(frame),
            "n_boot": params.n_boot,
            "level": params.level,
            "min_sizes": {
                "rows": params.min_group_size,
                "positives": params.min_positives,
                "negatives": params.min_negatives,
                "predicted_positives": params.min_predicted_positives,
            },
            "labels_available": has_labels,
            "sets": set_details,
        }
        status, reason = None, None
        if not primary_judged:
            status = "insufficient_evidence"
            reason = (
                f"the primary criterion ({params.primary}) could not be computed for any sensitive "
                "column: fewer than two groups have enough rows, positives or negatives"
            )
        elif partial:
            status, reason = "insufficient_evidence", small_groups_reason(findings, partial)
        out = CheckOutput(
            metrics=tuple(metrics),
            findings=tuple(findings),
            status=status,
            reason=reason,
            details=details,
            views=tuple(tables),
            undefined=undefined,
        )
        return _with_extra_metrics(out, ctx, params, sets, task)


def _with_extra_metrics(
    out: CheckOutput, ctx: RunContext, params: GroupFairnessParams, sets: list[Grouping], task: str | None
) -> CheckOutput:
    """The output with the user's ``extra_metrics`` added (fairlearn MetricFrame)."""
    if not params.extra_metrics:
        return out
    metrics, per_set, undefined = _metricframe.compute(ctx, params.extra_metrics, sets, task, params.min_group_size)
    # an extra metric the check already measures (mean_prediction's spread on a regression
    # task) is the built-in one, which has an interval: one metric per name
    have = {m.name for m in out.metrics}
    extra = [m for m in metrics if m.name not in have]
    # validated again (not model_copy): two metrics deriving one name are an error here
    return CheckOutput(
        **{
            **dict(out),
            "metrics": (*out.metrics, *extra),
            "details": {**out.details, "extra_metrics": per_set},
            "undefined": {**out.undefined, **undefined},
        }
    )


def _sufficiency(counts: np.ndarray, params: GroupFairnessParams, has_labels: bool) -> dict[str, np.ndarray]:
    parts = rate_parts(counts)
    n = parts["selection_rate"][1]
    ok = {
        "rows": (n >= max(params.min_group_size, 1)),
        "predicted_positives": parts["ppv"][1] >= max(params.min_predicted_positives, 1),
    }
    if has_labels:
        ok["positives"] = parts["tpr"][1] >= max(params.min_positives, 1)
        ok["negatives"] = parts["fpr"][1] >= max(params.min_negatives, 1)
    return ok


def _disparities(
    s: Grouping,
    counts: np.ndarray,
    ok: dict[str, np.ndarray],
    params: GroupFairnessParams,
    has_labels: bool,
) -> tuple[list[Metric], dict[str, object], dict[str, str], bool]:
    point, parts = rates(counts), rate_parts(counts)
    sizes = counts.sum(axis=-1)
    metrics: list[Metric] = []
    table: dict[str, object] = {}
    not_computed: dict[str, str] = {}
    partial: list[str] = []
    primary_judged = False
    for d in DISPARITIES:
        if not has_labels and d.name not in LABEL_FREE:
            continue
        eligible = np.logical_and.reduce([ok[k] for k in d.needs])
        value = max(float(spread(point[r], eligible, d.kind)) for r in d.rates) if eligible.sum() >= 2 else np.nan
        if not np.isfinite(value):
            not_computed[d.name] = (
                f"{int(eligible.sum())} group(s) with enough {'/'.join(d.needs)}"
                if eligible.sum() < 2
                else "undefined (every compared rate is zero)"
            )
            continue
        ci = simultaneous_interval(
            [parts[r] for r in d.rates], eligible, d.kind, params.level
        )
        primary = d.criterion == params.primary
        primary_judged |= primary
        desc = d.description + (" (primary criterion)" if primary else "")
        n = int(sizes[eligible].sum())
        if not eligible.all():
            partial.append(left_out(s.dims(d.name).name(), s, eligible))
        metrics.append(
            Metric(
                dims=s.dims(d.name),
                value=value,
                ci=ci,
                n=n,
                greater_is_better=d.greater_is_better,
                unit=d.kind,
                description=desc,
            )
        )
        table[d.name] = {
            "value": value,
            "ci": ci_list(ci),
            "n": n,
            "primary": primary,
            "groups_compared": [s.labels[g] for g in np.flatnonzero(eligible)],
        }
    detail: dict[str, object] = {
        "columns": list(s.columns),
        "disparities": table,
        "not_computed": not_computed,
        "partial": partial,
    }
    return metrics, detail, not_computed, primary_judged


def _group_table(
    s: Grouping, counts: np.ndarray, ok: dict[str, np.ndarray], level: float
) -> list[dict[str, object]]:
    parts = rate_parts(counts)
    point = rates(counts)
    cis = {name: wilson_interval(num_, den, level) for name, (num_, den) in parts.items()}
    sr = np.where(ok["rows"], point["selection_rate"], np.nan)
    top = np.max(np.where(np.isnan(sr), -np.inf, sr), initial=-np.inf)
    rows: list[dict[str, object]] = []
    for g in range(s.n_groups):
        row: dict[str, object] = {
            "group": s.labels[g],
            "values": dict(zip(s.columns, s.values[g], strict=True)),
            "count": int(parts["selection_rate"][1][g]),
            "positives": int(parts["tpr"][1][g]),
            "negatives": int(parts["fpr"][1][g]),
            "predicted_positives": int(parts["ppv"][1][g]),
            "sufficient": bool(all(v[g] for v in ok.values())),
            "insufficient": [k for k, v in ok.items() if not v[g]],
            "impact_ratio": num(sr[g] / top) if top > 0 and np.isfinite(sr[g]) else None,
        }
        for name in point:
            row[name] = num(point[name][g])
            row[f"{name}_ci"] = pair(cis[name][0][g], cis[name][1][g])
        rows.append(row)
    return rows


def _insufficient_findings(
    s: Grouping, counts: np.ndarray, ok: dict[str, np.ndarray], params: GroupFairnessParams, has_labels: bool
) -> list[Finding]:
    parts = rate_parts(counts)
    have = {
        "rows": (parts["selection_rate"][1], params.min_group_size),
        "positives": (parts["tpr"][1], params.min_positives),
        "negatives": (parts["fpr"][1], params.min_negatives),
    }
    out = []
    for g in range(s.n_groups):
        short = [k for k in ("rows", "positives", "negatives") if k in ok and not ok[k][g]]
        if not short:
            continue
        what = ", ".join(f"{int(have[k][0][g])} {k} (< {max(have[k][1], 1)})" for k in short)
        out.append(
            Finding(
                code="BIAS001",
                severity=params.insufficient_group_severity,
                message=f"group {s.describe(g)} has {what}: insufficient evidence to judge it; "
                f"it is left out of the disparities that need {'/'.join(short)}",
                location=f"{s.key}={s.labels[g]}",
                data={
                    "set": s.key,
                    "group": s.labels[g],
                    "count": int(have["rows"][0][g]),
                    "positives": int(have["positives"][0][g]) if has_labels else None,
                    "negatives": int(have["negatives"][0][g]) if has_labels else None,
                    "short_of": short,
                },
            )
        )
    return out


def _not_computed_finding(s: Grouping, not_computed: dict[str, str]) -> Finding:
    listed = "; ".join(f"{k}: {v}" for k, v in not_computed.items())
    return Finding(
        code="BIAS002",
        severity=Severity.MEDIUM,
        message=f"for {s.key}, some disparities could not be computed ({listed})",
        location=s.key,
        data={"set": s.key, "not_computed": dict(not_computed)},
    )


def _missing_finding(s: Grouping) -> Finding:
    return Finding(
        code="BIAS003",
        severity=Severity.INFO,
        message=f"{s.n_missing} row(s) have no value for {s.key}; they form the explicit group "
        f"'{s.labels[-1]}' instead of being dropped",
        location=s.key,
        data={"column": s.key, "missing": s.n_missing},
    )
