"""The tracking worker: a separate process that imports mlflow, opens the store and logs one report.

``tef check`` starts it (``tracking_worker.TrackingWorker``) once the inputs are accepted, so
the ~2 s of CPU that importing mlflow costs runs in another process, on the other core, instead
of a thread of the auditing process competing with the checks for the GIL.

Protocol (one JSON object per line): the parent writes the *open* request at start (the
tracking target and the registration), the worker imports mlflow, opens (creates) the store
and registers the file if asked, then reads the *log* request (the report folder and the
folder of the already-drawn plot SVGs). Once it has created the run it writes
``{"created": {"run_id"}}``, then answers with one line: the logged run, or the error
as ``{"error": {"kind", "detail", "file", "field"}}`` so the parent raises the same exception
the in-process sink raises. End of input before the log request: the worker exits (the parent
died or gave up). Its stdout is the protocol alone: anything else that would print there
(mlflow, a model's library) goes to stderr, which the parent captures. SIGTERM (the parent
stopping a worker that has not answered) is raised as SystemExit, so cleanup code runs.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path
from typing import Any, TextIO

from tef_harness.config.tracking_uri import TrackingTarget
from tef_harness.reports.sinks.fault_points import fault_point


def target_to_json(target: TrackingTarget) -> dict[str, Any]:
    return {
        "uri": target.uri,
        "experiment": target.experiment,
        "register_alias": target.register_alias,
        "artifact_root": str(target.artifact_root) if target.artifact_root is not None else None,
        "embedded": target.embedded,
        "register": target.register,
    }


def target_from_json(data: dict[str, Any]) -> TrackingTarget:
    root = data["artifact_root"]
    return TrackingTarget(
        uri=str(data["uri"]),
        experiment=data["experiment"],
        register_alias=data["register_alias"],
        artifact_root=Path(root) if root is not None else None,
        embedded=bool(data["embedded"]),
        register=data["register"],
    )


def _error(exc: BaseException) -> dict[str, Any]:
    from tef_harness.reports.sinks.mlflow_sink import TrackingFailed
    from tef_harness.sdk.errors import TefError

    if isinstance(exc, TefError):
        kind = "tracking_failed" if isinstance(exc, TrackingFailed) else "tef_error"
        return {"kind": kind, "detail": exc.detail, "file": exc.file, "field": exc.field}
    first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return {"kind": "tracking_failed", "detail": f"{type(exc).__name__}: {first}", "file": None, "field": None}


def serve(requests: TextIO, answers: TextIO) -> int:
    """Answer one open and one log request (see the module docstring); 0, or 1 on a bad request."""
    line = requests.readline()
    if not line:
        return 0
    opening = json.loads(line)
    target = target_from_json(opening["target"])
    register = None
    if opening.get("register") is not None:
        from tef_harness.reports.sinks.mlflow_register import RegisterRequest

        r = opening["register"]
        register = RegisterRequest(
            name=r["name"], path=Path(r["path"]), adapter=r["adapter"], experiment=r["experiment"]
        )
    from tef_harness.reports.sinks.mlflow_sink import log_report, open_store

    client, version = open_store(target, register)
    line = requests.readline()
    if not line:  # the parent is gone or logs nothing: no run is created
        return 0
    request = json.loads(line)

    def created(run_id: str) -> None:
        # before anything is logged into it: if this process dies now, the parent knows which
        # run it left RUNNING and closes it (tracking_worker.TrackingWorker.unfinished_run)
        answers.write(json.dumps({"created": {"run_id": run_id}}) + "\n")
        answers.flush()
        fault_point("run-created")

    try:
        logged = log_report(
            Path(request["report_dir"]),
            target,
            frames={},
            client=client,
            register=register,
            registered=version,
            plots_dir=Path(request["plots_dir"]) if request.get("plots_dir") else None,
            on_run_created=created,
        )
        answer: dict[str, Any] = {
            "run": {
                "run_id": logged.run_id,
                "experiment_id": logged.experiment_id,
                "experiment": logged.experiment,
                "already_logged": logged.already_logged,
                "model_version": logged.model_version,
                "alias_note": logged.alias_note,
            }
        }
    except Exception as exc:  # noqa: BLE001 - every failure goes back to the parent as one line
        answer = {"error": _error(exc)}
    answers.write(json.dumps(answer) + "\n")
    answers.flush()
    return 0


def _terminate(signum: int, frame: object) -> None:
    # SIGTERM (the parent's close) as an exception: finally blocks run (a new store's
    # temporary file is removed, a run being logged is marked FAILED)
    raise SystemExit(128 + signum)


def main() -> int:
    signal.signal(signal.SIGTERM, _terminate)
    # the protocol owns the original stdout; fd 1 becomes stderr, so a stray print cannot
    # corrupt an answer
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        return serve(sys.stdin, answers)
    except SystemExit as exc:
        # stopped by SIGTERM: the finally blocks on the way here did the cleanup; skip the
        # interpreter's teardown of mlflow's modules (most of a second the parent would wait)
        sys.stderr.flush()
        os._exit(exc.code if isinstance(exc.code, int) else 1)


if __name__ == "__main__":
    sys.exit(main())
