"""The stderr summary off a terminal (a CI log): check ids whole, key values for passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tef_harness.reports.renderers.console import print_summary
from tef_harness.reports.schema import ConformityReport
from tef_harness.sdk.results import Metric, Status, ThresholdOutcome
from tests.reports.conftest import make_result, report_with


def test_ids_whole_and_key_values(
    engine_report: ConformityReport, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    long_id = "documentation.a_rather_long_check_identifier_from_a_plugin"
    thr = ThresholdOutcome(metric="roc_auc", on="lower", min=0.7, observed=0.7123, passed=True, source="config")
    results = [
        make_result(long_id, Status.FAILED, reason="x " * 80),
        make_result("performance.metrics", Status.PASSED, thresholds=(thr,)),
        make_result("fam.metric_only", Status.PASSED, metrics=(Metric(name="accuracy", value=0.91),)),
    ]
    print_summary(report_with(engine_report, results), Path("out/report.json"))
    err = capsys.readouterr().err
    assert any(long_id in line for line in err.splitlines())
    assert "lower bound of roc_auc = 0.7123 (>= 0.7)" in err
    assert "accuracy = 0.91" in err


@pytest.mark.parametrize(("gate", "expected"), [("incomplete", "failure"), ("pass", "skipped")])
def test_outcome_column_follows_the_shared_table(
    engine_report: ConformityReport,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    gate: str,
    expected: str,
) -> None:
    """Insufficient evidence reads as a failure in the terminal exactly when JUnit calls it one."""
    monkeypatch.delenv("COLUMNS", raising=False)
    results = [make_result("bias.group_fairness", Status.INSUFFICIENT_EVIDENCE, reason="group too small")]
    print_summary(report_with(engine_report, results, gate), Path("out/report.json"))
    line = next(ln for ln in capsys.readouterr().err.splitlines() if "bias.group_fairness" in ln)
    assert expected in line.split()
