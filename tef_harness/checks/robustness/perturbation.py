"""robustness.perturbation: accuracy, its drop against clean, and the flip rate under five
constraint-aware perturbation families at five severities each (ISO/IEC 24029-1's
performance drop; EU AI Act Art. 15(4)).

One seeded sample of rows is shared by every family × severity, so all curves are paired
comparisons against the same clean predictions. Each (family, severity) draws from its own
random stream, so its numbers do not depend on which other families are configured.
"""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
import pandas as pd  # type: ignore[import-untyped, unused-ignore]
from pydantic import Field, JsonValue

from tef_harness.api import (
    Check,
    CheckOutput,
    Curve,
    CurvePoint,
    Dimensions,
    ExampleRows,
    Finding,
    Metric,
    Params,
    RunContext,
    Severity,
    data_text,
    example_cell,
    free_text_columns,
)
from tef_harness.checks.robustness._answers import error_finding, hang_finding, invalid_output_finding
from tef_harness.checks.robustness._measure import mean_metric, proportion_metric, sample_rows
from tef_harness.checks.robustness.families import FAMILIES, INTENSITY, applicable, perturb
from tef_harness.checks.robustness.schema import Domain, FeatureSpec, resolve_domain

FamilyName = Literal["gaussian_noise", "scaling", "missing_values", "category_swap", "out_of_range"]
SCHEMA_FIELD = "schema"


#: example rows per perturbation family (the report shows no more)
MAX_EXAMPLE_ROWS = 5


class PerturbationParams(Params):
    #: per-feature domain (immutable / integer / min / max / levels); unlisted features are inferred
    #: (config key ``schema``; the attribute is renamed because pydantic's BaseModel has a ``schema`` method)
    feature_schema: dict[str, FeatureSpec] = Field(default_factory=dict, alias="schema")
    #: treat the run's sensitive columns as immutable unless the schema says otherwise
    sensitive_immutable: bool = True
    families: tuple[FamilyName, ...] = FAMILIES  # type: ignore[assignment]
    #: at least one: an empty list would perturb nothing and measure nothing
    severities: Annotated[tuple[Annotated[int, Field(ge=1, le=5)], ...], Field(min_length=1)] = (1, 2, 3, 4, 5)
    #: rows sampled (seeded, without replacement); None = all rows
    max_rows: Annotated[int, Field(ge=10)] | None = 10_000
    level: Annotated[float, Field(gt=0.5, lt=1.0)] = 0.95
    #: seconds one prediction call may take before it counts as a hang
    timeout_s: Annotated[float, Field(gt=0.0)] = 120.0


