"""Units beside values: the HTML tables, the Markdown summary and the console show a metric's
unit where it says something ("0.795 (rate)", "12 ms"), and nothing for a score."""

from __future__ import annotations

import re

from tef_harness.reports.renderers.console_summary import render_console
from tef_harness.reports.renderers.html_report import render_html
from tef_harness.reports.renderers.markdown_report import render_markdown
from tef_harness.reports.schema import ConformityReport
from tef_harness.reports.units import unit_of, unit_suffix, with_unit
from tef_harness.sdk.results import Metric, Status, ThresholdOutcome
from tests.reports.conftest import make_result, report_with


def test_the_unit_follows_the_number() -> None:
    assert with_unit(0.795, "ratio") == "0.795 (ratio)"
    assert with_unit(12, "ms") == "12 ms"
    assert with_unit(5.5, "%") == "5.5 %"
    assert with_unit(0.3, "nats") == "0.3 nats"
    assert with_unit(1.25, "target units") == "1.25 (target units)"
    assert with_unit(0.81234, "score") == "0.8123"  # dimensionless: nothing to add
    assert with_unit(0.5, None) == "0.5" and with_unit(None, "rate") == "-"
    assert unit_suffix("  rate ") == " (rate)" and unit_suffix("") == ""


def _report(engine_report: ConformityReport) -> ConformityReport:
    metrics = (
        Metric(name="accuracy", value=0.795, unit="rate", n=400),
        Metric(name="latency_p95", value=12.0, unit="ms"),
        Metric(name="roc_auc", value=0.8123, unit="score"),
    )
    threshold = ThresholdOutcome(metric="accuracy", on="value", min=0.7, observed=0.795, passed=True, source="profile")
    ok = make_result("performance.metrics", Status.PASSED, metrics=metrics, thresholds=(threshold,))
    timing = make_result("perf.latency", Status.PASSED, metrics=metrics[1:2])
    return report_with(engine_report, [ok, timing, make_result("b.bad", Status.FAILED)])


def test_html_tables_show_units(engine_report: ConformityReport) -> None:
    report = _report(engine_report)
    assert unit_of(report.results[0], "accuracy") == "rate" and unit_of(report.results[0], "nope") is None
    page = render_html(report)
    cells = re.findall(r'<td class="num">([^<]*)</td>', page)
    assert "0.795 (rate)" in cells  # the metric's value, and the threshold's observed value
    assert cells.count("0.795 (rate)") == 2
    assert "12 ms" in cells and "0.8123" in cells
    # the summary's key value for a passed check carries it too
    assert "accuracy = 0.795 rate (&gt;= 0.7)" in page


def test_markdown_and_console_show_the_key_value_with_its_unit(engine_report: ConformityReport) -> None:
    report = _report(engine_report)
    md = render_markdown(report)
    assert "`performance.metrics` (accuracy = 0.795 rate (>= 0.7))" in md
    assert "`perf.latency` (latency\\_p95 = 12 ms)" in md
    text = render_console(report, width=160)
    assert "accuracy = 0.795 rate (>= 0.7)" in text and "latency_p95 = 12 ms" in text
