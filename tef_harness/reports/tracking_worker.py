"""``tef check``'s side of the tracking worker (``sinks/mlflow_worker.py``): start it, send it the
written report, read its answer, and never leave it behind.

Importing mlflow costs about 2.3 s of CPU in pure Python. In a thread of the auditing process
it competes with the checks for the GIL; in its own process it runs on the other core. The
worker is started in its own session (so a Ctrl-C at the terminal reaches only ``tef``, which
then kills it) with its stderr captured in a temporary file (MLflow's warnings would
interleave with the summary), and ``close`` kills its whole process group on every exit path
(``tef check`` calls it in a ``finally``): SIGTERM first when it has not answered yet, so it
can clean up (a temporary store file, a run marked FAILED), then SIGKILL. If the parent dies
without ``close`` (SIGKILL), the worker reads the end of its input and exits without logging.

If the worker cannot be started, the store is opened in a thread as before (``Warmup``) and
the report logged in-process; if it dies before answering, the report is logged in-process.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from tef_harness.config.tracking_uri import TrackingTarget

if TYPE_CHECKING:
    from tef_harness.reports.sinks.mlflow_register import RegisterRequest
    from tef_harness.reports.sinks.mlflow_sink import LoggedRun
    from tef_harness.reports.tracking_commands import Warmup

WORKER_MODULE = "tef_harness.reports.sinks.mlflow_worker"
#: how long a worker that has not answered gets to clean up after SIGTERM before SIGKILL
TERM_GRACE_S = 2.0


class TrackingWorker:
    """The tracking store opened (and the report later logged) in a worker process.

    ``executable`` is the Python that runs the worker (``sys.executable``); a path that cannot
    be started gives the in-process fallback. Use as a context manager or call ``close``."""

    def __init__(
        self, target: TrackingTarget, register: RegisterRequest | None = None, *, executable: str | None = None
    ) -> None:
        self._target = target
        self._register = register
        self._executable = executable or sys.executable
        self._proc: subprocess.Popen[str] | None = None
        self._stderr: IO[bytes] | None = None
        self._plots: Path | None = None
        #: the in-process opener, when the worker could not be started
        self.fallback: Warmup | None = None
        self._started = False
        #: the worker answered the log request: it has nothing left to clean up
        self._answered = False
        #: the run the worker created but did not report logged (it died): see ``log``
        self.unfinished_run: str | None = None

    @property
    def request(self) -> RegisterRequest | None:
        return self._register

    @property
    def started(self) -> bool:
        return self._started

    @property
    def pid(self) -> int | None:
        """The worker's process id (also its process group's), None when not running."""
        return self._proc.pid if self._proc is not None else None

    def start(self) -> TrackingWorker:
        from tef_harness.reports.sinks.mlflow_worker import target_to_json

        self._started = True
        register = None
        if self._register is not None:
            r = self._register
            register = {"name": r.name, "path": str(r.path), "adapter": r.adapter, "experiment": r.experiment}
        opening = json.dumps({"target": target_to_json(self._target), "register": register})
        # closed by close(), which always runs (tef check's finally)
        self._stderr = tempfile.TemporaryFile(prefix="tef-worker-")  # noqa: SIM115
        try:
            self._proc = subprocess.Popen(
                [self._executable, "-m", WORKER_MODULE],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                text=True,
                start_new_session=True,  # its own process group: killed as one, not hit by Ctrl-C
            )
            assert self._proc.stdin is not None
            self._proc.stdin.write(opening + "\n")
            self._proc.stdin.flush()
        except OSError:
            from tef_harness.reports.tracking_commands import Warmup

            self._kill()
            self.fallback = Warmup(self._target, self._register).start()
        return self

    def log(self, report_dir: Path) -> LoggedRun | None:
        """Have the worker log the report in ``report_dir``; the run, or None when no worker is
        running (not started, or it died before answering): then log it in-process. When it died
        after creating its run, ``unfinished_run`` holds that run's id (left RUNNING, maybe half
        filled) and the worker's process group is already gone, so nothing else writes to it.
        Raises TrackingFailed or TefError exactly as ``log_report`` does."""
        proc = self._proc
        if proc is None or proc.stdin is None or proc.stdout is None:
            return None
        from tef_harness.reports.sinks.mlflow_sink import LoggedRun, TrackingFailed, read_report, write_plot_files
        from tef_harness.reports.tracking_view import build_view
        from tef_harness.sdk.errors import TefError

        report, raw = read_report(report_dir)
        view = build_view(report, raw, self._target.experiment)
        if view.plots:
            # drawn here, where the HTML report already drew them (cached): the worker would
            # import matplotlib and draw them again
            self._plots = Path(tempfile.mkdtemp(prefix="tef-plots-"))
            write_plot_files(self._plots, view)
        request = {"report_dir": str(report_dir), "plots_dir": str(self._plots) if self._plots else None}
        try:
            proc.stdin.write(json.dumps(request) + "\n")
            proc.stdin.flush()
            line = proc.stdout.readline()
            if line.startswith('{"created"'):
                self.unfinished_run = str(json.loads(line)["created"]["run_id"])
                line = proc.stdout.readline()
        except OSError:  # the worker died: its pipe is closed
            line = ""
        if not line:
            self._kill()  # dead or dying: make sure it no longer writes to the store
            return None
        self._answered = True
        self.unfinished_run = None
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            e = answer["error"]
            cls = TrackingFailed if e["kind"] == "tracking_failed" else TefError
            raise cls(str(e["detail"]), file=e["file"], field=e["field"])
        run = answer["run"]
        return LoggedRun(
            str(run["run_id"]),
            str(run["experiment_id"]),
            str(run["experiment"]),
            already_logged=bool(run["already_logged"]),
            model_version=run["model_version"],
            alias_note=run.get("alias_note"),
        )

    def _kill(self) -> None:
        proc = self._proc
        self._proc = None
        if proc is not None:
            if not self._answered:
                # it may be mid-way (creating a store, logging a run): SIGTERM, which the worker
                # turns into SystemExit, lets its finally blocks remove a temporary store file
                # and mark a started run FAILED; SIGKILL after a grace for whatever is left
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGTERM)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=TERM_GRACE_S)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
            proc.wait()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def close(self) -> None:
        """Kill the worker's process group (whatever it is doing), reap it, remove the plots."""
        self._kill()
        if self._plots is not None:
            shutil.rmtree(self._plots, ignore_errors=True)
            self._plots = None

    def __enter__(self) -> TrackingWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
