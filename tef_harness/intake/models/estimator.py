"""Adapter for an in-memory scikit-learn-style estimator (from skops, a trusted pickle, or a
test that built one)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from tef_harness.sdk.model import ArtifactInfo, ModelAdapter


class EstimatorAdapter(ModelAdapter):
    def __init__(self, estimator: Any, info: ArtifactInfo):
        if not callable(getattr(estimator, "predict", None)):
            raise TypeError(f"{type(estimator).__name__} has no predict method")
        self.estimator = estimator
        self.info = info
        names = getattr(estimator, "feature_names_in_", None)
        self.feature_names = tuple(str(n) for n in names) if names is not None else None
        classes = getattr(estimator, "classes_", None)
        self.classes = tuple(_plain(c) for c in classes) if classes is not None else None
        self.has_predict_proba = self.classes is not None and _has_method(estimator, "predict_proba")

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return np.asarray(self.estimator.predict(X))

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        return np.asarray(self.estimator.predict_proba(X), dtype=float)


def _has_method(obj: Any, name: str) -> bool:
    # sklearn hides predict_proba behind available_if; hasattr evaluates that condition
    try:
        return callable(getattr(obj, name))
    except AttributeError:
        return False


def _plain(value: Any) -> object:
    """numpy scalars to Python scalars, so labels compare and serialise predictably."""
    return value.item() if isinstance(value, np.generic) else value
