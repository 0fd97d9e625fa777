"""Calling someone else's model safely: every call is bounded by a timeout and every
exception becomes data, so a model that crashes or hangs never takes the run down.

A hung call cannot be killed from Python; it is left running in a daemon thread (which
does not keep the interpreter alive) and reported as a timeout.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from tef_harness.api import Finding, Severity

CallKind = Literal["ok", "error", "timeout"]


@dataclass(frozen=True)
class CallResult:
    kind: CallKind
    value: np.ndarray | None = None
    #: exception class name only: messages may echo input values (personal data)
    error_type: str | None = None
    #: warning classes the model emitted (recorded, never printed)
    warnings: tuple[str, ...] = ()


def call_with_timeout(fn: Callable[[], object], timeout_s: float) -> CallResult:
    """Run ``fn`` in a daemon thread; wait at most ``timeout_s`` seconds."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - the model's failure is data
            box["error"] = exc

    # warnings the model emits are recorded instead of printed (the filter state is
    # process-wide, so a call that outlives its timeout may still print later)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        thread = threading.Thread(target=target, name="tef-robustness-model-call", daemon=True)
        thread.start()
        thread.join(timeout_s)
    emitted = tuple(sorted({w.category.__name__ for w in caught}))
    if thread.is_alive():
        return CallResult(kind="timeout", warnings=emitted)
    if "error" in box:
        return CallResult(kind="error", error_type=type(box["error"]).__name__, warnings=emitted)
    try:
        return CallResult(kind="ok", value=np.asarray(box.get("value")), warnings=emitted)
    except Exception as exc:  # noqa: BLE001 - an output numpy cannot hold is data too
        return CallResult(kind="error", error_type=type(exc).__name__, warnings=emitted)


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


def prediction_problem(pred: np.ndarray, n: int, classes: tuple[object, ...] | None, regression: bool) -> str | None:
    """Why ``pred`` is not a valid answer for ``n`` rows; None when it is."""
    if pred.ndim != 1 or pred.shape[0] != n:
        return f"{pred.shape} predictions for {n} rows"
    if regression:
        try:
            values = pred.astype(float)
        except (TypeError, ValueError):
            return "non-numeric predictions"
        bad = int((~np.isfinite(values)).sum())
        return f"{bad} non-finite prediction(s)" if bad else None
    if classes is not None:
        known = np.isin(pred.astype(object), np.asarray(classes, dtype=object))
        if not known.all():
            return f"{int((~known).sum())} prediction(s) outside the model's classes"
    return None


def proba_problem(proba: np.ndarray, n: int, n_classes: int | None, tol: float = 1e-4) -> str | None:
    """Why ``proba`` is not a valid probability matrix for ``n`` rows; None when it is."""
    if proba.ndim != 2 or proba.shape[0] != n or (n_classes is not None and proba.shape[1] != n_classes):
        return f"probabilities of shape {proba.shape} for {n} rows"
    try:
        p = proba.astype(float)
    except (TypeError, ValueError):
        return "non-numeric probabilities"
    if not np.isfinite(p).all():
        return f"{int((~np.isfinite(p)).any(axis=1).sum())} row(s) with non-finite probabilities"
    if ((p < -tol) | (p > 1 + tol)).any():
        return "probabilities outside [0, 1]"
    if n and np.abs(p.sum(axis=1) - 1.0).max() > tol * max(1, p.shape[1]):
        return "probabilities that do not sum to 1"
    return None
