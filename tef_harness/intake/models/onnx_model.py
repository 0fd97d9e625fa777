"""ONNX through onnxruntime: no code runs on load. Two input layouts, as skl2onnx exports
them: one named input per data column (a pipeline with a ColumnTransformer), or one 2-D
tensor fed the feature columns in the declared order (``convert_sklearn(model,
initial_types=[("X", FloatTensorType([None, n]))])``, the most common export). Probabilities
come as an array or as skl2onnx's default ZipMap (a list of ``{class: probability}``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tef_harness.intake.hashing import sha256_file
from tef_harness.sdk.errors import IntakeError
from tef_harness.sdk.model import ArtifactInfo, ModelAdapter

_NUMPY_FOR_ONNX = {
    "tensor(float)": np.float32,
    "tensor(double)": np.float64,
    "tensor(int64)": np.int64,
    "tensor(int32)": np.int32,
    "tensor(bool)": np.bool_,
}


class OnnxAdapter(ModelAdapter):
    def __init__(self, path: Path, classes_hint: tuple[object, ...] | None = None):
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        try:
            self.session = ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])
        except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own exception types
            first = str(exc).splitlines()[0][:200] if str(exc) else ""
            raise IntakeError(
                f"not a loadable ONNX model ({type(exc).__name__}: {first})", file=path, field="model.path"
            ) from None
        inputs = self.session.get_inputs()
        self.inputs = [(i.name, i.type) for i in inputs]
        outputs = self.session.get_outputs()
        self.label_output = outputs[0].name
        self.proba_output = outputs[1].name if len(outputs) > 1 else None
        meta = self.session.get_modelmeta()
        #: one 2-D tensor holding every feature: the columns are fed in ``ctx.features`` order
        self.takes_matrix = len(inputs) == 1 and len(inputs[0].shape or ()) == 2 and inputs[0].shape[1] != 1
        #: the matrix's width when the graph fixes it
        self.matrix_width: int | None = None
        #: the data columns, in order, that fill the matrix (set by intake: ``use_columns``)
        self.matrix_columns: tuple[str, ...] | None = None
        if self.takes_matrix:
            width = inputs[0].shape[1]
            self.matrix_width = width if isinstance(width, int) else None
            # a column order written into the graph's metadata by whoever exported it
            declared = (meta.custom_metadata_map or {}).get("feature_names")
            self.feature_names = _names(declared) if declared else None
        else:
            self.feature_names = tuple(name for name, _ in self.inputs)
        self.has_predict_proba = self.proba_output is not None
        # the class order comes from the data (sorted labels); the class values take the type of
        # the graph's label output, so 0/1 read from a CSV meet a model fitted on '0'/'1' as
        # labels of another type, which intake matches and records
        self.classes = _as_label_type(classes_hint, outputs[0].type) if classes_hint is not None else None
        self.info = ArtifactInfo(
            adapter="onnx",
            path=str(path),
            sha256=sha256_file(path),
            description=f"ONNX graph ({meta.producer_name or 'unknown producer'}), {len(self.inputs)} inputs",
            metadata={
                **{k: v for k, v in (meta.custom_metadata_map or {}).items()},
                **({"producer": meta.producer_name} if meta.producer_name else {}),
                **({"model_version": str(meta.version)} if getattr(meta, "version", None) else {}),
            },
        )

    def use_columns(self, columns: tuple[str, ...]) -> None:
        """Fill the matrix from these data columns, in this order, whatever order a caller's
        frame has (a frame lacking one fails loudly, with a KeyError)."""
        self.matrix_columns = tuple(columns)

    def _feed(self, X: pd.DataFrame) -> dict[str, Any]:
        if self.takes_matrix:
            name, onnx_type = self.inputs[0]
            cols = X.loc[:, list(self.matrix_columns)] if self.matrix_columns is not None else X
            return {name: cols.to_numpy(dtype=_NUMPY_FOR_ONNX.get(onnx_type, np.float32))}
        feed: dict[str, Any] = {}
        for name, onnx_type in self.inputs:
            col = X[name]
            if onnx_type == "tensor(string)":
                values = col.astype(str).to_numpy(dtype=object)
            else:
                values = col.to_numpy(dtype=_NUMPY_FOR_ONNX.get(onnx_type, np.float32))
            feed[name] = values.reshape(-1, 1)
        return feed

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        (labels,) = self.session.run([self.label_output], self._feed(X))
        return np.asarray(labels).ravel()

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        if self.proba_output is None:
            raise NotImplementedError("ONNX model has no probability output")
        (proba,) = self.session.run([self.proba_output], self._feed(X))
        if isinstance(proba, list):  # ZipMap: a list of {class: probability}
            if not proba:  # an empty batch gives an empty list, not an empty table
                return np.zeros((0, len(self.classes) if self.classes is not None else 0))
            keys = list(self.classes) if self.classes is not None else sorted(proba[0])
            return np.array([[row[k] for k in keys] for row in proba], dtype=float)
        return np.asarray(proba, dtype=float)


def _names(declared: str) -> tuple[str, ...]:
    """``feature_names`` metadata: a JSON list or comma-separated names."""
    import json

    try:
        parsed = json.loads(declared)
    except ValueError:
        parsed = None
    if isinstance(parsed, list):
        return tuple(str(n) for n in parsed)
    return tuple(n.strip() for n in declared.split(",") if n.strip())


def _as_label_type(classes: tuple[object, ...], onnx_type: str) -> tuple[object, ...]:
    """``classes`` as values of the label output's type (``tensor(int64)`` or
    ``tensor(string)``) where each converts exactly; otherwise unchanged."""
    from tef_harness.intake.labels import label_key

    keys = [label_key(c) for c in classes]
    integers = [int(k) for k in keys if isinstance(k, float) and k.is_integer()]
    if len(integers) != len(classes):
        return classes
    if onnx_type.startswith("tensor(int"):
        return tuple(integers)
    if onnx_type == "tensor(string)" and not all(isinstance(c, str) for c in classes):
        return tuple(str(i) for i in integers)
    return classes
