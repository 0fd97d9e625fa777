"""report.md: verdict and reasons, escaped values, and never over 65,000 characters."""

from __future__ import annotations

from tef_harness.reports.renderers.markdown_report import MAX_CHARS, md_text, render_markdown
from tef_harness.reports.schema import ConformityReport
from tef_harness.sdk.results import Finding, Severity, Status
from tests.reports.conftest import hostile_result, make_result, report_with


def test_summary_content(engine_report: ConformityReport) -> None:
    report = report_with(engine_report, [make_result("a.ok"), make_result("b.bad", Status.FAILED), hostile_result()])
    md = render_markdown(report, full_report="out/report.html")
    assert "non-conformant" in md
    assert "`b.bad`" in md and "why b.bad is failed" in md
    assert "Passed: `a.ok`" in md
    assert "out/report.html" in md
    assert "BIAS001" in md  # the top findings table


def test_markup_is_escaped(engine_report: ConformityReport) -> None:
    md = render_markdown(report_with(engine_report, [hostile_result()]))
    assert "<script>" not in md and "<img" not in md
    assert "&lt;script&gt;" in md
    assert md_text("a|b") == "a\\|b"  # a pipe would end a table cell


def test_never_over_the_limit(engine_report: ConformityReport) -> None:
    many = [
        make_result(
            f"fam.check_{i:04d}",
            Status.FAILED,
            reason="x" * 400,
            findings=tuple(
                Finding(code="ABC001", severity=Severity.HIGH, message="y" * 290 + str(j)) for j in range(5)
            ),
        )
        for i in range(800)
    ]
    md = render_markdown(report_with(engine_report, many))
    assert len(md) <= MAX_CHARS
    assert "truncated to stay under 65,000 characters" in md
    # a small limit still holds, note included
    assert len(render_markdown(report_with(engine_report, many), limit=3000)) <= 3000
