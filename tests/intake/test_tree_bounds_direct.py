"""The tree bounds check called directly on real fitted scikit-learn models corrupted in memory.

Fast companions of tests/intake/test_tree_bounds.py (which corrupts skops archives and runs
``tef check`` in a subprocess): each test fits a small model of one kind, changes one field
of its trees the way a crafted file could, and expects the exact one-line error. The
expected ranges come from the fitted model's own sizes (node count, input width, classes),
never from the module under test. Fields that a real ``Tree`` cannot hold in memory (a value
array of the wrong shape, a node count past the buffer) are checked on a plain copy of a
real tree's attributes.
"""

from __future__ import annotations

import copy
import re
import sys
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from tef_harness.intake.models import tree_bounds
from tef_harness.intake.models.tree_bounds import check_tree_bounds
from tef_harness.sdk.errors import IntakeError

PATH = "m.skops"


def _data(n_classes: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Three columns (x2 a category code 0..3) and a label with ``n_classes`` classes."""
    rng = np.random.default_rng(5)
    X = rng.random((300, 3))
    X[:, 2] = rng.integers(0, 4, 300)
    score = X[:, 0] + 0.2 * (X[:, 2] == 2) + 0.2 * rng.random(300)
    return X, np.digitize(score, np.quantile(score, np.linspace(0, 1, n_classes + 1)[1:-1]))


_FITTED: dict[str, Any] = {}


def fitted(kind: str) -> Any:
    """A fresh copy of a fitted model of ``kind`` (fitted once per session)."""
    if kind not in _FITTED:
        from sklearn.ensemble import (
            ExtraTreesRegressor,
            GradientBoostingClassifier,
            HistGradientBoostingClassifier,
            RandomForestClassifier,
        )
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

        X, y = _data()
        X3, y3 = _data(3)
        makers: dict[str, Callable[[], Any]] = {
            "tree": lambda: DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y),
            "regressor": lambda: DecisionTreeRegressor(max_depth=3, random_state=0).fit(X, X[:, 0]),
            "multioutput": lambda: DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, np.c_[y, y3]),
            "forest": lambda: RandomForestClassifier(n_estimators=3, max_depth=3, random_state=0).fit(X, y),
            "extra_trees": lambda: ExtraTreesRegressor(n_estimators=3, max_depth=3, random_state=0).fit(X, X[:, 1]),
            "boosting": lambda: GradientBoostingClassifier(n_estimators=2, max_depth=2, random_state=0).fit(X, y),
            "boosting3": lambda: GradientBoostingClassifier(n_estimators=2, max_depth=2, random_state=0).fit(X3, y3),
            "hist": lambda: HistGradientBoostingClassifier(max_iter=3, random_state=0).fit(X, y),
            # a label the category code drives, so the trees hold categorical splits
            "hist_cat": lambda: HistGradientBoostingClassifier(
                max_iter=3, categorical_features=[2], random_state=0
            ).fit(X, (np.isin(X[:, 2], [1, 2]) ^ (X[:, 0] > 0.8)).astype(int)),
            "pipeline": lambda: make_pipeline(StandardScaler(), DecisionTreeClassifier(max_depth=3)).fit(X, y),
        }
        _FITTED[kind] = makers[kind]()
    return copy.deepcopy(_FITTED[kind])


def refused(obj: object, field: str, message: str) -> None:
    """``check_tree_bounds`` raises exactly ``m.skops: <field>: <message>`` (both regexes)."""
    with pytest.raises(IntakeError) as err:
        check_tree_bounds(obj, PATH)
    assert re.fullmatch(rf"{re.escape(PATH)}: {field}: {message}", str(err.value)), str(err.value)
    assert err.value.file == PATH


def first_split(tree: Any) -> int:
    return int(np.flatnonzero(tree.children_left != -1)[0])


def first_leaf(tree: Any) -> int:
    return int(np.flatnonzero(tree.children_left == -1)[0])


# ---------------------------------------------------------------- scikit-learn Tree node arrays


@pytest.mark.parametrize("kind", ["tree", "regressor", "multioutput", "forest", "extra_trees", "boosting", "boosting3"])
def test_clean_models_of_every_tree_kind_pass(kind: str) -> None:
    check_tree_bounds(fitted(kind), PATH)  # no error


def _trees(model: Any) -> list[tuple[str, Any]]:
    """(field prefix, Tree) of every tree of a fitted tree model, as the check names them."""
    if hasattr(model, "tree_"):
        return [("tree_", model.tree_)]
    if hasattr(model, "steps"):
        return [("steps[1][1].tree_", model.steps[1][1].tree_)]
    members = model.estimators_
    if isinstance(members, np.ndarray):
        return [(f"estimators_[{i}][{k}].tree_", m.tree_) for (i, k), m in np.ndenumerate(members)]
    return [(f"estimators_[{i}].tree_", m.tree_) for i, m in enumerate(members)]


KINDS = ["tree", "forest", "extra_trees", "boosting3", "pipeline"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_child_past_the_node_array_is_refused_and_the_last_node_is_not(kind: str) -> None:
    model = fitted(kind)
    prefix, tree = _trees(model)[-1]
    n, i = tree.node_count, first_split(tree)
    right = int(tree.children_right[i])
    tree.children_right[i] = n - 1  # the last node: in range (a leaf; the tree stays acyclic)
    check_tree_bounds(model, PATH)
    tree.children_right[i] = n
    refused(
        model,
        re.escape(f"{prefix}.children_right[{i}]"),
        re.escape(f"{n} out of range ({i}, {n}) for a split node (a child follows its parent)"),
    )
    tree.children_right[i] = right
    tree.children_left[i] = n + 7
    refused(model, re.escape(f"{prefix}.children_left[{i}]"), rf"{n + 7} out of range \({i}, {n}\).*")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("side", ["children_left", "children_right"])
def test_a_child_at_or_before_its_parent_is_refused(kind: str, side: str) -> None:
    """Node i's child must be > i: i itself is a self-loop, i - 1 a cycle back to the parent."""
    model = fitted(kind)
    prefix, tree = _trees(model)[0]
    split = np.flatnonzero(tree.children_left != -1)
    i = int(split[1]) if split.size > 1 else int(split[0])
    children = getattr(tree, side)
    children[i] = i + 1 if side == "children_left" else children[i]
    check_tree_bounds(model, PATH)  # the next node is a valid child (depth-first numbering)
    for bad in (i, i - 1, -5):
        children[i] = bad
        refused(
            model, re.escape(f"{prefix}.{side}[{i}]"), re.escape(f"{bad} out of range ({i}, {tree.node_count})") + ".*"
        )


@pytest.mark.parametrize("kind", KINDS)
def test_a_leaf_with_a_right_child_is_refused(kind: str) -> None:
    model = fitted(kind)
    prefix, tree = _trees(model)[0]
    j = first_leaf(tree)
    tree.children_right[j] = tree.node_count - 1
    refused(
        model,
        re.escape(f"{prefix}.children_right[{j}]"),
        re.escape(f"{tree.node_count - 1} is not -1 although children_left[{j}] marks a leaf"),
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_split_feature_outside_the_input_width_is_refused(kind: str) -> None:
    """The width is the estimator's n_features_in_ (3): 2 is the last valid index, 3 and -1 are not."""
    model = fitted(kind)
    prefix, tree = _trees(model)[0]
    i = first_split(tree)
    tree.feature[i] = 2
    check_tree_bounds(model, PATH)
    tree.feature[i] = 0
    check_tree_bounds(model, PATH)
    for bad in (3, -1, 2**31 - 1):
        tree.feature[i] = bad
        refused(model, re.escape(f"{prefix}.feature[{i}]"), re.escape(f"{bad} out of range [0, 3) for a split node"))


@pytest.mark.parametrize("kind", KINDS)
def test_a_leaf_feature_other_than_undefined_is_refused(kind: str) -> None:
    model = fitted(kind)
    prefix, tree = _trees(model)[0]
    j = first_leaf(tree)
    tree.feature[j] = 0
    refused(model, re.escape(f"{prefix}.feature[{j}]"), "0 is not -2 for a leaf")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_a_split_threshold_that_is_not_finite_is_refused(kind: str, bad: float) -> None:
    model = fitted(kind)
    prefix, tree = _trees(model)[0]
    i = first_split(tree)
    tree.threshold[i] = bad
    refused(model, re.escape(f"{prefix}.threshold[{i}]"), re.escape(f"{bad!r} is not finite for a split node"))


def test_the_first_bad_node_is_named() -> None:
    tree_model = fitted("tree")
    tree = tree_model.tree_
    split = np.flatnonzero(tree.children_left != -1)
    tree.feature[split[-1]] = 99
    tree.feature[split[1]] = 50
    refused(tree_model, re.escape(f"tree_.feature[{split[1]}]"), "50 out of range.*")


def test_an_ensemble_bounds_its_members_by_its_own_width() -> None:
    """Members are called with check_input=False: a forest declaring 2 columns bounds its
    trees by 2 even though each member says 3; a member narrower than the forest bounds itself."""
    forest = fitted("forest")
    for member in forest.estimators_:
        member.tree_.feature[member.tree_.children_left != -1] = 1
    tree = forest.estimators_[1].tree_
    split = np.flatnonzero(tree.children_left != -1)
    tree.feature[split[0]] = 2
    check_tree_bounds(forest, PATH)
    forest.n_features_in_ = 2
    refused(
        forest,
        re.escape(f"estimators_[1].tree_.feature[{split[0]}]"),
        re.escape("2 out of range [0, 2) for a split node"),
    )
    forest.n_features_in_ = 3
    forest.estimators_[1].n_features_in_ = 2
    refused(
        forest,
        re.escape(f"estimators_[1].tree_.feature[{split[0]}]"),
        re.escape("2 out of range [0, 2) for a split node"),
    )


def test_a_pipeline_does_not_pass_its_width_down() -> None:
    """A pipeline step validates its own input: the tree is bounded by its own n_features_in_."""
    pipe = fitted("pipeline")
    pipe.steps[0][1].n_features_in_ = 1  # the pipeline reports its first step's width
    assert pipe.n_features_in_ == 1
    tree = pipe.steps[1][1].tree_
    i = first_split(tree)
    tree.feature[i] = 2
    check_tree_bounds(pipe, PATH)


@pytest.mark.parametrize("width", [None, -1, 2.0, "3"])
def test_a_tree_without_a_usable_input_width_is_refused(width: object) -> None:
    model = fitted("tree")
    if width is None:
        del model.n_features_in_
    else:
        model.n_features_in_ = width
    refused(model, "tree_", "a tree whose estimator has no n_features_in_ to bound its feature indices")


def test_a_zero_input_width_admits_no_split() -> None:
    """n_features_in_ = 0 is a width (nothing to split on), not a missing one."""
    model = fitted("tree")
    model.n_features_in_ = 0
    i = first_split(model.tree_)
    refused(
        model,
        re.escape(f"tree_.feature[{i}]"),
        re.escape(f"{model.tree_.feature[i]} out of range [0, 0) for a split node"),
    )


def test_a_numpy_integer_width_is_used() -> None:
    model = fitted("tree")
    model.n_features_in_ = np.int64(2)
    i = first_split(model.tree_)
    model.tree_.feature[i] = 2
    refused(model, re.escape(f"tree_.feature[{i}]"), re.escape("2 out of range [0, 2) for a split node"))


# ------------------------------------------------ a Tree's header, on a copy of its attributes


def tree_copy(tree: Any, **changes: Any) -> SimpleNamespace:
    """The attributes the check reads, copied from a real Tree, with ``changes`` applied."""
    names = ("node_count", "capacity", "n_outputs", "n_classes", "max_n_classes", "value", "n_features")
    attrs: dict[str, Any] = {name: copy.copy(getattr(tree, name)) for name in names}
    for name in ("children_left", "children_right", "feature", "threshold"):
        attrs[name] = np.array(getattr(tree, name))
    attrs.update(changes)
    return SimpleNamespace(**attrs)


def check_copy(copied: SimpleNamespace, owner: Any, width: int = 3) -> None:
    tree_bounds._check_tree(tree_bounds._Walker(PATH), copied, "t", width, owner)


def refused_copy(copied: SimpleNamespace, owner: Any, field: str, message: str, width: int = 3) -> None:
    with pytest.raises(IntakeError) as err:
        check_copy(copied, owner, width)
    assert str(err.value) == f"{PATH}: {field}: {message}"


def test_a_copy_of_a_clean_tree_passes() -> None:
    for kind in ("tree", "regressor", "multioutput"):
        model = fitted(kind)
        check_copy(tree_copy(model.tree_), model)


def test_a_node_count_outside_the_node_buffer_is_refused() -> None:
    model = fitted("tree")
    tree = model.tree_
    n = tree.node_count
    refused_copy(
        tree_copy(tree, node_count=0), model, "t.node_count", f"0 out of range [1, {n + 1}) (the node array length)"
    )
    refused_copy(
        tree_copy(tree, node_count=n + 1),
        model,
        "t.node_count",
        f"{n + 1} out of range [1, {n + 1}) (the node array length)",
    )
    # without a capacity the node count bounds itself; a bigger buffer admits a bigger count
    del_capacity = tree_copy(tree)
    del del_capacity.capacity
    check_copy(del_capacity, model)
    wider = tree_copy(tree, capacity=n + 5)
    check_copy(wider, model)


def test_class_counts_must_match_the_outputs() -> None:
    model = fitted("multioutput")
    tree = model.tree_
    assert tree.n_outputs == 2 and list(tree.n_classes) == [2, 3] and tree.max_n_classes == 3
    refused_copy(
        tree_copy(tree, n_classes=np.array([2])), model, "t.n_classes", "shape (1,) does not match n_outputs 2"
    )
    refused_copy(
        tree_copy(tree, n_outputs=0, n_classes=np.zeros(0)),
        model,
        "t.n_classes",
        "shape (0,) does not match n_outputs 0",
    )
    refused_copy(tree_copy(tree, n_classes=np.array([0, 3])), model, "t.max_n_classes", "3 is not max(n_classes) 3")
    refused_copy(tree_copy(tree, max_n_classes=2), model, "t.max_n_classes", "2 is not max(n_classes) 3")
    refused_copy(tree_copy(tree, max_n_classes=4), model, "t.max_n_classes", "4 is not max(n_classes) 3")


def test_the_value_array_must_have_one_row_per_node_output_and_class() -> None:
    model = fitted("multioutput")
    tree = model.tree_
    n = tree.node_count
    for shape in ((n - 1, 2, 3), (n, 1, 3), (n, 2, 2), (n, 2, 3, 1)):
        refused_copy(
            tree_copy(tree, value=np.zeros(shape)),
            model,
            "t.value",
            f"shape {shape} is not (node_count, n_outputs, max_n_classes) ({n}, 2, 3)",
        )


def test_the_tree_must_agree_with_its_estimator() -> None:
    model = fitted("multioutput")
    tree = model.tree_
    model.n_outputs_ = 1
    refused_copy(tree_copy(tree), model, "t.n_outputs", "2 differs from the estimator's n_outputs_ 1")
    model.n_outputs_ = 2
    model.n_classes_ = np.array([2, 4])
    refused_copy(tree_copy(tree), model, "t.n_classes", "differs from the estimator's n_classes_")
    # an estimator without these attributes (a regressor has no n_classes_) is not compared
    check_copy(tree_copy(tree), SimpleNamespace())
    single = fitted("tree")
    assert np.ndim(single.n_classes_) == 0  # a scalar n_classes_ compares as one output
    check_copy(tree_copy(single.tree_), single)


def test_the_width_is_also_bounded_by_the_tree_own_feature_count() -> None:
    model = fitted("tree")
    tree = model.tree_
    i = first_split(tree)
    feature = np.array(tree.feature)
    feature[i] = 2
    check_copy(tree_copy(tree, feature=feature), model, width=3)
    refused_copy(
        tree_copy(tree, feature=feature, n_features=2),
        model,
        f"t.feature[{i}]",
        "2 out of range [0, 2) for a split node",
        width=3,
    )
    refused_copy(
        tree_copy(tree, feature=feature), model, f"t.feature[{i}]", "2 out of range [0, 2) for a split node", width=2
    )


# ------------------------------------------------------------------ where trees may appear


def test_trees_outside_their_estimator_are_refused() -> None:
    model = fitted("tree")
    refused([model.tree_, model], re.escape("[0]"), "a tree structure outside a fitted tree estimator")
    refused({"a": (model.tree_,)}, re.escape("['a'][0]"), "a tree structure outside a fitted tree estimator")
    holder = np.empty((1, 2), dtype=object)
    holder[0, 1] = model.tree_
    refused(holder, re.escape("[0][1]"), "a tree structure outside a fitted tree estimator")
    hist = fitted("hist")
    refused(
        {"p": hist._predictors[0][0]},
        re.escape("['p']"),
        "a histogram tree outside a fitted HistGradientBoosting model",
    )


def test_trees_nested_in_attributes_and_containers_are_checked() -> None:
    inner = fitted("tree")
    i = first_split(inner.tree_)
    inner.tree_.feature[i] = 7
    outer = fitted("pipeline")
    outer.extra_ = {"k": [1, "s", None, 2.5, np.float64(1.0), b"x", inner]}
    refused(outer, re.escape(f"extra_['k'][6].tree_.feature[{i}]"), "7 out of range.*")


def test_the_same_model_twice_is_checked_once_and_a_cycle_ends() -> None:
    model = fitted("tree")
    model.self_ = model
    check_tree_bounds([model, model], PATH)


def test_nesting_too_deep_for_python_is_an_input_error() -> None:
    nested: list[Any] = []
    for _ in range(sys.getrecursionlimit() + 10):
        nested = [nested]
    with pytest.raises(IntakeError) as err:
        check_tree_bounds(nested, PATH)
    assert str(err.value) == f"{PATH}: model.path: nested too deeply to check its trees"


# ------------------------------------------------------------------ GradientBoosting stages


def test_stage_width_follows_the_init_estimator() -> None:
    model = fitted("boosting3")
    assert model.estimators_.shape == (2, 3)
    check_tree_bounds(model, PATH)
    model.init_.n_classes_ = 2
    refused(model, "estimators_", "has 3 trees per stage, not the number of raw prediction columns its init_ gives")
    model = fitted("boosting3")
    model.init_ = "zero"
    model.n_trees_per_iteration_ = 3
    check_tree_bounds(model, PATH)
    model.n_trees_per_iteration_ = 2
    refused(model, "estimators_", "has 3 trees per stage.*")
    model = fitted("boosting3")
    model.init_ = "other"
    refused(model, "estimators_", "has 3 trees per stage.*")


def test_stage_width_needs_a_multiclass_loss_and_matching_classes() -> None:
    model = fitted("boosting3")
    model.init_.classes_ = model.init_.classes_[:2]
    refused(model, "estimators_", "has 3 trees per stage.*")
    model = fitted("boosting3")
    del model.init_.classes_
    refused(model, "estimators_", "has 3 trees per stage.*")
    model = fitted("boosting3")
    model._loss = fitted("boosting")._loss  # a binary loss writes one column
    refused(model, "estimators_", "has 3 trees per stage.*")
    del model._loss  # no loss: not multiclass
    refused(model, "estimators_", "has 3 trees per stage.*")
    # an init estimator without n_classes_ or class_prior_ is judged by its classes alone
    model = fitted("boosting3")
    del model.init_.n_classes_
    del model.init_.class_prior_
    check_tree_bounds(model, PATH)


def test_one_tree_per_stage_needs_no_init_check() -> None:
    model = fitted("boosting")
    assert model.estimators_.shape[1] == 1
    model.init_ = "other"
    check_tree_bounds(model, PATH)


@pytest.mark.parametrize("stages", [[], np.empty((2, 1), dtype=float), np.empty(3, dtype=object)])
def test_stages_that_are_not_a_2d_object_array_are_refused(stages: object) -> None:
    model = fitted("boosting")
    model.estimators_ = stages
    refused(model, "estimators_", "is not the 2-d array of trees GradientBoosting stores")


def test_boosting_member_trees_are_bounded_by_the_ensemble_width() -> None:
    model = fitted("boosting")
    tree = model.estimators_[1, 0].tree_
    i = first_split(tree)
    tree.feature[i] = 2
    check_tree_bounds(model, PATH)
    model.n_features_in_ = 2
    refused(
        model, re.escape(f"estimators_[1][0].tree_.feature[{i}]"), re.escape("2 out of range [0, 2) for a split node")
    )


# ------------------------------------------------------------- HistGradientBoosting predictors


def predictor_copy(predictor: Any, **changes: Any) -> Any:
    from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor

    arrays = {
        "nodes": predictor.nodes.copy(),
        "binned_left_cat_bitsets": predictor.binned_left_cat_bitsets.copy(),
        "raw_left_cat_bitsets": predictor.raw_left_cat_bitsets.copy(),
    }
    arrays.update(changes)
    return TreePredictor(**arrays)


def first_node(nodes: np.ndarray, categorical: bool | None = None) -> int:
    split = nodes["is_leaf"] == 0
    if categorical is not None:
        split &= (nodes["is_categorical"] != 0) == categorical
    return int(np.flatnonzero(split)[0])


@pytest.mark.parametrize("kind", ["hist", "hist_cat"])
def test_clean_histogram_models_pass(kind: str) -> None:
    check_tree_bounds(fitted(kind), PATH)  # no error


@pytest.mark.parametrize("kind", ["hist", "hist_cat"])
@pytest.mark.parametrize("side", ["left", "right"])
def test_a_histogram_child_out_of_range_is_refused(kind: str, side: str) -> None:
    model = fitted(kind)
    nodes = model._predictors[1][0].nodes
    n = nodes.shape[0]
    i = first_node(nodes)
    nodes[side][i] = n - 1
    check_tree_bounds(model, PATH)
    for bad in (n, i, 0):
        nodes[side][i] = bad
        refused(
            model,
            re.escape(f"_predictors[1][0].nodes[{i}].{side}"),
            re.escape(f"{bad} out of range ({i}, {n}) for a split node (a child follows its parent)"),
        )


@pytest.mark.parametrize("kind", ["hist", "hist_cat"])
def test_a_histogram_split_feature_outside_the_width_is_refused(kind: str) -> None:
    model = fitted(kind)
    nodes = model._predictors[0][0].nodes
    i = first_node(nodes, categorical=False)
    nodes["feature_idx"][i] = 2 if kind == "hist" else 1  # the categorical model's x2 is its column 0
    check_tree_bounds(model, PATH)
    for bad in (3, 2**31 - 1):
        nodes["feature_idx"][i] = bad
        refused(
            model,
            re.escape(f"_predictors[0][0].nodes[{i}].feature_idx"),
            re.escape(f"{bad} out of range [0, 3) for a split node"),
        )


def test_a_leaf_may_hold_any_child_and_feature() -> None:
    """The predictor stops at is_leaf without reading a leaf's children or feature."""
    model = fitted("hist")
    nodes = model._predictors[0][0].nodes
    j = int(np.flatnonzero(nodes["is_leaf"] != 0)[0])
    nodes["left"][j] = 10**6
    nodes["feature_idx"][j] = 10**6
    check_tree_bounds(model, PATH)


def test_a_nan_numerical_threshold_is_refused_an_infinite_one_is_not() -> None:
    model = fitted("hist")
    nodes = model._predictors[0][0].nodes
    i = first_node(nodes)
    nodes["num_threshold"][i] = np.inf  # every row goes left: harmless
    check_tree_bounds(model, PATH)
    nodes["num_threshold"][i] = np.nan
    refused(model, re.escape(f"_predictors[0][0].nodes[{i}].num_threshold"), "nan is NaN for a split node")


def test_a_categorical_split_reads_its_bitsets_in_range() -> None:
    model = fitted("hist_cat")
    for row in model._predictors:
        predictor = row[0]
        if np.any((predictor.nodes["is_leaf"] == 0) & (predictor.nodes["is_categorical"] != 0)):
            break
    else:
        pytest.fail("no categorical split in the fitted model")
    k = model._predictors.index(row)
    nodes = predictor.nodes
    i = first_node(nodes, categorical=True)
    nodes["num_threshold"][i] = np.nan  # a categorical split does not read it
    check_tree_bounds(model, PATH)
    limit = predictor.raw_left_cat_bitsets.shape[0]
    for bad in (limit, 2**32 - 1):  # the field is uint32: -1 in a crafted file reads as 2**32 - 1
        nodes["bitset_idx"][i] = bad
        refused(
            model,
            re.escape(f"_predictors[{k}][0].nodes[{i}].bitset_idx"),
            re.escape(f"{bad} out of range [0, {limit}) (the categorical bitset arrays)"),
        )
    nodes["bitset_idx"][i] = limit - 1
    check_tree_bounds(model, PATH)
    # the limit is the shorter of the two bitset arrays
    short = predictor_copy(predictor, binned_left_cat_bitsets=predictor.binned_left_cat_bitsets[:0])
    row[0] = short
    refused(
        model,
        re.escape(f"_predictors[{k}][0].nodes[{i}].bitset_idx"),
        re.escape(f"{limit - 1} out of range [0, 0) (the categorical bitset arrays)"),
    )


def test_a_categorical_split_on_a_numerical_feature_is_refused() -> None:
    model = fitted("hist_cat")
    assert list(model._bin_mapper.is_categorical_) == [True, False, False]
    nodes = model._predictors[0][0].nodes
    i = first_node(nodes, categorical=False)
    nodes["is_categorical"][i] = 1
    nodes["bitset_idx"][i] = 0
    refused(
        model,
        re.escape(f"_predictors[0][0].nodes[{i}].is_categorical"),
        "1 marks a split on a feature the model's bin mapper does not treat as categorical",
    )
    nodes["feature_idx"][i] = 0
    check_tree_bounds(model, PATH)
    # without a bin mapper mask no feature is categorical
    model._bin_mapper.is_categorical_ = None
    j = min(i, first_node(nodes, categorical=True))
    refused(model, re.escape(f"_predictors[0][0].nodes[{j}].is_categorical"), "1 marks a split.*")


def test_the_bin_mapper_mask_must_cover_every_column() -> None:
    model = fitted("hist_cat")
    model._bin_mapper.is_categorical_ = np.array([True, False])
    refused(
        model,
        re.escape("_bin_mapper.is_categorical_"),
        re.escape("shape (2,) does not match the 3 columns the trees receive"),
    )
    model._bin_mapper.is_categorical_ = np.array([[True, False, False]])
    refused(
        model,
        re.escape("_bin_mapper.is_categorical_"),
        re.escape("shape (1, 3) does not match the 3 columns the trees receive"),
    )
    pipe = _in_pipeline(fitted("hist_cat"))
    pipe.steps[1][1]._bin_mapper.is_categorical_ = np.array([True, False])
    refused(pipe, re.escape("steps[1][1]._bin_mapper.is_categorical_"), "shape.*")


def _in_pipeline(model: Any) -> Any:
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer

    pipe = Pipeline([("id", FunctionTransformer()), ("m", model)])
    pipe.steps[0][1].fit(_data()[0])
    return pipe


@pytest.mark.parametrize(
    ("predictors", "field", "found"),
    [
        ((), "_predictors", "expected a list of lists of TreePredictor, found tuple"),
        ([()], re.escape("_predictors[0]"), "expected a list of TreePredictor, found tuple"),
        ([[None]], re.escape("_predictors[0][0]"), "expected a TreePredictor, found NoneType"),
    ],
)
def test_predictor_containers_of_the_wrong_type_are_refused(predictors: object, field: str, found: str) -> None:
    model = fitted("hist")
    model._predictors = predictors
    refused(model, field, found)


def test_predictor_arrays_of_the_wrong_kind_are_refused() -> None:
    model = fitted("hist")
    predictor = model._predictors[0][0]
    field = re.escape("_predictors[0][0]")
    cases = [
        (
            {"nodes": predictor.nodes.astype([(n, "f8") for n in predictor.nodes.dtype.names])},
            r"\.nodes",
            "is not a 1-d array of scikit-learn's predictor node records",
        ),
        ({"nodes": predictor.nodes.reshape(1, -1)}, r"\.nodes", "is not a 1-d array.*"),
        ({"nodes": list(predictor.nodes)}, r"\.nodes", "is not a 1-d array.*"),
        ({"nodes": predictor.nodes[:0]}, r"\.nodes", "is empty"),
        (
            {"binned_left_cat_bitsets": np.zeros((1, 7), np.uint32)},
            r"\.binned_left_cat_bitsets",
            re.escape("is not an (n, 8) bitset array"),
        ),
        (
            {"raw_left_cat_bitsets": np.zeros(8, np.uint32)},
            r"\.raw_left_cat_bitsets",
            re.escape("is not an (n, 8) bitset array"),
        ),
        ({"raw_left_cat_bitsets": [[0] * 8]}, r"\.raw_left_cat_bitsets", "is not an.*"),
    ]
    for changes, name, message in cases:
        model._predictors[0][0] = predictor_copy(predictor, **changes)
        refused(model, field + name, message)


def test_a_histogram_model_without_a_width_is_refused() -> None:
    model = fitted("hist")
    del model.n_features_in_
    refused(model, "_predictors", "a HistGradientBoosting model without n_features_in_ to bound its feature indices")


# ---------------------------------------------------------------- the categorical preprocessor


def test_the_preprocessor_output_width_bounds_the_trees() -> None:
    """With categorical features the trees receive the ColumnTransformer's columns: the
    encoded one, then the numerical ones (here 1 + 2)."""
    model = fitted("hist_cat")
    pre = model._preprocessor
    names = [entry[0] for entry in pre.transformers_]
    assert names[:2] == ["encoder", "numerical"]
    nodes = model._predictors[0][0].nodes
    i = first_node(nodes, categorical=False)
    nodes["feature_idx"][i] = 2
    check_tree_bounds(model, PATH)
    name, transformer, _ = pre.transformers_[1]
    for columns, width in (
        (np.array([True, False, False]), 2),
        ([1], 2),
        ("x", 2),
        (1, 2),
        (np.int64(1), 2),
        (slice(0, 1), 2),
        (slice(None), 4),
    ):
        pre.transformers_[1] = (name, transformer, columns)
        model._bin_mapper.is_categorical_ = np.array([True] + [False] * (width - 1))
        if width > 2:
            check_tree_bounds(model, PATH)
        else:
            refused(
                model,
                re.escape(f"_predictors[0][0].nodes[{i}].feature_idx"),
                re.escape(f"2 out of range [0, {width}) for a split node"),
            )
    pre.transformers_[1] = (name, "passthrough", [1, 2])
    model._bin_mapper.is_categorical_ = np.array([True, False, False])
    check_tree_bounds(model, PATH)


@pytest.mark.parametrize(
    ("entry", "field", "message"),
    [
        (
            ("n", "passthrough"),
            r"_preprocessor\.transformers_\[1\]",
            re.escape("is not a (name, transformer, columns) triple"),
        ),
        (
            ["n", "passthrough", [1]],
            r"_preprocessor\.transformers_\[1\]",
            "is not a .name, transformer, columns. triple",
        ),
        (("n", "scale", [1]), r"_preprocessor\.transformers_\[1\]", "is not a transformer HistGradientBoosting builds"),
        (("n", None, [1]), r"_preprocessor\.transformers_\[1\]", "is not a transformer HistGradientBoosting builds"),
        (
            ("n", "passthrough", np.array([[1]])),
            r"_preprocessor\.transformers_\[1\]",
            "selects columns in a way tef cannot count",
        ),
        (("n", "passthrough", None), r"_preprocessor\.transformers_\[1\]", "selects columns in a way tef cannot count"),
    ],
)
def test_a_preprocessor_entry_tef_cannot_read_is_refused(entry: object, field: str, message: str) -> None:
    model = fitted("hist_cat")
    model._preprocessor.transformers_[1] = entry
    refused(model, field, message)


def test_a_preprocessor_that_is_not_a_fitted_column_transformer_is_refused() -> None:
    from sklearn.preprocessing import StandardScaler

    model = fitted("hist_cat")
    model._preprocessor = StandardScaler()
    refused(model, "_preprocessor", "is not the fitted ColumnTransformer HistGradientBoosting builds")
    model = fitted("hist_cat")
    model._preprocessor.transformers_ = tuple(model._preprocessor.transformers_)
    refused(model, "_preprocessor", "is not the fitted ColumnTransformer.*")
    model = fitted("hist_cat")
    del model._preprocessor.transformers_
    refused(model, "_preprocessor", "is not the fitted ColumnTransformer.*")
    pipe = _in_pipeline(fitted("hist_cat"))
    pipe.steps[1][1]._preprocessor = StandardScaler()
    refused(pipe, re.escape("steps[1][1]._preprocessor"), "is not the fitted.*")


# ------------------------------------------------- gaps the full mutation run of the module showed


def test_a_single_leaf_is_a_valid_tree() -> None:
    """A tree fitted on one class is a root leaf (node_count 1); a histogram tree can be one
    leaf record. Both are safe to predict with and must not be refused."""
    from sklearn.tree import DecisionTreeClassifier

    X, _ = _data()
    stump = DecisionTreeClassifier().fit(X, np.zeros(len(X), dtype=int))
    assert stump.tree_.node_count == 1
    check_tree_bounds(stump, PATH)
    model = fitted("hist")
    leaf = model._predictors[0][0].nodes[:1].copy()
    leaf["is_leaf"] = 1
    model._predictors[0][0] = predictor_copy(model._predictors[0][0], nodes=leaf)
    check_tree_bounds(model, PATH)


def test_a_histogram_model_on_one_column() -> None:
    """With one input column the only valid split feature is 0 (the categorical lookup must
    not index past the one-column mask)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    X, y = _data()
    model = HistGradientBoostingClassifier(max_iter=2, random_state=0).fit(X[:, :1], y)
    check_tree_bounds(model, PATH)
    nodes = model._predictors[0][0].nodes
    i = first_node(nodes)
    nodes["feature_idx"][i] = 1
    refused(
        model,
        re.escape(f"_predictors[0][0].nodes[{i}].feature_idx"),
        re.escape("1 out of range [0, 1) for a split node"),
    )


def test_missing_optional_attributes_are_read_as_absent_not_crashed_on() -> None:
    """A crafted file can leave out any attribute: each is then treated as scikit-learn's
    "none" (no bin mapper, no mask, no preprocessor, no init) and the answer is a decision,
    never an AttributeError."""
    model = fitted("hist")
    del model._bin_mapper
    check_tree_bounds(model, PATH)
    model = fitted("hist")
    del model._bin_mapper.is_categorical_
    check_tree_bounds(model, PATH)
    model = fitted("hist")
    del model._preprocessor
    check_tree_bounds(model, PATH)
    model = fitted("hist_cat")
    del model._bin_mapper  # now no feature is categorical, yet the trees split on categories
    refused(model, r"_predictors\[0\]\[0\]\.nodes\[\d+\]\.is_categorical", "1 marks a split.*")
    model = fitted("hist")
    del model._predictors[0][0].raw_left_cat_bitsets
    refused(model, re.escape("_predictors[0][0].raw_left_cat_bitsets"), re.escape("is not an (n, 8) bitset array"))
    model = fitted("boosting3")
    del model.init_
    refused(model, "estimators_", "has 3 trees per stage.*")
    model = fitted("boosting3")
    model.init_ = "zero"
    del model.n_trees_per_iteration_
    refused(model, "estimators_", "has 3 trees per stage.*")


def test_a_wrong_predictor_type_is_named() -> None:
    model = fitted("hist")
    model._predictors[0][0] = 1.5
    refused(model, re.escape("_predictors[0][0]"), "expected a TreePredictor, found float")


def test_a_drop_entry_does_not_end_the_count() -> None:
    """transformers_ may hold a dropped selection before the ones that output columns."""
    model = fitted("hist_cat")
    model._preprocessor.transformers_.insert(0, ("unused", "drop", [0]))
    check_tree_bounds(model, PATH)


def test_a_nested_histogram_model_names_its_own_bin_mapper() -> None:
    outer = _in_pipeline(_in_pipeline(fitted("hist_cat")))
    check_tree_bounds(outer, PATH)
    outer.steps[1][1].steps[1][1]._bin_mapper.is_categorical_ = np.array([True])
    refused(outer, re.escape("steps[1][1].steps[1][1]._bin_mapper.is_categorical_"), "shape.*")


def test_checked_trees_referenced_again_are_not_trees_out_of_place() -> None:
    """A tree or histogram tree already checked as part of its estimator may be referenced
    again (an alias in another attribute): it is not checked twice nor refused as loose."""
    model = fitted("tree")
    model.alias_ = [model.tree_]  # reached by the generic walk, not as a tree attribute
    check_tree_bounds(model, PATH)
    hist = fitted("hist")
    hist.alias_ = hist._predictors[0][0]
    check_tree_bounds(hist, PATH)


def test_an_ensemble_width_bounds_members_kept_in_dicts_too() -> None:
    forest = fitted("forest")
    for member in forest.estimators_:
        member.tree_.feature[member.tree_.children_left != -1] = 1
    extra = fitted("tree")
    i = first_split(extra.tree_)
    extra.tree_.feature[extra.tree_.children_left != -1] = 1
    extra.tree_.feature[i] = 2
    forest.named_ = {"m": extra}
    check_tree_bounds(forest, PATH)
    forest.n_features_in_ = 2
    refused(forest, re.escape(f"named_['m'].tree_.feature[{i}]"), re.escape("2 out of range [0, 2) for a split node"))


def test_a_tree_is_compared_with_the_estimator_that_holds_it() -> None:
    model = fitted("tree")
    model.n_classes_ = 3
    refused(model, re.escape("tree_.n_classes"), "differs from the estimator's n_classes_")
    model = fitted("tree")
    model.n_outputs_ = 2
    refused(model, re.escape("tree_.n_outputs"), "1 differs from the estimator's n_outputs_ 2")
