"""plan → intake → bind → run → judge → report.

Bad input (a broken model card, a schema that contradicts the data) is found by intake and
by the checks' ``bind``, and stops the run with exit code 2 before any check runs. From then
on the engine is the only place that catches a check's exception: any exception from ``run``
(a model that hangs, a bug) becomes an ``error`` result, which never passes, and the run goes
on to a report.
"""

from __future__ import annotations

import datetime as dt
import platform
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tef_harness import __version__
from tef_harness.config.policy import Profile, load_policy_profile
from tef_harness.config.schema import LoadedConfig
from tef_harness.engine.binding import Unbound, bind_checks, bind_model, decision_threshold, worker_count
from tef_harness.engine.coverage import coverage_for, partial_reason
from tef_harness.engine.judge import active_waivers, judge, verdict
from tef_harness.engine.offline import apply_offline_defaults
from tef_harness.engine.package_versions import recorded_versions
from tef_harness.engine.planning import Plan, PlannedCheck, make_plan
from tef_harness.engine.registry import Discovery, discover
from tef_harness.engine.requirements import requirements_table
from tef_harness.engine.workers import ForkWorkers
from tef_harness.intake.build import build_run_context, intake_warnings
from tef_harness.intake.hashing import sha256_json
from tef_harness.reports.schema import (
    ConformityReport,
    FileRecord,
    ModelRecord,
    NotRun,
    NotRunReason,
    PluginFailure,
    PluginRecord,
    ProfileRecord,
    Provenance,
    Subject,
)
from tef_harness.sdk.context import RunContext
from tef_harness.sdk.errors import ConfigError, TefError
from tef_harness.sdk.model import ModelCallError
from tef_harness.sdk.results import CheckOutput, CheckResult, Status
from tef_harness.sdk.workers import Workers

Progress = Callable[[str, "CheckResult | None"], None]
#: builds the run context from a loaded config, the run's decision threshold and workers
#: (default: ``intake.build.build_run_context``, which reads the files the config names)
Intake = Callable[[LoadedConfig, "float | None", Workers], RunContext]


@dataclass(frozen=True)
class Prepared:
    """A validated plan and the context it will run on."""

    plan: Plan
    profile: Profile
    profile_source: str
    context: RunContext
    discovery: Discovery
    #: planned checks that will not run (``bind`` said why), by id
    unbound: Mapping[str, Unbound] = field(default_factory=dict)
    #: warnings found while preparing (deprecated settings), for the report
    warnings: tuple[str, ...] = ()


def prepare(lc: LoadedConfig, discovery: Discovery | None = None, intake: Intake | None = None) -> Prepared:
    """Validate everything that can be validated before a check runs: profile, plan, params,
    then the inputs (model, data, documents; taken in by ``intake``), then every planned
    check's ``bind``. Raises TefError on the first bad input."""
    apply_offline_defaults()  # once per process; a no-op after the CLI applied it
    cfg = lc.config
    discovery = discovery or discover(third_party=cfg.plugins.third_party)
    try:
        profile, profile_source = load_policy_profile(cfg.profile, lc.base_dir)
    except ConfigError as exc:  # an unknown name: the config (or the flag over it) named it
        raise ConfigError(exc.detail, file=exc.file or lc.source or "command line", field=exc.field) from None
    plan = make_plan(lc, profile, discovery)
    source = lc.source or "command line"
    threshold, warnings = decision_threshold(plan, cfg.model.decision_threshold, source)
    jobs, job_warnings = worker_count(plan, cfg.jobs)
    if intake is None:
        context = build_run_context(lc, decision_threshold=threshold, workers=ForkWorkers(jobs))
    else:
        context = intake(lc, threshold, ForkWorkers(jobs))
    bind_model(context, threshold, source)
    unbound = bind_checks(plan, context, source)
    return Prepared(
        plan, profile, profile_source, context, discovery, unbound, (*lc.warnings, *warnings, *job_warnings)
    )


def run(lc: LoadedConfig, prepared: Prepared, progress: Progress | None = None) -> ConformityReport:
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    cfg = lc.config
    waivers, warnings = active_waivers(cfg.waivers, started.date())
    warnings = [*prepared.warnings, *warnings]
    ctx = prepared.context
    results: dict[str, CheckResult] = {}
    #: planned checks that did not run because they do not apply, with the reason; the judged
    #: status may differ (a required check that does not apply is insufficient evidence)
    inapplicable: dict[str, str] = {}
    for planned in prepared.plan.checks:
        if progress:
            progress(planned.plugin.check_id, None)
        raw = _run_one(
            planned,
            ctx.with_results(results) if planned.cls.run_after else ctx,
            prepared.unbound.get(planned.plugin.check_id),
        )
        if raw.status == Status.NOT_APPLICABLE:
            inapplicable[raw.check_id] = raw.reason or ""
        judged = judge(raw, planned.settings.thresholds, planned.threshold_sources, cfg.gate, waivers, ctx.task)
        results[planned.plugin.check_id] = judged
        if progress:
            progress(planned.plugin.check_id, judged)
    ordered = tuple(results[p.plugin.check_id] for p in prepared.plan.checks)
    model = ctx.model
    warnings.extend(intake_warnings(ctx))
    if model is not None and model.info.trusted:
        warnings.append(f"the model artifact was trusted to execute code on load ({model.info.adapter})")
    v, reasons = verdict(ordered, len(prepared.plan.failures), prepared.plan.missing_required, cfg.gate)
    coverage = coverage_for(prepared.plan)
    if (partial := partial_reason(coverage)) is not None:
        reasons = [partial, *reasons]  # first: it qualifies every reason after it
    thresholds_declared = any(r.thresholds for r in ordered)
    config_dump = cfg.model_dump(mode="json")
    config_sha = sha256_json(config_dump)
    files = _file_records(ctx)
    finished = dt.datetime.now(dt.UTC)
    return ConformityReport(
        run_id=sha256_json([config_sha, [f.sha256 for f in files], model.info.sha256 if model else None, __version__])[
            :16
        ],
        verdict=v,
        verdict_reasons=tuple(reasons),
        profile=ProfileRecord(
            name=prepared.profile.name, version=prepared.profile.version, source=prepared.profile_source
        ),
        subject=Subject(
            model=_model_record(ctx),
            files=files,
            target=ctx.target,
            sensitive=ctx.sensitive,
            config_sha256=config_sha,
        ),
        provenance=Provenance(
            tool="tef-harness",
            tool_version=__version__,
            python=sys.version.split()[0],
            platform=platform.platform(),
            packages=recorded_versions(p.plugin.distribution for p in prepared.plan.checks),
            seed=cfg.seed,
            started_at=started,
            finished_at=finished,
            duration_s=round(time.perf_counter() - t0, 3),
        ),
        plugins=tuple(
            PluginRecord(
                check_id=p.check_id,
                distribution=p.distribution,
                version=p.version,
                entry_point=p.entry_point,
                builtin=p.builtin,
            )
            for p in prepared.discovery.plugins
        ),
        plugin_failures=tuple(
            PluginFailure(entry_point=f"{f.name} = {f.entry_point}", distribution=f.distribution, error=f.error)
            for f in prepared.plan.failures
        ),
        results=ordered,
        not_run=_not_run(prepared.plan, inapplicable),
        coverage=coverage,
        requirements=requirements_table(prepared.profile.requirements, ordered, thresholds_declared),
        summary={s.value: sum(1 for r in ordered if r.status == s) for s in Status},
        warnings=tuple(warnings),
        config=config_dump,
    )


