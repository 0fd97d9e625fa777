"""An example third-party check: does the model predict positives as often as they occur?"""

from __future__ import annotations

from pydantic import Field

from tef_harness.api import Check, CheckOutput, Finding, Metric, Params, RunContext, Severity, wilson_ci


class LabelShiftParams(Params):
    tolerance: float = Field(default=0.05, gt=0, lt=1)


class LabelShift(Check):
    id = "example.label_shift"
    family = "example"
    title = "Predicted vs observed positive rate"
    description = "Difference between the share of predicted and actual positives (binary tasks)."
    requires = frozenset({"labels", "predictions", "binary"})
    evidence_for = ("EU-AI-Act:Art15(1)",)
    Params = LabelShiftParams

    def run(self, ctx: RunContext, params: LabelShiftParams) -> CheckOutput:
        pred, y = ctx.predicted_positive(), ctx.y_binary()
        n = len(y)
        rate = Metric(
            name="predicted_positive_rate",
            value=float(pred.mean()),
            n=n,
            unit="rate",
            ci=wilson_ci(float(pred.sum()), n),
        )
        gap = float(pred.mean() - y.mean())
        findings = ()
        if abs(gap) > params.tolerance:
            findings = (
                Finding(
                    code="EXAMPLE001",
                    severity=Severity.MEDIUM,
                    message=f"predicted positive rate differs from the observed rate by {gap:+.3f}",
                ),
            )
        gap_metric = Metric(name="positive_rate_gap", value=gap, n=n, unit="difference")
        return CheckOutput(metrics=(rate, gap_metric), findings=findings)
