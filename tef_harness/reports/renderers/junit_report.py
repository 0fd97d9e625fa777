"""JUnit XML for CI dashboards: one test case per check (classname = family), outcomes from
the shared table in ``outcomes.py``, the check's duration in ``time`` (never a metric).

Things that fail the verdict without being a check (a plugin that failed to load, a required
check that never ran) become test cases of class ``tef.engine`` too, so a CI that reads only
this file is never green while ``tef check`` exits non-zero. Built with ElementTree, which
escapes text and attributes; characters XML 1.0 forbids are dropped first.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import ClassVar

from tef_harness.reports.coverage import coverage_of, partial_label
from tef_harness.reports.outcomes import Outcome, insufficient_evidence_gate, outcome_for
from tef_harness.reports.readable import readable
from tef_harness.reports.schema import ConformityReport, NotRunReason
from tef_harness.sdk.results import Finding

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def render_junit(report: ConformityReport) -> str:
    gate = insufficient_evidence_gate(report)
    suite = ET.Element("testsuite", name=f"tef-harness conformity ({_clean(report.profile.name)})")
    props = ET.SubElement(suite, "properties")
    coverage = coverage_of(report)
    for name, value in (
        ("verdict", report.verdict.value),
        # "full", or "partial: 1 of 16 checks" (--only), with the ids left out
        ("coverage", partial_label(report) or "full"),
        ("checks_not_selected", ", ".join(coverage.not_selected)),
        ("run_id", report.run_id),
        ("profile", f"{report.profile.name} v{report.profile.version}"),
        ("model_sha256", report.subject.model.sha256 if report.subject.model else ""),
        ("config_sha256", report.subject.config_sha256),
    ):
        ET.SubElement(props, "property", name=name, value=_clean(value))
    counts = dict.fromkeys(Outcome, 0)
    total_time = 0.0
    for r in report.results:
        o = outcome_for(r, gate)
        counts[o.outcome] += 1
        total_time += r.duration_s
        case = ET.SubElement(
            suite, "testcase", classname=_clean(r.family), name=_clean(r.check_id), time=f"{r.duration_s:.3f}"
        )
        # a person reads it in the CI's test view: 61+, not its key 61_x2B (readable.py)
        message = _clean(readable(r, o.message))
        if o.outcome == Outcome.FAILURE:
            el = ET.SubElement(case, "failure", message=message, type=r.status.value)
            el.text = _details(r.findings, r.gated_findings)
        elif o.outcome == Outcome.ERROR:
            ET.SubElement(case, "error", message=message, type=r.status.value)
        elif o.outcome == Outcome.SKIPPED:
            ET.SubElement(case, "skipped", message=message)
        elif o.waived:
            out = ET.SubElement(case, "system-out")
            out.text = message
    # a check --only left out is a skipped case, as a CI's test view counts it: "1 passed, 15
    # skipped" cannot read like a full audit where "1 passed" alone could
    not_selected = {n.check_id: n for n in report.not_run if n.reason == NotRunReason.NOT_SELECTED}
    for check_id in coverage.not_selected:
        counts[Outcome.SKIPPED] += 1
        n = not_selected.get(check_id)
        case = ET.SubElement(
            suite, "testcase", classname=_clean(check_id.split(".")[0]), name=_clean(check_id), time="0"
        )
        detail = f": {n.detail}" if n is not None and n.detail else ""
        ET.SubElement(case, "skipped", message=_clean(f"not selected (partial run){detail}"))
    for f in report.plugin_failures:
        counts[Outcome.ERROR] += 1
        name = f"plugin {_clean(f.entry_point)}"
        case = ET.SubElement(suite, "testcase", classname="tef.engine", name=name, time="0")
        ET.SubElement(case, "error", message=_clean(f"failed to load: {f.error}"), type="plugin_failure")
    for reason in report.verdict_reasons:
        if reason.startswith("required check(s) did not run"):
            counts[Outcome.FAILURE] += 1
            case = ET.SubElement(suite, "testcase", classname="tef.engine", name="required checks ran", time="0")
            ET.SubElement(case, "failure", message=_clean(reason), type="incomplete")
    suite.set("tests", str(sum(counts.values())))
    suite.set("failures", str(counts[Outcome.FAILURE]))
    suite.set("errors", str(counts[Outcome.ERROR]))
    suite.set("skipped", str(counts[Outcome.SKIPPED]))
    suite.set("time", f"{total_time:.3f}")
    suite.set("timestamp", report.provenance.started_at.strftime("%Y-%m-%dT%H:%M:%S"))
    root = ET.Element("testsuites", name="tef-harness")
    for key in ("tests", "failures", "errors", "time"):
        root.set(key, suite.get(key, "0"))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _details(findings: tuple[Finding, ...], gated: tuple[str, ...]) -> str | None:
    """The findings that failed the gate, one per line (their masked messages only)."""
    lines = [f"{f.code} [{f.severity.value}] {_clean(f.message)}" for f in findings if f.code in gated][:20]
    return "\n".join(lines) or None


class JunitRenderer:
    name: ClassVar[str] = "junit"
    filename: ClassVar[str] = "junit.xml"

    def unavailable(self) -> str | None:
        return None

    def render(self, report: ConformityReport) -> str:
        return render_junit(report)
