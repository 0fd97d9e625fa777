"""`tef check` writes every format and a manifest; values from the card and the data stay text."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.cli.test_check_command import assert_input_error, tef, write_config
from tests.conftest import Artifacts


@pytest.mark.slow
def test_every_format_and_the_manifest(demo_folder: Path) -> None:
    names = sorted(p.name for p in demo_folder.iterdir())
    assert names == ["junit.xml", "manifest.json", "report.html", "report.json", "report.md"]
    report = json.loads((demo_folder / "report.json").read_text())
    html = (demo_folder / "report.html").read_text()
    assert len(html.encode()) < 1_000_000
    for r in report["results"]:  # a check that did not apply is a row of "did not run" instead
        row = "data-not-run" if r["status"] == "not_applicable" else "data-check"
        assert f'{row}="{r["check_id"]}"' in html
    cases = ET.parse(demo_folder / "junit.xml").getroot().findall("testsuite/testcase")
    assert len(cases) == len(report["results"])
    assert len((demo_folder / "report.md").read_text()) < 65_000
    # unsigned: every file matches the manifest, but nothing vouches for it (exit 4, not 0)
    assert tef("report", "verify", str(demo_folder), cwd=demo_folder).returncode == 4


@pytest.mark.slow
def test_card_and_data_markup_is_text(hostile_folder: Path) -> None:
    html = (hostile_folder / "report.html").read_text()
    assert "<script" not in html and "<img" not in html
    assert "Accuracy &lt;script&gt;document.title=&#34;pwned&#34;&lt;/script&gt;" in html  # the card's claim name
    assert "&lt;img src=x onerror=" in html  # the group value, in the group table and the plot
    md = (hostile_folder / "report.md").read_text()
    assert "<script" not in md and "<img" not in md


def test_unknown_format_fails_before_the_run(artifacts: Artifacts, in_tmp: Path) -> None:
    write_config(in_tmp, artifacts.config())
    proc = tef("check", "--only", "performance.metrics", "--format", "html,docx", cwd=in_tmp)
    assert_input_error(proc, "--format", "docx")
    assert not (in_tmp / "out").exists()


def test_format_selection_keeps_json(artifacts: Artifacts, in_tmp: Path) -> None:
    write_config(in_tmp, artifacts.config())
    proc = tef("check", "--only", "performance.metrics", "--format", "md", cwd=in_tmp)
    assert proc.returncode in (0, 1), proc.stderr
    assert sorted(p.name for p in (in_tmp / "out").iterdir()) == ["manifest.json", "report.json", "report.md"]
