"""``tef_harness.audit(...)``: a conformity report for objects already in memory (a notebook).

The CLI's intake exists because model files are untrusted; here the caller hands over a live
estimator and a DataFrame and vouches for them, so nothing is loaded from disk except the
model card. The report records that: the model is marked trusted, its path says it came from
memory, and a warning names the function. Digests are still computed (the model's pickle
bytes, the frame's row hashes), so two audits of the same objects share a run id.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tef_harness.config.schema import LoadedConfig, TefConfig
from tef_harness.intake.documents import read_document
from tef_harness.intake.models.estimator import EstimatorAdapter
from tef_harness.reports.schema import ConformityReport
from tef_harness.sdk.data import Dataset, TextDocument
from tef_harness.sdk.model import ArtifactInfo, ModelAdapter

IN_MEMORY = "(in memory)"


class _CallableModel:
    """A function ``f(X) -> labels`` seen as an estimator with ``predict`` only."""

    def __init__(self, fn: Callable[[pd.DataFrame], Any]):
        self.fn = fn

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return np.asarray(self.fn(X))


def _model_digest(model: object) -> str:
    try:
        return hashlib.sha256(pickle.dumps(model)).hexdigest()
    except Exception:  # noqa: BLE001 - an unpicklable model still gets a (weaker) identity
        return hashlib.sha256(f"{type(model).__module__}.{type(model).__qualname__}".encode()).hexdigest()


def _frame_digest(frame: pd.DataFrame) -> str:
    h = hashlib.sha256("\0".join(map(str, frame.columns)).encode())
    h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return h.hexdigest()


def _dataset(frame: pd.DataFrame, role: str) -> Dataset:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{role} data must be a pandas DataFrame, got {type(frame).__name__}")
    return Dataset(role=role, path=f"{IN_MEMORY} DataFrame", sha256=_frame_digest(frame), frame=frame)


def audit(
    *,
    model: Any,
    data: pd.DataFrame,
    target: str | None = None,
    sensitive_features: Sequence[str] = (),
    card: str | Path | None = None,
    train: pd.DataFrame | None = None,
    profile: str = "default",
    only: Sequence[str] | None = None,
    third_party: bool = True,
    seed: int = 0,
    checks: dict[str, Any] | None = None,
) -> ConformityReport:
    """Run every applicable check on a live estimator (``predict``, optionally
    ``predict_proba``) or a function ``f(X) -> labels``, and the evaluation DataFrame.

    ``checks`` takes the same per-check settings as ``[checks."id"]`` in tef.toml (params,
    thresholds). Raises ``TefError`` for a bad card or config, ``TypeError`` for a model
    without ``predict`` or data that is not a DataFrame.
    """
    from tef_harness.engine.audit import AuditSpec, run_audit
    from tef_harness.intake.build import build_context
    from tef_harness.sdk.context import RunContext
    from tef_harness.sdk.workers import Workers

    config = TefConfig(
        profile=profile,
        seed=seed,
        data={"target": target, "sensitive": tuple(sensitive_features)},
        plugins={"third_party": third_party, "only": tuple(only) if only is not None else None},
        checks=checks or {},
        model={"trust_artifact": True},
    )
    # the source names this function in error messages, where a config file would be named
    spec = AuditSpec(config=config, source="tef_harness.audit()", base_dir=Path.cwd())
    estimator = model
    if not callable(getattr(model, "predict", None)) and callable(model):
        estimator = _CallableModel(model)
    info = ArtifactInfo(
        adapter="in-memory",
        path=f"{IN_MEMORY} {type(model).__module__}.{type(model).__qualname__}",
        sha256=_model_digest(model),
        description=type(model).__name__,
        trusted=True,
    )
    adapter: ModelAdapter = EstimatorAdapter(estimator, info)
    documents: dict[str, TextDocument] = {}
    if card is not None:
        documents["card"] = read_document(Path(card), role="card", field="card")
    eval_data = _dataset(data, "eval")
    train_data = _dataset(train, "train") if train is not None else None

    def intake(lc: LoadedConfig, threshold: float | None, workers: Workers) -> RunContext:
        """The objects handed over, instead of the files a config would name."""
        return build_context(
            eval_data=eval_data,
            target=target,
            sensitive=tuple(sensitive_features),
            model=adapter,
            train=train_data,
            documents=documents,
            seed=seed,
            timeout_s=config.model.timeout_s,
            decision_threshold=threshold,
            workers=workers,
        )

    # as tef check does: plan, bind (a bad input raises before any check), run, judge
    report = run_audit(spec, intake=intake)
    note = "the model and data were passed in memory to tef_harness.audit(); the caller vouched for them"
    return report.model_copy(update={"warnings": (*report.warnings, note)})
