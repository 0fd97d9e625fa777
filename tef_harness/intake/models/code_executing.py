"""Formats whose loading runs code from the artifact: pickle, joblib, MLflow models.

An audited file is someone else's; unpickling it can do anything the harness process can.
These loaders refuse unless the user opted in (``--trust-artifact``), log the opt-in, and the
report records that the artifact was trusted.
"""

from __future__ import annotations

import logging
import re
import tempfile
from pathlib import Path

from tef_harness.intake.hashing import sha256_file, sha256_tree
from tef_harness.intake.models.estimator import EstimatorAdapter
from tef_harness.sdk.errors import IntakeError
from tef_harness.sdk.model import ArtifactInfo, ModelAdapter

log = logging.getLogger(__name__)


def require_trust(fmt: str, location: str, trusted: bool) -> None:
    if not trusted:
        raise IntakeError(
            f"{fmt} artifacts execute code when loaded; refusing without --trust-artifact "
            "(or model.trust_artifact = true) for a file you trust",
            file=location,
            field="model.trust_artifact",
        )
    log.warning("trusting %s artifact %s: loading it executes code from the file", fmt, location)


def load_pickle(path: Path, fmt: str, trusted: bool) -> ModelAdapter:
    require_trust(fmt, str(path), trusted)
    import joblib

    try:
        estimator = joblib.load(path)
    except Exception as exc:  # noqa: BLE001 - unpickling raises anything
        raise IntakeError(f"cannot load {fmt} file ({type(exc).__name__})", file=path, field="model.path") from None
    info = ArtifactInfo(fmt, str(path), sha256_file(path), type(estimator).__name__, trusted=True)
    try:
        return EstimatorAdapter(estimator, info)
    except TypeError as exc:
        raise IntakeError(str(exc), file=path, field="model.path") from None


#: ``models:/name@alias`` (MLflow's registered-model URI by alias)
_ALIAS_URI = re.compile(r"^models:/(?P<name>[^/@]+)@(?P<alias>[^/@]+)/?$")


def load_mlflow(uri: str, local: Path | None, trusted: bool) -> ModelAdapter:
    require_trust("MLflow", uri, trusted)
    import mlflow

    metadata: dict[str, str] = {}
    try:
        if local is None:
            source = uri
            alias = _ALIAS_URI.match(uri)
            if alias is not None:
                # the alias resolved once, here: the version read is the version recorded, so
                # ``tef report sync`` tags what was audited even after the alias has moved
                from mlflow.tracking import MlflowClient

                version = str(MlflowClient().get_model_version_by_alias(alias["name"], alias["alias"]).version)
                metadata["registered_version"] = version
                source = f"models:/{alias['name']}/{version}"
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(mlflow.artifacts.download_artifacts(artifact_uri=source, dst_path=tmp))
                digest = sha256_tree(folder)
                model = _load_mlflow_folder(str(folder))
        else:
            digest = sha256_tree(local)
            model = _load_mlflow_folder(str(local))
    except IntakeError:
        raise
    except Exception as exc:  # noqa: BLE001 - MLflow raises many types
        raise IntakeError(
            f"cannot load MLflow model ({type(exc).__name__}: {str(exc)[:200]})", file=uri, field="model.path"
        ) from None
    info = ArtifactInfo("mlflow", uri, digest, f"MLflow model: {type(model).__name__}", trusted=True, metadata=metadata)
    return EstimatorAdapter(model, info)


def _load_mlflow_folder(folder: str) -> object:
    """Prefer the scikit-learn flavour (it keeps predict_proba); fall back to pyfunc."""
    import mlflow

    mlmodel = Path(folder) / "MLmodel"
    if mlmodel.is_file() and "sklearn:" in mlmodel.read_text(encoding="utf-8"):
        return mlflow.sklearn.load_model(folder)
    return mlflow.pyfunc.load_model(folder)
