"""A binary model whose scores a test sets exactly: P(class 1) is the row's column ``q``.

Shared by the tests that need a score on a boundary (an ECE bin edge, an FPR exactly on its
target), where a fitted model could not put one."""

from __future__ import annotations

import numpy as np

from tef_harness.sdk.model import ArtifactInfo, ModelAdapter


class ScoreColumn(ModelAdapter):
    """P(class 1) is the row's column ``q``; ``predict`` is ``q >= 0.5``."""

    def __init__(self) -> None:
        self.info = ArtifactInfo(adapter="fixed", path="<memory>", sha256="0" * 64, description="q")
        self.classes = (0, 1)
        self.has_predict_proba = True

    def predict(self, X):
        return (X["q"].to_numpy() >= 0.5).astype(int)

    def predict_proba(self, X):
        q = X["q"].to_numpy(dtype=float)
        return np.c_[1 - q, q]
