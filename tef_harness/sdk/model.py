"""The model as the harness sees it: two interfaces.

``ModelAdapter`` is what a model format implements (skops, ONNX, MLflow, a predictions file):
the raw calls. ``ModelClient`` is what a check sees as ``ctx.model``: the one door to an
adapter, with timeouts, failures as data, output validation, call counts and caching. Checks
never learn where the model came from or where it runs; they ask the context for predictions,
and the capabilities say what else they may do.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

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


ModelMethod = Literal["predict", "predict_proba", "generate", "log_likelihood"]
#: ``ok``: a valid answer; ``error``: the model raised; ``timeout``: no answer in time;
#: ``invalid``: an answer that is not one (wrong row count or shape, non-numeric, non-finite,
#: labels outside the model's classes)
AnswerKind = Literal["ok", "error", "timeout", "invalid"]


@dataclass(frozen=True)
class ModelAnswer:
    """One model call's outcome, as data: what a check gets instead of an exception.

    ``value`` is an array (``predict``: shape (n,); ``predict_proba``: (n, n_classes);
    ``log_likelihood``: (n,) floats) or a list of strings (``generate``), set only when
    ``kind`` is ``ok`` (or ``invalid``, for a check that wants to look at the garbage).
    ``error_type`` is the exception's class name; ``error_message`` its message on one line,
    masked before it was stored here (``sdk.error_text``: messages echo input values).
    """

    method: ModelMethod
    kind: AnswerKind
    value: Any = None
    error_type: str | None = None
    error_message: str | None = None
    #: why an ``invalid`` answer is not one
    problem: str | None = None
    #: warning classes the model emitted (recorded, never printed)
    warnings: tuple[str, ...] = ()
    #: the timeout the call ran under, in seconds
    timeout_s: float | None = None

    @property
    def ok(self) -> bool:
        return self.kind == "ok"

    def reason(self) -> str:
        """One line for a report: what went wrong with this call ('' when it went right)."""
        if self.kind == "timeout":
            return f"the model's {self.method} did not answer within {self.timeout_s:g} s"
        if self.kind == "error":
            said = f": {self.error_message}" if self.error_message else ""
            return f"the model's {self.method} raised {self.error_type or 'an error'}{said}"
        if self.kind == "invalid":
            return f"the model's {self.method} returned invalid output: {self.problem}"
        return ""


class ModelCallError(Exception):
    """A model call on which a check cannot go on (raised by ``ModelClient.predict`` and its
    siblings). The engine records the check as ``error`` with the answer's reason."""

    def __init__(self, answer: ModelAnswer):
        self.answer = answer
        super().__init__(answer.reason())


class ModelClient(ABC):
    """The one door from a check to the model (``ctx.model``).

    Every call is bounded by a timeout, never raises from the model's side (``call`` turns a
    crash, a hang or an invalid output into a ``ModelAnswer``), is validated (row count, shape,
    dtype, known classes, finiteness) and counted; answers on the evaluation data are cached,
    so no check pays for them twice. When ``decision_threshold`` is set, ``predict`` of a
    binary classifier is ``P(positive) >= threshold`` here, once, for every check.

    Checks never see the adapter behind it: the model may run in this process or in another
    one, with arrays crossing the boundary, without a check changing.
    """

    info: ArtifactInfo
    feature_names: tuple[str, ...] | None = None
    #: class labels in the column order of ``predict_proba``
    classes: tuple[object, ...] | None = None
    scores_new_rows: bool = True
    has_predict_proba: bool = False
    has_generate: bool = False
    has_log_likelihood: bool = False
    #: seconds a call may take unless the caller gives its own timeout
    timeout_s: float = 600.0
    #: binary tasks: the threshold on P(positive) that makes ``predict``'s labels
    decision_threshold: float | None = None

    @abstractmethod
    def call(
        self, method: ModelMethod, inputs: pd.DataFrame | Sequence[str], *, timeout_s: float | None = None
    ) -> ModelAnswer:
        """Call ``method`` on ``inputs`` (a frame of model inputs, or texts for ``generate``
        and ``log_likelihood``) within ``timeout_s`` (default: ``self.timeout_s``). Never
        raises for what the model does."""

    @property
    @abstractmethod
    def calls(self) -> Mapping[str, int]:
        """Calls that reached the model, by method (cache hits are not counted)."""

    def _value(self, method: ModelMethod, inputs: pd.DataFrame | Sequence[str], timeout_s: float | None) -> Any:
        answer = self.call(method, inputs, timeout_s=timeout_s)
        if not answer.ok:
            raise ModelCallError(answer)
        return answer.value

    def predict(self, X: pd.DataFrame, *, timeout_s: float | None = None) -> np.ndarray:
        """Labels (classification) or values (regression), shape (n_rows,). Raises
        ModelCallError when the model fails, hangs or answers invalidly."""
        value: np.ndarray = self._value("predict", X, timeout_s)
        return value

    def predict_proba(self, X: pd.DataFrame, *, timeout_s: float | None = None) -> np.ndarray:
        """Class probabilities, shape (n_rows, n_classes), columns in ``classes`` order.
        Raises ModelCallError."""
        value: np.ndarray = self._value("predict_proba", X, timeout_s)
        return value

    def generate(self, prompts: Sequence[str], *, timeout_s: float | None = None) -> list[str]:
        """One continuation per prompt. Raises ModelCallError."""
        value: list[str] = self._value("generate", prompts, timeout_s)
        return value

    def log_likelihood(self, texts: Sequence[str], *, timeout_s: float | None = None) -> np.ndarray:
        """Natural-log likelihood of each text, shape (n_texts,). Raises ModelCallError."""
        value: np.ndarray = self._value("log_likelihood", texts, timeout_s)
        return value
