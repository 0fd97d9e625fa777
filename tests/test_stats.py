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
