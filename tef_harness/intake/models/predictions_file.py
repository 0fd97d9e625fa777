"""Predictions-only audits: the provider hands over predictions, not the model.

The file has one row per evaluation row, in the same order: a ``prediction`` column and,
optionally, ``proba_<class>`` columns. Checks that need to score new rows do not apply.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tef_harness.intake.hashing import sha256_file
from tef_harness.intake.tables import read_table
from tef_harness.sdk.errors import IntakeError
from tef_harness.sdk.model import ArtifactInfo, ModelAdapter

PROBA_PREFIX = "proba_"


class PredictionsAdapter(ModelAdapter):
    scores_new_rows = False

    def __init__(self, path: Path, n_eval_rows: int):
        frame = read_table(path, field="model.predictions")
        if "prediction" not in frame.columns:
            raise IntakeError("no 'prediction' column", file=path, field="model.predictions")
        if len(frame) != n_eval_rows:
            raise IntakeError(
                f"{len(frame)} rows, but the evaluation data has {n_eval_rows}; rows must align",
                file=path,
                field="model.predictions",
            )
        if frame["prediction"].isna().any():
            raise IntakeError("'prediction' has missing values", file=path, field="model.predictions")
        self._pred = frame["prediction"].to_numpy()
        proba_cols = [c for c in frame.columns if c.startswith(PROBA_PREFIX)]
        self._proba: np.ndarray | None = None
        if proba_cols:
            proba = frame[proba_cols].to_numpy(dtype=float)
            if not np.all(np.isfinite(proba)) or proba.min() < 0 or proba.max() > 1:
                raise IntakeError(
                    "probability columns must be finite and in [0, 1]", file=path, field="model.predictions"
                )
            self._proba = proba
            self.classes = tuple(_label(c.removeprefix(PROBA_PREFIX), self._pred) for c in proba_cols)
            self.has_predict_proba = True
        self.info = ArtifactInfo(
            adapter="predictions",
            path=str(path),
            sha256=sha256_file(path),
            description=f"predictions file ({len(frame)} rows, {len(proba_cols)} probability columns)",
        )

    def _check_rows(self, X: pd.DataFrame) -> None:
        if len(X) != len(self._pred):
            raise NotImplementedError("a predictions-only audit cannot score new rows")

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        self._check_rows(X)
        return self._pred

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        self._check_rows(X)
        if self._proba is None:
            raise NotImplementedError("no probability columns")
        return self._proba


def _label(text: str, predictions: np.ndarray) -> object:
    """Match a column suffix to the prediction dtype, so 'proba_1' means label 1, not '1'."""
    if predictions.dtype.kind in "iub":
        try:
            return int(text)
        except ValueError:
            return text
    return text
