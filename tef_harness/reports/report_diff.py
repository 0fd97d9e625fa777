"""Two reports side by side: what changed (``tef report diff``) and whether a metric regressed
beyond its tolerance against a baseline (``tef check --baseline``).

Regression follows MLflow's ``MetricThreshold`` (mlflow/models/evaluation/validation.py) with
the sign left free: with ``greater_is_better`` a metric passes when
``candidate >= baseline + min_absolute_change`` and when
``(candidate - baseline) / |baseline| >= min_relative_change`` (mirrored when lower is
better). MLflow accepts only positive changes ("must improve by"); a negative one here is the
regression tolerated (``min_absolute_change = -0.02``: may drop by 0.02). A baseline of 0
makes a relative change undefined: then, as in MLflow, a non-negative change asks for a strict
improvement, and a negative one (a tolerance) for no loss.
A baseline of a different model is compared anyway (that is how a new model version is gated)
with a warning when its input digest differs in the model.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from tef_harness.config.schema import BaselineThreshold
from tef_harness.reports.coverage import coverage_of, verdict_label
from tef_harness.reports.schema import ConformityReport
from tef_harness.reports.tracking_view import QualifiedMetric, flat_metrics, qualified_metrics


@dataclass(frozen=True)
class Regression:
    """One metric compared against its baseline under one threshold."""

    key: str
    baseline: float
    candidate: float
    greater_is_better: bool
    min_absolute_change: float | None
    min_relative_change: float | None
    passed: bool

    def describe(self) -> str:
        rules = []
        if self.min_absolute_change is not None:
            rules.append(f"min_absolute_change {self.min_absolute_change:g}")
        if self.min_relative_change is not None:
            rules.append(f"min_relative_change {self.min_relative_change:g}")
        direction = "higher" if self.greater_is_better else "lower"
        return (
            f"{self.key}: {self.baseline:.6g} -> {self.candidate:.6g} ({direction} is better; "
            f"{', '.join(rules)}): {'ok' if self.passed else 'REGRESSED'}"
        )


def passes(
    baseline: float,
    candidate: float,
    *,
    greater_is_better: bool,
    min_absolute_change: float | None,
    min_relative_change: float | None,
) -> bool:
    """MLflow's ``MetricThreshold`` comparison, signed (see the module docstring).

    Written as MLflow writes it (``candidate >= baseline + change``, not ``candidate - baseline
    >= change``) so that floating-point rounding gives the same answer at the boundary."""
    ok = True
    if min_absolute_change is not None:
        if greater_is_better:
            ok &= candidate >= baseline + min_absolute_change
        else:
            ok &= candidate <= baseline - min_absolute_change
    if min_relative_change is not None:
        if baseline == 0:
            # undefined; MLflow then asks for a strict improvement, a tolerance for no loss
            floor = 1e-10 if min_relative_change >= 0 else 0.0
            ok &= candidate >= baseline + floor if greater_is_better else candidate <= baseline - floor
        else:
            gain = (candidate - baseline) if greater_is_better else (baseline - candidate)
            ok &= gain / abs(baseline) >= min_relative_change
    return ok


def _direction(key: str, meta: dict[str, QualifiedMetric], rule: BaselineThreshold) -> bool | None:
    if rule.greater_is_better is not None:
        return rule.greater_is_better
    if key in meta:
        return meta[key].greater_is_better
    # interval bounds inherit their metric's direction ("…/roc_auc/ci_low"); sample sizes do not
    for suffix in ("/ci_low", "/ci_high"):
        if key.endswith(suffix) and key.removesuffix(suffix) in meta:
            return meta[key.removesuffix(suffix)].greater_is_better
    return None


def compare(
    baseline: ConformityReport, candidate: ConformityReport, thresholds: tuple[BaselineThreshold, ...]
) -> list[Regression]:
    """Every (metric, threshold) pair where both reports have the metric and a direction is known.

    A metric matched by several thresholds is compared under each. Metrics only in one report
    are not regressions (``diff`` lists them)."""
    old, new = flat_metrics(baseline), flat_metrics(candidate)
    meta = {q.key: q for q in qualified_metrics(candidate)}
    out: list[Regression] = []
    for rule in thresholds:
        for key in sorted(new):
            if key not in old or not fnmatch.fnmatchcase(key, rule.metric):
                continue
            gib = _direction(key, meta, rule)
            if gib is None:
                continue
            out.append(
                Regression(
                    key=key,
                    baseline=old[key],
                    candidate=new[key],
                    greater_is_better=gib,
                    min_absolute_change=rule.min_absolute_change,
                    min_relative_change=rule.min_relative_change,
                    passed=passes(
                        old[key],
                        new[key],
                        greater_is_better=gib,
                        min_absolute_change=rule.min_absolute_change,
                        min_relative_change=rule.min_relative_change,
                    ),
                )
            )
    return out


def different_model(baseline: ConformityReport, candidate: ConformityReport) -> bool:
    a, b = baseline.subject.model, candidate.subject.model
    return (a.sha256 if a else None) != (b.sha256 if b else None)


@dataclass(frozen=True)
class ReportDiff:
    """Two reports compared, check by check, over the checks both ran.

    A check one side left out by ``--only`` was not run there: its findings are neither new
    nor resolved but ``not_compared`` (as pytest says "deselected", not "passed"), its status
    on that side is ``not_selected`` and its metrics are not listed as gone or appeared."""

    #: (baseline, candidate) verdicts as read, with the partial qualifier; None when equal
    verdict: tuple[str, str] | None
    #: one sentence per partial side, e.g. ``the candidate is partial (1 of 16 checks)``; empty
    #: when both sides ran the same checks
    partial_sides: tuple[str, ...]
    #: check ids left out by --only on one side only, sorted
    not_compared_checks: tuple[str, ...]
    different_model: bool
    #: (check id, baseline status, candidate status) where they differ
    statuses: tuple[tuple[str, str, str], ...]
    #: ``key: old -> new`` lines
    metrics: tuple[str, ...]
    new_findings: tuple[str, ...]
    resolved_findings: tuple[str, ...]
    #: findings of a check only one side ran (the other left it out by --only)
    not_compared_findings: tuple[str, ...]


def diff_reports(baseline: ConformityReport, candidate: ConformityReport) -> ReportDiff:
    """The comparison ``tef report diff`` prints and report.md's baseline section shows."""
    old_cov, new_cov = coverage_of(baseline), coverage_of(candidate)
    # left out on one side only; one left out on both has no result on either (nothing to say)
    skipped = set(old_cov.not_selected) ^ set(new_cov.not_selected)
    sides = [
        f"the {side} is partial ({c.checks_selected} of {c.checks_in_profile} checks)"
        for side, c in (("baseline", old_cov), ("candidate", new_cov))
        if c.partial and skipped
    ]
    labels = (verdict_label(baseline), verdict_label(candidate))
    verdict = labels if labels[0] != labels[1] else None
    statuses = []
    old_status, new_status = _statuses(baseline), _statuses(candidate)
    for check_id in sorted(old_status.keys() | new_status.keys()):
        a, b = old_status.get(check_id, "absent"), new_status.get(check_id, "absent")
        if a != b:
            statuses.append((check_id, a, b))
    old_m = {q.key: q for q in qualified_metrics(baseline) if q.check_id not in skipped}
    new_m = {q.key: q for q in qualified_metrics(candidate) if q.check_id not in skipped}
    metrics = []
    for key in sorted(old_m.keys() | new_m.keys()):
        a_m, b_m = old_m.get(key), new_m.get(key)
        if a_m is None or b_m is None:
            metrics.append(f"{key}: {_fmt(a_m)} -> {_fmt(b_m)}")
        elif (a_m.value, a_m.ci_low, a_m.ci_high) != (b_m.value, b_m.ci_low, b_m.ci_high):
            metrics.append(f"{key}: {_fmt(a_m)} -> {_fmt(b_m)} (change {b_m.value - a_m.value:+.6g})")
    old_f, new_f = _findings(baseline), _findings(candidate)
    compared_old = {f for f, check_id in old_f.items() if check_id not in skipped}
    compared_new = {f for f, check_id in new_f.items() if check_id not in skipped}
    return ReportDiff(
        verdict=verdict,
        partial_sides=tuple(sides),
        not_compared_checks=tuple(sorted(skipped)),
        different_model=different_model(baseline, candidate),
        statuses=tuple(statuses),
        metrics=tuple(metrics),
        new_findings=tuple(sorted(compared_new - compared_old)),
        resolved_findings=tuple(sorted(compared_old - compared_new)),
        not_compared_findings=tuple(sorted((old_f.keys() | new_f.keys()) - compared_old - compared_new)),
    )


