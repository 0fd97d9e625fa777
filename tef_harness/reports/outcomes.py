"""The one table from a check's status to a test outcome, shared by every renderer that
speaks pass/fail (JUnit, Markdown, the HTML summary).

Why one table: a CI that reads JUnit must never be green while ``tef check`` exits non-zero.
The exit code follows the verdict (``judge.verdict``), so this table follows the same rules:

- ``failed`` and ``error`` fail the verdict, so they are a failure and an error;
- ``insufficient_evidence`` makes the verdict non-conformant (``gate.insufficient_evidence =
  "fail"``) or incomplete (``"incomplete"``, the default), both exit 1: a failure. Only with
  ``"pass"`` does it leave the verdict alone, and then it is skipped with its reason;
- ``not_applicable`` is skipped with its reason. (A *required* check that cannot apply never
  reaches the report as ``not_applicable``: the engine records it as ``insufficient_evidence``,
  so the row above covers it and the verdict agrees);
- ``waived`` passes, marked as waived so a reader sees the exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from tef_harness.reports.schema import ConformityReport, NotRun, NotRunReason
from tef_harness.sdk.results import CheckResult, Status

InsufficientEvidenceGate = Literal["incomplete", "fail", "pass"]


class Outcome(StrEnum):
    PASS = "pass"
    FAILURE = "failure"
    ERROR = "error"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class CaseOutcome:
    """A check's outcome as a test case: the kind, and the message a CI shows beside it."""

    outcome: Outcome
    message: str
    waived: bool = False


def insufficient_evidence_gate(report: ConformityReport) -> InsufficientEvidenceGate:
    """The gate setting the report was judged with (read from its resolved config; the
    config schema's default when absent, as the engine would have used)."""
    gate = report.config.get("gate")
    value = gate.get("insufficient_evidence") if isinstance(gate, Mapping) else None
    if value in ("incomplete", "fail", "pass"):
        return value  # type: ignore[return-value]
    return "incomplete"


def outcome_for(result: CheckResult, gate: InsufficientEvidenceGate) -> CaseOutcome:
    """Map one judged result to its test outcome (see the module docstring for why)."""
    why = result.reason or ""
    status = result.status
    if status == Status.PASSED:
        return CaseOutcome(Outcome.PASS, "passed")
    if status == Status.WAIVED:
        owners = ", ".join(sorted({w.owner for w in result.waived}))
        note = f"waived ({why})" if why else "waived"
        return CaseOutcome(Outcome.PASS, f"{note}; owner: {owners}" if owners else note, waived=True)
    if status == Status.FAILED:
        return CaseOutcome(Outcome.FAILURE, why or "failed")
    if status == Status.ERROR:
        return CaseOutcome(Outcome.ERROR, why or "the check raised an error")
    if status == Status.INSUFFICIENT_EVIDENCE:
        text = f"insufficient evidence: {why}" if why else "insufficient evidence"
        if gate == "pass":
            return CaseOutcome(Outcome.SKIPPED, f"{text} (gate.insufficient_evidence = pass)")
        return CaseOutcome(Outcome.FAILURE, f"{text} (gate.insufficient_evidence = {gate})")
    # not applicable
    return CaseOutcome(Outcome.SKIPPED, f"not applicable: {why}" if why else "not applicable")


#: order of the summary tables: what needs attention first
STATUS_ORDER: tuple[Status, ...] = (
    Status.FAILED,
    Status.INSUFFICIENT_EVIDENCE,
    Status.ERROR,
    Status.WAIVED,
    Status.PASSED,
    Status.NOT_APPLICABLE,
)


def attention_order(results: tuple[CheckResult, ...]) -> list[CheckResult]:
    """Failed first, then insufficient evidence, errors, waived, passed, not run; stable within."""
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    return sorted(results, key=lambda r: rank[r.status])


def ran(report: ConformityReport) -> list[CheckResult]:
    """The results of the checks that ran, in :func:`attention_order`: a not-applicable check
    did not run, and is listed once, with the reason, by :func:`did_not_run` instead."""
    return [r for r in attention_order(report.results) if r.status != Status.NOT_APPLICABLE]


def did_not_run(report: ConformityReport) -> tuple[NotRun, ...]:
    """Every check that did not run, with the reason, in check-id order: ``report.not_run``,
    plus a not-applicable result a report from a third-party engine left out of it."""
    listed = {n.check_id for n in report.not_run}
    extra = [
        NotRun(check_id=r.check_id, title=r.title, reason=NotRunReason.NOT_APPLICABLE, detail=r.reason or "")
        for r in report.results
        if r.status == Status.NOT_APPLICABLE and r.check_id not in listed
    ]
    return tuple(sorted((*report.not_run, *extra), key=lambda n: n.check_id))


def marks_optional(report: ConformityReport) -> bool:
    """Whether "optional" tells a reader anything: only when the profile or config made some
    check of this run required. Under a profile that requires none (``default``), every check
    would carry the label, and a label on every row says nothing."""
    return any(r.required for r in report.results)
