"""Crafted skops tree models must be refused before scikit-learn's unchecked tree code runs.

Real small models are dumped with skops and one node field of their arrays is corrupted in
the archive (tests/intake/skops_surgery.py). A corrupted model is only ever loaded by ``tef
check`` in a subprocess: before the bounds check a crafted index crashed it with a segfault
(rc 139), so a regression must fail the test, not the test run.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.intake.skops_surgery import HIST_NODES, TREE_NODES, node_arrays, set_node_field, set_schema_scalar

TEF = str(Path(sys.executable).with_name("tef"))
MODELS = ("tree", "forest", "extra_trees", "boosting", "hist_boosting", "pipeline")


def _fit(name: str, X: pd.DataFrame, y: np.ndarray) -> object:
    from sklearn.ensemble import (
        ExtraTreesClassifier,
        GradientBoostingClassifier,
        HistGradientBoostingClassifier,
        RandomForestClassifier,
    )
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier

    estimators = {
        "tree": DecisionTreeClassifier(max_depth=4, random_state=0),
        "forest": RandomForestClassifier(n_estimators=4, max_depth=4, random_state=0),
        "extra_trees": ExtraTreesClassifier(n_estimators=4, max_depth=4, random_state=0),
        "boosting": GradientBoostingClassifier(n_estimators=3, max_depth=3, random_state=0),
        # x2 holds category codes: exercises the categorical bitsets and f_idx_map
        "hist_boosting": HistGradientBoostingClassifier(max_iter=4, categorical_features=[2], random_state=0),
        "pipeline": make_pipeline(StandardScaler(), DecisionTreeClassifier(max_depth=4, random_state=0)),
    }
    return estimators[name].fit(X, y)


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    """The data file (x0, x1 numeric, x2 a category code, binary y) and each model as skops."""
    import skops.io as sio

    folder = tmp_path_factory.mktemp("trees")
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"x0": rng.random(400), "x1": rng.random(400), "x2": rng.integers(0, 4, 400)})
    y = ((X["x0"] + 0.25 * (X["x2"] == 2) + 0.3 * rng.random(400)) > 0.8).astype(int).to_numpy()
    X.assign(y=y).to_csv(folder / "d.csv", index=False)
    paths = {}
    for name in MODELS:
        paths[name] = folder / f"{name}.skops"
        sio.dump(_fit(name, X, y), paths[name])
    return folder / "d.csv", paths


def tef_check(model: Path, data: Path, out: Path) -> subprocess.CompletedProcess[str]:
    args = ["check", "--model", str(model), "--data", str(data), "--target", "y"]
    for name in _reviewed_types(model):
        args += ["--trust-type", name]
    args += ["--only", "performance.metrics", "--no-tracking", "--out", str(out)]
    return subprocess.run([TEF, *args], cwd=out.parent, capture_output=True, text=True, timeout=300, check=False)


def _reviewed_types(model: Path) -> list[str]:
    """The types beyond skops' safe list and tef's allow-list that these test models hold
    (HistGradientBoosting with categorical features keeps its encoder's ``check_array``
    partial), approved as a user would after review; read from the schema, not loaded."""
    import skops.io as sio

    from tef_harness.intake.models.skops_model import SKLEARN_INTERNAL_TYPES

    return [t for t in sio.get_untrusted_types(file=model) if t not in SKLEARN_INTERNAL_TYPES]


def assert_refused(proc: subprocess.CompletedProcess[str], model: Path, out: Path, field: str) -> None:
    """Exit 2, one ``tef: error:`` line naming the file and a field matching ``field``, and
    no output folder."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("tef: error:")]
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert re.match(rf"tef: error: {re.escape(str(model))}: {field}: ", lines[0]), lines[0]
    assert not out.exists()


def _records(path: Path, kind: str, which: int) -> np.ndarray:
    """The ``which``-th node array of ``kind`` read as plain numpy (the model is not loaded)."""
    name = node_arrays(path, kind)[which]
    with zipfile.ZipFile(path) as archive:
        return np.load(io.BytesIO(archive.read(name)), allow_pickle=False)


def _first_split(nodes: np.ndarray, categorical: bool | None = None) -> int:
    """The first split node (of the given kind for a histogram tree)."""
    if "left_child" in (nodes.dtype.names or ()):
        return int(np.flatnonzero(nodes["left_child"] != -1)[0])
    split = nodes["is_leaf"] == 0
    if categorical is not None:
        split &= (nodes["is_categorical"] != 0) == categorical
    return int(np.flatnonzero(split)[0])


