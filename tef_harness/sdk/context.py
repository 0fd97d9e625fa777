"""RunContext: everything a check may read, and nothing it may change.

``model`` is the model client, the one door to the model: predictions on the evaluation data
are computed at most once per run and shared by every check (a model behind an endpoint or a
slow ensemble should not be asked twice), every call has a timeout, and a failed call is data. Random
streams are derived from the run seed and the check id, so a check's numbers do not depend
on which other checks ran before it.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, TypeVar

import numpy as np
import pandas as pd

from tef_harness.sdk.data import Dataset, TextDocument
from tef_harness.sdk.lookup import ResultsView
from tef_harness.sdk.model import ModelClient
from tef_harness.sdk.workers import InlineWorkers, Workers

if TYPE_CHECKING:
    from tef_harness.sdk.results import CheckResult

Task = Literal["binary", "multiclass", "regression"]
T = TypeVar("T")
R = TypeVar("R")

#: The vocabulary of ``Check.requires``; the engine marks a check not applicable, with the
#: missing names as the reason, when the context lacks any of them.
CAPABILITIES: dict[str, str] = {
    "labels": "the evaluation data has a target column",
    "predictions": "a model or a predictions file gives predictions on the evaluation rows",
    "probabilities": "class probabilities on the evaluation rows",
    "model": "a model that scores new rows (not a predictions-only audit)",
    "classification": "the task is classification",
    "binary": "the task is binary classification",
    "multiclass": "the task is multiclass classification",
    "regression": "the task is regression",
    "sensitive_features": "at least one sensitive column is declared",
    "train_sample": "a sample of the training data is given",
    "card": "a model card is given",
    "technical_documentation": "a technical-documentation file is given",
    "datasheet": "a datasheet for the training data is given",
    "generate": "the model generates text",
    "log_likelihood": "the model scores text sequences",
}


@dataclass(frozen=True, eq=False)
class RunContext:
    eval: Dataset
    target: str | None
    features: tuple[str, ...]
    sensitive: tuple[str, ...]
    task: Task | None
    seed: int
    #: the model client (never the adapter itself); None when the run has no model
    model: ModelClient | None = None
    train: Dataset | None = None
    documents: Mapping[str, TextDocument] = field(default_factory=dict)
    classes: tuple[object, ...] | None = None
    #: the class counted as positive in a binary task (scikit-learn's and fairlearn's ``pos_label``)
    pos_label: object | None = None
    #: results of checks that already ran, for checks that declare ``run_after``
    results: ResultsView = field(default_factory=lambda: ResultsView({}))
    #: the run's workers (``jobs``); a check uses them through ``map``
    workers: Workers = field(default_factory=InlineWorkers)

    # -- what is available ------------------------------------------------------------
    @property
    def capabilities(self) -> frozenset[str]:
        caps: set[str] = set()
        if self.target is not None:
            caps.add("labels")
        if self.model is not None:
            caps.add("predictions")
            if self.model.has_predict_proba and self.task in ("binary", "multiclass"):
                caps.add("probabilities")
            if self.model.scores_new_rows:
                caps.add("model")
            if self.model.has_generate:
                caps.add("generate")
            if self.model.has_log_likelihood:
                caps.add("log_likelihood")
        if self.task is not None:
            caps.add(self.task)
            if self.task in ("binary", "multiclass"):
                caps.add("classification")
        if self.sensitive:
            caps.add("sensitive_features")
        if self.train is not None:
            caps.add("train_sample")
        caps.update(role for role in self.documents if role in CAPABILITIES)
        return frozenset(caps)

    # -- data views -------------------------------------------------------------------
    @property
    def X(self) -> pd.DataFrame:
        """Model inputs of the evaluation data, in the model's column order."""
        return self.eval.frame.loc[:, list(self.features)]

    @property
    def y(self) -> np.ndarray:
        if self.target is None:
            raise LookupError("this run has no target column")
        return self.eval.frame[self.target].to_numpy()

    def y_binary(self) -> np.ndarray:
        """Labels as 0/1 with 1 = ``pos_label`` (binary tasks only)."""
        return np.asarray(self.y == self.pos_label, dtype=np.int8)

    @property
    def positive_label(self) -> object | None:
        """Deprecated name of ``pos_label``, kept read-only for plugins written against it."""
        warnings.warn(
            "RunContext.positive_label is deprecated: read RunContext.pos_label", DeprecationWarning, stacklevel=2
        )
        return self.pos_label

    @property
    def card(self) -> TextDocument | None:
        return self.documents.get("card")

    # -- predictions on the evaluation data, computed once (the client caches them) ----
    def predictions(self) -> np.ndarray:
        """Shape (n_rows,), read-only. Raises ModelCallError when the model fails on them."""
        return self._client().predict(self.X)

    def probabilities(self) -> np.ndarray:
        """Shape (n_rows, n_classes), float, columns in ``classes`` order; read-only. Raises
        ModelCallError."""
        return self._client().predict_proba(self.X)

    def positive_scores(self) -> np.ndarray:
        """P(pos_label) per row, for binary tasks."""
        if self.classes is None or self.pos_label not in self.classes:
            raise LookupError("positive class unknown for this model")
        return self.probabilities()[:, self.classes.index(self.pos_label)]

    def predicted_positive(self) -> np.ndarray:
        """Predictions as 0/1 with 1 = ``pos_label`` (binary tasks only)."""
        return np.asarray(self.predictions() == self.pos_label, dtype=np.int8)

    def _client(self) -> ModelClient:
        if self.model is None:
            raise LookupError("this run has no model or predictions")
        return self.model

    # -- parallel work, on the engine's workers ----------------------------------------
    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """``[fn(x) for x in items]`` in input order, on the run's workers (``jobs``). ``fn``
        may be a closure; items and results must be picklable. Raises what ``fn`` raises."""
        return self.workers.map(fn, items)

    # -- randomness ---------------------------------------------------------------------
    def rng(self, stream: str) -> np.random.Generator:
        """A generator seeded by the run seed and a stream name (use the check id)."""
        salt = int.from_bytes(hashlib.sha256(stream.encode()).digest()[:8], "little")
        return np.random.default_rng([self.seed, salt])

    def with_results(self, results: Mapping[str, CheckResult]) -> RunContext:
        """A view sharing data and the model client (with its cache), with prior results attached."""
        view = object.__new__(RunContext)
        for name in self.__dataclass_fields__:
            object.__setattr__(view, name, getattr(self, name))
        object.__setattr__(view, "results", ResultsView(results))
        return view
