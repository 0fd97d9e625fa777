"""ConformityReport: the one immutable record of a run.

Renderers (JSON, HTML, Markdown, JUnit) and sinks (files, MLflow) read only this object, so
it must hold everything they need: what was tested (digests), how (config, seed, versions,
plugins), what was measured (metrics with intervals, findings, renderer details), how it was
judged (threshold outcomes, waivers) and the verdict with its reasons. ``schema_version``
changes whenever a field changes meaning; JSON Schema is exported by ``tef report schema``.
A check's judged result, ``CheckResult``, is defined in ``tef_harness.sdk.results`` because
checks that run after others read it from ``ctx.results``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from tef_harness.sdk.frozen import FrozenDict, FrozenJson
from tef_harness.sdk.masking import MaskedStr, redact_json
from tef_harness.sdk.results import CheckResult

#: 2.0: every container frozen; check descriptions, the checks that did not run, column dtypes
#: of the data files, package versions from the checks' distributions, and (since 1.0 without
#: a bump) ``undefined`` metrics and a threshold's ``insufficient``/``exclusive``/``basis``, and
#: (optional, without a bump) ``coverage``
SCHEMA_VERSION: Literal["2.0"] = "2.0"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Verdict(StrEnum):
    CONFORMANT = "conformant"
    NON_CONFORMANT = "non_conformant"
    INCOMPLETE = "incomplete"


class PluginRecord(_Frozen):
    check_id: str
    distribution: str
    version: str
    entry_point: str
    builtin: bool


class PluginFailure(_Frozen):
    entry_point: str
    distribution: str
    error: str


class FileRecord(_Frozen):
    role: str
    path: str
    sha256: str
    rows: int | None = None
    columns: tuple[MaskedStr, ...] | None = None  # column names can be personal data
    #: each column's pandas dtype (``int64``, ``float64``, ``object``, ``category``), in the
    #: order of ``columns``: what a sink needs to describe the data's schema without the data
    dtypes: tuple[str, ...] | None = None


class ModelRecord(_Frozen):
    adapter: str
    path: str
    sha256: str
    description: str
    trusted: bool
    task: str | None
    classes: tuple[MaskedStr, ...] | None = None
    features: tuple[MaskedStr, ...] = ()
    metadata: FrozenDict[str, MaskedStr] = Field(default_factory=FrozenDict)


class Subject(_Frozen):
    model: ModelRecord | None
    files: tuple[FileRecord, ...]
    target: MaskedStr | None
    sensitive: tuple[MaskedStr, ...]
    config_sha256: str


class RequirementStatus(StrEnum):
    TESTED_PASSED = "tested_passed"
    TESTED_FAILED = "tested_failed"
    TESTED_INCONCLUSIVE = "tested_inconclusive"
    NOT_TESTED = "not_tested"
    NOT_APPLICABLE = "not_applicable"


class RequirementRow(_Frozen):
    id: str
    title: str
    status: RequirementStatus
    checks: tuple[str, ...] = ()


class Provenance(_Frozen):
    tool: str
    tool_version: str
    python: str
    platform: str
    packages: FrozenDict[str, str]
    seed: int
    started_at: dt.datetime
    finished_at: dt.datetime
    duration_s: float


class NotRunReason(StrEnum):
    #: left out by ``--only`` / ``plugins.only``
    NOT_SELECTED = "not_selected"
    #: ``enabled = false`` in the config or the profile
    DISABLED = "disabled"
    #: planned, but the inputs do not allow it (missing capability, or the check's ``bind``)
    NOT_APPLICABLE = "not_applicable"


class NotRun(_Frozen):
    """A registered check that did not run in this audit, and why (``detail`` in words)."""

    check_id: str
    title: str
    reason: NotRunReason
    detail: str


class Coverage(_Frozen):
    """How much of the audit ran: the checks this run selected among those the profile and
    config would run (registered and enabled). ``--only`` / ``plugins.only`` narrows it, as
    pytest's ``-k`` deselects tests: the verdict word and the exit code stay the verdict's (a
    CI gate may run a subset on purpose), and every report says the run was partial and which
    checks it left out (``reports/coverage.py``)."""

    #: some check the profile and config would run was left out by ``plugins.only``
    partial: bool
    checks_selected: int
    checks_in_profile: int
    #: the ids left out by ``plugins.only``, in id order
    not_selected: tuple[str, ...] = ()


class ProfileRecord(_Frozen):
    name: str
    version: str
    source: str


class ConformityReport(_Frozen):
    schema_version: Literal["2.0"] = SCHEMA_VERSION
    #: digest of the tested inputs and config: equal for two runs on the same inputs
    run_id: str
    verdict: Verdict
    verdict_reasons: tuple[str, ...]
    profile: ProfileRecord
    subject: Subject
    provenance: Provenance
    plugins: tuple[PluginRecord, ...]
    plugin_failures: tuple[PluginFailure, ...] = ()
    results: tuple[CheckResult, ...]
    #: the registered checks that did not run, with the reason; a not-applicable check also
    #: has its result in ``results``
    not_run: tuple[NotRun, ...] = ()
    #: how much of the audit ran (None in a report written before the field: derive it from
    #: ``not_run``, as ``reports.coverage.coverage_of`` does)
    coverage: Coverage | None = None
    requirements: tuple[RequirementRow, ...]
    summary: FrozenDict[str, int]
    warnings: tuple[str, ...] = ()
    #: masked before it freezes: the config names columns, which can be personal data
    config: Annotated[FrozenDict[str, FrozenJson], BeforeValidator(redact_json)]

    def result(self, check_id: str) -> CheckResult | None:
        return next((r for r in self.results if r.check_id == check_id), None)

    def _repr_html_(self) -> str:
        """Jupyter shows the HTML report inline, in an iframe so its styles stay its own."""
        import html

        from tef_harness.reports.renderers.html_report import render_html

        doc = html.escape(render_html(self), quote=True)
        return f'<iframe srcdoc="{doc}" style="width:100%;height:640px;border:1px solid #ccc" title="report"></iframe>'

    def save_html(self, path: str | Path) -> Path:
        """Write the HTML report to ``path`` atomically; returns the path."""
        from tef_harness.reports.renderers.html_report import render_html
        from tef_harness.reports.sinks.files import write_atomic

        return write_atomic(Path(path), render_html(self))
