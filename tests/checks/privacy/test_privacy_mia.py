"""privacy.membership_inference: an overfit model is exposed, a regularised one is not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.compose import make_column_transformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from tef_harness.checks.privacy.mia import MembershipInference, roc_auc
from tef_harness.sdk.model import ArtifactInfo, ModelAdapter
from tef_harness.testing import assert_check_contract, estimator_adapter, make_context, synthetic_frame

FEATURES = ("income", "debt_ratio", "years_employed", "region", "sex", "age_group")
CATEGORICAL = ["region", "sex", "age_group"]
NUMERIC = ["income", "debt_ratio", "years_employed"]


def _fit(kind: str, train: pd.DataFrame):
    if kind == "forest":
        pre = make_column_transformer((OneHotEncoder(handle_unknown="ignore"), CATEGORICAL), remainder="passthrough")
        clf = RandomForestClassifier(n_estimators=60, random_state=0)  # fully grown trees
    else:
        pre = make_column_transformer(
            (OneHotEncoder(handle_unknown="ignore"), CATEGORICAL), (StandardScaler(), NUMERIC)
        )
        clf = LogisticRegression(C=0.1, max_iter=500)
    return make_pipeline(pre, clf).fit(train[list(FEATURES)], train["y"])


@pytest.fixture(scope="module")
def frames():
    train = synthetic_frame(3000, seed=21)
    # flip a share of labels so a memorising model has something to memorise
    rng = np.random.default_rng(0)
    flip = rng.uniform(size=len(train)) < 0.15
    train.loc[flip, "y"] = 1 - train.loc[flip, "y"]
    held_out = synthetic_frame(3000, seed=22)
    flip = rng.uniform(size=len(held_out)) < 0.15
    held_out.loc[flip, "y"] = 1 - held_out.loc[flip, "y"]
    return train, held_out


def _run(estimator, train, held_out, **params):
    ctx = make_context(held_out, train=train, estimator=estimator, features=FEATURES)
    return MembershipInference().run(ctx, MembershipInference.Params(**params))


@pytest.mark.slow
def test_overfit_forest_is_flagged_and_regularised_logistic_is_not(frames):
    train, held_out = frames
    forest = {m.name: m for m in _run(_fit("forest", train), train, held_out).metrics}
    logistic = {m.name: m for m in _run(_fit("logistic", train), train, held_out).metrics}
    # the policy gate a config would apply: AUC lower bound > 0.55 means leak
    assert forest["auc"].ci is not None and forest["auc"].ci.low > 0.55
    assert logistic["auc"].ci is not None and logistic["auc"].ci.low <= 0.55
    assert forest["advantage"].value > logistic["advantage"].value
    assert forest["auc"].n == 6000


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 1), st.sampled_from([0.0, 0.1, 0.5, 0.5, 0.9, 1.0, -3.0])), min_size=2, max_size=80
    )
)
def test_auc_equals_sklearn(pairs):
    labels = np.array([p[0] for p in pairs], dtype=float)
    scores = np.array([p[1] for p in pairs])
    if labels.min() == labels.max():
        return
    assert roc_auc(labels, scores) == pytest.approx(roc_auc_score(labels, scores), abs=1e-12)


def test_check_auc_equals_sklearn_on_the_attack_scores(frames):
    from tef_harness.checks.privacy.mia import attack_scores

    train, held_out = frames
    est = _fit("logistic", train)
    model = estimator_adapter(est)
    out = _run(est, train, held_out, n_boot=0)
    s = np.r_[
        attack_scores(model, train[list(FEATURES)], train["y"].to_numpy(), model.classes, "loss"),
        attack_scores(model, held_out[list(FEATURES)], held_out["y"].to_numpy(), model.classes, "loss"),
    ]
    y = np.r_[np.ones(len(train)), np.zeros(len(held_out))]
    assert {m.name: m for m in out.metrics}["auc"].value == pytest.approx(roc_auc_score(y, s), abs=1e-12)


def test_too_few_non_members_for_low_fpr(frames):
    train, held_out = frames
    out = _run(_fit("logistic", train), train, held_out, n_boot=20)
    names = {m.name for m in out.metrics}
    assert "tpr_at_fpr_1pct" in names and "tpr_at_fpr_0.1pct" not in names
    f = next(f for f in out.findings if f.code == "PRIV022")
    assert f.data["needed"] == 10_000 and "0.1%" in f.message


class _NoProba(ModelAdapter):
    """A classifier that only gives labels."""

    def __init__(self, est):
        self._est = est
        self.info = ArtifactInfo(adapter="labels-only", path="<memory>", sha256="0" * 64, description="labels")
        self.classes = tuple(est.classes_)

    def predict(self, X):
        return self._est.predict(X)


def test_label_only_attack_without_probabilities(frames):
    train, held_out = frames
    model = _NoProba(_fit("forest", train))
    ctx = make_context(held_out, train=train, model=model, features=FEATURES)
    assert "probabilities" not in ctx.capabilities
    out = MembershipInference().run(ctx, MembershipInference.Params(n_boot=20))
    assert out.details["attack"] == "label-only"
    assert any(f.code == "PRIV021" for f in out.findings)
    assert {m.name: m for m in out.metrics}["auc"].value > 0.55  # the forest is perfect on its training rows


def test_members_with_different_columns_is_not_applicable(frames):
    train, held_out = frames
    est = _fit("logistic", train)
    # the intake refuses such a sample (IntakeError); the check stays safe if handed one anyway
    ctx = make_context(held_out, train=train.copy(), estimator=est, features=FEATURES)
    assert ctx.train is not None
    del ctx.train.frame["income"], ctx.train.frame["region"]
    out = MembershipInference().run(ctx, MembershipInference.Params())
    assert out.status == "not_applicable"
    assert out.reason and "income" in out.reason and "region" in out.reason


def test_members_with_unscorable_values_is_not_applicable(frames):
    train, held_out = frames
    est = _fit("logistic", train)
    ctx = make_context(held_out, train=train.copy(), estimator=est, features=FEATURES)
    assert ctx.train is not None
    ctx.train.frame["income"] = "n/a"
    out = MembershipInference().run(ctx, MembershipInference.Params())
    assert out.status == "not_applicable" and out.reason and "cannot score" in out.reason


def test_without_a_training_sample_the_engine_skips_it():
    ctx = make_context()
    assert not MembershipInference.requires <= ctx.capabilities


def test_contract():
    out = assert_check_contract(MembershipInference)
    assert out is not None and {"auc", "advantage"} <= {m.name for m in out.metrics}
