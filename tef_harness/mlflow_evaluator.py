"""An MLflow evaluator (entry point ``mlflow.model_evaluator``, name ``tef``): the audit inside
``mlflow.models.evaluate``.

    mlflow.models.evaluate(model_uri, data, targets="default", model_type="classifier",
                           evaluators=["tef"],
                           evaluator_config={"tef": {"config": "tef.toml", "sensitive": ["sex"]}})

runs the harness on the caller's model and data and logs into the caller's run (no nested
run): the same qualified metrics, params, tags, ``report.json`` and findings table as
``tef check``. The returned ``EvaluationResult.metrics`` hold the qualified metrics
(``performance.metrics/roc_auc``, ``…/ci_low``), so ``mlflow.validate_evaluation_results``
can gate on them.

The model reaches the harness the safe way: the evaluator takes the flavour's raw model
(``PyFuncModel.get_raw_model()``, an estimator with ``predict_proba`` for scikit-learn), saves
it as skops in a temporary folder and audits that file, approving the types skops reports,
because the caller handed over the live object and already trusts it. The data goes to a
temporary Parquet file. Nothing is pickled.

``evaluator_config`` keys: ``config`` (a tef.toml whose model and data entries are replaced),
``sensitive`` (columns), ``only`` (check ids), ``profile``, ``seed``, ``pos_label`` (MLflow's own
evaluator's key; ``positive_label``, its old name here, is still read, with a warning).
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path
from typing import Any

from mlflow.models.evaluation import EvaluationResult, ModelEvaluator

_KEYS = {"config", "sensitive", "only", "profile", "seed", "pos_label", "positive_label"}


class TefEvaluator(ModelEvaluator):
    @classmethod
    def can_evaluate(cls, *, model_type: str, evaluator_config: dict[str, Any], **kwargs: Any) -> bool:
        return model_type in ("classifier", "regressor")

    def evaluate(
        self,
        *,
        model_type: str,
        dataset: Any,
        run_id: str,
        evaluator_config: dict[str, Any],
        model: Any = None,
        **kwargs: Any,
    ) -> EvaluationResult:
        """Audit ``model`` on ``dataset`` and log into ``run_id``. Raises TefError (bad config,
        model or data, as one line) and whatever the tracking store raises."""
        from tef_harness.engine.offline import apply_offline_defaults
        from tef_harness.sdk.errors import ConfigError

        apply_offline_defaults()
        unknown = sorted(set(evaluator_config) - _KEYS)
        if unknown:
            raise ConfigError(f"unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_KEYS))}",
                              field="evaluator_config")
        evaluator_config = _renamed_keys(evaluator_config)
        if model is None:
            raise ConfigError("the tef evaluator audits a model: pass one to evaluate()", field="model")
        if not dataset.has_targets:
            raise ConfigError("the tef evaluator needs targets= (the label column)", field="targets")
        with tempfile.TemporaryDirectory(prefix="tef-evaluate-") as tmp:
            folder = Path(tmp)
            metrics = _audit_and_log(folder, model, dataset, run_id, evaluator_config, model_type)
        return EvaluationResult(metrics=metrics, artifacts={})  # type: ignore[no-untyped-call]


def _renamed_keys(cfg: dict[str, Any]) -> dict[str, Any]:
    """``cfg`` with the deprecated ``positive_label`` read as ``pos_label`` (a Python warning,
    as the caller is Python code); both keys raise ConfigError."""
    from tef_harness.sdk.errors import ConfigError

    if "positive_label" not in cfg:
        return cfg
    if "pos_label" in cfg:
        raise ConfigError(
            "set pos_label only: positive_label is its deprecated name and both are set",
            field="evaluator_config.positive_label",
        )
    warnings.warn(
        "evaluator_config: positive_label is deprecated: rename it to pos_label", DeprecationWarning, stacklevel=3
    )
    renamed = {k: v for k, v in cfg.items() if k != "positive_label"}
    return {**renamed, "pos_label": cfg["positive_label"]}


def _audit_and_log(
    folder: Path, model: Any, dataset: Any, run_id: str, cfg: dict[str, Any], model_type: str
) -> dict[str, float]:
    import pandas as pd
    import skops.io as sio
    from mlflow.tracking import MlflowClient

    from tef_harness.config.loader import load_config
    from tef_harness.engine.audit import AuditSpec, run_audit
    from tef_harness.reports.renderers.json_report import render_json
    from tef_harness.reports.sinks.files import write_atomic
    from tef_harness.reports.sinks.mlflow_sink import fill_run
    from tef_harness.reports.tracking_view import build_view
    from tef_harness.sdk.errors import IntakeError

    raw = model.get_raw_model() if hasattr(model, "get_raw_model") else model
    model_path = folder / "model.skops"
    try:
        sio.dump(raw, model_path)
    except Exception as exc:  # noqa: BLE001 - skops refuses objects it cannot represent
        raise IntakeError(
            f"the model's raw object ({type(raw).__name__}) cannot be saved as skops ({type(exc).__name__})",
            field="model",
        ) from None
    target = str(dataset.targets_name or "target")
    features = dataset.features_data
    if isinstance(features, pd.DataFrame):
        frame = features.copy()
    else:
        frame = pd.DataFrame(features, columns=dataset.feature_names)
    frame[target] = dataset.labels_data
    data_path = folder / "eval.parquet"
    frame.to_parquet(data_path, index=False)
    overrides: dict[str, Any] = {
        "model.path": str(model_path),
        "model.format": "skops",
        "model.trusted_types": sorted(sio.get_untrusted_types(file=model_path)),
        "data.path": str(data_path),
        "data.target": target,
        "data.task": "regression" if model_type == "regressor" else "auto",
        "out": str(folder / "out"),
        "tracking.enabled": False,  # the caller's run is the one logged to
    }
    for key, dotted in (("sensitive", "data.sensitive"), ("only", "plugins.only"), ("profile", "profile"),
                        ("seed", "seed"), ("pos_label", "data.pos_label")):
        if key in cfg:
            overrides[dotted] = cfg[key]
    config_path = Path(cfg["config"]) if cfg.get("config") else None
    lc = load_config(config_path, overrides)
    report = run_audit(AuditSpec.from_loaded(lc))
    out = folder / "out"
    text = render_json(report)
    write_atomic(out / "report.json", text)
    view = build_view(report, text.encode())
    fill_run(MlflowClient(), run_id, view, out, None, own_run=False)
    return dict(view.metrics)
