"""A real ``mlflow server`` on loopback, and ``tef`` run with tracking on.

The server runs in its own process group (``start_new_session``) with one worker, a sqlite
store and an artifact folder in a temp dir; it is stopped by signalling the group, so no
worker outlives the session.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
TEF = str(BIN / "tef")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tracking_env(**extra: str) -> dict[str, str]:
    """The environment of a user with tracking on and no tracking URI of their own."""
    env = {k: v for k, v in os.environ.items() if k not in ("TEF_NO_TRACKING", "MLFLOW_TRACKING_URI")}
    env.update(MLFLOW_DISABLE_TELEMETRY="true", **extra)
    return env


def tef(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TEF, *args], cwd=cwd, env=env or tracking_env(), capture_output=True, text=True, timeout=timeout, check=False
    )


@dataclass(frozen=True)
class Server:
    uri: str
    folder: Path


@contextlib.contextmanager
def serve(folder: Path, backend_store_uri: str | None = None, port: int | None = None) -> Iterator[Server]:
    """A real ``mlflow server`` on loopback ``port`` (default: a free one), artifacts in
    ``folder/artifacts``, its backend store ``backend_store_uri`` (default: a new
    ``folder/store.db``); stopped with its process group on exit."""
    port = port or free_port()
    log = (folder / "server.log").open("wb")
    env = {
        **tracking_env(),
        "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false",
    }
    proc = subprocess.Popen(
        [
            str(BIN / "mlflow"),
            "server",
            "--backend-store-uri",
            backend_store_uri or f"sqlite:///{folder / 'store.db'}",
            "--artifacts-destination",
            str(folder / "artifacts"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
        ],
        cwd=folder,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    uri = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"mlflow server exited: {(folder / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{uri}/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"mlflow server not healthy in 120 s: {(folder / 'server.log').read_text()[-2000:]}")
            time.sleep(0.5)
        yield Server(uri, folder)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()


def register_versions(model: object, server: Server, name: str, experiment: str, count: int = 1) -> list[str]:
    """Log ``model`` (a fitted estimator) ``count`` times to ``server`` as versions of the
    registered model ``name``, each from a run of ``experiment``; their version numbers. Logged
    without pip inference, which would start a subprocess per model."""
    import mlflow
    import mlflow.sklearn

    mlflow.set_tracking_uri(server.uri)
    mlflow.set_registry_uri(server.uri)
    mlflow.set_experiment(experiment)
    versions = []
    for _ in range(count):
        with mlflow.start_run():
            info = mlflow.sklearn.log_model(model, name="model", registered_model_name=name, pip_requirements=[])
        versions.append(str(info.registered_model_version))
    return versions


def only_check_enabled(check_id: str = "performance.metrics") -> str:
    """tef.toml tables that disable (and make not required) every other check ``tef`` sees (the
    built-in ones and the example plugin tests/conftest.py makes visible): a full audit of a
    profile that runs ``check_id`` alone. As fast as ``--only check_id``, but not partial (a
    disabled check is outside the audit: engine/coverage.py), so a conformant run moves
    ``register_alias`` onto the audited version."""
    from tef_harness.engine.registry import discover

    ids = sorted(discover().by_id())
    assert check_id in ids, ids
    return "".join(f'[checks."{c}"]\nenabled = false\nrequired = false\n' for c in ids if c != check_id)


@pytest.fixture(scope="session")
def mlflow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serve(tmp_path_factory.mktemp("mlflow-server")) as server:
        yield server


@pytest.fixture(scope="session")
def client(mlflow_server: Server):
    from mlflow.tracking import MlflowClient

    return MlflowClient(tracking_uri=mlflow_server.uri, registry_uri=mlflow_server.uri)
