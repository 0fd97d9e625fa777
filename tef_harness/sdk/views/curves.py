"""Curves: a measure along an ordered x (perturbation severity, false-positive rate, epsilon).

Emitted by ``robustness.perturbation`` (flip rate and accuracy drop by severity, one curve
per perturbation family and measure) and ``privacy.membership_inference`` (the attack's ROC);
read by the renderers.
"""

from __future__ import annotations

from typing import Literal

from tef_harness.sdk.views.base import View, ViewPart


class CurvePoint(ViewPart):
    x: float
    y: float
    low: float | None = None
    high: float | None = None
    n: int | None = None


class Curve(View):
    """``measure`` along ``x_label``; ``series`` names the line (a perturbation family, an
    attack). ``level`` is the confidence level of the points' intervals, if any."""

    kind: Literal["curve"] = "curve"
    schema_version: Literal[1] = 1
    measure: str
    series: str
    x_label: str
    y_label: str
    points: tuple[CurvePoint, ...]
    level: float | None = None
