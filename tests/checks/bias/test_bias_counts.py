"""The fairness count kernels against naive recomputations (issue 16: mutation-tested)."""

from __future__ import annotations

import numpy as np
import pytest

from tef_harness.checks.bias._counts import stratified_mean_sums


def test_stratified_sums_resample_each_group_apart_and_skip_empty_groups() -> None:
    """Groups 0 and 2 (group 1 and 3 have no rows): each replicate is, per group, the sum of
    n_g rows drawn from that group; over many replicates the mean of a replicate is the group
    sum, for every column; an empty group stays 0."""
    rng = np.random.default_rng(0)
    codes = np.array([0] * 20 + [2] * 30)
    # the first row of group 0 is an outlier: a resample that can never draw it is biased
    values = np.c_[np.r_[1000.0, np.zeros(19), rng.normal(5, 1, 30)], np.r_[np.ones(20), np.full(30, 3.0)]]
    reps = stratified_mean_sums(np.random.default_rng(1), codes, 4, values, 4000, cap=1000)
    assert reps.shape == (4000, 4, 2)
    assert np.all(reps[:, 1] == 0) and np.all(reps[:, 3] == 0)
    np.testing.assert_allclose(reps[:, 0, 1], 20.0)  # a constant column resamples to itself
    np.testing.assert_allclose(reps[:, 2, 1], 90.0)
    assert reps[:, 0, 0].mean() == pytest.approx(1000.0, rel=0.05)
    assert reps[:, 2, 0].mean() == pytest.approx(values[20:, 0].sum(), rel=0.01)
    # a group's replicate sums vary like n_g times the mean of n_g draws: sd = sqrt(n_g) * sd(values)
    assert reps[:, 2, 0].std() == pytest.approx(np.sqrt(30) * values[20:, 0].std(), rel=0.1)
    one = stratified_mean_sums(np.random.default_rng(1), codes, 4, values, 1, cap=1000)
    assert one.shape == (1, 4, 2) and one[0, 0, 1] == 20.0 and one[0, 2, 1] == 90.0
    assert stratified_mean_sums(rng, codes, 4, values, 0, cap=1000).shape == (0, 4, 2)


def test_m_out_of_n_rescaling_keeps_the_full_bootstrap_spread_and_skew() -> None:
    """A group larger than ``cap`` is resampled ``cap`` rows at a time; rescaling the deviation
    by sqrt(cap / n) gives the spread of the full n-row bootstrap of the sum: sd = sqrt(n) *
    sd(values), and keeps the sign of the skew (exponential data: right-skewed means)."""
    values = np.random.default_rng(2).exponential(1.0, size=(4000, 1))
    codes = np.zeros(4000, dtype=np.intp)
    reps = stratified_mean_sums(np.random.default_rng(3), codes, 1, values, 3000, cap=100)[:, 0, 0]
    assert reps.mean() == pytest.approx(values.sum(), rel=0.002)
    assert reps.std() == pytest.approx(np.sqrt(4000) * values.std(), rel=0.1)
    centred = reps - reps.mean()
    assert (centred**3).mean() / centred.std() ** 3 > 0.05  # skew of a mean of 100 exponentials: 0.2


def test_spread_ignores_nan_rates_and_is_silent() -> None:
    """A group whose rate is undefined in a replicate (NaN) is left out of max and min; a
    ratio of all-zero rates is NaN, without a numpy warning (a check never prints)."""
    import warnings

    from tef_harness.checks.bias._counts import spread

    values = np.array([[0.2, np.nan, 0.5], [np.nan, np.nan, 0.4], [0.0, 0.0, np.nan]])
    eligible = np.array([True, True, True])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        diff = spread(values, eligible, "difference")
        ratio = spread(values, eligible, "ratio")
    np.testing.assert_allclose(diff, [0.3, 0.0, 0.0])
    np.testing.assert_allclose(ratio[:2], [0.4, 1.0])
    assert np.isnan(ratio[2])
    only_first = spread(values, np.array([True, False, False]), "difference")
    np.testing.assert_allclose(only_first[[0, 2]], [0.0, 0.0])
    assert np.isnan(only_first[1])  # no finite rate among the eligible groups


def test_stratified_sums_equal_a_naive_per_group_resampling_with_the_same_generator() -> None:
    """Within a group the rows are drawn in their original order (a stable grouping), so a
    seeded replicate is the same on every machine: numpy's default sort may order equal codes
    differently (SIMD sorts depend on the CPU). Recomputed group by group from the same seed."""
    from tef_harness.checks.bias._counts import stratified_mean_sums

    codes = np.random.default_rng(4).integers(0, 3, 500)  # groups interleaved
    values = np.random.default_rng(5).normal(size=(500, 2))
    reps = stratified_mean_sums(np.random.default_rng(9), codes, 3, values, 50, cap=1000)
    gen = np.random.default_rng(9)
    for g in range(3):
        vals = values[codes == g]
        idx = gen.integers(0, len(vals), size=(50, len(vals)))
        np.testing.assert_allclose(reps[:, g, :], len(vals) * vals[idx].mean(axis=1), rtol=1e-12)


def test_m_out_of_n_rescaling_centres_each_column_on_its_own_mean() -> None:
    """Two columns with different means, resampled ``cap`` rows at a time: each column's
    replicates centre on that column's sum (the rescaling pivots on the column's own mean)."""
    from tef_harness.checks.bias._counts import stratified_mean_sums

    base = np.random.default_rng(6).exponential(1.0, size=4000)
    values = np.c_[base, base + 10.0]
    reps = stratified_mean_sums(np.random.default_rng(7), np.zeros(4000, dtype=np.intp), 1, values, 2000, cap=100)
    assert reps[:, 0, 0].mean() == pytest.approx(base.sum(), rel=0.002)
    assert reps[:, 0, 1].mean() == pytest.approx(base.sum() + 40_000.0, rel=0.002)
    np.testing.assert_allclose(reps[:, 0, 1] - reps[:, 0, 0], 40_000.0)  # a shift resamples to itself


def test_spread_with_no_eligible_group_is_nan_not_an_error() -> None:
    """Every group below its minimum size: nothing to compare, so NaN for every replicate
    (max and min over no groups would otherwise raise)."""
    from tef_harness.checks.bias._counts import spread

    values = np.array([[0.2, 0.5], [0.1, 0.3]])
    none = np.array([False, False])
    for kind in ("difference", "ratio"):
        out = spread(values, none, kind)
        assert out.shape == (2,) and np.all(np.isnan(out))


def test_ratio_is_nan_exactly_where_the_denominator_is_zero_and_broadcasts() -> None:
    """A rate with no row behind it is NaN, never a stale or zero value; a scalar numerator
    broadcasts against the denominators."""
    from tef_harness.checks.bias._counts import ratio

    for size in (3, 64, 4096):
        den = np.tile([0.0, 2.0, 4.0], size)
        out = ratio(np.tile([5.0, 1.0, 3.0], size), den)
        assert np.all(np.isnan(out[den == 0])) and np.array_equal(out[den > 0], np.tile([0.5, 0.75], size))
    np.testing.assert_array_equal(ratio(np.float64(1.0), np.array([0.0, 2.0, 4.0])), [np.nan, 0.5, 0.25])
