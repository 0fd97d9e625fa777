"""``tef report sync`` retries what the registry part of tracking left undone: registering the
audited file (``--register-as``), and tagging a registered version and moving the alias onto
it, against a real server that was down (a closed port) during ``tef check``."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.conftest import Artifacts
from tests.tracking.conftest import Server, free_port, only_check_enabled, register_versions, tef, tracking_env

pytestmark = pytest.mark.slow

ALIAS = "tef-conformant"


def _config(artifacts: Artifacts, folder: Path) -> None:
    """A full audit (of a profile running performance.metrics alone): the alias may move."""
    cfg = artifacts.config(f'[tracking]\nregister_alias = "{ALIAS}"\n' + only_check_enabled())
    (folder / "tef.toml").write_text(cfg, encoding="utf-8")


def _sync(folder: Path, server: Server):
    return tef("report", "sync", str(folder / "out"), "--tracking-uri", server.uri, cwd=folder)


def _check_tagged(client, name: str, version: str, folder: Path) -> str:
    """The version carries this report's verdict, digest and run, and the alias; the run id."""
    raw = (folder / "out" / "report.json").read_bytes()
    report = json.loads(raw)
    assert report["verdict"] == "conformant"
    assert report["coverage"]["partial"] is False
    digest = hashlib.sha256(raw).hexdigest()
    mv = client.get_model_version(name, version)
    exp = client.get_experiment_by_name(f"tef/{'model' if report['subject']['model']['adapter'] == 'skops' else name}")
    (run,) = client.search_runs([exp.experiment_id], filter_string=f"tags.`tef.report_digest` = '{digest}'")
    assert run.info.status == "FINISHED"
    assert mv.tags["tef.verdict"] == "conformant"
    assert mv.tags["tef.report_digest"] == digest
    assert mv.tags["tef.run_id"] == run.info.run_id
    assert client.get_model_version_by_alias(name, ALIAS).version == version
    return str(run.info.run_id)


def test_register_as_while_the_server_is_down_is_done_by_sync(
    artifacts: Artifacts, tmp_path: Path, mlflow_server: Server, client
) -> None:
    name = "tef-sync-register"
    _config(artifacts, tmp_path)
    closed = f"http://127.0.0.1:{free_port()}"
    proc = tef(
        "check", "--tracking-uri", closed, "--register-as", name, cwd=tmp_path
    )
    assert proc.returncode == 4, proc.stderr  # conformant, but not tracked
    assert "tef: tracking failed" in proc.stderr and "tef report sync" in proc.stderr
    # one line says it: no retry warning of MLflow's HTTP client from the background registration
    assert "Retrying" not in proc.stderr, proc.stderr
    assert client.search_model_versions(f"name = '{name}'") == []
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["config"]["tracking"]["register_as"] == name  # the flag is recorded for sync

    first = _sync(tmp_path, mlflow_server)
    assert first.returncode == 0, first.stderr
    assert f"tef: tagged model version {name}/1" in first.stderr
    (mv,) = client.search_model_versions(f"name = '{name}'")
    assert mv.tags["tef.artifact_digest"] == hashlib.sha256(artifacts.skops.read_bytes()).hexdigest()
    run_id = _check_tagged(client, name, mv.version, tmp_path)

    # again: nothing registered or logged twice
    second = _sync(tmp_path, mlflow_server)
    assert second.returncode == 0, second.stderr
    assert f"already logged as MLflow run {run_id}" in second.stderr
    assert [v.version for v in client.search_model_versions(f"name = '{name}'")] == ["1"]
    assert _check_tagged(client, name, "1", tmp_path) == run_id


