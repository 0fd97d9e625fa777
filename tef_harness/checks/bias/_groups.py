"""Encode sensitive (and other) columns as integer group codes, vectorised.

Missing values become an explicit ``unknown`` group: fairlearn raises on them, and dropping
them would silently hide exactly the rows whose group nobody recorded. Groups are the
values observed in the data: a pandas ``Categorical`` is grouped by its values, as the same
column read from a CSV would be, so a category declared but unused (a Parquet file's
dictionary) is not a zero-row group; a group declared in a reference population but absent
from the data is the representation check's business (BIAS031).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise

import numpy as np
import pandas as pd  # type: ignore[import-untyped, unused-ignore]

from tef_harness.api import ConfigError, Dimensions, IntakeError, RunContext

UNKNOWN = "unknown"
#: how an intersection of columns is named (``sex|age_group``, in details, findings, views and
#: a reference population's keys) and its group labels (``female|18-25``): one separator, as
#: the report's metric names read (``dp_ratio/sex|age_group``)
SET_SEP, LABEL_SEP = "|", "|"
#: the separator intersections were named with before; still accepted where a user writes one
LEGACY_SET_SEP = "*"


def set_key(name: str) -> str:
    """A set's key as a user may write it (``sex*age_group``, the old form) in today's form."""
    return SET_SEP.join(name.split(LEGACY_SET_SEP))


@dataclass(frozen=True, eq=False)
class Grouping:
    """Rows partitioned by one column or the intersection of several."""

    columns: tuple[str, ...]
    codes: np.ndarray  # intp per row, in [0, n_groups)
    labels: tuple[str, ...]  # "F" or "F|18-29"
    values: tuple[tuple[str, ...], ...]  # per group, the label of each column
    n_missing: int = 0

    @property
    def key(self) -> str:
        return SET_SEP.join(self.columns)

    def group_values(self, label: str, other: Grouping | None = None) -> tuple[str, ...]:
        """The value of each column for a group label of this grouping (or of ``other``, the
        same columns on other data); a label neither knows is a declared value of one column."""
        for grouping in (self, other):
            if grouping is not None and label in grouping.labels:
                return grouping.values[grouping.labels.index(label)]
        return (label,)

    def dims(self, criterion: str, label: str | None = None, other: Grouping | None = None) -> Dimensions:
        """A metric's dimensions on this set (and on one of its groups, given its label)."""
        group = () if label is None else self.group_values(label, other)
        return Dimensions(criterion=criterion, sensitive_set=self.columns, group=group)

    @property
    def n_groups(self) -> int:
        return len(self.labels)

    def describe(self, g: int) -> str:
        return " & ".join(f"{c}={v}" for c, v in zip(self.columns, self.values[g], strict=True))


