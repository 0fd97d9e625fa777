"""Bounds checks for scikit-learn's tree structures in a loaded skops model, run before any
prediction.

scikit-learn compiles its tree code with bounds checking off. ``Tree.apply``/``predict``/
``decision_path``/``compute_feature_importances`` (``sklearn/tree/_tree.pyx``) follow
``children_left``/``children_right`` from node 0 until ``children_left == -1`` and read
``X[i, feature]`` at every split, without checking either index; ``Tree.__setstate__``
checks only the dtypes and that ``value`` has shape ``(node_count, n_outputs,
max_n_classes)``. ``TreePredictor`` (``sklearn/ensemble/_hist_gradient_boosting/
_predictor.pyx``) follows ``left``/``right`` until ``is_leaf``, reads ``X[row, feature_idx]``
and, at a categorical split, ``raw_left_cat_bitsets[bitset_idx]`` and
``known_cat_bitsets[f_idx_map[feature_idx]]``, all unchecked. A skops file rebuilds these
structures from arrays it holds (which is why skops leaves them off its safe list), so a
crafted file could make prediction read or loop outside the arrays (a segfault, or worse).
This module validates every such index against the sizes it is used with, so that a
violation is an input error naming the file and the field instead.

The structural rules are the ones scikit-learn's builders follow (depth-first, best-first
and the histogram grower all number a child after its parent): a split node's children lie
strictly after it and inside the node array, which also rules out cycles; a leaf has
``children_left == children_right == -1`` and ``feature == -2``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from tef_harness.sdk.errors import IntakeError

#: scikit-learn's marker for a leaf's children (``_tree.TREE_LEAF``)
TREE_LEAF = -1
#: scikit-learn's marker for a leaf's feature and threshold (``_tree.TREE_UNDEFINED``)
TREE_UNDEFINED = -2
#: a categorical bitset is 8 32-bit words (256 categories), ``_hist_gradient_boosting.common``
BITSET_WORDS = 8


def check_tree_bounds(estimator: object, path: str | Path) -> None:
    """Walk ``estimator`` (pipelines, column transformers, ensembles, any fitted attribute)
    and validate every ``sklearn.tree._tree.Tree`` and HistGradientBoosting ``TreePredictor``
    it holds. Raises IntakeError naming ``path`` and the offending field (e.g.
    ``estimators_[3].tree_.children_left[0]``) at the first violation; returns None when
    every tree is safe to predict with. Cost: one vectorised pass over each node array."""
    try:
        _Walker(str(path)).visit(estimator, "", None)
    except RecursionError:
        raise IntakeError("nested too deeply to check its trees", file=path, field="model.path") from None


class _Walker:
    def __init__(self, path: str):
        self.path = path
        self.seen: set[int] = set()

    def fail(self, field: str, message: str) -> NoReturn:
        raise IntakeError(message, file=self.path, field=field)

    def visit(self, obj: object, where: str, bound: int | None) -> None:
        """``bound``: how many columns the X reaching ``obj`` is guaranteed to have, from the
        nearest estimator whose ``predict`` validates its input width (None: not known)."""
        if obj is None or isinstance(obj, (str, bytes, int, float, bool, np.generic)):
            return
        if id(obj) in self.seen:
            return
        self.seen.add(id(obj))
        from sklearn.base import BaseEstimator
        from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor
        from sklearn.tree._tree import Tree

        # scikit-learn keeps these only as a tree estimator's tree_ and in a histogram
        # model's _predictors, where the input width that bounds them is known
        if isinstance(obj, Tree):
            self.fail(where, "a tree structure outside a fitted tree estimator")
        if isinstance(obj, TreePredictor):
            self.fail(where, "a histogram tree outside a fitted HistGradientBoosting model")
        if isinstance(obj, BaseEstimator):
            self.visit_estimator(obj, where, bound)
        elif isinstance(obj, dict):
            for key, value in obj.items():
                self.visit(value, f"{where}[{key!r}]", bound)
        elif isinstance(obj, (list, tuple)):
            for i, value in enumerate(obj):
                self.visit(value, f"{where}[{i}]", bound)
        elif isinstance(obj, np.ndarray) and obj.dtype == object:
            for index, value in np.ndenumerate(obj):
                self.visit(value, where + "".join(f"[{i}]" for i in index), bound)

    def visit_estimator(self, est: Any, where: str, inherited: int | None) -> None:
        from sklearn.ensemble import BaseEnsemble
        from sklearn.ensemble._gb import BaseGradientBoosting
        from sklearn.ensemble._hist_gradient_boosting.gradient_boosting import BaseHistGradientBoosting
        from sklearn.tree._tree import Tree

        own = getattr(est, "n_features_in_", None)
        own = int(own) if isinstance(own, (int, np.integer)) and own >= 0 else None
        # an ensemble calls its members with check_input=False, so a member's own
        # n_features_in_ is not checked against X: the ensemble's width bounds them too
        bound = own if inherited is None else (inherited if own is None else min(own, inherited))
        passed_down = bound if isinstance(est, BaseEnsemble) else None
        prefix = f"{where}." if where else ""
        for name, value in vars(est).items():
            field = prefix + name
            if isinstance(value, Tree):
                self.seen.add(id(value))
                if bound is None:
                    self.fail(field, "a tree whose estimator has no n_features_in_ to bound its feature indices")
                _check_tree(self, value, field, bound, est)
            elif name == "_predictors" and isinstance(est, BaseHistGradientBoosting):
                width = _preprocessed_width(self, est, prefix, bound)
                self.check_hist_predictors(est, value, field, width)
            elif name == "estimators_" and isinstance(est, BaseGradientBoosting):
                _check_boosting_stages(self, est, value, field)
                self.visit(value, field, passed_down)
            else:
                self.visit(value, field, passed_down)

    def check_hist_predictors(self, est: Any, predictors: object, field: str, bound: int | None) -> None:
        from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor

        if bound is None:
            self.fail(field, "a HistGradientBoosting model without n_features_in_ to bound its feature indices")
        is_categorical = _bin_mapper_categorical(self, est, bound, field)
        if not isinstance(predictors, list):
            self.fail(field, f"expected a list of lists of TreePredictor, found {type(predictors).__name__}")
        for i, row in enumerate(predictors):
            if not isinstance(row, list):
                self.fail(f"{field}[{i}]", f"expected a list of TreePredictor, found {type(row).__name__}")
            for j, predictor in enumerate(row):
                if not isinstance(predictor, TreePredictor):
                    self.fail(f"{field}[{i}][{j}]", f"expected a TreePredictor, found {type(predictor).__name__}")
                self.seen.add(id(predictor))
                _check_predictor(self, predictor, f"{field}[{i}][{j}]", bound, is_categorical)


def _check_boosting_stages(walker: _Walker, est: Any, stages: object, field: str) -> None:
    """GradientBoosting's ``predict_stages`` (``ensemble/_gradient_boosting.pyx``) writes
    tree ``[i, k]``'s output to column ``k`` of the raw predictions without a bounds check;
    those have ``n_trees_per_iteration_`` columns (``init_ == "zero"``) or as many as the
    init estimator's ``predict_proba`` when the loss is multiclass, else one."""
    if not isinstance(stages, np.ndarray) or stages.ndim != 2 or stages.dtype != object:
        walker.fail(field, "is not the 2-d array of trees GradientBoosting stores")
    columns = stages.shape[1]
    if columns == 1:
        return
    init = getattr(est, "init_", None)
    per_iteration = getattr(est, "n_trees_per_iteration_", None)
    if isinstance(init, str):
        ok = init == "zero" and per_iteration == columns
    else:
        classes = getattr(init, "classes_", None)
        multiclass = bool(getattr(getattr(est, "_loss", None), "is_multiclass", False))
        ok = multiclass and classes is not None and len(classes) == columns
        # DummyClassifier (the default init) sizes predict_proba by n_classes_ or class_prior_
        n_classes = getattr(init, "n_classes_", None)
        if n_classes is not None:
            ok = ok and np.ravel(n_classes).tolist() == [columns]
        prior = getattr(init, "class_prior_", None)
        if prior is not None:
            ok = ok and np.shape(prior) == (columns,)
    if not ok:
        walker.fail(
            f"{field}", f"has {columns} trees per stage, not the number of raw prediction columns its init_ gives"
        )