def test_sync_finishes_the_tagging_of_a_registered_version(
    artifacts: Artifacts, tmp_path: Path, mlflow_server: Server, client
) -> None:
    """The run was logged and the version registered, but its tags and alias were not set (the
    server went away after the run): sync sets them, and registers nothing new."""
    name = "tef-sync-retag"
    _config(artifacts, tmp_path)
    proc = tef(
        "check", "--tracking-uri", mlflow_server.uri, "--register-as", name,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    run_id = _check_tagged(client, name, "1", tmp_path)
    for key in ("tef.verdict", "tef.run_id", "tef.report_digest"):
        client.delete_model_version_tag(name, "1", key)
    client.delete_registered_model_alias(name, ALIAS)

    proc = _sync(tmp_path, mlflow_server)
    assert proc.returncode == 0, proc.stderr
    assert f"already logged as MLflow run {run_id}" in proc.stderr
    assert f"tef: tagged model version {name}/1" in proc.stderr
    assert [v.version for v in client.search_model_versions(f"name = '{name}'")] == ["1"]
    assert _check_tagged(client, name, "1", tmp_path) == run_id


def test_models_uri_audited_while_tracking_is_down_is_tagged_by_sync(
    artifacts: Artifacts, tmp_path: Path, mlflow_server: Server, client
) -> None:
    """The model is read from the registry (MLFLOW_TRACKING_URI), the run goes to a tracking
    server that is down; sync logs the run and tags the version."""
    import joblib

    name = "tef-sync-models-uri"
    (version,) = register_versions(joblib.load(artifacts.pickle), mlflow_server, name, "t/sync-setup")
    _config(artifacts, tmp_path)
    closed = f"http://127.0.0.1:{free_port()}"
    proc = tef(
        "check", "--model-uri", f"models:/{name}/{version}", "--trust-artifact",
        "--tracking-uri", closed, cwd=tmp_path, env=tracking_env(MLFLOW_TRACKING_URI=mlflow_server.uri),
    )
    assert proc.returncode == 4, proc.stderr
    assert "tef.verdict" not in client.get_model_version(name, version).tags
    assert client.get_experiment_by_name(f"tef/{name}") is None

    sync = _sync(tmp_path, mlflow_server)
    assert sync.returncode == 0, sync.stderr
    assert f"tef: tagged model version {name}/{version}" in sync.stderr
    _check_tagged(client, name, version, tmp_path)


def test_sync_tags_the_version_the_alias_named_at_audit_time(
    artifacts: Artifacts, tmp_path: Path, mlflow_server: Server, client
) -> None:
    """``models:/name@alias`` is resolved once, at intake: the report records the version read
    (whose bytes it audited), and sync tags that version after the alias has moved on."""
    import joblib
    import mlflow
    import mlflow.sklearn

    from tef_harness.intake.hashing import sha256_tree

    name = "tef-sync-alias"
    versions = register_versions(joblib.load(artifacts.pickle), mlflow_server, name, "t/sync-alias-setup", 2)
    audited, other = versions
    client.set_registered_model_alias(name, "champion", audited)
    _config(artifacts, tmp_path)
    closed = f"http://127.0.0.1:{free_port()}"
    proc = tef(
        "check", "--model-uri", f"models:/{name}@champion", "--trust-artifact",
        "--tracking-uri", closed, cwd=tmp_path, env=tracking_env(MLFLOW_TRACKING_URI=mlflow_server.uri),
    )
    assert proc.returncode == 4, proc.stderr
    model = json.loads((tmp_path / "out" / "report.json").read_text())["subject"]["model"]
    assert model["path"] == f"models:/{name}@champion"
    assert model["metadata"]["registered_version"] == audited
    # the bytes audited are that version's (the two versions' MLmodel files differ)
    downloads = {
        v: sha256_tree(Path(mlflow.artifacts.download_artifacts(f"models:/{name}/{v}", dst_path=str(tmp_path / v))))
        for v in versions
    }
    assert downloads[audited] != downloads[other] and model["sha256"] == downloads[audited]

    client.set_registered_model_alias(name, "champion", other)
    sync = _sync(tmp_path, mlflow_server)
    assert sync.returncode == 0, sync.stderr
    assert f"tef: tagged model version {name}/{audited}" in sync.stderr
    _check_tagged(client, name, audited, tmp_path)
    assert "tef.verdict" not in client.get_model_version(name, other).tags
    assert client.get_model_version_by_alias(name, "champion").version == other


@pytest.mark.parametrize("name", ["credit's-model", "credit's-\"best\"-model"])
def test_a_name_with_quotes_is_found_again_and_registered_once(
    artifacts: Artifacts, tmp_path: Path, mlflow_server: Server, client, name: str
) -> None:
    """Sync looks up the version the audit registered by the model's name; a name holding a
    quote (both kinds, in the second case) must not break that search filter, or a second
    version of the same bytes is registered (and tagged) each time."""
    _config(artifacts, tmp_path)
    proc = tef(
        "check", "--tracking-uri", mlflow_server.uri, "--register-as", name,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert f"tef: tagged model version {name}/1" in proc.stderr
    for _ in range(2):
        sync = _sync(tmp_path, mlflow_server)
        assert sync.returncode == 0, sync.stderr
        assert "already logged as MLflow run" in sync.stderr
        assert f"tef: tagged model version {name}/1" in sync.stderr
    # listed without a filter, so the count does not depend on the quoting under test
    assert [v.version for v in client.search_model_versions() if v.name == name] == ["1"]
    _check_tagged(client, name, "1", tmp_path)
