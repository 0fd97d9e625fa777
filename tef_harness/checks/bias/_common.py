"""Small helpers the bias checks share: JSON-safe numbers, intervals, the tasks they apply to."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from tef_harness.api import Finding, Interval, RunContext, wilson_interval
from tef_harness.checks.bias._groups import Grouping


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


def left_out(metric: str, s: Grouping, eligible: np.ndarray) -> str:
    """A disparity's name with the groups it was computed without."""
    groups = [s.labels[g] for g in np.flatnonzero(~eligible)]
    shown = ", ".join(groups[:4]) + (f" +{len(groups) - 4} more" if len(groups) > 4 else "")
    return f"{metric} (without {shown})"


def small_groups_reason(findings: list[Finding], partial: list[str]) -> str:
    """Why a check that left groups too small to judge (BIAS001) out of disparities it did
    compute (``partial``: each metric with the groups left out) is insufficient evidence: no
    bound on those disparities can speak for the groups left out, and lack of data is not a
    violation."""
    n_small = sum(1 for f in findings if f.code == "BIAS001")
    left = "; ".join(partial[:3]) + (f"; {len(partial) - 3} more disparities" if len(partial) > 3 else "")
    return f"groups too small to judge (BIAS001, {n_small}) were left out of {left}"


def simultaneous_interval(
    parts: list[tuple[np.ndarray, np.ndarray]], eligible: np.ndarray, kind: str, level: float
) -> Interval:
    """An interval for the spread of group rates (max − min, or min / max for ``ratio``; for
    several rates, as for equalized odds, the largest of their spreads) that holds whenever
    every group's Wilson interval holds at once: Bonferroni over the groups and rates compared,
    each interval at level 1 − (1 − level) / k. If every rate p_g lies in [l_g, u_g], the true
    max − min lies in [max(0, max l − min u), max u − min l] and min / max in
    [min l / max u, min(1, min u / max l)]; the estimate, computed from the p̂_g inside those
    intervals, lies there too by construction.

    Why not the bootstrap: max − min is biased upward (even equal groups show a positive
    spread), so its bootstrap replicates sit above the estimate and a percentile interval
    excluded the estimate in about one run in twenty on data with no disparity at all."""
    k = int(eligible.sum()) * len(parts)
    adjusted = 1.0 - (1.0 - level) / max(k, 1)
    lows, highs = [], []
    for num_, den in parts:
        lo_g, hi_g = wilson_interval(num_[eligible], den[eligible], adjusted)
        if kind == "difference":
            lows.append(max(0.0, float(lo_g.max() - hi_g.min())))
            highs.append(float(hi_g.max() - lo_g.min()))
        else:
            lows.append(float(lo_g.min() / hi_g.max()) if hi_g.max() > 0 else 0.0)
            highs.append(min(1.0, float(hi_g.min() / lo_g.max())) if lo_g.max() > 0 else 1.0)
    return Interval(low=max(lows), high=max(highs), level=level, method="wilson-simultaneous")