def _preprocessed_width(walker: _Walker, est: Any, prefix: str, bound: int | None) -> int | None:
    """How many columns a HistGradientBoosting model's predictors receive: ``n_features_in_``,
    or, when it has a ``_preprocessor`` (the ColumnTransformer it builds for categorical
    features: an OrdinalEncoder and a check_array FunctionTransformer, each one column out per
    column in), the columns that transformer selects."""
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import FunctionTransformer, OrdinalEncoder

    pre = getattr(est, "_preprocessor", None)
    if pre is None or bound is None:
        return bound
    where = f"{prefix}_preprocessor"
    if not isinstance(pre, ColumnTransformer) or not isinstance(getattr(pre, "transformers_", None), list):
        walker.fail(where, "is not the fitted ColumnTransformer HistGradientBoosting builds")
    width = 0
    for i, entry in enumerate(pre.transformers_):
        if not isinstance(entry, tuple) or len(entry) != 3:
            walker.fail(f"{where}.transformers_[{i}]", "is not a (name, transformer, columns) triple")
        _, transformer, columns = entry
        if isinstance(transformer, str) and transformer == "drop":
            continue
        if not (transformer == "passthrough" or isinstance(transformer, (OrdinalEncoder, FunctionTransformer))):
            walker.fail(f"{where}.transformers_[{i}]", "is not a transformer HistGradientBoosting builds")
        count = _column_count(columns, bound)
        if count is None:
            walker.fail(f"{where}.transformers_[{i}]", "selects columns in a way tef cannot count")
        width += count
    # transformers_ lists the fitted remainder too, so the sum is the whole output
    return width


