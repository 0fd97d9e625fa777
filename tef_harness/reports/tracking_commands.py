"""What ``tef check`` does after the report is written, and ``tef report sync``.

The report file comes first and is never touched here: a tracking failure costs the MLflow run,
never the report. It is one line on stderr and, when the verdict was conformant, exit code 4
(``EXIT_TRACKING_FAILED``), so CI notices; a non-conformant audit keeps exit 1, because the
gate's answer matters more than where it was logged.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from tef_harness.config.schema import LoadedConfig, TefConfig, TrackingSection
from tef_harness.config.tracking_uri import TrackingTarget, resolve_tracking
from tef_harness.sdk.errors import ConfigError
from tef_harness.sdk.frozen import thaw

if TYPE_CHECKING:
    import pandas as pd

    from tef_harness.reports.schema import ConformityReport
    from tef_harness.reports.sinks.mlflow_register import RegisterRequest
    from tef_harness.reports.sinks.mlflow_sink import LoggedRun
    from tef_harness.reports.tracking_worker import TrackingWorker

EXIT_TRACKING_FAILED = 4


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def prepare_model_registry(lc: LoadedConfig, target: TrackingTarget | None) -> None:
    """A ``models:/`` or ``runs:/`` model is read from the tracking store the audit logs to,
    unless ``MLFLOW_TRACKING_URI`` already names one. (mlflow's process-wide setting, not the
    environment: only engine/offline.py writes environment variables.)"""
    path = lc.config.model.path or ""
    if target is not None and path.startswith(("models:/", "runs:/")) and not os.environ.get("MLFLOW_TRACKING_URI"):
        from tef_harness.engine.offline import apply_offline_defaults

        apply_offline_defaults()
        import mlflow

        mlflow.set_tracking_uri(target.uri)
        mlflow.set_registry_uri(target.uri)


def registration(target: TrackingTarget, lc: LoadedConfig) -> RegisterRequest | None:
    """What ``--register-as`` / ``[tracking] register_as`` asks for the configured model, or None.
    Raises ConfigError (before any check runs) when the model is not a .skops/.onnx file."""
    if target.register is None:
        return None
    from tef_harness.reports.sinks.mlflow_register import register_request
    from tef_harness.reports.tracking_view import default_experiment

    model = lc.config.model
    path = lc.path(model.path) if model.path and "://" not in model.path and ":/" not in model.path else None
    adapter: str = model.format
    if adapter == "auto" and path is not None:
        adapter = {".skops": "skops", ".onnx": "onnx"}.get(path.suffix.lower(), path.suffix.lower() or "folder")
    return register_request(
        target.register,
        "tracking.register_as",
        adapter=adapter if path is not None else model.format,
        path=str(path) if path is not None else None,
        experiment=target.experiment or default_experiment(str(path or ""), adapter or "model"),
    )


class Warmup:
    """Import mlflow and open (for a new local store: create it) the tracking store in a thread
    while the checks run, so tracking adds little more than the logging itself. ``tef check``
    does this in a worker process (``tracking_worker.py``: the import then does not compete
    with the checks for the GIL) and uses this thread only when the worker cannot be started.

    Importing mlflow takes 1-2 s (more on a loaded machine), and creating a sqlite store runs
    MLflow's schema migrations (several seconds) unless it is copied from the cached template
    (``mlflow_store_seed``); both overlap with the checks. Start it only
    after the inputs are accepted (``prepare``): a bad input then leaves no store behind, and
    the main thread is done importing mlflow itself (an MLflow model's intake does), because
    two threads importing mlflow's circular modules at once can see them half-initialised.
    When an MLflow model was loaded, mlflow's remaining imports are done here, in the calling
    thread, for the same reason (the model's predict may import more of mlflow). The thread is
    not a daemon: a migration that started finishes rather than leave a half-migrated database.
    A failure here is only remembered: the logging step meets it again and reports it.

    With a ``register`` request the model file is registered here too, once the store is
    open, so the version exists before the audit's run is logged and tags it."""

    def __init__(self, target: TrackingTarget, register: RegisterRequest | None = None) -> None:
        self._target = target
        self._register = register
        self._client: object | None = None
        self._version: object | None = None
        self._thread = threading.Thread(target=self._open, name="tef-mlflow-open")

    @property
    def request(self) -> RegisterRequest | None:
        return self._register

    @property
    def started(self) -> bool:
        return self._thread.ident is not None

    def start(self) -> Warmup:
        if "mlflow" in sys.modules:
            from tef_harness.reports.sinks.mlflow_sink import import_mlflow

            with contextlib.suppress(Exception):  # the logging step imports again and reports it
                import_mlflow(self._target)
        self._thread.start()
        return self

    def _open(self) -> None:
        from tef_harness.reports.sinks.mlflow_sink import open_store

        self._client, self._version = open_store(self._target, self._register)

    def client(self) -> object | None:
        self._thread.join()
        return self._client

    def registered(self) -> object | None:
        """The model version registered here (None if none was asked for, or it failed)."""
        self._thread.join()
        return self._version


def track_check(
    report_dir: Path,
    target: TrackingTarget,
    frames: Mapping[str, pd.DataFrame],
    warmup: Warmup | TrackingWorker | None = None,
) -> bool:
    """Log the written report; True on success. Failure is reported on stderr in one line.

    With a started ``TrackingWorker`` the worker process logs it; when no worker runs (it
    could not be started, or died before answering) it is logged here, through the worker's
    in-process ``fallback`` opener when there is one."""
    t0 = time.perf_counter()
    from tef_harness.reports.sinks.mlflow_sink import TrackingFailed, log_report
    from tef_harness.reports.tracking_worker import TrackingWorker

    try:
        logged = None
        register = warmup.request if warmup is not None else None
        if isinstance(warmup, TrackingWorker):
            logged = warmup.log(report_dir)
            if logged is None and warmup.started and warmup.fallback is None:
                logged = _after_dead_worker(report_dir, target, frames, warmup)
            warmup = warmup.fallback
        if logged is None:
            logged = log_report(
                report_dir,
                target,
                frames=frames,
                client=warmup.client() if warmup is not None else None,
                register=register,
                registered=warmup.registered() if warmup is not None else None,
            )
    except TrackingFailed as exc:
        _err(
            f"tef: tracking failed: {exc.one_line()}; the report is kept in {report_dir} "
            f"(log it later: {sync_hint(report_dir, target)})"
        )
        return False
    _announce(logged, target, time.perf_counter() - t0)
    return True


def sync_hint(report_dir: Path, target: TrackingTarget) -> str:
    """The ``tef report sync`` command that logs ``report_dir`` where this audit meant to: the
    store's URI and the experiment are given as flags, since the report's recorded config may not
    hold them (a ``--tracking-uri`` flag is not recorded), and without them sync logs to the
    default store. Shell-quoted, to be pasted as it is."""
    import shlex

    words = ["tef", "report", "sync", str(report_dir), "--tracking-uri", target.uri]
    if target.experiment:
        words += ["--experiment", target.experiment]
    return shlex.join(words)


def _after_dead_worker(
    report_dir: Path, target: TrackingTarget, frames: Mapping[str, pd.DataFrame], worker: TrackingWorker
) -> LoggedRun:
    """The worker was started but died before answering: log here (``mlflow_recover``)."""
    from tef_harness.reports.sinks.mlflow_recover import log_after_dead_worker

    logged, failed = log_after_dead_worker(
        report_dir, target, frames=frames, register=worker.request, unfinished_run=worker.unfinished_run
    )
    if failed is not None:
        _err(f"tef: the tracking worker died while logging MLflow run {failed}; it is marked FAILED")
    return logged


def _announce(logged: LoggedRun, target: TrackingTarget, took: float | None = None) -> None:
    where = f"MLflow run {logged.run_id} in experiment {logged.experiment!r} at {target.uri}"
    if took is not None:
        where += f" ({took:.2f} s)"
    _err(f"tef: {'already logged as ' if logged.already_logged else ''}{where}")
    if logged.model_version:
        _err(f"tef: tagged model version {logged.model_version}")
    if logged.alias_note:
        _err(f"tef: {logged.alias_note}")
    if target.uri.startswith("sqlite:"):
        _err(f"tef: open it with: mlflow ui --backend-store-uri {target.uri}")


def sync(report_dir: Path, *, flag_uri: str | None, experiment: str | None) -> LoggedRun:
    """``tef report sync``: log a saved report unless a FINISHED run with its digest exists.

    The tracking settings recorded in the report apply, ``--tracking-uri``/``--experiment``
    override them; a relative sqlite path is relative to the working folder."""
    from tef_harness.reports.sinks.mlflow_sink import log_report, read_report

    report, _ = read_report(report_dir)
    folder = report_dir if report_dir.is_dir() else report_dir.parent
    recorded = report.config.get("tracking")
    try:
        section = TrackingSection.model_validate(thaw(recorded) if isinstance(recorded, Mapping) else {})
    except ValueError:
        section = TrackingSection()
    changes: dict[str, object] = {"enabled": True}
    if experiment is not None:
        changes["experiment"] = experiment
    section = section.model_copy(update=changes)
    lc = LoadedConfig(config=TefConfig(tracking=section), source=None, base_dir=Path.cwd())
    target = resolve_tracking(lc, flag_uri=flag_uri)
    if target is None:  # pragma: no cover - enabled is forced on above
        raise ConfigError("tracking is disabled", field="tracking.enabled")
    logged = log_report(folder, target, skip_if_logged=True, register=_recorded_registration(report, target))
    _announce(logged, target)
    return logged


def _recorded_registration(report: ConformityReport, target: TrackingTarget) -> RegisterRequest | None:
    """The registration the audit asked for (``register_as``, recorded in the report's config
    whether it came from the file or ``--register-as``), for the audited file; None if none.
    Raises ConfigError when the recorded model is not a registrable file."""
    model = report.subject.model
    if target.register is None or model is None:
        return None
    from tef_harness.reports.sinks.mlflow_register import register_request
    from tef_harness.reports.tracking_view import default_experiment

    return register_request(
        target.register,
        "tracking.register_as",
        adapter=model.adapter,
        path=model.path,
        experiment=target.experiment or default_experiment(model.path, model.adapter),
    )
