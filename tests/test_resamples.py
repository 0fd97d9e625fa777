"""The smallest bootstrap count per interval level, and the three checks' params refusing fewer."""

from __future__ import annotations

from fractions import Fraction

import pytest
from pydantic import ValidationError

from tef_harness.checks.bias.group_fairness import GroupFairnessParams
from tef_harness.checks.performance.metrics import PerformanceParams
from tef_harness.checks.privacy.mia import MembershipParams
from tef_harness.sdk.check import Params
from tef_harness.sdk.resamples import min_resamples


def _smallest_by_search(level: str) -> int:
    """Counted, not solved: the first B whose lower percentile index (B + 1) alpha / 2 is >= 1."""
    alpha = 1 - Fraction(level)
    b = 1
    while (b + 1) * alpha / 2 < 1:
        b += 1
    return b


@pytest.mark.parametrize("level", ["0.8", "0.9", "0.95", "0.975", "0.99", "0.999"])
def test_min_resamples_matches_a_search(level: str) -> None:
    assert min_resamples(float(level)) == _smallest_by_search(level)


def test_min_resamples_known_values() -> None:
    # Davison & Hinkley 1997, sec. 5.2.1
    assert [min_resamples(x) for x in (0.9, 0.95, 0.99, 0.999)] == [19, 39, 199, 1999]


PARAMS: list[type[Params]] = [PerformanceParams, GroupFairnessParams, MembershipParams]


@pytest.mark.parametrize("model", PARAMS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("level", ["0.95", "0.99"])
def test_params_refuse_one_below_the_minimum(model: type[Params], level: str) -> None:
    need = _smallest_by_search(level)
    assert model.model_validate({"n_boot": need, "level": float(level)}).n_boot == need
    with pytest.raises(ValidationError) as err:
        model.model_validate({"n_boot": need - 1, "level": float(level)})
    (e,) = err.value.errors()
    assert e["loc"] == () and e["type"] == "too_few_resamples"
    assert e["msg"].startswith(f"n_boot = {need - 1} is too few for level {float(level)}: at least {need},")


def test_a_minimum_above_the_largest_count_says_lower_the_level() -> None:
    with pytest.raises(ValidationError, match=r"at least 19999 \(above the largest n_boot, 5000: lower level\)"):
        MembershipParams.model_validate({"n_boot": 5000, "level": 0.9999})
