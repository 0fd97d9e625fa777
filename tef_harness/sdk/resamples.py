"""How many bootstrap resamples a two-sided percentile interval at a given level needs.

The percentile (and BCa) interval at level ``1 - alpha`` takes the ``(B + 1) alpha / 2``-th and
``(B + 1)(1 - alpha / 2)``-th of the ``B`` ordered replicates; both are actual replicates only
when ``(B + 1) alpha / 2 >= 1``, so the smallest usable ``B`` is ``ceil(2 / alpha) - 1``
(Davison & Hinkley 1997, *Bootstrap Methods and their Application*, sec. 5.2.1: 39 at 0.95,
199 at 0.99, 1999 at 0.999). With fewer, an end of the interval falls outside the replicates
and every bound on it is untestable.
"""

from __future__ import annotations

import math
from fractions import Fraction

from pydantic_core import PydanticCustomError


def min_resamples(level: float) -> int:
    """The smallest ``n_boot`` whose two-sided percentile interval at ``level`` (in (0, 1))
    has both ends among the replicates. ``level`` is read as the decimal it was written as
    (``0.9`` is 9/10, not the float just below), so 0.9 gives 19, not 20."""
    alpha = 1 - Fraction(repr(level))
    return math.ceil(2 / alpha) - 1


def require_enough_resamples(n_boot: int, level: float, maximum: int) -> None:
    """Raise a one-line pydantic error naming ``n_boot`` when it is below
    :func:`min_resamples` of ``level``; for a params model's ``model_validator``."""
    need = min_resamples(level)
    if n_boot >= need:
        return
    tail = f" (above the largest n_boot, {maximum}: lower level)" if need > maximum else ""
    raise PydanticCustomError(
        "too_few_resamples",
        "n_boot = {n_boot} is too few for level {level}: at least {need}{tail}, so that both ends of the "
        "two-sided percentile interval are actual bootstrap replicates (Davison & Hinkley 1997, 5.2.1)",
        {"n_boot": n_boot, "level": level, "need": need, "tail": tail},
    )
