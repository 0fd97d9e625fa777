"""Group × cell counts and everything derived from them, vectorised.

A binary classifier's behaviour on a group is fully described by four counts (tn, fp, fn,
tp), so one ``np.bincount`` over the rows gives every per-group rate and, through Wilson
intervals on those counts, every interval the binary disparities need (no resampling).
"""

from __future__ import annotations

import numpy as np

#: cell index = 2 * label + prediction
TN, FP, FN, TP = 0, 1, 2, 3
RATES = ("selection_rate", "tpr", "fpr", "ppv", "accuracy")


def cell_counts(codes: np.ndarray, n_groups: int, y: np.ndarray, yhat: np.ndarray) -> np.ndarray:
    """(n_groups, 4) float counts in one pass; ``y`` and ``yhat`` are 0/1."""
    idx = codes.astype(np.int64) * 4 + 2 * y.astype(np.int64) + yhat.astype(np.int64)
    return np.bincount(idx, minlength=n_groups * 4).reshape(n_groups, 4).astype(float)


def rate_parts(c: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Numerator and denominator of each rate, for counts of shape (..., G, 4)."""
    tn, fp, fn, tp = c[..., TN], c[..., FP], c[..., FN], c[..., TP]
    n = tn + fp + fn + tp
    return {
        "selection_rate": (fp + tp, n),
        "tpr": (tp, fn + tp),
        "fpr": (fp, tn + fp),
        "ppv": (tp, fp + tp),
        "accuracy": (tn + tp, n),
    }


def rates(c: np.ndarray) -> dict[str, np.ndarray]:
    """Every rate; NaN where the denominator is zero (never a silent 0)."""
    return {name: ratio(num, den) for name, (num, den) in rate_parts(c).items()}


def ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    out: np.ndarray = np.divide(num, den, out=np.full(np.broadcast(num, den).shape, np.nan), where=den > 0)
    return out


def spread(values: np.ndarray, eligible: np.ndarray, kind: str) -> np.ndarray:
    """Max − min (``difference``) or min / max (``ratio``) over the eligible groups on the
    last axis, ignoring NaN without numpy's all-NaN warnings (a check never prints)."""
    v = values[..., eligible]
    hi = np.max(np.where(np.isnan(v), -np.inf, v), axis=-1, initial=-np.inf)
    lo = np.min(np.where(np.isnan(v), np.inf, v), axis=-1, initial=np.inf)
    ok = np.isfinite(hi) & np.isfinite(lo)
    if kind == "difference":
        return np.where(ok, hi - lo, np.nan)
    out: np.ndarray = np.divide(lo, hi, out=np.full(np.shape(hi), np.nan), where=ok & (hi > 0))
    return out


def stratified_mean_sums(
    rng: np.random.Generator, codes: np.ndarray, n_groups: int, values: np.ndarray, n_boot: int, cap: int
) -> np.ndarray:
    """Bootstrap replicates of per-group sums of real-valued columns (regression).

    Resampling is stratified by group (group sizes fixed). A group of up to ``cap`` rows is
    resampled exactly; a larger one is resampled ``cap`` rows at a time and the deviation of
    the replicate mean rescaled by sqrt(cap / n) (the m-out-of-n bootstrap), so the cost is
    bounded by n_boot × cap per group, with no loop over replicates.
    Returns shape (n_boot, n_groups, values.shape[1])."""
    out = np.zeros((n_boot, n_groups, values.shape[1]))
    if n_boot == 0:
        return out
    order = np.argsort(codes, kind="stable")
    ends = np.cumsum(np.bincount(codes, minlength=n_groups))
    starts = ends - np.bincount(codes, minlength=n_groups)
    for g in range(n_groups):
        n_g = int(ends[g] - starts[g])
        if n_g == 0:
            continue
        vals = values[order[starts[g] : ends[g]]]
        m = min(n_g, cap)
        idx = rng.integers(0, n_g, size=(n_boot, m))
        centre = vals.mean(axis=0)
        sub = vals[idx].mean(axis=1)
        out[:, g, :] = n_g * (centre + (sub - centre) * np.sqrt(m / n_g))
    return out
