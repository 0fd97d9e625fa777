"""The reliability diagram of a classifier: per probability bin, the mean predicted probability,
the observed frequency of the positive class and how many rows fell in the bin.

Binning is scikit-learn's ``sklearn.calibration.calibration_curve(strategy="uniform")``:
``n_bins`` equal-width bins over [0, 1], a score on an inner edge goes to the bin below it
(``np.searchsorted(edges[1:-1], score)``), and empty bins are left out. The counts per bin are
what calibration_curve does not return and a reader needs (a bin of 3 rows says little).
Only aggregates: no score or label of any single row leaves this module.
"""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
from pydantic import Field, model_validator

from tef_harness.sdk.views.base import View, ViewPart

_Unit = Annotated[float, Field(ge=0.0, le=1.0)]


class CalibrationBin(ViewPart):
    """One non-empty bin: [lower, upper] edges, mean score, observed positive share, rows."""

    lower: _Unit
    upper: _Unit
    mean_predicted: _Unit
    fraction_positive: _Unit
    n: Annotated[int, Field(ge=1)]


class CalibrationCurve(View):
    """A reliability diagram as data. ``target``: ``positive_class`` for a binary classifier
    (score = P(positive), outcome = label is positive) or ``top_label`` for a multiclass one
    (score = the highest class probability, outcome = that class is right)."""

    kind: Literal["calibration_curve"] = "calibration_curve"
    schema_version: Literal[1] = 1
    strategy: Literal["uniform"] = "uniform"
    target: Literal["positive_class", "top_label"]
    n_bins: Annotated[int, Field(ge=2, le=100)]
    bins: tuple[CalibrationBin, ...]

    @model_validator(mode="after")
    def _ordered(self) -> CalibrationCurve:
        if len(self.bins) > self.n_bins:
            raise ValueError(f"{len(self.bins)} bins for n_bins = {self.n_bins}")
        if any(a.upper > b.lower + 1e-12 for a, b in zip(self.bins, self.bins[1:], strict=False)):
            raise ValueError("bins must be ordered and not overlap")
        return self

    @classmethod
    def from_scores(
        cls,
        score: np.ndarray,
        outcome: np.ndarray,
        n_bins: int,
        target: Literal["positive_class", "top_label"] = "positive_class",
    ) -> CalibrationCurve:
        """Bins of ``score`` (shape (n,), in [0, 1]) against ``outcome`` (shape (n,), 0/1 or
        bool). Raises ValueError on a score outside [0, 1] or on mismatched shapes."""
        score = np.asarray(score, dtype=float)
        outcome = np.asarray(outcome, dtype=float)
        if score.shape != outcome.shape or score.ndim != 1:
            raise ValueError(f"score {score.shape} and outcome {outcome.shape} must be the same 1-d shape")
        if score.size and (not np.isfinite(score).all() or score.min() < 0 or score.max() > 1):
            raise ValueError("scores must lie in [0, 1]")
        edges = np.linspace(0.0, 1.0, n_bins + 1)
        ids = np.searchsorted(edges[1:-1], score)
        total = np.bincount(ids, minlength=n_bins)
        sums = np.bincount(ids, weights=score, minlength=n_bins)
        hits = np.bincount(ids, weights=outcome, minlength=n_bins)
        bins = tuple(
            CalibrationBin(
                lower=float(edges[i]),
                upper=float(edges[i + 1]),
                # a mean of values in [0, 1] can round a hair outside it
                mean_predicted=min(1.0, max(0.0, float(sums[i] / total[i]))),
                fraction_positive=float(hits[i] / total[i]),
                n=int(total[i]),
            )
            for i in np.flatnonzero(total)
        )
        return cls(
            title="Calibration: observed frequency by predicted probability",
            target=target,
            n_bins=n_bins,
            bins=bins,
        )
