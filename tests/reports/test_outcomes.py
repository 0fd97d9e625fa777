"""The status-to-outcome table agrees with the verdict: JUnit is green exactly when
`tef check` exits 0."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tef_harness.reports.outcomes import Outcome, attention_order, insufficient_evidence_gate, outcome_for
from tef_harness.reports.schema import ConformityReport, Verdict
from tef_harness.sdk.results import Status
from tests.reports.conftest import make_result, report_with


@pytest.mark.parametrize(
    ("status", "required", "gate", "expected"),
    [
        (Status.PASSED, True, "incomplete", Outcome.PASS),
        (Status.WAIVED, True, "incomplete", Outcome.PASS),
        (Status.FAILED, False, "pass", Outcome.FAILURE),
        (Status.ERROR, False, "pass", Outcome.ERROR),
        (Status.INSUFFICIENT_EVIDENCE, True, "incomplete", Outcome.FAILURE),
        (Status.INSUFFICIENT_EVIDENCE, True, "fail", Outcome.FAILURE),
        (Status.INSUFFICIENT_EVIDENCE, True, "pass", Outcome.SKIPPED),
        (Status.NOT_APPLICABLE, False, "incomplete", Outcome.SKIPPED),
        (Status.NOT_APPLICABLE, True, "incomplete", Outcome.SKIPPED),
    ],
    ids=lambda v: str(v),
)
def test_table(status: Status, required: bool, gate: str, expected: Outcome) -> None:
    o = outcome_for(make_result(status=status, required=required), gate)  # type: ignore[arg-type]
    assert o.outcome == expected
    assert o.waived == (status == Status.WAIVED)
    if status != Status.PASSED:
        assert f"why demo.check is {status.value}" in o.message


_case = st.tuples(st.sampled_from(list(Status)), st.booleans())


@given(cases=st.lists(_case, min_size=1, max_size=8), gate=st.sampled_from(["incomplete", "fail", "pass"]))
def test_green_exactly_when_conformant(
    engine_report: ConformityReport, cases: list[tuple[Status, bool]], gate: str
) -> None:
    results = [make_result(f"fam.c{i}", s, required=req) for i, (s, req) in enumerate(cases)]
    report = report_with(engine_report, results, gate)
    assert insufficient_evidence_gate(report) == gate
    outcomes = [outcome_for(r, insufficient_evidence_gate(report)).outcome for r in report.results]
    green = all(o in (Outcome.PASS, Outcome.SKIPPED) for o in outcomes)
    assert green == (report.verdict == Verdict.CONFORMANT), (cases, gate, report.verdict_reasons)


def test_attention_order_puts_failures_first() -> None:
    statuses = [Status.PASSED, Status.NOT_APPLICABLE, Status.ERROR, Status.FAILED, Status.INSUFFICIENT_EVIDENCE]
    ordered = attention_order(tuple(make_result(f"f.c{i}", s) for i, s in enumerate(statuses)))
    assert [r.status for r in ordered] == [
        Status.FAILED,
        Status.INSUFFICIENT_EVIDENCE,
        Status.ERROR,
        Status.PASSED,
        Status.NOT_APPLICABLE,
    ]
