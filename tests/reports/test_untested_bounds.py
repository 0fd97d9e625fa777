"""A bound the judge could not test (its metric undefined on this data) reads as untested in
every renderer a person reads: its own neutral "not tested" badge in the HTML thresholds table
(screen and print), never the red "fail" a violated bound carries; "not tested" in report.md
and on the console, with no "needs" a violated bound would have.

The outcomes come from the engine's own judge on a metric the check left undefined, as a run
on one-class evaluation rows gives them (found by a new-user trial: the badge was "fail")."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tef_harness.config.schema import GateSection, ThresholdSpec
from tef_harness.engine.judge import judge
from tef_harness.reports.renderers.console_summary import render_console
from tef_harness.reports.renderers.html_report import render_html
from tef_harness.reports.renderers.markdown_report import render_markdown
from tef_harness.reports.schema import ConformityReport
from tef_harness.sdk.results import CheckResult, Metric, Status
from tests.reports.conftest import make_result, report_with

UNDEFINED = "only one class in the evaluation rows"


class _ThresholdRows(HTMLParser):
    """Per row of each "Thresholds" table: the metric (first cell's text) and the classes and
    text of the badge in its result cell."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str]] = []
        self._after_heading = False
        self._in_h3 = False
        self._in_table = False
        self._row: dict[str, str] | None = None
        self._cell = -1
        self._badge = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "h3":
            self._in_h3 = True
        elif tag == "table" and self._after_heading:
            self._in_table = True
        elif tag == "tr" and self._in_table:
            self._row, self._cell = {"metric": "", "badge": "", "class": ""}, -1
        elif tag == "td" and self._row is not None:
            self._cell += 1
        elif tag == "span" and self._row is not None and "status" in (a.get("class") or "").split():
            self._badge = True
            self._row["class"] = a.get("class") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "h3":
            self._in_h3 = False
        elif tag == "table" and self._in_table:
            self._in_table = self._after_heading = False
        elif tag == "tr" and self._row is not None:
            if self._cell >= 0:
                self.rows.append(self._row)
            self._row = None
        elif tag == "span":
            self._badge = False

    def handle_data(self, data: str) -> None:
        if self._in_h3:
            self._after_heading = data.strip() == "Thresholds"
        elif self._row is not None:
            if self._cell == 0 and not self._row["metric"]:  # the name, not "(lower bound)"
                self._row["metric"] = data.strip()
            elif self._badge:
                self._row["badge"] += data.strip()


def threshold_rows(html: str) -> dict[str, dict[str, str]]:
    parser = _ThresholdRows()
    parser.feed(html)
    return {row["metric"]: row for row in parser.rows}


def _judged(*, with_failure: bool) -> CheckResult:
    """performance.metrics with roc_auc undefined and a bound on it; with ``with_failure``, also
    a bound on accuracy that its value violates."""
    raw = make_result(
        "performance.metrics",
        Status.PASSED,
        reason=None,
        metrics=(Metric(name="accuracy", value=0.61),),
        undefined={"roc_auc": UNDEFINED},
    )
    specs = [ThresholdSpec(metric="roc_auc", min=0.7, on="lower")]
    if with_failure:
        specs.append(ThresholdSpec(metric="accuracy", min=0.7))
    judged = judge(raw, tuple(specs), {}, GateSection(), [])
    (untested,) = [t for t in judged.thresholds if t.metric == "roc_auc"]
    assert untested.insufficient and not untested.passed  # what the renderers are given
    return judged


@pytest.mark.parametrize("pdf", [False, True], ids=["screen", "print"])
@pytest.mark.parametrize("with_failure", [False, True], ids=["untested-only", "beside-a-failure"])
def test_html_badge_reads_not_tested(engine_report: ConformityReport, pdf: bool, with_failure: bool) -> None:
    judged = _judged(with_failure=with_failure)
    html = render_html(report_with(engine_report, [judged]), pdf=pdf)
    rows = threshold_rows(html)
    assert rows["roc_auc"]["badge"] == "not tested"
    assert "s-not_tested" in rows["roc_auc"]["class"].split()
    assert "s-failed" not in rows["roc_auc"]["class"].split()
    if with_failure:  # a violated bound keeps its red badge beside it
        assert rows["accuracy"]["badge"] == "fail" and "s-failed" in rows["accuracy"]["class"].split()
    else:
        assert list(rows) == ["roc_auc"]


def test_text_renderers_say_not_tested(engine_report: ConformityReport) -> None:
    judged = _judged(with_failure=False)
    assert judged.status == Status.INSUFFICIENT_EVIDENCE
    report = report_with(engine_report, [judged])
    md = render_markdown(report)
    (row,) = [line for line in md.splitlines() if line.startswith("| `performance.metrics`")]
    assert "not tested" in row and "needs" not in row and "fail" not in row.split("|")[2]
    console = render_console(report, width=160)
    (line,) = [line for line in console.splitlines() if line.startswith("│ performance.metrics")]
    assert "bound on roc_auc not tested" in line and "needs" not in line
