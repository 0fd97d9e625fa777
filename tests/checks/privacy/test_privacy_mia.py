"""privacy.membership_inference: an overfit model is exposed, a regularised one is not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest
from sklearn.compose import make_column_transformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score, roc_curve
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from tef_harness.checks.privacy.mia import MembershipInference, roc_auc
from tef_harness.sdk.model import ArtifactInfo, ModelAdapter
from tef_harness.testing import assert_check_contract, make_context, synthetic_frame
from tests.score_column import ScoreColumn

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
    # constructed without validation: the tests use fewer resamples (0: none) than a config may
    return MembershipInference().run(ctx, MembershipInference.Params.model_construct(**params))


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
    """The expected AUC is built without the module under test: the attack score is the
    model's log-probability of the true label, read from scikit-learn's ``predict_proba``."""
    train, held_out = frames
    est = _fit("logistic", train)
    out = _run(est, train, held_out, n_boot=0)

    def log_p_true(frame: pd.DataFrame) -> np.ndarray:
        proba = est.predict_proba(frame[list(FEATURES)])
        col = np.searchsorted(est.classes_, frame["y"].to_numpy())
        return np.log(proba[np.arange(len(frame)), col])

    s = np.r_[log_p_true(train), log_p_true(held_out)]
    y = np.r_[np.ones(len(train)), np.zeros(len(held_out))]
    assert {m.name: m for m in out.metrics}["auc"].value == pytest.approx(roc_auc_score(y, s), abs=1e-12)


def _scored(q: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"q": q, "y": np.ones(len(q), dtype=int)})


def test_tpr_at_1pct_fpr_at_an_fpr_exactly_on_the_target():
    """1,000 non-members, 10 of them (FPR exactly 1%) tied at the score 0.99 with 50 members,
    100 members above them; 10 more non-members at 0.985 (FPR 2%), then 100 members at 0.98.
    TPR at FPR <= 1% is the best operating point of scikit-learn's ROC curve with FPR <= 0.01:
    (100 + 50) / 500 = 0.3 (a strict < gives 0.2; 2% FPR gives 0.5)."""
    rng = np.random.default_rng(5)
    non = np.r_[np.full(10, 0.99), np.full(10, 0.985), rng.uniform(0.05, 0.9, 980)]
    mem = np.r_[np.full(100, 0.995), np.full(50, 0.99), np.full(100, 0.98), rng.uniform(0.05, 0.9, 250)]
    ctx = make_context(_scored(non), train=_scored(mem), model=ScoreColumn(), features=("q",), sensitive=())
    out = MembershipInference().run(ctx, MembershipInference.Params.model_construct(n_boot=0))
    by = {m.name: m for m in out.metrics}

    is_member = np.r_[np.ones(500), np.zeros(1000)]
    score = np.r_[mem, non]  # P(true label) itself: a monotone transform of the log loss, same ROC
    fpr, tpr, _ = roc_curve(is_member, score, drop_intermediate=False)
    expected = tpr[fpr <= 0.01].max()
    assert expected == pytest.approx(0.3) and 0.01 in fpr
    m = by["tpr_at_fpr_1pct"]
    assert m.value == pytest.approx(expected, abs=1e-12) and m.n == 500
    assert "10 false positives of 1000" in (m.description or "")
    ref = binomtest(150, 500).proportion_ci(confidence_level=0.95, method="wilson")
    assert m.ci is not None and (m.ci.low, m.ci.high) == pytest.approx((ref.low, ref.high), abs=1e-12)
    # (eps, 0)-DP bound from the interval ends: ln(TPR low / FPR high)
    fp_ref = binomtest(10, 1000).proportion_ci(confidence_level=0.95, method="wilson")
    assert by["epsilon_lower_bound"].value == pytest.approx(np.log(ref.low / fp_ref.high), abs=1e-9)
    assert by["advantage"].value == pytest.approx(np.max(tpr - fpr), abs=1e-12)
    assert by["auc"].value == pytest.approx(roc_auc_score(is_member, score), abs=1e-12)
    assert "tpr_at_fpr_0.1pct" not in by  # 1,000 non-members give one expected false positive at 0.1%
    assert out.details["mean_score_members"] == pytest.approx(np.log(mem).mean(), abs=1e-12)
    assert out.details["mean_score_non_members"] == pytest.approx(np.log(non).mean(), abs=1e-12)


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
    out = MembershipInference().run(ctx, MembershipInference.Params.model_construct(n_boot=20))
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


def test_a_model_that_cannot_score_the_evaluation_rows_either_is_an_error_not_not_applicable(frames):
    # the model crashes on both sides (a pipeline fitted on other column types): that is the
    # model failing, which the engine records as an error with the call's reason
    from tef_harness.sdk.model import ModelCallError

    train, held_out = frames
    est = _fit("logistic", train)
    held_out = held_out.copy()
    held_out["income"] = "n/a"
    ctx = make_context(held_out, train=train.copy(), estimator=est, features=FEATURES)
    assert ctx.train is not None
    ctx.train.frame["income"] = "n/a"
    with pytest.raises(ModelCallError) as raised:
        MembershipInference().run(ctx, MembershipInference.Params())
    assert raised.value.answer.kind == "error" and raised.value.answer.method == "predict_proba"
    assert str(raised.value).startswith("the model's predict_proba raised ValueError")


def test_without_a_training_sample_the_engine_skips_it():
    ctx = make_context()
    assert not MembershipInference.requires <= ctx.capabilities


def test_contract():
    out = assert_check_contract(MembershipInference)
    assert out is not None and {"auc", "advantage"} <= {m.name for m in out.metrics}


def test_too_few_rows_unknown_attack_and_a_forced_loss_attack_without_probabilities(frames):
    train, held_out = frames
    est = _fit("logistic", train)
    few = _run(est, train.iloc[:9], held_out, n_boot=0)
    assert few.status == "insufficient_evidence"
    assert few.reason == "need at least 10 members and 10 non-members, have 9 and 3000"
    odd = _run(est, train, held_out, attack="shadow")
    assert (odd.status, odd.reason) == ("not_applicable", "unknown attack 'shadow'")
    ctx = make_context(held_out, train=train, model=_NoProba(_fit("forest", train)), features=FEATURES)
    forced = MembershipInference().run(ctx, MembershipInference.Params(attack="loss"))
    assert (forced.status, forced.reason) == (
        "not_applicable",
        "loss attack asked for but the model gives no probabilities",
    )


def test_max_rows_draws_a_seeded_sample_of_each_side(frames):
    train, held_out = frames
    est = _fit("logistic", train)
    out = _run(est, train, held_out, n_boot=0, max_rows=500)
    assert (out.details["members"], out.details["non_members"]) == (500, 500)
    assert {m.name: m for m in out.metrics}["auc"].n == 1000
    assert out == _run(est, train, held_out, n_boot=0, max_rows=500)


def test_exactly_ten_missing_columns_are_all_named():
    cols = [f"x{i}" for i in range(10)]
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(200, 10)), columns=cols).assign(y=rng.integers(0, 2, 200))
    est = LogisticRegression().fit(frame[cols], frame["y"])
    ctx = make_context(frame, train=frame.copy(), estimator=est, features=tuple(cols), sensitive=())
    assert ctx.train is not None
    for c in cols:
        del ctx.train.frame[c]
    out = MembershipInference().run(ctx, MembershipInference.Params())
    assert out.reason == "members and non-members have different columns: the training sample lacks " + ", ".join(cols)
    assert out.details["missing_in_train"] == tuple(cols)


def test_too_few_non_members_message_says_how_many_are_needed(frames):
    train, held_out = frames
    out = _run(_fit("logistic", train), train, held_out, n_boot=0)
    f = next(f for f in out.findings if f.code == "PRIV022")
    assert f.message == (
        "TPR at 0.1% FPR not reported: 3000 non-members give fewer than 10 expected false positives "
        "(about 10,000 needed)"
    )
    assert f.data == {"fpr": 0.001, "non_members": 3000, "needed": 10_000}
    assert out.details["unreliable_fpr_levels"] == ("0.1pct",)


def test_auc_of_one_class_is_nan_without_a_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(roc_auc(np.ones(5), np.arange(5.0)))
        assert np.isnan(roc_auc(np.zeros(5), np.arange(5.0)))


def test_auc_interval_is_a_stratified_bootstrap_of_the_attack_auc():
    """Scores with a known separation: the interval brackets the AUC, its width matches the
    normal approximation of the Mann-Whitney statistic (Hanley & McNeil 1982) within 25%."""
    rng = np.random.default_rng(3)
    mem, non = rng.uniform(0.3, 1.0, 400), rng.uniform(0.05, 0.9, 600)
    ctx = make_context(_scored(non), train=_scored(mem), model=ScoreColumn(), features=("q",), sensitive=())
    out = MembershipInference().run(ctx, MembershipInference.Params(n_boot=400))
    auc = {m.name: m for m in out.metrics}["auc"]
    a = roc_auc_score(np.r_[np.ones(400), np.zeros(600)], np.r_[mem, non])
    q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
    se = np.sqrt((a * (1 - a) + 399 * (q1 - a * a) + 599 * (q2 - a * a)) / (400 * 600))
    assert auc.ci is not None and auc.ci.low < a < auc.ci.high
    assert auc.ci.high - auc.ci.low == pytest.approx(2 * 1.96 * se, rel=0.25)


def test_nothing_found_at_1pct_fpr_reports_a_tpr_of_zero():
    """2% of the non-members score above every member: no threshold but 'nobody' keeps FPR
    at or below 1%, so TPR at 1% FPR is 0 of 300 (Wilson upper bound from scipy)."""
    non = np.r_[np.full(20, 0.99), np.full(980, 0.2)]
    mem = np.full(300, 0.9)
    ctx = make_context(_scored(non), train=_scored(mem), model=ScoreColumn(), features=("q",), sensitive=())
    out = MembershipInference().run(ctx, MembershipInference.Params.model_construct(n_boot=0))
    m = {m.name: m for m in out.metrics}["tpr_at_fpr_1pct"]
    ref = binomtest(0, 300).proportion_ci(confidence_level=0.95, method="wilson")
    assert m.value == 0.0 and m.ci is not None and m.ci.low == 0.0
    assert m.ci.high == pytest.approx(ref.high, abs=1e-12)
    assert "(0 false positives of 1000)" in (m.description or "")
    assert "epsilon_lower_bound" not in {m.name for m in out.metrics}  # TPR's lower bound is 0


def test_auc_bootstrap_can_draw_every_non_member():
    """Non-member 0 is the only one above the members: a resample that never draws it gives
    AUC 1 every time; with it, the interval reaches below 0.95."""
    non = np.r_[0.95, np.full(9, 0.1)]
    mem = np.full(10, 0.9)
    ctx = make_context(_scored(non), train=_scored(mem), model=ScoreColumn(), features=("q",), sensitive=())
    auc = {m.name: m for m in MembershipInference().run(ctx, MembershipInference.Params(n_boot=200)).metrics}["auc"]
    assert auc.value == pytest.approx(0.9) and auc.ci is not None and auc.ci.low < 0.95


def test_check_auc_equals_sklearn_with_string_labels_in_reverse_order(frames):
    """Labels "grant"/"deny" where 1 was "deny": scikit-learn orders the classes ("deny",
    "grant"), so the label 1 of the numeric data is now column 0. The attack score is still
    the log-probability of each row's own label, read here from ``predict_proba`` and
    ``classes_`` directly."""
    train, held_out = (f.assign(y=f["y"].map({0: "grant", 1: "deny"})) for f in frames)
    est = _fit("logistic", train)
    assert list(est.classes_) == ["deny", "grant"]
    out = _run(est, train, held_out, n_boot=0)

    def log_p_true(frame: pd.DataFrame) -> np.ndarray:
        proba = est.predict_proba(frame[list(FEATURES)])
        col = (frame["y"].to_numpy() == "grant").astype(int)
        return np.log(proba[np.arange(len(frame)), col])

    s = np.r_[log_p_true(train), log_p_true(held_out)]
    y = np.r_[np.ones(len(train)), np.zeros(len(held_out))]
    assert {m.name: m for m in out.metrics}["auc"].value == pytest.approx(roc_auc_score(y, s), abs=1e-12)
    assert out.details["mean_score_members"] == pytest.approx(log_p_true(train).mean(), abs=1e-12)


def test_loss_scores_without_declared_classes_use_the_column_index_and_unknown_labels_score_lowest():
    """A model that declares no classes: label k is column k. A label that is no column (an
    unseen class) gets probability 0, clipped to machine epsilon as scikit-learn's log_loss does."""
    from tef_harness.checks.privacy.mia import scores_from_output

    proba = np.array([[0.9, 0.1, 0.0], [0.2, 0.5, 0.3], [0.25, 0.25, 0.5], [0.6, 0.4, 0.0]])
    y = np.array([0, 1, 2, 7])
    s = scores_from_output(proba, y, None, "loss")
    eps = np.finfo(np.float64).eps
    np.testing.assert_allclose(s, np.log([0.9, 0.5, 0.5, eps]), rtol=1e-15)
    named = scores_from_output(proba, np.array(["c", "b", "a", "z"]), ("c", "b", "a"), "loss")
    np.testing.assert_allclose(named, np.log([0.9, 0.5, 0.5, eps]), rtol=1e-15)
    # a probability a rounding step left just above 1 is 1: a member's score is at most 0
    above_one = np.array([[np.nextafter(1.0, 2.0), 0.0], [0.5, 0.5]])
    assert list(scores_from_output(above_one, np.array([0, 1]), (0, 1), "loss")) == [0.0, np.log(0.5)]
    assert list(scores_from_output(np.array([1, 0, 2, 2]), np.array([1, 1, 2, 0]), None, "label")) == [1, 0, 1, 0]


