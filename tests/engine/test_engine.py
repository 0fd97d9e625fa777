"""Engine behaviour that no single check shows: fail-closed plugins, crashing checks,
not-applicable checks, run order, the prediction cache."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from tef_harness.api import Check, CheckOutput, Metric, Params, RunContext
from tef_harness.config.policy import load_policy_profile
from tef_harness.config.schema import LoadedConfig, TefConfig
from tef_harness.engine.planning import make_plan
from tef_harness.engine.registry import Discovery, LoadedPlugin, LoadFailure
from tef_harness.engine.runner import Prepared, run
from tef_harness.reports.schema import Verdict
from tef_harness.sdk.results import Status
from tef_harness.testing import fit_estimator, make_context, synthetic_frame


class Crashes(Check):
    id, family, title = "zz.crashes", "zz", "always raises"

    def run(self, ctx: RunContext, params: Params) -> CheckOutput:
        raise ZeroDivisionError("boom")


class NeedsText(Check):
    id, family, title = "zz.needs_generate", "zz", "needs a text model"
    requires = frozenset({"generate"})

    def run(self, ctx: RunContext, params: Params) -> CheckOutput:
        raise AssertionError("must not run")


class CountsPredictCalls(Check):
    id, family, title = "aa.first", "aa", "reads predictions"

    def run(self, ctx: RunContext, params: Params) -> CheckOutput:
        ctx.predictions()
        return CheckOutput(metrics=(Metric(name="m", value=1.0),))


class ReadsEarlierResults(Check):
    id, family, title = "aa.after", "aa", "reads the results of zz.* and aa.first"
    run_after = ("zz.*", "aa.first")

    def run(self, ctx: RunContext, params: Params) -> CheckOutput:
        ctx.predictions()
        return CheckOutput(details={"saw": sorted(ctx.results)})


def _prepared(classes, failures=(), ctx=None, **cfg) -> tuple[LoadedConfig, Prepared]:
    plugins = tuple(LoadedPlugin(c.id, c, "third-party-x", "1.0", f"mod:{c.__name__}") for c in classes)
    found = Discovery(plugins, tuple(failures))
    lc = LoadedConfig(config=TefConfig(**cfg), source=None, base_dir=Path("."))
    profile, source = load_policy_profile("default", Path("."))
    return lc, Prepared(make_plan(lc, profile, found), profile, source, ctx or make_context(), found)


def test_crash_is_an_error_result_and_run_goes_on() -> None:
    bounded = {"aa.first": {"thresholds": [{"metric": "m", "min": 0.5}]}}
    lc, prepared = _prepared([Crashes, CountsPredictCalls], checks=bounded)
    report = run(lc, prepared)
    by = {r.check_id: r for r in report.results}
    assert by["zz.crashes"].status == Status.ERROR
    assert by["zz.crashes"].reason == "ZeroDivisionError: boom"
    assert by["aa.first"].status == Status.PASSED
    assert report.verdict == Verdict.INCOMPLETE


def test_a_check_without_a_bound_is_listed_in_the_verdict_reasons() -> None:
    lc, prepared = _prepared([CountsPredictCalls])
    report = run(lc, prepared)
    (r,) = report.results
    assert r.status == Status.INSUFFICIENT_EVIDENCE and (r.reason or "").startswith("no bound declared")
    assert report.verdict == Verdict.INCOMPLETE
    assert report.verdict_reasons == ("no bound declared for its metrics: aa.first",)


def test_plugin_that_failed_to_load_fails_closed() -> None:
    lc, prepared = _prepared([CountsPredictCalls], failures=[LoadFailure("x.y", "m:X", "bad-dist", "import failed")])
    report = run(lc, prepared)
    assert report.verdict == Verdict.INCOMPLETE
    assert report.plugin_failures[0].distribution == "bad-dist"
    assert "1 plugin(s) failed to load" in report.verdict_reasons


def test_not_applicable_names_the_missing_capability() -> None:
    lc, prepared = _prepared([NeedsText])
    (r,) = run(lc, prepared).results
    assert r.status == Status.NOT_APPLICABLE and r.reason == "needs generate"


def test_run_after_orders_checks_and_exposes_results() -> None:
    lc, prepared = _prepared([ReadsEarlierResults, CountsPredictCalls, Crashes])
    report = run(lc, prepared)
    assert [r.check_id for r in report.results] == ["aa.first", "zz.crashes", "aa.after"]
    assert report.result("aa.after").details == {"saw": ("aa.first", "zz.crashes")}


def test_predictions_computed_once_per_run() -> None:
    calls = []
    estimator = fit_estimator(synthetic_frame(), "y", [c for c in synthetic_frame().columns if c not in ("y", "notes")])
    original = estimator.predict

    def counting(X):  # counted at the estimator, behind the adapter and the model client
        calls.append(len(X))
        return original(X)

    estimator.predict = counting
    ctx = make_context(estimator=estimator)
    lc, prepared = _prepared([ReadsEarlierResults, CountsPredictCalls], ctx=ctx)
    run(lc, prepared)
    assert calls == [len(ctx.eval.frame)]
    assert ctx.model is not None and ctx.model.calls == {"predict": 1}
    assert not ctx.predictions().flags.writeable


def test_rng_streams_do_not_depend_on_order() -> None:
    ctx = make_context()
    a = ctx.rng("bias.x").random(3)
    ctx.rng("other").random(10)
    assert np.array_equal(a, ctx.rng("bias.x").random(3))
    assert not np.array_equal(a, replace(ctx, seed=1).rng("bias.x").random(3))


class ClaimsUndeclaredEvidence(Check):
    id, family, title = "zz.overclaims", "zz", "claims evidence it did not declare"
    evidence_for = ("R1",)

    def run(self, ctx: RunContext, params: Params) -> CheckOutput:
        return CheckOutput(evidence={"R1": "passed", "R9": "passed"})


def test_evidence_for_undeclared_requirement_is_an_error() -> None:
    lc, prepared = _prepared([ClaimsUndeclaredEvidence])
    (r,) = run(lc, prepared).results
    assert r.status == Status.ERROR and "R9" in (r.reason or "")
