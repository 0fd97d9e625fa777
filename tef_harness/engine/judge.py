"""The engine's judgement: thresholds, the severity gate and waivers turn a check's
measurements into a status, and the statuses into a verdict.

Kept apart from the checks so a policy change never touches check code, and every bound
that decided a verdict is visible in the report with where it came from.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Mapping

from tef_harness.config.schema import GateSection, ThresholdSpec, Waiver
from tef_harness.reports.schema import Verdict
from tef_harness.sdk.results import CheckResult, Finding, Metric, Severity, Status, ThresholdOutcome, WaiverUse

#: the reason a check that ran but met no bound carries; the verdict lists these checks apart
NO_BOUND_REASON = "no bound declared for its metrics"


def _outcome(
    spec: ThresholdSpec,
    source: str,
    metric: str,
    observed: float | None,
    passed: bool,
    note: str | None,
    insufficient: bool = False,
) -> ThresholdOutcome:
    """One threshold's answer on one metric name: the bound as declared, and what was seen."""
    return ThresholdOutcome(
        metric=metric,
        on=spec.on,
        min=spec.min,
        max=spec.max,
        exclusive=spec.exclusive,
        basis=spec.basis,
        observed=observed,
        passed=passed,
        insufficient=insufficient,
        source=source,
        note=note,
    )


def evaluate_thresholds(
    metrics: tuple[Metric, ...],
    specs: tuple[ThresholdSpec, ...],
    sources: dict[int, str],
    undefined: Mapping[str, str] | None = None,
    task: str | None = None,
) -> list[ThresholdOutcome]:
    """One outcome per (threshold, matching metric). A threshold on a metric the check left
    undefined on this data (``undefined``: name -> why) cannot be tested: its outcome is
    insufficient evidence. A threshold that matches neither is insufficient evidence too,
    naming what was measured: a misspelt metric name must not pass a gate silently, and
    nothing was violated either (a name a check declares it never measures is refused at
    load time, ``engine.threshold_names``). A threshold restricted to other ``tasks`` than ``task`` is
    not applied."""
    undefined = undefined or {}
    outcomes: list[ThresholdOutcome] = []
    for i, spec in enumerate(specs):
        if spec.tasks and task not in spec.tasks:
            continue
        source = sources.get(i, "config")
        matched = [m for m in metrics if fnmatch.fnmatchcase(m.name, spec.metric)]
        missing = sorted(name for name in undefined if fnmatch.fnmatchcase(name, spec.metric))
        for name in missing:
            why = f"undefined on this data: {undefined[name]}"
            outcomes.append(_outcome(spec, source, name, None, False, why, insufficient=True))
        if not matched and not missing:  # a name nothing measured: untested, not violated
            outcomes.append(_outcome(spec, source, spec.metric, None, False, _unmatched(spec.metric, metrics), True))
        for m in matched:
            observed, note = _observed(m, spec)
            passed = observed is not None and _within(observed, spec)
            outcomes.append(_outcome(spec, source, m.name, observed, passed, note))
    return outcomes


def _unmatched(pattern: str, metrics: tuple[Metric, ...]) -> str:
    names = [m.name for m in metrics]
    shown = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
    what = "matching" if set("*?[") & set(pattern) else "named"
    return f"no metric {what} {pattern!r} was measured (measured: {shown or 'none'})"


def _observed(m: Metric, spec: ThresholdSpec) -> tuple[float | None, str | None]:
    if spec.on == "value":
        return m.value, None
    if m.ci is None:
        return None, f"the threshold is on the {spec.on} confidence bound, but the metric has no interval"
    return (m.ci.low if spec.on == "lower" else m.ci.high), None


def _within(x: float, spec: ThresholdSpec) -> bool:
    if spec.exclusive:
        return (spec.min is None or x > spec.min) and (spec.max is None or x < spec.max)
    return (spec.min is None or x >= spec.min) and (spec.max is None or x <= spec.max)


