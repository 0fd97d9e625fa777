"""Register a ``.skops`` or ``.onnx`` file in the MLflow model registry before it is audited,
as the unchanged file, so the audit's tags and alias land on the version that holds those bytes.

Each file becomes an MLflow 3 logged model (``models:/<model id>``, in the audit's experiment)
and a new version of the registered model named by ``--register-as`` / ``[tracking] register_as``:

- ONNX goes through MLflow's onnx flavour (``mlflow.onnx.save_model``, no external-data split),
  which parses the file and writes it again. Protobuf re-serialisation is usually but not
  always byte-identical, so the flavour's ``model.onnx`` is compared with the input and, when
  it differs, replaced by the input's bytes (the flavour's MLmodel describes the same graph).
- skops is never re-serialised: the file is copied as ``model.skops`` beside an MLmodel of
  MLflow's sklearn flavour in its skops format, with the file's own untrusted types as
  ``skops_trusted_types`` (the intake has already required each one to be approved), so
  ``mlflow.sklearn.load_model`` loads it with skops, not pickle; with the environment files
  ``save_model`` writes (``python_env.yaml``, ``conda.yaml``, ``requirements.txt``), which the
  model page and ``mlflow models serve`` read.

The sha256 of what is uploaded is checked against the audited file's, so the registered
version holds exactly the bytes the report describes. mlflow is imported inside the functions.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tef_harness.sdk.errors import ConfigError

#: formats that can be registered as the unchanged file
REGISTRABLE = ("skops", "onnx")
#: characters that would break ``models:/name/version`` and ``models:/name@alias`` URIs
_BAD_NAME = re.compile(r"[/@:\s]|^$")


@dataclass(frozen=True)
class RegisterRequest:
    """What to register: the audited file and its adapter (``skops`` or ``onnx``), the
    registered model's name and the experiment the logged model goes to. The file's sha256 is
    taken when it is registered, and checked against the report's before the version is tagged."""

    name: str
    path: Path
    adapter: str
    experiment: str


def check_register_name(name: str, field: str) -> str:
    """``name`` if it can name a registered model in a ``models:/`` URI; else ConfigError."""
    if _BAD_NAME.search(name):
        raise ConfigError(f"registered model name {name!r} is empty or has '/', '@', ':' or whitespace", field=field)
    return name


def register_request(
    name: str, field: str, *, adapter: str | None, path: str | None, experiment: str
) -> RegisterRequest:
    """The request for the loaded model, or ConfigError (exit 2, before any check runs) when
    the model is not a registrable file or the onnx flavour's package is missing."""
    check_register_name(name, field)
    if adapter not in REGISTRABLE or path is None:
        raise ConfigError(
            f"only a .skops or .onnx model file can be registered before the audit (this model: {adapter or 'none'})",
            field=field,
        )
    if adapter == "onnx" and importlib.util.find_spec("onnx") is None:
        raise ConfigError(
            "registering an ONNX file uses MLflow's onnx flavour, which needs the onnx package "
            "(pip install 'tef-harness[register]')",
            field=field,
        )
    return RegisterRequest(name, Path(path), adapter, experiment)


def register_file(client: Any, tracking_uri: str, experiment_id: str, request: RegisterRequest) -> Any:
    """Log ``request.path`` unchanged as a logged model and register it as a new version of
    ``request.name``; the ``ModelVersion`` (tagged ``tef.artifact_digest``, the sha256 of the
    bytes uploaded). Raises ValueError when the uploaded file is not those bytes, and whatever
    MLflow raises."""
    import mlflow
    from mlflow.entities import LoggedModelStatus
    from mlflow.exceptions import MlflowException

    sha256 = hashlib.sha256(request.path.read_bytes()).hexdigest()
    model = client.create_logged_model(
        experiment_id,
        name=request.path.name.split(".")[0] or request.adapter,
        tags={"tef.artifact_digest": sha256, "tef.source_file": request.path.name},
    )
    try:
        with tempfile.TemporaryDirectory(prefix="tef-register-") as tmp:
            folder = Path(tmp) / "model"
            data = (
                _onnx_folder(request, folder, model, sha256)
                if request.adapter == "onnx"
                else _skops_folder(request, folder, model)
            )
            if hashlib.sha256(data.read_bytes()).hexdigest() != sha256:
                raise ValueError(f"{request.path} changed while it was being registered")
            client.log_model_artifacts(model.model_id, str(folder))
        client.finalize_logged_model(model.model_id, LoggedModelStatus.READY)
    except BaseException:
        client.finalize_logged_model(model.model_id, LoggedModelStatus.FAILED)
        raise
    try:
        client.create_registered_model(request.name)
    except MlflowException as exc:
        if exc.error_code != "RESOURCE_ALREADY_EXISTS":
            raise
    # A local (sqlite) registry resolves a models:/ source through mlflow's process-wide tracking
    # URI, not the client's (MLflow's own note in its store says so): point it at this store
    # for the call. A server resolves it itself.
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(tracking_uri)
    try:
        return client.create_model_version(
            request.name,
            source=f"models:/{model.model_id}",
            model_id=model.model_id,
            tags={"tef.artifact_digest": sha256},
            description=f"{request.path.name} (sha256 {sha256}), registered unchanged by tef-harness",
        )
    finally:
        mlflow.set_tracking_uri(previous)


