"""Perturbation families: the ImageNet-C design transposed to tables.

Each family takes a frame, the resolved domain, an intensity and a generator, and returns
the perturbed frame plus a mask of the rows it actually changed (the flip rate is counted
only over those). All work is column-wise and vectorised. Rows stay valid under the domain
(immutable features untouched, integers rounded, bounds kept, categories among the valid
levels) except where a family is deliberately invalid: ``missing_values`` blanks cells and
``out_of_range`` leaves the declared range.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from tef_harness.checks.robustness.schema import Domain, FeatureDomain

FAMILIES: tuple[str, ...] = ("gaussian_noise", "scaling", "missing_values", "category_swap", "out_of_range")

#: intensity per severity 1..5. gaussian_noise: noise sd in units of the feature's sd;
#: scaling: relative change |f - 1|; missing_values / category_swap: probability per
#: mutable cell; out_of_range: distance beyond the nearest bound, in units of the range.
INTENSITY: dict[str, tuple[float, ...]] = {
    "gaussian_noise": (0.05, 0.1, 0.2, 0.4, 0.8),
    "scaling": (0.02, 0.05, 0.1, 0.2, 0.4),
    "missing_values": (0.05, 0.1, 0.2, 0.35, 0.5),
    "category_swap": (0.05, 0.1, 0.2, 0.35, 0.5),
    "out_of_range": (0.1, 0.25, 0.5, 1.0, 2.0),
}

#: families that leave the valid domain on purpose, with what they are allowed to break
DELIBERATELY_INVALID: dict[str, str] = {"missing_values": "missing", "out_of_range": "range"}

Perturbation = Callable[[pd.DataFrame, Domain, float, np.random.Generator], tuple[pd.DataFrame, np.ndarray]]


def applicable(family: str, domain: Domain) -> bool:
    if family == "category_swap":
        return bool(domain.mutable_categorical)
    if family == "missing_values":
        return domain.has_mutable
    if family == "out_of_range":
        return any(np.isfinite(f.hi - f.lo) for f in domain.mutable_numeric)
    return bool(domain.mutable_numeric)


def perturb(
    frame: pd.DataFrame, domain: Domain, family: str, intensity: float, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray]:
    return _FAMILY_FN[family](frame, domain, intensity, rng)


def _numeric_result(
    f: FeatureDomain, original: pd.Series, values: np.ndarray, clip: bool = True
) -> tuple[pd.Series, np.ndarray]:
    """The new column (integer dtype kept where possible) and which of its cells changed."""
    if clip:
        values = np.clip(values, f.lo, f.hi)
    if f.integer:
        values = np.round(values)
    before = original.to_numpy(dtype=float)
    changed = (values != before) & ~(np.isnan(values) & np.isnan(before))
    new = pd.Series(values, index=original.index, name=original.name)
    if f.integer and pd.api.types.is_integer_dtype(original.dtype) and np.isfinite(values).all():
        new = new.astype(original.dtype)
    return new, np.asarray(changed, dtype=bool)


def gaussian_noise(
    frame: pd.DataFrame, domain: Domain, intensity: float, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray]:
    out, changed = frame.copy(deep=False), np.zeros(len(frame), dtype=bool)
    for f in domain.mutable_numeric:
        col = frame[f.name]
        values = col.to_numpy(dtype=float) + rng.normal(0.0, intensity * f.spread, size=len(frame))
        out[f.name], cells = _numeric_result(f, col, values)
        changed |= cells
    return out, changed


def scaling(
    frame: pd.DataFrame, domain: Domain, intensity: float, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray]:
    out, changed = frame.copy(deep=False), np.zeros(len(frame), dtype=bool)
    for f in domain.mutable_numeric:
        col = frame[f.name]
        sign = rng.choice(np.array([-1.0, 1.0]), size=len(frame))
        out[f.name], cells = _numeric_result(f, col, col.to_numpy(dtype=float) * (1.0 + sign * intensity))
        changed |= cells
    return out, changed


def missing_values(
    frame: pd.DataFrame, domain: Domain, intensity: float, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray]:
    """Blank cells at random. Blanked text columns come back with object dtype (NaN for missing)."""
    out, changed = frame.copy(deep=False), np.zeros(len(frame), dtype=bool)
    for f in (*domain.mutable_numeric, *domain.mutable_categorical):
        col = frame[f.name]
        blank = rng.random(len(frame)) < intensity
        values = col.to_numpy(dtype=float if f.kind == "numeric" else object, copy=True)
        values[blank] = np.nan
        out[f.name] = pd.Series(values, index=col.index, name=col.name, dtype=values.dtype)
        changed |= blank & col.notna().to_numpy()
    return out, changed


def category_swap(
    frame: pd.DataFrame, domain: Domain, intensity: float, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray]:
    """Swap a cell to another valid level, drawn by observed frequency among the others.
    Swapped text columns come back with object dtype (cheaper than rebuilding Arrow strings)."""
    out, changed = frame.copy(deep=False), np.zeros(len(frame), dtype=bool)
    for f in domain.mutable_categorical:
        col = frame[f.name]
        codes = np.asarray(pd.Categorical(col, categories=list(f.levels)).codes)
        swap = (rng.random(len(frame)) < intensity) & (codes >= 0)
        levels = np.asarray(f.levels, dtype=object)
        probs = np.asarray(f.level_probs)
        new_codes = codes.copy()
        for k in range(len(levels)):
            rows = np.flatnonzero(swap & (codes == k))
            if rows.size == 0:
                continue
            others = np.delete(np.arange(len(levels)), k)
            new_codes[rows] = rng.choice(others, size=rows.size, p=probs[others] / probs[others].sum())
        values = col.to_numpy(dtype=object, copy=True)
        values[swap] = levels[new_codes[swap]]
        out[f.name] = pd.Series(values, index=col.index, name=col.name, dtype=values.dtype)
        changed |= swap
    return out, changed


def out_of_range(
    frame: pd.DataFrame, domain: Domain, intensity: float, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray]:
    """Per row, one mutable numeric feature is pushed beyond its range by ``intensity``
    ranges (below the minimum or above the maximum, at random)."""
    eligible = [f for f in domain.mutable_numeric if np.isfinite(f.hi - f.lo)]
    out, changed = frame.copy(deep=False), np.zeros(len(frame), dtype=bool)
    if not eligible:
        return out, changed
    pick = rng.integers(0, len(eligible), size=len(frame))
    upper = rng.random(len(frame)) < 0.5
    for j, f in enumerate(eligible):
        rows = pick == j
        col = frame[f.name]
        width = max(f.hi - f.lo, abs(f.hi), 1.0) if f.hi == f.lo else f.hi - f.lo
        target = np.where(upper, f.hi + intensity * width, f.lo - intensity * width)
        values = np.where(rows, target, col.to_numpy(dtype=float))
        out[f.name], cells = _numeric_result(f, col, values, clip=False)
        changed |= cells
    return out, changed


_FAMILY_FN: dict[str, Perturbation] = {
    "gaussian_noise": gaussian_noise,
    "scaling": scaling,
    "missing_values": missing_values,
    "category_swap": category_swap,
    "out_of_range": out_of_range,
}
