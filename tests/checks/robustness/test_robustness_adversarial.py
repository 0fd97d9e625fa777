import numpy as np
import pandas as pd
import pytest

from tef_harness.checks.robustness.adversarial import AdversarialEvasion
from tef_harness.checks.robustness.attack import BudgetExhausted, Oracle, Space, boundary_search
from tef_harness.checks.robustness.schema import FeatureSpec, resolve_domain
from tef_harness.testing import assert_check_contract, make_context, synthetic_frame

CHECK = AdversarialEvasion
FEATURES = ["income", "debt_ratio", "years_employed", "region", "sex", "age_group"]


@pytest.fixture(scope="module")
def ctx():
    return make_context(synthetic_frame(300, seed=7), features=tuple(FEATURES))


def _attack(ctx, n=40, max_queries=400, schema=None):
    X = ctx.X.reset_index(drop=True)
    domain = resolve_domain(X, schema or {}, field="s", immutable_by_default=ctx.sensitive)
    base = X.iloc[:n].reset_index(drop=True)
    space = Space.from_domain(base, domain)
    clean = np.asarray(ctx.predictions())[:n]
    oracle = Oracle(ctx.model, space, clean, max_queries=max_queries, timeout_s=30, deadline=1e18)
    pool_z = space.project(space.encode(X))
    boundary_search(oracle, pool_z, np.asarray(ctx.predictions()), np.random.default_rng(0))
    return domain, space, oracle, base, clean


def test_contract():
    out = assert_check_contract(CHECK)
    assert out is not None
    names = {m.name for m in out.metrics}
    assert {"success_rate", "robust_accuracy", "median_min_perturbation", "queries_per_row"} <= names
    assert out.details["features_attacked"] == ("income", "debt_ratio", "years_employed")
    eps = [p["epsilon"] for p in out.details["curve"]]
    assert eps == sorted(eps)


def test_successful_examples_are_valid_rows_that_really_change_the_prediction(ctx):
    schema = {"years_employed": FeatureSpec(min=0, max=40)}
    domain, space, oracle, base, clean = _attack(ctx, schema=schema)
    found = np.flatnonzero(np.isfinite(oracle.best_dist))
    assert len(found) >= 30
    adv = space.rows(found, oracle.best_z[found])
    # projected: valid under the domain (ints rounded, bounds kept, categories and immutables untouched)
    assert domain.violations(adv, base.iloc[found].reset_index(drop=True)) == []
    assert (adv["years_employed"] == adv["years_employed"].round()).all()
    for col in ("region", "sex", "age_group"):
        assert (adv[col].to_numpy() == base[col].to_numpy()[found]).all()
    # re-checked against the model after projection, in a fresh call
    assert (ctx.model.predict(adv) != clean[found]).all()


def test_the_query_budget_is_kept(ctx):
    _, _, oracle, _, _ = _attack(ctx, n=20, max_queries=150)
    assert oracle.queries.max() <= 150


def test_the_search_shrinks_the_perturbation(ctx):
    X = ctx.X.reset_index(drop=True)
    domain = resolve_domain(X, {}, field="s", immutable_by_default=ctx.sensitive)
    _, space, oracle_long, _, _ = _attack(ctx, n=20, max_queries=1000)
    short = Oracle(
        ctx.model,
        Space.from_domain(X.iloc[:20].reset_index(drop=True), domain),
        np.asarray(ctx.predictions())[:20],
        max_queries=60,
        timeout_s=30,
        deadline=1e18,
    )
    boundary_search(short, space.project(space.encode(X)), np.asarray(ctx.predictions()), np.random.default_rng(0))
    both = np.isfinite(short.best_dist) & np.isfinite(oracle_long.best_dist)
    assert np.median(oracle_long.best_dist[both]) < np.median(short.best_dist[both])


def test_time_budget_stops_the_search(ctx):
    X = ctx.X.reset_index(drop=True)
    domain = resolve_domain(X, {}, field="s")
    oracle = Oracle(
        ctx.model,
        Space.from_domain(X.iloc[:5], domain),
        np.asarray(ctx.predictions())[:5],
        max_queries=100,
        timeout_s=30,
        deadline=0.0,
    )
    with pytest.raises(BudgetExhausted):
        oracle.ask(np.array([0]), np.zeros((1, oracle.space.dim)))
    assert oracle.time_exhausted


def test_metrics_are_consistent(ctx):
    out = CHECK().run(ctx, CHECK.Params(n_rows=60, max_queries_per_row=300))
    m = {x.name: x for x in out.metrics}
    assert m["robust_accuracy"].value <= m["clean_accuracy"].value
    assert m["queries_per_row"].value <= 300
    n_att = out.details["n_attacked"]
    assert m["success_rate"].n == n_att
    at_budget = next(p for p in out.details["curve"] if p["epsilon"] == 0.05)
    assert at_budget["robust_accuracy"] == pytest.approx(m["robust_accuracy"].value)


def test_a_constant_model_cannot_be_evaded():
    frame = synthetic_frame(200, seed=1)
    frame["y"] = np.where(np.arange(200) < 100, 0, 1)
    from sklearn.dummy import DummyClassifier

    est = DummyClassifier(strategy="constant", constant=1).fit(frame[FEATURES], frame["y"])
    ctx = make_context(frame, estimator=est, features=tuple(FEATURES))
    out = CHECK().run(ctx, CHECK.Params(n_rows=30, max_queries_per_row=100))
    m = {x.name: x.value for x in out.metrics}
    assert m["success_rate"] == 0.0 and "median_min_perturbation" not in m


def test_nothing_to_attack_is_not_applicable(ctx):
    schema = {c: {"immutable": True} for c in ("income", "debt_ratio", "years_employed")}
    out = CHECK().run(ctx, CHECK.Params.model_validate({"schema": schema}))
    assert out.status == "not_applicable" and "no mutable numeric feature" in out.reason


def test_only_categorical_inputs_is_not_applicable():
    frame = pd.DataFrame({"c": ["a", "b"] * 50, "y": [0, 1] * 50})
    ctx = make_context(frame, sensitive=())
    out = CHECK().run(ctx, CHECK.Params())
    assert out.status == "not_applicable"


@pytest.mark.slow
def test_art_hopskipjump_runs_and_agrees_with_the_built_in_search(ctx):
    pytest.importorskip("art")
    art = CHECK().run(ctx, CHECK.Params(n_rows=30, method="art_hopskipjump", max_queries_per_row=500))
    own = CHECK().run(ctx, CHECK.Params(n_rows=30, max_queries_per_row=500))
    a = {m.name: m.value for m in art.metrics}
    b = {m.name: m.value for m in own.metrics}
    assert a["success_rate"] > 0.8 and b["success_rate"] > 0.8
    assert a["median_min_perturbation"] == pytest.approx(b["median_min_perturbation"], rel=0.5)
    # ART seeds NumPy's global generator under a lock and restores it afterwards
    state = np.random.get_state()[1].copy()
    CHECK().run(ctx, CHECK.Params(n_rows=5, method="art_hopskipjump", max_queries_per_row=100))
    assert (np.random.get_state()[1] == state).all()
    assert art == CHECK().run(ctx, CHECK.Params(n_rows=30, method="art_hopskipjump", max_queries_per_row=500))