def test_roc_points_equal_sklearn_roc_curve_counts():
    """False- and true-positive counts at every distinct threshold, from 'nobody' to
    'everybody', equal scikit-learn's unpruned ROC curve times the class sizes."""
    from tef_harness.checks.privacy.mia import roc_points

    rng = np.random.default_rng(12)
    for score in (rng.integers(0, 6, 300).astype(float), rng.normal(size=300), np.r_[rng.normal(size=298), 9.0, 9.0]):
        member = (rng.uniform(size=300) < 0.4).astype(float)
        fp, tp, thresholds = roc_points(member, score)
        fpr, tpr, ref_thresholds = roc_curve(member, score, drop_intermediate=False)
        np.testing.assert_array_equal(fp, np.round(fpr * (member == 0).sum()))
        np.testing.assert_array_equal(tp, np.round(tpr * member.sum()))
        np.testing.assert_array_equal(thresholds[1:], ref_thresholds[1:])
        assert (fp[-1], tp[-1]) == ((member == 0).sum(), member.sum())


def test_auc_interval_is_bca_of_the_stratified_bootstrap_with_a_block_jackknife():
    """The AUC's interval recomputed from its definition with the check's own random stream:
    each replicate resamples members and non-members apart (row weights), the acceleration
    comes from 200 random blocks of 2 rows left out in turn (400 rows), every AUC from
    scikit-learn's ``roc_auc_score`` with sample weights, combined by ``bca_interval``
    (itself equal to scipy's BCa, tests/test_stats.py). Level 0.9, not the default."""
    from tef_harness.sdk.stats import bca_interval

    rng = np.random.default_rng(13)
    mem, non = rng.uniform(0.2, 1.0, 150), rng.uniform(0.05, 0.9, 250)
    ctx = make_context(_scored(non), train=_scored(mem), model=ScoreColumn(), features=("q",), sensitive=())
    out = MembershipInference().run(ctx, MembershipInference.Params(n_boot=300, level=0.9))
    by = {m.name: m for m in out.metrics}

    draw = ctx.rng(MembershipInference.id)  # the check's stream; the sample is all rows, no draw
    is_member, score = np.r_[np.ones(150), np.zeros(250)], np.log(np.r_[mem, non])
    reps = []
    for _ in range(300):
        w = np.r_[
            np.bincount(draw.integers(0, 150, 150), minlength=150),
            np.bincount(draw.integers(0, 250, 250), minlength=250),
        ]
        reps.append(roc_auc_score(is_member, score, sample_weight=w))
    blocks = draw.permutation(np.arange(400) % 200)
    jack = [roc_auc_score(is_member, score, sample_weight=(blocks != g).astype(float)) for g in range(200)]
    auc = roc_auc_score(is_member, score)
    expected = bca_interval(auc, np.array(reps), np.array(jack), 0.9)
    assert expected is not None and by["auc"].ci is not None
    assert (by["auc"].ci.low, by["auc"].ci.high) == (
        pytest.approx(expected.low, abs=1e-12),
        pytest.approx(expected.high, abs=1e-12),
    )
    assert (by["auc"].ci.level, by["auc"].ci.method) == (0.9, "bootstrap-bca")
    # what each headline number is, for the reader: both are the attacker's success (lower is better)
    for name, source in (("auc", "0.5 = no better than guessing"), ("advantage", "(Yeom et al. 2018)")):
        m = by[name]
        assert (m.n, m.greater_is_better) == (400, False)
        assert m.description is not None and m.description.endswith(source)
    assert (by["auc"].description or "").startswith("ROC AUC of the attack")
    assert (by["advantage"].description or "").startswith("membership advantage max(TPR - FPR)")


