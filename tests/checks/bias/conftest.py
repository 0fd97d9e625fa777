"""Fixtures for the bias checks: contexts with fixed predictions, so a test controls exactly
which rows are predicted positive and can compare every number with fairlearn."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from tef_harness.sdk.context import RunContext
from tef_harness.sdk.model import ArtifactInfo, ModelAdapter
from tef_harness.testing import make_context


class FixedPredictions(ModelAdapter):
    """A predictions-only adapter over an array aligned with the evaluation rows."""

    scores_new_rows = False

    def __init__(self, pred: np.ndarray, classes: tuple[object, ...] | None):
        self._pred = np.asarray(pred)
        self.classes = classes
        self.info = ArtifactInfo(adapter="fixed", path="<fixed>", sha256="0" * 64, description="fixed predictions")

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self._pred


MakeFixed = Callable[..., RunContext]


@pytest.fixture
def fixed_context() -> MakeFixed:
    def make(
        frame: pd.DataFrame,
        pred: np.ndarray,
        *,
        target: str | None = "y",
        sensitive: tuple[str, ...] = ("sex", "age_group"),
        task: str = "auto",
        classes: tuple[object, ...] | None = (0, 1),
        pos_label: object | None = None,
        seed: int = 0,
    ) -> RunContext:
        model = FixedPredictions(pred, classes if task != "regression" else None)
        return make_context(
            frame,
            target=target,
            sensitive=sensitive,
            model=model,
            task=task,
            pos_label=pos_label,
            seed=seed,
        )

    return make


def random_frame(n: int, seed: int, *, p_sex: float = 0.5, missing: float = 0.0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    sex = np.where(rng.uniform(size=n) < p_sex, "F", "M").astype(object)
    age = rng.choice(["18-29", "30-49", "50-64", "65+"], size=n).astype(object)
    if missing:
        sex[rng.uniform(size=n) < missing] = None
    y = rng.integers(0, 2, size=n)
    pred = rng.integers(0, 2, size=n)
    return pd.DataFrame({"sex": sex, "age_group": age, "x": rng.normal(size=n), "y": y}), pred


@pytest.fixture
def frame_factory() -> Callable[..., tuple[pd.DataFrame, np.ndarray]]:
    return random_frame
