"""bias.group_fairness equals fairlearn on random data (hypothesis) and on scikit-lego's
offline data sets; intervals, intersections, the unknown group and small groups."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import (
    MetricFrame,
    demographic_parity_difference,
    demographic_parity_ratio,
    equal_opportunity_difference,
    equalized_odds_difference,
    false_positive_rate,
    mean_prediction,
    selection_rate,
    true_positive_rate,
)
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest
from sklearn.metrics import accuracy_score, mean_absolute_error, precision_score

from tef_harness.checks.bias.group_fairness import GroupFairness, GroupFairnessParams
from tef_harness.sdk.frozen import thaw
from tests.checks.bias.bias_views_testkit import group_rows

ALL_IN = GroupFairnessParams(min_group_size=1, min_positives=1, min_negatives=1, min_predicted_positives=1, n_boot=50)
TOL = 1e-9


def _metric(out, name):
    found = [m for m in out.metrics if m.name == name]
    assert found, f"{name} missing; have {[m.name for m in out.metrics]}"
    return found[0]


def _fairlearn_frame(y, pred, sf):
    fns = {
        "selection_rate": selection_rate,
        "tpr": true_positive_rate,
        "fpr": false_positive_rate,
        "ppv": lambda a, b: precision_score(a, b, zero_division=0),
        "accuracy": accuracy_score,
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return MetricFrame(metrics=fns, y_true=y, y_pred=pred, sensitive_features=sf)


def assert_equals_fairlearn(out, frame, y, pred, cols, key):
    sf = frame[list(cols)] if len(cols) > 1 else frame[cols[0]]
    mf = _fairlearn_frame(y, pred, sf)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = {
            "dp_difference": demographic_parity_difference(y, pred, sensitive_features=sf),
            "dp_ratio": demographic_parity_ratio(y, pred, sensitive_features=sf),
            "eo_difference": equalized_odds_difference(y, pred, sensitive_features=sf),
            "eop_difference": equal_opportunity_difference(y, pred, sensitive_features=sf),
            "fpr_difference": mf.difference()["fpr"],
            "pp_difference": mf.difference()["ppv"],
            "accuracy_difference": mf.difference()["accuracy"],
        }
    for name, value in expected.items():
        assert abs(_metric(out, f"{name}/{key}").value - value) <= TOL, name
    groups = {g["group"]: g for g in group_rows(out, "|".join(cols))}
    # fairlearn's by_group lists every combination of the features' values, an empty
    # intersection included (all NaN); a group with no rows is not a group, so the
    # comparison runs over the observed combinations, which must be exactly the harness's.
    counts = frame.groupby(list(cols)).size()
    observed = {"|".join(map(str, k)) if isinstance(k, tuple) else str(k) for k in counts[counts > 0].index}
    assert set(groups) == observed
    for idx, row in mf.by_group.iterrows():
        label = "|".join(map(str, idx)) if isinstance(idx, tuple) else str(idx)
        if label not in observed:
            continue
        for rate in ("selection_rate", "tpr", "fpr", "ppv", "accuracy"):
            assert abs(groups[label][rate] - row[rate]) <= TOL, (label, rate)


@st.composite
def binary_data(draw):
    n = draw(st.integers(60, 400))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    n_a, n_b = draw(st.integers(2, 4)), draw(st.integers(2, 3))
    frame = pd.DataFrame(
        {
            "sex": rng.choice([f"s{i}" for i in range(n_b)], size=n),
            "age_group": rng.choice([f"a{i}" for i in range(n_a)], size=n),
            "y": (rng.uniform(size=n) < draw(st.floats(0.2, 0.8))).astype(int),
        }
    )
    pred = (rng.uniform(size=n) < draw(st.floats(0.2, 0.8))).astype(int)
    return frame, pred


def _random_case(data, fixed_context):
    frame, pred = data
    y = frame["y"].to_numpy()
    cells = frame.assign(p=pred).groupby(["sex", "age_group"]).agg(pos=("y", "sum"), n=("y", "size"), pp=("p", "sum"))
    assume(((cells.pos > 0) & (cells.pos < cells.n) & (cells.pp > 0)).all())
    out = GroupFairness().run(fixed_context(frame, pred), ALL_IN)
    assert_equals_fairlearn(out, frame, y, pred, ("sex",), "sex")
    assert_equals_fairlearn(out, frame, y, pred, ("age_group",), "age_group")
    assert_equals_fairlearn(out, frame, y, pred, ("sex", "age_group"), "sex_x_age_group")


_HYP = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture]}


@settings(max_examples=5, **_HYP)
@given(data=binary_data())
def test_equals_fairlearn_on_random_data(data, fixed_context):
    _random_case(data, fixed_context)


@pytest.mark.slow
@settings(max_examples=60, **_HYP)
@given(data=binary_data())
def test_equals_fairlearn_on_random_data_many(data, fixed_context):
    _random_case(data, fixed_context)


def test_equals_fairlearn_on_arrests(fixed_context):
    from sklego.datasets import load_arrests

    df = load_arrests(as_frame=True)
    frame = pd.DataFrame(
        {
            "sex": df["sex"],
            "age_group": df["colour"],
            "checks": df["checks"],
            "y": (df["released"] == "Yes").astype(int),
        }
    )
    pred = ((df["employed"] == "Yes") & (df["checks"] < 3)).astype(int).to_numpy()
    out = GroupFairness().run(fixed_context(frame, pred), GroupFairnessParams(n_boot=50))
    assert not [f for f in out.findings if f.code == "BIAS001"]
    y = frame["y"].to_numpy()
    assert_equals_fairlearn(out, frame, y, pred, ("sex",), "sex")
    assert_equals_fairlearn(out, frame, y, pred, ("age_group",), "age_group")
    assert_equals_fairlearn(out, frame, y, pred, ("sex", "age_group"), "sex_x_age_group")


def test_equals_fairlearn_on_hearts(fixed_context):
    from sklego.datasets import load_hearts

    df = load_hearts(as_frame=True).dropna(subset=["thal"])
    frame = pd.DataFrame({"sex": df["sex"], "age_group": df["thal"], "y": df["target"]}).reset_index(drop=True)
    pred = ((df["thalach"] < 150) | (df["oldpeak"] > 2)).astype(int).to_numpy()
    out = GroupFairness().run(fixed_context(frame, pred), ALL_IN)
    y = frame["y"].to_numpy()
    assert_equals_fairlearn(out, frame, y, pred, ("sex",), "sex")


def test_regression_equals_fairlearn(fixed_context):
    rng = np.random.default_rng(3)
    n = 3000
    frame = pd.DataFrame(
        {
            "sex": rng.choice(["F", "M"], size=n),
            "age_group": rng.choice(["a", "b", "c"], size=n),
            "y": rng.normal(10, 2, size=n),
        }
    )
    pred = frame["y"].to_numpy() + rng.normal(0.3 * (frame["sex"] == "F"), 1.0)
    out = GroupFairness().run(fixed_context(frame, pred, task="regression"), GroupFairnessParams(n_boot=1000))
    for cols, key in ((["sex"], "sex"), (["sex", "age_group"], "sex_x_age_group")):
        mf = MetricFrame(
            metrics={"mp": mean_prediction, "mae": mean_absolute_error},
            y_true=frame["y"],
            y_pred=pred,
            sensitive_features=frame[cols],
        )
        assert abs(_metric(out, f"mean_prediction_difference/{key}").value - mf.difference()["mp"]) <= TOL
        assert abs(_metric(out, f"mae_difference/{key}").value - mf.difference()["mae"]) <= TOL
        m = _metric(out, f"mean_prediction_difference/{key}")
        assert m.ci is not None and m.ci.low <= m.value <= m.ci.high
    # two groups: each mean ± z(1 - 0.05/4) s/sqrt(n), then max u - min l (computed by hand)
    from scipy.stats import norm

    z = norm.ppf(1 - 0.05 / 4)
    g = [pred[(frame["sex"] == v).to_numpy()] for v in ("F", "M")]
    lo = [x.mean() - z * x.std(ddof=1) / np.sqrt(len(x)) for x in g]
    hi = [x.mean() + z * x.std(ddof=1) / np.sqrt(len(x)) for x in g]
    assert _metric(out, "mean_prediction_difference/sex").ci.high == pytest.approx(max(hi) - min(lo), abs=1e-9)


def _wilson(k: float, n: float, level: float) -> tuple[float, float]:
    """The Wilson score interval written out (Wilson 1927), independent of tef_harness.stats."""
    from scipy.stats import norm

    z = norm.ppf(1 - (1 - level) / 2)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_interval_brackets_value_and_equals_simultaneous_wilson(fixed_context, frame_factory):
    frame, pred = frame_factory(4000, seed=1)
    pred = np.where(frame["sex"] == "F", np.random.default_rng(2).uniform(size=4000) < 0.3, pred).astype(int)
    out = GroupFairness().run(fixed_context(frame, pred), GroupFairnessParams(max_intersection=1))
    m = _metric(out, "dp_difference/sex")
    assert m.ci.low < m.value < m.ci.high and m.ci.method == "wilson-simultaneous"
    # two groups: each Wilson interval at 1 - 0.05 / 2, then max u - min l and max l - min u
    female = (frame["sex"] == "F").to_numpy()
    (fl, fh), (ml, mh) = (_wilson(pred[g].sum(), g.sum(), 0.975) for g in (female, ~female))
    assert m.ci.high == pytest.approx(max(fh, mh) - min(fl, ml), abs=1e-12)
    assert m.ci.low == pytest.approx(max(0.0, max(fl, ml) - min(fh, mh)), abs=1e-12)
    ratio = _metric(out, "dp_ratio/sex")
    assert ratio.ci.low == pytest.approx(min(fl, ml) / max(fh, mh), abs=1e-12)
    assert ratio.ci.high == pytest.approx(min(1.0, min(fh, mh) / max(fl, ml)), abs=1e-12)


@pytest.mark.parametrize("seed", range(10))
def test_no_disparity_interval_contains_its_estimate(fixed_context, seed):
    """max - min of equal groups' rates is biased upward: the percentile bootstrap excluded
    the estimate in about one run in twenty here; the simultaneous interval never can."""
    rng = np.random.default_rng(seed)
    n = 3000
    frame = pd.DataFrame(
        {"sex": rng.choice(["F", "M"], n), "age_group": rng.choice(["a", "b", "c"], n), "y": rng.integers(0, 2, n)}
    )
    out = GroupFairness().run(fixed_context(frame, rng.integers(0, 2, n)), GroupFairnessParams())
    for m in out.metrics:
        assert m.ci is not None and m.ci.low <= m.value <= m.ci.high, m


def test_seeded_and_deterministic(fixed_context, frame_factory):
    frame, pred = frame_factory(500, seed=4)
    a = GroupFairness().run(fixed_context(frame, pred, seed=1), GroupFairnessParams())
    b = GroupFairness().run(fixed_context(frame, pred, seed=1), GroupFairnessParams())
    c = GroupFairness().run(fixed_context(frame, pred, seed=2), GroupFairnessParams())
    assert a == b
    # the binary disparities' intervals need no resampling: the seed does not move them
    assert _metric(a, "dp_difference/sex").ci == _metric(c, "dp_difference/sex").ci


def test_missing_values_form_unknown_group(fixed_context, frame_factory):
    frame, pred = frame_factory(2000, seed=5, missing=0.1)
    out = GroupFairness().run(fixed_context(frame, pred), GroupFairnessParams.model_construct(n_boot=20))
    labels = [g["group"] for g in group_rows(out, "sex")]
    assert labels == ["F", "M", "unknown"]
    assert any(f.code == "BIAS003" for f in out.findings)
    # equal to fairlearn once the missing value is mapped to the explicit group
    filled = frame.assign(sex=frame["sex"].fillna("unknown"))
    assert_equals_fairlearn(out, filled, frame["y"].to_numpy(), pred, ("sex",), "sex")


def test_small_group_is_insufficient_not_dropped(fixed_context, frame_factory):
    frame, pred = frame_factory(1000, seed=6)
    frame.loc[:11, "age_group"] = "90+"
    out = GroupFairness().run(fixed_context(frame, pred), GroupFairnessParams.model_construct(n_boot=20))
    small = [f for f in out.findings if f.code == "BIAS001" and f.location == "age_group=90+"]
    # lack of data is not harm: an informational finding, and the check is insufficient evidence
    assert small and small[0].severity == "info"
    assert out.status == "insufficient_evidence" and "dp_difference/age_group (without 90+)" in (out.reason or "")
    row = next(g for g in group_rows(out, "age_group") if g["group"] == "90+")
    assert row["count"] == 12 and row["sufficient"] is False
    assert "90+" not in out.details["sets"]["age_group"]["disparities"]["dp_difference"]["groups_compared"]


def test_primary_criterion_marked_and_details_json(fixed_context, frame_factory):
    import json

    frame, pred = frame_factory(1000, seed=7)
    params = GroupFairnessParams.model_construct(primary="equal_opportunity", n_boot=20)
    out = GroupFairness().run(fixed_context(frame, pred), params)
    assert out.details["primary"] == "equal_opportunity"
    assert "primary" in _metric(out, "eop_difference/sex").description
    json.dumps(out.model_dump(mode="json"), allow_nan=False)
    row = group_rows(out, "sex")[0]
    assert {"count", "selection_rate", "selection_rate_ci", "tpr_ci", "impact_ratio"} <= set(row)


def test_without_labels_only_selection_metrics(fixed_context, frame_factory):
    frame, pred = frame_factory(500, seed=8)
    out = GroupFairness().run(fixed_context(frame.drop(columns="y"), pred, target=None), GroupFairnessParams())
    assert {m.name.split("/")[0] for m in out.metrics} == {"dp_difference", "dp_ratio"}


@pytest.mark.parametrize("max_intersection", [1, 2])
def test_intersections_switch(fixed_context, frame_factory, max_intersection):
    frame, pred = frame_factory(500, seed=9)
    out = GroupFairness().run(fixed_context(frame, pred), GroupFairnessParams(max_intersection=max_intersection))
    assert ("sex|age_group" in out.details["sets"]) is (max_intersection == 2)


def test_empty_intersection_is_not_a_group(fixed_context):
    """The case hypothesis once drew at random (issue 16): sex s1 never meets age a0. fairlearn's
    ``by_group`` lists s1|a0 with NaN rates; the harness lists only observed groups, and every
    rate of those equals fairlearn's."""
    rng = np.random.default_rng(7)
    sex = np.array(["s0"] * 120 + ["s1"] * 80)
    age = np.array(["a0", "a1"] * 60 + ["a1"] * 80)
    frame = pd.DataFrame({"sex": sex, "age_group": age, "y": rng.integers(0, 2, size=200)})
    pred = rng.integers(0, 2, size=200)
    out = GroupFairness().run(fixed_context(frame, pred), ALL_IN)
    groups = {g["group"] for g in group_rows(out, "sex|age_group")}
    assert groups == {"s0|a0", "s0|a1", "s1|a1"}
    assert_equals_fairlearn(out, frame, frame["y"].to_numpy(), pred, ("sex", "age_group"), "sex_x_age_group")


