"""What a check hands back (metrics, findings, data for renderers) and the judged result the
engine makes of it.

These are the values the report is built from, so they validate on construction: a
non-finite metric or a name MLflow would reject fails here, in the check that made it, not
later at logging time in somebody's CI.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator, model_validator

from tef_harness.sdk.dimensions import Dimensions, is_criterion, metric_name
from tef_harness.sdk.frozen import FrozenDict, FrozenJson
from tef_harness.sdk.masking import mask, redact, redact_details, redact_optional
from tef_harness.sdk.views import AnyView

_METRIC_NAME = re.compile(r"^[\w.\-/ ]{1,250}$")
_FINDING_CODE = re.compile(r"^[A-Z]{2,10}\d{3}$")


class Severity(StrEnum):
    """Ordered severities; the gate fails a check at or above a configured level."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    WAIVED = "waived"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"
    NOT_APPLICABLE = "not_applicable"
    ERROR = "error"


EvidenceOutcome = Literal["passed", "failed", "inconclusive", "not_applicable"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Interval(_Frozen):
    """A confidence interval; ``method`` says how it was obtained (e.g. ``bootstrap-percentile``)."""

    low: float
    high: float
    level: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.95
    method: str = "bootstrap-percentile"

    @model_validator(mode="after")
    def _ordered_and_finite(self) -> Interval:
        if not (math.isfinite(self.low) and math.isfinite(self.high)):
            raise ValueError("interval bounds must be finite")
        if self.low > self.high:
            raise ValueError(f"interval low {self.low} > high {self.high}")
        return self


class Metric(_Frozen):
    """One measured number. Finite by construction; ``n`` is the sample size behind it.

    ``dims`` says what was measured on which slice; ``name`` is then derived from it
    (``Dimensions.name``) and need not be given. A metric built with a ``name`` alone (a
    plugin that names its own metrics, a report written before dimensions) has no ``dims``.
    ``greater_is_better`` is MLflow's word (``MetricThreshold``); ``higher_is_better`` is
    still read. ``unit``: what the number is in: ``rate`` (a proportion of rows or events),
    ``share`` (of a whole), ``count``, ``ratio``, ``difference`` (of two rates or shares),
    ``score`` (dimensionless: F1, AUC, Brier, R²), ``probability``, ``bits``/``nats``, ``target
    units`` (the target's own, for regression errors), or a plugin's own word.
    """

    #: derived from ``dims`` when they are given (the default only satisfies type checkers)
    name: str = Field(default="", validate_default=True)
    value: float
    dims: Dimensions | None = None
    ci: Interval | None = None
    n: Annotated[int, Field(ge=0)] | None = None
    greater_is_better: bool | None = Field(
        default=None, validation_alias=AliasChoices("greater_is_better", "higher_is_better")
    )
    unit: str | None = None
    description: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _derived_name(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        if data.get("dims") is None:
            # a plain identifier is its own criterion; a name with '/' (a plugin's own, or a
            # report written before dimensions) stays a name without dimensions
            name = data.get("name")
            if isinstance(name, str) and is_criterion(name):
                return {**data, "dims": Dimensions(criterion=name)}
            return data
        raw = data["dims"]
        dims = raw if isinstance(raw, Dimensions) else Dimensions.model_validate(raw)
        derived = dims.name()
        given = data.get("name")
        if given is not None and given != derived:
            raise ValueError(f"metric name {given!r} is not the name its dimensions derive ({derived!r})")
        return {**data, "dims": dims, "name": derived}

    def qualified_name(self, check_id: str) -> str:
        """``<check id>/<name>``: the name a tracker or a reader of many checks sees."""
        return f"{check_id}/{self.name}"

    @property
    def key(self) -> Dimensions:
        """The metric's dimensions (a criterion-only key for a metric built by name)."""
        return self.dims if self.dims is not None else Dimensions.model_construct(criterion=self.name)

    @field_validator("name")
    @classmethod
    def _mlflow_safe(cls, v: str) -> str:
        # the masking door: a name built from a group value must not carry personal data;
        # '_' keeps the masked name within MLflow's alphabet
        v = redact(v, fill="_")
        if not _METRIC_NAME.fullmatch(v):
            raise ValueError(
                f"metric name {v!r} must match [\\w.\\-/ ]{{1,250}} (MLflow's rule); "
                "build it with tef_harness.api.metric_name()"
            )
        return v

    @field_validator("value")
    @classmethod
    def _finite(cls, v: float) -> float:
        if not math.isfinite(v):
            raise ValueError(f"metric value must be finite, got {v}")
        return float(v)

    @field_validator("description")
    @classmethod
    def _masked_description(cls, v: str | None) -> str | None:
        return redact_optional(v)


class Finding(_Frozen):
    """Something a reader should know, with a stable code a waiver can name.

    Every text field and ``data`` pass the masking door (``tef_harness.sdk.masking``) on
    construction; checks that quote a detected value still ``mask`` it themselves, since the
    door only masks what looks like an identifier or contact detail.
    """

    code: str
    severity: Severity
    message: str
    location: str | None = None
    evidence: str | None = None
    data: FrozenDict[str, FrozenJson] = Field(default_factory=FrozenDict)
    #: codes of this check's findings that this one explains (a broken front matter explains
    #: why the items read from it are missing): reports list it before them, ranked as the
    #: most severe of them (``reports/finding_order.py``)
    explains: tuple[str, ...] = ()

    @field_validator("code")
    @classmethod
    def _lint_style(cls, v: str) -> str:
        if not _FINDING_CODE.fullmatch(v):
            raise ValueError(f"finding code {v!r} must look like a lint code, e.g. BIAS003")
        return v

    @field_validator("message", "location", "evidence")
    @classmethod
    def _masked_text(cls, v: str | None) -> str | None:
        return redact_optional(v)

    # before the type freezes it: the door works on plain JSON and the frozen copy is what stays
    @field_validator("data", mode="before")
    @classmethod
    def _masked_data(cls, v: object) -> object:
        return redact_details(v) if isinstance(v, Mapping) else v


class _MaskedReasonAndDetails(_Frozen):
    """The masking door on the two free-form fields a check's answer and its judged result
    share: ``reason`` (the engine writes an exception's message there too) and ``details``."""

    @field_validator("reason", check_fields=False)
    @classmethod
    def _masked_reason(cls, v: str | None) -> str | None:
        return redact_optional(v)

    @field_validator("details", "undefined", mode="before", check_fields=False)
    @classmethod
    def _masked_details(cls, v: object) -> object:
        return redact_details(v) if isinstance(v, Mapping) else v


class CheckOutput(_MaskedReasonAndDetails):
    """A check's whole answer. ``status`` is only for what the engine cannot infer:
    the check saw too little data (insufficient_evidence) or does not apply here."""

    metrics: tuple[Metric, ...] = ()
    findings: tuple[Finding, ...] = ()
    status: Literal["insufficient_evidence", "not_applicable"] | None = None
    reason: str | None = None
    details: FrozenDict[str, FrozenJson] = Field(default_factory=FrozenDict)
    #: typed tables and curves for renderers and later checks (``tef_harness.sdk.views``)
    views: tuple[AnyView, ...] = ()
    #: per-requirement outcome, for checks whose evidence differs by requirement (e.g. one
    #: Annex IV item documented, another missing); keys must be in the check's ``evidence_for``
    evidence: FrozenDict[str, EvidenceOutcome] = Field(default_factory=FrozenDict)
    #: metrics the check could not define on this data, each with the reason (one class only in
    #: the evaluation rows, too few non-members for a 0.1% FPR): a bound on one of them is
    #: insufficient evidence, never a number made up (0.0) nor a failure
    undefined: FrozenDict[str, str] = Field(default_factory=FrozenDict)

    @model_validator(mode="after")
    def _unique_metric_names(self) -> CheckOutput:
        seen: dict[str, Metric] = {}
        for m in self.metrics:
            first = seen.setdefault(m.name, m)
            if first is not m:
                raise ValueError(
                    f"two metrics derive the same name {m.name!r}: {_dims_text(first)} and {_dims_text(m)}"
                )
        names = list(seen)
        both = sorted(set(names) & set(self.undefined))
        if both:
            raise ValueError(f"metric(s) both measured and undefined: {', '.join(both)}")
        if self.status is not None and not self.reason:
            raise ValueError(f"status {self.status} needs a reason")
        return self


# -- a judged result, as the engine records it and as a check that declares ``run_after``
# reads it from ``ctx.results``; the report holds a tuple of these


class ThresholdOutcome(_Frozen):
    """One threshold applied to one metric: what was compared, against what, and the answer."""

    metric: str
    on: Literal["value", "lower", "upper"]
    min: float | None = None
    max: float | None = None
    exclusive: bool = False
    observed: float | None
    passed: bool
    waived: bool = False
    #: the bound could not be tested because the check left the metric undefined on this data
    #: (``note`` says why): insufficient evidence, not a failure; ``passed`` stays false
    insufficient: bool = False
    source: str
    #: where the bound's number comes from (a standard, a paper, or "harness convention")
    basis: str | None = None
    note: str | None = None

    @field_validator("note")
    @classmethod
    def _masked_note(cls, v: str | None) -> str | None:
        return redact_optional(v)  # quotes the check's reason, which can name a group or column


class WaiverUse(_Frozen):
    target: str
    reason: str
    owner: str
    expires: dt.date | None = None


class CheckResult(_MaskedReasonAndDetails):
    check_id: str
    family: str
    title: str
    #: the check class's ``description``: what it measures, for a renderer's reader
    description: str = ""
    check_version: str
    distribution: str
    distribution_version: str
    status: Status
    reason: str | None = None
    required: bool = True
    evidence_for: tuple[str, ...] = ()
    params: FrozenDict[str, FrozenJson] = Field(default_factory=FrozenDict)
    metrics: tuple[Metric, ...] = ()
    findings: tuple[Finding, ...] = ()
    thresholds: tuple[ThresholdOutcome, ...] = ()
    waived: tuple[WaiverUse, ...] = ()
    #: codes of findings that failed the severity gate (before waivers)
    gated_findings: tuple[str, ...] = ()
    details: FrozenDict[str, FrozenJson] = Field(default_factory=FrozenDict)
    #: typed views the check emitted (see CheckOutput.views)
    views: tuple[AnyView, ...] = ()
    #: per-requirement outcomes reported by the check (see CheckOutput.evidence)
    evidence: FrozenDict[str, EvidenceOutcome] = Field(default_factory=FrozenDict)
    #: metrics the check could not define on this data, with the reason (see CheckOutput.undefined)
    undefined: FrozenDict[str, str] = Field(default_factory=FrozenDict)
    duration_s: float = 0.0

    def metric(self, name: str) -> Metric | None:
        return next((m for m in self.metrics if m.name == name), None)


def _dims_text(m: Metric) -> str:
    if m.dims is None:
        return f"(named {m.name!r})"
    fields = m.dims.model_dump(exclude_defaults=True)
    return "(" + ", ".join(f"{k}={v!r}" for k, v in fields.items()) + ")"


__all__ = [
    "CheckOutput",
    "CheckResult",
    "Dimensions",
    "EvidenceOutcome",
    "Finding",
    "Interval",
    "Metric",
    "Severity",
    "Status",
    "ThresholdOutcome",
    "WaiverUse",
    "mask",
    "metric_name",
    "redact",
]