def diff_lines(baseline: ConformityReport, candidate: ConformityReport) -> list[str]:
    """What changed, one line each: coverage, verdict, check statuses, metrics (with
    intervals), findings. A partial side (``--only``) is said first, and the checks it left out
    are "not compared", never "resolved" or "new"."""
    d = diff_reports(baseline, candidate)
    lines: list[str] = []
    if d.partial_sides:
        lines.append(
            f"coverage: {'; '.join(d.partial_sides)}: {len(d.not_compared_checks)} check(s) not compared "
            f"(left out by --only): {', '.join(d.not_compared_checks)}"
        )
    if d.verdict is not None:
        lines.append(f"verdict: {d.verdict[0]} -> {d.verdict[1]}")
    if d.different_model:
        lines.append("model: a different artifact (sha256 differs)")
    lines += [f"status {check_id}: {a} -> {b}" for check_id, a, b in d.statuses]
    lines += [f"metric {m}" for m in d.metrics]
    lines += [f"new finding {f}" for f in d.new_findings]
    lines += [f"resolved finding {f}" for f in d.resolved_findings]
    lines += [f"not compared finding {f} (its check ran on one side only)" for f in d.not_compared_findings]
    return lines


def _statuses(report: ConformityReport) -> dict[str, str]:
    """Each check's status; a check that did not run has its reason (``not_selected``, ...)."""
    out = {n.check_id: n.reason.value for n in report.not_run}
    out.update({r.check_id: r.status.value for r in report.results})
    return out


def _fmt(m: QualifiedMetric | None) -> str:
    if m is None:
        return "absent"
    if m.ci_low is None or m.ci_high is None:
        return f"{m.value:.6g}"
    return f"{m.value:.6g} [{m.ci_low:.6g}, {m.ci_high:.6g}]"


def _findings(report: ConformityReport) -> dict[str, str]:
    """Findings keyed by check, code and location (messages may carry changing numbers), each
    with its check id."""
    return {
        f"{r.check_id} {f.code} ({f.severity.value})" + (f" at {f.location}" if f.location else ""): r.check_id
        for r in report.results
        for f in r.findings
    }
