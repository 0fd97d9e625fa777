"""Everything a plugin author imports. Anything not named here is internal and may change."""

from tef_harness.check import Check, Params
from tef_harness.context import CAPABILITIES, RunContext, Task
from tef_harness.datasets import Dataset
from tef_harness.documents import TextDocument
from tef_harness.intake.base import ModelAdapter
from tef_harness.results import (
    CheckOutput,
    Finding,
    Interval,
    Metric,
    Severity,
    Status,
    mask,
    metric_name,
)
from tef_harness.stats import bootstrap_indices, percentile_interval, wilson_ci, wilson_interval

__all__ = [
    "CAPABILITIES",
    "Check",
    "CheckOutput",
    "Dataset",
    "Finding",
    "Interval",
    "Metric",
    "ModelAdapter",
    "Params",
    "RunContext",
    "Severity",
    "Status",
    "Task",
    "TextDocument",
    "bootstrap_indices",
    "mask",
    "metric_name",
    "percentile_interval",
    "wilson_ci",
    "wilson_interval",
]