def _run_one(planned: PlannedCheck, ctx: RunContext, unbound: Unbound | None = None) -> CheckResult:
    cls = planned.cls
    base: dict[str, Any] = dict(
        check_id=cls.id,
        family=cls.family,
        title=cls.title,
        description=cls.description,
        check_version=cls.version,
        distribution=planned.plugin.distribution,
        distribution_version=planned.plugin.version,
        required=planned.required,
        evidence_for=tuple(cls.evidence_for),
        params=planned.params.model_dump(mode="json"),
    )
    missing = sorted(cls.requires - ctx.capabilities)
    if missing:
        return CheckResult(**base, status=Status.NOT_APPLICABLE, reason=f"needs {', '.join(missing)}")
    if unbound is not None:
        return CheckResult(**base, status=Status(unbound.kind), reason=unbound.reason)
    t0 = time.perf_counter()
    try:
        out = cls().run(ctx, planned.params)
        if not isinstance(out, CheckOutput):
            raise TypeError(f"run() returned {type(out).__name__}, not CheckOutput")
    except Exception as exc:  # noqa: BLE001 - a check's failure must not take the run down
        text = exc.one_line() if isinstance(exc, TefError) else str(exc)
        message = text.splitlines()[0][:300] if text else ""
        return CheckResult(
            **base,
            status=Status.ERROR,
            # a failed model call is already a sentence for the reader; anything else is a bug
            reason=message if isinstance(exc, ModelCallError) else f"{type(exc).__name__}: {message}",
            duration_s=round(time.perf_counter() - t0, 3),
        )
    stray = sorted(set(out.evidence) - set(cls.evidence_for))
    if stray:
        return CheckResult(
            **base, status=Status.ERROR, reason=f"evidence for undeclared requirement(s): {', '.join(stray)}"
        )
    status = Status(out.status) if out.status else Status.PASSED
    return CheckResult(
        **base,
        status=status,
        reason=out.reason,
        metrics=out.metrics,
        findings=out.findings,
        details=out.details,
        views=out.views,
        evidence=out.evidence,
        undefined=out.undefined,
        duration_s=round(time.perf_counter() - t0, 3),
    )


def _model_record(ctx: RunContext) -> ModelRecord | None:
    m = ctx.model
    if m is None:
        return None
    return ModelRecord(
        adapter=m.info.adapter,
        path=m.info.path,
        sha256=m.info.sha256,
        description=m.info.description,
        trusted=m.info.trusted,
        task=ctx.task,
        classes=tuple(str(c) for c in ctx.classes) if ctx.classes is not None else None,
        features=ctx.features,
        metadata=m.info.metadata,
    )


def _file_records(ctx: RunContext) -> tuple[FileRecord, ...]:
    records = [
        FileRecord(
            role=d.role,
            path=d.path,
            sha256=d.sha256,
            rows=d.n_rows,
            columns=tuple(d.frame.columns),
            dtypes=tuple(str(t) for t in d.frame.dtypes),
        )
        for d in (ctx.eval, ctx.train)
        if d is not None
    ]
    records += [FileRecord(role=doc.role, path=doc.path, sha256=doc.sha256) for doc in ctx.documents.values()]
    return tuple(records)


def _not_run(plan: Plan, inapplicable: Mapping[str, str]) -> tuple[NotRun, ...]:
    """Every registered check that did not run: left out by the plan, or planned and found
    not applicable (its result is in the report too), in check-id order."""
    rows = [
        NotRun(check_id=o.plugin.check_id, title=o.plugin.cls.title, reason=NotRunReason(o.reason), detail=o.detail)
        for o in plan.left_out
    ]
    rows += [
        NotRun(check_id=p.plugin.check_id, title=p.cls.title, reason=NotRunReason.NOT_APPLICABLE, detail=why)
        for p in plan.checks
        if (why := inapplicable.get(p.plugin.check_id)) is not None
    ]
    return tuple(sorted(rows, key=lambda row: row.check_id))
