"""report.pdf through WeasyPrint: the digest of report.json on every page; without the
libraries, `--format pdf` is one line and exit 2, and the default formats skip it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tef_harness.intake.hashing import sha256_text
from tef_harness.reports.renderers.json_report import render_json
from tef_harness.reports.renderers.pdf_report import weasyprint_problem
from tef_harness.reports.schema import ConformityReport
from tests.cli.test_check_command import TEF, assert_input_error, tef, write_config
from tests.conftest import Artifacts


def _need(tool_ok: bool, reason: str) -> None:
    if tool_ok:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (.ci/run installs it)")
    pytest.skip(reason)


@pytest.mark.slow
def test_pdf_has_the_digest_on_every_page(engine_report: ConformityReport, tmp_path: Path) -> None:
    problem = weasyprint_problem()
    _need(problem is None, str(problem))
    _need(shutil.which("pdftotext") is not None, "poppler-utils (pdftotext) is not installed")
    saved = tmp_path / "report.json"
    saved.write_text(render_json(engine_report), encoding="utf-8")
    proc = tef("report", "render", str(saved), "--format", "pdf", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    # WeasyPrint's CSS-parser notes on SVG properties are not the user's business (they once
    # flooded make demo's stderr with hundreds of lines)
    assert "Ignored `" not in proc.stderr and "defined twice" not in proc.stderr
    pdf = tmp_path / "report.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    digest = sha256_text(saved.read_text(encoding="utf-8"))
    assert len(pages) >= 2
    assert all(digest in " ".join(p.split()) for p in pages), "the digest is missing from a page header"
    assert engine_report.verdict.value.replace("_", "-").upper() in text.upper()


def test_pdf_without_its_libraries_is_an_input_error(engine_report: ConformityReport, tmp_path: Path) -> None:
    # a machine without Pango: importing weasyprint raises OSError, as it does there
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "weasyprint.py").write_text("raise OSError(\"cannot load library 'libpango-1.0-0'\")\n")
    saved = tmp_path / "report.json"
    saved.write_text(render_json(engine_report), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(fake)}
    proc = subprocess.run(
        [TEF, "report", "render", str(saved), "--format", "pdf"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert_input_error(proc, "--format", "libpango-1.0-0", "apt-get install")
    assert not (tmp_path / "report.pdf").exists()


def test_default_formats_skip_pdf_and_say_so(artifacts: Artifacts, in_tmp: Path) -> None:
    fake = in_tmp / "fake"
    fake.mkdir()
    (fake / "weasyprint.py").write_text("raise ImportError('No module named weasyprint')\n")
    write_config(in_tmp, artifacts.config())
    env = {**os.environ, "PYTHONPATH": str(fake)}
    proc = subprocess.run(
        [TEF, "check", "--only", "performance.metrics"], cwd=in_tmp, env=env, capture_output=True, text=True
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert "pdf skipped: WeasyPrint is not installed" in proc.stderr
    written = sorted(p.name for p in (in_tmp / "out").iterdir())
    assert written == ["junit.xml", "manifest.json", "report.html", "report.json", "report.md"]


@pytest.mark.slow
def test_pdf_logs_no_svg_css_noise(engine_report: ConformityReport, caplog: pytest.LogCaptureFixture) -> None:
    """Plots are SVG with presentation attributes WeasyPrint's CSS parser warns about one by one."""
    from tef_harness.reports.renderers.pdf_report import render_pdf
    from tef_harness.sdk.results import Interval, Metric
    from tests.reports.conftest import make_result, report_with

    problem = weasyprint_problem()
    _need(problem is None, str(problem))
    metrics = tuple(Metric(name=f"m{i}", value=0.5, ci=Interval(low=0.4, high=0.6), n=100) for i in range(3))
    report = report_with(engine_report, [make_result("fam.plotted", metrics=metrics)])
    with caplog.at_level("WARNING"):
        assert render_pdf(report).startswith(b"%PDF-")
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")]
