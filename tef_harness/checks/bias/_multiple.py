"""Two-sample tests and the Benjamini-Hochberg procedure, vectorised over many subgroups."""

from __future__ import annotations

import numpy as np


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """BH-adjusted p-values (q-values) of a 1-D array, same shape: reject at FDR α where
    q ≤ α. Computed by ``scipy.stats.false_discovery_control(p, method='bh')``
    (Benjamini & Hochberg 1995)."""
    from scipy.stats import false_discovery_control  # lazy: scipy.stats costs ~0.6 s at start-up

    p = np.asarray(p, dtype=float)
    if p.size == 0:
        return p.copy()
    q: np.ndarray = np.asarray(false_discovery_control(p, method="bh"), dtype=float)
    return q


def welch_z(
    n1: np.ndarray,
    mean1: np.ndarray,
    var1: np.ndarray,
    n2: np.ndarray,
    mean2: np.ndarray,
    var2: np.ndarray,
    level: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Difference of means (1 − 2), its Wald interval and a two-sided normal p-value.

    For 0/1 values with population variances this is the unpooled two-proportion z-test.
    A zero standard error gives p = 1 when the means agree and p = 0 when they differ."""
    diff = mean1 - mean2
    se = np.sqrt(var1 / n1 + var2 / n2)
    from scipy.stats import norm  # lazy: scipy.stats costs ~0.6 s at start-up

    z_crit = float(norm.ppf(0.5 + level / 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, diff / np.where(se > 0, se, 1.0), np.where(diff == 0, 0.0, np.inf))
    p = 2.0 * norm.sf(np.abs(z))
    return diff, diff - z_crit * se, diff + z_crit * se, p