def test_low_fpr_metrics_at_a_non_default_level_and_an_epsilon_bound_of_zero():
    """2,000 non-members, 20 of them (FPR 1%) tied with 5 members above the rest: TPR at 1% FPR is
    5/1000, its Wilson interval (level 0.9, from scipy) lies below FPR's, so the epsilon bound
    ln(TPR_low / FPR_high) is negative and reported as 0. 0.1% needs 10,000 non-members."""
    rng = np.random.default_rng(14)
    non = np.r_[np.full(20, 0.99), rng.uniform(0.05, 0.9, 1980)]
    mem = np.r_[np.full(5, 0.99), rng.uniform(0.05, 0.5, 995)]  # 5 tied with the 20, the rest low
    ctx = make_context(_scored(non), train=_scored(mem), model=ScoreColumn(), features=("q",), sensitive=())
    out = MembershipInference().run(ctx, MembershipInference.Params.model_construct(n_boot=0, level=0.9))
    by = {m.name: m for m in out.metrics}
    low_fpr = [m for m in out.metrics if m.name.startswith("tpr_at_fpr")]
    assert len(low_fpr) == 1
    tpr = low_fpr[0]
    ref = binomtest(5, 1000).proportion_ci(confidence_level=0.9, method="wilson")
    assert (tpr.value, tpr.n, tpr.greater_is_better) == (0.005, 1000, False)
    assert tpr.ci is not None and (tpr.ci.low, tpr.ci.high, tpr.ci.level) == (
        pytest.approx(ref.low, abs=1e-12),
        pytest.approx(ref.high, abs=1e-12),
        0.9,
    )
    assert tpr.description == "attack TPR at FPR <= 0.01 (20 false positives of 2000)"
    fp_ref = binomtest(20, 2000).proportion_ci(confidence_level=0.9, method="wilson")
    assert ref.low < fp_ref.high  # the premise: the bound's logarithm is negative
    eps = by["epsilon_lower_bound"]
    assert (eps.value, eps.n, eps.greater_is_better) == (0.0, 3000, False)
    assert (eps.description or "").startswith("empirical DP epsilon lower bound ln(TPR_low / FPR_high)")
    assert list(out.undefined.values()) == [
        "2000 non-members give fewer than 10 expected false positives at 0.1% FPR (about 10,000 needed)"
    ]


