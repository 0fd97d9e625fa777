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


def bca_interval(
    estimate: float, replicates: np.ndarray, jackknife: np.ndarray, level: float = 0.95
) -> Interval | None:
    """Bias-corrected and accelerated (BCa) bootstrap interval (Efron & Tibshirani 1993,
    ch. 14; the method of ``scipy.stats.bootstrap(method="BCa")``).

    ``replicates``: the statistic on each bootstrap resample, shape (B,). ``jackknife``: the
    statistic with each row left out (or, for large samples, each of G equal random blocks of
    rows left out: the delete-d jackknife, whose acceleration estimate is the same to first
    order and costs G evaluations instead of n), shape (n,) or (G,). Non-finite replicates
    (the statistic undefined on that resample) are dropped. Returns None when no finite
    replicate exists; a degenerate interval [estimate, estimate] when every replicate equals
    the estimate (nothing varies); None when the estimate lies outside the replicates' range:
    the bias correction is then infinite, the statistic is far from unbiased on this sample
    (a plug-in binned ECE near zero, say), and no bootstrap interval of it is honest.
    """
    from scipy.stats import norm  # lazy: scipy.stats costs ~0.6 s at start-up

    reps = np.asarray(replicates, dtype=float)
    reps = reps[np.isfinite(reps)]
    if reps.size == 0:
        return None
    if np.all(reps == estimate):
        return Interval(low=estimate, high=estimate, level=level, method="bootstrap-bca")
    below = (np.sum(reps < estimate) + 0.5 * np.sum(reps == estimate)) / reps.size
    if below <= 0.0 or below >= 1.0:
        return None
    z0 = float(norm.ppf(below))
    jack = np.asarray(jackknife, dtype=float)
    jack = jack[np.isfinite(jack)]
    d = jack.mean() - jack if jack.size else np.zeros(1)
    denom = 6.0 * float(np.sum(d**2)) ** 1.5
    a = float(np.sum(d**3)) / denom if denom > 0 else 0.0
    z = norm.ppf([(1.0 - level) / 2.0, 1.0 - (1.0 - level) / 2.0])
    adjusted = norm.cdf(z0 + (z0 + z) / (1.0 - a * (z0 + z)))
    low, high = np.quantile(reps, adjusted)
    return Interval(low=float(low), high=float(high), level=level, method="bootstrap-bca")


def jackknife_blocks(rng: np.random.Generator, n: int, max_blocks: int = 200) -> np.ndarray:
    """A block id per row for the (delete-d) jackknife: every row its own block when
    ``n <= max_blocks``, else ``max_blocks`` random blocks of (nearly) equal size."""
    if n <= max_blocks:
        return np.arange(n)
    return rng.permutation(np.arange(n) % max_blocks)
