import time

import pytest
from robustness_fakes import AlwaysRaises, GarbageOnNaN, HangsOnNaN, Positional, WrappedModel, swap_adapter

from tef_harness.checks.robustness.resilience import CASES, InputResilience
from tef_harness.sdk.errors import ConfigError
from tef_harness.testing import assert_check_contract, fit_estimator, make_context, synthetic_frame

FEATURES = ["income", "debt_ratio", "years_employed", "region", "sex", "age_group"]
CHECK = InputResilience


@pytest.fixture(scope="module")
def frame():
    return synthetic_frame(120, seed=5)


@pytest.fixture(scope="module")
def estimator(frame):
    return fit_estimator(frame, "y", FEATURES)


def _ctx(frame, model, estimator):
    ctx = make_context(frame, model=WrappedModel(estimator), features=tuple(FEATURES))
    swap_adapter(ctx, model)  # clean predictions are cached before the misbehaving model is swapped in
    return ctx


def _outcomes(out):
    return {c["case"]: c["outcome"] for c in out.details["cases"]}


def test_contract_and_a_well_behaved_pipeline_has_no_findings():
    out = assert_check_contract(CHECK)
    assert out is not None and out.findings == ()
    outcomes = _outcomes(out)
    assert set(outcomes) == set(CASES)
    assert outcomes["nan"] == "rejected" and outcomes["reordered_columns"] == "valid"
    assert outcomes["single_row"] == "valid" and outcomes["missing_column"] == "rejected"
    shares = {m.name: m.value for m in out.metrics}
    assert shares["share/silent_garbage"] == 0.0
    assert sum(shares[f"share/{o}"] for o in ("valid", "rejected", "silent_garbage", "hang")) == pytest.approx(1)


def test_silent_garbage_on_nan_is_a_high_finding(frame, estimator):
    out = CHECK().run(_ctx(frame, GarbageOnNaN(estimator), estimator), CHECK.Params())
    outcomes = _outcomes(out)
    assert outcomes["nan"] == "silent_garbage"
    garbage = [f for f in out.findings if f.code == "ROB020"]
    assert garbage and all(f.severity == "high" for f in garbage)
    assert "nan" in {f.location for f in garbage}


def test_a_positional_model_is_caught_by_reordered_columns():
    numeric = ["income", "debt_ratio", "years_employed"]
    frame = synthetic_frame(120, seed=5)
    est = fit_estimator(frame, "y", numeric)
    ctx = make_context(frame, model=WrappedModel(est), features=tuple(numeric))
    swap_adapter(ctx, Positional(est))
    outcomes = _outcomes(CHECK().run(ctx, CHECK.Params()))
    assert outcomes["reordered_columns"] == "silent_garbage"  # reads income as years_employed, silently
    assert outcomes["extra_columns"] == "valid"  # positional, but the extra column comes last


def test_a_model_that_hangs_is_bounded_and_recorded(frame, estimator):
    start = time.monotonic()
    out = CHECK().run(_ctx(frame, HangsOnNaN(estimator), estimator), CHECK.Params(timeout_s=0.3, max_hangs=1))
    assert time.monotonic() - start < 10
    outcomes = _outcomes(out)
    assert outcomes["nan"] == "hang"
    assert all(outcomes[c] == "skipped" for c in CASES[CASES.index("nan") + 1 :])
    assert [(f.code, f.severity) for f in out.findings] == [("ROB004", "high")]


def test_a_model_that_always_crashes_is_rejected_everywhere(frame, estimator):
    out = CHECK().run(_ctx(frame, AlwaysRaises(estimator), estimator), CHECK.Params())
    assert set(_outcomes(out).values()) == {"rejected"}
    assert [f.code for f in out.findings] == ["ROB022"]  # cannot score a single valid row


def test_unknown_case_is_a_config_error(frame, estimator):
    with pytest.raises(ConfigError, match="unknown case") as err:
        CHECK().bind(_ctx(frame, WrappedModel(estimator), estimator), CHECK.Params(cases=("nan", "bogus")))
    assert err.value.field == "cases"


def test_cases_without_columns_of_their_kind_are_not_applicable():
    frame = synthetic_frame(60)[["income", "debt_ratio", "y"]]
    ctx = make_context(frame, sensitive=())
    out = CHECK().run(ctx, CHECK.Params())
    outcomes = _outcomes(out)
    assert outcomes["unseen_category"] == "not_applicable" and outcomes["empty_string"] == "not_applicable"
    assert out.metrics[0].n == len(CASES) - 2