def test_fewer_than_1000_non_members_leave_both_low_fpr_levels_unreported():
    non, mem = np.linspace(0.05, 0.9, 900), np.linspace(0.1, 0.95, 900)
    ctx = make_context(_scored(non), train=_scored(mem), model=ScoreColumn(), features=("q",), sensitive=())
    out = MembershipInference().run(ctx, MembershipInference.Params.model_construct(n_boot=0))
    assert list(out.details["unreliable_fpr_levels"]) == ["1pct", "0.1pct"]
    assert [f.data["needed"] for f in out.findings if f.code == "PRIV022"] == [1000, 10_000]
    assert len(out.undefined) == 2 and not any(m.name.startswith("tpr_at_fpr") for m in out.metrics)
    assert "epsilon_lower_bound" not in {m.name for m in out.metrics}


def test_max_rows_draws_distinct_rows_and_a_side_of_exactly_max_rows_is_not_drawn(frames):
    """The member sample is ``max_rows`` distinct rows drawn first from the check's stream
    (recomputed here with ``Generator.choice`` without replacement); a side with exactly
    ``max_rows`` rows is taken whole, drawing nothing, so the result equals a larger cap's."""
    train, held_out = frames
    est = _fit("logistic", train)
    ctx = make_context(held_out, train=train, estimator=est, features=FEATURES)
    out = MembershipInference().run(ctx, MembershipInference.Params.model_construct(n_boot=0, max_rows=500))
    rows = np.sort(ctx.rng(MembershipInference.id).choice(3000, size=500, replace=False))
    picked = train.iloc[rows]
    proba = est.predict_proba(picked[list(FEATURES)])
    expected = np.log(proba[np.arange(500), np.searchsorted(est.classes_, picked["y"].to_numpy())]).mean()
    assert out.details["mean_score_members"] == pytest.approx(expected, abs=1e-12)
    whole = _run(est, train, held_out, n_boot=20, max_rows=3000)
    assert whole == _run(est, train, held_out, n_boot=20, max_rows=20_000)


