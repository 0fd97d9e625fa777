"""documentation.consistency: a claim on the cautious side of the measured interval is a note,
an over-claim fails (found by a new-user trial: a card claiming ROC AUC 0.75 while the measured
95 % interval was [0.77, 0.83] failed the check, as if it had over-claimed).

Cautious means below the interval for a metric whose greater is better, above it for a loss;
the direction is the measured metric's ``greater_is_better``. A claim equal to a bound of the
interval is consistent. Judged here with the default profile's own bound on the check."""

from __future__ import annotations

from pathlib import Path

import pytest
from documentation_testkit import context, result

from tef_harness.checks.documentation.consistency import ConsistencyParams, DocumentationConsistency
from tef_harness.config.policy import load_policy_profile
from tef_harness.config.schema import GateSection
from tef_harness.engine.judge import judge
from tef_harness.sdk.results import CheckOutput, CheckResult, Severity, Status

#: (value, low, high) of each measured metric, and its direction
MEASURED = {
    "roc_auc": ((0.80, 0.77, 0.83), True),
    "accuracy": ((0.7151, 0.7055, 0.7248), True),
    "log_loss": ((0.50, 0.48, 0.52), False),
    "brier": ((0.20, 0.18, 0.22), False),
}


def card(metric: str, value: str) -> str:
    """A card declaring one metric value, written as a card author writes it (``value`` as
    text: its digits say how precise the claim is)."""
    return (
        "---\nmodel-index:\n  - name: m\n    results:\n      - task: {type: tabular-classification}\n"
        "        dataset: {name: hold-out, split: test}\n        metrics:\n"
        f"          - {{type: {metric}, value: {value}}}\n---\n# Card\n\nEvaluated by sex and age_group.\n"
    )


def perf(metric: str, higher: bool | None = None) -> CheckResult:
    interval, direction = MEASURED[metric]
    return result(
        "performance.metrics",
        {metric: interval},
        higher={metric: direction if higher is None else higher},
        details={"task": "binary", "decision_threshold": None, "pos_label": "1"},
    )


def check(text: str, measured: CheckResult) -> tuple[CheckOutput, CheckResult]:
    """The check's output, and its result judged with the default profile's thresholds."""
    ctx = context({"card": text}, results={"performance.metrics": measured})
    out = DocumentationConsistency().run(ctx, ConsistencyParams())
    profile, _ = load_policy_profile("default", Path("."))
    settings = profile.checks["documentation.consistency"]
    raw = CheckResult(
        check_id="documentation.consistency",
        family="documentation",
        title="t",
        check_version="1",
        distribution="tef-harness",
        distribution_version="0",
        status=Status.PASSED,
        metrics=out.metrics,
        findings=out.findings,
    )
    sources = dict.fromkeys(range(len(settings.thresholds)), "profile")
    return out, judge(raw, tuple(settings.thresholds), sources, GateSection(), [])


def count(out: CheckOutput, name: str) -> float:
    return next(m.value for m in out.metrics if m.name == name)


def codes(out: CheckOutput) -> list[str]:
    return [f.code for f in out.findings if f.code in ("DOC101", "DOC102")]


@pytest.mark.parametrize(
    ("metric", "claim", "expected"),
    [
        # greater is better: below the interval is cautious, above it over-claims
        ("roc_auc", "0.75", "understated"),  # the trial's case: 0.75 against [0.77, 0.83]
        ("roc_auc", "0.764", "understated"),  # [0.7635, 0.7645]: just below 0.77
        ("roc_auc", "0.770", "consistent"),  # equal to the lower bound
        ("roc_auc", "0.830", "consistent"),  # equal to the upper bound
        ("roc_auc", "0.836", "overstated"),  # [0.8355, 0.8365]: just above 0.83
        ("roc_auc", "0.9", "overstated"),
        ("accuracy", "0.69", "understated"),
        ("accuracy", "0.74", "overstated"),
        # a loss: above the interval is cautious (a worse loss than measured), below over-claims
        ("log_loss", "0.60", "understated"),
        ("log_loss", "0.526", "understated"),
        ("log_loss", "0.520", "consistent"),
        ("log_loss", "0.480", "consistent"),
        ("log_loss", "0.474", "overstated"),
        ("log_loss", "0.40", "overstated"),
        ("brier", "0.25", "understated"),
        ("brier", "0.220", "consistent"),
        ("brier", "0.180", "consistent"),
        ("brier", "0.15", "overstated"),
    ],
)
def test_claim_side_decides_note_or_failure(metric: str, claim: str, expected: str) -> None:
    out, judged = check(card(metric, claim), perf(metric))
    assert count(out, "claims.verified") == 1
    assert count(out, "claims.overstated") == (expected == "overstated")
    assert count(out, "claims.understated") == (expected == "understated")
    assert count(out, "claims.consistent") == (expected == "consistent")
    assert count(out, "claims.outside_interval") == (expected != "consistent")
    if expected == "overstated":
        (f,) = [f for f in out.findings if f.code == "DOC101"]
        assert f.severity is Severity.HIGH and "more favourable than the measurement supports" in f.message
        assert judged.status is Status.FAILED
    else:
        assert judged.status is Status.PASSED, judged.reason
        if expected == "understated":
            (f,) = [f for f in out.findings if f.code == "DOC102"]
            # worded by direction: for a loss the cautious claim is MORE than was measured
            assert f.severity is Severity.LOW and "claims a less favourable value than was measured" in f.message
            assert "claims less than" not in f.message
            (row,) = [r for r in out.details["claims"] if r["kind"] == "metric"]
            assert row["verdict"] == "cautious"  # the claims table uses the finding's word
            assert f.severity.rank < GateSection().fail_on.rank  # a note below the default gate
        else:
            assert codes(out) == []


def test_the_measured_direction_decides_not_the_name() -> None:
    """A metric measured with greater_is_better = False (a plugin's, or a loss named like a
    score) makes a claim above its interval the cautious one."""
    out, judged = check(card("roc_auc", "0.9"), perf("roc_auc", higher=False))
    assert codes(out) == ["DOC102"] and judged.status is Status.PASSED


def test_a_metric_of_unknown_direction_has_no_cautious_side() -> None:
    measured = result("performance.metrics", {"mcc": (0.40, 0.35, 0.45)}, details={"decision_threshold": None})
    measured = measured.model_copy(
        update={"metrics": tuple(m.model_copy(update={"greater_is_better": None}) for m in measured.metrics)}
    )
    for claim in ("0.20", "0.60"):  # below and above: both counted as over-claims
        out, judged = check(card("mcc", claim), measured)
        assert codes(out) == ["DOC101"] and judged.status is Status.FAILED


def test_every_profile_bounds_overstated_claims_only() -> None:
    for name in ("default", "eu-ai-act-high-risk"):
        profile, _ = load_policy_profile(name, Path("."))
        bounded = [t.metric for t in profile.checks["documentation.consistency"].thresholds]
        assert bounded == ["claims.overstated"], name
