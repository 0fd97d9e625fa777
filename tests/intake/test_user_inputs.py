"""Inputs as users bring them (issue 14): each test is one kind of fault, built from a small
input, run through the real ``tef`` console script, with the right value asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score

TEF = str(Path(sys.executable).with_name("tef"))


def tef(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([TEF, *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def one_error_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("tef: error:")]
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    return lines[0]


def report(folder: Path) -> dict:
    return json.loads((folder / "tef-report" / "report.json").read_text())


def metric(rep: dict, check: str, name: str) -> float:
    (res,) = [r for r in rep["results"] if r["check_id"] == check]
    return float(next(m["value"] for m in res["metrics"] if m["name"] == name))


def credit_frame(n: int = 400, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    y = (x1 + 0.5 * x2 + rng.normal(scale=0.7, size=n) > 0).astype(int)
    return pd.DataFrame({"x1": x1, "x2": x2, "group": np.where(rng.random(n) < 0.5, "a", "b"), "y": y})


def save_skops(model: object, path: Path) -> Path:
    import skops.io as sio

    sio.dump(model, path)
    return path


# -- 1. labels of another type than the model's classes ------------------------------------------


@pytest.fixture(scope="module")
def string_label_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame, LogisticRegression]:
    folder = tmp_path_factory.mktemp("labels")
    frame = credit_frame()
    model = LogisticRegression().fit(frame[["x1", "x2"]], frame["y"].astype(str))  # classes '0', '1'
    return save_skops(model, folder / "model.skops"), frame, model


def test_integer_target_is_matched_to_string_classes_and_the_mapping_reported(
    string_label_model: tuple[Path, pd.DataFrame, LogisticRegression], tmp_path: Path
) -> None:
    model_path, frame, model = string_label_model
    frame.to_csv(tmp_path / "eval.csv", index=False)  # target 0/1 as integers
    proc = tef(
        "check", "--model", str(model_path), "--data", "eval.csv", "--target", "y",
        "--sensitive", "group", "--only", "performance.metrics,bias.group_fairness", cwd=tmp_path,
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert "Mean of empty slice" not in proc.stderr and "RuntimeWarning" not in proc.stderr
    rep = report(tmp_path)
    expected = accuracy_score(frame["y"].astype(str), model.predict(frame[["x1", "x2"]]))
    assert expected > 0.7
    assert metric(rep, "performance.metrics", "accuracy") == pytest.approx(expected, abs=1e-12)
    assert rep["subject"]["model"]["metadata"]["label_mapping"] == "0 -> '0', 1 -> '1'"
    assert any("matched to the model's classes" in w for w in rep["warnings"])
    # every group has its positives counted (before: "0 positives" per group)
    fair = next(r for r in rep["results"] if r["check_id"] == "bias.group_fairness")
    assert fair["status"] != "error", fair["reason"]


def test_float_target_is_matched_to_integer_classes(tmp_path: Path) -> None:
    frame = credit_frame()
    model = LogisticRegression().fit(frame[["x1", "x2"]], frame["y"])
    save_skops(model, tmp_path / "model.skops")
    frame.assign(y=frame["y"].astype(float)).to_csv(tmp_path / "eval.csv", index=False)  # 0.0 / 1.0
    proc = tef("check", "--model", "model.skops", "--data", "eval.csv", "--target", "y",
               "--only", "performance.metrics", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    expected = accuracy_score(frame["y"], model.predict(frame[["x1", "x2"]]))
    assert metric(report(tmp_path), "performance.metrics", "accuracy") == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("model_labels", "data_labels", "recorded"),
    [
        ("int", "float", "0.0 -> 0, 1.0 -> 1"),
        ("float", "int", "0 -> 0.0, 1 -> 1.0"),
        ("str", "int", "0 -> '0', 1 -> '1'"),
        ("int", "bool", "False -> 0, True -> 1"),
        ("bool", "int", "0 -> False, 1 -> True"),
    ],
    ids=lambda v: v if " " not in v else None,
)
def test_every_coercion_of_the_target_is_recorded_in_the_report(
    model_labels: str, data_labels: str, recorded: str, tmp_path: Path
) -> None:
    """Each pair of label types intake reconciles: the report's ``label_mapping`` (what the
    README promises) and its warning say which value became which class."""
    frame = credit_frame()
    model = LogisticRegression().fit(frame[["x1", "x2"]], frame["y"].astype(model_labels))
    save_skops(model, tmp_path / "model.skops")
    frame.assign(y=frame["y"].astype(data_labels)).to_csv(tmp_path / "eval.csv", index=False)
    proc = tef("check", "--model", "model.skops", "--data", "eval.csv", "--target", "y",
               "--only", "performance.metrics", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    rep = report(tmp_path)
    assert rep["subject"]["model"]["metadata"]["label_mapping"] == recorded
    assert any(f"matched to the model's classes by value ({recorded})" in w for w in rep["warnings"])
    # the mapping changed no answer: accuracy as scikit-learn computes it on the model's own labels
    expected = accuracy_score(frame["y"].astype(model_labels), model.predict(frame[["x1", "x2"]]))
    assert metric(rep, "performance.metrics", "accuracy") == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("labels", "shown"),
    [({0: "no", 1: "yes"}, "['no', 'yes']"), ({0: 1, 1: 2}, "[1, 2]")],
    ids=["yes-no-vs-0-1", "1-2-vs-0-1"],
)
def test_labels_that_match_no_class_stop_with_both_sets(tmp_path: Path, labels: dict, shown: str) -> None:
    frame = credit_frame()
    model = LogisticRegression().fit(frame[["x1", "x2"]], frame["y"])  # classes 0, 1
    save_skops(model, tmp_path / "model.skops")
    frame.assign(y=frame["y"].map(labels)).to_csv(tmp_path / "eval.csv", index=False)
    proc = tef("check", "--model", "model.skops", "--data", "eval.csv", "--target", "y", cwd=tmp_path)
    line = one_error_line(proc)
    assert "eval.csv" in line and "data.target" in line
    assert shown in line and "[0, 1]" in line
    assert not (tmp_path / "tef-report").exists()


# -- 2. ONNX as scikit-learn users export it -------------------------------------------------------


def skl2onnx_default_export(model: object, n_features: int, path: Path, feature_names: list[str] | None = None) -> Path:
    """The export every skl2onnx tutorial shows: one float matrix ``X``, ZipMap probabilities."""
    from skl2onnx import to_onnx

    onx = to_onnx(model, np.zeros((1, n_features), dtype=np.float32), target_opset=17)
    if feature_names is not None:
        entry = onx.metadata_props.add()
        entry.key, entry.value = "feature_names", json.dumps(feature_names)
    path.write_bytes(onx.SerializeToString())
    return path


@pytest.fixture(scope="module")
def onnx_matrix_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame, LogisticRegression]:
    folder = tmp_path_factory.mktemp("onnx")
    frame = credit_frame()
    model = LogisticRegression().fit(frame[["x1", "x2"]].to_numpy(), frame["y"])
    return skl2onnx_default_export(model, 2, folder / "model.onnx"), frame, model


def test_zipmap_export_answers_an_empty_batch_with_an_empty_table(
    onnx_matrix_model: tuple[Path, pd.DataFrame, LogisticRegression],
) -> None:
    from tef_harness.intake.models.onnx_model import OnnxAdapter

    path, frame, model = onnx_matrix_model
    adapter = OnnxAdapter(path, classes_hint=(0, 1))
    assert adapter.takes_matrix and adapter.matrix_width == 2
    empty = adapter.predict_proba(frame[["x1", "x2"]].iloc[:0])
    assert empty.shape == (0, 2)
    full = adapter.predict_proba(frame[["x1", "x2"]])
    np.testing.assert_allclose(full, model.predict_proba(frame[["x1", "x2"]].to_numpy()), atol=1e-5)


def test_matrix_export_is_fed_the_declared_order_and_the_report_says_so(
    onnx_matrix_model: tuple[Path, pd.DataFrame, LogisticRegression], tmp_path: Path
) -> None:
    path, frame, model = onnx_matrix_model
    # the file's columns in another order than the model's: only the declared order is right
    frame[["x2", "group", "x1", "y"]].to_csv(tmp_path / "eval.csv", index=False)
    (tmp_path / "tef.toml").write_text(
        f'[model]\npath = "{path}"\n[data]\npath = "eval.csv"\ntarget = "y"\nfeatures = ["x1", "x2"]\n'
    )
    proc = tef("check", "--only", "performance.metrics,robustness.input_resilience", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    rep = report(tmp_path)
    expected = accuracy_score(frame["y"], model.predict(frame[["x1", "x2"]].to_numpy()))
    assert metric(rep, "performance.metrics", "accuracy") == pytest.approx(expected, abs=1e-12)
    assert rep["subject"]["model"]["metadata"]["feature_order"] == "x1, x2 (from data.features)"
    assert any("fed in this order: x1, x2" in w for w in rep["warnings"])
    resilience = next(r for r in rep["results"] if r["check_id"] == "robustness.input_resilience")
    assert resilience["status"] in ("passed", "failed"), resilience["reason"]
    found = json.dumps(resilience["findings"])
    # before: "empty_batch gave silent garbage, probabilities of shape (0,)"
    assert "empty_batch" not in found, found
    # the matrix is filled by column name, so a frame with its columns reordered scores the same
    assert "reordered_columns" not in found, found


def test_matrix_export_takes_the_order_from_its_metadata(tmp_path: Path) -> None:
    frame = credit_frame()
    model = LogisticRegression().fit(frame[["x2", "x1"]].to_numpy(), frame["y"])
    skl2onnx_default_export(model, 2, tmp_path / "model.onnx", feature_names=["x2", "x1"])
    frame[["x1", "x2", "y"]].to_csv(tmp_path / "eval.csv", index=False)
    proc = tef("check", "--model", "model.onnx", "--data", "eval.csv", "--target", "y",
               "--only", "performance.metrics", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    rep = report(tmp_path)
    expected = accuracy_score(frame["y"], model.predict(frame[["x2", "x1"]].to_numpy()))
    assert metric(rep, "performance.metrics", "accuracy") == pytest.approx(expected, abs=1e-12)
    assert rep["subject"]["model"]["metadata"]["feature_order"].startswith("x2, x1 (from the model's metadata")


def test_onnx_fitted_on_string_labels_meets_integer_targets(tmp_path: Path) -> None:
    frame = credit_frame()
    model = LogisticRegression().fit(frame[["x1", "x2"]].to_numpy(), frame["y"].astype(str))  # '0', '1'
    skl2onnx_default_export(model, 2, tmp_path / "model.onnx")
    frame[["x1", "x2", "y"]].to_csv(tmp_path / "eval.csv", index=False)  # 0 / 1
    proc = tef("check", "--model", "model.onnx", "--data", "eval.csv", "--target", "y",
               "--only", "performance.metrics", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    rep = report(tmp_path)
    expected = accuracy_score(frame["y"].astype(str), model.predict(frame[["x1", "x2"]].to_numpy()))
    assert expected > 0.7
    assert metric(rep, "performance.metrics", "accuracy") == pytest.approx(expected, abs=1e-12)
    assert rep["subject"]["model"]["metadata"]["label_mapping"] == "0 -> '0', 1 -> '1'"


def test_matrix_export_with_more_columns_than_inputs_asks_for_data_features(
    onnx_matrix_model: tuple[Path, pd.DataFrame, LogisticRegression], tmp_path: Path
) -> None:
    path, frame, _ = onnx_matrix_model
    frame[["x1", "x2", "group", "y"]].to_csv(tmp_path / "eval.csv", index=False)
    proc = tef("check", "--model", str(path), "--data", "eval.csv", "--target", "y", cwd=tmp_path)
    line = one_error_line(proc)
    assert "data.features" in line and "2 columns but 3 feature column(s)" in line


# -- 3. observed groups only ------------------------------------------------------------------------


def test_parquet_category_with_an_unused_level_groups_as_the_csv_does(tmp_path: Path) -> None:
    frame = credit_frame(600).rename(columns={"group": "region"})
    frame["region"] = frame["region"].map({"a": "north", "b": "south"})
    # an integer code with missing cells: float in a CSV ("1.0"), nullable integer in Parquet ("1")
    disability = pd.array(np.random.default_rng(4).integers(0, 2, size=len(frame)), dtype="Int64")
    disability[::25] = pd.NA
    model = LogisticRegression().fit(frame[["x1", "x2"]], frame["y"])
    save_skops(model, tmp_path / "model.skops")
    frame.assign(disability=disability).to_csv(tmp_path / "eval.csv", index=False)
    as_category = frame.assign(
        region=pd.Categorical(frame["region"], categories=["east", "north", "south"]), disability=disability
    )
    as_category.to_parquet(tmp_path / "eval.parquet")
    assert isinstance(pd.read_parquet(tmp_path / "eval.parquet")["region"].dtype, pd.CategoricalDtype)
    assert pd.read_csv(tmp_path / "eval.csv")["disability"].dtype == float
    checks = "bias.group_fairness,bias.subgroup_search,bias.data_representation"
    reports = {}
    for name in ("eval.csv", "eval.parquet"):
        out = tmp_path / name.replace(".", "_")
        proc = tef("check", "--model", "model.skops", "--data", name, "--target", "y", "--sensitive", "region",
                   "--sensitive", "disability", "--only", checks, "--out", str(out), cwd=tmp_path)
        assert proc.returncode in (0, 1), proc.stderr
        reports[name] = json.loads((out / "report.json").read_text())
    csv_rep, pq_rep = reports["eval.csv"], reports["eval.parquet"]
    assert "east" not in json.dumps(pq_rep["results"])  # before: "group region=east has 0 rows"
    for res_csv, res_pq in zip(csv_rep["results"], pq_rep["results"], strict=True):
        assert res_csv["check_id"] == res_pq["check_id"]
        assert res_csv["status"] == res_pq["status"]
        assert [(m["name"], m["value"]) for m in res_csv["metrics"]] == [
            (m["name"], m["value"]) for m in res_pq["metrics"]
        ]
    assert csv_rep["verdict"] == pq_rep["verdict"]
    fair_csv = next(r for r in csv_rep["results"] if r["check_id"] == "bias.group_fairness")
    (table,) = [v for v in fair_csv["views"] if v["kind"] == "group_table" and v["sensitive_set"] == ["disability"]]
    labels = [row["group"][0] for row in table["rows"]]
    assert labels == ["0", "1", "unknown"]  # before: "0.0", "1.0" from the CSV, "0", "1" from Parquet
    # the selection rate of each region, computed directly
    pred = model.predict(frame[["x1", "x2"]])
    fair = next(r for r in pq_rep["results"] if r["check_id"] == "bias.group_fairness")
    rates = [pred[frame["region"] == g].mean() for g in ("north", "south")]
    dp = next(m["value"] for m in fair["metrics"] if m["name"] == "dp_difference/region")
    assert dp == pytest.approx(max(rates) - min(rates), abs=1e-12)


# -- 4. bad sensitive inputs ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sex_pipeline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    folder = tmp_path_factory.mktemp("sex")
    frame = credit_frame().rename(columns={"group": "sex"})
    frame["sex"] = frame["sex"].map({"a": "F", "b": "M"})
    encode = ColumnTransformer([("sex", OneHotEncoder(handle_unknown="ignore"), ["sex"])], remainder="passthrough")
    model = make_pipeline(encode, LogisticRegression()).fit(frame[["x1", "x2", "sex"]], frame["y"])
    return save_skops(model, folder / "model.skops"), frame


def test_the_same_sensitive_column_twice_is_taken_once(
    sex_pipeline: tuple[Path, pd.DataFrame], tmp_path: Path
) -> None:
    path, frame = sex_pipeline
    frame.to_csv(tmp_path / "eval.csv", index=False)
    proc = tef("check", "--model", str(path), "--data", "eval.csv", "--target", "y", "--sensitive", "sex",
               "--sensitive", "sex", "--only", "bias.group_fairness", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    rep = report(tmp_path)
    assert rep["subject"]["sensitive"] == ["sex"]
    (fair,) = rep["results"]
    assert fair["status"] in ("passed", "failed"), fair["reason"]  # before: error, a pydantic ValidationError
    import skops.io as sio

    model = sio.load(path, trusted=sio.get_untrusted_types(file=path))
    pred = model.predict(frame[["x1", "x2", "sex"]])
    rates = [pred[frame["sex"] == g].mean() for g in ("F", "M")]
    dp = next(m["value"] for m in fair["metrics"] if m["name"] == "dp_difference/sex")
    assert dp == pytest.approx(max(rates) - min(rates), abs=1e-12)


def test_sensitive_column_of_another_kind_than_the_model_saw_is_one_line(
    sex_pipeline: tuple[Path, pd.DataFrame], tmp_path: Path
) -> None:
    path, frame = sex_pipeline
    frame.assign(sex=(frame["sex"] == "M").astype(int)).to_csv(tmp_path / "eval.csv", index=False)
    proc = tef("check", "--model", str(path), "--data", "eval.csv", "--target", "y", "--sensitive", "sex",
               cwd=tmp_path)
    line = one_error_line(proc)  # before: every check errored with numpy's isnan TypeError
    assert "eval.csv: data.sensitive: column 'sex' holds numbers" in line
    assert "OneHotEncoder was fitted on text" in line
    assert "'F'" not in line and "'M'" not in line  # kinds, never the values


def test_sensitive_equal_to_the_target_is_refused(tmp_path: Path) -> None:
    frame = credit_frame()
    save_skops(LogisticRegression().fit(frame[["x1", "x2"]], frame["y"]), tmp_path / "model.skops")
    frame[["x1", "x2", "y"]].to_csv(tmp_path / "eval.csv", index=False)
    proc = tef("check", "--model", "model.skops", "--data", "eval.csv", "--target", "y", "--sensitive", "y",
               cwd=tmp_path)
    line = one_error_line(proc)
    assert "eval.csv: data.sensitive: the target 'y' cannot also be a sensitive column" in line


# -- 5. duplicated column names; --out naming a file ---------------------------------------------


def test_duplicated_csv_column_names_are_refused(tmp_path: Path) -> None:
    frame = credit_frame()
    save_skops(LogisticRegression().fit(frame[["x1", "x2"]], frame["y"]), tmp_path / "model.skops")
    body = frame[["x1", "x2", "x1", "y"]].to_csv(index=False)
    assert body.splitlines()[0] == "x1,x2,x1,y"
    (tmp_path / "eval.csv").write_text(body)
    proc = tef("check", "--model", "model.skops", "--data", "eval.csv", "--target", "y", cwd=tmp_path)
    line = one_error_line(proc)  # before: pandas renamed the second to x1.1 and the run was conformant
    assert "eval.csv: data.path: duplicated column name(s) 'x1'" in line
    assert not (tmp_path / "tef-report").exists()


def test_out_naming_an_existing_file_is_an_input_error(tmp_path: Path) -> None:
    frame = credit_frame()
    save_skops(LogisticRegression().fit(frame[["x1", "x2"]], frame["y"]), tmp_path / "model.skops")
    frame.to_csv(tmp_path / "eval.csv", index=False)
    (tmp_path / "report.txt").write_text("keep me")
    proc = tef("check", "--model", "model.skops", "--data", "eval.csv", "--target", "y",
               "--only", "performance.metrics", "--out", "report.txt", cwd=tmp_path)
    line = one_error_line(proc)  # before: exit 3, an internal error at the write
    assert "report.txt: out: exists and is not a folder" in line
    assert (tmp_path / "report.txt").read_text() == "keep me"


# -- 6. tree models from flags ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def forest_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, pd.DataFrame]:
    """A random forest (holds sklearn.tree._tree.Tree) and the same behind an
    ``operator.neg`` FunctionTransformer (a type no allow-list covers)."""
    import operator

    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    folder = tmp_path_factory.mktemp("forest")
    frame = credit_frame()
    forest = RandomForestClassifier(n_estimators=5, random_state=0).fit(frame[["x1", "x2"]], frame["y"])
    negated = make_pipeline(FunctionTransformer(operator.neg), RandomForestClassifier(n_estimators=5, random_state=0))
    negated.fit(frame[["x1", "x2"]], frame["y"])
    frame.to_csv(folder / "eval.csv", index=False)
    return save_skops(forest, folder / "forest.skops"), save_skops(negated, folder / "negated.skops"), frame


def test_a_random_forest_loads_from_flags_alone_and_the_report_says_why(
    forest_files: tuple[Path, Path, pd.DataFrame], tmp_path: Path
) -> None:
    import skops.io as sio

    forest, _, frame = forest_files
    assert sio.get_untrusted_types(file=forest) == ["sklearn.tree._tree.Tree"]
    proc = tef("check", "--model", str(forest), "--data", str(forest.parent / "eval.csv"), "--target", "y",
               "--only", "performance.metrics", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr  # before: refused until a config listed the type
    rep = report(tmp_path)
    assert rep["subject"]["model"]["metadata"]["allow_listed_types"] == "sklearn.tree._tree.Tree"
    assert any("shipped allow-list: sklearn.tree._tree.Tree" in w for w in rep["warnings"])
    model = sio.load(forest, trusted=["sklearn.tree._tree.Tree"])
    expected = accuracy_score(frame["y"], model.predict(frame[["x1", "x2"]]))
    assert metric(rep, "performance.metrics", "accuracy") == pytest.approx(expected, abs=1e-12)


def test_a_type_outside_the_allow_list_is_refused_until_trusted_by_flag(
    forest_files: tuple[Path, Path, pd.DataFrame], tmp_path: Path
) -> None:
    _, negated, _ = forest_files
    data = str(negated.parent / "eval.csv")
    proc = tef("check", "--model", str(negated), "--data", data, "--target", "y", "--only", "performance.metrics",
               cwd=tmp_path)
    line = one_error_line(proc)
    assert "model.trusted_types: refusing untrusted types _operator.neg;" in line
    assert "sklearn.tree._tree.Tree" not in line
    proc = tef("check", "--model", str(negated), "--data", data, "--target", "y", "--only", "performance.metrics",
               "--trust-type", "_operator.neg", "--trust-type", "_operator.neg", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    rep = report(tmp_path)
    assert rep["config"]["model"]["trusted_types"] == ["_operator.neg"]
    assert rep["subject"]["model"]["metadata"]["approved_types"] == "_operator.neg"


def test_init_writes_the_files_untrusted_types_to_review(
    forest_files: tuple[Path, Path, pd.DataFrame], tmp_path: Path
) -> None:
    import tomllib

    _, negated, _ = forest_files
    proc = tef("init", "--model", str(negated), "--data", "eval.csv", "--target", "y", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "tef.toml").read_text()
    assert '#     "_operator.neg",\n' in text
    assert '#     "sklearn.tree._tree.Tree",  # allow-listed\n' in text
    assert "trusted_types" not in tomllib.loads(text)["model"]  # commented: nothing approved unreviewed
    # uncommenting the block approves exactly those types
    approved = text.replace("# trusted_types = [", "trusted_types = [").replace('#     "', '    "').replace(
        "# ]", "]", 1
    )
    assert tomllib.loads(approved)["model"]["trusted_types"] == ["_operator.neg", "sklearn.tree._tree.Tree"]


# -- 7. tef --version; the example plugin seen by tests only ------------------------------------


def test_version_names_the_harness_python_and_the_checks_distributions(tmp_path: Path) -> None:
    import platform
    from importlib.metadata import version

    proc = tef("--version", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == f"tef-harness {version('tef-harness')}"
    assert lines[1] == f"Python {platform.python_version()}"
    from tef_harness.engine.registry import discover

    n_builtin = len(discover(third_party=False).plugins)
    assert f"checks: tef-harness {version('tef-harness')} ({n_builtin} checks)" in lines
    assert "checks: tef-example-plugin 0.2.0 (1 check)" in lines  # tests see the example plugin


def test_the_example_plugin_is_not_installed_in_the_users_environment(tmp_path: Path) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([TEF, "list-checks", "--format", "json"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    ids = {c["id"] for c in json.loads(proc.stdout)["checks"]}
    assert "performance.metrics" in ids and "example.label_shift" not in ids
