"""The feature domain: which inputs may be perturbed, and which values are valid.

Declared in the config (``params.schema``) or inferred from the evaluation data; either way
the resolved domain is shown in the report, so a reader can see what "a valid row" meant.
A declared schema is validated against the data: a column the data lacks, bounds the data
already violates, or levels that miss observed values are configuration errors.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Literal, Self

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_validator

from tef_harness.api import ConfigError
from tef_harness.checks.robustness.free_text import is_free_text
from tef_harness.sdk.masking import redact_str

#: "text": free text (sentences), left unchanged by the tabular families (see ``free_text``)
Kind = Literal["numeric", "categorical", "text", "other"]


class FeatureSpec(BaseModel):
    """What the config may say about one model input. Unset fields are inferred."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: never perturbed (e.g. age, a protected attribute, an identifier)
    immutable: bool = False
    #: values are whole numbers; perturbed values are rounded
    integer: bool | None = None
    min: Annotated[float, Field(allow_inf_nan=False)] | None = None
    max: Annotated[float, Field(allow_inf_nan=False)] | None = None
    #: valid levels of a categorical feature (makes the feature categorical)
    levels: tuple[str, ...] | None = None
    #: the column holds free text (True) or categories (False); None = inferred. Free text is
    #: not perturbed by the tabular families (robustness.text_invariance edits text)
    text: bool | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} > max {self.max}")
        if self.levels is not None and (self.min is not None or self.max is not None or self.integer):
            raise ValueError("a feature with levels is categorical: drop min/max/integer")
        if self.levels is not None and len(set(self.levels)) != len(self.levels):
            raise ValueError("levels must be unique")
        if self.text and (self.levels is not None or self.min is not None or self.max is not None or self.integer):
            raise ValueError("a free-text feature has no levels, min, max or integer")
        return self


#: inferred levels shown in the report at most: a column with more distinct values is more
#: often an identifier or contact column (phone numbers, customer names) than a category,
#: and its values are personal data the masking door cannot always recognise (a phone
#: number that is not a valid one); the report gives their number instead
MAX_LISTED_LEVELS = 20
#: an inferred level observed fewer times than this is not listed (small-cell suppression,
#: the threshold rule of statistical disclosure control; k-anonymity's k, Sweeney 2002): a
#: category seen once or twice is often a person's name typed in the wrong column, and a
#: rare level picks out the few rows that hold it. The report gives how many were withheld
MIN_LISTED_COUNT = 5


@dataclass(frozen=True)
class FeatureDomain:
    name: str
    kind: Kind
    immutable: bool
    integer: bool
    lo: float
    hi: float
    #: a typical scale (standard deviation) for noise; 1.0 when the data give none
    spread: float
    levels: tuple[str, ...] = ()
    #: observed frequency of each level (same order), for frequency-weighted swaps
    level_probs: tuple[float, ...] = ()
    #: how many rows hold each level (same order); only used to suppress rare inferred levels
    level_counts: tuple[int, ...] = ()
    source: Literal["declared", "inferred"] = "inferred"

    @property
    def mutable_numeric(self) -> bool:
        return self.kind == "numeric" and not self.immutable

    @property
    def mutable_categorical(self) -> bool:
        return self.kind == "categorical" and not self.immutable and len(self.levels) > 1

    @property
    def withheld_levels(self) -> frozenset[str]:
        """The inferred levels the report does not show (seen fewer than MIN_LISTED_COUNT times)."""
        if self.kind != "categorical" or self.source == "declared":
            return frozenset()
        counts = self.level_counts or (0,) * len(self.levels)
        return frozenset(lv for lv, n in zip(self.levels, counts, strict=True) if n < MIN_LISTED_COUNT)

    def to_json(self) -> dict[str, JsonValue]:
        out: dict[str, JsonValue] = {"kind": self.kind, "immutable": self.immutable, "source": self.source}
        if self.kind == "numeric":
            out.update(integer=self.integer, min=self.lo, max=self.hi, spread=self.spread)
        elif self.kind == "categorical":
            out["n_levels"] = len(self.levels)
            if self.source == "declared":
                out["levels"] = list(self.levels)
            elif len(self.levels) <= MAX_LISTED_LEVELS:
                withheld = self.withheld_levels
                listed: list[JsonValue] = [redact_str(level) for level in self.levels if level not in withheld]
                out["levels"] = listed
                out["n_levels_withheld"] = len(self.levels) - len(listed)
            else:
                out["n_levels_withheld"] = len(self.levels)
        return out


