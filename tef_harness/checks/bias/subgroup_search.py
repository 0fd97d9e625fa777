"""bias.subgroup_search: the subgroups (sensitive values, alone or crossed with up to k other
declared columns) whose rate differs most from the rest, with false-discovery control.

Every subgroup of every column combination is counted with three ``np.bincount`` calls
(count, sum, sum of squares), tested against the rest of the rows with an unpooled
two-sample z-test, and the p-values of all tested subgroups are adjusted together
(Benjamini-Hochberg), so searching many subgroups does not manufacture discoveries.
"""

from __future__ import annotations

import dataclasses
from itertools import combinations
from statistics import NormalDist
from typing import Annotated, Literal

import numpy as np
from pydantic import Field, model_validator

from tef_harness.api import (
    Check,
    CheckOutput,
    ConfigError,
    ExampleRows,
    Finding,
    Interval,
    Metric,
    Params,
    RunContext,
    Severity,
    example_cell,
    free_text_columns,
    wilson_interval,
)
from tef_harness.checks.bias._common import num, unsupported_task
from tef_harness.checks.bias._groups import Grouping, cross, encode_column, require_columns, require_sensitive
from tef_harness.checks.bias._multiple import benjamini_hochberg, welch_z

SubgroupMetric = Literal["auto", "selection_rate", "error_rate", "tpr", "fpr", "mean_prediction", "mae"]
#: example rows per finding (the report shows no more)
MAX_EXAMPLE_ROWS = 5
PROPORTIONS = {"selection_rate", "error_rate", "tpr", "fpr"}


@dataclasses.dataclass
class Subgroup:
    """One tested subgroup; becomes a row of ``details["subgroups"]``."""

    subgroup: str
    conditions: dict[str, str]
    size: int
    rate: float
    rate_ci: list[float | None]
    rest_size: int
    rest_rate: float
    difference: float
    difference_ci: list[float]
    p_value: float
    #: standardised size of the gap: Cohen's h for proportions, Cohen's d for means
    effect_size: float = 0.0
    q_value: float = 1.0
    significant: bool = False

    def score(self, sign: float | None) -> float:
        return abs(self.difference) if sign is None else sign * self.difference

    def abs_interval(self, level: float) -> Interval:
        """The interval of |difference| implied by the Wald interval of the difference."""
        lo, hi = self.difference_ci
        if lo >= 0:
            low, high = lo, hi
        elif hi <= 0:
            low, high = -hi, -lo
        else:
            low, high = 0.0, max(-lo, hi)
        return Interval(low=low, high=high, level=level, method="wald")


class SubgroupSearchParams(Params):
    #: other columns (beyond the sensitive ones) that may define subgroups; numeric ones are binned
    columns: tuple[str, ...] = ()
    max_other_columns: Annotated[int, Field(ge=0, le=10)] = 3
    #: most conditions in one subgroup, e.g. 2 = "sex=F & income<20k"
    max_order: Annotated[int, Field(ge=1, le=3)] = 2
    bins: Annotated[int, Field(ge=2, le=20)] = 4
    #: fewest rows in a subgroup (and in the rest) for it to be tested
    min_support: Annotated[int, Field(ge=2)] = 50
    #: auto = selection_rate (binary) or mean_prediction (regression)
    metric: SubgroupMetric = "auto"
    fdr: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.05
    level: Annotated[float, Field(gt=0.5, lt=1.0)] = 0.95
    top_k: Annotated[int, Field(ge=1, le=1000)] = 10
    #: which gaps count: both signs, only subgroups below the rest, or only above it
    direction: Literal["both", "below", "above"] = "both"
    #: every subgroup must involve a sensitive column (otherwise the search finds the model's features)
    require_sensitive: bool = True
    #: a flagged gap's severity follows its size and certainty, never the subgroup's size: low,
    #: medium or high for a standardised effect below 0.2, below 0.5, or 0.5 and above (Cohen
    #: 1988's small and medium marks), one level higher when its q-value is at most this
    certain_q: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.001

    @model_validator(mode="after")
    def _k_columns(self) -> SubgroupSearchParams:
        if len(self.columns) > self.max_other_columns:
            raise ValueError(f"{len(self.columns)} columns given, max_other_columns is {self.max_other_columns}")
        return self


