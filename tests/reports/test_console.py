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


def _results() -> list:
    long_id = "documentation.a_rather_long_check_identifier_from_a_plugin"
    thr = ThresholdOutcome(metric="roc_auc", on="lower", min=0.7, observed=0.7123, passed=True, source="config")
    return [
        make_result(long_id, Status.FAILED, reason="the card misses " + "an item " * 20),
        make_result("performance.metrics", Status.PASSED, thresholds=(thr,)),
        make_result("bias.group_fairness", Status.INSUFFICIENT_EVIDENCE, reason="group too small"),
    ]


@pytest.mark.parametrize("width", [60, 160], ids=["narrow-60", "wide-160"])
def test_adapts_to_the_width(engine_report: ConformityReport, width: int) -> None:
    from tef_harness.reports.renderers.console_summary import TABLE_MIN_WIDTH, render_console

    results = _results()
    text = render_console(report_with(engine_report, results), width=width, where="out/report.json")
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    for r in results:
        # every id whole on one line, whatever the width
        line = next(ln for ln in lines if r.check_id in ln)
        if width >= TABLE_MIN_WIDTH:  # a table: id, status and outcome side by side
            assert r.status.value in line and ("failure" in line or "pass" in line)
        else:  # blocks: status and outcome on the line above the id, nothing else beside the id
            above = lines[lines.index(line) - 1]
            assert r.status.value in above and line.strip() == r.check_id
    assert "lower bound of roc_auc = 0.7123 (>= 0.7)" in " ".join(" ".join(lines).split())
    words = " ".join(text.replace("│", " ").split())  # a table's continuation lines hold borders only
    assert "the card misses " + "an item " * 19 + "an item" in words  # the reason wraps, never cut
    assert "\x1b[" not in text  # no colour unless asked
    assert lines[-1] == "report: out/report.json"


def test_print_summary_follows_columns_and_the_registry(
    engine_report: ConformityReport, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tef_harness.reports.renderers.console_summary import ConsoleRenderer
    from tef_harness.reports.renderers.registry import discover_renderers

    assert isinstance(discover_renderers()[0]["console"], ConsoleRenderer)
    monkeypatch.setenv("COLUMNS", "60")
    print_summary(report_with(engine_report, _results()), Path("out/report.json"))
    err = capsys.readouterr().err
    assert max(len(line) for line in err.splitlines()) <= 60
    assert "performance.metrics" in [ln.strip() for ln in err.splitlines()]