@dataclass(frozen=True)
class Domain:
    features: tuple[FeatureDomain, ...]

    def __getitem__(self, name: str) -> FeatureDomain:
        return next(f for f in self.features if f.name == name)

    @property
    def mutable_numeric(self) -> tuple[FeatureDomain, ...]:
        return tuple(f for f in self.features if f.mutable_numeric)

    @property
    def mutable_categorical(self) -> tuple[FeatureDomain, ...]:
        return tuple(f for f in self.features if f.mutable_categorical)

    @property
    def has_mutable(self) -> bool:
        return bool(self.mutable_numeric or self.mutable_categorical)

    @property
    def text(self) -> tuple[FeatureDomain, ...]:
        return tuple(f for f in self.features if f.kind == "text")

    def to_json(self) -> dict[str, JsonValue]:
        return {f.name: f.to_json() for f in self.features}

    def violations(
        self,
        frame: pd.DataFrame,
        reference: pd.DataFrame,
        *,
        allow_missing: bool = False,
        allow_out_of_range: bool = False,
    ) -> list[str]:
        """Why rows of ``frame`` are not valid perturbations of ``reference`` (same index)."""
        problems: list[str] = []
        for f in self.features:
            col, ref = frame[f.name], reference[f.name]
            missing = col.isna().to_numpy()
            if f.immutable or f.kind in ("other", "text"):
                same = (col.to_numpy(dtype=object) == ref.to_numpy(dtype=object)) | (missing & ref.isna().to_numpy())
                if not same.all():
                    problems.append(f"{f.name}: immutable feature changed")
                continue
            if missing.any() and not allow_missing and not ref.isna().to_numpy()[missing].all():
                problems.append(f"{f.name}: missing values introduced")
            present = col[~missing]
            if f.kind == "numeric":
                values = present.to_numpy(dtype=float)
                if f.integer and not np.all(values == np.round(values)):
                    problems.append(f"{f.name}: non-integer values")
                if not allow_out_of_range and ((values < f.lo) | (values > f.hi)).any():
                    problems.append(f"{f.name}: values outside [{f.lo}, {f.hi}]")
            else:
                if not present.astype(str).isin(f.levels).all():
                    problems.append(f"{f.name}: values outside the declared levels")
        return problems


def resolve_domain(
    X: pd.DataFrame,
    declared: Mapping[str, FeatureSpec],
    *,
    field: str,
    immutable_by_default: tuple[str, ...] = (),
) -> Domain:
    """Merge the declared schema with what the data show. ``field`` is the schema's path
    relative to the check's params (``schema``), for errors: call this in ``bind`` first, where
    a ConfigError is expected and the engine prefixes the rest of the path."""
    unknown = [name for name in declared if name not in X.columns]
    if unknown:
        raise ConfigError(
            f"schema names column(s) the model inputs lack: {', '.join(sorted(unknown)[:8])}",
            field=f"{field}.{sorted(unknown)[0]}",
        )
    features = []
    for name in X.columns:
        spec = declared.get(name)
        immutable = spec.immutable if spec is not None else name in immutable_by_default
        features.append(_resolve_one(str(name), X[name], spec, immutable, f"{field}.{name}"))
    return Domain(tuple(features))


def _resolve_one(name: str, col: pd.Series, spec: FeatureSpec | None, immutable: bool, field: str) -> FeatureDomain:
    source: Literal["declared", "inferred"] = "declared" if spec is not None else "inferred"
    present = col.dropna()
    is_numeric = pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)
    declared_levels = spec.levels if spec is not None else None
    declared_text = spec.text if spec is not None else None
    if declared_text:
        if is_numeric:
            raise ConfigError("a numeric column cannot be free text", field=f"{field}.text")
        return FeatureDomain(name, "text", immutable, False, math.nan, math.nan, 1.0, source=source)
    if declared_text is None and declared_levels is None and not is_numeric and is_free_text(col):
        return FeatureDomain(name, "text", immutable, False, math.nan, math.nan, 1.0, source=source)
    if declared_levels is not None or not is_numeric:
        if declared_levels is not None:
            if is_numeric:
                raise ConfigError(
                    "levels apply to text columns; declare a numeric column with min/max/integer or immutable",
                    field=f"{field}.levels",
                )
            levels = declared_levels
            observed = present.astype(str)
            stray = int((~observed.isin(levels)).sum())
            if stray:
                raise ConfigError(
                    f"{stray} value(s) in the data are not among the declared levels", field=f"{field}.levels"
                )
        else:
            if not (
                pd.api.types.is_object_dtype(col)
                or pd.api.types.is_string_dtype(col)
                or isinstance(col.dtype, pd.CategoricalDtype)
            ) or pd.api.types.is_bool_dtype(col):
                return FeatureDomain(name, "other", True, False, math.nan, math.nan, 1.0, source=source)
            if spec is not None and (spec.min is not None or spec.max is not None or spec.integer):
                raise ConfigError("a non-numeric column cannot have min/max/integer", field=field)
            levels = tuple(sorted(present.astype(str).unique()))
        counts = present.astype(str).value_counts()
        freq = np.array([counts.get(level, 0) for level in levels], dtype=float) + 0.5  # unseen levels stay possible
        probs = tuple(float(p) for p in freq / freq.sum())
        level_counts = tuple(int(counts.get(level, 0)) for level in levels)
        return FeatureDomain(
            name, "categorical", immutable, False, math.nan, math.nan, 1.0, levels, probs, level_counts, source
        )
    values = present.to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    obs_lo = float(finite.min()) if finite.size else 0.0
    obs_hi = float(finite.max()) if finite.size else 0.0
    observed_integer = bool(pd.api.types.is_integer_dtype(col) or (finite.size and np.all(finite == np.round(finite))))
    integer = observed_integer if spec is None or spec.integer is None else spec.integer
    if spec is not None and spec.integer and not observed_integer:
        raise ConfigError("declared integer but the data hold non-integer values", field=f"{field}.integer")
    lo = obs_lo if spec is None or spec.min is None else float(spec.min)
    hi = obs_hi if spec is None or spec.max is None else float(spec.max)
    if finite.size and (obs_lo < lo or obs_hi > hi):
        raise ConfigError(f"the data hold values outside the declared range [{lo:g}, {hi:g}]", field=field)
    std = float(np.std(finite)) if finite.size > 1 else 0.0
    spread = std if std > 0 else (hi - lo if hi > lo else 1.0)
    return FeatureDomain(name, "numeric", immutable, integer, lo, hi, spread, source=source)
