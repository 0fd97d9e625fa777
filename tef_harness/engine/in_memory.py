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
    from tef_harness.config.policy import load_policy_profile as load_profile
    from tef_harness.engine.binding import bind_checks, bind_model, decision_threshold, worker_count
    from tef_harness.engine.planning import make_plan
    from tef_harness.engine.registry import discover
    from tef_harness.engine.runner import Prepared, run
    from tef_harness.engine.workers import ForkWorkers
    from tef_harness.intake.build import build_context

    config = TefConfig(
        profile=profile,
        seed=seed,
        data={"target": target, "sensitive": tuple(sensitive_features)},
        plugins={"third_party": third_party, "only": tuple(only) if only is not None else None},
        checks=checks or {},
        model={"trust_artifact": True},
    )
    lc = LoadedConfig(config=config, source=None, base_dir=Path.cwd())
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
    discovery = discover(third_party=third_party)
    prof, source = load_profile(profile, lc.base_dir)
    plan = make_plan(lc, prof, discovery)
    where = "tef_harness.audit()"
    threshold, warnings = decision_threshold(plan, config.model.decision_threshold, where)
    jobs, job_warnings = worker_count(plan, config.jobs)
    context = build_context(
        eval_data=_dataset(data, "eval"),
        target=target,
        sensitive=tuple(sensitive_features),
        model=adapter,
        train=_dataset(train, "train") if train is not None else None,
        documents=documents,
        seed=seed,
        timeout_s=config.model.timeout_s,
        decision_threshold=threshold,
        workers=ForkWorkers(jobs),
    )
    bind_model(context, threshold, where)
    unbound = bind_checks(plan, context, where)  # as tef check does: bad input raises before any check
    prepared = Prepared(plan, prof, source, context, discovery, unbound, (*warnings, *job_warnings))
    report = run(lc, prepared)
    note = "the model and data were passed in memory to tef_harness.audit(); the caller vouched for them"
    return report.model_copy(update={"warnings": (*report.warnings, note)})
