"""junit.xml: valid against the JUnit schema CI servers read (tests/reports/data/junit.xsd),
one case per check, counts that match the statuses, durations (not metrics) in `time`, hostile
text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema

from tef_harness.reports.renderers.junit_report import render_junit
from tef_harness.reports.schema import ConformityReport, PluginFailure
from tef_harness.sdk.results import Status
from tests.reports.conftest import XSS, hostile_result, make_result, report_with

SCHEMA = xmlschema.XMLSchema(Path(__file__).parent / "data" / "junit.xsd")


def _mixed(engine_report: ConformityReport, gate: str = "incomplete") -> ConformityReport:
    results = [
        make_result("performance.metrics", Status.PASSED, duration_s=1.5),
        make_result("bias.group_fairness", Status.FAILED, duration_s=0.125),
        make_result("privacy.pii_in_data", Status.ERROR),
        make_result("bias.subgroup_search", Status.INSUFFICIENT_EVIDENCE),
        make_result("privacy.output_leakage", Status.NOT_APPLICABLE, required=False),
        make_result("robustness.perturbation", Status.WAIVED),
        hostile_result().model_copy(update={"check_id": "bias.hostile\x01"}),
    ]
    return report_with(engine_report, results, gate)


@pytest.mark.parametrize("gate", ["incomplete", "pass"])
def test_valid_and_counts_match(engine_report: ConformityReport, gate: str) -> None:
    report = _mixed(engine_report, gate)
    xml = render_junit(report)
    SCHEMA.validate(xml)
    root = ET.fromstring(xml)
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [r.check_id.replace("\x01", "") for r in report.results]
    assert [c.get("classname") for c in cases] == [r.family for r in report.results]
    # independent count: failed + hostile failed + insufficient (unless the gate lets it pass)
    expected_failures = 2 + (1 if gate != "pass" else 0)
    assert suite.get("failures") == str(expected_failures) == str(len(suite.findall("testcase/failure")))
    assert suite.get("errors") == "1" == str(len(suite.findall("testcase/error")))
    assert suite.get("skipped") == str(1 + (1 if gate == "pass" else 0))
    assert suite.get("tests") == str(len(report.results))
    times = {c.get("name"): c.get("time") for c in cases}
    assert times["performance.metrics"] == "1.500" and times["bias.group_fairness"] == "0.125"
    assert float(suite.get("time", "0")) == pytest.approx(sum(r.duration_s for r in report.results), abs=1e-3)


def test_hostile_text_is_escaped(engine_report: ConformityReport) -> None:
    xml = render_junit(_mixed(engine_report))
    assert "<script>" not in xml and "&lt;script&gt;" in xml
    root = ET.fromstring(xml)
    messages = [f.get("message", "") for f in root.iter("failure")]
    assert any(XSS in m for m in messages)


def test_plugin_failure_is_an_error_case(engine_report: ConformityReport) -> None:
    report = _mixed(engine_report).model_copy(
        update={"plugin_failures": (PluginFailure(entry_point="x = y:Z", distribution="bad", error="boom"),)}
    )
    root = ET.fromstring(render_junit(report))
    SCHEMA.validate(render_junit(report))
    engine_cases = [c for c in root.iter("testcase") if c.get("classname") == "tef.engine"]
    assert len(engine_cases) == 1 and engine_cases[0].find("error") is not None


def test_conformant_report_is_all_green(engine_report: ConformityReport) -> None:
    report = report_with(engine_report, [make_result("a.b"), make_result("a.c", Status.WAIVED)])
    assert report.verdict.value == "conformant"
    root = ET.fromstring(render_junit(report))
    assert not list(root.iter("failure")) and not list(root.iter("error"))
