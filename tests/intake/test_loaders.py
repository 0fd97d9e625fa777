"""Model intake: every adapter predicts the same as the original estimator."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
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


@pytest.fixture(scope="module")
def forest_skops(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object, np.ndarray]:
    """A small random forest as skops: its trees hold ``sklearn.tree._tree.Tree``, a
    scikit-learn type that skops does not trust by default."""
    import skops.io as sio
    from sklearn.ensemble import RandomForestClassifier

    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    y = (X[:, 0] + rng.normal(0, 0.5, 120) > 0).astype(int)
    forest = RandomForestClassifier(n_estimators=3, max_depth=3, random_state=0).fit(X, y)
    path = tmp_path_factory.mktemp("forest") / "forest.skops"
    sio.dump(forest, path)
    return path, forest, X


def test_skops_tree_structure_loads_by_the_shipped_allow_list(forest_skops, tmp_path: Path) -> None:
    """sklearn.tree._tree.Tree, which skops leaves untrusted, is on the shipped allow-list
    (issue 14): a forest loads without a listing and the metadata says the list was used; a
    listed Tree is the user's approval instead."""
    import skops.io as sio

    path, forest, X = forest_skops
    assert "sklearn.tree._tree.Tree" in sio.get_untrusted_types(file=path)  # the premise, from skops itself
    for trusted in ([], ["sklearn.tree._classes.DecisionTreeClassifier"]):
        lc = load_config(None, {"model.path": str(path), "model.trusted_types": trusted}, cwd=tmp_path)
        adapter = load_model(lc, 120, classes_hint=(0, 1))
        assert adapter.info.metadata["allow_listed_types"] == "sklearn.tree._tree.Tree"
        assert "approved_types" not in adapter.info.metadata
    lc = load_config(None, {"model.path": str(path), "model.trusted_types": ["sklearn.tree._tree.Tree"]}, cwd=tmp_path)
    adapter = load_model(lc, 120, classes_hint=(0, 1))
    np.testing.assert_array_equal(adapter.predict(pd.DataFrame(X)), forest.predict(X))
    assert adapter.info.metadata["approved_types"] == "sklearn.tree._tree.Tree"
    assert adapter.info.description == "RandomForestClassifier"


def test_skops_refusal_lists_every_untrusted_type_and_approval_is_recorded(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import hashlib

    import skops
    import skops.io as sio
    from sklearn.ensemble import RandomForestClassifier, VotingClassifier
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(1)
    X = rng.normal(size=(80, 3))
    y = (X[:, 0] > 0).astype(int)
    model = VotingClassifier(
        [
            ("rf", RandomForestClassifier(n_estimators=2, random_state=0)),
            ("lr", LogisticRegression()),
        ],
        voting="soft",
    ).fit(X, y)
    path = tmp_path / "vote.skops"
    sio.dump(model, path)
    types = ["sklearn.tree._tree.Tree", "sklearn.utils._bunch.Bunch"]
    assert sorted(sio.get_untrusted_types(file=path)) == types

    def load(trusted: list[str]):
        lc = load_config(None, {"model.path": str(path), "model.trusted_types": trusted}, cwd=tmp_path)
        return load_model(lc, 80, classes_hint=(0, 1))

    with pytest.raises(IntakeError) as err:
        load([])
    # Tree is on the shipped allow-list (issue 14); Bunch is not, and is refused alone
    assert str(err.value) == (
        f"{path}: model.trusted_types: refusing untrusted types {types[1]}; "
        "review them and list them under model.trusted_types (or pass --trust-type) to allow"
    )
    assert load([types[1]]).info.metadata["allow_listed_types"] == types[0]
    caplog.clear()
    with caplog.at_level("WARNING", logger="tef_harness"):
        adapter = load(types)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("tef_harness")] == [
        f"loading {path} with approved types: {types[0]}, {types[1]}"
    ]
    info = adapter.info
    assert (info.adapter, info.path, info.description) == ("skops", str(path), "VotingClassifier")
    assert info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert info.metadata == {"skops": skops.__version__, "approved_types": f"{types[0]}, {types[1]}"}
    np.testing.assert_allclose(adapter.predict_proba(pd.DataFrame(X)), model.predict_proba(X))