class SubgroupSearch(Check):
    id = "bias.subgroup_search"
    family = "bias"
    title = "Intersectional subgroup search with false-discovery control"
    description = (
        "Enumerates subgroups over the sensitive columns and up to k declared other columns (numeric "
        "ones binned at quantiles) with a minimum support, compares each subgroup's rate with the "
        "rest, controls the false-discovery rate (Benjamini-Hochberg) and reports the worst subgroups "
        "with sizes and intervals."
    )
    requires = frozenset({"predictions", "sensitive_features"})
    evidence_for = ("EU-AI-Act:Art10(2)(f)", "EU-AI-Act:Art13(3)(b)(v)", "EU-AI-Act:AnnexIV-3")
    Params = SubgroupSearchParams

    def bind(self, ctx: RunContext, params: SubgroupSearchParams) -> str | None:
        reason = unsupported_task(ctx)
        if reason is not None:
            return reason
        require_sensitive(ctx)
        require_columns(ctx.eval.frame, params.columns, "columns")
        _resolve_metric(ctx, params.metric, str(ctx.task))
        return None

    def run(self, ctx: RunContext, params: SubgroupSearchParams) -> CheckOutput:
        frame = ctx.eval.frame
        task = str(ctx.task)
        metric = _resolve_metric(ctx, params.metric, task)
        values, rows = _row_values(ctx, metric)
        cols = list(dict.fromkeys([*ctx.sensitive, *params.columns]))
        enc = {c: _restrict(encode_column(frame[c], bins=params.bins), rows) for c in cols}
        v = values[rows]
        total_n, total_s, total_ss = len(v), float(v.sum()), float((v * v).sum())
        found: list[Subgroup] = []
        n_below = 0
        for order in range(1, params.max_order + 1):
            for combo in combinations(cols, order):
                if params.require_sensitive and not set(combo) & set(ctx.sensitive):
                    continue
                g = cross([enc[c] for c in combo])
                cnt = np.bincount(g.codes, minlength=g.n_groups).astype(float)
                s = np.bincount(g.codes, weights=v, minlength=g.n_groups)
                ss = np.bincount(g.codes, weights=v * v, minlength=g.n_groups)
                keep = (cnt >= params.min_support) & (total_n - cnt >= params.min_support)
                n_below += int((~keep).sum())
                found.extend(
                    _compare(
                        g,
                        np.flatnonzero(keep),
                        cnt,
                        s,
                        ss,
                        (total_n, total_s, total_ss),
                        params.level,
                        metric in PROPORTIONS,
                    )
                )
        details: dict[str, object] = {
            "metric": metric,
            "n_rows_used": total_n,
            "overall_rate": num(total_s / total_n) if total_n else None,
            "columns": cols,
            "min_support": params.min_support,
            "fdr": params.fdr,
            "direction": params.direction,
            "n_subgroups_tested": len(found),
            "n_subgroups_below_support": n_below,
        }
        if not found:
            return CheckOutput(
                status="insufficient_evidence",
                reason=f"no subgroup has {params.min_support} rows or more (with the rest as large)",
                details=details,
            )
        q = benjamini_hochberg(np.array([f.p_value for f in found]))
        for f, qv in zip(found, q, strict=True):
            f.q_value = float(qv)
            f.significant = bool(qv <= params.fdr)
        sign = {"both": None, "below": -1.0, "above": 1.0}[params.direction]
        ranked = sorted(found, key=lambda f: (-f.score(sign), f.p_value, f.subgroup))
        flagged = [f for f in ranked if f.significant and f.score(sign) > 0]
        details["subgroups"] = [dataclasses.asdict(f) for f in ranked[: params.top_k]]
        details["n_significant"] = len(flagged)
        metrics = [
            Metric(name="n_subgroups_tested", value=len(found), n=total_n, unit="count"),
            Metric(
                name="n_significant",
                value=len(flagged),
                n=total_n,
                unit="count",
                greater_is_better=False,
                description=f"subgroups whose gap to the rest is significant at FDR {params.fdr} (BH)",
            ),
        ]
        worst = flagged[0] if flagged else None
        metrics.append(
            Metric(
                name="max_abs_difference",
                value=abs(worst.difference) if worst else 0.0,
                ci=worst.abs_interval(params.level) if worst else None,
                n=worst.size if worst else total_n,
                # a difference of rates, or of means in the target's units (regression)
                unit="difference" if metric in PROPORTIONS else "target units",
                greater_is_better=False,
                description=f"largest |{metric} of subgroup − rest| among significant subgroups (0: none)",
            )
        )
        findings = [
            Finding(
                code="BIAS010",
                severity=harm_severity(f.effect_size, f.q_value, params.certain_q),
                message=f"subgroup {f.subgroup} ({f.size} rows): {metric} {f.rate:.3f} vs "
                f"{f.rest_rate:.3f} for the rest (difference {f.difference:+.3f}, effect size "
                f"{f.effect_size:+.2f}, BH q = {f.q_value:.2g})",
                location=f.subgroup,
                data={
                    "subgroup": f.subgroup,
                    "size": f.size,
                    "rate": f.rate,
                    "rest_rate": f.rest_rate,
                    "difference": f.difference,
                    "effect_size": f.effect_size,
                    "q_value": f.q_value,
                },
            )
            for f in flagged[: params.top_k]
        ]
        positions = np.flatnonzero(rows)
        examples = tuple(_examples(ctx, f, enc, positions, metric) for f in flagged[: params.top_k])
        return CheckOutput(metrics=tuple(metrics), findings=tuple(findings), details=details, views=examples)


