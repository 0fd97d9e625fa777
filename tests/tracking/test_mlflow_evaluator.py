"""``mlflow.models.evaluate(..., evaluators=["tef"])`` against the real server: the audit logs into
the caller's run, and the returned metrics gate with ``mlflow.validate_evaluation_results``."""

from __future__ import annotations

import joblib
import pandas as pd
import pytest
from sklearn.metrics import accuracy_score, roc_auc_score

from tests.conftest import Artifacts
from tests.tracking.conftest import Server

pytestmark = pytest.mark.slow


def test_evaluate_with_the_tef_evaluator(artifacts: Artifacts, mlflow_server: Server, client) -> None:
    import mlflow
    import mlflow.sklearn
    from mlflow.models import MetricThreshold
    from mlflow.models.evaluation.validation import ModelValidationFailedException

    pipe = joblib.load(artifacts.pickle)
    data = pd.read_csv(artifacts.eval_csv)
    mlflow.set_tracking_uri(mlflow_server.uri)
    mlflow.set_experiment("t/evaluator")
    with mlflow.start_run() as run:
        info = mlflow.sklearn.log_model(pipe, name="model", pip_requirements=[])
        result = mlflow.models.evaluate(
            info.model_uri,
            data,
            targets="default",
            model_type="classifier",
            evaluators=["tef"],
            evaluator_config={"tef": {"only": ["performance.metrics"], "sensitive": ["sex"]}},
        )
    # independent computation of two of the metrics, on the same rows
    proba = pipe.predict_proba(data[artifacts.features])[:, 1]
    want_auc = roc_auc_score(data["default"], proba)
    want_acc = accuracy_score(data["default"], pipe.predict(data[artifacts.features]))
    assert result.metrics["performance.metrics/roc_auc"] == pytest.approx(want_auc, abs=1e-9)
    assert result.metrics["performance.metrics/accuracy"] == pytest.approx(want_acc, abs=1e-9)
    assert result.metrics["performance.metrics/roc_auc/ci_low"] < want_auc < result.metrics[
        "performance.metrics/roc_auc/ci_high"
    ]
    # logged into the caller's run, no nested run
    exp = client.get_experiment_by_name("t/evaluator")
    runs = client.search_runs([exp.experiment_id])
    assert [r.info.run_id for r in runs] == [run.info.run_id]
    logged = client.get_run(run.info.run_id).data
    assert logged.metrics["performance.metrics/roc_auc"] == pytest.approx(want_auc, abs=1e-9)
    assert logged.tags["tef.status.performance.metrics"] == "passed"
    assert "report.json" in {a.path for a in client.list_artifacts(run.info.run_id)}

    mlflow.validate_evaluation_results(
        {"performance.metrics/roc_auc": MetricThreshold(threshold=0.5, greater_is_better=True)}, result
    )
    with pytest.raises(ModelValidationFailedException):
        mlflow.validate_evaluation_results(
            {"performance.metrics/roc_auc": MetricThreshold(threshold=0.9999, greater_is_better=True)}, result
        )
