"""Auditing a registered model: the version gets the verdict, run id and report digest as
tags, and the configured alias follows the verdict (set when conformant, removed when not)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.conftest import Artifacts
from tests.tracking.conftest import Server, only_check_enabled, register_versions, tef

pytestmark = pytest.mark.slow

NAME = "tef-credit-test"
ALIAS = "tef-conformant"


@pytest.fixture(scope="module")
def registered(artifacts: Artifacts, mlflow_server: Server, client) -> list[str]:
    """Two versions of the demo pipeline registered in the server (logged without pip
    inference, which would start a subprocess per model)."""
    import joblib

    return register_versions(joblib.load(artifacts.pickle), mlflow_server, NAME, "t/registry-setup", 2)


def audit(artifacts: Artifacts, folder: Path, server: Server, model_uri: str, extra_toml: str = ""):
    """A full audit (of a profile running performance.metrics alone): the alias may move."""
    cfg = artifacts.config(f'[tracking]\nregister_alias = "{ALIAS}"\n' + only_check_enabled() + extra_toml)
    (folder / "tef.toml").write_text(cfg, encoding="utf-8")
    return tef(
        "check", "--model-uri", model_uri, "--trust-artifact", "--tracking-uri", server.uri, cwd=folder,
    )


def test_registered_version_tagged_and_alias_follows_the_verdict(
    artifacts: Artifacts, tmp_path: Path, mlflow_server: Server, client, registered: list[str]
) -> None:
    v1, v2 = registered
    (tmp_path / "ok").mkdir()
    ok = audit(artifacts, tmp_path / "ok", mlflow_server, f"models:/{NAME}/{v2}")
    assert ok.returncode == 0, ok.stderr
    report_bytes = (tmp_path / "ok" / "out" / "report.json").read_bytes()
    mv = client.get_model_version(NAME, v2)
    exp = client.get_experiment_by_name(f"tef/{NAME}")
    assert exp is not None
    (run,) = client.search_runs([exp.experiment_id])
    assert run.info.run_name == f"{NAME}@{v2}: conformant"
    assert mv.tags["tef.verdict"] == "conformant"
    assert json.loads(report_bytes)["coverage"]["partial"] is False
    assert mv.tags["tef.coverage"] == "full"
    assert mv.tags["tef.run_id"] == run.info.run_id
    assert mv.tags["tef.report_digest"] == hashlib.sha256(report_bytes).hexdigest()
    assert client.get_model_version_by_alias(NAME, ALIAS).version == v2
    assert "tef.verdict" not in client.get_model_version(NAME, v1).tags
    # MLflow 3: the metrics are linked to the version's logged model and the evaluation data,
    # so the model's page lists the audit
    report = json.loads(report_bytes)
    roc_auc = next(m["value"] for m in report["results"][0]["metrics"] if m["name"] == "roc_auc")
    eval_sha = next(f["sha256"] for f in report["subject"]["files"] if f["role"] == "eval")
    model_id = mv.model_id or mv.source.removeprefix("models:/")
    linked = [m for m in client.get_logged_model(model_id).metrics if m.key == "performance.metrics/roc_auc"]
    assert [(m.value, m.run_id, m.dataset_digest) for m in linked] == [(roc_auc, run.info.run_id, eval_sha[:32])]

    # the same version through its alias, now failing a threshold: tagged, alias removed
    (tmp_path / "bad").mkdir()
    bad = audit(
        artifacts, tmp_path / "bad", mlflow_server, f"models:/{NAME}@{ALIAS}",
        '[checks."performance.metrics"]\nthresholds = [{ metric = "accuracy", min = 0.9999 }]\n',
    )
    assert bad.returncode == 1, bad.stderr
    report = json.loads((tmp_path / "bad" / "out" / "report.json").read_text())
    assert report["verdict"] == "non_conformant"
    assert client.get_model_version(NAME, v2).tags["tef.verdict"] == "non_conformant"
    assert ALIAS not in client.get_registered_model(NAME).aliases


def test_missing_registered_model_is_an_input_error(
    artifacts: Artifacts, tmp_path: Path, mlflow_server: Server
) -> None:
    proc = audit(artifacts, tmp_path, mlflow_server, "models:/no-such-model/1")
    assert proc.returncode == 2, proc.stderr
    (line,) = [ln for ln in proc.stderr.splitlines() if ln.startswith("tef: error:")]
    assert "models:/no-such-model/1" in line and "model.path" in line
    assert not (tmp_path / "out").exists()
