"""Test helpers for check authors: in-memory contexts and the plugin contract suite.

The idea is scikit-learn's ``parametrize_with_checks``: any third-party check can run the
same contract tests as the built-ins::

    import pytest
    from tef_harness.testing import assert_check_contract, discovered_check_classes

    @pytest.mark.parametrize("check_cls", discovered_check_classes(), ids=lambda c: c.id)
    def test_contract(check_cls):
        assert_check_contract(check_cls)
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tef_harness.intake.build import build_context
from tef_harness.intake.hashing import sha256_text
from tef_harness.intake.model_client import DEFAULT_TIMEOUT_S
from tef_harness.intake.models.estimator import EstimatorAdapter
from tef_harness.sdk.check import Check, metadata_problems
from tef_harness.sdk.context import RunContext
from tef_harness.sdk.data import Dataset, TextDocument
from tef_harness.sdk.model import ArtifactInfo, ModelAdapter
from tef_harness.sdk.results import CheckOutput

SAMPLE_CARD = """---
license: apache-2.0
library_name: sklearn
---
# Model Card: toy credit model

## Model Details
Developed by Example Org. Version 1.0.

## Intended Use
Ranking loan applications for manual review.

## Metrics
Accuracy and ROC AUC on a held-out set.
"""


def synthetic_frame(n: int = 400, seed: int = 0) -> pd.DataFrame:
    """A small binary-classification table with numeric, categorical, sensitive and text
    columns; the label depends on income and, weakly, on ``sex``, so group metrics differ."""
    rng = np.random.default_rng(seed)
    sex = rng.choice(["F", "M"], size=n)
    age_group = rng.choice(["18-29", "30-49", "50+"], size=n, p=[0.3, 0.5, 0.2])
    income = rng.lognormal(10, 0.4, size=n).round(2)
    debt = rng.uniform(0, 1, size=n).round(3)
    years = rng.integers(0, 30, size=n)
    region = rng.choice(["north", "south", "east"], size=n)
    logit = 1.5 * (np.log(income) - 10) / 0.4 - 2.0 * debt + 0.4 * (sex == "M") + rng.normal(0, 0.7, n)
    y = (logit > 0).astype(int)
    notes = np.where(rng.uniform(size=n) < 0.05, "call 020 7946 0018", "no remarks")
    return pd.DataFrame(
        {
            "income": income,
            "debt_ratio": debt,
            "years_employed": years,
            "region": region,
            "sex": sex,
            "age_group": age_group,
            "notes": notes,
            "y": y,
        }
    )


def fit_estimator(frame: pd.DataFrame, target: str, features: list[str] | None = None) -> Any:
    """A logistic-regression pipeline on the frame's numeric and categorical columns."""
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    X = frame[features] if features else frame.drop(columns=[target])
    numeric = [c for c in X.columns if pd.api.types.is_numeric_dtype(X[c])]
    categorical = [c for c in X.columns if c not in numeric]
    pre = ColumnTransformer(
        [
            ("num", StandardScaler(), numeric),
            ("cat", OneHotEncoder(handle_unknown="ignore"), categorical),
        ]
    )
    pipe = Pipeline([("pre", pre), ("clf", LogisticRegression(max_iter=500))])
    return pipe.fit(X, frame[target])


def memory_dataset(frame: pd.DataFrame, role: str = "eval") -> Dataset:
    try:
        digest = hashlib.sha256(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()).hexdigest()
    except (UnicodeEncodeError, TypeError):  # lone surrogates or unhashable cells in test data
        digest = hashlib.sha256(frame.to_csv().encode("utf-8", "surrogatepass")).hexdigest()
    return Dataset(role=role, path=f"<memory:{role}>", sha256=digest, frame=frame)


def estimator_adapter(estimator: Any, name: str = "<memory>") -> ModelAdapter:
    info = ArtifactInfo(adapter="estimator", path=name, sha256="0" * 64, description=type(estimator).__name__)
    return EstimatorAdapter(estimator, info)


def make_context(
    frame: pd.DataFrame | None = None,
    *,
    target: str | None = "y",
    sensitive: tuple[str, ...] = ("sex", "age_group"),
    estimator: Any | None = None,
    model: ModelAdapter | None = None,
    fit: bool = True,
    train: pd.DataFrame | None = None,
    documents: Mapping[str, str] | None = None,
    features: tuple[str, ...] | None = None,
    task: str = "auto",
    pos_label: object | None = None,
    seed: int = 0,
    timeout_s: float | None = None,
    decision_threshold: float | None = None,
) -> RunContext:
    """A RunContext without files. By default: ``synthetic_frame()`` and a logistic
    regression fitted on it (features: all but the target and ``notes``). The model sits
    behind the model client, as in a run (``timeout_s`` per call, ``decision_threshold``)."""
    if frame is None:
        frame = synthetic_frame()
    if model is None and estimator is None and fit and target is not None:
        feats = list(features) if features else [c for c in frame.columns if c not in (target, "notes")]
        estimator = fit_estimator(frame, target, feats)
    if model is None and estimator is not None:
        model = estimator_adapter(estimator)
    docs = {
        role: TextDocument(role=role, path=f"<memory:{role}>", sha256=sha256_text(text), text=text)
        for role, text in (documents or {}).items()
    }
    return build_context(
        eval_data=memory_dataset(frame),
        target=target,
        sensitive=sensitive,
        model=model,
        train=memory_dataset(train, "train") if train is not None else None,
        documents=docs,
        features=features,
        task=task,
        pos_label=pos_label,
        seed=seed,
        decision_threshold=decision_threshold,
        timeout_s=timeout_s if timeout_s is not None else DEFAULT_TIMEOUT_S,
    )


def default_contract_context() -> RunContext:
    frame = synthetic_frame(400, seed=1)
    train = synthetic_frame(300, seed=2)
    return make_context(frame, train=train, documents={"card": SAMPLE_CARD})


def assert_check_contract(check_cls: type[Check], ctx: RunContext | None = None) -> CheckOutput | None:
    """Assert the contract every check must keep; returns the output when the check ran.

    Valid metadata; default Params; ``bind`` before ``run``, as the engine calls them; a
    ``CheckOutput`` back; nothing printed; no file written in the working directory;
    the same output twice for the same seed."""
    problems = metadata_problems(check_cls)
    assert not problems, f"{getattr(check_cls, 'id', check_cls)}: " + "; ".join(problems)
    ctx = ctx or default_contract_context()
    if not check_cls.requires <= ctx.capabilities:
        return None
    check = check_cls()
    params = check_cls.Params()
    if check.bind(ctx, params) is not None:
        return None  # not applicable to this context, as the engine would report it
    out, err = io.StringIO(), io.StringIO()
    cwd = Path.cwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                first = check.run(ctx, params)
                second = check_cls().run(ctx, params)
            written = sorted(p.name for p in Path(tmp).iterdir())
        finally:
            os.chdir(cwd)
    assert isinstance(first, CheckOutput), f"{check_cls.id}.run returned {type(first).__name__}"
    assert out.getvalue() == "" and err.getvalue() == "", f"{check_cls.id} printed output"
    assert written == [], f"{check_cls.id} wrote files: {written}"
    assert first == second, f"{check_cls.id} is not deterministic for a fixed seed"
    return first


def discovered_check_classes() -> list[type[Check]]:
    """Every check class that loads from the entry-point group (failures are skipped here;
    the registry reports them)."""
    from tef_harness.engine.registry import discover

    return [p.cls for p in discover().plugins]
