import time

import numpy as np
import pandas as pd
import pytest
from robustness_fakes import (
    AlwaysRaises,
    GarbageOnNaN,
    HangsOnNaN,
    WrappedModel,
    adapter_of,
    imputing_estimator,
    swap_adapter,
)

from tef_harness.checks.robustness.families import INTENSITY, perturb
from tef_harness.checks.robustness.perturbation import RobustnessPerturbation
from tef_harness.checks.robustness.schema import FeatureSpec, resolve_domain
from tef_harness.sdk.errors import ConfigError
from tef_harness.testing import assert_check_contract, fit_estimator, make_context, synthetic_frame

FEATURES = ["income", "debt_ratio", "years_employed", "region", "sex", "age_group"]
CHECK = RobustnessPerturbation


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return synthetic_frame(150, seed=3)


@pytest.fixture(scope="module")
def imputing_ctx(frame):
    return make_context(frame, estimator=imputing_estimator(frame, "y", FEATURES), features=tuple(FEATURES))


def test_contract():
    out = assert_check_contract(CHECK)
    assert out is not None and out.status is None
    names = {m.name for m in out.metrics}
    assert {"accuracy/clean", "flip_rate/gaussian_noise/3", "accuracy_drop/scaling/5"} <= names
    curve = out.details["curves"]["gaussian_noise"]
    assert [p["severity"] for p in curve] == [1, 2, 3, 4, 5]
    assert {"flip_rate", "accuracy", "accuracy_drop"} <= set(curve[2])
    # the default LR pipeline cannot take NaN: a clear error, reported once for the family
    assert [f.code for f in out.findings if f.code == "ROB002"] == ["ROB002"]
    assert out.details["sample"] == {"n": 400, "of": 400, "max_rows": 10_000}


def _assert_matches_naive(ctx, params) -> int:
    out = CHECK().run(ctx, params)
    metrics = {m.name: m for m in out.metrics}
    est = adapter_of(ctx).estimator
    X = ctx.X.reset_index(drop=True)
    y = ctx.y
    domain = resolve_domain(X, {}, field="s", immutable_by_default=ctx.sensitive)
    clean_rows = [est.predict(X.iloc[[r]])[0] for r in range(len(X))]
    checked = 0
    for family in params.families:
        for sev in params.severities:
            pert, _ = perturb(X, domain, family, INTENSITY[family][sev - 1], ctx.rng(f"{CHECK.id}/{family}/{sev}"))
            flips = changed = hits_clean = hits_pert = 0
            for r in range(len(X)):
                before, after = X.iloc[r], pert.iloc[r]
                row_changed = any(
                    not (before[c] == after[c] or (pd.isna(before[c]) and pd.isna(after[c]))) for c in X.columns
                )
                p = est.predict(pert.iloc[[r]])[0]
                hits_clean += clean_rows[r] == y[r]
                hits_pert += p == y[r]
                if row_changed:
                    changed += 1
                    flips += p != clean_rows[r]
            name = f"{family}/{sev}"
            assert metrics[f"flip_rate/{name}"].value == pytest.approx(flips / changed)
            assert metrics[f"flip_rate/{name}"].n == changed
            assert metrics[f"accuracy/{name}"].value == pytest.approx(hits_pert / len(X))
            assert metrics[f"accuracy_drop/{name}"].value == pytest.approx((hits_clean - hits_pert) / len(X))
            ci = metrics[f"flip_rate/{name}"].ci
            assert ci.low <= flips / changed <= ci.high
            checked += 1
    assert not [f for f in out.findings if f.code != "ROB001"]
    return checked


def test_flip_rates_and_drops_equal_a_naive_row_by_row_recomputation():
    small = synthetic_frame(60, seed=4)
    ctx = make_context(small, estimator=imputing_estimator(small, "y", FEATURES), features=tuple(FEATURES))
    assert _assert_matches_naive(ctx, CHECK.Params(max_rows=None, severities=(2, 5))) == 10


@pytest.mark.slow
def test_naive_recomputation_all_families_and_severities(imputing_ctx):
    assert _assert_matches_naive(imputing_ctx, CHECK.Params(max_rows=None)) == 25


def test_sampling_is_seeded_and_reported(imputing_ctx):
    out = CHECK().run(imputing_ctx, CHECK.Params(max_rows=50, families=("gaussian_noise",)))
    again = CHECK().run(imputing_ctx, CHECK.Params(max_rows=50, families=("gaussian_noise",)))
    assert out == again
    assert out.details["sample"]["n"] == 50
    assert all(m.n <= 50 for m in out.metrics)