def _examples(
    ctx: RunContext, f: Subgroup, enc: dict[str, Grouping], positions: np.ndarray, metric: str
) -> ExampleRows:
    """The first rows of subgroup ``f``: its defining columns, the prediction and the label."""
    member = np.ones(len(positions), dtype=bool)
    for col, value in f.conditions.items():
        g = enc[col]
        member &= g.codes == g.labels.index(value)
    rows = positions[member]
    frame = ctx.eval.frame
    cols = list(f.conditions)
    pred = ctx.predictions()
    y = ctx.y if ctx.target is not None else None
    first = rows[:MAX_EXAMPLE_ROWS]
    hidden = free_text_columns(frame, cols)  # a name or an address shows as its length only
    cells = [
        [*(example_cell(frame[c].iloc[i], c in hidden) for c in cols), pred[i], *((y[i],) if y is not None else ())]
        for i in first.tolist()
    ]
    return ExampleRows.build(
        "BIAS010",
        f.subgroup,
        f"rows of subgroup {f.subgroup} ({metric} {f.rate:.3f} vs {f.rest_rate:.3f} for the rest)",
        [*cols, "prediction", *(("label",) if y is not None else ())],
        first.tolist(),
        cells,
        total=int(member.sum()),
    )


#: Cohen's (1988) marks for a small and a medium standardised effect (h or d)
SMALL_EFFECT, MEDIUM_EFFECT = 0.2, 0.5


def harm_severity(effect_size: float, q_value: float, certain_q: float) -> Severity:
    """Severity of a significant gap from its size and its certainty: low below a small
    effect, medium below a medium one, high from there; one level up (to at most critical)
    when the q-value is at most ``certain_q``. The subgroup's row count plays no part: lack
    of data is never harm, and a tiny subgroup is not tested at all (``min_support``)."""
    size = abs(effect_size)
    levels = [Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]
    k = 0 if size < SMALL_EFFECT else 1 if size < MEDIUM_EFFECT else 2
    return levels[k + (1 if q_value <= certain_q else 0)]