def active_waivers(waivers: tuple[Waiver, ...], today: dt.date) -> tuple[list[Waiver], list[str]]:
    """Waivers still in force, and a warning for each expired one."""
    active, warnings = [], []
    for w in waivers:
        if w.expires is not None and w.expires < today:
            target = w.code or w.check
            warnings.append(f"waiver for {target} (owner {w.owner}) expired on {w.expires}; not applied")
        else:
            active.append(w)
    return active, warnings


def _waiver_for(waivers: list[Waiver], check_id: str, code: str) -> Waiver | None:
    for w in waivers:
        if w.check is not None and w.check != check_id:
            continue
        if w.code is None or w.code == code or (w.code.startswith("metric:") and fnmatch.fnmatchcase(code, w.code)):
            return w
    return None


def judge(
    result: CheckResult,
    specs: tuple[ThresholdSpec, ...],
    sources: dict[int, str],
    gate: GateSection,
    waivers: list[Waiver],
    task: str | None = None,
) -> CheckResult:
    """Apply thresholds, the gate and waivers to a result whose check ran.

    The order of the answers, first match wins: a violated bound or an unwaived finding at
    the gate fails; evidence the check itself called insufficient, or a bound on a metric it
    left undefined, is insufficient evidence (never a failure: no bound was violated); every
    failure waived is waived; a check that met no bound at all is insufficient evidence with
    ``NO_BOUND_REASON`` (nothing was judged, so it is no evidence of conformity); else passed.
    A required check that does not apply is insufficient evidence too: the profile asked for
    evidence that this run cannot give, and every consumer must see that in the check's status.
    """
    if result.status == Status.NOT_APPLICABLE and result.required:
        return result.model_copy(
            update={
                "status": Status.INSUFFICIENT_EVIDENCE,
                "reason": f"required, but not applicable: {result.reason or 'no reason given'}",
            }
        )
    if result.status in (Status.ERROR, Status.NOT_APPLICABLE):
        return result
    outcomes = evaluate_thresholds(result.metrics, specs, sources, result.undefined, task)
    used: dict[str, WaiverUse] = {}
    judged_outcomes = []
    for o in outcomes:
        w = None if o.passed or o.insufficient else _waiver_for(waivers, result.check_id, f"metric:{o.metric}")
        if w is not None:
            used[f"metric:{o.metric}"] = WaiverUse(
                target=f"metric:{o.metric}", reason=w.reason, owner=w.owner, expires=w.expires
            )
        judged_outcomes.append(o.model_copy(update={"waived": w is not None}))
    gated = [f for f in result.findings if _at_or_above(f, gate.fail_on)]
    open_findings = []
    for f in gated:
        w = _waiver_for(waivers, result.check_id, f.code)
        if w is None:
            open_findings.append(f)
        else:
            used[f.code] = WaiverUse(target=f.code, reason=w.reason, owner=w.owner, expires=w.expires)
    failing_thresholds = [o for o in judged_outcomes if not o.passed and not o.waived and not o.insufficient]
    untestable = [o for o in judged_outcomes if o.insufficient]
    any_failure = bool(gated) or any(not o.passed and not o.insufficient for o in judged_outcomes)
    reason: str | None
    if failing_thresholds or open_findings:
        status, reason = Status.FAILED, _failure_reason(failing_thresholds, open_findings)
    elif result.status == Status.INSUFFICIENT_EVIDENCE:
        status, reason = Status.INSUFFICIENT_EVIDENCE, result.reason
    elif untestable:
        status, reason = Status.INSUFFICIENT_EVIDENCE, _untestable_reason(untestable)
    elif any_failure:
        status, reason = Status.WAIVED, "every failure is covered by a waiver"
    elif not judged_outcomes:
        measured = f"{len(result.metrics)} metric(s) measured, none judged" if result.metrics else "no metric"
        status, reason = Status.INSUFFICIENT_EVIDENCE, f"{NO_BOUND_REASON} ({measured}); declare thresholds for it"
    else:
        status, reason = Status.PASSED, None
    return result.model_copy(
        update={
            "status": status,
            "reason": reason,
            "thresholds": tuple(judged_outcomes),
            "waived": tuple(used.values()),
            "gated_findings": tuple(sorted({f.code for f in gated})),
        }
    )


