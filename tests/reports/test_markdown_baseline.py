"""report.md with the changes against a baseline (``tef check --baseline``): verdict, statuses,
metrics beyond the ``[baseline]`` thresholds, new and resolved findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tef_harness.reports.renderers.markdown_report import MAX_CHARS, render_markdown
from tef_harness.reports.schema import ConformityReport
from tef_harness.sdk.results import Finding, Metric, Severity, Status
from tests.conftest import Artifacts
from tests.reports.conftest import make_result, report_with
from tests.tracking.conftest import tef
from tests.tracking.test_baseline import _baseline_with, _config


def _pair(engine_report: ConformityReport) -> tuple[ConformityReport, ConformityReport]:
    old_finding = Finding(code="DOC001", severity=Severity.HIGH, message="item missing", location="card#intended")
    new_finding = Finding(code="BIAS010", severity=Severity.HIGH, message="subgroup gap", location="sex=F")
    baseline = report_with(
        engine_report,
        [
            make_result("performance.metrics", metrics=(Metric(name="accuracy", value=0.90, higher_is_better=True),)),
            make_result("bias.subgroup_search", metrics=(Metric(name="n_significant", value=0),)),
            make_result("documentation.completeness", Status.FAILED, findings=(old_finding,)),
        ],
    )
    candidate = report_with(
        engine_report,
        [
            make_result("performance.metrics", metrics=(Metric(name="accuracy", value=0.84, higher_is_better=True),)),
            make_result(
                "bias.subgroup_search",
                Status.FAILED,
                metrics=(Metric(name="n_significant", value=1),),
                findings=(new_finding,),
            ),
            make_result("documentation.completeness"),
        ],
    )
    config = dict(candidate.config)
    config["baseline"] = {
        "path": "old/report.json",
        "thresholds": [{"metric": "performance.metrics/accuracy", "min_absolute_change": -0.02}],
    }
    return baseline, candidate.model_copy(update={"config": config})


def test_changes_section(engine_report: ConformityReport) -> None:
    baseline, candidate = _pair(engine_report)
    md = render_markdown(candidate, baseline=baseline, baseline_label="old/report.json")
    section = md[md.index("### Changes against the baseline") :]
    assert "`old/report.json`" in section and baseline.run_id in section
    assert "| `bias.subgroup_search` | passed | failed |" in section
    assert "| `documentation.completeness` | failed | passed |" in section
    # 0.90 -> 0.84 is a drop of 0.06, beyond the 0.02 tolerated
    assert "0 within, **1 beyond**" in section
    assert "| `performance.metrics/accuracy` | 0.9 | 0.84 | -0.06 |" in section
    assert "New findings (1):" in section and "bias.subgroup\\_search BIAS010 (high) at sex=F" in section
    assert "Resolved findings (1):" in section and "documentation.completeness DOC001 (high)" in section
    # without a baseline, no section
    assert "Changes against the baseline" not in render_markdown(candidate)


def test_verdict_change_and_no_thresholds(engine_report: ConformityReport) -> None:
    _, candidate = _pair(engine_report)
    conformant = report_with(engine_report, [make_result("performance.metrics")])
    md = render_markdown(conformant, baseline=candidate, baseline_label="prev")
    assert f"**verdict**: {candidate.verdict.value.replace('_', '-')} → **conformant**" in md
    assert "No `[baseline]` thresholds are configured" in md


def test_stays_under_the_limit_with_a_huge_diff(engine_report: ConformityReport) -> None:
    many = [
        make_result(f"fam.check_{i:04d}", Status.FAILED, findings=(Finding(code="FAM001", severity=Severity.HIGH,
                    message="m", location=f"loc {i}"),))
        for i in range(1500)
    ]  # fmt: skip
    md = render_markdown(report_with(engine_report, many), baseline=engine_report, baseline_label="b")
    assert len(md) <= MAX_CHARS
    assert "more status changes" in md


@pytest.mark.slow
def test_check_with_a_baseline_writes_the_changes(artifacts: Artifacts, tmp_path: Path) -> None:
    _config(artifacts, tmp_path, -0.01)
    first = tef("check", "--only", "performance.metrics", "--no-tracking", "--out", "v1", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    _baseline_with(tmp_path / "v1" / "report.json", tmp_path / "better.json", 0.05)
    gated = tef("check", "--only", "performance.metrics", "--no-tracking", "--baseline", "better.json", cwd=tmp_path)
    assert gated.returncode == 1, gated.stderr
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    new = json.loads((tmp_path / "out" / "report.json").read_text())
    acc = next(m for m in new["results"][0]["metrics"] if m["name"] == "accuracy")["value"]
    assert "### Changes against the baseline" in md and "better.json" in md
    assert "**1 beyond**" in md
    assert f"| `performance.metrics/accuracy` | {acc + 0.05:.4g} | {acc:.4g} | -0.05 |" in md
    # the manifest covers the report.md that holds the changes
    assert tef("report", "verify", "out", cwd=tmp_path).returncode == 4
