"""The baseline gate and ``tef report diff``.

The comparison is checked against MLflow's own ``validate_evaluation_results`` wherever MLflow
accepts the threshold (positive changes), and against hand-computed cases for the negative
changes (tolerated regressions) that MLflow does not accept."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tef_harness.reports.report_diff import passes
from tests.conftest import Artifacts
from tests.tracking.conftest import Server, tef, tracking_env

values = st.floats(min_value=-10, max_value=10, allow_nan=False).map(lambda x: round(x, 3))


def mlflow_verdict(baseline: float, candidate: float, gib: bool, abs_: float | None, rel: float | None) -> bool:
    from mlflow import validate_evaluation_results
    from mlflow.models import MetricThreshold
    from mlflow.models.evaluation import EvaluationResult
    from mlflow.models.evaluation.validation import ModelValidationFailedException

    logging.getLogger("mlflow").setLevel(logging.ERROR)  # one INFO line per example otherwise
    threshold = MetricThreshold(min_absolute_change=abs_, min_relative_change=rel, greater_is_better=gib)
    try:
        validate_evaluation_results(
            {"m": threshold},
            EvaluationResult(metrics={"m": candidate}, artifacts={}),
            EvaluationResult(metrics={"m": baseline}, artifacts={}),
        )
    except ModelValidationFailedException:
        return False
    return True


@settings(max_examples=200, deadline=None)
@given(
    baseline=values,
    candidate=values,
    gib=st.booleans(),
    abs_=st.one_of(st.none(), st.floats(min_value=0.001, max_value=2).map(lambda x: round(x, 3))),
    rel=st.one_of(st.none(), st.floats(min_value=0.01, max_value=1.0).map(lambda x: round(x, 2))),
)
def test_positive_thresholds_agree_with_mlflow(
    baseline: float, candidate: float, gib: bool, abs_: float | None, rel: float | None
) -> None:
    if abs_ is None and rel is None:
        return
    ours = passes(baseline, candidate, greater_is_better=gib, min_absolute_change=abs_, min_relative_change=rel)
    assert ours == mlflow_verdict(baseline, candidate, gib, abs_, rel)


@pytest.mark.parametrize(
    ("baseline", "candidate", "gib", "abs_", "rel", "want"),
    [
        (0.80, 0.79, True, -0.02, None, True),  # dropped 0.01, 0.02 tolerated
        (0.80, 0.77, True, -0.02, None, False),  # dropped 0.03
        (0.10, 0.11, False, -0.02, None, True),  # lower is better: rose by 0.01
        (0.10, 0.13, False, -0.02, None, False),
        (0.80, 0.77, True, None, -0.05, True),  # 3.75 % drop, 5 % tolerated
        (0.80, 0.75, True, None, -0.05, False),  # 6.25 % drop
        (0.0, 0.0, True, None, -0.05, True),  # zero baseline: must not be worse
        (0.0, -0.1, True, None, -0.05, False),
    ],
)
def test_negative_thresholds_tolerate_that_much_regression(
    baseline: float, candidate: float, gib: bool, abs_: float | None, rel: float | None, want: bool
) -> None:
    assert passes(baseline, candidate, greater_is_better=gib, min_absolute_change=abs_, min_relative_change=rel) is want


def _baseline_with(report_path: Path, target: Path, shift: float) -> dict:
    """A copy of a real report whose accuracy is ``shift`` higher, as an older, better model's."""
    report = json.loads(report_path.read_text())
    perf = next(r for r in report["results"] if r["check_id"] == "performance.metrics")
    acc = next(m for m in perf["metrics"] if m["name"] == "accuracy")
    acc["value"] += shift
    target.write_text(json.dumps(report))
    return report


def _config(artifacts: Artifacts, folder: Path, abs_change: float) -> None:
    extra = (
        '[baseline]\nthresholds = [{ metric = "performance.metrics/accuracy", '
        f"min_absolute_change = {abs_change} }}]\n"
    )
    (folder / "tef.toml").write_text(artifacts.config(extra), encoding="utf-8")


