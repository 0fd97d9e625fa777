"""Interval helpers against scipy's own implementations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binomtest

from tef_harness.sdk.stats import percentile_interval, wilson_interval


@given(st.integers(1, 5000), st.data(), st.sampled_from([0.9, 0.95, 0.99]))
def test_wilson_equals_scipy(n: int, data: st.DataObject, level: float) -> None:
    k = data.draw(st.integers(0, n))
    low, high = wilson_interval(np.array([k]), np.array([n]), level)
    ref = binomtest(k, n).proportion_ci(confidence_level=level, method="wilson")
    assert low[0] == pytest.approx(ref.low, abs=1e-12)
    assert high[0] == pytest.approx(ref.high, abs=1e-12)


def test_wilson_contains_zero_and_one_exactly() -> None:
    low, high = wilson_interval(np.array([0, 7]), np.array([7, 7]))
    assert low[0] == 0.0 and high[1] == 1.0


def test_wilson_is_nan_for_empty_groups_and_percentile_ignores_nan() -> None:
    low, high = wilson_interval(np.array([0, 3]), np.array([0, 10]))
    assert np.isnan(low[0]) and np.isnan(high[0]) and 0 < low[1] < 0.3 < high[1]
    assert percentile_interval(np.array([np.nan, np.nan])) is None
    ci = percentile_interval(np.array([np.nan, *range(101)], dtype=float), 0.9)
    assert ci is not None and ci.low == pytest.approx(5) and ci.high == pytest.approx(95)


def test_wilson_ci_is_the_array_form_as_an_interval() -> None:
    from tef_harness.sdk.stats import wilson_ci

    low, high = wilson_interval(np.array([3]), np.array([40]), 0.9)
    ci = wilson_ci(3, 40, 0.9)
    assert ci is not None and (ci.low, ci.high, ci.level, ci.method) == (low[0], high[0], 0.9, "wilson")
    assert wilson_ci(0, 0) is None


def test_wilson_is_exactly_zero_at_no_successes_and_one_at_all() -> None:
    """The formula leaves ~1e-17 at k = 0 (below zero) and k = n (above one) for most n; the
    interval must still be [0, ...] and [..., 1] exactly, so it contains its point estimate."""
    n = np.arange(1, 3001)
    low, _ = wilson_interval(np.zeros_like(n), n)
    _, high = wilson_interval(n, n)
    assert np.all(low == 0.0) and np.all(high == 1.0)


def test_wilson_of_an_empty_group_warns_nothing() -> None:
    """A check never prints: n = 0 is NaN without numpy's divide/invalid warnings."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        low, high = wilson_interval(np.array([0, 0, 3]), np.array([0, 5, 10]))
    assert np.isnan(low[0]) and np.isnan(high[0]) and low[1] == 0.0 and 0 < low[2] < high[2] < 1


def test_percentile_interval_records_its_level_and_method() -> None:
    ci = percentile_interval(np.arange(1001, dtype=float), 0.8)
    assert ci is not None
    assert (ci.low, ci.high) == (pytest.approx(100), pytest.approx(900))
    assert (ci.level, ci.method) == (0.8, "bootstrap-percentile")
    default = percentile_interval(np.arange(1001, dtype=float))  # 95% unless told otherwise
    assert default is not None and default.level == 0.95
    assert (default.low, default.high) == (pytest.approx(25), pytest.approx(975))


def test_bootstrap_indices_are_a_resample_with_replacement() -> None:
    from tef_harness.sdk.stats import bootstrap_indices

    idx = bootstrap_indices(np.random.default_rng(0), 50, 400)
    assert idx.shape == (400, 50) and idx.dtype == np.int32
    assert idx.min() == 0 and idx.max() == 49  # every row can be drawn, none outside
    # each replicate draws rows independently and uniformly: row counts ~ Binomial(50, 1/50)
    counts = np.stack([np.bincount(r, minlength=50) for r in idx])
    assert counts.mean() == pytest.approx(1.0) and counts.var() == pytest.approx(49 / 50, rel=0.1)
    assert np.array_equal(idx, bootstrap_indices(np.random.default_rng(0), 50, 400))
    assert bootstrap_indices(np.random.default_rng(0), 100, 2).dtype == np.int32  # int32 up to 2**31 rows