def _column_count(columns: object, n_features: int) -> int | None:
    """How many columns a ColumnTransformer column selection picks (None: not countable)."""
    if isinstance(columns, slice):
        return len(range(n_features)[columns])
    if isinstance(columns, (str, int, np.integer)):
        return 1
    if not isinstance(columns, (list, tuple, np.ndarray)):
        return None  # a callable (resolved at fit time) or something no fitted model holds
    array = np.asarray(columns)
    if array.ndim != 1:
        return None
    if array.dtype == bool:
        return int(np.count_nonzero(array))
    return int(array.shape[0])


def _bin_mapper_categorical(walker: _Walker, est: Any, n_features: int, field: str) -> np.ndarray:
    """The per-feature categorical mask ``predict`` builds ``f_idx_map`` from (all False when
    the bin mapper has none), checked to cover every feature."""
    where = field.rsplit(".", 1)[0] + "._bin_mapper.is_categorical_" if "." in field else "_bin_mapper.is_categorical_"
    mapper = getattr(est, "_bin_mapper", None)
    mask = getattr(mapper, "is_categorical_", None)
    if mask is None:
        return np.zeros(n_features, dtype=bool)
    mask = np.asarray(mask)
    if mask.ndim != 1 or mask.shape[0] != n_features:
        walker.fail(where, f"shape {mask.shape} does not match the {n_features} columns the trees receive")
    return mask.astype(bool)


def _check_tree(walker: _Walker, tree: Any, field: str, n_features: int, owner: Any) -> None:
    """Validate one ``sklearn.tree._tree.Tree`` (see the module docstring for the rules)."""
    node_count = int(tree.node_count)
    capacity = int(getattr(tree, "capacity", node_count))
    # the node arrays below are views of node_count records over a buffer of capacity records
    if not 1 <= node_count <= capacity:
        walker.fail(f"{field}.node_count", f"{node_count} out of range [1, {capacity + 1}) (the node array length)")
    n_outputs = int(tree.n_outputs)
    n_classes = np.asarray(tree.n_classes)
    if n_outputs < 1 or n_classes.shape != (n_outputs,):
        walker.fail(f"{field}.n_classes", f"shape {n_classes.shape} does not match n_outputs {n_outputs}")
    if n_classes.min() < 1 or int(tree.max_n_classes) != int(n_classes.max()):
        walker.fail(f"{field}.max_n_classes", f"{int(tree.max_n_classes)} is not max(n_classes) {int(n_classes.max())}")
    value = tree.value
    expected = (node_count, n_outputs, int(tree.max_n_classes))
    if value.shape != expected:
        walker.fail(f"{field}.value", f"shape {value.shape} is not (node_count, n_outputs, max_n_classes) {expected}")
    owner_outputs = getattr(owner, "n_outputs_", None)
    if owner_outputs is not None and int(owner_outputs) != n_outputs:
        walker.fail(f"{field}.n_outputs", f"{n_outputs} differs from the estimator's n_outputs_ {int(owner_outputs)}")
    owner_classes = getattr(owner, "n_classes_", None)
    if owner_classes is not None and not np.array_equal(np.atleast_1d(owner_classes), n_classes):
        walker.fail(f"{field}.n_classes", "differs from the estimator's n_classes_")
    tree_features = int(tree.n_features)
    if n_features > tree_features:
        n_features = tree_features
    left = np.asarray(tree.children_left, dtype=np.int64)
    right = np.asarray(tree.children_right, dtype=np.int64)
    feature = np.asarray(tree.feature, dtype=np.int64)
    threshold = np.asarray(tree.threshold, dtype=np.float64)
    ids = np.arange(node_count)
    leaf = left == TREE_LEAF
    split = ~leaf
    for name, child in (("children_left", left), ("children_right", right)):
        _first_bad(
            walker,
            f"{field}.{name}",
            child,
            split & ((child <= ids) | (child >= node_count)),
            lambda i: f"out of range ({i}, {node_count}) for a split node (a child follows its parent)",
        )
    _first_bad(
        walker,
        f"{field}.children_right",
        right,
        leaf & (right != TREE_LEAF),
        lambda i: f"is not {TREE_LEAF} although children_left[{i}] marks a leaf",
    )
    _first_bad(
        walker,
        f"{field}.feature",
        feature,
        split & ((feature < 0) | (feature >= n_features)),
        lambda i: f"out of range [0, {n_features}) for a split node",
    )
    _first_bad(
        walker,
        f"{field}.feature",
        feature,
        leaf & (feature != TREE_UNDEFINED),
        lambda i: f"is not {TREE_UNDEFINED} for a leaf",
    )
    _first_bad(
        walker,
        f"{field}.threshold",
        threshold,
        split & ~np.isfinite(threshold),
        lambda i: "is not finite for a split node",
    )