def _resolve_metric(ctx: RunContext, metric: str, task: str) -> str:
    if metric == "auto":
        metric = "selection_rate" if task == "binary" else "mean_prediction"
    field = "metric"
    if (task == "binary") != (metric in PROPORTIONS):
        raise ConfigError(f"metric {metric!r} does not apply to a {task} task", field=field)
    if metric not in ("selection_rate", "mean_prediction") and ctx.target is None:
        raise ConfigError(f"metric {metric!r} needs labels, and this run has no target", field=field)
    return metric


def _row_values(ctx: RunContext, metric: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-row value whose subgroup mean is the metric, and the rows it is defined on."""
    if metric == "mean_prediction":
        pred = ctx.predictions().astype(float)
        return pred, np.ones(len(pred), dtype=bool)
    if metric == "mae":
        pred = ctx.predictions().astype(float)
        return np.abs(pred - ctx.y.astype(float)), np.ones(len(pred), dtype=bool)
    yhat = ctx.predicted_positive().astype(float)
    if metric == "selection_rate":
        return yhat, np.ones(len(yhat), dtype=bool)
    y = ctx.y_binary().astype(bool)
    if metric == "error_rate":
        return (yhat != y).astype(float), np.ones(len(yhat), dtype=bool)
    return yhat, (y if metric == "tpr" else ~y)


def _restrict(g: Grouping, rows: np.ndarray) -> Grouping:
    return g if rows.all() else dataclasses.replace(g, codes=g.codes[rows])


def _compare(
    g: Grouping,
    keep: np.ndarray,
    cnt: np.ndarray,
    s: np.ndarray,
    ss: np.ndarray,
    totals: tuple[int, float, float],
    level: float,
    proportion: bool,
) -> list[Subgroup]:
    if keep.size == 0:
        return []
    total_n, total_s, total_ss = totals
    n1, s1, ss1 = cnt[keep], s[keep], ss[keep]
    n2, s2, ss2 = total_n - n1, total_s - s1, total_ss - ss1
    m1, m2 = s1 / n1, s2 / n2
    var1, var2 = np.maximum(ss1 / n1 - m1**2, 0.0), np.maximum(ss2 / n2 - m2**2, 0.0)
    diff, lo, hi, p = welch_z(n1, m1, var1, n2, m2, var2, level)
    if proportion:  # Cohen's h: the difference of arcsine-square-root transformed rates
        effect = 2 * np.arcsin(np.sqrt(np.clip(m1, 0, 1))) - 2 * np.arcsin(np.sqrt(np.clip(m2, 0, 1)))
    else:  # Cohen's d with the pooled standard deviation
        pooled = np.sqrt(((n1 - 1) * var1 + (n2 - 1) * var2) / np.maximum(n1 + n2 - 2, 1))
        with np.errstate(divide="ignore", invalid="ignore"):
            effect = np.where(pooled > 0, diff / np.where(pooled > 0, pooled, 1.0), 0.0)
    if proportion:
        rate_lo, rate_hi = wilson_interval(s1, n1, level)
    else:
        half = NormalDist().inv_cdf(0.5 + level / 2) * np.sqrt(var1 / n1)
        rate_lo, rate_hi = m1 - half, m1 + half
    return [
        Subgroup(
            subgroup=g.describe(int(k)),
            conditions=dict(zip(g.columns, g.values[int(k)], strict=True)),
            size=int(n1[i]),
            rate=float(m1[i]),
            rate_ci=[num(rate_lo[i]), num(rate_hi[i])],
            rest_size=int(n2[i]),
            rest_rate=float(m2[i]),
            difference=float(diff[i]),
            difference_ci=[float(lo[i]), float(hi[i])],
            p_value=float(p[i]),
            effect_size=float(effect[i]),
        )
        for i, k in enumerate(keep)
    ]
