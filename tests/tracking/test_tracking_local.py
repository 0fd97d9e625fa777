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
    assert (
        Path(client.download_artifacts(run.info.run_id, "report.json", str(tmp_path / "dl"))).read_bytes()
        == (tmp_path / "out" / "report.json").read_bytes()
    )


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


def _schema(db: Path) -> dict[str, object]:
    """Tables with their columns (name, type, not null, primary key) and every index name: what
    MLflow's queries depend on. Not the stored CREATE text, whose layout depends on whether a
    migration added a column in place or rebuilt the table."""
    import sqlite3

    with sqlite3.connect(db) as con:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {
            "indexes": sorted(r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")),
            **{t: sorted((c[1], c[2], c[3], c[5]) for c in con.execute(f'PRAGMA table_info("{t}")')) for t in tables},
        }


@pytest.mark.slow
def test_new_store_is_copied_from_a_migrated_template(artifacts: Artifacts, tmp_path: Path) -> None:
    """A new embedded store is a copy of an empty store migrated once per MLflow version (in the
    cache folder), with the very schema MLflow's own creation gives, and its own runs."""
    import sqlite3

    import mlflow
    from mlflow.tracking import MlflowClient

    cache = tmp_path / "cache"
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "tef.toml").write_text(artifacts.config(), encoding="utf-8")
        env = tracking_env(TEF_CACHE_DIR=str(cache / "tef-harness"))
        proc = tef("check", "--only", "performance.metrics", cwd=tmp_path / name, env=env)
        assert proc.returncode == 0, proc.stderr
    template = cache / "tef-harness" / f"mlflow-{mlflow.__version__}-empty.db"
    with sqlite3.connect(template) as con:
        assert con.execute("SELECT count(*) FROM experiments").fetchone() == (0,)
    # MLflow itself creates and migrates a store here (no tef involved): the same tables,
    # indexes and constraints as the copies
    reference = tmp_path / "reference.db"
    MlflowClient(tracking_uri=f"sqlite:///{reference}").search_experiments()
    for name in ("a", "b"):
        db = tmp_path / name / "mlflow.db"
        assert _schema(db) == _schema(reference)
        client = MlflowClient(tracking_uri=f"sqlite:///{db}")
        exp = client.get_experiment_by_name("tef/model")
        assert exp is not None and exp.artifact_location == (tmp_path / name / "mlartifacts").as_uri()
        assert len(client.search_runs([exp.experiment_id])) == 1
        # MLflow's default experiment belongs to this store's folder, not the template's
        assert str(tmp_path / name) in client.get_experiment("0").artifact_location
