"""bias.data_representation (Art. 10(2)(f), 10(3)): who is in the data, and how their labels
look, before any model is involved.

Group shares in the evaluation data (and the training sample, when given) against the
reference shares the provider declares for the population the system is used on; the label
base rate per group; under-represented, absent and too-small groups as findings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, cast

import numpy as np
from pydantic import Field, field_validator

from tef_harness.api import (
    Check,
    CheckOutput,
    ConfigError,
    Finding,
    GroupTable,
    Interval,
    Metric,
    Params,
    RunContext,
    Severity,
    wilson_ci,
    wilson_interval,
)
from tef_harness.checks.bias._common import ci_list, num, pair, simultaneous_interval
from tef_harness.checks.bias._counts import ratio, spread
from tef_harness.checks.bias._groups import (
    Grouping,
    encode_column,
    encode_sensitive,
    groupings,
    require_sensitive,
    set_key,
)
from tef_harness.checks.bias._views import group_view


class DataRepresentationParams(Params):
    #: declared population shares: {column or "col1|col2": {group label: share}} ("col1*col2",
    #: the old form of an intersection's key, is read as "col1|col2")
    reference: dict[str, dict[str, float]] = Field(default_factory=dict)
    #: a group is under-represented when its share is below this fraction of its reference share
    min_share_ratio: Annotated[float, Field(gt=0.0, le=1.0)] = 0.8
    #: groups with fewer rows are flagged as too small to judge (BIAS032)
    min_group_size: Annotated[int, Field(ge=0)] = 30
    max_intersection: Annotated[int, Field(ge=1, le=4)] = 2
    #: a sensitive column with more distinct values than this is refused (bin it first)
    max_groups: Annotated[int, Field(ge=2, le=10_000)] = 50
    level: Annotated[float, Field(gt=0.5, lt=1.0)] = 0.95
    under_representation_severity: Severity = Severity.MEDIUM

    @field_validator("reference", mode="before")
    @classmethod
    def _set_keys(cls, v: object) -> object:
        return {set_key(k): shares for k, shares in v.items()} if isinstance(v, dict) else v

    @field_validator("reference")
    @classmethod
    def _shares(cls, v: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for col, shares in v.items():
            if any(not 0.0 <= s <= 1.0 for s in shares.values()):
                raise ValueError(f"reference shares for {col!r} must lie in [0, 1]")
            if sum(shares.values()) > 1.0 + 1e-6:
                raise ValueError(f"reference shares for {col!r} sum to {sum(shares.values()):.4f} > 1")
        return v


class DataRepresentation(Check):
    id = "bias.data_representation"
    family = "bias"
    title = "Data representation and base rates per group"
    description = (
        "Group shares in the evaluation data (and the training sample when given) against declared "
        "reference shares, with Wilson intervals; label base rate per group and the base-rate "
        "difference with a simultaneous Wilson interval; flags under-represented, absent and too-small groups."
    )
    requires = frozenset({"sensitive_features"})
    evidence_for = ("EU-AI-Act:Art10(2)(f)", "EU-AI-Act:Art10(3)", "EU-AI-Act:AnnexIV-2(g)")
    Params = DataRepresentationParams

    def bind(self, ctx: RunContext, params: DataRepresentationParams) -> str | None:
        require_sensitive(ctx, params.max_groups)
        keys = [s.key for s in groupings(encode_sensitive(ctx.eval.frame, ctx.sensitive), params.max_intersection)]
        unknown = sorted(set(params.reference) - set(keys))
        if unknown:
            raise ConfigError(
                f"reference names {', '.join(map(repr, unknown))}, which is not a sensitive column or an "
                f"intersection of them (known: {', '.join(keys)})",
                field="reference",
            )
        return None

    def run(self, ctx: RunContext, params: DataRepresentationParams) -> CheckOutput:
        frame = ctx.eval.frame
        sets = groupings(encode_sensitive(frame, ctx.sensitive), params.max_intersection)
        train_sets = _train_groupings(ctx, params)
        label = _label(ctx)
        rng = ctx.rng(self.id)
        metrics: list[Metric] = []
        findings: list[Finding] = []
        out: dict[str, object] = {}
        tables: list[GroupTable] = []
        for s in sets:
            m, f, detail = _one_set(s, train_sets.get(s.key), params.reference.get(s.key, {}), label, params, rng)
            metrics.extend(m)
            findings.extend(f)
            out[s.key] = detail
            # the group rows go to the typed view only (renderers read it there)
            rows = cast(list[dict[str, object]], detail.pop("groups"))
            tables.append(group_view(s, rows, params.level, train_sets.get(s.key)))
        details: dict[str, object] = {
            "n_rows": len(frame),
            "n_train_rows": None if ctx.train is None else len(ctx.train.frame),
            "label": None if label is None else label[0],
            "level": params.level,
            "sets": out,
        }
        # representativeness is judged against the population the system is for (Art. 10(3)):
        # without a declared reference for a sensitive column, a bound on its share ratios has
        # nothing to compare with (intersections are compared only when declared)
        undefined = {
            s.dims("share_ratio").name() + "/*": f"no reference population declared for {s.key} "
            f'(checks."{self.id}".params.reference)'
            for s in sets
            if len(s.columns) == 1 and s.key not in params.reference
        }
        return CheckOutput(
            metrics=tuple(metrics), findings=tuple(findings), details=details, views=tuple(tables), undefined=undefined
        )


def _label(ctx: RunContext) -> tuple[str, np.ndarray] | None:
    """The per-row label whose group mean is the base rate: P(y = positive) or mean y."""
    if ctx.target is None or ctx.task not in ("binary", "regression"):
        return None
    if ctx.task == "binary":
        return "positive_rate", ctx.y_binary().astype(float)
    return "mean_label", ctx.y.astype(float)


def _train_groupings(ctx: RunContext, params: DataRepresentationParams) -> dict[str, Grouping]:
    if ctx.train is None:
        return {}
    tf = ctx.train.frame
    present = [c for c in ctx.sensitive if c in tf.columns]
    return {s.key: s for s in groupings([encode_column(tf[c]) for c in present], params.max_intersection)}


def _one_set(
    s: Grouping,
    train: Grouping | None,
    reference: Mapping[str, float],
    label: tuple[str, np.ndarray] | None,
    params: DataRepresentationParams,
    rng: np.random.Generator,
) -> tuple[list[Metric], list[Finding], dict[str, object]]:
    labels = list(s.labels) + [g for g in reference if g not in s.labels]  # declared but absent groups
    idx = {g: k for k, g in enumerate(labels)}
    n_total = len(s.codes)
    counts = np.bincount(s.codes, minlength=len(labels)).astype(float)
    share = counts / n_total
    share_lo, share_hi = wilson_interval(counts, np.full(len(labels), n_total), params.level)
    t_counts = np.zeros(len(labels))
    if train is not None:
        train_n = np.bincount(train.codes, minlength=train.n_groups)
        for k, g in enumerate(train.labels):
            if g not in idx:
                idx[g] = len(labels)
                labels.append(g)
                counts, share, t_counts = (np.append(a, 0.0) for a in (counts, share, t_counts))
                share_lo, share_hi = np.append(share_lo, 0.0), np.append(share_hi, 0.0)
            t_counts[idx[g]] += float(train_n[k])
    metrics: list[Metric] = []
    findings: list[Finding] = []
    rows: list[dict[str, object]] = []
    for k, g in enumerate(labels):
        row: dict[str, object] = {
            "group": g,
            "count": int(counts[k]),
            "share": float(share[k]),
            "share_ci": pair(share_lo[k], share_hi[k]),
        }
        metrics.append(
            Metric(
                dims=s.dims("share", g, train),
                unit="share",
                value=float(share[k]),
                n=n_total,
                ci=wilson_ci(counts[k], n_total, params.level),
            )
        )
        if train is not None:
            t_share = t_counts[k] / len(train.codes)
            row["train_count"], row["train_share"] = int(t_counts[k]), float(t_share)
            metrics.append(
                Metric(
                    dims=s.dims("train_share", g, train),
                    unit="share",
                    value=float(t_share),
                    n=len(train.codes),
                    ci=wilson_ci(t_counts[k], len(train.codes), params.level),
                )
            )
            if counts[k] > 0 and t_counts[k] == 0:
                findings.append(
                    Finding(
                        code="BIAS033",
                        severity=params.under_representation_severity,
                        location=f"{s.key}={g}",
                        message=f"group {g} of {s.key} is in the evaluation data but absent from the training sample",
                    )
                )
        if g in reference:
            findings.extend(_against_reference(s, g, counts[k], share[k], reference[g], params, metrics, row))
        if 0 < counts[k] < params.min_group_size:
            findings.append(
                Finding(
                    code="BIAS032",
                    severity=Severity.MEDIUM,
                    location=f"{s.key}={g}",
                    message=f"group {g} of {s.key} has {int(counts[k])} rows "
                    f"(< {params.min_group_size}): too few to judge reliably",
                    data={"set": s.key, "group": g, "count": int(counts[k])},
                )
            )
        rows.append(row)
    if train is not None:
        tvd = 0.5 * float(np.abs(share - t_counts / max(len(train.codes), 1)).sum())
        metrics.append(
            Metric(
                dims=s.dims("share_tvd"),
                unit="distance",
                value=tvd,
                n=n_total,
                greater_is_better=False,
                description="total variation distance between evaluation and training group shares",
            )
        )
    detail: dict[str, object] = {
        "columns": list(s.columns),
        "groups": rows,
        "undeclared_groups": [g for g in s.labels if reference and g not in reference],
    }
    if label is not None:
        metrics.extend(_base_rates(s, label, rows, params, rng, detail))
    return metrics, findings, detail


def _against_reference(
    s: Grouping,
    g: str,
    count: float,
    share: float,
    ref: float,
    params: DataRepresentationParams,
    metrics: list[Metric],
    row: dict[str, object],
) -> list[Finding]:
    share_ci: list[float | None] = row["share_ci"]  # type: ignore[assignment]
    row["reference_share"] = ref
    if ref <= 0:
        return []
    r = share / ref
    row["share_ratio"] = r
    lo, hi = share_ci
    ci = (
        Interval(low=lo / ref, high=hi / ref, level=params.level, method="wilson")
        if lo is not None and hi is not None
        else None
    )
    metrics.append(
        Metric(
            dims=s.dims("share_ratio", g),
            unit="ratio",
            value=r,
            n=len(s.codes),
            ci=ci,
            greater_is_better=True,
            description="observed share / declared reference share",
        )
    )
    data: dict[str, object] = {
        "set": s.key,
        "group": g,
        "count": int(count),
        "share": share,
        "reference": ref,
    }
    if count == 0:
        return [
            Finding(
                code="BIAS031",
                severity=Severity.HIGH,
                location=f"{s.key}={g}",
                data=data,
                message=f"group {g} of {s.key} is declared in the reference population "
                f"({ref:.1%}) but has no rows in the evaluation data",
            )
        ]
    if r < params.min_share_ratio:
        return [
            Finding(
                code="BIAS030",
                severity=params.under_representation_severity,
                location=f"{s.key}={g}",
                data=data,
                message=f"group {g} of {s.key} is under-represented: {share:.1%} of the evaluation "
                f"data vs {ref:.1%} declared ({r:.2f}× < {params.min_share_ratio})",
            )
        ]
    return []


def _base_rates(
    s: Grouping,
    label: tuple[str, np.ndarray],
    rows: list[dict[str, object]],
    params: DataRepresentationParams,
    rng: np.random.Generator,
    detail: dict[str, object],
) -> list[Metric]:
    name, y = label
    n = np.bincount(s.codes, minlength=s.n_groups).astype(float)
    sums = np.bincount(s.codes, weights=y, minlength=s.n_groups)
    rate = ratio(sums, n)
    lo, hi = wilson_interval(sums, n, params.level) if name == "positive_rate" else (np.full(s.n_groups, np.nan),) * 2
    metrics = []
    for g in range(s.n_groups):
        rows[g][name] = num(rate[g])
        rows[g][f"{name}_ci"] = pair(lo[g], hi[g])
        if n[g] > 0:
            metrics.append(
                Metric(
                    dims=s.dims("base_rate", s.labels[g]),
                    unit="rate" if name == "positive_rate" else "mean",
                    value=float(rate[g]),
                    n=int(n[g]),
                    ci=wilson_ci(sums[g], n[g], params.level) if name == "positive_rate" else None,
                )
            )
    eligible = n >= max(params.min_group_size, 1)
    if eligible.sum() < 2:
        detail["base_rate_difference"] = None
        return metrics
    value = float(spread(rate, eligible, "difference"))
    # max − min is biased upward: a simultaneous Wilson interval, not a bootstrap (see _common)
    ci = simultaneous_interval([(sums, n)], eligible, "difference", params.level) if name == "positive_rate" else None
    detail["base_rate_difference"] = {
        "value": value,
        "ci": ci_list(ci),
        "groups_compared": [s.labels[g] for g in np.flatnonzero(eligible)],
    }
    metrics.append(
        Metric(
            dims=s.dims("base_rate_difference"),
            unit="difference",
            value=value,
            ci=ci,
            n=int(n[eligible].sum()),
            greater_is_better=False,
            description="max − min label base rate across groups with enough rows",
        )
    )
    return metrics
