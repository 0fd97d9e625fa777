"""A check that did not apply is listed once, under "did not run", in every renderer; and
"(optional)" marks a check only when the profile or config made some check of the run required.

Real ``tef check`` runs on the shared demo slice under the default profile (which requires no
check); the print HTML is rendered from the report.json the run wrote, as the PDF renderer does.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tef_harness.reports.load import load_report
from tef_harness.reports.renderers.html_report import render_html
from tests.cli.test_check_command import tef, write_config
from tests.conftest import Artifacts

NA = "documentation.datasheet"  # needs a datasheet, which the demo slice's config does not give
ONLY = f"performance.metrics,documentation.completeness,{NA}"


def _run(artifacts: Artifacts, folder: Path, extra: str = "") -> Path:
    write_config(folder, artifacts.config(extra))
    proc = tef(
        "check", "--no-third-party", "--no-tracking", "--only", ONLY, "--format", "json,html,md,console", cwd=folder
    )
    assert proc.returncode in (0, 1), proc.stderr
    return folder / "out"


@pytest.fixture(scope="module")
def default_run(artifacts: Artifacts, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _run(artifacts, tmp_path_factory.mktemp("na-once"))


def _html_mentions(html: str) -> dict[str, int]:
    return {
        "summary row": html.count(f'data-check="{NA}"'),
        "not-run row": html.count(f'data-not-run="{NA}"'),
        "section": html.count(f'id="check-{NA.replace(".", "-")}"'),
    }


def test_the_run_has_a_not_applicable_check(default_run: Path) -> None:
    report = load_report(default_run / "report.json")
    result = report.result(NA)
    assert result is not None and result.status.value == "not_applicable"
    assert not any(r.required for r in report.results)  # the default profile requires none


@pytest.mark.parametrize("pdf", [False, True], ids=["screen", "print"])
def test_html_lists_it_once_under_did_not_run(default_run: Path, pdf: bool) -> None:
    html = (
        (default_run / "report.html").read_text(encoding="utf-8")
        if not pdf
        else render_html(load_report(default_run / "report.json"), pdf=True)
    )
    assert _html_mentions(html) == {"summary row": 0, "not-run row": 1, "section": 0}
    row = re.search(rf'<tr data-not-run="{re.escape(NA)}">.*?</tr>', html, re.S)
    assert row is not None and "needs datasheet" in row.group(0)


@pytest.mark.parametrize("pdf", [False, True], ids=["screen", "print"])
def test_no_optional_label_when_no_check_is_required(default_run: Path, pdf: bool) -> None:
    html = (
        (default_run / "report.html").read_text(encoding="utf-8")
        if not pdf
        else render_html(load_report(default_run / "report.json"), pdf=True)
    )
    assert "(optional)" not in html and "· optional" not in html


def test_markdown_lists_it_once_under_did_not_run(default_run: Path) -> None:
    md = (default_run / "report.md").read_text(encoding="utf-8")
    assert md.count(f"`{NA}`") == 1
    attention = md.split("### Checks that need attention", 1)[1].split("\n\n", 2)[1]
    assert NA not in attention and "not applicable" not in attention
    assert f"- `{NA}` (not applicable: needs datasheet)" in md.split("Did not run:", 1)[1]


def test_console_summary_lists_it_once(default_run: Path) -> None:
    text = (default_run / "summary.txt").read_text(encoding="utf-8")
    assert text.count(NA) == 1


def test_optional_marks_the_checks_a_required_one_stands_beside(
    artifacts: Artifacts, tmp_path_factory: pytest.TempPathFactory
) -> None:
    out = _run(artifacts, tmp_path_factory.mktemp("na-required"), '[checks."performance.metrics"]\nrequired = true\n')
    html = (out / "report.html").read_text(encoding="utf-8")
    rows = dict(re.findall(r'<tr data-check="([^"]+)">\s*<td>(.*?)</td>', html, re.S))
    assert set(rows) == {"performance.metrics", "documentation.completeness"}
    assert "(optional)" not in rows["performance.metrics"]
    assert "(optional)" in rows["documentation.completeness"]
