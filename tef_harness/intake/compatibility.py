"""Columns whose kind of value differs from what the model's encoders were fitted on.

A sensitive column sent as 0/1 to a pipeline whose ``OneHotEncoder`` was fitted on
``'F'``/``'M'`` makes scikit-learn fail deep inside (``isnan`` on strings) with a message
naming no column, in every check that asks for predictions. The fitted encoders say, per
input column, which values they saw (``categories_`` beside ``feature_names_in_``); one
comparison of kinds (text or number) at intake turns that into one line naming the column.
Only the kind is named, never the values (they may be personal data).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from tef_harness.sdk.errors import IntakeError


def check_encoder_kinds(estimator: Any, frame: pd.DataFrame, *, file: str, sensitive: tuple[str, ...]) -> None:
    """Raise IntakeError naming the first data column whose values are numbers where the
    model's encoder saw text, or text where it saw numbers."""
    for encoder in _fitted_encoders(estimator):
        names = getattr(encoder, "feature_names_in_", None)
        categories = getattr(encoder, "categories_", None)
        if names is None or categories is None:
            continue
        for name, cats in zip(names, categories, strict=False):
            col = str(name)
            if col not in frame.columns:
                continue  # a column derived inside the pipeline
            fitted, given = _kind(np.asarray(cats)), _column_kind(frame[col])
            if fitted and given and fitted != given:
                raise IntakeError(
                    f"column {col!r} holds {given} but the model's {type(encoder).__name__} was fitted on "
                    f"{fitted}; send the column as the model saw it in training",
                    file=file,
                    field="data.sensitive" if col in sensitive else "data.features",
                )


def _fitted_encoders(est: Any, depth: int = 0) -> Iterator[Any]:
    if depth > 8 or est is None or isinstance(est, str):
        return
    if hasattr(est, "categories_"):
        yield est
    for _, step in getattr(est, "steps", None) or ():
        yield from _fitted_encoders(step, depth + 1)
    for item in getattr(est, "transformers_", None) or ():
        yield from _fitted_encoders(item[1], depth + 1)


def _kind(values: np.ndarray) -> str | None:
    present = [v for v in values.tolist() if not (isinstance(v, float) and np.isnan(v)) and v is not None]
    if not present:
        return None
    if all(isinstance(v, str) for v in present):
        return "text"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "numbers"
    return None


def _column_kind(col: pd.Series) -> str | None:
    if pd.api.types.is_bool_dtype(col):
        return None
    if pd.api.types.is_numeric_dtype(col):
        return "numbers"
    if isinstance(col.dtype, pd.CategoricalDtype):
        return _kind(np.asarray(col.cat.categories))
    return _kind(np.asarray(col.dropna().unique()))
