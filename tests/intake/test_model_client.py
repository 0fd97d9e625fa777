"""The model client: timeouts, failures as data, output validation, call counts, the cache on
the evaluation data, and the run's decision threshold."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tef_harness.config.policy import load_policy_profile
from tef_harness.config.schema import LoadedConfig, TefConfig
from tef_harness.engine.binding import bind_model, decision_threshold
from tef_harness.engine.planning import make_plan
from tef_harness.engine.registry import discover
from tef_harness.intake.model_call import InProcessTransport
from tef_harness.intake.model_client import GuardedModelClient
from tef_harness.sdk.errors import ConfigError
from tef_harness.sdk.model import ArtifactInfo, ModelAdapter, ModelCallError
from tef_harness.testing import fit_estimator, make_context, synthetic_frame

INFO = ArtifactInfo(adapter="test", path="<memory>", sha256="0" * 64, description="test double")


class Scripted(ModelAdapter):
    """Answers what it is told to, and counts the calls that reach it."""

    def __init__(self, predict=None, proba=None, classes=(0, 1), sleep_s=0.0):
        self.info = INFO
        self.classes = classes
        self.has_predict_proba = proba is not None
        self._predict, self._proba, self._sleep = predict, proba, sleep_s
        self.reached = 0

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        self.reached += 1
        time.sleep(self._sleep)
        return self._predict(X)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        self.reached += 1
        return self._proba(X)


def client(adapter: ModelAdapter, X: pd.DataFrame | None = None, task="binary", **kw) -> GuardedModelClient:
    return GuardedModelClient(InProcessTransport(adapter), task=task, eval_X=X, **kw)


X = pd.DataFrame({"a": np.arange(6.0), "b": list("xyzxyz")})


@pytest.mark.parametrize(
    ("predict", "task", "problem"),
    [
        (lambda X: np.zeros(len(X) - 1, dtype=int), "binary", "(5,) predictions for 6 rows"),
        (lambda X: np.zeros((len(X), 2)), "binary", "(6, 2) predictions for 6 rows"),
        (lambda X: np.full(len(X), 7), "binary", "6 prediction(s) outside the model's classes"),
        (lambda X: np.r_[np.nan, np.ones(len(X) - 1)], "regression", "1 row(s) with non-finite predictions"),
        (lambda X: np.array(["a"] * len(X), dtype=object), "regression", "non-numeric predictions"),
    ],
)
def test_invalid_predictions_are_data(predict, task, problem) -> None:
    answer = client(Scripted(predict), task=task).call("predict", X)
    assert answer.kind == "invalid" and answer.problem == problem
    with pytest.raises(ModelCallError) as err:
        client(Scripted(predict), task=task).predict(X)
    assert str(err.value) == f"the model's predict returned invalid output: {problem}"


def test_a_column_vector_of_labels_is_accepted_as_labels() -> None:
    answer = client(Scripted(lambda X: np.ones((len(X), 1), dtype=int))).call("predict", X)
    assert answer.ok and answer.value.shape == (6,)


@pytest.mark.parametrize(
    ("proba", "problem"),
    [
        (lambda X: np.full((len(X), 3), 1 / 3), "probabilities of shape (6, 3) for 6 rows"),
        (lambda X: np.r_[[[np.inf, 0.0]], np.full((len(X) - 1, 2), 0.5)], "1 row(s) with non-finite probabilities"),
    ],
)
def test_invalid_probabilities_are_data(proba, problem) -> None:
    answer = client(Scripted(lambda X: np.zeros(len(X), dtype=int), proba)).call("predict_proba", X)
    assert answer.kind == "invalid" and answer.problem == problem


def test_an_exception_is_data_and_its_message_is_kept_masked() -> None:
    frame = X.assign(income=[52000.0, 48100.0, 61250.0, 39900.0, 45000.0, 50500.0], owner="Jan Jansen")

    def boom(X):
        raise ValueError(f"row 3 has income {X['income'][3]:.0f}; owner {X['owner'][3]} (jan@example.org)")

    answer = client(Scripted(boom)).call("predict", frame)
    assert answer.kind == "error" and answer.error_type == "ValueError"
    # the income (a cell of the input), the name (a cell) and the e-mail (the door's rule) are
    # masked as masking.mask masks them: length kept, the last two characters (a quarter at most)
    assert answer.error_message == "row 3 has income ****0; owner ********en (*************rg)"
    assert answer.reason() == f"the model's predict raised ValueError: {answer.error_message}"


def test_a_hang_is_a_timeout_after_the_timeout() -> None:
    c = client(Scripted(lambda X: np.zeros(len(X), dtype=int), sleep_s=5.0), timeout_s=0.2)
    t0 = time.monotonic()
    answer = c.call("predict", X)
    assert time.monotonic() - t0 < 1.5
    assert answer.kind == "timeout" and answer.reason() == "the model's predict did not answer within 0.2 s"
    assert c.call("predict", X, timeout_s=0.1).timeout_s == 0.1  # the caller's own bound wins


def test_answers_on_the_evaluation_data_are_computed_once() -> None:
    adapter = Scripted(lambda X: (X["a"].to_numpy() > 2).astype(int))
    c = client(adapter, X)
    first = c.predict(X)
    again = c.predict(X.copy())  # an equal frame, another object
    assert again is first and adapter.reached == 1 and c.calls == {"predict": 1}
    assert not first.flags.writeable  # shared by every check: nobody may change it
    c.predict(X.iloc[::-1])  # other rows: a real call
    assert adapter.reached == 2 and c.calls == {"predict": 2}


def test_a_failure_on_the_evaluation_data_is_paid_once() -> None:
    adapter = Scripted(lambda X: np.zeros(len(X), dtype=int), sleep_s=5.0)
    c = client(adapter, X, timeout_s=0.2)
    t0 = time.monotonic()
    answers = [c.call("predict", X) for _ in range(5)]
    assert time.monotonic() - t0 < 1.5
    assert {a.kind for a in answers} == {"timeout"} and c.calls == {"predict": 1}


def test_the_context_predicts_through_the_client_once_per_run() -> None:
    ctx = make_context(synthetic_frame(200, seed=3))
    assert ctx.model is not None and not isinstance(ctx.model, ModelAdapter)
    a, b = ctx.predictions(), ctx.predictions()
    ctx.probabilities()
    ctx.positive_scores()
    assert a is b and ctx.model.calls == {"predict": 1, "predict_proba": 1}


def test_the_decision_threshold_labels_every_prediction() -> None:
    frame = synthetic_frame(400, seed=4)
    feats = [c for c in frame.columns if c not in ("y", "notes")]
    est = fit_estimator(frame, "y", feats)
    ctx = make_context(frame, estimator=est, decision_threshold=0.7)
    expected = np.where(est.predict_proba(frame[feats])[:, 1] >= 0.7, 1, 0)  # sklearn, independently
    assert np.array_equal(ctx.predictions(), expected)
    other = frame[feats].iloc[:50].reset_index(drop=True)  # perturbed or sampled rows too
    assert np.array_equal(ctx.model.predict(other), expected[:50])
    assert (expected != est.predict(frame[feats])).any()  # 0.7 is not predict()'s 0.5
    unset = make_context(frame, estimator=est)
    assert np.array_equal(unset.predictions(), est.predict(frame[feats]))


def _prepared_threshold(**cfg):
    lc = LoadedConfig(config=TefConfig(**cfg), source="tef.toml", base_dir=Path("."))
    profile, _ = load_policy_profile("default", Path("."))
    plan = make_plan(lc, profile, discover(third_party=False))
    return decision_threshold(plan, lc.config.model.decision_threshold, "tef.toml")


def test_the_performance_param_is_a_deprecated_alias_of_the_run_threshold() -> None:
    threshold, warnings = _prepared_threshold(checks={"performance.metrics": {"params": {"decision_threshold": 0.3}}})
    assert threshold == 0.3
    assert warnings == [
        'checks."performance.metrics".params.decision_threshold is deprecated: set model.decision_threshold = 0.3; '
        "it applies to every check's labels"
    ]
    assert _prepared_threshold(model={"decision_threshold": 0.4}) == (0.4, [])
    with pytest.raises(ConfigError, match="one threshold per run") as err:
        _prepared_threshold(
            model={"decision_threshold": 0.4}, checks={"performance.metrics": {"params": {"decision_threshold": 0.3}}}
        )
    assert err.value.field == 'checks."performance.metrics".params.decision_threshold'


def test_a_threshold_needs_a_binary_model_with_probabilities() -> None:
    frame = synthetic_frame(300, seed=5)
    frame["y"] = np.random.default_rng(0).integers(0, 3, size=len(frame))
    multiclass = make_context(frame)
    with pytest.raises(ConfigError, match="this run has a multiclass task") as err:
        bind_model(multiclass, 0.5, "tef.toml")
    assert err.value.file == "tef.toml" and err.value.field == "model.decision_threshold"
    no_proba = make_context(
        synthetic_frame(100), model=Scripted(lambda X: np.zeros(len(X), dtype=int)), features=("income",)
    )
    with pytest.raises(ConfigError, match="a model without probabilities"):
        bind_model(no_proba, 0.5, "tef.toml")
    bind_model(make_context(synthetic_frame(100)), 0.5, "tef.toml")  # binary with probabilities: fine


class ArraysAcrossABoundary(InProcessTransport):
    """A stand-in for a worker-process or HTTP transport: inputs and outputs cross as bytes
    (a frame's columns and dtypes out, an array back), the adapter never shared."""

    def invoke(self, method, inputs, timeout_s):
        import pickle

        answer = super().invoke(method, pickle.loads(pickle.dumps(inputs)), timeout_s)
        return dataclasses.replace(answer, value=pickle.loads(pickle.dumps(answer.value)))


def test_another_transport_gives_every_check_the_same_answers() -> None:
    from tef_harness.checks.bias.group_fairness import GroupFairness
    from tef_harness.checks.performance.metrics import PerformanceMetrics
    from tef_harness.checks.robustness.perturbation import RobustnessPerturbation

    frame = synthetic_frame(300, seed=6)
    here = make_context(frame)
    adapter = here.model._transport._adapter  # type: ignore[union-attr]
    across = dataclasses.replace(
        here,
        model=GuardedModelClient(ArraysAcrossABoundary(adapter), task=here.task, eval_X=here.X),
    )
    for check in (PerformanceMetrics, GroupFairness, RobustnessPerturbation):
        params = check.Params()
        assert check().run(across, params) == check().run(here, params), check.id