def require_columns(frame: pd.DataFrame, columns: Sequence[str], field: str) -> None:
    """For ``bind``: a clear one-line error naming the check's own field (relative to its
    params), never a KeyError deep inside ``run``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ConfigError(
            f"column(s) {', '.join(repr(c) for c in missing)} not found in the evaluation data",
            field=field,
        )


def require_sensitive(ctx: RunContext, max_groups: int | None = None) -> None:
    """For ``bind``: the declared sensitive columns exist and each is a grouping, not a raw age
    or an identifier whose every value would be its own tiny group (IntakeError naming the
    evaluation data and ``data.sensitive``)."""
    frame = ctx.eval.frame
    missing = [c for c in ctx.sensitive if c not in frame.columns]
    if missing:
        raise IntakeError(
            f"column(s) {', '.join(repr(c) for c in missing)} not found in the evaluation data",
            file=ctx.eval.path,
            field="data.sensitive",
        )
    if max_groups is None:
        return
    for col in ctx.sensitive:
        n_groups = encode_column(frame[col]).n_groups
        if n_groups > max_groups:
            raise IntakeError(
                f"sensitive column {col!r} has {n_groups} distinct values (more than max_groups = "
                f"{max_groups}); declare a grouped column instead (e.g. age bands for an age)",
                file=ctx.eval.path,
                field="data.sensitive",
            )


def encode_sensitive(frame: pd.DataFrame, columns: Sequence[str]) -> list[Grouping]:
    """Encode the declared sensitive columns (``require_sensitive`` vetted them in bind)."""
    return [encode_column(frame[col]) for col in columns]


def encode_column(series: pd.Series, *, bins: int | None = None) -> Grouping:
    """One column to group codes. Numeric columns with more than ``bins`` distinct values
    are cut at quantiles (when ``bins`` is given); labels are sorted for stable output."""
    name = str(series.name)
    if isinstance(series.dtype, pd.CategoricalDtype):
        # the values, as a CSV would give them: no unused categories, the same label order
        series = series.astype(series.cat.categories.dtype if not series.hasnans else object)
    if pd.api.types.is_float_dtype(series) and _integral(series):
        # a CSV reads an integer column with a missing cell as float ("1.0"); Parquet keeps it
        # integer ("1"): one group label for one value
        series = series.astype("Int64")
    if bins and pd.api.types.is_numeric_dtype(series) and series.nunique() > bins:
        codes, labels = _quantile_bins(series.to_numpy(dtype=float), bins)
    else:
        raw, uniques = pd.factorize(series, sort=False, use_na_sentinel=True)
        order = _stable_order(list(uniques))
        remap = np.empty(len(order), dtype=np.intp)
        remap[order] = np.arange(len(order))
        codes = np.where(raw >= 0, remap[np.maximum(raw, 0)] if len(order) else raw, -1).astype(np.intp)
        labels = [str(uniques[i]) for i in order]
    missing = codes < 0
    n_missing = int(missing.sum())
    if n_missing:
        codes = np.where(missing, len(labels), codes)
        labels.append(UNKNOWN if UNKNOWN not in labels else f"{UNKNOWN} (missing)")
    labels = _dedupe(labels)
    return Grouping((name,), codes, tuple(labels), tuple((lab,) for lab in labels), n_missing)


def cross(parts: Sequence[Grouping]) -> Grouping:
    """The intersection of several groupings; only combinations that occur become groups."""
    if len(parts) == 1:
        return parts[0]
    sizes = [p.n_groups for p in parts]
    combined = np.zeros(len(parts[0].codes), dtype=np.int64)
    for p in parts:
        combined = combined * p.n_groups + p.codes
    total = int(np.prod(sizes, dtype=np.int64))
    if total <= 4 * len(combined) + 1_000_000:
        present = np.flatnonzero(np.bincount(combined, minlength=total))
        remap = np.full(total, -1, dtype=np.intp)
        remap[present] = np.arange(len(present))
        codes = remap[combined]
    else:  # a huge label space: sort instead of a dense table
        present, codes = np.unique(combined, return_inverse=True)
    per_col = np.unravel_index(present, sizes)
    values = tuple(
        tuple(p.labels[int(idx[g])] for p, idx in zip(parts, per_col, strict=True)) for g in range(len(present))
    )
    return Grouping(
        tuple(c for p in parts for c in p.columns),
        codes.astype(np.intp),
        tuple(LABEL_SEP.join(v) for v in values),
        values,
        max(p.n_missing for p in parts),
    )


def groupings(singles: Sequence[Grouping], max_order: int) -> list[Grouping]:
    """Each column alone, then their intersections up to ``max_order`` columns."""
    out = list(singles)
    for order in range(2, min(max_order, len(singles)) + 1):
        out.extend(cross(c) for c in combinations(singles, order))
    return out


def fine_partition(singles: Sequence[Grouping], sets: Sequence[Grouping]) -> tuple[Grouping, list[np.ndarray]]:
    """The finest partition (the intersection of all ``singles``) and, for each of ``sets``
    (built from the same singles), the map from a fine cell to its group. Counting happens
    once on the fine cells; every set's counts, and every bootstrap replicate's, are then
    small matrix sums."""
    fine = cross(list(singles))
    first_row = np.full(fine.n_groups, -1, dtype=np.intp)
    first_row[fine.codes[::-1]] = np.arange(len(fine.codes))[::-1]
    return fine, [s.codes[first_row] for s in sets]


def aggregate(fine_counts: np.ndarray, fine_to_group: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum fine-cell counts of shape (..., F, C) into groups: (..., G, C)."""
    member = np.zeros((n_groups, len(fine_to_group)))
    member[fine_to_group, np.arange(len(fine_to_group))] = 1.0
    out: np.ndarray = np.matmul(member, fine_counts)
    return out


def _quantile_bins(values: np.ndarray, bins: int) -> tuple[np.ndarray, list[str]]:
    finite = values[np.isfinite(values)]
    edges = np.unique(np.quantile(finite, np.linspace(0.0, 1.0, bins + 1))) if finite.size else np.array([0.0])
    inner = edges[1:-1]
    codes = np.searchsorted(inner, values, side="right").astype(np.intp)
    codes[~np.isfinite(values)] = -1
    bounds = [-np.inf, *inner.tolist(), np.inf]
    labels = [_interval_label(lo, hi) for lo, hi in pairwise(bounds)]
    return codes, labels


def _interval_label(lo: float, hi: float) -> str:
    if lo == -np.inf:
        return f"<{_fmt(hi)}"
    if hi == np.inf:
        return f">={_fmt(lo)}"
    return f"[{_fmt(lo)}, {_fmt(hi)})"


def _fmt(x: float) -> str:
    return f"{x:.0f}" if abs(x) >= 1e4 else f"{x:.4g}"


def _integral(series: pd.Series) -> bool:
    values = series.dropna().to_numpy(dtype=float)
    return bool(values.size) and bool(np.all(np.isfinite(values) & (values == np.round(values))))


def _stable_order(uniques: list[object]) -> list[int]:
    idx = list(range(len(uniques)))
    try:
        return sorted(idx, key=lambda i: uniques[i])  # type: ignore[arg-type, return-value]
    except TypeError:  # mixed types: order by text
        return sorted(idx, key=lambda i: str(uniques[i]))


def _dedupe(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for lab in labels:
        k = seen.get(lab, 0)
        seen[lab] = k + 1
        out.append(lab if k == 0 else f"{lab}#{k + 1}")
    return out
