"""Everything a plugin author imports. Anything not named here is internal and may change.

The names live in ``tef_harness.sdk``; built-in checks import them from here too, exactly as a
third-party plugin does (a test holds every module under ``checks/`` to that).

Two names are the engine's, not the SDK's: ``run_audit`` and its ``AuditSpec`` (one audit as
one function, for a batch runner or a CI tool). They are imported on first use, so a check
importing this module does not import the engine.
"""

from typing import TYPE_CHECKING, Any

from tef_harness.sdk.check import Check, Params
from tef_harness.sdk.context import CAPABILITIES, RunContext, Task
from tef_harness.sdk.data import Dataset, TextDocument
from tef_harness.sdk.dimensions import Dimensions, metric_name
from tef_harness.sdk.errors import ConfigError, IntakeError, PluginError, TefError
from tef_harness.sdk.lookup import ResultsView
from tef_harness.sdk.masking import data_text
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
)
from tef_harness.sdk.stats import (
    bca_interval,
    bootstrap_indices,
    jackknife_blocks,
    percentile_interval,
    wilson_ci,
    wilson_interval,
)
from tef_harness.sdk.views import (
    CalibrationCurve,
    Curve,
    CurvePoint,
    ExampleRows,
    GroupRow,
    GroupTable,
    ItemState,
    ItemStates,
    Measured,
    View,
    example_cell,
    free_text_columns,
)

if TYPE_CHECKING:
    from tef_harness.engine.audit import AuditSpec as AuditSpec
    from tef_harness.engine.audit import run_audit as run_audit

#: the engine's entry points, imported on first use (see the module docstring)
ENGINE_NAMES = ("AuditSpec", "run_audit")


def __getattr__(name: str) -> Any:
    if name in ENGINE_NAMES:
        from tef_harness.engine import audit

        return getattr(audit, name)
    raise AttributeError(f"module 'tef_harness.api' has no attribute {name!r}")


__all__ = [
    "CAPABILITIES",
    "AuditSpec",
    "CalibrationCurve",
    "Check",
    "CheckOutput",
    "CheckResult",
    "ConfigError",
    "Curve",
    "CurvePoint",
    "Dataset",
    "Dimensions",
    "EvidenceOutcome",
    "ExampleRows",
    "Finding",
    "GroupRow",
    "GroupTable",
    "IntakeError",
    "Interval",
    "ItemState",
    "ItemStates",
    "Measured",
    "Metric",
    "ModelAdapter",
    "ModelAnswer",
    "ModelCallError",
    "ModelClient",
    "Params",
    "PluginError",
    "ResultsView",
    "RunContext",
    "Severity",
    "Status",
    "Task",
    "TefError",
    "TextDocument",
    "View",
    "bca_interval",
    "bootstrap_indices",
    "data_text",
    "example_cell",
    "free_text_columns",
    "jackknife_blocks",
    "mask",
    "metric_name",
    "percentile_interval",
    "run_audit",
    "wilson_ci",
    "wilson_interval",
]
