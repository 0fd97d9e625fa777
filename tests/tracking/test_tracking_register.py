"""Register before audit: ``tef check --register-as NAME`` on a .skops or .onnx file registers the
unchanged file as a new model version on a real server, audits it, and tags that version.

The bytes are checked by downloading the version's artifacts and hashing them here; the skops
version is loaded back through MLflow's sklearn flavour (skops, not pickle) and must predict
what the original file predicts when loaded with skops directly."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import Artifacts
from tests.tracking.conftest import Server, only_check_enabled, tef

pytestmark = pytest.mark.slow

ALIAS = "tef-conformant"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def audit_and_register(artifacts: Artifacts, folder: Path, server: Server, name: str, *extra: str):
    """A full audit (of a profile running performance.metrics alone): the alias may move."""
    cfg = artifacts.config(f'[tracking]\nregister_alias = "{ALIAS}"\n' + only_check_enabled())
    (folder / "tef.toml").write_text(cfg, encoding="utf-8")
    return tef(
        "check",
        "--tracking-uri",
        server.uri,
        "--register-as",
        name,
        *extra,
        cwd=folder,
    )


def downloaded(server: Server, name: str, version: str, dest: Path) -> Path:
    """The version's files, fetched from the server through its ``models:/`` URI."""
    import mlflow

    mlflow.set_tracking_uri(server.uri)
    mlflow.set_registry_uri(server.uri)
    return Path(mlflow.artifacts.download_artifacts(f"models:/{name}/{version}", dst_path=str(dest)))


def check_registered_version(client, server: Server, folder: Path, name: str) -> tuple[object, dict, object]:
    """The single version of ``name``, tagged for the run the audit logged; returns it, the
    report and the run."""
    raw = (folder / "out" / "report.json").read_bytes()
    report = json.loads(raw)
    (mv,) = client.search_model_versions(f"name = '{name}'")
    exp = client.get_experiment_by_name("tef/model")
    assert exp is not None
    runs = client.search_runs(
        [exp.experiment_id], filter_string=f"tags.`tef.report_digest` = '{hashlib.sha256(raw).hexdigest()}'"
    )
    (run,) = runs
    assert mv.tags["tef.verdict"] == report["verdict"] == "conformant"
    # a full audit of a profile with one check enabled (a partial one would not move the alias)
    assert report["coverage"] == {"partial": False, "checks_selected": 1, "checks_in_profile": 1, "not_selected": []}
    assert mv.tags["tef.coverage"] == "full"
    assert mv.tags["tef.run_id"] == run.info.run_id
    assert mv.tags["tef.report_digest"] == hashlib.sha256(raw).hexdigest()
    assert mv.tags["tef.artifact_digest"] == report["subject"]["model"]["sha256"]
    assert client.get_model_version_by_alias(name, ALIAS).version == mv.version
    # MLflow 3: the audit's metrics are linked to the version's logged model, so its page lists them
    model_id = mv.model_id or mv.source.removeprefix("models:/")
    roc_auc = next(m["value"] for m in report["results"][0]["metrics"] if m["name"] == "roc_auc")
    linked = [m for m in client.get_logged_model(model_id).metrics if m.key == "performance.metrics/roc_auc"]
    eval_csv = next(f for f in report["subject"]["files"] if f["role"] == "eval")
    # ... and to the evaluation dataset input of that run (name and digest as logged there)
    (inp,) = [d.dataset for d in run.inputs.dataset_inputs if d.dataset.name.startswith("eval:")]
    assert inp.digest == eval_csv["sha256"][:32]
    assert [(m.value, m.run_id, m.dataset_name, m.dataset_digest) for m in linked] == [
        (roc_auc, run.info.run_id, inp.name, inp.digest)
    ]
    assert [m.model_id for m in client.get_run(run.info.run_id).inputs.model_inputs] == [model_id]
    return mv, report, run


def test_skops_file_registered_unchanged_then_audited_and_tagged(
    artifacts: Artifacts, tmp_path: Path, mlflow_server: Server, client
) -> None:
    name = "tef-register-skops"
    proc = audit_and_register(artifacts, tmp_path, mlflow_server, name)
    assert proc.returncode == 0, proc.stderr
    assert f"tef: tagged model version {name}/1" in proc.stderr
    mv, _, _ = check_registered_version(client, mlflow_server, tmp_path, name)
    folder = downloaded(mlflow_server, name, mv.version, tmp_path / "dl")
    assert sha256(folder / "model.skops") == sha256(artifacts.skops)
    # MLflow's sklearn flavour in skops format loads the very file (with skops, not pickle)
    import mlflow.sklearn
    import skops.io as sio

    loaded = mlflow.sklearn.load_model(f"models:/{name}/{mv.version}")
    frame = pd.read_csv(artifacts.eval_csv).head(50)[artifacts.features]
    original = sio.load(artifacts.skops, trusted=sio.get_untrusted_types(file=artifacts.skops))
    np.testing.assert_array_equal(loaded.predict_proba(frame), original.predict_proba(frame))
    # the environment files MLflow's model page and `mlflow models serve` read, as MLflow's own
    # save_model in skops format writes them for the same model (a reference saved here by
    # MLflow, with MLflow's default requirements so no inference subprocess runs)
    from mlflow.models import Model

    reference = tmp_path / "reference"
    mlflow.sklearn.save_model(
        original, str(reference), serialization_format="skops",
        skops_trusted_types=sio.get_untrusted_types(file=artifacts.skops),
        pip_requirements=mlflow.sklearn.get_default_pip_requirements(include_skops=True),
    )
    # (registered_model_meta is written by MLflow's models:/ download, not part of the version)
    ours_files = sorted(p.name for p in folder.iterdir() if p.name != "registered_model_meta")
    assert ours_files == sorted(p.name for p in reference.iterdir())
    assert {"python_env.yaml", "conda.yaml", "requirements.txt"} <= set(ours_files)
    for env_file in ("python_env.yaml", "conda.yaml", "requirements.txt"):
        assert (folder / env_file).read_text() == (reference / env_file).read_text(), env_file
    ours, theirs = Model.load(str(folder / "MLmodel")), Model.load(str(reference / "MLmodel"))
    assert ours.flavors["python_function"]["env"] == theirs.flavors["python_function"]["env"]
    assert ours.flavors["sklearn"]["serialization_format"] == "skops"
    pyfunc = mlflow.pyfunc.load_model(f"models:/{name}/{mv.version}")
    np.testing.assert_array_equal(pyfunc.predict(frame), original.predict(frame))


