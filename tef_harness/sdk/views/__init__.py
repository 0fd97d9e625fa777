"""Typed views a check emits beside its metrics: small, frozen, aggregate-only data that a
renderer draws without knowing the check (a reliability diagram, masked example rows)."""

from tef_harness.sdk.views.calibration import CalibrationCurve
from tef_harness.sdk.views.examples import ExampleRows

__all__ = ["CalibrationCurve", "ExampleRows"]
