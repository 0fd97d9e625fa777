"""Model intake: every adapter predicts the same as the original estimator."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tef_harness.config.loader import load_config
from tef_harness.intake.models import detect_format, load_model
from tef_harness.sdk.errors import IntakeError
from tests.conftest import Artifacts


def _load(artifacts: Artifacts, tmp: Path, **model: object):
    lc = load_config(None, {f"model.{k}": v for k, v in model.items()}, cwd=tmp)
    return load_model(lc, 1000, classes_hint=(0, 1))


def test_onnx_matches_skops(artifacts: Artifacts, tmp_path: Path, eval_frame) -> None:
    skops = _load(artifacts, tmp_path, path=str(artifacts.skops), trusted_types=["sklearn.tree._tree.Tree"])
    onnx = _load(artifacts, tmp_path, path=str(artifacts.onnx))
    X = eval_frame[artifacts.features]
    assert onnx.feature_names == tuple(artifacts.features)
    assert onnx.classes == (0, 1)
    assert np.mean(onnx.predict(X) == skops.predict(X)) > 0.995
    np.testing.assert_allclose(onnx.predict_proba(X), skops.predict_proba(X), atol=1e-4)
    assert skops.info.adapter == "skops" and len(skops.info.sha256) == 64
    assert "Pipeline(" in skops.info.description


def test_pickle_refused_without_trust_and_loaded_with_it(artifacts: Artifacts, tmp_path: Path) -> None:
    with pytest.raises(IntakeError, match=r"model\.trust_artifact"):
        _load(artifacts, tmp_path, path=str(artifacts.pickle))
    adapter = _load(artifacts, tmp_path, path=str(artifacts.pickle), trust_artifact=True)
    assert adapter.info.trusted and adapter.has_predict_proba


@pytest.mark.slow
def test_mlflow_folder_needs_trust(artifacts: Artifacts, tmp_path: Path, eval_frame) -> None:
    import joblib
    import mlflow.sklearn

    folder = tmp_path / "mlflow_model"
    mlflow.sklearn.save_model(joblib.load(artifacts.pickle), folder)
    assert detect_format(str(folder)) == "mlflow"
    with pytest.raises(IntakeError, match="MLflow artifacts execute code"):
        _load(artifacts, tmp_path, path=str(folder))
    adapter = _load(artifacts, tmp_path, path=str(folder), trust_artifact=True)
    X = eval_frame[artifacts.features]
    assert adapter.info.trusted and adapter.info.adapter == "mlflow"
    assert adapter.predict_proba(X).shape == (len(X), 2)


def test_unknown_suffix_and_plain_folder(tmp_path: Path) -> None:
    (tmp_path / "m.bin").write_bytes(b"x")
    with pytest.raises(IntakeError, match=r"model\.format"):
        detect_format(str(tmp_path / "m.bin"))
    with pytest.raises(IntakeError, match="without an MLmodel"):
        detect_format(str(tmp_path))


def test_predictions_file_must_align(tmp_path: Path) -> None:
    p = tmp_path / "p.csv"
    p.write_text("prediction,proba_0,proba_1\n1,0.2,0.8\n0,0.9,0.1\n")
    lc = load_config(None, {"model.predictions": str(p)}, cwd=tmp_path)
    with pytest.raises(IntakeError, match="rows must align"):
        load_model(lc, 3)
    adapter = load_model(lc, 2)
    assert adapter.classes == (0, 1) and not adapter.scores_new_rows
    p.write_text("prediction,proba_1\n1,1.5\n0,0.1\n")
    with pytest.raises(IntakeError, match=r"\[0, 1\]"):
        load_model(lc, 2)
