"""The printed cut: what the PDF keeps of a long check (every failed threshold, the judged
metrics first, the most severe findings, the first example tables), and that it says how
much more report.html holds."""

from __future__ import annotations

import re

from tef_harness.reports.renderers.html_report import render_html
from tef_harness.reports.renderers.print_view import (
    FINDINGS,
    METRICS,
    PASSED_THRESHOLDS,
    PRINTED_EXAMPLES,
    TABLE_ROWS,
    print_rows,
    table_for_print,
)
from tef_harness.reports.schema import ConformityReport
from tef_harness.reports.views import TableView
from tef_harness.sdk.results import CheckResult, Finding, Metric, Severity, Status, ThresholdOutcome
from tef_harness.sdk.views.examples import ExampleRows
from tests.reports.conftest import make_result, report_with

SEVERITIES = (Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL)


def _long_result() -> CheckResult:
    metrics = tuple(Metric(name=f"m{i:02d}", value=i / 100, unit="rate") for i in range(20))
    # 15 thresholds on m05..m19; three of them (m17, m18, m19) fail
    thresholds = tuple(
        ThresholdOutcome(metric=f"m{i:02d}", on="value", max=0.165, observed=i / 100, passed=i < 17, source="profile")
        for i in range(5, 20)
    )
    findings = tuple(
        Finding(code=f"BIAS{i:03d}", severity=SEVERITIES[i % 4], message=f"finding {i}") for i in range(12)
    )
    examples = tuple(
        ExampleRows.build(f"BIAS{i:03d}", f"loc{i}", f"caption {i}", ["a"], [i], [[f"v{i}"]], 1) for i in range(4)
    )
    return make_result("bias.long", Status.FAILED, metrics=metrics, thresholds=thresholds, findings=findings,
                       views=examples)  # fmt: skip


def test_the_cut_keeps_what_an_auditor_needs() -> None:
    result = _long_result()
    thresholds, metrics, findings = print_rows(result)
    kept = [t.metric for t in thresholds.shown]
    # every failed threshold, then the first passed ones, in the check's order
    assert {"m17", "m18", "m19"} <= set(kept)
    assert kept == [f"m{i:02d}" for i in range(5, 5 + PASSED_THRESHOLDS)] + ["m17", "m18", "m19"]
    assert thresholds.total == 15 and "of 15 shown" in thresholds.note
    # the metrics a threshold names come first (m05..m19), the others (m00..m04) after them
    assert [m.name for m in metrics.shown] == [f"m{i:02d}" for i in range(5, 5 + METRICS)]
    assert metrics.note == f"{METRICS} of 20 shown here; report.html holds them all"
    # the most severe findings: all three critical and high ones first
    ranks = sorted((f.severity.rank for f in result.findings), reverse=True)[:FINDINGS]
    assert sorted((f.severity.rank for f in findings.shown), reverse=True) == ranks
    table = TableView("t", ("a",), tuple((str(i),) for i in range(9)))
    cut = table_for_print(table)
    assert len(cut.rows) == TABLE_ROWS and f"first {TABLE_ROWS} of 9 rows" in cut.note
    assert table_for_print(TableView("t", ("a",), (("1",),))).note == ""


def test_the_printed_page_says_what_it_left_out(engine_report: ConformityReport) -> None:
    report = report_with(engine_report, [_long_result()])
    printed = render_html(report, pdf=True)
    screen = render_html(report)
    section = printed[printed.index('id="check-bias-long"') :]
    assert len(re.findall(r'<table class="examples">', section)) == PRINTED_EXAMPLES
    assert f"{4 - PRINTED_EXAMPLES} more tables of example rows in report.html" in section
    assert len(re.findall(r'<table class="examples">', screen)) == 4 and "more tables of example" not in screen
    # the failed thresholds are printed with their unit
    for i in (17, 18, 19):
        assert f"{i / 100:g} (rate)" in section