# (model, node-array kind, which array, node field, node (None: first split), value, error field)
TREE = r"tree_"
CORRUPTIONS = [
    ("tree", TREE_NODES, 0, "left_child", 0, 10**9, rf"{TREE}\.children_left\[0\]"),
    ("tree", TREE_NODES, 0, "right_child", 0, -5, rf"{TREE}\.children_right\[0\]"),
    ("tree", TREE_NODES, 0, "left_child", 0, 0, rf"{TREE}\.children_left\[0\]"),  # a self-loop
    ("tree", TREE_NODES, 0, "feature", 0, 10**9, rf"{TREE}\.feature\[0\]"),
    ("tree", TREE_NODES, 0, "feature", 0, 3, rf"{TREE}\.feature\[0\]"),  # one past n_features_in_
    ("tree", TREE_NODES, 0, "feature", 0, -7, rf"{TREE}\.feature\[0\]"),
    ("tree", TREE_NODES, 0, "threshold", 0, float("nan"), rf"{TREE}\.threshold\[0\]"),
    ("tree", TREE_NODES, 0, "right_child", -1, 3, rf"{TREE}\.children_right\[\d+\]"),  # a leaf with a child
    ("forest", TREE_NODES, 2, "left_child", 0, 10**9, r"estimators_\[\d\]\.tree_\.children_left\[0\]"),
    ("forest", TREE_NODES, 1, "feature", None, 2**31 - 1, r"estimators_\[\d\]\.tree_\.feature\[0\]"),
    ("extra_trees", TREE_NODES, 3, "right_child", 0, 10**6, r"estimators_\[\d\]\.tree_\.children_right\[0\]"),
    ("boosting", TREE_NODES, 1, "left_child", 0, 10**9, r"estimators_\[\d\]\[0\]\.tree_\.children_left\[0\]"),
    ("boosting", TREE_NODES, 2, "feature", 0, 10**9, r"estimators_\[\d\]\[0\]\.tree_\.feature\[0\]"),
    ("hist_boosting", HIST_NODES, 0, "left", 0, 10**9, r"_predictors\[\d\]\[0\]\.nodes\[0\]\.left"),
    ("hist_boosting", HIST_NODES, 1, "right", 0, 0, r"_predictors\[\d\]\[0\]\.nodes\[0\]\.right"),
    ("hist_boosting", HIST_NODES, 0, "feature_idx", 0, 10**9, r"_predictors\[\d\]\[0\]\.nodes\[0\]\.feature_idx"),
    ("hist_boosting", HIST_NODES, 0, "feature_idx", 0, -1, r"_predictors\[\d\]\[0\]\.nodes\[0\]\.feature_idx"),
    ("hist_boosting", "categorical", 0, "bitset_idx", None, 10**6, r"_predictors\[\d\]\[0\]\.nodes\[\d+\]\.bitset_idx"),
    (
        "hist_boosting",
        "numerical",
        0,
        "is_categorical",
        None,
        1,
        r"_predictors\[\d\]\[0\]\.nodes\[\d+\]\.is_categorical",
    ),
    ("pipeline", TREE_NODES, 0, "feature", 0, 10**9, r"steps\[1\]\[1\]\.tree_\.feature\[0\]"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("model", "kind", "which", "field", "node", "value", "error"), CORRUPTIONS)
def test_a_corrupted_node_field_is_a_one_line_input_error(
    models: tuple[Path, dict[str, Path]],
    tmp_path: Path,
    model: str,
    kind: str,
    which: int,
    field: str,
    node: int | None,
    value: object,
    error: str,
) -> None:
    data, paths = models
    bad = tmp_path / "bad.skops"
    if kind in ("categorical", "numerical"):
        # the n-th histogram tree that has a split of that kind
        arrays = range(len(node_arrays(paths[model], HIST_NODES)))
        want = kind == "categorical"
        hits = [a for a in arrays if _has_split(_records(paths[model], HIST_NODES, a), want)]
        which, kind = hits[which], HIST_NODES
        node = _first_split(_records(paths[model], kind, which), categorical=want)
    elif node is None:
        node = _first_split(_records(paths[model], kind, which))
    set_node_field(paths[model], bad, kind, field, node, value, which=which)
    assert_refused(tef_check(bad, data, tmp_path / "out"), bad, tmp_path / "out", error)


def _has_split(nodes: np.ndarray, categorical: bool) -> bool:
    return bool(np.any((nodes["is_leaf"] == 0) & ((nodes["is_categorical"] != 0) == categorical)))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("count", "error"),
    [(0, r"estimators_\[\d\]\.tree_\.node_count"), (2, r"estimators_\[\d\]\.tree_\.children_(left|right)\[\d\]")],
)
def test_a_node_count_below_the_node_array_is_refused(
    models: tuple[Path, dict[str, Path]], tmp_path: Path, count: int, error: str
) -> None:
    """``node_count`` is a JSON scalar apart from the node array, and scikit-learn sizes its
    node views by it: no nodes is refused, and fewer nodes than the children point to is."""
    data, paths = models
    bad = tmp_path / "bad.skops"
    set_schema_scalar(paths["forest"], bad, "node_count", count, which=1)
    assert_refused(tef_check(bad, data, tmp_path / "out"), bad, tmp_path / "out", error)


