"""privacy.membership_inference: a black-box loss-threshold attack (Yeom et al. 2018).

Members are the training sample, non-members the evaluation rows. Each row gets an attack
score: minus the model's log loss on its true label when the model gives probabilities
(members tend to have lower loss), otherwise a label-only score, 1 when the prediction is
correct and 0 when not (the same attack with a coarser signal; it can only find overfitting
that shows in accuracy). The attacker guesses "member" above a threshold; we report the
whole ROC curve's summary (Carlini et al. 2022 ask for low-FPR figures, not only AUC).
"""

from __future__ import annotations

from typing import Annotated, Any, Self

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from tef_harness.api import (
    Check,
    CheckOutput,
    Curve,
    CurvePoint,
    Finding,
    Interval,
    Metric,
    ModelCallError,
    ModelClient,
    Params,
    RunContext,
    Severity,
    bca_interval,
    jackknife_blocks,
    wilson_ci,
)
from tef_harness.sdk.resamples import require_enough_resamples

_EPS = float(np.finfo(np.float64).eps)
#: FPR levels reported, with the metric-name suffix
FPR_LEVELS: tuple[tuple[float, str], ...] = ((0.01, "1pct"), (0.001, "0.1pct"))
#: false positives needed at a level before its TPR means something (10 at 0.1% = 10,000 rows)
MIN_FALSE_POSITIVES = 10


class MembershipParams(Params):
    #: rows drawn (seeded) from each of members and non-members
    max_rows: Annotated[int, Field(ge=10)] = 20_000
    #: bootstrap resamples. At least ``min_resamples(level)`` (39 at 0.95, 199 at 0.99): the
    #: smallest count whose two-sided percentile (and BCa) interval has both ends among the
    #: replicates (Davison & Hinkley 1997, sec. 5.2.1); with fewer the interval is missing or
    #: degenerate and every bound on it untestable
    n_boot: Annotated[int, Field(le=5_000)] = 200
    level: Annotated[float, Field(gt=0.5, lt=1.0)] = 0.95
    #: "auto": loss when the model gives probabilities, else label-only; or force one
    attack: str = "auto"

    @model_validator(mode="after")
    def _enough_resamples(self) -> Self:
        require_enough_resamples(self.n_boot, self.level, maximum=5_000)
        return self


def roc_auc(is_member: np.ndarray, score: np.ndarray, weight: np.ndarray | None = None) -> float:
    """ROC AUC with ties counted one half (the Mann-Whitney statistic), optionally with
    row weights (a bootstrap replicate); equals sklearn's ``roc_auc_score`` unweighted."""
    uniq, inv = np.unique(score, return_inverse=True)
    w = np.ones(len(score)) if weight is None else weight
    pos = np.bincount(inv, weights=w * is_member, minlength=len(uniq))
    neg = np.bincount(inv, weights=w * (1 - is_member), minlength=len(uniq))
    tp, tn = pos.sum(), neg.sum()
    if tp == 0 or tn == 0:
        return float("nan")
    below = np.cumsum(neg) - neg
    return float(pos @ (below + 0.5 * neg) / (tp * tn))


