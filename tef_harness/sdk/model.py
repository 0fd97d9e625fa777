"""The one small interface every model source is seen through.

Checks never learn whether a model came from skops, ONNX, MLflow or a predictions file;
they ask the context for predictions, and the capabilities say what else they may do.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class ArtifactInfo:
    """What the report records about the model artifact."""

    adapter: str
    path: str
    sha256: str
    description: str
    trusted: bool = False
    metadata: dict[str, str] = field(default_factory=dict)


class ModelAdapter(ABC):
    """A model as the harness sees it.

    ``scores_new_rows`` is False for a predictions-only audit: such an adapter only knows
    the evaluation rows, so checks that perturb inputs are not applicable.
    """

    info: ArtifactInfo
    #: input columns the model expects, when the artifact says so
    feature_names: tuple[str, ...] | None = None
    #: class labels in the column order of ``predict_proba``
    classes: tuple[object, ...] | None = None
    scores_new_rows: bool = True
    has_predict_proba: bool = False
    has_generate: bool = False
    has_log_likelihood: bool = False

    @abstractmethod
    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Predicted labels (classification) or values (regression), one per row."""

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Class probabilities, shape (n_rows, n_classes), columns in ``classes`` order."""
        raise NotImplementedError(f"{self.info.adapter} model has no predict_proba")

    def generate(self, prompts: Sequence[str]) -> list[str]:
        """Text continuations for text-generating models."""
        raise NotImplementedError(f"{self.info.adapter} model does not generate text")

    def log_likelihood(self, texts: Sequence[str]) -> np.ndarray:
        """Total natural-log likelihood of each text under the model (for canary exposure)."""
        raise NotImplementedError(f"{self.info.adapter} model cannot score sequences")
