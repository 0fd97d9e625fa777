"""Where a person reads a metric name (the console summary, the HTML report and its PDF,
``report.md``), a group is shown as named (``61+``, ``≥65``), not as its key (``61_x2B``,
``_xE2_x89_xA565``); ``report.json`` and the MLflow keys keep the key. The reason is written by
the real judge with encoded names and decoded at rendering."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tef_harness.config.schema import GateSection, ThresholdSpec
from tef_harness.engine.judge import judge
from tef_harness.reports.renderers.console_summary import render_console
from tef_harness.reports.renderers.html_report import render_html
from tef_harness.reports.renderers.json_report import render_json
from tef_harness.reports.renderers.markdown_report import render_markdown
from tef_harness.reports.schema import ConformityReport
from tef_harness.reports.tracking_view import build_view
from tef_harness.sdk.dimensions import Dimensions
from tef_harness.sdk.results import Metric, Status
from tests.reports.conftest import make_result, report_with

GROUPS = ("61+", "≥65")
# the keys, written out by hand from the encoding's grammar (sdk/dimensions.py): '+' is 0x2B,
# '≥' is U+2265, in UTF-8 the bytes E2 89 A5
KEYS = {"61+": "share_ratio/age_group/61_x2B", "≥65": "share_ratio/age_group/_xE2_x89_xA565"}
SHOWN = {"61+": "share_ratio/age_group/61+", "≥65": "share_ratio/age_group/≥65"}


def _report(engine_report: ConformityReport) -> ConformityReport:
    metrics = tuple(
        Metric(
            dims=Dimensions(criterion="share_ratio", sensitive_set=("age_group",), group=(g,)), value=v, unit="ratio"
        )
        for g, v in zip(GROUPS, (0.56, 0.41), strict=True)
    )
    assert [m.name for m in metrics] == [KEYS[g] for g in GROUPS]
    ran = make_result("bias.data_representation", Status.PASSED, metrics=metrics, reason=None)
    specs = (ThresholdSpec(metric="share_ratio/*", min=0.8),)
    judged = judge(ran, specs, {0: "profile"}, GateSection(), [])
    assert judged.status == Status.FAILED
    # the judge quotes the keys (engine/judge.py is left as it is)
    assert KEYS["61+"] in (judged.reason or "") and KEYS["≥65"] in (judged.reason or "")
    passed = judge(
        make_result("bias.group_fairness", Status.PASSED, metrics=metrics[:1], reason=None),
        (ThresholdSpec(metric=KEYS["61+"], min=0.5),),
        {0: "profile"},
        GateSection(),
        [],
    )
    assert passed.status == Status.PASSED
    return report_with(engine_report, [judged, passed])


def test_the_console_shows_the_groups_as_named(engine_report: ConformityReport) -> None:
    text = render_console(_report(engine_report), width=200)
    for g in GROUPS:
        assert f"{SHOWN[g]} = " in text
    assert "_x" not in text
    # the passed check's key value too
    assert f"{SHOWN['61+']} = 0.56 ratio (>= 0.5)" in text


def test_markdown_shows_the_groups_as_named(engine_report: ConformityReport) -> None:
    md = render_markdown(_report(engine_report))
    for g in GROUPS:
        assert re.search(re.escape(SHOWN[g]).replace("_", r"\\?_") + " = ", md), md
    assert "_x" not in md.replace("\\_", "_")


def test_html_shows_the_groups_as_named_with_the_key_beside(engine_report: ConformityReport) -> None:
    page = render_html(_report(engine_report))
    summary = re.search(r'<tr data-check="bias.data_representation">.*?</tr>', page, re.S)
    assert summary is not None
    for g in GROUPS:
        assert f"{SHOWN[g]} = " in summary.group(0) and KEYS[g] not in summary.group(0)
        # the tables name the group, and the key a threshold or waiver is written with
        assert f"<code>{SHOWN[g]}</code><br><span class=\"small muted\">key <code>{KEYS[g]}</code>" in page
    # each check section's headline (the outcome message above its tables) too
    headlines = re.findall(r'<p class="why"><strong>(.*?)</strong></p>', page, re.S)
    failed = [h for h in headlines if "needs" in h]
    assert failed, headlines
    for h in failed:
        assert "_x" not in h, h
    assert any(f"{SHOWN['61+']} = " in h for h in failed) or any(f"{SHOWN['≥65']} = " in h for h in failed)


def test_machine_outputs_keep_the_keys(engine_report: ConformityReport) -> None:
    report = _report(engine_report)
    raw = render_json(report)
    names = {m["name"] for r in json.loads(raw)["results"] for m in r["metrics"]}
    assert {KEYS[g] for g in GROUPS} <= names
    view = build_view(report, raw.encode(), "t")
    assert all(f"bias.data_representation/{KEYS[g]}" in view.metrics for g in GROUPS)
    # the run's description (tef-summary.md) is for people: it names the groups
    assert all(f"{SHOWN[g]} = " in view.summary for g in GROUPS) and "_x" not in view.summary


@pytest.mark.slow
def test_the_pdf_shows_the_groups_as_named(engine_report: ConformityReport, tmp_path: Path) -> None:
    from tef_harness.reports.renderers.pdf_report import render_pdf, weasyprint_problem
    from tests.reports.test_pdf import _need

    problem = weasyprint_problem()
    _need(problem is None, str(problem))
    _need(shutil.which("pdftotext") is not None, "poppler-utils (pdftotext) is not installed")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_pdf(_report(engine_report)))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)  # table cells wrap anywhere
    for g in GROUPS:
        assert f"{SHOWN[g]}=" in flat
        assert KEYS[g] in flat  # beside it in the tables
