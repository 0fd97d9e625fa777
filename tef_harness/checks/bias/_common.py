"""Small helpers the bias checks share: JSON-safe numbers, intervals, task validation."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from tef_harness.api import ConfigError, Interval, RunContext


def num(x: float | np.floating[Any]) -> float | None:
    """A JSON-able float: None for NaN/inf (JSON has no NaN)."""
    v = float(x)
    return v if math.isfinite(v) else None


def pair(lo: float | np.floating[Any], hi: float | np.floating[Any]) -> list[float | None]:
    return [num(lo), num(hi)]


def ci_list(ci: Interval | None) -> list[float] | None:
    return None if ci is None else [ci.low, ci.high]


def binary_or_regression(ctx: RunContext, check_id: str) -> str:
    """The task, or a clear error: group fairness metrics are defined for a binary target
    (rates of the positive class) or a numeric one (mean predictions and errors)."""
    if ctx.task in ("binary", "regression"):
        return ctx.task
    n_classes = len(ctx.classes) if ctx.classes else "several"
    raise ConfigError(
        f"{check_id} needs a binary or numeric target; this run is {ctx.task} with {n_classes} "
        "classes (declare data.positive_label with task = 'binary' on a two-valued target, "
        "or binarise the target)",
        field="data.task",
    )


def join_reasons(reasons: Iterable[str]) -> str:
    return ", ".join(reasons)
