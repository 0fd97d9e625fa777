"""Tracking without a server: the embedded sqlite default, bad URIs, and that tracking stays out
of the start-up path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Artifacts
from tests.tracking.conftest import tef, tracking_env


@pytest.mark.slow
def test_embedded_default_from_a_clean_folder(artifacts: Artifacts, tmp_path: Path) -> None:
    (tmp_path / "tef.toml").write_text(artifacts.config(), encoding="utf-8")
    sub = tmp_path / "work"
    sub.mkdir()
    proc = tef("check", "--only", "performance.metrics", cwd=sub)
    assert proc.returncode == 0, proc.stderr
    # the store and its artifacts sit beside the config, not in the working folder
    db = tmp_path / "mlflow.db"
    assert db.is_file() and (tmp_path / "mlartifacts").is_dir()
    assert not (sub / "mlruns").exists() and not (sub / "mlflow.db").exists()
    uri = f"sqlite:///{db}"
    assert f"mlflow ui --backend-store-uri {uri}" in proc.stderr

    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=uri)
    exp = client.get_experiment_by_name("tef/model")
    assert exp is not None and exp.artifact_location == (tmp_path / "mlartifacts").as_uri()
    (run,) = client.search_runs([exp.experiment_id])
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    (result,) = report["results"]
    assert run.data.metrics["performance.metrics/roc_auc"] == next(
        m["value"] for m in result["metrics"] if m["name"] == "roc_auc"
    )
    assert run.data.tags["tef.verdict"] == "conformant"
    assert Path(client.download_artifacts(run.info.run_id, "report.json", str(tmp_path / "dl"))).read_bytes() == (
        tmp_path / "out" / "report.json"
    ).read_bytes()


def test_no_tracking_writes_no_store(artifacts: Artifacts, tmp_path: Path) -> None:
    (tmp_path / "tef.toml").write_text(artifacts.config(), encoding="utf-8")
    proc = tef("check", "--only", "performance.metrics", "--no-tracking", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "mlflow.db").exists() and "MLflow run" not in proc.stderr


@pytest.mark.parametrize(
    ("flag", "env", "needle"),
    [
        (["--tracking-uri", "htp:/nowhere"], {}, "--tracking-uri"),
        (["--tracking-uri", "http://:5000"], {}, "has no host"),
        (["--tracking-uri", "http://127.0.0.1:99999"], {}, "invalid port"),
        (["--tracking-uri", "sqlite://x.db"], {}, "sqlite:///"),
        ([], {"MLFLOW_TRACKING_URI": "not a uri"}, "MLFLOW_TRACKING_URI"),
    ],
    ids=["scheme", "no-host", "port", "sqlite-slashes", "env"],
)
def test_malformed_tracking_uri_is_exit_2_before_the_audit(
    artifacts: Artifacts, tmp_path: Path, flag: list[str], env: dict[str, str], needle: str
) -> None:
    (tmp_path / "tef.toml").write_text(artifacts.config(), encoding="utf-8")
    proc = tef("check", "--only", "performance.metrics", *flag, cwd=tmp_path, env=tracking_env(**env))
    assert proc.returncode == 2, proc.stderr
    (line,) = [ln for ln in proc.stderr.splitlines() if ln.startswith("tef: error:")]
    assert needle in line
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "mlflow.db").exists()


def test_malformed_uri_in_the_config_names_file_and_field(artifacts: Artifacts, tmp_path: Path) -> None:
    cfg = tmp_path / "tef.toml"
    cfg.write_text(artifacts.config('[tracking]\nuri = "ftp://host/x"\n'), encoding="utf-8")
    proc = tef("check", "--only", "performance.metrics", cwd=tmp_path)
    assert proc.returncode == 2
    (line,) = [ln for ln in proc.stderr.splitlines() if ln.startswith("tef: error:")]
    assert str(cfg) in line and "tracking.uri" in line


def test_help_does_not_import_mlflow() -> None:
    code = (
        "import sys\n"
        "from tef_harness.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('mlflow', 'sqlalchemy', 'alembic'))\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