class RobustnessPerturbation(Check):
    id = "robustness.perturbation"
    family = "robustness"
    title = "Performance under constraint-aware input perturbations"
    description = (
        "Accuracy (or MAE), its drop against clean and the prediction flip rate over changed rows, under "
        "Gaussian noise, scaling, missing values, category swaps and out-of-range values at five severities, "
        "respecting a declared or inferred feature domain; Wilson / paired-normal intervals."
    )
    requires = frozenset({"model"})
    evidence_for = ("EU-AI-Act:Art15(1)", "EU-AI-Act:Art15(4)", "EU-AI-Act:AnnexIV-2(g)", "ISO/IEC-24029-1")
    Params = PerturbationParams

    def bind(self, ctx: RunContext, params: PerturbationParams) -> str | None:
        if ctx.task is None:
            return "the task is unknown (no target and no model classes)"
        _domain(ctx, params)  # a schema that contradicts the data is a config error
        return None

    def run(self, ctx: RunContext, params: PerturbationParams) -> CheckOutput:
        assert ctx.model is not None
        X = ctx.X
        domain = _domain(ctx, params)
        if not domain.has_mutable:
            return CheckOutput(
                status="not_applicable",
                reason="nothing to perturb: every model input is immutable or not perturbable under the schema",
                details={"schema": domain.to_json()},
            )
        idx = sample_rows(ctx.rng(self.id), len(X), params.max_rows)
        sample = X.iloc[idx].reset_index(drop=True)
        clean = np.asarray(ctx.predictions())[idx]
        y = np.asarray(ctx.y)[idx] if ctx.target is not None else None
        regression = ctx.task == "regression"
        metrics: list[Metric | None] = []
        findings: list[Finding] = []
        if y is not None:
            metrics.append(_quality(clean, y, regression, "clean", params.level))
        curves: dict[str, JsonValue] = {}
        #: per family, the flipped rows at the highest severity measured
        flips: dict[str, ExampleRows | None] = {}
        hung = False
        for family in params.families:
            points: list[JsonValue] = []
            curves[family] = points
            errors: set[str] = set()
            for severity in params.severities:
                intensity = INTENSITY[family][severity - 1]
                point: dict[str, JsonValue] = {"severity": severity, "intensity": intensity}
                points.append(point)
                if not applicable(family, domain):
                    point["status"] = "not_applicable"
                    continue
                if hung:
                    point["status"] = "skipped_after_hang"
                    continue
                rng = ctx.rng(f"{self.id}/{family}/{severity}")
                perturbed, changed = perturb(sample, domain, family, intensity, rng)
                result = ctx.model.call("predict", perturbed, timeout_s=params.timeout_s)
                loc = f"{family}/{severity}"
                if result.kind == "timeout":
                    hung = True
                    point["status"] = "timeout"
                    findings.append(hang_finding(loc, params.timeout_s))
                    continue
                if result.kind == "error":
                    point["status"] = "error"
                    errors.add(result.error_type or "error")
                    continue
                if result.kind == "invalid":
                    point["status"] = "invalid_output"
                    findings.append(invalid_output_finding(loc, result.problem or "invalid output"))
                    continue
                pred = result.value
                if not regression:
                    flips[family] = _flip_examples(
                        family, severity, idx, sample, perturbed, clean, np.asarray(pred), domain
                    )
                point["status"] = "ok"
                point["n_changed"] = int(changed.sum())
                measured = _measure(pred, clean, y, changed, regression, family, severity, params.level)
                metrics.extend(measured)
                point.update({m.key.criterion: _point(m) for m in measured if m is not None})
            if errors:
                findings.append(
                    error_finding(family, ", ".join(sorted(errors)), f"{family.replace('_', ' ')} perturbed rows")
                )
        inferred = [f.name for f in domain.features if f.source == "inferred"]
        if inferred:
            findings.insert(
                0,
                Finding(
                    code="ROB001",
                    severity=Severity.INFO,
                    message=f"the domain of {len(inferred)} feature(s) was inferred from the evaluation data; "
                    "declare it in params.schema to make the test a specification",
                    data={"features": list(inferred[:50])},
                ),
            )
        text = [f.name for f in domain.text]
        if text:
            findings.append(
                Finding(
                    code="ROB005",
                    severity=Severity.INFO,
                    message=f"{len(text)} free-text feature(s) left unchanged: swapping sentences between rows "
                    "is not a tabular perturbation; robustness.text_invariance perturbs text",
                    data={"features": list(text[:50])},
                )
            )
        details: dict[str, JsonValue] = {
            "curves": curves,
            "schema": domain.to_json(),
            "sample": {"n": len(idx), "of": len(X), "max_rows": params.max_rows},
            "intensity": {f: list(INTENSITY[f]) for f in params.families},
            "level": params.level,
            "task": ctx.task,
        }
        kept = [m for m in metrics if m is not None]
        return CheckOutput(
            metrics=tuple(kept),
            findings=tuple(findings),
            details=details,
            views=(*_curves(kept, params.level), *(e for e in flips.values() if e is not None)),
        )


def _flip_examples(
    family: str,
    severity: int,
    idx: np.ndarray,
    sample: pd.DataFrame,
    perturbed: pd.DataFrame,
    clean: np.ndarray,
    pred: np.ndarray,
    domain: Domain,
) -> ExampleRows | None:
    """The first rows whose class changed under the perturbation: each changed feature as
    "before → after" (at most four features, the ones the first flipped rows changed)."""
    flipped = np.flatnonzero(pred != clean)
    if flipped.size == 0:
        return None
    first = flipped[:MAX_EXAMPLE_ROWS]
    before, after = sample.iloc[first], perturbed.iloc[first]
    differs = [c for c in sample.columns if (before[c].astype(str) != after[c].astype(str)).any()][:4]
    hidden = free_text_columns(sample, differs)  # a name or an address shows as its length only
    # a rare inferred level (a name typed into a category column) is withheld here as in the
    # schema the report lists (small-cell suppression, schema.MIN_LISTED_COUNT)
    rare = {c: domain[str(c)].withheld_levels for c in differs}

    def short(v: object, c: str) -> str:
        return RARE_LEVEL if str(v) in rare[c] else _short(v, c in hidden)

    cells = [
        [
            *(
                f"{short(b, c)} → {short(a, c)}" if str(b) != str(a) else short(b, c)
                for b, a in zip(before[c].tolist(), after[c].tolist(), strict=True)
            ),
        ]
        for c in differs
    ]
    rows = [[*(col[k] for col in cells), clean[i], pred[i]] for k, i in enumerate(first.tolist())]
    return ExampleRows.build(
        None,
        f"{family}/{severity}",
        f"rows whose prediction changes under {family.replace('_', ' ')} at severity {severity}",
        [*differs, "prediction", "prediction perturbed"],
        [int(idx[i]) for i in first.tolist()],
        rows,
        total=int(flipped.size),
    )


