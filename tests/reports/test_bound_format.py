"""One declared bound reads the same wherever it is shown: the judge's reason for a failed
check ("needs <= 0.0"), a passed check's headline, the HTML thresholds table and a plot's
reference line. Before, the reason printed the configured float (0.0) and the rest 4 significant
digits (0). The judge writes the reason; the renderers follow it."""

from __future__ import annotations

import re

import pytest

from tef_harness.config.schema import GateSection, ThresholdSpec
from tef_harness.engine.judge import judge
from tef_harness.reports.renderers.html_report import render_html
from tef_harness.reports.schema import ConformityReport
from tef_harness.reports.views import headline
from tef_harness.sdk.results import CheckResult, Metric, Status
from tests.reports.conftest import make_result, report_with

#: bounds whose 4-significant-digit form differs from the configured number
BOUNDS = [0.0, 1.0, 0.123456, 1e-05, 250.0]


def _judged(bound: float, observed: float) -> CheckResult:
    result = make_result("privacy.pii_in_data", Status.PASSED, metrics=(Metric(name="pii_rate", value=observed),))
    return judge(result, (ThresholdSpec(metric="pii_rate", max=bound),), {0: "config"}, GateSection(), [])


def _bound_in(text: str) -> str:
    found = re.search(r"<= ?([-0-9.e+]+)", text.replace("&lt;", "<").replace("≤", "<="))
    assert found, text
    return found.group(1)


@pytest.mark.parametrize("bound", BOUNDS, ids=str)
def test_the_reason_and_the_headline_write_a_bound_alike(bound: float) -> None:
    failed = _judged(bound, bound + 1.0)
    passed = _judged(bound, bound)
    assert failed.status is Status.FAILED and passed.status is Status.PASSED
    assert failed.reason is not None
    assert _bound_in(failed.reason) == _bound_in(headline(passed))
    # the declared number itself, not a rounding of it
    assert float(_bound_in(headline(passed))) == bound


@pytest.mark.parametrize("bound", BOUNDS, ids=str)
def test_the_html_thresholds_table_writes_it_alike(bound: float, engine_report: ConformityReport) -> None:
    failed = _judged(bound, bound + 1.0)
    html = render_html(report_with(engine_report, [failed]))
    cell = re.search(r'<td class="num">(?:≤|&lt;=?) ?([-0-9.e+]+)</td>', html)
    assert cell, "no thresholds cell"
    assert failed.reason is not None
    assert cell.group(1) == _bound_in(failed.reason)
