"""Everything a plugin author imports. Anything not named here is internal and may change.

The names live in ``tef_harness.sdk``; built-in checks import them from here too, exactly as a
third-party plugin does (a test holds every module under ``checks/`` to that).
"""

from tef_harness.sdk.check import Check, Params
from tef_harness.sdk.context import CAPABILITIES, RunContext, Task
from tef_harness.sdk.data import Dataset, TextDocument
from tef_harness.sdk.errors import ConfigError, IntakeError, PluginError, TefError
from tef_harness.sdk.model import ModelAdapter, ModelAnswer, ModelCallError, ModelClient
from tef_harness.sdk.results import (
    CheckOutput,
    CheckResult,
    EvidenceOutcome,
    Finding,
    Interval,
    Metric,
    Severity,
    Status,
    mask,
    metric_name,
)
from tef_harness.sdk.stats import (
    bca_interval,
    bootstrap_indices,
    jackknife_blocks,
    percentile_interval,
    wilson_ci,
    wilson_interval,
)
from tef_harness.sdk.views.calibration import CalibrationCurve
from tef_harness.sdk.views.examples import ExampleRows

__all__ = [
    "CAPABILITIES",
    "CalibrationCurve",
    "Check",
    "CheckOutput",
    "CheckResult",
    "ConfigError",
    "Dataset",
    "EvidenceOutcome",
    "ExampleRows",
    "Finding",
    "IntakeError",
    "Interval",
    "Metric",
    "ModelAdapter",
    "ModelAnswer",
    "ModelCallError",
    "ModelClient",
    "Params",
    "PluginError",
    "RunContext",
    "Severity",
    "Status",
    "Task",
    "TefError",
    "TextDocument",
    "bca_interval",
    "bootstrap_indices",
    "jackknife_blocks",
    "mask",
    "metric_name",
    "percentile_interval",
    "wilson_ci",
    "wilson_interval",
]
