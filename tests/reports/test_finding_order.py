"""A finding that explains others comes first within its check in the full reports, as
``tef doc check`` already listed it (found by a new-user trial: a broken front matter, DOC006,
medium, was listed after the DOC001 "missing" findings it is the cause of, because they are
high). The rule is general: a check sets ``Finding.explains``; the report ranks the finding as
the most severe of those it explains and puts it before them (``reports/finding_order.py``)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from tef_harness.checks.documentation.completeness import completeness_output
from tef_harness.intake.documents import read_document
from tef_harness.reports.finding_order import reading_order
from tef_harness.reports.renderers.html_report import render_html
from tef_harness.reports.renderers.markdown_report import render_markdown
from tef_harness.reports.schema import ConformityReport
from tef_harness.sdk.results import Finding, Severity, Status
from tests.cli.test_check_command import tef, write_config
from tests.conftest import Artifacts
from tests.reports.conftest import make_result, report_with

ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "tests" / "checks" / "documentation" / "cards" / "broken_front_matter.md"


def finding(code: str, severity: Severity, explains: tuple[str, ...] = ()) -> Finding:
    return Finding(code=code, severity=severity, message=f"{code} message", explains=explains)


# -- the rule ---------------------------------------------------------------------------------
def test_an_explaining_finding_leads_what_it_explains() -> None:
    placeholder = finding("DOC002", Severity.HIGH)
    missing = finding("DOC001", Severity.HIGH)
    broken = finding("DOC006", Severity.MEDIUM, explains=("DOC001",))
    unjustified = finding("DOC003", Severity.MEDIUM)
    ordered = reading_order([placeholder, missing, unjustified, broken])
    assert [f.code for f in ordered] == ["DOC006", "DOC002", "DOC001", "DOC003"]


def test_with_nothing_to_explain_its_own_severity_places_it() -> None:
    high = finding("DOC002", Severity.HIGH)
    broken = finding("DOC006", Severity.MEDIUM, explains=("DOC001",))  # no DOC001 present
    low = finding("DOC003", Severity.LOW)
    assert [f.code for f in reading_order([low, broken, high])] == ["DOC002", "DOC006", "DOC003"]


def test_otherwise_most_severe_first_in_the_checks_order() -> None:
    items = [finding("AAA001", Severity.LOW), finding("BBB001", Severity.HIGH), finding("CCC001", Severity.HIGH)]
    assert [f.code for f in reading_order(items)] == ["BBB001", "CCC001", "AAA001"]


# -- the check sets it -----------------------------------------------------------------------------
def completeness(profile: str) -> tuple[Finding, ...]:
    return completeness_output(profile, [read_document(BROKEN, role="card", field="card")]).findings


def test_completeness_marks_the_broken_front_matter_as_explaining_the_missing_items() -> None:
    findings = completeness("hf-model-card")
    (broken,) = [f for f in findings if f.code == "DOC006"]
    assert broken.explains == ("DOC001",)
    # the items it explains: front-matter keys reported missing because they could not be read
    assert any(f.code == "DOC001" and "front matter of" in f.message for f in findings)
    assert broken.severity.rank < max(f.severity.rank for f in findings if f.code == "DOC001")


# -- the full reports ---------------------------------------------------------------------------------
class _FindingCodes(HTMLParser):
    """The finding codes of one check's "Findings" table, in page order."""

    def __init__(self, check_id: str) -> None:
        super().__init__()
        self.anchor = "check-" + check_id.replace(".", "-")
        self.codes: list[str] = []
        self._in_check = self._after = self._in_table = self._h3 = self._code = False
        self._cell = -1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "details":
            self._in_check = a.get("id") == self.anchor
        elif not self._in_check:
            return
        elif tag == "h3":
            self._h3 = True
        elif tag == "table" and self._after:
            self._in_table = True
        elif tag == "tr" and self._in_table:
            self._cell = -1
        elif tag == "td" and self._in_table:
            self._cell += 1
        elif tag == "code" and self._in_table and self._cell == 0:
            self._code = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "h3":
            self._h3 = False
        elif tag == "table" and self._in_table:
            self._in_table = self._after = False
        elif tag == "code":
            self._code = False
        elif tag == "details":
            self._in_check = False

    def handle_data(self, data: str) -> None:
        if self._h3 and self._in_check:
            self._after = data.strip() == "Findings"
        elif self._code:
            self.codes.append(data.strip())


def html_codes(html: str, check_id: str) -> list[str]:
    parser = _FindingCodes(check_id)
    parser.feed(html)
    return parser.codes


@pytest.mark.parametrize("pdf", [False, True], ids=["screen", "print"])
def test_html_lists_the_explaining_finding_first(engine_report: ConformityReport, pdf: bool) -> None:
    findings = completeness("hf-model-card")
    result = make_result("documentation.completeness", Status.FAILED, findings=findings)
    html = render_html(report_with(engine_report, [result]), pdf=pdf)
    codes = html_codes(html, "documentation.completeness")
    assert codes[0] == "DOC006" and "DOC001" in codes[1:]
    assert html.count("explains DOC001") == 1  # why it leads, under its code
    assert len(codes) == (len(findings) if not pdf else min(len(findings), 6))


def test_markdown_lists_the_explaining_finding_before_what_it_explains(engine_report: ConformityReport) -> None:
    findings = completeness("hf-model-card")
    other = make_result("bias.group_fairness", Status.FAILED, findings=(finding("BIAS001", Severity.HIGH),))
    result = make_result("documentation.completeness", Status.FAILED, findings=findings)
    md = render_markdown(report_with(engine_report, [other, result]))
    top = md[md.index("### Top findings") :]
    rows = [line.split("|")[1].strip(" `") for line in top.splitlines() if line.startswith("| `")]
    # among the highs (it ranks as the DOC001 it explains), before that DOC001 and every medium
    assert rows[:3] == ["BIAS001", "DOC006", "DOC001"]


def test_the_cli_reports_put_it_first(artifacts: Artifacts, tmp_path: Path) -> None:
    config = artifacts.config('[checks."documentation.completeness"]\nparams = { profile = "hf-model-card" }\n')
    write_config(tmp_path, config.replace(f'card = "{artifacts.card}"', f'card = "{BROKEN}"'))
    proc = tef("check", "--no-third-party", "--only", "documentation.completeness", "--format", "html,md", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    html = (tmp_path / "out" / "report.html").read_text()
    assert html_codes(html, "documentation.completeness")[0] == "DOC006"
    md = (tmp_path / "out" / "report.md").read_text()
    top = md[md.index("### Top findings") :]
    assert top.index("`DOC006`") < top.index("`DOC001`")
