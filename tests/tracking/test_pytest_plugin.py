"""``pytest --tef-config``: one item per check, and never green while ``tef check`` exits non-zero."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tef_harness.pytest_plugin import outcome_of
from tef_harness.sdk.results import CheckResult, Status
from tests.conftest import Artifacts
from tests.tracking.conftest import tef, tracking_env


def _result(status: Status) -> CheckResult:
    return CheckResult(
        check_id="x.y", family="x", title="t", check_version="1", distribution="d", distribution_version="1",
        status=status, reason="because",
    )


@pytest.mark.parametrize(
    ("status", "gate", "kind"),
    [
        (Status.PASSED, "incomplete", "pass"),
        (Status.WAIVED, "incomplete", "pass"),
        (Status.FAILED, "incomplete", "fail"),
        (Status.ERROR, "incomplete", "error"),
        (Status.INSUFFICIENT_EVIDENCE, "incomplete", "fail"),
        (Status.INSUFFICIENT_EVIDENCE, "fail", "fail"),
        (Status.INSUFFICIENT_EVIDENCE, "pass", "skip"),
        (Status.NOT_APPLICABLE, "incomplete", "skip"),
    ],
)
def test_status_to_outcome(status: Status, gate: str, kind: str) -> None:
    assert outcome_of(_result(status), gate).kind == kind


def junit_outcomes(path: Path) -> dict[str, str]:
    out = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        name = f"{case.get('classname')}::{case.get('name')}"
        kinds = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
        out[name] = kinds[0] if kinds else "passed"
    return out


def run_pytest(folder: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    junit = folder / "junit.xml"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(folder), "--tef-config",
         "tef.toml", "--tef-no-tracking", f"--junitxml={junit}", "-q", *args],
        cwd=folder, env=tracking_env(), capture_output=True, text=True, timeout=600, check=False,
    )
    return proc, junit_outcomes(junit)


JUNIT_KIND = {"pass": "passed", "fail": "failure", "error": "error", "skip": "skipped"}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("extra", "checks"),
    [
        ("", "performance.metrics"),
        (
            '[checks."performance.metrics"]\nthresholds = [{ metric = "accuracy", min = 0.9999 }]\n',
            "performance.metrics",
        ),
        ("", "performance.metrics,privacy.membership_inference,documentation.completeness"),
    ],
    ids=["conformant", "threshold-fails", "not-applicable-and-findings"],
)
def test_items_follow_the_report_and_the_exit_code_follows_tef_check(
    artifacts: Artifacts, tmp_path: Path, extra: str, checks: str
) -> None:
    (tmp_path / "tef.toml").write_text(artifacts.config(extra), encoding="utf-8")
    cli = tef("check", "--only", checks, "--no-tracking", "--out", "cli", cwd=tmp_path)
    assert cli.returncode in (0, 1), cli.stderr
    proc, outcomes = run_pytest(tmp_path, "--tef-only", checks)
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    gate = report["config"]["gate"]["insufficient_evidence"]
    for r in report["results"]:
        want = outcome_of(CheckResult.model_validate(r), gate).kind
        assert outcomes[f"tef::{r['check_id']}"] == JUNIT_KIND[want], (r["check_id"], proc.stdout)
    assert outcomes["tef::verdict"] == ("passed" if report["verdict"] == "conformant" else "failure")
    assert (proc.returncode == 0) == (cli.returncode == 0), proc.stdout
    assert json.loads((tmp_path / "cli" / "report.json").read_text())["verdict"] == report["verdict"]


@pytest.mark.slow
def test_bad_input_is_one_failing_item(artifacts: Artifacts, tmp_path: Path) -> None:
    (tmp_path / "tef.toml").write_text(artifacts.config().replace(str(artifacts.eval_csv), "missing.csv"))
    proc, outcomes = run_pytest(tmp_path)
    assert proc.returncode != 0
    assert outcomes == {"tef::audit": "failure"}
    assert "missing.csv" in proc.stdout


def test_plugin_is_inert_without_the_option(tmp_path: Path) -> None:
    (tmp_path / "test_x.py").write_text("def test_x():\n    pass\n")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(tmp_path), "-q", "--co"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0 and "tef::" not in proc.stdout and "1 test collected" in proc.stdout