def test_more_than_ten_missing_columns_name_ten_and_count_the_rest_and_the_attack_is_named():
    cols = [f"x{i}" for i in range(12)]
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(200, 12)), columns=cols).assign(y=rng.integers(0, 2, 200))
    est = LogisticRegression().fit(frame[cols], frame["y"])
    ctx = make_context(frame, train=frame.copy(), estimator=est, features=tuple(cols), sensitive=())
    full = MembershipInference().run(ctx, MembershipInference.Params.model_construct(n_boot=0))
    assert full.details["attack"] == "loss-threshold" and not any(f.code == "PRIV021" for f in full.findings)
    assert ctx.train is not None
    for c in cols:
        del ctx.train.frame[c]
    out = MembershipInference().run(ctx, MembershipInference.Params())
    assert out.reason == (
        "members and non-members have different columns: the training sample lacks "
        + ", ".join(cols[:10])
        + " (+2 more)"
    )


def test_label_only_attack_says_what_it_can_miss(frames):
    train, held_out = frames
    ctx = make_context(held_out, train=train, model=_NoProba(_fit("logistic", train)), features=FEATURES)
    out = MembershipInference().run(ctx, MembershipInference.Params.model_construct(n_boot=0))
    assert out.details["attack"] == "label-only"
    assert [f.message for f in out.findings if f.code == "PRIV021"] == [
        "the model gives no probabilities: label-only attack (correct vs wrong prediction), "
        "which can only detect overfitting visible in accuracy; a loss attack may find more"
    ]