def test_immutable_only_schema_is_not_applicable_with_a_reason(frame):
    ctx = make_context(frame, features=tuple(FEATURES))
    schema = {c: FeatureSpec(immutable=True) for c in FEATURES}
    out = CHECK().run(ctx, CHECK.Params(schema=schema))
    assert out.status == "not_applicable" and "nothing to perturb" in out.reason
    assert out.metrics == ()


def test_schema_naming_unknown_columns_is_a_config_error(frame):
    ctx = make_context(frame, features=tuple(FEATURES))
    with pytest.raises(ConfigError) as err:
        CHECK().bind(ctx, CHECK.Params.model_validate({"schema": {"salary": {"min": 0}}}))
    assert err.value.field == "schema.salary"


def test_params_are_strict():
    with pytest.raises(ValueError):
        CHECK.Params.model_validate({"families": ["gaussian_noise", "blur"]})
    with pytest.raises(ValueError):
        CHECK.Params.model_validate({"severities": [6]})
    with pytest.raises(ValueError):
        CHECK.Params.model_validate({"max_row": 10})


def test_declared_schema_is_respected_and_shown(imputing_ctx):
    schema = {"income": FeatureSpec(immutable=True), "years_employed": FeatureSpec(min=0, max=60)}
    out = CHECK().run(imputing_ctx, CHECK.Params(schema=schema, families=("gaussian_noise",)))
    assert out.details["schema"]["income"]["immutable"] is True
    assert out.details["schema"]["years_employed"]["max"] == 60
    assert out.details["schema"]["sex"]["immutable"] is True  # sensitive: immutable by default


def test_a_hanging_model_is_a_finding_not_a_hang(frame):
    est = imputing_estimator(frame, "y", FEATURES)
    ctx = make_context(frame, model=HangsOnNaN(est), features=tuple(FEATURES))
    start = time.monotonic()
    out = CHECK().run(ctx, CHECK.Params(timeout_s=0.5))
    assert time.monotonic() - start < 10
    hangs = [f for f in out.findings if f.code == "ROB004"]
    assert len(hangs) == 1 and hangs[0].severity == "high" and hangs[0].location == "missing_values/1"
    statuses = [p["status"] for p in out.details["curves"]["missing_values"]]
    assert statuses == ["timeout", *["skipped_after_hang"] * 4]
    assert "flip_rate/gaussian_noise/1" in {m.name for m in out.metrics}


def test_silent_garbage_under_perturbation_is_a_high_finding(frame):
    est = fit_estimator(frame, "y", FEATURES)
    ctx = make_context(frame, model=GarbageOnNaN(est), features=tuple(FEATURES))
    out = CHECK().run(ctx, CHECK.Params(families=("missing_values",)))
    codes = {(f.code, f.severity) for f in out.findings}
    assert ("ROB003", "high") in codes


def test_a_crashing_model_does_not_take_the_run_down(frame):
    est = fit_estimator(frame, "y", FEATURES)
    ctx = make_context(frame, model=WrappedModel(est), features=tuple(FEATURES))
    swap_adapter(ctx, AlwaysRaises(est))  # cached clean predictions, as the engine would have them
    out = CHECK().run(ctx, CHECK.Params(families=("gaussian_noise", "scaling")))
    assert [f.code for f in out.findings if f.code != "ROB001"] == ["ROB002", "ROB002"]
    assert [m.name for m in out.metrics] == ["accuracy/clean"]


def test_regression_reports_error_and_change():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=300), "b": rng.uniform(0, 10, 300)})
    frame = X.assign(y=2 * X["a"] + 0.3 * X["b"] + rng.normal(0, 0.1, 300))
    from sklearn.linear_model import LinearRegression

    est = LinearRegression().fit(X, frame["y"])
    ctx = make_context(frame, estimator=est, sensitive=(), task="regression")
    out = CHECK().run(ctx, CHECK.Params(families=("gaussian_noise",)))
    names = {m.name for m in out.metrics}
    assert {
        "mae/clean",
        "mae/gaussian_noise/5",
        "mae_increase/gaussian_noise/5",
        "mean_abs_change/gaussian_noise/5",
    } <= names
    m = {m.name: m.value for m in out.metrics}
    assert m["mae_increase/gaussian_noise/5"] > m["mae_increase/gaussian_noise/1"]


def test_without_labels_only_flip_rates(frame):
    est = fit_estimator(frame, "y", FEATURES)
    ctx = make_context(frame.drop(columns=["y"]), target=None, estimator=est)
    out = CHECK().run(ctx, CHECK.Params(families=("scaling",)))
    assert {m.name.split("/")[0] for m in out.metrics} == {"flip_rate"}
