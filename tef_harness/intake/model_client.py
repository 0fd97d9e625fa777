"""The model client: the one door from the checks to the model (``ctx.model``).

On top of a transport (in this process or elsewhere) it validates every answer, counts the
calls that reach the model, caches the answers on the evaluation data (so no check pays for
them twice, and a model that fails on them fails once, the same way for every check), and
applies the run's decision threshold, once, for every check.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from tef_harness.intake.model_call import ModelTransport
from tef_harness.sdk.context import Task
from tef_harness.sdk.model import ModelAnswer, ModelClient, ModelMethod

#: seconds a model call may take when the config does not say (``model.timeout_s``)
DEFAULT_TIMEOUT_S = 600.0
_CACHED: frozenset[str] = frozenset({"predict", "predict_proba"})


class GuardedModelClient(ModelClient):
    """``ModelClient`` over a ``ModelTransport``.

    ``eval_X`` is the evaluation data's model inputs: a ``predict`` or ``predict_proba`` on a
    frame equal to it (same columns, index and values) is answered from the cache after the
    first call. ``decision_threshold`` (binary tasks with probabilities; the caller checks)
    makes ``predict`` answer ``pos_label`` where P(pos_label) >= threshold, else the
    other class.
    """

    def __init__(
        self,
        transport: ModelTransport,
        *,
        task: Task | None,
        eval_X: pd.DataFrame | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        decision_threshold: float | None = None,
        pos_label: object | None = None,
    ):
        d = transport.description
        self.info = d.info
        self.feature_names = d.feature_names
        self.classes = d.classes
        self.scores_new_rows = d.scores_new_rows
        self.has_predict_proba = d.has_predict_proba
        self.has_generate = d.has_generate
        self.has_log_likelihood = d.has_log_likelihood
        self.timeout_s = timeout_s
        self.decision_threshold = decision_threshold
        self._transport = transport
        self._task = task
        self._eval_X = eval_X
        self._positive = pos_label
        self._counts: Counter[str] = Counter()
        self._cache: dict[str, ModelAnswer] = {}
        self._locks = {m: threading.Lock() for m in _CACHED}
        self._count_lock = threading.Lock()

    @property
    def calls(self) -> Mapping[str, int]:
        with self._count_lock:
            return dict(self._counts)

    def call(
        self, method: ModelMethod, inputs: pd.DataFrame | Sequence[str], *, timeout_s: float | None = None
    ) -> ModelAnswer:
        timeout = self.timeout_s if timeout_s is None else timeout_s
        if method == "predict" and self.decision_threshold is not None:
            return self._thresholded(inputs, timeout)
        if method in _CACHED and self._is_eval(inputs):
            with self._locks[method]:  # a second check asking meanwhile waits for this answer
                if method not in self._cache:
                    self._cache[method] = self._fresh(method, inputs, timeout)
                return self._cache[method]
        return self._fresh(method, inputs, timeout)

    def _fresh(self, method: ModelMethod, inputs: pd.DataFrame | Sequence[str], timeout_s: float) -> ModelAnswer:
        with self._count_lock:
            self._counts[method] += 1
        raw = self._transport.invoke(method, inputs, timeout_s)
        if raw.kind != "ok":
            return raw
        value, problem = validate(method, raw.value, len(inputs), self.classes, self._task)
        if problem is not None:
            return replace(raw, kind="invalid", value=value, problem=problem)
        if isinstance(value, np.ndarray):
            value.setflags(write=False)  # shared by every check that asks
        return replace(raw, value=value)

    def _thresholded(self, inputs: pd.DataFrame | Sequence[str], timeout_s: float) -> ModelAnswer:
        proba = self.call("predict_proba", inputs, timeout_s=timeout_s)
        if not proba.ok:
            return replace(proba, method="predict")
        assert self.classes is not None and self.decision_threshold is not None  # checked in bind
        positive = self.classes.index(self._positive)
        negative = self.classes[1 - positive]
        labels = np.asarray(self.classes)  # the classes' own dtype, as predict() would give
        chosen = np.where(proba.value[:, positive] >= self.decision_threshold, positive, 1 - positive)
        value = labels[chosen]
        assert negative in labels
        value.setflags(write=False)
        return replace(proba, method="predict", value=value)

    def _is_eval(self, inputs: pd.DataFrame | Sequence[str]) -> bool:
        ref = self._eval_X
        if ref is None or not isinstance(inputs, pd.DataFrame):
            return False
        if inputs is ref:
            return True
        return (
            inputs.shape == ref.shape
            and list(inputs.columns) == list(ref.columns)
            and inputs.index.equals(ref.index)
            and bool(inputs.equals(ref))
        )


def validate(
    method: ModelMethod, value: Any, n: int, classes: tuple[object, ...] | None, task: Task | None
) -> tuple[Any, str | None]:
    """The answer in its normal form, and why it is not a valid answer for ``n`` inputs (None
    when it is): row count, shape, dtype, known classes, finiteness."""
    if method == "generate":
        texts = list(value) if isinstance(value, list | tuple | np.ndarray) else None
        if texts is None or len(texts) != n:
            return value, f"{'no list' if texts is None else len(texts)} texts for {n} prompts"
        if not all(isinstance(t, str) for t in texts):
            return texts, "non-text continuations"
        return texts, None
    try:
        arr = np.asarray(value)
    except Exception as exc:  # noqa: BLE001 - an output numpy cannot hold is invalid
        return value, f"an output numpy cannot hold ({type(exc).__name__})"
    if method == "predict_proba":
        n_classes = len(classes) if classes is not None else None
        if arr.ndim != 2 or arr.shape[0] != n or (n_classes is not None and arr.shape[1] != n_classes):
            return arr, f"probabilities of shape {arr.shape} for {n} rows"
        problem = _not_finite(arr, "probabilities")
        return (arr if problem else arr.astype(float)), problem
    if arr.ndim == 2 and arr.shape[1:] == (1,):
        arr = arr.reshape(-1)
    if arr.ndim != 1 or arr.shape[0] != n:
        what = "log-likelihoods" if method == "log_likelihood" else "predictions"
        return arr, f"{arr.shape} {what} for {n} rows"
    if method == "log_likelihood":
        problem = _not_finite(arr, "log-likelihoods", allow_neg_inf=True)
        return (arr if problem else arr.astype(float)), problem
    if task == "regression":
        return arr, _not_finite(arr, "predictions")
    if classes is not None and n:
        known = np.isin(arr.astype(object), np.asarray(classes, dtype=object))
        if not known.all():
            return arr, f"{int((~known).sum())} prediction(s) outside the model's classes"
    return arr, None


def _not_finite(arr: np.ndarray, what: str, allow_neg_inf: bool = False) -> str | None:
    """Why ``arr`` is not all finite numbers (a log-likelihood may be -inf), or None."""
    try:
        values = arr.astype(float)
    except (TypeError, ValueError):
        return f"non-numeric {what}"
    bad = np.isnan(values) | (np.isposinf(values) if allow_neg_inf else ~np.isfinite(values))
    if bad.any():
        rows = int(bad.any(axis=1).sum()) if bad.ndim == 2 else int(bad.sum())
        return f"{rows} row(s) with non-finite {what}"
    return None
