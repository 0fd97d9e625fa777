"""documentation.consistency: the model card's claims, re-measured.

Declared metric values are compared with what ``performance.metrics`` (overall) and the bias
checks (per group) measured, CI-aware: a claim is consistent when its rounding range
overlaps the measured interval (a claim equal to a bound is consistent). A claim more
favourable than the interval (above it for a metric whose greater is better, below it for a
loss) overstates the model: DOC101, high, counted in ``claims.overstated``, which the profiles
bound at zero (it would mislead a deployer, Art. 13(3)(b)(ii)). A claim on the cautious side
understates it: DOC102, low, a note that the card claims a less favourable value than was
measured (less for a metric whose greater is better, more for a loss), counted in
``claims.understated`` and never failing the check. The direction is the measured metric's
``greater_is_better`` (performance.metrics sets it for each of its metrics), else this
module's table; a metric of unknown direction has no cautious side, so any claim outside
its interval counts as overstated. The card's evaluated
groups, decision threshold, library versions and intended population are compared with the
run's sensitive features, the threshold performance.metrics used, the artifact's metadata
and the evaluation data's group shares.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Annotated, Literal

import numpy as np
from pydantic import Field, JsonValue

from tef_harness.api import (
    Check,
    CheckOutput,
    CheckResult,
    Dimensions,
    Finding,
    GroupTable,
    Interval,
    Metric,
    Params,
    RunContext,
    Severity,
    wilson_interval,
)
from tef_harness.checks.documentation.claims import CardClaims, MetricClaim, extract_claims, normalise_library
from tef_harness.checks.documentation.parsing import ParsedDocument, parse_document

_HIGHER = {
    "accuracy": True,
    "balanced_accuracy": True,
    "f1": True,
    "roc_auc": True,
    "recall": True,
    "tpr": True,
    "precision": True,
    "ppv": True,
    "fpr": False,
    "log_loss": False,
    "brier": False,
    "ece": False,
}
_SYNONYMS = {
    "recall": ("recall", "tpr", "true_positive_rate"),
    "roc_auc": ("roc_auc", "auc"),
    "precision": ("precision", "ppv"),
}


class ConsistencyParams(Params):
    #: half-width around a measured value that has no interval (e.g. n_boot = 0)
    tolerance_without_interval: Annotated[float, Field(ge=0.0, le=1.0)] = 0.01
    #: declared population shares may differ from the evaluation data's by this much,
    #: beyond the sampling interval, before it is a finding
    population_tolerance: Annotated[float, Field(ge=0.0, le=1.0)] = 0.05
    #: level of the Wilson interval around an observed group share
    level: Annotated[float, Field(gt=0.5, lt=1.0)] = 0.95


class DocumentationConsistency(Check):
    id = "documentation.consistency"
    family = "documentation"
    title = "Model-card claims re-measured"
    description = (
        "Compares the card's declared metrics (model-index or a metrics table) with the measured "
        "values and intervals of performance.metrics and the bias checks, its evaluated groups with "
        "the tested sensitive features, its decision threshold with the one used, its library "
        "versions with the artifact's metadata, and its intended population with the data's group shares."
    )
    requires = frozenset({"card"})
    evidence_for = (
        "EU-AI-Act:Art13(3)(b)(ii)",
        "EU-AI-Act:Art13(3)(b)(v)",
        "EU-AI-Act:AnnexIV-1(c)",
        "EU-AI-Act:AnnexIV-2(b)",
        "EU-AI-Act:AnnexIV-3",
    )
    run_after = ("performance.*", "bias.*")
    Params = ConsistencyParams

    def bind(self, ctx: RunContext, params: ConsistencyParams) -> str | None:
        parse_document(ctx.documents["card"])  # IntakeError naming the card
        return None

    def run(self, ctx: RunContext, params: ConsistencyParams) -> CheckOutput:
        card = parse_document(ctx.documents["card"])
        claims = extract_claims(card)
        findings: list[Finding] = []
        rows: list[JsonValue] = []
        perf = ctx.results.get("performance.metrics")
        counts = _metric_claims(ctx, claims, perf, params, findings, rows)
        groups_missing, groups_unmentioned = _groups(ctx, card, claims, findings, rows)
        _threshold(claims, perf, findings, rows)
        _versions(ctx, claims, findings, rows)
        pop_gap = _population(ctx, claims, params, findings, rows)
        count = "count"
        metrics = [
            Metric(
                name="claims.metrics",
                value=len(claims.metrics),
                unit=count,
                description="metric values the card declares",
            ),
            Metric(name="claims.verified", value=counts["verified"], unit=count, description="metric claims compared"),
            Metric(name="claims.consistent", value=counts["consistent"], unit=count),
            Metric(
                name="claims.outside_interval",
                value=counts["overstated"] + counts["understated"],
                unit=count,
                description="claims outside the measured interval on either side",
            ),
            Metric(
                name="claims.overstated",
                value=counts["overstated"],
                unit=count,
                greater_is_better=False,
                description="claims more favourable than the measured interval (DOC101)",
            ),
            Metric(
                name="claims.understated",
                value=counts["understated"],
                unit=count,
                description="claims on the cautious side of the measured interval (DOC102, a note)",
            ),
            Metric(name="claims.unverified", value=counts["unverified"], unit=count),
            Metric(name="groups.declared_not_tested", value=groups_missing, unit=count, greater_is_better=False),
            Metric(name="groups.tested_not_declared", value=groups_unmentioned, unit=count, greater_is_better=False),
        ]
        if pop_gap is not None:
            metrics.append(
                Metric(
                    name="population.max_abs_gap",
                    value=pop_gap,
                    unit="difference",  # of two shares of the population
                    greater_is_better=False,
                    description="largest |declared - observed| group share",
                )
            )
        compared: list[JsonValue] = list(sorted(ctx.results))
        details: dict[str, JsonValue] = {"card": card.path, "claims": rows, "compared_with": compared}
        status: Literal["insufficient_evidence"] | None = None
        reason = None
        # No claim compared because there was nothing to compare with is no evidence the card is
        # consistent: not a pass ("no bound, no pass"), whether performance.metrics was left out
        # or ran and ended without metrics (an error, a model that failed to predict).
        if claims.metrics and counts["verified"] == 0 and (perf is None or not perf.metrics):
            status = "insufficient_evidence"
            if perf is None:
                reason = (
                    f"the card declares {len(claims.metrics)} metric value(s) but no performance.metrics "
                    "result is available to compare them with; enable performance.metrics"
                )
            else:
                reason = (
                    f"the card declares {len(claims.metrics)} metric value(s) but performance.metrics "
                    f"ended {perf.status.value} with no metric to compare them with"
                )
        return CheckOutput(
            metrics=tuple(metrics), findings=tuple(findings), details=details, status=status, reason=reason
        )


# -- metric claims --------------------------------------------------------------------------
def _measured_for(
    ctx: RunContext, claim: MetricClaim, perf: CheckResult | None, feature: str | None
) -> tuple[Metric | None, str, str]:
    """(measured metric, which check, why not found), looked up by key in the earlier results:
    an overall claim is ``performance.metrics``'s metric with that criterion; a per-group claim
    is a metric keyed by that group, else the row of that group in a bias check's group table
    (``GroupTable``). Group values compare case-insensitively, as a card writes them."""
    names = _SYNONYMS.get(claim.metric, (claim.metric,))
    if claim.group is None:
        if perf is None:
            return None, "", "performance.metrics did not run"
        found = next((m for n in names if (m := ctx.results.metric("performance.metrics", n)) is not None), None)
        return found, "performance.metrics", "" if found else f"performance.metrics has no '{claim.metric}'"
    group = claim.group.lower()
    hits: list[tuple[int, str, Metric]] = []
    for check_id, m in ctx.results.metrics(names):
        key = m.key
        if len(key.group) == 1 and key.group[0].lower() == group:
            hits.append((int(feature is not None and _same_set(key.sensitive_set, feature)), check_id, m))
    if not hits:
        row_hit = _from_group_tables(ctx, names, feature, group)
        if row_hit is not None:
            return row_hit
        return None, "", f"no check measured '{claim.metric}' for group '{claim.group}'"
    best = max(h[0] for h in hits)
    top = [h for h in hits if h[0] == best]
    if len(top) > 1:
        return None, "", f"{len(top)} measured metrics match '{claim.metric}' for '{claim.group}'; ambiguous"
    return top[0][2], top[0][1], ""


def _same_set(columns: tuple[str, ...], feature: str) -> bool:
    return len(columns) == 1 and columns[0].lower() == feature.lower()


def _from_group_tables(
    ctx: RunContext, names: tuple[str, ...], feature: str | None, group: str
) -> tuple[Metric, str, str] | None:
    """The first group-table row (in check-id order) of a one-column set (``feature``'s when
    known) for ``group`` that has one of the measures ``names``, as a metric."""
    for check_id, table in ctx.results.views(GroupTable):
        if len(table.sensitive_set) != 1 or (feature is not None and not _same_set(table.sensitive_set, feature)):
            continue
        row = next((r for r in table.rows if r.group[0].lower() == group), None)
        if row is None:
            continue
        got = next((g for n in names if (g := row.get(n)) is not None), None)
        if got is None:
            continue
        ci = None
        if got.low is not None and got.high is not None and got.low <= got.high:
            ci = Interval(low=got.low, high=got.high, level=table.level or 0.95, method="as reported")
        metric = Metric(
            dims=Dimensions(criterion=got.measure, sensitive_set=table.sensitive_set, group=row.group),
            value=got.value,
            ci=ci,
            n=row.count,
            greater_is_better=_HIGHER.get(got.measure),
        )
        return metric, f"{check_id} (group table)", ""
    return None


def _metric_claims(
    ctx: RunContext,
    claims: CardClaims,
    perf: CheckResult | None,
    params: ConsistencyParams,
    findings: list[Finding],
    rows: list[JsonValue],
) -> dict[str, int]:
    counts = {"verified": 0, "consistent": 0, "overstated": 0, "understated": 0, "unverified": 0}
    if not claims.metrics:
        findings.append(
            Finding(
                code="DOC104",
                severity=Severity.MEDIUM,
                location=ctx.documents["card"].path,
                message="the card declares no metric values (none in model-index, in a metrics table, or in "
                "its text), so the declared accuracy levels of Art. 13(3)(b)(ii) cannot be re-measured",
            )
        )
    for claim in claims.metrics:
        metric, dataset = claim.metric, claim.dataset or ""
        value, half = claim.value, claim.half_unit
        if metric == "gini":  # Gini = 2 AUC - 1
            metric, value, half = "roc_auc", (value + 1) / 2, half / 2
            claim = replace(claim, metric=metric, value=value, half_unit=half, dataset=dataset)
        what = claim.label + (f" for {claim.feature or 'group'}={claim.group}" if claim.group else "")
        # a claim the card states in two places (model-index and a table) is one claim, both named
        where = "; also ".join((claim.source, *claim.also_at))
        row: dict[str, JsonValue] = {
            "kind": "metric",
            "what": what,
            "metric": metric,
            "declared": value,
            "source": claim.source,
            "also_at": list(claim.also_at),
            "dataset": claim.dataset,
            # the metric name and number as written: no other text of the card
            "evidence": claim.evidence,
        }
        if "train" in dataset.lower():
            rows.append({**row, "verdict": "skipped", "note": "a training-set figure"})
            continue
        feature = claim.feature or _feature_of(ctx, claim.group)
        measured, by, why = _measured_for(ctx, claim, perf, feature)
        if measured is None:
            counts["unverified"] += 1
            rows.append({**row, "verdict": "unverified", "note": why})
            findings.append(
                Finding(
                    code="DOC103",
                    severity=Severity.LOW,
                    location=claim.source,
                    data={"metric": metric},
                    message=f"claim {what} = {value:.4g} ({where}) could not be re-measured: {why}",
                )
            )
            continue
        counts["verified"] += 1
        if measured.ci is not None:
            low, high = measured.ci.low, measured.ci.high
            basis = f"{measured.ci.level:.0%} interval [{low:.4g}, {high:.4g}]"
        else:
            low = measured.value - params.tolerance_without_interval
            high = measured.value + params.tolerance_without_interval
            basis = f"no interval; tolerance ±{params.tolerance_without_interval:g}"
        row.update(measured=measured.value, low=low, high=high, measured_by=by, n=measured.n)
        if value + half >= low and value - half <= high:
            counts["consistent"] += 1
            rows.append({**row, "verdict": "consistent"})
            continue
        higher = measured.greater_is_better if measured.greater_is_better is not None else _HIGHER.get(metric)
        optimistic = _overstates(value > high, higher)
        counts["overstated" if optimistic else "understated"] += 1
        # "cautious", the word of the DOC102 finding, so the claims table and the finding agree
        rows.append({**row, "verdict": "optimistic" if optimistic else "cautious"})
        n_rows = f" on {measured.n} rows" if measured.n else ""
        said = f"card claims {what} = {value:.4g} ({where}); {by} measured {measured.value:.4g}{n_rows}, {basis}"
        data: dict[str, JsonValue] = {
            "metric": metric,
            "declared": value,
            "measured": measured.value,
            "low": low,
            "high": high,
        }
        if optimistic:
            finding = Finding(
                code="DOC101",
                severity=Severity.HIGH,
                location=claim.source,
                data=data,
                message=f"{said}: the claim is more favourable than the measurement supports",
            )
        else:
            finding = Finding(
                code="DOC102",
                severity=Severity.LOW,
                location=claim.source,
                data=data,
                message=f"{said}: the card claims a less favourable value than was measured "
                "(a cautious claim, not a failure; "
                "state the measured value to be accurate)",
            )
        findings.append(finding)
    return counts


def _overstates(above: bool, greater_is_better: bool | None) -> bool:
    """Whether a claim outside the interval (``above`` it, else below) is more favourable than
    the measurement: above for a metric whose greater is better, below for a loss; with no
    known direction there is no cautious side, so it counts as overstated."""
    if greater_is_better is None:
        return True
    return above if greater_is_better else not above


def _feature_of(ctx: RunContext, group: str | None) -> str | None:
    if group is None:
        return None
    owners = [
        f for f in ctx.sensitive if f in ctx.eval.frame.columns and group in set(ctx.eval.frame[f].astype(str).unique())
    ]
    return owners[0] if len(owners) == 1 else None


# -- groups, threshold, versions, population ------------------------------------------------
def _mentions(card: ParsedDocument, feature: str) -> bool:
    text = (card.body + "\n" + str(card.front_matter)).lower()
    variants = {feature.lower(), feature.lower().replace("_", " "), feature.lower().replace("_", "-")}
    return any(re.search(rf"(?<![\w]){re.escape(v)}(?![\w])", text) for v in variants)


def _groups(
    ctx: RunContext, card: ParsedDocument, claims: CardClaims, findings: list[Finding], rows: list[JsonValue]
) -> tuple[int, int]:
    tested = {s.lower(): s for s in ctx.sensitive}
    missing = unmentioned = 0
    for feature, where in claims.groups:
        ok = feature.lower() in tested
        rows.append({"kind": "group", "what": feature, "source": where, "verdict": "tested" if ok else "not_tested"})
        if not ok:
            missing += 1
            findings.append(
                Finding(
                    code="DOC105",
                    severity=Severity.MEDIUM,
                    location=where,
                    data={"feature": feature},
                    message=f"the card declares evaluation by '{feature}' ({where}), but this run's sensitive "
                    f"features are {', '.join(ctx.sensitive) or 'none'}; declare it in the config or "
                    "correct the card",
                )
            )
    declared = {f.lower() for f, _ in claims.groups}
    for feature in ctx.sensitive:
        if feature.lower() in declared or _mentions(card, feature):
            continue
        unmentioned += 1
        rows.append({"kind": "group", "what": feature, "source": None, "verdict": "not_declared"})
        findings.append(
            Finding(
                code="DOC106",
                severity=Severity.MEDIUM,
                location=card.path,
                data={"feature": feature},
                message=f"sensitive feature '{feature}' is tested in this run but the card never mentions it; "
                "Art. 13(3)(b)(v) asks for performance on the specific groups concerned",
            )
        )
    return missing, unmentioned


def _threshold(claims: CardClaims, perf: CheckResult | None, findings: list[Finding], rows: list[JsonValue]) -> None:
    if claims.threshold is None or perf is None or "decision_threshold" not in perf.details:
        return
    declared, where = claims.threshold
    used = perf.details.get("decision_threshold")
    row: dict[str, JsonValue] = {
        "kind": "threshold",
        "what": "decision threshold",
        "declared": declared,
        "source": where,
    }
    if not isinstance(used, int | float):
        rows.append({**row, "verdict": "unverified", "note": "performance.metrics used the model's predict()"})
        findings.append(
            Finding(
                code="DOC108",
                severity=Severity.LOW,
                location=where,
                data={"declared": declared},
                message=f"the card declares decision threshold {declared:g} ({where}), but performance.metrics "
                "measured with the model's own predict(); set model.decision_threshold = "
                f"{declared:g} to measure at the declared operating point",
            )
        )
        return
    if abs(float(used) - declared) <= 1e-9:
        rows.append({**row, "measured": float(used), "verdict": "consistent"})
        return
    rows.append({**row, "measured": float(used), "verdict": "different"})
    findings.append(
        Finding(
            code="DOC107",
            severity=Severity.MEDIUM,
            location=where,
            data={"declared": declared, "used": float(used)},
            message=f"the card declares decision threshold {declared:g} ({where}) but performance.metrics "
            f"used {float(used):g}; the declared metrics and the measured ones refer to different "
            "operating points",
        )
    )


def _versions(ctx: RunContext, claims: CardClaims, findings: list[Finding], rows: list[JsonValue]) -> None:
    metadata: Mapping[str, str] = ctx.model.info.metadata if ctx.model is not None else {}
    actual = {normalise_library(k): str(v) for k, v in metadata.items()}
    for lib, version, where in claims.versions:
        key = normalise_library(lib)
        row: dict[str, JsonValue] = {"kind": "version", "what": lib, "declared": version, "source": where}
        if key not in actual:
            rows.append({**row, "verdict": "unverified", "note": "the artifact's metadata does not record it"})
            continue
        have = actual[key]
        same = have.split(".")[: len(version.split("."))] == version.split(".")
        rows.append({**row, "measured": have, "verdict": "consistent" if same else "different"})
        if not same:
            findings.append(
                Finding(
                    code="DOC109",
                    severity=Severity.MEDIUM,
                    location=where,
                    data={"library": lib, "declared": version, "artifact": have},
                    message=f"the card declares {lib} {version} ({where}) but the model artifact records "
                    f"{have}; Annex IV 1(c) asks for the versions actually used",
                )
            )


def _population(
    ctx: RunContext, claims: CardClaims, params: ConsistencyParams, findings: list[Finding], rows: list[JsonValue]
) -> float | None:
    frame = ctx.eval.frame
    gaps: list[float] = []
    for claim in claims.population:
        feature = claim.feature if claim.feature in frame.columns else _feature_of(ctx, claim.group)
        row: dict[str, JsonValue] = {
            "kind": "population",
            "what": f"{claim.feature or '?'}={claim.group}",
            "declared": claim.share,
            "source": claim.source,
        }
        if feature is None or feature not in frame.columns:
            rows.append({**row, "verdict": "unverified", "note": "group not found among the sensitive features"})
            continue
        n = len(frame)
        hits = int((frame[feature].astype(str) == claim.group).sum())
        lo, hi = wilson_interval(np.array([hits]), np.array([n]), params.level)
        low, high = float(lo[0]), float(hi[0])
        observed = hits / n if n else 0.0
        gaps.append(abs(claim.share - observed))
        ok = (
            claim.share + claim.half_unit >= low - params.population_tolerance
            and claim.share - claim.half_unit <= high + params.population_tolerance
        )
        rows.append(
            {
                **row,
                "measured": observed,
                "low": low,
                "high": high,
                "n": n,
                "verdict": "consistent" if ok else "different",
            }
        )
        if not ok:
            findings.append(
                Finding(
                    code="DOC110",
                    severity=Severity.MEDIUM,
                    location=claim.source,
                    data={"feature": feature, "declared": claim.share, "observed": observed},
                    message=f"the card declares {feature}={claim.group} is {claim.share:.1%} of the intended "
                    f"population ({claim.source}); the evaluation data has {observed:.1%} "
                    f"({params.level:.0%} interval [{low:.1%}, {high:.1%}], n={n}), more than "
                    f"{params.population_tolerance:.0%} away: the evaluation may not represent it",
                )
            )
    return max(gaps) if gaps else None
