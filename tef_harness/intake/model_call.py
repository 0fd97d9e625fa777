"""Calling someone else's model safely, in this process: every call is bounded by a timeout
and every exception becomes data, so a model that crashes or hangs never takes the run down.

``ModelTransport`` is the seam between the model client (validation, caching, counting, the
decision threshold) and where the adapter runs. ``InProcessTransport`` runs it here, one
daemon thread per call. A worker-process or HTTP transport implements the same two members
(``description`` once, ``invoke`` per call, with a frame or a list of strings going out and
an array or a list of strings coming back), and no check changes.

A hung call cannot be killed from Python; in process it is left running in a daemon thread
(which does not keep the interpreter alive) and reported as a timeout. Killing it needs the
adapter in a worker process.
"""

from __future__ import annotations

import threading
import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from tef_harness.sdk.error_text import exception_text
from tef_harness.sdk.model import ArtifactInfo, ModelAdapter, ModelAnswer, ModelMethod


@dataclass(frozen=True)
class ModelDescription:
    """What the client knows about the model without calling it (crosses a process boundary
    once, at start)."""

    info: ArtifactInfo
    feature_names: tuple[str, ...] | None
    classes: tuple[object, ...] | None
    scores_new_rows: bool
    has_predict_proba: bool
    has_generate: bool
    has_log_likelihood: bool

    @classmethod
    def of(cls, adapter: ModelAdapter) -> ModelDescription:
        return cls(
            info=adapter.info,
            feature_names=adapter.feature_names,
            classes=adapter.classes,
            scores_new_rows=adapter.scores_new_rows,
            has_predict_proba=adapter.has_predict_proba,
            has_generate=adapter.has_generate,
            has_log_likelihood=adapter.has_log_likelihood,
        )


class ModelTransport(ABC):
    """Where the adapter runs. ``invoke`` returns the raw outcome (``ok`` with the value as the
    adapter returned it, ``error`` or ``timeout``); the client validates it."""

    description: ModelDescription

    @abstractmethod
    def invoke(self, method: ModelMethod, inputs: pd.DataFrame | Sequence[str], timeout_s: float) -> ModelAnswer:
        """Call ``method`` of the adapter on ``inputs``, waiting at most ``timeout_s`` seconds."""


class InProcessTransport(ModelTransport):
    """The adapter in this process; each call in its own daemon thread."""

    def __init__(self, adapter: ModelAdapter):
        self._adapter = adapter
        self.description = ModelDescription.of(adapter)

    def invoke(self, method: ModelMethod, inputs: pd.DataFrame | Sequence[str], timeout_s: float) -> ModelAnswer:
        bound = getattr(self._adapter, method)
        return call_with_timeout(lambda: bound(inputs), timeout_s, method, inputs)


def call_with_timeout(
    fn: Callable[[], object],
    timeout_s: float,
    method: ModelMethod = "predict",
    inputs: pd.DataFrame | Sequence[str] | None = None,
) -> ModelAnswer:
    """Run ``fn`` in a daemon thread; wait at most ``timeout_s`` seconds. An exception's message
    is kept masked (``sdk.error_text``), its values looked for in ``inputs``, what ``fn`` was
    called on."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - the model's failure is data
            box["error"] = exc

    # warnings the model emits are recorded instead of printed (the filter state is
    # process-wide, so a call that outlives its timeout may still print later)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        thread = threading.Thread(target=target, name=f"tef-model-{method}", daemon=True)
        thread.start()
        thread.join(timeout_s)
    emitted = tuple(sorted({w.category.__name__ for w in caught}))
    if thread.is_alive():
        return ModelAnswer(method, "timeout", warnings=emitted, timeout_s=timeout_s)
    if "error" in box:
        error = box["error"]
        assert isinstance(error, BaseException)
        return ModelAnswer(
            method,
            "error",
            error_type=type(error).__name__,
            error_message=exception_text(error, inputs) or None,
            warnings=emitted,
            timeout_s=timeout_s,
        )
    return ModelAnswer(method, "ok", value=box.get("value"), warnings=emitted, timeout_s=timeout_s)
