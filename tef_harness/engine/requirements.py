"""The requirements table: every requirement of the policy profile with the checks that gave
evidence for it and what that evidence says."""

from __future__ import annotations

from tef_harness.config.policy import Requirement
from tef_harness.reports.schema import RequirementRow, RequirementStatus
from tef_harness.sdk.results import CheckResult, Status

_STATUS_RANK = {
    Status.FAILED: RequirementStatus.TESTED_FAILED,
    Status.ERROR: RequirementStatus.TESTED_INCONCLUSIVE,
    Status.INSUFFICIENT_EVIDENCE: RequirementStatus.TESTED_INCONCLUSIVE,
    Status.PASSED: RequirementStatus.TESTED_PASSED,
    Status.WAIVED: RequirementStatus.TESTED_PASSED,
}


_EVIDENCE_STATUS = {
    "passed": RequirementStatus.TESTED_PASSED,
    "failed": RequirementStatus.TESTED_FAILED,
    "inconclusive": RequirementStatus.TESTED_INCONCLUSIVE,
    "not_applicable": RequirementStatus.NOT_APPLICABLE,
}


def _requirement_status(result: CheckResult, requirement: str) -> RequirementStatus:
    """A check's own per-requirement outcome when it gave one, else its overall status.
    A waived failure counts as passed for the requirement, as it does for the check."""
    outcome = result.evidence.get(requirement)
    if outcome is not None and not (outcome == "failed" and result.status == Status.WAIVED):
        return _EVIDENCE_STATUS[outcome]
    return _STATUS_RANK[result.status]


def requirements_table(
    requirements: tuple[Requirement, ...], results: tuple[CheckResult, ...], thresholds_declared: bool
) -> tuple[RequirementRow, ...]:
    """Every requirement of the profile with the checks that gave evidence for it, so an
    auditor sees the gaps and not only the findings."""
    rows = []
    for req in requirements:
        if req.evidence_from == "declared_thresholds":
            # the run itself is the evidence (the profile says so, e.g. for Art. 9(8)):
            # thresholds declared before testing and recorded with the config digest
            status = RequirementStatus.TESTED_PASSED if thresholds_declared else RequirementStatus.NOT_TESTED
            rows.append(RequirementRow(id=req.id, title=req.title, status=status, checks=("tef.engine",)))
            continue
        evidence = [r for r in results if req.id in r.evidence_for]
        ran = [r for r in evidence if r.status in _STATUS_RANK]
        if ran:
            statuses = {_requirement_status(r, req.id) for r in ran}
            statuses.discard(RequirementStatus.NOT_APPLICABLE)
            status = next(
                (
                    s
                    for s in (
                        RequirementStatus.TESTED_FAILED,
                        RequirementStatus.TESTED_INCONCLUSIVE,
                        RequirementStatus.TESTED_PASSED,
                    )
                    if s in statuses
                ),
                RequirementStatus.NOT_APPLICABLE,
            )
        elif evidence:
            status = RequirementStatus.NOT_APPLICABLE
        else:
            status = RequirementStatus.NOT_TESTED
        rows.append(
            RequirementRow(id=req.id, title=req.title, status=status, checks=tuple(r.check_id for r in evidence))
        )
    return tuple(rows)
