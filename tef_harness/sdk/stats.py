"""Interval estimates shared by the checks.

Vectorised on purpose: checks call these on per-group arrays, and a Python loop over
resamples or groups is what makes the reference libraries slow at a million rows.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

from tef_harness.sdk.results import Interval


def bootstrap_indices(rng: np.random.Generator, n: int, n_boot: int) -> np.ndarray:
    """Row indices of ``n_boot`` resamples with replacement, shape (n_boot, n).

    Memory is ``4 * n * n_boot`` bytes; for large ``n`` draw in chunks or use weights.
    """
    dtype = np.int32 if n < 2**31 else np.int64
    return rng.integers(0, n, size=(n_boot, n), dtype=dtype)


def percentile_interval(samples: np.ndarray, level: float = 0.95) -> Interval | None:
    """Percentile interval of bootstrap replicates; None when no finite replicate exists
    (e.g. a metric undefined on every resample)."""
    finite = np.asarray(samples, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return None
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(finite, [alpha, 1.0 - alpha])
    return Interval(low=float(low), high=float(high), level=level, method="bootstrap-percentile")


def wilson_interval(successes: np.ndarray, n: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for binomial proportions, element-wise; NaN where n == 0."""
    k = np.asarray(successes, dtype=float)
    m = np.asarray(n, dtype=float)
    z = NormalDist().inv_cdf(1.0 - (1.0 - level) / 2.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / m
        denom = 1.0 + z * z / m
        centre = (p + z * z / (2.0 * m)) / denom
        half = z * np.sqrt(p * (1.0 - p) / m + z * z / (4.0 * m * m)) / denom
    # at k = 0 and k = n the exact bound is 0 and 1; floating point leaves ~1e-17 behind,
    # and an interval must contain its point estimate
    low = np.where(m > 0, np.where(k == 0, 0.0, np.clip(centre - half, 0.0, 1.0)), np.nan)
    high = np.where(m > 0, np.where(k == m, 1.0, np.clip(centre + half, 0.0, 1.0)), np.nan)
    return low, high


def wilson_ci(successes: float, n: float, level: float = 0.95) -> Interval | None:
    """The Wilson interval of one proportion as an ``Interval``; None when ``n`` is 0."""
    low, high = wilson_interval(np.array([successes]), np.array([n]), level)
    if not (np.isfinite(low[0]) and np.isfinite(high[0])):
        return None
    return Interval(low=float(low[0]), high=float(high[0]), level=level, method="wilson")
