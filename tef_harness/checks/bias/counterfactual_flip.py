"""bias.counterfactual_flip: where a sensitive attribute is a model input, set it to each
other observed value and count how often the prediction changes.

A flip here is direct dependence on the attribute, all else equal; a zero flip rate does not
rule out indirect dependence through proxies (that is what the group and subgroup checks
see). Rows are sampled per source value (seeded), every counterfactual of one attribute is
scored in a single ``predict`` call, and the original predictions come from the run's cache.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np
import pandas as pd  # type: ignore[import-untyped, unused-ignore]
from pydantic import Field

from tef_harness.api import (
    Check,
    CheckOutput,
    Dimensions,
    ExampleRows,
    Finding,
    Metric,
    Params,
    RunContext,
    Severity,
    example_cell,
    free_text_columns,
    wilson_ci,
    wilson_interval,
)
from tef_harness.checks.bias._common import num
from tef_harness.checks.bias._groups import UNKNOWN, require_sensitive

#: example rows per finding (the report shows no more)
MAX_EXAMPLE_ROWS = 5


class CounterfactualFlipParams(Params):
    #: rows sampled per source value (all rows when the group is smaller)
    max_rows_per_value: Annotated[int, Field(ge=1, le=1_000_000)] = 2_000
    #: attributes with more distinct values than this are skipped (swap every pair is quadratic)
    max_values: Annotated[int, Field(ge=2, le=100)] = 20
    #: regression: a prediction counts as changed when |Δ| exceeds this
    tolerance: Annotated[float, Field(ge=0.0)] = 0.0
    level: Annotated[float, Field(gt=0.5, lt=1.0)] = 0.95
    flip_severity: Severity = Severity.MEDIUM


class CounterfactualFlip(Check):
    id = "bias.counterfactual_flip"
    family = "bias"
    title = "Counterfactual flips of sensitive inputs"
    description = (
        "For each sensitive attribute the model takes as input, swaps it to every other observed "
        "value on sampled rows and reports how often the prediction changes, per source → target "
        "value and pooled, with Wilson intervals."
    )
    requires = frozenset({"model", "predictions", "sensitive_features"})
    evidence_for = ("EU-AI-Act:Art10(2)(f)", "EU-AI-Act:Art15(1)", "EU-AI-Act:AnnexIV-3")
    Params = CounterfactualFlipParams

    def bind(self, ctx: RunContext, params: CounterfactualFlipParams) -> str | None:
        require_sensitive(ctx)
        return None

    def run(self, ctx: RunContext, params: CounterfactualFlipParams) -> CheckOutput:
        frame = ctx.eval.frame
        assert ctx.model is not None  # guaranteed by requires={"model"}
        rng = ctx.rng(self.id)
        base = ctx.predictions()
        metrics: list[Metric] = []
        findings: list[Finding] = []
        per_attr: dict[str, object] = {}
        examples: list[ExampleRows] = []
        inputs = [c for c in ctx.sensitive if c in ctx.features]
        for col in ctx.sensitive:
            if col not in ctx.features:
                findings.append(
                    Finding(
                        code="BIAS021",
                        severity=Severity.INFO,
                        location=col,
                        message=f"{col} is not a model input; no counterfactual to test",
                    )
                )
        for col in inputs:
            observed = pd.unique(frame[col].dropna())
            if len(observed) < 2 or len(observed) > params.max_values:
                why = "fewer than two observed values" if len(observed) < 2 else f"more than {params.max_values} values"
                findings.append(
                    Finding(
                        code="BIAS022",
                        severity=Severity.MEDIUM,
                        location=col,
                        message=f"{col}: counterfactual flips not measured ({why})",
                    )
                )
                continue
            targets = sorted(observed, key=str)
            pairs, rows, sources = _plan(frame[col], targets, params.max_rows_per_value, rng)
            if not pairs:
                continue
            cf = ctx.X.iloc[np.concatenate(rows)].copy()
            cf[col] = (
                pd.Series(np.concatenate(sources), index=cf.index, dtype=frame[col].dtype)
                if isinstance(frame[col].dtype, pd.CategoricalDtype)
                else np.concatenate(sources)
            )
            new = np.asarray(ctx.model.predict(cf))
            old = base[np.concatenate(rows)]
            changed = _changed(old, new, ctx.task, params.tolerance)
            m, detail = _summarise(ctx, col, pairs, rows, changed, old, new, params.level)
            metrics.extend(m)
            per_attr[col] = detail
            total, flips = int(changed.size), int(changed.sum())
            if flips:
                examples.append(_examples(col, np.concatenate(rows), np.concatenate(sources), changed, old, new, frame))
                findings.append(
                    Finding(
                        code="BIAS020",
                        severity=params.flip_severity,
                        location=col,
                        message=f"changing only {col} changes {flips} of {total} predictions "
                        f"({flips / total:.1%}); the model uses {col} directly",
                        data={"attribute": col, "n": total, "flips": flips},
                    )
                )
        details: dict[str, object] = {
            "attributes": per_attr,
            "not_model_inputs": [c for c in ctx.sensitive if c not in ctx.features],
        }
        if not inputs:
            return CheckOutput(
                status="not_applicable",
                findings=tuple(findings),
                details=details,
                reason="no sensitive column is a model input, so there is nothing to swap",
            )
        if not metrics:
            return CheckOutput(
                status="insufficient_evidence",
                findings=tuple(findings),
                details=details,
                reason="no sensitive model input has between 2 and max_values observed values",
            )
        return CheckOutput(metrics=tuple(metrics), findings=tuple(findings), details=details, views=tuple(examples))


def _plan(
    col: pd.Series, targets: list[object], cap: int, rng: np.random.Generator
) -> tuple[list[tuple[str, str]], list[np.ndarray], list[np.ndarray]]:
    """(source label, target label) pairs, the sampled row positions for each pair, and the
    value each row is set to."""
    missing = col.isna().to_numpy()
    pairs, rows, values = [], [], []
    for source in [*targets, None]:
        members = np.flatnonzero(missing if source is None else (col == source).to_numpy() & ~missing)
        if members.size == 0:
            continue
        if members.size > cap:
            members = np.sort(rng.choice(members, size=cap, replace=False))
        for target in targets:
            if source is not None and target == source:
                continue
            pairs.append((UNKNOWN if source is None else str(source), str(target)))
            rows.append(members)
            values.append(np.full(members.size, target, dtype=object))
    return pairs, rows, values


def _examples(
    col: str,
    positions: np.ndarray,
    targets: np.ndarray,
    changed: np.ndarray,
    old: np.ndarray,
    new: np.ndarray,
    frame: pd.DataFrame,
) -> ExampleRows:
    """The first flipped rows: the attribute's value before and after the swap, and the two
    predictions (nothing else of the row)."""
    flipped = np.flatnonzero(changed)[:MAX_EXAMPLE_ROWS]
    before = frame[col].to_numpy(dtype=object)
    hidden = col in free_text_columns(frame, [col])  # a name or an address shows as its length only
    return ExampleRows.build(
        "BIAS020",
        col,
        f"rows whose prediction changes when only {col} changes",
        [f"{col} (data)", f"{col} (swapped to)", "prediction", "prediction after the swap"],
        positions[flipped].tolist(),
        [
            [example_cell(before[positions[i]], hidden), example_cell(targets[i], hidden), old[i], new[i]]
            for i in flipped.tolist()
        ],
        total=int(changed.sum()),
    )


def _changed(old: np.ndarray, new: np.ndarray, task: str | None, tolerance: float) -> np.ndarray:
    if task == "regression":
        return np.asarray(np.abs(new.astype(float) - old.astype(float)) > tolerance)
    return np.asarray(new != old)


def _summarise(
    ctx: RunContext,
    col: str,
    pairs: list[tuple[str, str]],
    rows: list[np.ndarray],
    changed: np.ndarray,
    old: np.ndarray,
    new: np.ndarray,
    level: float,
) -> tuple[list[Metric], dict[str, object]]:
    sizes = np.array([r.size for r in rows])
    pair_of_row = np.repeat(np.arange(len(pairs)), sizes)
    flips = np.bincount(pair_of_row, weights=changed, minlength=len(pairs))
    lo, hi = wilson_interval(flips, sizes, level)
    table: list[dict[str, object]] = []
    metrics = []
    up = down = None
    if ctx.task == "binary":
        to_pos = changed & (new == ctx.pos_label)
        up = np.bincount(pair_of_row, weights=to_pos, minlength=len(pairs))
        down = flips - up
    for k, (src, dst) in enumerate(pairs):
        rate = flips[k] / sizes[k]
        row: dict[str, object] = {
            "source": src,
            "target": dst,
            "n": int(sizes[k]),
            "flips": int(flips[k]),
            "flip_rate": float(rate),
            "flip_rate_ci": [num(lo[k]), num(hi[k])],
        }
        if up is not None and down is not None:
            row["to_positive"], row["to_negative"] = int(up[k]), int(down[k])
        table.append(row)
        metrics.append(
            Metric(
                dims=Dimensions(criterion="flip_rate", sensitive_set=(col,), swap=(src, dst)),
                unit="rate",
                value=float(rate),
                ci=wilson_ci(flips[k], sizes[k], level),
                n=int(sizes[k]),
                greater_is_better=False,
            )
        )
    total, n_flips = int(sizes.sum()), int(flips.sum())
    metrics.insert(
        0,
        Metric(
            dims=Dimensions(criterion="flip_rate", sensitive_set=(col,)),
            unit="rate",
            value=n_flips / total,
            ci=wilson_ci(n_flips, total, level),
            n=total,
            greater_is_better=False,
            description=f"share of predictions that change when only {col} is changed",
        ),
    )
    detail: dict[str, object] = {"n": total, "flips": n_flips, "flip_rate": n_flips / total, "pairs": table}
    if ctx.task == "regression":
        delta = np.abs(new.astype(float) - old.astype(float))
        detail["mean_abs_change"] = float(delta.mean())
        metrics.append(
            Metric(
                dims=Dimensions(criterion="mean_abs_change", sensitive_set=(col,)),
                value=float(delta.mean()),
                n=total,
                unit="target units",
                greater_is_better=False,
            )
        )
    return metrics, detail
