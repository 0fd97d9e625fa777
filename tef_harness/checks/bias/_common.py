"""Small helpers the bias checks share: JSON-safe numbers, intervals, the tasks they apply to."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from tef_harness.api import Interval, RunContext


def num(x: float | np.floating[Any]) -> float | None:
    """A JSON-able float: None for NaN/inf (JSON has no NaN)."""
    v = float(x)
    return v if math.isfinite(v) else None


def pair(lo: float | np.floating[Any], hi: float | np.floating[Any]) -> list[float | None]:
    return [num(lo), num(hi)]


def ci_list(ci: Interval | None) -> list[float] | None:
    return None if ci is None else [ci.low, ci.high]


#: the reason a bias check defined for binary tasks gives on a multiclass model
MULTICLASS = "multiclass: not yet supported"


def unsupported_task(ctx: RunContext) -> str | None:
    """Why a group-fairness measure does not apply to this run's task, or None when it does.
    They are defined for a binary target (rates of the positive class) or a numeric one (mean
    predictions and errors); per-class fairness for multiclass models is later work."""
    if ctx.task in ("binary", "regression"):
        return None
    if ctx.task == "multiclass":
        n_classes = len(ctx.classes) if ctx.classes else "several"
        return f"{MULTICLASS} ({n_classes} classes; binarise the target to audit one class against the rest)"
    return "the task is unknown (no target and no model classes)"


def join_reasons(reasons: Iterable[str]) -> str:
    return ", ".join(reasons)
