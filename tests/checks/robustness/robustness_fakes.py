"""Misbehaving model adapters and small fitted models for the robustness tests."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pandas as pd

from tef_harness.intake.model_call import InProcessTransport
from tef_harness.sdk.context import RunContext
from tef_harness.sdk.model import ArtifactInfo, ModelAdapter

#: how long a "hung" call blocks; far above the tests' timeouts, short enough to end on its own
HANG_S = 5.0


class WrappedModel(ModelAdapter):
    """An estimator seen through the adapter interface, with hooks to misbehave."""

    def __init__(self, estimator: Any, name: str = "fake"):
        self.estimator = estimator
        self.info = ArtifactInfo(adapter="fake", path=name, sha256="0" * 64, description=name)
        self.classes = tuple(v.item() if isinstance(v, np.generic) else v for v in estimator.classes_)
        self.feature_names = tuple(estimator.feature_names_in_)
        self.has_predict_proba = True

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return np.asarray(self.estimator.predict(X))

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        return np.asarray(self.estimator.predict_proba(X), dtype=float)


def _fill_numeric(X: pd.DataFrame) -> pd.DataFrame:
    num = X.select_dtypes("number").columns
    return X.assign(**{c: X[c].fillna(0) for c in num})


def _has_nan(X: pd.DataFrame) -> bool:
    num = X.select_dtypes("number")
    return bool(num.isna().to_numpy().any())


class HangsOnNaN(WrappedModel):
    def predict(self, X: pd.DataFrame) -> np.ndarray:
        if _has_nan(X):
            threading.Event().wait(HANG_S)
        return super().predict(X)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        if _has_nan(X):
            threading.Event().wait(HANG_S)
        return super().predict_proba(X)


class GarbageOnNaN(WrappedModel):
    """Imputes nothing and raises nothing: NaN in, NaN probabilities and a made-up label out."""

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        clean = _fill_numeric(X)
        pred = super().predict(clean).astype(object)
        pred[X.select_dtypes("number").isna().any(axis=1).to_numpy()] = "???"
        return pred

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        proba = super().predict_proba(_fill_numeric(X))
        proba[X.select_dtypes("number").isna().any(axis=1).to_numpy()] = np.nan
        return proba


class Positional(WrappedModel):
    """Ignores column names: reads columns by position, and drops extra columns silently."""

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        renamed = X.iloc[:, : len(self.feature_names)].set_axis(list(self.feature_names), axis=1)
        return super().predict(renamed)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        renamed = X.iloc[:, : len(self.feature_names)].set_axis(list(self.feature_names), axis=1)
        return super().predict_proba(renamed)


class AlwaysRaises(WrappedModel):
    def predict(self, X: pd.DataFrame) -> np.ndarray:
        raise RuntimeError("boom")

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        raise RuntimeError("boom")


def imputing_estimator(frame: pd.DataFrame, target: str, features: list[str]) -> Any:
    """A pipeline that accepts missing values (median / most-frequent imputation)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    X = frame[features]
    numeric = [c for c in features if pd.api.types.is_numeric_dtype(X[c])]
    categorical = [c for c in features if c not in numeric]
    pre = ColumnTransformer(
        [
            ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
            (
                "cat",
                make_pipeline(
                    SimpleImputer(strategy="most_frequent", missing_values=np.nan),
                    OneHotEncoder(handle_unknown="ignore"),
                ),
                categorical,
            ),
        ]
    )
    return make_pipeline(pre, LogisticRegression(max_iter=500)).fit(X, frame[target])


def text_frame(n: int = 400, seed: int = 0) -> pd.DataFrame:
    """Reviews whose label follows sentiment words, with a spurious name cue: in training
    'James' and 'Maria' appear mostly in positive reviews, 'Wei' and 'Amara' in negative."""
    rng = np.random.default_rng(seed)
    pos = ["great", "excellent", "wonderful", "happy", "reliable", "friendly", "good", "fine"]
    neg = ["terrible", "awful", "broken", "rude", "slow", "disappointing", "bad", "poor"]
    rows, ys = [], []
    for _ in range(n):
        y = int(rng.integers(2))
        # a weak sentiment word in 40% of reviews leaves room for the name cue to matter
        words = rng.choice(pos if y else neg, 2) if rng.random() < 0.6 else ["okay", "average"]
        cue = ["James", "Maria"] if (y == 1) == (rng.random() < 0.85) else ["Wei", "Amara"]
        name = cue[int(rng.integers(2))]
        rows.append(f"{name} said the service was {words[0]} and really {words[1]}. Thanks!")
        ys.append(y)
    return pd.DataFrame({"text": rows, "y": ys})


def text_model(frame: pd.DataFrame) -> Any:
    from sklearn.compose import make_column_transformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    pre = make_column_transformer((TfidfVectorizer(lowercase=False), "text"))
    return make_pipeline(pre, LogisticRegression(C=10.0, max_iter=1000)).fit(frame[["text"]], frame["y"])


def adapter_of(ctx: RunContext) -> Any:
    """The adapter behind the context's model client (tests only: checks never see it)."""
    return ctx.model._transport._adapter  # type: ignore[union-attr]


def swap_adapter(ctx: RunContext, adapter: ModelAdapter) -> None:
    """Put ``adapter`` behind the context's model client, keeping the answers it cached: the
    clean predictions come from the well-behaved model, as the engine would have them, and
    every altered input meets the misbehaving one."""
    ctx.predictions()
    ctx.model._transport = InProcessTransport(adapter)  # type: ignore[union-attr]
