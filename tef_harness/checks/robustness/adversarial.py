"""robustness.adversarial: decision-based black-box evasion on a seeded sample of rows
(EU AI Act Art. 15(5): attempts to alter the output by manipulating inputs).

Needs only ``predict``. Only mutable numeric features with finite bounds move; every
reported adversarial example is a projected, valid row and is re-checked against the model
in a final separate call, so "success" means the model really answers differently for a
row that satisfies the domain.

Perturbation size: ``‖(x_adv − x) / range‖₂ / √d`` over the d attacked features — the RMS
change as a share of each feature's valid range (0.05 = every feature moved by 5% of its
range, on average). ``empirical_robustness`` is ART's measure, mean ‖x_adv − x‖₂ / ‖x‖₂ in
raw units, for comparison with other tools.
"""

from __future__ import annotations

import importlib.util
import time
from typing import Annotated, Literal

import numpy as np
from pydantic import Field, JsonValue, field_validator

from tef_harness.api import (
    Check,
    CheckOutput,
    ConfigError,
    Curve,
    CurvePoint,
    Finding,
    Metric,
    Params,
    RunContext,
    Severity,
    percentile_interval,
)
from tef_harness.checks.robustness._answers import answer_finding
from tef_harness.checks.robustness._measure import mean_metric, proportion_metric, sample_rows
from tef_harness.checks.robustness.attack import (
    ModelCallFailed,
    Oracle,
    Space,
    art_hopskipjump,
    boundary_search,
)
from tef_harness.checks.robustness.schema import FeatureSpec, resolve_domain

SCHEMA_FIELD = "schema"
EPSILON_GRID = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5)


class AdversarialParams(Params):
    #: per-feature domain, as in robustness.perturbation (config key ``schema``)
    feature_schema: dict[str, FeatureSpec] = Field(default_factory=dict, alias="schema")
    sensitive_immutable: bool = True
    #: rows attacked (seeded sample)
    n_rows: Annotated[int, Field(ge=1, le=100_000)] = 200
    #: perturbation budget for robust accuracy, as RMS share of each feature's range
    epsilon: Annotated[float, Field(gt=0.0, le=1.0)] = 0.05
    #: "boundary_search" (built-in, seeded) or "art_hopskipjump" (ART; seeds NumPy's global RNG)
    method: Literal["boundary_search", "art_hopskipjump"] = "boundary_search"
    max_queries_per_row: Annotated[int, Field(ge=10)] = 1000
    #: wall-clock budget for the whole search; hitting it is reported (results then depend on speed)
    time_budget_s: Annotated[float, Field(gt=0.0)] = 120.0
    timeout_s: Annotated[float, Field(gt=0.0)] = 60.0
    #: evaluation rows used to seed the search with nearby differently-predicted rows
    pool_rows: Annotated[int, Field(ge=0)] = 2000
    level: Annotated[float, Field(gt=0.5, lt=1.0)] = 0.95

    @field_validator("method", mode="after")
    @classmethod
    def _art_installed(cls, method: str) -> str:
        # ART is an optional extra: say so before the run, not as an ImportError in the check
        if method == "art_hopskipjump" and importlib.util.find_spec("art") is None:
            raise ConfigError(
                "method 'art_hopskipjump' needs the Adversarial Robustness Toolbox: "
                "pip install 'tef-harness[art]'",
                field="method",
            )
        return method


