"""ONNX through onnxruntime: no code runs on load. One named input per data column (as
skl2onnx exports tabular pipelines), probabilities as an array or as skl2onnx's ZipMap."""

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
        self.inputs = [(i.name, i.type) for i in self.session.get_inputs()]
        outputs = self.session.get_outputs()
        self.label_output = outputs[0].name
        self.proba_output = outputs[1].name if len(outputs) > 1 else None
        self.feature_names = tuple(name for name, _ in self.inputs)
        self.has_predict_proba = self.proba_output is not None
        meta = self.session.get_modelmeta()
        self.classes = classes_hint
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

    def _feed(self, X: pd.DataFrame) -> dict[str, Any]:
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
            keys = list(self.classes) if self.classes is not None else sorted(proba[0])
            return np.array([[row[k] for k in keys] for row in proba], dtype=float)
        return np.asarray(proba, dtype=float)