def _untestable_reason(outcomes: list[ThresholdOutcome]) -> str:
    parts = [f"bound on {o.metric} not tested ({o.note})" for o in outcomes[:3]]
    if len(outcomes) > 3:
        parts.append(f"{len(outcomes) - 3} more bound(s) not tested")
    return "; ".join(parts)


def _at_or_above(f: Finding, level: Severity) -> bool:
    return f.severity.rank >= level.rank


def _failure_reason(outcomes: list[ThresholdOutcome], findings: list[Finding]) -> str:
    parts = []
    for o in outcomes[:3]:
        ge, le = (">", "<") if o.exclusive else (">=", "<=")
        bound = " and ".join(
            b for b in (f"{ge} {o.min}" if o.min is not None else "", f"{le} {o.max}" if o.max is not None else "") if b
        )
        seen = "none" if o.observed is None else f"{o.observed:.4g}"
        label = o.metric if o.on == "value" else f"{o.on} bound of {o.metric}"
        parts.append(f"{label} = {seen}, needs {bound}")
    if len(outcomes) > 3:
        parts.append(f"{len(outcomes) - 3} more threshold(s) failed")
    codes = sorted({f.code for f in findings})
    if codes:
        parts.append(f"{len(findings)} finding(s) at or above the gate: {', '.join(codes[:6])}")
    return "; ".join(parts)


def verdict(
    results: tuple[CheckResult, ...], plugin_failures: int, missing_required: tuple[str, ...], gate: GateSection
) -> tuple[Verdict, list[str]]:
    """Fail closed: an error, a plugin that failed to load or a required check that did not
    run keeps a model from being called conformant.

    The verdict follows the status-to-outcome table (README, "Statuses and outcomes"), so no
    consumer of the statuses can show green while ``tef check`` exits non-zero: a failed check
    makes it non-conformant; an error makes it incomplete; insufficient evidence (a group too
    small to judge, a bound on an undefined metric, a check that met no bound, a required
    check that does not apply) makes it incomplete, non-conformant or leaves it conformant as
    ``gate.insufficient_evidence`` says (incomplete, fail, pass); not applicable and waived
    never keep it from conformant."""
    reasons: list[str] = []
    failed = [r.check_id for r in results if r.status == Status.FAILED]
    insufficient = [r for r in results if r.status == Status.INSUFFICIENT_EVIDENCE]
    unbounded = [r.check_id for r in insufficient if (r.reason or "").startswith(NO_BOUND_REASON)]
    short = [r.check_id for r in insufficient if r.check_id not in unbounded]
    if gate.insufficient_evidence == "fail":
        failed += [r.check_id for r in insufficient]
    if failed:
        reasons.append(f"failed: {', '.join(failed)}")
    errors = [r.check_id for r in results if r.status == Status.ERROR]
    if errors:
        reasons.append(f"error: {', '.join(errors)}")
    if plugin_failures:
        reasons.append(f"{plugin_failures} plugin(s) failed to load")
    if missing_required:
        reasons.append(f"required check(s) did not run: {', '.join(missing_required)}")
    accepted: list[str] = []
    for label, ids in (("insufficient evidence", short), (NO_BOUND_REASON, unbounded)):
        if not ids:
            continue
        if gate.insufficient_evidence == "incomplete":
            reasons.append(f"{label}: {', '.join(ids)}")
        elif gate.insufficient_evidence == "pass":
            accepted.append(f"{label} accepted by gate.insufficient_evidence = pass: {', '.join(ids)}")
        elif label == NO_BOUND_REASON:
            reasons.append(f"{label} (gate.insufficient_evidence = fail): {', '.join(ids)}")
    if not results and not failed:
        reasons.append("no check ran")
    if failed:
        return Verdict.NON_CONFORMANT, reasons
    if reasons:
        return Verdict.INCOMPLETE, reasons
    return Verdict.CONFORMANT, ["every check that ran met its declared bounds or was waived", *accepted]
