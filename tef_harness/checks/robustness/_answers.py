"""Robustness findings about the model's answers on altered inputs. The model client
(``ctx.model.call``) bounds every call by a timeout and turns crashes, hangs and invalid
outputs into a ``ModelAnswer``; here each outcome becomes the finding it is evidence of."""

from __future__ import annotations

import numpy as np

from tef_harness.api import Finding, ModelAnswer, Severity


def hang_finding(location: str, timeout_s: float) -> Finding:
    return Finding(
        code="ROB004",
        severity=Severity.HIGH,
        message=f"the model did not answer within {timeout_s:g} s (hang or excessive latency)",
        location=location,
        data={"timeout_s": timeout_s},
    )


def error_finding(location: str, error_type: str | None, what: str) -> Finding:
    return Finding(
        code="ROB002",
        severity=Severity.MEDIUM,
        message=f"the model raised {error_type or 'an error'} on {what}",
        location=location,
        data={"error_type": error_type or ""},
    )


def invalid_output_finding(location: str, problem: str) -> Finding:
    return Finding(
        code="ROB003",
        severity=Severity.HIGH,
        message=f"the model silently returned invalid output: {problem}",
        location=location,
    )


def answer_finding(answer: ModelAnswer, location: str, what: str) -> Finding | None:
    """The finding a failed answer is evidence of (None for a valid one)."""
    if answer.kind == "timeout":
        return hang_finding(location, answer.timeout_s or 0.0)
    if answer.kind == "error":
        return error_finding(location, answer.error_type, what)
    if answer.kind == "invalid":
        return invalid_output_finding(location, answer.problem or "invalid output")
    return None


def proba_problem(proba: np.ndarray, tol: float = 1e-4) -> str | None:
    """Why a probability matrix the client accepted (right shape, finite) is still not one:
    entries outside [0, 1] or rows that do not sum to 1; None when it is."""
    p = np.asarray(proba, dtype=float)
    if ((p < -tol) | (p > 1 + tol)).any():
        return "probabilities outside [0, 1]"
    if p.shape[0] and np.abs(p.sum(axis=1) - 1.0).max() > tol * max(1, p.shape[1]):
        return "probabilities that do not sum to 1"
    return None