def _check_predictor(walker: _Walker, predictor: Any, field: str, n_features: int, is_categorical: np.ndarray) -> None:
    """Validate one HistGradientBoosting ``TreePredictor`` (see the module docstring)."""
    from sklearn.ensemble._hist_gradient_boosting.common import PREDICTOR_RECORD_DTYPE

    nodes = predictor.nodes
    if not isinstance(nodes, np.ndarray) or nodes.dtype != PREDICTOR_RECORD_DTYPE or nodes.ndim != 1:
        walker.fail(f"{field}.nodes", "is not a 1-d array of scikit-learn's predictor node records")
    n = nodes.shape[0]
    if n < 1:
        walker.fail(f"{field}.nodes", "is empty")
    bitsets = {}
    for name in ("binned_left_cat_bitsets", "raw_left_cat_bitsets"):
        array = getattr(predictor, name, None)
        if not isinstance(array, np.ndarray) or array.ndim != 2 or array.shape[1] != BITSET_WORDS:
            walker.fail(f"{field}.{name}", f"is not an (n, {BITSET_WORDS}) bitset array")
        bitsets[name] = array.shape[0]
    ids = np.arange(n)
    split = nodes["is_leaf"] == 0
    left = nodes["left"].astype(np.int64)
    right = nodes["right"].astype(np.int64)
    feature = nodes["feature_idx"].astype(np.int64)
    categorical = split & (nodes["is_categorical"] != 0)
    for name, child in (("left", left), ("right", right)):
        _first_bad(
            walker,
            f"{field}.nodes[{{i}}].{name}",
            child,
            split & ((child <= ids) | (child >= n)),
            lambda i: f"out of range ({i}, {n}) for a split node (a child follows its parent)",
            record=True,
        )
    _first_bad(
        walker,
        f"{field}.nodes[{{i}}].feature_idx",
        feature,
        split & ((feature < 0) | (feature >= n_features)),
        lambda i: f"out of range [0, {n_features}) for a split node",
        record=True,
    )
    numerical = split & ~categorical
    _first_bad(
        walker,
        f"{field}.nodes[{{i}}].num_threshold",
        nodes["num_threshold"],
        numerical & np.isnan(nodes["num_threshold"]),
        lambda i: "is NaN for a split node",
        record=True,
    )
    bitset_idx = nodes["bitset_idx"].astype(np.int64)
    limit = min(bitsets.values())
    _first_bad(
        walker,
        f"{field}.nodes[{{i}}].bitset_idx",
        bitset_idx,
        categorical & ((bitset_idx < 0) | (bitset_idx >= limit)),
        lambda i: f"out of range [0, {limit}) (the categorical bitset arrays)",
        record=True,
    )
    safe_feature = np.where(categorical, feature, 0)
    _first_bad(
        walker,
        f"{field}.nodes[{{i}}].is_categorical",
        nodes["is_categorical"],
        categorical & ~is_categorical[safe_feature],
        lambda i: "marks a split on a feature the model's bin mapper does not treat as categorical",
        record=True,
    )


def _first_bad(
    walker: _Walker, field: str, values: np.ndarray, bad: np.ndarray, why: Any, record: bool = False
) -> None:
    """Fail on the first node where ``bad`` holds: ``field[i]: value why(i)`` (for a record
    array the index sits inside ``field`` as ``{i}``)."""
    hits = np.flatnonzero(bad)
    if hits.size:
        i = int(hits[0])
        name = field.format(i=i) if record else f"{field}[{i}]"
        value = values[i].item() if isinstance(values[i], np.generic) else values[i]
        walker.fail(name, f"{value!r} {why(i)}")