@pytest.mark.slow
def test_check_baseline_gate_and_diff(artifacts: Artifacts, tmp_path: Path) -> None:
    _config(artifacts, tmp_path, -0.01)
    first = tef("check", "--only", "performance.metrics", "--no-tracking", "--out", "v1", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    old = _baseline_with(tmp_path / "v1" / "report.json", tmp_path / "better.json", 0.05)

    # 0.05 worse than the baseline, 0.01 tolerated: the gate fails the otherwise conformant audit
    gated = tef("check", "--only", "performance.metrics", "--no-tracking", "--baseline", "better.json", cwd=tmp_path)
    assert gated.returncode == 1, gated.stderr
    assert "performance.metrics/accuracy" in gated.stderr and "REGRESSED" in gated.stderr
    new = json.loads((tmp_path / "out" / "report.json").read_text())
    assert new["verdict"] == "conformant"  # the report is the audit's; the gate is the comparison

    _config(artifacts, tmp_path, -0.1)
    tolerated = tef(
        "check", "--only", "performance.metrics", "--no-tracking", "--baseline", "better.json", cwd=tmp_path
    )
    assert tolerated.returncode == 0, tolerated.stderr
    assert "REGRESSED" not in tolerated.stderr

    diff = tef("report", "diff", "better.json", "out", cwd=tmp_path)
    assert diff.returncode == 0, diff.stderr
    old_acc = next(m for m in old["results"][0]["metrics"] if m["name"] == "accuracy")["value"]
    new_acc = next(m for m in new["results"][0]["metrics"] if m["name"] == "accuracy")["value"]
    (line,) = [ln for ln in diff.stdout.splitlines() if ln.startswith("metric performance.metrics/accuracy:")]
    assert f"{old_acc:.6g}" in line and f"{new_acc:.6g}" in line and f"{new_acc - old_acc:+.6g}" in line
    same = tef("report", "diff", "v1", "v1/report.json", cwd=tmp_path)
    assert same.stdout == "no changes\n"


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("not json", "not a tef conformity report"),
        ('{"schema_version": "1.0"}', "schema_version"),  # the schema before issue 12 bumped it to 2.0
    ],
    ids=["not-a-report", "other-schema"],
)
def test_bad_baseline_is_exit_2_before_the_audit(
    artifacts: Artifacts, tmp_path: Path, content: str, needle: str
) -> None:
    _config(artifacts, tmp_path, -0.01)
    (tmp_path / "old.json").write_text(content)
    proc = tef("check", "--only", "performance.metrics", "--no-tracking", "--baseline", "old.json", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    (line,) = [ln for ln in proc.stderr.splitlines() if ln.startswith("tef: error:")]
    assert "old.json" in line and needle in line
    assert not (tmp_path / "out").exists()
    missing = tef("check", "--only", "performance.metrics", "--no-tracking", "--baseline", "nope", cwd=tmp_path)
    assert missing.returncode == 2 and "nor an MLflow run id" in missing.stderr


@pytest.mark.slow
def test_baseline_from_an_mlflow_run(artifacts: Artifacts, tmp_path: Path, mlflow_server: Server, client) -> None:
    _config(artifacts, tmp_path, 0.0)
    env = tracking_env()
    (tmp_path / "tef.toml").write_text(
        (tmp_path / "tef.toml").read_text() + '[tracking]\nexperiment = "t/baseline-run"\n', encoding="utf-8"
    )
    first = tef("check", "--only", "performance.metrics", "--tracking-uri", mlflow_server.uri, cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    exp = client.get_experiment_by_name("t/baseline-run")
    (run,) = client.search_runs([exp.experiment_id])
    # same model, same data: no change, and a 0.0 minimum change passes
    second = tef(
        "check", "--only", "performance.metrics", "--tracking-uri", mlflow_server.uri,
        "--baseline", f"runs:/{run.info.run_id}", "--out", "again", cwd=tmp_path, env=env,
    )
    assert second.returncode == 0, second.stderr
    assert "performance.metrics/accuracy" in second.stderr and ": ok" in second.stderr


def test_a_baseline_of_another_model_is_compared_with_a_warning() -> None:
    from tef_harness.config.schema import BaselineSection, BaselineThreshold, LoadedConfig, TefConfig
    from tef_harness.reports.baseline import gate
    from tef_harness.reports.report_diff import diff_lines
    from tests.engine.report_factory import sample_report

    report = sample_report(("performance.metrics",))
    assert report.subject.model is not None
    other_model = report.subject.model.model_copy(update={"sha256": "f" * 64})
    baseline = report.model_copy(update={"subject": report.subject.model_copy(update={"model": other_model})})
    rule = BaselineThreshold(metric="performance.metrics/accuracy", min_absolute_change=0.0)
    lc = LoadedConfig(config=TefConfig(baseline=BaselineSection(thresholds=(rule,))), source=None, base_dir=Path("."))
    lines, passed = gate(baseline, report, lc)
    assert passed  # same numbers: no change, and a 0.0 minimum change is met
    assert lines[0] == "baseline is of a different model artifact; compared anyway"
    assert "model: a different artifact (sha256 differs)" in diff_lines(baseline, report)
