"""Intake's last step: take in every input the config names and assemble the RunContext,
resolving features, task, classes and the positive label, and refusing combinations no check
could judge (a three-valued target in a binary run)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from tef_harness.config.schema import LoadedConfig
from tef_harness.intake.compatibility import check_encoder_kinds
from tef_harness.intake.documents import read_document
from tef_harness.intake.labels import apply_mapping, describe_mapping, match_labels
from tef_harness.intake.model_call import InProcessTransport
from tef_harness.intake.model_client import DEFAULT_TIMEOUT_S, GuardedModelClient
from tef_harness.intake.models import load_model
from tef_harness.intake.models.onnx_model import OnnxAdapter
from tef_harness.intake.models.skops_model import ALLOW_LISTED_KEY
from tef_harness.intake.tables import load_dataset
from tef_harness.sdk.context import RunContext, Task
from tef_harness.sdk.data import Dataset, TextDocument
from tef_harness.sdk.errors import IntakeError, TefError
from tef_harness.sdk.model import ModelAdapter, ModelClient
from tef_harness.sdk.workers import InlineWorkers, Workers

# How many distinct target values still look like classes. The two rules answer different
# questions and keep their numbers: with task "auto", a numeric target with more than
# MAX_CLASSES_GUESS distinct values is taken as regression; a model format that does not
# store its class order (ONNX without ZipMap) is given the sorted labels as that order when
# there are at most MAX_CLASSES_HINT of them.
MAX_CLASSES_GUESS = 20
MAX_CLASSES_HINT = 50
#: ArtifactInfo.metadata keys for what intake decided (see ``intake_warnings``)
LABEL_MAPPING_KEY = "label_mapping"
FEATURE_ORDER_KEY = "feature_order"


def build_context(
    *,
    eval_data: Dataset,
    target: str | None,
    sensitive: tuple[str, ...] = (),
    model: ModelAdapter | ModelClient | None = None,
    train: Dataset | None = None,
    documents: Mapping[str, TextDocument] | None = None,
    features: tuple[str, ...] | None = None,
    task: str = "auto",
    pos_label: object | None = None,
    seed: int = 0,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    decision_threshold: float | None = None,
    workers: Workers | None = None,
) -> RunContext:
    """Assemble the context; an adapter is put behind the model client (in this process),
    with ``timeout_s`` per call and the run's ``decision_threshold`` (validated by the engine's
    bind step)."""
    frame = eval_data.frame
    feats = _resolve_features(frame, eval_data.path, target, features, model)
    if isinstance(model, OnnxAdapter) and model.takes_matrix:
        _record_matrix_order(model, feats, features, eval_data.path)
    estimator = getattr(model, "estimator", None)
    if estimator is not None:
        check_encoder_kinds(estimator, frame.loc[:, list(feats)], file=eval_data.path, sensitive=tuple(sensitive))
    resolved_task = _resolve_task(frame, eval_data.path, target, task, model)
    classes: tuple[object, ...] | None = None
    positive: object | None = None
    if resolved_task in ("binary", "multiclass"):
        classes = model.classes if model is not None and model.classes is not None else None
        if classes is not None and target is not None:
            eval_data, train = _match_target_labels(eval_data, train, target, classes, model)
            frame = eval_data.frame
        if classes is None and target is not None:
            classes = tuple(_plain(v) for v in np.sort(frame[target].unique()))
        if resolved_task == "binary":
            positive = _resolve_positive(classes, pos_label, eval_data.path)
    if train is not None:
        missing = [c for c in (*feats, *([target] if target else [])) if c not in train.frame.columns]
        if missing:
            raise IntakeError(
                f"training sample lacks column(s) {', '.join(missing[:8])}",
                file=train.path,
                field="data.train_sample",
            )
    client: ModelClient | None = None
    if isinstance(model, ModelClient):
        client = model
    elif model is not None:
        client = GuardedModelClient(
            InProcessTransport(model),
            task=resolved_task,
            eval_X=frame.loc[:, list(feats)],
            timeout_s=timeout_s,
            decision_threshold=decision_threshold,
            pos_label=positive,
        )
    return RunContext(
        eval=eval_data,
        target=target,
        features=feats,
        sensitive=tuple(sensitive),
        task=resolved_task,
        seed=seed,
        model=client,
        train=train,
        documents=dict(documents or {}),
        classes=classes,
        pos_label=positive,
        workers=workers or InlineWorkers(),
    )


def _match_target_labels(
    eval_data: Dataset,
    train: Dataset | None,
    target: str,
    classes: tuple[object, ...],
    model: ModelAdapter | ModelClient | None,
) -> tuple[Dataset, Dataset | None]:
    """The data sets with their target rewritten to the model's class values where the labels
    match those by value (recorded in the model's metadata); IntakeError where they do not."""
    out: list[Dataset | None] = []
    applied: dict[object, object] = {}
    for data, field in ((eval_data, "data.target"), (train, "data.target (in data.train_sample)")):
        if data is None or target not in data.frame.columns:
            out.append(data)
            continue
        mapping = match_labels(list(data.frame[target].unique()), classes, file=data.path, field=field)
        if mapping is None:
            out.append(data)
            continue
        applied.update(mapping)
        relabelled = apply_mapping(data.frame, target, mapping)
        out.append(Dataset(role=data.role, path=data.path, sha256=data.sha256, frame=relabelled))
    if applied and model is not None:
        model.info.metadata[LABEL_MAPPING_KEY] = describe_mapping(applied)
    eval_out = out[0]
    assert eval_out is not None
    return eval_out, out[1]


def _record_matrix_order(
    model: OnnxAdapter, feats: tuple[str, ...], declared: tuple[str, ...] | None, path: str
) -> None:
    """A model taking one matrix sees columns only by position: check the width, and record
    the order used and where it came from."""
    if declared:
        source = "data.features"
    elif model.feature_names:
        source = "the model's metadata (feature_names)"
    else:
        source = "the evaluation data's column order, as no order was declared (set data.features)"
    width = model.matrix_width
    if width is not None and width != len(feats):
        raise IntakeError(
            f"the model takes one input of {width} columns but {len(feats)} feature column(s) were found; "
            "list the model's input columns, in order, under data.features",
            file=path,
            field="data.features",
        )
    model.use_columns(feats)
    model.info.metadata[FEATURE_ORDER_KEY] = f"{', '.join(feats)} (from {source})"


def intake_warnings(ctx: RunContext) -> list[str]:
    """What intake decided for the user and the report must say: labels matched to the
    model's classes by value, skops types loaded by the shipped allow-list, the column order
    fed to a model that takes one matrix."""
    notes: list[str] = []
    meta = ctx.model.info.metadata if ctx.model is not None else {}
    if LABEL_MAPPING_KEY in meta:
        notes.append(
            f"target labels were matched to the model's classes by value ({meta[LABEL_MAPPING_KEY]}); "
            "relabel the data to silence this"
        )
    if ALLOW_LISTED_KEY in meta:
        notes.append(
            f"the skops file held scikit-learn internal types loaded by the shipped allow-list: "
            f"{meta[ALLOW_LISTED_KEY]}"
        )
    if FEATURE_ORDER_KEY in meta:
        notes.append(f"the model takes one matrix; its columns were fed in this order: {meta[FEATURE_ORDER_KEY]}")
    return notes


def _resolve_features(
    frame: pd.DataFrame,
    path: str,
    target: str | None,
    features: tuple[str, ...] | None,
    model: ModelAdapter | ModelClient | None,
) -> tuple[str, ...]:
    if features:
        field = "data.features"
    elif model is not None and model.feature_names:
        features, field = model.feature_names, "model (its input columns)"
    else:
        return tuple(c for c in frame.columns if c != target)
    missing = [c for c in features if c not in frame.columns]
    if missing:
        raise IntakeError(
            f"evaluation data lacks model input column(s): {', '.join(missing[:8])}",
            file=path,
            field=field,
        )
    if target in features:
        raise IntakeError(f"the target {target!r} is listed as a model input", file=path, field=field)
    return tuple(features)


def _resolve_task(
    frame: pd.DataFrame, path: str, target: str | None, task: str, model: ModelAdapter | ModelClient | None
) -> Task | None:
    n_values = int(frame[target].nunique()) if target is not None else None
    if task == "auto":
        if model is not None and model.classes is not None:
            return "binary" if len(model.classes) == 2 else "multiclass"
        if target is None:
            return None
        col = frame[target]
        numeric_float = pd.api.types.is_float_dtype(col) and not np.all(np.mod(col, 1) == 0)
        if numeric_float or (pd.api.types.is_numeric_dtype(col) and (n_values or 0) > MAX_CLASSES_GUESS):
            return "regression"
        return "binary" if n_values == 2 else "multiclass"
    if task == "binary" and n_values is not None and n_values != 2:
        raise IntakeError(
            f"task is binary but target {target!r} has {n_values} distinct value(s)",
            file=path,
            field="data.target",
        )
    if task == "regression" and target is not None and not pd.api.types.is_numeric_dtype(frame[target]):
        raise IntakeError(f"task is regression but target {target!r} is not numeric", file=path, field="data.target")
    return task  # type: ignore[return-value]  # validated by the config's Literal


def _resolve_positive(classes: tuple[object, ...] | None, pos_label: object | None, path: str) -> object:
    if classes is None or len(classes) != 2:
        raise IntakeError("binary task needs exactly two classes", file=path, field="data.target")
    if pos_label is None:
        return classes[1]  # scikit-learn's convention: the greater label is positive
    for c in classes:
        if c == pos_label or str(c) == str(pos_label):
            return c
    raise IntakeError(
        f"pos_label {pos_label!r} is not one of the classes {list(classes)}",
        file=path,
        field="data.pos_label",
    )


def _plain(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


def build_run_context(
    lc: LoadedConfig, *, decision_threshold: float | None = None, workers: Workers | None = None
) -> RunContext:
    """Take in every input the config names (evaluation data, training sample, documents,
    model) and assemble the context the checks run on. ``decision_threshold`` is the run's,
    as the engine resolved it (default: ``model.decision_threshold``); ``workers`` are the
    engine's (default: none, work runs inline). Raises TefError on the first bad input."""
    cfg = lc.config
    data_path = lc.path(cfg.data.path)
    if data_path is None:
        raise TefError(
            "no evaluation data given (--data or data.path)", file=lc.source or "command line", field="data.path"
        )
    eval_data = load_dataset(
        data_path, role="eval", field="data.path", target=cfg.data.target, sensitive=cfg.data.sensitive
    )
    train: Dataset | None = None
    train_path = lc.path(cfg.data.train_sample)
    if train_path is not None:
        train = load_dataset(
            train_path,
            role="train",
            field="data.train_sample",
            target=cfg.data.target,
            sensitive=(),
            target_field="data.target (in data.train_sample)",
        )
    documents: dict[str, TextDocument] = {}
    for role in ("card", "technical_documentation", "datasheet"):
        doc_path = lc.path(getattr(cfg.documents, role))
        if doc_path is not None:
            documents[role] = read_document(doc_path, role=role, field=f"documents.{role}")
    model = load_model(lc, eval_data.n_rows, classes_hint=classes_hint(eval_data, cfg.data.target))
    return build_context(
        eval_data=eval_data,
        target=cfg.data.target,
        sensitive=cfg.data.sensitive,
        model=model,
        train=train,
        documents=documents,
        features=cfg.data.features,
        task=cfg.data.task,
        pos_label=cfg.data.pos_label,
        seed=cfg.seed,
        timeout_s=cfg.model.timeout_s,
        decision_threshold=decision_threshold if decision_threshold is not None else cfg.model.decision_threshold,
        workers=workers,
    )


def classes_hint(data: Dataset, target: str | None) -> tuple[object, ...] | None:
    """Class order for model formats that do not store it (ONNX without ZipMap): the sorted
    labels, which is scikit-learn's ``classes_`` order."""
    if target is None:
        return None
    values = data.frame[target].unique()
    if len(values) > MAX_CLASSES_HINT:
        return None
    return tuple(v.item() if hasattr(v, "item") else v for v in sorted(values))
