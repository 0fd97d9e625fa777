"""The engine's judgement: thresholds, gate, waivers, verdict, requirements table."""

from __future__ import annotations

import datetime as dt

import pytest

from tef_harness.config.policy import Requirement
from tef_harness.config.schema import GateSection, ThresholdSpec, Waiver
from tef_harness.engine.judge import active_waivers, evaluate_thresholds, judge, verdict
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


def test_threshold_matching_nothing_fails() -> None:
    (o,) = evaluate_thresholds((AUC,), (ThresholdSpec(metric="rocauc", min=0.5),), {})
    assert not o.passed and o.note == "no metric matched this name or pattern"


def test_gate_fails_on_high_finding_only() -> None:
    gate = GateSection()
    med = Finding(code="ABC001", severity=Severity.MEDIUM, message="m")
    high = Finding(code="ABC002", severity=Severity.HIGH, message="h")
    assert judge(result(findings=(med,)), (), {}, gate, []).status == Status.PASSED
    judged = judge(result(findings=(med, high)), (), {}, gate, [])
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
        r = result(status=s, reason="r")
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
        Requirement(id="EU-AI-Act:Art9(8)", title="e"),
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