def _mlmodel(model: Any) -> Any:
    """The MLmodel of a logged model, as ``Model.log`` starts it."""
    from mlflow.models import Model

    return Model(artifact_path=model.artifact_location, model_uuid=model.model_id, model_id=model.model_id)


def _onnx_folder(request: RegisterRequest, folder: Path, model: Any, sha256: str) -> Path:
    """MLflow's onnx flavour for the file; the data file holds the input's bytes."""
    import mlflow.onnx
    import onnx
    from mlflow.models import Model

    proto = onnx.load(str(request.path), load_external_data=False)
    mlflow.onnx.save_model(
        proto,
        str(folder),
        mlflow_model=_mlmodel(model),
        save_as_external_data=False,  # the default would move every tensor over 1 KB to its own file
        pip_requirements=mlflow.onnx.get_default_pip_requirements(),  # no inference subprocess
    )
    data = folder / str(Model.load(str(folder / "MLmodel")).flavors["onnx"]["data"])
    if hashlib.sha256(data.read_bytes()).hexdigest() != sha256:
        shutil.copyfile(request.path, data)  # the flavour re-serialised it differently
    return data


def _skops_folder(request: RegisterRequest, folder: Path, model: Any) -> Path:
    """MLflow's sklearn flavour in skops format around the unchanged file, laid out as
    ``mlflow.sklearn.save_model(serialization_format="skops")`` lays it out (MLmodel with the
    python_function flavour pointing at its environment files, ``conda.yaml``,
    ``python_env.yaml``, ``requirements.txt``), without dumping the model: the file is copied.
    The requirements are MLflow's defaults for the skops format (no inference subprocess,
    which would load the model); ``python_env.yaml`` records this Python, as MLflow's does."""
    import importlib

    import mlflow.sklearn
    import sklearn
    import yaml
    from mlflow import pyfunc

    from tef_harness.intake.models.skops_model import untrusted_types

    # MLflow's own helpers and file names, as its save_model uses them (private, untyped)
    env: Any = importlib.import_module("mlflow.utils.environment")
    folder.mkdir(parents=True)
    data = folder / "model.skops"
    shutil.copyfile(request.path, data)
    mlmodel = _mlmodel(model)
    pyfunc.add_to_model(
        mlmodel,
        loader_module="mlflow.sklearn",
        model_path=data.name,
        conda_env=env._CONDA_ENV_FILE_NAME,
        python_env=env._PYTHON_ENV_FILE_NAME,
        predict_fn="predict",
    )
    mlmodel.add_flavor(
        "sklearn",
        pickled_model=data.name,
        sklearn_version=sklearn.__version__,
        serialization_format="skops",
        code=None,
        skops_trusted_types=untrusted_types(data),
    )
    mlmodel.model_size_bytes = data.stat().st_size
    mlmodel.save(str(folder / "MLmodel"))
    defaults = mlflow.sklearn.get_default_pip_requirements(include_skops=True)
    conda_env, requirements, constraints = env._process_pip_requirements(defaults)
    with (folder / env._CONDA_ENV_FILE_NAME).open("w", encoding="utf-8") as fh:
        yaml.safe_dump(conda_env, stream=fh, default_flow_style=False)
    if constraints:
        (folder / env._CONSTRAINTS_FILE_NAME).write_text("\n".join(constraints), encoding="utf-8")
    (folder / env._REQUIREMENTS_FILE_NAME).write_text("\n".join(requirements), encoding="utf-8")
    env._PythonEnv.current().to_yaml(str(folder / env._PYTHON_ENV_FILE_NAME))
    return data
