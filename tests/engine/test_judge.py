"""The engine's judgement: thresholds, gate, waivers, verdict, requirements table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tef_harness.config.policy import Requirement
from tef_harness.config.schema import GateSection, ThresholdSpec, Waiver
from tef_harness.engine.judge import NO_BOUND_REASON, active_waivers, evaluate_thresholds, judge, verdict
from tef_harness.engine.requirements import requirements_table
from tef_harness.reports.schema import RequirementStatus, Verdict
from tef_harness.sdk.results import CheckResult, Finding, Interval, Metric, Severity, Status

AUC = Metric(name="roc_auc", value=0.80, ci=Interval(low=0.74, high=0.86), n=500)
GAP_F = Metric(name="dp_difference/sex", value=0.12, ci=Interval(low=0.05, high=0.19), n=500)
GAP_A = Metric(name="dp_difference/age_group", value=0.03, n=500)


def result(status=Status.PASSED, metrics=(AUC, GAP_F, GAP_A), findings=(), **kw) -> CheckResult:
    base = dict(
        check_id="x.y",
        family="x",
        title="t",
        check_version="1",
        distribution="d",
        distribution_version="1",
        status=status,
        metrics=metrics,
        findings=findings,
    )
    base.update(kw)
    return CheckResult(**base)


@pytest.mark.parametrize(
    ("spec", "observed", "passed"),
    [
        (ThresholdSpec(metric="roc_auc", min=0.75), 0.80, True),
        (ThresholdSpec(metric="roc_auc", min=0.75, on="lower"), 0.74, False),
        (ThresholdSpec(metric="roc_auc", max=0.9, on="upper"), 0.86, True),
        (ThresholdSpec(metric="roc_auc", min=0.8, max=0.8), 0.80, True),
    ],
    ids=["value-min", "lower-bound-min", "upper-bound-max", "inclusive-bounds"],
)
def test_threshold_on_value_or_bound(spec, observed, passed) -> None:
    (o,) = evaluate_thresholds((AUC,), (spec,), {})
    assert o.observed == observed and o.passed is passed


def test_glob_threshold_checks_every_match_and_missing_ci_fails() -> None:
    outcomes = evaluate_thresholds(
        (AUC, GAP_F, GAP_A), (ThresholdSpec(metric="dp_difference/*", max=0.1, on="upper"),), {0: "profile"}
    )
    by = {o.metric: o for o in outcomes}
    assert by["dp_difference/sex"].passed is False and by["dp_difference/sex"].observed == 0.19
    assert by["dp_difference/age_group"].passed is False and by["dp_difference/age_group"].observed is None
    assert "no interval" in (by["dp_difference/age_group"].note or "")
    assert {o.source for o in outcomes} == {"profile"}


def test_threshold_matching_nothing_is_insufficient_evidence_naming_what_was_measured() -> None:
    # nothing was measured under that name: the bound is untested, not violated
    (o,) = evaluate_thresholds((AUC, GAP_F), (ThresholdSpec(metric="roc_aucc", min=0.7),), {})
    assert not o.passed and o.insufficient
    assert o.note == "no metric named 'roc_aucc' was measured (measured: roc_auc, dp_difference/sex)"
    (o,) = evaluate_thresholds((AUC,), (ThresholdSpec(metric="eop_*", min=0.5),), {})
    assert o.insufficient and o.note == "no metric matching 'eop_*' was measured (measured: roc_auc)"
    (o,) = evaluate_thresholds((), (ThresholdSpec(metric="roc_auc", min=0.5),), {})
    assert o.note == "no metric named 'roc_auc' was measured (measured: none)"
    # twelve names are listed; past twelve, how many more (at 12, 13 and 14 measured)
    listed = ", ".join(f"m{i:02d}" for i in range(12))
    for count, more in ((12, ""), (13, " and 1 more"), (14, " and 2 more")):
        many = tuple(Metric(name=f"m{i:02d}", value=0.5, n=10) for i in range(count))
        (o,) = evaluate_thresholds(many, (ThresholdSpec(metric="X_auc", min=0.5),), {})
        assert o.note == f"no metric named 'X_auc' was measured (measured: {listed}{more})"
    judged = judge(result(), (ThresholdSpec(metric="roc_aucc", min=0.7),), {}, GateSection(), [])
    assert judged.status == Status.INSUFFICIENT_EVIDENCE
    assert judged.reason is not None and "no metric named 'roc_aucc' was measured" in judged.reason
    # a violated bound beside it still fails the check
    both = (ThresholdSpec(metric="roc_aucc", min=0.7), ThresholdSpec(metric="roc_auc", min=0.9))
    assert judge(result(), both, {}, GateSection(), []).status == Status.FAILED


def test_gate_fails_on_high_finding_only() -> None:
    gate = GateSection()
    med = Finding(code="ABC001", severity=Severity.MEDIUM, message="m")
    high = Finding(code="ABC002", severity=Severity.HIGH, message="h")
    held = (ThresholdSpec(metric="roc_auc", min=0.5),)
    assert judge(result(findings=(med,)), held, {}, gate, []).status == Status.PASSED
    judged = judge(result(findings=(med, high)), held, {}, gate, [])
    assert judged.status == Status.FAILED and judged.gated_findings == ("ABC002",)
    assert judge(result(findings=(med,)), (), {}, GateSection(fail_on=Severity.MEDIUM), []).status == Status.FAILED


def test_waivers_cover_findings_and_metrics_and_expire() -> None:
    high = Finding(code="ABC002", severity=Severity.HIGH, message="h")
    spec = (ThresholdSpec(metric="roc_auc", min=0.9),)
    w_find = Waiver(code="ABC002", reason="accepted risk", owner="a@b", expires=dt.date(2030, 1, 1))
    w_metric = Waiver(check="x.y", code="metric:roc_auc", reason="known", owner="a@b")
    judged = judge(result(findings=(high,)), spec, {}, GateSection(), [w_find, w_metric])
    assert judged.status == Status.WAIVED
    assert {w.target for w in judged.waived} == {"ABC002", "metric:roc_auc"}
    assert judge(result(findings=(high,)), spec, {}, GateSection(), [w_find]).status == Status.FAILED
    other_check = Waiver(check="other.check", code="ABC002", reason="not this one", owner="o")
    assert judge(result(findings=(high,)), (), {}, GateSection(), [other_check]).status == Status.FAILED
    expired = Waiver(code="ABC002", reason="old", owner="o", expires=dt.date(2020, 1, 1))
    active, warnings = active_waivers((expired, w_find), dt.date(2026, 11, 25))
    assert active == [w_find] and "expired on 2020-01-01" in warnings[0]


def test_insufficient_evidence_kept_unless_something_failed() -> None:
    r = result(status=Status.INSUFFICIENT_EVIDENCE, reason="too few rows")
    assert judge(r, (), {}, GateSection(), []).status == Status.INSUFFICIENT_EVIDENCE
    assert judge(r, (ThresholdSpec(metric="roc_auc", min=0.9),), {}, GateSection(), []).status == Status.FAILED


def test_error_and_not_applicable_are_not_judged() -> None:
    for s in (Status.ERROR, Status.NOT_APPLICABLE):
        r = result(status=s, reason="r", required=False)
        assert judge(r, (ThresholdSpec(metric="nope", min=1),), {}, GateSection(), []) == r


@pytest.mark.parametrize(
    ("statuses", "failures", "missing", "expected"),
    [
        ([Status.PASSED, Status.WAIVED], 0, (), Verdict.CONFORMANT),
        ([Status.PASSED, Status.FAILED], 0, (), Verdict.NON_CONFORMANT),
        ([Status.PASSED, Status.ERROR], 0, (), Verdict.INCOMPLETE),
        ([Status.PASSED], 1, (), Verdict.INCOMPLETE),
        ([Status.PASSED], 0, ("bias.group_fairness",), Verdict.INCOMPLETE),
        ([Status.PASSED, Status.INSUFFICIENT_EVIDENCE], 0, (), Verdict.INCOMPLETE),
        ([Status.PASSED, Status.NOT_APPLICABLE], 0, (), Verdict.CONFORMANT),
        ([], 0, (), Verdict.INCOMPLETE),
    ],
    ids=[
        "all-pass",
        "one-failed",
        "error-fails-closed",
        "plugin-load-failure",
        "required-missing",
        "insufficient",
        "optional-not-applicable",
        "nothing-ran",
    ],
)
def test_verdict(statuses, failures, missing, expected) -> None:
    results = tuple(result(status=s, check_id=f"x.c{i}", required=False) for i, s in enumerate(statuses))
    v, reasons = verdict(results, failures, missing, GateSection())
    assert v == expected and reasons


def test_insufficient_evidence_policy() -> None:
    results = (result(status=Status.INSUFFICIENT_EVIDENCE, required=False),)
    assert verdict(results, 0, (), GateSection(insufficient_evidence="fail"))[0] == Verdict.NON_CONFORMANT
    assert verdict(results, 0, (), GateSection(insufficient_evidence="pass"))[0] == Verdict.CONFORMANT


def test_requirements_table_shows_gaps() -> None:
    reqs = (
        Requirement(id="R1", title="a"),
        Requirement(id="R2", title="b"),
        Requirement(id="R3", title="c"),
        Requirement(id="R4", title="d"),
        Requirement(id="EU-AI-Act:Art9(8)", title="e", evidence_from="declared_thresholds"),
        # any requirement the profile marks so, whatever its id
        Requirement(id="X:declared", title="f", evidence_from="declared_thresholds"),
    )
    results = (
        result(check_id="a.b", evidence_for=("R1", "R2")),
        result(check_id="a.c", status=Status.FAILED, evidence_for=("R2",)),
        result(check_id="a.d", status=Status.NOT_APPLICABLE, evidence_for=("R3",)),
    )
    rows = {r.id: r for r in requirements_table(reqs, results, thresholds_declared=True)}
    assert rows["R1"].status == RequirementStatus.TESTED_PASSED
    assert rows["R2"].status == RequirementStatus.TESTED_FAILED and rows["R2"].checks == ("a.b", "a.c")
    assert rows["R3"].status == RequirementStatus.NOT_APPLICABLE
    assert rows["R4"].status == RequirementStatus.NOT_TESTED
    assert rows["EU-AI-Act:Art9(8)"].status == RequirementStatus.TESTED_PASSED
    assert rows["X:declared"].status == RequirementStatus.TESTED_PASSED and rows["X:declared"].checks == ("tef.engine",)
    undeclared = {r.id: r for r in requirements_table(reqs, results, thresholds_declared=False)}
    assert undeclared["X:declared"].status == RequirementStatus.NOT_TESTED
    # Art. 9(8) without the profile's evidence_from is an ordinary requirement (the id is not
    # hard-coded): no check gives evidence for it, so it is not tested
    plain = requirements_table((Requirement(id="EU-AI-Act:Art9(8)", title="e"),), results, thresholds_declared=True)
    assert plain[0].status == RequirementStatus.NOT_TESTED and plain[0].checks == ()


def test_shipped_profiles_declare_art_9_8_as_data() -> None:
    from tef_harness.config.policy import load_policy_profile, shipped_policy_profiles

    for name in shipped_policy_profiles():
        profile, _ = load_policy_profile(name, Path.cwd())
        art = {r.id: r.evidence_from for r in profile.requirements}
        if "EU-AI-Act:Art9(8)" in art:
            assert art["EU-AI-Act:Art9(8)"] == "declared_thresholds", name


def test_per_requirement_evidence_overrides_the_check_status() -> None:
    reqs = (Requirement(id="A1", title="a"), Requirement(id="A2", title="b"), Requirement(id="A3", title="c"))
    doc = result(
        check_id="documentation.completeness",
        status=Status.FAILED,
        evidence_for=("A1", "A2", "A3"),
        evidence={"A1": "passed", "A2": "failed", "A3": "not_applicable"},
    )
    rows = {r.id: r.status for r in requirements_table(reqs, (doc,), thresholds_declared=False)}
    assert rows == {
        "A1": RequirementStatus.TESTED_PASSED,
        "A2": RequirementStatus.TESTED_FAILED,
        "A3": RequirementStatus.NOT_APPLICABLE,
    }


def test_waiver_applies_on_its_expiry_day_and_not_the_day_after() -> None:
    """``expires`` is the last day the waiver applies (config: "after this date the waiver
    no longer applies")."""
    last_day = dt.date(2026, 11, 25)
    w = Waiver(code="ABC002", reason="accepted risk", owner="a@b", expires=last_day)
    high = Finding(code="ABC002", severity=Severity.HIGH, message="h")
    active, warnings = active_waivers((w,), last_day)
    assert active == [w] and warnings == []
    assert judge(result(findings=(high,)), (), {}, GateSection(), active).status == Status.WAIVED
    active, warnings = active_waivers((w,), last_day + dt.timedelta(days=1))
    assert active == []
    assert warnings == ["waiver for ABC002 (owner a@b) expired on 2026-11-25; not applied"]
    assert judge(result(findings=(high,)), (), {}, GateSection(), active).status == Status.FAILED


def test_failure_reason_names_each_failed_bound_and_the_gated_codes() -> None:
    metrics = tuple(Metric(name=f"m{i}", value=0.5, ci=Interval(low=0.4, high=0.6), n=10) for i in range(5))
    specs = (
        ThresholdSpec(metric="m0", min=0.9),
        ThresholdSpec(metric="m1", max=0.1, on="upper"),
        ThresholdSpec(metric="m2", min=0.7, max=0.8, on="lower"),
        ThresholdSpec(metric="m3", min=0.9),
        ThresholdSpec(metric="m4", min=0.9),
    )
    codes = [f"ABC00{i}" for i in range(1, 8)]
    findings = tuple(Finding(code=c, severity=Severity.HIGH, message="h") for c in codes)
    judged = judge(result(metrics=metrics, findings=findings), specs, {}, GateSection(), [])
    assert judged.status == Status.FAILED
    assert judged.reason == (
        "m0 = 0.5, needs >= 0.9; upper bound of m1 = 0.6, needs <= 0.1; "
        "lower bound of m2 = 0.4, needs >= 0.7 and <= 0.8; 2 more threshold(s) failed; "
        "7 finding(s) at or above the gate: ABC001, ABC002, ABC003, ABC004, ABC005, ABC006"
    )
    # a bound on an interval the metric does not have: observed "none"
    no_ci = judge(result(metrics=(GAP_A,)), (ThresholdSpec(metric="dp_difference/*", max=0.1, on="upper"),), {},
                  GateSection(), [])
    assert no_ci.reason == "upper bound of dp_difference/age_group = none, needs <= 0.1"
    three = judge(result(metrics=metrics[:3]), specs[:3], {}, GateSection(), [])
    assert three.reason is not None and "more threshold" not in three.reason and three.reason.count(";") == 2


def test_waiver_matching_is_by_check_code_and_metric_pattern() -> None:
    high = Finding(code="ABC002", severity=Severity.HIGH, message="h")
    gap = (ThresholdSpec(metric="dp_difference/*", max=0.1),)
    w = lambda **kw: Waiver(reason="accepted", owner="o", **kw)  # noqa: E731

    def status(findings, specs, waivers):
        return judge(result(findings=findings), specs, {}, GateSection(), waivers).status

    # a waiver for another check is skipped, and the search goes on to the next waiver
    assert status((high,), (), [w(check="other.check", code="ABC002"), w(check="x.y", code="ABC002")]) == Status.WAIVED
    # another code does not cover the finding; a metric waiver never covers a finding
    assert status((high,), (), [w(code="ABC999")]) == Status.FAILED
    assert status((high,), (), [w(code="metric:roc_auc")]) == Status.FAILED
    assert status((high,), (), [w(code="metric:*")]) == Status.FAILED
    # a metric pattern covers every failing metric it matches, and only those
    judged = judge(result(), gap, {}, GateSection(), [w(code="metric:dp_difference/s*")])
    assert judged.status == Status.WAIVED and [u.target for u in judged.waived] == ["metric:dp_difference/sex"]
    assert [(o.metric, o.passed, o.waived) for o in judged.thresholds] == [
        ("dp_difference/sex", False, True),
        ("dp_difference/age_group", True, False),
    ]
    assert status((), gap, [w(code="metric:dp_difference/a*")]) == Status.FAILED
    # a check-wide waiver (no code) covers findings and metrics of that check
    assert status((high,), gap, [w(check="x.y")]) == Status.WAIVED


def test_waiver_use_records_reason_owner_and_expiry() -> None:
    high = Finding(code="ABC002", severity=Severity.HIGH, message="h")
    day = dt.date(2027, 3, 1)
    waivers = [
        Waiver(code="ABC002", reason="accepted risk", owner="a@b", expires=day),
        Waiver(code="metric:roc_auc", reason="known gap", owner="c@d", expires=day),
    ]
    judged = judge(result(findings=(high,)), (ThresholdSpec(metric="roc_auc", min=0.9),), {}, GateSection(), waivers)
    assert {(u.target, u.reason, u.owner, u.expires) for u in judged.waived} == {
        ("ABC002", "accepted risk", "a@b", day),
        ("metric:roc_auc", "known gap", "c@d", day),
    }


def test_four_failed_thresholds_name_three_and_count_one() -> None:
    metrics = tuple(Metric(name=f"m{i}", value=0.5) for i in range(4))
    specs = tuple(ThresholdSpec(metric=f"m{i}", min=0.9) for i in range(4))
    judged = judge(result(metrics=metrics), specs, {}, GateSection(), [])
    assert judged.reason == (
        "m0 = 0.5, needs >= 0.9; m1 = 0.5, needs >= 0.9; m2 = 0.5, needs >= 0.9; 1 more threshold(s) failed"
    )


def test_verdict_reasons_name_the_checks() -> None:
    def r(status: Status, cid: str, required: bool = False) -> CheckResult:
        return result(status=status, check_id=cid, required=required, reason="r")

    results = (
        r(Status.ERROR, "a.err1"),
        r(Status.ERROR, "a.err2"),
        r(Status.NOT_APPLICABLE, "a.na1"),  # never keeps a verdict from conformant
        r(Status.INSUFFICIENT_EVIDENCE, "a.ie1"),
        r(Status.INSUFFICIENT_EVIDENCE, "a.ie2"),
    )
    v, reasons = verdict(results, 2, ("b.m1", "b.m2"), GateSection())
    assert v == Verdict.INCOMPLETE
    assert reasons == [
        "error: a.err1, a.err2",
        "2 plugin(s) failed to load",
        "required check(s) did not run: b.m1, b.m2",
        "insufficient evidence: a.ie1, a.ie2",
    ]
    failed = (r(Status.FAILED, "a.f1"), r(Status.FAILED, "a.f2"), r(Status.INSUFFICIENT_EVIDENCE, "a.ie"))
    assert verdict(failed, 0, (), GateSection()) == (
        Verdict.NON_CONFORMANT,
        ["failed: a.f1, a.f2", "insufficient evidence: a.ie"],
    )
    # insufficient evidence counted as a failure joins the failed checks, it does not replace them
    assert verdict(failed, 0, (), GateSection(insufficient_evidence="fail")) == (
        Verdict.NON_CONFORMANT,
        ["failed: a.f1, a.f2, a.ie"],
    )
    assert verdict((), 0, (), GateSection()) == (Verdict.INCOMPLETE, ["no check ran"])
    ok = verdict((result(required=False),), 0, (), GateSection())
    assert ok == (Verdict.CONFORMANT, ["every check that ran met its declared bounds or was waived"])


def test_unmatched_threshold_outcome_keeps_the_declared_bound() -> None:
    (o,) = evaluate_thresholds((AUC,), (ThresholdSpec(metric="rocauc", min=0.5, max=0.9, on="lower"),), {})
    assert (o.metric, o.on, o.min, o.max, o.observed, o.passed, o.source) == (
        "rocauc", "lower", 0.5, 0.9, None, False, "config"
    )


def test_passing_thresholds_pass_and_use_no_waiver() -> None:
    w = Waiver(check="x.y", reason="not needed", owner="o")
    judged = judge(result(), (ThresholdSpec(metric="roc_auc", min=0.75),), {}, GateSection(), [w])
    assert (judged.status, judged.reason, judged.waived) == (Status.PASSED, None, ())
    assert [(o.passed, o.waived) for o in judged.thresholds] == [(True, False)]
    failing = judge(result(), (ThresholdSpec(metric="roc_auc", min=0.9),), {}, GateSection(), [w])
    assert (failing.status, failing.reason) == (Status.WAIVED, "every failure is covered by a waiver")


def test_a_waived_check_passes_the_requirement_it_failed() -> None:
    reqs = (Requirement(id="A1", title="a"), Requirement(id="A2", title="b"))
    waived = result(status=Status.WAIVED, evidence_for=("A1", "A2"), evidence={"A1": "failed", "A2": "inconclusive"})
    rows = {r.id: r.status for r in requirements_table(reqs, (waived,), thresholds_declared=False)}
    assert rows == {"A1": RequirementStatus.TESTED_PASSED, "A2": RequirementStatus.TESTED_INCONCLUSIVE}


def test_check_result_finds_a_metric_by_name() -> None:
    r = result()
    assert r.metric("dp_difference/sex") == GAP_F and r.metric("roc_auc") == AUC
    assert r.metric("dp_difference") is None
# --- issue 13: insufficient evidence is not failure; nothing judged is not a pass ---------


def test_a_check_that_met_no_bound_is_not_a_pass() -> None:
    judged = judge(result(), (), {}, GateSection(), [])
    assert judged.status == Status.INSUFFICIENT_EVIDENCE
    assert judged.reason is not None and judged.reason.startswith(NO_BOUND_REASON)
    assert "3 metric(s) measured, none judged" in judged.reason
    v, reasons = verdict((judged,), 0, (), GateSection())
    assert v == Verdict.INCOMPLETE and reasons == [f"{NO_BOUND_REASON}: x.y"]
    v, reasons = verdict((judged,), 0, (), GateSection(insufficient_evidence="pass"))
    assert v == Verdict.CONFORMANT and any("accepted by gate.insufficient_evidence = pass: x.y" in r for r in reasons)
    assert verdict((judged,), 0, (), GateSection(insufficient_evidence="fail"))[0] == Verdict.NON_CONFORMANT


def test_a_bound_on_an_undefined_metric_is_insufficient_evidence_not_failure() -> None:
    withheld = result(undefined={"tpr_at_fpr_0.1pct": "7,500 non-members: fewer than 10 expected false positives"})
    specs = (
        ThresholdSpec(metric="roc_auc", min=0.5),
        ThresholdSpec(metric="tpr_at_fpr_0.1pct", max=0.002, on="lower"),
    )
    judged = judge(withheld, specs, {}, GateSection(), [])
    assert judged.status == Status.INSUFFICIENT_EVIDENCE
    untested = next(o for o in judged.thresholds if o.metric == "tpr_at_fpr_0.1pct")
    assert untested.insufficient and not untested.passed and "fewer than 10" in (untested.note or "")
    assert "bound on tpr_at_fpr_0.1pct not tested" in (judged.reason or "")
    # a violated bound still fails, whatever else was insufficient
    failing = (*specs, ThresholdSpec(metric="roc_auc", min=0.9))
    assert judge(withheld, failing, {}, GateSection(), []).status == Status.FAILED
    # a misspelt name, matching neither a metric nor an undefined one, is never a pass: the
    # bound was not tested (insufficient evidence, so the verdict is not conformant)
    typo = (ThresholdSpec(metric="tpr_at_fpr_01pct", max=0.002),)
    judged = judge(withheld, typo, {}, GateSection(), [])
    assert judged.status == Status.INSUFFICIENT_EVIDENCE
    assert judged.reason and "no metric named 'tpr_at_fpr_01pct' was measured" in judged.reason


def test_exclusive_floor_rejects_the_trivial_baseline_itself() -> None:
    lift = Metric(name="balanced_accuracy_lift", value=0.0, ci=Interval(low=0.0, high=0.0), n=100)
    floor = ThresholdSpec(metric="balanced_accuracy_lift", min=0.0, on="lower", exclusive=True)
    (o,) = evaluate_thresholds((lift,), (floor,), {})
    assert not o.passed and o.exclusive
    inclusive = floor.model_copy(update={"exclusive": False})
    assert evaluate_thresholds((lift,), (inclusive,), {})[0].passed
    better = lift.model_copy(update={"value": 0.1, "ci": Interval(low=0.01, high=0.2)})
    assert evaluate_thresholds((better,), (floor,), {})[0].passed
    judged = judge(result(metrics=(lift,)), (floor,), {}, GateSection(), [])
    assert judged.status == Status.FAILED and "lower bound of balanced_accuracy_lift = 0, needs > 0.0" in (
        judged.reason or ""
    )


def test_a_required_check_that_does_not_apply_is_insufficient_evidence() -> None:
    r = result(status=Status.NOT_APPLICABLE, reason="needs train_sample", required=True)
    judged = judge(r, (), {}, GateSection(), [])
    assert judged.status == Status.INSUFFICIENT_EVIDENCE
    assert judged.reason == "required, but not applicable: needs train_sample"
    assert verdict((judged,), 0, (), GateSection())[0] == Verdict.INCOMPLETE


@pytest.mark.parametrize("policy", ["incomplete", "fail", "pass"])
def test_verdict_follows_the_status_to_outcome_table(policy) -> None:
    """passed -> pass, failed -> failure, error -> error, insufficient evidence -> failure
    (incomplete, fail) or skipped (pass), not applicable -> skipped, waived -> pass. The exit
    code is 0 exactly when no status maps to failure or error."""
    gate = GateSection(insufficient_evidence=policy)
    outcome = {
        Status.PASSED: "pass",
        Status.WAIVED: "pass",
        Status.NOT_APPLICABLE: "skipped",
        Status.FAILED: "failure",
        Status.ERROR: "error",
        Status.INSUFFICIENT_EVIDENCE: "skipped" if policy == "pass" else "failure",
    }
    for s in Status:
        results = (
            result(status=Status.PASSED, check_id="a.ok", required=False),
            result(status=s, check_id="a.b", required=False, reason="r"),
        )
        v, _ = verdict(results, 0, (), gate)
        green = outcome[s] in ("pass", "skipped")
        assert (v == Verdict.CONFORMANT) is green, (s, policy, v)
