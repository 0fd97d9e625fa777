"""bias.subgroup_search: BH equals scipy's, subgroup rates equal a pandas groupby, a planted
disparity is found and pure noise rarely is."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import false_discovery_control

from tef_harness.checks.bias._multiple import benjamini_hochberg
from tef_harness.checks.bias.subgroup_search import SubgroupSearch, SubgroupSearchParams


def _bh_by_definition(p: np.ndarray) -> np.ndarray:
    """The step-up definition, O(m^2): q of the i-th smallest = min over j >= i of p_(j) m / j."""
    m = p.size
    order = np.argsort(p, kind="stable")
    ranked = p[order] * m / np.arange(1, m + 1)
    q = np.empty(m)
    q[order] = [min(1.0, ranked[i:].min()) for i in range(m)]
    return q


@settings(max_examples=200, deadline=None)
@given(arrays(float, st.integers(1, 300), elements=st.floats(0.0, 1.0)))
def test_bh_equals_the_definition(p):
    np.testing.assert_allclose(benjamini_hochberg(p), _bh_by_definition(p), rtol=1e-12, atol=0)


def test_bh_known_values_ties_and_empty():
    assert benjamini_hochberg(np.array([])).size == 0
    # by hand: sorted p 0.001 0.04 0.045 0.2, times 4/rank: 0.004 0.08 0.06 0.2, step-up min
    np.testing.assert_allclose(benjamini_hochberg(np.array([0.2, 0.045, 0.001, 0.04])), [0.2, 0.06, 0.004, 0.06])
    p = np.array([0.01, 0.01, 0.04, 0.5, 1.0])
    np.testing.assert_allclose(benjamini_hochberg(p), false_discovery_control(p))


def _planted(n=6000, seed=0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "sex": rng.choice(["F", "M"], size=n),
            "age_group": rng.choice(["18-29", "30-49", "50+"], size=n),
            "income": rng.lognormal(10, 0.5, size=n),
            "region": rng.choice(["n", "s", "e", "w"], size=n),
            "y": rng.integers(0, 2, size=n),
        }
    )
    rate = np.where((frame["sex"] == "F") & (frame["age_group"] == "50+"), 0.15, 0.4)
    pred = (rng.uniform(size=n) < rate).astype(int)
    return frame, pred


def test_finds_planted_intersection(fixed_context):
    frame, pred = _planted()
    out = SubgroupSearch().run(fixed_context(frame, pred), SubgroupSearchParams(columns=("region",)))
    top = out.details["subgroups"][0]
    assert top["conditions"] == {"sex": "F", "age_group": "50+"}
    assert top["significant"] and top["difference"] < -0.15
    assert top["difference_ci"][0] < top["difference"] < top["difference_ci"][1]
    assert any(f.code == "BIAS010" and "sex=F & age_group=50+" in f.message for f in out.findings)
    by = frame.assign(p=pred).groupby(["sex", "age_group"])["p"].agg(["mean", "size"]).loc[("F", "50+")]
    assert top["size"] == by["size"] and abs(top["rate"] - by["mean"]) < 1e-12
    rest = pred[~((frame["sex"] == "F") & (frame["age_group"] == "50+")).to_numpy()].mean()
    assert abs(top["rest_rate"] - rest) < 1e-12
    assert next(m for m in out.metrics if m.name == "max_abs_difference").value == pytest.approx(-top["difference"])


def test_noise_gives_few_discoveries(fixed_context):
    hits = 0
    for seed in range(10):
        frame, _ = _planted(3000, seed)
        pred = np.random.default_rng(seed + 100).integers(0, 2, size=len(frame))
        out = SubgroupSearch().run(fixed_context(frame, pred), SubgroupSearchParams(columns=("region", "income")))
        hits += bool(out.details["n_significant"])
    assert hits <= 2  # FDR 5%: under the global null, P(any discovery) <= 0.05


def test_numeric_columns_are_binned_and_sensitive_required(fixed_context):
    frame, pred = _planted(2000)
    out = SubgroupSearch().run(
        fixed_context(frame, pred), SubgroupSearchParams(columns=("income",), bins=4, top_k=1000)
    )
    conds = [s["conditions"] for s in out.details["subgroups"]]
    assert all({"sex", "age_group"} & set(c) for c in conds)
    incomes = {c["income"] for c in conds if "income" in c}
    assert len(incomes) == 4 and any(v.startswith("<") for v in incomes)


def test_min_support_and_direction(fixed_context):
    frame, pred = _planted(3000)
    out = SubgroupSearch().run(fixed_context(frame, pred), SubgroupSearchParams(min_support=400, direction="above"))
    assert all(s["size"] >= 400 and s["rest_size"] >= 400 for s in out.details["subgroups"])
    assert all(f.data["difference"] > 0 for f in out.findings)


def test_tpr_metric_and_regression(fixed_context):
    frame, pred = _planted(3000)
    out = SubgroupSearch().run(fixed_context(frame, pred), SubgroupSearchParams(metric="tpr"))
    positives = int(frame["y"].sum())
    assert out.details["n_rows_used"] == positives
    reg = frame.assign(y=frame["income"])
    out = SubgroupSearch().run(
        fixed_context(reg, reg["income"].to_numpy() * 1.1, task="regression"), SubgroupSearchParams(metric="mae")
    )
    assert out.details["metric"] == "mae" and out.details["n_subgroups_tested"] > 0


def test_too_many_other_columns_is_a_params_error():
    with pytest.raises(ValueError, match="max_other_columns"):
        SubgroupSearchParams(columns=("a", "b", "c", "d"))


def _race_gap(rates: dict[str, float], sizes: dict[str, int], seed: int = 0):
    """Rows whose predictions are positive at exactly the given rate per race group."""
    race, pred = [], []
    for group, size in sizes.items():
        k = round(rates[group] * size)
        race += [group] * size
        pred += [1] * k + [0] * (size - k)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(race))
    frame = pd.DataFrame({"race": np.array(race)[order], "y": rng.integers(0, 2, len(race))})
    return frame, np.array(pred)[order]


def _severity_of(fixed_context, frame, pred, group):
    out = SubgroupSearch().run(
        fixed_context(frame, pred, sensitive=("race",)), SubgroupSearchParams(max_order=1, min_support=20)
    )
    return next(f for f in out.findings if f.location == f"race={group}")


@pytest.mark.parametrize(
    ("rates", "sizes", "expected"),
    [
        # 3,000 vs 3,000 rows, 0.59 vs 0.35 selected: Cohen's h = 0.486 (between the small and
        # medium marks) with q ~ 1e-80: certain, so high and it fails the default gate
        ({"A": 0.59, "B": 0.35}, {"A": 3000, "B": 3000}, "high"),
        # the same rates on 200 + 200 rows: q ~ 1e-6, still certain: high
        ({"A": 0.59, "B": 0.35}, {"A": 200, "B": 200}, "high"),
        # 0.55 vs 0.35 on 100 + 100 rows: h = 0.40, q ~ 0.004: significant, not certain -> medium
        ({"A": 0.55, "B": 0.35}, {"A": 100, "B": 100}, "medium"),
        # a tiny gap on 200,000 rows: certain (q ~ 1e-37) but negligible (h = 0.04) -> medium, passes
        ({"A": 0.52, "B": 0.50}, {"A": 100_000, "B": 100_000}, "medium"),
    ],
    ids=["large-certain", "smaller-sample-certain", "uncertain", "negligible-but-certain"],
)
def test_severity_follows_size_and_certainty_not_row_count(fixed_context, rates, sizes, expected):
    frame, pred = _race_gap(rates, sizes)
    f = _severity_of(fixed_context, frame, pred, "A")
    # Cohen's h computed independently from the planted rates
    h = 2 * np.arcsin(np.sqrt(rates["A"])) - 2 * np.arcsin(np.sqrt(rates["B"]))
    assert f.data["effect_size"] == pytest.approx(h, abs=1e-9)
    assert f.severity == expected, (f.severity, f.data["q_value"])