def test_dp_ratio_and_impact_ratios_equal_fairlearn_with_a_group_at_the_minimum_size(fixed_context):
    """Selection rates 0.9 (A, exactly the minimum 30 rows), 0.6 (B), 0.3 (C) and 1.0 (D, 29
    rows: one short). The four-fifths ratio is min / max over the groups big enough to judge:
    0.3 / 0.9 = 1/3, fairlearn's ``demographic_parity_ratio`` on A-C; each group's impact
    ratio is its rate over A's (D, not judged, has none). Dividing by the lowest rate, counting D, or dropping A (the
    group exactly at the bound) each gives a different number."""
    sizes = {"A": 30, "B": 100, "C": 100, "D": 29}
    shares = {"A": 0.9, "B": 0.6, "C": 0.3, "D": 1.0}
    sex, pred = [], []
    for g, n in sizes.items():
        k = round(shares[g] * n)
        sex += [g] * n
        pred += [1] * k + [0] * (n - k)
    frame = pd.DataFrame({"sex": sex, "age_group": "all", "y": np.tile([0, 1], len(sex) // 2 + 1)[: len(sex)]})
    pred = np.array(pred)
    params = GroupFairnessParams.model_construct(min_group_size=30, min_positives=0, min_negatives=0, n_boot=0)
    out = GroupFairness().run(fixed_context(frame, pred, sensitive=("sex",)), params)
    judged = frame["sex"] != "D"
    expected = demographic_parity_ratio(frame["y"][judged], pred[judged], sensitive_features=frame["sex"][judged])
    assert expected == pytest.approx(1 / 3, abs=1e-12)
    assert _metric(out, "dp_ratio/sex").value == pytest.approx(expected, abs=1e-12)
    assert _metric(out, "dp_difference/sex").value == pytest.approx(0.9 - 0.3, abs=1e-12)
    mf = MetricFrame(metrics=selection_rate, y_true=frame["y"], y_pred=pred, sensitive_features=frame["sex"])
    rates = mf.by_group
    top = rates[["A", "B", "C"]].max()
    groups = {g["group"]: g for g in group_rows(out, "sex")}
    for g in "ABC":
        assert groups[g]["impact_ratio"] == pytest.approx(rates[g] / top, abs=1e-12), g
    assert groups["D"]["impact_ratio"] is None  # too small to judge: no ratio, and not the top
    assert groups["A"]["sufficient"] is True and groups["D"]["sufficient"] is False
    assert groups["D"]["count"] == 29 and groups["A"]["count"] == 30
    assert out.details["sets"]["sex"]["disparities"]["dp_ratio"]["groups_compared"] == ("A", "B", "C")


def _block(n_pos: int, n_neg: int, pred_pos: int, pred_neg: int) -> tuple[list[int], list[int]]:
    """y and pred for one group: ``pred_pos`` of the positives and ``pred_neg`` of the negatives predicted 1."""
    y = [1] * n_pos + [0] * n_neg
    pred = [1] * pred_pos + [0] * (n_pos - pred_pos) + [1] * pred_neg + [0] * (n_neg - pred_neg)
    return y, pred


def test_findings_details_and_group_table_recomputed_by_hand(fixed_context):
    """F: 40 rows, 20 positives, 3 predicted positive (2 true, 1 false); M: 60 rows, 30
    positives, 30 predicted positive (20 true, 10 false); 5 rows without sex (2 positives, one
    predicted). Every figure below is counted by hand from those numbers."""
    blocks = {"F": _block(20, 20, 2, 1), "M": _block(30, 30, 20, 10), None: _block(2, 3, 1, 0)}
    sex = [g for g, (y, _) in blocks.items() for _ in y]
    frame = pd.DataFrame({"sex": sex, "y": [v for y, _ in blocks.values() for v in y]})
    pred = np.array([v for _, p in blocks.values() for v in p])
    params = GroupFairnessParams.model_construct(n_boot=0)
    out = GroupFairness().run(fixed_context(frame, pred, sensitive=("sex",)), params)
    # the primary criterion was judged, but a group too small to judge was left out
    assert out.status == "insufficient_evidence"
    assert (out.reason or "").startswith("groups too small to judge (BIAS001, 1) were left out of dp_difference/sex")
    by = {m.name: m for m in out.metrics}
    expected = {
        "dp_difference/sex": (30 / 60 - 3 / 40, False),
        "dp_ratio/sex": ((3 / 40) / (30 / 60), True),
        "eo_difference/sex": (20 / 30 - 2 / 20, False),
        "eop_difference/sex": (20 / 30 - 2 / 20, False),
        "fpr_difference/sex": (10 / 30 - 1 / 20, False),
        "accuracy_difference/sex": (40 / 60 - 21 / 40, False),
    }
    assert set(by) == set(expected)  # pp_difference: F has 3 predicted positives (< 5)
    for name, (value, higher) in expected.items():
        m = by[name]
        assert m.value == pytest.approx(value, abs=1e-12), name
        assert (m.n, m.greater_is_better) == (100, higher), name
        assert m.ci is not None and m.ci.low <= m.value <= m.ci.high, name
        assert ("(primary criterion)" in (m.description or "")) is name.startswith("dp_"), name
    codes = {f.code: f for f in out.findings}
    assert sorted(codes) == ["BIAS001", "BIAS002", "BIAS003"]
    missing = codes["BIAS003"]
    assert (missing.severity, missing.location, missing.data) == ("info", "sex", {"column": "sex", "missing": 5})
    assert missing.message == (
        "5 row(s) have no value for sex; they form the explicit group 'unknown' instead of being dropped"
    )
    small = codes["BIAS001"]
    assert (small.severity, small.location) == ("info", "sex=unknown")  # insufficient evidence, not failure
    assert small.data == {
        "set": "sex",
        "group": "unknown",
        "count": 5,
        "positives": 2,
        "negatives": 3,
        "short_of": ("rows", "positives", "negatives"),  # frozen: arrays are tuples
    }
    assert small.message == (
        "group sex=unknown has 5 rows (< 30), 2 positives (< 10), 3 negatives (< 10): insufficient evidence "
        "to judge it; it is left out of the disparities that need rows/positives/negatives"
    )
    gap = codes["BIAS002"]
    reason = "1 group(s) with enough rows/predicted_positives"
    assert (gap.severity, gap.location) == ("medium", "sex")
    assert gap.data == {"set": "sex", "not_computed": {"pp_difference": reason}}
    assert gap.message == f"for sex, some disparities could not be computed (pp_difference: {reason})"
    d = thaw(out.details)  # frozen in the output; compared as the plain JSON it serialises to
    assert (d["task"], d["primary"], d["pos_label"], d["n_rows"], d["n_boot"]) == (
        "binary", "demographic_parity", "1", 105, 0
    )
    assert d["min_sizes"] == {"rows": 30, "positives": 10, "negatives": 10, "predicted_positives": 5}
    assert d["labels_available"] is True
    s = d["sets"]["sex"]
    assert s["columns"] == ["sex"] and s["not_computed"] == {"pp_difference": reason}
    assert {k: v for k, v in s["disparities"]["dp_ratio"].items() if k != "ci"} == {
        "value": pytest.approx(0.15),
        "n": 100,
        "primary": True,
        "groups_compared": ["F", "M"],
    }
    assert s["disparities"]["eo_difference"]["primary"] is False
    rows = {g["group"]: g for g in group_rows(out, "sex")}
    counts = {"F": (40, 20, 20, 3), "M": (60, 30, 30, 30), "unknown": (5, 2, 3, 1)}
    for g, (n, pos, neg, pp) in counts.items():
        row = rows[g]
        assert (row["count"], row["positives"], row["negatives"], row["predicted_positives"]) == (n, pos, neg, pp)
        assert row["values"] == {"sex": g}
        ref = binomtest(pp, n).proportion_ci(confidence_level=0.95, method="wilson")
        assert row["selection_rate"] == pytest.approx(pp / n, abs=1e-12)
        assert row["selection_rate_ci"] == [pytest.approx(ref.low, abs=1e-12), pytest.approx(ref.high, abs=1e-12)]
    assert rows["F"]["tpr"] == pytest.approx(0.1) and rows["F"]["fpr"] == pytest.approx(0.05)
    assert rows["F"]["ppv"] == pytest.approx(2 / 3) and rows["F"]["accuracy"] == pytest.approx(21 / 40)
    assert (rows["F"]["sufficient"], rows["F"]["insufficient"]) == (False, ["predicted_positives"])
    assert (rows["M"]["sufficient"], rows["M"]["insufficient"]) == (True, [])
    assert rows["unknown"]["insufficient"] == ["rows", "predicted_positives", "positives", "negatives"]
    assert rows["F"]["impact_ratio"] == pytest.approx(0.15) and rows["M"]["impact_ratio"] == 1.0
    assert rows["unknown"]["impact_ratio"] is None


def test_a_ratio_of_zero_rates_is_not_computed(fixed_context):
    """Nobody selected in either group: the difference is 0, the ratio 0/0 is undefined (BIAS002)."""
    frame = pd.DataFrame({"sex": ["F"] * 40 + ["M"] * 40, "y": [0, 1] * 40})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 0 / 0 is NaN by construction, never a numpy warning
        out = GroupFairness().run(
            fixed_context(frame, np.zeros(80, dtype=int), sensitive=("sex",)),
            GroupFairnessParams.model_construct(n_boot=20, min_predicted_positives=0),
        )
    by = {m.name: m for m in out.metrics}
    assert by["dp_difference/sex"].value == 0.0 and "dp_ratio/sex" not in by
    assert out.details["sets"]["sex"]["not_computed"]["dp_ratio"] == "undefined (every compared rate is zero)"
    assert {g["group"]: g["impact_ratio"] for g in group_rows(out, "sex")} == {"F": None, "M": None}


def test_groups_exactly_at_every_minimum_are_judged(fixed_context):
    """F: 30 rows (min 30), 10 positives (min 10), 5 predicted positives (min 5); M: 30 rows,
    29 positives, exactly 1 negative (min 1). Both are compared in every disparity."""
    y_f, p_f = _block(10, 20, 4, 1)
    y_m, p_m = _block(29, 1, 5, 0)
    frame = pd.DataFrame({"sex": ["F"] * 30 + ["M"] * 30, "y": y_f + y_m})
    params = GroupFairnessParams.model_construct(
        min_group_size=30, min_positives=10, min_negatives=1, min_predicted_positives=5, n_boot=0
    )
    out = GroupFairness().run(fixed_context(frame, np.array(p_f + p_m), sensitive=("sex",)), params)
    rows = {g["group"]: g for g in group_rows(out, "sex")}
    assert rows["F"]["sufficient"] and rows["M"]["sufficient"]
    assert not [f for f in out.findings if f.code in ("BIAS001", "BIAS002")]
    by = {m.name: m.value for m in out.metrics}
    assert by["pp_difference/sex"] == pytest.approx(1.0 - 4 / 5, abs=1e-12)
    assert by["fpr_difference/sex"] == pytest.approx(1 / 20 - 0.0, abs=1e-12)
    assert by["eo_difference/sex"] == pytest.approx(max(abs(4 / 10 - 5 / 29), 1 / 20), abs=1e-12)