def test_skops_that_is_not_an_archive_or_not_a_model(tmp_path: Path) -> None:
    import skops.io as sio
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    junk = tmp_path / "junk.skops"
    junk.write_bytes(b"not a zip archive")
    lc = load_config(None, {"model.path": str(junk)}, cwd=tmp_path)
    with pytest.raises(IntakeError) as err:
        load_model(lc, 10)
    assert str(err.value) == f"{junk}: model.path: not a readable skops file (BadZipFile)"
    plain = tmp_path / "dict.skops"
    sio.dump({"weights": [1, 2]}, plain)
    lc = load_config(None, {"model.path": str(plain)}, cwd=tmp_path)
    with pytest.raises(IntakeError) as err:
        load_model(lc, 10)
    assert str(err.value) == f"{plain}: model.path: dict has no predict method"
    # a pipeline's description names its steps in order
    X = np.random.default_rng(0).normal(size=(40, 2))
    pipe = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, X[:, 0] > 0)
    sio.dump(pipe, tmp_path / "pipe.skops")
    lc = load_config(None, {"model.path": str(tmp_path / "pipe.skops")}, cwd=tmp_path)
    adapter = load_model(lc, 40)
    assert adapter.info.description == "Pipeline(StandardScaler -> LogisticRegression)"
    assert "approved_types" not in adapter.info.metadata  # nothing beyond skops' own safe list


def test_skops_whose_arrays_do_not_load_is_an_input_error(tmp_path: Path) -> None:
    """The type audit reads only the schema; an archive whose arrays are garbage passes it and
    fails at load: one line naming the file and model.path."""
    import zipfile

    import skops.io as sio
    from sklearn.linear_model import LogisticRegression

    X = np.random.default_rng(0).normal(size=(40, 2))
    sio.dump(LogisticRegression().fit(X, X[:, 0] > 0), tmp_path / "ok.skops")
    broken = tmp_path / "broken.skops"
    with zipfile.ZipFile(tmp_path / "ok.skops") as src, zipfile.ZipFile(broken, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, b"garbage" if name.endswith(".npy") else src.read(name))
    lc = load_config(None, {"model.path": str(broken)}, cwd=tmp_path)
    with pytest.raises(IntakeError) as err:
        load_model(lc, 40)
    assert str(err.value).startswith(f"{broken}: model.path: cannot load skops file (ValueError: ")
    assert (err.value.file, err.value.field) == (str(broken), "model.path")


def test_skops_names_every_refused_and_every_allow_listed_type(tmp_path: Path) -> None:
    """Two refused types are both named in the error, two allow-listed scikit-learn internals
    both recorded, each list comma-separated (the other tests hold one of each); the types
    come from skops itself."""
    import operator

    import skops.io as sio
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier, VotingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    rng = np.random.default_rng(2)
    X = rng.normal(size=(80, 3))
    y = (X[:, 0] > 0).astype(int)
    model = VotingClassifier(
        [
            ("rf", RandomForestClassifier(n_estimators=2, random_state=0)),
            ("hgb", HistGradientBoostingClassifier(max_iter=3)),
            ("lr", make_pipeline(FunctionTransformer(operator.neg), LogisticRegression())),
        ],
        voting="soft",
    ).fit(X, y)
    path = tmp_path / "three.skops"
    sio.dump(model, path)
    internal = ["sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor", "sklearn.tree._tree.Tree"]
    found = sorted(sio.get_untrusted_types(file=path))
    others = [t for t in found if t not in internal]
    assert len(others) == 2 and set(internal) <= set(found)  # the premise: a neg function and a Bunch

    def load(trusted: list[str]):
        lc = load_config(None, {"model.path": str(path), "model.trusted_types": trusted}, cwd=tmp_path)
        return load_model(lc, 80, classes_hint=(0, 1))

    with pytest.raises(IntakeError) as err:
        load([])
    assert str(err.value) == (
        f"{path}: model.trusted_types: refusing untrusted types {others[0]}, {others[1]}; "
        "review them and list them under model.trusted_types (or pass --trust-type) to allow"
    )
    with pytest.raises(IntakeError, match=f"refusing untrusted types {others[1]};"):
        load(others[:1])
    adapter = load(others)
    assert adapter.info.metadata["allow_listed_types"] == f"{internal[0]}, {internal[1]}"
    assert adapter.info.metadata["approved_types"] == f"{others[0]}, {others[1]}"
    np.testing.assert_allclose(adapter.predict_proba(pd.DataFrame(X)), model.predict_proba(X))