def test_roc_view_is_the_best_tpr_at_each_grid_fpr_from_sklearn_roc_curve():
    """The ROC view at each grid FPR x: the highest TPR of a threshold whose FPR is at most x,
    read off scikit-learn's unpruned ROC curve; a grid FPR exactly on a curve point takes that
    point (coarse scores: many ties, so the curve has few points and the grid falls between)."""
    from tef_harness.checks.privacy.mia import ROC_GRID, roc_points, roc_view

    rng = np.random.default_rng(3)
    for score in (rng.integers(0, 8, 400).astype(float), rng.normal(size=400)):
        member = (rng.uniform(size=400) < 0.5).astype(float)
        fp, tp, _ = roc_points(member, score)
        n_non, n_mem = (member == 0).sum(), member.sum()
        view = roc_view(fp / n_non, tp / n_mem)
        ref_fpr, ref_tpr, _ = roc_curve(member, score, drop_intermediate=False)
        expected = [(float(x), float(ref_tpr[ref_fpr <= x].max())) for x in ROC_GRID]
        assert [(p.x, p.y) for p in view.points] == [(x, pytest.approx(y, abs=1e-12)) for x, y in expected]
        assert (view.measure, view.series, view.x_label, view.y_label) == (
            "tpr", "attack", "false-positive rate", "true-positive rate",
        )  # fmt: skip
    # a grid FPR that is exactly a curve point's FPR takes that point, not the one before
    fpr, tpr = np.array([0.0, ROC_GRID[20], 1.0]), np.array([0.0, 0.5, 1.0])
    on_grid = {p.x: p.y for p in roc_view(fpr, tpr).points}
    assert on_grid[float(ROC_GRID[20])] == 0.5 and on_grid[float(ROC_GRID[19])] == 0.0