@pytest.mark.slow
def test_a_node_count_above_the_node_array_is_clamped_by_scikit_learn(
    models: tuple[Path, dict[str, Path]], tmp_path: Path
) -> None:
    """``Tree.__setstate__`` (scikit-learn 1.9) resizes to the array it was given and clamps
    ``node_count`` to it, so an inflated count reads nothing outside: the model is judged."""
    data, paths = models
    bad = tmp_path / "bad.skops"
    set_schema_scalar(paths["forest"], bad, "node_count", 10**6, which=1)
    proc = tef_check(bad, data, tmp_path / "out")
    assert proc.returncode in (0, 1), proc.stderr[-2000:]


@pytest.mark.slow
@pytest.mark.parametrize("model", MODELS)
def test_every_untouched_model_still_runs(models: tuple[Path, dict[str, Path]], tmp_path: Path, model: str) -> None:
    """No false alarm: ``tef check`` of each clean model judges it (exit 0 or 1) and reports."""
    data, paths = models
    proc = tef_check(paths[model], data, tmp_path / "out")
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert (tmp_path / "out" / "report.json").is_file()


def test_untouched_models_pass_the_check_in_process(models: tuple[Path, dict[str, Path]]) -> None:
    """The clean archives (safe to load here) pass; so do models straight from ``fit``,
    including a best-first tree (``max_leaf_nodes``) and a multiclass boosting model."""
    import skops.io as sio
    from sklearn.ensemble import GradientBoostingClassifier, HistGradientBoostingRegressor
    from sklearn.tree import DecisionTreeRegressor

    from tef_harness.intake.models.tree_bounds import check_tree_bounds

    _, paths = models
    for path in paths.values():
        check_tree_bounds(sio.load(path, trusted=sio.get_untrusted_types(file=path)), path)
    rng = np.random.default_rng(1)
    X = rng.random((300, 5))
    y = X[:, 0] + X[:, 3] ** 2
    check_tree_bounds(DecisionTreeRegressor(max_leaf_nodes=20).fit(X, y), "fit")
    check_tree_bounds(HistGradientBoostingRegressor(max_iter=5).fit(X, y), "fit")
    check_tree_bounds(GradientBoostingClassifier(n_estimators=2).fit(X, np.digitize(y, [0.5, 1.0])), "fit")


def test_scikit_learn_numbers_every_child_after_its_parent() -> None:
    """The no-cycle rule is how scikit-learn builds trees: checked on its own trees
    (depth-first, best-first, histogram grower), directly on the arrays."""
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestRegressor
    from sklearn.tree import DecisionTreeClassifier

    rng = np.random.default_rng(2)
    X = rng.random((500, 4))
    X[:, 3] = rng.integers(0, 6, 500)
    y = (X[:, 0] + 0.1 * X[:, 3] + 0.3 * rng.random(500) > 0.8).astype(int)
    trees = [DecisionTreeClassifier().fit(X, y).tree_, DecisionTreeClassifier(max_leaf_nodes=30).fit(X, y).tree_]
    trees += [t.tree_ for t in RandomForestRegressor(n_estimators=5).fit(X, y).estimators_]
    for tree in trees:
        split = np.flatnonzero(tree.children_left != -1)
        assert split.size > 0
        assert np.all(tree.children_left[split] > split) and np.all(tree.children_right[split] > split)
        leaves = tree.children_left == -1
        assert np.all(tree.children_right[leaves] == -1) and np.all(tree.feature[leaves] == -2)
    hist = HistGradientBoostingClassifier(max_iter=5, categorical_features=[3]).fit(X, y)
    for (predictor,) in hist._predictors:
        nodes = predictor.nodes
        split = np.flatnonzero(nodes["is_leaf"] == 0)
        assert np.all(nodes["left"][split] > split) and np.all(nodes["right"][split] > split)


