"""Small shared helpers: seeded row samples and metrics with intervals.

Proportions get Wilson score intervals; paired differences (clean vs perturbed on the same
rows) get a normal interval on the per-row differences, which is what makes a drop on a
sample of a few thousand rows tight: the two accuracies share most of their noise.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

import numpy as np

from tef_harness.api import Dimensions, Interval, Metric, wilson_ci


def sample_rows(rng: np.random.Generator, n: int, max_rows: int | None) -> np.ndarray:
    """Sorted positions of a seeded sample without replacement (all rows when n <= max_rows)."""
    if max_rows is None or n <= max_rows:
        return np.arange(n)
    return np.sort(rng.choice(n, size=max_rows, replace=False))


def _key(name: str | Dimensions) -> dict[str, Any]:
    return {"dims": name} if isinstance(name, Dimensions) else {"name": name}


def proportion_metric(
    name: str | Dimensions,
    hits: np.ndarray,
    level: float,
    *,
    greater_is_better: bool | None,
    description: str | None = None,
    unit: str = "rate",
) -> Metric | None:
    """Share of True in ``hits`` with a Wilson interval; None for an empty array. ``unit``:
    ``rate`` (of rows or attempts), or ``share`` for one part of a whole split by outcome."""
    n = int(hits.size)
    if n == 0:
        return None
    k = int(np.count_nonzero(hits))
    return Metric(
        **_key(name),
        value=k / n,
        unit=unit,
        ci=wilson_ci(k, n, level),
        n=n,
        greater_is_better=greater_is_better,
        description=description,
    )


def mean_metric(
    name: str | Dimensions,
    values: np.ndarray,
    level: float,
    *,
    unit: str,
    greater_is_better: bool | None,
    description: str | None = None,
) -> Metric | None:
    """Mean with a normal interval (per-row values, e.g. paired differences); None when empty
    or non-finite. ``unit`` is the values' own (``target units`` for absolute errors,
    ``difference`` for paired differences of hits)."""
    v = np.asarray(values, dtype=float)
    n = int(v.size)
    if n == 0 or not np.isfinite(v).all():
        return None
    mean = float(v.mean())
    half = NormalDist().inv_cdf(0.5 + level / 2.0) * (float(v.std(ddof=1)) / math.sqrt(n) if n > 1 else 0.0)
    ci = Interval(low=mean - half, high=mean + half, level=level, method="normal-paired")
    return Metric(
        **_key(name), value=mean, ci=ci, n=n, unit=unit, greater_is_better=greater_is_better, description=description
    )