def test_the_check_reports_its_roc_view_on_the_attack_scores(frames):
    """The check's view is the ROC of the attack it ran: members (the training sample) against
    non-members, scored by the model's log-probability of the true label (sklearn's own)."""
    train, held_out = frames
    est = _fit("logistic", train)
    (view,) = _run(est, train, held_out, n_boot=0).views

    def log_p_true(frame: pd.DataFrame) -> np.ndarray:
        proba = est.predict_proba(frame[list(FEATURES)])
        return np.log(proba[np.arange(len(frame)), np.searchsorted(est.classes_, frame["y"].to_numpy())])

    score = np.r_[log_p_true(train), log_p_true(held_out)]
    ref_fpr, ref_tpr, _ = roc_curve(np.r_[np.ones(len(train)), np.zeros(len(held_out))], score, drop_intermediate=False)
    assert len(view.points) == 41 and view.title.startswith("Membership inference")
    expected = [float(ref_tpr[ref_fpr <= p.x].max()) for p in view.points]
    assert [p.y for p in view.points] == pytest.approx(expected, abs=1e-12)


def test_every_metric_says_its_unit(frames):
    """AUC a score, the advantage a difference of two rates, TPR at a low FPR a rate, the
    epsilon lower bound in nats (a natural log of a ratio of probabilities)."""
    train, held_out = frames
    out = _run(_fit("forest", train), train, held_out, n_boot=0)
    units = {m.name: m.unit for m in out.metrics}
    assert {"auc", "advantage", "tpr_at_fpr_1pct", "epsilon_lower_bound"} <= set(units), units
    expected = {"auc": "score", "advantage": "difference", "epsilon_lower_bound": "nats"}
    assert units == expected | {k: "rate" for k in units if k.startswith("tpr_at_fpr_")}


def test_exactly_eleven_missing_columns_name_ten_and_one_more():
    cols = [f"x{i}" for i in range(11)]
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(rng.normal(size=(200, 11)), columns=cols).assign(y=rng.integers(0, 2, 200))
    est = LogisticRegression().fit(frame[cols], frame["y"])
    ctx = make_context(frame, train=frame.copy(), estimator=est, features=tuple(cols), sensitive=())
    assert ctx.train is not None
    for c in cols:  # intake refuses such a sample; the check still says what is missing
        del ctx.train.frame[c]
    out = MembershipInference().run(ctx, MembershipInference.Params.model_construct(n_boot=0))
    assert out.reason == (
        "members and non-members have different columns: the training sample lacks "
        + ", ".join(cols[:10])
        + " (+1 more)"
    )