def test_onnx_file_registered_through_the_onnx_flavour_unchanged(
    artifacts: Artifacts, tmp_path: Path, mlflow_server: Server, client
) -> None:
    name = "tef-register-onnx"
    proc = audit_and_register(artifacts, tmp_path, mlflow_server, name, "--model", str(artifacts.onnx))
    assert proc.returncode == 0, proc.stderr
    mv, report, _ = check_registered_version(client, mlflow_server, tmp_path, name)
    assert report["subject"]["model"]["adapter"] == "onnx"
    folder = downloaded(mlflow_server, name, mv.version, tmp_path / "dl")
    from mlflow.models import Model

    flavours = Model.load(str(folder / "MLmodel")).flavors
    assert flavours["onnx"]["data"] == "model.onnx"
    assert sha256(folder / "model.onnx") == sha256(artifacts.onnx)


def test_register_of_a_model_that_is_not_a_skops_or_onnx_file_is_an_input_error(
    artifacts: Artifacts, tmp_path: Path, mlflow_server: Server, client
) -> None:
    proc = audit_and_register(
        artifacts, tmp_path, mlflow_server, "tef-register-pickle", "--model", str(artifacts.pickle), "--trust-artifact"
    )
    assert proc.returncode == 2, proc.stderr
    (line,) = [ln for ln in proc.stderr.splitlines() if ln.startswith("tef: error:")]
    assert "tracking.register_as" in line and ".skops or .onnx" in line
    assert not (tmp_path / "out").exists()
    assert client.search_model_versions("name = 'tef-register-pickle'") == []


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("--register-as", "credit", "--no-tracking"), "--register-as"),
        (("--register-as", "a/b"), "tracking.register_as"),
    ],
)
def test_register_flag_errors(artifacts: Artifacts, tmp_path: Path, args: tuple[str, ...], field: str) -> None:
    (tmp_path / "tef.toml").write_text(artifacts.config(), encoding="utf-8")
    proc = tef("check", "--only", "performance.metrics", *args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    (line,) = [ln for ln in proc.stderr.splitlines() if ln.startswith("tef: error:")]
    assert field in line
    assert not (tmp_path / "out").exists() and not (tmp_path / "mlflow.db").exists()


def test_onnx_whose_reserialisation_differs_is_still_registered_byte_for_byte(
    artifacts: Artifacts, tmp_path: Path
) -> None:
    """A file protobuf would write differently (here: ``ir_version`` given twice; the parser keeps
    the last, the writer writes it once) keeps its own bytes in the registered version."""
    import onnx
    from mlflow.tracking import MlflowClient

    from tef_harness.config.tracking_uri import TrackingTarget
    from tef_harness.reports.sinks.mlflow_register import register_request
    from tef_harness.reports.sinks.mlflow_sink import open_client, register_model_file

    proto = onnx.load(str(artifacts.onnx))
    assert proto.ir_version < 128  # one varint byte
    odd = tmp_path / "odd.onnx"
    odd.write_bytes(artifacts.onnx.read_bytes() + bytes([0x08, proto.ir_version]))
    assert onnx.load(str(odd)).SerializeToString() != odd.read_bytes()  # MLflow's flavour would change it

    db = tmp_path / "store" / "mlflow.db"
    target = TrackingTarget(f"sqlite:///{db}", None, None, tmp_path / "store" / "mlartifacts", embedded=True)
    request = register_request("odd", "tracking.register_as", adapter="onnx", path=str(odd), experiment="t/odd")
    mv = register_model_file(open_client(target), target, request)
    client = MlflowClient(tracking_uri=target.uri, registry_uri=target.uri)
    model_id = mv.source.removeprefix("models:/")
    import mlflow.artifacts

    folder = Path(
        mlflow.artifacts.download_artifacts(
            artifact_uri=client.get_logged_model(model_id).artifact_location, dst_path=str(tmp_path / "dl")
        )
    )
    assert sha256(folder / "model.onnx") == sha256(odd)
    assert client.get_model_version("odd", mv.version).tags["tef.artifact_digest"] == sha256(odd)
