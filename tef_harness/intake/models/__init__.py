"""Model intake: pick a safe loader for the artifact named in the config, one module per format."""

from __future__ import annotations

from pathlib import Path

from tef_harness.config.schema import LoadedConfig
from tef_harness.sdk.errors import IntakeError
from tef_harness.sdk.model import ModelAdapter

__all__ = ["detect_format", "load_model"]

_SUFFIX_FORMATS = {".skops": "skops", ".onnx": "onnx", ".pkl": "pickle", ".pickle": "pickle", ".joblib": "joblib"}


def detect_format(path: str) -> str:
    if path.startswith(("runs:/", "models:/")):
        return "mlflow"
    p = Path(path)
    if p.is_dir():
        if (p / "MLmodel").is_file():
            return "mlflow"
        raise IntakeError("a folder without an MLmodel file is not a model", file=path, field="model.path")
    fmt = _SUFFIX_FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise IntakeError(
            f"cannot tell the model format from {p.suffix or 'no suffix'!r}; set model.format "
            "(skops, onnx, mlflow, pickle, joblib)",
            file=path,
            field="model.format",
        )
    return fmt


def load_model(
    lc: LoadedConfig, n_eval_rows: int, classes_hint: tuple[object, ...] | None = None
) -> ModelAdapter | None:
    """The configured model, or None when the run has neither a model nor predictions."""
    m = lc.config.model
    if m.format == "predictions" or (m.predictions and not m.path):
        from tef_harness.intake.models.predictions_file import PredictionsAdapter

        pred = lc.path(m.predictions)
        if pred is None:
            raise IntakeError("format is 'predictions' but model.predictions is not set", field="model.predictions")
        return PredictionsAdapter(pred, n_eval_rows)
    if m.format == "callable":
        return _load_callable(lc)
    if m.path is None:
        return None
    is_uri = m.path.startswith(("runs:/", "models:/"))
    path = Path(m.path) if is_uri else lc.path(m.path)
    assert path is not None
    location = m.path if is_uri else str(path)
    if not is_uri and not path.exists():
        raise IntakeError("file not found", file=path, field="model.path")
    fmt = detect_format(location) if m.format == "auto" else m.format
    if fmt == "skops":
        from tef_harness.intake.models.skops_model import load_skops
        from tef_harness.intake.models.tree_bounds import check_tree_bounds

        adapter = load_skops(path, m.trusted_types)
        # scikit-learn's tree code indexes node arrays unchecked; a skops file supplies them
        check_tree_bounds(getattr(adapter, "estimator", None), path)
        return adapter
    if fmt == "onnx":
        from tef_harness.intake.models.onnx_model import OnnxAdapter

        return OnnxAdapter(path, classes_hint)
    if fmt in ("pickle", "joblib"):
        from tef_harness.intake.models.code_executing import load_pickle

        return load_pickle(path, fmt, m.trust_artifact)
    from tef_harness.intake.models.code_executing import load_mlflow

    return load_mlflow(location, None if is_uri else path, m.trust_artifact)


def _load_callable(lc: LoadedConfig) -> ModelAdapter:
    m = lc.config.model
    if not m.callable:
        raise IntakeError("format is 'callable' but model.callable is not set", field="model.callable")
    try:
        from tef_harness.intake.models.text_generator import load_text_generator
    except ImportError:
        raise IntakeError("text-generation models are not supported by this build", field="model.callable") from None
    return load_text_generator(m.callable, m.log_likelihood, trusted=m.trust_artifact, base_dir=lc.base_dir)