class AdversarialEvasion(Check):
    id = "robustness.adversarial"
    family = "robustness"
    title = "Black-box adversarial evasion (decision-based)"
    description = (
        "HopSkipJump-style decision-based attack needing only predict, on mutable numeric features within their "
        "valid ranges; every adversarial row is projected to the domain and re-checked. Reports success rate, "
        "robust accuracy at the budget, median minimal perturbation and queries used. method = 'art_hopskipjump' "
        "runs ART's HopSkipJump instead (the extra tef-harness[art])."
    )
    requires = frozenset({"model", "classification"})
    evidence_for = ("EU-AI-Act:Art15(5)", "EU-AI-Act:Art15(4)", "EU-AI-Act:AnnexIV-2(h)", "ISO/IEC-24029-1")
    Params = AdversarialParams

    def bind(self, ctx: RunContext, params: AdversarialParams) -> str | None:
        immutable = tuple(ctx.sensitive) if params.sensitive_immutable else ()
        resolve_domain(ctx.X, params.feature_schema, field=SCHEMA_FIELD, immutable_by_default=immutable)
        return None

    def run(self, ctx: RunContext, params: AdversarialParams) -> CheckOutput:
        assert ctx.model is not None
        X = ctx.X
        immutable = tuple(ctx.sensitive) if params.sensitive_immutable else ()
        domain = resolve_domain(X, params.feature_schema, field=SCHEMA_FIELD, immutable_by_default=immutable)
        rng = ctx.rng(self.id)
        idx = sample_rows(rng, len(X), params.n_rows)
        base = X.iloc[idx].reset_index(drop=True)
        space = Space.from_domain(base, domain)
        if space.dim == 0:
            return CheckOutput(
                status="not_applicable",
                reason="no mutable numeric feature with finite bounds to attack",
                details={"schema": domain.to_json()},
            )
        all_pred = np.asarray(ctx.predictions())
        clean = all_pred[idx]
        correct = clean.astype(object) == np.asarray(ctx.y)[idx].astype(object) if ctx.target else None
        attacked = np.flatnonzero(correct) if correct is not None else np.arange(len(idx))
        pool_idx = sample_rows(ctx.rng(f"{self.id}/pool"), len(X), params.pool_rows)
        pool_z = space.project(space.encode(X.iloc[pool_idx]))
        oracle = Oracle(
            ctx.model,
            Space(base.iloc[attacked].reset_index(drop=True), space.features),
            clean[attacked],
            max_queries=params.max_queries_per_row,
            timeout_s=params.timeout_s,
            deadline=time.monotonic() + params.time_budget_s,
        )
        findings: list[Finding] = []
        search_rng = ctx.rng(f"{self.id}/search")
        try:
            if params.method == "art_hopskipjump":
                art_hopskipjump(oracle, pool_z, all_pred[pool_idx], search_rng, classes=tuple(ctx.classes or ()))
            else:
                boundary_search(oracle, pool_z, all_pred[pool_idx], search_rng)
        except ModelCallFailed as exc:
            finding = answer_finding(exc.answer, "search", "valid rows queried by the attack")
            findings.extend([finding] if finding else [])
        # re-check every candidate as a projected, valid row, in one separate call
        cand = np.flatnonzero(np.isfinite(oracle.best_dist))
        verified = np.zeros(len(attacked), dtype=bool)
        if len(cand):
            rows = oracle.space.rows(cand, oracle.best_z[cand])
            res = ctx.model.call("predict", rows, timeout_s=params.timeout_s)
            if res.ok:
                verified[cand] = res.value.reshape(-1).astype(object) != oracle.clean[cand].astype(object)
            else:
                finding = answer_finding(res, "recheck", "projected adversarial rows")
                findings.extend([finding] if finding else [])
        d = space.dim
        size = np.where(verified, oracle.best_dist / np.sqrt(d), np.inf)
        if oracle.time_exhausted:
            findings.append(
                Finding(
                    code="ROB010",
                    severity=Severity.LOW,
                    location="search",
                    message=f"the search stopped at its time budget ({params.time_budget_s:g} s); "
                    "results may understate the attack and depend on machine speed",
                )
            )
        metrics = self._metrics(params, size, verified, correct, oracle, space, idx, rng)
        curve: list[JsonValue] = []
        points: list[CurvePoint] = []
        n = len(idx)
        measure = "robust_accuracy" if correct is not None else "robust_share"
        for eps in sorted({*EPSILON_GRID, params.epsilon}):
            broken = int((size <= eps).sum())
            base_ok = int(correct.sum()) if correct is not None else n
            curve.append(
                {
                    "epsilon": eps,
                    measure: (base_ok - broken) / n,
                    "success_rate": broken / max(len(attacked), 1),
                }
            )
            points.append(CurvePoint(x=eps, y=(base_ok - broken) / n, n=n))
        view = Curve(
            title="Robust accuracy by perturbation budget",
            measure=measure,
            series="attack",
            x_label="epsilon",
            y_label=measure.replace("_", " "),
            points=tuple(points),
        )
        details: dict[str, JsonValue] = {
            "method": params.method,
            "features_attacked": [f.name for f in space.features],
            "n_rows": n,
            "n_attacked": len(attacked),
            "epsilon": params.epsilon,
            "size_measure": "RMS of per-feature change as a share of the feature's valid range",
            "curve": curve,
            "queries_total": int(oracle.queries.sum()),
            "max_queries_per_row": params.max_queries_per_row,
            "time_budget_hit": oracle.time_exhausted,
            "schema": domain.to_json(),
        }
        return CheckOutput(metrics=metrics, findings=tuple(findings), details=details, views=(view,))

    def _metrics(
        self,
        params: AdversarialParams,
        size: np.ndarray,
        verified: np.ndarray,
        correct: np.ndarray | None,
        oracle: Oracle,
        space: Space,
        idx: np.ndarray,
        rng: np.random.Generator,
    ) -> tuple[Metric, ...]:
        level = params.level
        n = len(idx)
        out: list[Metric | None] = [
            proportion_metric(
                "success_rate",
                verified,
                level,
                greater_is_better=False,
                description="share of attacked rows with a verified valid adversarial row",
            ),
        ]
        within = np.zeros(n, dtype=bool)
        attacked_pos = np.flatnonzero(correct) if correct is not None else np.arange(n)
        within[attacked_pos] = size <= params.epsilon
        if correct is not None:
            out.append(
                proportion_metric(
                    "robust_accuracy",
                    correct & ~within,
                    level,
                    greater_is_better=True,
                    description=f"correct and not broken within epsilon={params.epsilon:g}",
                )
            )
            out.append(proportion_metric("clean_accuracy", correct, level, greater_is_better=True))
        else:
            out.append(
                proportion_metric(
                    "robust_share",
                    ~within,
                    level,
                    greater_is_better=True,
                    description=f"rows not broken within epsilon={params.epsilon:g}",
                )
            )
        sizes = size[verified]
        if sizes.size:
            boots = sizes[rng.integers(0, sizes.size, size=(200, sizes.size))]
            out.append(
                Metric(
                    name="median_min_perturbation",
                    value=float(np.median(sizes)),
                    ci=percentile_interval(np.median(boots, axis=1), level),
                    n=int(sizes.size),
                    unit="share",
                    greater_is_better=True,
                    description="median over successes of the RMS change as a share of each range",
                )
            )
            x0 = space.lo + oracle.z0[verified] * space.width
            x1 = space.lo + oracle.best_z[verified] * space.width
            norm0 = np.linalg.norm(x0, axis=1)
            rel = np.linalg.norm(x1 - x0, axis=1)[norm0 > 0] / norm0[norm0 > 0]
            out.append(
                mean_metric(
                    "empirical_robustness",
                    rel,
                    level,
                    unit="ratio",
                    greater_is_better=True,
                    description="ART's mean ||x_adv - x|| / ||x|| over successes, raw units",
                )
            )
        out.append(
            mean_metric("queries_per_row", oracle.queries.astype(float), level, unit="count", greater_is_better=None)
        )
        return tuple(m for m in out if m is not None)
