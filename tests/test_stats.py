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


def test_wilson_computes_in_float64_whatever_the_count_dtype() -> None:
    """float32 counts (a weighted bincount, say) give the float64 interval: the division by n
    in single precision would be off by ~1e-8."""
    k, n = np.array([3, 17, 250], dtype=np.float32), np.array([10, 40, 1000], dtype=np.float32)
    low, high = wilson_interval(k, n)
    for i in range(3):
        ref = binomtest(int(k[i]), int(n[i])).proportion_ci(method="wilson")
        assert (low[i], high[i]) == (pytest.approx(ref.low, abs=1e-13), pytest.approx(ref.high, abs=1e-13))


def test_bootstrap_indices_switch_to_int64_when_an_index_no_longer_fits_int32() -> None:
    """Zero replicates allocate nothing, so the dtype can be checked at 2**31 rows."""
    from tef_harness.sdk.stats import bootstrap_indices

    rng = np.random.default_rng(0)
    assert bootstrap_indices(rng, 2**31 - 1, 0).dtype == np.int32
    wide = bootstrap_indices(rng, 2**31 + 1, 0)  # index 2**31 does not fit int32
    assert wide.dtype == np.int64 and wide.shape == (0, 2**31 + 1)


def test_bca_interval_degenerate_and_undefined_cases() -> None:
    from tef_harness.sdk.stats import bca_interval

    jack = np.array([1.0, 2.0, 3.0])
    # every finite replicate equals the estimate: nothing varies, the interval is the point
    flat = bca_interval(2.5, np.array([2.5, np.nan, 2.5]), jack, 0.9)
    assert flat is not None and (flat.low, flat.high, flat.level, flat.method) == (2.5, 2.5, 0.9, "bootstrap-bca")
    one = bca_interval(2.5, np.array([2.5]), jack)
    assert one is not None and (one.low, one.high, one.level) == (2.5, 2.5, 0.95)
    assert bca_interval(2.5, np.array([np.nan, np.inf]), jack) is None  # no finite replicate
    assert bca_interval(2.5, np.array([3.0]), jack) is None  # estimate outside the replicates
    assert bca_interval(2.5, np.array([1.0, 2.0]), jack) is None


def test_bca_interval_default_level_is_95_percent() -> None:
    from scipy.stats import bootstrap

    from tef_harness.sdk.stats import bca_interval

    data = np.random.default_rng(5).exponential(size=40)
    res = bootstrap((data,), np.mean, method="BCa", n_resamples=3000, random_state=np.random.default_rng(9))
    reps = data[np.random.default_rng(9).integers(0, 40, size=(3000, 40))].mean(axis=1)
    jack = np.array([np.delete(data, i).mean() for i in range(40)])
    ours = bca_interval(float(data.mean()), reps, jack)
    assert ours is not None and ours.level == 0.95
    assert (ours.low, ours.high) == (
        pytest.approx(res.confidence_interval.low, rel=2e-3),
        pytest.approx(res.confidence_interval.high, rel=2e-3),
    )


def test_jackknife_blocks_single_rows_up_to_the_limit_then_equal_random_blocks() -> None:
    from tef_harness.sdk.stats import jackknife_blocks

    rng = np.random.default_rng(3)
    assert np.array_equal(jackknife_blocks(rng, 7), np.arange(7))
    assert np.array_equal(jackknife_blocks(rng, 50, max_blocks=50), np.arange(50))  # n == limit: rows
    assert np.array_equal(jackknife_blocks(rng, 200), np.arange(200))  # the default limit is 200
    default = jackknife_blocks(rng, 201)
    assert np.array_equal(np.bincount(default), [2] + [1] * 199)  # 200 blocks, not 201 rows
    blocks = jackknife_blocks(rng, 1000, max_blocks=50)
    assert blocks.dtype.kind == "i" and np.array_equal(np.bincount(blocks), np.full(50, 20))
    assert not np.array_equal(blocks, np.arange(1000) % 50)  # shuffled: a block is not every 50th row


def test_bca_interval_counts_a_tie_with_the_estimate_as_half_below_as_scipy_does() -> None:
    """A proportion on 25 rows: the replicates take few values and about one in six equals the
    estimate, so how ties enter the bias correction shows in the interval. scipy's BCa counts a
    tie as half below; given the same resamples its interval equals ours."""
    from scipy.stats import bootstrap

    from tef_harness.sdk.stats import bca_interval

    for seed in (6, 7, 8):
        data = (np.random.default_rng(seed).uniform(size=25) < 0.4).astype(float)
        ref = bootstrap(
            (data,),
            np.mean,
            method="BCa",
            n_resamples=2000,
            confidence_level=0.9,
            random_state=np.random.default_rng(8),
        ).confidence_interval
        reps = data[np.random.default_rng(8).integers(0, 25, size=(2000, 25))].mean(axis=1)
        assert np.mean(reps == data.mean()) > 0.1  # the premise: many ties
        jack = np.array([np.delete(data, i).mean() for i in range(25)])
        ours = bca_interval(float(data.mean()), reps, jack, 0.9)
        assert ours is not None and (ours.level, ours.method) == (0.9, "bootstrap-bca")
        assert (ours.low, ours.high) == (pytest.approx(ref.low, abs=1e-12), pytest.approx(ref.high, abs=1e-12))


def test_bca_interval_without_acceleration_is_the_bias_corrected_percentile_interval() -> None:
    """A constant (or empty, or all-NaN) jackknife has no skew: the acceleration is 0 and BCa
    reduces to the bias-corrected percentile interval, quantiles at Phi(2 z0 +- z), computed
    here from its definition (Efron & Tibshirani 1993, eq. 14.10 with a = 0), silently."""
    import warnings

    from scipy.stats import norm

    from tef_harness.sdk.stats import bca_interval

    reps = np.random.default_rng(2).gamma(2.0, size=999)
    estimate = 1.7
    z0 = norm.ppf(np.mean(reps < estimate))
    expected = np.quantile(reps, norm.cdf(2 * z0 + norm.ppf([0.05, 0.95])))
    for jack in (np.full(30, 4.0), np.array([]), np.array([np.nan, np.nan])):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            ci = bca_interval(estimate, reps, jack, 0.9)
        assert ci is not None and (ci.low, ci.high) == (pytest.approx(expected[0]), pytest.approx(expected[1]))


def test_bca_interval_computes_in_float64_whatever_the_input_dtype() -> None:
    from tef_harness.sdk.stats import bca_interval

    rng = np.random.default_rng(11)
    reps = rng.gamma(2.0, size=500).astype(np.float32)
    jack = rng.gamma(2.0, size=40).astype(np.float32)
    single = bca_interval(2.0, reps, jack)
    double = bca_interval(2.0, reps.astype(np.float64), jack.astype(np.float64))
    assert single is not None and double is not None
    assert (single.low, single.high) == (double.low, double.high)
