"""Checks that did not run, with the reason, and each check's description, in the page and
in report.md (schema 2.0 carries both)."""

from __future__ import annotations

from tef_harness.reports.renderers.html_report import render_html
from tef_harness.reports.renderers.markdown_report import render_markdown
from tef_harness.reports.schema import ConformityReport, NotRun, NotRunReason
from tests.reports.conftest import XSS, make_result, report_with


def test_not_run_and_description_are_shown_escaped(engine_report: ConformityReport) -> None:
    result = make_result("performance.metrics", description=f"Measures accuracy {XSS}")
    report = report_with(engine_report, [result]).model_copy(
        update={
            "not_run": (
                NotRun(
                    check_id="privacy.output_leakage",
                    title="Leakage",
                    reason=NotRunReason.NOT_SELECTED,
                    detail=f"left out by --only {XSS}",
                ),
            )
        }
    )
    html = render_html(report)
    assert 'data-not-run="privacy.output_leakage"' in html and "not selected" in html
    assert "left out by --only &lt;script&gt;" in html and "<script>document" not in html
    assert "Measures accuracy &lt;script&gt;" in html
    md = render_markdown(report)
    assert "- `privacy.output_leakage` (not selected: left out by --only \\<script>" in md
