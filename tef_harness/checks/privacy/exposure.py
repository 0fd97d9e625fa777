"""Secret-Sharer exposure (Carlini et al. 2019) of canaries a provider planted in the
training data.

A canary's *randomness space* R is fixed by convention: each of its digits (or, when it
has none, each of its ASCII letters) could have been any digit (letter) with equal
probability, everything else is fixed. exposure = log2 |R| - log2 rank, where rank is the
canary's rank by model likelihood among all of R. We estimate the rank from a seeded sample
of reference candidates (rank ≈ |R| · share of references scoring at least as high), and,
since a sample cannot show ranks beyond its size, also give the extrapolated form: fit a
skew-normal to the references' log-perplexities and take -log2 of the CDF at the canary.
A never-planted canary averages about 1.44 bits; a value near log2 |R| means extractable.
"""

from __future__ import annotations

import math
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Exposure:
    space_bits: float  # log2 |R|
    sampled: float  # from the rank among the reference sample (capped by the sample size)
    extrapolated: float  # from a skew-normal fit, capped at space_bits
    references: int


def randomness_space(canary: str) -> tuple[list[int], str]:
    """Positions that vary and the alphabet they vary over."""
    digits = [i for i, c in enumerate(canary) if c.isdigit() and c.isascii()]
    if digits:
        return digits, string.digits
    letters = [i for i, c in enumerate(canary) if c.isascii() and c.isalpha()]
    return letters, string.ascii_lowercase


def reference_candidates(canary: str, n: int, rng: np.random.Generator) -> list[str]:
    """``n`` random members of the canary's randomness space other than the canary."""
    positions, alphabet = randomness_space(canary)
    if not positions:
        return []
    chars = list(canary)
    out: list[str] = []
    seen = {canary}
    space = len(alphabet) ** len(positions)
    target = min(n, space - 1)
    while len(out) < target:
        draw = rng.integers(0, len(alphabet), size=len(positions))
        for pos, k in zip(positions, draw, strict=True):
            ch = alphabet[k]
            chars[pos] = ch.upper() if canary[pos].isupper() else ch
        cand = "".join(chars)
        if cand not in seen:
            seen.add(cand)
            out.append(cand)
    return out


def exposure(
    canary: str,
    log_likelihood: Callable[[Sequence[str]], np.ndarray],
    n_reference: int,
    rng: np.random.Generator,
) -> Exposure | None:
    """None when the canary has no varying characters."""
    positions, alphabet = randomness_space(canary)
    if not positions:
        return None
    space_bits = len(positions) * math.log2(len(alphabet))
    refs = reference_candidates(canary, n_reference, rng)
    ll = np.asarray(log_likelihood([canary, *refs]), dtype=float)
    c_ll, r_ll = ll[0], ll[1:]
    # rank among the sample, scaled to the space: share of the space at least as likely
    share = (1.0 + np.sum(r_ll >= c_ll)) / (len(refs) + 1.0)
    sampled = min(space_bits, max(0.0, -math.log2(share)))
    extrapolated = _extrapolated(c_ll, r_ll, space_bits)
    return Exposure(space_bits=space_bits, sampled=sampled, extrapolated=extrapolated, references=len(refs))


def _extrapolated(c_ll: float, r_ll: np.ndarray, space_bits: float) -> float:
    from scipy.stats import skewnorm

    finite = r_ll[np.isfinite(r_ll)]
    if len(finite) < 20 or np.ptp(finite) == 0 or not np.isfinite(c_ll):
        return float("nan")
    a, loc, scale = skewnorm.fit(-finite)  # log-perplexity: lower = more likely
    log_cdf = float(skewnorm.logcdf(-c_ll, a, loc, scale))
    bits = -log_cdf / math.log(2.0)
    return float(min(space_bits, max(0.0, bits))) if math.isfinite(bits) else space_bits