#: what an example cell shows for a withheld rare level
RARE_LEVEL = "(a rare level)"


def _short(v: object, free_text: bool) -> str:
    """A value for an example cell (ExampleRows masks and cuts the whole cell; a long whole
    number, an identifier column's value, is masked here, since "before → after" is text;
    a free-text column's value is its length only, ``sdk/views/example_cells.py``)."""
    return data_text(example_cell(v, free_text))


def _domain(ctx: RunContext, params: PerturbationParams) -> Domain:
    immutable = ctx.sensitive if params.sensitive_immutable else ()
    return resolve_domain(ctx.X, params.feature_schema, field=SCHEMA_FIELD, immutable_by_default=tuple(immutable))


def _curves(metrics: list[Metric], level: float) -> tuple[Curve, ...]:
    """One curve per (perturbation family, criterion): the measure by severity, from the
    metrics' dimensions (the clean-row metrics have no family and are left out)."""
    by: dict[tuple[str, str], list[CurvePoint]] = {}
    for m in metrics:
        d = m.key
        if d.family is None or d.severity is None:
            continue
        by.setdefault((d.family, d.criterion), []).append(
            CurvePoint(
                x=float(d.severity),
                y=m.value,
                low=m.ci.low if m.ci else None,
                high=m.ci.high if m.ci else None,
                n=m.n,
            )
        )
    return tuple(
        Curve(
            title=f"{criterion} under {family}",
            measure=criterion,
            series=family,
            x_label="severity",
            y_label=criterion.replace("_", " "),
            points=tuple(points),
            level=level,
        )
        for (family, criterion), points in by.items()
    )


def _point(m: Metric) -> dict[str, JsonValue]:
    ci: JsonValue = [m.ci.low, m.ci.high] if m.ci is not None else None
    return {"value": m.value, "ci": ci, "n": m.n}


def _at(criterion: str, family: str | None = None, severity: int | None = None, role: str | None = None) -> Dimensions:
    """A perturbation metric's key: the criterion on one family at one severity, or on the
    clean rows (``role="clean"``)."""
    return Dimensions(criterion=criterion, family=family, severity=severity, data_role=role)


def _quality(pred: np.ndarray, y: np.ndarray, regression: bool, label: str, level: float) -> Metric | None:
    if regression:
        return mean_metric(
            _at("mae", role=label),
            np.abs(pred.astype(float) - y.astype(float)),
            level,
            unit="target units",
            greater_is_better=False,
        )
    return proportion_metric(_at("accuracy", role=label), _eq(pred, y), level, greater_is_better=True)


def _measure(
    pred: np.ndarray,
    clean: np.ndarray,
    y: np.ndarray | None,
    changed: np.ndarray,
    regression: bool,
    family: str,
    severity: int,
    level: float,
) -> list[Metric | None]:
    out: list[Metric | None] = []
    if regression:
        delta = np.abs(pred.astype(float) - clean.astype(float))
        if y is not None:
            yf = y.astype(float)
            err_p, err_c = np.abs(pred.astype(float) - yf), np.abs(clean.astype(float) - yf)
            out.append(
                mean_metric(_at("mae", family, severity), err_p, level, unit="target units", greater_is_better=False)
            )
            out.append(
                mean_metric(
                    _at("mae_increase", family, severity),
                    err_p - err_c,
                    level,
                    unit="target units",
                    greater_is_better=False,
                )
            )
        out.append(
            mean_metric(
                _at("mean_abs_change", family, severity),
                delta[changed],
                level,
                unit="target units",
                greater_is_better=False,
                description="mean |prediction change| over changed rows",
            )
        )
        return out
    if y is not None:
        hit_p, hit_c = _eq(pred, y), _eq(clean, y)
        out.append(proportion_metric(_at("accuracy", family, severity), hit_p, level, greater_is_better=True))
        out.append(
            mean_metric(
                _at("accuracy_drop", family, severity),
                hit_c.astype(float) - hit_p.astype(float),
                level,
                unit="difference",
                greater_is_better=False,
                description="clean accuracy minus perturbed accuracy on the same rows",
            )
        )
    out.append(
        proportion_metric(
            _at("flip_rate", family, severity),
            ~_eq(pred[changed], clean[changed]),
            level,
            greater_is_better=False,
            description="share of changed rows whose prediction changed",
        )
    )
    return out


def _eq(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if a.dtype.kind in "biuf" and b.dtype.kind in "biuf":
        return np.asarray(a == b, dtype=bool)
    return np.asarray(a.astype(object) == b.astype(object), dtype=bool)


__all__ = ["Domain", "PerturbationParams", "RobustnessPerturbation"]