def roc_points(is_member: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """False- and true-positive counts at every distinct threshold (guess member when
    score >= threshold), from the highest threshold down, starting at 'nobody'; and the
    thresholds."""
    order = np.argsort(-score, kind="stable")
    s, m = score[order], is_member[order]
    last = np.r_[np.flatnonzero(np.diff(s) != 0), len(s) - 1]
    tp = np.r_[0, np.cumsum(m)[last]]
    fp = np.r_[0, np.cumsum(1 - m)[last]]
    return fp, tp, np.r_[np.inf, s[last]]


#: the ROC view's false-positive rates: log-spaced, as the low-FPR end is what matters
ROC_GRID = np.geomspace(1e-4, 1.0, 41)


def roc_view(fpr: np.ndarray, tpr: np.ndarray) -> Curve:
    """The attack's ROC on :data:`ROC_GRID`: at each grid FPR, the highest TPR of a threshold
    whose FPR does not exceed it; ``fpr`` ascending from 0, as ``roc_points`` gives it."""
    last = np.searchsorted(fpr, ROC_GRID, side="right") - 1
    points = tuple(
        CurvePoint(x=float(x), y=float(tpr[k])) for x, k in zip(ROC_GRID, last, strict=True) if k >= 0
    )
    return Curve(
        title="Membership inference: true-positive rate by false-positive rate",
        measure="tpr",
        series="attack",
        x_label="false-positive rate",
        y_label="true-positive rate",
        points=points,
    )


def attack_scores(
    model: ModelClient, X: pd.DataFrame, y: np.ndarray, classes: tuple[object, ...] | None, kind: str
) -> np.ndarray:
    """Higher = more likely a member: minus the log loss (kind "loss") or correctness
    (kind "label"). Raises ModelCallError when the model does not answer validly."""
    output = model.predict_proba(X) if kind == "loss" else model.predict(X)
    return scores_from_output(output, y, classes, kind)


def scores_from_output(output: np.ndarray, y: np.ndarray, classes: tuple[object, ...] | None, kind: str) -> np.ndarray:
    """``attack_scores`` from the model's answer: probabilities (kind "loss") or labels."""
    if kind == "loss":
        proba = np.asarray(output, dtype=float)
        cls = list(classes) if classes is not None else list(range(proba.shape[1]))
        idx = {c: i for i, c in enumerate(cls)}
        col = np.array([idx.get(v, -1) for v in y])
        p = np.where(col >= 0, proba[np.arange(len(y)), np.clip(col, 0, None)], 0.0)
        return np.asarray(np.log(np.clip(p, _EPS, 1.0)), dtype=float)
    return np.asarray(np.asarray(output) == y, dtype=float)


class MembershipInference(Check):
    id = "privacy.membership_inference"
    family = "privacy"
    title = "Membership-inference attack on the model"
    description = (
        "Black-box loss-threshold attack: training-sample rows (members) against evaluation rows "
        "(non-members); ROC AUC with a bootstrap interval, TPR at 1% and 0.1% FPR, membership "
        "advantage and an empirical epsilon lower bound. Label-only attack when the model gives "
        "no probabilities."
    )
    requires = frozenset({"model", "train_sample", "labels", "classification"})
    evidence_for = ("EU-AI-Act:Art15(5)", "EU-AI-Act:AnnexIV-2(h)")
    Params = MembershipParams
    metric_names = ("auc", "advantage", *(f"tpr_at_fpr_{s}" for _, s in FPR_LEVELS), "epsilon_lower_bound")

    def run(self, ctx: RunContext, params: MembershipParams) -> CheckOutput:
        assert ctx.model is not None and ctx.train is not None and ctx.target is not None
        train = ctx.train.frame
        needed = [*ctx.features, ctx.target]
        missing = [c for c in needed if c not in train.columns]
        if missing:
            return CheckOutput(
                status="not_applicable",
                reason=(
                    "members and non-members have different columns: the training sample lacks "
                    + ", ".join(missing[:10])
                    + (f" (+{len(missing) - 10} more)" if len(missing) > 10 else "")
                ),
                details={"missing_in_train": missing},
            )
        kind = params.attack
        if kind == "auto":
            kind = "loss" if "probabilities" in ctx.capabilities else "label"
        if kind not in ("loss", "label"):
            return CheckOutput(status="not_applicable", reason=f"unknown attack {params.attack!r}")
        if kind == "loss" and "probabilities" not in ctx.capabilities:
            return CheckOutput(
                status="not_applicable", reason="loss attack asked for but the model gives no probabilities"
            )
        rng = ctx.rng(self.id)
        mem = _sample(train, params.max_rows, rng)
        non = _sample(ctx.eval.frame, params.max_rows, rng)
        mem = mem[mem[ctx.target].notna()]
        n_mem, n_non = len(mem), len(non)
        if n_mem < 10 or n_non < 10:
            return CheckOutput(
                status="insufficient_evidence",
                reason=f"need at least 10 members and 10 non-members, have {n_mem} and {n_non}",
            )
        cols = list(ctx.features)
        # the evaluation rows first: a model that fails on them too is an error, not a sample problem
        s_non = attack_scores(ctx.model, non[cols], non[ctx.target].to_numpy(), ctx.classes, kind)
        answer = ctx.model.call("predict_proba" if kind == "loss" else "predict", mem[cols])
        if answer.kind == "error":  # it scores the evaluation rows, so the sample's columns differ
            return CheckOutput(
                status="not_applicable",
                reason=f"the model cannot score the training sample ({answer.error_type}); check its column types",
            )
        if not answer.ok:
            raise ModelCallError(answer)
        s_mem = scores_from_output(answer.value, mem[ctx.target].to_numpy(), ctx.classes, kind)
        score = np.r_[s_mem, s_non]
        is_member = np.r_[np.ones(n_mem), np.zeros(n_non)]
        return self._report(score, is_member, n_mem, n_non, kind, params, rng)

    def _report(
        self,
        score: np.ndarray,
        is_member: np.ndarray,
        n_mem: int,
        n_non: int,
        kind: str,
        params: MembershipParams,
        rng: np.random.Generator,
    ) -> CheckOutput:
        n = n_mem + n_non
        auc = roc_auc(is_member, score)
        reps = np.empty(params.n_boot)
        for b in range(params.n_boot):  # stratified: members and non-members resampled apart
            w = np.r_[
                np.bincount(rng.integers(0, n_mem, n_mem), minlength=n_mem),
                np.bincount(rng.integers(0, n_non, n_non), minlength=n_non),
            ].astype(float)
            reps[b] = roc_auc(is_member, score, w)
        # AUC is smooth and nearly unbiased: BCa, with the acceleration from a delete-block jackknife
        ci: Interval | None = None
        if params.n_boot:
            blocks = jackknife_blocks(rng, n)
            jack = np.array(
                [roc_auc(is_member, score, (blocks != g).astype(float)) for g in range(int(blocks.max()) + 1)]
            )
            ci = bca_interval(auc, reps, jack, params.level)
        fp, tp, _ = roc_points(is_member, score)
        fpr, tpr = fp / n_non, tp / n_mem
        metrics = [
            Metric(name="auc", value=auc, ci=ci, n=n, unit="score", greater_is_better=False,
                   description="ROC AUC of the attack; 0.5 = no better than guessing"),
            Metric(name="advantage", value=float(np.max(tpr - fpr)), n=n, unit="difference", greater_is_better=False,
                   description="membership advantage max(TPR - FPR) (Yeom et al. 2018)"),
        ]
        findings: list[Finding] = []
        unreliable: list[str] = []
        undefined: dict[str, str] = {}
        eps_bounds: list[float] = []
        for alpha, suffix in FPR_LEVELS:
            ok = fpr <= alpha + 1e-12
            k = int(np.argmax(np.where(ok, tpr, -1.0)))
            if n_non * alpha < MIN_FALSE_POSITIVES:
                unreliable.append(suffix)
                undefined[f"tpr_at_fpr_{suffix}"] = (
                    f"{n_non} non-members give fewer than {MIN_FALSE_POSITIVES} expected false positives "
                    f"at {alpha:.1%} FPR (about {int(MIN_FALSE_POSITIVES / alpha):,} needed)"
                )
                findings.append(
                    Finding(
                        code="PRIV022",
                        severity=Severity.INFO,
                        message=(
                            f"TPR at {alpha:.1%} FPR not reported: {n_non} non-members give fewer than "
                            f"{MIN_FALSE_POSITIVES} expected false positives "
                            f"(about {int(MIN_FALSE_POSITIVES / alpha):,} needed)"
                        ),
                        data={"fpr": alpha, "non_members": n_non, "needed": int(MIN_FALSE_POSITIVES / alpha)},
                    )
                )
                continue
            tpr_ci = wilson_ci(tp[k], n_mem, params.level)
            metrics.append(
                Metric(
                    name=f"tpr_at_fpr_{suffix}",
                    value=float(tpr[k]),
                    ci=tpr_ci,
                    n=n_mem,
                    unit="rate",
                    greater_is_better=False,
                    description=f"attack TPR at FPR <= {alpha:g} ({int(fp[k])} false positives of {n_non})",
                )
            )
            # (eps, 0)-DP implies TPR <= e^eps * FPR: a one-sided bound from the interval ends
            fpr_ci = wilson_ci(fp[k], n_non, params.level)
            if tpr_ci is not None and fpr_ci is not None and tpr_ci.low > 0 and fpr_ci.high > 0:
                eps_bounds.append(max(0.0, float(np.log(tpr_ci.low / fpr_ci.high))))
        if eps_bounds:
            metrics.append(
                Metric(
                    name="epsilon_lower_bound",
                    value=max(eps_bounds),
                    n=n,
                    unit="nats",  # epsilon is a natural log of a ratio of probabilities
                    greater_is_better=False,
                    description="empirical DP epsilon lower bound ln(TPR_low / FPR_high) at the reported FPR levels",
                )
            )
        if kind == "label":
            findings.append(
                Finding(
                    code="PRIV021",
                    severity=Severity.INFO,
                    message=(
                        "the model gives no probabilities: label-only attack (correct vs wrong prediction), "
                        "which can only detect overfitting visible in accuracy; a loss attack may find more"
                    ),
                )
            )
        details: dict[str, Any] = {
            "attack": "loss-threshold" if kind == "loss" else "label-only",
            "members": n_mem,
            "non_members": n_non,
            "unreliable_fpr_levels": unreliable,
            "mean_score_members": float(score[is_member == 1].mean()),
            "mean_score_non_members": float(score[is_member == 0].mean()),
        }
        return CheckOutput(
            metrics=tuple(metrics),
            findings=tuple(findings),
            details=details,
            views=(roc_view(fpr, tpr),),
            undefined=undefined,
        )


def _sample(frame: pd.DataFrame, k: int, rng: np.random.Generator) -> pd.DataFrame:
    if len(frame) <= k:
        return frame
    return frame.iloc[np.sort(rng.choice(len(frame), size=k, replace=False))]