INDEX_FIELDS = {
    TREE_NODES: ("left_child", "right_child", "feature"),
    HIST_NODES: ("left", "right", "feature_idx", "bitset_idx", "is_categorical"),
}


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    model=st.sampled_from(["tree", "forest", "hist_boosting"]),
    field_pick=st.integers(0, 4),
    node_pick=st.integers(0, 10**6),
    value=st.integers(-(2**31), 2**31 - 1),
)
def test_random_index_corruptions_never_crash(
    models: tuple[Path, dict[str, Path]], tmp_path: Path, model: str, field_pick: int, node_pick: int, value: int
) -> None:
    """Whatever index a node gets, ``tef check`` judges the model or refuses it (0, 1 or 2),
    never dies of a signal."""
    data, paths = models
    kind = HIST_NODES if model == "hist_boosting" else TREE_NODES
    fields = INDEX_FIELDS[kind]
    n_nodes = len(_records(paths[model], kind, 0))
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # tmp_path is shared by every example
    bad = folder / "bad.skops"
    set_node_field(paths[model], bad, kind, fields[field_pick % len(fields)], node_pick % n_nodes, value)
    out = folder / "out"
    proc = tef_check(bad, data, out)
    assert proc.returncode in (0, 1, 2), (proc.returncode, proc.stderr[-2000:])
    if proc.returncode == 2:
        assert_refused(proc, bad, out, r"\S+")


def _multiclass_data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    X = rng.random((300, 3))
    X[:, 2] = rng.integers(0, 4, 300)
    return X, np.digitize(X[:, 0] + 0.1 * X[:, 2], [0.5, 0.9])


def test_boosting_with_more_trees_per_stage_than_raw_prediction_columns_is_refused() -> None:
    """``predict_stages`` writes tree ``[i, k]`` into column ``k`` unchecked: the stage width
    must match what the init estimator gives. The trees stay intact and nothing predicts, so
    this runs in process on a fitted model whose wrapper attributes are altered."""
    from sklearn.dummy import DummyClassifier
    from sklearn.ensemble import GradientBoostingClassifier

    from tef_harness.intake.models.tree_bounds import check_tree_bounds
    from tef_harness.sdk.errors import IntakeError

    X, y = _multiclass_data()
    model = GradientBoostingClassifier(n_estimators=2, max_depth=2).fit(X, y)
    assert model.estimators_.shape == (2, 3)
    check_tree_bounds(model, "gb.skops")
    model.init_.class_prior_ = model.init_.class_prior_[:2]  # predict_proba by the prior: two columns
    with pytest.raises(IntakeError, match=r"^gb\.skops: estimators_: has 3 trees per stage"):
        check_tree_bounds(model, "gb.skops")
    model.init_ = DummyClassifier().fit(X, y > 0)  # two columns for three trees per stage
    with pytest.raises(IntakeError) as err:
        check_tree_bounds(model, "gb.skops")
    assert str(err.value).startswith("gb.skops: estimators_: has 3 trees per stage")
    model.estimators_ = model.estimators_.ravel()
    with pytest.raises(IntakeError, match=r"^gb\.skops: estimators_: is not the 2-d array"):
        check_tree_bounds(model, "gb.skops")


def test_histogram_trees_are_bounded_by_what_the_preprocessor_outputs() -> None:
    """With categorical features the predictors receive the ColumnTransformer's output, not
    the input: dropping its numerical columns leaves one column for splits on three."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    from tef_harness.intake.models.tree_bounds import check_tree_bounds
    from tef_harness.sdk.errors import IntakeError

    X, y = _multiclass_data()
    model = HistGradientBoostingClassifier(max_iter=3, categorical_features=[2]).fit(X, y)
    check_tree_bounds(model, "hgb.skops")
    name, _, columns = model._preprocessor.transformers_[1]
    assert name == "numerical"
    model._preprocessor.transformers_[1] = (name, "drop", columns)
    with pytest.raises(
        IntakeError, match=r"^hgb\.skops: _bin_mapper\.is_categorical_: shape \(3,\) does not match the 1 columns"
    ):
        check_tree_bounds(model, "hgb.skops")
    model._preprocessor.transformers_[1] = (name, "passthrough", lambda frame: [0])
    with pytest.raises(IntakeError, match=r"_preprocessor\.transformers_\[1\]: selects columns"):
        check_tree_bounds(model, "hgb.skops")
